"""The query language: Whoosh's parser with the plugins it needs, plus German
field names and date ranges.

    Putin Kim            any of the words; documents with more of them rank higher
    "Hand in Hand"       phrase          +word / -word, AND OR NOT, ( )
    Rak*  Pjöngjang~     prefix, fuzzy   title: author:/autor: tag: lead: body:
    date:2023  date:2023-09  date:2023-01..2024-06   (month dates cover the month)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from whoosh import qparser, query as Q
from whoosh.qparser import syntax

from .. import engine
from ..errors import QueryError
from ..readers.dates import parse_iso
from . import parts, plain, words
from .coord import CoordOrGroup

MAX_QUERY_CHARS = 1000  # Whoosh's parser slows down sharply on very long input
# Fields a query may name (besides the aliases below); the rest are internal.
SEARCHABLE_FIELDS = frozenset(engine.GERMAN_FIELDS) | {"tags", "authors", "location"}
FIELD_NAMES = "title, kicker, lead, body, caption, author, tag, ort"
FIELD_ALIASES = {"authors": ["author", "autor", "autoren"], "tags": ["tag"],
                 "location": ["ort", "place"], "image_caption": ["caption", "bild"],
                 "kicker": ["dachzeile"], "title": ["titel"]}
# `date:2023`, also `-date:2023` / `NOT date:2023` (excluded); parentheses are not part of it.
_DATE_TERM = re.compile(r"(?<![^\s(])(?:(-|NOT\s+))?date:([^\s()]*)")


@dataclass
class DateRange:
    start: int | None = None  # YYYYMMDD, inclusive
    end: int | None = None

    def query(self) -> Q.Query | None:
        """Documents whose date range overlaps this one."""
        parts = []
        if self.end is not None:
            parts.append(Q.NumericRange("date_start", None, self.end))
        if self.start is not None:
            parts.append(Q.NumericRange("date_end", self.start, None))
        return Q.And(parts) if parts else None


def date_bound(text: str, end: bool) -> int:
    """`2023` / `2023-09` / `2023-09-13` as the first (or last) day it covers."""
    iso = parse_iso(text)
    if not iso:
        raise QueryError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    start, stop = engine.date_bounds(iso)
    return stop if end else start


def parse_date_range(text: str) -> DateRange:
    lo, sep, hi = text.partition("..")
    if not sep:
        return DateRange(date_bound(text, False), date_bound(text, True))
    return DateRange(date_bound(lo, False) if lo else None, date_bound(hi, True) if hi else None)


class GermanQueryParser(qparser.QueryParser):
    """Plain words become `words.word_query` (compound and hyphen alternatives);
    wildcards, fuzzy terms and phrases go through Whoosh unchanged."""

    @staticmethod
    def phrase_node(text: str, startchar: int):
        """The node a phrase tagger would make for `"text"` at `startchar`."""
        return GapPhraseNode(text, startchar + 1).set_range(startchar, startchar + len(text) + 2)

    fieldnames: frozenset[str] = frozenset()  # the schema's and their aliases
    word_forms: words.WordForms | None = None
    word_forms_fields: frozenset[str] = frozenset()  # fields whose analyzer it is

    def term_query(self, fieldname, text, termclass, boost=1.0, tokenize=True,
                   removestops=True):
        if fieldname not in SEARCHABLE_FIELDS:
            raise QueryError(f"unknown field {fieldname!r} (use one of: {FIELD_NAMES})")
        field = self.schema[fieldname]
        if tokenize and termclass is Q.Term and fieldname in engine.GERMAN_FIELDS:
            forms = self.word_forms if fieldname in self.word_forms_fields else None
            return words.word_query(field.analyzer, fieldname, text, boost, forms)
        return super().term_query(fieldname, text, termclass, boost, tokenize, removestops)


class PlusMinusPlugin(qparser.PlusMinusPlugin):
    """Whoosh's plugin, but also inside ( ) groups, and the optional words keep
    the parser's group (coordination)."""

    def do_plusminus(self, parser, group):
        for i, node in enumerate(group.nodes):
            if type(node) is parser.group:  # a user's ( ... ), not a word's field group
                group.nodes[i] = self.do_plusminus(parser, node)
        result = super().do_plusminus(parser, group)
        if type(result) is syntax.OrGroup:
            return parser.group(list(result))
        if isinstance(result, syntax.BinaryGroup):
            for i, node in enumerate(result.nodes):
                if type(node) is syntax.OrGroup and i == 0:
                    result.nodes[i] = parser.group(list(node))
                elif isinstance(node, syntax.AndMaybeGroup) and type(node.nodes[1]) is syntax.OrGroup:
                    node.nodes[1] = parser.group(list(node.nodes[1]))
        return result


