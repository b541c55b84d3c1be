"""CSV import and export of organizations (columns in docs/import.md).

The import reads and validates every row before it writes anything, then writes everything
in one transaction with bulk statements, so that a bad file writes nothing and a good one
of 100,000 rows takes seconds. Rows are matched by `external_id`: importing the same file
again changes nothing."""

from __future__ import annotations

import csv
import datetime
import functools
import gc
import io
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from json.encoder import encode_basestring as _json_string
from multiprocessing.connection import Connection
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tahaluf.audit.models import Action, Change
from tahaluf.audit.services import actor_label
from tahaluf.lib.bulk import BulkInsert
from tahaluf.lib.checkpoint import checkpoint_later
from tahaluf.lib.staging import (
    Child,
    Staging,
    scratch_staging,
    staging_possible,
    write_scratch,
)
from tahaluf.lib.staging import atomic as staging_atomic
from tahaluf.organizations.models import BilingualNameMixin, FocusArea, Kind, Organization
from tahaluf.search.duplicates import RowDuplicate, likely_duplicates_for_rows
from tahaluf.search.services import pending_changes_bulk, records_changed

COLUMNS = [
    "external_id",
    "name_ar",
    "name_en",
    "acronym",
    "kind",
    "country",
    "city",
    "founded_year",
    "member_count",
    "partner_count",
    "website",
    "focus_areas",
]
REQUIRED_COLUMNS = ["external_id", "kind"]
# Organization fields an import writes, in the order the history lists them.
IMPORTED_FIELDS = [
    "external_id",
    "name_ar",
    "name_en",
    "acronym",
    "kind",
    "country",
    "city",
    "founded_year",
    "member_count",
    "member_count_at_least",
    "partner_count",
    "partner_count_at_least",
    "website",
]
# The keys of a clean row: IMPORTED_FIELDS, the focus areas, and the row's number in the file.
CLEAN_KEYS = (*IMPORTED_FIELDS, "focus_areas", "_row")
MAX_LENGTHS = {
    "external_id": 100,
    "name_ar": 300,
    "name_en": 300,
    "acronym": 50,
    "city": 150,
    "website": 500,
}
COUNT_PATTERN = re.compile(r"^(\d{1,8})(\+?)$")
# Web addresses of the plainest shape (http or https, an ASCII host name ending in a
# letters-only top-level domain, no port or user, a path of unreserved characters). Every
# such address of at most 253 characters is one that Django's URLValidator accepts (a test
# checks it), so these skip its slower checks; every other address goes through it.
PLAIN_URL = re.compile(
    r"https?://(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
    r"(?:/[A-Za-z0-9._~%/?#=&+-]*)?"
)
BATCH_SIZE = 2000
# From this many rows, a second process checks half of them, and then writes half of the
# new organizations and the history of all (tahaluf/lib/staging.py).
SECOND_PROCESS_FROM = 20_000
# The search index's name for organizations (their search marks).
SEARCH_TYPE = "organization"

PROBLEM_MESSAGES = {
    "encoding": _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
    "empty": _("The file has no header row."),
    "csv": _("The file is not valid CSV: %(detail)s"),
    "missing_column": _("The column “%(column)s” is missing from the header row."),
    "unknown_column": _(
        "The column “%(column)s” is not one Tahaluf knows. Known columns: %(known)s."
    ),
    "duplicate_column": _("The column “%(column)s” appears twice in the header row."),
    "extra_cells": _("This row has more cells than the header row."),
    "required": _("A value is required here."),
    "name_required": _("Give name_ar or name_en (or both)."),
    "too_long": _("At most %(limit)s characters are allowed; this has %(length)s."),
    "duplicate_id": _("The external_id “%(value)s” is also used on row %(other_row)s."),
    "kind": _("“%(value)s” is not a kind. Use one of: %(choices)s."),
    "country": _("“%(value)s” is not an ISO 3166-1 alpha-2 country code, such as PS or EG."),
    "year": _("“%(value)s” is not a year between 1800 and %(max_year)s."),
    "count": _(
        "“%(value)s” is not a count. Write a whole number, such as 55, or a minimum such as 120+."
    ),
    "url": _("“%(value)s” is not a web address. Write it in full, starting with https://"),
    "focus_area": _("A focus area has at most 100 characters."),
}


