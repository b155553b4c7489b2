"""The Python API; the CLI is a thin layer over it.

    from searchidx import Index
    with Index("index") as ix:
        ix.index(["corpus"])
        for hit in ix.search("Putin Kim", limit=5).hits:
            print(hit.rank, hit.id, hit.article.title)
        for result in ix.search_many(["Putin", "Kim"], limit=3):  # batches use every core
            print(result.query, result.total)
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterable, Iterator

from .checksums import Damaged
from .errors import SearchidxError, damaged
from .indexing.store import Store
from .model import Article

if TYPE_CHECKING:  # imported on first search: indexing never loads the query code
    from .search.searcher import SearchResult, Searcher

DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # one article file; JSON Lines files are read per record

DEFAULT_INDEX = "index"


def default_index_path() -> str:
    return os.environ.get("SEARCHIDX_INDEX") or DEFAULT_INDEX


class Index:
    def __init__(self, path: str | None = None):
        self.store = Store(path or default_index_path())
        self._searcher: Searcher | None = None
        self._seen = None  # CURRENT as it was when the searcher was opened (Store.change_key)
        self._held = False  # held(): no reopening
        self._lent = False  # the searcher was handed out: not closed when replaced

    @property
    def path(self) -> str:
        return self.store.path

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._searcher:
            self._searcher.close()
            self._searcher = None
        self._seen = None

    def index(self, paths: list[str] | None = None, *, rebuild: bool = False,
              jobs: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              memory: int | None = None, follow_links: bool = False, warn=lambda msg: None,
              progress=None):
        """Bring the index up to date with `paths` (default: the roots it has, else corpus/).
        `memory`: bytes all processes of the run may hold together (about).
        `follow_links`: index files that links lead to outside the corpus too
        (else skipped with a warning).

        Returns an indexer.Report (added, updated, deleted, unchanged, skipped, seconds)."""
        from .indexing import indexer  # not needed (nor imported) by searches
        from .workers import cores

        self.close()
        return indexer.update(self.store, paths, rebuild=rebuild, jobs=jobs or cores(),
                              max_bytes=max_bytes, memory=memory or indexer.DEFAULT_MEMORY,
                              follow_links=follow_links, warn=warn, progress=progress)

    def searcher(self) -> Searcher:
        """The searcher of the index as last committed: one open searcher,
        reused while nothing is committed, reopened when something is (one
        stat of CURRENT per call, like Lucene's DirectoryReader.openIfChanged).
        A searcher handed out stays usable as it was: its files stay mapped
        until no one holds it."""
        s = self._current()
        self._lent = True
        return s

    def _current(self) -> Searcher:
        if self._held and self._searcher is not None:
            return self._searcher
        key = self.store.change_key()
        if self._searcher is not None and key == self._seen and key is not None:
            return self._searcher
        from .search.searcher import Searcher

        if self._searcher is not None and not self._lent:
            self._searcher.close()  # (used by this Index's own calls only: done with)
        self._searcher, self._lent = None, False
        gen, reader = self.store.open()
        try:
            self._searcher = Searcher(reader, gen)
        except Exception as e:  # truncated or garbled segment files
            raise damaged(self.path, e) from None
        self._seen = key
        return self._searcher

    @contextmanager
    def held(self):
        """Within: every search answers from the index as it is now, not
        reopened after a commit (a batch of queries sees one point in time)."""
        self._current()
        held, self._held = self._held, True
        try:
            yield self
        finally:
            self._held = held

    def search(self, query: str, **options) -> SearchResult:
        s = self._current()
        return self._checked(s, s.search, query, **options)

    def search_many(self, queries: Iterable[str], *, jobs: int | None = None,
                    **options) -> Iterator[SearchResult]:
        """search(q, **options) for each query, in order. Past the first few,
        `jobs` forked workers answer them (default: one per core; Linux, and
        only while no other thread runs). A bad query raises its QueryError in
        its place, as search() would."""
        from functools import partial

        from .search.batch import in_order

        # A list: past the first few, the batch reads its queries on a thread
        # of its own, which an iterator (a database cursor) may not allow.
        s = self.searcher()  # (lent: the batch may outlive a commit)
        return in_order(partial(self._checked, s, s.search, **options), list(queries), jobs,
                        chunk=4)

    def show(self, article_id: str) -> Article:
        s = self._current()
        return self._checked(s, s.show, article_id)

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        s = self._current()
        return self._checked(s, s.similar, article_id, limit)

    def counts(self, query: str, by: str = "year", **options):
        """How many articles `query` matches per period, every match counted
        (not the top k), from the date columns (no article is read): a
        search.trend.Series whose .counts maps "2024" (by="year") or
        "2024-06" (by="month") to a count, with .total, .undated and
        .imprecise (by month: dated only to the year). Options as search's:
        since, until, authors, tags, correct, timeout."""
        from .search import trend

        s = self._current()
        return self._checked(s, trend.series, s, query, by, **options)

    def trend(self, queries: list[str], by: str = "year", **options):
        """counts() of each query over one run of periods, empty periods
        included: a search.trend.Trend (.periods, .series, .column(n))."""
        from .search import trend

        s = self._current()
        return self._checked(s, trend.trend, s, list(queries), by, **options)

    def kwic(self, word: str, query: str = "", **options):
        """Every occurrence of `word` in context (keyword in context), in the
        articles matching it and `query`: a search.kwic.Concordance of Lines
        (id, date, title, left, match, right, part). Options: sort ("date",
        "left", "right"), limit (lines; 0: all), context (characters each
        side), and search's since, until, authors, tags, correct, timeout."""
        from .search import kwic

        s = self._current()
        return self._checked(s, kwic.concordance, s, word, query, **options)

    def verify(self) -> list[str]:
        """Every file of the live generation read whole and checked: a line
        (`path: what is wrong`) per damaged file; none if all are as written."""
        from .indexing.check import verify

        return [str(d) for d in verify(self.store)[1]]

    def _checked(self, searcher, call, *args, **options):
        """call(*args, **options), telling damage from a bug: an error from
        inside the index (a flipped byte in an array too large to be checked
        when opened) has the searcher's files checked whole; a damaged file
        is named, anything else is raised as it is (a bug)."""
        try:
            return call(*args, **options)
        except SearchidxError:
            raise
        except Damaged as e:
            raise damaged(self.path, e) from None
        except Exception:
            found = searcher.reader.verify()
            if found:
                raise damaged(self.path, found[0]) from None
            raise

    def stats(self) -> dict:
        s = self._current()
        return self._checked(s, self._stats, s)

    def _stats(self, s) -> dict:
        reader = s.reader
        user = reader.user_data
        st = reader.stats()
        dates = reader.column("sort_date") if reader.max_doc else None
        if dates is not None:
            dated = dates > 0
            dated[reader.deleted] = False  # (a deleted article's date is still in its segment)
            days = dates[dated]
        else:
            days = []
        return {
            "documents": st["documents"],
            "terms": st["terms"],
            "segments": st["segments"],
            "size_bytes": st["size_bytes"],
            "index": s.gen_path,
            "roots": user.get("roots", []),
            "last_update": user.get("updated"),
            "formats": user.get("formats", {}),
            "date_range": [_day(int(days.min())), _day(int(days.max()))] if len(days) else None,
        }


def _day(n: int) -> str:
    return f"{n // 10000:04d}-{n // 100 % 100:02d}-{n % 100:02d}"
