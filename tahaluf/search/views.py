from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tahaluf.search import registry, services

PAGE_SIZE = 20


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:300]
    type_name = request.GET.get("type", "")
    known = {item.name: item for item in registry.types()}
    if type_name not in known:
        type_name = ""
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        page = 1
    results = None
    if text:
        results = services.search(
            user=request.user,
            text=text,
            types=[type_name] if type_name else [],
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
        )
    tabs = []
    if results is not None:
        tabs = [
            (item.name, item.label, results.counts.get(item.name, 0)) for item in registry.types()
        ]
    total_pages = 0
    if results is not None and results.total:
        total_pages = min((results.total + PAGE_SIZE - 1) // PAGE_SIZE, 500)
    return render(
        request,
        "search/search.html",
        {
            "q": text,
            "type": type_name,
            "results": results,
            "tabs": tabs,
            "page_number": page,
            "has_next": page < total_pages,
            "has_previous": page > 1,
            "all_count": sum(results.counts.values()) if results else 0,
            "debug_backend": settings.TAHALUF_SEARCH_BACKEND,
        },
    )
