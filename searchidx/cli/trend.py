"""`searchidx trend`: how many articles each query matches per year or month."""
from __future__ import annotations

import sys

import click

from . import INDEX_OPTION, cli, tell, use_color


@cli.command()
@click.argument("queries", nargs=-1, required=True, metavar="QUERY...")
@INDEX_OPTION
@click.option("--by", type=click.Choice(["year", "month"]), default="year", show_default=True,
              help="The period counted in.")
@click.option("--since", metavar="DATE", help="From DATE on (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Up to DATE.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="table: a bar chart; csv, json: the counts, to plot elsewhere.")
@click.option("--no-correct", is_flag=True, help="Do not correct typos.")
@click.option("--color/--no-color", default=None,
              help="A colour per query (default: on a colour terminal, unless NO_COLOR).")
def trend(queries, index_path, by, since, until, fmt, no_correct, color):
    """Matching articles per year (or month) for each QUERY: a bar chart.

    Each QUERY is one series (quote a query of several words); every
    matching article counts, not only the best. Articles without a date are
    counted apart, as are, by month, those dated only to the year.

    \b
    Examples:
      searchidx trend Klimawandel Energiewende
      searchidx trend 'Putin Kim' --by month --since 2023
      searchidx trend Regierung Wahl --format csv > trend.csv
    """
    from ..api import Index
    from ..output import trend as render
    from ..output.text import width

    with Index(index_path) as ix:
        result = ix.trend(list(queries), by=by, since=since, until=until,
                          correct=not no_correct)
    for s in result.series:
        label = f" (query {s.query!r})" if len(result.series) > 1 else ""
        tell(s.suggestion, s.notices, bool(s.total), s.query, label)
    if fmt == "csv":
        out = render.render_csv(result)
    elif fmt == "json":
        out = render.render_json(result)
    else:
        out = render.render_table(result, width(), use_color(color), _can_encode("█▏"))
    if out:
        click.echo(out, color=fmt == "table" and use_color(color))
    sys.exit(0 if any(s.total for s in result.series) else 1)


def _can_encode(text: str) -> bool:
    """Whether stdout can show these characters (not in an ASCII locale)."""
    try:
        text.encode(sys.stdout.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False
