"""Issue 19, failures 2, 5, 6 and 8: what an article holds cannot drive the
terminal, a link cannot bring a file from outside the corpus in, and no query
runs away.

2. Titles and bodies with ESC/OSC/C1 sequences were printed raw by search
   (table, plain, with or without --color) and show.
5. corpus/pw.txt -> /etc/passwd was indexed and searchable, without a warning.
6. '*a* *e* *i* *o* *u* *n* *r* *s* *t*' took 12-17 s on 5k-20k articles.
8. Ids with a tab, newline or ESC broke plain output.
"""
from __future__ import annotations

import inspect
import json
import re

import pytest

from searchidx import Index
from searchidx.errors import QueryError

from robust_helpers import copy_seeds, run_cli

HOSTILE = ("\x1b]0;pwned\x07", "\x1b[2J", "\x1b]8;;http://evil\x1b\\klick\x1b]8;;\x1b\\", "\x9b31m",
           "\u202eevil", "\x7f", "\x1bP+q\x1b\\", "\x08\x08")
ID = "a\tb\nc\x1b[2Jd"  # a JSON Lines record's id
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile(r"\x1b\[[0-9;]*m")  # --color's own highlighting


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile-output")
    corpus = copy_seeds(base / "corpus")
    (corpus / "feed.jsonl").write_text(json.dumps({
        "id": ID, "title": "Titel " + " ".join(HOSTILE) + " Zitronenfalter",
        "authors": ["Anna \x1b[31mRot"], "tags": ["Natur\x1b]0;x\x07"],
        "text": "Zitronenfalter " + " Zitronenfalter ".join(HOSTILE) + " fliegt.",
    }) + "\n", encoding="utf-8")
    (corpus / "evil.txt").write_text("Falter \x1b]0;pwned\x07 \x1b[2J\n\nDer Zitronenfalter "
                                     "\x9b31m fliegt \u202eweit\x7f.\n", encoding="utf-8")
    ix = base / "index"
    proc = run_cli("index", str(corpus), "--index", str(ix), "--quiet")
    assert proc.returncode == 0, proc.stderr
    return ix


def _visible(out: str, color: bool = False):
    """No control character but newline and tab (and --color's SGR codes)."""
    if color:
        out = SGR.sub("", out)
    assert not CONTROL.findall(out), CONTROL.findall(out)


@pytest.mark.parametrize("args", [
    ["search", "--format", "table"], ["search", "--format", "table", "--color"],
    ["search", "--format", "table", "--fields", "rank,id,title,authors,tags,snippet"],
    ["search", "--format", "plain"], ["search", "--format", "plain", "--color"],
    ["search", "--format", "tsv"], ["search", "--format", "csv"],
    ["search", "--format", "table", "--facet", "tags", "--facet", "authors"],
    ["search", "--format", "plain", "--explain"],
    ["similar", "art", "--format", "table"], ["similar", "art", "--format", "plain", "--color"],
    ["show", "art"], ["kwic", "--format", "table", "--color"], ["kwic", "--format", "csv"],
])
def test_article_values_are_printed_visibly(hostile, args):
    args = [a if a != "art" else "evil" for a in args]
    if args[0] in ("search", "kwic"):
        args.insert(1, "Zitronenfalter")
    proc = run_cli(*args, "--index", str(hostile), env={"COLUMNS": "120"})
    assert proc.returncode == 0, proc.stderr
    _visible(proc.stdout, "--color" in args)
    _visible(proc.stderr)


def test_an_id_with_tab_newline_and_esc_keeps_plain_output_one_line_per_hit(hostile):
    proc = run_cli("search", "Zitronenfalter", "--format", "plain", "--index", str(hostile))
    lines = proc.stdout.splitlines()
    assert len(lines) == 2, lines  # the record and evil.txt
    assert all(len(line.split("\t")) == 5 for line in lines), lines
    assert any("feed/a\\tb\\nc\u241b[2Jd" in line for line in lines), lines
    tsv = run_cli("search", "Zitronenfalter", "--format", "tsv", "--fields", "id",
                  "--index", str(hostile)).stdout.splitlines()
    assert tsv[1:] == ["feed/a\\tb\\nc\u241b[2Jd", "evil"] or sorted(tsv[1:]) == sorted(
        ["feed/a\\tb\\nc\u241b[2Jd", "evil"]), tsv


