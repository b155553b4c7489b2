"""`searchidx search`: one query (all words given), or a batch of them."""
from __future__ import annotations

import os
import stat
import sys

import click

from ..output import FORMAT_NAMES
from ..output.text import clean
from ..query.syntax import SYNTAX
from . import INDEX_OPTION, cli, fail, notice, tell, terminal, use_color


class _Seconds(click.FloatRange):
    """Seconds > 0 (`inf`: no limit); `nan` would turn the limit off unseen."""

    def convert(self, value, param, ctx):
        seconds = super().convert(value, param, ctx)
        if seconds != seconds:
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        return seconds


SECONDS = _Seconds(min=0, min_open=True)


def _help() -> str:
    """The command's help; its query language is the syntax module's own table."""
    rows = [(typed.replace("`", ""), finds.replace("`", "")) for typed, finds in SYNTAX]
    wide = max(len(t) for t, _ in rows if len(t) <= 34)
    table = "\n".join(f"  {t:<{wide}}  {f}" if len(t) <= 34 else f"  {t}\n  {'':<{wide}}  {f}"
                      for t, f in rows)
    return "\n".join([
        "Search the index for QUERY (all words given form one query).", "",
        "\b", "Query language:", table, "",
        "\b", "Examples:",
        "  searchidx search Putin Kim Raketen",
        "  searchidx search 'tag:Nordkorea' --since 2024-01 --sort date",
        "  searchidx search Waffen --facet tags --format json",
        "  searchidx search --explain Weltraumbahnhof Putn",
        "  printf 'Putin\\nKim\\n' | searchidx search --batch - --format jsonl"])


@cli.command(help=_help())
@click.argument("query", nargs=-1)
@INDEX_OPTION
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None,
              help="Default: table on a terminal, plain in a pipe.")
@click.option("--fields", help="Comma-separated columns, e.g. rank,id,title.")
@click.option("--since", metavar="DATE", help="Only articles from DATE on (YYYY[-MM[-DD]]).")
@click.option("--until", metavar="DATE", help="Only articles up to DATE.")
@click.option("--author", multiple=True, help="Only articles by this author.")
@click.option("--tag", multiple=True, help="Only articles with this tag.")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True, help="date: newest first.")
@click.option("--facet", multiple=True, type=click.Choice(["tags", "authors", "year"]),
              help="Count results by tags, authors or year.")
# (bytes that are not UTF-8 become U+FFFD, as in a query given as an argument)
@click.option("--batch", type=click.File("r", encoding="utf-8", errors="replace"), metavar="FILE",
              help="One query per line ('-' for stdin); one result per query.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for a large --batch (default: number of cores).")
@click.option("--no-correct", is_flag=True, help="Do not correct typos.")
@click.option("--explain", is_flag=True,
              help="Show the query as parsed, each rewrite and why, and why each hit scored.")
@click.option("--timeout", type=SECONDS, default=3.0,
              show_default=True, metavar="SECONDS",  # (searcher.DEFAULT_TIMEOUT)
              help="Stop a query that runs longer.")
@click.option("--color/--no-color", default=None,
              help="Highlight matches (default: on a colour terminal, unless NO_COLOR).")
def search(query, index_path, limit, offset, fmt, fields, since, until, author, tag, sort,
           facet, batch, jobs, no_correct, explain, timeout, color):
    from .. import output
    from ..api import Index
    from ..output.text import width

    text = " ".join(_readable(q) for q in query) if query else None
    if (text is None) == (batch is None):
        raise click.UsageError("give a QUERY or --batch FILE (not both)")
    name = fmt or ("table" if terminal(sys.stdout) else "plain")
    form = output.get(name)
    if facet and not form.shows_facets:
        raise click.UsageError(f"--facet is shown by table, plain, json and jsonl, not {name}")
    if explain and name in ("csv", "tsv"):
        raise click.UsageError(f"--explain is shown by table, plain, json and jsonl, not {name}")
    view = output.View(output.parse_fields(fields), use_color(color) and form.human,
                       width() if form.human else 100)
    options = dict(limit=limit, offset=offset, since=since, until=until, authors=author,
                   tags=tag, sort=sort, facets=facet, correct=not no_correct, explain=explain,
                   timeout=timeout)
    with Index(index_path) as ix:
        if batch is None:
            result = ix.search(text, **options)
            _tell(result, limit, offset)
            out = form.result(result, view)
            if explain and form.human:
                from ..output import explain as explanation

                width = view.width if name == "table" else None  # (a pipe gets whole lines)
                out = "\n\n".join(x for x in (out, explanation.render(result, width)) if x)
            if out:
                click.echo(out, color=view.color)
            sys.exit(0 if result.total else 1)
        with ix.held():  # (fails early, once, if the index is unusable; one point in time)
            _search_batch(ix, batch, jobs, options, form, view)


def _tell(result, limit: int, offset: int) -> None:
    """What a person must know besides the hits, on stderr."""
    tell(result.suggestion, result.notices, bool(result.total), result.query)
    if result.total and not result.hits:
        why = "--limit 0" if not limit else f"--offset {offset} is past the last"
        notice(f"{result.total} results, none shown ({why})")


def _search_batch(ix, batch, jobs, options, form, view):
    """One answer per query line of `batch`, in order; exits as `search` does."""
    from contextlib import closing

    from ..errors import QueryError
    from ..search.batch import in_order

    def answer(item: tuple[int, str]) -> tuple[str | None, bool, str | None]:
        """(output, any results, failure) of one query."""
        qno, q = item
        try:
            result = ix.search(q, **options)
        except QueryError as e:
            return form.batch_error(qno, q, str(e), view), False, f"{clean(q[:60], newlines=False)}: {e}"
        return form.batch_result(qno, result, view), bool(result.total), None

    any_hits, failed, count = False, [], 0
    queries = enumerate((q for q in (line.rstrip("\n") for line in batch) if q.strip()), 1)
    header = form.batch_header(view)
    if header:
        click.echo(header)
    # Workers take four queries at a time from a file, one at a time from a
    # pipe, whose writer may wait for each answer.
    answers = in_order(answer, queries, jobs, chunk=4 if _regular_file(batch) else 1)
    with closing(answers):
        for text, hits, failure in answers:
            count += 1
            any_hits |= hits
            if failure:
                failed.append(failure)
            if text is not None:
                click.echo(text, color=view.color)
    if failed:
        fail(f"{len(failed)} of {count} queries failed; the first: {failed[0]}")
    sys.exit(0 if any_hits else 1)


def _readable(arg: str) -> str:
    """An argument's bytes that are not UTF-8 (surrogates in Python's decoding
    of argv) as U+FFFD, as a batch file's are: they could not be printed back."""
    return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _regular_file(f) -> bool:
    """Whether `f` is a file on disk (not a pipe, which may wait for answers)."""
    try:
        return stat.S_ISREG(os.fstat(f.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        return False
