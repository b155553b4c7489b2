"""An adjective also matches the noun it is made from, and a noun its
adjective in -isch, weighted below the word itself:

    liberianischen -> word liberianisch, derived liberia x0.5
    griechisch     -> word griechisch, derived griech (Griechen), griechenland x0.5
    Russland       -> word russland, derived russisch x0.5
    staatlich      -> word staatlich, derived staat x0.5

A derived form is loose (tree.LOOSE): an article that has only it counts
half again, below the articles that have the word itself.

A question or a search names a place or a thing by its adjective (`die
liberianische Bevölkerung`, `russische Raketen`) where an article names it
by the noun (`in Liberia leben`, `Raketen aus Russland`), or the other way.
German makes these adjectives with a few suffixes (-isch, -anisch, -esisch,
-lich) on the noun, often after a change at its end (Spanien: spanisch,
Griechenland: griechisch, Mexiko: mexikanisch). Each pair below undoes or
makes one such suffix; a candidate counts only where the index holds it,
so a pair that does not apply to a word mostly finds nothing."""
from __future__ import annotations

from ...analysis.fold import fold
from ...indexing import fields as F
from .. import tree as T

DERIVED_WEIGHT = 0.5
MAX_DERIVED = 3
_MIN_BASE = 3  # letters the noun and adjective share at least (not `sp` of Spanien)

# (the noun's end, the adjective's end) after a shared base, as folded words:
# russ|land russ|isch, liberi|a liberi|anisch, staat| staat|lich. An adjective
# in -lich often drifted from its noun (nämlich, endlich, kürzlich, ländlich):
# it still finds its noun (staatlich: Staat), but a noun does not look for it.
_ISCH = (
    ("", "isch"), ("en", "isch"), ("ien", "isch"), ("land", "isch"), ("enland", "isch"),
    ("ei", "isch"), ("n", "isch"), ("a", "isch"), ("e", "isch"), ("ik", "isch"),
    ("ie", "isch"), ("is", "isch"),
    ("a", "anisch"), ("o", "anisch"), ("ien", "anisch"),
    ("", "esisch"), ("a", "esisch"), ("ien", "esisch"),
    ("", "erisch"),
)
_LICH = (("", "lich"), ("e", "lich"))
_ADJECTIVE_ENDS = ("isch", "lich")


def add_derived(node, ctx):
    def visit(n):
        if type(n) is T.WordQuery and all(t.field in F.GERMAN_FIELDS and t.span is None
                                          for t in n.targets):
            extra = derived_forms(n, ctx)
            if extra:
                return T.WordQuery(n.text, n.targets, n.forms + extra, n.boost)
        return n

    return T.transform(node, visit)


def derived_forms(q: T.WordQuery, ctx) -> tuple[T.Form, ...]:
    """The nouns an adjective may come from, or the adjectives a noun may
    make, that the index holds (at most MAX_DERIVED)."""
    whole = [f for f in q.forms if f.kind == T.WHOLE and len(f.terms) == 1]
    if len(whole) != 1:
        return ()
    term = whole[0].terms[0]
    if term.endswith(_ADJECTIVE_ENDS):
        candidates = _nouns(term)
        why = "the noun the adjective is made from"
    else:
        candidates = _adjectives((fold(q.text.lower()), term))
        why = "the adjective made from the noun"
    fields = [t.field for t in q.targets]
    analyzer = F.analyzer_of(None)
    seen = {f.terms[0] for f in q.forms if len(f.terms) == 1}
    out: list[T.Form] = []
    for word in dict.fromkeys(candidates):
        terms = analyzer.query_terms(word)
        if len(terms) != 1 or terms[0] in seen:
            continue
        seen.add(terms[0])
        if any(ctx.df(f, terms[0]) for f in fields):
            out.append(T.Form(T.DERIVED, terms, DERIVED_WEIGHT * whole[0].weight, why=why))
            if len(out) == MAX_DERIVED:
                break
    return tuple(out)


def _nouns(adjective: str):
    for noun_end, adj_end in _ISCH + _LICH:
        if adjective.endswith(adj_end):
            base = adjective[:-len(adj_end)]
            if len(base) >= _MIN_BASE:
                yield base + noun_end


def _adjectives(nouns):
    for noun in nouns:
        if not noun.isalpha():
            continue
        for noun_end, adj_end in _ISCH:
            if noun.endswith(noun_end):
                base = noun[:len(noun) - len(noun_end)]
                if len(base) >= _MIN_BASE:
                    yield base + adj_end
