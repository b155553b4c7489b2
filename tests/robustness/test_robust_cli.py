"""Bad invocations and hostile queries: clear one-line errors with exit 2 (or
results with exit 0/1), never a traceback; the Python API raises only
SearchidxError subclasses."""
from __future__ import annotations

import json
import os
import shutil

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from searchidx.errors import SearchidxError

from robust_helpers import SEEDS, assert_no_traceback, assert_one_line, copy_seeds, run_cli

RESULT_KEYS = {"query", "total", "results", "suggestion", "took_ms"}


# -- bad invocations ---------------------------------------------------------------

def test_missing_corpus_path(tmp_path):
    r = run_cli("index", str(tmp_path / "no-such-corpus"), "--index", str(tmp_path / "idx"))
    assert r.returncode == 2, r.stderr
    assert_one_line(r.stderr)
    assert "no-such-corpus" in r.stderr
    assert_no_traceback(r.stdout, r.stderr)


def test_missing_corpus_path_leaves_no_index_folder_behind(tmp_path):
    """A mistyped corpus path should not create an (empty) index folder."""
    r = run_cli("index", str(tmp_path / "no-such-corpus"), "--index", str(tmp_path / "idx"))
    assert r.returncode == 2
    assert not (tmp_path / "idx").exists(), os.listdir(tmp_path / "idx")


def test_index_path_is_a_file(tmp_path):
    c = tmp_path / "c"
    c.mkdir()
    shutil.copy(SEEDS[0], c)
    f = tmp_path / "not-a-folder"
    f.write_bytes(b"precious data\n")
    for args in (["index", str(c)], ["search", "Putin"], ["show", "x"]):
        r = run_cli(*args, "--index", str(f))
        assert r.returncode == 2, (args, r.stderr)
        assert_one_line(r.stderr)
        assert_no_traceback(r.stdout, r.stderr)
    assert f.read_bytes() == b"precious data\n"


@pytest.mark.parametrize("mb", ["100000", "10000000000000"])
def test_large_max_size_does_not_crash(tmp_path, mb):
    """`--max-size` is a limit, not an allocation: a generous limit must work
    (or be refused as a usage error), never end in an internal error."""
    c = copy_seeds(tmp_path / "c")
    r = run_cli("index", str(c), "--index", str(tmp_path / "idx"), "--max-size", mb)
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode in (0, 2), r.stderr
    if r.returncode == 2:
        assert_one_line(r.stderr)


def test_show_unknown_id(seed_index):
    r = run_cli("show", "--index", str(seed_index), "no/such-article")
    assert r.returncode != 0
    assert r.returncode in (1, 2)
    assert_one_line(r.stderr)
    assert "no/such-article" in r.stderr
    assert_no_traceback(r.stdout, r.stderr)


def test_similar_unknown_id(seed_index):
    r = run_cli("similar", "--index", str(seed_index), "no-such-article")
    assert r.returncode in (1, 2)
    assert_one_line(r.stderr)
    assert_no_traceback(r.stdout, r.stderr)


@pytest.mark.parametrize("args", [["search", "Putin", "--format", "json"], ["show", "x"],
                                  ["stats"]])
def test_no_index(tmp_path, args):
    r = run_cli(*args, "--index", str(tmp_path / "nothing-here"))
    assert r.returncode == 2, r.stderr
    assert_one_line(r.stderr)
    assert_no_traceback(r.stdout, r.stderr)
    assert not (tmp_path / "nothing-here").exists()


def test_index_path_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_cli("search", "Putin", "--index", str(tmp_path / "empty"))
    assert r.returncode == 2
    assert_one_line(r.stderr)


@pytest.mark.parametrize("args", [
    ["search"], ["search", "--limit", "-1", "x"], ["search", "x", "--until", "2023-02-30"],
    ["search", "x", "--fields", "rank,nope"], ["index", "--max-size", "0"],
])
def test_bad_options(seed_index, args):
    r = run_cli(*args, "--index", str(seed_index))
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert_one_line(r.stderr)
    assert_no_traceback(r.stdout, r.stderr)


