"""The commit point of a native index folder: `commit.json`, replaced
atomically (written beside, synced, renamed), lists the live segments with
their deletion files, the writer's user data and the files of the commit
before it, which readers may still be using.

Segment files are written once and never changed: a commit only adds new
files and names them; files that neither this commit nor the previous one
names are removed by the next writer. A reader that finds a file gone has
lost a race with two commits and opens the newest commit instead.
"""
from __future__ import annotations

import json
import os
import zlib

from ...checksums import Damaged, write_atomic

COMMIT = "commit.json"
FORMAT = 1


class DamagedCommit(Damaged):
    pass


def read(folder: str) -> dict | None:
    """The commit, or None if the folder has none."""
    try:
        with open(os.path.join(folder, COMMIT), "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        body = json.dumps(data["body"], sort_keys=True, separators=(",", ":")).encode()
        if data["format"] != FORMAT or zlib.crc32(body) != data["crc32"]:
            raise ValueError("checksum or format")
        return data["body"]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError) as e:
        why = "checksum mismatch" if str(e) == "checksum or format" else f"unreadable ({type(e).__name__})"
        raise DamagedCommit(os.path.join(folder, COMMIT), why) from None


def write(folder: str, body: dict) -> None:
    data = {"format": FORMAT, "body": body,
            "crc32": zlib.crc32(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())}
    write_atomic(os.path.join(folder, COMMIT), json.dumps(data, separators=(",", ":")).encode())
    _sync_folder(folder)


def files_of(body: dict) -> set[str]:
    """Every file a commit needs."""
    out = set(body.get("user_data", {}).get("files", ()))
    for seg in body.get("segments", ()):
        out.update((seg["name"] + ".json", seg["name"] + ".dat"))
        if seg.get("deleted"):
            out.add(seg["deleted"])
    return out


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not on this platform
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
