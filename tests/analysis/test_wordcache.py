"""Index workers share the per-word analysis cache (engine.writing): what one
process analysed, another learns and does not analyse again."""
from __future__ import annotations

import pickle

from searchidx.analysis import german_analyzer
from searchidx.analysis.wordcache import WordCache

TEXT = "Das Kim-Regime feuert Raketen ab. Japan warnt vor weiteren Raketentests in 2023."


def test_a_cache_learns_what_another_analysed():
    a, b = WordCache(german_analyzer()), WordCache(german_analyzer())
    for cache in (a, b):
        assert cache.take_new() == {}  # starts keeping track
    expected = a.positions(TEXT)
    shared = pickle.loads(pickle.dumps(a.take_new()))  # as it travels between processes
    assert {"Raketentests", "Kim-Regime", "Das"} <= shared.keys()
    b.learn(shared)
    assert b.positions(TEXT) == expected
    assert b.take_new() == {}  # nothing analysed again
    assert a.take_new() == {}  # each word is sent once


def test_a_cache_not_sharing_keeps_no_journal():
    cache = WordCache(german_analyzer())
    cache.positions(TEXT)
    assert cache._journal is None
