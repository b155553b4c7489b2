"""An adjective finds the noun it is made from and the other way (issue 17):
`liberianische Bevölkerung` finds `in Liberia leben`, `Russland Raketen`
finds `russische Raketen`; below articles that have the word itself."""
import pytest

from searchidx.query.rewrites import derivations

from support import index_of_articles

_FILLER = ("lange über die Steuern und das Geld der Städte im Westen, im Osten und im "
           "Süden des Landes, über die Schulen, die Renten und die Bahn, bis spät in die "
           "Nacht und den Morgen.")
ARTICLES = [
    ("liberia", "Landwirtschaft in Westafrika", "In Liberia leben die meisten Menschen von der "
     "Landwirtschaft. Die Bevölkerung wächst schnell, die Ernten reichen kaum."),
    ("ghana", "Landwirtschaft", "Die Landwirtschaft in Ghana verliert Arbeitskräfte."),
    ("raketen", "Manöver im Osten", "Die russischen Raketen wurden an die Grenze verlegt, "
     "das Militär übte tagelang."),
    ("moskau", "Raketen aus Russland", "Russland hat Raketen an die Grenze verlegt."),
    ("nordkorea", "Test", "Nordkorea testet Raketen. Die Raketen flogen weit."),
    ("tuerkei1", "Wahlen in der Türkei", "Die Türkei wählt ein neues Parlament."),
    ("tuerkei2", "Reise", "Im Sommer fuhren viele Familien in die Türkei und nach Spanien."),
    ("tuerkisch", "Türkische Chartermaschine gelandet", "Eine türkische Chartermaschine "
     "landete sicher, der türkische Pilot wurde gelobt."),
    ("staat", "Der Staat zahlt", "Der Staat zahlt die Hilfen aus."),
    ("griechen", "Urlaub", "Griechenland meldet mehr Touristen als je zuvor."),
    ("verhandlung", "Haushalt", "Die Verhandlung über den Haushalt dauerte die Nacht."),
    ("schreibt", "Kolumne", "Sie schreibt jede Woche über Politik."),
    ("ende", "Saisonende", "Am Ende der Saison stand der Abstieg fest."),
    ("arm", "Unfall", "Er brach sich den Arm, die Armen der Stadt halfen."),
    ("tokio", "Wahl", " ".join(3 * ["Die japanische Regierung und die japanischen Medien "
     "stritten " + _FILLER]) + "Dann wählte Japan einen neuen Premier."),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = index_of_articles(tmp_path_factory.mktemp("derivations"), ARTICLES, "2024-02")
    yield index
    index.close()


def _ids(result):
    return [h.id.rsplit("/", 1)[-1] for h in result.hits]


def _derived(ix, word):
    tree = ix.searcher().analyse(word).tree
    return [f.terms[0] for f in tree.forms if f.kind == "derived"]


def test_an_adjective_finds_the_place_it_is_made_from(ix):
    # Liberia's article says "Liberia", not "liberianisch"; Ghana's says
    # Landwirtschaft in its title and a shorter text
    assert _ids(ix.search("liberianische Landwirtschaft"))[:2] == ["liberia", "ghana"]
    assert _ids(ix.search("griechische Touristen")) == ["griechen"]


def test_a_place_finds_its_adjective_and_the_other_way(ix):
    # both words, one as its derivation, above one word twice (Nordkorea)
    assert _ids(ix.search("Russland Raketen")) == ["moskau", "raketen", "nordkorea"]
    ids = _ids(ix.search("russische Raketen"))  # (Moskau's has both in its title)
    assert set(ids[:2]) == {"raketen", "moskau"} and ids[2:] == ["nordkorea"]


def test_a_word_alone_ranks_its_own_articles_above_its_derivation(ix):
    # the Turkish plane says "türkisch" in its title and twice more: still below
    # every article that names Türkei, however briefly
    ids = _ids(ix.search("Türkei"))
    assert set(ids[:2]) == {"tuerkei1", "tuerkei2"}
    assert ids[2:] == ["tuerkisch"]


def test_derived_forms_are_those_the_index_holds(ix):
    assert _derived(ix, "griechischen") == ["griechenland"]
    assert _derived(ix, "russisch") == ["russland"]
    assert _derived(ix, "Russland") == ["russisch"]
    assert _derived(ix, "Ghana") == []  # (ghanaisch is not in the index)
    assert _derived(ix, "Wahlen") == []


def test_no_derivation_where_the_word_is_no_adjective_in_isch(ix):
    # compound nouns in -tisch are no adjectives: not Verhandlung, not `schreibt`
    assert _derived(ix, "Verhandlungstisch") == []
    assert _derived(ix, "Schreibtisch") == []
    # an adjective in -lich may have drifted from its noun: endlich is not Ende
    assert _derived(ix, "endlich") == []
    # armenisch is not arm (the stemmer's `armen`): the noun must keep the base
    assert "arm" not in _derived(ix, "armenische")


def test_a_word_excluded_is_excluded_alone(ix):
    # `-Russland` excludes articles with Russland, not those saying "russisch"
    assert _ids(ix.search("Raketen -Russland")) == ["nordkorea", "raketen"]


def test_the_snippet_shows_the_word_itself_before_its_derivation(ix):
    # "japanisch" in three places far apart, two forms each; "Japan" once, at the end
    hit = ix.search("Japan").hits[0]
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
    assert "Japan" in marked, hit.snippet.text


def test_kwic_counts_the_articles_with_the_word_itself(ix):
    found = ix.kwic("Russland")
    assert found.articles == 1 and {x.id.rsplit("/", 1)[-1] for x in found.lines} == {"moskau"}


@pytest.mark.parametrize("adjective, noun", [
    ("griechisch", "griechenland"), ("spanisch", "spanien"), ("mexikanisch", "mexiko"),
    ("liberianisch", "liberia"), ("vietnamesisch", "vietnam"), ("turkisch", "turkei"),
    ("kanadisch", "kanada"), ("politisch", "politik"), ("philosophisch", "philosophie"),
    ("bayerisch", "bayern"),
])
def test_the_pairs_make_the_noun_and_undo_it(adjective, noun):
    assert noun in {n for n, _ in derivations._nouns(adjective)}
    assert adjective in {a for a, _ in derivations._adjectives((noun,))}


def test_explain_names_the_derived_form(ix):
    res = ix.search("liberianische Bevölkerung", explain=True)
    hit = next(h for h in res.hits if h.id.endswith("/liberia"))
    lines = "\n".join(hit.explanation)
    assert "derived liberia" in lines
    assert "the noun the adjective is made from" in res.explained.final
