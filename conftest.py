import os

import pytest

# Playwright drives Chromium from its own event loop; Django's async-safety check would
# otherwise refuse the ORM calls that live-server tests make from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")


@pytest.fixture(autouse=True)
def _fresh_search_index(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Every test gets its own embedded search index: the database is rolled back after each
    test, and an index on disk would otherwise remember records that no longer exist."""
    from django.test import override_settings

    from tahaluf.search.services import reset_backend

    folder = tmp_path_factory.mktemp("search-index")
    with override_settings(TAHALUF_SEARCH_INDEX_DIR=str(folder)):
        reset_backend()
        yield
    reset_backend()
