from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tahaluf.accounts import permissions
from tahaluf.organizations.models import Organization, Person


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organizations = permissions.visible_organizations(request.user, Organization.objects.all())
    people = permissions.visible_people(request.user, Person.objects.all())
    return render(
        request,
        "home.html",
        {
            "organization_count": organizations.count(),
            "person_count": people.count(),
            "country_count": organizations.exclude(country="").values("country").distinct().count(),
        },
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)
