"""`searchidx index`: bring an index up to date with its corpus."""
from __future__ import annotations

import sys

import click

from . import INDEX_OPTION, cli, terminal


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@INDEX_OPTION
@click.option("--rebuild", is_flag=True, help="Build from scratch beside the live index, then switch.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes for large builds (default: number of cores).")
@click.option("--memory", type=click.IntRange(min=64), default=None, metavar="MB",
              help="Memory for all processes of the run together (default 1024).")
@click.option("--max-size", type=click.IntRange(min=1, max=4096), default=8, show_default=True,
              metavar="MB", help="Skip article files larger than this.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json: print the report as a JSON object on stdout.")
@click.option("--follow-links", is_flag=True,
              help="Index files that links lead to outside the corpus too (else skipped).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no warnings.")
def index(paths, index_path, rebuild, jobs, memory, max_size, fmt, follow_links, quiet):
    """Index article files under PATHS (default: the index's roots, else ./corpus).

    Incremental: only new, changed and deleted articles are touched.

    \b
    Examples:
      searchidx index
      searchidx index ~/archive --index ~/archive-index
      searchidx index --rebuild --format json
    """
    import json
    import shutil

    from ..api import Index
    from ..output.text import clean

    bar, held = None, []

    def warn(msg):
        if quiet:
            return
        msg = clean(msg, newlines=False)  # (file names are anyone's: no control characters)
        if bar is None:
            click.echo(f"warning: {msg}", err=True)
        else:  # (printed after the bar, which they would break)
            held.append(msg)

    def progress(done: int, total: int):
        nonlocal bar
        if bar is None:
            # the whole line within the terminal, or each update starts a new one
            cols = shutil.get_terminal_size((80, 24)).columns
            bar = click.progressbar(length=total, label="indexing", file=sys.stderr,
                                    width=max(4, cols - 32), show_eta=cols >= 40)
        bar.update(done - bar.pos)

    show_bar = not quiet and terminal(sys.stderr)
    try:
        with Index(index_path) as ix:
            report = ix.index(list(paths) or None, rebuild=rebuild, jobs=jobs,
                              max_bytes=max_size * 1024 * 1024,
                              memory=memory * 1024 * 1024 if memory else None,
                              follow_links=follow_links, warn=warn,
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
