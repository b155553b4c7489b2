"""Tests for bench/relevance/precision.py: the judge, the scoring, the output parsing and
the query set; they never run the real searchidx.

    python -m pytest bench/relevance/test_precision.py    (not under testpaths; name it)

searchidx is replaced by a small fake CLI through $SEARCHIDX_CMD. The tests that need the
shared Wikinews data (or anchors.py and its engines) skip without them.
"""
import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def _load(name):
    spec = importlib.util.spec_from_file_location(f"precision_test_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


precision = _load("precision")
SHARED = precision.run.default_shared()
DATA = SHARED / "data" / "wikinews-de.jsonl"
needs_data = pytest.mark.skipif(not DATA.is_file(), reason=f"{DATA} not found")


@pytest.fixture(scope="module")
def articles():
    return precision.load_articles(DATA)


def _words(text):
    return {precision.fold(w) for w in precision.words(text)}


# --------------------------------------------------------------------------- the judge

@pytest.mark.parametrize("query, text", [
    ("Hand", "Er hob die Hand."), ("Hand", "Hände hoch"), ("Hand", "mit bloßen Händen"),
    ("Hand", "Hand-in-Hand-Arbeit"),                 # a hyphen ends a word
    ("Land", "die Länder der EU"), ("Haus", "in den Häusern"), ("Zug", "zwei Züge"),
    ("München", "des Münchens von heute"), ("Straße", "Hauptstrasse? nein: Strasse"),
    ("Ergebnis", "die Ergebnisse"), ("Deutsche", "ein Deutscher"),
    ("Kanzlerin", "zwei Kanzlerinnen"), ("Angela Merkel", "Merkel, Vorname Angela"),
    ("kritisieren", "Er kritisierte das."), ("kritisieren", "die kritisierten Pläne"),
    ("kritisieren", "Sie kritisiert es"), ("Weg", "wegen des Regens"),   # homograph: counts
])
def test_right(query, text):
    assert precision.is_right(query, _words(text))


@pytest.mark.parametrize("query, text", [
    ("Hand", "Handball und Handel"), ("Hand", "Vorhand"),            # compound parts
    ("Arm", "die armenischen Behörden"), ("Arm", "die Armee"),
    ("München", "ein Bild von Munch"),                                # Snowball stem-mate
    ("München", "Münchner Sicherheitskonferenz"),                     # derivation
    ("Kanzler", "die Kanzlerin"), ("Kanzlerin", "der Kanzler"),
    ("Seite", "seit Jahren"), ("Kirche", "Leo Kirch"),                 # no bare -e stem
    ("regieren", "die Regierung"), ("Angela Merkel", "Angela Davis"),
    ("Sicherheit", "sich sicher"),
])
def test_wrong(query, text):
    assert not precision.is_right(query, _words(text))


def test_words_and_fold():
    assert precision.words("Kim-Regime, G8 und O'Neill") == ["Kim", "Regime", "G", "und",
                                                            "O", "Neill"]
    assert precision.fold("Äußerst ÜBEL") == "ausserst ubel"
    assert precision.fold("Mu\u0308nchen") == "munchen"                  # decomposed ü
    assert precision.is_verb("kritisieren") and not precision.is_verb("Kritisieren")
    assert not precision.is_right("", {"x"})


# --------------------------------------------------------------------------- output, scoring

def _line(q, ids=(), suggestion=None, **extra):
    return json.dumps(dict(query=q, total=len(ids), suggestion=suggestion,
                           results=[{"rank": n + 1, "id": i} for n, i in enumerate(ids)],
                           **extra))


def test_parse_output():
    out = "\n".join([_line("Hand", ["a/1.txt", "2"]),
                     _line("Bürgergeld", ["3"], notices=["compound split"]),
                     json.dumps({"query": "x(", "error": "bad query"})]) + "\n"
    a = precision.parse_output(out, ["Hand", "Bürgergeld", "x("])
    assert a[0] == dict(ids=["1", "2"], suggestion=None, notices=[], error=None)
    assert a[1]["notices"] == ["compound split"] and a[2]["error"] == "bad query"
    with pytest.raises(precision.run.SearchidxError):
        precision.parse_output(out, ["Bürgergeld", "Hand", "x("])          # out of order
    with pytest.raises(precision.run.SearchidxError):
        precision.parse_output(out, ["Hand", "Bürgergeld"])                # a line too many
    with pytest.raises(precision.run.SearchidxError):
        precision.parse_output('{"query": "Hand"}\n', ["Hand"])           # no results list


def _arts(**texts):
    return {k: dict(title="", date="2020-01-01", text=t, words=_words(t))
            for k, t in texts.items()}


def _answer(ids=(), suggestion=None, notices=()):
    return dict(ids=list(ids), suggestion=suggestion, notices=list(notices), error=None)


def test_score():
    arts = _arts(**{f"h{i}": "Die Hand." for i in range(5)},
                 **{f"b{i}": "Handball" for i in range(5)}, m1="Munch", m2="München")
    qs = [dict(qid="s1", kind="single", query="Hand", note="issue,compound; x"),
          dict(qid="s2", kind="single", query="Handball", note="band; x"),
          dict(qid="s3", kind="single", query="München", note="stem; x"),   # 1 right article
          dict(qid="c1", kind="correct", query="Munch", note="rare"),
          dict(qid="c2", kind="correct", query="Handball", note="rare"),
          dict(qid="a1", kind="absent", query="Bürgergeld", note="parts; x"),
          dict(qid="a2", kind="absent", query="Kürbis", note="noparts"),
          dict(qid="a3", kind="absent", query="Igel", note="noparts"),
          dict(qid="a4", kind="absent", query="Zwieback", note="noparts")]
    answers = [_answer(["b0", "h0", "h1", "b1", "h2", "h3"]),   # RR among the top 5 only
               _answer(["b0", "b1", "b2"]),                     # short list, all right
               _answer(["m1", "m2"]),                           # not counted: too few right
               _answer(["m1"]), _answer(["b0"], suggestion="Handel"),
               _answer(["b0"]),                                 # silent
               _answer(["h0"], notices=["no exact match"]),     # announced
               _answer([], suggestion="Engel"),                 # no results: fine either way
               _answer([])]
    res, per = precision.score(qs, answers, arts)
    s = res["single"]
    assert s["n"] == 2 and s["n_queries"] == 3                  # s3 has < ENOUGH right articles
    assert s["p5"] == pytest.approx(6 / 8)                       # 3 of 5 + 3 of 3 hits right
    assert s["top1"] == 0.5 and s["filled"] == pytest.approx(8 / 10)
    assert s["groups"]["compound"] == dict(n=1, p5=0.6, top1=0.0, filled=1.0)
    assert set(s["groups"]) == {"issue", "compound", "band"}
    assert per["s1"]["marks"] == "WRRWR" and per["s1"]["top"] == ["b0", "h0", "h1", "b1", "h2"]
    assert per["s3"]["right_articles"] == 1
    assert res["correct"]["corrected"] == 0.5
    a = res["absent"]
    assert (a["silent"], a["answered"], a["announced"]) == (0.25, 0.5, 0.5)
    with pytest.raises(ValueError):
        precision.score(qs, answers[:-1], arts)


def test_judge_marks_unknown_ids():
    arts = _arts(h="Hand")
    q = dict(qid="s", kind="single", query="Hand", note="")
    assert precision.judge(q, _answer(["h", "nope", "h"]), arts) == "R?R"


def test_load_queries(tmp_path):
    p = tmp_path / "q.tsv"
    p.write_text("qid\tkind\tquery\tnote\n# comment\n\ns1\tsingle\tHand\tissue\n",
                 encoding="utf-8")
    assert precision.load_queries(p) == [dict(qid="s1", kind="single", query="Hand",
                                              note="issue")]
    for bad in ("s1\tsingel\tHand\tx\n", "s1\tsingle\tHand\n", "s1\tsingle\t \tx\n",
                "s1\tsingle\tHand\tx\ns1\tname\tBerlin\tx\n"):
        p.write_text(bad, encoding="utf-8")
        with pytest.raises(ValueError):
            precision.load_queries(p)


def test_groups():
    assert precision.groups(dict(note="band,stem; 5 articles; x")) == ["band", "stem"]
    assert precision.groups(dict(note="")) == []


# --------------------------------------------------------------------------- the query set

def test_query_set_format():
    qs = precision.load_queries()
    kinds = [q["kind"] for q in qs]
    assert kinds.count("single") >= 100 and kinds.count("name") >= 20
    assert kinds.count("correct") >= 20 and kinds.count("absent") >= 20
    assert all("\t" not in q["query"] and q["query"] == q["query"].strip() for q in qs)
    singles = {q["query"] for q in qs if q["kind"] == "single"}
    assert {"Hand", "Arm", "Land", "Bahn", "Haus"} <= singles
    assert all(len(q["query"].split()) == 1 for q in qs if q["kind"] != "name")


@needs_data
def test_query_set_is_made_by_the_rules(articles):
    """The committed TSV is exactly what the rules give (python precision.py
    --make-queries): no query was added, dropped or edited by hand."""
    assert precision.make_queries(articles) == precision.load_queries()


@needs_data
def test_query_set_against_articles(articles):
    stats = precision.Stats(articles)
    for q in precision.load_queries():
        if q["kind"] in ("single", "name"):
            assert len(stats.right(q["query"])) >= precision.ENOUGH, q
        elif q["kind"] == "correct":
            f = precision.fold(q["query"])
            assert f in stats.index and q["query"] in stats.spellings[f], q
        else:
            f = precision.fold(q["query"])
            assert not any(f in t for t in stats.joined), q
    assert precision.check_name_lists(articles) == []


@needs_data
def test_corpus_has_titles_as_leads(articles, tmp_path):
    corpus = precision.write_corpus(articles, tmp_path)
    files = sorted(corpus.iterdir())
    assert len(files) == len(articles) == 998
    first = (corpus / "746.txt").read_text(encoding="utf-8").split("\n", 1)[0]
    assert first == " date 2004-12 SS-Lagerkommandant Schwammberger gestorben"


# --------------------------------------------------------------------------- the baselines

def _anchors():
    try:
        import tantivy  # noqa: F401
        import whoosh  # noqa: F401
        return precision.run.import_anchors(SHARED)
    except (ImportError, FileNotFoundError) as e:
        pytest.skip(f"baselines not available: {e}")


@pytest.mark.parametrize("name", ["tantivy-german", "whoosh-german"])
def test_baselines_see_titles(name, tmp_path):
    anchors = _anchors()
    arts = {"1": dict(text="Zeppelin\nEin Luftschiff landet."),
            "2": dict(text="Wetter\nEs regnet in Hamburg.")}
    qs = [dict(qid="x", kind="single", query="Zeppelin", note=""),
          dict(qid="y", kind="single", query="Hamburg", note="")]
    answers, timing = precision.run_baseline(name, anchors, arts, qs, tmp_path)
    assert [a["ids"] for a in answers] == [["1"], ["2"]]          # the title is indexed
    assert answers[0]["suggestion"] is None and answers[0]["notices"] == []
    assert set(timing) == {"index_s", "search_s"}


# --------------------------------------------------------------------------- end to end

# A compound-happy fake: every article whose text contains the query as a substring, most
# occurrences first; "Zwieback" gets a notice; FAKE_MODE=crash/short break it.
FAKE = textwrap.dedent('''
    import argparse, json, os, sys
    from pathlib import Path
    ap = argparse.ArgumentParser(); sub = ap.add_subparsers(dest="cmd")
    i = sub.add_parser("index"); i.add_argument("corpus"); i.add_argument("--index", required=True)
    s = sub.add_parser("search"); s.add_argument("--index", required=True)
    s.add_argument("--format"); s.add_argument("--limit", type=int); s.add_argument("--batch")
    a = ap.parse_args(); mode = os.environ.get("FAKE_MODE", "")
    if a.cmd == "index":
        docs = {p.name: p.read_text("utf-8").lower() for p in Path(a.corpus).glob("*.txt")}
        Path(a.index).mkdir(parents=True); (Path(a.index) / "d.json").write_text(json.dumps(docs))
        sys.exit(0)
    if mode == "crash":
        sys.exit("boom")
    docs = json.loads((Path(a.index) / "d.json").read_text())
    qs = Path(a.batch).read_text("utf-8").splitlines()
    if mode == "short":
        qs = qs[:-1]
    for q in qs:
        sc = sorted((-d.count(q.lower()), k) for k, d in docs.items() if q.lower() in d)
        res = [{"rank": n + 1, "id": k} for n, (_, k) in enumerate(sc[: a.limit])]
        out = {"query": q, "total": len(sc), "results": res, "suggestion": None}
        if q == "Zwieback":
            out["notices"] = ["no article has this word"]
        print(json.dumps(out))
''')


def _main_with_fake(tmp_path, monkeypatch, capsys, mode, *args):
    fake = tmp_path / "fake_searchidx.py"
    fake.write_text(FAKE, encoding="utf-8")
    monkeypatch.setenv("SEARCHIDX_CMD", f"{sys.executable} {fake}")
    monkeypatch.setenv("FAKE_MODE", mode)
    rc = precision.main(["--systems", "searchidx", *args])
    return rc, capsys.readouterr()


@needs_data
def test_end_to_end_with_fake_cli(tmp_path, monkeypatch, capsys):
    keep = tmp_path / "keep"
    rc, out = _main_with_fake(tmp_path, monkeypatch, capsys, "", "--json", "--keep", str(keep))
    assert rc == 0, out.err
    rep = json.loads(out.out)
    s = rep["systems"]["searchidx"]
    assert s["ok"] and rep["n_docs"] == 998
    assert len(s["per_query"]) == rep["n_queries"]
    # Substring matching finds compounds: right hits, but far from all of them.
    assert 0.2 < s["single"]["p5"] < 0.95 and s["single"]["groups"]["compound"]["p5"] < 0.9
    assert s["correct"]["corrected"] == 0.0
    assert s["absent"]["answered"] == 0.0                     # the words are in no article
    assert (keep / "corpus").is_dir() and (keep / "searchidx-results.jsonl").is_file()
    rc, out = _main_with_fake(tmp_path, monkeypatch, capsys, "", "--keep", str(keep))
    assert rc == 0 and "precision@5" in out.out and "searchidx" in out.out   # kept dir reused


@needs_data
@pytest.mark.parametrize("mode", ["crash", "short"])
def test_searchidx_failure_exits_nonzero(tmp_path, monkeypatch, capsys, mode):
    rc, out = _main_with_fake(tmp_path, monkeypatch, capsys, mode)
    assert rc == 1
    assert "searchidx: FAILED" in out.err and "FAIL" in out.out


def test_keep_refuses_a_foreign_folder(tmp_path, capsys):
    if not DATA.is_file():
        pytest.skip(f"{DATA} not found")
    (tmp_path / "mine.txt").write_text("x")
    with pytest.raises(SystemExit) as e:
        precision.main(["--systems", "searchidx", "--keep", str(tmp_path)])
    assert e.value.code == 2 and "not from an earlier run" in capsys.readouterr().err
