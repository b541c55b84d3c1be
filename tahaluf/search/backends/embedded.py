"""The embedded backend: a tantivy index on this machine's disk, for single-machine
deployments. Writes take a file lock, so the web server and the worker can both write."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tantivy

from tahaluf.search.backends.base import WEIGHTS, Hit, Results, SearchBackend, Viewer
from tahaluf.search.documents import AnalyzedDocument, ParsedQuery, QueryTerm

SCHEMA_VERSION = "1"
TEXT_FIELDS = ("tok", "word", "stem", "key", "ctx")
STORED_FIELDS = ("title_ar", "title_en", "subtitle_ar", "subtitle_en", "url", "digest")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_key", stored=True, tokenizer_name="raw")
    builder.add_text_field("type", stored=True, tokenizer_name="raw")
    builder.add_integer_field("object_id", stored=True, indexed=True)
    builder.add_integer_field("published", indexed=True)
    builder.add_integer_field("owner", indexed=True)
    builder.add_text_field("exact", tokenizer_name="raw")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    for name in STORED_FIELDS:
        builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
    return builder.build()


class _Vocabulary:
    """`word in vocabulary` asks the index whether any record has that word."""

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self.searcher = searcher

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        return bool(self.searcher.doc_freq("word", word) or self.searcher.doc_freq("tok", word))


class EmbeddedBackend(SearchBackend):
    name = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self._lock = threading.Lock()
        version_file = self.path / "TAHALUF_SCHEMA"
        if version_file.exists() and version_file.read_text() != SCHEMA_VERSION:
            self._wipe()
        self.index = tantivy.Index(self.schema, path=str(self.path), reuse=True)
        version_file.write_text(SCHEMA_VERSION)

    def _wipe(self) -> None:
        for entry in self.path.iterdir():
            if entry.is_file() and entry.name != ".writer.lock":
                entry.unlink()

    @contextmanager
    def _writer(self) -> Iterator[Any]:
        # One writer at a time across processes (web server, worker, command line).
        with self._lock, open(self.path / ".writer.lock", "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            writer = self.index.writer(heap_size=64_000_000, num_threads=1)
            try:
                yield writer
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                fcntl.flock(lock_file, fcntl.LOCK_UN)
        self.index.reload()

    def apply(self, upserts: Sequence[AnalyzedDocument], deletes: Iterable[str]) -> None:
        deletes = list(deletes)
        if not upserts and not deletes:
            return
        with self._writer() as writer:
            for key in deletes:
                writer.delete_documents_by_term("doc_key", key)
            for analyzed in upserts:
                writer.delete_documents_by_term("doc_key", analyzed.document.key)
                writer.add_document(self._document(analyzed))

    def add_all(self, documents: Iterable[AnalyzedDocument]) -> int:
        """Bulk load into an empty index (rebuild): no deletes, one commit."""
        count = 0
        with self._writer() as writer:
            for analyzed in documents:
                writer.add_document(self._document(analyzed))
                count += 1
        return count

    @staticmethod
    def _document(analyzed: AnalyzedDocument) -> tantivy.Document:
        document = analyzed.document
        fields: dict[str, Any] = {
            "doc_key": document.key,
            "type": document.type,
            "object_id": document.object_id,
            "published": 1 if document.published else 0,
            "owner": list(document.owners) or [0],
            "exact": list(analyzed.exact) or [""],
            "tok": " ".join(analyzed.tokens),
            "word": " ".join(analyzed.words),
            "stem": " ".join(analyzed.stems),
            "key": " ".join(analyzed.keys),
            "ctx": " ".join(analyzed.context),
            "title_ar": document.title_ar,
            "title_en": document.title_en,
            "subtitle_ar": document.subtitle_ar,
            "subtitle_en": document.subtitle_en,
            "url": document.url,
            "digest": document.digest(),
        }
        return tantivy.Document(**fields)

    # Searching -------------------------------------------------------------------------

    def _term(self, field: str, value: str | int, weight: float) -> tantivy.Query:
        return tantivy.Query.boost_query(
            tantivy.Query.term_query(self.schema, field, value), weight
        )

    def _term_clause(self, term: QueryTerm) -> tantivy.Query:
        should = tantivy.Occur.Should
        clauses = [
            (should, self._term("tok", term.token, WEIGHTS["tok"])),
            (should, self._term("word", term.word, WEIGHTS["word"])),
            (should, self._term("stem", term.stem, WEIGHTS["stem"])),
            (should, self._term("ctx", term.word, WEIGHTS["ctx"])),
            (should, self._term("ctx", term.stem, WEIGHTS["ctx"])),
        ]
        if term.key:
            clauses.append((should, self._term("key", term.key, WEIGHTS["key"])))
        if term.fuzzy:
            fuzzy = tantivy.Query.fuzzy_term_query(
                self.schema,
                "word",
                term.word,
                distance=1,
                transposition_cost_one=True,
                prefix=False,
            )
            clauses.append((should, tantivy.Query.boost_query(fuzzy, WEIGHTS["fuzzy"])))
        return tantivy.Query.boolean_query(clauses)

    def _visibility(self, viewer: Viewer) -> tantivy.Query | None:
        if viewer.everything:
            return None
        published = tantivy.Query.term_query(self.schema, "published", 1)
        if viewer.organization_id is None:
            return published
        own = tantivy.Query.term_query(self.schema, "owner", viewer.organization_id)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, published), (tantivy.Occur.Should, own)]
        )

    def _types(self, types: Sequence[str]) -> tantivy.Query | None:
        if not types:
            return None
        return tantivy.Query.boolean_query(
            [
                (tantivy.Occur.Should, tantivy.Query.term_query(self.schema, "type", name))
                for name in types
            ]
        )

    def _query(
        self, query: ParsedQuery, *, every_term: bool, filters: list[tantivy.Query]
    ) -> tantivy.Query:
        occur = tantivy.Occur.Must if every_term else tantivy.Occur.Should
        clauses = [(occur, self._term_clause(term)) for term in query.terms]
        for whole in query.exact:
            clauses.append((tantivy.Occur.Should, self._term("exact", whole, WEIGHTS["exact"])))
        if not every_term:
            # At least one term must match: the exact clauses alone are optional extras.
            clauses = [
                (
                    tantivy.Occur.Must,
                    tantivy.Query.boolean_query(
                        [(tantivy.Occur.Should, self._term_clause(term)) for term in query.terms]
                    ),
                )
            ] + [
                (tantivy.Occur.Should, self._term("exact", whole, WEIGHTS["exact"]))
                for whole in query.exact
            ]
        clauses.extend((tantivy.Occur.Must, item) for item in filters)
        return tantivy.Query.boolean_query(clauses)

    def search(
        self,
        query: ParsedQuery,
        *,
        types: Sequence[str],
        viewer: Viewer,
        limit: int,
        offset: int,
    ) -> Results:
        results = Results(query=query.text)
        if query.empty:
            return results
        searcher = self.index.searcher()
        base_filters = [item for item in (self._visibility(viewer),) if item is not None]
        type_filter = self._types(types)
        filters = base_filters + ([type_filter] if type_filter is not None else [])
        wanted = offset + limit
        seen: dict[str, tuple[float, Any]] = {}
        ordered: list[tuple[float, Any, str]] = []
        passes = [True, False] if len(query.terms) > 1 else [False]
        for every_term in passes:
            found = searcher.search(
                self._query(query, every_term=every_term, filters=filters),
                wanted,
                count=False,
            )
            for score, address in found.hits:
                document = searcher.doc(address)
                key = document["doc_key"][0]
                if key in seen:
                    continue
                seen[key] = (score, address)
                ordered.append((score, document, key))
            if len(ordered) >= wanted:
                break
        for score, document, _key in ordered[offset:wanted]:
            results.hits.append(
                Hit(
                    type=document["type"][0],
                    object_id=document["object_id"][0],
                    score=score,
                    title_ar=document["title_ar"][0],
                    title_en=document["title_en"][0],
                    subtitle_ar=document["subtitle_ar"][0],
                    subtitle_en=document["subtitle_en"][0],
                    url=document["url"][0],
                )
            )
        any_term = self._query(query, every_term=False, filters=base_filters)
        for type_name in self._type_names(searcher):
            type_query = tantivy.Query.boolean_query(
                [
                    (tantivy.Occur.Must, any_term),
                    (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "type", type_name)),
                ]
            )
            count = searcher.search(type_query, 1, count=True).count
            if count:
                results.counts[type_name] = count
        results.total = (
            sum(results.counts.get(name, 0) for name in types)
            if types
            else sum(results.counts.values())
        )
        return results

    @staticmethod
    def _type_names(searcher: tantivy.Searcher) -> list[str]:
        from tahaluf.search import registry

        return [item.name for item in registry.types()]

    def digests(self) -> dict[str, str]:
        searcher = self.index.searcher()
        found: dict[str, str] = {}
        total = searcher.num_docs
        if not total:
            return found
        result = searcher.search(tantivy.Query.all_query(), total, count=False)
        for _score, address in result.hits:
            document = searcher.doc(address)
            found[document["doc_key"][0]] = document["digest"][0]
        return found

    def clear(self) -> None:
        with self._writer() as writer:
            writer.delete_all_documents()

    def vocabulary(self) -> Container[str]:
        return _Vocabulary(self.index.searcher())

    def size_on_disk(self) -> int:
        return sum(entry.stat().st_size for entry in self.path.iterdir() if entry.is_file())


def default_path() -> Path:
    from django.conf import settings

    return Path(settings.TAHALUF_SEARCH_INDEX_DIR)


def describe() -> str:
    return f"tantivy {getattr(tantivy, '__version__', '')} at {default_path()} (pid {os.getpid()})"
