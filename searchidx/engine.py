"""Everything Whoosh-specific: the schema, opening and writing one index
folder, and turning Articles into Whoosh documents. Swapping the engine means
rewriting this module (and the query building in search/)."""
from __future__ import annotations

import json
import multiprocessing
import os
from itertools import accumulate
from collections import defaultdict

from whoosh import fields, index as whoosh_index
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.util.numeric import byte_to_length

from .analysis import german_analyzer, name_analyzer
from .analysis.wordcache import WordCache
from .article import Article

# The default search runs over two fields: `head`, all the short parts of an
# article with these weights (title and kicker above lead; tags, authors and
# places count too), and `body`. Each part also has its own field for
# `title:`, `lead:`, `tag:` ... queries.
HEAD_WEIGHTS = {"title": 3.0, "kicker": 2.0, "lead": 1.5, "tags": 1.5, "location": 1.0,
                "authors": 1.0, "image_caption": 0.7}
FIELD_BOOSTS = {"head": 1.0, "body": 1.0}
TEXT_SEARCH_FIELDS = ("head", "body")
DEFAULT_FIELDS = TEXT_SEARCH_FIELDS
GERMAN_FIELDS = ("head", "body", "title", "kicker", "lead", "image_caption")  # stemmed
INDEX_NAME = "MAIN"


class GermanText(fields.TEXT):
    """TEXT indexed through a per-word cache of the analysis chain (see
    analysis.wordcache); the same postings as fields.TEXT, several times faster."""

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_cache", None)
        return state

    def index(self, value, **kwargs):
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = self._cache = word_cache(self.analyzer)
        fmt = self.format
        boost, encode = fmt.field_boost, fmt.encode
        for term, plist in cache.positions(value).items():
            yield term.encode("utf-8"), len(plist), len(plist) * boost, encode(plist)


class WeightedText(GermanText):
    """One field made of weighted parts, given as [(weight, text), ...]: a
    term's weight is the weighted sum of its occurrences, so BM25 saturates
    over all parts together (BM25F proper), and a query word costs one term
    lookup instead of one per field. Parts are far apart in positions, so a
    phrase never runs from one into the next."""

    def index(self, value, **kwargs):
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = self._cache = word_cache(self.analyzer)
        poses: dict[str, list[int]] = defaultdict(list)
        weights: dict[str, float] = defaultdict(float)
        base = 0
        for weight, text in value:
            for term, plist in cache.positions(text).items():
                poses[term].extend(p + base for p in plist)
                weights[term] += weight * len(plist)
            base += len(text) + 100  # more than the part's positions, plus a gap
        encode = self.format.encode
        for term, plist in poses.items():
            yield term.encode("utf-8"), len(plist), weights[term], encode(plist)


_CACHES: list = []


def word_cache(analyzer) -> WordCache:
    """One cache for all fields with an equal analyzer."""
    for cache in _CACHES:
        if cache.analyzer == analyzer:
            return cache
    _CACHES.append(WordCache(analyzer))
    return _CACHES[-1]


def make_schema() -> fields.Schema:
    text = german_analyzer()
    names = name_analyzer()
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        source=fields.ID(stored=True),          # file key: which file the record came from
        record_hash=fields.STORED(),
        title=GermanText(analyzer=text, phrase=True),
        kicker=GermanText(analyzer=text, phrase=True),
        lead=GermanText(analyzer=text, phrase=True),
        image_caption=GermanText(analyzer=text, phrase=True),
        body=GermanText(analyzer=text, phrase=True),
        head=WeightedText(analyzer=text, phrase=True),
        authors=fields.TEXT(analyzer=names, phrase=True),
        tags=fields.TEXT(analyzer=names, phrase=True),
        location=fields.TEXT(analyzer=names),
        # Exact values for facets.
        facet_tag=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        facet_author=fields.KEYWORD(commas=True, lowercase=False, scorable=False),
        # Sort and facet columns hold 0 for undated articles, so they come last
        # when newest come first (range filters use date_start/date_end).
        year=fields.NUMERIC(int, bits=16, sortable=True),
        sort_date=fields.NUMERIC(int, bits=32, sortable=True),
        # A date of month precision covers the whole month: filters compare
        # the query range with [date_start, date_end] (YYYYMMDD integers).
        date_start=fields.NUMERIC(int, bits=32),
        date_end=fields.NUMERIC(int, bits=32),
        article=fields.STORED(),                # the Article as JSON, for show and snippets
    )


def writer(ix, procs: int = 1):
    """A writer for `ix`; with procs > 1 documents are analysed and written by
    worker processes, one segment each (measured: 5x corpus 13.5 s -> 9 s on 2 cores)."""
    if procs > 1 and multiprocessing.get_start_method() == "fork":
        return _ParallelWriter(ix, procs=procs, limitmb=256, multisegment=True)
    return ix.writer(limitmb=256)


