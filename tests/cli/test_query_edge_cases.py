"""Query forms a code review found mishandled; each was a user-visible bug."""
import json
import subprocess
import sys

import pytest

from support import run_cli, search_json

TAZ, PLAIN = "000_9c68a855770dcd16", "004_3fd6a85322da6010"


def ids(index, *args):
    return [r["id"] for r in search_json(index, *args)["results"]]


def test_infix_not_excludes(news_index):
    with_not = search_json(news_index, "Regierung NOT Merkel", "--limit", "0")["total"]
    with_minus = search_json(news_index, "Regierung -Merkel", "--limit", "0")["total"]
    assert with_not == with_minus < search_json(news_index, "Regierung", "--limit", "0")["total"]
    assert search_json(news_index, "Schoigu NOT Putin")["total"] == 0


def test_stop_words_are_not_corrected(news_index):
    for q in ("Merkel nicht Schröder", "Parteien werden zwischen Wahlen", "sie hatten"):
        assert search_json(news_index, q)["suggestion"] is None, q


def test_sort_date_reports_relevance_scores(news_index):
    by_rel = {r["id"]: r["score"] for r in search_json(news_index, "Putin Kim")["results"]}
    for r in search_json(news_index, "Putin Kim", "--sort", "date")["results"]:
        assert r["score"] == pytest.approx(by_rel[r["id"]]) if r["id"] in by_rel else r["score"] > 0


def test_facets_do_not_change_scores(news_index):
    q = "(Putin Moskau)^2 AND (Kim Regierung)"
    plain = [(r["id"], r["score"]) for r in search_json(news_index, q)["results"]]
    faceted = [(r["id"], r["score"]) for r in search_json(news_index, q, "--facet", "year")["results"]]
    assert plain == faceted and plain


def test_date_term_in_parentheses_and_negated(news_index):
    inside = search_json(news_index, "(Regierung date:2006)", check=0)["total"]
    assert inside == search_json(news_index, "Regierung date:2006")["total"] > 0
    all_ = search_json(news_index, "Regierung", "--limit", "0")["total"]
    minus = search_json(news_index, "Regierung -date:2006", "--limit", "0")["total"]
    not_ = search_json(news_index, "Regierung NOT date:2006", "--limit", "0")["total"]
    assert minus == not_ == all_ - inside


def test_plus_minus_inside_groups(news_index):
    assert TAZ not in ids(news_index, "(Putin -Schoigu)")
    assert PLAIN in ids(news_index, "(Putin -Schoigu)")
    assert TAZ in ids(news_index, "Kim (Putin -Schoigu)")  # through Kim, outside the group
    assert ids(news_index, "(+Schoigu Putin) Kim")[0] == TAZ


@pytest.mark.parametrize("query", ["year:2024", "article:x", "record_hash:abc", "source:x",
                                   "Kim^0", "Kim^0.0", "Krieg^1e308", '"Wahl Krieg"^1e308',
                                   "Wahl*^1e308", "((Krieg^1000)^1000)^1000"])
def test_internal_fields_and_bad_boosts_are_clear_errors(news_index, query):
    proc = run_cli("search", query, "--index", news_index, "--format", "json")
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Token" not in proc.stderr


def test_batch_error_in_table_format_is_not_json(news_index):
    proc = run_cli("search", "--batch", "-", "--index", news_index, "--format", "plain",
                   input="Kim^0\nPutin\n")
    assert proc.returncode == 2
    assert not proc.stdout.lstrip().startswith("{")
    assert "Kim^0" in proc.stdout + proc.stderr


def test_empty_index_searches_and_stats(tmp_path):
    corpus = tmp_path / "empty"
    corpus.mkdir()
    ix = tmp_path / "ix"
    run_cli("index", corpus, "--index", ix, check=0)
    assert run_cli("search", "Kim", "--index", ix, "--format", "json").returncode == 1
    st = json.loads(run_cli("stats", "--index", ix, "--format", "json", check=0).stdout)
    assert st["documents"] == 0 and st["date_range"] is None


def test_a_line_that_is_not_utf8_is_read_as_an_argument_is(news_index, tmp_path):
    """Bytes that are not UTF-8 become U+FFFD, as in a query given on the command line."""
    path = tmp_path / "queries.txt"
    path.write_bytes(b"Putin\n\xffKim\nRaketen\n")
    proc = run_cli("search", "--batch", path, "--index", news_index, "--format", "jsonl", check=0)
    assert [json.loads(l)["query"] for l in proc.stdout.splitlines()] == ["Putin", "\ufffdKim", "Raketen"]
    arg = subprocess.run([sys.executable, "-m", "searchidx", "search", "--index", str(news_index),
                          "--format", "json", b"\xffKim"], capture_output=True)
    assert json.loads(arg.stdout)["query"] == "\ufffdKim"


