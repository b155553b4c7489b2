"""Runs laid end to end: the indexes of runs [start, start + length) of an
array, concatenated, computed with numpy (no Python loop per run). Postings'
positions, a term's block of postings, a word's tokens and a manifest row's
records are all runs of a flat array."""
from __future__ import annotations

import numpy as np


def indexes(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """starts[0] .. starts[0] + lengths[0] - 1, then the next run's, and so on."""
    ends = np.cumsum(lengths)
    return np.repeat(starts - ends + lengths, lengths) + np.arange(int(ends[-1]) if len(ends) else 0)
