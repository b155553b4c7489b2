"""Trend: how many articles a query matches per year or month.

Counted on the date columns with numpy over the document numbers of every
match (Searcher.matching): no article is read, so a query over a 300,000
article archive costs about what one search costs.

An article's date may be a day, a month or only a year (`2024`). Counted by
month, an article dated only to its year belongs to no month: it is left
out of the months and counted apart (`imprecise`), as undated articles are."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import QueryError
from ..indexing import fields as F
from ..query import syntax

BY = ("year", "month")


@dataclass
class Series:
    """One query's counts: period label (`2024`, `2024-06`) -> articles."""
    query: str
    by: str
    counts: dict[str, int]
    total: int  # every matching article, dated or not
    undated: int = 0
    imprecise: int = 0  # by month: dated only to the year
    suggestion: str | None = None  # the query as searched, when a word was corrected
    notices: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"query": self.query, "suggestion": self.suggestion, "total": self.total,
                "undated": self.undated, "imprecise": self.imprecise, "counts": self.counts}


@dataclass
class Trend:
    """Several queries' counts over one run of periods, each period present
    (empty ones too: a chart or a spreadsheet needs the gaps)."""
    by: str
    periods: list[str]
    series: list[Series]

    def column(self, n: int) -> list[int]:
        """The n-th query's count in each period."""
        counts = self.series[n].counts
        return [counts.get(p, 0) for p in self.periods]

    def to_dict(self) -> dict:
        return {"by": self.by, "periods": self.periods,
                "series": [s.to_dict() | {"counts": self.column(n)}
                           for n, s in enumerate(self.series)]}


def series(searcher, text: str, by: str = "year", **options) -> Series:
    """The articles `text` matches per period; `options` as Searcher.matching's
    (since, until, authors, tags, correct, timeout)."""
    if by not in BY:
        raise QueryError(f"unknown period {by!r} (choose from {', '.join(BY)})")
    # (in date order: the order costs one sort, and relevance would try to prune)
    m = searcher.matching(text, sort="date", **options)
    reader = searcher.reader
    start = reader.column(F.DATE_START)[m.docnums].astype(np.int64)
    end = reader.column(F.DATE_END)[m.docnums].astype(np.int64)
    dated = start > 0
    if by == "year":
        key, placed = start // 10000, dated
    else:
        key, placed = start // 100, dated & (start // 100 == end // 100)
    keys, n = np.unique(key[placed], return_counts=True)
    return Series(text, by, {_label(k, by): c for k, c in zip(keys.tolist(), n.tolist())},
                  m.total, int((~dated).sum()), int((dated & ~placed).sum()), m.suggestion,
                  m.notices)


def trend(searcher, queries: list[str], by: str = "year", since: str | None = None,
          until: str | None = None, **options) -> Trend:
    """Each query's counts per period, from the first period any of them
    has (or `since`'s) to the last (or `until`'s)."""
    found = [series(searcher, q, by, since=since, until=until, **options) for q in queries]
    keys = [_key(p, by) for s in found for p in s.counts]
    if since:
        keys.append(syntax.date_bound(since, False) // (10000 if by == "year" else 100))
    if until:
        keys.append(syntax.date_bound(until, True) // (10000 if by == "year" else 100))
    if not any(s.counts for s in found):
        return Trend(by, [], found)
    return Trend(by, _run(min(keys), max(keys), by), found)


def _label(key: int, by: str) -> str:
    return f"{key:04d}" if by == "year" else f"{key // 100:04d}-{key % 100:02d}"


def _key(label: str, by: str) -> int:
    return int(label) if by == "year" else int(label[:4]) * 100 + int(label[5:7])


def _run(first: int, last: int, by: str) -> list[str]:
    """Every period from `first` to `last` (keys: year, or year * 100 + month)."""
    if by == "year":
        return [_label(y, by) for y in range(first, last + 1)]
    months = range((first // 100) * 12 + first % 100 - 1, (last // 100) * 12 + last % 100)
    return [_label((m // 12) * 100 + m % 12 + 1, by) for m in months]
