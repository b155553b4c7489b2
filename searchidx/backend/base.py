"""The backend seam: what searchidx needs from an index engine, in its own terms.

searchidx reads articles, analyses them and hands a backend batches of
analysed documents (DocumentBatch); it asks a backend's Reader for term
statistics while rewriting a query, then hands it the analysed query tree
(query/tree.py) and gets the top documents back. Everything about files,
postings and scoring lives behind these protocols, in one folder per
backend (backend/native/ is the engine searchidx ships).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Protocol

import numpy as np

# -- writing -------------------------------------------------------------------


@dataclass
class FieldOccurrences:
    """Every term occurrence of one field in a batch, in document order and,
    within a document, in position order."""
    doc: np.ndarray     # uint32: the document's index in the batch
    term: np.ndarray    # uint32: index into DocumentBatch.terms
    pos: np.ndarray     # uint32: position in the field
    weight: np.ndarray | None = None  # float32 per occurrence, for fields made of weighted parts


@dataclass
class DocumentBatch:
    """Analysed documents, column-wise."""
    ids: list[str]
    stored: list[bytes]                        # each document as stored (the article's JSON)
    terms: list[str]  # the terms occurrences refer to; batches may share one list that only grows
    fields: dict[str, FieldOccurrences]
    lengths: dict[str, np.ndarray]             # per field, per document: its occurrences
    columns: dict[str, np.ndarray] = field(default_factory=dict)       # int64 per document
    keywords: dict[str, list[list[str]]] = field(default_factory=dict)  # values to count

    def __len__(self) -> int:
        return len(self.ids)


class Writer(Protocol):
    """Adds and deletes documents; nothing is visible to readers before commit."""

    generation: int  # of the commit this writer will make
    user_data: dict  # of the last commit

    def add(self, batch: DocumentBatch) -> None: ...

    def delete(self, ids: Iterable[str]) -> int:
        """Deletes the committed documents with these ids; returns how many."""

    def commit(self, user_data: dict) -> None:
        """Makes everything added and deleted visible at once, with `user_data`
        (the indexer's own files: manifest, vocabulary), which readers get back."""

    def abort(self) -> None: ...

    # Parallel builds: a forked worker process adds to its own part (a copy
    # of the writer it inherited); the parent adopts the parts, in order.
    def part(self, memory: int) -> "Writer":
        """In a forked worker: a writer of new segments only, holding at most
        `memory` bytes, for adopt()."""

    def finish_part(self) -> object:
        """In the worker: flush, and return a picklable token for adopt()."""

    def merge_part(self, token: object) -> object:
        """Tidies a finished part (a token of finish_part) before adopt(); may
        run in another process, side by side with other parts'."""

    def merge_cost(self, token: object) -> int:
        """About the bytes merge_part(token) holds at its peak (0: none), so
        the indexer runs only as many side by side as its budget allows."""
        return 0

    def adopt(self, token: object) -> None: ...


# -- reading -------------------------------------------------------------------


@dataclass
class TopDocs:
    docnums: np.ndarray        # int64, best first
    scores: np.ndarray         # float64
    total: int                 # all matches
    facets: dict[str, list[tuple[object, int]]] = field(default_factory=dict)


@dataclass
class Explanation:
    """Why a document scored: a tree like Lucene's explain()."""
    value: float
    description: str
    details: list["Explanation"] = field(default_factory=list)

    def lines(self, indent: str = "") -> list[str]:
        out = [f"{indent}{self.value:.4f}  {self.description}"]
        for d in self.details:
            out += d.lines(indent + "  ")
        return out


class QueryTooCostly(Exception):
    """A query would expand to too many terms or run past its time budget."""


class Reader(Protocol):
    """One committed state of an index (a point-in-time snapshot)."""

    generation: int
    user_data: dict
    max_doc: int            # document numbers are 0 .. max_doc - 1, deleted ones included
    deleted: np.ndarray     # the deleted document numbers, ascending (int64)

    def doc_count(self) -> int:
        """Live documents."""

    def is_deleted(self, docnum: int) -> bool: ...

    def column(self, name: str) -> np.ndarray:
        """An integer column (dates, parts) with a value per document number,
        0 where a document has none."""

    def doc_freq(self, field: str, term: str) -> int: ...

    def expand(self, field: str, kind: str, pattern: str, limit: int) -> list[str]:
        """The field's terms matching `pattern`: kind `prefix`, `wildcard`
        (`*`, `?`) or `fuzzy` (pattern `text~edits`). More than `limit`
        raises QueryTooCostly."""

    def search(self, query, *, limit: int, sort: str = "relevance", facets: tuple = (),
               deadline: float | None = None) -> TopDocs:
        """The best `limit` documents for an analysed query tree. sort
        `relevance` or `date` (newest first, by the `sort_date` column)."""

    def count(self, query, limit: int | None = None) -> int:
        """How many documents match (stopping at `limit` if given)."""

    def explain(self, query, docnum: int) -> Explanation: ...

    def stored(self, docnum: int) -> bytes:
        """The document as it was stored (DocumentBatch.stored)."""

    def docnum(self, doc_id: str) -> int | None: ...

    def doc_ids(self, prefix: str, limit: int) -> list[str]:
        """Ids of live documents that start with `prefix` (shell completion)."""

    def stats(self) -> dict:
        """documents, terms, segments, size_bytes and what else the backend knows."""

    def verify(self) -> list:
        """This reader's damaged files (every byte checked against its
        checksum), as checksums.Damaged; [] if all are as written."""

    def term_counts(self, field: str) -> dict[str, int]:
        """Every term of a field with its occurrences in all documents."""

    def close(self) -> None: ...


class Backend(Protocol):
    name: str

    def exists(self, path: str) -> bool: ...

    def create(self, path: str) -> None: ...

    def writer(self, path: str, memory: int) -> Writer:
        """`memory`: bytes this writer may hold before it writes a segment."""

    def reader(self, path: str) -> Reader: ...

    def user_data(self, path: str) -> dict:
        """The user data of the last commit, without opening a reader."""

    def verify(self, path: str) -> tuple[list[str], list]:
        """(the files of the last commit checked whole, the damaged ones as
        checksums.Damaged)."""
