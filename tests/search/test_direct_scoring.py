"""The direct scorer must rank exactly as Whoosh's own matchers would."""
import json

import pytest

from searchidx import Index
from searchidx.search import expand, parse

from support import WIKINEWS

QUERIES = [
    "Putin Kim Raketen", "Bundesregierung kritisiert neue Steuer", "Waffenlieferungen",
    "Hong Kong", "Kim-Regime", "Pendlerpauschale", "Nordkorea", "Regierung -Merkel",
    "+Wahl Kanzler", "Merkel AND Schröder", "(Papst OR Kirche) Rom", '"Hand in Hand"',
    "Rak*", "Pjöngjang~", "Bürgermeister Wahl date:2006", "Frankreich Präsident Sarkozy",
    "(Putin Moskau)^2 AND (Kim Regierung)", "(Kim Putin)^3 AND Regierung",
    "Regierung ANDMAYBE (Kim Putin)^2", "Regierung NOT Merkel", "Kim (Putin -Schoigu)",
    # phrases whose words never meet in one document, and ones that do
    '"Regierung Xylophon"', 'Terroristen "Terror Isten"^0.4', '"Kim Regime" Putin', 'title:"Hand in Hand"',
    # parts of head: title:, lead:, kicker:*
    "title:Rak* Putin", "lead:(Kim OR Putin) Regierung", "Raketen -kicker:*", "titel:Papst^2 Rom",
    "title:Pjöngjang~ Kim",
]


@pytest.fixture(scope="module", params=["one segment", "three segments", "seven segments"])
def searcher(request, news_index, tmp_path_factory):
    if request.param == "one segment":
        ix = Index(str(news_index))
    else:  # incremental runs add segments; docnums then carry offsets
        corpus = tmp_path_factory.mktemp("segments")
        lines = WIKINEWS.read_text(encoding="utf-8").splitlines(keepends=True)
        ix = Index(str(tmp_path_factory.mktemp("segments-ix") / "index"))
        # Seven: a prefix then expands to one term in some segments and to
        # several in others, which Whoosh scores differently (BM25 / constant).
        cuts = [0, 300, 700, 998] if request.param == "three segments" else \
            [0, 150, 300, 450, 600, 750, 900, 998]
        for i, (a, b) in enumerate(zip(cuts, cuts[1:])):
            (corpus / f"part{i}.jsonl").write_text("".join(lines[a:b]), encoding="utf-8")
            ix.index([str(corpus)], jobs=1)
        # An updated record leaves a deleted document behind in its segment.
        changed = lines[:300]
        changed[5] = changed[5].replace('"text": "', '"text": "Nachtrag. ', 1)
        (corpus / "part0.jsonl").write_text("".join(changed), encoding="utf-8")
        assert ix.index([str(corpus)]).updated == 1
        reader = ix.searcher().reader
        assert len(ix.searcher().ix._segments()) > 1
        assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
    yield ix.searcher()
    ix.close()


def titles():
    with open(WIKINEWS, encoding="utf-8") as f:
        return [json.loads(line)["title"] for line in f][:150]


@pytest.mark.parametrize("text", QUERIES + ["<titles>"])
def test_direct_scores_equal_whoosh(searcher, text):
    for qtext in titles() if text == "<titles>" else [text]:
        plain, ranges, _ = parse.split_dates(parse.drop_question_marks(qtext))
        q = expand.expand(parse.parse(searcher.parser, searcher._spacing_variants(plain)),
                          searcher.doc_frequency)
        flt = ranges[0].query() if ranges else None
        ours, total = searcher._ranked(q, flt, [], 10, "relevance")
        results = searcher.searcher.search(q, limit=10, filter=flt)  # Whoosh's own matchers
        theirs, whoosh_total = [(h.docnum, h.score) for h in results], len(results)
        assert total == whoosh_total, qtext
        assert [round(s, 6) for _, s in ours] == pytest.approx(
            [round(s, 6) for _, s in theirs], rel=1e-9, abs=1e-6), qtext
        # Documents may swap only where scores tie.
        for (d1, s1), (d2, s2) in zip(ours, theirs):
            assert d1 == d2 or s1 == pytest.approx(s2, rel=1e-9), qtext


def test_remembered_word_queries_keep_apart(searcher):
    # Whoosh's query hashes XOR their parts: Or([Term('head', w), Term('body', w)])
    # hashes the same for every w, so the cache must not rely on them.
    from whoosh import query as Q

    from searchidx.search.direct import DirectScorer

    def word(w, boost=1.0):
        return Q.Or([Q.Term("head", w), Q.Term("body", w)], boost=boost)

    queries = [word("kim"), word("putin"), word("kim", 0.5), Q.And([Q.Term("head", "kim"),
               Q.Term("body", "kim")]), word("regier"), word("putin")]
    shared = DirectScorer(searcher.searcher, searcher.terms)
    for q in queries:
        assert shared.scores(q) == DirectScorer(searcher.searcher).scores(q), q
    assert shared.scores(word("kim")) != shared.scores(word("putin"))
