"""Articles to analysed document batches (the backend's DocumentBatch)."""
from __future__ import annotations

import json
from collections import Counter

import numpy as np

from ..analysis import words
from ..analysis.occurrences import MAX_TERMS, Occurrences, Terms, WordTable
from ..backend.base import DocumentBatch, FieldOccurrences
from ..input.dates import date_bounds
from ..model import Article
from . import fields as F


def stored_json(art: Article, record: str | None = None, source: str = "",
                record_hash: str = "") -> str:
    """The article as stored (for show and snippets): its record (the JSON
    its change hash is taken over), then its format, and the file and hash
    the manifest has for it (from which a lost manifest is rebuilt)."""
    record = record or art.record()
    extra = json.dumps({"format": art.format, "source": source, "record_hash": record_hash},
                       ensure_ascii=False)
    return f"{record[:-1]}, {extra[1:]}"


def stored_article(data: bytes) -> Article:
    return Article.from_dict(json.loads(data))


class Batcher:
    """Turns articles into DocumentBatches; keeps the word tables of this
    process between batches, and counts the words of the text it analyses
    (the spelling vocabulary)."""

    def __init__(self):
        self._counted: Counter = Counter()
        self._new_tables()

    def _new_tables(self):
        if hasattr(self, "german"):
            self._counted = self.vocabulary
        self.terms = Terms()
        self.german = WordTable(words.german(), self.terms)
        self.names = WordTable(words.names(), self.terms)
        self._counts = np.zeros(0, np.int64)  # occurrences of each word of the German table

    @property
    def vocabulary(self) -> Counter:
        """The words of the text analysed so far (as written) and their counts."""
        out = Counter(self._counted)
        table = self.german.words
        for i in np.flatnonzero(self._counts).tolist():
            out[table[i]] += int(self._counts[i])
        return out

    def _count(self, occ: Occurrences):
        if not len(occ.words):
            return
        found = np.bincount(occ.wids, minlength=len(self.german.words))
        if len(found) > len(self._counts):
            self._counts = np.concatenate([self._counts, np.zeros(len(found) - len(self._counts),
                                                                  np.int64)])
        self._counts[:len(found)] += found

    def batch(self, articles: list[Article], stored: list[str] | None = None) -> DocumentBatch:
        if len(self.terms.list) > MAX_TERMS:  # (the writer keeps what it mapped)
            self._new_tables()
        head, body = Occurrences(), Occurrences()
        head.limit = F.PART_STRIDE
        names = {f: Occurrences() for f in F.NAME_FIELDS}
        n = len(articles)
        cols = {c: np.zeros(n, np.int64) for c in (F.DATE_START, F.DATE_END, F.SORT_DATE, F.YEAR, F.PARTS)}
        kws: dict[str, list[list[str]]] = {k: [] for k in F.KEYWORDS}
        for i, art in enumerate(articles):
            parts = 0
            for k, part in enumerate(F.HEAD_WEIGHTS):
                value = getattr(art, part)
                if isinstance(value, list):
                    value = "\n".join(value)
                if value:
                    head.add(i, value, k * F.PART_STRIDE, F.HEAD_WEIGHTS[part])
                    parts |= 1 << k
            if art.body:
                body.add(i, art.body)
            for f in F.NAME_FIELDS:
                value = getattr(art, f)
                if value:
                    names[f].add(i, "\n".join(value) if isinstance(value, list) else value)
            bounds = date_bounds(art.date)
            if bounds:
                cols[F.DATE_START][i], cols[F.DATE_END][i] = bounds
                cols[F.SORT_DATE][i], cols[F.YEAR][i] = bounds[0], bounds[0] // 10000
            cols[F.PARTS][i] = parts
            kws["tags"].append(list(dict.fromkeys(art.tags)))
            kws["authors"].append(list(dict.fromkeys(art.authors)))
        fields, lengths = {}, {}
        for name, occ, table, weighted in [(F.HEAD, head, self.german, True),
                                           (F.BODY, body, self.german, False),
                                           *((f, names[f], self.names, False) for f in F.NAME_FIELDS)]:
            doc, term, pos, weight, length = occ.expand(table, n, weighted)
            if len(doc):
                fields[name] = FieldOccurrences(doc, term, pos, weight)
                lengths[name] = length
        self._count(head)
        self._count(body)
        if stored is None:
            stored = [stored_json(a) for a in articles]
        return DocumentBatch(ids=[a.id for a in articles], stored=[s.encode("utf-8") for s in stored],
                             terms=self.terms.list, fields=fields, lengths=lengths, columns=cols,
                             keywords=kws)
