"""Who may do what. Every permission decision in Tahaluf is made by a function here; views,
the API and the command line all ask these functions and nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from tahaluf.organizations.models import Organization, Person


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_secretariat)


def _edits_organization(user: Any, organization_id: int | None) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_member_editor
        and organization_id is not None
        and user.organization_id == organization_id
    )


def can_manage_users(user: Any) -> bool:
    return is_secretariat(user)


# Organizations ---------------------------------------------------------------------------


def visible_organizations(user: Any, queryset: QuerySet[Organization]) -> QuerySet[Organization]:
    if is_secretariat(user):
        return queryset
    if getattr(user, "is_authenticated", False) and user.is_member_editor:
        return queryset.filter(Q(is_published=True) | Q(pk=user.organization_id))
    return queryset.filter(is_published=True)


def can_view_organization(user: Any, organization: Organization) -> bool:
    return (
        organization.is_published
        or is_secretariat(user)
        or _edits_organization(user, organization.pk)
    )


def can_create_organization(user: Any) -> bool:
    return is_secretariat(user)


def can_edit_organization(user: Any, organization: Organization) -> bool:
    return is_secretariat(user) or _edits_organization(user, organization.pk)


def can_publish(user: Any) -> bool:
    return is_secretariat(user)


def can_delete(user: Any) -> bool:
    return is_secretariat(user)


def can_manage_union_memberships(user: Any) -> bool:
    return is_secretariat(user)


def can_import(user: Any) -> bool:
    return is_secretariat(user)


def can_merge(user: Any) -> bool:
    """Merging two records into one (tahaluf/organizations/merging.py) moves what belongs to
    both and deletes one: the secretariat's decision."""
    return is_secretariat(user)


def can_see_duplicates(user: Any, organization: Organization) -> bool:
    """The "likely duplicates" of an organization are shown to those who may edit it: the
    secretariat, who merges, and the organization's own editors, who know best which other
    records are theirs (and only among records they may see anyway)."""
    return can_edit_organization(user, organization)


# People ----------------------------------------------------------------------------------


def _person_organization_ids(person: Person) -> set[int]:
    return set(person.positions.values_list("organization_id", flat=True))


def visible_people(user: Any, queryset: QuerySet[Person]) -> QuerySet[Person]:
    if is_secretariat(user):
        return queryset
    if getattr(user, "is_authenticated", False) and user.is_member_editor:
        return queryset.filter(
            Q(is_published=True)
            | Q(positions__organization_id=user.organization_id)
            | Q(created_by=user, positions__isnull=True)
        ).distinct()
    return queryset.filter(is_published=True)


def can_create_person(user: Any) -> bool:
    return is_secretariat(user) or bool(
        getattr(user, "is_authenticated", False) and user.is_member_editor
    )


def can_edit_person(user: Any, person: Person) -> bool:
    """An editor edits the people who hold a post in their organization, and the people they
    created themselves that hold no post yet (so a new person can be given one)."""
    if is_secretariat(user):
        return True
    if not (getattr(user, "is_authenticated", False) and user.is_member_editor):
        return False
    organization_ids = _person_organization_ids(person)
    if user.organization_id in organization_ids:
        return True
    return not organization_ids and person.created_by_id == user.pk


def can_view_person(user: Any, person: Person) -> bool:
    return person.is_published or can_edit_person(user, person)


# Sources ---------------------------------------------------------------------------------


def visible_sources(user: Any, queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Sources cited on a record the user may see; the secretariat sees them all."""
    if is_secretariat(user):
        return queryset
    from django.contrib.contenttypes.models import ContentType

    from tahaluf.organizations.models import Citation, Organization, Person

    organizations = visible_organizations(user, Organization.objects.all()).values("pk")
    people = visible_people(user, Person.objects.all()).values("pk")
    cited = Citation.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(Organization), object_id__in=organizations)
        | Q(content_type=ContentType.objects.get_for_model(Person), object_id__in=people)
    ).values("source_id")
    return queryset.filter(pk__in=cited)


# Records in general ----------------------------------------------------------------------


def can_edit_record(user: Any, record: Any) -> bool:
    from tahaluf.organizations.models import Organization, Person

    if isinstance(record, Organization):
        return can_edit_organization(user, record)
    if isinstance(record, Person):
        return can_edit_person(user, record)
    return is_secretariat(user)


def can_view_history(user: Any, record: Any) -> bool:
    return can_edit_record(user, record)


def can_attach_source(user: Any, record: Any) -> bool:
    return can_edit_record(user, record)