@dataclass(frozen=True)
class RowProblem:
    """A problem on a row (1 = the header row) and column, rendered in the reader's language."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        return (
            str(PROBLEM_MESSAGES[self.code]) % self.params
            if self.params
            else str(PROBLEM_MESSAGES[self.code])
        )

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowProblem:
        return cls(
            row=data["row"],
            column=data["column"],
            code=data["code"],
            params=data.get("params") or {},
        )


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


ProgressCallback = Callable[[str, int, int], None]


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


class ImportInvalid(Exception):
    def __init__(self, problems: list[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class ImportNeedsConfirmation(Exception):
    """New rows that are probably organizations already in the registry: nothing was written;
    import again with allow_duplicates=True to write them anyway."""

    def __init__(self, duplicates: list[RowDuplicate]) -> None:
        super().__init__(f"{len(duplicates)} likely duplicate(s)")
        self.duplicates = duplicates


# Reading and validating ------------------------------------------------------------------


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportInvalid([RowProblem(0, "", "encoding")]) from None


class _Validator:
    def __init__(self, header: list[str]) -> None:
        self.kinds = set(Kind.values)
        self.kind_list = ", ".join(Kind.values)
        self.countries = {code for code, _name in countries}
        self.max_year = datetime.date.today().year
        self.seen_ids: dict[str, int] = {}
        # The cells of COLUMNS in a row, in that order; a column the file lacks reads as the
        # empty cell that row() appends after the last one.
        self.width = len(header)
        self.cells_of = operator.itemgetter(
            *(header.index(name) if name in header else self.width for name in COLUMNS)
        )

    @functools.cached_property
    def url_validator(self) -> URLValidator:
        """Django's, for the web addresses PLAIN_URL does not take: made when first needed,
        as compiling its expression takes a tenth of a second."""
        validator = URLValidator()
        lazy = validator.regex
        if not isinstance(lazy, str):
            # Compiled, not through Django's lazy wrapper, which costs more than the match;
            # with the flags Django gave, so that `re` finds it compiled already.
            validator.regex = re.compile(lazy.pattern, lazy.flags & ~re.UNICODE)
        return validator

    def row(self, number: int, cells: list[str], problems: list[RowProblem]) -> dict[str, Any]:
        """Check one row (no more cells than the header); the clean values, or {} and the
        row's problems appended to `problems`."""
        cells = cells + [""] * (self.width + 1 - len(cells))
        clean = self._clean(cells)
        if clean is not None and clean["external_id"] not in self.seen_ids:
            self.seen_ids[clean["external_id"]] = number
            return clean
        return self._checked(number, cells, problems)

    def all_rows(self, records: list[list[str]], numbers: list[int]) -> dict[str, list[Any]] | None:
        """The clean values of every record (numbered as in the file), a column at a time
        (CLEAN_KEYS), when every one is right (most files), else None, and `row` says what is
        wrong, record by record.

        The same rules as `_clean`, a column at a time: most columns hold few different
        values (kinds, countries, years, counts, focus areas), each checked and converted
        once, and the work over 100,000 cells runs in C (map, set, max). A test holds it to
        the record-by-record result."""
        count = len(records)
        if not count or max(map(len, records)) > self.width:
            return None
        if min(map(len, records)) < self.width:  # cells left off at the end of a row
            records = [cells + [""] * (self.width - len(cells)) for cells in records]
        blank = [""] * count
        column_of = {
            name: list(map(str.strip, map(operator.itemgetter(index), records)))
            if index < self.width
            else blank
            for name, index in zip(COLUMNS, self.cells_of(list(range(self.width + 1))), strict=True)
        }
        ids = column_of["external_id"]
        if (
            "" in ids
            or len(set(ids)) != count
            or any(
                max(map(len, column_of[name]), default=0) > limit
                for name, limit in MAX_LENGTHS.items()
            )
            or not all(map(len, map(operator.add, column_of["name_ar"], column_of["name_en"])))
        ):
            return None
        kinds = list(map(str.lower, column_of["kind"]))
        countries = list(map(str.upper, column_of["country"]))
        if not set(kinds) <= self.kinds or not set(countries) - {""} <= self.countries:
            return None
        years: dict[str, int | None] = {"": None}
        for text in set(column_of["founded_year"]) - {""}:
            if not (text.isdigit() and 1800 <= int(text) <= self.max_year):
                return None
            years[text] = int(text)
        counts: dict[str, tuple[int | None, bool]] = {"": (None, False)}
        for text in set(column_of["member_count"]) | set(column_of["partner_count"]):
            if text:
                match = COUNT_PATTERN.match(text)
                if match is None:
                    return None
                counts[text] = (int(match.group(1)), bool(match.group(2)))
        for website in set(column_of["website"]) - {""}:
            if not (len(website) <= 253 and PLAIN_URL.fullmatch(website)):
                try:
                    self.url_validator(website)
                except ValidationError:
                    return None
        # One list per different cell, shared by the rows that have it (nothing changes it).
        focus_of: dict[str, list[str]] = {}
        for text in set(column_of["focus_areas"]):
            focus = sorted({part.strip() for part in text.split("|")} - {""})
            if any(len(part) > 100 for part in focus):
                return None
            focus_of[text] = focus
        members = list(map(counts.__getitem__, column_of["member_count"]))
        partners = list(map(counts.__getitem__, column_of["partner_count"]))
        for external_id, number in zip(ids, numbers, strict=True):
            self.seen_ids[external_id] = number
        return {
            "external_id": ids,
            "name_ar": column_of["name_ar"],
            "name_en": column_of["name_en"],
            "acronym": column_of["acronym"],
            "kind": kinds,
            "country": countries,
            "city": column_of["city"],
            "founded_year": list(map(years.__getitem__, column_of["founded_year"])),
            "member_count": list(map(operator.itemgetter(0), members)),
            "member_count_at_least": list(map(operator.itemgetter(1), members)),
            "partner_count": list(map(operator.itemgetter(0), partners)),
            "partner_count_at_least": list(map(operator.itemgetter(1), partners)),
            "website": column_of["website"],
            "focus_areas": list(map(focus_of.__getitem__, column_of["focus_areas"])),
            "_row": list(numbers),
        }

    def _clean(self, cells: list[str]) -> dict[str, Any] | None:
        """The clean values of a row that is right in every way (most rows), else None, and
        `_checked` says what is wrong. The same rules, without the bookkeeping of problems:
        a third of the time of `_checked` on 100,000 rows."""
        (
            external_id, name_ar, name_en, acronym, kind, country, city, founded,
            members, partners, website, focus_areas,
        ) = [cell.strip() for cell in self.cells_of(cells)]  # fmt: skip
        if (
            not external_id
            or not (name_ar or name_en)
            or len(external_id) > MAX_LENGTHS["external_id"]
            or len(name_ar) > MAX_LENGTHS["name_ar"]
            or len(name_en) > MAX_LENGTHS["name_en"]
            or len(acronym) > MAX_LENGTHS["acronym"]
            or len(city) > MAX_LENGTHS["city"]
            or len(website) > MAX_LENGTHS["website"]
        ):
            return None
        kind = kind.lower()
        country = country.upper()
        if kind not in self.kinds or (country and country not in self.countries):
            return None
        founded_year = None
        if founded:
            if not (founded.isdigit() and 1800 <= int(founded) <= self.max_year):
                return None
            founded_year = int(founded)
        member_count, member_count_at_least = None, False
        if members:
            match = COUNT_PATTERN.match(members)
            if match is None:
                return None
            member_count, member_count_at_least = int(match.group(1)), bool(match.group(2))
        partner_count, partner_count_at_least = None, False
        if partners:
            match = COUNT_PATTERN.match(partners)
            if match is None:
                return None
            partner_count, partner_count_at_least = int(match.group(1)), bool(match.group(2))
        if website and not (len(website) <= 253 and PLAIN_URL.fullmatch(website)):
            try:
                self.url_validator(website)
            except ValidationError:
                return None
        focus: list[str] = []
        if focus_areas:
            focus = sorted({part.strip() for part in focus_areas.split("|")} - {""})
            if any(len(part) > 100 for part in focus):
                return None
        return {
            "external_id": external_id,
            "name_ar": name_ar,
            "name_en": name_en,
            "acronym": acronym,
            "kind": kind,
            "country": country,
            "city": city,
            "founded_year": founded_year,
            "member_count": member_count,
            "member_count_at_least": member_count_at_least,
            "partner_count": partner_count,
            "partner_count_at_least": partner_count_at_least,
            "website": website,
            "focus_areas": focus,
        }

    def _checked(self, number: int, cells: list[str], problems: list[RowProblem]) -> dict[str, Any]:
        """Every rule, each problem recorded (`cells` padded by row())."""
        values = dict(zip(COLUMNS, [cell.strip() for cell in self.cells_of(cells)], strict=True))
        start = len(problems)
        for name, limit in MAX_LENGTHS.items():
            if len(values[name]) > limit:
                problems.append(
                    RowProblem(
                        number, name, "too_long", {"limit": limit, "length": len(values[name])}
                    )
                )
        external_id = values["external_id"]
        if not external_id:
            problems.append(RowProblem(number, "external_id", "required"))
        elif external_id in self.seen_ids:
            problems.append(
                RowProblem(
                    number,
                    "external_id",
                    "duplicate_id",
                    {"value": external_id, "other_row": self.seen_ids[external_id]},
                )
            )
        else:
            self.seen_ids[external_id] = number
        if not values["name_ar"] and not values["name_en"]:
            problems.append(RowProblem(number, "name_ar", "name_required"))
        kind = values["kind"].lower()
        if not kind:
            problems.append(RowProblem(number, "kind", "required"))
        elif kind not in self.kinds:
            problems.append(
                RowProblem(
                    number, "kind", "kind", {"value": values["kind"], "choices": self.kind_list}
                )
            )
        country = values["country"].upper()
        if country and country not in self.countries:
            problems.append(RowProblem(number, "country", "country", {"value": values["country"]}))
        founded_year: int | None = None
        if values["founded_year"]:
            text = values["founded_year"]
            if text.isdigit() and 1800 <= int(text) <= self.max_year:
                founded_year = int(text)
            else:
                problems.append(
                    RowProblem(
                        number, "founded_year", "year", {"value": text, "max_year": self.max_year}
                    )
                )
        counts: dict[str, tuple[int | None, bool]] = {}
        for name in ("member_count", "partner_count"):
            text = values[name]
            if not text:
                counts[name] = (None, False)
                continue
            match = COUNT_PATTERN.match(text)
            if match:
                counts[name] = (int(match.group(1)), bool(match.group(2)))
            else:
                counts[name] = (None, False)
                problems.append(RowProblem(number, name, "count", {"value": text}))
        website = values["website"]
        if (
            website
            and len(website) <= MAX_LENGTHS["website"]
            and not (len(website) <= 253 and PLAIN_URL.fullmatch(website))
        ):
            try:
                self.url_validator(website)
            except ValidationError:
                problems.append(RowProblem(number, "website", "url", {"value": website}))
        focus = sorted({part.strip() for part in values["focus_areas"].split("|") if part.strip()})
        if any(len(part) > 100 for part in focus):
            problems.append(RowProblem(number, "focus_areas", "focus_area"))
        if len(problems) > start:
            return {}
        return {
            "external_id": external_id,
            "name_ar": values["name_ar"],
            "name_en": values["name_en"],
            "acronym": values["acronym"],
            "kind": kind,
            "country": country,
            "city": values["city"],
            "founded_year": founded_year,
            "member_count": counts["member_count"][0],
            "member_count_at_least": counts["member_count"][1],
            "partner_count": counts["partner_count"][0],
            "partner_count_at_least": counts["partner_count"][1],
            "website": website,
            "focus_areas": focus,
        }


