"""External ranking check on GermanQuAD's test split (474 Wikipedia passages,
2,204 human questions pasted as typed, one relevant passage each).

Indexes the passages through the CLI (as a JSON Lines corpus: title + text),
runs every question through `search --batch`, as typed and with the
punctuation stripped (as the baselines ran), and prints MRR@10, Recall@1/10
next to the README's Whoosh and tantivy baselines.

    python bench/relevance/germanquad.py [--shared DIR] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASELINES = {"whoosh-german": (0.918, 0.879, 0.982), "tantivy-german": (0.925, 0.886, 0.985)}


def evaluate(shared, work) -> dict:
    """Index the passages into `work` through the CLI, run every question as one
    batch, and return MRR@10, recall@1, recall@10 and the batch's seconds."""
    data = Path(shared) / "data" / "germanquad"
    work = Path(work)
    (work / "corpus").mkdir(parents=True, exist_ok=True)
    with open(work / "corpus" / "germanquad.jsonl", "w", encoding="utf-8") as out:
        for line in open(data / "docs.jsonl", encoding="utf-8"):
            d = json.loads(line)
            # The title is the passage's first line already: index the rest as body.
            body = d["text"].split("\n", 1)[1] if "\n" in d["text"] else d["text"]
            out.write(json.dumps({"id": d["doc_id"], "title": d["title"].replace("_", " "),
                                  "text": body}, ensure_ascii=False) + "\n")
    queries = [json.loads(l) for l in open(data / "queries.jsonl", encoding="utf-8")]
    rel = {}
    for l in open(data / "qrels.jsonl", encoding="utf-8"):
        r = json.loads(l)
        rel.setdefault(r["query_id"], set()).add(f"germanquad/{r['doc_id']}")
    cli = [sys.executable, "-m", "searchidx"]
    ix = work / "index"
    subprocess.run(cli + ["index", str(work / "corpus"), "--index", str(ix), "--rebuild",
                          "--quiet"], check=True)
    result = _run(cli, ix, work, [" ".join(q["text"].split()) for q in queries], queries, rel)
    # as the baselines ran: punctuation stripped (what a script feeding an engine does)
    stripped = _run(cli, ix, work, [" ".join(re.findall(r"\w+", q["text"])) for q in queries],
                    queries, rel)
    result["stripped"] = {k: stripped[k] for k in ("mrr10", "recall1", "recall10")}
    return result


def _run(cli, ix, work, texts, queries, rel) -> dict:
    qfile = work / "queries.txt"
    qfile.write_text("\n".join(texts) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    proc = subprocess.run(cli + ["search", "--batch", str(qfile), "--index", str(ix),
                                 "--format", "jsonl", "--limit", "10"],
                          capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    lines = [json.loads(l) for l in proc.stdout.splitlines()]
    assert len(lines) == len(queries), (len(lines), proc.stderr[-500:])
    rr, r1, r10 = [], 0, 0
    for q, res in zip(queries, lines):
        ranked = [h["id"] for h in res.get("results", [])]
        hit = next((i for i, d in enumerate(ranked) if d in rel[q["query_id"]]), None)
        rr.append(1 / (hit + 1) if hit is not None else 0.0)
        r1 += hit == 0
        r10 += hit is not None
    n = len(queries)
    return {"mrr10": round(sum(rr) / n, 3), "recall1": round(r1 / n, 3),
            "recall10": round(r10 / n, 3), "queries": n, "batch_seconds": round(seconds, 2)}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", default=os.environ.get(
        "SEARCHIDX_SHARED", Path(__file__).resolve().parents[3] / "shared"))
    ap.add_argument("--keep", help="keep corpus and index in this folder")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    result = evaluate(a.shared, a.keep or tempfile.mkdtemp(prefix="gquad-"))
    if a.json:
        print(json.dumps(result))
        return
    print(f"GermanQuAD test split, {result['queries']} questions as typed")
    print(f"{'system':16} MRR@10  R@1    R@10")
    print(f"{'searchidx':16} {result['mrr10']:.3f}  {result['recall1']:.3f}  "
          f"{result['recall10']:.3f}   ({result['batch_seconds']:.1f} s for the batch)")
    st = result["stripped"]
    print(f"{'  stripped':16} {st['mrr10']:.3f}  {st['recall1']:.3f}  {st['recall10']:.3f}"
          "   (punctuation stripped, as the baselines ran)")
    for name, (m, a1, a10) in BASELINES.items():
        print(f"{name:16} {m:.3f}  {a1:.3f}  {a10:.3f}   (data README)")


if __name__ == "__main__":
    main()
