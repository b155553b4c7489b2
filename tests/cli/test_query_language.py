"""Issue 5's acceptance on the seeds plus the Wikinews articles."""
import csv
import io
import json

import pytest

from support import run_cli, search_json

TAZ, PLAIN = "000_9c68a855770dcd16", "004_3fd6a85322da6010"


def ids(index, *args):
    return [r["id"] for r in search_json(index, *args)["results"]]


def test_author_field_puts_the_taz_seed_on_top(news_index):
    assert ids(news_index, "author:Hartwich")[0] == TAZ
    assert ids(news_index, "autor:Hartwich")[0] == TAZ


def test_tag_field_and_phrase(news_index):
    assert TAZ in ids(news_index, "tag:Nordkorea")
    assert ids(news_index, '"Hand in Hand"')[0] == TAZ


def test_since_until_separate_the_seeds(news_index):
    assert ids(news_index, "Putin Kim", "--since", "2024-01")[:1] == [PLAIN]
    assert TAZ not in ids(news_index, "Putin Kim", "--since", "2024-01")
    got = ids(news_index, "Putin Kim", "--until", "2023-12-31")
    assert got[0] == TAZ and PLAIN not in got


def test_month_precision_date_covers_its_month(news_index):
    assert PLAIN in ids(news_index, "Putin", "--since", "2024-06-30")
    assert PLAIN in ids(news_index, "Putin", "--until", "2024-06-01")
    assert PLAIN in ids(news_index, "Putin date:2024-06")
    assert PLAIN not in ids(news_index, "Putin date:2024-07..2025")
    assert TAZ in ids(news_index, "Putin date:2023-01..2024-06")


def test_sort_date_newest_first(news_index):
    out = search_json(news_index, "Regierung", "--sort", "date", "--limit", "50")
    dates = [r["date"] or "" for r in out["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 10  # undated last


def test_query_made_only_of_typos_finds_a_seed(news_index):
    out = search_json(news_index, "Pjöngjnag Rakten", check=0)
    assert out["suggestion"] == "Pjöngjang Raketen"
    assert {TAZ, PLAIN} & set(r["id"] for r in out["results"][:2])


def test_known_words_are_never_corrected(news_index):
    assert search_json(news_index, "Raketen Putin")["suggestion"] is None


def test_operators(news_index):
    assert TAZ not in ids(news_index, "Putin -Schoigu") and PLAIN in ids(news_index, "Putin -Schoigu")
    assert ids(news_index, "+Wostotschny Putin")[:2] and set(ids(news_index, "+Wostotschny Putin")) <= {TAZ, PLAIN}
    assert set(ids(news_index, "Wostotschny AND Schoigu")) == {TAZ}
    assert set(ids(news_index, "(Schoigu OR Trikolore) AND Putin")) == {TAZ, PLAIN}
    assert TAZ in ids(news_index, "Wostotsch*")
    assert TAZ in ids(news_index, "title:Westen")
    assert TAZ in ids(news_index, "lead:Provokation") and TAZ not in ids(news_index, "body:Provokation")


def test_no_hits_exit_1_and_bad_query_exit_2(news_index):
    proc = run_cli("search", "Xylophonquartettzzz", "--index", news_index, "--no-correct")
    assert proc.returncode == 1
    proc = run_cli("search", "x date:2023-13", "--index", news_index)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


def test_jsonl_csv_tsv_parse(news_index):
    base = ("search", "Putin", "--index", news_index, "--limit", "3")
    line = run_cli(*base, "--format", "jsonl", check=0).stdout.strip()
    assert json.loads(line)["total"] >= 2 and "\n" not in line
    rows = list(csv.DictReader(io.StringIO(run_cli(*base, "--format", "csv", check=0).stdout)))
    assert len(rows) == 3 and set(rows[0]) >= {"rank", "id", "title", "snippet"}
    rows = list(csv.DictReader(io.StringIO(run_cli(*base, "--format", "tsv", check=0).stdout),
                               delimiter="\t"))
    assert len(rows) == 3
    rows = list(csv.DictReader(io.StringIO(run_cli(*base, "--format", "csv", "--fields",
                                                   "id,title", check=0).stdout)))
    assert list(rows[0]) == ["id", "title"]


def test_limit_and_offset_page_through(news_index):
    first = ids(news_index, "Regierung", "--limit", "5")
    second = ids(news_index, "Regierung", "--limit", "5", "--offset", "5")
    assert len(first) == len(second) == 5 and not set(first) & set(second)
    assert ids(news_index, "Regierung", "--limit", "10") == first + second


def test_batch_answers_one_line_per_query(news_index):
    queries = "Putin Kim\n\nXylophonquartettzzz\nPjöngjnag Rakten\n"
    proc = run_cli("search", "--batch", "-", "--index", news_index, "--format", "jsonl",
                   "--no-correct", input=queries, check=0)
    lines = [json.loads(l) for l in proc.stdout.splitlines()]
    assert [l["query"] for l in lines] == ["Putin Kim", "Xylophonquartettzzz", "Pjöngjnag Rakten"]
    assert lines[0]["total"] >= 2 and lines[1]["total"] == 0


def test_snippet_spans_mark_matched_words(news_index):
    r = search_json(news_index, "Waffenlieferungen")["results"][0]
    marked = [r["snippet"][s:e] for s, e in r["spans"]]
    assert "Waffenlieferungen" in marked
    # found through a compound part: the compound is marked as written
    r = next(x for x in search_json(news_index, "Lieferung")["results"] if x["id"] == PLAIN)
    assert "Waffenlieferungen" in [r["snippet"][s:e] for s, e in r["spans"]]


def test_facets(news_index):
    out = search_json(news_index, "Putin", "--facet", "tags", "--facet", "year")
    tags = {f["value"]: f["count"] for f in out["facets"]["tags"]}
    assert tags["Nordkorea"] == 1
    years = {f["value"]: f["count"] for f in out["facets"]["year"]}
    assert years[2023] == 1 and years[2024] == 1
    table = run_cli("search", "Putin", "--facet", "authors", "--index", news_index,
                    "--format", "table", check=0).stdout
    assert "Inna Hartwich" in table


def test_similar_excludes_the_article_itself(news_index):
    out = json.loads(run_cli("similar", TAZ, "--index", news_index, "--format", "json",
                             check=0).stdout)
    got = [r["id"] for r in out["results"]]
    assert TAZ not in got and got[0] == PLAIN
    assert out["total"] > len(got)  # all similar articles, of which the best 10 are shown


def test_stats(news_index):
    st = json.loads(run_cli("stats", "--index", news_index, "--format", "json", check=0).stdout)
    assert st["documents"] == 1000
    assert st["formats"] == {"taz_gopher": 1, "plain_dated": 1, "jsonl": 998}
    assert st["date_range"][0].startswith("2004") and st["date_range"][1].startswith("2024")
    assert st["terms"] > 10000 and st["segments"] >= 1 and st["size_bytes"] > 0
    assert run_cli("stats", "--index", news_index, check=0).stdout.count("\n") >= 5


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_shell_completion_scripts(shell):
    proc = run_cli(env={"_SEARCHIDX_COMPLETE": f"{shell}_source"})
    assert proc.returncode == 0 and "searchidx" in proc.stdout


def test_help_has_examples():
    assert "Examples" in run_cli("search", "--help", check=0).stdout
