from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tahaluf.accounts import permissions
from tahaluf.audit.services import history_for
from tahaluf.lib.http import SignedInRequest
from tahaluf.lib.paging import FromEitherEndPaginator
from tahaluf.organizations import merging, name_filter, services
from tahaluf.organizations.access import (
    get_organization_for_user,
    get_person_for_user,
    get_position_for_user,
    get_union_membership_for_user,
)
from tahaluf.organizations.forms import (
    CitationForm,
    DirectoryFilterForm,
    ImportForm,
    OrganizationForm,
    PersonForm,
    PositionForm,
    UnionMembershipForm,
)
from tahaluf.organizations.importing import RowProblem
from tahaluf.organizations.models import (
    ImportJob,
    Organization,
    Person,
    Position,
    Source,
    in_city,
)
from tahaluf.organizations.tasks import run_import_job
from tahaluf.search import duplicates


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's validation errors beside the form's fields."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _sort_field() -> str:
    return "sort_en" if get_language() == "en" else "sort_ar"


def _page(
    request: HttpRequest, queryset: QuerySet[Any], paginator_class: type[Paginator] = Paginator
) -> Any:
    paginator = paginator_class(queryset, settings.TAHALUF_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


# Directory and profile -------------------------------------------------------------------


@require_GET
def organization_list(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    queryset = permissions.visible_organizations(request.user, Organization.objects.all())
    paginator_class: type[Paginator] = FromEitherEndPaginator
    if form.is_valid():
        data = form.cleaned_data
        if data["q"].strip():
            queryset = name_filter.filter_names(queryset, data["q"])
            # Text found in thousands of names is counted up to a cap (name_filter.py).
            paginator_class = name_filter.CappedPaginator
        if data["kind"]:
            queryset = queryset.filter(kind=data["kind"])
        if data["country"]:
            queryset = queryset.filter(country=data["country"])
        if data["city"]:
            queryset = queryset.filter(in_city(data["city"]))
        if data["focus"]:
            queryset = queryset.filter(focus_areas=data["focus"])
    page = _page(request, queryset.order_by(_sort_field(), "pk"), paginator_class)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "organizations/organization_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_create": permissions.can_create_organization(request.user),
            "can_import": permissions.can_import(request.user),
        },
    )


@require_GET
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk)
    user = request.user
    positions = [
        position
        for position in organization.positions.select_related("person").order_by(
            "-start_date", "pk"
        )
        if permissions.can_view_person(user, position.person)
    ]
    unions = [
        link
        for link in organization.union_links.select_related("union").order_by("pk")
        if permissions.can_view_organization(user, link.union)
    ]
    members = [
        link
        for link in organization.member_links.select_related("member").order_by("pk")
        if permissions.can_view_organization(user, link.member)
    ]
    citations = list(services.citations_for(organization))
    sources: dict[int, Source] = {}
    for citation in citations:
        sources.setdefault(citation.source_id, citation.source)
    source_numbers = {source_id: number for number, source_id in enumerate(sources, start=1)}
    fact_sources: dict[str, list[int]] = {}
    for citation in citations:
        fact_sources.setdefault(citation.field or "*", []).append(
            source_numbers[citation.source_id]
        )
    can_edit = permissions.can_edit_organization(user, organization)
    return render(
        request,
        "organizations/organization_detail.html",
        {
            "duplicates": _likely_duplicates(user, organization)
            if permissions.can_see_duplicates(user, organization)
            else None,
            "can_merge": permissions.can_merge(user),
            "merges": list(organization.merges.select_related("actor"))
            if permissions.can_view_history(user, organization)
            else None,
            "organization": organization,
            "focus_areas": organization.focus_areas.all(),
            "positions": positions,
            "unions": unions,
            "members": members,
            "citations": citations,
            "sources": [(source_numbers[pk_], source) for pk_, source in sources.items()],
            "fact_sources": fact_sources,
            "can_edit": can_edit,
            "can_publish": permissions.can_publish(user),
            "can_delete": permissions.can_delete(user),
            "can_manage_unions": permissions.can_manage_union_memberships(user),
            "history": list(history_for(organization)[:50])
            if permissions.can_view_history(user, organization)
            else None,
        },
    )


def _likely_duplicates(user: Any, organization: Organization) -> list[tuple[Organization, Any]]:
    """(other organization, candidate) for the records the viewer may see that are probably
    this organization."""
    visible = permissions.visible_organizations(user, Organization.objects.all())
    found = duplicates.duplicates_of(organization, queryset=visible)
    others = Organization.objects.in_bulk([candidate.b for candidate in found])
    return [(others[candidate.b], candidate) for candidate in found if candidate.b in others]


