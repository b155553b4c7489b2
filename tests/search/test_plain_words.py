"""Queries without syntax skip Whoosh's tagging (search/plain.py): the query
must be the one the parser builds, spacing variants included."""
import json

import pytest

from searchidx import Index
from searchidx.search import parse, plain

from support import WIKINEWS

EDGE_CASES = ["der die das", "der", "Kim Kim", "Kim kim", "Kim-Regime", "E-Mail-Interview",
              "2024 Wahl", "Straße Muenchen", "Waffenlieferungen Wagenknecht", "Pjöngjang",
              "NOTE Kim", "ANDY Kim", "Hongkong Hong Kong", "x y z", "A4 B-52 1-2-3",
              "Linux, Windows und OS X", "St. Moritz", "„Al-Qaida“-Mitglieder", "verurteilt – 300",
              "Handball: Wegen", "Titel: Kim", "Bild: Kim", "a:", "2023: Jahr", "Kim Kim:", "Krise - Start", "A + B", "-", "x -",
              "Hong Kong Gedenken Peking", "Terroristen Anschlag", "Email Interview Regisseur"]
NOT_PLAIN = ["Kim AND Putin", "NOT Kim", "Kim OR Putin", "Kim -Putin", "+Kim", "Kim*", "Kim~",
             "title:Kim", "titel: Kim", "ort: Berlin", "bild: Kim", "Nord-Korea: Kim",
             "Handball:Wegen", "x:y", '"Kim Putin"', "(Kim)", "Kim^2", "Kim's", "M?ller",
             "-Kim", "AND", "Kim NOT", "ANDY OR", "Kim REQUIRE Putin", "[Kim]", "Kim\\"]


def _whoosh(parser, text):
    q = parser.parse(text)
    return q if q is parse.Q.NullQuery else q.accept(parse._check_and_lift_nots)


@pytest.fixture(scope="module")
def searcher(news_index):
    with Index(str(news_index)) as ix:
        yield ix.searcher()


def _titles():
    if not WIKINEWS.exists():
        pytest.skip(f"shared data not found at {WIKINEWS}")
    with open(WIKINEWS, encoding="utf-8") as f:
        return [json.loads(line)["title"] for line in f]


def test_plain_queries_are_the_parsers(searcher):
    plain_count = 0
    for text in EDGE_CASES + _titles():
        text = parse.split_dates(parse.drop_question_marks(text))[0]
        expected = _whoosh(searcher.parser, text)
        q = parse.parse(searcher.parser, text)
        assert q == expected and repr(q) == repr(expected), text
        plain_count += all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())
    assert plain_count > 800


def test_spacing_variants_are_the_parsers(searcher):
    grouped = 0
    for text in EDGE_CASES + _titles():
        text = parse.split_dates(parse.drop_question_marks(text))[0]
        expected = _whoosh(searcher.parser, searcher._spacing_variants(text))
        q = searcher._parse(text)
        assert q == expected and repr(q) == repr(expected), text
        groups = searcher._spacing_groups(text)
        grouped += bool(groups) and any(len(g) > 1 for g in groups)
    assert grouped > 100


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_are_plain(searcher, text):
    assert all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_query_syntax_goes_through_whoosh(searcher, text):
    assert not all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())
    assert parse.parse(searcher.parser, text) == _whoosh(searcher.parser, text)
