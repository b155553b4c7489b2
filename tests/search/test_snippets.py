"""Snippets and marked words: the spans must mark exactly the matched words."""
import json
import re

import pytest

from searchidx import Index
from searchidx.analysis.fold import fold
from searchidx.analysis.tokenize import WORD
from searchidx.query.rewrites import Context, rewrite
from searchidx.query.syntax import parse
from searchidx.search import snippets
from searchidx.search.searcher import highlight_terms

from support import WIKINEWS

LONG_TITLE = ("Ein sehr langer Titel " + "über vieles Weitere " * 12
              + "und am Ende Waffenlieferungen")


@pytest.fixture(scope="module")
def long_title_index(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("long-title")
    rec = {"id": 1, "title": LONG_TITLE, "date": "2024-01-02",
           "text": "Die Regierung beschließt heute neue Waffenlieferungen. Mehr folgt."}
    (corpus / "a.jsonl").write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    ix = Index(str(tmp_path_factory.mktemp("long-title-ix") / "index"))
    ix.index([str(corpus)])
    yield ix
    ix.close()


def test_long_title_spans_refer_to_the_title(long_title_index):
    # A title longer than a snippet fragment was cut like a snippet, and its
    # spans then referred to the cut text, not to the title that gets marked.
    hit = long_title_index.search("Waffenlieferungen").hits[0]
    assert hit.article.title == LONG_TITLE
    assert [LONG_TITLE[s:e] for s, e in hit.title_spans] == ["Waffenlieferungen"]
    assert [hit.snippet.text[s:e] for s, e in hit.snippet.spans] == ["Waffenlieferungen"]


def _reference_hits(text, terms, analyzer):
    """The plain per-word algorithm the fast one must agree with."""
    out = []
    for m in WORD.finditer(text, 0, snippets.MAX_SCAN_CHARS):
        word = m.group()
        squashed = snippets._SEPARATORS.sub("", fold(word.lower()))
        if any(t in squashed for t in terms) and any(t.text in terms
                                                     for t in analyzer.analyse(word).tokens):
            out.append(m.span())
    return out


QUERIES = ["Putin Kim Raketen", "Waffenlieferungen", "Kim-Regime", "Hong Kong",
           "Bürgermeister Wahl", "Lieferung", "Muenchen Strasse", "Papst Rom Kirche"]


@pytest.fixture(scope="module")
def wikinews_texts():
    with open(WIKINEWS, encoding="utf-8") as f:
        return [re.sub(r"\s*\n\s*", " ", json.loads(line)["text"]) for line in f][:200]


@pytest.mark.parametrize("query", QUERIES)
def test_hits_equal_the_per_word_reference(news_index, wikinews_texts, query):
    with Index(str(news_index)) as ix:
        s = ix.searcher()
        terms = highlight_terms(rewrite(parse(query), Context(s.reader), correct=False))
        assert terms
        matches = snippets.Matches(terms, s.german)  # shared, as in one query
        # (and texts past the scan limit, cut in words and between them)
        long = [" ".join(wikinews_texts[:12])[:n] for n in (snippets.MAX_SCAN_CHARS + 3, 9000)]
        for text in wikinews_texts + long:
            expected = _reference_hits(text, terms, s.german)
            assert snippets._hits(text, matches) == expected
            assert snippets._hits(text, snippets.Matches(terms, s.german)) == expected


def test_copies_share_one_snippet(news_index, wikinews_texts):
    with Index(str(news_index)) as ix:
        s = ix.searcher()
        terms = {"regier", "kanzl"}
        matches = snippets.Matches(terms, s.german)
        for text in wikinews_texts[:50]:
            fresh = snippets.make_snippet(text, terms, s.german)
            assert snippets.make_snippet(text, terms, s.german, matches) == fresh
            assert snippets.make_snippet(text, terms, s.german, matches) == fresh


def test_bulk_folding_equals_folding_each_word():
    words = ["Quelle", "bauen", "Übermaß", "Straße", "ΟΔΟΣ", "ΟΔΟΣ-Ende", "İstanbul", "Kim-Regime",
             "O'Neill", "ue", "aue", "Ue", "E.ON", "Müller", "MUELLER", "Boeing", "Maerz", "x"]
    snippets._SQUASHED.clear()
    expected = [snippets._SEPARATORS.sub("", fold(w.lower())) for w in words]
    assert snippets._squashed(words) == expected
    assert snippets._squashed(list(reversed(words))) == list(reversed(expected))
