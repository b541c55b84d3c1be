"""What search indexes of organizations and people (registered in the app config)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tahaluf.organizations.models import Organization, Person, Position
from tahaluf.search.registry import SearchDocument, SearchType, register


def _both(function):  # type: ignore[no-untyped-def]
    with translation.override("ar"):
        arabic = str(function())
    with translation.override("en"):
        english = str(function())
    return arabic, english


def organization_documents(records: Iterable[Organization]) -> list[SearchDocument]:
    documents = []
    for organization in records:
        names = [organization.name_ar, organization.name_en, *organization.other_names]
        if organization.acronym:
            names.append(organization.acronym)

        def subtitle(organization: Organization = organization) -> str:
            parts = [str(organization.get_kind_display())]
            if organization.country:
                parts.append(organization.country_name)
            if organization.city:
                parts.append(organization.city)
            return " · ".join(parts)

        subtitle_ar, subtitle_en = _both(subtitle)
        documents.append(SearchDocument(
            type="organization", object_id=organization.pk,
            names=tuple(name for name in names if name),
            title_ar=organization.name_ar or organization.name_en,
            title_en=organization.name_en or organization.name_ar,
            subtitle_ar=subtitle_ar, subtitle_en=subtitle_en,
            context=tuple(item for item in (organization.city, organization.description_ar,
                                            organization.description_en) if item),
            published=organization.is_published, owners=(organization.pk,),
            url=reverse("organizations:detail", args=[organization.pk]),
        ))
    return documents


def person_documents(records: Iterable[Person]) -> list[SearchDocument]:
    documents = []
    for person in records:
        positions = list(person.positions.all())

        def subtitle(positions: list[Position] = positions) -> str:
            return "; ".join(f"{position.title} — {position.organization.name}"
                             for position in positions)

        subtitle_ar, subtitle_en = _both(subtitle)
        names = [person.name_ar, person.name_en, *person.other_names]
        documents.append(SearchDocument(
            type="person", object_id=person.pk, names=tuple(name for name in names if name),
            title_ar=" ".join(item for item in (person.honorific_ar, person.name_ar or person.name_en) if item),
            title_en=" ".join(item for item in (person.honorific_en, person.name_en or person.name_ar) if item),
            subtitle_ar=subtitle_ar, subtitle_en=subtitle_en,
            published=person.is_published,
            owners=tuple(sorted({position.organization_id for position in positions})),
            url=reverse("organizations:person_detail", args=[person.pk]),
        ))
    return documents


def _people() -> QuerySet[Person]:
    return Person.objects.prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization"))
    )


def register_search_types() -> None:
    register(SearchType(
        name="organization", model=Organization, label=_("Organizations"),
        queryset=lambda: Organization.objects.all(), build=organization_documents, order=10,
    ))
    register(SearchType(
        name="person", model=Person, label=_("People"), queryset=_people,
        build=person_documents, order=20,
    ))
