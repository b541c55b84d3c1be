"""The PostgreSQL backend, for deployments with several application processes: the index is a
table (search_indexeddocument) with a weighted full-text column and a trigram index, so no
application process keeps any state of its own."""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Sequence
from typing import Any

from django.db import connection, transaction

from tahaluf.search.backends.base import WEIGHTS, Hit, Results, SearchBackend, Viewer
from tahaluf.search.documents import AnalyzedDocument, ParsedQuery, QueryTerm

TABLE = "search_indexeddocument"
# ts_rank weights for D, C, B, A: context, keys, stems, tokens and words.
RANK_WEIGHTS = "{0.05, 0.4, 0.7, 1.0}"
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
    def __init__(self) -> None:
        self.cache: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        if word not in self.cache:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT 1 FROM {TABLE} WHERE document @@ to_tsquery('simple', %s) LIMIT 1",
                    [_lexeme(word)],
                )
                self.cache[word] = cursor.fetchone() is not None
        return self.cache[word]


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
    def _term_condition(term: QueryTerm, params: list[Any]) -> str:
        lexemes = [
            item for item in dict.fromkeys((term.token, term.word, term.stem, term.key)) if item
        ]
        params.append(" | ".join(_lexeme(item) for item in lexemes))
        condition = "document @@ to_tsquery('simple', %s)"
        if term.fuzzy:
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
        joiner = " AND " if every_term else " OR "
        return "(" + joiner.join(self._term_condition(term, params) for term in query.terms) + ")"

    def _rank(self, query: ParsedQuery, params: list[Any]) -> str:
        all_lexemes = [
            item
            for term in query.terms
            for item in dict.fromkeys((term.token, term.word, term.stem, term.key))
            if item
        ]
        params.append(" | ".join(_lexeme(item) for item in all_lexemes))
        rank = f"ts_rank('{RANK_WEIGHTS}', document, to_tsquery('simple', %s)) * 10"
        params.append(json.dumps(list(query.exact), ensure_ascii=False))
        rank += (
            f" + CASE WHEN exact ?| ARRAY(SELECT jsonb_array_elements_text(%s::jsonb)) "
            f"THEN {WEIGHTS['exact']} ELSE 0 END"
        )
        fuzzy_words = [term.word for term in query.terms if term.fuzzy]
        if fuzzy_words:
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
            for every_term in passes:
                rank_params: list[Any] = []
                rank = self._rank(query, rank_params)
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