def test_json_keeps_the_values_exactly(hostile):
    proc = run_cli("search", "Zitronenfalter", "--format", "json", "--index", str(hostile))
    ids = {r["id"] for r in json.loads(proc.stdout)["results"]}
    assert "feed/" + ID in ids
    assert "\x1b" not in proc.stdout  # (escaped by JSON's rules)


def test_warnings_about_file_names_are_printed_visibly(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "leer\x1b]0;x\x07.txt").write_text("", encoding="utf-8")
    proc = run_cli("index", str(corpus), "--index", str(tmp_path / "ix"))
    assert "leer" in proc.stderr
    _visible(proc.stderr)


# -- 5. links out of the corpus ------------------------------------------------------------

def test_a_link_out_of_the_corpus_is_skipped_with_a_warning(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("Geheim\n\nDas Geheimwort Okapibaum.\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "pw.txt").symlink_to(secret)
    (corpus / "ok.txt").write_text("Titel\n\nEin Okapibaum im Zoo.\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "ok.txt")
    ix = tmp_path / "ix"
    proc = run_cli("index", str(corpus), "--index", str(ix))
    assert proc.returncode == 0
    warned = [ln for ln in proc.stderr.splitlines() if ln.startswith("warning:") and "pw.txt" in ln]
    assert warned, proc.stderr
    with Index(str(ix)) as index:
        assert {h.id for h in index.search("Okapibaum").hits} == {"ok", "inside"}
    proc = run_cli("index", str(corpus), "--index", str(ix), "--follow-links")
    assert proc.returncode == 0, proc.stderr
    with Index(str(ix)) as index:
        assert {h.id for h in index.search("Okapibaum").hits} == {"ok", "inside", "pw"}


# -- 6. query cost ---------------------------------------------------------------------------

def test_a_query_past_its_time_budget_is_stopped_with_a_clear_error(hostile):
    proc = run_cli("search", "Zitronenfalter", "--timeout", "1e-9", "--index", str(hostile))
    assert proc.returncode == 2, proc.stderr
    line, = proc.stderr.strip().splitlines()
    assert "ran past its time budget" in line and "--timeout" in line, line
    with Index(str(hostile)) as index, pytest.raises(QueryError, match="time budget"):
        index.search("Zitronenfalter", timeout=1e-9)


def test_queries_have_a_time_budget_of_a_few_seconds_by_default():
    from searchidx.cli.search import search
    from searchidx.search.searcher import DEFAULT_TIMEOUT, Searcher

    assert 1 <= DEFAULT_TIMEOUT <= 5
    assert inspect.signature(Searcher.search).parameters["timeout"].default == DEFAULT_TIMEOUT
    option, = [p for p in search.params if p.name == "timeout"]
    assert option.default == DEFAULT_TIMEOUT


def test_wildcards_are_capped_for_the_whole_query(hostile):
    """The cap on the words a wildcard matches holds for all of a query's
    wildcards together: `a* e* i* ...` costs what `*a*` costs."""
    from searchidx.query import syntax
    from searchidx.query.rewrites import Context, multiterm

    with Index(str(hostile)) as index:
        reader = index.searcher().reader
        sizes = {p: len(multiterm.expand(syntax.parse(p + "*"),
                                         Context(reader, max_expansion=10 ** 6)).terms)
                 for p in "adefgkmsw"}
        limit = max(sizes.values())
        assert sum(sizes.values()) > limit
        ctx = Context(reader, max_expansion=limit)
        for p in sizes:  # each alone is within the cap
            multiterm.expand(syntax.parse(p + "*"), ctx)
        with pytest.raises(QueryError, match="together"):
            multiterm.expand(syntax.parse(" ".join(p + "*" for p in sizes)), ctx)
        proc = run_cli("search", "*a* *e* *i* *o* *u* *n* *r* *s* *t*", "--index", str(hostile))
        assert proc.returncode in (0, 1, 2) and "Traceback" not in proc.stderr
