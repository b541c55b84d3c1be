"""Tahaluf's own search, measured in a process of its own (one per backend and size).

    search_tahaluf.py --backend embedded|postgres --database-url URL --var-dir DIR
                      --records FILE.jsonl [--quality] [--latency N] [--api N]

Sets TAHALUF_DATABASE_URL, TAHALUF_VAR_DIR, TAHALUF_SEARCH_INDEX_DIR and
TAHALUF_SEARCH_BACKEND before Django starts, migrates the empty database, loads the records
through the ORM (bulk_create, published), rebuilds the index with
`tahaluf.search.services.rebuild()` (timed: this is the index build time), then runs the
labelled queries through `services.search` (scored with --quality), times them in process
and through the API (`GET /api/v1/search?q=` with django.test.Client), and prints one JSON
line after MARKER."""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from search_metrics import latency_summary, load_queries, score  # noqa: E402

MARKER = "SEARCH-BENCH-RESULT "
BATCH = 10_000


def setup(args: argparse.Namespace) -> None:
    var_dir = Path(args.var_dir)
    var_dir.mkdir(parents=True, exist_ok=True)
    os.environ["TAHALUF_DATABASE_URL"] = args.database_url
    os.environ["TAHALUF_VAR_DIR"] = str(var_dir)
    os.environ["TAHALUF_SEARCH_INDEX_DIR"] = str(var_dir / "search")
    os.environ["TAHALUF_SEARCH_BACKEND"] = args.backend
    os.environ["TAHALUF_DEBUG"] = "0"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tahaluf.settings"
    import django

    django.setup()


def migrate() -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    return time.perf_counter() - started


def load(records_path: str) -> tuple[dict[int, str], float]:
    """Insert every record as a published Organization row. Column values come from the
    model's own fields (defaults, auto_now timestamps, the JSON encoding of other_names, the
    sort names the model computes); the rows are written with one executemany a batch,
    because bulk_create spends minutes on a million rows preparing values one field at a
    time. Returns {pk: corpus id} and the seconds it took."""
    from django.db import connection, transaction

    from tahaluf.organizations.models import Organization

    started = time.perf_counter()
    fields = [field for field in Organization._meta.concrete_fields if not field.primary_key]
    template = Organization(is_published=True)
    base = {
        field.attname: field.get_db_prep_save(field.pre_save(template, True), connection)
        for field in fields
    }
    names = [field.attname for field in fields]
    other_names = Organization._meta.get_field("other_names")
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(Organization._meta.db_table)}"
        f" ({', '.join(quote(field.column) for field in fields)})"
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    sort_names = Organization.sort_names
    batch: list[tuple[Any, ...]] = []

    def flush(cursor: Any) -> None:
        cursor.executemany(sql, batch)
        batch.clear()

    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        open(records_path, encoding="utf-8") as handle,
    ):
        for line in handle:
            record = json.loads(line)
            row = dict(base)
            row["sort_ar"], row["sort_en"] = sort_names(record["name_ar"], record["name_en"])
            row.update(
                external_id=record["id"],
                name_ar=record["name_ar"],
                name_en=record["name_en"],
                acronym=record.get("acronym", "")[:50],
                other_names=other_names.get_db_prep_save(record.get("other_names", []), connection),
                city=record.get("city", "")[:150],
                country=record.get("country", ""),
                kind=record.get("kind") or "other",
            )
            batch.append(tuple(row[name] for name in names))
            if len(batch) >= BATCH:
                flush(cursor)
        if batch:
            flush(cursor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    ids = dict(
        Organization.objects.filter(external_id__startswith="s").values_list("pk", "external_id")
    )
    return ids, time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (rebuild workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rebuild() -> dict[str, Any]:
    """`tahaluf search rebuild`, timed: wall clock, CPU (with worker processes) and the
    machine's load average (the machine may be shared)."""
    from django.db import connection

    from tahaluf.search import parallel, services

    gc.collect()
    load_before = os.getloadavg()[0]
    cpu = cpu_seconds()
    started = time.perf_counter()
    count = services.rebuild()
    seconds = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_indexeddocument")
    return {
        "documents": count,
        "build_seconds": seconds,
        "build_cpu_seconds": cpu,
        "build_processes": parallel.processes() if parallel.usable(count) else 1,
        "load_average_before_build": load_before,
        "load_average_after_build": os.getloadavg()[0],
    }


def run_queries(queries: list[dict[str, Any]], ids: dict[int, str]) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser

    from tahaluf.search import services

    user = AnonymousUser()
    ranked: dict[str, list[str]] = {}
    for query in queries:
        results = services.search(user=user, text=query["query"], limit=10)
        ranked[query["id"]] = [
            ids.get(hit.object_id, f"other:{hit.object_id}")
            for hit in results.hits
            if hit.type == "organization"
        ]
    return {"scores": score(queries, ranked), "ranked": ranked}


def time_in_process(queries: list[dict[str, Any]], count: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser

    from tahaluf.search import services

    user = AnonymousUser()
    texts = [query["query"] for query in queries][:count]
    for text in texts[:50]:  # warm-up: caches, page cache, lazy imports
        services.search(user=user, text=text, limit=10)
    samples = []
    for text in texts:
        started = time.perf_counter()
        services.search(user=user, text=text, limit=10)
        samples.append((time.perf_counter() - started) * 1000)
    return latency_summary(samples)


def time_api(queries: list[dict[str, Any]], count: int) -> dict[str, Any]:
    from django.test import Client

    client = Client()
    texts = [query["query"] for query in queries][:count]
    for text in texts[:50]:
        client.get("/api/v1/search", {"q": text})
    samples = []
    for text in texts:
        started = time.perf_counter()
        response = client.get("/api/v1/search", {"q": text})
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"API answered {response.status_code} for {text!r}")
    return latency_summary(samples)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", choices=["embedded", "postgres"], required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--records", required=True)
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--latency", type=int, default=0, help="queries to time in process")
    parser.add_argument("--api", type=int, default=0, help="queries to time through the API")
    args = parser.parse_args(argv)

    setup(args)
    result: dict[str, Any] = {"backend": args.backend}
    result["migrate_seconds"] = migrate()
    ids, result["load_seconds"] = load(args.records)
    result.update(rebuild())
    if args.backend == "embedded":
        from tahaluf.search import services

        result["index_bytes"] = services.backend().size_on_disk()  # type: ignore[attr-defined]
    queries = load_queries()
    if args.quality:
        started = time.perf_counter()
        result.update(run_queries(queries, ids))
        result["quality_seconds"] = time.perf_counter() - started
    if args.latency:
        result["latency_in_process"] = time_in_process(queries, args.latency)
    if args.api:
        result["latency_api"] = time_api(queries, args.api)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(MARKER + json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
