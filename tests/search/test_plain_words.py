"""Queries without syntax skip Whoosh's tagging (search/plain.py): the query
must be the one the parser builds, spacing variants included."""
import pytest

from searchidx.search import parse, plain

from support import parser_query, wikinews_titles

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


def test_plain_queries_are_the_parsers(searcher):
    plain_count = 0
    for text in EDGE_CASES + wikinews_titles():
        text = parse.split_dates(parse.drop_question_marks(text))[0]
        expected = parser_query(searcher.parser, text)
        q = parse.parse(searcher.parser, text)
        assert q == expected and repr(q) == repr(expected), text
        plain_count += all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())
    assert plain_count > 800


def test_spacing_variants_are_the_parsers(searcher):
    grouped = 0
    for text in EDGE_CASES + wikinews_titles():
        text = parse.split_dates(parse.drop_question_marks(text))[0]
        expected = parser_query(searcher.parser, searcher._spacing_variants(text))
        q = searcher._parse(text)
        assert q == expected and repr(q) == repr(expected), text
        groups = searcher._spacing_groups(text)
        grouped += bool(groups) and any(len(g) > 1 for g in groups)
    assert grouped > 100


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_are_plain(searcher, text):
    assert all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_query_syntax_goes_throughparser_query(searcher, text):
    assert not all(plain.is_plain(w, searcher.parser.fieldnames) for w in text.split())
    assert parse.parse(searcher.parser, text) == parser_query(searcher.parser, text)
