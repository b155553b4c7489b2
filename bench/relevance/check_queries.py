r"""Sanity checks for bench/relevance/queries.tsv against the Wikinews articles.

For every query this file records the word forms the written article really contains
(``in_article``) and the variant forms the query uses instead (``not_in_article``); the
script checks both against the article body (titles are not indexed, so they are not used),
plus the format rules of the set: header, six categories with >= 14 queries each, exactly one
relevant id per query, 2-5 words, no article used more than twice, query != title.

Context rule (non-exact categories): the query words that occur verbatim in the article,
other than the declared variant forms, must together occur in at least MIN_CONTEXT_DF
articles. So the rest of the query cannot single the article out on its own; the variant
word has to be matched for the article to stand out. Words are lowercased ``\w+`` tokens.

It only looks at the article texts, never at any system's results.

    python bench/relevance/check_queries.py [--shared DIR]      # exit 1 on any problem
"""
import argparse
import collections
import json
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = ("inflection", "compound", "translit", "hyphen", "typo", "exact")
MIN_CONTEXT_DF = 3

# qid: (forms that must occur in the article body, variant forms that must NOT occur there)
# Forms are matched case-insensitively as whole words; a multi-word form matches with any
# whitespace in between, so "Hong Kong" is absent from an article that only says "Hongkong".
FORMS = {
    'infl-01': (['Ratzinger', 'Golf', 'Klicks'], ['Ratzingers', 'Klick']),
    'infl-02': (['Piraten', 'ertrunken', 'Lösegeld'], ['Pirat', 'ertrinkt']),
    'infl-03': (['reichsten Österreicher', 'gestorben'], ['reichster', 'stirbt']),
    'infl-04': (['Musharraf', 'Rücktrittsgesuch', 'Parlament'], ['Musharrafs', 'Rücktritt']),
    'infl-05': (['Rühmkorf', 'Tod'], ['Rühmkorfs']),
    'infl-06': (['Podolski', 'Wechsel'], ['Podolskis']),
    'infl-07': (['Gauck', 'Auslandsbesuch', 'Polen'], ['Gaucks', 'Besuch']),
    'infl-08': (['Kugeltaxis', 'Vochos', 'Mexiko'], ['Kugeltaxi', 'Vocho']),
    'infl-09': (['Überschwemmungen', 'mexikanischen Bundesstaat'], ['Überschwemmung', 'mexikanischer']),
    'infl-10': (['Paraguay', 'Notstand', 'Mücken'], ['Paraguays', 'Mücke']),
    'infl-11': (['Tübingen', 'Forscherteam', 'Zwittern'], ['Tübinger', 'Zwitter']),
    'infl-12': (['Schranke', 'Bahnübergang', 'Wärters'], ['Schranken', 'Bahnübergänge', 'Wärter']),
    'infl-13': (['Wallert', 'Entführern', 'festgenommen'], ['Wallerts', 'Entführer']),
    'infl-14': (['Taxifahrer'], ['Taxifahrers']),
    'comp-01': (['Gebühr für die Benutzung der Flugzeugtoiletten'], ['Toilettengebühr', 'Flugzeug']),
    'comp-02': (['Schiedsrichter', 'Schadensersatzansprüche', 'Ratenzahlungen'], ['Schadensersatz', 'Ratenzahlung']),
    'comp-03': (['Waldbrandgefahr', 'Gefahr', 'Deutschlands'], ['Waldbrand']),
    'comp-04': (['Verbot von Dieselfahrzeugen', 'Hamburg'], ['Dieselverbot']),
    'comp-05': (['Weihrauchfass', 'Köln'], ['Weihrauch', 'Fass']),
    'comp-06': (['Kennzeichnung von Lebensmitteln', 'Verbraucherportal', 'Verbraucher'], ['Lebensmittelkennzeichnung', 'Portal']),
    'comp-07': (['Click- und Crowdworker', 'Sozialversicherungspflicht'], ['Clickworker', 'Sozialversicherung']),
    'comp-08': (['Pflegeversicherung', 'Bürgerversicherungs-Modell', 'Beamten'], ['Pflege', 'Bürgerversicherung']),
    'comp-09': (['Steinbrück', 'Mehrwertsteuererhöhung', 'Haushaltsentwurf'], ['Mehrwertsteuer', 'Haushalt']),
    'comp-10': (['Internet', 'Sperre', 'Türkei'], ['Internetsperre']),
    'comp-11': (['Wasserstoff', 'Hybridkraftwerks'], ['Hybrid', 'Kraftwerk']),
    'comp-12': (['Produktrückruf', 'Milchschokolade', 'Mars'], ['Rückruf', 'Schokolade']),
    'comp-13': (['Frachter', 'Kohle', 'China'], ['Kohlefrachter']),
    'comp-14': (['Handels- und Industrieminister', 'Sierra Leone'], ['Handelsminister']),
    'tran-01': (['Rühmkorf'], ['Ruehmkorf']),
    'tran-02': (['erstochen', 'Gräfenhäuser Straße'], ['Graefenhaeuser', 'Strasse']),
    'tran-03': (['Konzert', 'Düsseldorf'], ['Duesseldorf']),
    'tran-04': (['Parlamentswahl', 'Äthiopien'], ['Aethiopien']),
    'tran-05': (['südamerikanische Regierungschefs', 'Gipfel'], ['suedamerikanische']),
    'tran-06': (['VW', 'Übernahmepoker', 'Rücktritt'], ['Uebernahme', 'Ruecktritt']),
    'tran-07': (['Ausstoß von CO2', 'Autos'], ['Ausstoss']),
    'tran-08': (['Sozialhilfeempfängern', 'März'], ['Sozialhilfeempfaenger', 'Maerz']),
    'tran-09': (['Junge', 'München'], ['Muenchen']),
    'tran-10': (['Oberbürgermeister', 'Roßberg', 'Verkauf'], ['Oberbuergermeister', 'Rossberg']),
    'tran-11': (['Polen', 'Regierung', 'Flüchtlinge'], ['Fluechtlinge']),
    'tran-12': (['Urvögel', 'Bayern'], ['Urvoegel']),
    'tran-13': (['Waldbrände', 'Indonesien'], ['Waldbraende']),
    'tran-14': (['mächtigste', 'Gewerkschaftsführer', 'ÖTV'], ['maechtigster', 'Gewerkschaftsfuehrer', 'OeTV']),
    'hyph-01': (['Hongkong', 'Peking'], ['Hong Kong']),
    'hyph-02': (['E-Mail-Interview', 'Regisseure'], ['Email']),
    'hyph-03': (['Cyberspace', 'Hackerangriffen', 'Obama'], ['Cyber Space', 'Hacker Angriffe']),
    'hyph-04': (['HI-Virus', 'Mittel'], ['HI Virus']),
    'hyph-05': (['Blu-ray-Discs', 'Standard'], ['Bluray']),
    'hyph-06': (['Formel-1-Pilot', 'Körperverletzung'], ['Formel 1 Pilot']),
    'hyph-07': (['Humboldt-Universität', 'Haftbefehl'], ['Humboldt Universität']),
    'hyph-08': (['Comersee', 'Fußballnationalspielerin', 'tot'], ['Comer See']),
    'hyph-09': (['Westjordanland', 'Siedlungen'], ['West-Jordanland']),
    'hyph-10': (['Quick-Step', 'Trikot', 'Etappe'], ['Quickstep']),
    'hyph-11': (['schwarz-grünen Koalition'], ['schwarzgrüne']),
    'hyph-12': (['Ze-0', 'Elektroautos'], ['Ze0']),
    'hyph-13': (['Schwarzwald-Bauernhof', 'Feuer'], ['Schwarzwaldbauernhof']),
    'hyph-14': (['Hackerkonferenz', 'Berlin'], ['Hacker-Konferenz']),
    'typo-01': (['Schlägerei', 'Flugzeuges', 'Pilot'], ['Schlägrei']),
    'typo-02': (['Mierscheid', 'Bundestagswahl 2005'], ['Mierscheidt']),
    'typo-03': (['Orkan', 'abgesagt'], ['Orkahn']),
    'typo-04': (['Kreuzfahrtschiff', 'Verspätung'], ['Kreuzfahrschiff']),
    'typo-05': (['Obama', 'Wahlkampf'], ['Wahlkamf']),
    'typo-06': (['Windows 7'], ['Windos']),
    'typo-07': (['Romney', 'Illinois'], ['Romeny']),
    'typo-08': (['Warrington', 'Präsident'], ['Warington']),
    'typo-09': (['Lateinamerika', 'Heimat'], ['Lateinamerka']),
    'typo-10': (['Subventionen', 'Griechenland'], ['Subventionan']),
    'typo-11': (['Raschkow', 'Festnahme'], ['Raschkov']),
    'typo-12': (['Unruhen', 'Xinjiang', 'Polizei'], ['Xinjang']),
    'typo-13': (['Erdbeben', 'Koblenz', 'Nachbeben'], ['Kobelnz']),
    'typo-14': (['Mandela', 'Geburtstag', 'Benefizkonzert'], ['Mandella', 'Benefitzkonzert']),
    'exact-01': (['Mars Express', 'Venus Express', 'Atmosphäre'], []),
    'exact-02': (['Bank of England', 'Liste', 'Terrorverdächtigen'], []),
    'exact-03': (['Schülerdatei', 'Herkunftssprache', 'Förderbedarf'], []),
    'exact-04': (['de Maizière', 'Persönlichkeitsrechte', 'Internetnutzern'], []),
    'exact-05': (['Susanne Albrecht', 'Lehrtätigkeit', 'Grundschule'], []),
    'exact-06': (['Bermudadreieck', 'ZDF', 'Dokumentarbericht'], []),
    'exact-07': (['Hintergrundmusik', 'Hörspiele', 'Carsten Bohn'], []),
    'exact-08': (['Verfassungsgericht', 'Thailand', 'Neuwahlen', 'annulliert'], []),
    'exact-09': (['Abhisit', 'Rothemden', 'Versöhnung'], []),
    'exact-10': (['Brandanschlag', 'Moschee', 'Westjordanland', 'Koran'], []),
    'exact-11': (['Waffenruhe', 'Resolution', '1701', 'Libanon'], []),
    'exact-12': (['Alkatiri', 'Militärputsch', 'Baucau'], []),
    'exact-13': (['Holztransporter', 'Wetzlarer Kreuz', 'Sauerlandlinie'], []),
    'exact-14': (['Rahmani Pur', 'hingerichtet', 'Berufungsgericht'], []),
}


