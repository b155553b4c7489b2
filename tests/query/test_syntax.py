"""The query syntax (searchidx/query/syntax.py): text -> tree, tree -> text."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from searchidx.errors import QueryError
from searchidx.query import syntax
from searchidx.query.syntax import parse, unparse
from searchidx.query.tree import (Bool, DateRange, Fuzzy, HasField, MatchAll, Phrase, Prefix,
                                  Wildcard, Word, with_boost)

ROOT = Path(__file__).resolve().parents[2]
W, P = Word, Phrase
ALL = MatchAll()


def B(must=(), should=(), must_not=(), filter=(), coord=True, boost=1.0):
    return Bool(tuple(must), tuple(should), tuple(must_not), tuple(filter), coord, boost)


def OR(*should, **kw):
    return B(should=should, coord=False, **kw)


def SEQ(*should, **kw):
    return B(should=should, **kw)


def D(start, end):
    return DateRange(start, end)


Y2023 = D(20230101, 20231231)

# (you type, the tree)
CASES = [
    # words: as the tokenizer finds them, as typed
    ("Putin", W("Putin")),
    ("Putin Kim Raketen", SEQ(W("Putin"), W("Kim"), W("Raketen"))),
    ("Kim-Regime", W("Kim-Regime")),
    ("O’Neill Ku'damm Kim's", SEQ(W("O’Neill"), W("Ku'damm"), W("Kim's"))),
    ("8.000 13.09.2023 E-Mail X-37B", SEQ(W("8.000"), W("13.09.2023"), W("E-Mail"), W("X-37B"))),
    ("Krise - Start", SEQ(W("Krise"), W("Start"))),
    ("Putin, Kim.", SEQ(W("Putin"), W("Kim"))),
    ("verurteilt – 300", SEQ(W("verurteilt"), W("300"))),
    ("St. Moritz", SEQ(W("St"), W("Moritz"))),
    ("A + B", SEQ(W("A"), W("B"))),
    ("Kim Kim", W("Kim")),
    ("Kim kim", SEQ(W("Kim"), W("kim"))),
    ("and or not", SEQ(W("and"), W("or"), W("not"))),
    ("NOTE ANDY", SEQ(W("NOTE"), W("ANDY"))),
    ("10:30 Uhr", SEQ(W("10:30"), W("Uhr"))),
    ("foo/bar", SEQ(W("foo"), W("bar"))),           # words typed without a space
    ("x foo/bar", SEQ(W("x"), W("foo"), W("bar"))),
    ("x AND foo/bar", B(must=(W("x"), SEQ(W("foo"), W("bar"))))),
    ("-foo/bar", B(must=(ALL,), must_not=(SEQ(W("foo"), W("bar")),))),
    ("https://taz.de", SEQ(W("https"), W("taz"), W("de"))),
    ("C:\\temp\\", SEQ(W("C"), W("temp"))),
    ("🦄🔥 Putin 🇩🇪", W("Putin")),
    ("\ufeffPutin\u200bKim", SEQ(W("Putin"), W("Kim"))),
    # a `?` that ends a word is punctuation; inside a word, one letter
    ("Wo liegt Basel?", SEQ(W("Wo"), W("liegt"), W("Basel"))),
    ("Basel?, Bern??", SEQ(W("Basel"), W("Bern"))),
    ("(Wo ist Basel?)", SEQ(W("Wo"), W("ist"), W("Basel"))),
    ("M?ller", Wildcard("M?ller")),
    ("Kim*?", Wildcard("Kim*?")),
    ("?", B()),
    # prefix, wildcard, fuzzy, boost
    ("Rak*", Prefix("Rak")),
    ("Rak**", Prefix("Rak")),
    ("8.000*", Prefix("8.000")),
    ("*a*", Wildcard("*a*")),
    ("Ra*ten", Wildcard("Ra*ten")),
    ("Pjöngjang~", Fuzzy("Pjöngjang", 1)),
    ("Pjöngjang~1", Fuzzy("Pjöngjang", 1)),
    ("Pjöngjang~2", Fuzzy("Pjöngjang", 2)),
    ("Pjöngjang~9", Fuzzy("Pjöngjang", 2)),
    ("Pjöngjang~0", W("Pjöngjang")),
    ("Putin~2/3", Fuzzy("Putin", 2)),
    ("Kim^2", W("Kim", boost=2.0)),
    ("Kim^0.5 Jong", SEQ(W("Kim", boost=0.5), W("Jong"))),
    ("Kim~2^3", Fuzzy("Kim", 2, boost=3.0)),
    ("Kim^3~2", Fuzzy("Kim", 2, boost=3.0)),
    ("Rak*^2", Prefix("Rak", boost=2.0)),
    ('"Kim Jong"^2', P(("Kim", "Jong"), boost=2.0)),
    ("(a b)^2", SEQ(W("a"), W("b"), boost=2.0)),
    ("(a)^2", W("a", boost=2.0)),
    ("(a^2)^3", W("a", boost=6.0)),
    ("Putin^", W("Putin")),
    ("Putin^abc", SEQ(W("Putin"), W("abc"))),
    ("*", ALL),
    ("**", ALL),
    ("*^2", MatchAll(2.0)),
    ("*:*", ALL),
    ("* -Kim", B(should=(ALL,), must_not=(W("Kim"),))),
    # phrases, in every kind of quotes
    ('"Hand in Hand"', P(("Hand", "in", "Hand"))),
    ("„Hand in Hand“", P(("Hand", "in", "Hand"))),
    ("“Hand in Hand”", P(("Hand", "in", "Hand"))),
    ("»Hand in Hand«", P(("Hand", "in", "Hand"))),
    ("«Hand in Hand»", P(("Hand", "in", "Hand"))),
    ("‚Hand in Hand‘", P(("Hand", "in", "Hand"))),
    ("‘Hand in Hand’", P(("Hand", "in", "Hand"))),
    ("›Hand in Hand‹", P(("Hand", "in", "Hand"))),
    ("‹Hand in Hand›", P(("Hand", "in", "Hand"))),
    ("'Hand in Hand'", P(("Hand", "in", "Hand"))),
    ('„Hand in Hand"', P(("Hand", "in", "Hand"))),   # closed by a straight quote
    ("„Hand in Hand”", P(("Hand", "in", "Hand"))),
    ("'O’Neill's Haus' Kim", SEQ(P(("O’Neill's", "Haus")), W("Kim"))),
    ("‘Ku'damm’", P(("Ku'damm",))),
    ("'90s Kim's", SEQ(W("90s"), W("Kim's"))),     # an apostrophe never closed: no quote
    ("Kim Jong Un's Raketen", SEQ(W("Kim"), W("Jong"), W("Un's"), W("Raketen"))),
    ("„Al-Qaida“-Mitglieder", SEQ(P(("Al-Qaida",)), W("Mitglieder"))),
    ('"Putin"', P(("Putin",))),                     # one quoted word: exactly that word
    ('"Kim-Regime, 8.000 Rak*?"', P(("Kim-Regime", "8.000", "Rak"))),
    ('"a b"~3', P(("a", "b"), slop=3)),
    ('"a b"~3^2', P(("a", "b"), slop=3, boost=2.0)),
    ('"a b"^2~3', P(("a", "b"), slop=3, boost=2.0)),
    ('"a b"~', P(("a", "b"))),
    ('"Putin Kim', P(("Putin", "Kim"))),            # unclosed: to the end
    ('Kim "Putin AND Jong', SEQ(W("Kim"), P(("Putin", "AND", "Jong")))),
    ('Putin Kim"', SEQ(W("Putin"), W("Kim"))),
    ('Kim"Jong', SEQ(W("Kim"), W("Jong"))),
    ('"" ""', B()),
    ('"', B()),
    # operators and precedence
    ("a AND b", B(must=(W("a"), W("b")))),
    ("a AND b AND c", B(must=(W("a"), W("b"), W("c")))),
    ("a OR b", OR(W("a"), W("b"))),
    ("a OR b OR c", OR(W("a"), W("b"), W("c"))),
    ("a NOT b", B(should=(W("a"),), must_not=(W("b"),))),
    ("a -b", B(should=(W("a"),), must_not=(W("b"),))),
    ("a ANDNOT b", B(should=(W("a"),), must_not=(W("b"),))),
    ("a ANDNOT b ANDNOT c", B(should=(W("a"),), must_not=(W("b"), W("c")))),
    ("a OR NOT b", B(should=(W("a"),), must_not=(W("b"),))),
    ("+a b", B(must=(W("a"),), should=(W("b"),))),
    ("a +b", B(must=(W("b"),), should=(W("a"),))),
    ("+a +b", B(must=(W("a"), W("b")))),
    ("+a -b c", B(must=(W("a"),), should=(W("c"),), must_not=(W("b"),))),
    ("a ANDMAYBE b", B(must=(W("a"),), should=(W("b"),))),
    ("a REQUIRE b", B(must=(W("a"),), filter=(W("b"),))),
    ("-a REQUIRE b", B(must_not=(W("a"),), filter=(W("b"),))),
    ("a REQUIRE b REQUIRE -c", B(must=(W("a"),), must_not=(W("c"),), filter=(W("b"),))),
    ("a b AND c", SEQ(W("a"), B(must=(W("b"), W("c"))))),
    ("a AND b c", SEQ(B(must=(W("a"), W("b"))), W("c"))),
    ("a b OR c", SEQ(W("a"), OR(W("b"), W("c")))),
    ("a OR b c", SEQ(OR(W("a"), W("b")), W("c"))),
    ("a AND b OR c", OR(B(must=(W("a"), W("b"))), W("c"))),
    ("a OR b AND c", OR(W("a"), B(must=(W("b"), W("c"))))),
    ("a OR b -c", B(should=(OR(W("a"), W("b")),), must_not=(W("c"),))),
    ("a OR b OR -c", B(should=(W("a"), W("b")), must_not=(W("c"),), coord=False)),
    ("a ANDNOT b OR c", B(should=(W("a"),), must_not=(OR(W("b"), W("c")),))),
    ("a OR b REQUIRE c", B(must=(OR(W("a"), W("b")),), filter=(W("c"),))),
    ("a b ANDMAYBE c", SEQ(W("a"), B(must=(W("b"),), should=(W("c"),)))),
    ("NOT a AND b", B(must=(W("b"),), must_not=(W("a"),))),
    ("a AND NOT b", B(must=(W("a"),), must_not=(W("b"),))),
    ("NOT a", B(must=(ALL,), must_not=(W("a"),))),
    ("-a", B(must=(ALL,), must_not=(W("a"),))),
    ("-a -b", B(must=(ALL,), must_not=(W("a"), W("b")))),
    ("NOT NOT a", W("a")),                         # `+a`: required
    ("+-Putin", B(must=(ALL,), must_not=(W("Putin"),))),
    ("-+Putin", B(must=(ALL,), must_not=(W("Putin"),))),
    ("+Kim", W("Kim")),
    ("-AND", B(must=(ALL,), must_not=(W("AND"),))),  # right after `-`, a word
    ("title:OR", W("OR", "title")),
    ("Kim AND(Putin)", B(must=(W("Kim"), W("Putin")))),
    ('"a"AND b', SEQ(P(("a",)), W("AND"), W("b"))),  # glued to a quote: a word
    ("(a)OR(b)", OR(W("a"), W("b"))),
    # groups
    ("(Schoigu OR Trikolore) AND Putin", B(must=(OR(W("Schoigu"), W("Trikolore")), W("Putin")))),
    ("(Putin -Schoigu)", B(should=(W("Putin"),), must_not=(W("Schoigu"),))),
    ("Kim (Putin -Schoigu)", SEQ(W("Kim"), B(should=(W("Putin"),), must_not=(W("Schoigu"),)))),
    ("(+Schoigu Putin) Kim", SEQ(B(must=(W("Schoigu"),), should=(W("Putin"),)), W("Kim"))),
    ("-(a b)", B(must=(ALL,), must_not=(SEQ(W("a"), W("b")),))),
    ("x (-a)", SEQ(W("x"), B(must=(ALL,), must_not=(W("a"),)))),
    ("((a))", W("a")),
    ("()", B()),
    ("(" * 200 + "Putin" + ")" * 200, W("Putin")),
    ("(" * 450 + "a b" + ")" * 450, SEQ(W("a"), W("b"))),
    # leniency: unbalanced parentheses, stray operators
    ("(Putin", W("Putin")),
    ("Putin)", W("Putin")),
    ("(a b", SEQ(W("a"), W("b"))),
    ("a) (b", SEQ(W("a"), W("b"))),
    ("((((", B()),
    ("))))", B()),
    ("AND", B()),
    ("AND OR NOT", B()),
    ("NOT NOT NOT", B()),
    ("Kim AND", W("Kim")),
    ("OR Kim", W("Kim")),
    ("OR OR", B()),
    ("a OR OR b", OR(W("a"), W("b"))),
    ("a AND OR b", OR(W("a"), W("b"))),
    ("a NOT", W("a")),
    ("-", B()),
    ("x -", W("x")),
    ("- -", B()),
    ("+ +", B()),
    ("&& || !", B()),
    ("Putin && Kim || !Raketen", SEQ(W("Putin"), W("Kim"), W("Raketen"))),
    ("[a TO b]", SEQ(W("a"), W("TO"), W("b"))),
    ("~ ^ ~~~ ^^^ \\ :: :", B()),
    ("", B()),
    ("  \n\t ", B()),
    # fields
    ("title:Kim", W("Kim", "title")),
    ("Titel:Kim TITLE:Jong", SEQ(W("Kim", "title"), W("Jong", "title"))),
    ("dachzeile:Kim", W("Kim", "kicker")),
    ("lead:Kim body:Kim", SEQ(W("Kim", "lead"), W("Kim", "body"))),
    ("caption:Kim bild:Jong image_caption:Un",
     SEQ(W("Kim", "image_caption"), W("Jong", "image_caption"), W("Un", "image_caption"))),
    ("author:A autor:B Autoren:C authors:D",
     SEQ(W("A", "authors"), W("B", "authors"), W("C", "authors"), W("D", "authors"))),
    ("tag:Nordkorea tags:Russland", SEQ(W("Nordkorea", "tags"), W("Russland", "tags"))),
    ("ort:Berlin place:Paris location:Rom",
     SEQ(W("Berlin", "location"), W("Paris", "location"), W("Rom", "location"))),
    ('title:"Kim Jong"', P(("Kim", "Jong"), "title")),
    ("title:„Kim Jong“", P(("Kim", "Jong"), "title")),
    ("title:(Kim OR Putin)", OR(W("Kim", "title"), W("Putin", "title"))),
    ("title:(Kim body:Putin)", SEQ(W("Kim", "title"), W("Putin", "body"))),
    ("title:(Kim -Putin)^2", B(should=(W("Kim", "title"),), must_not=(W("Putin", "title"),), boost=2.0)),
    ("title:Rak*", Prefix("Rak", "title")),
    ("title:M?ller", Wildcard("M?ller", "title")),
    ("title:Pjöngjang~2", Fuzzy("Pjöngjang", 2, "title")),
    ("title:Kim^2", W("Kim", "title", 2.0)),
    ("title:foo/bar", SEQ(W("foo", "title"), W("bar", "title"))),
    ("kicker:*", HasField("kicker")),
    ("Dachzeile:*^2", HasField("kicker", 2.0)),
    ("title:(*)", HasField("title")),
    ("-title:Kim", B(must=(ALL,), must_not=(W("Kim", "title"),))),
    ("title:title:Putin", W("Putin", "title")),
    ("*:Kim", W("Kim")),
    ("Handball: WM", SEQ(W("Handball"), W("WM"))),
    ("Titel: Kim", SEQ(W("Titel"), W("Kim"))),
    ("title: Kim", SEQ(W("title"), W("Kim"))),
    ("2023: Jahr", SEQ(W("2023"), W("Jahr"))),
    ("Nord-Korea:Kim", SEQ(W("Nord-Korea"), W("Kim"))),
    ("a: Kim:", SEQ(W("a"), W("Kim"))),
    ("title:", W("title")),
    ("title:)", W("title")),
    ("title:(", B()),
    ('title:"', B()),
    (":Putin", W("Putin")),
    # dates: always a filter, or excluded
    ("date:2023", B(filter=(Y2023,))),
    ("date:2023-09", B(filter=(D(20230901, 20230931),))),
    ("date:2023-09-13", B(filter=(D(20230913, 20230913),))),
    ("date:2023-01..2024-06", B(filter=(D(20230101, 20240631),))),
    ("date:..2020", B(filter=(D(None, 20201231),))),
    ("date:2020..", B(filter=(D(20200101, None),))),
    ("date:..", B()),
    ("DATE:2023", B(filter=(Y2023,))),
    ("date:2024..2023", B(filter=(D(20240101, 20231231),))),  # empty, not an error
    ("date:2023, Kim", B(should=(W("Kim"),), filter=(Y2023,))),
    ("Putin date:2024-06", B(should=(W("Putin"),), filter=(D(20240601, 20240631),))),
    ("date:2023 date:2024", B(filter=(Y2023, D(20240101, 20241231)))),
    ("Regierung -date:2006", B(should=(W("Regierung"),), must_not=(D(20060101, 20061231),))),
    ("Regierung NOT date:2006", B(should=(W("Regierung"),), must_not=(D(20060101, 20061231),))),
    ("-date:2023", B(must=(ALL,), must_not=(Y2023,))),
    ("NOT date:2023", B(must=(ALL,), must_not=(Y2023,))),
    ("+date:2023 Kim", B(should=(W("Kim"),), filter=(Y2023,))),
    ("(Regierung date:2006)", B(should=(W("Regierung"),), filter=(D(20060101, 20061231),))),
    ("Kim (date:2023)", B(should=(W("Kim"),), filter=(Y2023,))),
    ("Kim (Putin date:2023)", SEQ(W("Kim"), B(should=(W("Putin"),), filter=(Y2023,)))),
    ("Kim OR date:2023", B(should=(W("Kim"),), filter=(Y2023,))),
    ("a OR b date:2023", B(should=(OR(W("a"), W("b")),), filter=(Y2023,))),
    ("Kim AND date:2023", B(must=(W("Kim"),), filter=(Y2023,))),
    ("date:2023 -Kim", B(must_not=(W("Kim"),), filter=(Y2023,))),
    ("title:date:2023", B(filter=(Y2023,))),
    ("date: 2023", SEQ(W("date"), W("2023"))),
]


@pytest.mark.parametrize("text,tree", CASES, ids=[repr(c[0][:40]) for c in CASES])
def test_parse(text, tree):
    assert parse(text) == tree


FIELD_HINT = " (use one of: title, kicker, lead, body, caption, author, tag, ort)"


@pytest.mark.parametrize("text,message", [
    ("x" * 1001, "query too long: 1001 characters (the limit is 1000)"),
    ("Putin " * 400, "query too long: 2400 characters (the limit is 1000)"),
    ("foo:bar", "unknown field 'foo'" + FIELD_HINT),
    ("Kim year:2024", "unknown field 'year'" + FIELD_HINT),
    ("Handball:WM", "unknown field 'Handball'" + FIELD_HINT),
    ('zitat:"Wir schaffen das"', "unknown field 'zitat'" + FIELD_HINT),
    ("record_hash:abc", "unknown field 'record_hash'" + FIELD_HINT),
    ("date:2023-13", "not a date: '2023-13' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("x date:2023-02-30", "not a date: '2023-02-30' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("date:garbage", "not a date: 'garbage' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("date:0000", "not a date: '0000' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("date:2023-01..2024-06..x", "not a date: '2024-06..x' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("date:-1", "not a date: '-1' (use YYYY, YYYY-MM or YYYY-MM-DD)"),
    ("Kim^0", "boosts must be positive (got ^0)"),
    ("Kim^0.0", "boosts must be positive (got ^0.0)"),
    ("Putin^-5", "boosts must be positive (got ^-5)"),
    ('"a b"^0', "boosts must be positive (got ^0)"),
    ("(a b)^0", "boosts must be positive (got ^0)"),
    ("Putin^1e400", "boost too large: ^1e400 (at most 1e+06)"),
])
def test_errors(text, message):
    with pytest.raises(QueryError) as e:
        parse(text)
    assert str(e.value) == message


def test_the_length_limit_is_inclusive():
    assert parse("x" * 1000) == W("x" * 1000)


# -- the tables -------------------------------------------------------------------------


def test_fields_and_aliases():
    assert list(syntax.FIELDS) == ["title", "kicker", "lead", "body", "image_caption", "authors",
                                   "tags", "location"]
    for canonical, aliases in syntax.FIELDS.items():
        for name in (canonical, *aliases, canonical.upper(), *(a.title() for a in aliases)):
            assert syntax.field_name(name) == canonical
            assert parse(f"{name}:Kim") == W("Kim", canonical)
    assert syntax.field_name("year") is None and syntax.field_name("date") is None
    for name in re.findall(r"\w+", syntax.FIELD_NAMES):  # the names the error message offers
        assert syntax.field_name(name)


def test_operators_are_uppercase_words():
    assert set(syntax.OPERATORS) == {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE"}
    for op in syntax.OPERATORS:
        assert parse(f"a {op.lower()} b") == SEQ(W("a"), W(op.lower()), W("b"))
        assert parse(f"a {op.title()} b") == SEQ(W("a"), W(op.title()), W("b"))


@pytest.mark.parametrize("opening,closing", syntax.QUOTES.items())
def test_every_quote_pair_makes_a_phrase(opening, closing):
    assert parse(f"{opening}Kim Jong{closing}") == P(("Kim", "Jong"))
    assert parse(f"x {opening}Kim Jong{closing}~2 y") == SEQ(W("x"), P(("Kim", "Jong"), slop=2), W("y"))
    assert parse(f"title:{opening}Kim{closing}") == P(("Kim",), "title")


def test_syntax_table_holds_the_readme_rows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| you type | finds |"):]
    rows = re.findall(r"^\| (.+?) \| (.+?) \|$", table.split("\n\n")[0], re.MULTILINE)[1:]
    rows = [r for r in rows if r != ("---", "---")]
    assert rows == list(syntax.SYNTAX)  # the README shows the whole table, in its order
    assert any("„" in typed for typed, _ in syntax.SYNTAX)


def test_syntax_table_examples_parse():
    for typed, _ in syntax.SYNTAX:
        for example_ in re.findall(r"`([^`]+)`", typed):
            if example_ != "( … )":
                parse(example_)


def test_words_are_the_tokenizers():
    try:
        from searchidx.analysis.tokenize import WORD
    except ImportError:  # the tokenizer moved: compare with wherever it went
        pytest.skip("searchidx.analysis.tokenize.WORD is gone")
    assert syntax.WORD.pattern == WORD.pattern
    text = "Kim-Regime O’Neill Ku'damm 8.000 13.09.2023 E-Mail X-37B 3,5 24/7 Straße – x - y"
    assert list(syntax.words(text)) == WORD.findall(text)


def test_syntax_imports_no_whoosh():
    source = Path(syntax.__file__).read_text(encoding="utf-8")
    imported = {a.name for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(ast.parse(source)) if isinstance(n, ast.ImportFrom)}
    assert not any("whoosh" in name for name in imported)
    code = "import sys, searchidx.query.syntax; print(any('whoosh' in m for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize("text,bounds", [
    ("2023", (20230101, 20231231)), ("2023-09", (20230901, 20230931)),
    ("2023-02", (20230201, 20230231)), ("2023-09-13", (20230913, 20230913)),
    ("2023-01..2024-06", (20230101, 20240631)), ("..2020", (None, 20201231)),
    ("2020..", (20200101, None)), ("2020-02-29", (20200229, 20200229)),
])
def test_parse_date(text, bounds):
    assert syntax.parse_date(text) == DateRange(*bounds)
    assert syntax.parse_date("..") is None
    assert unparse(DateRange(*bounds)) == f"date:{text}"


def test_date_bound_for_since_and_until():
    assert syntax.date_bound("2024-06", end=False) == 20240601
    assert syntax.date_bound("2024-06", end=True) == 20240631
    with pytest.raises(QueryError, match="not a date"):
        syntax.date_bound("2023-02-30", end=True)


# -- back to text -------------------------------------------------------------------------


@pytest.mark.parametrize("text,shown", [
    ("Putin Kim", "Putin Kim"),
    ("Kim AND Putin", "Kim AND Putin"),
    ("Kim OR Putin", "Kim OR Putin"),
    ("Kim NOT Moskau", "Kim -Moskau"),
    ("+Kim -Moskau", "+Kim -Moskau"),
    ("NOT Moskau", "-Moskau"),
    ("a b AND c", "a (b AND c)"),
    ("(Putin Moskau)^2 AND (Kim Regierung)", "(Putin Moskau)^2 AND (Kim Regierung)"),
    ("„Hand in Hand“~2", '"Hand in Hand"~2'),
    ("Rak* Pjöngjang~ M?ller Kim~2^1.5", "Rak* Pjöngjang~ M?ller Kim~2^1.5"),
    ("Titel:Kim autor:x kicker:*", "title:Kim authors:x kicker:*"),
    ("title:(Kim OR Putin)", "title:Kim OR title:Putin"),
    ("Putin date:2023-01..2024-06 -date:2023-09", "Putin -date:2023-09 date:2023-01..2024-06"),
    ("Wo liegt Basel?", "Wo liegt Basel"),
    ("a REQUIRE b", "a REQUIRE b"),
    ("a ANDMAYBE b", "+a b"),
    ("AND, OR.", "AND. OR."),  # operator words typed as words stay words
    ("", ""),
])
def test_unparse(text, shown):
    assert unparse(parse(text)) == shown
    assert parse(shown) == parse(text)


# -- properties -----------------------------------------------------------------------------

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

SOUP = st.sampled_from(
    list('()[]{}"\'~^*?:+-\\/!&|., ') + list("„“”»«‚‘’›‹") +
    ["AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "REQUIRE", "TO", "and", "title:", "Titel:",
     "autor:", "kicker:", "date:", "date:2023", "date:2023-09..2024", "-date:2020", "..",
     "2023", "Putin", "Kim", "Kim-Regime", "O’Neill", "Ku'damm", "8.000", "Rak*", "M?ller",
     "~2", "^3", "^0.5", "*", "Basel?", "https://taz.de", "Handball: "])
SOUP_TEXT = st.lists(SOUP, max_size=30).map("".join)

HOSTILE = [
    '"Putin Kim', 'Putin Kim"', '(Putin', 'Putin)', '((((', '))))', '[Putin', 'Putin]',
    '{Putin', 'AND', 'OR', 'NOT', '-', '+', 'AND OR NOT', 'NOT NOT NOT', 'Putin AND',
    'OR Putin', '- -', '+ +', '+-Putin', '-+Putin', 'title:', 'title: ', 'author:', 'tag:',
    'nosuchfield:Putin', '*:*', '*', '?', '**', '*?*', 'title:*', 'Pu*', '*in',
    'W' * 5000, '🦄🔥 Putin 🇩🇪', '\\', '\\\\', 'Putin\\', '\\"', 'C:\\temp\\',
    'date:', 'date:garbage', 'date:2023-13', 'date:2023-02-30', 'date:0000', 'date:99999',
    'date:..', 'date:2023..', 'date:..2024', 'date:2024..2023', 'date:2023-01..2024-06..x',
    'date:-1', 'date:2023 date:2024', 'date:(2023)', '(' * 450 + 'a' + ')' * 450,
    'مرحبا بالعالم', '\u202eniltuP\u202c', '~', '^', '"', "'", 'title:"', 'title:"Putin',
    '"" ""', 'Putin~99', 'a~2/3', 'Putin~/', 'Putin^', 'Putin^abc', 'Putin^1e400',
    'Putin^-5', 'Putin^99999999999999999999', '[a TO b]', 'title:(', 'title:)', ':', '::',
    ':Putin', 'Putin:', 'title:title:Putin', '&&', '||', '!', '\x00', 'Putin\x00Kim',
    'Putin' + '\u0301' * 50, '<script>alert(1)</script>', '%s%n%x', '${HOME}', 'x' * 1000,
]


def _parse_or_none(text):
    try:
        return parse(text)
    except QueryError:
        return None


@FAST
@given(st.text(max_size=300))
@example("\x00")
@example("NOT NOT NOT")
@example("a~2/3")
def test_any_text_parses_or_is_a_query_error(text):
    tree = _parse_or_none(text)
    if tree is not None:
        hash(tree)
        assert parse(text) == tree  # deterministic


@pytest.mark.parametrize("text", HOSTILE, ids=lambda q: repr(q[:30]))
def test_hostile_queries(text):
    tree = _parse_or_none(text)
    if tree is not None:
        assert parse(unparse(tree)) == tree


@FAST
@given(st.one_of(SOUP_TEXT, st.text(max_size=120)))
@example("a REQUIRE b REQUIRE -c ANDNOT d")
@example("-a REQUIRE -b")
@example("date:2023 REQUIRE b")
@example("AND.^2 OR. title:NOT.")
@example("0.5?*AND 8.000?2023")
def test_round_trip_from_text(text):
    tree = _parse_or_none(text)
    if tree is not None:
        shown = unparse(tree)
        assert parse(shown) == tree, shown


# Trees of the shapes `parse` makes, generated and then brought to the simplest
# form as parse states it (independently of the parser's code).

LETTERS = st.text(alphabet="abcäöüßXYZ", min_size=1, max_size=4)
WORD_TEXT = st.one_of(
    st.lists(st.text(alphabet="aäßXЖ7ç", min_size=1, max_size=3), min_size=1, max_size=3).flatmap(
        lambda parts: st.sampled_from("-'’–").map(lambda joiner: joiner.join(parts))),
    st.sampled_from(["Kim", "Kim-Regime", "O’Neill", "8.000", "3,5", "24/7", "AND", "OR", "NOT",
                     "ANDMAYBE", "title", "date", "X-37B", "13.09.2023", "10:30"]))
FIELD = st.sampled_from([None, None, *syntax.FIELDS])
BOOST = st.sampled_from([1.0, 1.0, 2.0, 0.5, 1.5])


@st.composite
def wildcards(draw):
    head = draw(st.one_of(st.just(""), LETTERS))
    pattern = head + draw(st.sampled_from("*?")) + draw(LETTERS) + draw(st.sampled_from(["", "*"]))
    return Wildcard(pattern, draw(FIELD), draw(BOOST))


@st.composite
def date_ranges(draw):
    def spec():
        y = draw(st.integers(1990, 2030))
        m = draw(st.one_of(st.none(), st.integers(1, 12)))
        d = draw(st.integers(1, 28)) if m is not None and draw(st.booleans()) else None
        return f"{y}" + (f"-{m:02d}" if m else "") + (f"-{d:02d}" if d else "")
    kind = draw(st.sampled_from(["one", "range", "from", "until"]))
    text = {"one": lambda: spec(), "range": lambda: f"{spec()}..{spec()}",
            "from": lambda: f"{spec()}..", "until": lambda: f"..{spec()}"}[kind]()
    return syntax.parse_date(text)


LEAVES = st.one_of(
    st.builds(Word, WORD_TEXT, FIELD, BOOST),
    st.builds(Phrase, st.lists(WORD_TEXT, min_size=1, max_size=3).map(tuple), FIELD,
              st.integers(0, 3), BOOST),
    st.builds(Prefix, LETTERS, FIELD, BOOST),
    wildcards(),
    st.builds(Fuzzy, WORD_TEXT, st.integers(1, 2), FIELD, BOOST),
    st.builds(HasField, st.sampled_from(list(syntax.FIELDS)), BOOST),
    st.builds(MatchAll, BOOST),
    date_ranges(),
)


def _bools(inner):
    lists = st.lists(inner, max_size=2).map(tuple)
    return st.builds(Bool, lists, lists, lists, st.lists(date_ranges(), max_size=1).map(tuple),
                     st.booleans(), BOOST)


TREES = st.recursive(LEAVES, _bools, max_leaves=8)


def simplest(node, top=True):
    """`node` as parse would state it: duplicates dropped, dates in filter (or
    must_not), a group of one date is that date, `MatchAll` beside lone
    exclusions, a Bool of one must or should clause is that clause, coord
    only with two should clauses or more, nothing for empty Bools."""
    if not isinstance(node, Bool):
        return Bool(filter=(node,)) if top and isinstance(node, DateRange) else node
    lists = {}
    for name in ("must", "should", "must_not", "filter"):
        lists[name] = [c for c in (simplest(c, top=False) for c in getattr(node, name))
                       if c is not None]
    for name in ("must", "should"):
        dates = [c for c in lists[name] if isinstance(c, DateRange)]
        lists[name] = [c for c in lists[name] if not isinstance(c, DateRange)]
        lists["filter"] += dates
    must, should, must_not, filter_ = (tuple(dict.fromkeys(lists[n]))
                                       for n in ("must", "should", "must_not", "filter"))
    if must_not and not (must or should or filter_):
        must = (MatchAll(),)
    if not (must or should or must_not or filter_):
        return Bool() if top else None
    if len(must) + len(should) == 1 and not (must_not or filter_):
        return with_boost((must or should)[0], node.boost)
    if len(filter_) == 1 and not (must or should or must_not) and not top:
        return filter_[0]
    boost = 1.0 if len(filter_) == 1 and not (must or should or must_not) else node.boost
    return Bool(must, should, must_not, filter_, node.coord or len(should) < 2, boost)


@settings(FAST, max_examples=150)
@given(TREES)
def test_round_trip_from_trees(tree):
    tree = simplest(tree)
    shown = unparse(tree)
    assert parse(shown) == tree, shown


def test_fast_enough():
    """Parsing is not a cost: a few hundred microseconds for a long query."""
    import time
    text = " ".join(['(Putin OR "Kim Jong"~2) AND title:Rak* -date:2023'] * 19)
    t0 = time.perf_counter()
    for _ in range(20):
        parse(text)
    assert (time.perf_counter() - t0) / 20 < 0.05
