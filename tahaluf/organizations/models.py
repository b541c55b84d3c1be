from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.db.models.lookups import Exact
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries


class Kind(models.TextChoices):
    NGO = "ngo", _("Non-governmental organization")
    UNION = "union", _("Union or federation of organizations")
    NHRI = "nhri", _("National human-rights institution")
    GOVERNMENT = "government", _("Government body")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    INTERNATIONAL = "international", _("International organization")
    ACADEMIC = "academic", _("Academic institution")
    FUND = "fund", _("Fund")
    COMPANY = "company", _("Company")
    OTHER = "other", _("Other")


def validate_country(value: str) -> None:
    if value and value not in dict(countries):
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 alpha-2 country code, such as PS or EG."),
            code="invalid_country",
            params={"code": value},
        )


def current_year() -> int:
    return datetime.date.today().year


def validate_founded_year(value: int) -> None:
    if value > current_year():
        raise ValidationError(_("The founding year cannot be in the future."), code="future_year")


class BilingualNameMixin(models.Model):
    """Records named in Arabic and English; at least one of the two is required.
    `sort_ar` / `sort_en` hold the name each interface orders by, kept by the services."""

    name_ar = models.CharField(_("name in Arabic"), max_length=300, blank=True)
    name_en = models.CharField(_("name in English"), max_length=300, blank=True)
    other_names = models.JSONField(_("other spellings"), default=list, blank=True)
    sort_ar = models.CharField(max_length=300, editable=False, db_index=True, default="")
    sort_en = models.CharField(max_length=300, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name_ar or self.name_en

    @property
    def name(self) -> str:
        if translation.get_language() == "en":
            return self.name_en or self.name_ar
        return self.name_ar or self.name_en

    @property
    def secondary_name(self) -> str:
        other = self.name_ar if self.name == self.name_en else self.name_en
        return "" if other == self.name else other

    def refresh_sort_names(self) -> None:
        self.sort_ar, self.sort_en = self.sort_names(self.name_ar, self.name_en)

    @staticmethod
    def sort_names(name_ar: str, name_en: str) -> tuple[str, str]:
        """The (sort_ar, sort_en) pair for these names."""
        (sort_ar,), (sort_en,) = BilingualNameMixin.sort_names_many([name_ar], [name_en])
        return sort_ar, sort_en

    @staticmethod
    def sort_names_many(
        names_ar: Sequence[str], names_en: Sequence[str]
    ) -> tuple[list[str], list[str]]:
        """The sort_ar and sort_en columns of many names (the CSV import's columns)."""
        pairs = list(zip(names_ar, names_en, strict=True))
        return (
            [(ar or en).strip().casefold()[:300] for ar, en in pairs],
            [(en or ar).strip().casefold()[:300] for ar, en in pairs],
        )

    def clean(self) -> None:
        super().clean()
        self.name_ar = self.name_ar.strip()
        self.name_en = self.name_en.strip()
        if not self.name_ar and not self.name_en:
            raise ValidationError(
                {"name_ar": _("Give a name in Arabic or in English.")}, code="name_required"
            )
        if not isinstance(self.other_names, list) or not all(
            isinstance(item, str) for item in self.other_names
        ):
            raise ValidationError({"other_names": _("Other spellings must be a list of names.")})
        self.other_names = [item.strip() for item in self.other_names if item.strip()]


class FocusArea(models.Model):
    """A theme an organization works on. `key` is what CSV files carry."""

    key = models.CharField(_("key"), max_length=100, unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=150, blank=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "en":
            return self.name_en or self.name_ar or self.key
        return self.name_ar or self.name_en or self.key


class Organization(BilingualNameMixin):
    external_id = models.CharField(
        _("external identifier"), max_length=100, unique=True, null=True, blank=True
    )
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NGO)
    country = models.CharField(
        _("country"), max_length=2, blank=True, validators=[validate_country]
    )
    city = models.CharField(_("city or governorate"), max_length=150, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), validate_founded_year],
    )
    member_count = models.PositiveIntegerField(
        _("declared member organizations"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
    )
    member_count_at_least = models.BooleanField(_("member count is a minimum"), default=False)
    partner_count = models.PositiveIntegerField(
        _("declared partner organizations"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10_000_000)],
    )
    partner_count_at_least = models.BooleanField(_("partner count is a minimum"), default=False)
    website = models.URLField(_("website"), max_length=500, blank=True)
    description_ar = models.TextField(_("description in Arabic"), blank=True, max_length=10_000)
    description_en = models.TextField(_("description in English"), blank=True, max_length=10_000)
    focus_areas = models.ManyToManyField(
        FocusArea, verbose_name=_("focus areas"), blank=True, related_name="organizations"
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Fields a person edits and the history follows, in display order.
    TRACKED_FIELDS = (
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

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        # The public directory and the API list published organizations by name, filtered
        # by kind, country, city or a name contains-filter, and count them (measured in
        # docs/benchmarks.md). Partial indexes of published rows only: Django writes the
        # filter as `WHERE "is_published"`, which SQLite matches to an index's
        # `WHERE "is_published"` but cannot use on an (is_published, ...) index.
        # organization_public_ar / _en also hold the columns that the contains-filter reads
        # (and is_published itself), so that counting and listing its matches reads the index
        # only, never the table. Arabic pages order by sort_ar, English ones by sort_en, hence
        # a pair of each. Secretariat lists (every row) use sort_ar / sort_en.
        indexes = [
            models.Index(
                fields=["sort_ar", "id", "sort_en", "acronym", "is_published"],
                condition=Q(is_published=True),
                name="organization_public_ar",
            ),
            models.Index(
                fields=["sort_en", "id", "sort_ar", "acronym", "is_published"],
                condition=Q(is_published=True),
                name="organization_public_en",
            ),
            models.Index(
                fields=["kind", "sort_ar"],
                condition=Q(is_published=True),
                name="organization_public_kind",
            ),
            models.Index(
                fields=["kind", "sort_en"],
                condition=Q(is_published=True),
                name="organization_public_kind_en",
            ),
            models.Index(
                fields=["country", "sort_ar"],
                condition=Q(is_published=True),
                name="organization_public_country",
            ),
            models.Index(
                fields=["country", "sort_en"],
                condition=Q(is_published=True),
                name="organization_public_country_en",
            ),
            # Counting the published organizations reads this one: the narrowest there is.
            models.Index(
                fields=["is_published"],
                condition=Q(is_published=True),
                name="organization_public_count",
            ),
            # The city filter compares Lower(city) with Lower(the city asked for).
            models.Index(Lower("city"), name="organization_city_lower"),
        ]

    def clean(self) -> None:
        super().clean()
        self.acronym = self.acronym.strip()
        self.city = self.city.strip()
        if self.member_count is None:
            self.member_count_at_least = False
        if self.partner_count is None:
            self.partner_count_at_least = False

    @property
    def country_name(self) -> str:
        if not self.country:
            return ""
        return _labels(translation.get_language()).countries.get(self.country, self.country)

    @property
    def kind_label(self) -> str:
        """The kind in the reader's language (what get_kind_display gives, looked up in a
        table made once per language: a directory page shows 25 of them)."""
        return _labels(translation.get_language()).kinds.get(self.kind, self.kind)

    @property
    def description(self) -> str:
        if translation.get_language() == "en":
            return self.description_en or self.description_ar
        return self.description_ar or self.description_en

    @staticmethod
    def format_count(count: int | None, at_least: bool) -> str:
        if count is None:
            return ""
        return f"{count}+" if at_least else str(count)


def in_city(name: str) -> Exact:
    """The filter "in this city or governorate", case-insensitive like `city__iexact`, but
    written Lower(city) = Lower(name) so that it uses the index organization_city_lower."""
    return Exact(Lower("city"), Lower(Value(name.strip())))


class Person(BilingualNameMixin):
    external_id = models.CharField(
        _("external identifier"), max_length=100, unique=True, null=True, blank=True
    )
    honorific_ar = models.CharField(_("title in Arabic"), max_length=50, blank=True)
    honorific_en = models.CharField(_("title in English"), max_length=50, blank=True)
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    TRACKED_FIELDS = ("name_ar", "name_en", "other_names", "honorific_ar", "honorific_en")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["is_published", "sort_ar"])]

    @property
    def honorific(self) -> str:
        if translation.get_language() == "en":
            return self.honorific_en
        return self.honorific_ar


