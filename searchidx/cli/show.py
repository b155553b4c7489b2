"""`searchidx show` and `searchidx similar`: one article, and articles like it."""
from __future__ import annotations

import os
import sys

import click

from ..output import FORMAT_NAMES
from . import INDEX_OPTION, cli, notice, terminal, use_color


def _complete_id(ctx, param, incomplete):
    """Article ids of the index given so far (or the default one) that start so."""
    from ..api import Index

    try:
        with Index(ctx.params.get("index_path")) as ix:
            return ix.searcher().reader.doc_ids(incomplete, 50)
    except Exception:  # completion must never fail loudly
        return []


def resolve_id(ix, arg: str) -> str:
    """An article id, or the id of the article a corpus file holds."""
    from ..errors import NotFound, UsageError

    if not os.path.isfile(arg):
        return arg
    path = os.path.realpath(arg)
    for root in ix.searcher().reader.user_data.get("roots", []):
        root = os.path.realpath(root)
        if os.path.isfile(root) and root == path:
            key = os.path.basename(path)
        elif path.startswith(root.rstrip(os.sep) + os.sep):
            key = os.path.relpath(path, root).replace(os.sep, "/")
        else:
            continue
        stem, suffix = os.path.splitext(key)
        if suffix.lower() == ".jsonl":
            raise UsageError(f"{arg} holds many articles; give one of their ids ({stem}/<record id>)")
        return stem
    raise NotFound(f"{arg} is not in the corpus this index was built from; give an article id")


@cli.command()
@click.argument("article_id", metavar="ID", shell_complete=_complete_id)
@INDEX_OPTION
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--pager/--no-pager", default=None, help="Page long articles (default: on a terminal).")
def show(article_id, index_path, fmt, pager):
    """Show the article with this ID (as listed by `search`), or the one a corpus file holds."""
    import json

    from ..api import Index
    from ..output.article import render_article
    from ..output.text import width

    with Index(index_path) as ix:
        art = ix.show(resolve_id(ix, article_id))
    if fmt == "json":
        click.echo(json.dumps(art.to_dict(), ensure_ascii=False, indent=2))
        return
    text = render_article(art, min(width(), 100) if terminal(sys.stdout) else width())
    if pager if pager is not None else terminal(sys.stdout):
        click.echo_via_pager(text + "\n")
    else:
        click.echo(text)


@cli.command()
@click.argument("article_id", metavar="ID", shell_complete=_complete_id)
@INDEX_OPTION
@click.option("--limit", "-n", type=click.IntRange(min=1), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(FORMAT_NAMES), default=None)
@click.option("--color/--no-color", default=None)
def similar(article_id, index_path, limit, fmt, color):
    """Articles like the one with this ID (the article itself excluded)."""
    from .. import output
    from ..api import Index
    from ..output.text import width

    form = output.get(fmt or ("table" if terminal(sys.stdout) else "plain"))
    view = output.View(None, use_color(color) and form.human, width() if form.human else 100)
    with Index(index_path) as ix:
        result = ix.similar(resolve_id(ix, article_id), limit)
    if not result.total:
        notice("no similar articles")
    out = form.result(result, view)
    if out:
        click.echo(out, color=view.color)
    sys.exit(0 if result.total else 1)
