"""Shared fixtures: the bundled corpus, the shared Wikinews data, built indexes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS, run_cli


@pytest.fixture(scope="session")
def seeds_corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("seeds")
    shutil.copy(TAZ_SEED, d)
    shutil.copy(PLAIN_SEED, d)
    return d


@pytest.fixture(scope="session")
def seeds_index(seeds_corpus, tmp_path_factory) -> Path:
    ix = tmp_path_factory.mktemp("seeds-ix") / "index"
    run_cli("index", seeds_corpus, "--index", ix, "--quiet", check=0)
    return ix


@pytest.fixture(scope="session")
def news_corpus(tmp_path_factory) -> Path:
    """The seeds plus all Wikinews articles as one JSON Lines file."""
    if not WIKINEWS.exists():
        pytest.skip(f"shared data not found at {WIKINEWS}")
    d = tmp_path_factory.mktemp("news")
    shutil.copy(TAZ_SEED, d)
    shutil.copy(PLAIN_SEED, d)
    shutil.copy(WIKINEWS, d / "wikinews.jsonl")
    return d


@pytest.fixture(scope="session")
def news_index(news_corpus, tmp_path_factory) -> Path:
    ix = tmp_path_factory.mktemp("news-ix") / "index"
    run_cli("index", news_corpus, "--index", ix, "--quiet", check=0)
    return ix
