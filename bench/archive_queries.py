"""The archive benchmark's articles as plain text, and the query mix made from them (issue 20).

Nothing here imports searchidx: its engine is being rewritten, and the tantivy reference must
read the same files in its own simple way. Only the standard library.

Reading: `read_article(path)` gives (title, body). The taz gopher format (`# taz.de -- Kicker:
Title` on the first line) gives the rest of that line as title; the plain dated format
(` date YYYY-MM <lead>`) gives the text after the date; any other text its first line. The body
is the rest of the text, with the gopher markup (`(DIR)`, `## AUTOREN`, `> `) taken out.

The query mix: 400 queries, 80 of each kind, drawn with a seeded random generator from the
archive's word counts (one pass over all files) and a sample of its files, never written by hand:

  common  one word of high document frequency that is no stop word
  multi   2-3 words of one article (each in at least two articles)
  names   a given name and the capitalised word after it, as they occur (`Anna Kowalski`);
          the given names are make_archive.py's
  phrase  a quoted run of 2-3 words copied from an article (no punctuation between them)
  rare    a word in 1-3 articles of the whole archive
"""
from __future__ import annotations

import os
import random
import re
from collections import Counter

KINDS = ("common", "multi", "names", "phrase", "rare")
PER_KIND = 80
MIX_VERSION = 4  # bump when the mix changes, so cached query files are made again

# Words of letters only (numbers, dates and `CO2` make poor queries), and runs of such words
# separated by single spaces (no punctuation between them: phrases)
WORD = re.compile(r"(?<!\w)[^\W\d_]+(?!\w)")
RUN = re.compile(r"(?<!\w)[^\W\d_]+(?: [^\W\d_]+)+(?!\w)")

# Words every engine's parser treats as operators; never part of a query.
OPERATORS = {"AND", "OR", "NOT", "IN", "TO"}

# German function words (lowercase): not what anybody searches for alone. Snowball's German
# stop word list, plus a few more of the same kind.
STOP = set("""
aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes
anderm andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die
das daß dass derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu
dein deine deinem deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen
dieser dieses doch dort durch ein eine einem einen einer eines einig einige einigem einigen
einiger einiges einmal er ihn ihm es etwas euer eure eurem euren eurer eures für gegen gewesen
hab habe haben hat hatte hatten hier hin hinter ich mich mir ihr ihre ihrem ihren ihrer ihres
euch im in indem ins ist jede jedem jeden jeder jedes jene jenem jenen jener jenes jetzt kann
kein keine keinem keinen keiner keines können könnte machen man manche manchem manchen mancher
manches mein meine meinem meinen meiner meines mit muss musste nach nicht nichts noch nun nur
ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie ihnen sind so solche
solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere unserem
unseren unser unseres unter viel vom von vor während war waren warst was weg weil weiter
welche welchem welchen welcher welches wenn werde werden wie wieder will wir wird wirst wo
wollen wollte würde würden zu zum zur zwar zwischen
bereits dabei dadurch dafür dagegen daher darauf daran darin darum deshalb deren denen etwa
immer ja jedoch schon sei seien seit sowie sowohl warum wer worden wurde wurden
""".split())


# --------------------------------------------------------------------------- reading files

_TAZ_HEADER = re.compile(r"^\s*#\s*taz\.de\s+--\s+(.*)$")
_PLAIN_HEADER = re.compile(r"^\s*date\s+\d{4}(?:-\d{2}){0,2}(?:\s+(.*))?$")
_GOPHER_MARKUP = re.compile(r"^[ \t]*(?:## [A-ZÄÖÜ ]+$|\([A-Z]{3}\) ?|> ?)", re.M)


def list_articles(root: str) -> list[tuple[str, str]]:
    """(id, path) of every .txt file under root, in path order; ids as searchidx makes them
    (the path relative to root, without .txt)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith(".txt"):
                path = os.path.join(dirpath, name)
                out.append((os.path.relpath(path, root)[:-4].replace(os.sep, "/"), path))
    return out


def split_article(text: str) -> tuple[str, str]:
    """(title, body) of one article file's text."""
    text = text.lstrip("\ufeff\n")
    first, _, rest = text.partition("\n")
    if m := _TAZ_HEADER.match(first):
        return m.group(1).strip(), _GOPHER_MARKUP.sub("", rest).strip()
    if m := _PLAIN_HEADER.match(first):
        return (m.group(1) or "").strip(), rest.strip()
    return first.strip(), rest.strip()


def read_article(path: str) -> tuple[str, str]:
    with open(path, encoding="utf-8", errors="replace") as f:
        return split_article(f.read())


# --------------------------------------------------------------------------- the query mix

def is_content(word: str) -> bool:
    """A word worth searching for on its own: 4+ letters, no stop word, no operator."""
    return len(word) >= 4 and word.lower() not in STOP and word not in OPERATORS


