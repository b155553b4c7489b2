"""Precision suite: do the top hits of a word query contain that word itself?

Known-item MRR (run.py) rewards finding one article; it does not see a ranking that puts
*Handball* first for `Hand` or the painter Munch first for `München`. This suite asks,
for every query in ``precision_queries.tsv`` (``qid<TAB>kind<TAB>query<TAB>note``):

* ``single`` (common nouns, short compound heads, Snowball stem collisions, -ieren verbs)
  and ``name`` (people and places as users type them): is each of the top 5 hits an
  article whose text contains the query word itself, in some inflection (``forms()``)?
  Reported as precision@5 and top-1 over the queries with at least 5 such articles.
* ``correct``: words spelled as in the archive; a non-null ``suggestion`` means the system
  "corrected" a correct word.
* ``absent``: words found nowhere in the corpus, not even inside a compound; answering
  with results but without a ``suggestion`` or a ``notices`` entry is answering silently.

Every system sees the same text: the 998 Wikinews articles with the title as the first
paragraph (the corpus folder is written by run.py's ``write_corpus``, so searchidx reads
plain dated files whose lead is the title), and the judge reads title + body too.

    python bench/relevance/precision.py                        # searchidx + both baselines
    python bench/relevance/precision.py --systems tantivy-german,whoosh-german --json
    python bench/relevance/precision.py --keep /tmp/precision  # keep corpus, index, output
    python bench/relevance/precision.py --make-queries         # rewrite the query TSV

searchidx runs through its CLI exactly as in run.py (``$SEARCHIDX_CMD`` replaces
``python -m searchidx``); the baselines are shared/bench/anchors.py's ``run_tantivy`` and
``run_whoosh``. Exit status: 0 if every system ran, 1 if one failed, 2 for usage errors.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_QUERIES = HERE / "precision_queries.tsv"
KINDS = ("single", "name", "correct", "absent")
KNOWN_SYSTEMS = ("searchidx", "tantivy-german", "whoosh-german")
TOP = 5        # hits judged per query
LIMIT = 10     # hits asked for, as run.py asks
ENOUGH = 5     # right articles a query needs before its precision@5 counts
KEEP_MARKER = ".searchidx-precision"


def _sibling(name):
    """Load run.py by path: this file is also loaded by path (tests/), not as a package."""
    spec = importlib.util.spec_from_file_location(f"relevance_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


run = _sibling("run")


# --------------------------------------------------------------------------- the judge

# Letters only: a hyphen, digit or apostrophe ends a word, so "Kim-Regime" has the word
# "Regime" and "Hand-in-Hand" the word "Hand", but "Handball" has no word "Hand".
WORD = re.compile(r"[^\W\d_]+")
# Umlauts fold to the bare vowel, so that umlaut plurals (Hände, Länder, Höfe, Züge) are
# inflections of the word like any other; ß folds to ss (Straße = Strasse).
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
NOUN_ENDINGS = ("", "e", "en", "n", "s", "es", "er", "ern", "em", "ens", "nen")
# A word in -e also takes the adjective endings on its stem: der Deutsche, ein Deutscher.
# Not the bare stem: Seite -> "seit", Kirche -> "Kirch" would be other words.
E_ENDINGS = ("er", "es", "em")
# A word in -s doubles it before an ending: Ergebnis -> Ergebnisse, Bus -> Busses.
S_ENDINGS = ("se", "sen", "ses")
# -ieren verbs (the only verbs here): every form is stem + ending, no ge-, no vowel change,
# and the participle declines like an adjective (kritisiert, kritisierten, kritisierende).
VERB_ENDINGS = ("e", "st", "t", "en", "et", "est", "te", "ten", "tet", "test", "ter", "tes",
                "tem", "end", "ende", "enden", "ender", "endes", "endem")


def fold(word):
    """Lower case, NFC, umlauts to bare vowels, ß to ss."""
    return unicodedata.normalize("NFC", word).lower().translate(_FOLD)


def words(text):
    """The words of a text as written (see WORD)."""
    return WORD.findall(unicodedata.normalize("NFC", text))


def is_verb(word):
    return word.islower() and fold(word).endswith("ieren")


def forms(word):
    """Every folded spelling that counts as ``word`` itself: the word plus an inflection
    ending. Homographs spelled the same count too (Weg/wegen, Arm/arme): telling them apart
    needs grammar, which no system here has. Derivations do not (Kanzlerin for Kanzler,
    Münchner for München), nor compounds (Handball), nor words that only share a stem."""
    w = fold(word)
    if is_verb(word):
        stem = w[:-2]
        return frozenset({w} | {stem + e for e in VERB_ENDINGS})
    out = {w + e for e in NOUN_ENDINGS}
    if w.endswith("e"):
        out |= {w[:-1] + e for e in E_ENDINGS}
    if w.endswith("s"):
        out |= {w + e for e in S_ENDINGS}
    return frozenset(out)


def is_right(query, article_words):
    """True if the article (its set of folded words) has every query word in some form."""
    qw = words(query)
    return bool(qw) and all(forms(w) & article_words for w in qw)


# --------------------------------------------------------------------------- articles

def load_articles(jsonl):
    """{id: {"title", "date", "text": title + newline + body, "words": set of folded words}}.

    The title leads the text because every system indexes it that way here."""
    out = {}
    with open(jsonl, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            text = f"{r['title']}\n{r['text']}"
            out[str(r["id"])] = dict(title=r["title"], date=r["date"], text=text,
                                     words={fold(w) for w in words(text)})
    return out


def write_corpus(articles, work):
    """The corpus folder for searchidx: run.py's write_corpus, fed the texts with their
    titles, so the title is each file's lead. Returns the folder."""
    titled = Path(work) / "titled.jsonl"
    with open(titled, "w", encoding="utf-8") as f:
        for aid, a in articles.items():
            f.write(json.dumps(dict(id=aid, date=a["date"], text=a["text"]),
                               ensure_ascii=False) + "\n")
    corpus = Path(work) / "corpus"
    run.write_corpus(titled, corpus)
    return corpus


