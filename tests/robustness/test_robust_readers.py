"""Hypothesis-generated article files for every reader: no exception escapes
(other than BinaryContent from parse_text_file for binary input) and every
Article comes back with well-typed fields."""
from __future__ import annotations

import io
import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from searchidx.input import formats as readers
from searchidx.input.decode import BinaryContent, decode
from searchidx.input.formats import generic, jsonl, plain_dated, taz_gopher

from robust_helpers import check_article, seed_texts

SETTINGS = settings(max_examples=80, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SEEDS = seed_texts()

SECTION_HEADERS = ["## LINKS", "## AUTOREN", "## AUTORIN", "## AUTOR", "## TAGS",
                   "## ARTIKEL ZUM THEMA", "## links", "##  TAGS ", "## Zwischentitel", "##"]
SPECIAL_LINES = SECTION_HEADERS + [
    "# taz.de -- Kicker: Titel", "# taz.de -- ", "# taz.de --  : ", " date 2024-06 Teaser",
    "date 2024-13", "date 0001-01-01 x", "(DIR) Verwandter Artikel", "(IMG) Bild: Foto",
    "(TXT) x", "(ZZZ)", "[1] https://taz.de/", "[1]", "[99999999999999999999] x",
    "[1][Link]", "[2][", "> Vorspann", ">", "13 Sep 2023", "31 Feb 2023", "1. März 2024",
    "00 Okt 0000", "BERLIN taz | Text", " taz | ", "\ufeff", "\x0c", "\u2028", "\t",
    "Ä" * 300,
]


def collect():
    msgs = []

    def warn(m):
        assert isinstance(m, str)
        msgs.append(m)
    return msgs, warn


def parse_bytes(data: bytes, article_id="a/b", path="/c/a/b.txt"):
    msgs, warn = collect()
    try:
        arts = readers.parse_text_file(data, article_id, path, warn)
    except BinaryContent:
        return None
    assert isinstance(arts, list)
    for a in arts:
        check_article(a, article_id=article_id)
        assert a.path == path
        assert a.format in readers.FORMAT_NAMES
    return arts


# -- strategies ---------------------------------------------------------------

line_st = st.one_of(st.text(max_size=80), st.sampled_from(SPECIAL_LINES))


@st.composite
def mutated_seed(draw):
    """A seed article with lines deleted/duplicated/replaced, headers inserted,
    other line endings, a BOM, cp1252, truncation."""
    lines = draw(st.sampled_from(SEEDS)).split("\n")
    for _ in range(draw(st.integers(0, 8))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "replace", "swap"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            lines = [""]
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(line_st))
        elif op == "replace":
            lines[i] = draw(line_st)
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    eol = draw(st.sampled_from(["\n", "\r\n", "\r", "\n\r"]))
    text = eol.join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.booleans()):
        data = data[:draw(st.integers(0, len(data)))]
    return data


@st.composite
def text_article(draw):
    """Random text, often starting like one of the formats."""
    head = draw(st.sampled_from(["", "# taz.de -- ", "\ufeff# taz.de -- ", " date 2024-06 ",
                                 "date 2023 ", "\n\n# taz.de -- K: ", "#", "\ufeff"]))
    body = draw(st.lists(line_st, max_size=20))
    return head + "\n".join(body)


# -- parse_text_file ------------------------------------------------------------

@SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes(data):
    parse_bytes(data)


@SETTINGS
@given(st.text(max_size=2000))
def test_random_text_utf8(text):
    arts = parse_bytes(text.encode("utf-8"))
    if arts is None:
        # Only NULs or many control characters make text "binary".
        assert "\x00" in text or sum(ord(c) < 32 for c in text) > 8


@SETTINGS
@given(mutated_seed())
@example(b"\xef\xbb\xbf\xef\xbb\xbf# taz.de -- Kicker: Titel\n\nText")  # two BOMs
@example(b" \xef\xbb\xbf# taz.de -- Kicker: Titel\n\nText")
@example(b"\xef\xbb\xbf \n# taz.de -- K: T\n")
def test_mutated_seeds(data):
    parse_bytes(data)


