"""Typo correction: a query word the index does not know is replaced by the
closest known word (edit distance by length, ties by frequency), or split
in two known words (`Hongkong` -> `Hong Kong`). Known words are never
corrected. A compound the archive lacks but whose parts it holds
(`Bürgergeld`) is corrected only one edit away; else it is searched by its
parts, and the user is told ("absent" notes)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from functools import cached_property
from typing import Callable

from ...analysis.fold import fold
from ...analysis.stopwords import GERMAN as STOP_WORDS
from .. import tree as T
from .forms import QUESTION_WORDS

MIN_SPLIT = 4  # shortest half when splitting an unknown word in two
MAX_TOP = 20   # nearest candidates compared by frequency


def max_edits(word: str) -> int:
    n = len(word)
    return 0 if n <= 3 else 1 if n <= 7 else 2


def correctable(word: str) -> bool:
    """Words of 3 to 40 letters (no digits, no hyphen) are corrected."""
    return 3 <= len(word) <= 40 and word.isalpha()


class Corrector:
    """`words()`: the spelling vocabulary (word -> count), read on first use;
    `is_known(word)`: whether the index holds the word; `has_parts(word)`:
    whether it holds the word's compound parts."""

    def __init__(self, words: Callable[[], dict], is_known: Callable[[str], bool],
                 has_parts: Callable[[str], bool] = lambda word: False):
        self._words = words
        self.is_known = is_known
        self.has_parts = has_parts

    @cached_property
    def _choices(self):
        """(folded words sorted by length, so an edit-distance window is a
        slice; for each [most frequent spelling, its count, total count, place
        in the vocabulary]; their lengths)."""
        vocab = self._words()
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
        """The correction of `word` (maybe two words), or None. A word the
        archive holds, or German has (the lexicon), is never corrected:
        a rare word is not a typo of a frequent one."""
        if self.is_known(word) or in_lexicon(word):
            return None
        closest = self._closest(word)
        if closest and closest[1] <= 1:
            return closest[0]
        if self.has_parts(word):  # a new compound (Bürgergeld), not a typo: its parts
            return None
        return split_in_two(word, self.is_known) or (closest[0] if closest else None)

    def _closest(self, word: str) -> tuple[str, int] | None:
        """The known word nearest to `word`, and its edit distance; never a
        stop word (`FBIs` is not `bis`: it would search nothing)."""
        limit = max_edits(word)
        if not limit:
            return None
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        keys, entries, lengths = self._choices
        target = fold(word.lower())
        # An edit changes the length by one at most: only that window can be near.
        lo = bisect_left(lengths, len(target) - limit)
        hi = bisect_right(lengths, len(target) + limit)
        found = process.extract(target, keys[lo:hi], scorer=OSA.distance, score_cutoff=limit,
                                limit=None)
        # The nearest, ties in vocabulary order (word order: see indexing.vocabulary).
        found = sorted((dist, entries[lo + i][3], lo + i) for _, dist, i in found)[:MAX_TOP]
        best = None
        for dist, _, i in found:
            spelling, _, total, _ = entries[i]
            rank = (dist, -total)
            if (best is None or rank < best[0]) and spelling.lower() not in STOP_WORDS \
                    and self.is_known(spelling):
                best = (rank, spelling)
        if best is None:
            return None
        return _match_case(best[1], word), best[0][0]


def in_lexicon(word: str) -> bool:
    from ...analysis.decompound import load_lexicon

    return fold(word.lower()) in load_lexicon()


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


def correct(node, ctx):
    """Words of the default fields, and in phrases, corrected; a word
    corrected to two words becomes two words (in a phrase: two of its words)."""
    corrector = ctx.corrector
    if corrector is None:
        return node

    def fix(text: str) -> list[str]:
        if not correctable(text):
            return [text]
        new = corrector.correct_word(text)
        if new and new.lower() != text.lower():
            ctx.note("spelling", text, new, "not in the archive; the nearest word that is")
            return new.split()
        if not corrector.is_known(text) and text.lower() not in QUESTION_WORDS:
            if corrector.has_parts(text):
                ctx.note("absent", text, "its parts", "not in the archive as one word; "
                         "searched for its compound parts")
            else:
                ctx.note("absent", text, "nothing", "not in the archive")
        return [text]

    def visit(n):
        kind = type(n)
        if kind is T.Word and n.field is None:
            words = fix(n.text)
            if len(words) == 1:
                return T.Word(words[0], n.field, n.boost) if words[0] != n.text else n
            return T.Bool(should=tuple(T.Word(w, n.field, n.boost) for w in words))
        if kind is T.Phrase and n.field is None:
            words = tuple(w for word in n.words for w in fix(word))
            return n if words == n.words else T.Phrase(words, n.field, n.slop, n.boost)
        if kind is T.Bool:  # a word split in two: two clauses of its parent
            return _splice(n)
        return n

    return T.transform(node, visit)


def _splice(n: T.Bool) -> T.Bool:
    def flat(clauses):
        out = []
        for c in clauses:
            if type(c) is T.Bool and c.coord and not c.must and not c.must_not and not c.filter \
                    and c.boost == 1.0 and all(type(x) is T.Word for x in c.should):
                out += c.should
            else:
                out.append(c)
        return tuple(out)

    return T.Bool(n.must, flat(n.should), n.must_not, n.filter, n.coord, n.boost)
