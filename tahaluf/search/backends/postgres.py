"""The PostgreSQL backend, for deployments with several application processes: the index is a
table (search_indexeddocument) with a weighted full-text column and a trigram index, so no
application process keeps any state of its own."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from tahaluf.search.backends.base import WEIGHTS, Hit, Results, SearchBackend, Viewer
from tahaluf.search.documents import KNOWN_IN_RECORDS, AnalyzedDocument, ParsedQuery, QueryTerm

TABLE = "search_indexeddocument"
# ts_rank weights for D, C, B, A: context, keys, stems, tokens and words.
RANK_WEIGHTS = "{0.05, 0.4, 0.7, 1.0}"
# A whole-name match ranks above any number of word matches.
EXACT_BONUS = 1000
# A lexeme that this share of records have, and at least FREQUENT_MIN, is frequent.
FREQUENT_SHARE = 0.005
FREQUENT_MIN = 200
# When only common words match, the records ranked for the second pass are a sample.
SAMPLE = 2000
BATCH = 2000
UPSERT = f"""
INSERT INTO {TABLE} (type, object_id, published, owners, title_ar, title_en, subtitle_ar,
    subtitle_en, url, exact, tokens, words, stems, keys, context, digest, document)
VALUES (%s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s, %s,
    setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'A')
    || setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C')
    || setweight(to_tsvector('simple', %s), 'D'))
ON CONFLICT (type, object_id) DO UPDATE SET
    published = EXCLUDED.published, owners = EXCLUDED.owners, title_ar = EXCLUDED.title_ar,
    title_en = EXCLUDED.title_en, subtitle_ar = EXCLUDED.subtitle_ar,
    subtitle_en = EXCLUDED.subtitle_en, url = EXCLUDED.url, exact = EXCLUDED.exact,
    tokens = EXCLUDED.tokens, words = EXCLUDED.words, stems = EXCLUDED.stems,
    keys = EXCLUDED.keys, context = EXCLUDED.context, digest = EXCLUDED.digest,
    document = EXCLUDED.document
"""


def _lexeme(value: str) -> str:
    """A tsquery lexeme, quoted so that no character of the user's text is an operator."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class _Vocabulary:
    """`word in vocabulary`: does any record have the word? `common(word)`: do at least
    KNOWN_IN_RECORDS records have it (documents.split_rare)?"""

    def __init__(self) -> None:
        self.cache: dict[str, int] = {}

    def _count(self, word: str) -> int:
        """How many records have the word, counted up to KNOWN_IN_RECORDS."""
        if word not in self.cache:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {TABLE}"
                    f" WHERE document @@ to_tsquery('simple', %s) LIMIT %s) found",
                    [_lexeme(word), KNOWN_IN_RECORDS],
                )
                row = cursor.fetchone()
                self.cache[word] = row[0] if row else 0
        return self.cache[word]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and bool(word) and self._count(word) > 0

    def common(self, word: str) -> bool:
        return bool(word) and self._count(word) >= KNOWN_IN_RECORDS


