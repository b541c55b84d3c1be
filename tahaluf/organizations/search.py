"""What search indexes of organizations and people (registered in the app config)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries as country_names

from tahaluf.organizations.models import Kind, Organization, Person, Position
from tahaluf.search.registry import SearchDocument, SearchType, make_document, register


def _both(function):  # type: ignore[no-untyped-def]
    with translation.override("ar"):
        arabic = str(function())
    with translation.override("en"):
        english = str(function())
    return arabic, english


def _url_maker(name: str) -> Callable[[int], str]:
    """reverse(name, args=[pk]) for many records: reversed once, then filled in."""
    marker = 987654321
    template = reverse(name, args=[marker])
    before, _sep, after = template.partition(str(marker))
    return lambda pk: f"{before}{pk}{after}"


_ORGANIZATION_FIELDS = (
    "pk",
    "name_ar",
    "name_en",
    "other_names",
    "acronym",
    "kind",
    "country",
    "city",
    "description_ar",
    "description_en",
    "is_published",
)


def organization_documents(records: Iterable[Any]) -> list[SearchDocument]:
    """Documents for organizations: model instances, or the rows of _organizations() (which
    have the same attributes: reading a million rows as tuples takes half the time)."""
    documents = []
    url = _url_maker("organizations:detail")
    # Kinds and countries are translated once per batch (rebuilding translates a million).
    kind_labels = dict(Kind.choices)
    kinds: dict[str, tuple[str, str]] = {}
    countries: dict[str, tuple[str, str]] = {}
    subtitles: dict[tuple[str, str], tuple[str, str]] = {}
    for organization in records:
        pk, city = organization.pk, organization.city
        subtitle = subtitles.get((organization.kind, organization.country))
        if subtitle is None:
            kind = kinds.get(organization.kind)
            if kind is None:
                label = kind_labels.get(organization.kind, organization.kind)
                kind = kinds[organization.kind] = _both(lambda label=label: label)
            parts = [kind]
            if organization.country:
                country = countries.get(organization.country)
                if country is None:
                    code = organization.country
                    country = countries[code] = _both(lambda code=code: country_names.name(code))
                parts.append(country)
            subtitle = subtitles[(organization.kind, organization.country)] = (
                " · ".join(part[0] for part in parts),
                " · ".join(part[1] for part in parts),
            )
        subtitle_ar, subtitle_en = subtitle
        if city:
            subtitle_ar, subtitle_en = f"{subtitle_ar} · {city}", f"{subtitle_en} · {city}"
        names = (
            organization.name_ar,
            organization.name_en,
            *organization.other_names,
            organization.acronym,
        )
        documents.append(
            make_document(
                type="organization",
                object_id=pk,
                names=tuple([name for name in names if name]),
                title_ar=organization.name_ar or organization.name_en,
                title_en=organization.name_en or organization.name_ar,
                subtitle_ar=subtitle_ar,
                subtitle_en=subtitle_en,
                context=tuple(
                    [
                        item
                        for item in (city, organization.description_ar, organization.description_en)
                        if item
                    ]
                ),
                published=organization.is_published,
                owners=(pk,),
                url=url(pk),
            )
        )
    return documents


def person_documents(records: Iterable[Person]) -> list[SearchDocument]:
    documents = []
    for person in records:
        positions = list(person.positions.all())

        def subtitle(positions: list[Position] = positions) -> str:
            return "; ".join(
                f"{position.title} — {position.organization.name}" for position in positions
            )

        subtitle_ar, subtitle_en = _both(subtitle)
        names = [person.name_ar, person.name_en, *person.other_names]
        documents.append(
            SearchDocument(
                type="person",
                object_id=person.pk,
                names=tuple(name for name in names if name),
                title_ar=" ".join(
                    item for item in (person.honorific_ar, person.name_ar or person.name_en) if item
                ),
                title_en=" ".join(
                    item for item in (person.honorific_en, person.name_en or person.name_ar) if item
                ),
                subtitle_ar=subtitle_ar,
                subtitle_en=subtitle_en,
                published=person.is_published,
                owners=tuple(sorted({position.organization_id for position in positions})),
                url=reverse("organizations:person_detail", args=[person.pk]),
            )
        )
    return documents


def _organizations() -> QuerySet[Any]:
    # Only what organization_documents reads, as named tuples: rebuilding reads a million.
    return Organization.objects.values_list(*_ORGANIZATION_FIELDS, named=True)


def _people() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization"))
    )


def register_search_types() -> None:
    register(
        SearchType(
            name="organization",
            model=Organization,
            label=_("Organizations"),
            queryset=_organizations,
            build=organization_documents,
            order=10,
        )
    )
    register(
        SearchType(
            name="person",
            model=Person,
            label=_("People"),
            queryset=_people,
            build=person_documents,
            order=20,
        )
    )
