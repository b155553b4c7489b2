from searchidx.input.formats import plain_dated

from support import PLAIN_SEED, read_one

SEED = PLAIN_SEED.read_text(encoding="utf-8")


def read(text: str):
    return read_one(text)


def test_seed_fields():
    a = read(SEED)
    assert a.format == "plain_dated"
    assert a.date == "2024-06"
    assert a.lead.startswith("Wladimir Putin sucht nach Waffen")
    assert a.lead.endswith("Zeiten der Sowjetunion.")
    assert a.body.startswith("Die Straßen Pjöngjangs sind blank geputzt.")
    assert "Rüstungsgüter für Nahrungsmittel" in a.body  # subhead kept as text
    assert a.authors == [] and a.tags == [] and a.kicker == ""
    assert a.title == "Wladimir Putin sucht nach Waffen, Kim Jong-un nach Aufwertung seines Regimes."


def test_crlf_and_bom():
    text = "\ufeff" + SEED.replace("\n", "\r\n")
    assert read(text) == read(SEED)


def test_full_date_and_no_teaser():
    a = read(" date 2024-06-19\n\nNur ein Absatz.\n")
    assert a.date == "2024-06-19" and a.lead == "" and a.body == "Nur ein Absatz."
    assert a.title == "Nur ein Absatz."


def test_invalid_date_is_empty():
    assert read(" date 2024-13 Teaser.\n\nText.\n").date == ""


def test_long_first_sentence_title_is_cut():
    title = plain_dated.derive_title("Wort " * 60)
    assert len(title) <= 102 and title.endswith("…")


def test_without_date_line_is_generic_text():
    a = read("\n".join(SEED.split("\n")[1:]))
    assert a.format == "generic"
