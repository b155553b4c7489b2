"""The query language: query text -> a tree of user nodes (query/tree.py), and back.

This module is the one place that knows the syntax: `parse` reads a query once,
`unparse` writes a tree back as text that `parse` reads to the same tree, and
the tables below (FIELDS, OPERATORS, QUOTES, SYNTAX) are what the CLI help and
the README are made from or tested against. No search library is used here.

    Putin Kim                 any of the words (Bool should, coordinated)
    "Hand in Hand"  „…“ »…«   a phrase; `"a b"~2` with slop; one quoted word is a
                              Phrase of one word: exactly that word
    +Kim -Moskau              required, excluded (at the start of a word only:
                              `Kim-Regime` is one word, `Krise - Start` two)
    a AND b, a OR b           both (must), either (should, not coordinated)
    a NOT b, a ANDNOT b       a without b; `NOT a` / `-a` alone: all but a
    a ANDMAYBE b              a required, b optional (as `+a b`)
    a REQUIRE b               a, only where b also matches; b does not score
    ( … )                     groups; `(a b)^2`, `title:(a OR b)`
    Rak*  M?ller  Pjöngjang~  prefix, wildcard, fuzzy (`~` 1 edit, `~2` 2, at most 2)
    Kim^2                     boost (must be positive)
    title:Kim  kicker:*       one field (aliases: FIELDS); `kicker:*` has a kicker
    date:2023-01..2024-06     a date range: always a filter (never scores)

Precedence, tightest first: NOT + - (prefixes), AND, OR, then ANDNOT /
ANDMAYBE / REQUIRE, then the plain sequence: `a b AND c` is a OR (b AND c),
`a OR b c` is (a OR b) OR c, as Whoosh reads them.

Words are what the analysis's tokenizer sees as words (`Kim-Regime`, `O’Neill`,
`8.000`, `13.09.2023`, `X-37B`), kept as typed; other characters are
punctuation. A `?` that ends a word is punctuation (`Wo liegt Basel?`), inside a
word it matches one letter. The parser is lenient, as Lucene's simple query
parser: unbalanced parentheses, stray operators and quotes never raise, they
are closed or dropped. It raises QueryError only for: a query over 1000
characters, an unknown field with a value (`foo:bar`), a bad date, a boost that
is not positive (or not finite).

Choices where today's Whoosh parser gave no answer, or a poor one:
- `*` alone is MatchAll (all articles, as `*` finds today); `field:*` is HasField;
  `*:*` is MatchAll, `*:word` the word in the default fields.
- `"Putin"` is a Phrase of one word: the word exactly (no compound parts, no
  correction); later steps must read it so. `""` is nothing.
- ANDMAYBE and REQUIRE stay (Whoosh had them): `a ANDMAYBE b` is `+a b`,
  `a REQUIRE b` is Bool(must=(a,), filter=(b,)). `a ANDNOT b` is `a -b`.
- `NOT NOT a` and `--a` require a; `+-a` and `-+a` exclude it. An operator word
  right after `+`, `-` or `field:` is a word (`-AND`, `title:OR`).
- Words typed without a space (`foo/bar`, `Putin,Kim`, `https://taz.de`) are
  separate words: in a sequence or OR they join it as if spaces were typed;
  elsewhere (`a AND foo/bar`, `-foo/bar`) they are one group, `(foo bar)`.
- `name:` is a field only when a value follows at once (a letter, digit, `*`,
  `?`, `(` or a quote): `Handball: WM` and `https://taz.de` are text, `x:y`
  names an unknown field (an error; Whoosh took unknown names for text).
- `'…'` quotes too (Whoosh's single quotes); `„…"` and `„…”` close as `„…“`.
- `~` alone is 1 edit (Whoosh's default), `~0` the plain word, `~3` and more 2;
  `~2/3` (Whoosh's prefix length) is `~2`. On a phrase, `~` without a number
  is ignored.
- A DateRange goes into the filter of the Bool it is typed in; `(date:2023)`
  is `date:2023`. `date:..` is nothing; `date:2024..2023` is empty, no error.
- Parentheses nested deeper than 32 are dropped (their contents stay).
- Boosts are at most 1e6 (together, nested), a phrase's slop at most 1000.
"""
from __future__ import annotations

