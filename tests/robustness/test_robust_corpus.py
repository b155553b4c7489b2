"""A hostile corpus: odd encodings, line endings, binary junk, a huge dump,
dangling links, folders named like files, non-ASCII names. Indexing it must
exit 0, warn about what it skips, find what it can read, and leave every
corpus file exactly as it was."""
from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from searchidx import Index
from searchidx.cli import cli

from robust_helpers import SEEDS, assert_no_traceback, copy_seeds, run_cli, snapshot

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
HUGE_MB = 30


def _make_corpus(c: Path) -> dict:
    """Write the hostile corpus; returns name -> note."""
    copy_seeds(c)
    (c / "win1252.txt").write_bytes(
        "Der Bürgermeister von Köln\n\nDer Bürgermeister eröffnet die Straßenbahn "
        "über den Rhein. Größere Feier im Rathaus.\n".encode("cp1252"))
    (c / "bom_crlf.txt").write_bytes(
        "Wasserstoffzug im Harz\r\n\r\nDer Wasserstoffzug fährt jetzt bis Brocken.\r\n"
        "Zweite Zeile mit Zahnradbahn.\r\n".encode("utf-8-sig"))
    (c / "cr_only.txt").write_bytes(
        "Titel mit Zeppelin\r\rDer Zeppelin landet in Friedrichshafen.\rNoch eine Zeile "
        "Luftschiff.\r".encode("utf-8"))
    (c / "empty.txt").write_bytes(b"\n  \n\t\n")
    (c / "zero.txt").write_bytes(b"")
    rnd = random.Random(1234)
    (c / "junk.txt").write_bytes(bytes(rnd.randrange(256) for _ in range(4096)) + b"\x00" * 16)
    (c / "nul_middle.txt").write_bytes(b"Titel Kolibri\n\nText mit \x00 Nullbyte Kolibri.\n")
    with open(c / "huge.txt", "wb") as f:
        line = ("Riesendatei Protokoll Zeile mit vielen Woertern und Zahlen 0123456789 " * 3 + "\n").encode()
        block = line * (1024 * 1024 // len(line) + 1)
        for _ in range(HUGE_MB):
            f.write(block)
    os.symlink(c / "does-not-exist.txt", c / "gone.txt")
    (c / "folder.txt").mkdir()
    (c / "folder.txt" / "inner.txt").write_text(
        "Flamingo im Ordner\n\nEin Flamingo steht in einem Ordner, der wie eine Datei heißt.\n",
        encoding="utf-8")
    (c / "Überraschung ä.txt").write_text(
        "Überraschung im Zoo\n\nDie Pinguine bekommen einen neuen Teich.\n", encoding="utf-8")
    (c / "feed.jsonl").write_bytes(
        b'{"id": 1, "title": "Alpaka im Schnee", "text": "Das Alpaka friert."}\n'
        b'{"id": 2, "title": "kaputt", "text": \n'
        b'{"id": 3, "title": "Lama im Regen", "text": "Das Lama ist nass."}\n')
    (c / "notes.md").write_text("# Notizen\n\nMarkdownwort Tapir\n", encoding="utf-8")
    (c / "paper.pdf").write_bytes(b"%PDF-1.4\n\x00\x01\x02 Tapir binary\n")
    if hasattr(os, "mkfifo"):
        os.mkfifo(c / "pipe.txt")  # opening it for reading would hang the run
    os.symlink("self.txt", c / "self.txt")  # a symbolic link loop
    os.symlink(".", c / "here.txt")          # a link to the folder it is in
    if not IS_ROOT:
        secret = c / "secret.txt"
        secret.write_text("Geheim Okapi\n\nOkapi Text\n", encoding="utf-8")
        secret.chmod(0)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    corpus.mkdir()
    _make_corpus(corpus)
    before = snapshot(corpus)
    idx = base / "idx"
    proc = run_cli("index", str(corpus), "--index", str(idx))
    again = run_cli("index", str(corpus), "--index", str(idx))  # incremental, nothing changed
    runner = CliRunner()
    idx2 = base / "idx-clirunner"
    cr = runner.invoke(cli, ["index", str(corpus), "--index", str(idx2)])
    after = snapshot(corpus)
    yield SimpleNamespace(base=base, corpus=corpus, idx=idx, idx2=idx2, proc=proc, again=again,
                          cr=cr, before=before, after=after)
    if not IS_ROOT:
        (corpus / "secret.txt").chmod(0o644)


def search_ids(idx, query, cli: bool = False) -> list[str]:
    """Result ids, through the real command (cli=True) or, faster, the Python API."""
    if not cli:
        with Index(str(idx)) as ix:
            return [h.id for h in ix.search(query, limit=50).hits]
    r = run_cli("search", "--index", str(idx), "--format", "json", "--limit", "50", "--", query)
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode in (0, 1), r.stderr
    return [h["id"] for h in json.loads(r.stdout)["results"]]


def warning_lines(stderr: str, name: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("warning:") and name in ln]


# -- the index run ------------------------------------------------------------

def test_subprocess_index_exits_0(hostile):
    assert hostile.proc.returncode == 0, hostile.proc.stderr
    assert_no_traceback(hostile.proc.stdout, hostile.proc.stderr)


def test_incremental_rerun_exits_0_and_changes_nothing(hostile):
    r = hostile.again
    assert r.returncode == 0, r.stderr
    assert_no_traceback(r.stdout, r.stderr)
    assert " 0 added, 0 updated, 0 deleted" in r.stderr, r.stderr
    # Skipped files are still reported on later runs.
    assert warning_lines(r.stderr, "junk.txt"), r.stderr


def test_clirunner_index_exits_0(hostile):
    r = hostile.cr
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code == 0, r.output
    assert_no_traceback(r.output, r.stderr)
    assert warning_lines(r.stderr, "junk.txt")
    assert warning_lines(r.stderr, "gone.txt")


def test_clirunner_and_subprocess_index_the_same_articles(hostile):
    a = run_cli("stats", "--index", str(hostile.idx), "--format", "json")
    b = run_cli("stats", "--index", str(hostile.idx2), "--format", "json")
    assert a.returncode == b.returncode == 0, (a.stderr, b.stderr)
    assert json.loads(a.stdout)["documents"] == json.loads(b.stdout)["documents"]
    assert json.loads(a.stdout)["formats"] == json.loads(b.stdout)["formats"]


def test_warns_about_binary_file(hostile):
    lines = warning_lines(hostile.proc.stderr, "junk.txt")
    assert lines and any("binary" in ln for ln in lines), hostile.proc.stderr


def test_warns_about_dangling_symlink(hostile):
    lines = warning_lines(hostile.proc.stderr, "gone.txt")
    assert lines and any("dangling" in ln or "link" in ln for ln in lines), hostile.proc.stderr


def test_fifo_and_link_loops_are_skipped(hostile):
    if hasattr(os, "mkfifo"):
        assert warning_lines(hostile.proc.stderr, "pipe.txt"), hostile.proc.stderr
    assert warning_lines(hostile.proc.stderr, "self.txt"), hostile.proc.stderr


def test_nul_in_text_is_indexed_or_reported(hostile):
    found = "nul_middle" in search_ids(hostile.idx, "Kolibri")
    assert found or warning_lines(hostile.proc.stderr, "nul_middle.txt"), hostile.proc.stderr


def test_huge_file_is_indexed_or_reported(hostile):
    found = "huge" in search_ids(hostile.idx, "Riesendatei")
    assert found or warning_lines(hostile.proc.stderr, "huge.txt"), hostile.proc.stderr


def test_other_suffixes_ignored_quietly(hostile):
    for out in (hostile.proc.stderr, hostile.proc.stdout):
        assert "notes.md" not in out and "paper.pdf" not in out, out
    assert search_ids(hostile.idx, "Tapir") == []
    assert search_ids(hostile.idx, "Markdownwort") == []


def test_empty_files_do_not_crash(hostile):
    for aid in ("empty", "zero"):
        r = run_cli("show", "--index", str(hostile.idx), "--", aid)
        assert r.returncode in (0, 1), r.stderr
        assert_no_traceback(r.stdout, r.stderr)


@pytest.mark.skipif(IS_ROOT, reason="root can read chmod 000 files")
def test_unreadable_file_is_reported(hostile):
    assert warning_lines(hostile.proc.stderr, "secret.txt"), hostile.proc.stderr


# -- what was read --------------------------------------------------------------

def test_seeds_indexed(hostile):
    for p in SEEDS:
        r = run_cli("show", "--index", str(hostile.idx), "--format", "json", "--", p.stem)
        assert r.returncode == 0, r.stderr


def test_cp1252_article_found_by_umlaut_word(hostile):
    assert "win1252" in search_ids(hostile.idx, "Bürgermeister", cli=True)
    r = run_cli("show", "--index", str(hostile.idx), "--format", "json", "win1252")
    art = json.loads(r.stdout)
    assert art["title"] == "Der Bürgermeister von Köln"
    assert "Straßenbahn" in art["body"] and "\ufffd" not in art["body"]
    assert warning_lines(hostile.proc.stderr, "win1252.txt")  # "read as Windows-1252"


def test_bom_crlf_article_found_by_its_words(hostile):
    assert "bom_crlf" in search_ids(hostile.idx, "Wasserstoffzug", cli=True)
    for word in ("Zahnradbahn", "Harz", "Brocken"):
        assert "bom_crlf" in search_ids(hostile.idx, word), word
    art = json.loads(run_cli("show", "--index", str(hostile.idx), "--format", "json",
                             "bom_crlf").stdout)
    assert art["title"] == "Wasserstoffzug im Harz"
    assert "\r" not in json.dumps(art) and "\ufeff" not in json.dumps(art)


def test_cr_only_article_split_into_lines(hostile):
    assert "cr_only" in search_ids(hostile.idx, "Friedrichshafen")
    art = json.loads(run_cli("show", "--index", str(hostile.idx), "--format", "json",
                             "cr_only").stdout)
    assert art["title"] == "Titel mit Zeppelin"
    assert "Luftschiff" in art["body"] and "\r" not in art["body"]


def test_show_non_ascii_id_kept_exactly(hostile):
    r = run_cli("show", "--index", str(hostile.idx), "--format", "json", "Überraschung ä")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["id"] == "Überraschung ä"
    assert "Überraschung ä" in search_ids(hostile.idx, "Pinguine", cli=True)
    r = run_cli("show", "--index", str(hostile.idx), "Überraschung ä")
    assert r.returncode == 0 and "Überraschung im Zoo" in r.stdout, r.stderr


def test_folder_named_like_a_file(hostile):
    """`folder.txt/` is a folder: warned about as such, and the articles inside it
    are still articles (id `folder.txt/inner`)."""
    assert any("folder" in ln for ln in warning_lines(hostile.proc.stderr, "folder.txt")), \
        hostile.proc.stderr
    assert "folder.txt/inner" in search_ids(hostile.idx, "Flamingo")


def test_jsonl_broken_line_skipped_others_kept(hostile):
    assert "feed/1" in search_ids(hostile.idx, "Alpaka")
    assert "feed/3" in search_ids(hostile.idx, "Lama")
    assert warning_lines(hostile.proc.stderr, "feed.jsonl:2"), hostile.proc.stderr


# -- the corpus is read-only ----------------------------------------------------

def test_corpus_unchanged(hostile):
    assert set(hostile.after) == set(hostile.before), "files appeared/disappeared in the corpus"
    changed = [k for k in hostile.before if hostile.before[k] != hostile.after[k]]
    assert not changed, changed


def test_index_outside_corpus_only(hostile):
    assert not any(k.startswith(("idx", "index")) for k in hostile.after)


# -- single pathological records must not kill a whole run ------------------------

@pytest.mark.parametrize("bad_line", [
    pytest.param(b'{"id": 2, "title": "kaputt \\ud800 Zeichen"}', id="lone-surrogate-escape"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply-nested-json"),
])
def test_one_pathological_jsonl_record_does_not_abort_indexing(tmp_path, bad_line):
    c = tmp_path / "c"
    c.mkdir()
    (c / "f.jsonl").write_bytes(b'{"id": 1, "title": "Alpaka im Schnee"}\n' + bad_line +
                                b'\n{"id": 3, "title": "Lama im Regen"}\n')
    shutil.copy(SEEDS[0], c / SEEDS[0].name)
    before = snapshot(c)
    r = run_cli("index", str(c), "--index", str(tmp_path / "idx"))
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode == 0, r.stderr
    assert warning_lines(r.stderr, "f.jsonl:2"), r.stderr
    assert "f/1" in search_ids(tmp_path / "idx", "Alpaka")
    assert "f/3" in search_ids(tmp_path / "idx", "Lama")
    assert snapshot(c) == before


def test_double_bom_taz_article_does_not_abort_indexing(tmp_path):
    """A taz article saved with two BOMs (or a space before the BOM) must not
    stop the whole run."""
    c = tmp_path / "c"
    c.mkdir()
    taz = SEEDS[0].read_bytes()
    (c / "double_bom.txt").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + taz)
    (c / "ok.txt").write_text("Okapi im Wald\n\nText über das Okapi.\n", encoding="utf-8")
    r = run_cli("index", str(c), "--index", str(tmp_path / "idx"))
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode == 0, r.stderr
    assert "ok" in search_ids(tmp_path / "idx", "Okapi")
    assert "double_bom" in search_ids(tmp_path / "idx", "Pelmeni")


def test_non_utf8_file_name_does_not_abort_indexing(tmp_path):
    """A Latin-1 file name (old Windows archives, zip files) is not valid UTF-8.
    Its article is indexed (or reported), and the other articles still are."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "ok.txt").write_text("Okapi im Wald\n\nText über das Okapi.\n", encoding="utf-8")
    bad = os.path.join(os.fsencode(c), b"B\xfcrgermeister.txt")
    with open(bad, "wb") as f:
        f.write("Der Bürgermeister\n\nText über den Bürgermeister Ziegenpeter.\n".encode())
    before = snapshot(c)
    r = run_cli("index", str(c), "--index", str(tmp_path / "idx"))
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode == 0, r.stderr
    assert "ok" in search_ids(tmp_path / "idx", "Okapi")
    assert search_ids(tmp_path / "idx", "Ziegenpeter") or "rgermeister" in r.stderr, r.stderr
    assert snapshot(c) == before


def test_nfd_file_name_id_kept_exactly(tmp_path):
    import unicodedata
    c = tmp_path / "c"
    c.mkdir()
    name = unicodedata.normalize("NFD", "Café Müller")
    (c / f"{name}.txt").write_text("Kaffeehaus\n\nText über Espresso.\n", encoding="utf-8")
    assert run_cli("index", str(c), "--index", str(tmp_path / "idx"), "-q").returncode == 0
    assert search_ids(tmp_path / "idx", "Espresso") == [name]
    r = run_cli("show", "--index", str(tmp_path / "idx"), "--format", "json", name)
    assert r.returncode == 0 and json.loads(r.stdout)["id"] == name, r.stderr


def test_upper_case_suffix_is_indexed_or_reported(tmp_path):
    """`ARTIKEL.TXT` (common in archives from Windows) is a text file too: it must
    not vanish without a word."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "ARTIKEL.TXT").write_text("Gross\n\nText Grossbuchstabendatei.\n", encoding="utf-8")
    r = run_cli("index", str(c), "--index", str(tmp_path / "idx"))
    assert r.returncode == 0, r.stderr
    assert search_ids(tmp_path / "idx", "Grossbuchstabendatei") or "ARTIKEL.TXT" in r.stderr, \
        r.stderr


def test_generic_one_line_article_keeps_all_words(tmp_path):
    """A plain text file whose first line holds several sentences (common in text
    dumps): every word stays searchable and visible in `show`."""
    c = tmp_path / "c"
    c.mkdir()
    (c / "one.txt").write_text("Erster Satz mit Inhalt. Zweiter Satz mit dem Wort "
                               "Zitronenfalter.\n", encoding="utf-8")
    assert run_cli("index", str(c), "--index", str(tmp_path / "idx"), "-q").returncode == 0
    assert search_ids(tmp_path / "idx", "Zitronenfalter") == ["one"]
    r = run_cli("show", "--index", str(tmp_path / "idx"), "one")
    assert "Zitronenfalter" in r.stdout, r.stdout