@SETTINGS
@given(text_article(), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_format_shaped_text(text, encoding, eol):
    parse_bytes(text.replace("\n", eol).encode(encoding, errors="replace"))


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_seeds_parse_with_every_line_ending_and_bom(seed):
    text = SEEDS[seed]
    base = parse_bytes(text.encode())
    assert base and base[0].title
    for eol in ("\r\n", "\r"):
        for bom in (b"", b"\xef\xbb\xbf"):
            arts = parse_bytes(bom + text.replace("\n", eol).encode())
            assert [a.to_dict() for a in arts] == [a.to_dict() for a in base], (eol, bom)


# -- each text reader on its own (input as decode() hands it over) ---------------

@SETTINGS
@given(st.one_of(text_article(), st.text(max_size=1500), mutated_seed().map(
    lambda b: b.decode("utf-8", errors="replace"))))
@example("\ufeff# taz.de -- K: T\nText")
@example(" \ufeff# taz.de -- K: T\nText")
@example("\ufeff \n# taz.de -- K: T\nText")
def test_each_text_reader(text):
    text = text.replace("\x00", "")
    try:
        text = decode(text.encode("utf-8")).text
    except BinaryContent:
        return
    for fmt in (taz_gopher, plain_dated, generic):
        if fmt.matches(text):
            for a in fmt.read(text, "x", "x.txt"):
                check_article(a, article_id="x")
                assert a.format == fmt.NAME


_WORD = re.compile(r"[^\W_]+")


@SETTINGS
@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                        max_size=300), min_size=1, max_size=6))
@example(["Erster Satz mit Inhalt. Zweiter Satz mit dem Wort Zitronenfalter.", "", "Rest"])
@example(["Wort " * 60])
def test_generic_reader_keeps_every_word(lines):
    """Plain text with no known header is read by `generic`: all of its words
    stay searchable (title + body), none are dropped."""
    text = "\n".join(lines)
    if taz_gopher.matches(text) or plain_dated.matches(text) or not text.strip():
        return
    (a,) = generic.read(text, "x", "x.txt")
    kept = set(_WORD.findall(a.title + " " + a.body))
    lost = [w for w in _WORD.findall(text.lstrip("\ufeff")) if w not in kept]
    assert not lost, f"words dropped: {lost[:10]} (title={a.title!r})"


# -- JSON lines ----------------------------------------------------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                        st.text(max_size=40))
json_value = st.recursive(json_scalar, lambda c: st.one_of(
    st.lists(c, max_size=4), st.dictionaries(st.text(max_size=8), c, max_size=4)), max_leaves=12)
KEYS = ["id", "title", "kicker", "lead", "text", "body", "date", "authors", "author", "tags",
        "location", "links", "other"]
record_st = st.dictionaries(st.sampled_from(KEYS), st.one_of(
    json_value, st.lists(st.text(max_size=10), max_size=4),
    st.sampled_from(["2024-06-19", "2024-06", "2024", "0001-01-01", "2024-13-01",
                     "2024-06-19T10:00:00Z", "19.06.2024", ""])), max_size=8)
line_bytes = st.one_of(
    record_st.map(lambda r: json.dumps(r).encode()),
    record_st.map(lambda r: json.dumps(r, ensure_ascii=False).encode()),
    json_value.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=60).map(lambda b: b.replace(b"\n", b" ")),
    st.text(max_size=60).map(lambda t: t.replace("\n", " ").encode()),
    st.sampled_from([b"", b"   ", b"{", b"}", b"[]", b"null", b"{\"id\": 1}", b"{\"id\": 1}",
                     b"\xef\xbb\xbf{\"title\": \"BOM\"}", b"{\"title\": \"\\u0000\"}",
                     b"NaN", b"{\"id\": NaN}", b"{\"id\": Infinity, \"title\": 1e999}"]),
)


@SETTINGS
@given(st.lists(line_bytes, max_size=15), st.sampled_from([b"\n", b"\r\n"]),
       st.sampled_from([10, 64, 8 * 1024 * 1024]), st.booleans())
def test_jsonl_read_stream(lines, eol, max_bytes, trailing):
    data = eol.join(lines) + (eol if trailing else b"")
    msgs, warn = collect()
    arts = list(jsonl.read_stream(io.BytesIO(data), "dir/feed", "/c/dir/feed.jsonl",
                                  max_bytes, warn))
    ids = [a.id for a in arts]
    assert len(ids) == len(set(ids)), ids
    for a in arts:
        check_article(a, id_prefix="dir/feed/")
        assert a.format == jsonl.NAME


@pytest.mark.parametrize("line", [
    b"[" * 100_000 + b"]" * 100_000,                       # nesting deeper than the recursion limit
    b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    b'{"id": ' + b"9" * 5000 + b"}",                       # int longer than Python's str limit
])
def test_jsonl_pathological_line_is_skipped_not_fatal(line):
    """One pathological record is skipped with a warning; the good records around it survive."""
    data = b'{"id": 1, "title": "gut"}\n' + line + b'\n{"id": 2, "title": "auch gut"}\n'
    msgs, warn = collect()
    arts = list(jsonl.read_stream(io.BytesIO(data), "f", "f.jsonl", 8 * 1024 * 1024, warn))
    assert [a.id for a in arts] == ["f/1", "f/2"]
    assert any(":2:" in m for m in msgs), msgs


def test_jsonl_lone_surrogate_escape_gives_encodable_text():
    """`\\ud800` is valid JSON but not valid Unicode text; the reader must not hand
    the index a string that cannot be written as UTF-8 (or must skip the record)."""
    data = b'{"id": 1, "title": "kaputt \\ud800 Zeichen", "text": "x \\udfff y"}\n'
    msgs, warn = collect()
    arts = list(jsonl.read_stream(io.BytesIO(data), "f", "f.jsonl", 1 << 20, warn))
    for a in arts:
        check_article(a)
        for name in ("title", "body"):
            getattr(a, name).encode("utf-8")  # raises UnicodeEncodeError on a lone surrogate
