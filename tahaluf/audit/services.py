"""Writing the change history. Services call these inside their own transaction, so a
change and its history entry are committed together or not at all."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from tahaluf.audit.models import Action, Change


def display_value(value: Any) -> Any:
    """A JSON-safe, human-readable form of a field value for the history."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return [display_value(item) for item in value]
    return str(value)


def snapshot(record: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: display_value(getattr(record, name)) for name in fields}


def differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return str(getattr(actor, "username", actor))


def change_build(
    *,
    actor: Any,
    record: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Change:
    return Change(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        object_repr=str(record)[:300],
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        at=at or timezone.now(),
        changes=dict(changes or {}),
        note=note[:500],
    )


def change_record(
    *,
    actor: Any,
    record: models.Model,
    action: str,
    changes: Mapping[str, list[Any]] | None = None,
    note: str = "",
) -> Change | None:
    """Record one change. An update that changed nothing records nothing."""
    if action == Action.UPDATE and not changes:
        return None
    entry = change_build(actor=actor, record=record, action=action, changes=changes, note=note)
    entry.save()
    return entry


def history_for(record: models.Model) -> models.QuerySet[Change]:
    return Change.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("actor")