@dataclass
class _Plan:
    frequent: list[bool]  # for each term: do FREQUENT records have its stem?
    sparse: Callable[[str], bool]  # lexeme: do fewer than FREQUENT records have it?
    idf: list[float]  # for each term


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("The postgres search backend needs a PostgreSQL database.")
        self._common: dict[str, float] | None = None
        self._common_at = 0.0
        self._total = 1.0

    def apply(self, upserts: Sequence[AnalyzedDocument], deletes: Iterable[str]) -> None:
        rows = [self._row(analyzed) for analyzed in upserts]
        with transaction.atomic(), connection.cursor() as cursor:
            for key in deletes:
                type_name, _sep, object_id = key.partition(":")
                cursor.execute(
                    f"DELETE FROM {TABLE} WHERE type = %s AND object_id = %s",
                    [type_name, int(object_id)],
                )
            if rows:
                cursor.executemany(UPSERT, rows)

    def add_all(self, documents: Iterable[AnalyzedDocument]) -> int:
        """Load a rebuild's documents (a key that comes again replaces the first), then
        refresh the statistics that tell common words from rare ones."""
        keys: set[str] = set()
        batch: list[AnalyzedDocument] = []
        for analyzed in documents:
            keys.add(analyzed.document.key)
            batch.append(analyzed)
            if len(batch) >= BATCH:
                self.apply(batch, [])
                batch = []
        self.apply(batch, [])
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
        self._common = None
        return len(keys)

    @staticmethod
    def _row(analyzed: AnalyzedDocument) -> list[Any]:
        document = analyzed.document
        tokens, words = " ".join(analyzed.tokens), " ".join(analyzed.words)
        stems, keys = " ".join(analyzed.stems), " ".join(analyzed.keys)
        context = " ".join(analyzed.context)
        return [
            document.type,
            document.object_id,
            document.published,
            json.dumps(list(document.owners)),
            document.title_ar,
            document.title_en,
            document.subtitle_ar,
            document.subtitle_en,
            document.url,
            json.dumps(list(analyzed.exact), ensure_ascii=False),
            tokens,
            words,
            stems,
            keys,
            context,
            document.digest(),
            tokens,
            words,
            stems,
            keys,
            context,
        ]

    # Searching -------------------------------------------------------------------------
    #
    # As on the embedded backend (see there): a word that FREQUENT records have matches by
    # its stem alone, and only rare words (or rare forms of words) decide which records
    # match some of the query; how frequent a lexeme is comes from the table's statistics
    # (pg_stats keeps the most common lexemes of a tsvector column, with their frequency).

    @staticmethod
    def _tsquery(term: QueryTerm, sparse: Callable[[str], bool] | None = None) -> str:
        """Any form of the term (token, word, stem, key, concepts), or every one of its parts
        when it is a glued token. With `sparse`, only the forms it accepts."""
        lexemes = [
            item
            for item in dict.fromkeys((*term.forms(), term.key, *term.concepts))
            if item and (sparse is None or item in term.forms() or sparse(item))
        ]
        query = " | ".join(_lexeme(item) for item in lexemes)
        if term.parts:
            query += (
                " | ("
                + " & ".join("(" + PostgresBackend._tsquery(part) + ")" for part in term.parts)
                + ")"
            )
        return query

    def _frequencies(self) -> dict[str, float]:
        """The most common lexemes of the index with the share of records that have them,
        from the statistics ANALYZE keeps (refreshed every minute)."""
        now = time.monotonic()
        if self._common is None or now - self._common_at > 60:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT most_common_elems::text::text[], most_common_elem_freqs"
                    " FROM pg_stats WHERE tablename = %s AND attname = 'document'",
                    [TABLE],
                )
                row = cursor.fetchone()
                cursor.execute(
                    "SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = %s::regclass",
                    [TABLE],
                )
                total = cursor.fetchone()
            self._total = float(total[0]) if total else 1.0
            self._common = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
            self._common_at = now
        return self._common

    def _plan(self, query: ParsedQuery) -> _Plan:
        shares = self._frequencies()
        total = self._total
        frequent_share = max(FREQUENT_SHARE, FREQUENT_MIN / total)

        def sparse(lexeme: str) -> bool:
            return shares.get(lexeme, 0.0) < frequent_share

        frequent = [not sparse(term.stem) for term in query.terms]
        # BM25's idf: ts_rank alone weighs a common word like جمعية as much as a name.
        idf = [
            math.log(1 + total / (shares.get(term.stem, 0.0) * total + 0.5)) for term in query.terms
        ]
        return _Plan(frequent=frequent, sparse=sparse, idf=idf)

    @staticmethod
    def _visibility(viewer: Viewer, params: list[Any]) -> str:
        if viewer.everything:
            return "TRUE"
        if viewer.organization_id is None:
            return "published"
        params.append(json.dumps([viewer.organization_id]))
        return "(published OR owners @> %s::jsonb)"

    def _where(self, query: ParsedQuery, plan: _Plan, every_term: bool, params: list[Any]) -> str:
        """every_term: the records matching every word (optional words need not match);
        otherwise those matching some word: some rare word when the query has one. Fuzzy
        matching (pg_trgm) is for rare words the index does not know."""
        terms = list(zip(query.terms, plan.frequent, strict=True))
        conditions = []
        if every_term:
            for term, frequent in terms:
                if term.optional:
                    continue
                if frequent:
                    params.append(_lexeme(term.stem))
                    conditions.append("document @@ to_tsquery('simple', %s)")
                else:
                    conditions.append(self._term_condition(term, None, params))
            return "(" + " AND ".join(conditions) + ")"
        rare = [term for term, frequent in terms if not frequent]
        if rare:
            conditions = [self._term_condition(term, plan.sparse, params) for term in rare]
        else:
            params.append(" | ".join(_lexeme(term.stem) for term in query.terms))
            conditions = ["document @@ to_tsquery('simple', %s)"]
        return "(" + " OR ".join(conditions) + ")"

    def _term_condition(
        self, term: QueryTerm, sparse: Callable[[str], bool] | None, params: list[Any]
    ) -> str:
        params.append(self._tsquery(term, sparse))
        condition = "document @@ to_tsquery('simple', %s)"
        if term.fuzzy:
            params.append(term.word)
            condition = f"({condition} OR %s <%% words)"
        return condition

    def _rank(self, query: ParsedQuery, plan: _Plan, params: list[Any]) -> str:
        parts = []
        for term, weight in zip(query.terms, plan.idf, strict=True):
            params.append(self._tsquery(term))
            parts.append(
                f"ts_rank('{RANK_WEIGHTS}', document, to_tsquery('simple', %s), 1) * {weight:.4f}"
            )
        rank = "(" + " + ".join(parts) + ") * 10"
        params.append(json.dumps(list(query.exact), ensure_ascii=False))
        rank += (
            f" + CASE WHEN exact ?| ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)) "
            f"THEN {EXACT_BONUS} ELSE 0 END"
        )
        fuzzy_words = [term.word for term in query.terms if term.fuzzy]
        if fuzzy_words:
            params.append(" ".join(fuzzy_words))
            rank += f" + word_similarity(%s, words) * {WEIGHTS['fuzzy']}"
        return rank

    @staticmethod
    def _passes(query: ParsedQuery) -> list[bool]:
        """First the records matching every word, then those matching some."""
        return [True, False] if len(query.terms) > 1 else [False]

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
        plan = self._plan(query)
        wanted = offset + limit
        ordered: list[tuple[Any, ...]] = []
        seen: set[tuple[str, int]] = set()
        with connection.cursor() as cursor:
            for every_term in self._passes(query):
                if not every_term and ordered and all(plan.frequent):
                    break  # records with only some of the query's common words: noise
                rank_params: list[Any] = []
                rank = self._rank(query, plan, rank_params)
                where_params: list[Any] = []
                where = self._where(query, plan, every_term, where_params)
                where += " AND " + self._visibility(viewer, where_params)
                if types:
                    where += " AND type = ANY(%s)"
                    where_params.append(list(types))
                source = TABLE
                if not every_term and all(plan.frequent):
                    # Some common word: rank a sample of them, not a large part of the table.
                    source = f"(SELECT * FROM {TABLE} WHERE {where} LIMIT {SAMPLE}) sample"
                    where = "TRUE"
                    rank_params, where_params = rank_params + where_params, []
                cursor.execute(
                    f"SELECT type, object_id, {rank} AS score, title_ar, title_en, subtitle_ar,"
                    f" subtitle_en, url FROM {source} WHERE {where}"
                    f" ORDER BY score DESC, object_id LIMIT %s",
                    rank_params + where_params + [wanted],
                )
                for row in cursor.fetchall():
                    if (row[0], row[1]) in seen:
                        continue
                    seen.add((row[0], row[1]))
                    ordered.append(row)
                if len(ordered) >= wanted:
                    break
            results.counts = self._counts(query, plan, viewer, cursor)
        for row in ordered[offset:wanted]:
            results.hits.append(
                Hit(
                    type=row[0],
                    object_id=row[1],
                    score=float(row[2]),
                    title_ar=row[3],
                    title_en=row[4],
                    subtitle_ar=row[5],
                    subtitle_en=row[6],
                    url=row[7],
                )
            )
        results.total = (
            sum(results.counts.get(name, 0) for name in types)
            if types
            else sum(results.counts.values())
        )
        return results

    def _counts(
        self, query: ParsedQuery, plan: _Plan, viewer: Viewer, cursor: Any
    ) -> dict[str, int]:
        """Records of each type matching every word of the query; when none does, matching
        some word (as the second ranking pass finds them)."""
        counts: dict[str, int] = {}
        for every_term in self._passes(query):
            params: list[Any] = []
            where = self._where(query, plan, every_term, params)
            where += " AND " + self._visibility(viewer, params)
            cursor.execute(
                f"SELECT type, count(*) FROM {TABLE} WHERE {where} GROUP BY type", params
            )
            counts = {type_name: count for type_name, count in cursor.fetchall() if count}
            if counts:
                break
        return counts

    def digests(self) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT type, object_id, digest FROM {TABLE}")
            return {
                f"{type_name}:{object_id}": digest
                for type_name, object_id, digest in cursor.fetchall()
            }

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")

    def vocabulary(self) -> Container[str]:
        return _Vocabulary()
