"""Start-up cost: indexing loads none of the query code."""
from __future__ import annotations

import shutil
import subprocess
import sys

from support import PLAIN_SEED, TAZ_SEED


def test_indexing_does_not_load_the_query_code(tmp_path):
    for seed in (TAZ_SEED, PLAIN_SEED):
        shutil.copy(seed, tmp_path)
    code = (f"import sys\nfrom searchidx import Index\n"
            f"report = Index({str(tmp_path / 'ix')!r}).index([{str(tmp_path)!r}])\n"
            f"assert report.added == 2, report\nprint(' '.join(sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "searchidx.indexer" in loaded
    assert "searchidx.search.searcher" not in loaded
    assert "whoosh.qparser" not in loaded
