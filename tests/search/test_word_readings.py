"""How a typed word is read (issue 17): the word itself above the word found
inside others, each occurrence counted once, neighbours written together
as one word, and no silent rewrite of a word the archive lacks."""
import pytest

from searchidx.backend.native.scoring import TIE

from support import index_of_articles

ARTICLES = [
    ("hand", "Ein langer Tag im Ministerium", "Der Minister sprach am Morgen lange mit der "
     "Presse über den Haushalt, die Steuern, die Renten und die Schulen des Landes, dann "
     "reichte er dem Gast die Hand und ging zum nächsten Termin in der Stadt."),
    ("handball", "Handball: Handballer siegen", "Im Handball siegte die Mannschaft. Handball "
     "ist beliebt, Handballspiele sind voll, der Handballverband jubelt."),
    ("flugzeug", "Das Flugzeug", "Ein Flugzeug landete in Köln, ein Flug nach Rom."),
    ("flug-zeug", "Flug und Zeug", "Ein Flug ging verloren, das Zeug blieb liegen, der Flug "
     "war kurz und das Zeug schwer."),
    ("hongkong", "Proteste in Hongkong", "In Hongkong demonstrierten Tausende gegen Peking."),
    ("kong", "King Kong im Kino", "Der Film King Kong läuft, Kong ist ein Affe, der Film "
     "über Kong gefällt, Hong heißt ein Koch in Peking."),
    ("kreuzfahrt", "Das Kreuzfahrtschiff", "Ein Kreuzfahrtschiff legte in Kiel an, die "
     "Verspätung betrug zwei Stunden."),
    ("buerger", "Bürger fordern Geld", "Die Bürger der Stadt fordern mehr Geld für Schulen."),
    ("fahrer", "Fahrer gesucht", "Der Fahrer des Busses und zwei Fahrern wurde gekündigt."),
    ("fahren", "Wir fahren los", "Sie fahren nach Hause, er fährt mit, wir fahren morgen."),
    ("ubahn", "Neue Linie", "Die U-Bahn fährt bald bis zum Flughafen der Stadt."),
    ("bahn", "Bahnchaos", "Die Bahn und ein U-Boot: kein Zug fuhr, die Bahn stand still."),
    ("fbi", "Ermittler", "Das FBI ermittelt, die Zentrale des FBI schweigt."),
    ("polizei", "Polizei im Einsatz", "Nach Angaben der Polizei blieb es ruhig."),
    ("orbiter", "Raumfahrt", "Der X-37B-Orbiter landete nach zwei Jahren im All."),
    ("windows", "Software", "Microsoft stellt Windows 7 ein, Nutzer sollen wechseln."),
    ("windows7", "Umstieg", "Wer noch Windows7 nutzt, bekommt keine Updates mehr."),
]


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    index = index_of_articles(tmp_path_factory.mktemp("readings"), ARTICLES, "2024-01")
    yield index
    index.close()


def _ids(result):
    return [h.id.rsplit("/", 1)[-1] for h in result.hits]


def test_the_word_itself_ranks_above_the_word_inside_others(ix):
    # Handball's article says "Hand" only inside compounds, many times and in the title
    assert _ids(ix.search("Hand"))[:2] == ["hand", "handball"]


def test_a_compound_and_its_parts_count_its_occurrence_once(ix):
    # Flugzeug's parts (_flug _zeug) stand at its own position: read as the word
    # or as its parts, it is one occurrence. Per field the best reading counts,
    # the others add a tie-breaking share (Lucene's DisjunctionMaxQuery).
    from searchidx.backend.native.scoring import TIE

    hit = ix.search("Flugzeug", explain=True).hits[0]
    assert hit.id.endswith("/flugzeug")
    total = float(hit.explanation[0].split()[0])
    forms = {}
    for line in hit.explanation[1:]:
        if line.startswith("  ") and not line.startswith("   ") and " in " in line:
            field = line.split(" in ")[1].split(" ")[0]
            forms.setdefault(field, []).append(float(line.split()[0]))
    assert any(len(v) > 1 for v in forms.values())  # word and parts both matched
    expected = sum(max(v) + TIE * (sum(v) - max(v)) for v in forms.values())
    assert total == pytest.approx(expected, abs=1e-3)  # (the lines show 4 decimals)
    assert total < sum(sum(v) for v in forms.values())


def test_neighbours_the_archive_writes_as_one_word_count_once(ix):
    res = ix.search("Hong Kong Peking")
    # Hongkong and Peking (both words of the query) beat Kong many times and Hong once
    assert _ids(res)[0] == "hongkong"


def test_a_compound_typo_is_corrected_though_its_parts_exist(ix):
    res = ix.search("Kreuzfahrschiff Verspätung")
    assert res.suggestion and "Kreuzfahrtschiff" in res.suggestion
    assert _ids(res)[0] == "kreuzfahrt"