class GapPhraseNode(qparser.PhrasePlugin.PhraseNode):
    """Stop words leave position gaps in the index: `"Hand in Hand"` is
    `hand _ hand`, so the phrase's slop grows by the gaps it has."""

    def query(self, parser):
        q = super().query(parser)
        field = parser.schema[q.fieldname] if parser.schema and q.fieldname in parser.schema else None
        if isinstance(q, Q.Phrase) and field is not None and field.analyzer:
            positions = [t.pos for t in field.tokenize(self.text, mode="query", positions=True)]
            if positions:
                q.slop += (positions[-1] - positions[0] + 1) - len(positions)
        return q


class GapPhrasePlugin(qparser.PhrasePlugin):
    class PhraseTagger(qparser.PhrasePlugin.PhraseTagger):
        def create(self, parser, match):
            node = super().create(parser, match)
            return GapPhraseNode(node.text, node.textstartchar, node.slop)


def make_parser(schema, word_forms: words.WordForms | None = None) -> qparser.QueryParser:
    """`word_forms`: analyses to share with the caller (for fields with its analyzer)."""
    parser = GermanQueryParser(None, schema, group=CoordOrGroup)
    parser.fieldnames = frozenset(schema.names()).union(*FIELD_ALIASES.values())
    if word_forms is not None:
        parser.word_forms = word_forms
        parser.word_forms_fields = frozenset(
            name for name in engine.GERMAN_FIELDS
            if name in schema and schema[name].analyzer == word_forms.analyzer)
    parser.add_plugin(qparser.MultifieldPlugin(list(engine.DEFAULT_FIELDS),
                                               fieldboosts=engine.FIELD_BOOSTS))
    # `+`/`-` are operators only at the start of a word: `Kim-Regime` is one word.
    parser.add_plugin(PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+(?=\S)",
                                      minusexpr=r"(?<![^\s(])-(?=\S)"))
    parser.add_plugin(qparser.FuzzyTermPlugin())
    parser.remove_plugin_class(qparser.PhrasePlugin)
    parser.add_plugin(GapPhrasePlugin())
    parser.add_plugin(qparser.FieldAliasPlugin(FIELD_ALIASES))
    parser.remove_plugin_class(qparser.RangePlugin)  # `date:a..b` is ours; [a TO b] confuses users
    return parser


_TRAILING_QUESTION = re.compile(r"(?<=[^\W\d_])\?+(?=[\s)\"]|$)")


def drop_question_marks(text: str) -> str:
    """`Wo liegt Basel?` is a question, not a wildcard: a `?` that ends a word
    is punctuation. Inside a word (`M?ller`) it still matches one letter."""
    return _TRAILING_QUESTION.sub("", text)


def split_dates(text: str) -> tuple[str, list[DateRange], list[DateRange]]:
    """Take `date:` terms out of the query text: (rest, required, excluded)."""
    required, excluded = [], []
    for m in _DATE_TERM.finditer(text):
        (excluded if m.group(1) else required).append(parse_date_range(m.group(2)))
    return _DATE_TERM.sub(" ", text), required, excluded


def shorten(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def check_length(text: str):
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text)} characters (the limit is {MAX_QUERY_CHARS})")


def parse(parser, text: str) -> Q.Query:
    words = text.split()
    if isinstance(parser, GermanQueryParser) and words and all(
            plain.is_plain(w, parser.fieldnames) for w in words):
        return plain.words_query(parser, [[w] for w in words])  # (no NOT, boosts positive)
    try:
        q = parser.parse(text)
    except QueryError:
        raise
    except Exception as e:  # Whoosh raises assorted errors on odd syntax
        raise QueryError(f"cannot parse query {shorten(text)}: {e}") from None
    return from_parser(q, parser.schema)


def from_parser(q: Q.Query, schema) -> Q.Query:
    """The query Whoosh's parser built, as searchidx searches it: NOTs lifted
    (unless there is nothing but NOTs), head parts read from head."""
    if not (isinstance(q, Q.Not) or isinstance(q, Q.Or) and all(isinstance(c, Q.Not) for c in q)):
        q = q.accept(_check_and_lift_nots)
    return parts.on_head(q, schema)


def _check_and_lift_nots(node):
    """`a NOT b` in an OR group means `a` without `b` (Whoosh would read it as
    `a OR (everything but b)`); boosts must be positive."""
    if node.boost <= 0:
        raise QueryError(f"boosts must be positive (got ^{node.boost:g})")
    if isinstance(node, Q.Or):
        nots = [c for c in node.subqueries if isinstance(c, Q.Not)]
        rest = [c for c in node.subqueries if not isinstance(c, Q.Not)]
        if nots and rest:
            kept = rest[0] if len(rest) == 1 else type(node)(rest, boost=node.boost)
            banned = Q.Or([n.query for n in nots]) if len(nots) > 1 else nots[0].query
            return Q.AndNot(kept, banned)
    return node
