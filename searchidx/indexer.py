"""Bringing an index up to date with its corpus, touching only what changed.

Each file is checked by stat first (mtime, size), then by content hash; a
changed multi-article file updates only the records whose content changed.
The manifest (file key -> stat, hash, record hashes) is written after Whoosh
commits and names the index generation it describes; if a crash separated the
two, it is rebuilt from the index's stored fields and every file is re-hashed.
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from . import corpus, engine, vocabulary
from .model import Article
from .errors import CorpusError, damaged
from .store import Store, check_trusted, check_version, new_meta, read_meta, write_json

MANIFEST = "manifest.json"


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "deleted": self.deleted,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "seconds": round(self.seconds, 3), "rebuilt": self.rebuilt,
                "warnings": len(self.warnings)}

    def summary(self) -> str:
        kind = "rebuilt" if self.rebuilt else "updated"
        return (f"index {kind}: {self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged, {self.skipped} skipped "
                f"in {self.seconds:.2f}s")


def record_hash(record: str) -> str:
    """The hash of an article's record (engine.article_record), which its stored JSON extends."""
    return hashlib.blake2b(record.encode(), digest_size=12).hexdigest()


def update(store: Store, roots: list[str] | None = None, *, rebuild: bool = False,
           jobs: int = 1, max_bytes: int,
           warn: Callable[[str], None] = lambda m: None,
           progress: Callable[[int, int], None] | None = None) -> Report:
    """Index `roots` (default: the roots the index already has) into `store`."""
    t0 = time.perf_counter()
    report = Report()

    def warning(msg: str):
        report.warnings.append(msg)
        warn(msg)

    store.check_usable()
    if roots is None:
        live = store.current()
        roots = (read_meta(live) if live else {}).get("roots") or ["corpus"]
    roots = [os.path.abspath(r) for r in roots]
    for r in roots:
        if not os.path.exists(r):
            raise CorpusError(f"corpus path not found: {r}")

    with store.writing():
        live = store.current()
        meta = read_meta(live) if live else {}
        if live and not rebuild:
            check_trusted(live)
            check_version(meta, store.path)
        rebuild = rebuild or live is None
        gen = store.new_generation() if rebuild else live
        try:
            ix = engine.create(gen) if rebuild else engine.open_dir(gen)
            manifest = {} if rebuild else _load_manifest(gen, ix)
        except Exception as e:
            if rebuild:
                raise
            raise damaged(store.path, e) from None
        meta = new_meta(roots) if rebuild else meta | {"roots": roots}

        files = list(corpus.scan(roots, warning))
        plan = _plan(files, manifest, max_bytes, warning, report)
        if rebuild:
            report.rebuilt = True
        vocab = vocabulary.Counter() if rebuild else vocabulary.load(gen)
        _apply(ix, plan, vocab, manifest, report, warning, jobs=jobs, max_bytes=max_bytes,
               progress=progress)
        generation = ix.latest_generation()
        meta["updated"] = time.time()
        meta["formats"] = _formats(manifest)
        write_json(os.path.join(gen, MANIFEST), {"generation": generation, "files": manifest})
        if plan.changed:
            vocabulary.save(gen, vocab)
        write_json(os.path.join(gen, "meta.json"), meta)
        if rebuild:
            store.switch_to(gen)
    report.seconds = time.perf_counter() - t0
    return report


@dataclass
class _Plan:
    add: list = field(default_factory=list)       # (key, Article, hash)
    update: list = field(default_factory=list)    # (key, Article, hash)
    delete: list = field(default_factory=list)    # article ids
    new_files: list = field(default_factory=list)  # CorpusFiles, read where they are indexed
    taken: set = field(default_factory=set)       # ids of the articles kept so far
    changed: bool = False


