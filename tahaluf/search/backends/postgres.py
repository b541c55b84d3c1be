"""The PostgreSQL backend, for deployments with several application processes: the index is a
table (search_indexeddocument) with a weighted full-text column and a trigram index, so no
application process keeps any state of its own."""

from __future__ import annotations

import json
import math
from collections.abc import Container, Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from tahaluf.search.backends.base import WEIGHTS, Hit, Results, SearchBackend, Viewer
from tahaluf.search.documents import KNOWN_IN_RECORDS, AnalyzedDocument, ParsedQuery, QueryTerm

TABLE = "search_indexeddocument"
# ts_rank weights for D, C, B, A: context, keys, stems, tokens and words.
RANK_WEIGHTS = "{0.05, 0.4, 0.7, 1.0}"
# A whole-name match ranks above any number of word matches.
EXACT_BONUS = 1000
# Terms matching more records than this all count as equally common.
DF_CAP = 2000
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


class PostgresBackend(SearchBackend):
    name = "postgres"

    def __init__(self) -> None:
        if connection.vendor != "postgresql":
            raise RuntimeError("The postgres search backend needs a PostgreSQL database.")

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

    @staticmethod
    def _tsquery(term: QueryTerm) -> str:
        """Any form of the term (token, word, stem, key, concepts), or every one of its parts
        when it is a glued token."""
        lexemes = [
            item
            for item in dict.fromkeys((*term.forms(), term.key, *term.concepts))
            if item
        ]
        query = " | ".join(_lexeme(item) for item in lexemes)
        if term.parts:
            query += " | (" + " & ".join(
                "(" + PostgresBackend._tsquery(part) + ")" for part in term.parts
            ) + ")"
        return query

    @staticmethod
    def _term_condition(term: QueryTerm, params: list[Any], fuzzy: bool) -> str:
        params.append(PostgresBackend._tsquery(term))
        condition = "document @@ to_tsquery('simple', %s)"
        if fuzzy and term.fuzzy:
            params.append(term.word)
            condition = f"({condition} OR %s <%% words)"
        return condition

    @staticmethod
    def _visibility(viewer: Viewer, params: list[Any]) -> str:
        if viewer.everything:
            return "TRUE"
        if viewer.organization_id is None:
            return "published"
        params.append(json.dumps([viewer.organization_id]))
        return "(published OR owners @> %s::jsonb)"

    def _where(self, query: ParsedQuery, every_term: bool, params: list[Any]) -> str:
        # Fuzzy matching (pg_trgm, row by row) narrows "every term" matches and is the only
        # hope of a one-word query; among "some term" matches it would only add noise, slowly.
        fuzzy = every_term or len(query.terms) == 1
        joiner = " AND " if every_term else " OR "
        terms = [term for term in query.terms if not (every_term and term.optional)]
        return "(" + joiner.join(self._term_condition(t, params, fuzzy) for t in terms) + ")"

    def _idf(self, query: ParsedQuery, cursor: Any) -> list[float]:
        """How rare each term is: ln(1 + N / (n + 0.5)) as in BM25, where N is the number of
        indexed records (the planner's estimate) and n the records matching the term (counted
        up to DF_CAP). ts_rank alone weighs a common word like جمعية as much as a name."""
        cursor.execute(
            "SELECT greatest(reltuples, 1) FROM pg_class WHERE oid = %s::regclass", [TABLE]
        )
        row = cursor.fetchone()
        total = float(row[0]) if row else 1.0
        weights = []
        for term in query.terms:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {TABLE}"
                f" WHERE document @@ to_tsquery('simple', %s) LIMIT {DF_CAP}) found",
                [self._tsquery(term)],
            )
            found = cursor.fetchone()
            matching = float(found[0]) if found else 0.0
            weights.append(math.log(1 + max(total, matching) / (matching + 0.5)))
        return weights

    def _rank(
        self, query: ParsedQuery, idf: list[float], fuzzy: bool, params: list[Any]
    ) -> str:
        parts = []
        for term, weight in zip(query.terms, idf, strict=True):
            params.append(self._tsquery(term))
            parts.append(
                f"ts_rank('{RANK_WEIGHTS}', document, to_tsquery('simple', %s), 1)"
                f" * {weight:.4f}"
            )
        rank = "(" + " + ".join(parts) + ") * 10"
        params.append(json.dumps(list(query.exact), ensure_ascii=False))
        rank += (
            f" + CASE WHEN exact ?| ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)) "
            f"THEN {EXACT_BONUS} ELSE 0 END"
        )
        fuzzy_words = [term.word for term in query.terms if term.fuzzy]
        if fuzzy and fuzzy_words:
            params.append(" ".join(fuzzy_words))
            rank += f" + word_similarity(%s, words) * {WEIGHTS['fuzzy']}"
        return rank

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
        wanted = offset + limit
        ordered: list[tuple[Any, ...]] = []
        seen: set[tuple[str, int]] = set()
        passes = [True, False] if len(query.terms) > 1 else [False]
        with connection.cursor() as cursor:
            idf = self._idf(query, cursor)
            for every_term in passes:
                rank_params: list[Any] = []
                rank = self._rank(query, idf, every_term, rank_params)
                where_params: list[Any] = []
                where = self._where(query, every_term, where_params)
                where += " AND " + self._visibility(viewer, where_params)
                if types:
                    where += " AND type = ANY(%s)"
                    where_params.append(list(types))
                cursor.execute(
                    f"SELECT type, object_id, {rank} AS score, title_ar, title_en, subtitle_ar,"
                    f" subtitle_en, url FROM {TABLE} WHERE {where}"
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
            count_params: list[Any] = []
            where = self._where(query, False, count_params)
            where += " AND " + self._visibility(viewer, count_params)
            cursor.execute(
                f"SELECT type, count(*) FROM {TABLE} WHERE {where} GROUP BY type", count_params
            )
            results.counts = {type_name: count for type_name, count in cursor.fetchall()}
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
