"""Compounds, both ways, each weighted below the word itself:

    Waffenlieferungen -> word waffenliefer, parts (waff|_waff AND liefer|_liefer) x0.6
    Bahnhof           -> word bahnhof, part-of _bahnhof x0.4

A compound also matches its parts written as words, all of them
(`Lieferungen von Waffen`; requiring every part keeps a name like
`Wagenknecht` from matching every `Wagen`). A word also matches compounds
it is a part of (the index marks their parts: Weltraumbahnhof holds
`_bahnhof`), below articles that have the word itself: `Hand` finds
Handball, after Hand."""
from __future__ import annotations

from ...analysis.words import PART, PART_MARK, WORD_KIND
from ...indexing import fields as F
from .. import tree as T

PARTS_WEIGHT = 0.6
PART_OF_WEIGHT = 0.4


def add_parts(node, ctx):
    def visit(n):
        if type(n) is T.WordQuery and all(t.field in F.GERMAN_FIELDS for t in n.targets):
            extra = part_forms(n.text, None) + part_of_forms(n, ctx)
            if extra:
                return T.WordQuery(n.text, n.targets, n.forms + extra, n.boost)
        return n

    return T.transform(node, visit)


def part_of_forms(q: T.WordQuery, ctx) -> tuple[T.Form, ...]:
    """The word as a part of longer compounds, where the index has it so."""
    out = []
    fields = [t.field for t in q.targets]
    for form in q.forms:
        if form.kind == T.WHOLE and len(form.terms) == 1:
            term = PART_MARK + form.terms[0]
            if any(ctx.df(f, term) for f in fields):
                out.append(T.Form(T.PART_OF, (term,), PART_OF_WEIGHT * form.weight,
                                  why="a part of longer compounds"))
    return tuple(out)


def part_forms(text: str, field: str | None) -> tuple[T.Form, ...]:
    """The parts of a one-piece compound, as one form (all required)."""
    if field in F.NAME_FIELDS:
        return ()
    tokens, width = F.analyzer_of(field).analyse(text)
    if width != 1:
        return ()
    pieces = [t for t in tokens if t.kind == WORD_KIND]
    # the parts as words (their terms without the part mark)
    parts = tuple(dict.fromkeys(t.text[len(PART_MARK):] for t in tokens
                                if t.kind == PART and t.pos == 0))
    if len(pieces) != 1 or not parts:
        return ()
    # each part as a word, or inside another compound (`Verbot von Dieselfahrzeugen`)
    return (T.Form(T.PARTS, parts, PARTS_WEIGHT, why="its compound parts",
                   alts=tuple(PART_MARK + p for p in parts)),)
