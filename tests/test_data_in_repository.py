"""Issue 18, point 11: the README's test command on a fresh clone ran 268
tests skipped for want of ../shared. The data the tests read is in tests/data;
../shared is for the benchmarks in bench/ only."""
from pathlib import Path

from support import DATA, GERMANQUAD, REPO, WIKINEWS

TESTS = Path(__file__).resolve().parent


def test_the_test_data_is_in_the_repository():
    for path in (WIKINEWS, GERMANQUAD / "docs.jsonl", GERMANQUAD / "queries.jsonl",
                 GERMANQUAD / "qrels.jsonl"):
        assert path.is_relative_to(REPO) and path.stat().st_size > 0, path
    assert sum(1 for _ in WIKINEWS.open(encoding="utf-8")) == 998
    assert DATA == TESTS / "data"


def test_no_test_reads_the_shared_folder():
    marks = ("SEARCHIDX_" + "SHARED", '"' + 'shared"')  # (split: this file is read too)
    offenders = [str(p.relative_to(TESTS)) for p in TESTS.rglob("*.py")
                 if any(m in p.read_text(encoding="utf-8") for m in marks)]
    assert offenders == []