# -- hostile queries -------------------------------------------------------------

HOSTILE_QUERIES = [
    '"Putin Kim', 'Putin Kim"', '(Putin', 'Putin)', '((((', '))))', '[Putin', 'Putin]',
    '{Putin', 'AND', 'OR', 'NOT', '-', '+', 'AND OR NOT', 'NOT NOT NOT', 'Putin AND',
    'OR Putin', '- -', '+ +', '+-Putin', '-+Putin', 'title:', 'title: ', 'author:', 'tag:',
    'nosuchfield:Putin', '*:*', '*', '?', '**', '*?*', 'title:*', 'Pu*', '*in',
    'W' * 5000, 'Putin ' * 400, '🦄🔥 Putin 🇩🇪', '🦄', '\\', '\\\\', 'Putin\\', '\\"', 'C:\\temp\\',
    'date:', 'date:garbage', 'date:2023-13', 'date:2023-02-30', 'date:0000', 'date:99999',
    'date:..', 'date:2023..', 'date:..2024', 'date:2024..2023', 'date:2023-01..2024-06..x',
    'date:-1', 'date:2023 date:2024', 'date:(2023)',
    '(' * 200 + 'Putin' + ')' * 200, '(' * 200, ')' * 200, '(' * 450 + 'a' + ')' * 450,
    'مرحبا بالعالم', '\u202eniltuP\u202c', 'שלום Putin', 'der die das und oder', 'und',
    '~', '^', '"', "'", 'title:"', 'title:"Putin', '"" ""', '~~~', '^^^', 'Putin~', 'Putin~99',
    'Putin~2/3', 'a~2/3', 'Putin~/', 'Putin^', 'Putin^abc', 'Putin^1e400', 'Putin^-5',
    'Putin^99999999999999999999', '[a TO b]', '{a TO b}', 'title:(', 'title:)', ':', '::',
    ':Putin', 'Putin:', 'title:title:Putin', '&&', '||', '!', 'Putin && Kim || !Raketen',
    '\t', ' ', '  \n  ', 'Putin\nKim', '\u00a0', '\u200b', '\ufeffPutin', 'ß' * 40,
    'Putin' + '\u0301' * 50, '<script>alert(1)</script>', '%s%n%x', '${HOME}', '$(ls)',
    '\x1b[31mrot', '\x7f', '\x01\x02', 'x' * 999, 'x' * 1000, 'x' * 1001,
]


def _check_search_output(r, query):
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode in (0, 1, 2), (query, r.returncode, r.stderr)
    if r.returncode == 2:
        assert_one_line(r.stderr)
        return None
    data = json.loads(r.stdout)
    assert RESULT_KEYS <= set(data), data.keys()
    assert data["query"] == query
    assert (data["total"] > 0) == (r.returncode == 0), (data["total"], r.returncode)
    assert isinstance(data["results"], list)
    return data


# The ones run as separate processes (each costs ~0.3 s); all of HOSTILE_QUERIES
# also go through the API and batch mode below.
SUBPROCESS_QUERIES = [
    '"Putin Kim', '(Putin', '[Putin', 'AND', 'OR', 'NOT', '-', '+', 'NOT NOT NOT',
    'title:', 'author:', '*:*', '*', '?', 'W' * 5000, '🦄🔥 Putin 🇩🇪', 'C:\\temp\\',
    'date:garbage', 'date:2023-13', '(' * 200 + 'Putin' + ')' * 200, 'מלחמה ושלום',
    'der die das und oder', '~', '^', '"', 'title:"', 'a~2/3',
]


@pytest.fixture(scope="module")
def subprocess_results(seed_index):
    from concurrent.futures import ThreadPoolExecutor

    def one(q):
        return run_cli("search", "--index", str(seed_index), "--format", "json", "--", q)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(SUBPROCESS_QUERIES, pool.map(one, SUBPROCESS_QUERIES)))


