"""A file rewritten while the indexer reads it: the manifest must describe the
content that was indexed, so the next run sees the change."""
from __future__ import annotations

import pytest

from searchidx import Index
from searchidx.input import formats as readers
from searchidx.input.formats import jsonl

OLD = " date 2024-06 Der Stadtrat tagt.\n\nEs geht um den Haushalt.\n"
NEW = " date 2024-06 Der Stadtrat tagt.\n\nEs geht um die Zeppelinwerft.\n"


@pytest.mark.parametrize("name", ["meldung.txt", "dump.jsonl"])
def test_a_change_during_reading_is_indexed_next_time(tmp_path, monkeypatch, name):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    path = corpus / name
    old, new = OLD, NEW
    if name.endswith(".jsonl"):
        old, new = ('{"id": 1, "text": "%s"}\n' % t.split("\n\n")[1].strip() for t in (OLD, NEW))
    path.write_text(old, encoding="utf-8")

    # Another program rewrites the file right after the indexer parsed it.
    def rewritten_after(parse):
        def parse_then_rewrite(*args, **kwargs):
            out = parse(*args, **kwargs)
            out = list(out)
            path.write_text(new + "\n", encoding="utf-8")  # another size: a new stat
            return iter(out)
        return parse_then_rewrite

    monkeypatch.setattr(readers, "parse_text_file", rewritten_after(readers.parse_text_file))
    monkeypatch.setattr(jsonl, "read_stream", rewritten_after(jsonl.read_stream))
    with Index(str(tmp_path / "index")) as ix:
        assert ix.index([str(corpus)]).added == 1
    monkeypatch.undo()
    with Index(str(tmp_path / "index")) as ix:
        report = ix.index([str(corpus)])
        assert report.updated == 1, report
        assert [h.id for h in ix.search("Zeppelinwerft").hits]