class DatedMixin(models.Model):
    start_date = models.DateField(_("from"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The end date cannot be before the start date.")},
                code="dates_reversed",
            )

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or datetime.date.today()
        return (self.start_date is None or self.start_date <= on) and (
            self.end_date is None or on <= self.end_date
        )


class Position(DatedMixin):
    """A person holds a post in an organization (“president of Maat”)."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="positions",
        verbose_name=_("organization"),
    )
    title_ar = models.CharField(_("post in Arabic"), max_length=200, blank=True)
    title_en = models.CharField(_("post in English"), max_length=200, blank=True)

    TRACKED_FIELDS = ("person", "organization", "title_ar", "title_en", "start_date", "end_date")

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="position_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title} — {self.organization}"

    def clean(self) -> None:
        super().clean()
        self.title_ar = self.title_ar.strip()
        self.title_en = self.title_en.strip()
        if not self.title_ar and not self.title_en:
            raise ValidationError({"title_ar": _("Name the post in Arabic or in English.")})

    @property
    def title(self) -> str:
        if translation.get_language() == "en":
            return self.title_en or self.title_ar
        return self.title_ar or self.title_en


class UnionMembership(DatedMixin):
    """`member` belongs to the union or federation `union`. No cycles: see services."""

    union = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="member_links",
        verbose_name=_("union"),
    )
    member = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="union_links",
        verbose_name=_("member"),
    )

    TRACKED_FIELDS = ("union", "member", "start_date", "end_date")

    class Meta:
        verbose_name = _("union membership")
        verbose_name_plural = _("union memberships")
        constraints = [
            models.CheckConstraint(
                condition=~Q(union=models.F("member")), name="union_membership_not_self"
            ),
            models.UniqueConstraint(fields=["union", "member"], name="union_membership_once"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="union_membership_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.union}"


class Source(models.Model):
    """Where a fact came from: an article, a document, a person."""

    title = models.CharField(_("title"), max_length=500)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    published_on = models.DateField(_("date"), null=True, blank=True)
    publisher = models.CharField(_("publisher or author"), max_length=300, blank=True)
    external_id = models.CharField(max_length=100, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    TRACKED_FIELDS = ("title", "url", "published_on", "publisher")

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title


class Citation(models.Model):
    """A source attached to a record, optionally for one fact (field) with a quote."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="citations")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("fact"), max_length=100, blank=True)
    quote = models.TextField(_("quote"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "content_type", "object_id", "field"], name="citation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.field or '*'}"

    @property
    def field_label(self) -> str:
        """The fact's name in the reader's language ("Founding year"), not the column name."""
        if not self.field:
            return ""
        model = self.content_type.model_class()
        try:
            field = model._meta.get_field(self.field) if model else None
            return str(field.verbose_name) if isinstance(field, models.Field) else self.field
        except Exception:  # a field removed since the citation was made
            return self.field


class ImportJob(models.Model):
    """An upload being imported by the worker; the page shows its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        VALIDATING = "validating", _("Checking every row")
        WRITING = "writing", _("Writing")
        FAILED = "failed", _("Not imported: the file has problems")
        ERROR = "error", _("Not imported: the import stopped on an error")
        NEEDS_CONFIRMATION = (
            "confirm",
            _("Not imported yet: some rows look like organizations already in the registry"),
        )
        DONE = "done", _("Imported")

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    publish = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    # New rows that are probably organizations already in the registry; the import waits
    # until someone who may import says "import anyway" (allow_duplicates).
    duplicates = models.JSONField(default=list, blank=True)
    allow_duplicates = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.FAILED, self.Status.ERROR, self.Status.DONE}

    @property
    def is_waiting(self) -> bool:
        """Stopped until someone confirms: the page stops refreshing itself."""
        return self.status == self.Status.NEEDS_CONFIRMATION

    def duplicate_rows(self) -> list[Any]:
        from tahaluf.search.duplicates import RowDuplicate

        return [RowDuplicate.from_dict(item) for item in self.duplicates]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        # Validation is the first half of the bar, writing the second.
        share = min(self.done_rows / self.total_rows, 1.0)
        return int(share * 50) + (50 if self.status == self.Status.WRITING else 0)


class MergeRecord(models.Model):
    """Two records were one organization: `merged_pk` was merged into `survivor`. Kept so
    that the merge can be explained later: the merged record as it was (`snapshot`: its
    facts, names, counts of what moved), the score and the reasons that made it a likely
    duplicate, who merged and when."""

    survivor = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="merges",
        verbose_name=_("surviving record"),
    )
    merged_pk = models.BigIntegerField(_("merged record's number"))
    merged_external_id = models.CharField(
        _("merged record's external identifier"), max_length=100, blank=True
    )
    snapshot = models.JSONField(_("the merged record as it was"), default=dict)
    score = models.FloatField(_("duplicate score"), null=True, blank=True)
    reasons = models.JSONField(_("why they are the same"), default=list)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"#{self.merged_pk} → {self.survivor_id}"

    def reason_texts(self) -> list[str]:
        from tahaluf.search.duplicates import Reason

        return [str(Reason.from_dict(item)) for item in self.reasons if isinstance(item, dict)]

    def snapshot_facts(self) -> list[tuple[str, Any]]:
        """(label in the reader's language, value as a reader would say it) for each fact the
        merged record had, then the counts of what moved."""
        from tahaluf.audit.models import display

        facts: list[tuple[str, Any]] = []
        for name, value in self.snapshot.get("fields", {}).items():
            if value in (None, "", [], False):
                continue
            try:
                field = Organization._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a field removed since the merge
                field = None
            label = str(field.verbose_name) if isinstance(field, models.Field) else name
            facts.append((label, display(field, value)))
        if self.snapshot.get("focus_areas"):
            facts.append((str(_("focus areas")), ", ".join(self.snapshot["focus_areas"])))
        labels = {
            "positions": _("posts"),
            "unions": _("memberships of unions"),
            "members": _("member organizations"),
            "citations": _("sources cited"),
            "history": _("history entries"),
            "editors": _("editors"),
        }
        for name, value in self.snapshot.get("moved", {}).items():
            facts.append((str(labels.get(name, name)), value))
        return facts

    @property
    def merged_name(self) -> str:
        names = self.snapshot.get("fields", {})
        if translation.get_language() == "en":
            return names.get("name_en") or names.get("name_ar") or ""
        return names.get("name_ar") or names.get("name_en") or ""


class _Labels:
    def __init__(self) -> None:
        self.kinds = {str(value): str(label) for value, label in Kind.choices}
        self.countries = {code: str(name) for code, name in countries}


@functools.cache
def _labels(_language: str | None) -> _Labels:
    return _Labels()
