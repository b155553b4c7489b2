"""The in-memory segment writer writes what Whoosh's own writer writes: the
same terms, term infos, posting blocks (ids, weights, values, block stats),
stored fields, field lengths and columns, also when it merges segments."""
from __future__ import annotations

import pytest
from whoosh import fields, index as whoosh_index
from whoosh.writing import SegmentWriter

from searchidx import corpus, engine
from searchidx.engine.memwriter import MemoryWriter
from searchidx.indexer import record_hash
from support import PLAIN_SEED, TAZ_SEED, WIKINEWS


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[dict]:
    if not WIKINEWS.exists():
        pytest.skip(f"{WIKINEWS} not found")
    d = tmp_path_factory.mktemp("memwriter-corpus")
    for src in (TAZ_SEED, PLAIN_SEED, WIKINEWS):
        (d / src.name).write_bytes(src.read_bytes())
    docs = []
    for f in corpus.scan([str(d)], print):
        for art in corpus.read_articles(f, 1 << 30, print)[0]:
            docs.append(engine.to_document(art, f.key, record_hash(engine.article_record(art))))
    assert len(docs) > 900
    return docs


def _build(path, writer_class, batches, final_commit=None) -> str:
    ix = engine.create(str(path))
    for batch, deletes in batches:
        w = writer_class(ix)
        for doc_id in deletes:
            w.delete_by_term("id", doc_id)
        for doc in batch:
            w.add_document(**doc)
        w.commit(merge=False)
    if final_commit:
        final_commit(writer_class(ix))
    return str(path)


def _posting_blocks(reader, fieldname, tbytes):
    m = reader.postings(fieldname, tbytes)
    while type(m).__name__ != "W3LeafMatcher":  # unwrap FilterMatcher (deletions)
        m = m.child
    blocks = []
    while m.is_active():
        m._read_ids()
        m._read_weights()
        m._read_values()
        blocks.append((tuple(m._ids), tuple(m._weights), tuple(m._values), m._blocklength,
                       m._maxid, m._maxweight, m._minlength, m._maxlength))
        if m._lastblock:
            break
        m._next_block()
    return blocks


def _contents(path: str):
    ix = engine.open_dir(path)
    out = []
    with ix.reader() as r:
        for seg_reader, _ in r.leaf_readers():
            seg = {"stored": list(seg_reader.all_stored_fields()), "terms": {}}
            names = seg_reader.indexed_field_names()
            seg["lengths"] = {f: [seg_reader.doc_field_length(d, f)
                                  for d in range(seg_reader.doc_count_all())] for f in names}
            seg["field_length"] = {f: seg_reader.field_length(f) for f in names}
            seg["columns"] = {f: list(seg_reader.column_reader(f)) for f in ("sort_date", "year")}
            for fieldname, tbytes in seg_reader.all_terms():
                ti = seg_reader.term_info(fieldname, tbytes)
                seg["terms"][fieldname, tbytes] = (
                    ti.weight(), ti.doc_frequency(), ti.min_length(), ti.max_length(),
                    ti.max_weight(), ti.min_id(), ti.max_id(),
                    _posting_blocks(seg_reader, fieldname, tbytes))
            out.append(seg)
    return out


def _same(tmp_path, batches, final_commit=None):
    whoosh = _contents(_build(tmp_path / "whoosh", SegmentWriter, batches, final_commit))
    ours = _contents(_build(tmp_path / "memory", MemoryWriter, batches, final_commit))
    assert len(ours) == len(whoosh)
    for a, b in zip(ours, whoosh):
        assert a["stored"] == b["stored"]
        assert a["lengths"] == b["lengths"]
        assert a["field_length"] == b["field_length"]
        assert a["columns"] == b["columns"]
        assert a["terms"].keys() == b["terms"].keys()
        for key in b["terms"]:
            assert a["terms"][key] == b["terms"][key], key
    return ours


def test_one_segment_is_written_exactly_as_whoosh_writes_it(documents, tmp_path):
    segs = _same(tmp_path, [(documents, [])])
    # long posting lists (several blocks of 128) were among those compared
    assert max(len(v[-1]) for v in segs[0]["terms"].values()) > 3


def test_boosts_and_stored_values_are_written_as_whoosh_writes_them(documents, tmp_path):
    docs = [dict(doc) for doc in documents[:60]]
    for i, doc in enumerate(docs):
        if i % 3 == 0:
            doc["_boost"] = 2.0
        if i % 4 == 0:
            doc["_body_boost"] = 0.5
        if i % 5 == 0:
            doc["_stored_id"] = f"shown-{i}"
    segs = _same(tmp_path, [(docs, [])])
    assert segs[0]["stored"][0]["id"] == "shown-0"


def _postings_bytes(path: str) -> int:
    ix = engine.open_dir(path)
    (segment,) = ix._segments()
    files = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
    return sum(files.file_length(n) for n in files.list() if n.endswith(".pst"))


def test_posting_blocks_take_far_less_space_than_whooshs(documents, tmp_path):
    # Whoosh's protocol 2 pickles store each value as a codecs.encode call
    whoosh = _postings_bytes(_build(tmp_path / "whoosh", SegmentWriter, [(documents, [])]))
    ours = _postings_bytes(_build(tmp_path / "memory", MemoryWriter, [(documents, [])]))
    assert ours < 0.7 * whoosh


def test_merged_segments_with_deletions_are_written_as_whoosh_writes_them(documents, tmp_path):
    documents = documents[:450]
    third = len(documents) // 3
    batches = [(documents[:third], []),
               (documents[third:2 * third], [documents[0]["id"], documents[5]["id"]]),
               (documents[2 * third:], [documents[third + 1]["id"]])]
    segs = _same(tmp_path, batches, lambda w: w.commit(optimize=True))
    assert len(segs) == 1


class _Exploding(fields.TEXT):
    def index(self, value, **kwargs):
        raise ValueError("boom")


def test_a_document_that_fails_halfway_leaves_no_postings(tmp_path):
    """Its docnum goes to the next document: postings of its first fields must not."""
    schema = fields.Schema(a=fields.TEXT(), b=_Exploding(), id=fields.ID(stored=True))
    ix = whoosh_index.create_in(str(tmp_path), schema)
    w = MemoryWriter(ix)
    with pytest.raises(ValueError):
        w.add_document(a="vergessen", b="x", id="1")
    w.add_document(a="bleibt", id="2")
    w.commit()
    with ix.searcher() as s:
        assert [t for t in s.lexicon("a")] == [b"bleibt"]
        assert [d["id"] for d in s.all_stored_fields()] == ["2"]