import re

from ..analysis.tokenize import _HYPHENS, WORD
from ..errors import QueryError
from ..input.dates import date_bounds, parse_iso
from .tree import (Bool, DateRange, Fuzzy, HasField, MatchAll, Phrase, Prefix, Wildcard, Word,
                   children, with_boost)

MAX_QUERY_CHARS = 1000
MAX_DEPTH = 32         # parentheses nested deeper are ignored (their contents are kept)
MAX_FUZZY_EDITS = 2
MAX_BOOST = 1e6        # larger boosts make scores overflow to infinity
MAX_SLOP = 1000        # a phrase's words this far apart are no phrase any more
DEFAULT_FUZZY_EDITS = 1  # `Pjöngjang~`

# -- the tables ---------------------------------------------------------------------

# Canonical field name -> the other names a query may use (any case).
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("titel",),
    "kicker": ("dachzeile",),
    "lead": (),
    "body": (),
    "image_caption": ("caption", "bild"),
    "authors": ("author", "autor", "autoren"),
    "tags": ("tag",),
    "location": ("ort", "place"),
}
DATE_FIELD = "date"
# As error messages and help list them: the names users know.
FIELD_NAMES = "title, kicker, lead, body, caption, author, tag, ort"

# Operator words (uppercase only; `and`, `or`, `not` are words) -> what they do.
OPERATORS: dict[str, str] = {
    "AND": "both sides must match",
    "OR": "either side matches",
    "NOT": "what follows must not match (as a leading `-`)",
    "ANDNOT": "the left side, without the right side",
    "ANDMAYBE": "the left side required, the right side optional (as `+a b`)",
    "REQUIRE": "the left side, only where the right side also matches; the right side does not score",
}
PREFIX_OPERATORS: dict[str, str] = {"+": "required", "-": "excluded"}

# Opening quote -> closing quote. Double quotes of any kind may also be closed
# by a straight `"`, and `„` and `“` by `”` too. `'`, `‘` (and `’`) are also
# apostrophes: they open a phrase only at the start of a word and only if a
# matching quote ends a word later; they close only at the end of a word, so
# `O’Neill`, `Ku'damm` and `Kim's` stay words.
QUOTES: dict[str, str] = {
    '"': '"',
    "„": "“",
    "“": "”",
    "»": "«",
    "«": "»",
    "‚": "‘",
    "‘": "’",
    "›": "‹",
    "‹": "›",
    "'": "'",
}

# (you type, finds): the README's "Query language" table.
SYNTAX: list[tuple[str, str]] = [
    ("`Putin Kim`", "any of the words; articles with more of them rank higher"),
    ('`"Hand in Hand"`', "the phrase"),
    ("`„Hand in Hand“`, `»Hand in Hand«`, `‚Hand in Hand‘`", "the phrase, in German quotes too"),
    ("`+Kim -Moskau`, `Kim AND Putin`, `Kim OR Putin`, `Kim NOT Moskau`, `( … )`",
     "required, excluded, boolean"),
    ("`Rak*`, `Pjöngjang~`", "prefix, fuzzy (at most 2 edits)"),
    ("`title:` `author:`/`autor:` `tag:` `lead:` `body:` `kicker:` `caption:` `ort:`",
     "one field (`title:Kim`, `title:\"Kim Jong\"`, `title:Rak*`; `kicker:*`: articles with a kicker)"),
    ("`date:2023`, `date:2023-09`, `date:2023-01..2024-06`, `-date:2023`",
     "a date range, or all but it (also `--since`, `--until`)"),
]

_FIELD_OF = {name: canonical for canonical, aliases in FIELDS.items()
             for name in (canonical, *aliases)}


