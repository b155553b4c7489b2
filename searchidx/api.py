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
from typing import TYPE_CHECKING, Iterable, Iterator

from .errors import damaged
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

    def index(self, paths: list[str] | None = None, *, rebuild: bool = False,
              jobs: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
              memory: int | None = None, warn=lambda msg: None, progress=None):
        """Bring the index up to date with `paths` (default: the roots it has, else corpus/).
        `memory`: bytes all processes of the run may hold together (about).

        Returns an indexer.Report (added, updated, deleted, unchanged, skipped, seconds)."""
        from .indexing import indexer  # not needed (nor imported) by searches
        from .workers import cores

        self.close()
        return indexer.update(self.store, paths, rebuild=rebuild, jobs=jobs or cores(),
                              max_bytes=max_bytes, memory=memory or indexer.DEFAULT_MEMORY,
                              warn=warn, progress=progress)

    def searcher(self) -> Searcher:
        """One open searcher, reused for every call (batch queries)."""
        if self._searcher is None:
            from .search.searcher import Searcher

            gen, reader = self.store.open()
            try:
                self._searcher = Searcher(reader, gen)
            except Exception as e:  # truncated or garbled segment files
                raise damaged(self.path, e) from None
        return self._searcher

    def search(self, query: str, **options) -> SearchResult:
        return self.searcher().search(query, **options)

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
        return in_order(partial(self.searcher().search, **options), list(queries), jobs, chunk=4)

    def show(self, article_id: str) -> Article:
        return self.searcher().show(article_id)

    def similar(self, article_id: str, limit: int = 10) -> SearchResult:
        return self.searcher().similar(article_id, limit)

    def stats(self) -> dict:
        s = self.searcher()
        reader = s.reader
        user = reader.user_data
        st = reader.stats()
        dates = reader.column("sort_date") if reader.max_doc else None
        days = dates[dates > 0] if dates is not None else []
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
