"""Everything Whoosh-specific: the schema (schema.py), documents (documents.py),
the segment writer (memwriter.py) and worker processes (writing.py), bulk
postings for scoring (postings.py), and opening an index folder (here).
Swapping the engine means rewriting this package (and the query building in
search/)."""
from __future__ import annotations

import os

from .lean_imports import stand_ins

with stand_ins():
    from whoosh import index as whoosh_index
    from whoosh import reading  # noqa: F401  (with cached_property, imported here)

from .documents import article_json, article_record, date_bounds, stored_article, to_document
from .postings import field_lengths
from .schema import (DEFAULT_FIELDS, FIELD_BOOSTS, GERMAN_FIELDS, HEAD_PARTS, HEAD_WEIGHTS,
                     GermanText, WeightedText, make_schema, word_cache, word_caches)

INDEX_NAME = "MAIN"


def __getattr__(name: str):
    # The writing side, loaded when indexing (a search never needs it).
    if name in ("add_all", "writer"):
        from . import writing

        return getattr(writing, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create(path: str):
    os.makedirs(path, exist_ok=True)
    return whoosh_index.create_in(path, make_schema(), indexname=INDEX_NAME)


def open_dir(path: str):
    return whoosh_index.open_dir(path, indexname=INDEX_NAME)


def exists(path: str) -> bool:
    return whoosh_index.exists_in(path, indexname=INDEX_NAME)


__all__ = ["DEFAULT_FIELDS", "add_all", "FIELD_BOOSTS", "GERMAN_FIELDS", "HEAD_PARTS", "HEAD_WEIGHTS",
           "INDEX_NAME",
           "GermanText", "WeightedText", "article_json", "article_record", "create", "date_bounds",
           "exists", "field_lengths", "make_schema", "open_dir", "stored_article",
           "to_document", "word_cache", "word_caches", "writer"]
