"""The analysis chain, stated as tables of tokens (Lucene's assertAnalyzesTo style):
text, position, start, end, variant. A change in one filter shows as a diff here."""
import itertools
import json
import pickle
import re

import pytest
from hypothesis import given, settings, strategies as st

from searchidx import engine
from searchidx.analysis import german_analyzer, name_analyzer
from searchidx.analysis.fold import fold

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS


def tokens(text, mode="index"):
    return [(t.text, t.pos, t.startchar, t.endchar, t.variant)
            for t in german_analyzer()(text, positions=True, chars=True, mode=mode)]


def texts(text, mode="index"):
    return [t[0] for t in tokens(text, mode)]


@pytest.mark.parametrize("word,folded", [
    ("münchen", "munchen"), ("muenchen", "munchen"), ("straße", "strasse"),
    ("strasse", "strasse"), ("quelle", "quelle"), ("bauen", "bauen"), ("neuen", "neuen"),
    ("dusseldorf", "dusseldorf"), ("goethe", "gothe"), ("weltraumbahnhöfe", "weltraumbahnhofe"),
])
def test_fold(word, folded):
    assert fold(word) == folded


def test_hyphenated_word_gives_joined_form_and_parts():
    assert tokens("Das Kim-Regime") == [
        ("kimregim", 1, 4, 14, True), ("kim", 1, 4, 7, False), ("regim", 2, 8, 14, False)]


def test_hyphen_parts_only_in_query_mode():
    assert texts("Kim-Regime", mode="query") == ["kim", "regim"]


def test_numbers_and_dates_stay_usable():
    assert texts("8.000 Kilometer am 13.09.2023, Shenzhou-7") == [
        "8000", "kilom", "13.09.2023", "shenzhou7", "shenzhou", "7"]


def test_umlaut_and_transliteration_meet():
    assert texts("München Muenchen Straße Strasse") == ["munch", "munch", "strass", "strass"]


def test_stop_words_leave_position_gaps():
    assert tokens("Hand in Hand") == [("hand", 0, 0, 4, False), ("hand", 2, 8, 12, False)]


def test_compound_parts_follow_the_whole_word():
    assert tokens("Waffenlieferungen") == [
        ("waffenliefer", 0, 0, 17, False), ("waff", 0, 0, 17, True), ("liefer", 0, 0, 17, True)]
    assert texts("Weltraumbahnhof") == ["weltraumbahnhof", "weltraum", "bahnhof"]


def test_compound_parts_not_in_query_mode():
    assert texts("Waffenlieferungen", mode="query") == ["waffenliefer"]


def test_genitive_of_names():
    assert texts("Putins") == ["putin"]


def test_name_analyzer_folds_without_stemming():
    assert [t.text for t in name_analyzer()("Inna Hartwich, Nordkoreas Bürgermeister")] == [
        "inna", "hartwich", "nordkoreas", "burgermeister"]


def test_analyzers_pickle_before_and_after_use():
    a = german_analyzer()
    before = pickle.dumps(a)
    list(a("Waffenlieferungen in München"))
    after = pickle.dumps(a)
    assert len(after) == len(before) < 5000  # the stop list, no caches or lexicon
    b = pickle.loads(after)
    assert [t.text for t in b("Häuser")] == ["haus"]


def _word_cache_postings(text):
    field = engine.make_schema()["body"]
    return {t.decode(): (n, field.format.decode_positions(v)) for t, n, _, v in field.index(text)}


def _chain_postings(text):
    field = engine.make_schema()["body"]
    return {t: (n, field.format.decode_positions(v))
            for t, n, _, v in field.format.word_values(text, field.analyzer, mode="index")}


@pytest.mark.parametrize("path", [TAZ_SEED, PLAIN_SEED])
def test_word_cache_indexes_exactly_like_the_chain(path):
    text = path.read_text(encoding="utf-8")
    assert _word_cache_postings(text) == _chain_postings(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aäbeKmnoöSsßuü-–.,'’ 0123\n")), max_size=80))
def test_word_cache_equals_chain_on_random_text(text):
    assert _word_cache_postings(text) == _chain_postings(text)


def test_fast_word_path_equals_the_chain_on_wikinews_words():
    """WordCache analyses a word without Token objects (chain.word_terms):
    the same terms as the chain, on real words (compounds, names, numbers)."""
    if not WIKINEWS.exists():
        pytest.skip(f"{WIKINEWS} not found")
    from searchidx.analysis.chain import word_terms
    from searchidx.analysis.tokenize import WORD

    analyzer = german_analyzer()
    fast = word_terms(analyzer)
    words = set()
    with WIKINEWS.open(encoding="utf-8") as f:
        for line in itertools.islice(f, 200):
            words.update(WORD.findall(json.loads(line)["text"]))
    assert len(words) > 5000
    for word in sorted(words):
        chain = tuple((t.text, t.pos) for t in analyzer(word, positions=True, mode="index"))
        assert fast(word)[0] == chain, word


# The word pattern's grammar as first written: a word, then apostrophe-joined
# words, then hyphen-joined ones, each again with apostrophe-joined words.
_HYPHENS = "-\u2010\u2011\u2012\u2013"
_GRAMMAR = re.compile(r"\d+(?:[.,:/]\d+)+"
                      rf"|[^\W_]+(?:['’]?[^\W_]+)*(?:[{_HYPHENS}][^\W_]+(?:['’][^\W_]+)*)*")


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aÄßé1_9-\u2010\u2013'’.,:/ \n")), max_size=60))
def test_word_pattern_matches_its_grammar(text):
    from searchidx.analysis.tokenize import WORD

    assert WORD.findall(text) == _GRAMMAR.findall(text)
