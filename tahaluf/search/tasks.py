"""Background work for search, run by the worker (`tahaluf worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def rebuild_duplicate_keys() -> int:
    """Rebuild the terms duplicate detection looks up (after `tahaluf search rebuild`)."""
    from tahaluf.search.duplicates import rebuild_keys

    return rebuild_keys()
