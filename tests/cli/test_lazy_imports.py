"""Start-up and exit cost: indexing loads none of the query code, searching none of the writing code."""
from __future__ import annotations

import json
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
    assert "searchidx.indexing.indexer" in loaded
    for unused in ("searchidx.search.searcher", "searchidx.query.rewrites",
                   "searchidx.backend.native.scoring"):
        assert unused not in loaded


def test_searching_loads_no_writing_code(tmp_path):
    """A cold search starts fast: no index writer, no corpus readers."""
    shutil.copy(TAZ_SEED, tmp_path)
    ix = str(tmp_path / "ix")
    subprocess.run([sys.executable, "-m", "searchidx", "index", str(tmp_path), "--index", ix,
                    "--quiet"], check=True)
    code = (f"import sys\nfrom searchidx import Index\n"
            f"ix = Index({ix!r})\n"
            f"assert ix.search('Putin').total == 1 and ix.search('title:Kim OR Rak*').total == 1\n"
            f"print(' '.join(sys.modules))\n")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.split()
    assert "searchidx.backend.native.scoring" in loaded
    for unused in ("searchidx.backend.native.writer", "searchidx.backend.native.merge",
                   "searchidx.indexing.indexer", "searchidx.input.scan", "whoosh"):
        assert unused not in loaded


def test_the_command_line_collects_garbage_in_larger_steps():
    """A searchidx command keeps large tables and caches for its short life:
    young-generation collections every 10,000 allocations, not Python's 700
    (the 400-query batch spent 0.11-0.17 s collecting, now 0.06-0.08 s)."""
    code = ("import gc, sys\n"
            "sys.argv = ['searchidx', '--version']\n"
            "from searchidx.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(gc.get_threshold()[0])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split()[-1] == "10000"
    lib = subprocess.run([sys.executable, "-c", "import gc, searchidx.api; print(gc.get_threshold()[0])"],
                         capture_output=True, text=True, check=True)
    assert lib.stdout.strip() != "10000"  # the library leaves its host's settings alone


def test_the_command_exits_without_teardown_but_with_all_its_output(news_index):
    """`searchidx` ends with os._exit (no freeing of its tables one object at a
    time): output still buffered must be written first, and the exit code kept."""
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
            f"sys.argv = ['searchidx', 'search', 'Regierung', '--limit', '500', '--format', 'json',"
            f" '--index', {str(news_index)!r}]\n"
            "from searchidx.cli import run\n"
            "run()\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and "teardown ran" not in out.stderr
    assert len(json.loads(out.stdout)["results"]) > 100  # (far more than a pipe's buffer)
    missing = subprocess.run([sys.executable, "-m", "searchidx", "search", "Xylophonquartettzzz",
                              "--no-correct", "--index", str(news_index)], capture_output=True)
    assert missing.returncode == 1


def test_a_closed_stdout_is_no_traceback(news_index):
    proc = subprocess.run(f"{sys.executable} -m searchidx search Putin --format jsonl "
                          f"--index {news_index} >&-", shell=True, capture_output=True, text=True)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
