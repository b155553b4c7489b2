"""An adjective in -isch also matches the noun it is made from, and a noun
its adjective, weighted below the word itself:

    liberianischen -> word liberianisch, derived liberia x0.5
    griechisch     -> word griechisch, derived griech (Griechen), griechenland x0.5
    Russland       -> word russland, derived russisch x0.5

A question or a search names a place, a people or a field by its adjective
(`die liberianische Bevölkerung`, `russische Raketen`, `politisch`) where an
article names it by the noun (`in Liberia leben`, `Raketen aus Russland`,
`Politik`), or the other way. German makes these adjectives with a few
suffixes (-isch, -anisch, -esisch) on the noun, often after a change at its
end (Spanien: spanisch, Griechenland: griechisch, Mexiko: mexikanisch). Each
pair below undoes or makes one such suffix; a candidate counts only where
the index holds it, so a pair that does not apply to a word mostly finds
nothing. Irregular pairs are not made (Deutschland: deutsch, Frankreich:
französisch, England: englisch, Polen: polnisch). Adjectives in -lich are
left alone: too many drifted from their noun (natürlich, endlich, nämlich,
tatsächlich).

A derived form is loose (tree.LOOSE): an article that has only it counts
half again, below the articles that have the word itself. A word to be
excluded (`-Russland`) excludes the word only, not its derivations.
"""
from __future__ import annotations

from dataclasses import replace

from ...analysis.fold import fold
from ...indexing import fields as F
from .. import tree as T

DERIVED_WEIGHT = 0.5
MAX_DERIVED = 3
_MIN_BASE = 3  # letters the noun and adjective share at least (not `sp` of Spanien)

# (the noun's end, the adjective's end) after a shared base, as folded words:
# russ|land russ|isch, liberi|a liberi|anisch, mexik|o mexik|anisch
_PAIRS = (
    ("", "isch"), ("en", "isch"), ("ien", "isch"), ("land", "isch"), ("enland", "isch"),
    ("ei", "isch"), ("n", "isch"), ("a", "isch"), ("e", "isch"), ("ik", "isch"),
    ("ie", "isch"), ("is", "isch"),
    ("a", "anisch"), ("o", "anisch"), ("ien", "anisch"),
    ("", "esisch"), ("a", "esisch"), ("ien", "esisch"),
    ("", "erisch"),
)


def add_derived(node, ctx):
    """Derived forms for the words to find (not for those to exclude)."""
    if type(node) is T.Bool:
        return replace(node, must=tuple(add_derived(c, ctx) for c in node.must),
                       should=tuple(add_derived(c, ctx) for c in node.should),
                       filter=tuple(add_derived(c, ctx) for c in node.filter))
    if type(node) is T.WordQuery and all(t.field in F.GERMAN_FIELDS and t.span is None
                                         for t in node.targets):
        extra = derived_forms(node, ctx)
        if extra:
            return T.WordQuery(node.text, node.targets, node.forms + extra, node.boost)
    return node


def derived_forms(q: T.WordQuery, ctx) -> tuple[T.Form, ...]:
    """The nouns an adjective may come from, or the adjectives a noun may
    make, that the index holds (at most MAX_DERIVED)."""
    whole = [f for f in q.forms if f.kind == T.WHOLE and len(f.terms) == 1]
    if len(whole) != 1:
        return ()
    term = whole[0].terms[0]
    if term.endswith("isch"):
        if any(f.kind == T.PARTS for f in q.forms):
            return ()  # a compound noun: Verhandlungs|tisch, Schreib|tisch
        candidates = _nouns(term)
        why = "the noun the adjective is made from"
    else:
        candidates = _adjectives((fold(q.text.lower()), term))
        why = "the adjective made from the noun"
    fields = [t.field for t in q.targets]
    analyzer = F.analyzer_of(None)
    seen = {f.terms[0] for f in q.forms if len(f.terms) == 1}
    out: list[T.Form] = []
    for word, base in dict.fromkeys(candidates):
        terms = analyzer.query_terms(word)
        if len(terms) != 1 or terms[0] in seen or not terms[0].startswith(base):
            continue  # (a noun the stemmer cuts into the base is another word: armen|isch, arm)
        seen.add(terms[0])
        if any(ctx.df(f, terms[0]) for f in fields):
            out.append(T.Form(T.DERIVED, terms, DERIVED_WEIGHT * whole[0].weight, why=why))
            if len(out) == MAX_DERIVED:
                break
    return tuple(out)


def _nouns(adjective: str):
    """(noun, the base it shares with the adjective) for each pair that fits."""
    for noun_end, adj_end in _PAIRS:
        if adjective.endswith(adj_end):
            base = adjective[:-len(adj_end)]
            if len(base) >= _MIN_BASE:
                yield base + noun_end, base


def _adjectives(nouns):
    """(adjective, "") for each pair that fits one of the nouns (the typed
    word and its stem: Spanien gives spanisch, Italien italienisch)."""
    for noun in nouns:
        if not noun.isalpha():
            continue
        for noun_end, adj_end in _PAIRS:
            if noun.endswith(noun_end):
                base = noun[:len(noun) - len(noun_end)]
                if len(base) >= _MIN_BASE:
                    yield base + adj_end, ""
