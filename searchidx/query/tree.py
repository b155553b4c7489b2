"""The query tree: plain dataclasses from parsing to the backend.

    text --syntax.parse--> user nodes --rewrites--> analysed nodes --backend--> hits

User nodes say what was typed: Word, Phrase, Prefix, Wildcard, Fuzzy,
HasField, DateRange, combined by Bool. The rewrites (query/rewrites/) turn
them into analysed nodes, which name index fields and terms: WordQuery (one
typed word and the forms it may take in the index), PhraseQuery, TermSet
(the terms a prefix, wildcard or fuzzy word expands to), ColumnRange, and
Bool. A backend evaluates analysed nodes only.

Every node is immutable and hashable: a rewrite returns a new tree, and
results can be cached by node.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Union

# -- what was typed -----------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None  # None: the default fields
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    text: str  # without the `*`
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard:
    pattern: str  # `*` any letters, `?` one letter
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy:
    text: str
    edits: int = 1  # (as `Pjöngjang~` means)
    field: str | None = None
    boost: float = 1.0


@dataclass(frozen=True)
class HasField:
    """Articles that have a field at all (`kicker:*`)."""
    field: str
    boost: float = 1.0


@dataclass(frozen=True)
class DateRange:
    """Articles whose date (a day, or a whole month or year) overlaps
    [start, end], both YYYYMMDD integers, either open."""
    start: int | None = None
    end: int | None = None


# -- what the index holds ---------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where a word is looked for: an index field, with a boost; `span`
    limits it to a range of positions (one part of a field made of parts,
    such as the title in `head`), whose occurrences weigh `span_weight`.
    A word of several fields is scored over them as one (BM25F); a field's
    `bonus` adds that much of its own score (the title's words)."""
    field: str
    boost: float = 1.0
    span: tuple[int, int] | None = None
    span_weight: float = 1.0
    label: str = ""  # the field name as a user knows it (`title`)
    bonus: float = 0.0

    def __str__(self):
        name = self.label or self.field
        return name if self.boost == 1.0 else f"{name}^{self.boost:g}"


# Kinds of forms, strongest first: the word as typed (its inflections: the
# stem), a hyphenated word written joined, a plural or genitive the stemmer
# leaves apart, the word as a spaced phrase, its compound parts as words,
# the noun an adjective is made from or the other way (liberianisch, Liberia),
# the word as a part of longer compounds, one piece of a hyphenated word.
WHOLE, JOINED, VARIANT, SPLIT, PARTS, DERIVED, PART_OF, PIECE = (
    "word", "joined", "variant", "split", "parts", "derived", "part-of", "piece")
# The forms that find the word only in pieces (inside other words, or its
# own parts apart) or in a related word: a document they alone match holds
# something else.
LOOSE = frozenset({PART_OF, PIECE, DERIVED})


@dataclass(frozen=True)
class Form:
    """One way the index may hold a word: terms that must all occur in the
    same field (with `positions`: in that order, as a phrase). `alts` gives
    a term an alternative that may stand in its place (a compound part
    written as a word, or inside another compound: `diesel` or `_diesel`)."""
    kind: str
    terms: tuple[str, ...]
    weight: float = 1.0
    positions: tuple[int, ...] | None = None
    why: str = ""  # for --explain
    alts: tuple[str, ...] | None = None  # per term: its alternative, or ""

    def slots(self) -> list[tuple[str, ...]]:
        """Each required term with its alternative, if any, distinct in order."""
        alts = self.alts or ("",) * len(self.terms)
        out = []
        for t, a in zip(self.terms, alts):
            slot = (t, a) if a else (t,)
            if slot not in out:
                out.append(slot)
        return out

    def all_terms(self) -> tuple[str, ...]:
        return self.terms + tuple(a for a in self.alts or () if a)


