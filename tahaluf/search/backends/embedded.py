"""The embedded backend: a tantivy index on this machine's disk, for single-machine
deployments. Writes take a file lock, so the web server and the worker can both write."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Callable, Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tantivy

from tahaluf.search.backends.base import WEIGHTS, Hit, Results, SearchBackend, Viewer
from tahaluf.search.documents import KNOWN_IN_RECORDS, AnalyzedDocument, ParsedQuery, QueryTerm

# Version 2: frequencies without positions (no phrase queries), the stored values in one
# field that is not indexed; version 3: those values joined by U+001F, not in JSON. A version
# change empties the index: run `tahaluf search rebuild`.
SCHEMA_VERSION = "3"
# A query word (or form of a word) that this share of records have, and at least
# FREQUENT_MIN, is frequent: see "Searching" below.
FREQUENT_SHARE = 0.005
FREQUENT_MIN = 200
TEXT_FIELDS = ("tok", "word", "stem", "key", "ctx")
# What a hit shows, stored together (joined by U+001F) in the field "stored".
STORED_FIELDS = ("title_ar", "title_en", "subtitle_ar", "subtitle_en", "url", "digest")
WRITER_HEAP = 64_000_000
BULK_WRITER_HEAP = 256_000_000  # a rebuild: fewer, larger segments to merge


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_key", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("type", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_integer_field("object_id", stored=True)
    builder.add_integer_field("published", indexed=True)
    builder.add_integer_field("owner", indexed=True)
    builder.add_text_field("exact", tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    builder.add_bytes_field("stored", stored=True)
    return builder.build()


class _Vocabulary:
    """`word in vocabulary` asks the index whether any record has that word; `common(word)`,
    whether at least KNOWN_IN_RECORDS records have it (documents.split_rare)."""

    def __init__(self, searcher: tantivy.Searcher) -> None:
        self.searcher = searcher

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        return bool(self.searcher.doc_freq("word", word) or self.searcher.doc_freq("tok", word))

    def common(self, word: str) -> bool:
        searcher, known = self.searcher, KNOWN_IN_RECORDS
        return searcher.doc_freq("word", word) >= known or searcher.doc_freq("tok", word) >= known


_Sparse = Callable[[str, str], bool]


@dataclass
class _Plan:
    frequent: list[bool]  # for each term: do FREQUENT records have its stem?
    sparse: _Sparse  # (field, value): do fewer than FREQUENT records have it?


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
    def _writer(self, heap_size: int = WRITER_HEAP) -> Iterator[Any]:
        # One writer at a time across processes (web server, worker, command line).
        with self._lock, open(self.path / ".writer.lock", "w") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)
            writer = self.index.writer(heap_size=heap_size, num_threads=1)
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
                writer.add_document(self._document(self.row(analyzed)))

    def add_all(self, documents: Iterable[AnalyzedDocument]) -> int:
        """Bulk load into an empty index (rebuild), one commit. A document whose key comes
        again replaces the first one (documents.analyze_documents)."""
        return self.add_rows(self.row(analyzed) for analyzed in documents)

    def add_rows(self, rows: Iterable[tuple[Any, ...]]) -> int:
        """add_all for documents already turned into rows (row()), as a rebuild's worker
        processes send them (parallel.Rows): what is left to do here is tantivy's."""
        added: set[str] = set()
        make = self._document
        with self._writer(BULK_WRITER_HEAP) as writer:
            add = writer.add_document
            for row in rows:
                key = row[0]
                if key in added:
                    writer.delete_documents_by_term("doc_key", key)
                else:
                    added.add(key)
                add(make(row))
        return len(added)

    @staticmethod
    def row(analyzed: AnalyzedDocument) -> tuple[Any, ...]:
        """The values of a record's index document, in plain Python (worker processes make
        them): doc_key, type, object_id, published, owners, exact, tok, word, stem, key,
        ctx, stored."""
        document = analyzed.document
        stored = "\x1f".join(
            (
                document.title_ar,
                document.title_en,
                document.subtitle_ar,
                document.subtitle_en,
                document.url,
                document.digest(),
            )
        )
        return (
            document.key,
            document.type,
            document.object_id,
            1 if document.published else 0,
            list(document.owners) or [0],
            list(analyzed.exact) or [""],
            " ".join(analyzed.tokens),
            " ".join(analyzed.words),
            " ".join(analyzed.stems),
            " ".join(analyzed.keys),
            " ".join(analyzed.context),
            stored.encode(),
        )

    @staticmethod
    def _document(row: tuple[Any, ...]) -> tantivy.Document:
        key, type_, object_id, published, owners, exact, tok, word, stem, keys, ctx, stored = row
        return tantivy.Document(
            doc_key=key,
            type=type_,
            object_id=object_id,
            published=published,
            owner=owners,
            exact=exact,
            tok=tok,
            word=word,
            stem=stem,
            key=keys,
            ctx=ctx,
            stored=stored,
        )

    @staticmethod
    def _stored(document: tantivy.Document) -> dict[str, str]:
        values = document["stored"][0].decode().split("\x1f")
        return dict(zip(STORED_FIELDS, values, strict=True))

    # Searching -------------------------------------------------------------------------
    #
    # Every query word matches through any of its forms (as written, without prefixes, by
    # stem, transliteration key, meaning, one typo, a glued split, city and description).
    # Most of those forms of a common word (جمعية, Society) have posting lists as long as the
    # index: a union of them costs milliseconds per query at a million records. So a word
    # that FREQUENT records have (by stem) matches by its stem alone, one posting list, and
    # its other forms only add to the score of records found otherwise: every record with
    # the word as written or without prefixes also has its stem, so nothing is lost but its
    # weaker forms (key, meaning, typo), which a common word does not need.

    def _term(self, field: str, value: str | int, weight: float) -> tantivy.Query:
        return tantivy.Query.boost_query(
            tantivy.Query.term_query(self.schema, field, value), weight
        )

    def _term_clause(self, term: QueryTerm, sparse: _Sparse | None = None) -> tantivy.Query:
        """Any form of the term. With `sparse`, only forms fewer than FREQUENT records have
        (the others then only score, through _scoring_clauses)."""
        should = tantivy.Occur.Should
        clauses = [
            (should, self._term("tok", term.token, WEIGHTS["tok"])),
            (should, self._term("word", term.word, WEIGHTS["word"])),
            (should, self._term("stem", term.stem, WEIGHTS["stem"])),
        ]
        weak = [("ctx", value, WEIGHTS["ctx"]) for value in dict.fromkeys((term.word, term.stem))]
        if term.key:
            weak.append(("key", term.key, WEIGHTS["key"]))
        weak.extend(("key", concept, WEIGHTS["concept"]) for concept in term.concepts)
        for field, value, weight in weak:
            if sparse is None or sparse(field, value):
                clauses.append((should, self._term(field, value, weight)))
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
        if term.parts:
            # a glued token: every one of its parts, as an alternative to the token itself
            clauses.append(
                (
                    should,
                    tantivy.Query.boolean_query(
                        [(tantivy.Occur.Must, self._term_clause(part)) for part in term.parts]
                    ),
                )
            )
        return tantivy.Query.boolean_query(clauses)

    def _scoring_clauses(
        self, term: QueryTerm, frequent: bool, sparse: _Sparse
    ) -> list[tuple[tantivy.Occur, tantivy.Query]]:
        """The forms of a term that only add to the score: for a frequent word, all but its
        stem; for another, its forms that FREQUENT records have (a short key, a meaning)."""
        should = tantivy.Occur.Should
        if frequent:
            forms = [("tok", term.token, WEIGHTS["tok"]), ("word", term.word, WEIGHTS["word"])]
            forms.extend(("key", concept, WEIGHTS["concept"]) for concept in term.concepts)
            return [(should, self._term(field, value, weight)) for field, value, weight in forms]
        forms = [("ctx", value, WEIGHTS["ctx"]) for value in dict.fromkeys((term.word, term.stem))]
        if term.key:
            forms.append(("key", term.key, WEIGHTS["key"]))
        forms.extend(("key", concept, WEIGHTS["concept"]) for concept in term.concepts)
        return [
            (should, self._term(field, value, weight))
            for field, value, weight in forms
            if not sparse(field, value)
        ]

    def _stem(self, term: QueryTerm) -> tantivy.Query:
        return self._term("stem", term.stem, WEIGHTS["stem"])

    def _plan(self, query: ParsedQuery, searcher: tantivy.Searcher) -> _Plan:
        frequent_at = max(FREQUENT_MIN, searcher.num_docs * FREQUENT_SHARE)

        def sparse(field: str, value: str) -> bool:
            return searcher.doc_freq(field, value) < frequent_at

        return _Plan(
            frequent=[not sparse("stem", term.stem) for term in query.terms], sparse=sparse
        )

    def _query(
        self,
        query: ParsedQuery,
        plan: _Plan,
        *,
        every_term: bool,
        filters: list[tantivy.Query],
    ) -> tantivy.Query:
        """every_term: the records matching every word (optional words need not match);
        otherwise those matching some word: some rare word when the query has one."""
        must, should = tantivy.Occur.Must, tantivy.Occur.Should
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        terms = list(zip(query.terms, plan.frequent, strict=True))
        if every_term:
            for term, frequent in terms:
                if frequent:
                    clauses.append((should if term.optional else must, self._stem(term)))
                    clauses.extend(self._scoring_clauses(term, True, plan.sparse))
                else:
                    clauses.append((should if term.optional else must, self._term_clause(term)))
        else:
            rare = [term for term, frequent in terms if not frequent]
            if rare:
                alternatives = [(should, self._term_clause(term, plan.sparse)) for term in rare]
            else:
                alternatives = [(should, self._stem(term)) for term, _frequent in terms]
            clauses.append((must, tantivy.Query.boolean_query(alternatives)))
            for term, frequent in terms:
                if frequent and rare:
                    clauses.append((should, self._stem(term)))
                clauses.extend(self._scoring_clauses(term, frequent, plan.sparse))
        for whole in query.exact:
            clauses.append((should, self._term("exact", whole, WEIGHTS["exact"])))
        clauses.extend((must, item) for item in filters)
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
        plan = self._plan(query, searcher)
        base_filters = [item for item in (self._visibility(viewer),) if item is not None]
        type_filter = self._types(types)
        filters = base_filters + ([type_filter] if type_filter is not None else [])
        wanted = offset + limit
        seen: set[tuple[int, int]] = set()
        ordered: list[tuple[float, Any]] = []
        # Without a type filter a ranking pass counts what it matches, every type together:
        # the counts per type need not go through the largest type's matches again (_counts).
        totals: dict[bool, int] = {}
        for every_term in self._passes(query):
            if not every_term and ordered and all(plan.frequent):
                break  # records with only some of the query's common words: noise
            found = searcher.search(
                self._query(query, plan, every_term=every_term, filters=filters),
                wanted,
                count=not types,
            )
            if not types:
                totals[every_term] = found.count  # type: ignore[attr-defined]
            for score, address in found.hits:
                where = (address.segment_ord, address.doc)
                if where not in seen:
                    seen.add(where)
                    ordered.append((score, address))
            if len(ordered) >= wanted:
                break
        for score, address in ordered[offset:wanted]:
            document = searcher.doc(address)
            stored = self._stored(document)
            results.hits.append(
                Hit(
                    type=document["type"][0],
                    object_id=document["object_id"][0],
                    score=score,
                    title_ar=stored["title_ar"],
                    title_en=stored["title_en"],
                    subtitle_ar=stored["subtitle_ar"],
                    subtitle_en=stored["subtitle_en"],
                    url=stored["url"],
                )
            )
        results.counts = self._counts(query, plan, searcher, base_filters, totals)
        results.total = (
            sum(results.counts.get(name, 0) for name in types)
            if types
            else sum(results.counts.values())
        )
        return results

    def _counts(
        self,
        query: ParsedQuery,
        plan: _Plan,
        searcher: tantivy.Searcher,
        filters: list[tantivy.Query],
        totals: dict[bool, int] | None = None,
    ) -> dict[str, int]:
        """Records of each type matching every word of the query; when none does, matching
        some word (as the second ranking pass finds them). `totals`: what a ranking pass
        (with these filters) matched of every type; then the type with the most records
        gets the rest, and only the others are counted: intersecting with a short list of
        records of one type is quick, with most of the index is not."""
        names = [name for name in self._type_names(searcher) if searcher.doc_freq("type", name)]
        names.sort(key=lambda name: -searcher.doc_freq("type", name))
        counts: dict[str, int] = {}
        for every_term in self._passes(query):
            matching = tantivy.Query.const_score_query(
                self._query(query, plan, every_term=every_term, filters=filters), 1.0
            )
            total = (totals or {}).get(every_term)
            for name in names[1:] if total is not None else names:
                of_type = tantivy.Query.boolean_query(
                    [
                        (tantivy.Occur.Must, matching),
                        (tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "type", name)),
                    ]
                )
                # tantivy's type stubs lack SearchResult.count, which it has.
                count = searcher.search(of_type, 1, count=True).count  # type: ignore[attr-defined]
                if count:
                    counts[name] = count
            if total is not None and names and total > sum(counts.values()):
                counts[names[0]] = total - sum(counts.values())
            if counts:
                break
        return {name: counts[name] for name in self._type_names(searcher) if name in counts}

    @staticmethod
    def _passes(query: ParsedQuery) -> list[bool]:
        """First the records matching every word, then those matching some."""
        return [True, False] if len(query.terms) > 1 else [False]

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
            found[document["doc_key"][0]] = self._stored(document)["digest"]
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