class CleanRows(Sequence[dict[str, Any]]):
    """The clean rows of a file, kept a column at a time (CLEAN_KEYS): writing them reads
    the columns; a row becomes a dict only when one is asked for.

    The rows of a large file's second half may be kept by a second process (`second_half`),
    which writes them itself if the import goes the fast way (_create_in_two_processes).
    `columns` and the dicts are of every row: asking for them brings that half back here
    (`take_back`); `local_columns` are the columns of the rows here."""

    def __init__(
        self, columns: dict[str, list[Any]], second_half: _SecondHalf | None = None
    ) -> None:
        self.local_columns = columns
        self.second_half = second_half
        self._dicts: list[dict[str, Any]] | None = None

    @classmethod
    def from_dicts(cls, rows: Sequence[Mapping[str, Any]]) -> CleanRows:
        return cls({key: [row[key] for row in rows] for key in CLEAN_KEYS})

    @property
    def columns(self) -> dict[str, list[Any]]:
        self.take_back()
        return self.local_columns

    def take_back(self) -> None:
        """Check the second half's rows here, and let the second process go."""
        if self.second_half is not None:
            more = self.second_half.take_back()
            self.second_half = None
            self.local_columns = {key: self.local_columns[key] + more[key] for key in CLEAN_KEYS}

    def focus_keys(self) -> set[str]:
        """The focus areas the rows name."""
        keys = {key for keys in self.local_columns["focus_areas"] for key in keys}
        return keys | (self.second_half.focus_keys if self.second_half is not None else set())

    def dicts(self) -> list[dict[str, Any]]:
        if self._dicts is None:
            values = zip(*(self.columns[key] for key in CLEAN_KEYS), strict=True)
            self._dicts = list(map(dict, map(zip, repeat(CLEAN_KEYS), values)))
        return self._dicts

    def __len__(self) -> int:
        return len(self.local_columns["_row"]) + len(self.second_half or ())

    def __getitem__(self, index: Any) -> Any:
        return self.dicts()[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.dicts())


