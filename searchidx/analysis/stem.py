"""Snowball German stemming of folded words (PyStemmer's C stemmer when installed)."""
from __future__ import annotations

from .cached import CachedWordFilter
from .fold import fold


class GermanStemFilter(CachedWordFilter):
    """Folds umlauts/ß/ae-oe-ue, then stems."""

    def build(self):
        import snowballstemmer

        stem_word = snowballstemmer.stemmer("german").stemWord

        def stem(word: str) -> str:
            s = fold(word)
            # Digits and one- or two-letter words have nothing to strip.
            return stem_word(s) if len(s) > 2 and not s[0].isdigit() else s

        return stem

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = self.lookup(t.text)
            yield t
