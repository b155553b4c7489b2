"""Index engines behind one seam (base.py). An index folder's meta names the
backend that wrote it; a new backend is one more folder here and one line
in BACKENDS."""
from __future__ import annotations

import importlib

DEFAULT = "native"
BACKENDS = {"native": "searchidx.backend.native"}


def get(name: str = DEFAULT):
    """The backend called `name` (its module is imported on first use)."""
    try:
        module = BACKENDS[name]
    except KeyError:
        raise ValueError(f"unknown backend {name!r} (known: {', '.join(BACKENDS)})") from None
    return importlib.import_module(module).BACKEND
