"""Paths and helpers the tests share (importable: tests/ is on pythonpath)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
# The data the tests read lives in the repository (a fresh clone runs every
# test); ../shared is for the benchmarks in bench/ only.
DATA = REPO / "tests" / "data"
WIKINEWS = DATA / "wikinews-de.jsonl"  # 998 German Wikinews articles (CC BY 2.5)
GERMANQUAD = DATA / "germanquad"
TAZ_SEED = CORPUS / "000_9c68a855770dcd16.txt"
PLAIN_SEED = CORPUS / "004_3fd6a85322da6010.txt"


def run_cli(*args, check=None, input=None, env=None):
    """Run `python -m searchidx ARGS` as a user would; returns CompletedProcess."""
    proc = subprocess.run([sys.executable, "-m", "searchidx", *map(str, args)],
                          capture_output=True, text=True, input=input,
                          env={**os.environ, **(env or {})}, timeout=600)
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc



def search_json(index, *args, check=None) -> dict:
    proc = run_cli("search", *args, "--index", index, "--format", "json", check=check)
    return json.loads(proc.stdout)


def read_one(text: str, fmt: str | None = None):
    """Parse one text file's content; it must give exactly one article (of `fmt`)."""
    from searchidx.input.formats import parse_text_file

    arts = parse_text_file(text.encode("utf-8"), "x", "x.txt", lambda message: None)
    assert len(arts) == 1 and (fmt is None or arts[0].format == fmt)
    return arts[0]


def wikinews_titles(limit: int | None = None) -> list[str]:
    """The Wikinews articles' titles (the benchmark's queries)."""
    with open(WIKINEWS, encoding="utf-8") as f:
        return [json.loads(line)["title"] for line in f][:limit]


def parser_query(parser, text: str):
    """The query Whoosh's parser builds for `text`, NOTs lifted and head parts
    read from head as searchidx does."""
    from searchidx.search import parse

    q = parser.parse(text)
    return q if q is parse.Q.NullQuery else parse.from_parser(q, parser.schema)


def stored_ids(ix) -> list[str]:
    """The ids of an Index's live articles, in document order."""
    reader = ix.searcher().reader
    return [json.loads(reader.stored(d))["id"] for d in range(reader.max_doc)
            if not reader.is_deleted(d)]


def segments(ix) -> int:
    return len(ix.searcher().reader.segments)


def _committed_file(ix, key: str) -> str:
    gen = ix.store.current()
    reader = ix.searcher().reader
    return os.path.join(gen, reader.user_data[key])


def manifest_of(ix) -> dict:
    """The committed manifest as {file key: entry}."""
    from searchidx.indexing.manifest import Manifest

    m = Manifest.load(_committed_file(ix, "manifest"))
    return {key: m[key] for key in m}


def vocabulary_of(ix):
    from searchidx.indexing import vocabulary

    return vocabulary.load(_committed_file(ix, "vocabulary"))


def vocabulary_bytes(ix) -> bytes:
    with open(_committed_file(ix, "vocabulary"), "rb") as f:
        return f.read()


def invoke(command: str, index, *args, env=None):
    """`searchidx COMMAND ARGS --index INDEX` in this process (click's
    CliRunner); an exception other than the exit is a failure."""
    from click.testing import CliRunner

    from searchidx.cli import cli

    result = CliRunner().invoke(cli, [command, *map(str, args), "--index", str(index)], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def index_of_articles(root: Path, articles, month: str = "2024-01"):
    """An index (open, in root/index) of (id, title, text) articles, one
    JSON line each, dated day by day from the first of `month`."""
    from searchidx import Index

    corpus = root / "corpus"
    corpus.mkdir()
    with open(corpus / "news.jsonl", "w", encoding="utf-8") as f:
        for i, (key, title, body) in enumerate(articles):
            f.write(json.dumps({"id": key, "title": title, "text": body,
                                "date": f"{month}-{i + 1:02d}"}, ensure_ascii=False) + "\n")
    index = Index(str(root / "index"))
    index.index([str(corpus)])
    return index
