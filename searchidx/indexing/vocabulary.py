"""The spelling vocabulary: the words of the indexed text (lowercase, as
written) with their counts, the candidates for correcting a query's typos.
Indexing counts them as it analyses each batch (documents.Batcher) and
writes them with each commit, a file the commit names. Words of deleted
articles linger until a rebuild, which is harmless: a correction is checked
against the index itself."""
from __future__ import annotations

import os
import re
from collections import Counter

_WORD = re.compile(r"[^\W\d_]{3,40}")


def add_words(vocab: Counter, words: Counter):
    """Counts of words as the tokenizer found them in the texts (`Kim-Regime`,
    `8.000`) added as vocabulary words (`kim`, `regime`)."""
    for word, n in words.items():
        low = word.lower()
        if low.isalpha() and 3 <= len(low) <= 40:  # most words: as they are
            vocab[low] += n
        else:
            for w in _WORD.findall(low):
                vocab[w] += n


def load(path: str) -> Counter:
    vocab: Counter = Counter()
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                word, _, count = line.rstrip("\n").partition("\t")
                if word and count.isdigit():  # a damaged line is a lost count, not an error
                    vocab[word] = int(count)
    except FileNotFoundError:
        pass
    return vocab


def save(path: str, vocab: Counter):
    """Writes the words in code point order: the file (and so which of two
    equally near and frequent words corrects a typo) does not depend on the
    order in which indexing met them, which differs between worker processes."""
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(f"{w}\t{c}\n" for w, c in sorted(vocab.items()))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
