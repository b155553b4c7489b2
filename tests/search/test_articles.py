"""Stored articles are remembered per searcher (batch queries find the same ones)."""
from searchidx import Index
from searchidx.indexing.documents import stored_article
from searchidx.search import searcher as searcher_module


def test_remembered_articles_are_the_stored_ones(news_index, monkeypatch):
    monkeypatch.setattr(searcher_module, "MAX_ARTICLES", 3)
    with Index(str(news_index)) as ix:
        s = ix.searcher()
        for q in ("Putin Kim", "Regierung", "Putin Kim", "Papst Rom", "Regierung"):
            for hit in s.search(q, limit=5).hits:
                fresh = stored_article(s.reader.stored(s.docnum(hit.id)))
                assert hit.article == fresh
            assert len(s._articles) <= 3
