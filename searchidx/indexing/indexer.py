"""Bringing an index up to date with its corpus, touching only what changed.

Each file is checked by stat first (mtime, size), then by content hash; a
changed multi-article file updates only the records whose content changed.

The flow runs one way: files are read into articles (input/), articles
become analysed batches (documents.Batcher), batches go to the backend's
writer. Large runs read, analyse and write new files in forked worker
processes, each writing segments of its own, adopted in file order. The
indexer's own products, the manifest (file key -> stat, hash, record
hashes) and the spelling vocabulary, are files that the backend's commit
names, so the index, the manifest and the vocabulary change together.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import time
from array import array
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import checksums, workers
from ..checksums import Damaged
from ..errors import CorpusError, RunFailed, damaged
from ..input import scan as corpus
from ..input.files import SkipFile, digest, read_articles
from ..model import Article
from . import vocabulary
from .documents import Batcher, stored_json
from .manifest import RETRY, SKIPPED, Manifest
from .store import Store, backend_of, check_version, new_meta, read_meta, write_meta

BATCH_DOCS = 256          # articles analysed and handed to the writer together
MIN_PARALLEL = 200        # new files from which workers pay off
DOCS_PER_WORKER = 500     # more workers only with this many files each
PROGRESS_EVERY = 50       # files between progress reports
DEFAULT_MEMORY = 1 << 30  # bytes for all processes of a run together (--memory)
MIN_WORKER = 128 << 20    # memory a worker gets at least


@dataclass
class Report:
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    skipped_files: int = 0     # files that gave no article (unreadable, binary, empty ...)
    skipped_articles: int = 0  # records that gave none (bad JSON, an id taken ...)
    seconds: float = 0.0
    rebuilt: bool = False
    created: bool = False  # the first build of this index
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"added": self.added, "updated": self.updated, "deleted": self.deleted,
                "unchanged": self.unchanged, "skipped": self.skipped,
                "skipped_files": self.skipped_files, "skipped_articles": self.skipped_articles,
                "seconds": round(self.seconds, 3), "rebuilt": self.rebuilt,
                "created": self.created, "warnings": len(self.warnings)}

    @property
    def skipped(self) -> int:
        return self.skipped_files + self.skipped_articles

    def summary(self) -> str:
        kind = "created" if self.created else "rebuilt" if self.rebuilt else "updated"
        skipped = f"{self.skipped} skipped"
        what = [f"{n} {noun}{'s' if n != 1 else ''}"
                for n, noun in ((self.skipped_files, "file"), (self.skipped_articles, "article")) if n]
        if what:
            skipped += f" ({', '.join(what)})"
        return (f"index {kind}: {self.added} added, {self.updated} updated, "
                f"{self.deleted} deleted, {self.unchanged} unchanged, {skipped} "
                f"in {self.seconds:.2f}s")


def record_hash(record: str) -> str:
    """The hash of an article's record (Article.record: the article's own JSON)."""
    return hashlib.blake2b(record.encode(), digest_size=12).hexdigest()


def update(store: Store, roots: list[str] | None = None, *, rebuild: bool = False,
           jobs: int = 1, max_bytes: int, memory: int = DEFAULT_MEMORY, follow_links: bool = False,
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
        roots = _known_roots(store) or ["corpus"]
    roots = [os.path.abspath(r) for r in roots]
    for r in roots:
        if not os.path.exists(r):
            raise CorpusError(f"corpus path not found: {r}")

    with store.writing():
        live, meta = _live_state(store, rebuild)
        rebuild = rebuild or live is None
        gen = store.new_generation() if rebuild else live
        products: list[str] = []  # the indexer's files this run wrote
        try:
            _run(store, gen, meta, live, rebuild, roots, report, warning, products, jobs=jobs,
                 max_bytes=max_bytes, memory=memory, follow_links=follow_links, progress=progress)
        except BaseException as e:
            # The index stays as the last commit left it: a rebuild's
            # generation goes (unless it went live), as do this run's files.
            if rebuild and store.live() != gen:
                shutil.rmtree(gen, ignore_errors=True)
            for path in products:
                checksums.remove(path)
            error = _as_user_error(e, store)
            if error is e:
                raise
            raise error from None
    report.seconds = time.perf_counter() - t0
    return report


def _live_state(store: Store, rebuild: bool) -> tuple[str | None, dict]:
    """(live generation, its meta). A rebuild reads nothing of the index it
    replaces: a damaged CURRENT is then no live generation."""
    if rebuild:
        return store.live(), {}
    try:
        live = store.current()
        if live and not os.path.isdir(live):
            raise Damaged(os.path.join(store.path, "CURRENT"),
                          f"names {os.path.basename(live)}, which is missing")
        meta = read_meta(live) if live else {}
    except Damaged as e:
        raise damaged(store.path, e) from None
    if live:
        check_version(meta, store.path)
    return live, meta


def _run(store: Store, gen: str, meta: dict, live: str | None, rebuild: bool, roots: list[str],
         report: Report, warning, products: list[str], *, jobs: int, max_bytes: int, memory: int,
         follow_links: bool, progress) -> None:
    if rebuild:
        meta = new_meta("native")
        write_meta(gen, meta)
    backend = backend_of(meta)
    if rebuild:
        backend.create(gen)
    writer = backend.writer(gen, memory=memory)
    try:
        committed = writer.user_data
        manifest = Manifest() if rebuild else _load_manifest(gen, committed, backend, warning)
        vocab_ok = rebuild or _vocabulary_ok(gen, committed, warning)
        files = corpus.scan(roots, warning, follow_links=follow_links)
        plan = _plan(files, manifest, max_bytes, warning, report)
        report.rebuilt, report.created = rebuild and live is not None, live is None
        vocab: Counter = Counter()
        changed = _apply(writer, plan, vocab, manifest, report, warning, files=files,
                         jobs=jobs, max_bytes=max_bytes, memory=memory, progress=progress)
        if changed or rebuild or committed.get("roots") != roots or not vocab_ok:
            if not rebuild:  # the counts of this run add to the committed ones
                vocab.update(vocabulary.load(_path(gen, committed.get("vocabulary"))) if vocab_ok
                             else _index_words(backend, gen))
            user_data = _write_products(gen, writer.generation, manifest, vocab, roots, products)
            writer.commit(user_data)
            products.clear()  # (committed: the index's files now)
            if rebuild:
                store.switch_to(gen)
            else:
                _announce(store, gen)
        else:
            writer.abort()
    except BaseException:
        writer.abort()
        raise


def _announce(store: Store, gen: str) -> None:
    """CURRENT rewritten after an incremental commit, for open readers to see
    it by a stat. The commit is made: if this fails (a full disk), readers
    open since see the change at the next commit, and the run still succeeded."""
    try:
        store.announce(gen)
    except OSError:
        pass


def _as_user_error(e: BaseException, store: Store) -> BaseException:
    """What a user is told of a failed run: the file and the remedy, one line."""
    unchanged = "the index is as it was before this run"
    if isinstance(e, FileNotFoundError) and (e.filename or "").startswith(store.path + os.sep):
        e = Damaged(e.filename, "missing")  # (a file the commit names)
    if isinstance(e, Damaged):
        return damaged(store.path, e)
    if isinstance(e, workers.WorkerDied):
        return RunFailed(f"{e}; {unchanged}: run `searchidx index` again")
    if isinstance(e, OSError) and not isinstance(e, (BrokenPipeError, InterruptedError)):
        what = f"{e.filename}: {e.strerror}" if e.filename and e.strerror else str(e)
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return RunFailed(f"{what}; {unchanged}: free some space and run `searchidx index` again")
        return RunFailed(f"{what}; {unchanged}")
    return e


def _known_roots(store: Store) -> list[str] | None:
    """The corpus roots the live generation's commit names; if CURRENT is
    damaged, those of the newest generation that has a readable commit."""
    live = store.live()
    if live:
        return _committed(live).get("roots")
    try:
        gens = sorted((n for n in os.listdir(store.path) if n.startswith("gen-")), reverse=True)
    except OSError:
        return None
    for name in gens:
        found = _committed(os.path.join(store.path, name)).get("roots")
        if found:
            return found
    return None


def _committed(gen: str) -> dict:
    """The user data of a generation's last commit ({} if it has none or is damaged)."""
    try:
        return backend_of(read_meta(gen)).user_data(gen)
    except Exception:
        return {}


