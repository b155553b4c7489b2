"""A Whoosh segment writer that keeps the new segment's postings in memory
and writes each term's posting blocks whole at commit.

Whoosh's own writer puts every posting in a pool of tuples, sorts the pool,
then for each posting looks up the document's field length in a column file
and adds it to a block one call at a time: about half of an index build went
there. Here a document's postings extend a few flat lists, they are grouped
by term at commit, and the blocks of all the terms whose postings fit in one
(most terms) are encoded together, each step a C loop over all those terms:
little Python code runs per term. The postings files are Whoosh's W3
format: the same terms, term infos, blocks and values as Whoosh's writer
writes (a test reads both back and compares them), except that blocks are
pickled with a newer protocol and those too small to gain from zlib are
stored uncompressed, as the format allows.

Memory: a posting costs about 40 bytes here (four list slots; a document's
docnum and the position bytes of a word that occurs once are shared objects),
against about 180 in Whoosh's pool; worker processes each hold one segment
(see writing.py)."""
from __future__ import annotations

import gc
import zlib
from array import array
from bisect import bisect_left
from collections import defaultdict, deque
from functools import partial
from hashlib import md5
from itertools import accumulate, chain, compress, count, repeat, starmap
from operator import add, and_, getitem, gt, le, lt, neg, not_, sub
from pickle import dumps
from struct import Struct, pack

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.filedb.filetables import _lengths, md5_hash
from whoosh.system import pack_int, pack_ushort
from whoosh.writing import SegmentWriter

# Blocks whose pickle is shorter than this are stored without zlib, which costs
# 15-20 us a call however short the block. Measured on half the 5x Wikinews
# corpus (2,538 articles): 128 -> 512 bytes, 8,687 -> 2,970 calls, zlib time
# 0.13-0.17 s -> 0.075 s (3 % of the build), the whole index 11.61 -> 12.38 MB.
# Reading an uncompressed block is faster too.
MIN_COMPRESS = 512
# Whoosh pickles blocks with protocol 2 (Python 2's), which stores each posting's
# value bytes as a call to codecs.encode on a str; protocol 3 stores bytes as
# bytes. The reader's pickle.loads takes either. On Wikinews: block pickles
# 8.4 -> 4.4 MB, half as many need zlib, dumps 4x and loads 5x faster.
PROTOCOL = 3
# A term info: W3TermInfo's statistics, then the postings' offset and length
# (whoosh.system's pack_long, pack_int)
_TERMINFO, _POINTER = W3TermInfo._struct, Struct("!qi")
_min_or_0 = partial(min, default=0)
_consume = deque(maxlen=0).extend
_md5, _md5_digest, _LAST4 = partial(md5, usedforsecurity=False), type(md5()).digest, slice(-4, None)


def _cut(seq, slices):
    """seq[s] for each slice s. (operator.getitem is a C function, the
    __getitem__ of tuple, bytes and array a slower slot wrapper.)"""
    return map(getitem, repeat(seq), slices)


def _cut_each(seqs, s: slice):
    """seq[s] for each seq."""
    return map(getitem, seqs, repeat(s))


