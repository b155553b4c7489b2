"""Fixtures for the torture suite (helpers live in robust_helpers.py)."""
from __future__ import annotations

import os
import sys

import pytest

# Test modules here import robust_helpers; make that work under any --import-mode.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from robust_helpers import copy_seeds, run_cli


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    """An index of the two seed articles, built once per module."""
    base = tmp_path_factory.mktemp("seedidx")
    corpus = copy_seeds(base / "corpus")
    idx = base / "idx"
    r = run_cli("index", str(corpus), "--index", str(idx), "--quiet")
    assert r.returncode == 0, r.stderr
    return idx


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """(corpus, index) of safety_helpers.build: two commits, two segments and
    a deletions file; built once per module."""
    from safety_helpers import build

    return build(tmp_path_factory.mktemp("safety"))


@pytest.fixture
def ix(small, tmp_path):
    """A copy of the small index, for a test to damage."""
    from safety_helpers import copy

    return copy(small[1], tmp_path / "index")