class _SecondHalf:
    """The second half of a large file (text[split:]), read and checked by a second
    process while this one reads and checks the first (tahaluf/lib/staging.py). If the
    import goes the fast way, the second process then writes rows into scratch files
    (`write`); else this process reads and checks that half itself (`take_back`), and the
    second process ends."""

    def __init__(self, validator: _Validator, text: str, body_start: int, split: int) -> None:
        self.validator, self.text, self.split = validator, text, split
        self.first_count = 0  # records in the first half, blank lines included
        # The second process has the whole text (it shares this one's memory): see write.
        self.child = Child(partial(_second_process_work, validator, text, body_start, split))
        self.external_ids: list[str] = []
        self.focus_keys: set[str] = set()

    def __len__(self) -> int:
        return len(self.external_ids)

    def checked(self) -> bool:
        """Wait for the second process's check: True if every row is right."""
        verdict = self.child.receive()
        if verdict is None:
            return False
        self.external_ids, self.focus_keys = verdict
        return True

    def take_back(self) -> dict[str, list[Any]]:
        self.child.stop()
        records, numbers = _parse_numbered(self.text[self.split :], self.first_count + 2)
        columns = self.validator.all_rows(records, numbers)
        if columns is None:  # the second process found them right: the same rules cannot
            raise RuntimeError("The second half of the file was checked differently.")
        return columns

    def write(
        self,
        pks: list[int],
        focus_by_key: Mapping[str, int],
        paths: Sequence[str],
        shapes: Mapping[str, tuple[int, int]],
    ) -> None:
        """Tell the second process to write, the rows being new organizations with these
        keys (all of them, in the file's order): its half's organizations into paths[0];
        the first half's history and links into paths[1] (it reads and checks that half
        again to have its columns: its processor is free while this one's builds the
        indexes); its own half's history and links into paths[2]. `written` waits for
        each."""
        self.child.send((pks, dict(focus_by_key), list(paths), dict(shapes)))

    def written(self) -> None:
        """Wait until the second process has written the next scratch file."""
        self.child.receive()

    def finished(self) -> None:
        """Wait until the second process has ended (StagingFailed if it failed)."""
        self.child.wait()

    def stop(self) -> None:
        self.child.stop()


def _second_process_work(
    validator: _Validator, text: str, body_start: int, split: int, channel: Connection
) -> None:
    """What the second process does (see _SecondHalf)."""
    try:
        # Its row numbers count from its half's start: they are never shown (a problem
        # anywhere sends the import back to one process, which numbers the whole file).
        columns = validator.all_rows(*_parse_numbered(text[split:], 0))
    except csv.Error:  # the parent reads the whole file and says where
        columns = None
    if columns is None:
        channel.send(None)
        return
    focus_keys = {key for keys in columns["focus_areas"] for key in keys}
    channel.send((columns["external_id"], focus_keys))
    try:
        pks, focus_by_key, paths, shapes = channel.recv()
    except EOFError:  # the import went another way
        return
    first, own = pks[: -len(columns["_row"])], pks[-len(columns["_row"]) :]
    organizations = {"organizations": _organization_rows(columns, own, 0, len(own))}
    write_scratch(paths[0], organizations, shapes)
    channel.send(0)
    # The first half: the parent found it right, and the same rules give the same columns.
    first_columns = validator.all_rows(*_parse_numbered(text[body_start:split], 2))
    if first_columns is None:
        raise RuntimeError("The first half of the file was checked differently.")
    write_scratch(paths[1], _history_and_link_rows(first_columns, first, focus_by_key), shapes)
    channel.send(1)
    write_scratch(paths[2], _history_and_link_rows(columns, own, focus_by_key), shapes)
    channel.send(2)