class MemoryPool:
    """The new segment's postings: per field, flat lists with one entry per
    posting (term, docnum, weight, value), extended a document at a time, so
    no Python code runs per posting; grouped by term with one sort at commit.

    Terms are bytes, or str in fields whose postings come as str (see
    schema.GermanText.doc_postings: the word cache's str objects, nothing
    encoded per posting); str and UTF-8 bytes sort alike. Also takes Whoosh's
    (field, term bytes, docnum, weight, value) tuples, as merges (add_reader)
    add them. Documents get ascending docnums, so the stable sort leaves each
    term's postings in docnum order."""

    def __init__(self, str_fields=()):
        self.fields: dict[str, tuple[list, list, list, list]] = {}
        self.fieldnames: set[str] = set()  # Whoosh's name for the fields written
        self.str_fields = frozenset(str_fields)

    def lists(self, fieldname: str) -> tuple[list, list, list, list]:
        lists = self.fields.get(fieldname)
        if lists is None:
            lists = self.fields[fieldname] = ([], [], [], [])
            self.fieldnames.add(fieldname)
        return lists

    def add(self, item):
        fieldname, tbytes, docnum, weight, value = item
        terms, docnums, weights, values = self.lists(fieldname)
        terms.append(tbytes.decode("utf-8") if fieldname in self.str_fields else tbytes)
        docnums.append(docnum)
        weights.append(weight)
        values.append(value or b"")

    def grouped(self, fieldname: str):
        """The field's terms in order (bytes), its postings in that order
        (docnums, weights, values) and the terms' bounds in them: term i has
        postings bounds[i]:bounds[i + 1]. Whole lists, not one tuple per term,
        so that the writer can work on all terms at once."""
        terms, docnums, weights, values = self.fields[fieldname]
        # each term's posting indexes, in order: C loops, no sort of the postings
        indexes = defaultdict(list)
        _consume(map(list.append, map(indexes.__getitem__, terms), count()))
        tlist = sorted(indexes)
        groups = list(map(indexes.__getitem__, tlist))
        order = list(chain.from_iterable(groups))
        bounds = list(accumulate(map(len, groups), initial=0))
        if fieldname in self.str_fields:  # all terms str (see add)
            tlist = list(map(str.encode, tlist))
        return (tlist, list(map(docnums.__getitem__, order)), list(map(weights.__getitem__, order)),
                list(map(values.__getitem__, order)), bounds)

    def cleanup(self):
        self.fields.clear()


class MemoryWriter(SegmentWriter):
    """SegmentWriter with a MemoryPool and a one-pass postings writer."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.ix = ix
        self.pool.cleanup()  # Whoosh's pool: no run files yet
        self.pool = MemoryPool(name for name, field in self.schema.items()
                               if hasattr(field, "doc_postings"))
        self.added_segments: list = []
        self._seen_values: dict[tuple, tuple] = {}  # see _postings
        self._fields: dict[str, tuple] = {}  # see _field

    def add_segment(self, segment):
        """A finished segment (written by a worker process) to commit with this one."""
        self.added_segments.append(segment)

    def commit(self, mergetype=None, optimize=None, merge=None):
        if not self.added_segments:
            return super().commit(mergetype=mergetype, optimize=optimize, merge=merge)
        # SegmentWriter.commit, plus the workers' segments (as Whoosh's MpWriter does)
        self._check_state()
        segments = self._merge_segments(mergetype, optimize, merge)
        if self._added:
            segments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(segments + self.added_segments)
        self._finish()

    def add_document(self, **fields):
        # SegmentWriter.add_document without the tuple per posting (the fields
        # here have no term vectors and no separate spelling words). Every
        # field is analysed before anything is written: Whoosh's cancel_doc
        # cannot take back column values, so a document failing halfway
        # would shift the next one's.
        self.add_prepared(self.prepare_document(fields))

    def prepare_document(self, fields: dict) -> list:
        """The document analysed, all but written (see add_prepared)."""
        self._check_state()
        names = sorted(fields)
        first_special = bisect_left(names, "_")  # `_boost`, `_stored_x`: rare, and together
        special = first_special < len(names) and names[first_special].startswith("_")
        if special:
            docboost = self._doc_boost(fields)
            names = [name for name in names if not name.startswith("_")]
        self._check_fields(self.schema, names)
        prepared = []
        for name in names:
            value = fields[name]
            if value is None:
                continue
            field, own_postings = self._field(name)
            postings, length = None, 0
            if field.indexed:
                if own_postings:
                    terms, freqs, weights, values = field.doc_postings(value)
                else:
                    terms, freqs, weights, values = self._postings(name, field, value)
                if special:
                    boost = self._field_boost(fields, name, docboost)
                    if boost != 1:
                        weights = [w * boost for w in weights]
                postings = (terms, weights, values)
                if field.scorable:
                    length = sum(freqs)
            stored = fields.get("_stored_" + name, value) if special else value
            column = (field.to_column_value(stored),) if field.column_type and stored is not None else ()
            prepared.append((name, field, postings, length, stored if field.stored else None, column))
        return prepared

    def add_prepared(self, prepared: list):
        """Writes a prepared document as the segment's next."""
        self._check_state()
        pool = self.pool
        docnum, pdw = self.docnum, self.perdocwriter
        pdw.start_doc(docnum)
        for name, field, postings, length, stored, column in prepared:
            if postings:
                terms, weights, values = postings
                lists = pool.lists(name)
                lists[0].extend(terms)
                lists[1].extend(repeat(docnum, len(terms)))
                lists[2].extend(weights)
                lists[3].extend(values)
            if stored is not None or length:  # (W3PerDocWriter.add_field does nothing else)
                pdw.add_field(name, field, stored, length)
            if column:
                pdw.add_column_value(name, field.column_type, column[0])
        pdw.finish_doc()
        self._added = True
        self.docnum += 1

    def _field(self, name: str):
        """The schema's field, and whether it gives its postings as lists
        (doc_postings); checked once per field that no field needs what
        add_document leaves out."""
        found = self._fields.get(name)
        if found is None:
            field = self.schema[name]
            if field.vector or field.separate_spelling():
                raise NotImplementedError(f"{name}: term vectors or spelling words")
            found = self._fields[name] = (field, name in self.pool.str_fields)
        return found

    def _postings(self, name: str, field, value) -> tuple[list, list, list, list]:
        """field.index(value) as lists (terms, frequencies, weights, value
        bytes). Whoosh analyses every value through token generators, so the
        lists are kept for values that recur (dates, keyword sets, authors;
        not the values of a unique field): callers never change them."""
        if field.unique:
            return _index_lists(field, value)
        try:
            found = self._seen_values.get((name, value))
        except TypeError:  # an unhashable value
            return _index_lists(field, value)
        if found is None:
            if len(self._seen_values) >= _MAX_SEEN_VALUES:
                self._seen_values.clear()
            found = self._seen_values[name, value] = _index_lists(field, value)
        return found

    def _flush_segment(self):
        self.perdocwriter.close()
        pdr = self.per_document_reader()
        try:
            write_postings(self.fieldwriter, self.schema, self.pool, pdr, self.codec)
        finally:
            pdr.close()
        self.fieldwriter.close()