def archive_df(files: list[tuple[str, str]], progress=None) -> tuple[Counter, dict[str, str]]:
    """Document frequency of every word of the archive (lowercase; the counts of a word's
    spellings summed: exact for words of one spelling, an upper bound otherwise) and each
    word's most frequent spelling. One pass over all files: about 3.5 s for 20,000."""
    by_spelling: Counter = Counter()
    for i, (_, path) in enumerate(files):
        by_spelling.update(set(WORD.findall("\n".join(read_article(path)))))
        if progress and i % 50000 == 49999:
            progress(f"    word counts: {i + 1} of {len(files)} files read")
    df: Counter = Counter()
    spelling: dict[str, str] = {}
    for w, c in sorted(by_spelling.items(), key=lambda kv: (-kv[1], kv[0])):
        df[w.lower()] += c
        spelling.setdefault(w.lower(), w)
    return df, spelling


class Words:
    """The archive's document frequencies, and the texts and words of the sampled files."""

    def __init__(self, files: list[tuple[str, str]], sample: int, rng: random.Random,
                 progress=None):
        self.df, self.spelling = archive_df(files, progress)
        picked = rng.sample(files, min(sample, len(files)))
        self.texts = ["\n".join(read_article(path)) for _, path in picked]
        self.words = [WORD.findall(t) for t in self.texts]


def common_queries(s: Words, rng: random.Random, n: int = PER_KIND) -> list[str]:
    """n of the 3n content words with the highest document frequency."""
    ranked = sorted((w for w in s.df if is_content(s.spelling[w])), key=lambda w: (-s.df[w], w))
    return [s.spelling[w] for w in rng.sample(ranked[:3 * n], min(n, len(ranked)))]


def multi_queries(s: Words, rng: random.Random, n: int = PER_KIND) -> list[str]:
    """2-3 content words of one sampled article, each in at least two articles."""
    out: list[str] = []
    for _ in range(50 * n):
        if len(out) == n:
            break
        words = sorted({w for w in s.words[rng.randrange(len(s.texts))]
                        if is_content(w) and s.df[w.lower()] >= 2})
        k = rng.choice((2, 3))
        if len(words) >= k:
            q = " ".join(rng.sample(words, k))
            if q not in out:
                out.append(q)
    return out


def name_queries(s: Words, rng: random.Random, first_names: list[str],
                 n: int = PER_KIND) -> list[str]:
    """Distinct `Given Surname` pairs as they occur, a given name then a capitalised word."""
    if not first_names:
        return []
    given = "|".join(map(re.escape, first_names))
    pattern = re.compile(rf"\b(?:{given}) [A-ZÄÖÜ][a-zäöüß]+\b")
    found = list(dict.fromkeys(m for t in s.texts for m in pattern.findall(t)))
    return rng.sample(found, min(n, len(found)))


def phrase_queries(s: Words, rng: random.Random, n: int = PER_KIND) -> list[str]:
    """A run of 2-3 words copied from a sampled article, at least one a content word."""
    out: list[str] = []
    for _ in range(50 * n):
        if len(out) == n:
            break
        runs = [r.split(" ") for r in RUN.findall(s.texts[rng.randrange(len(s.texts))])]
        if not runs:
            continue
        run = rng.choice(runs)
        k = min(rng.choice((2, 3)), len(run))
        start = rng.randrange(len(run) - k + 1)
        words = run[start:start + k]
        q = '"' + " ".join(words) + '"'
        if any(is_content(w) for w in words) and not OPERATORS & set(words) and q not in out:
            out.append(q)
    return out


def rare_queries(s: Words, rng: random.Random, n: int = PER_KIND) -> list[str]:
    """Content words of 5+ letters in 1-3 articles of the whole archive (shorter ones are
    mostly inflections of common words)."""
    rare = sorted(w for w, c in s.df.items()
                  if c <= 3 and len(w) >= 5 and is_content(s.spelling[w]))
    return [s.spelling[w] for w in rng.sample(rare, min(n, len(rare)))]


def make_mix(files: list[tuple[str, str]], first_names: list[str], *, seed: int = 1,
             sample: int = 3000, progress=None) -> list[tuple[str, str]]:
    """(kind, query) pairs, PER_KIND of each kind, kind by kind; the same for the same
    archive, seed and sample size."""
    rng = random.Random(seed)
    s = Words(files, sample, rng, progress)
    kinds = {"common": common_queries(s, rng), "multi": multi_queries(s, rng),
             "names": name_queries(s, rng, first_names), "phrase": phrase_queries(s, rng),
             "rare": rare_queries(s, rng)}
    return [(kind, q) for kind in KINDS for q in kinds[kind]]


def write_tsv(path: str, mix: list[tuple[str, str]]):
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(f"{kind}\t{q}\n" for kind, q in mix)


def read_tsv(path: str) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        return [tuple(line.rstrip("\n").split("\t", 1)) for line in f if "\t" in line]


def tantivy_query(q: str) -> str:
    """The query as tantivy's parser takes it: phrases stay quoted, words are joined with
    spaces; only letters, spaces and quotes are kept, operator words are lowercased
    (the analyzer lowercases everything anyway)."""
    q = re.sub(r'[^\w" ]|[\d_]', " ", q)
    return " ".join(w.lower() if w in OPERATORS else w for w in q.split())
