from __future__ import annotations

import datetime
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from tahaluf.accounts import permissions
from tahaluf.lib import paging
from tahaluf.lib.http import ApiRequest
from tahaluf.lib.schemas import (
    Country,
    PositiveId,
    StrictSchema,
    Text2,
    Text50,
    Text100,
    Text150,
    Text200,
    Text300,
    Text500,
    Text10000,
    refuse_unknown_parameters,
)
from tahaluf.organizations import name_filter, services
from tahaluf.organizations.access import (
    get_organization_for_user,
    get_person_for_user,
    get_position_for_user,
    get_union_membership_for_user,
)
from tahaluf.organizations.models import (
    Kind,
    Organization,
    Person,
    Position,
    UnionMembership,
    in_city,
)

router = Router()

KindName = Literal[
    "ngo",
    "union",
    "nhri",
    "government",
    "local_authority",
    "international",
    "academic",
    "fund",
    "company",
    "other",
]
assert set(KindName.__args__) == set(Kind.values)  # type: ignore[attr-defined]

Limit = Field(25, ge=1, le=200)
Offset = Field(0, ge=0, le=10**9)


# Output schemas are plain `Schema`: `extra="forbid"` is for input only, and on output it makes
# django-ninja validate the raw model first, before resolvers (such as focus_areas) run.


class Error(Schema):
    detail: Any


# Organizations ---------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    external_id: str | None
    name_ar: str
    name_en: str
    acronym: str
    other_names: list[str]
    kind: str
    country: str
    city: str
    founded_year: int | None
    member_count: int | None
    member_count_at_least: bool
    partner_count: int | None
    partner_count_at_least: bool
    website: str
    description_ar: str
    description_en: str
    focus_areas: list[str]
    is_published: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_focus_areas(obj: Organization) -> list[str]:
        return sorted(area.key for area in obj.focus_areas.all())


class OrganizationIn(StrictSchema):
    external_id: Text100 | None = None
    name_ar: Text300 = ""
    name_en: Text300 = ""
    acronym: Text50 = ""
    other_names: list[Text300] = Field(default_factory=list, max_length=50)
    kind: KindName = "ngo"
    country: Country = ""
    city: Text150 = ""
    founded_year: int | None = Field(None, ge=1800, le=9999)
    member_count: int | None = Field(None, ge=0, le=10_000_000)
    member_count_at_least: bool = False
    partner_count: int | None = Field(None, ge=0, le=10_000_000)
    partner_count_at_least: bool = False
    website: Text500 = ""
    description_ar: Text10000 = ""
    description_en: Text10000 = ""
    focus_areas: list[Text100] = Field(default_factory=list, max_length=50)
    is_published: bool = False


class OrganizationPatch(StrictSchema):
    external_id: Text100 | None = None
    name_ar: Text300 | None = None
    name_en: Text300 | None = None
    acronym: Text50 | None = None
    other_names: list[Text300] | None = Field(None, max_length=50)
    kind: KindName | None = None
    country: Country | None = None
    city: Text150 | None = None
    founded_year: int | None = Field(None, ge=1800, le=9999)
    member_count: int | None = Field(None, ge=0, le=10_000_000)
    member_count_at_least: bool | None = None
    partner_count: int | None = Field(None, ge=0, le=10_000_000)
    partner_count_at_least: bool | None = None
    website: Text500 | None = None
    description_ar: Text10000 | None = None
    description_en: Text10000 | None = None
    focus_areas: list[Text100] | None = Field(None, max_length=50)
    is_published: bool | None = None


class OrganizationFilters(StrictSchema):
    q: Text200 = Field("", description="Name or acronym contains (case-insensitive).")
    kind: KindName | None = None
    country: Text2 = ""
    city: Text150 = ""
    focus_area: Text100 = Field("", description="Key of a focus area.")
    external_id: Text100 = ""
    limit: int = Limit
    offset: int = Offset


class OrganizationPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrganizationOut]


# Nullable fields that PATCH may set to null; for the others null means "leave as is".
NULLABLE_ORGANIZATION_FIELDS = {"founded_year", "member_count", "partner_count"}


def _organization_page(queryset: QuerySet[Organization], limit: int, offset: int) -> dict[str, Any]:
    limit = min(limit, settings.TAHALUF_API_MAX_LIMIT)
    count = queryset.count()
    items = paging.rows(queryset.prefetch_related("focus_areas"), offset, offset + limit, count)
    return {"count": count, "limit": limit, "offset": offset, "items": items}


