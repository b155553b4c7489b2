"""Reading postings and field lengths in bulk, for direct scoring
(search/direct.py): the W3 codec's raw blocks where possible."""
from __future__ import annotations

from itertools import accumulate

from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length


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
        try:  # one term lookup per segment (a `in` test first would be two)
            m = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
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
