"""The spelling vocabulary: the words of the indexed text (lowercase, as
written) with their counts, the candidates for correcting a query's typos.
Indexing counts them as it analyses each batch (documents.Batcher) and
writes them with each commit, a file the commit names. Words of deleted
articles linger until a rebuild, which is harmless: a correction is checked
against the index itself.

The file is a line per word (`word<TAB>count`) and a last line with the
number of words and the CRC-32 of the lines before it. A missing or damaged
file is not the end of typo correction: the words are taken from the
index's own term dictionaries instead (from_index), and the next index run
writes them back. Those are analysed terms (folded, light-stemmed:
`munchen`, `regierung`), so until a rebuild a correction may be shown in
that form; it finds the same articles.
"""
from __future__ import annotations

import re
from collections import Counter

from .. import checksums
from ..analysis.tokenize import ELIDED
from ..checksums import Damaged

_WORD = re.compile(r"[^\W\d_]{3,40}")
_FOOTER = b"#words\t"


def add_words(vocab: Counter, words: Counter):
    """Counts of words as the tokenizer found them in the texts (`Kim-Regime`,
    `8.000`) added as vocabulary words (`kim`, `regime`)."""
    for word, n in words.items():
        low = word.lower().split(ELIDED, 1)[0]  # (`Click` of `Click- und Crowdworker`)
        if low.isalpha() and 3 <= len(low) <= 40:  # most words: as they are
            vocab[low] += n
        else:
            for w in _WORD.findall(low):
                vocab[w] += n


def load(path: str) -> Counter:
    """The words of a vocabulary file; Damaged if it is missing, cut short or changed."""
    body, count = _checked(path)
    vocab: Counter = Counter()
    try:
        for line in body.decode("utf-8").splitlines():
            word, _, n = line.partition("\t")
            vocab[word] = int(n)
    except ValueError:
        raise Damaged(path, "a line is not `word<TAB>count`") from None
    if len(vocab) != count:
        raise Damaged(path, "fewer words than it says")
    return vocab


def check(path: str) -> None:
    """Damaged unless the file's checksum matches (its words are not parsed)."""
    _checked(path)


def _checked(path: str) -> tuple[bytes, int]:
    """(the word lines, the number of words the checksum line gives)."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise Damaged(path, "missing") from None
    cut = raw.rfind(b"\n", 0, len(raw) - 1) + 1  # where the last line starts
    body, footer = raw[:cut], raw[cut:]
    if not footer.startswith(_FOOTER) or not footer.endswith(b"\n"):
        raise Damaged(path, "no checksum line (cut short?)")
    count, _, digest = footer[len(_FOOTER):-1].partition(b"\t")
    if digest != b"%08x" % checksums.crc(body) or not count.isdigit():
        raise Damaged(path, "checksum mismatch")
    return body, int(count)


def save(path: str, vocab: Counter):
    """Writes the words in code point order: the file (and so which of two
    equally near and frequent words corrects a typo) does not depend on the
    order in which indexing met them, which differs between worker processes."""
    body = "".join(f"{w}\t{c}\n" for w, c in sorted(vocab.items())).encode("utf-8")
    footer = _FOOTER + b"%d\t%08x\n" % (len(vocab), checksums.crc(body))
    checksums.write_atomic(path, body + footer)


def from_index(reader) -> Counter:
    """The words of the index's term dictionaries (head and body) with their
    occurrences: what replaces a missing or damaged vocabulary file."""
    from ..analysis.words import PART_MARK
    from . import fields as F

    vocab: Counter = Counter()
    for field in (F.HEAD, F.BODY):
        for term, n in reader.term_counts(field).items():
            if not term.startswith(PART_MARK) and _WORD.fullmatch(term):
                vocab[term] += n
    return vocab


def of_reader(reader, gen_path: str, warn=None) -> Counter:
    """The vocabulary the reader's commit names, or, if it is missing or
    damaged, the words of the index (from_index)."""
    import os

    name = reader.user_data.get("vocabulary")
    if name:
        try:
            return load(os.path.join(gen_path, name))
        except (Damaged, OSError) as e:
            if warn:
                what = str(e) if isinstance(e, Damaged) else f"{e.filename}: {e.strerror}"
                warn(f"{what}; the spelling vocabulary is taken from the index's words")
    return from_index(reader)