@pytest.mark.parametrize("query", SUBPROCESS_QUERIES, ids=lambda q: repr(q[:30]))
def test_hostile_query_subprocess(subprocess_results, query):
    _check_search_output(subprocess_results[query], query)


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=lambda q: repr(q[:30]))
def test_hostile_query_api(api_index, query):
    _api_search(api_index, query)
    _api_search(api_index, query, sort="date", facets=("tags", "authors", "year"), limit=3)


@pytest.mark.parametrize("query", ["-Putin", "-"])
def test_dash_queries_without_separator(seed_index, query):
    """Queries that look like options: exit 0/1 with results or a one-line usage error."""
    r = run_cli("search", query, "--index", str(seed_index), "--format", "json")
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode in (0, 1, 2)
    if r.returncode == 2:
        assert_one_line(r.stderr)


def test_nul_and_control_queries_via_batch(seed_index):
    """NUL cannot be passed in argv; batch mode reads it from stdin."""
    queries = ["\x00", "Putin\x00Kim", "\x00\x00\x00", "title:\x00", "\x1b", "\x08\x08"]
    r = run_cli("search", "--index", str(seed_index), "--format", "json", "--batch", "-",
                stdin="\n".join(queries) + "\n")
    assert_no_traceback(r.stdout, r.stderr)
    assert r.returncode in (0, 1, 2), r.stderr
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.strip()]
    assert len(lines) == len(queries)


def test_hostile_queries_in_batch_with_every_format(seed_index):
    qs = [q for q in HOSTILE_QUERIES if "\n" not in q and q.strip()][:60]
    for fmt in ("json", "csv", "table"):
        r = run_cli("search", "--index", str(seed_index), "--format", fmt, "--batch", "-",
                    stdin="\n".join(qs) + "\n")
        assert_no_traceback(r.stdout, r.stderr)
        assert r.returncode in (0, 1, 2), (fmt, r.stderr)
        if r.returncode == 2:
            assert r.stderr.strip() == "" or len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_hostile_query_with_options_subprocess(seed_index):
    r = run_cli("search", "--index", str(seed_index), "--format", "json", "--facet", "tags",
                "--facet", "authors", "--facet", "year", "--sort", "date", "--", "*")
    data = _check_search_output(r, "*")
    assert data and "facets" in data


# -- the Python API ----------------------------------------------------------------

@pytest.fixture(scope="module")
def api_index(seed_index):
    from searchidx import Index
    ix = Index(str(seed_index))
    yield ix
    ix.close()


def _api_search(ix, q, **kw):
    try:
        res = ix.search(q, **kw)
    except SearchidxError:
        return None
    d = res.to_dict()
    assert RESULT_KEYS <= set(d)
    json.dumps(d, ensure_ascii=False)
    return res


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
@example("\x00")
@example("(" * 450 + "a" + ")" * 450)
@example("NOT NOT NOT")
@example("a~2/3")
@example("date:2023-13")
def test_api_random_queries(api_index, q):
    _api_search(api_index, q)


QUERY_ALPHABET = st.sampled_from(list('()[]{}"\'~^*?:+-\\/!&| ') + ["AND", "OR", "NOT", "TO",
                                  "title:", "date:", "Putin", "Kim", "..", "2023", "~2", "^3"])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.lists(QUERY_ALPHABET, max_size=25).map("".join))
def test_api_operator_soup(api_index, q):
    _api_search(api_index, q)
    _api_search(api_index, q, sort="date", facets=("tags", "year"))


@pytest.mark.parametrize("opts", [
    dict(facets=("tags", "authors", "year")), dict(sort="date"), dict(limit=0),
    dict(offset=1_000_000), dict(authors=("Niemand",)), dict(tags=("🦄",)),
    dict(since="2024", until="2023"), dict(correct=False),
])
def test_hostile_query_with_options_api(api_index, opts):
    for q in ("*", "Putin", '"', "date:..", "NOT", "Pjöngjnag", "Rak*", "date:2024"):
        _api_search(api_index, q, **opts)
