"""Queries of plain words skip Whoosh's tagging: the query must be the one
the parser builds."""
import json

import pytest

from searchidx import Index
from searchidx.search import parse

from support import WIKINEWS

EDGE_CASES = ["der die das", "der", "Kim Kim", "Kim kim", "Kim-Regime", "E-Mail-Interview",
              "2024 Wahl", "Straße Muenchen", "Waffenlieferungen Wagenknecht", "Pjöngjang",
              "NOTE Kim", "ANDY Kim", "Hongkong Hong Kong", "x y z", "A4 B-52 1-2-3"]
NOT_PLAIN = ["Kim AND Putin", "NOT Kim", "Kim OR Putin", "Kim -Putin", "+Kim", "Kim*", "Kim~",
             "title:Kim", '"Kim Putin"', "(Kim)", "Kim^2", "Kim's", "Kim.", "Kim_Jong", "Kim--Jong",
             "-Kim", "Kim-", "AND", "Kim NOT", "ANDY OR"]


def _whoosh(parser, text):
    q = parser.parse(text)
    return q if q is parse.Q.NullQuery else q.accept(parse._check_and_lift_nots)


@pytest.fixture(scope="module")
def parser(news_index):
    with Index(str(news_index)) as ix:
        yield ix.searcher().parser


def test_plain_words_build_the_parsers_query(parser):
    if not WIKINEWS.exists():
        pytest.skip(f"shared data not found at {WIKINEWS}")
    with open(WIKINEWS, encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for line in f]
    plain = 0
    for text in EDGE_CASES + titles:
        q = parse._plain_words_query(parser, text)
        if q is None:
            continue
        plain += 1
        expected = _whoosh(parser, text)
        assert q == expected and repr(q) == repr(expected), text
        assert parse.parse(parser, text) == expected
    assert plain > 400


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_are_plain(parser, text):
    assert parse._plain_words_query(parser, text) is not None


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_query_syntax_goes_through_whoosh(parser, text):
    assert parse._plain_words_query(parser, text) is None
