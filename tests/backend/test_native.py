"""The native backend on its own: documents written as one segment, as many
small ones, or merged, with deletions, give the same matches and scores; a
merge drops deleted documents and keeps the data intact."""
from __future__ import annotations

import json

import numpy as np
import pytest

from searchidx.analysis import words
from searchidx.backend.native import BACKEND
from searchidx.backend.native import merge as merging
from searchidx.backend.native.segment import Segment
from searchidx.indexing import fields as F
from searchidx.indexing.documents import Batcher
from searchidx.model import Article
from searchidx.query import tree as T

from support import WIKINEWS


@pytest.fixture(scope="module")
def articles():
    with WIKINEWS.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [Article(id=str(r["id"]), path="x", title=r["title"], body=r["text"],
                    date=r["date"] if r["date"] > "0001" else "",
                    tags=["A", "B"] if i % 3 == 0 else ["B"], authors=[f"Anna {i % 7}"])
            for i, r in enumerate(rows)]


def _build(folder, articles, memory, factor, monkeypatch):
    """`memory` small: a segment per batch of 50 articles."""
    from searchidx.backend.native import writer

    monkeypatch.setattr(merging, "MERGE_FACTOR", factor)
    monkeypatch.setattr(writer, "MIN_BUFFER", min(memory, writer.MIN_BUFFER))
    monkeypatch.setattr(writer, "HELD", 0)
    monkeypatch.setattr(writer, "FLUSH_FACTOR", 1)
    BACKEND.create(str(folder))
    w = BACKEND.writer(str(folder), memory)
    b = Batcher()
    for i in range(0, len(articles), 50):
        w.add(b.batch(articles[i:i + 50]))
    w.commit({})
    return BACKEND.reader(str(folder))


def _word(text, targets=F.DEFAULT_TARGETS):
    terms = words.german().query_terms(text)
    return T.WordQuery(text, targets, (T.Form(T.WHOLE, terms),))


QUERIES = [
    T.Bool(should=(_word("Regierung"), _word("Berlin"))),
    _word("Merkel"),
    _word("Zug", (F.part_target("title"),)),
    T.PhraseQuery("Angela Merkel", F.DEFAULT_TARGETS, ("angela", "merkel"), (0, 1)),
    T.PhraseQuery("Merkel Angela", F.DEFAULT_TARGETS, ("merkel", "angela"), (0, 1), slop=2),
    T.Bool(must=(_word("Polizei"),), filter=(T.ColumnRange("year", 2007, 2010),)),
    T.Bool(should=(_word("Papst"), _word("Rom")), must_not=(_word("Kirche"),)),
]


def _ids(reader, top):
    return [json.loads(reader.stored(int(d)))["id"] for d in top.docnums]


def test_segment_layout_does_not_change_results(articles, tmp_path, monkeypatch):
    one = _build(tmp_path / "one", articles, 1 << 30, 100, monkeypatch)
    many = _build(tmp_path / "many", articles, 300_000, 1000, monkeypatch)  # flushes, no merge
    merged = _build(tmp_path / "merged", articles, 300_000, 4, monkeypatch)
    assert len(one.segments) == 1 and len(many.segments) > 10 and 1 < len(merged.segments) < 5
    prefixed = tuple(one.expand("body", "prefix", "regier", 100))
    assert prefixed == tuple(many.expand("body", "prefix", "regier", 100)) and len(prefixed) > 3
    for q in QUERIES + [T.TermSet("Regier*", F.DEFAULT_TARGETS, prefixed)]:
        want = one.search(q, limit=20, facets=("tags", "authors", "year"))
        assert want.total > 0, q
        for r in (many, merged):
            got = r.search(q, limit=20, facets=("tags", "authors", "year"))
            assert _ids(r, got) == _ids(one, want)
            assert np.allclose(got.scores, want.scores)
            assert got.total == want.total and got.facets == want.facets


