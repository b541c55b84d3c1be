import os

import pytest

# Playwright drives Chromium from its own event loop; Django's async-safety check would
# otherwise refuse the ORM calls that live-server tests make from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright")
