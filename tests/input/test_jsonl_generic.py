import io
import json

from searchidx.input.formats import jsonl, parse_text_file


def read_jsonl(lines, max_bytes=1 << 20):
    warnings = []
    data = "\n".join(lines).encode("utf-8")
    arts = list(jsonl.read_stream(io.BytesIO(data), "news/wiki", "wiki.jsonl", max_bytes,
                                  warnings.append))
    return arts, warnings


def test_records_get_stable_ids_and_fields():
    arts, warnings = read_jsonl([
        json.dumps({"id": 746, "title": "T", "date": "2004-12-03", "text": "A\n\nB",
                    "authors": ["X", "X"], "tags": "Politik"}),
        json.dumps({"title": "ohne id", "body": "C"}),
    ])
    assert warnings == []
    assert [a.id for a in arts] == ["news/wiki/746", "news/wiki/2"]
    assert arts[0].date == "2004-12-03" and arts[0].body == "A\n\nB"
    assert arts[0].authors == ["X"] and arts[0].tags == ["Politik"]
    assert arts[1].body == "C"


def test_bad_lines_warn_and_continue():
    arts, warnings = read_jsonl(['{"id": 1, "text": "ok"}', "{broken", "[1, 2]",
                                 '{"id": 1, "text": "dup"}', '{"id": 3, "title": {"x": 1}}'])
    assert [a.id for a in arts] == ["news/wiki/1"]
    assert len(warnings) == 4 and all(w.startswith("wiki.jsonl:") for w in warnings)


def test_bogus_placeholder_date_dropped():
    arts, _ = read_jsonl(['{"id": 1, "date": "0001-01-01", "text": "x"}'])
    assert arts[0].date == ""


def test_oversized_record_skipped():
    arts, warnings = read_jsonl(['{"id": 1, "text": "%s"}' % ("x" * 5000), '{"id": 2}'],
                                max_bytes=1000)
    assert [a.id for a in arts] == ["news/wiki/2"]
    assert "larger than 1000 bytes" in warnings[0]


def test_generic_text_first_line_is_title():
    arts = parse_text_file("Überschrift hier\n\nErster Absatz\nweiter.\n\nZweiter.".encode(),
                           "g", "g.txt", lambda m: None)
    assert arts[0].format == "generic"
    assert arts[0].title == "Überschrift hier"
    assert arts[0].body == "Erster Absatz weiter.\n\nZweiter."


def test_windows_1252_decoded_with_warning():
    warnings = []
    arts = parse_text_file("Der Bürgermeister grüßt.".encode("cp1252"), "w", "w.txt",
                           warnings.append)
    assert arts[0].title == "Der Bürgermeister grüßt."
    assert "Windows-1252" in warnings[0]
