from __future__ import annotations

from typing import Any

from ninja import Query, Router, Schema
from pydantic import Field

from tahaluf.lib.http import ApiRequest
from tahaluf.lib.schemas import StrictSchema, Text50, Text300, refuse_unknown_parameters
from tahaluf.search import services

router = Router()


class SearchFilters(StrictSchema):
    q: Text300 = Field(..., min_length=1, description="What to look for, in any spelling.")
    type: Text50 = Field("", description="Only this kind of record: organization, person, …")
    limit: int = Field(10, ge=1, le=100)
    offset: int = Field(0, ge=0, le=10_000)


class SearchHit(Schema):
    type: str
    id: int
    title: str
    title_ar: str
    title_en: str
    subtitle: str
    url: str
    score: float
    highlight: str = Field(description="The title with matched words in <mark>, HTML-escaped.")


class SearchResults(Schema):
    query: str
    total: int
    counts: dict[str, int]
    limit: int
    offset: int
    items: list[SearchHit]


@router.get("search", response=SearchResults, tags=["search"])
def search(request: ApiRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    """Search every kind of record the caller may see, ranked, with counts per kind."""
    refuse_unknown_parameters(request, SearchFilters)
    results = services.search(
        user=request.auth,
        text=filters.q,
        types=[filters.type] if filters.type else [],
        limit=filters.limit,
        offset=filters.offset,
    )
    return {
        "query": filters.q,
        "total": results.total,
        "counts": results.counts,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [
            {
                "type": hit.type,
                "id": hit.object_id,
                "title": hit.title,
                "title_ar": hit.title_ar,
                "title_en": hit.title_en,
                "subtitle": hit.subtitle,
                "url": hit.url,
                "score": round(hit.score, 4),
                "highlight": str(hit.highlight),
            }
            for hit in results.hits
        ],
    }
