"""Many texts at once to term occurrences, for the index writer.

Each distinct word is analysed once (words.Analyzer) and kept as rows of
flat arrays: its tokens' term ids and relative positions, and its width.
A batch of texts becomes word ids with one regex pass and one dict lookup
per word (both C loops); numpy then expands the words into occurrences
(document, term, position, weight) for the whole batch at once, so no Python
code runs per token.

Term ids index one list shared by all analyzers of the process (`terms`),
which only grows until it is replaced by a new list when too large (the
writer maps only the terms added since its last batch)."""
from __future__ import annotations

from array import array

import numpy as np

from .. import runs

from .tokenize import text_words
from .words import Analyzer

MAX_TERMS = 2_000_000  # then a new term table (and word tables) for the next batches


class Terms:
    """The process's term table: term -> id, and the ids' terms (append-only)."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.list: list[str] = []

    def id(self, term: str) -> int:
        i = self.ids.get(term)
        if i is None:
            i = self.ids[term] = len(self.list)
            self.list.append(term)
        return i


class WordTable:
    """One analyzer's words seen so far, as flat arrays for numpy."""

    def __init__(self, analyzer: Analyzer, terms: Terms):
        self.analyzer, self.terms = analyzer, terms
        self.ids: dict[str, int] = {}
        self.words: list[str] = []  # word id -> the word
        self.first = array("I")   # per word: its first token in tok_term / tok_rel
        self.count = array("I")   # per word: its tokens
        self.width = array("I")   # per word: the positions it takes
        self.tok_term = array("I")
        self.tok_rel = array("I")

    def word_ids(self, words: list[str]) -> np.ndarray:
        """The words' ids; new words analysed and added first (found with set
        operations: C loops over a whole batch's words)."""
        ids = self.ids
        for word in set(words).difference(ids):
            self._add(word)
        return np.fromiter(map(ids.__getitem__, words), np.uint32, len(words))

    def _add(self, word: str) -> int:
        # (not through the analyzer's cache: this table is the cache here, and
        # the analyses of a whole archive's words would double its memory)
        tokens, width = self.analyzer.analyse_uncached(word)
        wid = self.ids[word] = len(self.first)
        self.words.append(word)
        self.first.append(len(self.tok_term))
        self.count.append(len(tokens))
        self.width.append(width)
        term_id = self.terms.id
        for t in tokens:
            self.tok_term.append(term_id(t.text))
            self.tok_rel.append(t.pos)
        return wid


class Occurrences:
    """Texts of one field for a batch of documents, expanded at once."""

    def __init__(self):
        self.words: list[str] = []        # every word of every text, in order
        self.text_words: list[int] = []   # words per text
        self.text_doc: list[int] = []     # the document of each text
        self.text_offset: list[int] = []  # the position of each text's first word
        self.text_weight: list[float] = []
        self.limit: int | None = None     # positions a text may take (its span)

    def add(self, doc: int, text: str, offset: int = 0, weight: float = 1.0):
        words = text_words(text)
        if not words:
            return
        self.words += words
        self.text_words.append(len(words))
        self.text_doc.append(doc)
        self.text_offset.append(offset)
        self.text_weight.append(weight)

    def expand(self, table: WordTable, docs: int, weighted: bool):
        """(doc, term, pos, weight or None, length per document) arrays;
        self.wids: each word's id."""
        self.wids = wids = table.word_ids(self.words)
        if not self.text_words:
            z = np.zeros(0, np.uint32)
            return z, z, z, (np.zeros(0, np.float32) if weighted else None), np.zeros(docs, np.uint32)
        first = np.frombuffer(table.first, dtype=np.uint32)[wids].astype(np.int64)
        count = np.frombuffer(table.count, dtype=np.uint32)[wids].astype(np.int64)
        width = np.frombuffer(table.width, dtype=np.uint32)[wids].astype(np.int64)
        n_words = np.asarray(self.text_words, dtype=np.int64)
        text_of_word = np.repeat(np.arange(len(n_words)), n_words)
        # each word's position in its text: the widths before it, from the text's start
        before = np.cumsum(width) - width
        text_start = np.cumsum(n_words) - n_words
        word_pos = before - before[text_start][text_of_word] \
            + np.asarray(self.text_offset, dtype=np.int64)[text_of_word]
        # one row per token
        tok = runs.indexes(first, count)
        word_of_tok = np.repeat(np.arange(len(wids)), count)
        term = np.frombuffer(table.tok_term, dtype=np.uint32)[tok]
        pos = word_pos[word_of_tok] + np.frombuffer(table.tok_rel, dtype=np.uint32)[tok]
        text_of_tok = text_of_word[word_of_tok]
        if self.limit is not None:  # words past a text's span are not indexed
            inside = (pos - np.asarray(self.text_offset, dtype=np.int64)[text_of_tok]) < self.limit
            if not inside.all():
                term, pos, text_of_tok = term[inside], pos[inside], text_of_tok[inside]
        doc = np.asarray(self.text_doc, dtype=np.uint32)[text_of_tok]
        weight = (np.asarray(self.text_weight, dtype=np.float32)[text_of_tok] if weighted else None)
        lengths = np.bincount(doc, minlength=docs).astype(np.uint32)
        return doc, term, pos.astype(np.uint32), weight, lengths
