"""Words of letters and digits (issue 17's variants): `Windows7` and
`Windows 7` find each other, but a number that stands beside a word by
chance (across a sentence's end) does not make them one name; a snippet
and a concordance show the word as written."""
import pytest

from support import index_of_articles

_PRICES = [(f"preis{i}", "Preise", "Das Ticket kostet 50 Euro, sagte der Händler "
            f"am Markt {i}.") for i in range(150)]
_TWENTY = "Die Zahl 20 fiel oft: 20 Minister, 20 Stunden, 20 Reden. "
_QUIET = "Die Lage blieb ruhig, die Polizei sperrte die Straßen der Stadt weiträumig ab. " * 3
ARTICLES = [
    ("win7", "Software", "Microsoft stellt Windows 7 ein, Nutzer sollen wechseln."),
    ("win7b", "Umstieg", "Wer noch Windows7 nutzt, bekommt keine Updates mehr."),
    ("satz", "Büro", "Das Amt arbeitet nun mit Linux statt Windows. 7 Mitarbeiter wechseln."),
    ("rom", "Gipfel", "Der G 20 tagte in Rom."),
    ("gipfel", "Treffen", (_TWENTY + _QUIET) * 3 + "Am Ende tagte der G20 in der Halle."),
    ("schule", "Schule", "Die Kosten stiegen um eine Million Euro. 50 Schüler klagten."),
] + _PRICES


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    # (without "statt Windows. 7": a phrase knows no punctuation, see the last test)
    few = [a for a in ARTICLES[:5] if a[0] != "satz"]
    index = index_of_articles(tmp_path_factory.mktemp("digits"), few, "2024-03")
    yield index
    index.close()


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    index = index_of_articles(tmp_path_factory.mktemp("digits-big"), ARTICLES, "2024-03")
    yield index
    index.close()


def _ids(result):
    return [h.id.rsplit("/", 1)[-1] for h in result.hits]


def test_a_concordance_of_a_word_and_number_shows_both_spellings(ix):
    found = ix.kwic("Windows 7")
    assert sorted(x.match for x in found.lines) == ["Windows 7", "Windows7"]


def test_the_snippet_shows_the_word_not_its_pieces(ix):
    # "20" in three places far apart (a piece of "G 20", as another article
    # writes it), G20 once at the end
    hit = next(h for h in ix.search("G20").hits if h.id.endswith("/gipfel"))
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
    assert "G20" in marked, hit.snippet.text


def test_a_number_beside_a_word_by_chance_is_no_name(big):
    # "Euro 50" stands together once, across a sentence's end, among 150
    # articles with Euro and a number: Euro50 is not spaced
    assert _ids(big.search("Euro50")) == []
    # Windows 7 stands together in both of Windows' articles
    assert set(_ids(big.search("Windows7"))) >= {"win7", "win7b"}
