"""`search --batch` in worker processes: the output one process gives, answers
as soon as they are ready (a pipe may wait for each), and Ctrl-C stops all."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from searchidx import workers as forks
from support import WIKINEWS, run_cli

pytestmark = pytest.mark.skipif(not forks.can_fork(), reason="batch workers need fork")


@pytest.fixture(scope="module")
def titles():
    with open(WIKINEWS, encoding="utf-8") as f:
        return [json.loads(line)["title"] for line in f]


def _timeless(text: str) -> str:
    return re.sub(r'"took_ms": [0-9.]+|\(\d+ ms\)', "", text)


@pytest.mark.parametrize("fmt", ["jsonl", "plain", "table", "csv"])
def test_workers_print_what_one_process_prints(news_index, titles, tmp_path, fmt):
    queries = titles[:60] + ["Kim^0", "", "   "] + titles[60:90] + ["Putinn Raketen"]
    path = tmp_path / "queries.txt"
    path.write_text("\n".join(queries) + "\n", encoding="utf-8")
    one = run_cli("search", "--batch", path, "--index", news_index, "--format", fmt, "-j", "1")
    assert one.returncode == 2 and "1 of 92 queries failed; the first: Kim^0" in one.stderr
    for args, stdin in [(["--batch", path], None), (["--batch", "-"], path.read_text("utf-8"))]:
        two = run_cli("search", *args, "--index", news_index, "--format", fmt, "-j", "2",
                      input=stdin)
        assert (two.returncode, two.stderr) == (one.returncode, one.stderr)
        assert _timeless(two.stdout) == _timeless(one.stdout)


def _read_line(stream, seconds: float) -> str | None:
    got = []
    t = threading.Thread(target=lambda: got.append(stream.readline()), daemon=True)
    t.start()
    t.join(seconds)
    return got[0] if got else None


def test_a_pipe_gets_each_answer_before_it_sends_the_next_query(news_index, titles):
    proc = subprocess.Popen([sys.executable, "-m", "searchidx", "search", "--batch", "-",
                             "--index", str(news_index), "--format", "jsonl", "-j", "2"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        for q in titles[:30]:  # past the first ones, answered before any worker starts
            proc.stdin.write(q + "\n")
            proc.stdin.flush()
            line = _read_line(proc.stdout, 60)
            assert line is not None, f"no answer to {q!r}"
            assert json.loads(line)["query"] == q
        proc.stdin.close()
        assert proc.wait(60) == 0
    finally:
        proc.kill()


def _processes_with(marker: str) -> list[int]:
    pids = []
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and marker in (d / "cmdline").read_text(errors="replace"):
                pids.append(int(d.name))
        except OSError:
            pass
    return pids


def test_ctrl_c_stops_the_batch_and_its_workers(news_index, titles, tmp_path):
    path = tmp_path / "many-queries.txt"
    path.write_text("\n".join(titles * 5) + "\n", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "searchidx", "search", "--batch", str(path),
                             "--index", str(news_index), "--format", "jsonl", "-j", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            # (the interrupt may cut the last line in the middle of a letter)
                            encoding="utf-8", errors="replace", start_new_session=True)
    try:
        for _ in range(40):  # into the workers' part
            assert _read_line(proc.stdout, 60) is not None
        assert len(_processes_with(str(path))) == 3
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to every process
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130 and err.strip() == "searchidx: aborted", err
    for _ in range(50):
        if not _processes_with(str(path)):
            break
        time.sleep(0.1)
    assert not _processes_with(str(path))