def read_and_validate(
    data: bytes,
    progress: ProgressCallback = _no_progress,
    max_problems: int = 1000,
    *,
    second_process: bool = False,
) -> tuple[CleanRows, list[RowProblem]]:
    """Parse and check every row. Returns the clean rows and the problems (capped).

    With `second_process`, a second process may check half of a large file, and keep it
    (see CleanRows); the caller must then `stop` it when done (import_organizations)."""
    text = decode(data)
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream)
    problems: list[RowProblem] = []
    try:
        header = next(reader)
    except StopIteration:
        raise ImportInvalid([RowProblem(1, "", "empty")]) from None
    except csv.Error as error:
        raise ImportInvalid([RowProblem(1, "", "csv", {"detail": str(error)})]) from None
    header = [name.strip().lower() for name in header]
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(RowProblem(1, name, "duplicate_column", {"column": name}))
        seen.add(name)
        if name not in COLUMNS:
            problems.append(
                RowProblem(1, name, "unknown_column", {"column": name, "known": ", ".join(COLUMNS)})
            )
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(RowProblem(1, name, "missing_column", {"column": name}))
    if "name_ar" not in seen and "name_en" not in seen:
        problems.append(RowProblem(1, "name_ar", "missing_column", {"column": "name_ar"}))
    if problems:
        raise ImportInvalid(problems)

    total_estimate = max(text.count("\n"), 1)
    validator = _Validator(header)
    if second_process and total_estimate >= SECOND_PROCESS_FROM and staging_possible():
        checked = _read_and_check_in_two_processes(validator, text, stream.tell())
        if checked is not None:
            progress("validating", total_estimate, total_estimate)
            return checked, problems
        # Else something is wrong, or the file could not be split: as below, in one process.
    records: list[list[str]] = []
    numbers: list[int] = []
    number = 1
    unreadable: RowProblem | None = None
    try:
        records = list(reader)  # in C; a loop here costs half as much again
        numbers = list(range(2, len(records) + 2))
    except csv.Error:
        records, numbers = [], []
        reader = csv.reader(io.StringIO(text, newline=""))
        next(reader)
        try:
            for cells in reader:
                number += 1
                records.append(cells)
                numbers.append(number)
        except csv.Error as error:
            unreadable = RowProblem(number + 1, "", "csv", {"detail": str(error)})
    records, numbers = _without_blank_lines(records, numbers)
    progress("validating", total_estimate // 2, total_estimate)
    columns = validator.all_rows(records, numbers) if unreadable is None else None
    if columns is not None:
        progress("validating", total_estimate, total_estimate)
        return CleanRows(columns), problems
    # Something is wrong: find what, record by record.
    rows = []
    validator.seen_ids.clear()
    for number, cells in zip(numbers, records, strict=True):
        if not "".join(cells).strip():  # a line of nothing but spaces and commas
            continue
        if len(cells) > len(header):
            problems.append(RowProblem(number, "", "extra_cells"))
            continue
        clean = validator.row(number, cells, problems)
        if clean:
            clean["_row"] = number
            rows.append(clean)
        if len(problems) >= max_problems:
            break
    if unreadable is not None and len(problems) < max_problems:
        problems.append(unreadable)
    if problems:
        raise ImportInvalid(problems)
    progress("validating", total_estimate, total_estimate)
    return CleanRows.from_dicts(rows), problems


def _without_blank_lines(
    records: list[list[str]], numbers: list[int]
) -> tuple[list[list[str]], list[int]]:
    """Blank lines are skipped; the others keep their numbers."""
    if all(map(any, records)):
        return records, numbers
    kept = [(number, cells) for number, cells in zip(numbers, records, strict=True) if any(cells)]
    return [cells for _, cells in kept], [number for number, _ in kept]


def _parse_numbered(text: str, first_number: int) -> tuple[list[list[str]], list[int]]:
    """The records of a part of the file that starts at a record, numbered from
    `first_number`, blank lines left out. csv.Error if a line cannot be read."""
    records = list(csv.reader(io.StringIO(text, newline="")))
    return _without_blank_lines(records, list(range(first_number, first_number + len(records))))


# A line no file has (U+FDD0 is not a character): parsed after the first half of a file, it
# comes back as a record of its own only if the half ended between records.
_SPLIT_CHECK = "\ufdd0"


def _read_and_check_in_two_processes(
    validator: _Validator, text: str, body_start: int
) -> CleanRows | None:
    """Read and check a large file's records (from body_start on) in two processes, the
    second half kept by the second process (_SecondHalf): the clean rows, or None if any is
    wrong or the file cannot be split (then the second process has ended, and the caller
    reads the whole file in one process, which finds and reports what is wrong).

    The file is cut at a line break near its middle, which may be inside a quoted cell: the
    first half is read with _SPLIT_CHECK after it, which must come back as a record of its
    own, else the halves are not used."""
    split = text.find("\n", (body_start + len(text)) // 2) + 1
    if not body_start < split < len(text):
        return None
    second_half = _SecondHalf(validator, text, body_start, split)
    columns = None
    try:
        try:
            records, numbers = _parse_numbered(text[body_start:split] + _SPLIT_CHECK + "\n", 2)
        except csv.Error:
            return None
        if not records or records.pop() != [_SPLIT_CHECK]:
            return None
        # The check line's number follows the first half's records, blank lines included:
        # the second half's row numbers follow them.
        second_half.first_count = numbers.pop() - 2
        columns = validator.all_rows(records, numbers)
        if (
            not second_half.checked()
            or columns is None
            # an external_id in both halves, which only the whole file shows
            or not set(columns["external_id"]).isdisjoint(second_half.external_ids)
        ):
            columns = None
    finally:
        if columns is None:
            second_half.stop()
    return CleanRows(columns, second_half) if columns is not None else None


# Writing ---------------------------------------------------------------------------------


def _in_chunks(values: Sequence[Any], size: int = 5000) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def import_organizations(
    data: bytes,
    *,
    actor: Any,
    publish: bool = False,
    progress: ProgressCallback = _no_progress,
    allow_duplicates: bool = False,
) -> ImportReport:
    """Validate the whole file, then write it all in one transaction. Raises ImportInvalid
    with every problem found (up to a cap) and writes nothing if any row is bad. Unless
    `allow_duplicates`, raises ImportNeedsConfirmation and writes nothing if new rows are
    probably organizations already in the registry."""
    with _cycle_collector_paused():
        # The second process's way writes new organizations only: into an empty registry.
        first_import = not Organization.objects.exists()
        rows, _problems = read_and_validate(data, progress, second_process=first_import)
        try:
            if not allow_duplicates:
                duplicates = likely_duplicates(rows)
                if duplicates:
                    raise ImportNeedsConfirmation(duplicates)
            report = ImportReport(total=len(rows))
            with (
                checkpoint_later(),
                _sqlite_page_cache(megabytes=256),
                scratch_staging(wanted=rows.second_half is not None, files=3) as staging,
                staging_atomic(staging),
            ):
                _write(
                    rows,
                    actor=actor,
                    publish=publish,
                    report=report,
                    progress=progress,
                    staging=staging,
                )
        finally:
            if rows.second_half is not None:
                rows.second_half.stop()
    return report


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """An import makes millions of small lists, tuples and strings, and no reference
    cycles; Python's cycle collector would walk the growing heap again and again to find
    none (0.5 s of 7 for 100,000 rows). It is off for the import, for the whole process,
    and back on afterwards, when it collects whatever is left."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def likely_duplicates(rows: Sequence[Mapping[str, Any]]) -> list[RowDuplicate]:
    """New rows (their external_id is not in the registry) that are probably organizations
    already in it (tahaluf/search/duplicates.py). Nothing to do for an empty registry."""
    if not rows or not Organization.objects.exists():
        return []
    known: set[str | None] = set()
    for chunk in _in_chunks([row["external_id"] for row in rows]):
        known.update(
            Organization.objects.filter(external_id__in=chunk).values_list("external_id", flat=True)
        )
    return likely_duplicates_for_rows([row for row in rows if row["external_id"] not in known])


@contextmanager
def _sqlite_page_cache(*, megabytes: int) -> Iterator[None]:
    """SQLite keeps 2 MB of pages per connection by default: a large import through ten
    indexes then keeps writing pages out and reading them back. Allow this connection more
    for the import (used only as pages are read), then set it back."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
    try:
        yield
    finally:
        if not connection.needs_rollback:  # else an enclosing transaction is broken: leave it
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {previous}")


def history_json(row: Mapping[str, Any]) -> str:
    """The history entry of an imported row, {field: [null, value]} for each field it
    fills, as JSON text (see history_json_many)."""
    return history_json_many({name: [row[name]] for name in HISTORY_FIELDS})[0]


def history_json_many(columns: Mapping[str, Sequence[Any]]) -> list[str]:
    """`history_json` of many rows given a column at a time (HISTORY_FIELDS).

    Written out here because Python's JSON encoder costs more to set up for each small
    entry than the writing itself; each field's piece of JSON is made once per different
    value where a column repeats its values, and the pieces of a row are joined in C.
    Strings go through the encoder's own C escaping, and Arabic stays as it is."""
    pieces = []
    for name in HISTORY_FIELDS:
        values = columns[name]
        if name in REPEATING_FIELDS:
            made: dict[Any, str] = {}
            column = []
            for value in values:
                key = tuple(value) if type(value) is list else (type(value), value)
                piece = made.get(key)
                if piece is None:
                    piece = made[key] = _history_piece(name, value)
                column.append(piece)
            pieces.append(column)
        else:
            pieces.append([_history_piece(name, value) for value in values])
    # Every piece starts with a comma: the first one of a row gives way to the brace.
    return ["{" + "".join(row)[1:] + "}" for row in zip(*pieces, strict=True)]


def _history_piece(name: str, value: Any) -> str:
    kind = type(value)  # exact types: a validated row holds only these
    if kind is str:
        return f',"{name}":[null,{_json_string(value)}]' if value else ""
    if kind is int:
        return f',"{name}":[null,{value}]'
    if value is True:
        return f',"{name}":[null,true]'
    if kind is list:  # the focus areas
        return f',"{name}":[null,[{",".join(map(_json_string, value))}]]' if value else ""
    if value is None or value is False:
        return ""
    raise TypeError(f"{name}: {kind.__name__} in an imported row")


# Fields whose values repeat from row to row in a real file (see history_json_many).
REPEATING_FIELDS = {
    "kind",
    "country",
    "city",
    "founded_year",
    "member_count",
    "member_count_at_least",
    "partner_count",
    "partner_count_at_least",
    "focus_areas",
}

# Tables a large import writes many rows to in an order unlike that of their indexes; the
# least number of rows to write before their indexes are rebuilt rather than kept up to
# date row by row. (The history's indexes follow the new keys: kept, they cost less.)
BULK_TABLES = (
    Organization._meta.db_table,
    Organization.focus_areas.through._meta.db_table,
)
REBUILD_INDEXES_FROM = 20_000
# Indexes that start with these columns are kept up to date, not rebuilt: every new row's
# entry goes at the end, as the key is the same on every imported row (its creator, its
# being published) or follows the new organizations' ids (their links).
KEPT_INDEXES_START_WITH = {
    Organization._meta.db_table: {"created_by_id", "is_published"},
    Organization.focus_areas.through._meta.db_table: {"organization_id"},
}


class _IndexRebuild:
    """On SQLite, when the import creates at least as many organizations as the registry
    has, the secondary indexes of BULK_TABLES are dropped before writing and built again
    after each table's rows.

    Kept up to date, each index takes every new row at a random place (names in no
    particular order), page after page; built afresh, it is one sort. At 100,000
    organizations this halves the time spent in SQLite. It is all inside the import's
    transaction: should anything fail, the indexes come back with the rollback, and readers
    (WAL) see the old indexes until the commit. Constraints' own indexes (unique
    external_id) are not dropped: the insert relies on them. Nor are indexes that new rows
    only add to at the end (KEPT_INDEXES_START_WITH): keeping them costs less than a sort."""

    def __init__(self, new_rows: int) -> None:
        self.indexes: dict[str, list[str]] = {}
        if connection.vendor != "sqlite" or new_rows < REBUILD_INDEXES_FROM:
            return
        if Organization.objects.count() > new_rows:
            return
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(BULK_TABLES))
            cursor.execute(
                "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index'"
                f" AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
                list(BULK_TABLES),
            )
            for table, name, sql in cursor.fetchall():
                cursor.execute(f"PRAGMA index_info({connection.ops.quote_name(name)})")
                first_column = cursor.fetchone()[2]
                if first_column in KEPT_INDEXES_START_WITH.get(table, ()):
                    continue
                self.indexes.setdefault(table, []).append(sql)
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def build(self, table: str, raw_connection: Any) -> int:
        """Build the table's dropped indexes again, on the DB-API connection (the writer
        thread's: SQLite lets go of Python's lock while it sorts)."""
        statements = self.indexes.pop(table, [])
        if not statements:
            return 0
        (threads,) = raw_connection.execute("PRAGMA threads").fetchone()
        # Sorting each index's keys is most of the work: let SQLite sort in helper threads.
        raw_connection.execute(f"PRAGMA threads = {max(threads, min(os.cpu_count() or 1, 4))}")
        for sql in statements:
            raw_connection.execute(sql)
        raw_connection.execute(f"PRAGMA threads = {int(threads)}")
        return len(statements)


class _Writer:
    """Index builds run in order by a second thread on SQLite, while this one makes the
    next rows ready: SQLite lets go of Python's lock while it sorts, so the two overlap on
    two processors. On other databases each runs at once, here.

    This thread must not use the connection between `call` and `wait` (the two threads
    share it); leaving the block waits for whatever is still being written, and an error
    there is raised here."""

    def __init__(self) -> None:
        self.threaded = connection.vendor == "sqlite"
        self.executor = ThreadPoolExecutor(max_workers=1) if self.threaded else None
        self.futures: list[Future[int]] = []

    def call(self, function: Callable[[Any], int]) -> None:
        """Run function(DB-API connection) in turn, after what was called before."""
        connection.ensure_connection()
        if self.executor is None:
            function(connection.connection)
            return
        self.futures.append(self.executor.submit(function, connection.connection))

    def wait(self, keep: int = 0) -> None:
        """Wait until at most `keep` submitted tasks are not yet done."""
        while len(self.futures) > keep:
            self.futures.pop(0).result()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)  # nothing may still write after this
        if exc_info[0] is None:
            self.wait()


