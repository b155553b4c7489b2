"""The term table (engine/postings.py) must answer as Whoosh's reader does:
document frequencies and live postings, across segments with deletions."""
import pytest

from searchidx import Index
from searchidx.engine.postings import TermTable

from support import WIKINEWS

WORDS = ["kim", "putin", "regier", "merkel", "nordkorea", "rom", "xylophonzz", "hand", "in"]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    """Three segments, one with a deleted document: docnums carry offsets."""
    if not WIKINEWS.exists():
        pytest.skip("shared Wikinews data missing")
    corpus = tmp_path_factory.mktemp("tt-corpus")
    lines = WIKINEWS.read_text(encoding="utf-8").splitlines(keepends=True)
    ix = Index(str(tmp_path_factory.mktemp("tt-ix") / "index"))
    for i, part in enumerate((lines[:300], lines[300:700], lines[700:])):
        (corpus / f"part{i}.jsonl").write_text("".join(part), encoding="utf-8")
        ix.index([str(corpus)])
    changed = lines[:300]
    changed[5] = changed[5].replace('"text": "', '"text": "Nachtrag. ', 1)
    (corpus / "part0.jsonl").write_text("".join(changed), encoding="utf-8")
    assert ix.index([str(corpus)]).updated == 1
    s = ix.searcher()
    assert any(leaf.has_deletions() for leaf, _ in s.reader.leaf_readers())
    yield s
    ix.close()


def _whoosh_postings(reader, fieldname, text):
    out = []
    for leaf, offset in reader.leaf_readers():
        if (fieldname, text) not in leaf:
            continue
        m = leaf.postings(fieldname, text)  # filters deleted documents itself
        while m.is_active():
            out.append((m.id() + offset, m.weight()))
            m.next()
    return out


def _terms(reader, fieldname, limit=400):
    out = [t for t in WORDS]
    for i, t in enumerate(reader.field_terms(fieldname)):
        if i >= limit:
            break
        out.append(t)
    return out


@pytest.mark.parametrize("fieldname", ["head", "body", "title"])
def test_doc_frequency_and_postings_as_whoosh(searcher, fieldname):
    reader = searcher.reader
    table = TermTable(reader)
    for text in _terms(reader, fieldname):
        for _ in range(2):  # the second answer comes from the table
            assert table.doc_frequency(fieldname, text) == reader.doc_frequency(fieldname, text), text
        ours = [(d, w) for ids, ws in table.postings(fieldname, text) for d, w in zip(ids, ws)]
        assert ours == _whoosh_postings(reader, fieldname, text), text


@pytest.mark.parametrize("fieldname", ["head", "body", "id", "date_start"])
def test_misses_and_near_misses_as_whoosh(searcher, fieldname):
    # Misses probe the hash tables past colliding slots; `id` and numeric
    # fields have other key shapes.
    reader = searcher.reader
    table = TermTable(reader)
    terms = list(reader.lexicon(fieldname))[:300]
    for tbytes in terms + [t + b"x" for t in terms] + [t[:-1] for t in terms if len(t) > 1]:
        infos = table._finders
        for (leaf, _), find in zip(reader.leaf_readers(), infos):
            expected = (fieldname, tbytes) in leaf._terms
            info = find(fieldname, tbytes, {})
            assert (info is not None) == expected, tbytes
            if expected:
                assert vars(info) == vars(leaf._terms.term_info(fieldname, tbytes)), tbytes


def test_postings_without_table_unchanged(searcher):
    reader = searcher.reader
    for text in WORDS:
        ours = [(d, w) for ids, ws in TermTable(reader).postings("body", text)
                for d, w in zip(ids, ws)]
        assert ours == _whoosh_postings(reader, "body", text), text


def test_unknown_field_raises_as_whoosh(searcher):
    from whoosh.reading import TermNotFound

    with pytest.raises(TermNotFound):
        searcher.reader.doc_frequency("nosuchfield", "kim")
    with pytest.raises(TermNotFound):
        TermTable(searcher.reader).doc_frequency("nosuchfield", "kim")


def test_table_is_bounded(searcher):
    table = TermTable(searcher.reader, limit=10)
    for text in _terms(searcher.reader, "body", limit=50):
        assert table.doc_frequency("body", text) == searcher.reader.doc_frequency("body", text)
    assert len(table) <= 10


def test_term_scores_are_the_bm25f_formula_exactly(searcher):
    # Direct scoring computes c * w / (w + k1_norm[d]) at C speed: the same floats.
    from math import log

    from searchidx.search.direct import K1, DirectScorer

    scorer = DirectScorer(searcher.searcher)
    table = TermTable(searcher.reader)
    for fieldname in ("head", "body"):
        norm = scorer._k1_norm(fieldname)
        for text in WORDS:
            n = table.doc_frequency(fieldname, text)
            expected = {}
            if n:
                c = (log(searcher.searcher.doc_count_all() / (n + 1)) + 1) * (K1 + 1)
                for ids, ws in table.postings(fieldname, text):
                    for d, w in zip(ids, ws):
                        expected[d] = c * w / (w + norm[d])
            assert scorer._score_term(fieldname, text) == expected, text
