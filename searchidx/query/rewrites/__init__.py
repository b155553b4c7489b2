"""The German rewrites: each a function tree -> tree, in its own module,
run in this order by `rewrite`:

    spelling   a word neither the archive nor the lexicon knows -> the nearest known word
    forms      Word -> WordQuery: the word's stem, its hyphen pieces and joined
               form, plurals and genitives the stemmer leaves apart
    compounds  a compound also matches its parts (all of them, weighted lower)
    derivations
               an adjective also matches its noun, a noun its adjective (lower)
    spacing    words written apart also match written together, and the other way
    phrases    Phrase -> PhraseQuery: analysed terms at their positions
    multiterm  Prefix, Wildcard, Fuzzy -> TermSet: the index terms they match
    filters    DateRange, HasField -> column conditions

Each step records what it changed and why (Note), for --explain and the
notice a user sees ("Showing results for: …").
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .. import tree as T


@dataclass
class Note:
    step: str
    before: str
    after: str
    why: str

    def __str__(self):
        return f"{self.step}: {self.before} -> {self.after} ({self.why})"


@dataclass
class Context:
    """What the rewrites may ask of the index: term statistics (a backend
    Reader), the spelling vocabulary, and limits."""
    reader: object
    corrector: object = None  # spelling.Corrector; None: no typo correction
    max_expansion: int = 10_000
    notes: list[Note] = field(default_factory=list)
    corrected: object = None  # the tree after spelling (for "Showing results for")
    _df: dict = field(default_factory=dict)

    def df(self, field_name: str, term: str) -> int:
        key = (field_name, term)
        n = self._df.get(key)
        if n is None:
            if len(self._df) > 200_000:
                self._df.clear()
            n = self._df[key] = self.reader.doc_freq(field_name, term)
        return n

    def note(self, step: str, before: str, after: str, why: str) -> None:
        self.notes.append(Note(step, before, after, why))


def rewrite(node, ctx: Context, *, correct: bool = True):
    """The analysed tree of a parsed query; ctx.notes says what changed."""
    from . import compounds, derivations, filters, forms, multiterm, phrases, spacing, spelling

    if correct:
        node = spelling.correct(node, ctx)
    ctx.corrected = node
    node = forms.analyse(node, ctx)
    node = compounds.add_parts(node, ctx)
    node = derivations.add_derived(node, ctx)
    node = spacing.add_variants(node, ctx)
    node = phrases.analyse(node, ctx)
    node = multiterm.expand(node, ctx)
    node = filters.to_columns(node, ctx)
    return T.simplify(node)