# What the history of an imported record lists: the imported fields, then the focus areas.
HISTORY_FIELDS = [*IMPORTED_FIELDS, "focus_areas"]


def _existing(
    external_ids: Sequence[str],
) -> tuple[dict[str, tuple[Any, ...]], dict[int, list[str]]]:
    """The organizations named by these external ids, as tuples (pk, *IMPORTED_FIELDS) of
    the values the ORM reads, and their focus area keys by pk. A file that names a good part
    of the table reads the whole table in one pass; a small one asks by id, in chunks."""
    columns = ("pk", *IMPORTED_FIELDS)
    links = Organization.focus_areas.through.objects.values_list(
        "organization_id", "focusarea__key"
    )
    existing: dict[str, tuple[Any, ...]] = {}
    if not Organization.objects.exists():
        return existing, {}
    if Organization.objects.count() <= 2 * len(external_ids):
        wanted = set(external_ids)
        for values in Organization.objects.filter(external_id__isnull=False).values_list(*columns):
            if values[1] in wanted:
                existing[values[1]] = values
        found_links: Iterable[tuple[int, str]] = links if existing else []
    else:
        for chunk in _in_chunks(external_ids):
            for values in Organization.objects.filter(external_id__in=chunk).values_list(*columns):
                existing[values[1]] = values
        found_links = [
            link
            for chunk in _in_chunks([values[0] for values in existing.values()])
            for link in links.filter(organization_id__in=chunk)
        ]
    pks = {values[0] for values in existing.values()}
    focus: dict[int, list[str]] = {}
    for org_id, key in found_links:
        if org_id in pks:
            focus.setdefault(org_id, []).append(key)
    return existing, focus


