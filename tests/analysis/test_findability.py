"""Issue 3's examples end to end: each query finds the article written the other way."""
import pytest

from searchidx import Index

ARTICLES = {
    "bahnhof": "Der Weltraumbahnhof im Osten wurde besichtigt.",
    "lieferung": "Die Waffenlieferungen an die Armee gehen weiter.",
    "pendler": "Die Pauschale für Pendler soll steigen, sagt der Minister.",
    "hongkong": "In Hongkong demonstrierten Tausende.",
    "hong-kong": "Die Börse in Hong Kong schloss fester.",
    "regime": "Das Kim-Regime testete Raketen.",
    "shenzhou": "Die Raumkapsel Shenzhou-7 ist gelandet.",
    "email": "Er schrieb eine E-Mail an den Bürgermeister.",
    "muenchen": "Das Oktoberfest in München beginnt am Samstag.",
    "strasse": "Die Straße nach Süden ist gesperrt.",
    "genitiv": "Nordkoreas Führung und Putins Besuch.",
    "ostsee": "Ein Sturm über der Ostsee brachte Hochwasser.",
}


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("find")
    for name, text in ARTICLES.items():
        (corpus / f"{name}.txt").write_text(f" date 2024-01 {text}\n", encoding="utf-8")
    index = Index(str(tmp_path_factory.mktemp("find-ix") / "index"))
    index.index([str(corpus)])
    yield index
    index.close()


def found(ix, query, **kw):
    return [h.id for h in ix.search(query, **kw).hits]


@pytest.mark.parametrize("query,article", [
    ("Bahnhof", "bahnhof"), ("Lieferung", "lieferung"), ("Pendlerpauschale", "pendler"),
    ("Hong Kong", "hongkong"), ("Hongkong", "hong-kong"), ("Kim Regime", "regime"),
    ("Regime", "regime"), ("Kim-Regime", "regime"), ("Shenzhou 7", "shenzhou"),
    ("Email", "email"), ("Muenchen", "muenchen"), ("Munchen", "muenchen"),
    ("Strasse", "strasse"), ("Nordkorea", "genitiv"), ("Putin", "genitiv"),
    ("Buergermeister", "email"), ("Oktobrefest", "muenchen"), ("Hochwaser Ostsee", "ostsee"),
])
def test_query_finds_article(ix, query, article):
    assert article in found(ix, query)[:2], (query, found(ix, query))


def test_exact_compound_ranks_above_part_match(ix):
    assert found(ix, "Hongkong")[0] == "hongkong"
    assert found(ix, "Hong Kong")[0] == "hong-kong"


def test_one_unknown_word_does_not_hide_the_rest(ix):
    assert found(ix, "Oktoberfest Xylophonquartettzzz", correct=False) == ["muenchen"]


def test_more_matching_words_rank_higher(ix):
    assert found(ix, "Sturm Hochwasser Börse")[0] == "ostsee"


def test_typo_is_corrected_and_said(ix):
    res = ix.search("Oktobrefest")
    assert res.suggestion == "Oktoberfest" and res.hits[0].id == "muenchen"
    assert ix.search("Oktoberfest").suggestion is None
