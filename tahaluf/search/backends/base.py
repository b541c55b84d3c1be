from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import translation

from tahaluf.search.documents import AnalyzedDocument, ParsedQuery

# Relative weight of each kind of evidence. Whole-name matches rank first, then matches of
# the word as typed, without its prefixes, by stem, across scripts, with one typo, and last
# matches in weaker fields (city, description).
WEIGHTS = {
    "exact": 12.0,
    "tok": 3.0,
    "word": 2.5,
    "stem": 2.0,
    "key": 1.2,
    "concept": 1.0,
    "fuzzy": 0.9,
    "ctx": 0.4,
}


@dataclass(frozen=True)
class Viewer:
    """What a searcher may see: everything, or published records plus those of one
    organization (a member editor's own), or published records only."""

    everything: bool = False
    organization_id: int | None = None


@dataclass
class Hit:
    type: str
    object_id: int
    score: float
    title_ar: str
    title_en: str
    subtitle_ar: str = ""
    subtitle_en: str = ""
    url: str = ""
    highlight: str = ""

    @property
    def key(self) -> str:
        return f"{self.type}:{self.object_id}"

    @property
    def title(self) -> str:
        if translation.get_language() == "en":
            return self.title_en or self.title_ar
        return self.title_ar or self.title_en

    @property
    def subtitle(self) -> str:
        if translation.get_language() == "en":
            return self.subtitle_en or self.subtitle_ar
        return self.subtitle_ar or self.subtitle_en


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)


class SearchBackend(ABC):
    name = "base"

    @abstractmethod
    def apply(self, upserts: Sequence[AnalyzedDocument], deletes: Iterable[str]) -> None:
        """Add or replace these documents and remove the ones with these keys."""

    @abstractmethod
    def search(
        self,
        query: ParsedQuery,
        *,
        types: Sequence[str],
        viewer: Viewer,
        limit: int,
        offset: int,
    ) -> Results:
        """Ranked hits: first those matching every term, then those matching some."""

    @abstractmethod
    def digests(self) -> dict[str, str]:
        """Every indexed key with its digest, to check the index against the database."""

    @abstractmethod
    def clear(self) -> None: ...

    @abstractmethod
    def vocabulary(self) -> Container[str]:
        """The indexed words, to split glued query words against."""
