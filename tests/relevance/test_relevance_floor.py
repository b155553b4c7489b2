"""Guards the relevance of the German analysis: MRR@10 on bench/relevance's
known-item queries over the Wikinews bodies (indexed without titles, as plain
dated files), run through the CLI as a user runs it. Deterministic: no timing.

Measured at the last ranking change (BM25F over head and body): overall 0.982;
inflection 0.964, compound 0.964, translit 1.000, hyphen 0.964, typo 1.000,
exact 1.000 (naive Whoosh: 0.688).
"""
import importlib.util

import pytest

from support import REPO, WIKINEWS

FLOOR_OVERALL = 0.97
FLOOR_PER_KIND = 0.92


def _runner():
    spec = importlib.util.spec_from_file_location("relevance_run",
                                                  REPO / "bench" / "relevance" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    run = _runner()
    queries = run.load_queries(REPO / "bench" / "relevance" / "queries.tsv")
    work = tmp_path_factory.mktemp("relevance")
    corpus = work / "corpus"
    run.write_corpus(WIKINEWS, corpus)
    ranked, _ = run.run_searchidx(queries, corpus, work)
    return run.evaluate(queries, ranked)


def test_overall_floor(scores):
    assert scores["overall"] >= FLOOR_OVERALL, scores


@pytest.mark.parametrize("kind", ["inflection", "compound", "translit", "hyphen", "typo", "exact"])
def test_floor_per_kind(scores, kind):
    assert scores[kind] >= FLOOR_PER_KIND, scores


def test_exact_matches_stay_perfect(scores):
    assert scores["exact"] == 1.0, scores