def right_articles(query, articles):
    """Ids of the articles that a right hit for ``query`` could be."""
    return {aid for aid, a in articles.items() if is_right(query, a["words"])}


# --------------------------------------------------------------------------- queries file

def load_queries(path=DEFAULT_QUERIES):
    """Read the TSV: ``qid, kind, query, note`` (header, ``#`` lines and blanks skipped)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.startswith("#") or line.startswith("qid\t"):
                continue
            parts = line.split("\t")
            if len(parts) != 4 or parts[1] not in KINDS or not parts[2].strip():
                raise ValueError(f"{path}:{n}: expected qid<TAB>kind<TAB>query<TAB>note "
                                 f"with kind one of {', '.join(KINDS)}")
            out.append(dict(qid=parts[0], kind=parts[1], query=parts[2], note=parts[3]))
    if len({q["qid"] for q in out}) != len(out):
        raise ValueError(f"{path}: duplicate qid")
    return out


def groups(query):
    """The note's groups: its text before ';', comma-separated (``compound,stem; ...``)."""
    return [g.strip() for g in query["note"].split(";")[0].split(",") if g.strip()]


# --------------------------------------------------------------------------- choosing queries
# Every query comes from the corpus text by the rules below (see the README); no rule looks
# at any system's results. The hand-made lists are checked against the corpus here too.

# Short words the ranking issue names as compound-head traps.
ISSUE_TRAPS = ("Hand", "Arm", "Land", "Bahn", "Hof", "Haus", "Rat", "See", "Tor", "Bank",
               "Zug", "Wahl", "Bau", "Welt")
# People: every "First Last" pair of capitalised words in >= 4 articles that names a person
# (read off the corpus's list of such pairs by hand); each gives two queries, the full name
# and the surname alone.
PERSONS = ("Angela Merkel", "Barack Obama", "Wolfgang Schäuble", "Thaksin Shinawatra",
           "Nicolas Sarkozy", "Gerhard Schröder", "John McCain", "Franz Müntefering",
           "Edmund Stoiber", "Kofi Annan", "Renate Künast", "Horst Köhler",
           "Guido Westerwelle", "Tony Blair", "Thomas Enders", "Peter Struck",
           "Oskar Lafontaine", "Mahmud Ahmadinedschad", "Klaus Wowereit", "Javier Solana",
           "Jacques Chirac", "Frank-Walter Steinmeier", "Felix Magath", "Condoleezza Rice",
           "Christian Wulff", "Bhumibol Adulyadej")
# Places: every capitalised word after "in", "aus" or "nach" in >= 4 articles that names a
# place (read off that list by hand), and the two-word places among the pairs above.
PLACES = ("Deutschland", "Berlin", "Europa", "München", "China", "Frankreich", "Hamburg",
          "Afghanistan", "Brüssel", "Paris", "Bremen", "London", "Österreich", "Italien",
          "Thailand", "Hannover", "Japan", "Wien", "Nürnberg", "Bayern", "Polen",
          "Kaiserslautern", "Karlsruhe", "Bangkok", "Großbritannien", "Frankfurt", "England",
          "Belgien", "Düsseldorf", "Syrien", "Somalia", "Peking", "Genf", "Rumänien",
          "Russland", "Stuttgart", "Spanien", "Hessen", "Bonn", "Washington", "Rom",
          "Äthiopien", "Moskau", "Teheran", "Köln", "Niedersachsen", "Ägypten", "Südamerika",
          "Mexiko", "Griechenland", "Athen", "Oslo", "Dresden", "Bagdad", "Lateinamerika",
          "Rangun", "Gelsenkirchen", "Finnland", "Chemnitz", "New York", "Los Angeles",
          "Den Haag", "Cape Canaveral")
