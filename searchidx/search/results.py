"""What a search returns: hits (article, score, snippet) and the result
around them. `to_dict()` is exactly the JSON the CLI prints."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Article
from .snippets import Snippet


@dataclass
class Hit:
    rank: int
    id: str
    score: float
    article: Article
    snippet: Snippet
    title_spans: list[tuple[int, int]]
    explanation: list[str] | None = None  # --explain: why it scored

    def to_dict(self) -> dict:
        a = self.article
        d = {"rank": self.rank, "id": self.id, "score": round(self.score, 4),
             "title": a.title, "date": a.date or None, "authors": a.authors,
             "tags": a.tags, "path": a.path, "snippet": self.snippet.text,
             "spans": [list(s) for s in self.snippet.spans]}
        if self.explanation is not None:
            d["explanation"] = self.explanation
        return d


@dataclass
class Explained:
    """--explain: the query as parsed, each rewrite and why, the final tree."""
    parsed: str
    rewrites: list[str]
    final: str

    def to_dict(self) -> dict:
        return {"parsed": self.parsed, "rewrites": self.rewrites, "final": self.final}


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None = None   # the query as searched, when a word was corrected
    took_ms: float = 0.0
    facets: dict[str, list[tuple]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # what was changed in the query, and why
    explained: Explained | None = None

    def to_dict(self) -> dict:
        d = {"query": self.query, "total": self.total,
             "results": [h.to_dict() for h in self.hits],
             "suggestion": self.suggestion, "took_ms": round(self.took_ms, 2)}
        if self.notices:
            d["notices"] = self.notices
        if self.facets:
            d["facets"] = {k: [{"value": v, "count": c} for v, c in rows]
                           for k, rows in self.facets.items()}
        if self.explained is not None:
            d["explain"] = self.explained.to_dict()
        return d


@dataclass
class Matching:
    """All the articles a query matches, unread (Searcher.matching)."""
    query: str
    docnums: object  # numpy int64 array: best first, or newest first
    total: int
    suggestion: str | None = None  # the query as searched, when a word was corrected
    notices: list[str] = field(default_factory=list)
    tree: object = None  # the analysed query tree searched (query/tree.py)
