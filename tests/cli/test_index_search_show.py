"""Issue 2's acceptance, as a user runs it: index the bundled corpus, search, show."""
import json
import os
import shutil
import subprocess
import sys

from support import CORPUS, run_cli, search_json


def test_version():
    proc = run_cli("--version", check=0)
    assert proc.stdout.startswith("searchidx, version ")


def test_python_m_and_console_script_agree(seeds_index):
    exe = shutil.which("searchidx", path=os.path.dirname(sys.executable))
    assert exe, "console script not installed next to the interpreter"
    out = subprocess.run([exe, "search", "Putin", "--index", seeds_index, "--format", "json"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and json.loads(out.stdout)["total"] == 2


def test_index_defaults_to_corpus_and_index_folders(tmp_path):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    proc = subprocess.run([sys.executable, "-m", "searchidx", "index", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "SEARCHIDX_INDEX"})
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["added"] >= 402 and report["skipped"] == 0
    assert (tmp_path / "index" / "CURRENT").exists()
    res = subprocess.run([sys.executable, "-m", "searchidx", "search", "Putin Kim", "--format",
                          "json"], cwd=tmp_path, capture_output=True, text=True)
    ids = [r["id"] for r in json.loads(res.stdout)["results"]]
    assert {"000_9c68a855770dcd16", "004_3fd6a85322da6010"} <= set(ids[:2])


def test_index_path_from_environment(seeds_corpus, tmp_path):
    env = {"SEARCHIDX_INDEX": str(tmp_path / "envix")}
    run_cli("index", seeds_corpus, "--quiet", env=env, check=0)
    assert (tmp_path / "envix" / "CURRENT").exists()
    assert json.loads(run_cli("search", "Kim", "--format", "json", env=env, check=0).stdout)["total"] == 2


def test_search_json_contract(seeds_index):
    out = search_json(seeds_index, "Putin Kim", check=0)
    assert set(out) >= {"query", "total", "results", "suggestion", "took_ms"}
    assert out["query"] == "Putin Kim" and out["total"] == 2
    for r in out["results"]:
        assert set(r) >= {"rank", "id", "score", "title", "date", "authors", "tags", "path",
                          "snippet"}
    assert [r["rank"] for r in out["results"]] == [1, 2]


def test_show_json_fields_of_the_taz_seed(seeds_index):
    out = json.loads(run_cli("show", "000_9c68a855770dcd16", "--index", seeds_index,
                             "--format", "json", check=0).stdout)
    assert list(out) == ["id", "path", "title", "kicker", "lead", "image_caption", "body",
                         "location", "date", "links", "authors", "tags", "related"]
    assert len(out["tags"]) == len(set(out["tags"])) == 10
    assert len(out["links"]) == 4 and out["authors"] == ["Inna Hartwich"]
    assert out["date"] == "2023-09-13" and out["location"] == "MOSKAU"
    assert "[1]" not in out["body"] and "Wagenknecht" not in out["body"]
    assert out["path"].endswith("000_9c68a855770dcd16.txt")


def test_related_teasers_are_not_searchable(seeds_index):
    out = search_json(seeds_index, "Wagenknecht")
    assert "000_9c68a855770dcd16" not in [r["id"] for r in out["results"]]
    out = search_json(seeds_index, "Selenski Bachmut")
    assert out["total"] == 0


def test_show_text(seeds_index):
    out = run_cli("show", "004_3fd6a85322da6010", "--index", seeds_index, check=0).stdout
    assert "2024-06" in out and "Die Straßen Pjöngjangs" in out


def test_table_output_highlights_on_request(seeds_index):
    out = run_cli("search", "Raketen", "--index", seeds_index, "--format", "table",
                  "--color", check=0).stdout
    assert "\x1b[" in out and "rank" in out and "snippet" in out
    plain = run_cli("search", "Raketen", "--index", seeds_index, "--format", "table", check=0).stdout
    assert "\x1b[" not in plain  # not a terminal: no colour unless asked


def test_no_color_env_wins_over_terminal_default(seeds_index):
    out = run_cli("search", "Raketen", "--index", seeds_index, "--format", "plain",
                  env={"NO_COLOR": "1"}, check=0).stdout
    assert "\x1b[" not in out


def test_warnings_on_a_terminal_come_on_their_own_lines_after_the_bar(tmp_path):
    """In a terminal, `index` draws a progress bar; a file that cannot be read
    while the bar runs is warned about after the bar, not in its line."""
    import pty

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    (corpus / "zz_kaputt.txt").write_bytes(b"\x00\x01\x02" * 50)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "searchidx", "index", str(corpus),
                             "--index", str(tmp_path / "ix")],
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the terminal closed: the process has ended
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0
    lines = out.decode().replace("\r\n", "\n").split("\n")
    warning = [n for n, line in enumerate(lines) if "zz_kaputt.txt" in line]
    bar = [n for n, line in enumerate(lines) if "indexing" in line]
    assert len(warning) == 1 and bar and warning[0] > max(bar), lines
    assert lines[warning[0]].startswith("warning: "), lines
