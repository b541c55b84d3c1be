from __future__ import annotations

from django.db import models


class PendingChange(models.Model):
    """A record whose index entry must be refreshed. Written in the same transaction as the
    change itself, so that a crash between the database commit and the index update loses
    nothing: whatever is pending is applied before the next search, or by the worker."""

    type = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.type}:{self.object_id} pending"


class IndexedDocument(models.Model):
    """The PostgreSQL backend's index: one row per record, analyzed text in columns with
    full-text and trigram indexes. (The embedded backend keeps its index on disk instead.)"""

    type = models.CharField(max_length=50)
    object_id = models.BigIntegerField()
    published = models.BooleanField(default=True)
    owners = models.JSONField(default=list)
    title_ar = models.TextField(blank=True)
    title_en = models.TextField(blank=True)
    subtitle_ar = models.TextField(blank=True)
    subtitle_en = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    exact = models.JSONField(default=list)  # normalized whole names
    tokens = models.TextField(blank=True)  # space-separated, names only
    words = models.TextField(blank=True)
    stems = models.TextField(blank=True)
    keys = models.TextField(blank=True)
    context = models.TextField(blank=True)  # words and stems of the weaker fields
    digest = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "object_id"], name="indexed_document_once")
        ]

    def __str__(self) -> str:
        return f"{self.type}:{self.object_id} {self.title_ar or self.title_en}"


class DuplicateKey(models.Model):
    """One term (stem, "~"+transliteration key, "#"+acronym) of one organization's names:
    the blocks and the document frequencies duplicate detection looks up to compare one
    record with the whole registry (tahaluf/search/duplicates.py). Kept by the same pending
    changes as the search index, and rebuilt with it."""

    key = models.CharField(max_length=100)
    organization_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["key", "organization_id"], name="duplicate_key_lookup"),
            models.Index(fields=["organization_id"], name="duplicate_key_organization"),
        ]

    def __str__(self) -> str:
        return f"{self.key} → organization {self.organization_id}"
