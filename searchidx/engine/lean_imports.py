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
import threading
import types
from contextlib import contextmanager


class _StandIn(types.ModuleType):
    _package = False

    def __getattr__(self, name: str):
        # The import system probes dunders. A package's __path__ is what an
        # import of a submodule needs (`import asyncio.events`): the real one.
        if name.startswith("__") and not (name == "__path__" and self._package):
            raise AttributeError(name)
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _iscoroutinefunction(func) -> bool:
    # What asyncio.iscoroutinefunction answers (it warns from Python 3.14 and
    # goes in 3.16): inspect's test, or asyncio's own marker, which exists
    # only once asyncio.coroutines is imported.
    if inspect.iscoroutinefunction(func):
        return True
    marker = getattr(sys.modules.get("asyncio.coroutines"), "_is_coroutine", None)
    return marker is not None and getattr(func, "_is_coroutine", None) is marker


_STAND_INS = {"urllib.request": {"urlretrieve": _urlretrieve},
              "asyncio": {"iscoroutinefunction": _iscoroutinefunction, "_package": True}}


@contextmanager
def stand_ins():
    """Modules first imported in this block get the stand-ins for those of
    the two not imported yet. Not while other threads run: they could import
    the real modules meanwhile and get a stand-in."""
    made = {}
    if threading.active_count() == 1:
        for name, attrs in _STAND_INS.items():
            if name not in sys.modules:
                module = made[name] = _StandIn(name)
                module.__dict__.update(attrs)
                parent, _, child = name.rpartition(".")
                if parent:  # `import urllib.request` binds the package: it needs the attribute
                    setattr(importlib.import_module(parent), child, module)
                sys.modules[name] = module
    try:
        yield
    finally:
        for name, module in made.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
            parent, _, child = name.rpartition(".")
            if parent and getattr(sys.modules.get(parent), child, None) is module:
                delattr(sys.modules[parent], child)
