"""Importing Whoosh without two modules it does not use here.

whoosh.compat imports urllib.request (with http.client, email and ssl) for
an `urlretrieve` that nothing calls, and whoosh.reading's cached_property
imports asyncio, which it needs only for properties that are coroutines:
30 ms, an eighth of a cold `searchidx search`. While Whoosh is imported
they are stand-ins that import the real module when first used; afterwards
both import as usual.
"""
from __future__ import annotations

import importlib
import inspect
import sys
import types
from contextlib import contextmanager


class _StandIn(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):  # the import system's probes
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _iscoroutinefunction(func) -> bool:
    # asyncio's test adds only functions carrying its own marker, which
    # exist only once asyncio is imported.
    real = sys.modules.get("asyncio")
    if real is not None and not isinstance(real, _StandIn):
        return real.iscoroutinefunction(func)
    return inspect.iscoroutinefunction(func)


_STAND_INS = {"urllib.request": {"urlretrieve": _urlretrieve},
              "asyncio": {"iscoroutinefunction": _iscoroutinefunction}}


@contextmanager
def stand_ins():
    """Modules first imported in this block get the stand-ins for those of
    the two not imported yet."""
    made = {}
    for name, attrs in _STAND_INS.items():
        if name not in sys.modules:
            module = made[name] = sys.modules[name] = _StandIn(name)
            module.__dict__.update(attrs)
    try:
        yield
    finally:
        for name, module in made.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
