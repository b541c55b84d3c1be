"""CSV import and export of organizations (columns in docs/import.md).

The import reads and validates every row before it writes anything, then writes everything
in one transaction with bulk statements, so that a bad file writes nothing and a good one
of 100,000 rows takes seconds. Rows are matched by `external_id`: importing the same file
again changes nothing."""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tahaluf.audit.models import Action, Change
from tahaluf.audit.services import actor_label
from tahaluf.organizations.models import FocusArea, Kind, Organization

COLUMNS = [
    "external_id", "name_ar", "name_en", "acronym", "kind", "country", "city",
    "founded_year", "member_count", "partner_count", "website", "focus_areas",
]
REQUIRED_COLUMNS = ["external_id", "kind"]
# Organization fields an import writes, in the order the history lists them.
IMPORTED_FIELDS = [
    "external_id", "name_ar", "name_en", "acronym", "kind", "country", "city",
    "founded_year", "member_count", "member_count_at_least", "partner_count",
    "partner_count_at_least", "website",
]
MAX_LENGTHS = {"external_id": 100, "name_ar": 300, "name_en": 300, "acronym": 50,
               "city": 150, "website": 500}
COUNT_PATTERN = re.compile(r"^(\d{1,8})(\+?)$")
BATCH_SIZE = 2000

PROBLEM_MESSAGES = {
    "encoding": _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again."),
    "empty": _("The file has no header row."),
    "csv": _("The file is not valid CSV: %(detail)s"),
    "missing_column": _("The column “%(column)s” is missing from the header row."),
    "unknown_column": _("The column “%(column)s” is not one Tahaluf knows. Known columns: "
                        "%(known)s."),
    "duplicate_column": _("The column “%(column)s” appears twice in the header row."),
    "extra_cells": _("This row has more cells than the header row."),
    "required": _("A value is required here."),
    "name_required": _("Give name_ar or name_en (or both)."),
    "too_long": _("At most %(limit)s characters are allowed; this has %(length)s."),
    "duplicate_id": _("The external_id “%(value)s” is also used on row %(other_row)s."),
    "kind": _("“%(value)s” is not a kind. Use one of: %(choices)s."),
    "country": _("“%(value)s” is not an ISO 3166-1 alpha-2 country code, such as PS or EG."),
    "year": _("“%(value)s” is not a year between 1800 and %(max_year)s."),
    "count": _("“%(value)s” is not a count. Write a whole number, such as 55, or a minimum "
               "such as 120+."),
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
        return str(PROBLEM_MESSAGES[self.code]) % self.params if self.params else str(
            PROBLEM_MESSAGES[self.code]
        )

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "params": self.params}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RowProblem:
        return cls(row=data["row"], column=data["column"], code=data["code"],
                   params=data.get("params") or {})


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


# Reading and validating ------------------------------------------------------------------


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportInvalid([RowProblem(0, "", "encoding")]) from None


class _Validator:
    def __init__(self) -> None:
        self.kinds = set(Kind.values)
        self.kind_list = ", ".join(Kind.values)
        self.countries = {code for code, _name in countries}
        self.max_year = datetime.date.today().year
        self.url_validator = URLValidator()
        self.seen_ids: dict[str, int] = {}

    def row(self, number: int, raw: dict[str, str], problems: list[RowProblem]) -> dict[str, Any]:
        values = {name: (raw.get(name) or "").strip() for name in COLUMNS}
        start = len(problems)
        for name, limit in MAX_LENGTHS.items():
            if len(values[name]) > limit:
                problems.append(RowProblem(number, name, "too_long",
                                           {"limit": limit, "length": len(values[name])}))
        external_id = values["external_id"]
        if not external_id:
            problems.append(RowProblem(number, "external_id", "required"))
        elif external_id in self.seen_ids:
            problems.append(RowProblem(number, "external_id", "duplicate_id",
                                       {"value": external_id,
                                        "other_row": self.seen_ids[external_id]}))
        else:
            self.seen_ids[external_id] = number
        if not values["name_ar"] and not values["name_en"]:
            problems.append(RowProblem(number, "name_ar", "name_required"))
        kind = values["kind"].lower()
        if not kind:
            problems.append(RowProblem(number, "kind", "required"))
        elif kind not in self.kinds:
            problems.append(RowProblem(number, "kind", "kind",
                                       {"value": values["kind"], "choices": self.kind_list}))
        country = values["country"].upper()
        if country and country not in self.countries:
            problems.append(RowProblem(number, "country", "country", {"value": values["country"]}))
        founded_year: int | None = None
        if values["founded_year"]:
            text = values["founded_year"]
            if text.isdigit() and 1800 <= int(text) <= self.max_year:
                founded_year = int(text)
            else:
                problems.append(RowProblem(number, "founded_year", "year",
                                           {"value": text, "max_year": self.max_year}))
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
        if website and len(website) <= MAX_LENGTHS["website"]:
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


