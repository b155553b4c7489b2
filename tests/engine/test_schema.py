"""The `head` field's postings: one field made of weighted parts (BM25F)."""
from __future__ import annotations

from collections import defaultdict

import pytest

from searchidx.analysis import german_analyzer
from searchidx.engine.schema import make_schema
from whoosh import formats

HEAD = [(3.0, "Raketen über Japan: Kim-Regime droht"),
        (2.0, "Nordkorea"),
        (1.5, "Das Kim-Regime feuert Raketen ab. Japan warnt vor weiteren Raketentests."),
        (0.7, "Raketen, Raketen, Raketen")]


def _reference(value):
    """Each part through the analysis chain, positions shifted past the parts before."""
    poses, weights, base = defaultdict(list), defaultdict(float), 0
    for weight, text in value:
        for t in german_analyzer()(text, positions=True, mode="index"):
            if not t.stopped:
                poses[t.text].append(t.pos + base)
                weights[t.text] += weight
        base += len(text) + 100
    return {term: sorted(p) for term, p in poses.items()}, dict(weights)


@pytest.mark.parametrize("value", [HEAD, HEAD[:1], HEAD[2:3], [HEAD[0], HEAD[0]]])
def test_head_postings_sum_weighted_parts_at_separate_positions(value):
    field = make_schema()["head"]
    terms, freqs, weights, values = field.doc_postings(value)
    want_poses, want_weights = _reference(value)
    decode = formats.Positions().decode_positions
    assert dict(zip(terms, map(decode, values))) == want_poses
    assert dict(zip(terms, weights)) == pytest.approx(want_weights)
    assert freqs == [len(want_poses[t]) for t in terms]
    # the cache's shared position lists were not changed by the shifting
    assert field.doc_postings(value) == (terms, freqs, weights, values)
