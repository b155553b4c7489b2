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
from ..analysis.tokenize import WORD

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
    and copies of one text (agency articles) share one snippet."""

    def __init__(self, terms: set[str], analyzer):
        self.terms = terms
        self._analyse = analyzer.analyse  # (cached per word)
        self._judged: set[str] = set()
        self._matched: set[str] = set()
        self.snippets: dict[str, Snippet] = {}  # text -> its snippet
        self.marked: dict[str, list[tuple[int, int]]] = {}  # title -> its spans

    def among(self, found: set[str]) -> set[str]:
        """The words of `found` that match."""
        new = found - self._judged
        if new:
            self._judged |= new
            terms, analyse = self.terms, self._analyse
            self._matched.update(w for w in self._candidates(list(new))
                                 if any(t.text in terms for t in analyse(w).tokens))
        return found & self._matched

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


def make_snippet(text: str, terms: set[str], analyzer, matches: Matches | None = None) -> Snippet:
    """`terms`: analysed query terms; `analyzer`: the text's (words.german());
    `matches`: the query's Matches, to share between its snippets."""
    if not text:
        return Snippet("", [])
    if not terms:
        return Snippet(_head(_PARAGRAPH_BREAKS.sub(" ", text)), [])
    matches = matches or Matches(terms, analyzer)
    snippet = matches.snippets.get(text)
    if snippet is None:
        snippet = matches.snippets[text] = _snippet(_PARAGRAPH_BREAKS.sub(" ", text), matches)
    return snippet


def marked_words(text: str, terms: set[str], analyzer, matches: Matches | None = None):
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
    fragments = _best_windows(text, hits)
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


def _hits(text: str, matches: Matches) -> list[tuple[int, int]]:
    """Spans of the words any of whose terms (stem, parts, joined form) matched."""
    # One pass of the (slow) word pattern; the words are judged as a set.
    # (accumulate, compress: no Python code per word, a text has hundreds.)
    pieces = _WORDS_AND_GAPS.split(text[:MAX_SCAN_CHARS])
    words = pieces[1::2]
    matched = matches.among(set(words))
    if not matched:
        return []
    ends = list(accumulate(map(len, pieces)))  # a word starts where the gap before it ends
    return list(compress(zip(ends[0::2], ends[1::2]), map(matched.__contains__, words)))


def _best_windows(text: str, hits) -> list[tuple[int, int]]:
    """Up to MAX_FRAGMENTS windows with the most distinct matched words."""
    ends = [b for _, b in hits]  # ascending: words do not overlap
    lowered = [text[a:b].lower() for a, b in hits]
    windows = []
    for i, (s, _) in enumerate(hits):
        start = _word_start(text, max(0, s - FRAGMENT_CHARS // 4))
        end = _word_end(text, min(len(text), start + FRAGMENT_CHARS))
        count = len(set(lowered[i:bisect_right(ends, end)]))
        windows.append((count, -start, start, end))
    windows.sort(reverse=True)
    chosen: list[tuple[int, int]] = []
    for _, _, start, end in windows:
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
