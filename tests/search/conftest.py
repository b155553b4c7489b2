import pytest

from searchidx import Index


@pytest.fixture(scope="module")
def searcher(news_index):
    """A Searcher over the Wikinews index, shared by a module's tests."""
    with Index(str(news_index)) as ix:
        yield ix.searcher()
