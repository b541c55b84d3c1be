"""Writes to organizations, people, positions, union memberships and sources.

Each function validates fully, writes inside one transaction together with its history
entry, and raises django.core.exceptions.ValidationError (field by field) on bad input."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from tahaluf.accounts import permissions
from tahaluf.audit.models import Action
from tahaluf.audit.services import change_record, differences, snapshot
from tahaluf.organizations.models import (
    Citation,
    FocusArea,
    Organization,
    Person,
    Position,
    Source,
    UnionMembership,
)
from tahaluf.search.services import record_changed as search_record_changed

RecordT = TypeVar("RecordT", bound=models.Model)


def new_external_id() -> str:
    """Every record gets an external identifier, so that export → import round-trips."""
    return f"tahaluf-{uuid.uuid4().hex[:16]}"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _assign(record: models.Model, data: Mapping[str, Any], allowed: Sequence[str]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be set here.") for name in sorted(unknown)}
        )
    for name, value in data.items():
        setattr(record, name, value)


def _full_clean(record: models.Model, exclude: Iterable[str] = ()) -> None:
    record.full_clean(exclude=list(exclude))
    if hasattr(record, "refresh_sort_names"):
        record.refresh_sort_names()


# Focus areas -----------------------------------------------------------------------------


def focus_areas_resolve(values: Iterable[str]) -> list[FocusArea]:
    """Find focus areas by key or name; create those not known yet, named as given."""
    resolved: list[FocusArea] = []
    for raw in values:
        value = raw.strip()
        if not value:
            continue
        if len(value) > 100:
            raise ValidationError({"focus_areas": _("A focus area has at most 100 characters.")})
        area = FocusArea.objects.filter(
            models.Q(key=value) | models.Q(name_ar=value) | models.Q(name_en__iexact=value)
        ).first()
        if area is None:
            is_arabic = any("\u0600" <= char <= "\u06ff" for char in value)
            area = FocusArea.objects.create(
                key=value, name_ar=value if is_arabic else "", name_en="" if is_arabic else value
            )
        if area not in resolved:
            resolved.append(area)
    return resolved


def _focus_keys(organization: Organization) -> list[str]:
    return sorted(organization.focus_areas.values_list("key", flat=True))


# Organizations ---------------------------------------------------------------------------

ORGANIZATION_EDITABLE = Organization.TRACKED_FIELDS + ("external_id",)


@transaction.atomic
def organization_create(
    *,
    actor: Any,
    data: Mapping[str, Any],
    focus_areas: Sequence[FocusArea] = (),
    is_published: bool = False,
) -> Organization:
    _require(permissions.can_create_organization(actor))
    organization = Organization(created_by=actor if getattr(actor, "pk", None) else None)
    _assign(organization, data, ORGANIZATION_EDITABLE)
    organization.external_id = organization.external_id or new_external_id()
    organization.is_published = is_published
    _full_clean(organization)
    organization.save()
    organization.focus_areas.set(focus_areas)
    after = snapshot(organization, Organization.TRACKED_FIELDS)
    after["focus_areas"] = _focus_keys(organization)
    after["is_published"] = is_published
    change_record(
        actor=actor,
        record=organization,
        action=Action.CREATE,
        changes=differences({}, {k: v for k, v in after.items() if v not in ("", None, [])}),
    )
    search_record_changed(organization)
    return organization


@transaction.atomic
def organization_update(
    *,
    actor: Any,
    organization: Organization,
    data: Mapping[str, Any],
    focus_areas: Sequence[FocusArea] | None = None,
) -> Organization:
    _require(permissions.can_edit_organization(actor, organization))
    editable = (
        ORGANIZATION_EDITABLE if permissions.is_secretariat(actor) else Organization.TRACKED_FIELDS
    )
    before = snapshot(organization, Organization.TRACKED_FIELDS)
    before["focus_areas"] = _focus_keys(organization)
    _assign(organization, data, editable)
    _full_clean(organization)
    organization.save()
    if focus_areas is not None:
        organization.focus_areas.set(focus_areas)
    after = snapshot(organization, Organization.TRACKED_FIELDS)
    after["focus_areas"] = _focus_keys(organization)
    change_record(
        actor=actor,
        record=organization,
        action=Action.UPDATE,
        changes=differences(before, after),
    )
    search_record_changed(organization)
    return organization


@transaction.atomic
def record_set_published(*, actor: Any, record: RecordT, published: bool) -> RecordT:
    """Publish or unpublish an organization or a person."""
    _require(permissions.can_publish(actor))
    if record.is_published == published:  # type: ignore[attr-defined]
        return record
    record.is_published = published  # type: ignore[attr-defined]
    record.save(update_fields=["is_published", "updated_at"])
    change_record(
        actor=actor,
        record=record,
        action=Action.PUBLISH if published else Action.UNPUBLISH,
        changes={"is_published": [not published, published]},
    )
    search_record_changed(record)
    return record


@transaction.atomic
def record_delete(*, actor: Any, record: models.Model) -> None:
    """Delete an organization or person; its history stays, with a last entry saying so."""
    _require(permissions.can_delete(actor))
    last = snapshot(record, record.TRACKED_FIELDS)  # type: ignore[attr-defined]
    change_record(
        actor=actor,
        record=record,
        action=Action.DELETE,
        changes=differences(last, {name: None for name in last}),
    )
    content_type = ContentType.objects.get_for_model(record)
    Citation.objects.filter(content_type=content_type, object_id=record.pk).delete()
    search_record_changed(record)
    if isinstance(record, Organization):
        # The people who held posts here lose them: their entries change too.
        for person in Person.objects.filter(positions__organization=record).distinct():
            search_record_changed(person)
    record.delete()


# People ----------------------------------------------------------------------------------

PERSON_EDITABLE = Person.TRACKED_FIELDS + ("external_id",)


@transaction.atomic
def person_create(*, actor: Any, data: Mapping[str, Any], is_published: bool = False) -> Person:
    _require(permissions.can_create_person(actor))
    if is_published:
        _require(permissions.can_publish(actor))
    editable = PERSON_EDITABLE if permissions.is_secretariat(actor) else Person.TRACKED_FIELDS
    person = Person(created_by=actor if getattr(actor, "pk", None) else None)
    _assign(person, data, editable)
    person.external_id = person.external_id or new_external_id()
    person.is_published = is_published
    _full_clean(person)
    person.save()
    after = snapshot(person, Person.TRACKED_FIELDS)
    after["is_published"] = is_published
    change_record(
        actor=actor,
        record=person,
        action=Action.CREATE,
        changes=differences({}, {k: v for k, v in after.items() if v not in ("", None, [])}),
    )
    search_record_changed(person)
    return person


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: Mapping[str, Any]) -> Person:
    _require(permissions.can_edit_person(actor, person))
    editable = PERSON_EDITABLE if permissions.is_secretariat(actor) else Person.TRACKED_FIELDS
    before = snapshot(person, Person.TRACKED_FIELDS)
    _assign(person, data, editable)
    _full_clean(person)
    person.save()
    change_record(
        actor=actor,
        record=person,
        action=Action.UPDATE,
        changes=differences(before, snapshot(person, Person.TRACKED_FIELDS)),
    )
    search_record_changed(person)
    return person


# Positions -------------------------------------------------------------------------------

POSITION_EDITABLE = ("title_ar", "title_en", "start_date", "end_date")


@transaction.atomic
def position_create(
    *, actor: Any, person: Person, organization: Organization, data: Mapping[str, Any]
) -> Position:
    _require(permissions.can_edit_organization(actor, organization))
    _require(permissions.can_view_person(actor, person))
    position = Position(person=person, organization=organization)
    _assign(position, data, POSITION_EDITABLE)
    _full_clean(position)
    position.save()
    changes = differences({}, snapshot(position, Position.TRACKED_FIELDS))
    for record in (person, organization):
        change_record(
            actor=actor,
            record=record,
            action=Action.LINK,
            changes={"position": [None, str(position)], **changes},
            note=str(position),
        )
    search_record_changed(person)
    return position


@transaction.atomic
def position_update(*, actor: Any, position: Position, data: Mapping[str, Any]) -> Position:
    _require(permissions.can_edit_organization(actor, position.organization))
    before = snapshot(position, Position.TRACKED_FIELDS)
    _assign(position, data, POSITION_EDITABLE)
    _full_clean(position)
    position.save()
    changes = differences(before, snapshot(position, Position.TRACKED_FIELDS))
    if changes:
        for record in (position.person, position.organization):
            change_record(
                actor=actor,
                record=record,
                action=Action.UPDATE,
                changes=changes,
                note=str(position),
            )
        search_record_changed(position.person)
    return position


@transaction.atomic
def position_delete(*, actor: Any, position: Position) -> None:
    _require(permissions.can_edit_organization(actor, position.organization))
    label = str(position)
    for record in (position.person, position.organization):
        change_record(
            actor=actor,
            record=record,
            action=Action.UNLINK,
            changes={"position": [label, None]},
            note=label,
        )
    search_record_changed(position.person)
    position.delete()


# Union memberships -----------------------------------------------------------------------


def members_below(organization_id: int) -> set[int]:
    """Every organization that is, directly or through other unions, a member of this one."""
    found: set[int] = set()
    frontier = {organization_id}
    while frontier:
        children = set(
            UnionMembership.objects.filter(union_id__in=frontier).values_list(
                "member_id", flat=True
            )
        )
        frontier = children - found
        found |= children
    return found


@transaction.atomic
def union_membership_create(
    *, actor: Any, union: Organization, member: Organization, data: Mapping[str, Any]
) -> UnionMembership:
    _require(permissions.can_manage_union_memberships(actor))
    if union.pk == member.pk:
        raise ValidationError(
            {"member": _("An organization cannot be a member of itself.")}, code="self"
        )
    if union.pk in members_below(member.pk):
        raise ValidationError(
            {
                "member": _(
                    "%(member)s cannot join %(union)s: %(union)s is already, directly or "
                    "through other unions, a member of %(member)s, and membership cannot "
                    "go round in a circle."
                )
                % {"member": member.name, "union": union.name}
            },
            code="cycle",
        )
    if UnionMembership.objects.filter(union=union, member=member).exists():
        raise ValidationError(
            {
                "member": _("%(member)s is already recorded as a member of %(union)s.")
                % {"member": member.name, "union": union.name}
            },
            code="duplicate",
        )
    membership = UnionMembership(union=union, member=member)
    _assign(membership, data, ("start_date", "end_date"))
    _full_clean(membership)
    membership.save()
    changes = differences({}, snapshot(membership, UnionMembership.TRACKED_FIELDS))
    for record in (union, member):
        change_record(
            actor=actor,
            record=record,
            action=Action.LINK,
            changes={"union_membership": [None, str(membership)], **changes},
            note=str(membership),
        )
    return membership


@transaction.atomic
def union_membership_update(
    *, actor: Any, membership: UnionMembership, data: Mapping[str, Any]
) -> UnionMembership:
    _require(permissions.can_manage_union_memberships(actor))
    before = snapshot(membership, UnionMembership.TRACKED_FIELDS)
    _assign(membership, data, ("start_date", "end_date"))
    _full_clean(membership)
    membership.save()
    changes = differences(before, snapshot(membership, UnionMembership.TRACKED_FIELDS))
    if changes:
        for record in (membership.union, membership.member):
            change_record(
                actor=actor,
                record=record,
                action=Action.UPDATE,
                changes=changes,
                note=str(membership),
            )
    return membership


@transaction.atomic
def union_membership_delete(*, actor: Any, membership: UnionMembership) -> None:
    _require(permissions.can_manage_union_memberships(actor))
    label = str(membership)
    for record in (membership.union, membership.member):
        change_record(
            actor=actor,
            record=record,
            action=Action.UNLINK,
            changes={"union_membership": [label, None]},
            note=label,
        )
    membership.delete()


# Sources ---------------------------------------------------------------------------------


@transaction.atomic
def source_attach(
    *,
    actor: Any,
    record: models.Model,
    source: Source | None = None,
    source_data: Mapping[str, Any] | None = None,
    field: str = "",
    quote: str = "",
) -> Citation:
    """Attach an existing source, or a new one described by `source_data`, to a record,
    for the whole record or for one of its facts (`field`)."""
    _require(permissions.can_attach_source(actor, record))
    tracked = getattr(record, "TRACKED_FIELDS", ())
    if field and field not in tracked:
        raise ValidationError({"field": _("This record has no such fact.")}, code="no_field")
    if source is None:
        source = Source()
        _assign(
            source, source_data or {}, ("title", "url", "published_on", "publisher", "external_id")
        )
        _full_clean(source)
        source.save()
    citation = Citation(
        source=source,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        field=field,
        quote=quote.strip(),
    )
    if Citation.objects.filter(
        source=source, content_type=citation.content_type, object_id=record.pk, field=field
    ).exists():
        raise ValidationError(
            {"field": _("This source is already attached to this fact.")}, code="duplicate"
        )
    citation.full_clean()
    citation.save()
    change_record(
        actor=actor,
        record=record,
        action=Action.LINK,
        changes={"source": [None, source.title], **({"fact": [None, field]} if field else {})},
        note=quote[:200],
    )
    return citation


def citations_for(record: models.Model) -> models.QuerySet[Citation]:
    return (
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .select_related("source")
        .order_by("source_id", "field")
    )