@router.get("organizations", response=OrganizationPage, tags=["organizations"])
def organizations_list(request: ApiRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    """Organizations the caller may see, ordered by Arabic name."""
    refuse_unknown_parameters(request, OrganizationFilters)
    queryset = permissions.visible_organizations(request.auth, Organization.objects.all())
    if filters.q.strip():
        queryset = name_filter.filter_names(queryset, filters.q)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.country:
        queryset = queryset.filter(country=filters.country.upper())
    if filters.city:
        queryset = queryset.filter(in_city(filters.city))
    if filters.focus_area:
        queryset = queryset.filter(focus_areas__key=filters.focus_area)
    if filters.external_id:
        queryset = queryset.filter(external_id=filters.external_id)
    return _organization_page(queryset.order_by("sort_ar", "pk"), filters.limit, filters.offset)


@router.post(
    "organizations", response={201: OrganizationOut, 403: Error, 422: Error}, tags=["organizations"]
)
def organizations_create(request: ApiRequest, payload: OrganizationIn) -> Status[Organization]:
    data = payload.model_dump()
    focus = data.pop("focus_areas")
    is_published = data.pop("is_published")
    if is_published and not permissions.can_publish(request.auth):
        raise PermissionDenied(_("Only the secretariat publishes records."))
    if data["external_id"] is None:
        data.pop("external_id")
    organization = services.organization_create(
        actor=request.auth,
        data=data,
        focus_areas=services.focus_areas_resolve(focus),
        is_published=is_published,
    )
    return Status(201, organization)


@router.get(
    "organizations/{organization_id}",
    response={200: OrganizationOut, 404: Error},
    tags=["organizations"],
)
def organizations_get(request: ApiRequest, organization_id: PositiveId) -> Organization:
    return get_organization_for_user(request.auth, organization_id)


@router.patch(
    "organizations/{organization_id}",
    response={200: OrganizationOut, 403: Error, 404: Error, 422: Error},
    tags=["organizations"],
)
def organizations_update(
    request: ApiRequest, organization_id: PositiveId, payload: OrganizationPatch
) -> Organization:
    organization = get_organization_for_user(request.auth, organization_id, write=True)
    data = payload.model_dump(exclude_unset=True)
    focus = data.pop("focus_areas", None)
    is_published = data.pop("is_published", None)
    data = {k: v for k, v in data.items() if v is not None or k in NULLABLE_ORGANIZATION_FIELDS}
    if is_published is not None and is_published != organization.is_published:
        if not permissions.can_publish(request.auth):
            raise PermissionDenied(_("Only the secretariat publishes records."))
    if "external_id" in data and not permissions.is_secretariat(request.auth):
        raise PermissionDenied(_("Only the secretariat sets external identifiers."))
    if data or focus is not None:
        organization = services.organization_update(
            actor=request.auth,
            organization=organization,
            data=data,
            focus_areas=None if focus is None else services.focus_areas_resolve(focus),
        )
    if is_published is not None and is_published != organization.is_published:
        services.record_set_published(
            actor=request.auth, record=organization, published=is_published
        )
    return organization


@router.delete(
    "organizations/{organization_id}",
    response={204: None, 403: Error, 404: Error},
    tags=["organizations"],
)
def organizations_delete(request: ApiRequest, organization_id: PositiveId) -> Status[None]:
    organization = get_organization_for_user(request.auth, organization_id)
    services.record_delete(actor=request.auth, record=organization)
    return Status(204, None)


# People ----------------------------------------------------------------------------------


class PersonOut(Schema):
    id: int
    external_id: str | None
    name_ar: str
    name_en: str
    other_names: list[str]
    honorific_ar: str
    honorific_en: str
    is_published: bool
    created_at: datetime.datetime
    updated_at: datetime.datetime


class PersonIn(StrictSchema):
    external_id: Text100 | None = None
    name_ar: Text300 = ""
    name_en: Text300 = ""
    other_names: list[Text300] = Field(default_factory=list, max_length=50)
    honorific_ar: Text50 = ""
    honorific_en: Text50 = ""
    is_published: bool = False


class PersonPatch(StrictSchema):
    external_id: Text100 | None = None
    name_ar: Text300 | None = None
    name_en: Text300 | None = None
    other_names: list[Text300] | None = Field(None, max_length=50)
    honorific_ar: Text50 | None = None
    honorific_en: Text50 | None = None
    is_published: bool | None = None


class PersonFilters(StrictSchema):
    q: Text200 = Field("", description="Name contains (case-insensitive).")
    organization: PositiveId | None = Field(None, description="Holds a post in this organization.")
    limit: int = Limit
    offset: int = Offset


class PersonPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonOut]


