"""Errors a user can act on; the CLI prints their message as one line, exit 2."""


class SearchidxError(Exception):
    exit_code = 2


class IndexUnusable(SearchidxError):
    """The index cannot be used (missing, incompatible, untrusted, not a folder)."""


def damaged(path: str, error: Exception) -> IndexUnusable:
    """The error for an index whose files cannot be read: one line, with the remedy."""
    detail = str(error).splitlines()[0] if str(error) else ""
    name = type(error).__name__ + (f": {detail}" if detail else "")
    return IndexUnusable(f"index {path} is damaged ({name}); run `searchidx index --rebuild`")


class NoIndex(IndexUnusable):
    pass


class IndexBusy(SearchidxError):
    pass


class CorpusError(SearchidxError):
    pass


class QueryError(SearchidxError):
    pass


class NotFound(SearchidxError):
    exit_code = 1
