"""Snowball German stemming of folded words (PyStemmer's C stemmer when installed)."""
from __future__ import annotations

from whoosh.analysis import Filter

from .fold import fold


class GermanStemFilter(Filter):
    """Folds umlauts/ß/ae-oe-ue and stems. Picklable: the stemmer and the
    cache are built on first use and left out of the pickle."""

    def __init__(self, cachesize: int = 200_000):
        self.cachesize = cachesize
        self._stem = None

    def __getstate__(self):
        return {"cachesize": self.cachesize}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._stem = None

    def __eq__(self, other):
        return type(self) is type(other) and self.cachesize == other.cachesize

    def stem(self, word: str) -> str:
        if self._stem is None:
            self._stem = _make_stemmer(self.cachesize)
        return self._stem(word)

    def __call__(self, tokens):
        for t in tokens:
            if not t.stopped:
                t.text = self.stem(t.text)
            yield t


def _make_stemmer(cachesize: int):
    import snowballstemmer

    stem_word = snowballstemmer.stemmer("german").stemWord
    cache: dict[str, str] = {}

    def stem(word: str) -> str:
        s = cache.get(word)
        if s is None:
            if len(cache) >= cachesize:
                cache.clear()
            # Digits and single letters have nothing to strip.
            s = fold(word)
            if len(s) > 2 and not s[0].isdigit():
                s = stem_word(s)
            cache[word] = s
        return s

    return stem