# Plausible German news words of 2022-2024 and everyday words; kept if the corpus has them
# nowhere, not even inside a longer word.
ABSENT_CANDIDATES = (
    "Bürgergeld", "Kindergrundsicherung", "Wärmepumpengesetz", "Heizungsgesetz",
    "Deutschlandticket", "Gaspreisbremse", "Strompreisbremse", "Energiepreispauschale",
    "Tankrabatt", "Gasumlage", "Übergewinnsteuer", "Lieferkettengesetz", "Cannabisgesetz",
    "Klimakleber", "Zeitenwende", "Sondervermögen", "Inflationsausgleichsprämie",
    "Mietendeckel", "Wohngeldreform", "Pflegebonus", "Krankenhausreform", "Heizkostenzuschuss",
    "Klimageld", "Agrardiesel", "Bauernproteste", "Flüssiggasterminal", "Impfpflichtgesetz",
    "Hitzeschutzplan", "Lastenrad", "Wärmepumpe", "Ladesäule", "Balkonkraftwerk",
    "Zwieback", "Schnürsenkel", "Gießkanne", "Kürbis", "Rasenmäher", "Marmelade", "Igel",
    "Sauerteig", "Pfifferling", "Glatteis", "Borkenkäfer", "Hustensaft", "Lebkuchen")
# Words of the archive that the `correct` rules drew but that are misspelt in the article
# (checked by hand, letter by letter); they are left out.
MISSPELT = frozenset({"Demonstanten"})

BAND = (10, 150)     # `single` band: nouns in 10..150 articles (right articles) ...
BAND_STEP = 8        # ... every 8th in order of frequency
TRAP_MIN = 10        # a trap: >= 10 decoy articles, and >= as many as the right ones
TRAPS = 25           # compound and stem traps: the 25 with the most decoy articles, each
CORRECT_EACH = 15    # `correct` words per rule