def _plan(files, manifest: dict, max_bytes: int, warn, report: Report) -> _Plan:
    """What to add, update and delete. Unchanged files keep their article ids
    first; files gone free theirs; then changed files are read. New text
    files (most of a rebuild) are read later, where they are indexed, so that
    worker processes read them in parallel; their articles come last to an id.
    A file whose article lost an id collision, or that was skipped, is read
    again next time."""
    plan = _Plan()
    by_key: dict[str, corpus.CorpusFile] = {}
    for f in files:
        if f.key in by_key:  # the same relative path under two roots
            warn(f"{f.display_path}: skipped, {f.key} is already indexed from another root")
            report.skipped += 1
        else:
            by_key[f.key] = f
    for key in [k for k in manifest if k not in by_key]:
        _forget(key, manifest, plan)
        plan.changed = True

    to_read = []
    for key, f in by_key.items():
        old = manifest.get(key)
        if (old and old["mtime_ns"] == f.mtime_ns and old["size"] == f.size
                and not old.get("skipped") and not old.get("retry")):
            report.unchanged += len(old["records"])
            plan.taken.update(old["records"])
        else:
            to_read.append(f)

    new_text = []
    for f in to_read:
        plan.changed = True
        if f.key not in manifest and not f.is_jsonl:
            new_text.append(f)
        else:
            _read(f, manifest, max_bytes, plan, warn, report)
    # A text file's one article has its key's id, so new text files with
    # different ids can be read by different workers. The few that share an
    # id (`a.txt`, `a.TXT`) are read here, the first keeping it.
    ids = Counter(f.article_id for f in new_text)
    for f in new_text:
        if ids[f.article_id] > 1:
            _read(f, manifest, max_bytes, plan, warn, report)
        else:
            plan.new_files.append(f)
    report.added, report.updated, report.deleted = len(plan.add), len(plan.update), len(plan.delete)
    return plan


def _read(f, manifest: dict, max_bytes: int, plan: _Plan, warn, report: Report):
    """Reads a changed or new file into the plan and its manifest entry."""
    old = manifest.get(f.key)
    try:
        if (old and not (old.get("skipped") or old.get("retry"))
                and old["digest"] == corpus.digest(f)):  # touched, not changed
            old.update(mtime_ns=f.mtime_ns, size=f.size)
            report.unchanged += len(old["records"])
            plan.taken.update(old["records"])
            return
    except corpus.SkipFile as e:  # (the digest's)
        entry, kept, skipped = _skipped_entry(f, e, warn), [], 1
    else:
        entry, kept, skipped = _read_file(f, max_bytes, plan.taken, warn)
    report.skipped += skipped
    old_records = old["records"] if old else {}
    for art, h, _ in kept:  # (the record is not kept: the plan holds its articles until indexed)
        prev = old_records.get(art.id)
        if prev is None:
            plan.add.append((f.key, art, h))
        elif prev[0] != h:
            plan.update.append((f.key, art, h))
        else:
            report.unchanged += 1
    plan.delete.extend(i for i in old_records if i not in entry["records"])
    manifest[f.key] = entry


def _read_file(f, max_bytes: int, taken: set, warn) -> tuple[dict, list, int]:
    """Reads `f`: its manifest entry, the (article, record hash, record) of
    its articles with free ids (taking the ids), and how many it skipped (the
    file, or its articles whose ids were taken)."""
    try:
        articles, digest = corpus.read_articles(f, max_bytes, warn)
    except corpus.SkipFile as e:
        return _skipped_entry(f, e, warn), [], 1
    records, kept, lost = _take(f, articles, taken, warn)
    return _entry(f, digest, records, retry=bool(lost)), kept, lost


def _take(f, articles: list[Article], taken: set, warn) -> tuple[dict, list, int]:
    """The manifest records and (article, record hash, record: see
    engine.article_record) of the articles of `f` whose ids are free, taking
    the ids; and how many were not free."""
    records, kept, lost = {}, [], 0
    for art in articles:
        if art.id in taken:
            warn(_taken(f, art.id))
            lost += 1
            continue
        taken.add(art.id)
        record = engine.article_record(art)
        h = record_hash(record)
        records[art.id] = [h, art.format]
        kept.append((art, h, record))
    return records, kept, lost


def _taken(f, article_id: str) -> str:
    return f"{f.display_path}: skipped article {article_id}: the id is already taken"


def _forget(key: str, manifest: dict, plan: _Plan):
    old = manifest.pop(key, None)
    if old:
        plan.delete.extend(old["records"])


def _entry(f, digest: str, records: dict, skipped: str = "", retry: bool = False) -> dict:
    e = {"mtime_ns": f.mtime_ns, "size": f.size, "digest": digest, "records": records}
    if skipped:
        e["skipped"] = skipped
    if retry:
        e["retry"] = True
    return e


def _skipped_entry(f, why: corpus.SkipFile, warn) -> dict:
    warn(f"{f.display_path}: {why}")
    return _entry(f, "", {}, skipped=str(why))


