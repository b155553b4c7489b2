"""Issue 18 ("the terminal and scripts"): each numbered point as the user met
it, reproduced. Terminal behaviour runs in a real pseudo-terminal of a set
size; pipes and scripts in real processes. (Point 10's UTF-16 files: in
tests/input/test_decode.py; point 11, the self-contained suite: in
tests/test_data_in_repository.py.)"""
import csv
import fcntl
import io
import json
import os
import pty
import re
import shutil
import struct
import subprocess
import sys
import termios

import pytest
from click.testing import CliRunner

from searchidx.cli import cli
from searchidx.output.text import display_width
from support import CORPUS, TAZ_SEED, run_cli, search_json

TAZ, PLAIN = "000_9c68a855770dcd16", "004_3fd6a85322da6010"
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def in_terminal(*args, columns: int, env=None, stderr=True):
    """`python -m searchidx ARGS` with its output on a pseudo-terminal
    `columns` wide (and stderr too, unless `stderr` is False: then a pipe).
    Returns (exit code, what the terminal got (CRLF as LF), stderr if piped)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, columns, 0, 0))
    full = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    full.update({"TERM": "xterm-256color", **(env or {})})
    proc = subprocess.Popen([sys.executable, "-m", "searchidx", *map(str, args)], stdin=slave,
                            stdout=slave, stderr=slave if stderr else subprocess.PIPE, env=full)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    err = "" if stderr else proc.stderr.read().decode()
    code = proc.wait(timeout=120)
    return code, out.decode("utf-8", "replace").replace("\r\n", "\n"), err


def invoke(*args, env=None):
    """The command in this process (click's runner): quicker than a process
    where the point is not the process itself. stdout and stderr apart."""
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def screen_lines(shown: str) -> list[str]:
    """What each line of the terminal shows: escapes removed, each redraw
    after a carriage return a line of its own (it is drawn over the last)."""
    return [seg for line in ESCAPES.sub("", shown).split("\n") for seg in line.split("\r")]


# -- 1. the table ignored the terminal's width; the progress bar took a line per update

@pytest.mark.parametrize("columns", [40, 80, 120])
@pytest.mark.parametrize("query", ["Putin Kim Raketen", "Waffenlieferungen Bundesregierung"])
def test_search_fits_the_terminal(news_index, columns, query):
    code, shown, _ = in_terminal("search", *query.split(), "--index", news_index, columns=columns)
    assert code == 0
    lines = screen_lines(shown)
    widest = max(display_width(line) for line in lines)
    assert widest <= columns, (widest, [x for x in lines if display_width(x) > columns])
    assert "\x1b[" in shown  # a colour terminal: highlighted
    assert re.search(r"^1-10 of \d+ results", ESCAPES.sub("", shown), re.M)
    if columns >= 100:
        assert lines[0].split() == ["rank", "date", "id", "title", "snippet"]


@pytest.mark.parametrize("columns", [40, 80, 120])
@pytest.mark.parametrize("args", [("trend", "Regierung", "Wahl", "Putin"), ("kwic", "Lieferung")])
def test_trend_and_kwic_fit_the_terminal(news_index, columns, args):
    code, shown, _ = in_terminal(*args, "--index", news_index, columns=columns)
    assert code == 0 and "\x1b[" in shown  # coloured on a terminal
    assert max(display_width(line) for line in screen_lines(shown)) <= columns


@pytest.mark.parametrize("args", [("search", "Putin", "--facet", "tags", "--facet", "authors"),
                                  ("search", "Putin", "--fields", "rank,id,date,score,title"),
                                  ("search", "Putin", "--fields", "rank,id,date,score,title,authors,tags"),
                                  ("kwic", "Lieferung", "--limit", "3"),
                                  ("search", "Weltraumbahnhof Putn", "--explain", "--limit", "2"),
                                  ("similar", TAZ), ("show", TAZ, "--no-pager"), ("stats",)])
def test_the_other_commands_fit_40_columns(news_index, args):
    code, shown, _ = in_terminal(*args, "--index", news_index, columns=40)
    assert code == 0
    lines = screen_lines(shown)
    assert max(display_width(line) for line in lines) <= 40, [x for x in lines if len(x) > 40]


def test_the_index_progress_bar_redraws_one_line_at_40_columns(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(400):  # (a report every 50 files: eight updates)
        (corpus / f"{n:03d}.txt").write_text(f"Meldung {n}\n\nText der Meldung {n}.\n",
                                             encoding="utf-8")
    code, shown, _ = in_terminal("index", corpus, "--index", tmp_path / "ix", "-j", "1",
                                 columns=40)
    assert code == 0
    lines = ESCAPES.sub("", shown).split("\n")
    bar = [line for line in lines if "indexing" in line]
    assert len(bar) == 1 and bar[0].count("\r") >= 2, lines  # redrawn in place
    assert max(display_width(x) for x in bar[0].split("\r")) <= 40  # (a wider one would wrap)
    assert "index created: 400 added" in shown


# -- 2. the default table had no id column (show and similar need it)

def test_the_id_is_in_the_table_at_every_width(news_index):
    for columns in (40, 120):
        out = invoke("search", "Putin", "Kim", "--index", news_index, "--format", "table",
                     env={"COLUMNS": str(columns)}).stdout
        assert PLAIN in out and TAZ in out, columns


# -- 3. `searchidx search Putin Kim` failed with "Got unexpected extra argument (Kim)"

def test_all_words_given_form_one_query(news_index):
    apart = run_cli("search", "Putin", "Kim", "--index", news_index, "--format", "json", check=0)
    together = search_json(news_index, "Putin Kim")
    assert json.loads(apart.stdout)["results"] == together["results"]
    assert json.loads(apart.stdout)["query"] == "Putin Kim"


# -- 4. German quotation marks were not phrases: Handball came first

@pytest.mark.parametrize("quoted", ["„Hand in Hand“", "»Hand in Hand«", "«Hand in Hand»",
                                    "‚Hand in Hand‘", "“Hand in Hand”", "›Hand in Hand‹"])
def test_german_and_typographic_quotes_are_phrases(news_index, quoted):
    out = json.loads(invoke("search", quoted, "--index", news_index, "--format", "json").stdout)
    assert out["total"] == 1 and out["query"] == quoted
    assert out["results"][0]["id"] == TAZ


# -- 5. silence: no results printed a blank line; --offset past the end and -n 0 blanks

@pytest.mark.parametrize("args, says", [
    (["Xylophonquartettzzz", "--no-correct"], "no results for 'Xylophonquartettzzz'"),
    (["Putin", "--offset", "500"], "results, none shown (--offset 500 is past the last)"),
    (["Putin", "-n", "0"], "results, none shown (--limit 0)")])
@pytest.mark.parametrize("fmt", ["table", "plain"])
def test_an_empty_page_says_why_on_stderr(news_index, args, says, fmt):
    result = invoke("search", *args, "--index", news_index, "--format", fmt)
    assert result.stdout == "" and says in result.stderr
    assert result.exit_code == (1 if "no results" in says else 0)


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_explain_of_stop_words_only_says_there_is_nothing_to_search(news_index, fmt):
    result = invoke("search", "die", "--explain", "--index", news_index, "--format", fmt)
    assert result.exit_code == 1, result.output  # (no results; it was an internal error, 3)
    assert "nothing to search" in result.stdout + result.stderr


def test_the_table_says_how_many_results_there_are(news_index):
    total = search_json(news_index, "Regierung")["total"]
    out = invoke("search", "Regierung", "--offset", "10", "--index", news_index,
                 "--format", "table").stdout
    assert re.search(rf"^11-20 of {total} results \(\d+ ms\)$", out, re.M)


# -- 6. "Showing results for" among the data rows of a pipe; invisible in csv/tsv

def test_the_correction_goes_to_stderr_and_into_a_column(news_index):
    proc = run_cli("search", "Pjöngjnag", "--index", news_index, check=0)  # (a pipe: plain)
    assert "Showing results for: Pjöngjang" in proc.stderr
    assert "Showing" not in proc.stdout and proc.stdout.startswith("1\t")
    for fmt, sep in (("csv", ","), ("tsv", "\t")):
        out = invoke("search", "Pjöngjnag", "--index", news_index, "--format", fmt)
        rows = list(csv.DictReader(io.StringIO(out.stdout), delimiter=sep))
        assert rows and {r["suggestion"] for r in rows} == {"Pjöngjang"}, fmt


# -- 7. a tab or newline in a title or id shifted the columns of plain and tsv

def test_tabs_and_newlines_in_values_keep_one_hit_a_line(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    record = {"id": "a\tb\nc", "title": "Erste\tZeile\nzweite Zeile", "text": "Zitronenfalter."}
    (corpus / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    run_cli("index", corpus, "--index", tmp_path / "ix", "--quiet", check=0)
    plain = run_cli("search", "Zitronenfalter", "--index", tmp_path / "ix", check=0).stdout
    assert plain.count("\n") == 1 and plain.count("\t") == 4  # rank date title id snippet
    assert "Erste\\tZeile\\nzweite Zeile" in plain and "x/a\\tb\\nc" in plain
    tsv = run_cli("search", "Zitronenfalter", "--index", tmp_path / "ix", "--format", "tsv",
                  check=0).stdout.splitlines()
    assert len(tsv) == 2 and len(tsv[1].split("\t")) == len(tsv[0].split("\t"))
    rows = list(csv.DictReader(io.StringIO(run_cli(
        "search", "Zitronenfalter", "--index", tmp_path / "ix", "--format", "csv", check=0).stdout)))
    assert rows[0]["title"] == "Erste\tZeile\nzweite Zeile" and rows[0]["id"] == "x/a\tb\nc"


# -- 8. batch csv: a header per query, no query column, no row for a failed query

@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_batch_csv_has_one_header_and_a_row_for_a_failure(news_index, fmt, sep):
    proc = run_cli("search", "--batch", "-", "--format", fmt, "-n", "2", "--fields", "id",
                   "--index", news_index, input="Putin\nKim^0\nRaketen\n")
    assert proc.returncode == 2 and "1 of 3 queries failed" in proc.stderr
    rows = list(csv.reader(io.StringIO(proc.stdout), delimiter=sep))
    assert rows[0] == ["qno", "query", "id", "error"] and ["qno", "query", "id", "error"] not in rows[1:]
    assert [r[:2] for r in rows[1:]] == [["1", "Putin"], ["1", "Putin"], ["2", "Kim^0"],
                                          ["3", "Raketen"], ["3", "Raketen"]]
    assert rows[3][3] == "boosts must be positive (got ^0)" and rows[3][2] == ""


# -- 9. show: no pager, no wrapping (lines of 568 characters); no corpus paths

def test_show_pages_and_wraps_on_a_terminal(seeds_index):
    code, shown, _ = in_terminal("show", TAZ, "--index", seeds_index, columns=60,
                                 env={"PAGER": "cat -n"})  # (a pager that numbers lines)
    assert code == 0
    lines = [x for x in screen_lines(shown) if x.strip()]
    assert re.match(r"\s+1\t", lines[0]) and len(lines) > 30  # through the pager
    assert max(display_width(x.split("\t", 1)[-1]) for x in lines) <= 60


def test_show_in_a_pipe_is_plain_and_wrapped(seeds_index):
    out = run_cli("show", TAZ, "--index", seeds_index, env={"COLUMNS": "70"}, check=0).stdout
    assert out.splitlines()[:2] == ["Treffen von Putin und Kim: Hand in Hand gegen den Westen",
                                    "2023-09-13 | Inna Hartwich | MOSKAU"]
    assert max(map(len, out.splitlines())) <= 70 and "\x1b[" not in out


def test_show_takes_a_corpus_file(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    run_cli("index", corpus, "--index", tmp_path / "ix", "--quiet", check=0)
    by_path = run_cli("show", corpus / TAZ_SEED.name, "--index", tmp_path / "ix",
                      "--format", "json", check=0)
    assert json.loads(by_path.stdout)["id"] == TAZ
    many = run_cli("show", corpus / "wikinews-de.jsonl", "--index", tmp_path / "ix", check=2)
    assert "holds many articles" in many.stderr


# -- 10. colour, completion, --fields, --facet, stats, the first build, skip counts

def test_term_dumb_gets_no_colour(news_index):
    _, shown, _ = in_terminal("search", "Putin", "--index", news_index, columns=100,
                              env={"TERM": "dumb"})
    assert "\x1b[" not in shown and "Putin" in shown


def complete(*words: str, env=None) -> list[str]:
    """What bash completion offers after `searchidx WORDS` (the last one being typed)."""
    proc = run_cli(env={"_SEARCHIDX_COMPLETE": "bash_complete",
                        "COMP_WORDS": " ".join(("searchidx",) + words),
                        "COMP_CWORD": str(len(words)), **(env or {})}, check=0)
    return [x for x in proc.stdout.splitlines() if x]


def test_completion_of_index_folders_and_article_ids(news_index):
    assert complete("search", "--index", str(news_index)[:-2]) == [f"dir,{str(news_index)[:-2]}"]
    ids = complete("show", "--index", str(news_index), "wikinews/1229")
    assert ids and all(x.startswith("plain,wikinews/1229") for x in ids)
    assert complete("similar", "00", env={"SEARCHIDX_INDEX": str(news_index)}) == \
        [f"plain,{TAZ}", f"plain,{PLAIN}"]
    assert complete("show", "00", env={"SEARCHIDX_INDEX": str(news_index / "missing")}) == []
    assert not (news_index / "missing").exists()


def test_completion_through_clicks_api(news_index):
    from click.shell_completion import ShellComplete

    comp = ShellComplete(cli, {}, "searchidx", "_SEARCHIDX_COMPLETE")
    got = comp.get_completions(["show", "--index", str(news_index)], "004")
    assert [c.value for c in got] == [PLAIN]
    for command in ("search", "show", "similar", "stats", "trend", "kwic", "index"):
        [folder] = comp.get_completions([command, "--index"], "/tm")
        assert (folder.type, folder.value) == ("dir", "/tm"), command


def test_fields_spans_and_facets_in_csv(news_index):
    rows = list(csv.DictReader(io.StringIO(invoke(
        "search", "Putin", "--fields", "id,snippet,spans", "--format", "csv",
        "--index", news_index).stdout)))
    # (a hit whose title alone holds the word has a snippet without it: no spans)
    marked = [[row["snippet"][s:e] for s, e in json.loads(row["spans"])] for row in rows]
    assert marked[0] == ["Putin"] or not marked[0]
    assert {w for words in marked for w in words} <= {"Putin", "Putins"}
    assert any(marked)
    proc = run_cli("search", "Putin", "--facet", "tags", "--format", "csv", "--index",
                   news_index, check=2)
    assert proc.stderr.strip() == \
        "searchidx: --facet is shown by table, plain, json and jsonl, not csv"


def test_stats_for_a_person(news_index):
    out = invoke("stats", "--index", news_index).stdout
    assert re.search(r"^size\s+\d+\.\d MB \([\d,]+ bytes\)$", out, re.M)
    assert re.search(r"^last update\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", out, re.M)
    assert re.search(r"^documents\s+1,000$", out, re.M)


def test_the_first_build_is_created_and_skips_are_counted_apart(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(TAZ_SEED, corpus)
    (corpus / "kaputt.txt").write_bytes(b"\x00\x01\x02" * 50)
    (corpus / "auch-kaputt.txt").write_bytes(b"\x00\xff" * 50)
    (corpus / "r.jsonl").write_text('{"id": "a", "text": "Gut."}\n{kaputt\n', encoding="utf-8")
    first = run_cli("index", corpus, "--index", tmp_path / "ix", check=0).stderr
    assert "index created: 2 added" in first and "3 skipped (2 files, 1 article)" in first
    again = run_cli("index", corpus, "--index", tmp_path / "ix", check=0).stderr
    assert "index updated: 0 added" in again


def test_labels_are_english(news_index):
    """(German was mixed into the labels; the articles stay as they are.)"""
    for args in (["stats"], ["search", "Putin", "--format", "table", "--facet", "year"],
                 ["trend", "Putin"], ["kwic", "Putin", "-n", "2"]):
        out = invoke(*args, "--index", news_index, env={"COLUMNS": "100"}).stdout
        labels = [line for line in out.splitlines() if not re.search(r"Putin|Wladimir|\d{4}", line)]
        assert not re.search(r"\b(Treffer|Ergebnisse?|Datum|Jahr|Titel|Autoren|Schlagworte)\b",
                             "\n".join(labels)), args


def test_wide_letters_are_wrapped_by_their_columns():
    """East Asian letters take two columns: wrapping by characters made lines
    of twice the width."""
    from searchidx.output.text import wrap

    text = "北京 " * 12 + "東京大学の研究者たちは新しい発見を発表した 終わり"
    for w in (10, 20, 33):
        lines = wrap(text, [(0, 2)], w, False)
        assert max(display_width(line) for line in lines) <= w, lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert wrap("ein Satz aus Wörtern", [], 9, False) == ["ein Satz", "aus", "Wörtern"]
    cut = wrap("eins zwei drei vier fünf sechs", [], 10, False, max_lines=2)
    assert cut == ["eins zwei", "drei vier…"]
