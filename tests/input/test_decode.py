"""Issue 18, point 10: a UTF-16 file (Windows editors save "Unicode" so) was
skipped as a "binary file". With a byte-order mark it is text."""
import json
import random

import pytest

from searchidx.input.decode import BinaryContent, decode
from support import PLAIN_SEED, run_cli

TEXT = " date 2024-06 Grüße aus Pjöngjang\n\nDie Straßen sind leer.\r\nÜberall Fahnen.\n"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_bom_is_decoded(codec, bom):
    decoded = decode(bom + TEXT.encode(codec))
    assert decoded.text == TEXT.replace("\r\n", "\n") and decoded.encoding == codec


def test_utf16_odd_length_keeps_what_it_can():
    decoded = decode(b"\xff\xfe" + "Grüße".encode("utf-16-le") + b"x")
    assert decoded.text.startswith("Grüße")


def test_binary_after_a_utf16_bom_is_still_binary():
    noise = random.Random(18).randbytes(4000)  # (as compressed or image data)
    for bom in (b"\xff\xfe", b"\xfe\xff"):
        with pytest.raises(BinaryContent):
            decode(bom + noise)


def test_nul_bytes_without_a_bom_are_binary():
    with pytest.raises(BinaryContent):
        decode("Grüße".encode("utf-16-le"))


def test_a_utf16_article_is_indexed_and_found(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = PLAIN_SEED.read_text(encoding="utf-8")
    (corpus / "le.txt").write_bytes(text.encode("utf-16"))  # (Python writes LE with a BOM)
    (corpus / "be.txt").write_bytes(b"\xfe\xff" + TEXT.encode("utf-16-be"))
    proc = run_cli("index", corpus, "--index", tmp_path / "ix", "--format", "json", check=0)
    report = json.loads(proc.stdout)
    assert (report["added"], report["skipped"]) == (2, 0), proc.stderr
    assert "binary" not in proc.stderr
    out = json.loads(run_cli("search", "Straßen", "--index", tmp_path / "ix", "--format", "json",
                             check=0).stdout)
    assert sorted(r["id"] for r in out["results"]) == ["be", "le"]


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_a_utf16_json_lines_file_is_read_record_by_record(tmp_path, codec, bom):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = [{"id": i, "title": f"Straßenbau {i}", "text": "Die Straßen werden gebaut. " * 50}
            for i in range(30)]
    text = "".join(json.dumps(r, ensure_ascii=False) + "\r\n" for r in rows)
    (corpus / "dump.jsonl").write_bytes(bom + text.encode(codec))
    proc = run_cli("index", corpus, "--index", tmp_path / "ix", "--format", "json", check=0)
    report = json.loads(proc.stdout)
    assert (report["added"], report["skipped_articles"]) == (30, 0), proc.stderr
    out = json.loads(run_cli("search", "Straßenbau 7", "--index", tmp_path / "ix", "--format", "json",
                             check=0).stdout)
    assert out["results"][0]["id"] == "dump/7"
