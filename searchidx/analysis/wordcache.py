"""Indexing by distinct word: the chain is context-free per word (a word's
tokens never depend on its neighbours), so a document's term positions can be
assembled from a per-word cache instead of pushing every token through the
filter pipeline. The result is identical to running the chain (a test checks)."""
from __future__ import annotations

from collections import Counter

from .chain import word_terms
from .tokenize import WORD, pieces

MAX_WORDS = 500_000  # cleared when full: a cache, not a vocabulary


class WordCache:
    def __init__(self, analyzer):
        self.analyzer = analyzer
        self._fast = word_terms(analyzer)
        # word -> its entry, or just its term when it is one position wide
        # and gives one term (most words: the indexing loop's fast case)
        self._words: dict[str, str | tuple[tuple[tuple[str, int], ...], int]] = {}
        self._journal: list[str] | None = None  # words analysed since taken (sharing)
        self._seen: Counter | None = None  # words of the texts positioned, while counting

    # Processes indexing one batch share their analyses (engine.writing):
    # each takes what it analysed and learns what the others did.
    def take_new(self) -> dict:
        """The words analysed since the last call, with their entries (the
        first call starts keeping track)."""
        if self._journal is None:
            self._journal = []
            return {}
        words, self._journal = self._journal, []
        cache = self._words
        return {w: cache[w] for w in words if w in cache}

    def learn(self, entries: dict):
        """Entries another process analysed (a word's analysis is the same everywhere)."""
        if len(self._words) + len(entries) > MAX_WORDS:
            self._words.clear()
        self._words.update(entries)

    def _analyze(self, word: str):
        if self._journal is not None:
            self._journal.append(word)
        if self._fast:
            terms, width = self._fast(word)
        else:
            terms = tuple((t.text, t.pos) for t in self.analyzer(word, positions=True, mode="index")
                          if not t.stopped)
            width = len(pieces(word))
        if width == 1 and len(terms) == 1:
            return terms[0][0]
        return terms, width

    def entry(self, word: str):
        """((term, relative position), ...), width) for one word."""
        entry = self._cached(word)
        return (((entry, 0),), 1) if entry.__class__ is str else entry

    def _cached(self, word: str):
        """The word's cache entry (its term, or its entry), analysed if new."""
        entry = self._words.get(word)
        if entry is None:
            if len(self._words) > MAX_WORDS:
                self._words.clear()
            entry = self._words[word] = self._analyze(word)
        return entry

    # Indexing also counts the words it positions (the spelling vocabulary),
    # so that no text is scanned a second time.
    def count_words(self):
        """Count the words (as written) of every text positioned from now on."""
        self._seen = Counter()

    def take_counts(self) -> Counter:
        """The words counted since count_words(), and stop counting."""
        seen, self._seen = self._seen, None
        return seen if seen is not None else Counter()

    def positions(self, text: str) -> dict[str, list[int]]:
        """term -> ascending positions, as the analyzer would produce them."""
        words = WORD.findall(text)
        if self._seen is not None:
            self._seen.update(words)
        entries = list(map(self._words.get, words))  # looked up at C speed
        if None in entries:  # new words (one may occur twice: analysed once)
            for i, entry in enumerate(entries):
                if entry is None:
                    entries[i] = self._cached(words[i])
        poses: dict[str, list[int]] = {}
        setdefault = poses.setdefault
        pos = 0
        for entry in entries:
            if entry.__class__ is str:
                setdefault(entry, []).append(pos)
                pos += 1
            else:
                terms, width = entry
                for term, rel in terms:
                    setdefault(term, []).append(pos + rel)
                pos += width
        return poses
