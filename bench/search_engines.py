"""The engines Tahaluf's search is compared with, each configured the way its documentation
shows and queried the way an application usually queries it. No Arabic-specific work is
added to any of them: that is what the comparison is about.

- SQLite LIKE: a table of names (no index: LIKE '%…%' cannot use one); every word of the
  query must be in the names, `LIKE '%word%'` (what Django's `icontains` does); shortest
  name first.
- SQLite FTS5: `fts5(names, tokenize='unicode61')` (its default tokenizer); every word
  quoted, AND (FTS5's implicit operator); ranked by bm25 (`ORDER BY rank`).
- PostgreSQL 'simple' and 'arabic': `to_tsvector(config, names)` stored, GIN index;
  `plainto_tsquery(config, q)` (AND); ranked by `ts_rank`.
- tantivy: names with the `simple` tokenizer, lowercase and the Snowball `arabic` stemmer;
  the query parser over the names (OR, tantivy's default); BM25.

Every engine indexes the same text: a record's Arabic name, English name, other names and
acronym (search_metrics.names_of)."""

from __future__ import annotations

import re
import shutil
import sqlite3
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from search_metrics import names_of

SEPARATOR = " \n "


class Engine(ABC):
    name = ""
    label = ""

    @abstractmethod
    def build(self, records: Iterable[dict[str, Any]]) -> float:
        """Index these records; returns the seconds it took."""

    @abstractmethod
    def search(self, text: str, limit: int = 10) -> list[str]:
        """The ids of the best `limit` records for this text, best first."""

    def close(self) -> None:  # noqa: B027 - optional: most engines have nothing to close
        return None


def _rows(records: Iterable[dict[str, Any]]) -> Iterable[tuple[str, str]]:
    for record in records:
        yield record["id"], SEPARATOR.join(names_of(record))


# SQLite ------------------------------------------------------------------------------------


class SqliteLike(Engine):
    name = "sqlite_like"
    label = "SQLite LIKE"

    def __init__(self, folder: Path) -> None:
        self.path = folder / "like.sqlite3"
        self.path.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)

    def build(self, records: Iterable[dict[str, Any]]) -> float:
        started = time.perf_counter()
        self.db.execute("CREATE TABLE org (id TEXT, names TEXT, length INTEGER)")
        self.db.executemany(
            "INSERT INTO org VALUES (?, ?, ?)",
            ((key, names, len(names.split(SEPARATOR)[0])) for key, names in _rows(records)),
        )
        self.db.commit()
        return time.perf_counter() - started

    @staticmethod
    def _pattern(word: str) -> str:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    def search(self, text: str, limit: int = 10) -> list[str]:
        words = text.split()
        if not words:
            return []
        where = " AND ".join("names LIKE ? ESCAPE '\\'" for _ in words)
        rows = self.db.execute(
            f"SELECT id FROM org WHERE {where} ORDER BY length, rowid LIMIT ?",
            [*map(self._pattern, words), limit],
        ).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()


class SqliteFts5(Engine):
    name = "sqlite_fts5"
    label = "SQLite FTS5 unicode61"
    _WORD = re.compile(r"\w", re.UNICODE)

    def __init__(self, folder: Path) -> None:
        self.path = folder / "fts5.sqlite3"
        self.path.unlink(missing_ok=True)
        self.db = sqlite3.connect(self.path)
        self.ids: list[str] = []

    def build(self, records: Iterable[dict[str, Any]]) -> float:
        started = time.perf_counter()
        self.db.execute("CREATE VIRTUAL TABLE org USING fts5(names, tokenize='unicode61')")
        self.ids = []

        def rows() -> Iterable[tuple[int, str]]:
            for key, names in _rows(records):
                self.ids.append(key)
                yield len(self.ids) - 1, names

        self.db.executemany("INSERT INTO org (rowid, names) VALUES (?, ?)", rows())
        self.db.commit()
        return time.perf_counter() - started

    def search(self, text: str, limit: int = 10) -> list[str]:
        words = [w for w in text.split() if self._WORD.search(w)]
        if not words:
            return []
        match = " ".join('"' + word.replace('"', '""') + '"' for word in words)
        try:
            rows = self.db.execute(
                "SELECT rowid FROM org WHERE org MATCH ? ORDER BY rank LIMIT ?", [match, limit]
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        return [self.ids[row[0]] for row in rows]

    def close(self) -> None:
        self.db.close()


# PostgreSQL --------------------------------------------------------------------------------


class PostgresFts(Engine):
    """PostgreSQL full-text search with a built-in configuration (`simple` or `arabic`)."""

    def __init__(self, dsn: str, config: str) -> None:
        import psycopg

        self.config = config
        self.name = f"postgres_{config}"
        self.label = f"PostgreSQL '{config}'"
        self.table = f"org_{config}"
        self.db = psycopg.connect(dsn, autocommit=True)

    def build(self, records: Iterable[dict[str, Any]]) -> float:
        started = time.perf_counter()
        table, config = self.table, self.config
        with self.db.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TABLE {table} (id text, names text, document tsvector"
                f" GENERATED ALWAYS AS (to_tsvector('{config}', names)) STORED)"
            )
            with cursor.copy(f"COPY {table} (id, names) FROM STDIN") as copy:
                for row in _rows(records):
                    copy.write_row(row)
            cursor.execute(f"CREATE INDEX {table}_document ON {table} USING gin (document)")
            cursor.execute(f"ANALYZE {table}")
        return time.perf_counter() - started

    def search(self, text: str, limit: int = 10) -> list[str]:
        with self.db.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {self.table}, plainto_tsquery('{self.config}', %s) query"
                f" WHERE document @@ query ORDER BY ts_rank(document, query) DESC, id LIMIT %s",
                [text, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def close(self) -> None:
        with self.db.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.db.close()


# tantivy -----------------------------------------------------------------------------------


class PlainTantivy(Engine):
    """tantivy as its documentation configures it for Arabic: the `simple` tokenizer,
    lowercase, and the Snowball Arabic stemmer; queries through tantivy's query parser."""

    name = "tantivy_arabic"
    label = "tantivy + Snowball arabic"
    # Characters of tantivy's query grammar; the simple tokenizer splits words at them anyway.
    _GRAMMAR = re.compile(r"""[+\-&|!(){}\[\]^"~*?:\\/<>=]""")

    def __init__(self, folder: Path) -> None:
        import tantivy

        self.tantivy = tantivy
        self.path = folder / "tantivy-plain"
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("names", tokenizer_name="ar_stem")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema, path=str(self.path))
        analyzer = (
            tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
            .filter(tantivy.Filter.lowercase())
            .filter(tantivy.Filter.stemmer("arabic"))
            .build()
        )
        self.index.register_tokenizer("ar_stem", analyzer)
        self.searcher: Any = None

    def build(self, records: Iterable[dict[str, Any]]) -> float:
        started = time.perf_counter()
        writer = self.index.writer(heap_size=256_000_000)
        for key, names in _rows(records):
            writer.add_document(self.tantivy.Document(id=key, names=names))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        return time.perf_counter() - started

    def search(self, text: str, limit: int = 10) -> list[str]:
        cleaned = self._GRAMMAR.sub(" ", text).strip()
        if not cleaned:
            return []
        query, _errors = self.index.parse_query_lenient(cleaned, ["names"])
        found = self.searcher.search(query, limit)
        return [self.searcher.doc(address)["id"][0] for _score, address in found.hits]

    def close(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
