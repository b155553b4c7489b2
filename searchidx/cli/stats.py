"""`searchidx stats`: what the index holds."""
from __future__ import annotations

import click

from . import INDEX_OPTION, cli


@cli.command()
@INDEX_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
def stats(index_path, fmt):
    """Documents, terms, segments, size, roots, formats and date range of the index."""
    import json

    from ..api import Index
    from ..output.stats import render_stats
    from ..output.text import width

    with Index(index_path) as ix:
        st = ix.stats()
    click.echo(json.dumps(st, ensure_ascii=False, indent=2) if fmt == "json"
               else render_stats(st, width()))
