"""Merging two records of one organization into one.

Everything that belongs to the duplicate moves to the survivor in one transaction: posts,
union memberships (both ways), sources cited, history entries, editors, focus areas, and
whatever else points at an organization (agreements, memberships of networks, … as apps
add them). The duplicate's names become other spellings of the survivor; facts the survivor
lacks are taken from the duplicate; the duplicate is then deleted. A "merge" history entry on
the survivor and a MergeRecord keep the duplicate as it was, with the score and the reasons,
so that the merge can be explained later. Nothing is lost and nothing is left pointing at the
deleted record: what cannot move (a membership of a union in itself, or one that would go
round in a circle, or a second copy of one the survivor has) is listed in the history entry
and the MergeRecord instead."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tahaluf.accounts import permissions
from tahaluf.audit.models import Action, Change
from tahaluf.audit.services import actor_label, change_record, differences, display_value, snapshot
from tahaluf.organizations.models import (
    Citation,
    MergeRecord,
    Organization,
    Person,
    Position,
    UnionMembership,
)
from tahaluf.organizations.services import members_below
from tahaluf.search import arabic
from tahaluf.search.duplicates import Reason, score_pair
from tahaluf.search.services import record_changed

# Facts taken from the duplicate when the survivor has none (names and other spellings are
# handled apart); a count comes with its "at least" flag.
FILLED_FIELDS = (
    "acronym",
    "country",
    "city",
    "founded_year",
    "member_count",
    "partner_count",
    "website",
    "description_ar",
    "description_en",
)
COMPANIONS = {"member_count": "member_count_at_least", "partner_count": "partner_count_at_least"}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _same_name(a: str, b: str) -> bool:
    return arabic.normalize(a) == arabic.normalize(b)


def _aliases(survivor: Organization, duplicate: Organization) -> list[str]:
    """The survivor's other spellings, with the duplicate's names added (each once)."""
    known = [survivor.name_ar, survivor.name_en, *survivor.other_names]
    aliases = list(survivor.other_names)
    for name in (duplicate.name_ar, duplicate.name_en, *duplicate.other_names):
        name = (name or "").strip()
        if name and not any(_same_name(name, other) for other in known if other):
            aliases.append(name)
            known.append(name)
    return aliases


def merge_snapshot(duplicate: Organization) -> dict[str, Any]:
    """The duplicate as it was: every fact, and what was linked to it."""
    content_type = ContentType.objects.get_for_model(Organization)
    return {
        "pk": duplicate.pk,
        "external_id": duplicate.external_id or "",
        "fields": {
            **snapshot(duplicate, Organization.TRACKED_FIELDS),
            "is_published": duplicate.is_published,
            "created_at": display_value(duplicate.created_at),
        },
        "focus_areas": sorted(duplicate.focus_areas.values_list("key", flat=True)),
        "counts": {
            "positions": duplicate.positions.count(),
            "unions": duplicate.union_links.count(),
            "members": duplicate.member_links.count(),
            "citations": Citation.objects.filter(
                content_type=content_type, object_id=duplicate.pk
            ).count(),
            "history": Change.objects.filter(
                content_type=content_type, object_id=duplicate.pk
            ).count(),
            "editors": duplicate.editors.count(),
        },
    }


def _move_union_links(survivor: Organization, duplicate: Organization) -> list[str]:
    """Move the duplicate's union memberships (as a union and as a member) to the survivor.
    Returns those that could not move: a membership of the survivor in itself, a second copy
    of one the survivor has, or one that would make membership go round in a circle."""
    dropped: list[str] = []
    for link in list(UnionMembership.objects.filter(union=duplicate).select_related("member")):
        member_id = link.member_id
        reason = None
        if member_id == survivor.pk:
            reason = _("a union cannot be a member of itself")
        elif UnionMembership.objects.filter(union=survivor, member_id=member_id).exists():
            reason = _("already recorded")
        elif survivor.pk in members_below(member_id):
            reason = _("membership would go round in a circle")
        if reason:
            dropped.append(f"{link} ({reason})")
            link.delete()
        else:
            UnionMembership.objects.filter(pk=link.pk).update(union=survivor)
    for link in list(UnionMembership.objects.filter(member=duplicate).select_related("union")):
        union_id = link.union_id
        reason = None
        if union_id == survivor.pk:
            reason = _("a union cannot be a member of itself")
        elif UnionMembership.objects.filter(union_id=union_id, member=survivor).exists():
            reason = _("already recorded")
        elif union_id in members_below(survivor.pk):
            reason = _("membership would go round in a circle")
        if reason:
            dropped.append(f"{link} ({reason})")
            link.delete()
        else:
            UnionMembership.objects.filter(pk=link.pk).update(member=survivor)
    return dropped


def _move_citations(survivor: Organization, duplicate: Organization) -> list[str]:
    """Move the sources cited on the duplicate. A source the survivor already cites for the
    same fact is kept once (with the duplicate's quote if the survivor's had none)."""
    content_type = ContentType.objects.get_for_model(Organization)
    merged: list[str] = []
    for citation in Citation.objects.filter(content_type=content_type, object_id=duplicate.pk):
        twin = Citation.objects.filter(
            content_type=content_type,
            object_id=survivor.pk,
            source_id=citation.source_id,
            field=citation.field,
        ).first()
        if twin is None:
            Citation.objects.filter(pk=citation.pk).update(object_id=survivor.pk)
            continue
        if citation.quote and not twin.quote:
            Citation.objects.filter(pk=twin.pk).update(quote=citation.quote)
        elif citation.quote and citation.quote != twin.quote:
            merged.append(f"{citation.source}: {citation.quote}")
        citation.delete()
    return merged


def _move_history(survivor: Organization, duplicate: Organization, label: str) -> int:
    """The duplicate's history entries become the survivor's, each noting where it came
    from."""
    content_type = ContentType.objects.get_for_model(Organization)
    entries = list(Change.objects.filter(content_type=content_type, object_id=duplicate.pk))
    for entry in entries:
        entry.object_id = survivor.pk
        entry.note = (f"⇐ {label}" + (f" — {entry.note}" if entry.note else ""))[:500]
    Change.objects.bulk_update(entries, ["object_id", "note"], batch_size=1000)
    return len(entries)


def _move_other_references(
    survivor: Organization, duplicate: Organization, handled: Iterable[str]
) -> dict[str, int]:
    """Every other foreign key to an organization (apps added later: agreements, networks,
    …) is pointed at the survivor."""
    moved: dict[str, int] = {}
    for relation in Organization._meta.related_objects:
        if relation.many_to_many or not relation.field.concrete:
            continue
        model = relation.field.model  # the model holding the foreign key
        name = f"{model._meta.label}.{relation.field.name}"
        if name in handled:
            continue
        count = model._default_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: survivor}
        )
        if count:
            moved[name] = count
    return moved


HANDLED_RELATIONS = {
    "organizations.Position.organization",
    "organizations.UnionMembership.union",
    "organizations.UnionMembership.member",
    "organizations.MergeRecord.survivor",
    "accounts.User.organization",
}


@transaction.atomic
def organization_merge(
    *,
    actor: Any,
    survivor: Organization,
    duplicate: Organization,
    reasons: Sequence[Reason] | None = None,
    score: float | None = None,
) -> MergeRecord:
    """Merge `duplicate` into `survivor` (see the module's description). `score` and
    `reasons` say why they are one organization; when not given they are worked out."""
    if not permissions.can_merge(actor):
        raise PermissionDenied
    if survivor.pk == duplicate.pk:
        raise ValidationError(_("A record cannot be merged into itself."), code="self")
    # Read both afresh, locked (PostgreSQL), so that nothing changes them meanwhile.
    locked = {
        organization.pk: organization
        for organization in Organization.objects.select_for_update().filter(
            pk__in=[survivor.pk, duplicate.pk]
        )
    }
    if len(locked) != 2:
        raise ValidationError(_("One of the two records no longer exists."), code="gone")
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    if score is None or reasons is None:
        computed_score, computed_reasons = score_pair(survivor, duplicate)
        score = computed_score if score is None else score
        reasons = computed_reasons if reasons is None else reasons
    label = f"«{duplicate.name_ar or duplicate.name_en}» (#{duplicate.pk})"
    people = list(Person.objects.filter(positions__organization=duplicate).distinct())
    state = merge_snapshot(duplicate)
    before = snapshot(survivor, Organization.TRACKED_FIELDS)
    before["focus_areas"] = sorted(survivor.focus_areas.values_list("key", flat=True))

    # Names and facts.
    if not survivor.name_ar and duplicate.name_ar:
        survivor.name_ar = duplicate.name_ar
    if not survivor.name_en and duplicate.name_en:
        survivor.name_en = duplicate.name_en
    survivor.other_names = _aliases(survivor, duplicate)
    if (
        survivor.acronym
        and duplicate.acronym
        and not _same_name(survivor.acronym, duplicate.acronym)
        and not any(_same_name(duplicate.acronym, name) for name in survivor.other_names)
    ):
        survivor.other_names.append(duplicate.acronym)
    for name in FILLED_FIELDS:
        if _empty(getattr(survivor, name)) and not _empty(getattr(duplicate, name)):
            setattr(survivor, name, getattr(duplicate, name))
            if name in COMPANIONS:
                setattr(survivor, COMPANIONS[name], getattr(duplicate, COMPANIONS[name]))
    survivor.refresh_sort_names()
    survivor.full_clean(exclude=["external_id"])
    survivor.save()
    survivor.focus_areas.add(*duplicate.focus_areas.all())

    # What points at the duplicate.
    positions = Position.objects.filter(organization=duplicate).update(organization=survivor)
    dropped = _move_union_links(survivor, duplicate)
    quotes = _move_citations(survivor, duplicate)
    from tahaluf.accounts.models import User

    editors = list(User.objects.filter(organization=duplicate).values_list("username", flat=True))
    User.objects.filter(organization=duplicate).update(organization=survivor)
    MergeRecord.objects.filter(survivor=duplicate).update(survivor=survivor)
    others = _move_other_references(survivor, duplicate, HANDLED_RELATIONS)
    history = _move_history(survivor, duplicate, label)

    after = snapshot(survivor, Organization.TRACKED_FIELDS)
    after["focus_areas"] = sorted(survivor.focus_areas.values_list("key", flat=True))
    moved = {
        "positions": positions,
        "history": history,
        "editors": ", ".join(editors),
        **state["counts"],
        **others,
    }
    state["moved"] = {key: value for key, value in moved.items() if value}
    if dropped:
        state["dropped_links"] = dropped
    if quotes:
        state["quotes"] = quotes
    reason_dicts = [reason.as_dict() for reason in reasons]
    now = timezone.now()
    record = MergeRecord.objects.create(
        survivor=survivor,
        merged_pk=duplicate.pk,
        merged_external_id=(duplicate.external_id or "")[:100],
        snapshot=state,
        score=score,
        reasons=reason_dicts,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        at=now,
    )
    changes: dict[str, list[Any]] = {
        **differences(before, after),
        "merged_record": [None, label],
        "duplicate_score": [None, score],
        "duplicate_reasons": [None, "; ".join(str(reason) for reason in reasons)],
        "merged_snapshot": [state["fields"] | {"external_id": state["external_id"]}, None],
        "moved": [None, state["moved"]],
    }
    if dropped:
        changes["dropped_links"] = [dropped, None]
    change_record(actor=actor, record=survivor, action=Action.MERGE, changes=changes, note=label)

    record_changed(survivor)
    record_changed(duplicate)  # its index entry goes
    for person in people:
        record_changed(person)  # their posts are now at the survivor
    duplicate.delete()
    return record


def merge_preview(survivor: Organization, duplicate: Organization) -> dict[str, Any]:
    """What `organization_merge` would do, for the confirmation page: the duplicate's names
    that become other spellings, the facts the survivor would take from it, and how many
    of each linked thing would move."""
    state = merge_snapshot(duplicate)
    known = [survivor.name_ar, survivor.name_en, *survivor.other_names]
    names = [
        name
        for name in dict.fromkeys((duplicate.name_ar, duplicate.name_en, *duplicate.other_names))
        if name and not any(_same_name(name, other) for other in known if other)
    ]
    filled = []
    for name in ("name_ar", "name_en", *FILLED_FIELDS):
        value = getattr(duplicate, name)
        if _empty(getattr(survivor, name)) and not _empty(value):
            field = Organization._meta.get_field(name)
            label = str(field.verbose_name) if isinstance(field, models.Field) else name
            if name == "country":
                value = duplicate.country_name
            filled.append((label, value))
    new_areas = sorted(
        set(duplicate.focus_areas.values_list("key", flat=True))
        - set(survivor.focus_areas.values_list("key", flat=True))
    )
    return {"names": names, "filled": filled, "counts": state["counts"], "focus_areas": new_areas}