def _reserved_pks(count: int) -> list[int]:
    """`count` keys for new organizations, ascending, that no other organization has or had.

    On SQLite, within the import's write transaction no one else can insert: the keys after
    the highest there is or was (AUTOINCREMENT remembers deleted ones in sqlite_sequence).
    The no-op UPDATE takes the write lock should the transaction not have it yet. On
    PostgreSQL, from the key sequence, which other transactions share safely."""
    if not count:
        return []
    table = Organization._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = seq WHERE name = %s", [table])
            cursor.execute(
                "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = %s), 0),"
                f" coalesce((SELECT max(id) FROM {connection.ops.quote_name(table)}), 0))",
                [table],
            )
            last = int(cursor.fetchone()[0])
            return list(range(last + 1, last + 1 + count))
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count],
        )
        return sorted(int(pk) for (pk,) in cursor.fetchall())


def _write(
    rows: CleanRows,
    *,
    actor: Any,
    publish: bool,
    report: ImportReport,
    progress: ProgressCallback,
    staging: Staging | None = None,
) -> None:
    total = len(rows)
    # The fast way, with the second process that checked half of the rows: new rows only.
    if rows.second_half is not None and (staging is None or Organization.objects.exists()):
        rows.take_back()
    existing, existing_focus = (
        _existing(rows.columns["external_id"]) if rows.second_half is None else ({}, {})
    )
    through = Organization.focus_areas.through
    focus_by_key = {key: area.pk for key, area in _focus_areas_for(rows.focus_keys()).items()}
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    history_fixed = {
        "content_type_id": ContentType.objects.get_for_model(Organization).pk,
        "actor_id": actor_id,
        "actor_label": actor_label(actor),
        "at": now,
    }

    to_create = rows
    to_update: list[tuple[int, dict[str, Any], dict[str, list[Any]], list[str] | None]] = []
    if existing:
        new_rows = []
        for row in rows:
            old = existing.get(row["external_id"])
            if old is None:
                new_rows.append(row)
                continue
            changes = {
                name: [old[index], row[name]]
                for index, name in enumerate(IMPORTED_FIELDS, start=1)
                if old[index] != row[name]
            }
            old_focus = sorted(existing_focus.get(old[0], []))
            new_focus = row["focus_areas"] if old_focus != row["focus_areas"] else None
            if new_focus is not None:
                changes["focus_areas"] = [old_focus, row["focus_areas"]]
            if not changes:
                report.unchanged += 1
                continue
            to_update.append((old[0], row, changes, new_focus))
        to_create = CleanRows.from_dicts(new_rows)

    links = BulkInsert(through, varying=["organization_id", "focusarea_id"], fixed={})
    _create(
        to_create.local_columns,
        second_half=to_create.second_half,
        organizations=BulkInsert(
            Organization,
            varying=["id", *IMPORTED_FIELDS, "sort_ar", "sort_en"],
            fixed={
                "is_published": publish,
                "created_by_id": actor_id,
                "created_at": now,
                "updated_at": now,
            },
        ),
        links=links,
        history=BulkInsert(
            Change,
            varying=["object_id", "object_repr", "changes"],
            fixed={**history_fixed, "action": Action.IMPORT, "note": ""},
            encoded=["changes"],
        ),
        focus_by_key=focus_by_key,
        progress=lambda done: progress("writing", done, total),
        staging=staging,
    )
    report.created = len(to_create)

    done = len(to_create)
    imported_values = operator.itemgetter(*IMPORTED_FIELDS)
    quote = connection.ops.quote_name
    updated_columns = [*IMPORTED_FIELDS, "sort_ar", "sort_en", "updated_at"]
    columns = {field.attname: field.column for field in Organization._meta.concrete_fields}
    update_sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Organization._meta.db_table),
        ", ".join(f"{quote(columns[name])} = %s" for name in updated_columns),
        quote(columns["id"]),
    )
    now_value = Organization._meta.get_field("updated_at").get_db_prep_save(now, connection)
    updated = BulkInsert(
        Change,
        varying=["object_id", "object_repr", "changes"],
        fixed={**history_fixed, "action": Action.UPDATE, "note": "CSV import"},
    )
    for batch_updates in _in_chunks(to_update, BATCH_SIZE):
        with connection.cursor() as cursor:
            cursor.executemany(
                update_sql,
                [
                    (
                        *imported_values(row),
                        *BilingualNameMixin.sort_names(row["name_ar"], row["name_en"]),
                        now_value,
                        pk,
                    )
                    for pk, row, _changes, _focus in batch_updates
                ],
            )
        refocused = [
            (pk, focus) for pk, _row, _changes, focus in batch_updates if focus is not None
        ]
        if refocused:
            through.objects.filter(organization_id__in=[pk for pk, _focus in refocused]).delete()
            links.run((pk, focus_by_key[key]) for pk, focus in refocused for key in focus)
        updated.run(
            (pk, (row["name_ar"] or row["name_en"])[:300], changes)
            for pk, row, changes, _focus in batch_updates
        )
        records_changed(SEARCH_TYPE, [pk for pk, *_rest in batch_updates], defer=True)
        done += len(batch_updates)
        report.updated += len(batch_updates)
        progress("writing", done, total)
    progress("writing", total, total)