class _MortalTask(SubWriterTask):
    """A Whoosh index worker that dies with its parent: a killed `index` run
    must not leave workers behind (they would go on writing an abandoned
    generation, or wait forever for work)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_pid = os.getpid()

    def run(self):
        _die_with_parent(self.parent_pid)
        super().run()


class _ParallelWriter(MpWriter):
    def _new_task(self):
        task = _MortalTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                           self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


def _die_with_parent(parent_pid: int):
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent check below still helps
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def field_lengths(searcher, fieldname: str) -> list[int]:
    """Every document's (quantised) length of `fieldname`, by global docnum."""
    out: list[int] = []
    for leaf, offset in searcher.reader().leaf_readers():
        del out[offset:]
        n = leaf.doc_count_all()
        col = _length_column(leaf, fieldname)
        if col is not None:  # W3 codec: one byte per document, read at once
            raw = col._dbfile.get(col._basepos, min(col._count, n)) if col._count else b""
            out.extend(byte_to_length(b) for b in raw)
            out.extend([0] * (n - len(raw)))
        else:
            out.extend(leaf.doc_field_length(d, fieldname, 0) for d in range(n))
    return out


def _length_column(leaf, fieldname):
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield

        col = leaf._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        return col if col is not None and hasattr(col, "_basepos") else None
    except (AttributeError, ImportError):
        return None


def postings(searcher, fieldname: str, text: str):
    """(docnums, weights) blocks of one term's postings, global docnums, live
    documents only: the raw blocks of Whoosh's W3 codec where it can, else the
    matcher one posting at a time."""
    for leaf, offset in searcher.reader().leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        m = leaf.postings(fieldname, text)
        deleted = None
        if type(m).__name__ == "FilterMatcher":  # the segment has deleted documents
            m, deleted = m.child, leaf.deleted_docs_set
        if type(m).__name__ == "W3LeafMatcher" and hasattr(m, "_read_data"):
            yield from _w3_blocks(m, offset, deleted)
        else:  # another codec: one posting at a time
            ids, weights = [], []
            while m.is_active():
                if not deleted or m.id() not in deleted:
                    ids.append(m.id() + offset)
                    weights.append(m.weight())
                m.next()
            yield ids, weights


def _w3_blocks(m, offset: int, deleted):
    while m.is_active():
        if m._data is None:
            m._read_data()
        ids = m._data[0]
        if not m._byteids:  # delta-encoded: decode at C speed
            ids = list(accumulate(ids))
        m._read_weights()
        weights = m._weights
        if deleted:
            keep = [i for i, d in enumerate(ids) if d not in deleted]
            ids, weights = [ids[i] for i in keep], [weights[i] for i in keep]
        yield (ids if not offset else [d + offset for d in ids]), weights
        if m._lastblock:
            break
        m._next_block()


def create(path: str):
    os.makedirs(path, exist_ok=True)
    return whoosh_index.create_in(path, make_schema(), indexname=INDEX_NAME)


def open_dir(path: str):
    return whoosh_index.open_dir(path, indexname=INDEX_NAME)


def exists(path: str) -> bool:
    return whoosh_index.exists_in(path, indexname=INDEX_NAME)


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


def to_document(art: Article, source: str, record_hash: str) -> dict:
    doc = {"id": art.id, "source": source, "record_hash": record_hash,
           "article": json.dumps(art.to_dict() | {"format": art.format}, ensure_ascii=False)}
    for name in ("title", "kicker", "lead", "image_caption", "body", "location"):
        if value := getattr(art, name):
            doc[name] = value
    if art.authors:
        doc["authors"] = "\n".join(art.authors)
        doc["facet_author"] = ",".join(a.replace(",", " ") for a in art.authors)
    if art.tags:
        doc["tags"] = "\n".join(art.tags)
        doc["facet_tag"] = ",".join(t.replace(",", " ") for t in art.tags)
    head = [(w, "\n".join(v) if isinstance(v, list) else v)
            for w, v in ((w, getattr(art, name)) for name, w in HEAD_WEIGHTS.items()) if v]
    if head:
        doc["head"] = head
    bounds = date_bounds(art.date)
    if bounds:
        doc["date_start"], doc["date_end"] = bounds
    doc["sort_date"] = bounds[0] if bounds else 0
    doc["year"] = bounds[0] // 10000 if bounds else 0
    return doc


def stored_article(stored: dict) -> Article:
    d = json.loads(stored["article"])
    return Article.from_dict(d)