class Stats:
    """What the rules count: folded word -> articles, case of mid-sentence occurrences,
    and how each folded word is usually spelled."""

    def __init__(self, articles):
        self.articles = articles
        self.index = defaultdict(set)
        self.upper, self.lower = Counter(), Counter()
        self.spellings = defaultdict(Counter)
        self.joined = set()      # words with their hyphens dropped: Bürger-Geld -> bürgergeld
        for aid, a in articles.items():
            text = unicodedata.normalize("NFC", a["text"])
            for line in text.split("\n"):
                self._line(aid, line)
            self.joined.update(fold(w).replace("-", "") for w in
                               re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", text))
        self.joined.update(self.index)

    def _line(self, aid, line):
        for m in WORD.finditer(line):
            w, f = m.group(), fold(m.group())
            self.index[f].add(aid)
            self.spellings[f][w] += 1
            # Only mid-sentence words tell nouns (capitalised) from other words.
            before = line[:m.start()].rstrip(" \t\"'„“‚‘»«(")
            if before and before[-1] not in ".!?:;":
                (self.upper if w[0].isupper() else self.lower)[f] += 1

    def right(self, query):
        """Articles with every word of ``query`` in some form (the judge's rule)."""
        sets = [set().union(*(self.index.get(f, ()) for f in forms(w))) for w in words(query)]
        return set.intersection(*sets) if sets else set()

    def spelled(self, f, upper=True):
        """The usual spelling of folded word ``f`` (capitalised ones if ``upper``)."""
        c = Counter({w: n for w, n in self.spellings[f].items()
                     if w[0].isupper() == upper}) or self.spellings[f]
        return c.most_common(1)[0][0]

    def nouns(self):
        """Folded words capitalised in >= 90 % of >= 3 mid-sentence occurrences."""
        return {f for f, n in self.upper.items()
                if n >= 3 and n >= 0.9 * (n + self.lower[f]) and len(f) >= 3}

    def _bases(self, f):
        """Shorter words that ``f`` is a form of and that are often nouns: capitalised in
        >= 1/3 of >= 3 mid-sentence occurrences (Teil for Teile, though "nahm teil" is more
        common; Leben for Lebens). They may name a group, so the query is the base form."""
        for e in NOUN_ENDINGS + E_ENDINGS + S_ENDINGS:
            b = f[:-len(e)] if e else None
            if b and len(b) >= 3 and self.upper[b] >= 3 and 2 * self.upper[b] >= self.lower[b] \
                    and f in forms(self.spelled(b)):
                yield b

    def lemmas(self):
        """One entry per noun and its inflected forms: {spelling: right articles}.

        Nouns that are forms of one another form a group (Wahl, Wahlen); the group is
        named by its shortest member or base (see _bases) that is in >= 1/4 as many
        articles as its commonest member (so Munch, in 1 article, does not name München's
        group)."""
        nouns = self.nouns()
        parent = {f: f for f in nouns}

        def root(f):
            while parent[f] != f:
                parent[f] = parent[parent[f]]
                f = parent[f]
            return f
        for f in sorted(nouns):
            for g in forms(self.spelled(f)):
                if g in nouns and g != f:
                    parent[root(g)] = root(f)
        members = defaultdict(list)
        for f in nouns:
            members[root(f)].append(f)
        out = {}
        for group in members.values():
            top = max(len(self.index[f]) for f in group)
            names = set(group) | {b for f in group for b in self._bases(f)}
            name = min((f for f in names if 4 * len(self.index[f]) >= top),
                       key=lambda f: (len(f), -len(self.index[f]), f))
            word = self.spelled(name)
            out[word] = self.right(word)
        return out


def _order(words_):
    """A fixed pseudo-random order (by SHA-1), for drawing samples without a seed."""
    return sorted(words_, key=lambda w: hashlib.sha1(w.encode("utf-8")).hexdigest())


def band_words(lemmas):
    """Every BAND_STEP-th noun with BAND[0]..BAND[1] right articles, commonest first."""
    inband = sorted((w for w, r in lemmas.items() if BAND[0] <= len(r) <= BAND[1]),
                    key=lambda w: (-len(lemmas[w]), w))
    return inband[::BAND_STEP]


def compound_traps(stats, lemmas):
    """Short nouns (3-5 letters, not acronyms, >= 5 right articles) that start or end a
    longer noun (Handball, Vorhand, Bundesländer) in more articles without the noun itself
    (decoys) than there are with it, and in >= TRAP_MIN. Returns {word: decoy articles}."""
    pre, suf = defaultdict(set), defaultdict(set)
    nouns = stats.nouns()
    for t in nouns:
        for n in range(3, 12):
            pre[t[:n]].add(t)
            suf[t[-n:]].add(t)
    out = {}
    for w, right in lemmas.items():
        f = fold(w)
        if not 3 <= len(f) <= 5 or len(right) < ENOUGH or not w[1:].islower():
            continue
        fs = forms(w)
        longer = (pre[f] | set().union(*(suf[g] for g in fs))) - fs
        longer = {t for t in longer if t in nouns and (t.startswith(f) or any(
            t.endswith(g) and len(t) > len(g) for g in fs))}
        decoys = set().union(*(stats.index[t] for t in longer)) - right if longer else set()
        if len(decoys) >= max(TRAP_MIN, len(right)):
            out[w] = len(decoys)
    return out


def stem_traps(stats, lemmas):
    """Nouns (>= 5 right articles) whose forms share a Snowball German stem with other
    words (München: Munch; Seite: seit) in more articles without the noun itself (decoys)
    than there are with it, and in >= TRAP_MIN. Returns {word: (decoy articles, some
    stem-mates)}."""
    import snowballstemmer
    st = snowballstemmer.stemmer("german")
    by_stem = defaultdict(set)
    for t in stats.index:
        by_stem[st.stemWord(t)].add(t)
    out = {}
    for w, right in lemmas.items():
        if len(right) < ENOUGH:
            continue
        fs = forms(w)
        mates = set().union(*(by_stem[st.stemWord(g)] for g in fs if g in stats.index)) - fs
        decoys = set().union(*(stats.index[t] for t in mates)) - right if mates else set()
        if len(decoys) >= max(TRAP_MIN, len(right)):
            out[w] = (len(decoys), sorted(mates, key=lambda t: (-len(stats.index[t]), t))[:3])
    return out


def strongest(traps, n=None):
    """The ``n`` (default TRAPS) traps with the most decoy articles."""
    decoys = lambda w: traps[w][0] if isinstance(traps[w], tuple) else traps[w]
    return sorted(traps, key=lambda w: (-decoys(w), w))[:n or TRAPS]


def verbs(stats):
    """-ieren verbs whose infinitive is in the corpus, mostly lower case, in BAND[0]..
    BAND[1] right articles: {infinitive: right articles}."""
    out = {}
    for f in stats.index:
        if f.endswith("ieren") and stats.lower[f] > stats.upper[f]:
            word = stats.spelled(f, upper=False)
            right = stats.right(word)
            if BAND[0] <= len(right) <= BAND[1]:
                out[word] = right
    return out


def _edits1(w):
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    return ({a + b[1:] for a, b in splits if b} |
            {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1} |
            {a + c + b[1:] for a, b in splits if b for c in letters} |
            {a + c + b for a, b in splits for c in letters})


def correct_words(stats, taken):
    """Three rules, CORRECT_EACH words each, drawn in _order: ``near``, words in 1-3
    articles one edit from a different word in >= 10 (what a corrector is tempted to
    change); ``long``, words of >= 16 letters in 1-3 articles; ``rare``, words of >= 6
    letters in one article. Not all capitals, not in MISSPELT. Returns {word: group}."""
    common = {f for f, ids in stats.index.items() if len(ids) >= 10}

    def near(f, w):
        return any(g in common and g not in forms(w) and f not in forms(stats.spelled(g))
                   for g in _edits1(f))
    rules = (("near", lambda f, w: len(f) >= 5 and near(f, w)),
             ("long", lambda f, w: len(f) >= 16),
             ("rare", lambda f, w: len(f) >= 6 and len(stats.index[f]) == 1))
    out = {}
    for group, rule in rules:
        n = 0
        for f in _order(f for f, ids in stats.index.items() if len(ids) <= 3):
            w = stats.spelled(f, upper=stats.upper[f] >= stats.lower[f])
            if n == CORRECT_EACH:
                break
            if w in out or fold(w) in taken or w.isupper() or w in MISSPELT or not rule(f, w):
                continue
            out[w] = group
            n += 1
    return out


def _parts(stats, word):
    """The fewest corpus words (>= 3 letters, a linking s allowed) that ``word`` is made
    of, for the notes of `absent` queries; [] if it is not made of two or more."""
    f = fold(word)
    best = {0: []}
    for i in range(len(f)):
        for j in range(i + 3, len(f) + 1) if i in best else ():
            piece = f[i:j]
            for w in {piece, piece[:-1] if piece.endswith("s") else piece}:
                if len(w) >= 3 and w in stats.index and len(best.get(j, f)) > len(best[i]) + 1:
                    best[j] = best[i] + [stats.spelled(w)]
    parts = best.get(len(f), [])
    return parts if len(parts) >= 2 else []


def make_queries(articles):
    """The whole query set, in TSV order: [{"qid", "kind", "query", "note"}]."""
    stats = Stats(articles)
    lemmas = stats.lemmas()
    names = {fold(w) for n in PERSONS + PLACES for w in words(n)}
    out = []

    def add(kind, query, note):
        out.append(dict(qid=f"{kind[0]}{sum(q['kind'] == kind for q in out) + 1:03d}",
                        kind=kind, query=query, note=note))

    # single: the band, the traps, the verbs; names are left to `name`.
    comp, stem = compound_traps(stats, lemmas), stem_traps(stats, lemmas)
    band = set(band_words(lemmas))
    issue = {w for w in ISSUE_TRAPS if len(stats.right(w)) >= ENOUGH}
    chosen = band | issue | set(strongest(comp)) | set(strongest(stem))
    singles = {w: stats.right(w) for w in chosen if fold(w) not in names}
    singles.update(verbs(stats))
    for w in sorted(singles, key=lambda w: (-len(singles[w]), w)):
        tags = [t for t, member in (("band", w in band), ("issue", w in issue),
                                    ("compound", w in comp), ("stem", w in stem),
                                    ("verb", is_verb(w))) if member]
        extra = [f"{len(singles[w])} articles"]
        if w in comp:
            extra.append(f"{comp[w]} with a longer word only")
        if w in stem:
            extra.append(f"{stem[w][0]} with a stem-mate only ({', '.join(stem[w][1])})")
        add("single", w, f"{','.join(tags)}; {'; '.join(extra)}")
    # name: people (full and surname) and places, each needing ENOUGH right articles.
    for name in PERSONS:
        for query, group in ((name, "person"), (name.split()[-1], "surname")):
            if len(stats.right(query)) >= ENOUGH:
                add("name", query, f"{group}; {len(stats.right(query))} articles")
    for place in PLACES:
        if len(stats.right(place)) >= ENOUGH:
            add("name", place, f"place; {len(stats.right(place))} articles")
    # correct: words as the archive spells them.
    taken = {fold(q["query"]) for q in out}
    for w, group in correct_words(stats, taken).items():
        add("correct", w, f"{group}; {len(stats.index[fold(w)])} articles")
    # absent: nowhere in the corpus, not even inside a word.
    for w in ABSENT_CANDIDATES:
        f = fold(w)
        if not any(f in t for t in stats.joined):
            parts = _parts(stats, w)
            add("absent", w, f"parts; {' + '.join(parts)}" if parts else "noparts")
    return out


def check_name_lists(articles):
    """Problems with PERSONS and PLACES against their rules (an empty list if none): each
    person is a pair of adjacent words in >= 4 articles, each one-word place follows "in",
    "aus" or "nach" in >= 4 articles, each two-word place is such a pair."""
    pairs, after = defaultdict(set), defaultdict(set)
    for aid, a in articles.items():
        text = unicodedata.normalize("NFC", a["text"])
        for m in re.finditer(r"(?=\b([A-ZÄÖÜ][^\W\d_]*(?:-[^\W\d_]+)*) "
                             r"([A-ZÄÖÜ][^\W\d_]*)\b)", text):
            pairs[f"{m.group(1)} {m.group(2)}"].add(aid)
        for m in re.finditer(r"\b(?:in|aus|nach)\s+([A-ZÄÖÜ][^\W\d_]+)\b(?!-)", text):
            after[m.group(1)].add(aid)
    return [n for n in PERSONS + PLACES
            if len((pairs if " " in n else after)[n]) < 4]


def write_queries(queries, path):
    with open(path, "w", encoding="utf-8") as f:
        f.write("qid\tkind\tquery\tnote\n")
        for q in queries:
            f.write(f"{q['qid']}\t{q['kind']}\t{q['query']}\t{q['note']}\n")


# --------------------------------------------------------------------------- running systems

def _answer(obj):
    """One system answer as the judge needs it: ids in rank order, suggestion, notices."""
    ids = [run.norm_id(h["id"]) for h in obj.get("results") or []]
    return dict(ids=ids, suggestion=obj.get("suggestion"),
                notices=list(obj.get("notices") or []), error=obj.get("error"))


def parse_output(text, queries):
    """``search --format jsonl --batch`` output -> one answer per query, in order. A
    missing ``notices`` field is an empty list; an ``{"query", "error"}`` line is an answer
    with an error. Raises run.SearchidxError when lines are missing or out of order."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) != len(queries):
        raise run.SearchidxError(f"expected {len(queries)} JSON lines, got {len(lines)}")
    out = []
    for n, (ln, q) in enumerate(zip(lines, queries), 1):
        try:
            obj = json.loads(ln)
        except ValueError as e:
            raise run.SearchidxError(f"output line {n} is not JSON: {e}: {ln[:200]!r}")
        if not isinstance(obj, dict) or not run._same_query(obj.get("query", q), q):
            raise run.SearchidxError(f"output line {n} is not the answer to {q!r}: "
                                     f"{ln[:200]!r}")
        if "error" not in obj and not isinstance(obj.get("results"), list):
            raise run.SearchidxError(f"output line {n} has no 'results' list")
        out.append(_answer(obj))
    return out


def run_searchidx(queries, corpus, work, timeout=1800):
    """Index and search through the CLI as run.py does; returns (answers, timings)."""
    work = Path(work)
    index, qfile = work / "index", work / "queries.txt"
    texts = [q["query"] for q in queries]
    qfile.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
    base = run.searchidx_cmd()
    t0 = time.perf_counter()
    run._run(base + ["index", str(corpus), "--index", str(index)], "searchidx index", timeout)
    t1 = time.perf_counter()
    cmd = base + ["search", "--index", str(index), "--format", "jsonl", "--limit", str(LIMIT),
                  "--batch", str(qfile)]
    p = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8",
                       errors="replace", env=run.searchidx_env(), cwd=str(run.REPO),
                       timeout=timeout)
    t2 = time.perf_counter()
    (work / "searchidx-results.jsonl").write_text(p.stdout, encoding="utf-8")
    # Exit 1 is "no query had results", 2 "some queries failed" (their lines say which);
    # anything else, or a short output, fails the run.
    if p.returncode not in (0, 1, 2):
        tail = "\n".join((p.stderr or "").strip().splitlines()[-15:])
        raise run.SearchidxError(f"searchidx search exited with status {p.returncode}\n{tail}")
    answers = parse_output(p.stdout, texts)
    return answers, dict(index_s=round(t1 - t0, 2), search_s=round(t2 - t1, 2))


def run_baseline(name, anchors, articles, queries, tmp_root):
    """One anchors.py baseline over title + body; returns (answers, timings)."""
    docs = [(aid, a["text"]) for aid, a in articles.items()]
    rows = [dict(qid=q["qid"], title=q["query"], rel=set()) for q in queries]
    old = tempfile.tempdir              # anchors.py makes its index dirs with mkdtemp():
    tempfile.tempdir = str(tmp_root)    # keep them under the work dir, which is cleaned up
    try:
        runner = anchors.run_tantivy if name.startswith("tantivy") else anchors.run_whoosh
        t_index, lat, ranked = runner(rows, docs, "german")
    finally:
        tempfile.tempdir = old
    answers = [dict(ids=[str(d) for d in r], suggestion=None, notices=[], error=None)
               for r in ranked]
    return answers, dict(index_s=round(t_index, 2), search_s=round(sum(lat), 2))


# --------------------------------------------------------------------------- scoring

def judge(query, answer, articles):
    """'R'/'W' for each of the top hits ('?' for an id not in the corpus, counted wrong)."""
    marks = []
    for aid in answer["ids"][:TOP]:
        a = articles.get(aid)
        marks.append("?" if a is None else "R" if is_right(query["query"], a["words"]) else "W")
    return "".join(marks)


def _mean(xs):
    return round(sum(xs) / len(xs), 4) if xs else None


def _precision(rows):
    """From the marks of each query: precision@5, the share of right hits among all top-5
    hits (as the ranking issue counts); top-1, the share of queries whose first hit is
    right (no hit: not right); filled, the share of the 5 places that have a hit at all."""
    hits = sum(len(m) for m in rows)
    return dict(n=len(rows),
                p5=round(sum(m.count("R") for m in rows) / hits, 4) if hits else None,
                top1=_mean([m[:1] == "R" for m in rows]),
                filled=round(hits / (TOP * len(rows)), 4) if rows else None)


def score(queries, answers, articles):
    """Figures per kind for one system, and a per-query record.

    single/name: precision@5 and top-1 over the queries with >= ENOUGH right articles,
    also per note group. correct: share with a suggestion. absent: share answered silently
    (results, no suggestion, no notice), with results at all, and announced. Every kind:
    the share with a suggestion and with a notice, and errors."""
    if len(queries) != len(answers):
        raise ValueError(f"{len(queries)} queries but {len(answers)} answers")
    per_query, by_kind = {}, defaultdict(list)
    for q, a in zip(queries, answers):
        rec = dict(kind=q["kind"], marks=judge(q, a, articles), top=a["ids"][:TOP],
                   hits=len(a["ids"]),
                   suggestion=a["suggestion"], notices=a["notices"], error=a["error"])
        if q["kind"] in ("single", "name"):
            rec["right_articles"] = len(right_articles(q["query"], articles))
        per_query[q["qid"]] = rec
        by_kind[q["kind"]].append((q, rec))
    out = {}
    for kind in [k for k in KINDS if k in by_kind] + [k for k in by_kind if k not in KINDS]:
        items = by_kind[kind]
        res = dict(n=len(items), suggested=_mean([r["suggestion"] is not None for _, r in items]),
                   noticed=_mean([bool(r["notices"]) for _, r in items]),
                   errors=sum(r["error"] is not None for _, r in items))
        if kind in ("single", "name"):
            counted = [(q, r) for q, r in items if r["right_articles"] >= ENOUGH]
            res.update(_precision([r["marks"] for _, r in counted]))
            res["n_queries"] = len(items)
            gs = sorted({g for q, _ in counted for g in groups(q)})
            res["groups"] = {g: _precision([r["marks"] for q, r in counted if g in groups(q)])
                             for g in gs}
        elif kind == "correct":
            res["corrected"] = res["suggested"]
        elif kind == "absent":
            answered = [r["hits"] > 0 for _, r in items]
            told = [r["suggestion"] is not None or bool(r["notices"]) for _, r in items]
            res.update(silent=_mean([h and not t for h, t in zip(answered, told)]),
                       answered=_mean(answered), announced=_mean(told))
        out[kind] = res
    return out, per_query


# --------------------------------------------------------------------------- evaluate

def evaluate(shared, work, systems=("searchidx",), queries_path=DEFAULT_QUERIES):
    """Run ``systems`` on the query set in ``work`` (a folder, kept) and return
    ``{"n_docs", "n_queries", "systems": {name: {"ok", kind: figures, "per_query", ...}}}``.
    A system that fails gets ``{"ok": False, "error": ...}``; the others still run."""
    shared, work = Path(shared), Path(work)
    work.mkdir(parents=True, exist_ok=True)
    data = shared / "data" / "wikinews-de.jsonl"
    articles = load_articles(data)
    queries = load_queries(queries_path)
    report = dict(corpus=str(data), n_docs=len(articles), queries=str(queries_path),
                  n_queries=len(queries), systems={})
    corpus = None
    for name in systems:
        entry = report["systems"][name] = dict(ok=False)
        try:
            if name == "searchidx":
                corpus = corpus or write_corpus(articles, work)
                answers, timing = run_searchidx(queries, corpus, work)
            elif name in KNOWN_SYSTEMS:
                anchors = run.import_anchors(shared)
                tmp = work / "baselines"
                tmp.mkdir(exist_ok=True)
                answers, timing = run_baseline(name, anchors, articles, queries, tmp)
            else:
                raise ValueError(f"unknown system {name!r}")
        except Exception as e:  # report it and carry on with the other systems
            entry["error"] = f"{type(e).__name__}: {e}"
            continue
        figures, per_query = score(queries, answers, articles)
        entry.update(ok=True, **figures, per_query=per_query, **timing)
    return report


# --------------------------------------------------------------------------- output

ROWS = (  # (kind, figure, label): the table's lines
    ("single", "p5", "precision@5"), ("single", "top1", "top-1 right"),
    ("single", "filled", "top-5 places filled"),
    ("name", "p5", "precision@5"), ("name", "top1", "top-1 right"),
    ("name", "filled", "top-5 places filled"),
    ("correct", "corrected", "corrected (suggestion)"),
    ("absent", "silent", "silent (results, no notice)"),
    ("absent", "answered", "answered with results"),
    ("absent", "announced", "suggestion or notice"),
)


def format_table(report, systems):
    ok = [s for s in systems if report["systems"][s].get("ok")]
    first = report["systems"][ok[0]] if ok else {}
    header = ["kind", "figure", "n"] + list(systems)
    rows = []

    def cells(get):
        return [("-" if get(report["systems"][s]) is None else f"{get(report['systems'][s]):.3f}")
                if s in ok else "FAIL" for s in systems]

    for kind, fig, label in ROWS:
        if kind not in first:
            continue
        rows.append([kind, label, str(first[kind]["n"])] +
                    cells(lambda r: r.get(kind, {}).get(fig)))
        if fig == "p5":
            for g, gfig in first[kind]["groups"].items():
                rows.append(["", f"  {g}: precision@5", str(gfig["n"])] +
                            cells(lambda r: r.get(kind, {}).get("groups", {}).get(g, {})
                                  .get("p5")))
    widths = [max(len(x) for x in col) for col in zip(header, *rows)]
    fmt = lambda r: "  ".join(x.ljust(w) if i < 2 else x.rjust(w)
                              for i, (x, w) in enumerate(zip(r, widths)))
    out = [f"Precision suite: {report['n_queries']} queries on {report['n_docs']} articles "
           f"(title + body); precision@5 over queries with >= {ENOUGH} right articles"
           + (f"; {report['date']}, commit {report['commit']}" if report.get("commit") else ""),
           fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows]
    for s in systems:
        r = report["systems"][s]
        if not r.get("ok"):
            out.append(f"{s}: FAILED: {r.get('error', '').splitlines()[0]}")
        elif any(r[k]["errors"] for k in KINDS if k in r):
            out.append(f"{s}: {sum(r[k]['errors'] for k in KINDS if k in r)} queries failed")
    return "\n".join(out)


# --------------------------------------------------------------------------- main

def _commit():
    """The checkout's commit, with "+changes" if its tracked files differ (for the record)."""
    try:
        git = ["git", "-C", str(run.REPO)]
        head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(git + ["status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--systems", default=",".join(KNOWN_SYSTEMS),
                    help=f"comma-separated, from {','.join(KNOWN_SYSTEMS)} (default: all)")
    ap.add_argument("--queries", default=str(DEFAULT_QUERIES), help="the query TSV")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR (corpus, index, output) and keep it")
    ap.add_argument("--shared", metavar="DIR",
                    help="shared folder (default: $SEARCHIDX_SHARED or ../shared)")
    ap.add_argument("--json", action="store_true", help="one JSON object, with per-query marks")
    ap.add_argument("--make-queries", action="store_true",
                    help="write the query TSV from the corpus by the rules, then stop")
    a = ap.parse_args(argv)
    shared = Path(a.shared) if a.shared else run.default_shared()
    data = shared / "data" / "wikinews-de.jsonl"
    if not data.is_file():
        ap.error(f"{data} not found (use --shared or $SEARCHIDX_SHARED)")
    if a.make_queries:
        qs = make_queries(load_articles(data))
        write_queries(qs, a.queries)
        print(f"wrote {len(qs)} queries to {a.queries}: " + ", ".join(
            f"{k} {sum(q['kind'] == k for q in qs)}" for k in KINDS))
        return 0
    systems = [s.strip() for s in a.systems.split(",") if s.strip()]
    if not systems or any(s not in KNOWN_SYSTEMS for s in systems):
        ap.error(f"choose systems from {', '.join(KNOWN_SYSTEMS)}")
    if a.keep:
        work = Path(a.keep)
        if work.exists() and any(work.iterdir()) and not (work / KEEP_MARKER).exists():
            ap.error(f"--keep {work}: not empty and not from an earlier run")
        work.mkdir(parents=True, exist_ok=True)
        (work / KEEP_MARKER).write_text("made by bench/relevance/precision.py\n")
        for sub in ("index", "corpus", "baselines"):   # a fresh build each run
            if (work / sub).exists():
                shutil.rmtree(work / sub)
        report = evaluate(shared, work, systems, a.queries)
    else:
        with tempfile.TemporaryDirectory(prefix="searchidx-precision-") as tmp:
            report = evaluate(shared, tmp, systems, a.queries)
    report.update(date=datetime.date.today().isoformat(), commit=_commit())
    for s in systems:
        if not report["systems"][s]["ok"]:
            print(f"{s}: FAILED: {report['systems'][s]['error']}", file=sys.stderr)
    if a.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    elif a.keep:
        print(format_table(report, systems))
        (Path(a.keep) / "report.json").write_text(json.dumps(report, ensure_ascii=False,
                                                             indent=1), encoding="utf-8")
        print(f"kept corpus, index, searchidx output and report.json in {a.keep}")
    else:
        print(format_table(report, systems))
    return 0 if all(report["systems"][s]["ok"] for s in systems) else 1


if __name__ == "__main__":
    sys.exit(main())