_MAX_SEEN_VALUES = 50_000


def _index_lists(field, value) -> tuple[list, list, list, list]:
    items = list(field.index(value))
    return ([i[0] for i in items], [i[1] for i in items], [i[2] for i in items],
            [i[3] or b"" for i in items])


def write_postings(fieldwriter, schema, pool: MemoryPool, pdr, codec):
    """All of `pool`'s postings into a W3FieldWriter's term index and postings file."""
    if codec._inlinelimit > 1:
        raise NotImplementedError("inlined postings")
    # The lists and tuples made here live until their field is written: garbage
    # collections meanwhile would free nothing but walk all of them and the pool.
    gc_enabled = gc.isenabled()
    gc.disable()
    try:
        _write_fields(fieldwriter, schema, pool, pdr, codec)
    finally:
        if gc_enabled:
            gc.enable()


def _write_fields(fieldwriter, schema, pool: MemoryPool, pdr, codec):
    postfile, tindex = fieldwriter._postfile, fieldwriter._tindex
    for fieldname in sorted(pool.fields):
        fieldobj = schema[fieldname]
        fieldwriter.start_field(fieldname, fieldobj)
        blocks = _BlockWriter(postfile, fieldobj.format.fixed_value_size(), codec,
                              _length_bytes(pdr, fieldname))
        tlist, docnums, weights, values, bounds = pool.grouped(fieldname)
        infos = blocks.write_all(docnums, weights, values, bounds)
        _add_in_order(tindex, list(map(pack_ushort(fieldwriter._fieldid).__add__, tlist)), infos)
        fieldwriter.finish_field()


