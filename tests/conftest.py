"""Shared fixtures: the bundled corpus, the Wikinews sample (tests/data), built indexes."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS, run_cli


def _corpus(tmp_path_factory, name: str, extra: dict) -> Path:
    """A folder with both seeds plus `extra` (target name -> source path)."""
    d = tmp_path_factory.mktemp(name)
    for src, dest in [(TAZ_SEED, TAZ_SEED.name), (PLAIN_SEED, PLAIN_SEED.name),
                      *((v, k) for k, v in extra.items())]:
        shutil.copy(src, d / dest)
    return d


def _index(corpus: Path, tmp_path_factory, name: str) -> Path:
    ix = tmp_path_factory.mktemp(name) / "index"
    run_cli("index", corpus, "--index", ix, "--quiet", check=0)
    return ix


@pytest.fixture(scope="session")
def seeds_corpus(tmp_path_factory) -> Path:
    return _corpus(tmp_path_factory, "seeds", {})


@pytest.fixture(scope="session")
def seeds_index(seeds_corpus, tmp_path_factory) -> Path:
    return _index(seeds_corpus, tmp_path_factory, "seeds-ix")


@pytest.fixture(scope="session")
def news_corpus(tmp_path_factory) -> Path:
    """The seeds plus all Wikinews articles as one JSON Lines file."""
    return _corpus(tmp_path_factory, "news", {"wikinews.jsonl": WIKINEWS})


@pytest.fixture(scope="session")
def news_index(news_corpus, tmp_path_factory) -> Path:
    return _index(news_corpus, tmp_path_factory, "news-ix")
