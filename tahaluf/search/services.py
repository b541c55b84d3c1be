"""Keeping the index in step with the database, and searching it.

Services of other apps call `record_changed` inside their transaction. The pending change is
applied right after the commit, and in any case before the next search, so the person who
made a change finds it at once, and a crash between commit and index update loses nothing."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction

from tahaluf.lib.bulk import BulkInsert
from tahaluf.search import registry
from tahaluf.search.backends.base import Results, SearchBackend, Viewer
from tahaluf.search.documents import analyze_document, parse_query, split_glued_after
from tahaluf.search.highlight import highlight
from tahaluf.search.models import PendingChange

_backend: SearchBackend | None = None
_backend_lock = threading.Lock()
BATCH = 2000
MAX_LIMIT = 100


def backend() -> SearchBackend:
    global _backend
    with _backend_lock:
        if _backend is None:
            _backend = _make_backend()
        return _backend


def reset_backend() -> None:
    """Forget the backend (tests point each test at a fresh index)."""
    global _backend
    with _backend_lock:
        _backend = None


def _backend_class() -> type[SearchBackend]:
    name = settings.TAHALUF_SEARCH_BACKEND
    if name == "postgres":
        from tahaluf.search.backends.postgres import PostgresBackend

        return PostgresBackend
    if name == "embedded":
        from tahaluf.search.backends.embedded import EmbeddedBackend

        return EmbeddedBackend
    raise ValueError(f"Unknown TAHALUF_SEARCH_BACKEND {name!r}: use embedded or postgres.")


def _make_backend() -> SearchBackend:
    backend_class: Any = _backend_class()
    if settings.TAHALUF_SEARCH_BACKEND == "embedded":
        return backend_class(settings.TAHALUF_SEARCH_INDEX_DIR)  # type: ignore[no-any-return]
    return backend_class()  # type: ignore[no-any-return]


# Following changes -------------------------------------------------------------------------


def record_changed(record: models.Model) -> None:
    """Mark a record (created, edited, published, deleted, merged) for re-indexing."""
    search_type = registry.for_model(type(record))
    if search_type is None or record.pk is None:
        return
    records_changed(search_type.name, [record.pk])


def records_changed(type_name: str, object_ids: Iterable[int], *, defer: bool = False) -> None:
    """Mark records for re-indexing. With `defer`, nothing is applied after the commit: the
    caller (a bulk import) applies the pending changes itself, with a progress bar."""
    rows = [(type_name, pk) for pk in object_ids]
    if len(rows) > 100:
        # A bulk import marks up to 100,000 records: no model instances.
        pending_changes_bulk().run(rows)
    else:
        PendingChange.objects.bulk_create(
            [PendingChange(type=name, object_id=pk) for name, pk in rows], batch_size=BATCH
        )
    if not defer:
        transaction.on_commit(_apply_pending_quietly)


def pending_changes_bulk() -> BulkInsert:
    """Marks for re-indexing written in bulk, rows of (type name, object id): what
    `records_changed` writes for many records, and a bulk import whose rows another process
    makes (tahaluf/lib/staging.py) writes itself, applying them as `defer` does."""
    return BulkInsert(PendingChange, varying=["type", "object_id"], fixed={})


def _apply_pending_quietly() -> None:
    # After the commit the change is safe in the database; if indexing fails now it stays
    # pending and is retried before the next search.
    try:
        apply_pending()
    except Exception:  # noqa: BLE001 - logged, retried later
        import logging

        logging.getLogger(__name__).exception("search index update failed; will retry")


ProgressCallback = Callable[[str, int, int], None]

# Other tables derived from indexed records (duplicate detection's DuplicateKey) follow the
# same pending changes: `changed(type_name, ids)` once a batch is indexed, `rebuilt()` after
# a full rebuild has committed.
_followers: list[Any] = []


def follow(follower: Any) -> None:
    if follower not in _followers:
        _followers.append(follower)


def apply_pending(progress: ProgressCallback | None = None) -> int:
    """Apply every pending change to the index. Returns how many records were refreshed."""
    pending = list(PendingChange.objects.order_by("pk").values_list("pk", "type", "object_id"))
    if not pending:
        return 0
    last_pk = pending[-1][0]
    by_type: dict[str, set[int]] = defaultdict(set)
    for _pk, type_name, object_id in pending:
        by_type[type_name].add(object_id)
    total = sum(len(ids) for ids in by_type.values())
    done = 0
    search_backend = backend()
    vocabulary = search_backend.vocabulary()
    for type_name, ids in by_type.items():
        try:
            search_type = registry.get(type_name)
        except KeyError:
            continue
        ordered = sorted(ids)
        for start in range(0, len(ordered), BATCH):
            chunk = ordered[start : start + BATCH]
            records = list(search_type.queryset().filter(pk__in=chunk))
            documents = search_type.build(records)
            found = {document.object_id for document in documents}
            deletes = [f"{type_name}:{pk}" for pk in chunk if pk not in found]
            search_backend.apply(
                [analyze_document(document, vocabulary) for document in documents], deletes
            )
            for follower in _followers:
                follower.changed(type_name, chunk)
            done += len(chunk)
            if progress:
                progress("indexing", done, total)
    PendingChange.objects.filter(pk__lte=last_pk).delete()
    return total


# Searching ---------------------------------------------------------------------------------


def viewer_for(user: Any) -> Viewer:
    from tahaluf.accounts import permissions

    if permissions.is_secretariat(user):
        return Viewer(everything=True)
    if getattr(user, "is_authenticated", False) and user.is_member_editor:
        return Viewer(organization_id=user.organization_id)
    return Viewer()


def search(
    *, user: Any, text: str, types: Sequence[str] = (), limit: int = 10, offset: int = 0
) -> Results:
    apply_pending()
    known = {item.name for item in registry.types()}
    types = [name for name in types if name in known]
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, min(offset, 10_000))
    search_backend = backend()
    query = parse_query(text[:300], search_backend.vocabulary())
    results = search_backend.search(
        query, types=types, viewer=viewer_for(user), limit=limit, offset=offset
    )
    for hit in results.hits:
        hit.highlight = highlight(hit.title, query)
    return results


# Rebuilding and checking -------------------------------------------------------------------


def _all_documents(progress: ProgressCallback | None) -> Iterable[Any]:
    for search_type in registry.types():
        total = search_type.queryset().count()
        done = 0
        last = None
        while True:
            queryset = search_type.queryset().order_by("pk")
            if last is not None:
                queryset = queryset.filter(pk__gt=last)
            records = list(queryset[:BATCH])
            if not records:
                break
            last = records[-1].pk
            yield from search_type.build(records)
            done += len(records)
            if progress:
                progress(f"{search_type.name}", done, total)


@transaction.atomic
def rebuild(progress: ProgressCallback | None = None) -> int:
    """Rebuild the whole index from the database, streaming the records in batches (read
    and analyzed by worker processes when there are many: parallel.py). Glued words in
    records are split against every other record's words at the end
    (documents.split_glued_after)."""
    from tahaluf.search import parallel

    total = sum(search_type.queryset().count() for search_type in registry.types())
    backend_class: Any = _backend_class()
    rows: Any = None
    first: Iterable[Any] = ()
    # Worker processes are forked now, before the index is opened here and runs threads.
    if parallel.usable(total) and hasattr(backend_class, "add_rows"):
        rows = parallel.Rows(backend_class.row, progress)
    elif parallel.usable(total):
        first = parallel.Analyses(progress)
    else:
        first = (analyze_document(document) for document in _all_documents(progress))
    PendingChange.objects.all().delete()
    for follower in _followers:
        transaction.on_commit(follower.rebuilt)
    search_backend = backend()
    search_backend.clear()
    if rows is not None:
        return search_backend.add_rows(rows)  # type: ignore[attr-defined]
    analyzed = split_glued_after(first)
    if hasattr(search_backend, "add_all"):
        return search_backend.add_all(analyzed)  # type: ignore[attr-defined]
    batch: list[Any] = []
    keys: set[str] = set()
    for item in analyzed:
        batch.append(item)
        keys.add(item.document.key)
        if len(batch) >= BATCH:
            search_backend.apply(batch, [])
            batch = []
    search_backend.apply(batch, [])
    return len(keys)


@dataclass
class CheckReport:
    indexed: int = 0
    expected: int = 0
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    pending: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.stale)


def check() -> CheckReport:
    """Compare the index with what the database says it should hold."""
    report = CheckReport(pending=PendingChange.objects.count())
    apply_pending()
    expected = {document.key: document.digest() for document in _all_documents(None)}
    indexed = backend().digests()
    report.expected = len(expected)
    report.indexed = len(indexed)
    report.missing = sorted(set(expected) - set(indexed))
    report.extra = sorted(set(indexed) - set(expected))
    report.stale = sorted(
        key for key in set(expected) & set(indexed) if expected[key] != indexed[key]
    )
    return report