def _add_in_order(tindex, keys: list, values: list):
    """OrderedHashWriter.add for each key and value, keys ascending, with one
    file write: the same bytes, hash buckets and key index."""
    if not all(map(lt, chain((tindex.lastkey,), keys), keys)):
        last, key = next(p for p in zip(chain((tindex.lastkey,), keys), keys) if p[0] >= p[1])
        raise ValueError(f"Keys must increase: {last!r}..{key!r}")
    klens, vlens = list(map(len, keys)), list(map(len, values))
    positions = list(accumulate(map(_lengths.size.__add__, map(add, klens, vlens)),
                                initial=tindex.dbfile.tell()))
    positions.pop()  # the end
    if tindex.hashfn is md5_hash:  # the same, in C calls: the digest's last 4 bytes
        hashes = list(map(int.from_bytes, _cut_each(map(_md5_digest, map(_md5, keys)), _LAST4),
                          repeat("big")))
    else:
        hashes = list(map(tindex.hashfn, keys))
    # buckets[h & 255].append((h, pos)) for each key
    _consume(map(list.append, map(tindex.buckets.__getitem__, map(and_, hashes, repeat(255))),
                 zip(hashes, positions)))
    if positions:  # GrowableArray.extend, at once: the largest (last) position sets the type
        index = tindex.index
        index.append(positions[-1])
        index.array.pop()
        index.array.extend(positions)
    tindex.dbfile.write(b"".join(chain.from_iterable(zip(map(_lengths.pack, klens, vlens),
                                                         keys, values))))
    if keys:
        tindex.lastkey = keys[-1]


def _length_bytes(pdr, fieldname: str) -> bytes:
    """Each document's length byte for `fieldname` (0: none), read at once."""
    n = pdr.doc_count_all()
    col = pdr._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    if col is None:
        return bytes(n)
    raw = col._dbfile.get(col._basepos, col._count) if col._count else b""
    return raw + bytes(n - len(raw))


