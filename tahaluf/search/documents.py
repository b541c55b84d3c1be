"""Turning a SearchDocument into the analyzed fields both backends index, and a query into
the terms both backends look for. One analyzer (arabic.py) serves indexing and querying."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass

from tahaluf.search import arabic
from tahaluf.search.registry import SearchDocument

# Tokens this short carry no transliteration key and are not matched fuzzily.
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class AnalyzedDocument:
    document: SearchDocument
    tokens: tuple[str, ...]
    words: tuple[str, ...]
    stems: tuple[str, ...]
    keys: tuple[str, ...]
    exact: tuple[str, ...]
    context: tuple[str, ...]


def _unique(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def analyze_document(
    document: SearchDocument, vocabulary: Container[str] | None = None
) -> AnalyzedDocument:
    tokens: list[str] = []
    words: list[str] = []
    stems: list[str] = []
    keys: list[str] = []
    exact: list[str] = []
    for name in document.names:
        analysis = arabic.analyze(name, vocabulary)
        tokens.extend(analysis.tokens)
        words.extend(analysis.words)
        stems.extend(analysis.stems)
        keys.extend(analysis.keys)
        whole = " ".join(arabic.tokenize(name))
        if whole:
            exact.append(whole)
            # Without its article the whole name still counts as the whole name.
            exact.append(" ".join(analysis.words))
    context: list[str] = []
    for text in document.context:
        analysis = arabic.analyze(text)
        context.extend(analysis.words)
        context.extend(analysis.stems)
    return AnalyzedDocument(
        document=document, tokens=_unique(tokens), words=_unique(words),
        stems=_unique(stems), keys=_unique(keys), exact=_unique(exact),
        context=_unique(context),
    )


@dataclass(frozen=True)
class QueryTerm:
    token: str
    word: str
    stem: str
    key: str

    @property
    def fuzzy(self) -> bool:
        return len(self.word) >= FUZZY_MIN_LENGTH


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    terms: tuple[QueryTerm, ...]
    exact: tuple[str, ...]  # the whole query, normalized, with and without articles

    @property
    def empty(self) -> bool:
        return not self.terms

    def match_forms(self) -> set[str]:
        """Every form of every term, for highlighting."""
        forms: set[str] = set()
        for term in self.terms:
            forms.update(item for item in (term.token, term.word, term.stem) if item)
        return forms

    def match_keys(self) -> set[str]:
        return {term.key for term in self.terms if term.key}


MAX_QUERY_TERMS = 12


def parse_query(text: str, vocabulary: Container[str] | None = None) -> ParsedQuery:
    tokens = arabic.tokenize(text)[:MAX_QUERY_TERMS]
    expanded: list[str] = []
    for token in tokens:
        parts = arabic.split_glued(token, vocabulary) if vocabulary is not None else None
        expanded.extend(parts or [token])
    terms = tuple(
        QueryTerm(token=token, word=arabic.strip_prefixes(token), stem=arabic.stem(token),
                  key=arabic.translit_key(token))
        for token in dict.fromkeys(expanded[:MAX_QUERY_TERMS])
    )
    exact = _unique([" ".join(tokens), " ".join(arabic.strip_prefixes(t) for t in tokens),
                     " ".join(expanded)])
    return ParsedQuery(text=text, terms=terms, exact=exact)
