"""Measurements, each run by `bench/run.py` in its own Python process.

A worker process sets TAHALUF_DATABASE_URL and TAHALUF_VAR_DIR before Django starts, does one
measurement and prints one JSON line. One process per measurement keeps peak memory (the
process's maximum resident set size) honest and keeps one measurement's caches from helping
the next one."""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

MARKER = "BENCH-RESULT "


def rss_mb() -> float:
    """Current resident set size of this process."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def setup(database_url: str, var_dir: str) -> None:
    os.environ["TAHALUF_DATABASE_URL"] = database_url
    os.environ["TAHALUF_VAR_DIR"] = var_dir
    os.environ["TAHALUF_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tahaluf.settings")
    import django

    django.setup()


def _actor() -> Any:
    from tahaluf.accounts.models import Role, User
    from tahaluf.accounts.services import user_create

    user = User.objects.filter(username="bench-amal").first()
    if user is None:
        user = user_create(
            actor=None,
            username="bench-amal",
            password="bench-amal-password-1",
            role=Role.SECRETARIAT,
            validate=False,
        )
    return user


def migrate() -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    _actor()
    if connection.vendor == "sqlite":  # everything in the main file, ready to be copied
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return {"seconds": time.perf_counter() - started}


def _counts() -> dict[str, int]:
    from tahaluf.audit.models import Change
    from tahaluf.organizations.models import Organization

    return {
        "organizations": Organization.objects.count(),
        "focus_links": Organization.focus_areas.through.objects.count(),
        "changes": Change.objects.count(),
    }


def import_file(csv_path: str, trace: bool = False) -> dict[str, Any]:
    """`tahaluf import organizations FILE --publish`, as the command line does it."""
    from tahaluf.organizations.importing import import_organizations

    actor = _actor()
    before = _counts()
    gc.collect()
    rss_before = rss_mb()
    if trace:
        tracemalloc.start()
    children_before = _children_cpu_seconds()
    started, cpu_started = time.perf_counter(), time.process_time()
    report = import_organizations(Path(csv_path).read_bytes(), actor=actor, publish=True)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    # A large import checks and writes half of the rows in a second process
    # (tahaluf/lib/staging.py): its processor time and memory are counted apart.
    second_process_cpu = _children_cpu_seconds() - children_before
    # The commit's pages reach the database file after it, in the background (see
    # tahaluf/lib/checkpoint.py): timed apart, not in rows per second.
    from tahaluf.lib import checkpoint

    checkpoint_started = time.perf_counter()
    checkpoint.wait_for_checkpoints()
    checkpoint_wait = time.perf_counter() - checkpoint_started
    traced_peak = None
    if trace:
        traced_peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    after = _counts()
    return {
        "rows": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows_per_second": report.total / seconds,
        "checkpoint_seconds": checkpoint.last_seconds,
        "checkpoint_wait_seconds": checkpoint_wait,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "second_process_cpu_seconds": second_process_cpu,
        "second_process_peak_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "tracemalloc_peak_mb": traced_peak,
        "new_changes": after["changes"] - before["changes"],
        "counts": after,
    }


def baseline(csv_path: str, atomic: bool) -> dict[str, Any]:
    """The same rows, parsed and checked by the same reader, then saved one ORM `save()` at
    a time with their focus areas: what a loop over a form or a serializer would do. It
    writes no history, so it is, if anything, flattered."""
    from django.db import transaction

    from tahaluf.organizations.importing import IMPORTED_FIELDS, read_and_validate
    from tahaluf.organizations.models import FocusArea, Organization

    gc.collect()
    rss_before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    rows, _problems = read_and_validate(Path(csv_path).read_bytes())
    areas: dict[str, FocusArea] = {}

    def save_all() -> None:
        for row in rows:
            organization = Organization(
                **{name: row[name] for name in IMPORTED_FIELDS}, is_published=True
            )
            organization.refresh_sort_names()
            organization.save()
            keys = row["focus_areas"]
            if keys:
                for key in keys:
                    if key not in areas:
                        areas[key], _created = FocusArea.objects.get_or_create(key=key)
                organization.focus_areas.add(*(areas[key] for key in keys))

    if atomic:
        with transaction.atomic():
            save_all()
    else:
        save_all()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "rows": len(rows),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows_per_second": len(rows) / seconds,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
        "counts": _counts(),
        "atomic": atomic,
    }


def index_pending() -> dict[str, Any]:
    """What `tahaluf import` does after the import: bring the search index up to date."""
    from tahaluf.search.services import apply_pending

    gc.collect()
    rss_before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    indexed = apply_pending()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "rows": indexed,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rows_per_second": indexed / seconds if seconds else 0.0,
        "rss_before_mb": rss_before,
        "peak_rss_mb": peak_rss_mb(),
    }


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 35 samples is the 34th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-int(share * 1000) * len(ordered) // 1000))
    return ordered[min(rank, len(ordered)) - 1]


def _summary(samples: list[float]) -> dict[str, Any]:
    return {
        "n": len(samples),
        "p50_ms": statistics.median(samples),
        "p95_ms": _percentile(samples, 0.95),
        "max_ms": max(samples),
        "mean_ms": statistics.fmean(samples),
    }


def latency(requests: int, seed: int = 7) -> dict[str, Any]:
    """Directory page and API list, as the public sees them, over a mix of requests."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tahaluf.organizations.models import Organization

    rng = random.Random(seed)
    published = Organization.objects.filter(is_published=True).count()
    pages = -(-published // settings.TAHALUF_PAGE_SIZE)
    kinds = sorted(Organization.objects.values_list("kind", flat=True).distinct())
    countries = sorted(Organization.objects.values_list("country", flat=True).distinct())
    cities = sorted(set(Organization.objects.values_list("city", flat=True).distinct()))
    # What people type in a name box: common words, rarer ones, a Latin acronym, a miss.
    needles = [
        "شباب",
        "تنمية",
        "المرأة",
        "غزة",
        "حقوق",
        "التراث",
        "youth",
        "peace",
        "heritage",
        "nablus",
        "mcd",
        "zzzz",
    ]

    def page_params(category: str) -> dict[str, str]:
        if category == "first page":
            return {}
        if category == "deep page":
            return {"page": str(rng.randint(pages // 4, pages - 1))}
        if category == "kind":
            return {"kind": rng.choice(kinds)}
        if category == "country":
            return {"country": rng.choice(countries)}
        if category == "city":
            return {"city": rng.choice(cities)}
        return {"q": rng.choice(needles)}

    def api_params(category: str) -> dict[str, str]:
        params = page_params(category)
        if "page" in params:
            page = int(params.pop("page"))
            params["offset"] = str((page - 1) * 25)
        params["limit"] = "25"
        return params

    categories = ["first page", "deep page", "kind", "country", "city", "name contains"]
    results: dict[str, Any] = {"published": published, "pages": pages}
    for target, url, make_params, language in (
        ("directory", "/organizations/", page_params, "ar"),  # the default language
        ("directory_en", "/organizations/", page_params, "en"),  # ordered by English name
        ("api", "/api/v1/organizations", api_params, "ar"),
    ):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for _warm in range(5):  # templates, translation catalogues, first connection
            for category in categories:
                client.get(url, make_params(category))
        plan = [categories[index % len(categories)] for index in range(requests)]
        rng.shuffle(plan)  # interleave, so that noise on the machine hits every category
        samples: dict[str, list[float]] = {category: [] for category in categories}
        for category in plan:
            params = make_params(category)
            started = time.perf_counter()
            response = client.get(url, params)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{url} {params} answered {response.status_code}")
            samples[category].append(elapsed)
        queries = {}
        for category in categories:
            with CaptureQueriesContext(connection) as captured:
                client.get(url, make_params(category))
            queries[category] = len(captured.captured_queries)
        results[target] = {
            "overall": _summary([value for values in samples.values() for value in values]),
            # Everything but the name contains-filter, which scans every published row.
            "browsing": _summary(
                [
                    value
                    for category, values in samples.items()
                    if category != "name contains"
                    for value in values
                ]
            ),
            "categories": {
                category: {**_summary(values), "queries": queries[category]}
                for category, values in samples.items()
            },
        }
    return results


def main(argv: list[str]) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument(
        "task",
        choices=[
            "migrate",
            "import",
            "trace-import",
            "index",
            "baseline",
            "baseline-atomic",
            "latency",
        ],
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--var-dir", required=True)
    parser.add_argument("--csv")
    parser.add_argument("--requests", type=int, default=210)
    args = parser.parse_args(argv)
    setup(args.database_url, args.var_dir)
    if args.task == "migrate":
        result = migrate()
    elif args.task == "import":
        result = import_file(args.csv)
    elif args.task == "trace-import":
        result = import_file(args.csv, trace=True)
    elif args.task == "index":
        result = index_pending()
    elif args.task == "baseline":
        result = baseline(args.csv, atomic=False)
    elif args.task == "baseline-atomic":
        result = baseline(args.csv, atomic=True)
    else:
        result = latency(args.requests)
    sys.stdout.write(MARKER + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
