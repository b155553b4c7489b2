"""Compound parts as extra tokens: `Waffenlieferungen` also yields `waffen` and
`lieferungen` at its own position, so a part finds the compound while the
whole word (kept first) still ranks exact matches highest."""
from __future__ import annotations

from whoosh.analysis import Filter

from .fold import fold


class CompoundFilter(Filter):
    """Expects lowercase tokens; parts are emitted folded. Picklable: the
    decompounder and cache are built on first use."""

    def __init__(self, cachesize: int = 200_000):
        self.cachesize = cachesize
        self._split = None

    def __getstate__(self):
        return {"cachesize": self.cachesize}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._split = None

    def __eq__(self, other):
        return type(self) is type(other) and self.cachesize == other.cachesize

    def parts(self, word: str) -> tuple[str, ...]:
        if self._split is None:
            self._split = _make_splitter(self.cachesize)
        return self._split(word)

    def __call__(self, tokens):
        for t in tokens:
            # Parts are index-time variants; a query builds its own alternatives
            # from them (searchidx.search.words), phrases use whole words.
            # Split before yielding: later filters change the shared token.
            parts = () if t.stopped or t.mode == "query" else self.parts(t.text)
            text, variant = t.text, t.variant
            yield t
            if parts:
                t.variant = True
                for part in parts:
                    t.text = part
                    yield t
                t.text, t.variant = text, variant


def _make_splitter(cachesize: int):
    from .decompound import Decompounder

    split = Decompounder().split
    cache: dict[str, tuple[str, ...]] = {}

    def parts(word: str) -> tuple[str, ...]:
        p = cache.get(word)
        if p is None:
            if len(cache) >= cachesize:
                cache.clear()
            p = cache[word] = split(fold(word)) if len(word) > 4 and word.isalpha() else ()
        return p

    return parts
