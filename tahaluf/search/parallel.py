"""Rebuilding a large index on every processor of the machine.

Reading a record, building its SearchDocument and analyzing its names costs about 0.1 ms of
Python; for a million records that is minutes on one processor. When there are at least
PARALLEL_MIN records, `services.rebuild` has worker processes do that work, batch by batch,
while it writes what they return to the index in the order of the records. Workers are
forked: each opens its own database connection (the rebuild's own transaction stays in the
parent, untouched) and reads committed rows only, which is all a rebuild reads.

The results are the same as in one process: each worker returns the first analysis of each
document (documents.analyze_document), and documents.split_glued_after splits glued words
against all of them, in the parent, as documents.analyze_documents does."""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections

from tahaluf.search import registry
from tahaluf.search.documents import AnalyzedDocument, analyze_document
from tahaluf.search.registry import SearchDocument

PARALLEL_MIN = 20_000
BATCH = 2000
MAX_PROCESSES = 4
WORKER_NICENESS = 10

ProgressCallback = Callable[[str, int, int], None]


def processes() -> int:
    return min(MAX_PROCESSES, os.cpu_count() or 1)


def usable(total: int) -> bool:
    """Is it worth (and safe) to rebuild `total` records in worker processes?"""
    if total < PARALLEL_MIN or (os.cpu_count() or 1) < 2:
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    # Workers see the database through their own connections: not an in-memory one.
    return all(
        connection.vendor != "sqlite" or not connection.is_in_memory_db()
        for connection in connections.all()
    )


# In a worker ------------------------------------------------------------------------------

_inherited: list[Any] = []


def _forget_connections() -> None:
    """Forked from the parent: leave its connections alone (kept referenced, so that they are
    never closed from here) and open new ones when needed. Workers yield the processor to
    the parent, which must keep the index writer fed."""
    for connection in connections.all(initialized_only=True):
        _inherited.append(connection.connection)
        connection.connection = None
    os.nice(WORKER_NICENESS)


_FIELDS = tuple(field.name for field in dataclasses.fields(SearchDocument))


def _pack(analyzed: AnalyzedDocument) -> tuple[Any, ...]:
    # Plain tuples travel between processes several times faster than dataclasses.
    document = analyzed.document
    return (
        tuple(getattr(document, name) for name in _FIELDS),
        analyzed.tokens,
        analyzed.words,
        analyzed.stems,
        analyzed.keys,
        analyzed.exact,
        analyzed.context,
    )


_ANALYZED = tuple(field.name for field in dataclasses.fields(AnalyzedDocument))


def _unpack(packed: tuple[Any, ...]) -> AnalyzedDocument:
    # The frozen dataclasses' __init__ sets fields one by one through object.__setattr__;
    # filling __dict__ at once makes the same objects in a third of the time.
    document = object.__new__(SearchDocument)
    document.__dict__.update(zip(_FIELDS, packed[0], strict=True))
    analyzed = object.__new__(AnalyzedDocument)
    analyzed.__dict__.update(zip(_ANALYZED, (document, *packed[1:]), strict=True))
    return analyzed


def _analyze_batch(batch: tuple[str, int, int]) -> list[tuple[Any, ...]]:
    type_name, first, last = batch
    search_type = registry.get(type_name)
    records = list(search_type.queryset().filter(pk__gte=first, pk__lte=last).order_by("pk"))
    return [_pack(analyze_document(document)) for document in search_type.build(records)]


# In the parent ----------------------------------------------------------------------------


class Analyses:
    """The first analysis of every record of every registered type, in order, computed by
    worker processes. The workers are started (forked) when this is made: make it before
    opening anything that runs threads of its own (an index writer)."""

    def __init__(self, progress: ProgressCallback | None = None) -> None:
        self.progress = progress
        self.batches: list[tuple[str, int, int]] = []
        self.totals: dict[str, int] = {}
        for search_type in registry.types():
            pks = list(search_type.queryset().order_by("pk").values_list("pk", flat=True))
            self.totals[search_type.name] = len(pks)
            for start in range(0, len(pks), BATCH):
                chunk = pks[start : start + BATCH]
                self.batches.append((search_type.name, chunk[0], chunk[-1]))
        context = multiprocessing.get_context("fork")
        self.pool = context.Pool(processes(), initializer=_forget_connections)

    def __iter__(self) -> Iterator[AnalyzedDocument]:
        done: dict[str, int] = dict.fromkeys(self.totals, 0)
        try:
            for (type_name, _first, _last), packed in zip(
                self.batches, self.pool.imap(_analyze_batch, self.batches), strict=True
            ):
                for item in packed:
                    yield _unpack(item)
                done[type_name] += len(packed)
                if self.progress:
                    self.progress(type_name, done[type_name], self.totals[type_name])
        finally:
            self.close()

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