def field_name(name: str) -> str | None:
    """The canonical field for a name a query may use (`Autor` -> `authors`), or None."""
    return _FIELD_OF.get(name.lower())


# -- dates ----------------------------------------------------------------------------


def date_bound(text: str, end: bool) -> int:
    """`2023` / `2023-09` / `2023-09-13` as the first (or last) day it covers."""
    iso = parse_iso(text)
    if not iso:
        raise QueryError(f"not a date: {text!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    start, stop = date_bounds(iso)
    return stop if end else start


def parse_date(text: str) -> DateRange | None:
    """`2023`, `2023-09-13`, `2023-01..2024-06`, `..2020`, `2020..` as a DateRange;
    None for `..` (no bound at all)."""
    lo, sep, hi = text.partition("..")
    if not sep:
        return DateRange(date_bound(text, False), date_bound(text, True))
    if not lo and not hi:
        return None
    return DateRange(date_bound(lo, False) if lo else None, date_bound(hi, True) if hi else None)


_YEAR, _MONTH, _DAY = 1, 2, 3


def _day_level(day: int, end: bool) -> int:
    """How precisely `day` must be written to be the first (or last) day of a date."""
    m, d = day // 100 % 100, day % 100
    if (m, d) == ((12, 31) if end else (1, 1)):
        return _YEAR
    return _MONTH if d == (31 if end else 1) else _DAY


def _day_text(day: int, level: int) -> str:
    y, m, d = day // 10000, day // 100 % 100, day % 100
    return (f"{y:04d}", f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-{d:02d}")[level - 1]


def _date_text(r: DateRange) -> str:
    """`2023`, `2023-09`, `2023-01..2024-06`, `..2020`: both ends as precise as the
    more precise one (`2023-09-13..2023-09`: each as precise as it must be)."""
    ends = [(r.start, False), (r.end, True)]
    levels = [_day_level(day, end) for day, end in ends if day is not None]
    texts = []
    for day, end in ends:
        if day is None:
            texts.append("")
            continue
        text = _day_text(day, max(levels))
        if not parse_iso(text):  # a month's end day, the 31st, is not a date in every month
            text = _day_text(day, _day_level(day, end))
        texts.append(text)
    lo, hi = texts
    if lo == hi:
        return lo
    return f"{lo}..{hi}"


# -- words ----------------------------------------------------------------------------

# The analysis's tokenizer's words; for patterns, `*` and `?` are letters too.
_L = r"(?:[^\W_]|[*?])"
_PATTERN = re.compile(rf"\d+(?:[.,:/]\d+)+(?:[*?]+(?![^\W_]|[*?]))?|{_L}+(?:[{_HYPHENS}'’]{_L}+)*")
_TRAILING_QUESTION = re.compile(r"(?<=[^\W_])\?+(?![^\W_]|[*?])")
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_BOOST_END = re.compile(rf"\^({_NUMBER})\Z")
_FUZZY_END = re.compile(r"~(\d*)(?:/\d*)?\Z")  # (Whoosh's `~2/3` prefix length is ignored)
_BOOST_AT = re.compile(rf"\^({_NUMBER})")
_SLOP_AT = re.compile(r"~(\d*)")


def words(text: str) -> tuple[str, ...]:
    """The words of `text` as the tokenizer finds them, as typed."""
    return tuple(WORD.findall(text))


def _boost(text: str) -> float:
    b = float(text)
    if not b > 0:
        raise QueryError(f"boosts must be positive (got ^{text})")
    if b > MAX_BOOST:
        raise QueryError(f"boost too large: ^{text if len(text) <= 20 else text[:17] + '...'} "
                         f"(at most {MAX_BOOST:g})")
    return b


def _boosted(node, b: float):
    node = with_boost(node, b)
    if node.boost > MAX_BOOST:
        raise QueryError(f"boost too large: the boosts multiply to more than {MAX_BOOST:g}")
    return node


def _leaves(chunk: str, field: str | None) -> list:
    """The user nodes of one run of text without spaces or parentheses."""
    core, boost, edits = chunk, None, None
    for _ in range(2):  # `Kim~2^3` or `Kim^3~2`
        m = _BOOST_END.search(core) if boost is None else None
        if m:
            boost, core = _boost(m.group(1)), core[:m.start()]
            continue
        m = _FUZZY_END.search(core) if edits is None else None
        if m:
            edits = min(int(m.group(1)) if m.group(1) else DEFAULT_FUZZY_EDITS, MAX_FUZZY_EDITS)
            core = core[:m.start()]
            continue
        break
    boost = 1.0 if boost is None else boost
    core = _TRAILING_QUESTION.sub("", core)
    out = []
    for p in _PATTERN.findall(core):
        if "*" not in p and "?" not in p:
            leaf = Fuzzy(p, edits, field, boost) if edits else Word(p, field, boost)
        elif not any(ch.isalnum() for ch in p):  # `*`, `**`, `*?*`: anything; `?`: punctuation
            if "*" not in p:
                continue
            leaf = HasField(field, boost) if field else MatchAll(boost)
        else:
            stem = p.rstrip("*")
            plain = "*" not in stem and "?" not in stem
            leaf = Prefix(stem, field, boost) if plain else Wildcard(p, field, boost)
        out.append(leaf)
    return out


# -- tokens ---------------------------------------------------------------------------

_FIELD = re.compile(rf"([^\W\d_]\w*|\*):(?=[^\W_]|[*?({re.escape(''.join(QUOTES))}])")
_DATE = re.compile(r"(?i:date):([^\s)]+)")
_APOSTROPHES = "'’‘"  # quotes that are also apostrophes
_CLOSERS = {o: c + ('"' if o not in "‚‘›‹'" else "") for o, c in QUOTES.items()}
_CLOSERS.update({"„": "“”\"", "“": "”“\"", "‚": "‘’", "‘": "’‘", "'": "'’"})
_SEPARATORS = frozenset("()")
_END = ("end", None)


def _closing(text: str, opener: str, i: int) -> int:
    """Where the quote opened at `i` closes: -1 if nowhere."""
    closers = _CLOSERS[opener]
    n = len(text)
    for k in range(i + 1, n):
        ch = text[k]
        if ch in closers and (ch not in _APOSTROPHES or k + 1 == n or not text[k + 1].isalnum()):
            return k
    return -1


def _tokens(text: str) -> list[tuple]:
    """(kind, value) pairs: lp, rp, boost (after `)`), op, unary (+ -), field,
    date (a DateRange or None), term (text without spaces or parentheses),
    phrase ((words, slop, boost))."""
    out: list[tuple] = []
    i, n = 0, len(text)
    start = True      # at the start of a word: operators, fields and quotes count here
    attached = False  # right after `+`, `-` or `field:`: an operator word is a word
    depth = 0
    while i < n:
        c = text[i]
        if c.isspace():
            i, start, attached = i + 1, True, False
            continue
        if c == "(":
            depth += 1
            if depth <= MAX_DEPTH:
                out.append(("lp", None))
            i, start, attached = i + 1, True, False
            continue
        if c == ")":
            i += 1
            if depth > MAX_DEPTH:
                depth -= 1
            else:
                depth = max(depth - 1, 0)
                out.append(("rp", None))
                m = _BOOST_AT.match(text, i)
                if m:
                    out.append(("boost", m.group(1)))
                    i = m.end()
            start, attached = True, False
            continue
        if start:
            if c in "+-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] != ")":
                out.append(("unary", c))
                i, attached = i + 1, True
                continue
            m = _DATE.match(text, i)
            if m:
                value = m.group(1)
                if value.endswith(".") and not value.endswith(".."):
                    value = value[:-1]
                out.append(("date", parse_date(value.rstrip(",;!?") or value)))
                i, start, attached = m.end(), False, False
                continue
            m = _FIELD.match(text, i)
            if m:
                name = m.group(1)
                field = None if name == "*" else field_name(name)
                if field is None and name != "*":
                    raise QueryError(f"unknown field {name!r} (use one of: {FIELD_NAMES})")
                out.append(("field", field))
                i, attached = m.end(), True
                continue
            if c in QUOTES:
                k = _closing(text, c, i)
                if k >= 0 or c not in _APOSTROPHES:
                    inside = text[i + 1:k] if k >= 0 else text[i + 1:]
                    i = k + 1 if k >= 0 else n
                    slop, boost = None, None
                    for _ in range(2 if k >= 0 else 0):  # `"a b"~2^3` or `"a b"^3~2`
                        m = _SLOP_AT.match(text, i) if slop is None else None
                        if m:
                            slop, i = (min(int(m.group(1)), MAX_SLOP) if m.group(1) else 0), m.end()
                            continue
                        m = _BOOST_AT.match(text, i) if boost is None else None
                        if m:
                            boost, i = m.group(1), m.end()
                            continue
                        break
                    out.append(("phrase", (words(inside), slop or 0, boost)))
                    start, attached = False, False
                    continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _SEPARATORS:
            j += 1
        chunk = text[i:j]
        op = chunk in OPERATORS and start and not attached  # (`"a"AND`: a word)
        out.append(("op" if op else "term", chunk))
        i, start, attached = j, False, False
    return out


# -- parsing --------------------------------------------------------------------------

# How an operand joins the Bool it is built into: None (as its operator says:
# should in a sequence or OR, must in AND), "+" must, "-" must_not, "f" filter.
# A DateRange always goes into filter (must_not if negated).
_SEQ, _AND, _OR = "seq", "and", "or"
_LOOSE = ("ANDNOT", "ANDMAYBE", "REQUIRE")  # the binary operators weaker than OR
_BINARY = frozenset(("AND", "OR") + _LOOSE)


def _combine(outer: str | None, inner: str | None) -> str | None:
    """Two prefixes on one operand: `+-a` excludes, `NOT -a` requires."""
    if outer is None or inner is None:
        return outer or inner
    return "+" if outer == inner else "-"


def _dedupe(nodes: list) -> tuple:
    return tuple(dict.fromkeys(nodes))


def _build(kind: str, operands: list):
    """The Bool for `operands` ((role, node, splice) triples), in its simplest
    form: None if empty; the node itself if it is the only must or should
    clause; everything but the excluded if nothing else is asked for.
    `splice`: a run of words typed without spaces (`foo/bar`), which joins a
    sequence or OR as its words."""
    must, should, must_not, filter_ = [], [], [], []
    for role, node, splice in operands:
        if isinstance(node, DateRange):
            (must_not if role == "-" else filter_).append(node)
        elif role == "-":
            must_not.append(node)
        elif role == "f":
            filter_.append(node)
        elif role == "+" or kind == _AND:
            must.append(node)
        elif splice and isinstance(node, Bool):
            should.extend(node.should)
        else:
            should.append(node)
    must, should, must_not, filter_ = map(_dedupe, (must, should, must_not, filter_))
    if must_not and not (must or should or filter_):
        must = (MatchAll(),)
    if not (must or should or must_not or filter_):
        return None
    if len(must) + len(should) == 1 and not (must_not or filter_):
        return (must or should)[0]
    return Bool(must, should, must_not, filter_, coord=kind != _OR or len(should) < 2)


def _chain(op: str, left, rights: list):
    """`left op right op right …` for the operators weaker than OR."""
    if left is None:
        if not rights:
            return None
        left, rights = rights[0], rights[1:]
        if not rights:
            return left
    if op == "ANDNOT":
        operands = [left] + [(_combine("-", r), n, s) for r, n, s in rights]
    elif op == "ANDMAYBE":
        operands = [(_combine("+", left[0]), *left[1:])] + rights
    else:  # REQUIRE
        operands = [(_combine("+", left[0]), *left[1:])] + [
            ("-" if r == "-" else "f", n, s) for r, n, s in rights]
    node = _build(_SEQ, operands)
    return None if node is None else (None, node, False)


class _Parser:
    """Recursive descent over the tokens; an operand is a (role, node, splice)
    triple or None (nothing there: an empty group, punctuation, a stray
    operator), which every level drops."""

    def __init__(self, tokens: list[tuple]):
        self.tokens = tokens
        self.i = 0
        self.field: str | None = None  # from a `field:( … )` around

    def peek(self) -> tuple:
        return self.tokens[self.i] if self.i < len(self.tokens) else _END

    def sequence(self, top: bool) -> list:
        operands = []
        while True:
            kind, value = self.peek()
            if kind == "end" or kind == "rp" and not top:
                return operands
            if kind in ("rp", "boost") or kind == "op" and value in _BINARY:
                self.i += 1  # a stray `)`, or an operator with nothing on its left
                continue
            operand = self.loose()
            if operand is not None:
                operands.append(operand)

    def loose(self):
        left = self.either()
        while self.peek()[0] == "op" and self.peek()[1] in _LOOSE:
            op = self.peek()[1]
            rights = []
            while self.peek() == ("op", op):
                self.i += 1
                right = self.either()
                if right is not None:
                    rights.append(right)
            left = _chain(op, left, rights)
        return left

    def either(self):
        return self._binary("OR", _OR, self.both)

    def both(self):
        return self._binary("AND", _AND, self.unary)

    def _binary(self, op: str, kind: str, operand):
        operands = [operand()]
        while self.peek() == ("op", op):
            self.i += 1
            operands.append(operand())
        operands = [o for o in operands if o is not None]
        if len(operands) <= 1:
            return operands[0] if operands else None
        node = _build(kind, operands)
        return None if node is None else (None, node, False)

    def unary(self):
        role = None
        while True:
            kind, value = self.peek()
            if kind == "unary":
                role = _combine(role, value)
            elif kind == "op" and value == "NOT":
                role = _combine(role, "-")
            else:
                break
            self.i += 1
        operand = self.primary()
        if operand is None or role is None:
            return operand
        return (role, operand[1], False)

    def primary(self):
        field = self.field
        while self.peek()[0] == "field":
            field = self.peek()[1]
            self.i += 1
        kind, value = self.peek()
        if kind == "term":
            self.i += 1
            leaves = _leaves(value, field)
            if len(leaves) <= 1:
                return (None, leaves[0], False) if leaves else None
            node = _build(_SEQ, [(None, leaf, False) for leaf in leaves])
            return (None, node, True)
        if kind == "phrase":
            self.i += 1
            found, slop, boost = value
            boost = 1.0 if boost is None else _boost(boost)
            return (None, Phrase(found, field, slop, boost), False) if found else None
        if kind == "date":
            self.i += 1
            return None if value is None else (None, value, False)
        if kind == "lp":
            self.i += 1
            outer, self.field = self.field, field
            operands = self.sequence(top=False)
            self.field = outer
            boost = 1.0
            if self.peek()[0] == "rp":
                self.i += 1
                if self.peek()[0] == "boost":
                    boost = _boost(self.peek()[1])
                    self.i += 1
            node = _build(_SEQ, operands)
            if node is None:
                return None
            if (isinstance(node, Bool) and len(node.filter) == 1 and len(children(node)) == 1
                    and isinstance(node.filter[0], DateRange)):
                node = node.filter[0]  # `(date:2023)` is `date:2023`: a filter on what is around
            elif boost != 1.0:
                node = _boosted(node, boost)
            return (None, node, False)
        return None  # an operator, `)` or the end: nothing here


def parse(text: str):
    """The query tree for `text`: user nodes (Word, Phrase, Prefix, Wildcard,
    Fuzzy, HasField, DateRange; MatchAll for `*` and beside a lone exclusion)
    combined by Bool. An empty query, or one with nothing to search, is
    `Bool()`. Raises QueryError (see the module's docstring)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text)} characters (the limit is {MAX_QUERY_CHARS})")
    parser = _Parser(_tokens(text))
    node = _build(_SEQ, parser.sequence(top=True))
    return Bool() if node is None else node


# -- back to text ---------------------------------------------------------------------


def _num(x: float) -> str:
    r = repr(float(x))
    return r.removesuffix(".0")


def _boost_text(b: float) -> str:
    return "" if b == 1.0 else f"^{_num(b)}"


def _field_text(f: str | None) -> str:
    return f"{f}:" if f else ""


def _word_text(text: str) -> str:
    # An operator word typed as a word (`AND,`): a full stop keeps it a word.
    return text + "." if text in OPERATORS else text


def unparse(node) -> str:
    """Query text that `parse` reads back to `node` (for a tree `parse`
    made, or one with the same shapes): for "Showing results for: …"."""
    return _text(node, top=True)


def _text(node, top: bool = False) -> str:
    kind = type(node)
    if kind is Bool:
        if not children(node):
            return "" if top else "()"
        body = _bool_text(node)
        if node.boost != 1.0:
            return f"({body}){_boost_text(node.boost)}"
        return body if top else f"({body})"
    if kind is Word:
        return _field_text(node.field) + _word_text(node.text) + _boost_text(node.boost)
    if kind is Phrase:
        slop = f"~{node.slop}" if node.slop else ""
        return f'{_field_text(node.field)}"{" ".join(node.words)}"{slop}{_boost_text(node.boost)}'
    if kind is Prefix:
        return f"{_field_text(node.field)}{node.text}*{_boost_text(node.boost)}"
    if kind is Wildcard:
        return f"{_field_text(node.field)}{node.pattern}{_boost_text(node.boost)}"
    if kind is Fuzzy:
        edits = "" if node.edits == DEFAULT_FUZZY_EDITS else node.edits
        return f"{_field_text(node.field)}{node.text}~{edits}{_boost_text(node.boost)}"
    if kind is HasField:
        return f"{node.field}:*{_boost_text(node.boost)}"
    if kind is MatchAll:
        return "*" + _boost_text(node.boost)
    if kind is DateRange:
        return f"{DATE_FIELD}:{_date_text(node)}"
    raise TypeError(f"not a user node: {node!r}")


def _bool_text(b: Bool) -> str:
    must, should, must_not, filter_ = b.must, b.should, b.must_not, b.filter
    plain = [_text(n) for n in should]
    required = ["+" + _text(n) for n in must]
    excluded = ["-" + _text(n) for n in must_not]
    filters = [_text(n) if isinstance(n, DateRange) else "+" + _text(n) for n in filter_]
    if any(not isinstance(n, DateRange) for n in filter_) and not should and len(must) <= 1:
        # REQUIRE: `a REQUIRE b REQUIRE -c`; its head may be `-a` or a date
        if must:
            head = _text(must[0])
        elif must_not:
            head, excluded = excluded[0], excluded[1:]
        else:
            head = _text(filter_[0])
            filter_ = filter_[1:]
        return " REQUIRE ".join([head] + [_text(n) for n in filter_] + excluded)
    if len(should) > 1 and not b.coord:
        return " OR ".join(plain + required + excluded + filters)
    if len(must) > 1 and not should:
        return " AND ".join([_text(n) for n in must] + excluded + filters)
    if must == (MatchAll(),) and must_not and not should and not filter_:
        required = []  # `-a` alone: everything but a
    return " ".join(required + plain + excluded + filters)


__all__ = ["DATE_FIELD", "FIELDS", "FIELD_NAMES", "MAX_QUERY_CHARS", "OPERATORS",
           "PREFIX_OPERATORS", "QUOTES", "SYNTAX", "WORD", "date_bound", "date_bounds",
           "field_name", "parse", "parse_date", "unparse", "words"]
