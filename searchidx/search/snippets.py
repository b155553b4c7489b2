"""Snippets: the best one or two fragments of an article's text with the
matched words marked. Matching is done on analysed terms, so a word found
through its stem, a compound part or a corrected typo is marked as written."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import add

from ..analysis.fold import fold
from ..analysis.tokenize import WORD, pieces
from ..analysis.words import JOINED, PART, PART_MARK, WORD_KIND

FRAGMENT_CHARS = 180
MAX_FRAGMENTS = 2
_PARAGRAPH_BREAKS = re.compile(r"\s*\n\s*")
_SEPARATORS = re.compile(r"[-\u2010-\u2013'’.]")
MAX_SCAN_CHARS = 5_000  # where to look for matches: a news article's first 700 words
# Split on the word pattern: [gap, word, gap, word, ..., gap], strings only
# (a quarter faster than match objects from finditer).
_WORDS_AND_GAPS = re.compile(f"({WORD.pattern})")


@dataclass
class Snippet:
    text: str
    spans: list[tuple[int, int]]  # [start, end) offsets of matched words in `text`


class Matches:
    """Which words match one query's analysed `terms`, and the snippets made:
    one per query, shared by its hits, so each distinct word is judged once
    and copies of one text (agency articles) share one snippet.

    `terms` is a set, or a dict term -> (query word, weight): a fragment is
    chosen for the query words it shows, each at its best form's weight (the
    word itself 1, a form that is not, such as a derivation, less)."""

    def __init__(self, terms, analyzer):
        self.terms = terms
        self._words = terms if isinstance(terms, dict) else {t: (t, 1.0) for t in terms}
        self._analyse = analyzer.analyse  # (cached per word)
        self._judged: set[str] = set()
        self._matched: dict[str, dict] = {}  # word -> {query word: weight}
        self.snippets: dict[str, Snippet] = {}  # text -> its snippet
        self.marked: dict[str, list[tuple[int, int]]] = {}  # title -> its spans

    def among(self, found: set[str]) -> set[str]:
        """The words of `found` that match."""
        new = found - self._judged
        if new:
            self._judged |= new
            query_words, analyse = self._words, self._analyse
            for w in self._candidates(list(new)):
                shown: dict = {}
                for t in analyse(w).tokens:
                    if t.text in query_words:
                        word, weight = query_words[t.text]
                        shown[word] = max(weight, shown.get(word, 0.0))
                if shown:
                    self._matched[w] = shown
        return {w for w in found if w in self._matched}

    def shown(self, word: str) -> dict:
        """{query word: weight} of a matched word."""
        return self._matched[word]

    def part(self, word: str) -> tuple[int, int] | None:
        """Where in a matched `word` the match is, when only a part of it
        matched: a compound's part that holds a term (`Waffen[lieferungen]`
        for Lieferung), or a piece of a hyphenated word (`Kim-[Regime]`);
        None when the word matched as a whole (or the part cannot be placed)."""
        tokens, width = self._analyse(word)
        terms = self.terms
        if any(t.text in terms for t in tokens if t.kind == JOINED):
            return None
        if width > 1:  # a hyphenated word: the piece that matched, or its part
            found = []
            for _, start, end in pieces(word):
                piece = word[start:end]
                if any(t.text in terms for t in self._analyse(piece).tokens):
                    inner = self.part(piece)
                    found.append((start + inner[0], start + inner[1]) if inner else (start, end))
            return found[0] if len(found) == 1 else None
        if any(t.text in terms for t in tokens if t.kind == WORD_KIND):
            return None
        parts = [t.text[len(PART_MARK):] for t in tokens if t.kind == PART]
        hit = [i for i, t in enumerate(parts) if PART_MARK + t in terms]
        if not hit:
            return None
        # The parts are stems of the folded spelling, in order: each runs up
        # to where the next begins (linking letters and endings included).
        squashed, starts, at = _squashed([word])[0], [], 0
        for p in parts:
            at = squashed.find(p, at)
            if at < 0:
                return None
            starts.append(at)
        ends = starts[1:] + [len(squashed)]
        lo, hi = starts[hit[0]], ends[hit[-1]]
        if (lo, hi) == (0, len(squashed)):
            return None
        return _unsquashed(word, lo), _unsquashed(word, hi)

    def _candidates(self, words: list[str]) -> list[str]:
        """The words that may match: every term of a word (stem, part, joined
        form) is a substring of its folded, unpunctuated spelling, so only
        words containing a term need analysing. Searched at C speed in the
        spellings joined, one a line."""
        spellings = _squashed(words)
        text = "\n".join(spellings)
        line_ends = list(map(add, accumulate(map(len, spellings)), range(len(words))))
        found = set()
        for term in self.terms:
            if not term:
                return words
            i = text.find(term)
            while i >= 0:
                found.add(bisect_right(line_ends, i))
                i = text.find(term, i + 1)
        return [words[i] for i in found]


_SQUASHED: dict[str, str] = {}  # word -> folded, unpunctuated; the same for every query
MAX_SQUASHED = 500_000  # cleared when full, like the analyzers' caches


def _squashed(words: list[str]) -> list[str]:
    """The folded, unpunctuated spellings of `words`, remembered."""
    new = set(words).difference(_SQUASHED)
    if new:
        if len(_SQUASHED) + len(new) > MAX_SQUASHED:
            _SQUASHED.clear()
            new = set(words)
        new = list(new)
        # Folded as one text, a line each: folding looks at no more than a letter pair.
        _SQUASHED.update(zip(new, _SEPARATORS.sub("", fold("\n".join(new).lower())).split("\n")))
    return list(map(_SQUASHED.__getitem__, words))


def _unsquashed(word: str, i: int) -> int:
    """The offset in `word` of offset `i` in its squashed spelling (folding
    changes lengths: ß is ss, ae a; separators go)."""
    for n in range(len(word) + 1):
        if len(_SEPARATORS.sub("", fold(word[:n].lower()))) >= i:
            return n
    return len(word)


def make_snippet(text: str, terms, analyzer, matches: Matches | None = None) -> Snippet:
    """`terms`: analysed query terms (as Matches takes them); `analyzer`: the
    text's (words.german()); `matches`: the query's Matches, to share between
    its snippets."""
    if not text:
        return Snippet("", [])
    if not terms:
        return Snippet(_head(_PARAGRAPH_BREAKS.sub(" ", text)), [])
    matches = matches or Matches(terms, analyzer)
    snippet = matches.snippets.get(text)
    if snippet is None:
        snippet = matches.snippets[text] = _snippet(_PARAGRAPH_BREAKS.sub(" ", text), matches)
    return snippet


def marked_words(text: str, terms, analyzer, matches: Matches | None = None):
    """Spans of the matched words in `text` as it is (a title: no fragments)."""
    if not text or not terms:
        return []
    matches = matches or Matches(terms, analyzer)
    spans = matches.marked.get(text)
    if spans is None:
        spans = matches.marked[text] = _hits(text, matches)
    return spans


def _snippet(text: str, matches: Matches) -> Snippet:
    """`text`: one line; spans refer to it."""
    hits = _hits(text, matches)
    if not hits:
        return Snippet(_head(text), [])
    fragments = _best_windows(text, hits, matches)
    parts, spans, offset = [], [], 0
    for i, (start, end) in enumerate(fragments):
        prefix = "… " if start > 0 else ""
        suffix = " …" if end < len(text) else ""
        frag = text[start:end]
        if i and parts and parts[-1].endswith(" …") and prefix:
            prefix = ""
        base = offset + len(prefix)
        spans += [(base + s - start, base + e - start) for s, e in hits if s >= start and e <= end]
        piece = prefix + frag + suffix
        parts.append(piece)
        offset += len(piece) + 1
    return Snippet(" ".join(parts), spans)


def word_spans(text: str, matches: Matches) -> list[tuple[int, int]]:
    """Spans of the matched words in all of `text` (a concordance reads
    every occurrence; snippets look at the start of a text only)."""
    return _hits(text, matches, None)


def phrase_spans(text: str, terms: tuple[str, ...], positions: tuple[int, ...],
                 analyzer) -> list[tuple[int, int]]:
    """Spans of a phrase's occurrences in all of `text`, its first word to
    its last: `terms` (analysed, as a PhraseQuery's) at their relative
    `positions`, the words counted as indexing counts them (a stop word takes
    a position and gives no term; a hyphenated word a position per piece)."""
    at: list[tuple[set, int, int]] = []  # per position: its terms, its word's start and end
    for m in WORD.finditer(text):
        tokens, width = analyzer.analyse(m.group())
        base = len(at)
        at += [(set(), m.start(), m.end()) for _ in range(width)]
        for t in tokens:
            if t.kind == WORD_KIND:
                at[base + t.pos][0].add(t.text)
    last = positions[-1]
    return [(at[p][1], at[p + last][2]) for p in range(len(at) - last)
            if all(term in at[p + rel][0] for term, rel in zip(terms, positions))]


def _hits(text: str, matches: Matches, scan: int | None = MAX_SCAN_CHARS) -> list[tuple[int, int]]:
    """Spans of the words any of whose terms (stem, parts, joined form)
    matched, in the first `scan` characters (None: all)."""
    # One pass of the (slow) word pattern; the words are judged as a set.
    # (accumulate, compress: no Python code per word, a text has hundreds.)
    split = _WORDS_AND_GAPS.split(text if scan is None else text[:scan])
    words = split[1::2]
    matched = matches.among(set(words))
    if not matched:
        return []
    ends = list(accumulate(map(len, split)))  # a word starts where the gap before it ends
    return list(compress(zip(ends[0::2], ends[1::2]), map(matched.__contains__, words)))


def _best_windows(text: str, hits, matches: Matches) -> list[tuple[int, int]]:
    """Up to MAX_FRAGMENTS windows that show the most of the query's words
    (each at its best form's weight), then the most distinct matched words."""
    ends = [b for _, b in hits]  # ascending: words do not overlap
    lowered = [text[a:b].lower() for a, b in hits]
    shown = [matches.shown(text[a:b]) for a, b in hits]
    windows = []
    for i, (s, _) in enumerate(hits):
        start = _word_start(text, max(0, s - FRAGMENT_CHARS // 4))
        end = _word_end(text, min(len(text), start + FRAGMENT_CHARS))
        j = bisect_right(ends, end)
        best: dict = {}
        for words in shown[i:j]:
            for word, weight in words.items():
                best[word] = max(weight, best.get(word, 0.0))
        windows.append((round(sum(best.values()), 6), len(set(lowered[i:j])), -start, start, end))
    windows.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for *_, start, end in windows:
        if all(end <= a or start >= b for a, b in chosen):
            chosen.append((start, end))
        if len(chosen) == MAX_FRAGMENTS:
            break
    return sorted(chosen)


def _word_start(text: str, i: int) -> int:
    if i == 0:
        return 0
    j = text.find(" ", i)
    return j + 1 if 0 <= j < i + 20 else i


def _word_end(text: str, i: int) -> int:
    if i >= len(text):
        return len(text)
    j = text.rfind(" ", i - 30, i)
    return j if j > 0 else i


def _head(text: str) -> str:
    if len(text) <= FRAGMENT_CHARS:
        return text
    return text[:_word_end(text, FRAGMENT_CHARS)] + " …"