def test_a_compound_the_archive_lacks_is_searched_by_its_parts_and_told(ix):
    res = ix.search("Bürgergeld")
    assert res.suggestion is None
    assert _ids(res) == ["buerger"]
    assert any("Bürgergeld" in n and "parts" in n for n in res.notices), res.notices


def test_a_word_found_nowhere_is_told(ix):
    res = ix.search("Clickworker Flugzeug")
    assert any("Clickworker" in n and "not in the archive" in n for n in res.notices)


def test_an_agent_noun_is_not_its_verb(ix):
    assert _ids(ix.search("Fahrer")) == ["fahrer"]
    assert "fahrer" not in _ids(ix.search("fahren"))


def test_question_words_are_not_reported_absent(ix):
    res = ix.search("Wozu dient ein Flugzeug")
    assert not any("Wozu" in n for n in res.notices), res.notices


def test_the_interrogative_adverbs_are_question_words(ix):
    res = ix.search("Wofür steht ein Flugzeug", explain=True)
    assert any(line.startswith("question: Wofür") for line in res.explained.rewrites), res.explained


def test_a_letter_before_a_word_is_a_lost_hyphen(ix):
    # `U Bahn` (a question stripped of its punctuation): U-Bahn, not a word Bahn and a word U
    res = ix.search("U Bahn Flughafen", explain=True)
    assert any(line.startswith("spacing: U Bahn -> Ubahn") for line in res.explained.rewrites), res.explained
    assert _ids(res)[0] == "ubahn"


def test_a_word_in_title_and_text_is_one_piece_of_evidence(ix):
    """BM25F: the fields are one, saturated once; the title's own score adds half."""
    hit = ix.search("Handball", explain=True).hits[0]
    assert hit.id.endswith("/handball")
    lines = [line.strip() for line in hit.explanation]
    combined = next(line for line in lines if " in head+body " in line)
    own = next(line for line in lines if " in head (x1, head's own score x0.5)" in line)
    head_alone = float(lines[lines.index(own) + 1].split()[0])
    assert float(own.split()[0]) == pytest.approx(head_alone * 0.5, abs=1e-3)
    term = lines[lines.index(combined) + 1]  # one term over both fields: one saturation
    assert term.split()[1] == "handball" and "head: tf=" in term and "body: tf=" in term


def test_a_genitive_s_the_stemmer_keeps_is_no_typo(ix):
    # `FBIs`: the archive has FBI; it was "corrected" to the stop word `bis` (nothing to search)
    res = ix.search("Zentrale des FBIs")
    assert res.suggestion is None
    assert _ids(res)[0] == "fbi"


def test_only_an_acronym_s_is_read_as_its_genitive(ix):
    # any other word plus s would make typos known words (`Kreditkries`: kreditkris)
    is_known = ix.searcher().is_known
    assert is_known("FBIs") and is_known("Affe")
    assert not is_known("Affeas") and not is_known("Kongz") and not is_known("fbis")


def test_a_typo_is_never_corrected_to_a_stop_word():
    from searchidx.query.rewrites import spelling

    corrector = spelling.Corrector(lambda: {"bis": 9000, "fbi": 3}, lambda w: True)
    assert corrector._closest("fbis") == ("fbi", 1)


@pytest.mark.parametrize("word", ["Polizeiangaben", "Flugzeug", "Handball", "Hongkong", "Bahn"])
def test_the_explanation_adds_up(ix, word):
    """Per group of forms (head+body as one field; head's own score) the best
    form plus TIE x the others, the groups added: the score. (A compound's
    parts found in the title but not all of them once added to the score.)"""
    for hit in ix.search(word, explain=True).hits:
        groups = {}
        for line in hit.explanation[1:]:
            if line.startswith("  ") and not line.startswith("   "):
                groups.setdefault(line.split(" in ")[1].split(" (")[0], []).append(float(line.split()[0]))
        expected = sum(max(v) + TIE * (sum(v) - max(v)) for v in groups.values())
        assert float(hit.explanation[0].split()[0]) == pytest.approx(expected, abs=1e-3), hit.explanation


def test_no_join_across_a_stop_word(ix):
    # after the stop words are gone, Flug and Zeug are neighbours: never typed together
    joined = [n for n in ix.search("Flug Zeug", explain=True).explained.rewrites if n.startswith("spacing")]
    assert joined == ["spacing: Flug Zeug -> Flugzeug (the archive writes it as one word)"]
    assert not [n for n in ix.search("Flug und Zeug", explain=True).explained.rewrites
                if n.startswith("spacing")]


@pytest.mark.parametrize("query, expected", [
    ("X37B", {"orbiter"}),              # the archive writes X-37B
    ("Windows7", {"windows", "windows7"}),  # "Windows 7", and Windows7 itself
    ("Windows 7", {"windows", "windows7"}),
])
def test_letters_and_digits_written_together_or_apart(ix, query, expected):
    assert set(_ids(ix.search(query))) == expected
