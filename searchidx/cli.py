"""The `searchidx` command: parses options, calls searchidx.Index, formats output.

Exit codes follow grep: 0 results, 1 no results, 2 usage error, bad query or
unusable index. Errors are one line on stderr, never a traceback."""
from __future__ import annotations

import gc
import os
import stat
import sys

import click

from . import __version__

INDEX_OPTION = click.option(
    "--index", "index_path", envvar="SEARCHIDX_INDEX", default="index", show_default=True,
    metavar="DIR", help="Index folder (also from $SEARCHIDX_INDEX).")


def _use_color(flag: bool | None) -> bool:
    if flag is not None:
        return flag
    return _terminal(sys.stdout) and not os.environ.get("NO_COLOR")


def _terminal(stream) -> bool:
    return stream is not None and stream.isatty()  # (None: started with the stream closed)


def _fail(message: str, code: int = 2):
    click.echo(f"searchidx: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="searchidx")
def cli():
    """Full-text search for German news archives.

    \b
    Examples:
      searchidx index                      # index ./corpus into ./index
      searchidx search "Putin Kim Raketen"
      searchidx search 'author:Hartwich "Hand in Hand"' --format json
      searchidx show 000_9c68a855770dcd16
    """


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build from scratch beside the live index, then switch.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for large builds (default: number of cores).")
@click.option("--max-size", type=click.IntRange(min=1, max=4096), default=8, show_default=True,
              metavar="MB", help="Skip article files larger than this.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: print the report as a JSON object on stdout.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no warnings.")
def index(paths, index_path, rebuild, jobs, max_size, fmt, quiet):
    """Index article files under PATHS (default: the index's roots, else ./corpus).

    Incremental: only new, changed and deleted articles are touched.

    \b
    Examples:
      searchidx index
      searchidx index ~/archive --index ~/archive-index
      searchidx index --rebuild --format json
    """
    import json

    from .api import Index

    bar, held = None, []

    def warn(msg):
        if quiet:
            return
        if bar is None:
            click.echo(f"warning: {msg}", err=True)
        else:  # (printed after the bar, which they would break)
            held.append(msg)

    def progress(done: int, total: int):
        nonlocal bar
        if bar is None:
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr)
        bar.update(done - bar.pos)

    show_bar = not quiet and _terminal(sys.stderr)
    try:
        with Index(index_path) as ix:
            report = ix.index(list(paths) or None, rebuild=rebuild, jobs=jobs,
                              max_bytes=max_size * 1024 * 1024, warn=warn,
                              progress=progress if show_bar else None)
    finally:
        if bar is not None:
            bar.render_finish()
        for msg in held:
            click.echo(f"warning: {msg}", err=True)
    if not quiet:
        click.echo(report.summary(), err=True)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict()))


@cli.command()
@click.argument("query", required=False)
@INDEX_OPTION
@click.option("--limit", "-n", type=click.IntRange(min=0), default=10, show_default=True)
@click.option("--offset", type=click.IntRange(min=0), default=0)
@click.option("--format", "fmt", type=click.Choice(["table", "plain", "json", "jsonl", "csv", "tsv"]),
              default=None, help="Default: table on a terminal, plain in a pipe.")
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
              help="One query per line ('-' for stdin); one result per line.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for a large --batch (default: number of cores).")
@click.option("--no-correct", is_flag=True, help="Do not correct typos.")
@click.option("--color/--no-color", default=None, help="Highlight matches (default: on a terminal, unless NO_COLOR).")
def search(query, index_path, limit, offset, fmt, fields, since, until, author, tag, sort,
           facet, batch, jobs, no_correct, color):
    """Search the index for QUERY.

    \b
    Query language:
      Putin Kim            any word; more matching words rank higher
      "Hand in Hand"       phrase        +must -mustnot   AND OR NOT ( )
      Rak*  Pjongjang~     prefix, fuzzy
      title: author:/autor: tag: lead: body:   date:2023  date:2023-09  date:2023-01..2024-06

    \b
    Examples:
      searchidx search "Putin Kim Raketen"
      searchidx search 'tag:Nordkorea' --since 2024-01 --sort date
      searchidx search Waffen --facet tags --format json
      printf 'Putin\\nKim\\n' | searchidx search --batch - --format jsonl
    """
    from . import output
    from .api import Index

    if (query is None) == (batch is None):
        raise click.UsageError("give a QUERY or --batch FILE (not both)")
    columns = output.parse_fields(fields)
    fmt = fmt or ("table" if _terminal(sys.stdout) else "plain")
    use_color = _use_color(color) and fmt in ("table", "plain")
    options = dict(limit=limit, offset=offset, since=since, until=until, authors=author,
                   tags=tag, sort=sort, facets=facet, correct=not no_correct)

    with Index(index_path) as ix:
        if batch is None:
            result = ix.search(_readable(query), **options)
            click.echo(output.render(result, fmt, columns, use_color), color=use_color)
            sys.exit(0 if result.total else 1)
        ix.searcher()  # fail early, once, if the index is unusable
        _search_batch(ix, batch, jobs, options, fmt, columns, use_color)