def _vocabulary_ok(gen: str, committed: dict, warn) -> bool:
    """Whether the committed vocabulary file is as written (its checksum
    only: a run that changes nothing does not parse it); if not, the run
    writes it anew from the index's words."""
    name = committed.get("vocabulary")
    if name is None:
        return False
    try:
        vocabulary.check(_path(gen, name))
        return True
    except (Damaged, OSError) as e:
        what = str(e) if isinstance(e, Damaged) else f"{e.filename}: {e.strerror}"
        warn(f"{what}; the spelling vocabulary is written anew from the index's words")
        return False


def _index_words(backend, gen: str) -> Counter:
    reader = backend.reader(gen)
    try:
        return vocabulary.from_index(reader)
    finally:
        reader.close()


def _path(gen: str, name: str | None) -> str:
    return os.path.join(gen, name or "vocab.tsv")


def _write_products(gen: str, generation: int, manifest: Manifest, vocab: Counter, roots,
                    written: list[str]) -> dict:
    """Writes the manifest and the vocabulary for commit `generation` (their
    paths added to `written`); returns the commit's user data, which names them."""
    names = {"manifest": f"manifest-{generation:06d}.dat", "vocabulary": f"vocab-{generation:06d}.tsv"}
    written += [os.path.join(gen, n) for n in names.values()]
    manifest.save(os.path.join(gen, names["manifest"]))
    vocabulary.save(os.path.join(gen, names["vocabulary"]), vocab)
    return {**names, "files": sorted(names.values()), "roots": roots, "updated": time.time(),
            "formats": manifest.formats()}