class _Share:
    """What one indexing process needs to read new files, and the spelling
    words it counted."""

    def __init__(self, taken: set, max_bytes: int):
        # The ids taken before the new files, not a copy: each process only adds
        # the ids of its new files, which no other process has (see _plan).
        self.taken, self.max_bytes = taken, max_bytes
        self.vocab = vocabulary.Counter()


def _apply(ix, plan: _Plan, vocab, manifest: dict, report: Report, warn, *, jobs: int,
           max_bytes: int, progress):
    if not (plan.add or plan.update or plan.delete or plan.new_files):
        return
    items = plan.update + plan.add + plan.new_files
    writer = engine.writer(ix)
    done = 0

    def advance(n: int):
        nonlocal done
        done += n
        if progress:
            progress(done, len(items))

    # The spelling vocabulary: the words each process positions while it indexes.
    caches = engine.word_caches(ix.schema)
    for cache in caches:
        cache.count_words()

    def finish(share: _Share):
        for cache in caches:
            vocabulary.add_words(share.vocab, cache.take_counts())
        share.taken = None  # (not sent back)

    try:
        # An update is a delete of the old version plus an add.
        for doc_id in plan.delete + [art.id for _, art, _ in plan.update]:
            writer.delete_by_term("id", doc_id)
        shares, read = engine.add_all(writer, items, _index_one,
                                      lambda: _Share(plan.taken, max_bytes),
                                      procs=jobs, size=_size, progress=advance, finish=finish)
        added = _settle(read, manifest, report, warn)
    except BaseException:
        writer.cancel()
        raise
    finally:
        for cache in caches:
            cache.take_counts()  # (workers counted in their own copies)
    if not (plan.add or plan.update or plan.delete or added):
        writer.cancel()  # only new files that had nothing to index: no new index generation
        return
    for share in shares:
        vocab.update(share.vocab)
    writer.commit()


def _size(item) -> int:
    """An item's share of indexing work: its text, plus what every document costs."""
    return (item.size if isinstance(item, corpus.CorpusFile) else len(item[1].body)) + 500


def _index_one(writer, item, share: _Share):
    """Indexes a plan item, or reads and indexes a new file: then returns
    what the parent settles (see _settle)."""
    if isinstance(item, corpus.CorpusFile):
        return _read_new(writer, item, share)
    key, art, h = item
    writer.add_document(**engine.to_document(art, key, h))
    return None


def _read_new(writer, f: corpus.CorpusFile, share: _Share) -> tuple:
    """A new text file, read by the process that indexes it: its key and
    manifest entry, its warnings, how many articles it added and skipped."""
    warnings: list[str] = []
    entry, kept, skipped = _read_file(f, share.max_bytes, share.taken, warnings.append)
    for art, h, record in kept:  # (the stored JSON extends the record: one dump)
        writer.add_document(**engine.to_document(art, f.key, h, engine.article_json(art, record)))
    return f.key, entry, warnings, len(kept), skipped


def _settle(read: list, manifest: dict, report: Report, warn) -> int:
    """Reports what was read of the new files, in file order, and enters
    the files in the manifest; returns how many articles they added."""
    added = 0
    for result in filter(None, read):
        key, entry, warnings, n, skipped = result
        for msg in warnings:
            warn(msg)
        report.skipped += skipped
        report.added += n
        added += n
        manifest[key] = entry
    return added


def _load_manifest(gen: str, ix) -> dict:
    """The manifest of `gen`, or one rebuilt from stored fields if it is stale."""
    try:
        with open(os.path.join(gen, MANIFEST), encoding="utf-8") as f:
            data = json.load(f)
        if data.get("generation") == ix.latest_generation() and isinstance(data["files"], dict):
            return data["files"]
    except (FileNotFoundError, ValueError, KeyError, TypeError, AttributeError):
        pass  # stale or damaged: rebuilt from the index below
    files: dict = {}
    with ix.searcher() as s:
        for stored in s.all_stored_fields():
            fmt = json.loads(stored["article"]).get("format", "generic")
            entry = files.setdefault(stored["source"], {"mtime_ns": -1, "size": -1,
                                                        "digest": "", "records": {}})
            entry["records"][stored["id"]] = [stored["record_hash"], fmt]
    return files


def _formats(manifest: dict) -> dict:
    counts: dict[str, int] = {}
    for entry in manifest.values():
        for _, fmt in entry["records"].values():
            counts[fmt] = counts.get(fmt, 0) + 1
    return counts