def _create(
    columns: Mapping[str, Sequence[Any]],
    *,
    second_half: _SecondHalf | None,
    organizations: BulkInsert,
    links: BulkInsert,
    history: BulkInsert,
    focus_by_key: Mapping[str, int],
    progress: Callable[[int], None],
    staging: Staging | None,
) -> None:
    """Insert new organizations (CLEAN_KEYS, a column at a time, and the `second_half` a
    second process keeps), their focus areas, history and search marks. The organizations
    go first: their indexes are then built (see _IndexRebuild) while the rest is made."""
    count = len(columns["external_id"]) + len(second_half or ())
    if not count:
        return
    rebuild = _IndexRebuild(count)
    # Keys chosen here, not by the database: the links and history are made ready without
    # waiting for the organizations to be written.
    pks = _reserved_pks(count)
    if second_half is not None:
        if staging is None:
            raise RuntimeError("The second half of the rows needs scratch files to write to.")
        _create_in_two_processes(
            columns,
            second_half,
            pks,
            tables={"organizations": organizations, "history": history, "links": links},
            focus_by_key=focus_by_key,
            progress=progress,
            staging=staging,
            rebuild=rebuild,
        )
        return
    # Inserts run here: binding values holds Python's lock, so a second thread would only
    # wait for it. Index builds do not: the writer thread builds the organizations'
    # indexes while this one makes the history ready.
    organization_rows = _organization_rows(columns, pks, 0, count)
    for start in range(0, count, BATCH_SIZE):
        organizations.run(organization_rows[start : start + BATCH_SIZE])
        progress(min(start + BATCH_SIZE, count) // 2)
    del organization_rows
    with _Writer() as writer:
        writer.call(partial(rebuild.build, Organization._meta.db_table))
        made = _history_and_link_rows(columns, pks, focus_by_key)
    history_rows = made["history"]
    for start in range(0, count, BATCH_SIZE):
        history.run(history_rows[start : start + BATCH_SIZE])
        progress((count + min(start + BATCH_SIZE, count)) // 2)
    links.run(made["links"])
    rebuild.build(Organization.focus_areas.through._meta.db_table, connection.connection)
    # The search index follows; the caller applies it with its own progress bar.
    records_changed(SEARCH_TYPE, pks, defer=True)


def _create_in_two_processes(
    columns: Mapping[str, Sequence[Any]],
    second_half: _SecondHalf,
    pks: list[int],
    *,
    tables: Mapping[str, BulkInsert],
    focus_by_key: Mapping[str, int],
    progress: Callable[[int], None],
    staging: Staging,
    rebuild: _IndexRebuild,
) -> None:
    """_create, with the second process writing rows into scratch files while this one
    writes the first half's organizations and builds the indexes; each scratch file is then
    copied in (tahaluf/lib/staging.py). Scratch files (see _SecondHalf.write): 0, the
    second half's organizations; 1 and 2, the history and links of each half, in order.
    The search marks are made by SQLite from the organizations' keys, which _reserved_pks
    gives in one unbroken run here."""
    own, count = len(columns["external_id"]), len(pks)
    rest = {"history": tables["history"], "links": tables["links"]}
    shapes = {name: insert.scratch_shape() for name, insert in tables.items()}
    second_half.write(pks, focus_by_key, staging.paths, shapes)
    organization_rows = _organization_rows(columns, pks, 0, own)
    for start in range(0, own, BATCH_SIZE):
        tables["organizations"].run(organization_rows[start : start + BATCH_SIZE])
        progress(min(start + BATCH_SIZE, own) * count // (2 * own))
    del organization_rows
    second_half.written()
    staging.copy_in(0, {"organizations": tables["organizations"]})
    rebuild.build(Organization._meta.db_table, connection.connection)
    for number in (1, 2):
        second_half.written()
        staging.copy_in(number, rest)
    second_half.finished()
    # The search marks (the caller applies them), made by SQLite from the new rows.
    if pks[-1] - pks[0] + 1 != count:
        raise RuntimeError("The new organizations' keys are not one unbroken run.")
    table = connection.ops.quote_name(Organization._meta.db_table)
    pending_changes_bulk().insert_from_query(
        f"SELECT ?, id FROM {table} WHERE id BETWEEN ? AND ? ORDER BY id",
        [SEARCH_TYPE, pks[0], pks[-1]],
    )
    progress(count)
    rebuild.build(Organization.focus_areas.through._meta.db_table, connection.connection)


def _organization_rows(
    columns: Mapping[str, Sequence[Any]], pks: Sequence[int], start: int, end: int
) -> list[tuple[Any, ...]]:
    """Rows start to end of the organizations' insert: id, IMPORTED_FIELDS, sort names."""
    names_ar, names_en = columns["name_ar"][start:end], columns["name_en"][start:end]
    sort_ar, sort_en = BilingualNameMixin.sort_names_many(names_ar, names_en)
    return list(
        zip(
            pks[start:end],
            *(columns[name][start:end] for name in IMPORTED_FIELDS),
            sort_ar,
            sort_en,
            strict=True,
        )
    )


def _history_and_link_rows(
    columns: Mapping[str, Sequence[Any]], pks: Sequence[int], focus_by_key: Mapping[str, int]
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of new organizations' history entries (object_id, object_repr, changes) and
    of their focus-area links (organization_id, focusarea_id)."""
    names = [
        (ar or en)[:300] for ar, en in zip(columns["name_ar"], columns["name_en"], strict=True)
    ]
    return {
        "history": list(zip(pks, names, history_json_many(columns), strict=True)),
        "links": [
            (pk, focus_by_key[key])
            for pk, keys in zip(pks, columns["focus_areas"], strict=True)
            for key in keys
        ],
    }


def _focus_areas_for(wanted: set[str]) -> dict[str, FocusArea]:
    known = {area.key: area for area in FocusArea.objects.filter(key__in=wanted)}
    missing = wanted - known.keys()
    for key in sorted(missing):
        is_arabic = any("\u0600" <= char <= "\u06ff" for char in key)
        known[key] = FocusArea.objects.create(
            key=key, name_ar=key if is_arabic else "", name_en="" if is_arabic else key
        )
    return known


# Export ----------------------------------------------------------------------------------


def export_rows(queryset: Any = None) -> Iterable[list[str]]:
    yield COLUMNS
    queryset = queryset if queryset is not None else Organization.objects.all()
    through = Organization.focus_areas.through
    for start_pk in _pk_chunks(queryset):
        chunk = list(queryset.filter(pk__gte=start_pk[0], pk__lte=start_pk[1]).order_by("pk"))
        focus: dict[int, list[str]] = {}
        for org_id, key in through.objects.filter(
            organization_id__in=[organization.pk for organization in chunk]
        ).values_list("organization_id", "focusarea__key"):
            focus.setdefault(org_id, []).append(key)
        for organization in chunk:
            yield [
                organization.external_id or "",
                organization.name_ar,
                organization.name_en,
                organization.acronym,
                organization.kind,
                organization.country,
                organization.city,
                str(organization.founded_year or ""),
                Organization.format_count(
                    organization.member_count, organization.member_count_at_least
                ),
                Organization.format_count(
                    organization.partner_count, organization.partner_count_at_least
                ),
                organization.website,
                "|".join(sorted(focus.get(organization.pk, []))),
            ]


def _pk_chunks(queryset: Any, size: int = 5000) -> Iterable[tuple[int, int]]:
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), size):
        chunk = pks[start : start + size]
        yield chunk[0], chunk[-1]


def export_csv(stream: io.TextIOBase | Any, queryset: Any = None) -> int:
    """Write organizations as CSV (UTF-8 with BOM, so spreadsheet programs read Arabic)."""
    stream.write("\ufeff")
    writer = csv.writer(stream, lineterminator="\n")
    count = -1
    for row in export_rows(queryset):
        writer.writerow(row)
        count += 1
    return count
