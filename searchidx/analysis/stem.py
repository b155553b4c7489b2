"""Snowball German stemming of folded words (PyStemmer's C stemmer when installed)."""
from __future__ import annotations

from typing import Callable

from .fold import fold


def stemmer() -> Callable[[str], str]:
    """word -> its stem: umlauts, ß and ae/oe/ue folded first. Built on first use
    (the stemmer's import is not free)."""
    import snowballstemmer

    stem_word = snowballstemmer.stemmer("german").stemWord

    def stem(word: str) -> str:
        s = fold(word)
        # Digits and one- or two-letter words have nothing to strip.
        return stem_word(s) if len(s) > 2 and not s[0].isdigit() else s

    return stem
