"""Typo tolerance: a query word the index does not know is replaced by the
closest known word (edit distance by length, ties by frequency). Known words
are never corrected."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cached_property

from ..analysis.fold import fold
from .. import vocabulary

_WORD = re.compile(r"(?<![\w:*~])([^\W\d_]{3,40})(?![\w:*~])")
MIN_SPLIT = 4  # shortest half when splitting an unknown word in two
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}


def max_edits(word: str) -> int:
    n = len(word)
    return 0 if n <= 4 else 1 if n <= 7 else 2


class Corrector:
    def __init__(self, gen_path: str, is_known):
        self.gen_path = gen_path
        self.is_known = is_known  # word -> bool, checked against the index

    @cached_property
    def _choices(self):
        """(folded words sorted by length, so an edit-distance window is a
        slice; for each [most frequent spelling, its count, total count, place
        in the vocabulary]; their lengths)."""
        vocab = vocabulary.load(self.gen_path)
        # Folded at once, a word a line: folding looks at no more than a letter pair.
        folded = fold("\n".join(vocab)).split("\n") if vocab else []
        by_fold: dict[str, list] = {}
        for key, (word, count) in zip(folded, vocab.items()):
            entry = by_fold.get(key)
            if entry is None:
                by_fold[key] = [word, count, count, len(by_fold)]
            else:
                entry[2] += count
                if count > entry[1]:
                    entry[0], entry[1] = word, count
        keys = sorted(by_fold, key=len)
        return keys, [by_fold[k] for k in keys], [len(k) for k in keys]

    def correct_word(self, word: str) -> str | None:
        if self.is_known(word):
            return None
        closest = self._closest(word)
        if closest and closest[1] <= 1:
            return closest[0]
        return self._split(word) or (closest[0] if closest else None)

    def _split(self, word: str) -> str | None:
        """`Hongkong` -> `Hong Kong` when the index knows both halves and not the whole."""
        return split_in_two(word, self.is_known)

    def _closest(self, word: str) -> tuple[str, int] | None:
        """The known word nearest to `word`, and its edit distance."""
        limit = max_edits(word)
        if not limit:
            return None
        from rapidfuzz.distance import OSA
        from rapidfuzz import process

        keys, entries, lengths = self._choices
        target = fold(word.lower())
        # An edit changes the length by one at most: only that window can be near.
        lo = bisect_left(lengths, len(target) - limit)
        hi = bisect_right(lengths, len(target) + limit)
        found = process.extract(target, keys[lo:hi], scorer=OSA.distance, score_cutoff=limit,
                                limit=None)
        # The 20 nearest, ties in vocabulary order (word order: vocabulary.save).
        found = sorted((dist, entries[lo + i][3], lo + i) for _, dist, i in found)[:20]
        best = None
        for dist, _, i in found:
            spelling, _, total, _ = entries[i]
            rank = (dist, -total)
            if (best is None or rank < best[0]) and self.is_known(spelling):
                best = (rank, spelling)
        if best is None:
            return None
        return _match_case(best[1], word), best[0][0]

    def correct(self, text: str) -> str | None:
        """The query with unknown words corrected, or None if nothing changed."""
        changed = False

        def fix(m):
            nonlocal changed
            word = m.group(1)
            if word in _OPERATORS:
                return word
            new = self.correct_word(word)
            if new and new.lower() != word.lower():
                changed = True
                return new
            return word

        out = _WORD.sub(fix, text)
        return out if changed else None


def split_in_two(word: str, known) -> str | None:
    """`word` as two words that `known` accepts (`Hongkong` -> `Hong Kong`), or None."""
    for i in range(MIN_SPLIT, len(word) - MIN_SPLIT + 1):
        if known(word[:i]) and known(word[i:]):
            return f"{word[:i]} {_match_case(word[i:], word)}"
    return None


def _match_case(word: str, like: str) -> str:
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
