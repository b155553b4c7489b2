"""searchidx: full-text search for German news archives."""
__version__ = "0.1.0"


def __getattr__(name):
    # Lazy, so `searchidx --version` and the CLI's start-up stay fast.
    if name == "Index":
        from .api import Index
        return Index
    raise AttributeError(name)


__all__ = ["Index", "__version__"]
