"""Base for filters that map each word through something heavy (a stemmer, a
lexicon): built on first use and cached per word. Whoosh pickles analyzers with
the schema, so neither the heavy part nor the cache is ever pickled."""
from __future__ import annotations

from whoosh.analysis import Filter


class CachedWordFilter(Filter):
    def __init__(self, cachesize: int = 200_000):
        self.cachesize = cachesize
        self._cache = None

    def __getstate__(self):
        return {"cachesize": self.cachesize}

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._cache = None

    def __eq__(self, other):
        return type(self) is type(other) and self.cachesize == other.cachesize

    def build(self):
        """Return the function word -> value; called once, on first use."""
        raise NotImplementedError

    def lookup(self, word: str):
        if self._cache is None:
            self._cache, self._compute = {}, self.build()
        value = self._cache.get(word)
        if value is None:
            if len(self._cache) >= self.cachesize:
                self._cache.clear()
            value = self._cache[word] = self._compute(word)
        return value
