"""`searchidx verify`: every file of the live generation read whole and
checked against its checksum, like Lucene's CheckIndex. Opening an index
checks CURRENT, meta.json, the commit and the segment descriptions whole,
but of a segment's data file only its structure (and small arrays when
first used): reading gigabytes on every search would cost more than the
search. This reads everything."""
from __future__ import annotations

import os

from ..checksums import Damaged
from ..errors import NoIndex
from . import vocabulary
from .manifest import Manifest
from .store import Store, backend_of, check_version, read_meta


def verify(store: Store) -> tuple[list[str], list[Damaged]]:
    """(the files checked, relative to the index folder; the damaged ones)."""
    store.check_usable()
    checked = ["CURRENT"]
    try:
        gen = store.current()
        if gen is None:
            raise NoIndex(f"no index in {store.path}; run `searchidx index` first")
        checked.append(os.path.join(os.path.basename(gen), "meta.json"))
        meta = read_meta(gen)
    except Damaged as e:
        return checked, [e]
    except FileNotFoundError:
        return checked, [Damaged(os.path.join(store.path, "CURRENT"), "names a missing generation")]
    check_version(meta, store.path)
    backend = backend_of(meta)
    files, found = backend.verify(gen)
    checked += [os.path.join(os.path.basename(gen), f) for f in files]
    if found and any(d.path.endswith("commit.json") for d in found):
        return checked, found
    user = backend.user_data(gen)
    for key, load in (("manifest", Manifest.load), ("vocabulary", vocabulary.load)):
        name = user.get(key)
        if not name:
            found.append(Damaged(os.path.join(gen, f"({key})"), "the commit names none"))
            continue
        checked.append(os.path.join(os.path.basename(gen), name))
        try:
            load(os.path.join(gen, name))
        except FileNotFoundError:
            found.append(Damaged(os.path.join(gen, name), "missing"))
        except Damaged as e:
            found.append(e)
        except (ValueError, KeyError, TypeError) as e:
            found.append(Damaged(os.path.join(gen, name), f"unreadable ({type(e).__name__})"))
    return checked, found
