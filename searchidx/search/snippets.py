"""Snippets: the best one or two fragments of an article's text with the
matched words marked. Matching is done on analysed terms, so a word found
through its stem, a compound part or a corrected typo is marked as written."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..analysis.fold import fold
from ..analysis.tokenize import WORD

FRAGMENT_CHARS = 180
MAX_FRAGMENTS = 2
_PARAGRAPH_BREAKS = re.compile(r"\s*\n\s*")
_SEPARATORS = re.compile(r"[-\u2010-\u2013'’.]")
MAX_SCAN_CHARS = 5_000  # where to look for matches: a news article's first 700 words


@dataclass
class Snippet:
    text: str
    spans: list[tuple[int, int]]  # [start, end) offsets of matched words in `text`


def make_snippet(text: str, terms: set[str], words, seen: dict | None = None) -> Snippet:
    """`terms`: analysed query terms; `words`: the field's WordCache; `seen`:
    word -> matched, shared by the snippets of one query."""
    if not text:
        return Snippet("", [])
    text = _PARAGRAPH_BREAKS.sub(" ", text)  # one line; spans refer to this text
    hits = _hits(text, terms, words, {} if seen is None else seen)
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


def _hits(text: str, terms: set[str], words, seen: dict) -> list[tuple[int, int]]:
    """Spans of the words any of whose terms (stem, parts, joined form) matched."""
    if not terms:
        return []
    entry = words.entry
    spans = []
    for m in WORD.finditer(text, 0, MAX_SCAN_CHARS):
        word = m.group()
        hit = seen.get(word)
        if hit is None:
            # Every term of a word (stem, part, joined form) is a substring of
            # its folded, unpunctuated spelling: analyse only words that pass.
            squashed = _SEPARATORS.sub("", fold(word.lower()))
            hit = seen[word] = (any(t in squashed for t in terms)
                                and any(t in terms for t, _ in entry(word)[0]))
        if hit:
            spans.append(m.span())
    return spans


def _best_windows(text: str, hits) -> list[tuple[int, int]]:
    """Up to MAX_FRAGMENTS windows with the most distinct matched words."""
    windows = []
    for i, (s, _) in enumerate(hits):
        start = _word_start(text, max(0, s - FRAGMENT_CHARS // 4))
        end = _word_end(text, min(len(text), start + FRAGMENT_CHARS))
        words = {text[a:b].lower() for a, b in hits[i:] if b <= end}
        windows.append((len(words), -start, start, end))
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
