"""Queries without syntax, built directly as Whoosh's parser would build them.

The parser tries each of its taggers at every character of a query, then
runs its filters over the nodes and normalises the query with deep copies:
most of a query's parsing time. Words without syntax (and the groups of
spacing variants, `(Hongkong OR "Hong Kong"^0.4)`) need none of that: each
word is searched in every default field, each group is one coordinated
word. Tests compare these queries with the parser's.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from whoosh import qparser, query as Q

from .. import engine
from .coord import CoordOr

MAX_REMEMBERED = 20_000  # word queries per parser; cleared when full

# Field names, wildcards, groups, phrases, quotes, boosts, fuzzy terms, ranges.
_SYNTAX = re.compile("[%s]" % re.escape(":*()\"'^~[]{}\\" + qparser.WildcardPlugin.qmarks))
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"})
_FIELD_LIKE = re.compile(r"\w+:")  # `Handball:` is text unless a field (or alias) has that name


class Phrase(NamedTuple):
    text: str
    boost: float


def is_plain(word: str, fieldnames=frozenset()) -> bool:
    """True if the parser reads `word` (no spaces) as one plain word;
    `fieldnames`: the names it reads as fields (aliases too)."""
    if _FIELD_LIKE.fullmatch(word):
        return word[:-1] not in fieldnames
    # + and - are operators before a word, a lone dash (`Krise - Start`) is text
    return (bool(word) and (word[0] not in "+-" or len(word) == 1)
            and word not in _OPERATORS and not _SYNTAX.search(word))


def words_query(parser, groups: list[list[str | Phrase]]) -> Q.Query:
    """The query for `groups` (per query word, its alternatives: plain words
    or phrases), as the parser reads `a (b OR c OR "d e"^0.4)`."""
    fields = [(f, engine.FIELD_BOOSTS.get(f, 1.0)) for f in engine.DEFAULT_FIELDS]
    remembered = _remembered(parser)
    per_group = []
    for group in groups:
        key = tuple(group)
        q = remembered.get(key)
        if q is None:
            if len(remembered) >= MAX_REMEMBERED:
                remembered.clear()
            alternatives = [_in_fields(parser, fields, a) for a in group]
            q = alternatives[0] if len(alternatives) == 1 else _or(alternatives)
            q = remembered[key] = q.normalize()
        per_group.append(q)
    return _coordinated(per_group)


def _remembered(parser) -> dict:
    """The parser's normalised queries per group: batch queries share words,
    and building and normalising a word's query in every field is most of
    the time here. The queries are shared: never change them."""
    try:
        return parser._word_queries
    except AttributeError:
        parser._word_queries = {}
        return parser._word_queries


def _coordinated(subqueries: list[Q.Query]) -> Q.Query:
    """CoordOr(subqueries).normalize() for normalised word queries (none a
    CoordOr, Every or range): duplicates and null queries dropped as Whoosh's
    Or.normalize drops them, without normalising each word's query again."""
    subqs, seen = [], set()
    for q in subqueries:
        if q is not Q.NullQuery and q not in seen:
            seen.add(q)
            subqs.append(q)
    if not subqs:
        return Q.NullQuery
    if len(subqs) == 1:
        sub = subqs[0]
        boost = getattr(sub, "boost", 1.0)
        return sub if boost == 1.0 else sub.with_boost(boost)
    return CoordOr(subqs)


def _in_fields(parser, fields, alternative: str | Phrase) -> Q.Query:
    if isinstance(alternative, str):
        return _or(q for q in (parser.term_query(f, alternative, Q.Term, boost)
                               for f, boost in fields) if q is not None)
    phrases = []
    for f, boost in fields:
        node = parser.phrase_node(alternative.text, 0)
        node.set_fieldname(f)
        node.set_boost(boost)
        phrases.append(node.query(parser))
    return Q.Or(phrases, boost=alternative.boost)


def _or(queries) -> Q.Or:
    """Q.Or(queries), with nested Ors of boost 1 spliced in as Or.normalize
    would splice them, but without its deep copy of each (the one
    normalisation at the end dedupes and drops as it would have)."""
    out = []
    for q in queries:
        if type(q) is Q.Or and q.boost == 1.0:
            out += q.subqueries
        else:
            out.append(q)
    return Q.Or(out)
