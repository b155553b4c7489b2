"""Runs last (file order): no index run of this suite changed the shared corpus."""
from life_helpers import tree_hashes


def test_corpus_never_modified(life_corpus, built, rebuild_run):
    assert tree_hashes(life_corpus.path) == life_corpus.hashes
