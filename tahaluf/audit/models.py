from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    PUBLISH = "publish", _("published")
    UNPUBLISH = "unpublish", _("unpublished")
    DELETE = "delete", _("deleted")
    IMPORT = "import", _("imported")
    LINK = "link", _("linked")
    UNLINK = "unlink", _("unlinked")
    MERGE = "merge", _("merged a duplicate into this record")


class HistoryJSONField(models.JSONField):
    """A JSONField without the CHECK (JSON_VALID(...)) that Django adds on SQLite.

    Entries are written by Django's encoder or by the CSV import's own writer (held to
    Python's json by a property test), never by hand. Checking re-parsed every entry as it
    was written: two thirds of the time of copying 100,000 imported organizations' history
    into the table. PostgreSQL has no such CHECK: its jsonb type checks the value."""

    def db_check(self, connection: Any) -> None:
        return None


class Change(models.Model):
    """One change to one record: who, when, and each field from what to what.

    `changes` maps a field name to [old, new], both as display strings. Rows are never
    updated or deleted by the application, and deleting the record keeps its history."""

    # No index of its own: the index below starts with it (every import writes both).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(max_length=300)
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()  # history is read per record, by the index below
    changes = HistoryJSONField(default=dict)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_repr}"

    def labelled_changes(self) -> list[tuple[str, Any, Any]]:
        """(label in the reader's language, before, after) for each changed field."""
        model = self.content_type.model_class()
        rows = []
        for name, values in self.changes.items():
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    field = None
            label = EXTRA_LABELS.get(name) or (
                field.verbose_name if isinstance(field, models.Field) else name
            )
            old, new = (list(values) + [None, None])[:2]
            rows.append((str(label), display(field, old), display(field, new)))
        return rows


# Entries in `changes` that are not fields of the record itself.
EXTRA_LABELS = {
    "focus_areas": _("focus areas"),
    "is_published": _("published"),
    "position": _("post"),
    "union_membership": _("union membership"),
    "source": _("source"),
    "fact": _("fact"),
    "api_token": _("API token"),
    "is_active": _("active"),
    "person": _("person"),
    "organization": _("organization"),
    "union": _("union"),
    "member": _("member"),
    "title_ar": _("post in Arabic"),
    "title_en": _("post in English"),
    "start_date": _("from"),
    "end_date": _("until"),
    "merged_record": _("merged record"),
    "duplicate_score": _("duplicate score"),
    "duplicate_reasons": _("why they are the same"),
    "merged_snapshot": _("the merged record as it was"),
    "moved": _("moved here"),
    "dropped_links": _("union memberships not kept"),
}


def display(field: Any, value: Any) -> Any:
    """A stored value as a reader would say it: choice labels, country names, yes/no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):  # a merged record's snapshot, counts of what moved
        return "; ".join(
            f"{key}: {display(None, item)}"
            for key, item in value.items()
            if item not in (None, "", [], {})
        )
    if field is None or value in (None, ""):
        return value
    choices = dict(getattr(field, "flatchoices", None) or [])
    if choices and not isinstance(value, list):
        return choices.get(value, value)
    if getattr(field, "name", "") == "country" and isinstance(value, str):
        from django_countries import countries

        return dict(countries).get(value, value)
    return value
