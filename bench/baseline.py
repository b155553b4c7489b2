"""The naive Whoosh baseline of shared/bench/anchors.py (``run_whoosh(..., "german")``),
split into a build step and a query step so the benchmark controls the index folder and
can run each step as its own process (wall time, peak memory).

The schema and analyzer are exactly anchors.py's: RegexTokenizer | LowercaseFilter |
StopFilter(German) | anchors.GermanStem (snowball, PyStemmer when installed); an ``id``
field and the body; ``ix.writer(limitmb=256)``; queries through a QueryParser with
``OrGroup.factory(0.9)`` and ``limit=10``, reading the ids of the hits.

Unlike anchors.py, which indexes the JSONL texts held in memory, ``build`` reads the
corpus folder written by make_corpus.py (the same texts searchidx indexes), so both
sides pay for reading files.

    python bench/baseline.py build CORPUS INDEX          # prints a JSON line
    python bench/baseline.py search INDEX "Putin Kim"    # one query, ids as JSON
    python bench/baseline.py search INDEX --batch FILE   # one JSON line per query

``anchors`` is imported from $SEARCHIDX_SHARED/bench (default: ../shared next to the
repository); the index pickles ``anchors.GermanStem``, so readers need it importable too.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def shared_dir(override: str | None = None) -> Path:
    return Path(override or os.environ.get("SEARCHIDX_SHARED") or REPO.parent / "shared")


def import_anchors(shared: str | None = None):
    path = str(shared_dir(shared) / "bench")
    if path not in sys.path:
        sys.path.insert(0, path)
    import anchors
    return anchors


def schema(anchors):
    from whoosh import analysis, fields
    from whoosh.lang.stopwords import stoplists
    ana = (analysis.RegexTokenizer() | analysis.LowercaseFilter()
           | analysis.StopFilter(stoplist=stoplists["de"]) | anchors.GermanStem())
    return fields.Schema(id=fields.ID(stored=True, unique=True), body=fields.TEXT(analyzer=ana))


def corpus_files(root: str):
    """(id, path) of every .txt under root, in a stable order (ids like searchidx's)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".txt"):
                path = os.path.join(dirpath, name)
                yield os.path.relpath(path, root)[:-4].replace(os.sep, "/"), path


def build(corpus: str, index_dir: str, anchors) -> dict:
    from whoosh import index
    os.makedirs(index_dir, exist_ok=True)
    t0 = time.perf_counter()
    ix = index.create_in(index_dir, schema(anchors))
    w = ix.writer(limitmb=256)
    n = nbytes = 0
    for doc_id, path in corpus_files(corpus):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        nbytes += len(text.encode())
        w.add_document(id=doc_id, body=text)
        n += 1
    w.commit()
    return {"docs": n, "bytes": nbytes, "seconds": time.perf_counter() - t0}


class Searcher:
    """anchors.run_whoosh's query loop body, on an index built by `build`."""

    def __init__(self, index_dir: str, anchors=None):
        from whoosh import index, qparser
        self.ix = index.open_dir(index_dir)
        self.searcher = self.ix.searcher()
        self.parser = qparser.QueryParser("body", self.ix.schema,
                                          group=qparser.OrGroup.factory(0.9))

    def search(self, text: str, limit: int = 10) -> list[str]:
        q = self.parser.parse(text)
        return [h["id"] for h in self.searcher.search(q, limit=limit)]

    def close(self):
        self.searcher.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", help="shared folder holding bench/anchors.py")
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("corpus")
    b.add_argument("index")
    s = sub.add_parser("search")
    s.add_argument("index")
    s.add_argument("query", nargs="?")
    s.add_argument("--batch")
    a = ap.parse_args(argv)
    anchors = import_anchors(a.shared)
    if a.cmd == "build":
        print(json.dumps(build(a.corpus, a.index, anchors)))
        return 0
    s = Searcher(a.index, anchors)
    if a.batch:
        with open(a.batch, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    q = line.rstrip("\n")
                    print(json.dumps({"query": q, "ids": s.search(q)}, ensure_ascii=False))
    else:
        print(json.dumps({"query": a.query, "ids": s.search(a.query)}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
