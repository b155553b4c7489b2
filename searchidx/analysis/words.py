"""The analysis chains, one word at a time.

A word's terms never depend on its neighbours, so each chain is a function
of one word, remembered per word: indexing a text, analysing a query word
and marking a snippet all look words up instead of running a filter chain
per token.

German (article text):  pieces -> lowercase -> stop words -> compound parts -> fold + stem
Names (authors, tags):  pieces -> lowercase -> fold

A word is one position wide per piece (`Kim-Regime` is two: `kim`, `regim`).
Besides its pieces (kind WORD), indexing also gives a hyphenated word's joined
form (JOINED, at the first piece's position: `Email` finds `E-Mail`) and each
compound's parts (PART, at its position, marked: `_bahnhof` in
Weltraumbahnhof, so that `Bahnhof` finds Weltraumbahnhof, and an article
with the word Bahnhof itself ranks above it). A word whose end is elided
(`Click` of `Click- und Crowdworker`, joined to its completing word by
tokenize.text_words) also gives the completed compound (`clickworker`, JOINED,
at its position). Queries read the kinds to
weigh a word's alternatives; phrases use the pieces only. A stop word keeps its position but gives no
term, so `Hand in Hand` is `hand _ hand`.
"""
from __future__ import annotations

from typing import NamedTuple

from .fold import fold
from .stem import stemmer
from .stopwords import GERMAN
from .tokenize import ELIDED, WORD, pieces, text_words

WORD_KIND, JOINED, PART = 0, 1, 2
PART_MARK = "_"  # a compound part's term: `_hand` in Handball, apart from the word `hand`
MAX_CACHED = 500_000  # words per analyzer; the cache is cleared when full


class Token(NamedTuple):
    text: str
    pos: int   # relative to the word's first piece
    kind: int  # WORD_KIND, JOINED or PART


class Analysis(NamedTuple):
    tokens: tuple[Token, ...]
    width: int  # positions the word takes


class Analyzer:
    """The per-word chain and its cache. Subclasses define `_terms(piece)`:
    the terms of one lowercase piece, whole first."""

    name = ""

    def __init__(self):
        self._cache: dict[str, Analysis] = {}

    def analyse(self, word: str) -> Analysis:
        """The tokens of one word as the tokenizer finds it (`Kim-Regime`, `8.000`)."""
        found = self._cache.get(word)
        if found is None:
            if len(self._cache) >= MAX_CACHED:
                self._cache.clear()
            found = self._cache[word] = self._analyse(word)
        return found

    def analyse_uncached(self, word: str) -> Analysis:
        return self._analyse(word)

    def _analyse(self, word: str) -> Analysis:
        if ELIDED in word:  # `Click` of `Click- und Crowdworker`: also `clickworker`
            first, completing = word.split(ELIDED, 1)
            base = self._analyse(first)
            extra = self._completed(first, completing)
            return Analysis(base.tokens + tuple(
                Token(t, 0, JOINED) if not i else Token(PART_MARK + t, 0, PART)
                for i, t in enumerate(extra)), base.width)
        ps = pieces(word)
        out: list[Token] = []
        if len(ps) > 1:
            joined = "".join(p for p, _, _ in ps).lower()
            for i, term in enumerate(self._terms(joined)):
                out.append(Token(term, 0, JOINED) if not i else Token(PART_MARK + term, 0, PART))
        for pos, (piece, _, _) in enumerate(ps):
            for i, term in enumerate(self._terms(piece.lower())):
                out.append(Token(term, pos, WORD_KIND) if not i else Token(PART_MARK + term, pos, PART))
        return Analysis(tuple(out), len(ps))

    def _terms(self, piece: str) -> tuple[str, ...]:
        raise NotImplementedError

    def _completed(self, first: str, completing: str) -> tuple[str, ...]:
        """The terms of `first` completed by the end of `completing` (none)."""
        return ()

    def query_terms(self, word: str) -> tuple[str, ...]:
        """The terms of a word in a phrase or as typed: its pieces, no variants."""
        return tuple(t.text for t in self.analyse(word).tokens if t.kind == WORD_KIND)

    def positions(self, text: str) -> dict[str, list[int]]:
        """term -> ascending positions in `text`, every kind of token included."""
        out: dict[str, list[int]] = {}
        pos = 0
        for word in text_words(text):
            tokens, width = self.analyse(word)
            for term, rel, _ in tokens:
                out.setdefault(term, []).append(pos + rel)
            pos += width
        return out

    def phrase(self, text: str) -> list[tuple[str, int]]:
        """(term, position) of each piece of `text` read as a phrase; stop
        words leave gaps. Positions count from the first term."""
        out, pos = [], 0
        for word in WORD.findall(text):
            tokens, width = self.analyse(word)
            out += [(t.text, pos + t.pos) for t in tokens if t.kind == WORD_KIND]
            pos += width
        if out:
            first = out[0][1]
            out = [(t, p - first) for t, p in out]
        return out


class GermanAnalyzer(Analyzer):
    name = "german"

    def __init__(self):
        super().__init__()
        self._stem = None
        self._split = None

    def _terms(self, piece: str) -> tuple[str, ...]:
        if piece in GERMAN:
            return ()
        if self._stem is None:
            self._stem, self._split = stemmer(), _splitter()
        parts = self._split(piece) if len(piece) > 4 and piece.isalpha() else ()
        stem = self._stem
        return (stem(piece), *map(stem, parts))

    def _completed(self, first: str, completing: str) -> tuple[str, ...]:
        """`Click` completed by `Crowdworker`: the terms of `clickworker`. The
        end shared is the longest end of the completing word that German has
        as a word (the lexicon): `worker`, `fuhr` (Ein- und Ausfuhr),
        `teile` (Vor- und Nachteile), `politik`; none: no completion."""
        from .decompound import load_lexicon

        lexicon = load_lexicon()
        tail = fold(completing.lower())
        for k in range(2, len(tail) - 2):  # at least 2 letters before, 3 after
            if tail[k:] in lexicon:
                return self._terms(fold(first.lower()) + tail[k:])
        return ()


class NameAnalyzer(Analyzer):
    """Authors, tags, places: exact words, case- and umlaut-insensitive."""

    name = "names"

    def _terms(self, piece: str) -> tuple[str, ...]:
        return (fold(piece),)


def _splitter():
    from .decompound import Decompounder

    split = Decompounder().split
    return lambda word: split(fold(word))


_SHARED: dict[str, Analyzer] = {}


def german() -> GermanAnalyzer:
    """The process's German analyzer (one cache for indexing, queries and snippets)."""
    return _SHARED.get("german") or _SHARED.setdefault("german", GermanAnalyzer())


def names() -> NameAnalyzer:
    return _SHARED.get("names") or _SHARED.setdefault("names", NameAnalyzer())
