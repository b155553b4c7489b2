"""`searchidx kwic`: every occurrence of a word as an aligned line, left
context | match | right context, with search's German matching."""
import csv
import io
import json
import re

import pytest

from searchidx import Index
from searchidx.analysis.fold import fold
from searchidx.output.text import display_width
from support import invoke, run_cli, search_json

PLAIN = "004_3fd6a85322da6010"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def kwic(index, *args, env=None):
    return invoke("kwic", index, *args, env=env)


def kwic_json(index, *args) -> dict:
    return json.loads(kwic(index, *args, "--format", "json").stdout)


def test_inflections_and_compound_parts_with_the_part_marked(news_index):
    out = kwic(news_index, "Lieferung", "-n", "0", env={"COLUMNS": "100"}).stdout
    for shown in ("Waffen[lieferungen]", "Hilfs[lieferungen]", "Waffen[lieferung]", "Lieferungen",
                  "Lieferung "):
        assert shown in out, shown
    assert "9 lines: every occurrence in 8 articles" in out
    lines = kwic_json(news_index, "Lieferung", "-n", "0")["lines"]
    first = next(x for x in lines if x["match"] == "Waffenlieferungen")
    assert first["match"][slice(*first["part"])] == "lieferungen"
    assert all(x["part"] is None for x in lines if x["match"].lower().startswith("lieferung"))


def test_every_occurrence_in_every_matching_article(news_index):
    """The lines are the occurrences a reader would count in the articles search finds."""
    out = kwic_json(news_index, "Lieferung", "-n", "0", "--width", "20")
    assert out["complete"] and out["articles"] == search_json(news_index, "Lieferung")["total"]
    counted = 0
    with Index(str(news_index)) as ix:
        for r in search_json(news_index, "Lieferung")["results"]:
            art = ix.show(r["id"])
            counted += sum(len(re.findall(r"\w*[lL]ieferung\w*", t or ""))
                           for t in (art.lead, art.body))
            counted += 0 if (art.lead + art.body).startswith(art.title) else \
                len(re.findall(r"\w*[lL]ieferung\w*", art.title))
    assert len(out["lines"]) == counted


def test_contexts_are_the_text_around_the_match(news_index):
    with Index(str(news_index)) as ix:
        for line in kwic_json(news_index, "Raketen", "-n", "0")["lines"]:
            art = ix.show(line["id"])
            text = re.sub(r"\s+", " ", getattr(art, line["field"]))
            assert line["left"] + line["match"] + line["right"] in text
            assert set(line) == {"id", "date", "title", "left", "match", "right", "part", "field"}


def test_a_phrase_is_one_match(news_index):
    out = kwic_json(news_index, '"Hand in Hand"')
    assert [x["match"] for x in out["lines"]] == ["Hand in Hand"]
    assert out["lines"][0]["right"].startswith(" gegen den Westen")


def test_further_words_keep_to_the_articles_matching_them(news_index):
    out = kwic_json(news_index, "Raketen", "Kim", "-n", "0")
    ids = {x["id"] for x in out["lines"]}
    kim = {r["id"] for r in search_json(news_index, "+Raketen +Kim", "--limit", "100")["results"]}
    assert ids and ids <= kim and out["articles"] == len(kim)
    assert {x["id"] for x in kwic_json(news_index, "Raketen", "-n", "0")["lines"]} > ids


def test_newest_first_by_default(news_index):
    dates = [x["date"] or "" for x in kwic_json(news_index, "Regierung", "-n", "40")["lines"]]
    assert dates == sorted(dates, reverse=True) and dates[0] >= "2020"


@pytest.mark.parametrize("side", ["left", "right"])
def test_sorted_by_the_words_nearest_the_match(news_index, side):
    lines = kwic_json(news_index, "Regime", "--sort", side, "-n", "0")["lines"]
    words = [[fold(w.lower()) for w in re.findall(r"\w+", x[side])] for x in lines]
    keys = [w[::-1] if side == "left" else w for w in words]
    assert keys == sorted(keys) and len(keys) > 5


@pytest.mark.parametrize("columns", [40, 80, 120])
def test_aligned_lines_within_the_terminal(news_index, columns):
    out = kwic(news_index, "Lieferung", "-n", "0", env={"COLUMNS": str(columns)}).stdout
    lines = out.split("\n\n")[0].splitlines()
    assert max(display_width(x) for x in out.splitlines()) <= columns
    # the matches start in one column, the same for every line
    starts = {display_width(x[:x.index(m)]) for x in lines
              for m in re.findall(r"\S*(?:lieferung|Lieferung)\S*", x)[:1]}
    assert len(starts) == 1 and columns // 5 < starts.pop() < columns // 2 + 5
    assert (columns >= 80) == bool(re.match(r"\d{4}", lines[0]))  # the date from 80 columns
    assert (columns >= 120) == (PLAIN in out)  # the id from 120


def test_colour_marks_the_part_instead_of_brackets(news_index):
    out = kwic(news_index, "Lieferung", "--color").stdout
    assert "Waffen\x1b[33m\x1b[1mlieferungen\x1b[0m" in out and "[" not in ANSI.sub("", out)


def test_csv_fields(news_index):
    rows = list(csv.DictReader(io.StringIO(kwic(news_index, "Raketen", "--format", "csv").stdout)))
    assert list(rows[0]) == ["id", "date", "title", "left", "match", "right"]
    assert rows[0]["id"] == PLAIN and rows[0]["match"] == "Raketen"


def test_as_a_user_runs_it(news_index):
    proc = run_cli("kwic", "Rakten", "-n", "3", "--index", news_index, check=0,
                   env={"COLUMNS": "80"})
    assert "Showing results for: Raketen" in proc.stderr
    assert "3 lines from" in proc.stdout and "(-n 0 for all)" in proc.stdout
    assert max(display_width(x) for x in proc.stdout.splitlines()) <= 80
    none = run_cli("kwic", "Xylophonquartettzzz", "--no-correct", "--index", news_index, check=1)
    assert none.stdout == "" and "no results for 'Xylophonquartettzzz'" in none.stderr
    for bad in (["Kim", "--sort", "middle"], ["Kim", "--since", "2023-13"], ["Kim", "-n", "-1"], []):
        proc = run_cli("kwic", *bad, "--index", news_index, check=2)
        assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_sorting_reads_the_newest_articles_up_to_a_cap_and_says_so(news_index, monkeypatch):
    from searchidx.search import kwic as search_kwic

    monkeypatch.setattr(search_kwic, "MAX_SORTED", 3)
    result = kwic(news_index, "Regierung", "--sort", "left", "-n", "0")
    assert "sorted the lines of the newest 3 of 206 articles" in result.stderr
    out = kwic_json(news_index, "Regierung", "--sort", "left", "-n", "0")
    assert out["read"] == 3 and not out["complete"]
    newest = list(dict.fromkeys(x["id"] for x in kwic_json(news_index, "Regierung", "-n", "0")["lines"]))
    assert {x["id"] for x in out["lines"]} == set(newest[:3])


def test_the_word_and_the_query_are_read_apart(news_index):
    """They were joined as text: an unclosed quote in the word swallowed the
    query, and each was searched three times."""
    both = kwic_json(news_index, "Regierung", "Wahl")
    assert both["articles"] > 0
    quoted = kwic_json(news_index, '"Regierung', "Wahl")  # the word exactly, still with Wahl
    assert 0 < quoted["articles"] <= both["articles"]
    assert kwic_json(news_index, "Regierung", '"Wahl')["articles"] > 0