def read_and_validate(
    data: bytes, progress: ProgressCallback = _no_progress, max_problems: int = 1000
) -> tuple[list[dict[str, Any]], list[RowProblem]]:
    """Parse and check every row. Returns the clean rows and the problems (capped)."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
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
            problems.append(RowProblem(1, name, "unknown_column",
                                       {"column": name, "known": ", ".join(COLUMNS)}))
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            problems.append(RowProblem(1, name, "missing_column", {"column": name}))
    if "name_ar" not in seen and "name_en" not in seen:
        problems.append(RowProblem(1, "name_ar", "missing_column", {"column": "name_ar"}))
    if problems:
        raise ImportInvalid(problems)

    total_estimate = max(text.count("\n"), 1)
    validator = _Validator()
    rows: list[dict[str, Any]] = []
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(RowProblem(number, "", "extra_cells"))
                continue
            clean = validator.row(number, dict(zip(header, cells, strict=False)), problems)
            if clean:
                clean["_row"] = number
                rows.append(clean)
            if len(problems) >= max_problems:
                break
            if number % 5000 == 0:
                progress("validating", number, total_estimate)
    except csv.Error as error:
        problems.append(RowProblem(number, "", "csv", {"detail": str(error)}))
    if problems:
        raise ImportInvalid(problems)
    progress("validating", total_estimate, total_estimate)
    return rows, problems


# Writing ---------------------------------------------------------------------------------


def _history_value(value: Any) -> Any:
    return value


def import_organizations(
    data: bytes,
    *,
    actor: Any,
    publish: bool = False,
    progress: ProgressCallback = _no_progress,
) -> ImportReport:
    """Validate the whole file, then write it all in one transaction. Raises ImportInvalid
    with every problem found (up to a cap) and writes nothing if any row is bad."""
    rows, _problems = read_and_validate(data, progress)
    report = ImportReport(total=len(rows))
    with transaction.atomic():
        _write(rows, actor=actor, publish=publish, report=report, progress=progress)
    return report


def _write(
    rows: list[dict[str, Any]], *, actor: Any, publish: bool, report: ImportReport,
    progress: ProgressCallback,
) -> None:
    total = len(rows)
    ids = [row["external_id"] for row in rows]
    existing: dict[str, Organization] = {}
    for start in range(0, len(ids), 5000):
        for organization in Organization.objects.filter(external_id__in=ids[start:start + 5000]):
            existing[organization.external_id or ""] = organization
    existing_focus: dict[int, list[str]] = {}
    if existing:
        through = Organization.focus_areas.through
        pks = [organization.pk for organization in existing.values()]
        for start in range(0, len(pks), 5000):
            for org_id, key in through.objects.filter(
                organization_id__in=pks[start:start + 5000]
            ).values_list("organization_id", "focusarea__key"):
                existing_focus.setdefault(org_id, []).append(key)

    focus_by_key = _focus_areas_for(row["focus_areas"] for row in rows)
    now = timezone.now()
    label = actor_label(actor)
    actor_id = getattr(actor, "pk", None)
    content_type = ContentType.objects.get_for_model(Organization)

    to_create: list[tuple[Organization, dict[str, Any]]] = []
    to_update: list[tuple[Organization, dict[str, list[Any]], list[str] | None]] = []
    for row in rows:
        organization = existing.get(row["external_id"])
        if organization is None:
            organization = Organization(
                **{name: row[name] for name in IMPORTED_FIELDS},
                is_published=publish, created_by_id=actor_id,
            )
            organization.refresh_sort_names()
            organization.created_at = organization.updated_at = now
            to_create.append((organization, row))
            continue
        changes = {
            name: [getattr(organization, name), row[name]]
            for name in IMPORTED_FIELDS
            if getattr(organization, name) != row[name]
        }
        old_focus = sorted(existing_focus.get(organization.pk, []))
        new_focus = row["focus_areas"] if old_focus != row["focus_areas"] else None
        if new_focus is not None:
            changes["focus_areas"] = [old_focus, row["focus_areas"]]
        if not changes:
            report.unchanged += 1
            continue
        for name in IMPORTED_FIELDS:
            setattr(organization, name, row[name])
        organization.refresh_sort_names()
        organization.updated_at = now
        to_update.append((organization, changes, new_focus))

    done = 0
    through_model = Organization.focus_areas.through
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = to_create[start:start + BATCH_SIZE]
        Organization.objects.bulk_create([organization for organization, _row in batch])
        links = [
            through_model(organization_id=organization.pk, focusarea_id=focus_by_key[key].pk)
            for organization, row in batch
            for key in row["focus_areas"]
        ]
        through_model.objects.bulk_create(links)
        Change.objects.bulk_create([
            Change(
                content_type=content_type, object_id=organization.pk,
                object_repr=str(organization)[:300], action=Action.IMPORT, actor_id=actor_id,
                actor_label=label, at=now,
                changes={
                    name: [None, row[name]]
                    for name in [*IMPORTED_FIELDS, "focus_areas"]
                    if row[name] not in ("", None, [], False)
                },
            )
            for organization, row in batch
        ])
        done += len(batch)
        report.created += len(batch)
        progress("writing", done, total)

    for start in range(0, len(to_update), BATCH_SIZE):
        batch_updates = to_update[start:start + BATCH_SIZE]
        Organization.objects.bulk_update(
            [organization for organization, _c, _f in batch_updates],
            [*IMPORTED_FIELDS, "sort_ar", "sort_en", "updated_at"],
        )
        refocused = [(organization, focus) for organization, _c, focus in batch_updates
                     if focus is not None]
        if refocused:
            through_model.objects.filter(
                organization_id__in=[organization.pk for organization, _f in refocused]
            ).delete()
            through_model.objects.bulk_create([
                through_model(organization_id=organization.pk, focusarea_id=focus_by_key[key].pk)
                for organization, focus in refocused
                for key in focus
            ])
        Change.objects.bulk_create([
            Change(
                content_type=content_type, object_id=organization.pk,
                object_repr=str(organization)[:300], action=Action.UPDATE, actor_id=actor_id,
                actor_label=label, at=now, changes=changes, note="CSV import",
            )
            for organization, changes, _f in batch_updates
        ])
        done += len(batch_updates)
        report.updated += len(batch_updates)
        progress("writing", done, total)
    progress("writing", total, total)


def _focus_areas_for(keys_per_row: Iterable[list[str]]) -> dict[str, FocusArea]:
    wanted = {key for keys in keys_per_row for key in keys}
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
                Organization.format_count(organization.member_count,
                                          organization.member_count_at_least),
                Organization.format_count(organization.partner_count,
                                          organization.partner_count_at_least),
                organization.website,
                "|".join(sorted(focus.get(organization.pk, []))),
            ]


def _pk_chunks(queryset: Any, size: int = 5000) -> Iterable[tuple[int, int]]:
    pks = list(queryset.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), size):
        chunk = pks[start:start + size]
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