@dataclass(frozen=True)
class WordQuery:
    """One query word: it matches a document if any form occurs in any target."""
    text: str
    targets: tuple[Target, ...]
    forms: tuple[Form, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class PhraseQuery:
    """Terms at relative positions (stop words leave gaps), with `slop`
    positions of play."""
    text: str
    targets: tuple[Target, ...]
    terms: tuple[str, ...]
    positions: tuple[int, ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class TermSet:
    """Any of these terms (a prefix, wildcard or fuzzy word expanded against
    the index): each match scores `boost`, as Lucene's constant-score rewrite.
    No terms: it matches nothing (`xyzq*`), unlike an empty Bool, which has
    nothing to search and is dropped (simplify)."""
    text: str  # as typed, e.g. `Rak*`
    targets: tuple[Target, ...]
    terms: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class ColumnRange:
    """Articles whose integer column lies in [low, high] (either open)."""
    column: str
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class ColumnBits:
    """Articles whose integer column has any of these bits set."""
    column: str
    bits: int
    boost: float = 1.0


@dataclass(frozen=True)
class MatchAll:
    boost: float = 1.0


# -- both ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bool:
    """must: all match (scores add up); should: optional, but without a must at
    least one matches, and with `coord` the score grows with the share of
    should clauses matched; must_not: none matches; filter: all match, no score."""
    must: tuple = ()
    should: tuple = ()
    must_not: tuple = ()
    filter: tuple = ()
    coord: bool = True
    boost: float = 1.0


Node = Union[Word, Phrase, Prefix, Wildcard, Fuzzy, HasField, DateRange, WordQuery, PhraseQuery,
             TermSet, ColumnRange, ColumnBits, MatchAll, Bool]
ANALYSED = (WordQuery, PhraseQuery, TermSet, ColumnRange, ColumnBits, MatchAll, Bool)


def children(node) -> tuple:
    if isinstance(node, Bool):
        return node.must + node.should + node.must_not + node.filter
    return ()


def transform(node, fn):
    """fn applied bottom-up: to every node after its children."""
    if isinstance(node, Bool):
        node = replace(node, must=tuple(transform(c, fn) for c in node.must),
                       should=tuple(transform(c, fn) for c in node.should),
                       must_not=tuple(transform(c, fn) for c in node.must_not),
                       filter=tuple(transform(c, fn) for c in node.filter))
    return fn(node)


def walk(node):
    """Every node, parents before children."""
    yield node
    for c in children(node):
        yield from walk(c)


def is_empty(node) -> bool:
    """A Bool with nothing to search (a word or phrase of stop words only)."""
    return isinstance(node, Bool) and not children(node)


def simplify(node):
    """Empty Bools dropped from the clauses around them (so that nothing to
    search neither matches every article nor, after `-`, excludes every one),
    and Bools of one clause replaced by it."""
    def visit(n):
        if type(n) is not Bool:
            return n
        must = tuple(c for c in n.must if not is_empty(c))
        should = tuple(c for c in n.should if not is_empty(c))
        must_not = tuple(c for c in n.must_not if not is_empty(c))
        filt = tuple(c for c in n.filter if not is_empty(c))
        if len(should) == 1 and not must and not must_not and not filt and n.boost == 1.0:
            return should[0]
        if len(must) == 1 and not should and not must_not and not filt and n.boost == 1.0:
            return must[0]
        return Bool(must, should, must_not, filt, n.coord, n.boost)

    return transform(node, visit)


def with_boost(node, boost: float):
    return node if boost == 1.0 else replace(node, boost=node.boost * boost)


# -- printing (--explain) -------------------------------------------------------------


def show(node, indent: str = "") -> str:
    """The tree as indented lines, in the query language where it has a form."""
    lines: list[str] = []
    _show(node, indent, lines)
    return "\n".join(lines)


def _boost(b: float) -> str:
    return "" if b == 1.0 else f"^{b:g}"


def _field(f: str | None) -> str:
    return f"{f}:" if f else ""


def _show(node, indent: str, out: list[str]):
    kind = type(node)
    if kind is Bool:
        head = "Bool" + (" (coordinated)" if node.coord and len(node.should) > 1 else "") + _boost(node.boost)
        out.append(indent + head)
        for name in ("must", "should", "must_not", "filter"):
            for c in getattr(node, name):
                out.append(f"{indent}  {name}:")
                _show(c, indent + "    ", out)
        return
    out.append(indent + label(node))
    if kind is WordQuery:
        for form in node.forms:
            terms = " ".join("|".join(slot) for slot in form.slots())
            if form.positions is not None:
                terms = f'"{terms}"'
            why = f"  ({form.why})" if form.why else ""
            out.append(f"{indent}  {form.kind:<8} {terms}  x{form.weight:g}{why}")


def label(node) -> str:
    """One line for a leaf node."""
    kind = type(node)
    if kind is Word:
        return f"Word {_field(node.field)}{node.text}{_boost(node.boost)}"
    if kind is Phrase:
        slop = f"~{node.slop}" if node.slop else ""
        return f'Phrase {_field(node.field)}"{" ".join(node.words)}"{slop}{_boost(node.boost)}'
    if kind is Prefix:
        return f"Prefix {_field(node.field)}{node.text}*{_boost(node.boost)}"
    if kind is Wildcard:
        return f"Wildcard {_field(node.field)}{node.pattern}{_boost(node.boost)}"
    if kind is Fuzzy:
        return f"Fuzzy {_field(node.field)}{node.text}~{node.edits}{_boost(node.boost)}"
    if kind is HasField:
        return f"HasField {node.field}"
    if kind is DateRange:
        return f"DateRange {node.start or ''}..{node.end or ''}"
    if kind is WordQuery:
        return f"WordQuery {node.text!r} in {', '.join(map(str, node.targets))}{_boost(node.boost)}"
    if kind is PhraseQuery:
        terms = " ".join(f"{t}@{p}" for t, p in zip(node.terms, node.positions))
        slop = f" slop {node.slop}" if node.slop else ""
        return (f'PhraseQuery "{node.text}" [{terms}]{slop} in '
                f"{', '.join(map(str, node.targets))}{_boost(node.boost)}")
    if kind is TermSet:
        shown = " ".join(node.terms[:8]) + (f" … ({len(node.terms)} terms)" if len(node.terms) > 8 else "")
        return f"TermSet {node.text} [{shown}] in {', '.join(map(str, node.targets))}{_boost(node.boost)}"
    if kind is ColumnRange:
        return f"ColumnRange {node.column} {node.low if node.low is not None else ''}..{node.high if node.high is not None else ''}"
    if kind is ColumnBits:
        return f"ColumnBits {node.column} & {node.bits:#x}"
    if kind is MatchAll:
        return "MatchAll"
    return repr(node)


__all__ = ["ANALYSED", "Bool", "ColumnBits", "ColumnRange", "DateRange", "Form", "Fuzzy", "HasField",
           "DERIVED", "JOINED", "LOOSE", "MatchAll", "Node", "PARTS", "PART_OF", "PIECE", "Phrase", "PhraseQuery", "Prefix", "SPLIT", "Target",
           "TermSet", "VARIANT", "WHOLE", "Wildcard", "Word", "WordQuery", "children",
           "is_empty", "label", "show", "simplify", "transform", "walk", "with_boost"]