def _worker_memory(memory: int, procs: int) -> int:
    """Each worker's share of the run's memory: what the parent does not hold
    already (the workers share its pages until they change them)."""
    parent = workers.rss() or (256 << 20)  # (Linux; elsewhere a guess)
    return max(MIN_WORKER, (memory - parent) // procs)


@dataclass
class _Plan:
    add: list = field(default_factory=list)       # (key, Article, hash)
    update: list = field(default_factory=list)    # (key, Article, hash)
    delete: list = field(default_factory=list)    # article ids
    new_files: list = field(default_factory=list)  # their numbers in the scan: read where indexed
    taken: set = field(default_factory=set)       # ids of the articles kept so far
    changed: bool = False


def _plan(files: corpus.Scan, manifest: Manifest, max_bytes: int, warn, report: Report) -> _Plan:
    """What to add, update and delete. Unchanged files keep their article ids
    first; files gone free theirs; then changed files are read. New text
    files (most of a rebuild) are read later, where they are indexed, so that
    worker processes read them in parallel; their articles come last to an id.
    A file whose article lost an id collision, or that was skipped, is read
    again next time. Unchanged files are found with numpy, on the columns of
    the scan and the manifest: no object per unchanged file."""
    plan = _Plan()
    keys = files.keys
    first = np.ones(len(keys), bool)
    if len(set(keys)) != len(keys):  # the same relative path under two roots
        seen: set[str] = set()
        for i, k in enumerate(keys):
            if k in seen:
                first[i] = False
                warn(f"{files.file(i).display_path}: skipped, {k} is already indexed from another root")
                report.skipped_files += 1
            seen.add(k)
    rows = manifest.rows(keys)
    known = (rows >= 0) & first
    r = np.where(known, rows, 0)
    mtimes = np.frombuffer(files.mtimes, np.int64) if len(keys) else np.zeros(0, np.int64)
    sizes = np.frombuffer(files.sizes, np.int64) if len(keys) else np.zeros(0, np.int64)
    if len(manifest.keys):
        unchanged = known & (manifest.mtime[r] == mtimes) & (manifest.size[r] == sizes) & \
            ((manifest.flags[r] & (RETRY | SKIPPED)) == 0)
    else:
        unchanged = np.zeros(len(keys), bool)
    report.unchanged += int(manifest.counts[rows[unchanged]].sum()) if len(manifest.keys) else 0
    # files gone free their ids
    seen_rows = np.zeros(len(manifest.keys), bool)
    seen_rows[rows[known]] = True
    for key in manifest.removed_rows(seen_rows):
        if key not in manifest._changed:
            _forget(key, manifest, plan)
            plan.changed = True
    to_read = np.flatnonzero(first & ~unchanged).tolist()
    if to_read:  # ids are checked only when there is something to read
        plan.taken.update(manifest.record_ids(rows[unchanged]))

    new_text = []
    for i in to_read:
        f = files.file(i)
        plan.changed = True
        if rows[i] < 0 and f.key not in manifest and not f.is_jsonl:
            new_text.append((f, i))
        else:
            _read(f, manifest, max_bytes, plan, warn, report)
    del to_read
    # A text file's one article has its key's id, so new text files with
    # different ids can be read by different workers. The few that share an
    # id (`a.txt`, `a.TXT`) are read here, the first keeping it.
    ids = Counter(f.article_id for f, _ in new_text)
    for f, i in new_text:
        if ids[f.article_id] > 1:
            _read(f, manifest, max_bytes, plan, warn, report)
        else:
            plan.new_files.append(i)
    report.added, report.updated, report.deleted = len(plan.add), len(plan.update), len(plan.delete)
    return plan


def _read(f, manifest: dict, max_bytes: int, plan: _Plan, warn, report: Report):
    """Reads a changed or new file into the plan and its manifest entry."""
    old = manifest.get(f.key)
    try:
        if (old and not (old.get("skipped") or old.get("retry"))
                and old["digest"] == digest(f)):  # touched, not changed
            manifest[f.key] = old | {"mtime_ns": f.mtime_ns, "size": f.size}
            report.unchanged += len(old["records"])
            plan.taken.update(old["records"])
            return
    except SkipFile as e:  # (the digest's)
        entry, kept, skipped = _skipped_entry(f, e, warn), [], (1, 0)
    else:
        entry, kept, skipped = _read_file(f, max_bytes, plan.taken, warn)
    report.skipped_files += skipped[0]
    report.skipped_articles += skipped[1]
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


def _read_file(f, max_bytes: int, taken: set, warn,
               take: bool = True) -> tuple[dict, list, tuple[int, int]]:
    """Reads `f`: its manifest entry, the (article, record hash, record) of
    its articles with free ids (taking the ids), and what it skipped: (files,
    articles) — the file, or its records that were bad or whose ids were taken."""
    try:
        articles, digest, bad = read_articles(f, max_bytes, warn)
    except SkipFile as e:
        return _skipped_entry(f, e, warn), [], (1, 0)
    records, kept, lost = _take(f, articles, taken, warn, take)
    empty = not articles and not f.is_jsonl  # an empty text file (warned about as such)
    return _entry(f, digest, records, retry=bool(lost)), kept, (int(empty), bad + lost)


def _take(f, articles: list[Article], taken: set, warn, take: bool = True) -> tuple[dict, list, int]:
    """The manifest records and (article, record hash, record: see
    Article.record) of the articles of `f` whose ids are free, taking
    the ids; and how many were not free."""
    records, kept, lost = {}, [], 0
    for art in articles:
        if art.id in taken:
            warn(_taken(f, art.id))
            lost += 1
            continue
        if take:
            taken.add(art.id)
        record = art.record()
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


def _skipped_entry(f, why: SkipFile, warn) -> dict:
    warn(f"{f.display_path}: {why}")
    return _entry(f, "", {}, skipped=str(why))


class _Items:
    """The plan's items in order: articles read already ((key, article,
    hash)), then new text files, by their numbers in the scan (no object per
    file until the process that indexes it reads it)."""

    def __init__(self, read: list, scan, new):
        self.read, self.scan, self.new = read, scan, np.asarray(new, np.int64)

    def __len__(self) -> int:
        return len(self.read) + len(self.new)

    def sizes(self) -> np.ndarray:
        """Each item's share of indexing work: its text, plus what every document costs."""
        read = np.fromiter((len(art.body) for _, art, _ in self.read), np.int64, len(self.read))
        new = np.frombuffer(self.scan.sizes, np.int64)[self.new] if len(self.new) else \
            np.zeros(0, np.int64)
        return np.concatenate([read, new]) + 500

    def part(self, a: int, b: int) -> "_Items":
        r = len(self.read)
        return _Items(self.read[a:min(b, r)], self.scan, self.new[max(a - r, 0):max(b - r, 0)])

    def __iter__(self):
        yield from self.read
        for i in self.new.tolist():
            yield i


def _apply(writer, plan: _Plan, vocab: Counter, manifest: Manifest, report: Report, warn, *,
           files, jobs: int, max_bytes: int, memory: int, progress) -> bool:
    """Hands the plan to the writer; returns whether the index changes."""
    items = _Items(plan.update + plan.add, files, plan.new_files)
    if not (len(items) or plan.delete):
        return plan.changed
    done = 0

    def advance(n: int):
        nonlocal done
        done += n
        if progress:
            progress(done, len(items))

    # An update is a delete of the old version plus an add.
    writer.delete(plan.delete + [art.id for _, art, _ in plan.update])
    logs = _index_items(writer, items, plan.taken, vocab, max_bytes=max_bytes, memory=memory,
                        jobs=jobs, advance=advance)
    added = _settle(logs, files, manifest, report, warn)
    return bool(plan.add or plan.update or plan.delete or added) or plan.changed


def _index_items(writer, items: _Items, taken: set, vocab: Counter, *, max_bytes: int,
                 memory: int, jobs: int, advance) -> list:
    """Analyses and adds the items: in worker processes, each a contiguous
    run of the items, or here. Returns what the new files gave (a _ReadLog
    per run), in item order."""
    procs = min(jobs, max(2, len(items) // DOCS_PER_WORKER))
    if procs < 2 or len(items) < MIN_PARALLEL or not workers.can_fork():
        token, log, words = _index_run(lambda m: advance(m[1]), writer, memory, items,
                                       taken, max_bytes)
        writer.adopt(token)
        vocabulary.add_words(vocab, words)
        return [log]
    runs = _split(items, procs)
    buffer = _worker_memory(memory, procs)
    done: dict[int, tuple] = {}
    with workers.Pool(_index_run, [(writer, buffer, run, taken, max_bytes) for run in runs]) as pool:
        for k, message in pool.messages():
            if message[0] == "progress":
                advance(message[1])
            elif message[0] == "done":
                done[k] = message[1]
            elif message[0] == "error":
                raise message[1]
            else:
                raise workers.WorkerDied(f"an index worker stopped ({_how(message[1])})")
    # The parts' segments merged in fresh processes (their workers held
    # word tables), as many side by side as the memory budget allows.
    tokens = [done[k][0] for k in range(len(runs))]
    merged: dict[int, object] = {}
    for wave in _waves(list(range(len(tokens))), [writer.merge_cost(t) for t in tokens], memory):
        with workers.Pool(_merge_part, [(writer, tokens[k]) for k in wave]) as pool:
            for i, message in pool.messages():
                if message[0] == "done":
                    merged[wave[i]] = message[1]
                elif message[0] == "error":
                    raise message[1]
                elif message[0] == "died":
                    raise workers.WorkerDied(f"a merge worker stopped ({_how(message[1])})")
    logs = []
    for k in range(len(runs)):  # in item order
        _, log, words = done[k]
        writer.adopt(merged[k])
        vocabulary.add_words(vocab, words)
        logs.append(log)
    return logs


def _how(exitcode: int | None) -> str:
    """How a worker ended: killed by a signal (negative) or with an exit code."""
    return f"killed by signal {-exitcode}" if exitcode and exitcode < 0 else f"exit code {exitcode}"


def _waves(ks: list[int], costs: list[int], memory: int) -> list[list[int]]:
    """The ks in groups whose costs together fit the memory (one alone
    always runs, whatever its cost)."""
    waves: list[list[int]] = []
    total = memory + 1
    for k, cost in zip(ks, costs):
        if total + cost > memory:
            waves.append([])
            total = 0
        waves[-1].append(k)
        total += cost
    return waves


def _merge_part(send, writer, token):
    return writer.merge_part(token)


def _split(items: _Items, parts: int) -> list[_Items]:
    """Contiguous runs of about equal total size."""
    ends = np.cumsum(items.sizes())
    if not len(ends):
        return []
    cuts = np.searchsorted(ends, ends[-1] * np.arange(1, parts) / parts, side="left") + 1
    bounds = [0, *cuts.tolist(), len(items)]
    return [items.part(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


class _ReadLog:
    """What a run's new files gave, for the manifest and the report. Most
    files (one article, the file's own id, nothing skipped or warned) are a
    row of columns, a few bytes each: a worker of a million files would
    otherwise hold and send a dict per file."""

    def __init__(self):
        self.index = array("q")   # the file's number in the scan
        self.digest = bytearray()  # 16 bytes each
        self.hash = bytearray()    # 12 bytes each: its article's record hash
        self.fmt = bytearray()     # its article's format, a number into self.formats
        self.formats: dict[str, int] = {}
        self.other: list[tuple] = []  # (key, entry, warnings, added, files, articles skipped)

    def add(self, f, index: int, entry: dict, warnings: list, added: int, skipped: tuple):
        records = entry["records"]
        if (not warnings and added == 1 and skipped == (0, 0) and len(records) == 1
                and "skipped" not in entry and "retry" not in entry and entry["digest"]):
            (rid, (h, fmt)), = records.items()
            if rid == f.article_id and h:
                self.index.append(index)
                self.digest += bytes.fromhex(entry["digest"])
                self.hash += bytes.fromhex(h)
                self.fmt.append(self.formats.setdefault(fmt, len(self.formats)))
                return
        self.other.append((f.key, entry, warnings, added, *skipped))


def _index_run(send, writer, buffer: int, items: _Items, taken: set, max_bytes: int):
    """Analyses a run of items into a part of the writer (in a worker process,
    or here). Returns (the part's token, a _ReadLog, the words counted)."""
    part = writer.part(buffer)
    batcher = Batcher()
    log, articles, stored = _ReadLog(), [], []
    for n, item in enumerate(items, 1):
        for art, data in _articles_of(item, items.scan, taken, max_bytes, log):
            articles.append(art)
            stored.append(data)
        if len(articles) >= BATCH_DOCS:
            part.add(batcher.batch(articles, stored))
            articles, stored = [], []
        if n % PROGRESS_EVERY == 0:
            send(("progress", PROGRESS_EVERY))
    if articles:
        part.add(batcher.batch(articles, stored))
    send(("progress", len(items) % PROGRESS_EVERY))
    return part.finish_part(), log, batcher.vocabulary


def _articles_of(item, scan, taken: set, max_bytes: int, log: _ReadLog) -> list[tuple[Article, str]]:
    """An item's articles with their stored JSON: a new text file (its number
    in the scan) is read here, its result logged; an article read already is
    taken as it is."""
    if isinstance(item, int):
        f = scan.file(item)
        warnings: list[str] = []
        # (new text files have ids no other new file has: the plan saw to it;
        # they are checked against the ids kept, not added to them)
        entry, kept, skipped = _read_file(f, max_bytes, taken, warnings.append, take=False)
        log.add(f, item, entry, warnings, len(kept), skipped)
        return [(art, stored_json(art, record, f.key, h)) for art, h, record in kept]
    key, art, h = item
    return [(art, stored_json(art, None, key, h))]


def _settle(logs: list[_ReadLog], scan, manifest: Manifest, report: Report, warn) -> int:
    """Reports what was read of the new files, in file order, and enters
    the files in the manifest; returns how many articles they added."""
    added = 0
    for log in logs:
        for key, entry, warnings, n, skipped_files, skipped_articles in log.other:
            for msg in warnings:
                warn(msg)
            report.skipped_files += skipped_files
            report.skipped_articles += skipped_articles
            added += n
            manifest[key] = entry
        if len(log.index):
            manifest.add_rows(scan, np.frombuffer(log.index, np.int64), bytes(log.digest),
                              bytes(log.hash), bytes(log.fmt), list(log.formats))
            added += len(log.index)
    report.added += added
    return added


def _load_manifest(gen: str, user_data: dict, backend, warn) -> Manifest:
    """The manifest the last commit names, or one rebuilt from the stored
    articles if it is missing or damaged (then every file is hashed again)."""
    name = user_data.get("manifest")
    if name:
        try:
            return Manifest.load(os.path.join(gen, name))
        except (OSError, ValueError, KeyError, TypeError) as e:
            what = str(e) if isinstance(e, Damaged) else f"{os.path.join(gen, name)}: {e}"
            warn(f"{what}; the manifest is made anew from the index (every file is read again)")
    manifest = Manifest()
    reader = backend.reader(gen)
    try:
        for docnum in range(reader.max_doc):
            if reader.is_deleted(docnum):
                continue
            stored = json.loads(reader.stored(docnum))
            key = stored.get("source") or stored["id"]
            entry = manifest.get(key) or {"mtime_ns": -1, "size": -1, "digest": "", "records": {}}
            entry["records"][stored["id"]] = [stored.get("record_hash", ""),
                                              stored.get("format", "generic")]
            manifest[key] = entry
    finally:
        reader.close()
    return manifest