def test_deleted_documents_disappear_and_merges_drop_them(articles, tmp_path, monkeypatch):
    folder = tmp_path / "ix"
    _build(folder, articles, 300_000, 4, monkeypatch)
    monkeypatch.setattr(merging, "DELETED_SHARE", 1.0)  # keep the deletions in place
    w = BACKEND.writer(str(folder), 300_000)
    gone = [a.id for a in articles[::3]]
    assert w.delete(gone) == len(gone)
    w.commit({"note": "deleted"})
    r = BACKEND.reader(str(folder))
    assert r.user_data == {"note": "deleted"} and len(r.deleted) == len(gone)
    assert r.doc_count() == len(articles) - len(gone)
    top = r.search(_word("Regierung"), limit=1000)
    assert not set(_ids(r, top)) & set(gone)
    assert r.docnum(gone[0]) is None and r.docnum(articles[1].id) is not None
    segs = [Segment(str(folder), s.name, s.deleted_file) for s in r.segments]
    merging.merge(str(folder), segs, "s999999-1-1")
    merged = Segment(str(folder), "s999999-1-1")
    assert merged.docs == r.doc_count() and merged.arrays.verify() == []
    assert merged.docnum(gone[0]) is None


def test_merge_plan_takes_runs_of_one_level():
    small, big = (100, 0), (50_000, 0)
    assert merging.plan([small] * 7) == []
    assert merging.plan([small] * 8) == [(0, 8)]
    assert merging.plan([big] + [small] * 9) == [(1, 9)]
    assert merging.plan([(1000, 600)]) == [(0, 1)]  # mostly deleted: rewritten alone


def test_explain_after_a_timed_search_is_not_timed(articles, tmp_path, monkeypatch):
    """The time budget is the search's: --explain after a search that used
    most of it raised QueryTooCostly (exit 3)."""
    import time

    r = _build(tmp_path / "ix", articles[:200], 1 << 30, 100, monkeypatch)
    q = QUERIES[0]
    top = r.search(q, limit=3, deadline=time.monotonic() + 0.5)
    time.sleep(0.6)
    assert r.explain(q, int(top.docnums[0])).value > 0


def test_a_sloppy_phrase_matches_at_the_start_of_a_field(tmp_path, monkeypatch):
    arts = [Article(id="a", path="x", title="Wahl Regierung", body="Nichts davon."),
            Article(id="b", path="x", title="x Wahl Regierung", body="Nichts davon."),
            Article(id="c", path="x", title="Regierung und Wahl", body="Nichts davon.")]
    r = _build(tmp_path / "ix", arts, 1 << 30, 100, monkeypatch)
    q = T.PhraseQuery("Regierung Wahl", F.DEFAULT_TARGETS,
                      ("regierung", "wahl"), (0, 1), slop=2)
    assert sorted(_ids(r, r.search(q, limit=10))) == ["a", "b", "c"]


def test_terms_with_a_newline_keep_their_places():
    """A file name may hold a newline, and so an article id: the terms read
    back one by one or as a range must be the same (a merge zips them with
    the documents)."""
    from searchidx.backend.native import terms

    words = sorted(["f/a\nb", "f/c", "f/d", "g\n\n", "h"])
    blob, off, table = terms.build(words)
    d = terms.TermDict(blob, off, table)
    assert d.terms() == words == [d.term(i) for i in range(len(words))]
    assert d.terms(1, 4) == words[1:4]
    assert all(d.find(w.encode()) == i for i, w in enumerate(words))


def test_closing_a_reader_unmaps_its_files(articles, tmp_path, monkeypatch):
    """A reader replaced by a commit is closed: its files must be unmapped
    then (views into them kept them mapped until a garbage collection, and a
    merged-away segment's disk space with them)."""
    r = _build(tmp_path / "ix", articles[:200], 300_000, 1000, monkeypatch)
    top = r.search(QUERIES[0], limit=5)
    assert _ids(r, top) and r.docnum(_ids(r, top)[0]) is not None
    segments = list(r.segments)
    r.close()
    assert all(s.arrays._map.closed for s in segments)