def _search_batch(ix, batch, jobs, options, fmt, columns, use_color):
    """One answer per query line of `batch`, in order; exits as `search` does."""
    import json
    from contextlib import closing

    from . import output
    from .errors import QueryError
    from .search.batch import in_order

    def answer(q: str) -> tuple[str | None, bool, str | None]:
        """(output, any results, failure) of one query."""
        try:
            result = ix.search(q, **options)
        except QueryError as e:
            # Each query still answers in the output's own form.
            text = (json.dumps({"query": q, "error": str(e)}, ensure_ascii=False)
                    if fmt in ("json", "jsonl") else
                    f"# {q}\nerror: {e}\n" if fmt in ("table", "plain") else None)
            return text, False, f"{q[:60]}: {e}"
        text = output.render(result, "jsonl" if fmt == "json" else fmt, columns, use_color)
        if fmt not in ("json", "jsonl", "csv", "tsv"):
            text = f"# {q}\n{text}\n"
        return text, bool(result.total), None

    any_hits, failed, count = False, [], 0
    queries = (q for q in (line.rstrip("\n") for line in batch) if q.strip())
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
                click.echo(text, color=use_color)
    if failed:
        _fail(f"{len(failed)} of {count} queries failed; the first: {failed[0]}")
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


@cli.command()
@click.argument("article_id", metavar="ID")
@INDEX_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def show(article_id, index_path, fmt):
    """Show the article with this ID (as listed by `search`)."""
    import json

    from .api import Index

    with Index(index_path) as ix:
        art = ix.show(article_id)
    if fmt == "json":
        click.echo(json.dumps(art.to_dict(), ensure_ascii=False, indent=2))
        return
    head = [f"{art.kicker}: {art.title}" if art.kicker else art.title]
    meta = [x for x in (art.date, ", ".join(art.authors), art.location) if x]
    if meta:
        head.append(" | ".join(meta))
    parts = ["\n".join(head)] + [x for x in (art.lead, art.image_caption and f"Bild: {art.image_caption}", art.body) if x]
    if art.tags:
        parts.append("Tags: " + ", ".join(art.tags))
    if art.links:
        parts.append("Links:\n" + "\n".join(f"  [{link['number']}] {link['target']}" for link in art.links))
    if art.related:
        parts.append("Zum Thema:\n" + "\n".join(f"  - {r['title']}" for r in art.related))
    parts.append(f"({art.id} — {art.path})")
    click.echo("\n\n".join(parts))


@cli.command()
@click.argument("article_id", metavar="ID")
@INDEX_OPTION
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["table", "plain", "json", "jsonl", "csv", "tsv"]),
              default=None)
def similar(article_id, index_path, limit, fmt):
    """Articles like the one with this ID (the article itself excluded)."""
    from . import output
    from .api import Index

    fmt = fmt or ("table" if _terminal(sys.stdout) else "plain")
    with Index(index_path) as ix:
        result = ix.similar(article_id, limit)
    click.echo(output.render(result, fmt))
    sys.exit(0 if result.total else 1)


@cli.command()
@INDEX_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats(index_path, fmt):
    """Documents, terms, segments, size, roots, formats and date range of the index."""
    import json

    from .api import Index

    with Index(index_path) as ix:
        st = ix.stats()
    if fmt == "json":
        click.echo(json.dumps(st, ensure_ascii=False, indent=2))
        return
    import datetime

    from tabulate import tabulate

    rows = [(k, v) for k, v in st.items()]
    rows = [(k, datetime.datetime.fromtimestamp(v).isoformat(timespec="seconds")
             if k == "last_update" and v else
             ", ".join(f"{a}: {b}" for a, b in v.items()) if isinstance(v, dict) else
             " .. ".join(v) if k == "date_range" and v else
             "\n".join(v) if isinstance(v, list) else v) for k, v in rows]
    click.echo(tabulate(rows, tablefmt="plain", disable_numparse=True))


def main():
    from .errors import SearchidxError

    # A command keeps large tables and caches for its short life: young
    # collections every 10,000 allocations instead of 700 (the 400-query
    # batch spent 0.11-0.17 s collecting, now 0.06-0.08 s).
    gc.set_threshold(10_000, 10, 10)
    try:
        cli.main(standalone_mode=False, prog_name="searchidx")
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.ClickException as e:
        _fail(e.format_message(), 2)
    except click.exceptions.Abort as e:
        # click turns an EOFError raised inside a command into Abort as well.
        if isinstance(e.__cause__, EOFError):
            _fail("unexpected end of a file (a damaged index? run `searchidx index --rebuild`)")
        _fail("aborted", 130)
    except SearchidxError as e:
        _fail(str(e), e.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as e:
        _fail(f"{e.filename or ''}: {e.strerror}" if e.strerror else str(e))
    except Exception as e:  # never a traceback for a user; SEARCHIDX_DEBUG shows it
        if os.environ.get("SEARCHIDX_DEBUG"):
            raise
        _fail(f"internal error: {type(e).__name__}: {e} (set SEARCHIDX_DEBUG=1 for details)", 3)


def run():
    """The `searchidx` command: main(), then an exit without the interpreter's
    teardown, which would free a search's tables and caches one object at a
    time (0.1 s after a 400-query batch). Every file is closed by then; the
    output still buffered is flushed."""
    try:
        main()
        code = 0
    except SystemExit as e:
        code = e.code
    except BaseException:  # (SEARCHIDX_DEBUG): the traceback, as Python prints it
        import traceback

        traceback.print_exc()
        code = 1
    if code is not None and not isinstance(code, int):
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more to say
            pass
    os._exit(code or 0)
