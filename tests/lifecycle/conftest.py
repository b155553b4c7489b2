"""Fixtures for the index lifecycle suite: one 3,000-article corpus and one full
build per session; tests that mutate copy them (shutil.copytree)."""
from __future__ import annotations

import os
import sys
import time
from types import SimpleNamespace

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from life_helpers import (N_ARTICLES, copy_tree, index_json, make_corpus,  # noqa: E402
                          tree_hashes)


@pytest.fixture(scope="session")
def life_corpus(tmp_path_factory):
    """3,000 plain dated files; never modified by any test (checked at the end)."""
    d = tmp_path_factory.mktemp("life") / "corpus"
    assert make_corpus(d) == N_ARTICLES
    before = tree_hashes(d)
    yield SimpleNamespace(path=d, hashes=before)
    after = tree_hashes(d)
    assert after == before, "the corpus was modified by the index runs"


@pytest.fixture(scope="session")
def built(life_corpus, tmp_path_factory):
    """A full build of the corpus (read-only: copy it before mutating)."""
    ix = tmp_path_factory.mktemp("life-built") / "index"
    t0 = time.monotonic()
    proc, report = index_json(life_corpus.path, ix)
    wall = time.monotonic() - t0
    assert report["added"] == N_ARTICLES, report
    return SimpleNamespace(ix=ix, report=report, wall=wall, corpus=life_corpus.path)


@pytest.fixture(scope="session")
def rebuild_run(built, tmp_path_factory):
    """One `index --rebuild` on a copy of the built index, timed (wall clock of the
    process, as the crash tests kill it by time)."""
    ix = copy_tree(built.ix, tmp_path_factory.mktemp("life-rebuild") / "index")
    t0 = time.monotonic()
    proc, report = index_json(built.corpus, ix, "--rebuild")
    wall = time.monotonic() - t0
    return SimpleNamespace(ix=ix, report=report, wall=wall, proc=proc)


@pytest.fixture
def ix_copy(built, tmp_path):
    """A fresh copy of the built index (and of the corpus, for tests that edit it)."""
    def make(with_corpus: bool = False):
        ix = copy_tree(built.ix, tmp_path / "index")
        corpus = copy_tree(built.corpus, tmp_path / "corpus") if with_corpus else built.corpus
        return ix, corpus
    return make


@pytest.fixture
def small_corpus(life_corpus, tmp_path):
    """40 articles, for tests that need their own quick builds."""
    import shutil
    d = tmp_path / "small"
    d.mkdir()
    for p in sorted((life_corpus.path / "copy000").iterdir())[:40]:
        shutil.copy2(p, d / p.name)
    return d
