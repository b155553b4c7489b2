"""A compound also matches its parts, all of them, weighted lower than the
word itself: `Waffenlieferungen` finds `Lieferungen von Waffen`.

    Waffenlieferungen -> word waffenliefer, parts (waff AND liefer) x0.6

Requiring every part keeps a name like `Wagenknecht` from matching every
`Wagen`. (The index holds each compound's parts beside it, so a part typed
alone, `Bahnhof`, finds `Weltraumbahnhof` without any rewrite.)"""
from __future__ import annotations

from ...analysis.words import PART, WORD_KIND
from ...indexing import fields as F
from .. import tree as T

PARTS_WEIGHT = 0.6


def add_parts(node, ctx):
    def visit(n):
        if type(n) is T.WordQuery and all(t.field in F.GERMAN_FIELDS for t in n.targets):
            parts = part_forms(n.text, None)
            if parts:
                return T.WordQuery(n.text, n.targets, n.forms + parts, n.boost)
        return n

    return T.transform(node, visit)


def part_forms(text: str, field: str | None) -> tuple[T.Form, ...]:
    """The parts of a one-piece compound, as one form (all required)."""
    if field in F.NAME_FIELDS:
        return ()
    tokens, width = F.analyzer_of(field).analyse(text)
    if width != 1:
        return ()
    pieces = [t for t in tokens if t.kind == WORD_KIND]
    parts = tuple(dict.fromkeys(t.text for t in tokens if t.kind == PART and t.pos == 0))
    if len(pieces) != 1 or not parts:
        return ()
    return (T.Form(T.PARTS, parts, PARTS_WEIGHT, why="its compound parts"),)