class _BlockWriter:
    """One field's posting lists as W3 blocks; the same block and term info
    statistics as whoosh.codec.whoosh3.W3PostingsWriter computes per posting.
    A term's blocks go to the file in one write (nothing else writes to the
    postings file meanwhile, so the offset is counted here)."""

    def __init__(self, postfile, fixedsize, codec, lengths: bytes):
        self.raw_write = postfile.file.write
        self.offset = postfile.tell()
        self.fixedsize = fixedsize
        self.limit = codec._blocklimit
        self.compression = codec._compression
        self.length_of = list(lengths).__getitem__  # a C method, not bytes' slot wrapper

    def write_all(self, docnums: list, weights: list, values: list, bounds: list) -> list:
        """Writes the posting lists of the terms with postings bounds[i]:bounds[i + 1]
        in docnums, weights, values; returns their term info bytes. Most terms
        have no more than a block of postings: their blocks are made a step at
        a time for all of them (C loops over all terms), the others' one by one."""
        lo, hi = bounds[:-1], bounds[1:]
        single = list(map(le, map(sub, hi, lo), repeat(self.limit)))
        if all(single):
            blobs, stats = self._single_blocks(docnums, weights, values, lo, hi)
        else:
            blobs, stats = self._single_blocks(docnums, weights, values,
                                               list(compress(lo, single)), list(compress(hi, single)))
            big_blobs, big_stats = [], []
            for b, e in compress(zip(lo, hi), map(not_, single)):
                blob, stat = self._blocks(docnums[b:e], weights[b:e], values[b:e])
                big_blobs.append(blob)
                big_stats.append(stat)
            # merged back into term order: single[i] picks the list term i comes from
            pick = list(map(not_, single))
            blobs = list(map(next, map((iter(blobs), iter(big_blobs)).__getitem__, pick)))
            stats = list(map(next, map((iter(stats), iter(big_stats)).__getitem__, pick)))
        lens = list(map(len, blobs))
        starts = list(accumulate(lens, initial=self.offset))
        self.offset = starts.pop()
        self.raw_write(b"".join(blobs))
        return list(map(add, starmap(_TERMINFO.pack, stats), map(_POINTER.pack, starts, lens)))

    def _single_blocks(self, docnums, weights, values, lo, hi):
        """(blob, term info statistics) of each term with postings lo[i]:hi[i],
        which fit in one block: what _blocks computes, over all terms at once."""
        slices = list(map(slice, lo, hi))
        ns = list(map(sub, hi, lo))
        firsts = list(map(docnums.__getitem__, lo))
        lasts = list(map(docnums.__getitem__, map(sub, hi, repeat(1))))
        # docnum deltas, each term's first from 0
        prev = [0] + docnums[:-1]
        for i in lo:
            prev[i] = 0
        deltas = tuple(map(sub, docnums, prev))
        # Whoosh keeps block weights as floats (C floats: packed by struct, a
        # faster conversion than array's, with the same cast from double)
        w32 = array("f", pack(f"{len(weights)}f", *weights))
        w32s = list(_cut(w32, slices))
        mini_weights = [(None if w[0] == 1.0 else w[0]) if w.count(w[0]) == len(w) else tuple(w)
                        for w in w32s]
        maxweights = list(map(max, map(weights.__getitem__, slices)))
        if not all(map(gt, maxweights, repeat(0))):
            maxweights = [m if m > 0 else 0 for m in maxweights]
        all_lbytes = bytes(map(self.length_of, docnums))
        lbytes = list(_cut(all_lbytes, slices))
        maxlens = list(map(max, lbytes))
        if b"\0" in all_lbytes:  # the least length byte not 0, if any
            minlens = list(map(_min_or_0, map(bytes.replace, lbytes, repeat(b"\0"), repeat(b""))))
        else:
            minlens = list(map(min, lbytes))
        fixedsize = self.fixedsize
        if fixedsize is None or fixedsize < 0:
            mini_values = _cut(tuple(values), slices)
        elif fixedsize == 0:
            mini_values = repeat(None)
        else:
            mini_values = map(b"".join, map(values.__getitem__, slices))
        datas = list(map(dumps, zip(_cut(deltas, slices), mini_weights, mini_values),
                         repeat(PROTOCOL)))
        level = self.compression
        comps = [level if len(d) >= MIN_COMPRESS else 0 for d in datas]
        if level:
            datas = [zlib.compress(d, c) if c else d for d, c in zip(datas, comps)]
        infos = list(map(dumps, zip(ns, lasts, maxweights, comps, minlens, maxlens), repeat(2)))
        heads = map(pack_int, map(neg, map(add, map(len, infos), map(len, datas))))  # last block
        blobs = list(map(b"".join, zip(repeat(WHOOSH3_HEADER_MAGIC), heads, infos, datas)))
        stats = list(zip(repeat(0), map(sum, w32s), ns, minlens, maxlens, maxweights, firsts, lasts))
        return blobs, stats

    def _blocks(self, ids, weights, values):
        """One term's postings as blocks: (blob, term info statistics)."""
        limit, length_of, fixedsize = self.limit, self.length_of, self.fixedsize
        parts = [WHOOSH3_HEADER_MAGIC]
        n = len(ids)
        total = 0.0
        maxweight = 0
        minlen = maxlen = 0
        for s in range(0, n, limit):
            if n <= limit:
                bids, bweights, bvalues = ids, weights, values
            else:
                bids, bweights, bvalues = ids[s:s + limit], weights[s:s + limit], values[s:s + limit]
            w32 = array("f", bweights)  # Whoosh keeps block weights as floats
            total += sum(w32)
            bmax = max(bweights)
            if not bmax > 0:
                bmax = 0
            if bmax > maxweight:
                maxweight = bmax
            lbytes = bytes(map(length_of, bids))
            bmaxlen = max(lbytes)
            bminlen = min(lbytes.replace(b"\0", b"") or b"\0")
            if bminlen and (not minlen or bminlen < minlen):
                minlen = bminlen
            if bmaxlen > maxlen:
                maxlen = bmaxlen

            first = w32[0]
            if w32.count(first) == len(w32):
                mini_weights = None if first == 1.0 else first
            else:
                mini_weights = tuple(w32)
            if fixedsize is None or fixedsize < 0:
                mini_values = tuple(bvalues)
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = b"".join(bvalues)
            data = dumps((tuple(map(sub, bids, chain((0,), bids))), mini_weights, mini_values),
                         PROTOCOL)
            comp = self.compression if len(data) >= MIN_COMPRESS else 0
            if comp:
                data = zlib.compress(data, comp)
            info = dumps((len(bids), bids[-1], bmax, comp, bminlen, bmaxlen), 2)
            size = len(info) + len(data)
            parts += (pack_int(-size if s + limit >= n else size), info, data)
        return b"".join(parts), (0, total, n, minlen, maxlen, maxweight, ids[0], ids[-1])
