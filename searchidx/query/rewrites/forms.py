"""Word -> WordQuery: the forms in which the index may hold a typed word.

    Nordkoreas   -> word nordkorea, variant nordkoreas (x0.8, if indexed)
    Kim-Regime   -> word "kim regim" (side by side), joined kimregim, each piece x0.3
    E-Mail       -> word "e mail", joined email

The stem covers the word's inflections; a plural or genitive `s` that the
stemmer leaves on names (`Nordkoreas`, `Kims`) is tried as a variant when
the index holds it. A hyphenated word's pieces stand side by side (a
phrase); each alone counts too, lower.
"""
from __future__ import annotations

from ...analysis.words import JOINED, WORD_KIND
from ...indexing import fields as F
from .. import tree as T

VARIANT_WEIGHT = 0.8
PIECE_WEIGHT = 0.3


# Words that ask rather than name: in a question (`Wie viele Menschen leben in
# Eritrea`) they are dropped as stop words, as long as words that name remain.
# The interrogative adverbs are wo(r) + every preposition (wofür, worum, woraus).
QUESTION_WORDS = frozenset("""
wer wen wem wessen was wann wo woher wohin wie warum wieso weshalb weswegen inwiefern
inwieweit wieweit welche welcher welches welchem welchen wieviel wieviele
wobei wodurch wofür wogegen wohinter womit wonach woneben woran worauf woraus worin
worüber worum worunter wovon wovor wozu wozwischen
viele vielen viel gibt gab gibt's wurde wurden worden wird werden hat haben hatte hatten
ist sind war waren heißt hieß nennt nannte bezeichnet kann können konnte konnten
""".split())


def analyse(node, ctx):
    def visit(n):
        if type(n) is T.Word:
            q = word_query(n, ctx)
            return q if q is not None else T.Bool()
        if type(n) is T.Bool and n.coord and len(n.should) > 1:
            return _without_question_words(n, ctx)
        return n

    return T.simplify(T.transform(node, visit))


def _without_question_words(n: T.Bool, ctx) -> T.Bool:
    asking = [c for c in n.should if type(c) is T.WordQuery and c.targets == F.DEFAULT_TARGETS
              and c.text.lower() in QUESTION_WORDS]
    if not asking or len(asking) == len(n.should):
        return n
    ctx.note("question", " ".join(c.text for c in asking), "(dropped)",
             "question words: they ask, the other words name what is asked about")
    return T.Bool(n.must, tuple(c for c in n.should if c not in asking), n.must_not, n.filter,
                  n.coord, n.boost)


def word_query(word: T.Word, ctx) -> T.WordQuery | None:
    """None for a stop word (it has nothing to find)."""
    targets = F.targets(word.field)
    forms = list(base_forms(word.text, word.field))
    if not forms:
        return None
    forms += variants(forms, targets, ctx)
    return T.WordQuery(word.text, targets, tuple(forms), word.boost)


def base_forms(text: str, field: str | None) -> tuple[T.Form, ...]:
    """The word as its pieces (side by side) and, if hyphenated, joined and each piece."""
    tokens, _ = F.analyzer_of(field).analyse(text)
    words = [t for t in tokens if t.kind == WORD_KIND]
    pieces = tuple(dict.fromkeys(t.text for t in words))
    if not pieces:
        return ()
    if len(words) > 1:  # the pieces side by side, as the word writes them
        out = [T.Form(T.WHOLE, tuple(t.text for t in words), positions=tuple(t.pos for t in words))]
    else:
        out = [T.Form(T.WHOLE, pieces)]
    out += [T.Form(T.JOINED, (t.text,), why="the hyphenated word written together")
            for t in tokens if t.kind == JOINED and t.text not in pieces]
    if len(pieces) > 1:  # each piece alone too, lower: `USB-Anschlüsse` finds `Anschlüsse`
        out += [T.Form(T.PIECE, (p,), PIECE_WEIGHT, why="one piece of the hyphenated word")
                for p in pieces if len(p) > 1]
    return tuple(out)


def variants(forms, targets, ctx) -> list[T.Form]:
    """`Nordkoreas` <-> `Nordkorea`: a final s added or taken away, where the
    index holds that form (the stemmer keeps the s of names)."""
    fields = [t.field for t in targets if t.field in F.GERMAN_FIELDS and t.span is None]
    if len(fields) != len(targets):  # (a part of head, `title:`: the word as typed)
        return []
    out = []
    for form in forms:
        if len(form.terms) != 1:
            continue
        term = form.terms[0]
        if len(term) < 3 or term[-1].isdigit():
            continue
        other = term[:-1] if term.endswith("s") and not term.endswith("ss") else term + "s"
        if any(ctx.df(f, other) for f in fields):
            out.append(T.Form(T.VARIANT, (other,), form.weight * VARIANT_WEIGHT,
                              why=f"{'without' if len(other) < len(term) else 'with'} a final s"))
    return out


def known(text: str, ctx, field: str | None = None) -> bool:
    """Whether the index holds the word itself: its pieces, joined, an
    acronym without its s, or inside longer compounds (Bahnhof in Weltraumbahnhof).
    A stop word is known. Its compound parts apart do not count (has_parts)."""
    from ...analysis.words import PART_MARK

    forms = base_forms(text, field)
    if not forms:
        return True
    part_of = tuple(T.Form(T.PART_OF, (PART_MARK + f.terms[0],)) for f in forms
                    if f.kind == T.WHOLE and len(f.terms) == 1)
    if any(_held(form, ctx, field) for form in (*forms, *part_of)):
        return True
    # an acronym's genitive or plural s, which the stemmer keeps (`FBIs`, `CDUs`:
    # FBI, CDU); not any s (`Aktienindizs` is a typo, `laes` no word)
    if not (len(text) >= 3 and text[-1] == "s" and text[:-1].isupper() and text[:-1].isalpha()):
        return False
    without = F.analyzer_of(field).query_terms(text[:-1])
    return len(without) == 1 and any(ctx.df(t.field, without[0]) for t in F.targets(field))


def has_parts(text: str, ctx, field: str | None = None) -> bool:
    """Whether the index holds every compound part of the word (Bürgergeld:
    Bürger and Geld), as words or inside other compounds."""
    from .compounds import part_forms

    return any(_held(form, ctx, field) for form in part_forms(text, field))


def _held(form: T.Form, ctx, field: str | None) -> bool:
    fields = [t.field for t in F.targets(field)]
    return all(any(ctx.df(f, t) for f in fields for t in slot) for slot in form.slots())
