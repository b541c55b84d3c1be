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
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from django.db import connections

from tahaluf.search import registry
from tahaluf.search.documents import (
    KNOWN_IN_RECORDS,
    AnalyzedDocument,
    analyze_document,
    split_glued_again,
    tally,
)
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
        # is_in_memory_db: SQLite's wrapper has it; django-stubs do not know it.
        connection.vendor != "sqlite" or not connection.is_in_memory_db()  # type: ignore[attr-defined]
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
    return [_pack(analyzed) for analyzed in _analyzed(batch)]


def _analyzed(batch: tuple[str, int, int]) -> list[AnalyzedDocument]:
    type_name, first, last = batch
    search_type = registry.get(type_name)
    records = list(search_type.queryset().filter(pk__gte=first, pk__lte=last).order_by("pk"))
    return [analyze_document(document) for document in search_type.build(records)]


Row = tuple[Any, ...]
_row: list[Callable[[AnalyzedDocument], Row]] = []


def _start_rows_worker(row: Callable[[AnalyzedDocument], Row]) -> None:
    _forget_connections()
    _row.append(row)


def _rows_batch(batch: tuple[str, int, int]) -> tuple[list[Row], Counter[str], dict[str, str]]:
    analyzed = _analyzed(batch)
    counts, once = tally(analyzed)
    return list(map(_row[0], analyzed)), counts, once


# In the parent ----------------------------------------------------------------------------


class _Batches:
    """Every record of every registered type, in batches of BATCH, to worker processes. The
    workers are started (forked) when this is made: make it before opening anything that
    runs threads of its own (an index writer)."""

    def __init__(
        self,
        progress: ProgressCallback | None,
        initializer: Callable[..., None] = _forget_connections,
        initargs: tuple[Any, ...] = (),
    ) -> None:
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
        self.pool = context.Pool(processes(), initializer=initializer, initargs=initargs)
        self.done: dict[str, int] = dict.fromkeys(self.totals, 0)

    def _results(self, work: Callable[[tuple[str, int, int]], Any]) -> Iterator[Any]:
        try:
            for (type_name, _first, _last), result in zip(
                self.batches, self.pool.imap(work, self.batches), strict=True
            ):
                yield result
                self.done[type_name] += len(result[0] if isinstance(result, tuple) else result)
                if self.progress:
                    self.progress(type_name, self.done[type_name], self.totals[type_name])
        finally:
            self.close()

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


class Analyses(_Batches):
    """The first analysis of every record of every registered type, in order, computed by
    worker processes (for backends that index AnalyzedDocuments)."""

    def __iter__(self) -> Iterator[AnalyzedDocument]:
        for packed in self._results(_analyze_batch):
            for item in packed:
                yield _unpack(item)


class Rows(_Batches):
    """Every record as the row a backend writes (`row(analyzed)`, made in the workers, so
    that the parent only hands rows to the index), in order; then the records whose glued
    words split against every record's words (documents.split_glued_after), made again
    here: a row whose key (its first value) comes again replaces the first."""

    def __init__(
        self, row: Callable[[AnalyzedDocument], Row], progress: ProgressCallback | None = None
    ) -> None:
        super().__init__(progress, _start_rows_worker, (row,))
        self.row = row

    def __iter__(self) -> Iterator[Row]:
        counts: Counter[str] = Counter()
        once: dict[str, str] = {}
        for rows, batch_counts, batch_once in self._results(_rows_batch):
            yield from rows
            counts.update(batch_counts)
            once.update(batch_once)
        rare = {key for token, key in once.items() if counts[token] < KNOWN_IN_RECORDS}
        by_type: dict[str, list[int]] = {}
        for key in sorted(rare):
            type_name, _sep, pk = key.partition(":")
            by_type.setdefault(type_name, []).append(int(pk))
        for search_type in registry.types():
            pks = sorted(by_type.get(search_type.name, []))
            for start in range(0, len(pks), BATCH):
                records = search_type.queryset().filter(pk__in=pks[start : start + BATCH])
                for again in split_glued_again(search_type.build(records), counts):
                    yield self.row(again)
