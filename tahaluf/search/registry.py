"""What search indexes. Each kind of record registers a SearchType once (from its app's
`search.py`, imported in AppConfig.ready); search itself never names a model. A new kind of
record (agreements, networks, events, …) joins search by registering, nothing more."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class SearchDocument:
    """One record as search sees it. Texts are raw; the backend analyzes them."""

    type: str
    object_id: int
    names: tuple[str, ...]  # names, other spellings and acronyms: what people type
    title_ar: str
    title_en: str
    subtitle_ar: str = ""
    subtitle_en: str = ""
    context: tuple[str, ...] = ()  # city, description: weaker evidence
    published: bool = True
    owners: tuple[int, ...] = ()  # organizations whose editors may see it unpublished
    url: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.object_id}"

    def digest(self) -> str:
        """A fingerprint of what is indexed, to tell a stale index entry from a fresh one."""
        parts = [
            self.type,
            str(self.object_id),
            *self.names,
            self.title_ar,
            self.title_en,
            self.subtitle_ar,
            self.subtitle_en,
            *self.context,
            str(self.published),
            ",".join(map(str, sorted(self.owners))),
            self.url,
        ]
        return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:16]


_DOCUMENT_FIELDS = len(fields(SearchDocument))


def make_document(**values: Any) -> SearchDocument:
    """SearchDocument(**values), made faster when every field is given (a rebuild makes a
    million): the frozen dataclass's __init__ sets the fields one at a time."""
    if len(values) != _DOCUMENT_FIELDS:
        return SearchDocument(**values)
    document = object.__new__(SearchDocument)
    document.__dict__.update(values)
    return document


@dataclass(frozen=True)
class SearchType:
    name: str  # "organization"
    model: type[Model]
    label: Any  # lazily translated plural, for the counts
    queryset: Callable[[], QuerySet[Any]]  # every record to index
    build: Callable[[Iterable[Any]], list[SearchDocument]]  # documents for these records
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


_types: dict[str, SearchType] = {}


def register(search_type: SearchType) -> None:
    _types[search_type.name] = search_type


def types() -> list[SearchType]:
    return sorted(_types.values(), key=lambda item: (item.order, item.name))


def get(name: str) -> SearchType:
    return _types[name]


def for_model(model: type[Model]) -> SearchType | None:
    for search_type in _types.values():
        if search_type.model is model:
            return search_type
    return None
