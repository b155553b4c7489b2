"""Indexing cases a code review found mishandled (each lost or hid articles)."""
import json
import os

from support import run_cli, search_json


def index(corpus, ix, *extra):
    proc = run_cli("index", corpus, "--index", ix, "--format", "json", *extra, check=0)
    return json.loads(proc.stdout), proc.stderr


def test_colliding_ids_never_lose_an_article(tmp_path):
    c, ix = tmp_path / "c", tmp_path / "ix"
    (c / "foo").mkdir(parents=True)
    (c / "foo" / "bar.txt").write_text("Titel\n\nDer Zitronenfalter fliegt.\n", encoding="utf-8")
    index(c, ix)
    (c / "foo.jsonl").write_text(json.dumps({"id": "bar", "text": "Ein Ameisenbär."}) + "\n",
                                 encoding="utf-8")
    report, err = index(c, ix)
    assert "foo/bar" in err and report["added"] == 0  # the collision is reported, not indexed
    os.remove(c / "foo.jsonl")
    index(c, ix)
    assert search_json(ix, "Zitronenfalter")["total"] == 1
    report, _ = index(c, ix)
    assert (report["added"], report["deleted"]) == (0, 0)
    assert search_json(ix, "Zitronenfalter")["total"] == 1


def test_freed_id_is_taken_by_the_waiting_article(tmp_path):
    c, ix = tmp_path / "c", tmp_path / "ix"
    (c / "foo").mkdir(parents=True)
    (c / "foo" / "bar.txt").write_text("Titel\n\nDer Zitronenfalter fliegt.\n", encoding="utf-8")
    (c / "foo.jsonl").write_text(json.dumps({"id": "bar", "text": "Ein Ameisenbär."}) + "\n",
                                 encoding="utf-8")
    index(c, ix)
    os.remove(c / "foo" / "bar.txt")
    index(c, ix)
    assert search_json(ix, "Ameisenbär")["total"] == 1


def test_skipped_file_is_retried_when_the_limit_allows_it(tmp_path):
    c, ix = tmp_path / "c", tmp_path / "ix"
    c.mkdir()
    (c / "big.txt").write_text("Titel\n\n" + "Wort Zitronenfalter " * 80_000, encoding="utf-8")
    report, err = index(c, ix, "--max-size", "1")
    assert report["skipped"] == 1 and "big.txt" in err
    report, _ = index(c, ix, "--max-size", "8")
    assert report["added"] == 1 and report["skipped"] == 0
    assert search_json(ix, "Zitronenfalter")["total"] == 1


def test_damaged_index_asks_for_a_rebuild(tmp_path):
    c, ix = tmp_path / "c", tmp_path / "ix"
    c.mkdir()
    (c / "a.txt").write_text("Titel\n\nDer Zitronenfalter fliegt.\n", encoding="utf-8")
    index(c, ix)
    gen = ix / (ix / "CURRENT").read_text().split()[0]
    for seg in gen.glob("*.dat"):
        seg.write_bytes(seg.read_bytes()[:100])
    proc = run_cli("search", "Zitronenfalter", "--index", ix)
    assert proc.returncode == 2 and "--rebuild" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    run_cli("index", c, "--index", ix, "--rebuild", check=0)
    assert search_json(ix, "Zitronenfalter")["total"] == 1
