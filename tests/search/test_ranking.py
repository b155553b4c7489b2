"""Ranking the matches: highest score first, ties to the lower document number."""
import heapq
import random

import numpy as np

from searchidx import Index
from searchidx.backend.native.scoring import Matches


def _reference(scores, top):
    return heapq.nlargest(top, scores.items(), key=lambda kv: (kv[1], -kv[0]))


def test_top_matches_equal_the_full_ordering(news_index):
    rnd = random.Random(6)
    with Index(str(news_index)) as ix:
        evaluator = ix.searcher().reader.evaluator()
        for _ in range(200):
            n = rnd.randrange(0, 60)
            # few distinct values: many ties, also at the cut-off
            scores = {rnd.randrange(1000): rnd.choice([0.5, 1.0, 1.0, 2.25, 3.0]) for _ in range(n)}
            docs = np.array(sorted(scores), dtype=np.int64)
            m = Matches(docs, np.array([scores[d] for d in docs.tolist()]))
            for top in (1, 3, 10, 100):
                order = evaluator._order(m, top, "relevance")
                ranked = list(zip(m.docs[order].tolist(), m.scores[order].tolist()))
                assert ranked == _reference(scores, top)
