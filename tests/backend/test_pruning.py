"""Pruned top k (MaxScore and block-max on block-maximum bounds) against the exhaustive
evaluation on a 5x Wikinews corpus: the same ten ids, the same scores to the
bit, the same totals, for the benchmark's queries."""
from __future__ import annotations

import json

import numpy as np
import pytest

from searchidx import Index
from searchidx.backend.native import pruning, scoring
from searchidx.query import syntax
from searchidx.query.rewrites import Context, rewrite

from support import WIKINEWS


@pytest.fixture(scope="module")
def index_5x(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("5x")
    lines = WIKINEWS.read_text(encoding="utf-8").splitlines()
    for k in range(5):  # five copies under new ids (the benchmark's 5x corpus)
        (corpus / f"copy{k}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ix = Index(str(tmp_path_factory.mktemp("5x-ix") / "index"))
    ix.index([str(corpus)])
    yield ix
    ix.close()


@pytest.mark.parametrize("theta_docs", [pruning.THETA_DOCS, 64])
def test_pruned_equals_exhaustive(index_5x, monkeypatch, theta_docs):
    monkeypatch.setattr(scoring, "CACHE_DOCS", 0)  # every query computed, both ways
    # (64: the first theta from one window's documents, so that windows are skipped)
    monkeypatch.setattr(pruning, "THETA_DOCS", theta_docs)
    s = index_5x.searcher()
    reader = s.reader
    assert reader.doc_count() == 4990
    evaluator = reader.evaluator()
    titles = [json.loads(line)["title"] for line in WIKINEWS.read_text("utf-8").splitlines()][:400]
    queries = titles + ["Putin Kim Raketen", "Regierung sagte Montag", "Papst Rom Kirche date:2005..2010",
               "Regierung", "Präsident", "Hand"]
    pruned = 0
    calls = []
    real = pruning.Pruning.top
    def counted(self, *args):
        top = real(self, *args)
        calls.append(top is not None)  # (None: pruning would not pay, it evaluates all)
        return top

    monkeypatch.setattr(pruning.Pruning, "top", counted)
    for q in queries:
        tree = rewrite(syntax.parse(q), Context(reader), correct=False)
        for limit in (10, 3):
            full = evaluator.top(tree, limit=limit, prune=False)
            before = sum(calls)
            fast = evaluator.top(tree, limit=limit, prune=True)
            assert fast.docnums.tolist() == full.docnums.tolist(), q
            assert np.array_equal(fast.scores, full.scores), q
            assert fast.total == full.total, q
            pruned += sum(calls) > before
    assert pruned > 100, pruned  # (many queries take the pruned path)
