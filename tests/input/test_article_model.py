"""Article.to_dict is hand-written for speed: it must stay what asdict gives."""
from __future__ import annotations

from dataclasses import asdict, fields

from searchidx.model import Article


def test_to_dict_is_asdict_without_format_and_a_copy():
    art = Article(id="a", path="p", title="T", kicker="K", lead="L", image_caption="C",
                  body="B", location="Ort", date="2024-06", links=[{"number": 1, "target": "x"}],
                  authors=["A"], tags=["t"], related=[{"title": "r", "teaser": "s"}],
                  format="taz")
    expected = asdict(art)
    del expected["format"]
    d = art.to_dict()
    assert d == expected and list(d) == [f.name for f in fields(Article) if f.name != "format"]
    d["links"][0]["target"] = "changed"
    d["tags"].append("new")
    assert art.links[0]["target"] == "x" and art.tags == ["t"]
