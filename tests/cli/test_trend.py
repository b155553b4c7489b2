"""`searchidx trend`: matching articles per year or month for each query, as
a bar chart that fits the terminal, and csv/json for plotting elsewhere."""
import csv
import io
import json
import re

import pytest

from searchidx.output.text import display_width
from support import invoke, run_cli, search_json

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def trend(index, *args, env=None):
    return invoke("trend", index, *args, env=env)


def trend_json(index, *args) -> dict:
    result = trend(index, *args, "--format", "json")
    return json.loads(result.stdout)


def test_every_matching_article_counts_not_the_top_ten(news_index):
    out = trend_json(news_index, "Regierung")
    [s] = out["series"]
    total = search_json(news_index, "Regierung")["total"]
    assert s["total"] == total > 100
    assert sum(s["counts"]) + s["undated"] == total
    assert out["by"] == "year" and len(s["counts"]) == len(out["periods"])
    years = [int(p) for p in out["periods"]]
    assert years == list(range(years[0], years[-1] + 1))  # every year, the empty ones too
    assert dict(zip(out["periods"], s["counts"]))["2005"] == search_json(
        news_index, "Regierung date:2005", "--limit", "0")["total"]


def test_one_series_per_query_on_one_run_of_periods(news_index):
    out = trend_json(news_index, "Regierung", "Putin")
    assert [s["query"] for s in out["series"]] == ["Regierung", "Putin"]
    putin = dict(zip(out["periods"], out["series"][1]["counts"]))
    assert putin["2023"] == putin["2024"] == 1 and putin["2005"] == 0
    assert out["series"][1]["total"] == search_json(news_index, "Putin")["total"]


def test_by_month_within_since_and_until(news_index):
    out = trend_json(news_index, "Putin", "--by", "month", "--since", "2023", "--until", "2024-06")
    assert out["periods"][0] == "2023-01" and out["periods"][-1] == "2024-06"
    assert len(out["periods"]) == 18
    counts = dict(zip(out["periods"], out["series"][0]["counts"]))
    assert counts["2023-09"] == 1 and counts["2024-06"] == 1 and sum(counts.values()) == 2


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_the_chart_fits_the_terminal(news_index, columns):
    result = trend(news_index, "Regierung", "Wahl", "Putin", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= columns
    # the legend, then one row per year with a bar (blocks) for each query
    assert lines[0].split() == ["Regierung", "Wahl", "Putin"]
    row = next(line for line in lines if line.startswith("2005"))
    assert "█" in row and [w for w in row.split() if w.isdigit()] == ["2005", "35", "25", "0"]
    assert "Regierung: 206 articles, 1 undated" in result.stdout


def test_many_queries_on_a_narrow_terminal_take_a_row_each(news_index):
    queries = ["Regierung", "Wahl", "Putin", "Papst", "Fußball"]
    result = trend(news_index, *queries, env={"COLUMNS": "40"})
    lines = result.stdout.splitlines()
    assert max(display_width(line) for line in lines) <= 40
    assert lines[:5] == [f"{n} {q}" for n, q in enumerate(queries, 1)]  # the legend
    first = lines.index(next(line for line in lines if line.startswith("2005")))
    rows = [re.match(r"(?:\d{4})?\s+(\d) ", line).group(1) for line in lines[first:first + 5]]
    assert rows == ["1", "2", "3", "4", "5"] and "█" in lines[first]


def test_long_runs_of_empty_periods_fold_into_one_row(news_index):
    result = trend(news_index, "Putin", "--since", "1990")
    lines = result.stdout.splitlines()
    assert any("17 years without any: 1990 to 2006" in line for line in lines), lines
    assert not any(line.startswith("1995") for line in lines)


def test_year_only_dates_are_counted_by_year_but_in_no_month(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    rows = [{"id": "a", "title": "Deichbau", "date": "2021", "text": "Der Deichbau beginnt."},
            {"id": "b", "title": "Deichbau", "date": "2021-03-04", "text": "Deichbau im März."},
            {"id": "c", "title": "Deichbau", "text": "Deichbau, ohne Datum."}]
    (corpus / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    run_cli("index", corpus, "--index", tmp_path / "ix", "--quiet", check=0)
    by_year = trend_json(tmp_path / "ix", "Deichbau")
    assert by_year["periods"] == ["2021"] and by_year["series"][0]["counts"] == [2]
    assert by_year["series"][0]["undated"] == 1
    by_month = trend_json(tmp_path / "ix", "Deichbau", "--by", "month")
    assert by_month["periods"] == ["2021-03"] and by_month["series"][0]["counts"] == [1]
    assert by_month["series"][0]["imprecise"] == 1
    table = trend(tmp_path / "ix", "Deichbau", "--by", "month").stdout
    assert "3 articles, 1 undated, 1 dated only to the year (in no month)" in table
    # no period at all (only undated matches, or only year dates by month): still said
    result = trend(tmp_path / "ix", "Deichbau date:..2020")  # (none: exit 1)
    assert result.exit_code == 1
    result = trend(tmp_path / "ix", "Datum")  # only the undated article
    assert result.exit_code == 0 and "1 article, 1 undated" in result.stdout, result.stdout


def test_csv_for_a_spreadsheet(news_index):
    result = trend(news_index, "Regierung", "Hand in Hand", "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["period", "Regierung", "Hand in Hand"]
    assert [r[0] for r in rows[1:]] == [str(y) for y in range(2004, 2025)]
    assert all(r[1].isdigit() and r[2].isdigit() for r in rows[1:])


def test_colour_per_query_only_when_asked_or_on_a_terminal(news_index):
    plain = trend(news_index, "Regierung", "Wahl").stdout
    assert "\x1b[" not in plain
    colored = trend(news_index, "Regierung", "Wahl", "--color").stdout
    assert "\x1b[36m" in colored and "\x1b[35m" in colored  # one colour per query
    assert ANSI.sub("", colored) == plain


def test_as_a_user_runs_it(news_index):
    """A real process: exit codes as search's, notices on stderr, no blocks
    where the terminal's encoding has none."""
    proc = run_cli("trend", "Klimawandel", "Pjöngjnag", "--index", news_index, check=0)
    assert "Showing results for: Pjöngjang (query 'Pjöngjnag')" in proc.stderr
    assert "Klimawandel" in proc.stdout.splitlines()[0] and "█" in proc.stdout
    ascii_ = run_cli("trend", "Regierung", "--index", news_index, check=0,
                     env={"PYTHONIOENCODING": "ascii"})
    assert "#" in ascii_.stdout and "█" not in ascii_.stdout
    none = run_cli("trend", "Xylophonquartettzzz", "--no-correct", "--index", news_index, check=1)
    assert none.stdout == "" and "no results for 'Xylophonquartettzzz'" in none.stderr
    for bad in (["Kim", "--since", "2023-13"], ["Kim", "--by", "week"], []):
        proc = run_cli("trend", *bad, "--index", news_index, check=2)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
