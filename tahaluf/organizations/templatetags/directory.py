"""The directory's list of organizations, written out in Python.

The same markup through the template engine took about a third of a directory page's time
at 100,000 organizations (25 cards, a dozen lookups each; docs/benchmarks.md). Every value
is escaped here as the template would escape it."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from tahaluf.organizations.models import Organization

register = template.Library()


@register.simple_tag
def organization_cards(organizations: Iterable[Organization]) -> SafeString:
    not_published = escape(gettext("not published"))
    # One reverse() for the pattern; each card fills in its key.
    detail = reverse("organizations:detail", args=[0]).replace("/0/", "/{}/")
    cards = []
    for organization in organizations:
        name = escape(organization.name)
        acronym = (
            f' <span class="acronym">({escape(organization.acronym)})</span>'
            if organization.acronym
            else ""
        )
        secondary = organization.secondary_name
        meta: list[str] = [escape(organization.kind_label)]
        if organization.country:
            meta.append(escape(organization.country_name))
        if organization.city:
            meta.append(escape(organization.city))
        if not organization.is_published:
            meta.append(f'<span class="badge">{not_published}</span>')
        cards.append(
            '  <li class="card">\n'
            f'    <h2><a href="{detail.format(organization.pk)}">{name}</a>{acronym}</h2>\n'
            + (
                f'    <p class="secondary" dir="auto">{escape(secondary)}</p>\n'
                if secondary
                else ""
            )
            + f'    <p class="meta">{" · ".join(meta)}</p>\n'
            "  </li>"
        )
    return mark_safe('<ul class="cards">\n' + "\n".join(cards) + "\n</ul>")
