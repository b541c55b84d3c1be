"""Fetching records for a user. Each helper answers 404 when the user may not know the
record exists, and 403 when they may see it but not change it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tahaluf.accounts import permissions
from tahaluf.organizations.models import Organization, Person, Position, UnionMembership

MAX_PK = 2**63 - 1


def _pk(value: Any) -> int:
    try:
        pk = int(value)
    except (ValueError, TypeError, OverflowError):
        raise Http404 from None
    if not 0 < pk <= MAX_PK:
        raise Http404
    return pk


def get_organization_for_user(user: Any, pk: Any, *, write: bool = False) -> Organization:
    try:
        organization = Organization.objects.get(pk=_pk(pk))
    except Organization.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_organization(user, organization):
        raise Http404
    if write and not permissions.can_edit_organization(user, organization):
        raise PermissionDenied
    return organization


def get_person_for_user(user: Any, pk: Any, *, write: bool = False) -> Person:
    try:
        person = Person.objects.get(pk=_pk(pk))
    except Person.DoesNotExist:
        raise Http404 from None
    if not permissions.can_view_person(user, person):
        raise Http404
    if write and not permissions.can_edit_person(user, person):
        raise PermissionDenied
    return person


def get_position_for_user(user: Any, pk: Any, *, write: bool = False) -> Position:
    try:
        position = Position.objects.select_related("person", "organization").get(pk=_pk(pk))
    except Position.DoesNotExist:
        raise Http404 from None
    if not (
        permissions.can_view_organization(user, position.organization)
        and permissions.can_view_person(user, position.person)
    ):
        raise Http404
    if write and not permissions.can_edit_organization(user, position.organization):
        raise PermissionDenied
    return position


def get_union_membership_for_user(user: Any, pk: Any, *, write: bool = False) -> UnionMembership:
    try:
        membership = UnionMembership.objects.select_related("union", "member").get(pk=_pk(pk))
    except UnionMembership.DoesNotExist:
        raise Http404 from None
    if not (
        permissions.can_view_organization(user, membership.union)
        and permissions.can_view_organization(user, membership.member)
    ):
        raise Http404
    if write and not permissions.can_manage_union_memberships(user):
        raise PermissionDenied
    return membership