def _total(index, query, *args):
    proc = run_cli("search", query, *args, "--index", index, "--format", "json", "--limit", "0")
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)["total"]


def _articles(index) -> int:
    from searchidx import Index

    with Index(str(index)) as ix:
        return ix.stats()["documents"]


def test_a_clause_that_finds_nothing_neither_matches_all_nor_excludes_all(news_index):
    """A prefix, wildcard or fuzzy word that matches no index word, or a phrase
    of stop words, made an optional word match every article and `-word`
    exclude every article."""
    wahl = _total(news_index, "Wahl")
    assert 0 < wahl < _articles(news_index) // 2
    for q in ("Wahl xyzqq*", "Wahl Qxzvwyq~", "Wahl xy?zq*", 'Wahl "der die"',
              "Wahl -xyzqq*", "Wahl -Qxzvwyq~", 'Wahl -"der die"'):
        assert _total(news_index, q) == wahl, q
    assert _total(news_index, "+xyzqq* Wahl") == 0
    assert _total(news_index, "xyzqq* AND Wahl") == 0


def test_has_field_works_for_every_field_a_query_may_name(news_index):
    everything = _articles(news_index)
    for q in ("tag:*", "author:*", "autor:*", "title:*", "lead:*"):
        n = _total(news_index, q)
        assert 0 < n <= everything, q
    assert _total(news_index, "Putin tag:*") <= _total(news_index, "Putin")
    proc = run_cli("search", "body:*", "--index", news_index)
    assert proc.returncode == 2 and "body:*" in proc.stderr, proc.stderr


def test_until_leaves_out_undated_articles_as_since_does(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "undated.txt").write_text("Die Wahl ohne Datum\n\nEine Wahl fand statt.\n",
                                        encoding="utf-8")
    (corpus / "old.txt").write_text(" date 2004-05 Die Wahl von 2004\n\nEine Wahl fand statt.\n",
                                    encoding="utf-8")
    (corpus / "new.txt").write_text(" date 2010-05 Die Wahl von 2010\n\nEine Wahl fand statt.\n",
                                    encoding="utf-8")
    ix = tmp_path / "index"
    run_cli("index", corpus, "--index", ix, "--quiet", check=0)
    assert _total(ix, "Wahl") == 3
    assert _total(ix, "Wahl", "--until", "2005") == 1
    assert _total(ix, "Wahl", "--since", "2005") == 1
    assert _total(ix, "Wahl date:..2005") == 1
    assert _total(ix, "Wahl -date:..2005") == 2  # (all but it: the undated one too)


def test_a_huge_slop_is_a_wide_phrase_not_a_crash(news_index):
    """`"a b"~99999999999999999999999` overflowed int64 (exit 3); ~10000000
    ran for minutes."""
    wide = _total(news_index, '"Wahl Regierung"~1000')
    assert _total(news_index, '"Wahl Regierung"~99999999999999999999999') == wide
    assert _total(news_index, '"Wahl Regierung"') <= wide


def test_an_unquoted_minus_word_says_how_to_write_it(news_index):
    proc = run_cli("search", "Kim", "-Moskau", "--index", news_index)
    assert proc.returncode == 2 and "quote the query" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert run_cli("search", "--index", news_index, "--", "Kim", "-Moskau").returncode == 0


def test_timeout_nan_is_refused_not_taken_for_no_limit(news_index):
    proc = run_cli("search", "Kim", "--timeout", "nan", "--index", news_index)
    assert proc.returncode == 2 and "--timeout" in proc.stderr, proc.stderr


def test_a_failed_batch_query_is_told_without_its_control_characters(news_index):
    proc = run_cli("search", "--batch", "-", "--index", news_index, "--format", "jsonl",
                   input="Kim\nKim\x1b]0;pwned\x07 ^0\n")
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr and "␛" in proc.stderr


def test_stats_date_range_leaves_out_deleted_articles(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "old.txt").write_text(" date 1990-05 Alt\n\nEin alter Artikel.\n", encoding="utf-8")
    for i in range(30):  # (enough that one deletion stays a deletion, not a merge)
        (corpus / f"new{i}.txt").write_text(f" date 2010-05 Neu {i}\n\nEin neuer Artikel.\n",
                                            encoding="utf-8")
    ix = tmp_path / "ix"
    run_cli("index", corpus, "--index", ix, "--quiet", check=0)
    (corpus / "old.txt").unlink()
    run_cli("index", corpus, "--index", ix, "--quiet", check=0)
    st = json.loads(run_cli("stats", "--index", ix, "--format", "json", check=0).stdout)
    assert st["documents"] == 30 and st["date_range"][0].startswith("2010"), st