def has_form(text, form):
    pat = r"(?<!\w)" + r"\s+".join(re.escape(p) for p in form.split()) + r"(?!\w)"
    return re.search(pat, text, re.I) is not None


def default_shared():
    env = os.environ.get("SEARCHIDX_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared"


def check(queries_path, data_path):
    with open(data_path, encoding="utf-8") as f:
        articles = {str(r["id"]): r for r in map(json.loads, f)}
    tokens = {i: set(re.findall(r"\w+", r["text"].lower())) for i, r in articles.items()}
    problems = []
    lines = Path(queries_path).read_text(encoding="utf-8").splitlines()
    if not lines or lines[0] != "qid\tcategory\tquery\tids":
        problems.append("header must be 'qid<TAB>category<TAB>query<TAB>ids'")
    cats, uses, qids = collections.Counter(), collections.Counter(), set()
    for n, line in enumerate(lines[1:], 2):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            problems.append(f"line {n}: expected 4 tab-separated fields")
            continue
        qid, cat, query, ids = parts
        where = f"{qid} ({query!r})"
        if qid in qids:
            problems.append(f"{where}: duplicate qid")
        qids.add(qid)
        if cat not in CATEGORIES:
            problems.append(f"{where}: unknown category {cat!r}")
        cats[cat] += 1
        if "," in ids or ids.strip() != ids or ids not in articles:
            problems.append(f"{where}: needs exactly one existing article id, got {ids!r}")
            continue
        uses[ids] += 1
        art = articles[ids]
        if not 2 <= len(query.split()) <= 5:
            problems.append(f"{where}: {len(query.split())} words, want 2-5")
        if query.strip().lower() == art["title"].strip().lower():
            problems.append(f"{where}: query is the title")
        if qid not in FORMS:
            problems.append(f"{where}: no entry in FORMS")
            continue
        present, absent = FORMS[qid]
        for f in present:
            if not has_form(art["text"], f):
                problems.append(f"{where}: article {ids} lacks {f!r}")
        for f in absent:
            if not has_form(query, f):
                problems.append(f"{where}: variant {f!r} is not in the query")
            if has_form(art["text"], f):
                problems.append(f"{where}: variant {f!r} occurs verbatim in article {ids}")
        if cat == "exact":
            missing = [w for w in re.findall(r"\w+", query)
                       if not has_form(art["text"], w)]
            if missing:
                problems.append(f"{where}: exact query words not in article: {missing}")
        elif not absent:
            problems.append(f"{where}: non-exact query without a variant form")
        else:
            variant_words = {w for f in absent for w in re.findall(r"\w+", f.lower())}
            context = [w for w in re.findall(r"\w+", query.lower())
                       if w not in variant_words and w in tokens[ids]]
            n_ctx = sum(1 for t in tokens.values() if all(w in t for w in context))
            if n_ctx < MIN_CONTEXT_DF:
                problems.append(f"{where}: context words {context} occur together in only "
                                f"{n_ctx} article(s), want >= {MIN_CONTEXT_DF}")
    for c in CATEGORIES:
        if cats[c] < 14:
            problems.append(f"category {c}: {cats[c]} queries, want >= 14")
    for i, k in uses.items():
        if k > 2:
            problems.append(f"article {i} used {k} times, want <= 2")
    for qid in sorted(set(FORMS) - qids):
        problems.append(f"{qid}: in FORMS but not in {queries_path}")
    return problems, cats, len(uses)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--queries", default=str(HERE / "queries.tsv"))
    ap.add_argument("--shared", default=None, help="shared folder (default: $SEARCHIDX_SHARED "
                    "or ../shared next to the repo)")
    a = ap.parse_args()
    shared = Path(a.shared) if a.shared else default_shared()
    problems, cats, n_articles = check(a.queries, shared / "data" / "wikinews-de.jsonl")
    for p in problems:
        print("PROBLEM", p)
    print(f"{sum(cats.values())} queries over {n_articles} articles: "
          + ", ".join(f"{c}={cats[c]}" for c in CATEGORIES)
          + (f"; {len(problems)} problem(s)" if problems else "; ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
