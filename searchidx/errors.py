"""Errors a user can act on; the CLI prints their message as one line, exit 2
(NotFound: exit 1, as grep's "nothing found")."""


class SearchidxError(Exception):
    exit_code = 2


class IndexUnusable(SearchidxError):
    """The index cannot be used (missing, incompatible, damaged, not a folder)."""


class IndexDamaged(IndexUnusable):
    """A file of the index is not as it was written."""


REBUILD = "run `searchidx index --rebuild`"


def damaged(path: str, error: Exception) -> IndexDamaged:
    """The error for an index whose files cannot be read: one line naming
    the file (checksums.Damaged knows it), with the remedy."""
    file, why = getattr(error, "path", None), getattr(error, "why", None)
    if file and why:
        return IndexDamaged(f"index file {file} is damaged ({_one_line(why)}); {REBUILD}")
    detail = _one_line(str(error))
    name = type(error).__name__ + (f": {detail}" if detail else "")
    return IndexDamaged(f"index {path} is damaged ({name}); {REBUILD}")


def _one_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


class RunFailed(SearchidxError):
    """An index run that stopped before its commit (a full disk, a killed
    worker): the index is as it was before the run."""


class NoIndex(IndexUnusable):
    pass


class IndexBusy(SearchidxError):
    pass


class CorpusError(SearchidxError):
    pass


class QueryError(SearchidxError):
    pass


class UsageError(SearchidxError):
    """An argument that cannot be used as given (the remedy in the message)."""


class NotFound(SearchidxError):
    exit_code = 1
