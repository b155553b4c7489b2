"""Ranking the matches: highest score first, ties to the lower document number."""
import heapq
import random

from searchidx import Index


def _reference(scores, top):
    return heapq.nlargest(top, scores.items(), key=lambda kv: (kv[1], -kv[0]))


def test_top_matches_equal_the_full_ordering(news_index, monkeypatch):
    rnd = random.Random(6)
    with Index(str(news_index)) as ix:
        s = ix.searcher()
        for _ in range(200):
            n = rnd.randrange(0, 60)
            # few distinct values: many ties, also at the cut-off
            scores = {rnd.randrange(1000): rnd.choice([0.5, 1.0, 1.0, 2.25, 3.0]) for _ in range(n)}
            monkeypatch.setattr(s, "_scores", lambda q, flt, exclude, sc=scores: sc)
            for top in (1, 3, 10, 100):
                ranked, total = s._ranked(None, None, [], top, "relevance")
                assert ranked == _reference(scores, top) and total == len(scores)