@router.get("people", response=PersonPage, tags=["people"])
def people_list(request: ApiRequest, filters: Query[PersonFilters]) -> dict[str, Any]:
    refuse_unknown_parameters(request, PersonFilters)
    queryset = permissions.visible_people(request.auth, Person.objects.all())
    if filters.q:
        needle = filters.q.strip().casefold()
        queryset = queryset.filter(Q(sort_ar__contains=needle) | Q(sort_en__contains=needle))
    if filters.organization:
        queryset = queryset.filter(positions__organization_id=filters.organization).distinct()
    queryset = queryset.order_by("sort_ar", "pk")
    limit = min(filters.limit, settings.TAHALUF_API_MAX_LIMIT)
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": filters.offset,
        "items": list(queryset[filters.offset : filters.offset + limit]),
    }


@router.post("people", response={201: PersonOut, 403: Error, 422: Error}, tags=["people"])
def people_create(request: ApiRequest, payload: PersonIn) -> Status[Person]:
    data = payload.model_dump()
    is_published = data.pop("is_published")
    if data["external_id"] is None:
        data.pop("external_id")
    elif not permissions.is_secretariat(request.auth):
        raise PermissionDenied(_("Only the secretariat sets external identifiers."))
    return Status(
        201, services.person_create(actor=request.auth, data=data, is_published=is_published)
    )


@router.get("people/{person_id}", response={200: PersonOut, 404: Error}, tags=["people"])
def people_get(request: ApiRequest, person_id: PositiveId) -> Person:
    return get_person_for_user(request.auth, person_id)


@router.patch(
    "people/{person_id}",
    response={200: PersonOut, 403: Error, 404: Error, 422: Error},
    tags=["people"],
)
def people_update(request: ApiRequest, person_id: PositiveId, payload: PersonPatch) -> Person:
    person = get_person_for_user(request.auth, person_id, write=True)
    data = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    is_published = data.pop("is_published", None)
    if is_published is not None and is_published != person.is_published:
        if not permissions.can_publish(request.auth):
            raise PermissionDenied(_("Only the secretariat publishes records."))
    if "external_id" in data and not permissions.is_secretariat(request.auth):
        raise PermissionDenied(_("Only the secretariat sets external identifiers."))
    if data:
        person = services.person_update(actor=request.auth, person=person, data=data)
    if is_published is not None and is_published != person.is_published:
        services.record_set_published(actor=request.auth, record=person, published=is_published)
    return person


@router.delete("people/{person_id}", response={204: None, 403: Error, 404: Error}, tags=["people"])
def people_delete(request: ApiRequest, person_id: PositiveId) -> Status[None]:
    person = get_person_for_user(request.auth, person_id)
    services.record_delete(actor=request.auth, record=person)
    return Status(204, None)


# Positions -------------------------------------------------------------------------------


class PositionOut(Schema):
    id: int
    person_id: int
    organization_id: int
    title_ar: str
    title_en: str
    start_date: datetime.date | None
    end_date: datetime.date | None


class PositionIn(StrictSchema):
    person_id: PositiveId
    organization_id: PositiveId
    title_ar: Text200 = ""
    title_en: Text200 = ""
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PositionPatch(StrictSchema):
    title_ar: Text200 | None = None
    title_en: Text200 | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class PositionFilters(StrictSchema):
    person: PositiveId | None = None
    organization: PositiveId | None = None
    limit: int = Limit
    offset: int = Offset


class PositionPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PositionOut]


@router.get("positions", response=PositionPage, tags=["positions"])
def positions_list(request: ApiRequest, filters: Query[PositionFilters]) -> dict[str, Any]:
    refuse_unknown_parameters(request, PositionFilters)
    organizations = permissions.visible_organizations(request.auth, Organization.objects.all())
    people = permissions.visible_people(request.auth, Person.objects.all())
    queryset = Position.objects.filter(
        organization__in=organizations.values("pk"), person__in=people.values("pk")
    )
    if filters.person:
        queryset = queryset.filter(person_id=filters.person)
    if filters.organization:
        queryset = queryset.filter(organization_id=filters.organization)
    queryset = queryset.order_by("pk")
    limit = min(filters.limit, settings.TAHALUF_API_MAX_LIMIT)
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": filters.offset,
        "items": list(queryset[filters.offset : filters.offset + limit]),
    }


@router.post(
    "positions", response={201: PositionOut, 403: Error, 404: Error, 422: Error}, tags=["positions"]
)
def positions_create(request: ApiRequest, payload: PositionIn) -> Status[Position]:
    organization = get_organization_for_user(request.auth, payload.organization_id, write=True)
    person = get_person_for_user(request.auth, payload.person_id)
    data = payload.model_dump(exclude={"person_id", "organization_id"})
    return Status(
        201,
        services.position_create(
            actor=request.auth, person=person, organization=organization, data=data
        ),
    )


