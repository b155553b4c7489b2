"""Shared word analyses (words.WordForms) must build the same queries."""
import json

import pytest

from searchidx import Index
from searchidx.analysis import german_analyzer
from searchidx.search import parse, words

from support import WIKINEWS

QUERIES = ["Putin Kim Raketen", "Waffenlieferungen", "Kim-Regime", "Hong Kong",
           "title:Merkel Regierung", '"Hand in Hand"', "Rak* Pjöngjang~", "(Papst OR Kirche) Rom",
           "der die das", "Wagenknecht"]


def test_word_forms_build_the_same_queries(news_index):
    if not WIKINEWS.exists():
        pytest.skip(f"shared data not found at {WIKINEWS}")
    with open(WIKINEWS, encoding="utf-8") as f:
        titles = [json.loads(line)["title"] for line in f][:300]
    with Index(str(news_index)) as ix:
        schema = ix.searcher().ix.schema
        plain = parse.make_parser(schema)
        forms = words.WordForms(german_analyzer())
        shared = parse.make_parser(schema, forms)
        assert shared.word_forms_fields == {"head", "body", "title", "kicker", "lead",
                                            "image_caption"}
        for text in QUERIES + titles:
            for _ in range(2):  # first analysed, then from the cache
                assert parse.parse(shared, text) == parse.parse(plain, text), text


def test_word_forms_remember_alternatives():
    forms = words.WordForms(german_analyzer())
    first = forms.alternatives("Waffenlieferungen")
    assert first == words.alternatives(german_analyzer(), "Waffenlieferungen")
    assert forms.alternatives("Waffenlieferungen") is first
    assert forms.alternatives("und") == []


def test_word_forms_remember_query_terms():
    forms = words.WordForms(german_analyzer())
    for word in ("Hongkong", "Waffenlieferungen", "Kim-Regime", "und", "Straße"):
        expected = tuple(t.text for t in german_analyzer()(word, mode="query"))
        assert forms.query_terms(word) == expected
        assert forms.query_terms(word) is forms.query_terms(word)
