"""The `head` field's postings: one field made of weighted parts (BM25F)."""
from __future__ import annotations

from collections import defaultdict

import pytest

from searchidx.analysis import german_analyzer
from searchidx.engine.schema import make_schema
from whoosh import formats

from searchidx.engine import schema

HEAD = {"title": "Raketen über Japan: Kim-Regime droht",
        "kicker": "Nordkorea",
        "lead": "Das Kim-Regime feuert Raketen ab. Japan warnt vor weiteren Raketentests.",
        "image_caption": "Raketen, Raketen, Raketen"}


def _reference(value):
    """Each part through the analysis chain, positions shifted to the part's span."""
    field = make_schema()["head"]
    poses, weights = defaultdict(list), defaultdict(float)
    for part, text in value.items():
        start, end = field.part_span(part)
        for t in german_analyzer()(text, positions=True, mode="index"):
            if not t.stopped and t.pos < end - start:
                poses[t.text].append(t.pos + start)
                weights[t.text] += schema.HEAD_WEIGHTS[part]
    return {term: sorted(p) for term, p in poses.items()}, dict(weights)


@pytest.mark.parametrize("parts", [list(HEAD), ["title"], ["lead"], ["kicker", "image_caption"]])
def test_head_postings_sum_weighted_parts_at_separate_positions(parts):
    value = {part: HEAD[part] for part in parts}
    field = make_schema()["head"]
    terms, freqs, weights, values = field.doc_postings(value)
    want_poses, want_weights = _reference(value)
    decode = formats.Positions().decode_positions
    assert dict(zip(terms, map(decode, values))) == want_poses
    assert dict(zip(terms, weights)) == pytest.approx(want_weights)
    assert freqs == [len(want_poses[t]) for t in terms]
    # the cache's shared position lists were not changed by the shifting
    assert field.doc_postings(value) == (terms, freqs, weights, values)


def test_parts_hold_fixed_spans_and_words_past_a_span_are_dropped(monkeypatch):
    monkeypatch.setattr(schema, "PART_STRIDE", 4)
    field = make_schema()["head"]
    spans = [field.part_span(p) for p in schema.HEAD_WEIGHTS]
    assert spans[0] == (0, 4) and all(a[1] == b[0] for a, b in zip(spans, spans[1:]))
    value = {"title": "eins zwei drei vier fünf sechs", "lead": "sieben acht"}
    want_poses, _ = _reference(value)
    terms, _, _, values = field.doc_postings(value)
    got = dict(zip(terms, map(formats.Positions().decode_positions, values)))
    assert got == want_poses and set(got) == {"ein", "zwei", "drei", "vier", "sieb", "acht"}
    assert got["sieb"] == [spans[2][0]]  # the lead's first word
