"""`searchidx kwic`: every occurrence of a word, in its context (keyword in context)."""
from __future__ import annotations

import sys

import click

from . import INDEX_OPTION, cli, notice, tell, use_color


@cli.command()
@click.argument("word")
@click.argument("query", nargs=-1)
@INDEX_OPTION
@click.option("--sort", type=click.Choice(["date", "left", "right"]), default="date",
              show_default=True,
              help="date: newest first; left, right: by the words nearest the match on that side.")
@click.option("--width", "context", type=click.IntRange(min=1), default=None, metavar="N",
              help="Characters of context each side (default: what the terminal fits; "
                   "60 in csv and json).")
@click.option("--limit", "-n", type=click.IntRange(min=0), default=50, show_default=True,
              help="Lines at most (0: all).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@click.option("--since", metavar="DATE", help="Only articles from DATE on (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only articles up to DATE.")
@click.option("--author", multiple=True, help="Only articles by this author.")
@click.option("--tag", multiple=True, help="Only articles with this tag.")
@click.option("--no-correct", is_flag=True, help="Do not correct typos.")
@click.option("--color/--no-color", default=None,
              help="Highlight matches (default: on a colour terminal, unless NO_COLOR).")
def kwic(word, query, index_path, sort, context, limit, fmt, since, until, author, tag,
         no_correct, color):
    """Every occurrence of WORD in context, one aligned line each.

    WORD is found as search finds it: inflected, inside compounds (the part
    that matched is marked: Waffen[lieferungen]), in a hyphenated word,
    its spelling corrected; a quoted phrase is one match. QUERY (any search
    syntax) keeps to the articles that also match it. Lines come newest
    article first; sorted left or right, the lines of the newest 2,000
    articles are sorted.

    \b
    Examples:
      searchidx kwic Raketen
      searchidx kwic Lieferung Waffen --since 2022
      searchidx kwic Regime --sort right -n 0 --format csv > regime.csv
    """
    from ..api import Index
    from ..output import kwic as render
    from ..output.text import width

    human = fmt == "table"
    with Index(index_path) as ix:
        conc = ix.kwic(word, " ".join(query), sort=sort, limit=limit,
                       context=(context or 60) if not human else max(context or 0, 200),
                       since=since, until=until, authors=author, tags=tag,
                       correct=not no_correct)
    tell(conc.suggestion, conc.notices, bool(conc.articles), " ".join((word,) + query))
    if sort != "date" and conc.read < conc.articles:
        notice(f"note: sorted the lines of the newest {conc.read:,} of {conc.articles:,} "
               "articles (--since, --until or more words narrow them)")
    if conc.articles and not conc.lines:  # (found in a field kwic does not read: tags, authors)
        notice(f"no occurrences of {word!r} in the text of {conc.articles} matching articles")
    if fmt == "csv":
        out = render.render_csv(conc)
    elif fmt == "json":
        out = render.render_json(conc)
    else:
        out = render.render_table(conc, width(), use_color(color), context)
    if out:
        click.echo(out, color=human and use_color(color))
    sys.exit(0 if conc.lines else 1)
