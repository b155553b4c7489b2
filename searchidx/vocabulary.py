"""The words of the indexed text (lowercase, as written) with their counts:
the candidates for correcting a query's typos. Kept beside the index as
`vocab.tsv`; words of deleted articles linger until a rebuild, which is
harmless because corrections are checked against the index itself."""
from __future__ import annotations

import os
import re
from collections import Counter

from .article import Article

FILE = "vocab.tsv"
_WORD = re.compile(r"[^\W\d_]{3,40}")


def add(vocab: Counter, art: Article):
    for text in (art.title, art.kicker, art.lead, art.image_caption, art.body):
        if text:
            vocab.update(_WORD.findall(text.lower()))


def load(gen: str) -> Counter:
    vocab: Counter = Counter()
    try:
        with open(os.path.join(gen, FILE), encoding="utf-8") as f:
            for line in f:
                word, _, count = line.rstrip("\n").partition("\t")
                if word and count.isdigit():  # a damaged line is a lost count, not an error
                    vocab[word] = int(count)
    except FileNotFoundError:
        pass
    return vocab


def save(gen: str, vocab: Counter):
    tmp = os.path.join(gen, FILE + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.writelines(f"{w}\t{c}\n" for w, c in vocab.items())
    os.replace(tmp, os.path.join(gen, FILE))
