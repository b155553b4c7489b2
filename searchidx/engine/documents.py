"""Articles to Whoosh documents and back."""
from __future__ import annotations

import json

from ..model import Article
from .schema import HEAD_PARTS, HEAD_WEIGHTS


def date_bounds(date: str) -> tuple[int, int] | None:
    """`2024-06` -> (20240601, 20240631): the range a (partial) date stands for."""
    if not date:
        return None
    parts = date.split("-")
    y = int(parts[0])
    m = int(parts[1]) if len(parts) > 1 else None
    d = int(parts[2]) if len(parts) > 2 else None
    start = y * 10000 + (m or 1) * 100 + (d or 1)
    end = y * 10000 + (m or 12) * 100 + (d or 31)
    return start, end


def article_record(art: Article) -> str:
    """The article's JSON with sorted keys: what its record hash is taken over
    (indexer.record_hash), as in every earlier version."""
    return json.dumps(art.to_dict(), sort_keys=True, ensure_ascii=False)


def article_json(art: Article, record: str | None = None) -> str:
    """The article as stored in the index (for show and snippets): its record
    (article_record, if made already) with the format added as the last key."""
    record = record or article_record(art)
    return f'{record[:-1]}, "format": {json.dumps(art.format, ensure_ascii=False)}}}'


def to_document(art: Article, source: str, record_hash: str, stored_json: str | None = None) -> dict:
    """The Whoosh document of `art`; `stored_json` is article_json(art) if made already."""
    doc = {"id": art.id, "source": source, "record_hash": record_hash,
           "article": stored_json or article_json(art)}
    for name in ("body", "location"):
        if value := getattr(art, name):
            doc[name] = value
    if art.authors:
        doc["authors"] = "\n".join(art.authors)
        doc["facet_author"] = ",".join(a.replace(",", " ") for a in art.authors)
    if art.tags:
        doc["tags"] = "\n".join(art.tags)
        doc["facet_tag"] = ",".join(t.replace(",", " ") for t in art.tags)
    head = {name: "\n".join(v) if isinstance(v, list) else v
            for name, v in ((name, getattr(art, name)) for name in HEAD_WEIGHTS) if v}
    if head:
        doc["head"] = head
    if parts := " ".join(name for name in HEAD_PARTS if name in head):
        doc["parts"] = parts
    bounds = date_bounds(art.date)
    if bounds:
        doc["date_start"], doc["date_end"] = bounds
    doc["sort_date"] = bounds[0] if bounds else 0
    doc["year"] = bounds[0] // 10000 if bounds else 0
    return doc


def stored_article(stored: dict) -> Article:
    d = json.loads(stored["article"])
    return Article.from_dict(d)
