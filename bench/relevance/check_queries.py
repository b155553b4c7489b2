"""Sanity checks for bench/relevance/queries.tsv against the Wikinews articles.

For every query this file records the word forms the written article really contains
(``in_article``) and the variant forms the query uses instead (``not_in_article``); the
script checks both against the article body (titles are not indexed, so they are not used),
plus the format rules of the set: header, six categories with >= 14 queries each, exactly one
relevant id per query, 2-5 words, no article used more than twice, query != title.

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

# qid: (forms that must occur in the article body, variant forms that must NOT occur there)
# Forms are matched case-insensitively as whole words; a multi-word form matches with any
# whitespace in between, so "Hong Kong" is absent from an article that only says "Hongkong".
FORMS = {
    'infl-01': (['Ratzinger', 'Klicks', 'Auktion'], ['Ratzingers', 'Klick']),
    'infl-02': (['Piraten', 'ertrunken', 'Motorboot'], ['Pirat', 'ertrinkt']),
    'infl-03': (['reichsten', 'Österreicher', 'gestorben'], ['reichster', 'stirbt']),
    'infl-04': (['Musharraf', 'Fernsehansprache'], ['Musharrafs']),
    'infl-05': (['Lyriker', 'Rühmkorf', 'starb', 'Krebs'], ['stirbt']),
    'infl-06': (['Podolski', 'Transfersumme'], ['Podolskis']),
    'infl-07': (['Bundespräsident', 'ersten', 'Auslandsbesuch'], ['Bundespräsidenten', 'erster']),
    'infl-08': (['Kugeltaxis', 'Vochos'], ['Kugeltaxi', 'Vocho']),
    'infl-09': (['Überschwemmungen', 'Regenfälle', 'Tabasco'], ['Überschwemmung', 'Regenfall']),
    'infl-10': (['Mücken', 'Notstand', 'Paraguay'], ['Mücke']),
    'infl-11': (['Zwittern', 'Schnecke', 'Sperma', 'Tübingen'], ['Zwitter', 'Tübinger']),
    'infl-12': (['Schranke', 'fiel', 'Motorhaube', 'Wärters'], ['fällt', 'Wärter']),
    'infl-13': (['Wallert', 'Entführern', 'festgenommen'], ['Wallerts', 'Entführer']),
    'infl-14': (['Taxifahrer', 'erschossen', 'Lake District'], ['erschießt']),
    'comp-01': (['Gebühr', 'Flugzeugtoiletten', 'Pfund', 'Konzernchef'], ['Toilettengebühr']),
    'comp-02': (['Schadensersatzansprüche', 'Schadensersatzbetrag', 'Raten'], ['Schadensersatz']),
    'comp-03': (['Expertentreffen', 'Cannabis'], ['Experten', 'Treffen Cannabis']),
    'comp-04': (['Dieselfahrzeuge', 'Fahrverbot', 'Stickoxide'], ['Diesel']),
    'comp-05': (['Weihrauchfass', 'Weltjugendtag', 'Köln'], ['Fass', 'Weihrauch']),
    'comp-06': (['Kennzeichnung von Lebensmitteln', 'Verbraucherportal', 'Verbraucherzentrale Hessen'], ['Lebensmittelkennzeichnung', 'Portal']),
    'comp-07': (['Click- und Crowdworker', 'Sozialversicherungspflicht', 'Selbständige'], ['Clickworker', 'Sozialversicherung']),
    'comp-08': (['Pflegeversicherung', 'Bürgerversicherungs', 'Beamten'], ['Pflege', 'Bürgerversicherung']),
    'comp-09': (['Mehrwertsteuererhöhung', 'Haushaltsentwurf', 'Zumutungen'], ['Mehrwertsteuer', 'Haushalt']),
    'comp-10': (['Internetzensur', 'Sperre'], ['Zensur']),
    'comp-11': (['Hybridkraftwerks', 'Wasserstoff', 'Tankstellen'], ['Hybrid', 'Kraftwerk']),
    'comp-12': (['Produktrückruf', 'Milchschokolade', 'Gummi'], ['Rückruf', 'Schokolade']),
    'comp-13': (['Kohle', 'Frachter', 'Great Barrier Reef'], ['Kohlefrachter']),
    'comp-14': (['Handels- und Industrieminister', 'Sierra Leone'], ['Handelsminister']),
    'tran-01': (['Kamel', 'geschlachtet', 'Ataturk Airport'], ['Atatürk']),
    'tran-02': (['erstochen', 'Gräfenhäuser Straße'], ['Graefenhaeuser', 'Strasse']),
    'tran-03': (['Düsseldorf', 'Rockband', 'Konzert'], ['Duesseldorf']),
    'tran-04': (['Äthiopien', 'Wahlbeteiligung', 'Wahlbeobachter'], ['Aethiopien']),
    'tran-05': (['südamerikanische Regierungschefs', 'Gipfel'], ['suedamerikanische']),
    'tran-06': (['Wiedeking', 'Rücktritt', 'Übernahmepoker'], ['Ruecktritt', 'Uebernahme']),
    'tran-07': (['Merkel', 'Ausstoß', 'Neuwagen'], ['Ausstoss']),
    'tran-08': (['Sozialhilfeempfängern', 'Arbeitslosenstatistik', 'März'], ['Sozialhilfeempfaenger', 'Maerz']),
    'tran-09': (['vermisster', 'Junge', 'München', 'Amsterdam'], ['Muenchen']),
    'tran-10': (['Oberbürgermeister', 'Roßberg', 'Verkauf', 'Wohnungen'], ['Oberbuergermeister', 'Rossberg']),
    'tran-11': (['Flüchtlinge', 'katholisch', 'Aufnahme'], ['Fluechtlinge']),
    'tran-12': (['Urvögel', 'Saurier', 'Bayern'], ['Urvoegel']),
    'tran-13': (['Singapur', 'Waldbrände', 'Indonesien'], ['Waldbraende']),
    'tran-14': (['mächtigste', 'Gewerkschaftsführer', 'ÖTV'], ['maechtigster', 'Gewerkschaftsfuehrer', 'OeTV']),
    'hyph-01': (['Hongkong', 'Gedenkveranstaltung', 'Tiananmen'], ['Hong Kong']),
    'hyph-02': (['E-Mail-Interview', 'Musikvideos', 'Rammstein'], ['Email', 'Email Interview']),
    'hyph-03': (['Cyberspace', 'Hackerangriffen'], ['Cyber Space', 'Hacker Angriffe']),
    'hyph-04': (['HI-Virus', 'Heilmittel', 'iranische Forscher'], ['HI Virus']),
    'hyph-05': (['Blu-ray-Disc', 'Profil 1.1'], ['Bluray']),
    'hyph-06': (['Formel-1-Pilot', 'Körperverletzung', 'Diskothek'], ['Formel 1 Pilot']),
    'hyph-07': (['Humboldt-Universität', 'Soziologen', 'Haftbefehl'], ['Humboldt Universität']),
    'hyph-08': (['Comersee', 'Leichnam', 'geborgen'], ['Comer See']),
    'hyph-09': (['Westjordanland', 'Siedlungen', 'Pause', 'Kabinett'], ['West-Jordanland']),
    'hyph-10': (['Quick-Step', 'Kolumbianer', 'Trikot', 'Etappe'], ['Quickstep']),
    'hyph-11': (['schwarz-grünen', 'Koalition', 'Hamburg', 'ödp'], ['schwarzgrüne']),
    'hyph-12': (['Ze-0', 'Nice Car Company'], ['Ze0']),
    'hyph-13': (['historischer Schwarzwald-Bauernhof', 'Feuer'], ['Schwarzwaldbauernhof']),
    'hyph-14': (['Hackerkonferenz', 'Berliner Congress Center'], ['Hacker-Konferenz']),
    'typo-01': (['Schlägerei', 'Flugroute', 'Belgrad'], ['Schlägrei']),
    'typo-02': (['Mierscheid', 'Bundestagswahl 2005'], ['Mierscheidt']),
    'typo-03': (['Orkan', 'Begegnung', 'abgesagt', 'Cottbus'], ['Orkahn']),
    'typo-04': (['Kreuzfahrtschiff', 'Verzögerung', 'Reederei', 'Übergabe'], ['Kreuzfahrschiff']),
    'typo-05': (['staatliche Gelder', 'Wahlkampf', 'Spenden'], ['Wahlkamf']),
    'typo-06': (['Windows 7', 'Fenstermanagement', 'Vista', 'Nachfolger'], ['Windos', 'Fenstermanagment']),
    'typo-07': (['Romney', 'Vorwahl', 'Illinois'], ['Romeny']),
    'typo-08': (['Warrington', 'New Jersey Transit'], ['Warington']),
    'typo-09': (['Lateinamerika', 'Heimatländer'], ['Lateinamerka']),
    'typo-10': (['Subventionen', 'Griechenland', 'IWF'], ['Subventionan']),
    'typo-11': (['Raschkow', 'Roma', 'Festnahme'], ['Raschkov']),
    'typo-12': (['Xinjiang', 'Polizeistationen'], ['Xinjang']),
    'typo-13': (['Koblenz', 'Nachbeben'], ['Kobelnz']),
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
    articles = {str(r["id"]): r for r in map(json.loads, open(data_path, encoding="utf-8"))}
    problems = []
    lines = open(queries_path, encoding="utf-8").read().splitlines()
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
