"""Phrase -> PhraseQuery: the analysed terms at their positions. Stop words
leave gaps, as in the index: `"Hand in Hand"` is hand at 0, hand at 2.
A phrase of one word is that word exactly: its stem, no parts or variants."""
from __future__ import annotations

from ...indexing import fields as F
from .. import tree as T


def analyse(node, ctx):
    def visit(n):
        if type(n) is not T.Phrase:
            return n
        analyzer = F.analyzer_of(n.field)
        found = analyzer.phrase(" ".join(n.words))
        if not found:
            return T.Bool()
        targets = F.targets(n.field)
        terms = tuple(t for t, _ in found)
        if len(found) == 1:
            return T.WordQuery(n.words[0] if len(n.words) == 1 else " ".join(n.words), targets,
                               (T.Form(T.WHOLE, terms, why="quoted: the word itself"),), n.boost)
        return T.PhraseQuery(" ".join(n.words), targets, terms, tuple(p for _, p in found),
                             n.slop, n.boost)

    return T.transform(node, visit)
