"""Word queries are remembered per parser (search/plain.py) and shared by the
queries of a batch: a query built from remembered parts must be the parser's,
also after searches have run with those parts."""
from searchidx import Index
from searchidx.search import parse

from support import parser_query, wikinews_titles

TEXTS = ["Kim Kim", "Kim Putin", "Putin Kim", "der Kim", "der die das", "Kim", "Hong Kong",
         "Hongkong Hong Kong", "Nordkorea Kim Raketen", "Kim-Regime Kim"]


def test_remembered_parts_build_the_parsers_query(searcher):
    texts = TEXTS + wikinews_titles(200)
    for _ in range(2):  # the second round is built from remembered word queries
        for text in texts:
            text = parse.split_dates(parse.drop_question_marks(text))[0]
            expected = parser_query(searcher.parser, searcher._spacing_variants(text))
            q = searcher._parse(text)
            assert q == expected and repr(q) == repr(expected), text
            searcher.search(text, facets=("tags",))  # searching must leave the parts alone


def test_results_do_not_depend_on_what_ran_before(news_index):
    texts = TEXTS + wikinews_titles(200)[:60]
    with Index(str(news_index)) as ix:
        first = [ix.searcher().search(t).to_dict() for t in texts]
    with Index(str(news_index)) as ix:
        again = [ix.searcher().search(t).to_dict() for t in reversed(texts)][::-1]
    for a, b in zip(first, again):
        a.pop("took_ms"), b.pop("took_ms")
        assert a == b, a["query"]
