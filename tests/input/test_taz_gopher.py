from searchidx.input.formats import taz_gopher

from support import TAZ_SEED, read_one

SEED = TAZ_SEED.read_text(encoding="utf-8")


def read(text: str):
    return read_one(text, "taz_gopher")


def test_seed_fields():
    a = read(SEED)
    assert a.kicker == "Treffen von Putin und Kim"
    assert a.title == "Hand in Hand gegen den Westen"
    assert a.lead.startswith("Das Treffen zwischen Wladimir Putin")
    assert a.lead.endswith("abgestiegen ist.")
    assert a.image_caption == "Handschlag am Weltraumbahnhof: Kim Jong-un und Wladimir Putin"
    assert a.location == "MOSKAU"
    assert a.body.startswith("Erst die Besichtigung einer Angara-Rakete")
    assert a.date == "2023-09-13"
    assert a.authors == ["Inna Hartwich"]
    assert len(a.tags) == 10 and a.tags[0] == "Schwerpunkt Krieg in der Ukraine"
    assert a.links[0] == {"number": 1, "target": "/Sojus-Start-zur-ISS-ist-gescheitert/!5542538"}
    assert [l["number"] for l in a.links] == [1, 2, 3, 4]


def test_link_marks_reduced_to_text():
    a = read(SEED)
    assert "[1]" not in a.body and "][" not in a.body
    assert "Sojus-2-Raketenträgers" in a.body
    assert "empfing Putin den nordkoreanischen Machthaber am" in a.body


def test_subheads_kept_as_text_without_markup():
    a = read(SEED)
    assert "Putin und Kim brauchen einander\n" in a.body or \
        "\n\nPutin und Kim brauchen einander\n\n" in a.body
    assert "##" not in a.body


def test_related_teasers_kept_apart_from_article_text():
    a = read(SEED)
    assert len(a.related) == 6
    assert a.related[0]["title"] == "Linke in der Krise: Sie lässt nicht locker"
    assert "Wagenknecht" in a.related[0]["teaser"]
    for text in (a.title, a.kicker, a.lead, a.body, a.image_caption):
        assert "Wagenknecht" not in text
    assert "Selenski" not in a.body


def test_crlf_parses_like_lf():
    assert read(SEED.replace("\n", "\r\n")) == read(SEED)


def test_cr_only_parses_like_lf():
    assert read(SEED.replace("\n", "\r")) == read(SEED)


def test_without_date_line():
    a = read(SEED.replace("       13 Sep 2023\n", ""))
    assert a.date == ""
    assert a.body.endswith("Luftfahrt produziert.")


def cut_section(text: str, header: str) -> str:
    start = text.index(f"       ## {header}")
    nxt = text.find("       ## ", start + 5)
    return text[:start] + (text[nxt:] if nxt >= 0 else "")


def test_missing_sections():
    for header in ("LINKS", "AUTOREN", "TAGS", "ARTIKEL ZUM THEMA"):
        a = read(cut_section(SEED, header))
        assert a.title == "Hand in Hand gegen den Westen"
        assert a.date == "2023-09-13"
    assert read(cut_section(SEED, "AUTOREN")).authors == []
    assert read(cut_section(SEED, "TAGS")).tags == []
    assert read(cut_section(SEED, "LINKS")).links == []
    assert read(cut_section(SEED, "ARTIKEL ZUM THEMA")).related == []


def test_no_lead_no_image_no_kicker():
    text = "\n".join(line for line in SEED.split("\n")
                     if not line.strip().startswith(">") and "(IMG)" not in line)
    text = text.replace("Treffen von Putin und Kim: ", "", 1)
    a = read(text)
    assert (a.lead, a.image_caption, a.kicker) == ("", "", "")
    assert a.title == "Hand in Hand gegen den Westen"


def test_chosen_by_content_not_name():
    assert taz_gopher.matches(SEED)
    assert not taz_gopher.matches(" date 2024-06 Text")