@login_required
@require_http_methods(["GET", "POST"])
def organization_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    """Merge organization `other_pk` into organization `pk`: GET shows both side by side and
    what would move; POST merges."""
    survivor = get_organization_for_user(request.user, pk)
    duplicate = get_organization_for_user(request.user, other_pk)
    if survivor.pk == duplicate.pk:
        raise Http404
    if not permissions.can_merge(request.user):
        raise PermissionDenied
    score, reasons = duplicates.score_pair(survivor, duplicate)
    if request.method == "POST":
        try:
            merging.organization_merge(
                actor=request.user,
                survivor=survivor,
                duplicate=duplicate,
                reasons=reasons,
                score=score,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("organizations:merge", pk=survivor.pk, other_pk=duplicate.pk)
        messages.success(
            request, _("The two records are now one. Its history says what was merged, and why.")
        )
        return redirect("organizations:detail", pk=survivor.pk)
    return render(
        request,
        "organizations/organization_merge.html",
        {
            "survivor": survivor,
            "duplicate": duplicate,
            "score": score,
            "reasons": reasons,
            "preview": merging.merge_preview(survivor, duplicate),
            "survivor_counts": merging.merge_snapshot(survivor)["counts"],
            "review_score": settings.TAHALUF_DUPLICATE_REVIEW_SCORE,
            "merge_score": settings.TAHALUF_DUPLICATE_MERGE_SCORE,
        },
    )


# Editing ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_organization(request.user):
        raise PermissionDenied
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_create(
                actor=request.user,
                data=form.service_data(),
                focus_areas=services.focus_areas_resolve(form.focus_area_values()),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The organization was created. It is not published yet."))
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    form = OrganizationForm(request.POST or None, instance=Organization.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=request.user,
                organization=organization,
                data=form.service_data(),
                focus_areas=services.focus_areas_resolve(form.focus_area_values()),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/organization_form.html",
        {"form": form, "organization": organization},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def organization_publish(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk)
    published = request.POST.get("published") == "1"
    services.record_set_published(actor=request.user, record=organization, published=published)
    messages.success(
        request,
        _("The organization is published.")
        if published
        else _("The organization is no longer published."),
    )
    return redirect("organizations:detail", pk=organization.pk)


@login_required
@require_POST
def organization_delete(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk)
    services.record_delete(actor=request.user, record=organization)
    messages.success(request, _("The organization was deleted. Its history is kept."))
    return redirect("organizations:list")


@login_required
@require_http_methods(["GET", "POST"])
def organization_add_member(request: HttpRequest, pk: int) -> HttpResponse:
    union = get_organization_for_user(request.user, pk)
    if not permissions.can_manage_union_memberships(request.user):
        raise PermissionDenied
    choices = Organization.objects.exclude(pk=union.pk).order_by(_sort_field())
    form = UnionMembershipForm(request.POST or None, organizations=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.union_membership_create(
                actor=request.user,
                union=union,
                member=form.cleaned_data["member"],
                data={
                    "start_date": form.cleaned_data["start_date"],
                    "end_date": form.cleaned_data["end_date"],
                },
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The membership was recorded."))
            return redirect("organizations:detail", pk=union.pk)
    return render(
        request,
        "organizations/union_membership_form.html",
        {"form": form, "organization": union},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def union_membership_delete(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_union_membership_for_user(request.user, pk, write=True)
    union_pk = membership.union_id
    services.union_membership_delete(actor=request.user, membership=membership)
    messages.success(request, _("The membership was removed."))
    return redirect("organizations:detail", pk=union_pk)


@login_required
@require_http_methods(["GET", "POST"])
def organization_add_position(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    people = permissions.visible_people(request.user, Person.objects.all()).order_by(_sort_field())
    form = PositionForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = {
            name: form.cleaned_data[name]
            for name in ("title_ar", "title_en", "start_date", "end_date")
        }
        try:
            services.position_create(
                actor=request.user,
                person=form.cleaned_data["person"],
                organization=organization,
                data=data,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The post was recorded."))
            return redirect("organizations:detail", pk=organization.pk)
    return render(
        request,
        "organizations/position_form.html",
        {"form": form, "organization": organization},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def position_delete(request: HttpRequest, pk: int) -> HttpResponse:
    position = get_position_for_user(request.user, pk, write=True)
    organization_pk = position.organization_id
    services.position_delete(actor=request.user, position=position)
    messages.success(request, _("The post was removed."))
    return redirect("organizations:detail", pk=organization_pk)


def _add_source(request: HttpRequest, record: Any, redirect_to: str) -> HttpResponse:
    if not permissions.can_attach_source(request.user, record):
        raise PermissionDenied
    form = CitationForm(request.POST or None, record=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_attach(
                actor=request.user,
                record=record,
                source=data["source"],
                source_data=None
                if data["source"]
                else {
                    "title": data["title"],
                    "url": data["url"],
                    "published_on": data["published_on"],
                    "publisher": data["publisher"],
                },
                field=data["field"],
                quote=data["quote"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The source was attached."))
            return redirect(redirect_to, pk=record.pk)
    return render(
        request,
        "organizations/citation_form.html",
        {"form": form, "record": record},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_add_source(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_organization_for_user(request.user, pk, write=True)
    return _add_source(request, organization, "organizations:detail")


# People ----------------------------------------------------------------------------------


@require_GET
def person_list(request: HttpRequest) -> HttpResponse:
    queryset = permissions.visible_people(request.user, Person.objects.all())
    q = request.GET.get("q", "").strip()[:200]
    if q:
        queryset = queryset.filter(
            Q(sort_ar__contains=q.casefold()) | Q(sort_en__contains=q.casefold())
        )
    queryset = queryset.order_by(_sort_field(), "pk").prefetch_related(
        Prefetch("positions", queryset=Position.objects.select_related("organization"))
    )
    page = _page(request, queryset)
    return render(
        request,
        "organizations/person_list.html",
        {
            "page": page,
            "q": q,
            "can_create": permissions.can_create_person(request.user),
        },
    )


@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    user = request.user
    positions = [
        position
        for position in person.positions.select_related("organization").order_by(
            "-start_date", "pk"
        )
        if permissions.can_view_organization(user, position.organization)
    ]
    citations = list(services.citations_for(person))
    return render(
        request,
        "organizations/person_detail.html",
        {
            "person": person,
            "positions": positions,
            "citations": citations,
            "can_edit": permissions.can_edit_person(user, person),
            "can_publish": permissions.can_publish(user),
            "can_delete": permissions.can_delete(user),
            "history": list(history_for(person)[:50])
            if permissions.can_view_history(user, person)
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_person(request.user):
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The person was added. Give them a post from their organization's page.")
            )
            return redirect("organizations:person_detail", pk=person.pk)
    return render(
        request,
        "organizations/person_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    form = PersonForm(request.POST or None, instance=Person.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("organizations:person_detail", pk=person.pk)
    return render(
        request,
        "organizations/person_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def person_publish(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    published = request.POST.get("published") == "1"
    services.record_set_published(actor=request.user, record=person, published=published)
    messages.success(
        request,
        _("The person is published.") if published else _("The person is no longer published."),
    )
    return redirect("organizations:person_detail", pk=person.pk)


@login_required
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk)
    services.record_delete(actor=request.user, record=person)
    messages.success(request, _("The person was deleted. Their history is kept."))
    return redirect("organizations:person_list")


@login_required
@require_http_methods(["GET", "POST"])
def person_add_source(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, write=True)
    return _add_source(request, person, "organizations:person_detail")


# Import ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: SignedInRequest) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.TAHALUF_IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("The file is larger than %(limit)s MB.")
                % {"limit": settings.TAHALUF_IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        else:
            job = ImportJob(
                original_name=upload.name[:255],
                created_by=request.user,
                publish=request.POST.get("publish") == "1",
            )
            job.file.save("upload.csv", ContentFile(upload.read()), save=False)
            job.save()
            run_import_job.enqueue(job.pk)
            return redirect("organizations:import_status", pk=job.pk)
    recent = ImportJob.objects.order_by("-created_at")[:10]
    return render(
        request,
        "organizations/import_form.html",
        {"form": form, "recent": recent},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def import_status(request: SignedInRequest, pk: int) -> HttpResponse:
    if not permissions.can_import(request.user):
        raise Http404
    try:
        job = ImportJob.objects.get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    problems = [RowProblem.from_dict(item) for item in job.problems]
    context = {"job": job, "problems": problems, "duplicates": job.duplicate_rows()}
    if request.htmx:
        return render(request, "organizations/import_status.html#progress", context)
    return render(request, "organizations/import_status.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Import anyway": the job that stopped on likely duplicates writes its rows."""
    if not permissions.can_import(request.user):
        raise Http404
    try:
        job = ImportJob.objects.get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    if job.status == ImportJob.Status.NEEDS_CONFIRMATION:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.QUEUED, allow_duplicates=True
        )
        run_import_job.enqueue(job.pk)
    return redirect("organizations:import_status", pk=job.pk)
