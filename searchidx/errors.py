"""Errors a user can act on; the CLI prints their message as one line, exit 2."""


class SearchidxError(Exception):
    exit_code = 2


class IndexUnusable(SearchidxError):
    """The index cannot be used (missing, incompatible, untrusted, not a folder)."""


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
