"""`--rebuild` and `stats` on the 3,000-article corpus."""
from __future__ import annotations

import datetime

from life_helpers import N_ARTICLES, current, generations, stats

STATS_KEYS = {"documents", "terms", "segments", "size_bytes", "roots", "last_update",
              "formats", "date_range"}


def test_rebuild_same_count_as_fresh_build(built, rebuild_run):
    assert rebuild_run.proc.returncode == 0, rebuild_run.proc.stderr
    assert rebuild_run.report["rebuilt"] is True
    assert rebuild_run.report["added"] == N_ARTICLES, rebuild_run.report
    fresh, rebuilt = stats(built.ix), stats(rebuild_run.ix)
    assert fresh["documents"] == rebuilt["documents"] == N_ARTICLES, (fresh, rebuilt)
    assert current(rebuild_run.ix) == "gen-000002"
    assert generations(rebuild_run.ix) == ["gen-000001", "gen-000002"]  # previous kept for readers


def test_stats_keys(built):
    st = stats(built.ix)
    assert STATS_KEYS <= set(st), STATS_KEYS - set(st)
    assert st["documents"] == N_ARTICLES
    assert st["terms"] > 1000 and st["segments"] >= 1 and st["size_bytes"] > 0
    assert st["roots"] == [str(built.corpus)]
    assert st["formats"] == {"plain_dated": N_ARTICLES}
    assert isinstance(st["last_update"], (int, float))


def test_stats_date_range_is_real_dates(built):
    """The Wikinews articles are dated 2004..2020s; both ends must be real dates."""
    lo, hi = stats(built.ix)["date_range"]
    for d in (lo, hi):
        datetime.date.fromisoformat(d)  # raises on e.g. '214748-36-47'
    assert "2004-01-01" <= lo <= hi <= "2030-12-31", (lo, hi)
