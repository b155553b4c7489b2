"""Compound parts as extra tokens: `Waffenlieferungen` also yields `waffen` and
`lieferungen` at its own position, so a part finds the compound while the
whole word (kept first) still ranks exact matches highest."""
from __future__ import annotations

from .cached import CachedWordFilter
from .fold import fold


class CompoundFilter(CachedWordFilter):
    """Expects lowercase tokens; parts are emitted folded."""

    def build(self):
        from .decompound import Decompounder

        split = Decompounder().split
        return lambda word: split(fold(word)) if len(word) > 4 and word.isalpha() else ()

    def __call__(self, tokens):
        for t in tokens:
            # Parts are index-time variants; a query builds its own alternatives
            # from them (searchidx.search.words), phrases use whole words.
            # Split before yielding: later filters change the shared token.
            parts = () if t.stopped or t.mode == "query" else self.lookup(t.text)
            text, variant = t.text, t.variant
            yield t
            if parts:
                t.variant = True
                for part in parts:
                    t.text = part
                    yield t
                t.text, t.variant = text, variant
