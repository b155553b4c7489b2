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


class TermTable:
    """(field, text) -> the term's info in each segment that holds it, looked
    up once per segment and kept. A query word is asked for several times
    (spelling, expansion, scoring, postings), and each Whoosh lookup hashes the
    key and probes every segment's hash table again."""

    def __init__(self, reader, limit: int = 200_000):
        self._reader = reader
        self._leaves = reader.leaf_readers()
        self._schema = reader.schema
        # Whoosh's segment readers keep a TermsReader with term_info; others
        # (an empty index) answer through the reader.
        self._direct = all(hasattr(leaf, "_terms") for leaf, _ in self._leaves)
        self._finders = [_term_finder(leaf) for leaf, _ in self._leaves] if self._direct else []
        self._found: dict[tuple[str, str], tuple] = {}
        self._fields: dict[str, object] = {}  # fieldname -> its indexed field
        self._limit = limit

    def __len__(self) -> int:
        return len(self._found)

    def lookup(self, fieldname: str, text: str) -> tuple:
        """((leaf, docnum offset, term bytes, term info), ...) for the
        segments holding the term."""
        key = (fieldname, text)
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= self._limit:
                self._found.clear()  # rare (a long-running process): start afresh
            found = self._found[key] = self._lookup(fieldname, text)
        return found

    def _lookup(self, fieldname, text) -> tuple:
        field = self._fields.get(fieldname)
        if field is None:  # (Whoosh's schema lookups cost more than the table probes)
            field = self._schema[fieldname] if fieldname in self._schema else None
            if field is None or field.format is None:
                raise TermNotFound(f"No field {fieldname!r}")  # as Whoosh's reader
            self._fields[fieldname] = field
        tbytes = field.to_bytes(text)
        hashes: dict[bytes, int] = {}  # segments share field numbers, so keys and hashes
        found = []
        for (leaf, offset), find in zip(self._leaves, self._finders):
            info = find(fieldname, tbytes, hashes)
            if info is not None:
                found.append((leaf, offset, tbytes, info))
        return tuple(found)

    def doc_frequency(self, fieldname: str, text: str) -> int:
        if not self._direct:
            return self._reader.doc_frequency(fieldname, text)
        return sum(info.doc_frequency() for _, _, _, info in self.lookup(fieldname, text))

    def postings(self, fieldname: str, text: str):
        """(docnums, weights) blocks of one term's postings, global docnums,
        live documents only: the raw blocks of Whoosh's W3 codec where it can,
        else the matcher one posting at a time."""
        if not self._direct:
            yield from _postings_by_leaf(self._leaves, fieldname, text)
            return
        found = self.lookup(fieldname, text)
        format_ = self._fields[fieldname].format  # (known once looked up)
        for leaf, offset, tbytes, info in found:
            terms = leaf._terms
            if type(terms).__name__ == "W3TermsReader":  # the matcher from the info we hold
                m = terms._codec.postings_reader(terms._postfile, info, format_,
                                                 term=(fieldname, tbytes))
            else:
                m = terms.matcher(fieldname, tbytes, format_)
            yield from _blocks(m, offset, leaf.deleted_docs_set)


def _term_finder(leaf):
    """(fieldname, term bytes, {key: hash}) -> the segment's term info or None.
    For the W3 codec's in-memory term file, its hash table is probed here as
    filetables.HashReader.ranges_for_key does, without its three generators
    per lookup, and a key's hash is computed once for all segments."""
    terms = leaf._terms
    tindex = getattr(terms, "_tindex", None)
    buf = getattr(getattr(tindex, "dbfile", None), "_buf", None)
    if (type(terms).__name__ != "W3TermsReader" or type(tindex).__name__ != "OrderedHashReader"
            or not isinstance(buf, memoryview)):
        def find(fieldname, tbytes, hashes):
            try:
                return terms.term_info(fieldname, tbytes)
            except TermNotFound:
                return None
        return find

    from whoosh.codec.whoosh3 import W3TermInfo
    from whoosh.filedb.filetables import _lengths, _pointer
    from whoosh.system import pack_ushort

    fieldmap, tables, hashfn = terms._fieldmap, tindex.tables, tindex.hashfn
    from_bytes = W3TermInfo.from_bytes
    unpack_pointer, unpack_lengths = _pointer.unpack_from, _lengths.unpack_from
    ptrsize, lenssize = _pointer.size, _lengths.size

    def find(fieldname, tbytes, hashes):
        fnum = fieldmap.get(fieldname)
        if fnum is None:  # (Whoosh codes it as 65535: no such key either)
            return None
        key = pack_ushort(fnum) + tbytes
        keyhash = hashes.get(key)
        if keyhash is None:
            keyhash = hashes[key] = hashfn(key)
        tablestart, numslots = tables[keyhash & 255]
        if not numslots:
            return None
        tableend = tablestart + numslots * ptrsize
        slotpos = tablestart + ((keyhash >> 8) % numslots) * ptrsize
        for _ in range(numslots):  # open addressing, wrapping around
            slothash, itempos = unpack_pointer(buf, slotpos)
            if not itempos:  # an empty slot: not there
                return None
            if slothash == keyhash:
                keylen, datalen = unpack_lengths(buf, itempos)
                keystart = itempos + lenssize
                if keylen == len(key) and buf[keystart:keystart + keylen] == key:
                    datapos = keystart + keylen
                    return from_bytes(bytes(buf[datapos:datapos + datalen]))
            slotpos += ptrsize
            if slotpos == tableend:
                slotpos = tablestart
        return None
    return find


def _postings_by_leaf(leaves, fieldname, text):
    for leaf, offset in leaves:
        try:  # one term lookup per segment (a `in` test first would be two)
            m = leaf.postings(fieldname, text)
        except TermNotFound:
            continue
        deleted = None
        if type(m).__name__ == "FilterMatcher":  # the segment has deleted documents
            m, deleted = m.child, leaf.deleted_docs_set
        yield from _blocks(m, offset, deleted)


def _blocks(m, offset: int, deleted):
    if type(m).__name__ == "W3LeafMatcher" and hasattr(m, "_read_data"):
        yield from _w3_blocks(m, offset, deleted)
    else:  # another codec, or postings inlined in the term info: one at a time
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
