"""Load the demo data of tahaluf/demo/data.py: `tahaluf demo`, run by `make run`.

Everything goes through the real services, acting as amal (secretariat), so the demo has the
same validation and the same history as data a person enters.

Running it again duplicates nothing and changes nothing: records are matched by
`external_id`, sources by `Source.external_id`, users by username, positions by (person,
organization, post) and citations by (source, record, field). A record that is already there
is not overwritten, so edits made in the demo survive `make run`; only facts that are still
blank on it are filled in (which is how facts added to data.py later reach an existing demo).
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.hashers import check_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from tahaluf.accounts.models import Role, User
from tahaluf.accounts.services import user_create
from tahaluf.demo import data
from tahaluf.organizations import services
from tahaluf.organizations.models import (
    Citation,
    FocusArea,
    Organization,
    Person,
    Position,
    Source,
    UnionMembership,
)

DEFAULT_PASSWORD = "tahaluf-demo-2026"
PASSWORD_ENV = "TAHALUF_DEMO_PASSWORD"

ORGANIZATION_FIELDS = (
    "name_ar",
    "name_en",
    "acronym",
    "other_names",
    "kind",
    "country",
    "city",
    "founded_year",
    "member_count",
    "member_count_at_least",
    "partner_count",
    "partner_count_at_least",
    "website",
    "description_ar",
    "description_en",
)
PERSON_FIELDS = ("name_ar", "name_en", "other_names", "honorific_ar", "honorific_en")
# A "…_at_least" flag is part of its count: it is filled in together with the count only.
COUNT_FLAGS = {"member_count_at_least": "member_count", "partner_count_at_least": "partner_count"}


def demo_password(password: str | None = None) -> str:
    return password or os.environ.get(PASSWORD_ENV) or DEFAULT_PASSWORD


class _Loader:
    def __init__(self, password: str) -> None:
        self.password = password
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.present: Counter[str] = Counter()
        self.notes: list[str] = []
        self.passwords_kept = False
        self.actor: User | None = None
        self.organizations: dict[str, Organization] = {}
        self.people: dict[str, Person] = {}
        self.sources: dict[str, Source] = {}
        self.source_specs = {spec["external_id"]: spec for spec in data.SOURCES}

    # Users -------------------------------------------------------------------------------

    def user(self, spec: Mapping[str, Any]) -> User:
        organization = self.organizations[spec["organization"]] if spec["organization"] else None
        user = User.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_create(
                actor=self.actor,
                username=spec["username"],
                password=self.password,
                role=spec["role"],
                organization=organization,
                validate=False,  # the demo password is public anyway; real users get the rules
            )
            self.created["users"] += 1
            return user
        self.present["users"] += 1
        # Never reset a password or a role someone changed: say so instead.
        if not check_password(self.password, user.password):
            self.notes.append(f"{user.username} already exists with another password: kept.")
            self.passwords_kept = True
        if user.role != spec["role"] or user.organization_id != getattr(organization, "pk", None):
            self.notes.append(
                f"{user.username} already exists with another role or organization: kept."
            )
        return user

    def secretariat(self) -> User:
        amal = self.user(data.DEMO_USERS[0])
        if not amal.is_secretariat:
            raise RuntimeError(
                f"The demo acts as {amal.username}, who exists but is not an active member of "
                "the secretariat: nothing was loaded."
            )
        self.actor = amal
        return amal

    # Focus areas -------------------------------------------------------------------------

    def focus_areas(self) -> None:
        # focus_areas_resolve names a new area in one language only; the demo's areas have a
        # stable key and both names, so they are made here first and resolved by key after.
        for spec in data.FOCUS_AREAS:
            _area, created = FocusArea.objects.get_or_create(
                key=spec["key"], defaults={"name_ar": spec["name_ar"], "name_en": spec["name_en"]}
            )
            (self.created if created else self.present)["focus areas"] += 1

    # Organizations and people ------------------------------------------------------------

    def organization(self, spec: Mapping[str, Any]) -> Organization:
        values = {name: spec[name] for name in ORGANIZATION_FIELDS if name in spec}
        areas = services.focus_areas_resolve(spec.get("focus_areas", []))
        organization = Organization.objects.filter(external_id=spec["external_id"]).first()
        if organization is None:
            organization = services.organization_create(
                actor=self.actor,
                data={**values, "external_id": spec["external_id"]},
                focus_areas=areas,
                is_published=True,
            )
            self.created["organizations"] += 1
        else:
            blanks = _blank_fields(organization, values)
            fill_areas = areas if areas and not organization.focus_areas.exists() else None
            if blanks or fill_areas is not None:
                services.organization_update(
                    actor=self.actor,
                    organization=organization,
                    data=blanks,
                    focus_areas=fill_areas,
                )
                self.updated["organizations"] += 1
            else:
                self.present["organizations"] += 1
        self.organizations[spec["external_id"]] = organization
        self.cite(organization, spec["citations"])
        return organization

    def person(self, spec: Mapping[str, Any]) -> Person:
        values = {name: spec[name] for name in PERSON_FIELDS if name in spec}
        person = Person.objects.filter(external_id=spec["external_id"]).first()
        if person is None:
            person = services.person_create(
                actor=self.actor,
                data={**values, "external_id": spec["external_id"]},
                is_published=True,
            )
            self.created["people"] += 1
        else:
            blanks = _blank_fields(person, values)
            if blanks:
                services.person_update(actor=self.actor, person=person, data=blanks)
                self.updated["people"] += 1
            else:
                self.present["people"] += 1
        self.people[spec["external_id"]] = person
        self.cite(person, spec["citations"])
        return person

    def position(self, spec: Mapping[str, Any]) -> Position:
        person = self.people[spec["person"]]
        organization = self.organizations[spec["organization"]]
        position = Position.objects.filter(
            person=person, organization=organization, title_ar=spec["title_ar"]
        ).first()
        if position is None:
            position = services.position_create(
                actor=self.actor,
                person=person,
                organization=organization,
                data={
                    "title_ar": spec["title_ar"],
                    "title_en": spec["title_en"],
                    "start_date": _date(spec.get("start_date")),
                    "end_date": _date(spec.get("end_date")),
                },
            )
            self.created["positions"] += 1
        else:
            self.present["positions"] += 1
        self.cite(position, spec["citations"])
        return position

    def union_membership(self, spec: Mapping[str, Any]) -> UnionMembership:
        union = self.organizations[spec["union"]]
        member = self.organizations[spec["member"]]
        membership = UnionMembership.objects.filter(union=union, member=member).first()
        if membership is None:
            membership = services.union_membership_create(
                actor=self.actor,
                union=union,
                member=member,
                data={
                    "start_date": _date(spec.get("start_date")),
                    "end_date": _date(spec.get("end_date")),
                },
            )
            self.created["union memberships"] += 1
        else:
            self.present["union memberships"] += 1
        self.cite(membership, spec.get("citations", []))
        return membership

    # Sources -----------------------------------------------------------------------------

    def cite(self, record: models.Model, citations: Sequence[Mapping[str, str]]) -> None:
        content_type = ContentType.objects.get_for_model(record)
        for citation in citations:
            key = citation["source"]
            source = self.sources.get(key) or Source.objects.filter(external_id=key).first()
            if (
                source is not None
                and Citation.objects.filter(
                    source=source,
                    content_type=content_type,
                    object_id=record.pk,
                    field=citation["field"],
                ).exists()
            ):
                self.present["citations"] += 1
            else:
                made = services.source_attach(
                    actor=self.actor,
                    record=record,
                    source=source,
                    source_data=None if source else self.source_data(key),
                    field=citation["field"],
                    quote=citation["quote"],
                )
                if source is None:
                    self.created["sources"] += 1
                source = made.source
                self.created["citations"] += 1
            if key not in self.sources:
                self.sources[key] = source

    def source_data(self, key: str) -> dict[str, Any]:
        spec = self.source_specs[key]
        return {
            "external_id": key,
            "title": spec["title"],
            "publisher": spec["publisher"],
            "published_on": _date(spec["published_on"]),
        }

    # The whole load ----------------------------------------------------------------------

    def run(self) -> list[str]:
        self.secretariat()
        self.focus_areas()
        for spec in data.ORGANIZATIONS:
            self.organization(spec)
        for spec in data.PEOPLE:
            self.person(spec)
        for spec in data.POSITIONS:
            self.position(spec)
        for spec in data.UNION_MEMBERSHIPS:
            self.union_membership(spec)
        for spec in data.DEMO_USERS[1:]:
            self.user(spec)
        self.present["sources"] = (
            Source.objects.filter(
                external_id__in=[spec["external_id"] for spec in data.SOURCES]
            ).count()
            - self.created["sources"]
        )
        return self.summary()

    def summary(self) -> list[str]:
        lines = ["Demo data from the five seed texts:"]
        for what in (
            "sources",
            "focus areas",
            "organizations",
            "people",
            "positions",
            "union memberships",
            "citations",
            "users",
        ):
            updated = f", {self.updated[what]} filled in" if self.updated[what] else ""
            lines.append(
                f"  {what}: {self.created[what]} created{updated}, "
                f"{self.present[what]} already present"
            )
        lines.append(
            f"  declared figures kept in tahaluf/demo/data.py for later issues: "
            f"{len(data.DECLARED_FIGURES)}"
        )
        if not (sum(self.created.values()) or sum(self.updated.values())):
            lines.append("Nothing new: the demo data was already loaded.")
        lines.extend(self.notes)
        kept = " (except where kept above)" if self.passwords_kept else ""
        lines.append(f"Demo users: {users_label()} — password: {self.password}{kept}")
        return lines


def users_label() -> str:
    """“amal (secretariat), badr (editor: …), …”, from data.py."""
    names = {spec["external_id"]: spec["name_en"] for spec in data.ORGANIZATIONS}
    labels = []
    for spec in data.DEMO_USERS:
        if spec["role"] == Role.EDITOR:
            labels.append(f"{spec['username']} (editor: {names[spec['organization']]})")
        else:
            labels.append(f"{spec['username']} ({spec['role']})")
    return ", ".join(labels)


def _blank_fields(record: models.Model, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values of `values` whose field is still blank on `record`."""
    blanks = {
        name: value
        for name, value in values.items()
        if name not in COUNT_FLAGS
        and value not in ("", None, [])
        and getattr(record, name) in ("", None, [])
    }
    for flag, count in COUNT_FLAGS.items():
        if count in blanks and flag in values:
            blanks[flag] = values[flag]
    return blanks


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def load_demo(*, password: str | None = None) -> list[str]:
    """Load the demo data, all of it or none of it; return the lines to print."""
    with transaction.atomic():
        return _Loader(demo_password(password)).run()