@router.get("positions/{position_id}", response={200: PositionOut, 404: Error}, tags=["positions"])
def positions_get(request: ApiRequest, position_id: PositiveId) -> Position:
    return get_position_for_user(request.auth, position_id)


@router.patch(
    "positions/{position_id}",
    response={200: PositionOut, 403: Error, 404: Error, 422: Error},
    tags=["positions"],
)
def positions_update(
    request: ApiRequest, position_id: PositiveId, payload: PositionPatch
) -> Position:
    position = get_position_for_user(request.auth, position_id, write=True)
    data = payload.model_dump(exclude_unset=True)
    data = {k: v for k, v in data.items() if v is not None or k in {"start_date", "end_date"}}
    return services.position_update(actor=request.auth, position=position, data=data)


@router.delete(
    "positions/{position_id}", response={204: None, 403: Error, 404: Error}, tags=["positions"]
)
def positions_delete(request: ApiRequest, position_id: PositiveId) -> Status[None]:
    position = get_position_for_user(request.auth, position_id, write=True)
    services.position_delete(actor=request.auth, position=position)
    return Status(204, None)


# Union memberships -----------------------------------------------------------------------


class UnionMembershipOut(Schema):
    id: int
    union_id: int
    member_id: int
    start_date: datetime.date | None
    end_date: datetime.date | None


class UnionMembershipIn(StrictSchema):
    union_id: PositiveId
    member_id: PositiveId
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class UnionMembershipPatch(StrictSchema):
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


class UnionMembershipFilters(StrictSchema):
    union: PositiveId | None = None
    member: PositiveId | None = None
    limit: int = Limit
    offset: int = Offset


class UnionMembershipPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UnionMembershipOut]


@router.get("union-memberships", response=UnionMembershipPage, tags=["union memberships"])
def union_memberships_list(
    request: ApiRequest, filters: Query[UnionMembershipFilters]
) -> dict[str, Any]:
    refuse_unknown_parameters(request, UnionMembershipFilters)
    organizations = permissions.visible_organizations(request.auth, Organization.objects.all())
    queryset = UnionMembership.objects.filter(
        union__in=organizations.values("pk"), member__in=organizations.values("pk")
    )
    if filters.union:
        queryset = queryset.filter(union_id=filters.union)
    if filters.member:
        queryset = queryset.filter(member_id=filters.member)
    queryset = queryset.order_by("pk")
    limit = min(filters.limit, settings.TAHALUF_API_MAX_LIMIT)
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": filters.offset,
        "items": list(queryset[filters.offset : filters.offset + limit]),
    }


@router.post(
    "union-memberships",
    response={201: UnionMembershipOut, 403: Error, 404: Error, 422: Error},
    tags=["union memberships"],
)
def union_memberships_create(
    request: ApiRequest, payload: UnionMembershipIn
) -> Status[UnionMembership]:
    if not permissions.can_manage_union_memberships(request.auth):
        raise PermissionDenied(_("Only the secretariat records union memberships."))
    union = get_organization_for_user(request.auth, payload.union_id)
    member = get_organization_for_user(request.auth, payload.member_id)
    return Status(
        201,
        services.union_membership_create(
            actor=request.auth,
            union=union,
            member=member,
            data={"start_date": payload.start_date, "end_date": payload.end_date},
        ),
    )


@router.get(
    "union-memberships/{membership_id}",
    response={200: UnionMembershipOut, 404: Error},
    tags=["union memberships"],
)
def union_memberships_get(request: ApiRequest, membership_id: PositiveId) -> UnionMembership:
    return get_union_membership_for_user(request.auth, membership_id)


@router.patch(
    "union-memberships/{membership_id}",
    response={200: UnionMembershipOut, 403: Error, 404: Error, 422: Error},
    tags=["union memberships"],
)
def union_memberships_update(
    request: ApiRequest, membership_id: PositiveId, payload: UnionMembershipPatch
) -> UnionMembership:
    membership = get_union_membership_for_user(request.auth, membership_id, write=True)
    return services.union_membership_update(
        actor=request.auth, membership=membership, data=payload.model_dump(exclude_unset=True)
    )


@router.delete(
    "union-memberships/{membership_id}",
    response={204: None, 403: Error, 404: Error},
    tags=["union memberships"],
)
def union_memberships_delete(request: ApiRequest, membership_id: PositiveId) -> Status[None]:
    membership = get_union_membership_for_user(request.auth, membership_id, write=True)
    services.union_membership_delete(actor=request.auth, membership=membership)
    return Status(204, None)
