"""`searchidx verify`: check every file of the index against its checksum."""
from __future__ import annotations

import click

from . import INDEX_OPTION, cli, fail


@cli.command()
@INDEX_OPTION
def verify(index_path):
    """Read every file of the index and check it against its checksum.

    Searches check the small files whole and the large ones by their
    structure only; this reads everything (like Lucene's CheckIndex). Exit 0:
    every file is as written; 2: a file is damaged (named, with the remedy).
    """
    from ..errors import REBUILD
    from ..indexing.check import verify as check
    from ..indexing.store import Store

    store = Store(index_path)
    checked, damaged = check(store)
    if damaged:
        first = damaged[0]
        more = f" (and {len(damaged) - 1} more damaged files)" if len(damaged) > 1 else ""
        fail(f"index file {first.path} is damaged ({first.why}){more}; {REBUILD}")
    click.echo(f"index {store.path}: {len(checked)} files checked, all as written", err=True)
