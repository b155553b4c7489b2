"""The analysis chains, stated as tables of tokens (Lucene's assertAnalyzesTo
style): term, position, kind. A change in one step shows as a diff here."""
import json
import re

import pytest
from hypothesis import given, settings, strategies as st

from searchidx.analysis import words
from searchidx.analysis.fold import fold
from searchidx.analysis.occurrences import Occurrences, Terms, WordTable
from searchidx.analysis.words import JOINED, PART, WORD_KIND

from support import PLAIN_SEED, TAZ_SEED, WIKINEWS

W, J, P = WORD_KIND, JOINED, PART


def tokens(text):
    """(term, position, kind) of every token of `text`, as indexing sees them."""
    out, pos = [], 0
    for word in re.findall(words.WORD.pattern, text):
        analysis = words.german().analyse(word)
        out += [(t.text, pos + t.pos, t.kind) for t in analysis.tokens]
        pos += analysis.width
    return out


def texts(text):
    return [t[0] for t in tokens(text)]


@pytest.mark.parametrize("word,folded", [
    ("münchen", "munchen"), ("muenchen", "munchen"), ("straße", "strasse"),
    ("strasse", "strasse"), ("quelle", "quelle"), ("bauen", "bauen"), ("neuen", "neuen"),
    ("dusseldorf", "dusseldorf"), ("goethe", "gothe"), ("weltraumbahnhöfe", "weltraumbahnhofe"),
])
def test_fold(word, folded):
    assert fold(word) == folded


def test_hyphenated_word_gives_joined_form_and_pieces():
    assert tokens("Das Kim-Regime") == [("kimregim", 1, J), ("kim", 1, W), ("regim", 2, W)]


def test_query_terms_are_the_pieces_only():
    assert words.german().query_terms("Kim-Regime") == ("kim", "regim")
    assert words.german().query_terms("Waffenlieferungen") == ("waffenlieferung",)


def test_numbers_and_dates_stay_usable():
    assert texts("8.000 Kilometer am 13.09.2023, Shenzhou-7") == [
        "8000", "kilometer", "13.09.2023", "shenzhou7", "shenzhou", "7"]


def test_umlaut_and_transliteration_meet():
    assert texts("München Muenchen Straße Strasse") == ["munch", "munch", "strass", "strass"]


def test_stop_words_leave_position_gaps():
    assert tokens("Hand in Hand") == [("hand", 0, W), ("hand", 2, W)]
    assert words.german().phrase("Hand in Hand") == [("hand", 0), ("hand", 2)]


def test_compound_parts_follow_the_whole_word():
    assert tokens("Waffenlieferungen") == [
        ("waffenlieferung", 0, W), ("_waff", 0, P), ("_lieferung", 0, P)]
    assert texts("Weltraumbahnhof") == ["weltraumbahnhof", "_weltraum", "_bahnhof"]


@pytest.mark.parametrize("same,other", [
    ("Fahrer Fahrers Fahrern Busfahrer", "fahren"),      # an agent noun is not its verb
    ("Meister Meistern", "meisten"), ("Schwester Schwestern", "schwer"),
    ("Kinder Kind Kindern", "Kinn"), ("Länder Land Landes", "Landung"),  # plurals in -er: their base
])
def test_nouns_in_er_keep_their_ending_unless_a_plural(same, other):
    stems = {texts(w)[0] for w in same.split()[:3]}
    assert len(stems) == 1 and texts(other)[0] not in stems
    if same.startswith("Fahrer"):
        assert texts("Busfahrer")[0] == "busfahrer"  # a head the lexicon has: kept too


def test_genitive_of_names():
    assert texts("Putins") == ["putin"]


def test_name_analyzer_folds_without_stemming():
    assert list(words.names().positions("Inna Hartwich, Nordkoreas Bürgermeister")) == [
        "inna", "hartwich", "nordkoreas", "burgermeister"]


def _batch_positions(text, analyzer):
    """Occurrences (the index writer's numpy path) of one text, as term -> positions."""
    table = WordTable(analyzer, Terms())
    occ = Occurrences()
    occ.add(0, text)
    _, term, pos, _, _ = occ.expand(table, 1, weighted=False)
    out = {}
    for t, p in zip(term.tolist(), pos.tolist()):
        out.setdefault(table.terms.list[t], []).append(p)
    return out


@pytest.mark.parametrize("path", [TAZ_SEED, PLAIN_SEED])
@pytest.mark.parametrize("analyzer", [words.german, words.names])
def test_batch_occurrences_equal_the_chain(path, analyzer):
    text = path.read_text(encoding="utf-8")
    assert _batch_positions(text, analyzer()) == analyzer().positions(text)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aäbeKmnoöSsßuü-–.,'’ 0123\n")), max_size=80))
def test_batch_occurrences_equal_the_chain_on_random_text(text):
    assert _batch_positions(text, words.german()) == words.german().positions(text)


def test_analysis_equals_the_first_chain_on_wikinews_words():
    """The terms of every word of the first 200 Wikinews articles, as a
    digest: any change to the analysis shows here, and must come with a new
    ANALYSIS_VERSION (indexes of the old one are rebuilt). This is version
    4's (adjectives in -anisch, -enisch not split with Nische); version 2's (the light
    stemmer, nouns in -er kept) was a20e167e…; version 1's, the Whoosh chain's of commit
    e532b3d, was ddf9e997…"""
    import hashlib

    words_ = set()
    with WIKINEWS.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == 200:
                break
            words_.update(words.WORD.findall(json.loads(line)["text"]))
    h = hashlib.sha256()
    for w in sorted(words_):
        terms = (t.text.removeprefix(words.PART_MARK) for t in words.german().analyse(w).tokens)
        h.update((w + "\t" + " ".join(terms) + "\n").encode())
    assert len(words_) == 9680
    assert h.hexdigest() == "6e7d4a98279e1cc661519d680bd55c7050c02d6abe911d853891bc9456f3e4c2"


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


@pytest.mark.parametrize("text, word, completed", [
    ("Click- und Crowdworker", "Click", "clickworker"),
    ("die Ein- oder Ausfuhr", "Ein", "einfuhr"),
    ("Bundes-, Landes- und Kommunalpolitik", "Bundes", "bundespolitik"),
    ("Bundes-, Landes- und Kommunalpolitik", "Landes", "landespolitik"),
])
def test_a_word_with_its_end_elided_is_completed(text, word, completed):
    """German elides a compound's shared end (`Click- und Crowdworker`): the
    first word is indexed as the compound too, at its own position."""
    positions = _batch_positions(text, words.german())
    assert positions == words.german().positions(text)
    first = words.WORD.findall(text).index(word)  # (every word here one position wide)
    found = [t for t, ps in positions.items() if first in ps]
    assert any(t.startswith(completed[:-2]) for t in found), (found, completed)


def test_a_dash_is_no_elision():
    plain = {t for t in _batch_positions("Die Wahl - und das Ergebnis", words.german())}
    assert plain == set(texts("Die Wahl und das Ergebnis"))
