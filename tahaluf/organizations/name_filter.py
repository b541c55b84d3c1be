"""The directory's name contains-filter, fast at 100,000 organizations.

The filter keeps the organizations whose Arabic or English sort name, or acronym, contains
the text typed (`LIKE '%…%'`, as before). Without help that is a scan of every row: 30 to
60 ms at 100,000 organizations on SQLite, for the count and again for the page. Two helps:

- **A trigram index (SQLite FTS5, `trigram` tokenizer, no positions).** It gives, fast, the
  organizations that have every three-letter piece of the text somewhere in their names: a
  superset of the answer, which the same `LIKE` conditions then narrow to the exact answer.
  Used when that superset is small (at most EXACT_FROM_TRIGRAMS records): then the count and
  the page read those few rows only.
- **A cap for common text.** Text found in thousands of names (تنمية, جمعية) is found fast
  by reading the names in order until enough match, but counting all of them would still
  scan everything. The directory then says "more than 2,000" and pages through the first
  2,000 (MATCH_CAP), and asks the reader to narrow the filter.

The trigram table holds every organization (published or not; the directory's own
conditions decide who sees what) and follows the search index's pending changes
(`TrigramFollower`, registered in apps.py). While organization changes are pending, as right
after a large import until `tahaluf import` has updated the index, the filter does without
it, so it is never out of date, only slower. PostgreSQL has no such table here: the filter
scans there (deployments that need it can add a `pg_trgm` GIN index on the sort names).
Text of fewer than three letters has no trigram: it takes the capped scan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

TABLE = "organizations_name_trigrams"
MATCH_CAP = 2000
EXACT_FROM_TRIGRAMS = 6000
MAX_TRIGRAMS = 16  # more pieces narrow no further in practice, and cost time

# A row with this key (no organization has it) says the table is complete.
COMPLETE_MARK = 0
CREATE_SQL = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "sort_ar, sort_en, acronym, tokenize = 'trigram', detail = 'none')"
)
_FILL_SQL = (
    f"INSERT INTO {TABLE} (rowid, sort_ar, sort_en, acronym) "
    "SELECT id, sort_ar, sort_en, lower(acronym) FROM organizations_organization"
)


def contains_condition(needle: str) -> Q:
    """The filter itself: what every path below returns exactly."""
    return Q(sort_ar__contains=needle) | Q(sort_en__contains=needle) | Q(acronym__icontains=needle)


def filter_names(queryset: QuerySet[Any], text: str) -> QuerySet[Any]:
    """`queryset` narrowed to names containing `text` (casefolded here), through the trigram
    index where it helps. The caller orders it and pages it with `CappedPaginator`."""
    needle = text.strip().casefold()
    condition = contains_condition(needle)
    match = _match_expression(needle)
    if match is None or not _trigrams_current():
        return queryset.filter(condition)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s)",
            [match, EXACT_FROM_TRIGRAMS + 1],
        )
        candidates = cursor.fetchone()[0]
    if candidates > EXACT_FROM_TRIGRAMS:
        return queryset.filter(condition)
    return queryset.filter(
        condition, pk__in=RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match])
    )


class CappedPaginator(Paginator):
    """Counts at most MATCH_CAP + 1 rows: reading the names in order stops there."""

    object_list: QuerySet[Any]  # a queryset, not any sequence: it is counted with a query

    def __init__(self, *args: Any, cap: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cap = MATCH_CAP if cap is None else cap
        self.more_than_cap = False

    @property
    def count(self) -> int:  # type: ignore[override]
        if not hasattr(self, "_capped_count"):
            # Unordered: any MATCH_CAP + 1 rows will do, wherever the scan finds them first.
            unordered = self.object_list.order_by().values_list("pk", flat=True)
            found = len(unordered[: self.cap + 1])
            self.more_than_cap = found > self.cap
            self._capped_count = min(found, self.cap)
        return self._capped_count


def _match_expression(needle: str) -> str | None:
    """An FTS5 query asking for every trigram of the text (each quoted, so that no letter
    is read as syntax), or None for text too short to have one."""
    if len(needle) < 3:
        return None
    pieces = list(dict.fromkeys(needle[i : i + 3] for i in range(len(needle) - 2)))
    if len(pieces) > MAX_TRIGRAMS:
        step = len(pieces) / MAX_TRIGRAMS
        pieces = [pieces[int(i * step)] for i in range(MAX_TRIGRAMS)] + [pieces[-1]]
    return " AND ".join('"{}"'.format(piece.replace('"', '""')) for piece in pieces)


def _trigrams_current() -> bool:
    """Is the table there, complete, and caught up with every organization change?"""
    from tahaluf.search.models import PendingChange

    if connection.vendor != "sqlite" or not _table_exists():
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {TABLE} WHERE rowid = %s", [COMPLETE_MARK])
        if cursor.fetchone() is None:
            return False
    return not PendingChange.objects.filter(type="organization").exists()


_known_tables: set[str] = set()


def _table_exists() -> bool:
    key = connection.settings_dict["NAME"]
    if key in _known_tables:
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = %s", [TABLE])
        if cursor.fetchone() is None:
            return False
    _known_tables.add(key)
    return True


def refresh(ids: Sequence[int]) -> None:
    """Bring these organizations' rows up to date (deleted ones disappear)."""
    ids = [pk for pk in ids if pk != COMPLETE_MARK]
    if connection.vendor != "sqlite" or not _table_exists() or not ids:
        return
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)
            cursor.execute(f"{_FILL_SQL} WHERE id IN ({marks})", chunk)


def mark_incomplete() -> None:
    if connection.vendor == "sqlite" and _table_exists():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [COMPLETE_MARK])


def rebuild() -> int:
    """Fill the table afresh from the organizations, in one transaction (readers keep the
    old table until the commit); returns how many rows it holds."""
    if connection.vendor != "sqlite" or not _table_exists():
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        # Emptying an FTS5 table row by row costs as much as filling it: drop it instead.
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(CREATE_SQL)
        cursor.execute(_FILL_SQL)
        count = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {TABLE} (rowid, sort_ar, sort_en, acronym) VALUES (%s, '', '', '')",
            [COMPLETE_MARK],
        )
    return count


class TrigramFollower:
    """Registered with the search index (search.services.follow). A full rebuild of the
    index drops the pending changes it covers, which this table never saw: it is then
    rebuilt too, by the worker, and not used until that is done."""

    def changed(self, type_name: str, ids: Sequence[int]) -> None:
        if type_name == "organization":
            refresh(ids)

    def rebuilt(self) -> None:
        from tahaluf.organizations.tasks import rebuild_name_trigrams

        mark_incomplete()
        rebuild_name_trigrams.enqueue()


TRIGRAM_FOLLOWER = TrigramFollower()
