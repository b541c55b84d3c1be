"""`make bench`: import speed and page latency at 100,000 organizations, in one run.

Every measurement runs in its own Python process (bench/workers.py) against its own fresh
temporary SQLite database, so that peak memory is the measurement's own and no cache carries
over. The machine this runs on is shared and noisy, so the import is reported both in rows
per second and as a ratio to a one-`save()`-per-row baseline measured in the same run.

    .venv/bin/python bench/run.py [--rows 100000] [--baseline-rows 20000] [--repeat 3]
                                  [--requests 210] [--no-trace] [--no-index] [--postgres]

Results: a table on standard output and bench/out/results.json; docs/benchmarks.md explains
them."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402
from workers import MARKER  # noqa: E402

TARGET_ROWS_PER_SECOND = 20_000
TARGET_RATIO = 10
TARGET_DIRECTORY_P95_MS = 50


def worker(task: str, database_url: str, var_dir: Path, **options: Any) -> dict[str, Any]:
    command = [
        sys.executable,
        str(HERE / "workers.py"),
        task,
        "--database-url",
        database_url,
        "--var-dir",
        str(var_dir),
    ]
    for name, value in options.items():
        command += [f"--{name.replace('_', '-')}", str(value)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.stderr.write((done.stdout + done.stderr)[-4000:])
        raise SystemExit(f"bench: the {task!r} measurement failed")
    line = [line for line in done.stdout.splitlines() if line.startswith(MARKER)][-1]
    result = json.loads(line[len(MARKER) :])
    result["process_seconds"] = time.perf_counter() - started
    return result


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def fresh_copy(template: Path, name: str) -> Path:
    """A fresh database: a copy of the migrated, empty template."""
    target = template.with_name(name)
    shutil.copyfile(template, target)
    return target


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    import sqlite3

    try:
        code = subprocess.run(
            ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        code = ""
    return {
        "code": code,
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


def say(text: str) -> None:
    print(text, flush=True)


def run_sqlite(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    var_dir = folder / "var"
    csv_path = folder / "organizations.csv"
    subset_path = folder / f"organizations-first-{args.baseline_rows}.csv"

    say(f"Generating {args.rows:,} organizations (seeded) ...")
    started = time.perf_counter()
    size = synthetic.write_csv(csv_path, args.rows, seed=args.seed)
    baseline_rows = min(args.baseline_rows, args.rows)
    synthetic.write_csv(subset_path, baseline_rows, seed=args.seed)  # the same first rows
    results["csv"] = {
        "rows": args.rows,
        "bytes": size,
        "seed": args.seed,
        "seconds": time.perf_counter() - started,
    }

    template = folder / "template.sqlite3"
    worker("migrate", sqlite_url(template), var_dir)

    say(f"Import into a fresh database (tahaluf's importer), {args.repeat} times ...")
    imported = fresh_copy(template, "imported.sqlite3")
    runs = [worker("import", sqlite_url(imported), var_dir, csv=csv_path)]
    for number in range(1, args.repeat):
        again = fresh_copy(template, f"imported-{number}.sqlite3")
        runs.append(worker("import", sqlite_url(again), var_dir, csv=csv_path))
        again.unlink()
    # The median run stands for the import; the spread says how noisy the machine was.
    results["import"] = sorted(runs, key=lambda run: run["rows_per_second"])[len(runs) // 2]
    results["import_runs_rows_per_second"] = [round(run["rows_per_second"]) for run in runs]

    if args.index:
        say("Search index: apply the import's pending changes, as `tahaluf import` does ...")
        results["index"] = worker("index", sqlite_url(imported), var_dir)

    say("Import again, the same file (everything should be unchanged) ...")
    results["reimport"] = worker("import", sqlite_url(imported), var_dir, csv=csv_path)

    say(
        f"Baseline: one ORM save() per row, first {baseline_rows:,} rows, "
        "each row its own transaction ..."
    )
    results["baseline"] = worker(
        "baseline", sqlite_url(fresh_copy(template, "base.sqlite3")), var_dir, csv=subset_path
    )
    say(
        f"Baseline: one ORM save() per row, first {baseline_rows:,} rows, "
        "all in one transaction ..."
    )
    results["baseline_atomic"] = worker(
        "baseline-atomic",
        sqlite_url(fresh_copy(template, "base-atomic.sqlite3")),
        var_dir,
        csv=subset_path,
    )

    if args.trace:
        say("Import once more under tracemalloc (Python allocations; not timed) ...")
        traced = fresh_copy(template, "traced.sqlite3")
        results["import_traced"] = worker("trace-import", sqlite_url(traced), var_dir, csv=csv_path)
        traced.unlink()

    say(f"Latency: directory page and API list, {args.requests} requests each ...")
    results["latency"] = worker("latency", sqlite_url(imported), var_dir, requests=args.requests)
    return results


def run_postgres(args: argparse.Namespace, folder: Path) -> dict[str, Any] | None:
    """The import on a throwaway PostgreSQL server (scripts/with-postgres.sh)."""
    script = ROOT / "scripts" / "with-postgres.sh"
    csv_path = folder / "organizations.csv"
    if not csv_path.exists():
        synthetic.write_csv(csv_path, args.rows, seed=args.seed)
    out = folder / "postgres.json"
    os.chmod(folder, 0o755)
    csv_path.chmod(0o644)
    inner = [
        sys.executable,
        str(HERE / "run.py"),
        "--postgres-inner",
        str(csv_path),
        "--postgres-out",
        str(out),
        "--baseline-rows",
        str(args.baseline_rows),
    ]
    say("PostgreSQL: import, re-import and baseline on a throwaway server ...")
    done = subprocess.run([str(script), *inner], cwd=ROOT)
    if done.returncode != 0 or not out.exists():
        say("PostgreSQL measurement failed; see the output above.")
        return None
    return json.loads(out.read_text())


def postgres_inner(args: argparse.Namespace) -> None:
    """Inside with-postgres.sh: TAHALUF_DATABASE_URL names an empty database."""
    url = os.environ["TAHALUF_DATABASE_URL"]
    folder = Path(tempfile.mkdtemp(prefix="tahaluf-bench-pg-"))
    var_dir = folder / "var"
    csv_path = Path(args.postgres_inner)
    subset = folder / "subset.csv"
    synthetic.write_csv(subset, args.baseline_rows, seed=args.seed)
    results: dict[str, Any] = {}
    worker("migrate", url, var_dir)
    results["import"] = worker("import", url, var_dir, csv=csv_path)
    results["reimport"] = worker("import", url, var_dir, csv=csv_path)
    # A second, fresh database on the same server for the baseline.
    import psycopg

    base, _sep, query = url.partition("?")
    admin = psycopg.connect(
        dbname="postgres",
        host=query.split("host=", 1)[1],
        user=base.split("//", 1)[1].split("@", 1)[0],
        autocommit=True,
    )
    admin.execute("CREATE DATABASE tahaluf_baseline")
    admin.close()
    baseline_url = url.replace("/tahaluf?", "/tahaluf_baseline?")
    worker("migrate", baseline_url, var_dir)
    results["baseline"] = worker("baseline", baseline_url, var_dir, csv=subset)
    Path(args.postgres_out).write_text(json.dumps(results))
    shutil.rmtree(folder, ignore_errors=True)


# Reporting -------------------------------------------------------------------------------


def import_table(results: dict[str, Any], label: str) -> list[str]:
    imported, again = results["import"], results["reimport"]
    lines = [
        f"Import of {imported['rows']:,} organizations ({label})",
        f"  {'':34}{'rows':>9}{'seconds':>10}{'rows/s':>10}{'CPU s':>8}{'peak RSS':>10}",
    ]

    def line(name: str, data: dict[str, Any], note: str = "") -> str:
        return (
            f"  {name:34}{data['rows']:>9,}{data['seconds']:>10.2f}"
            f"{data['rows_per_second']:>10,.0f}{data.get('cpu_seconds', 0):>8.2f}"
            f"{data['peak_rss_mb']:>8.0f}MB{note}"
        )

    runs = results.get("import_runs_rows_per_second", [])
    lines.append(
        line(
            "tahaluf import (fresh database)",
            imported,
            f"  median of {len(runs)}: {', '.join(f'{run:,}' for run in runs)} rows/s"
            if len(runs) > 1
            else "",
        )
    )
    if imported.get("second_process_cpu_seconds"):
        lines.append(
            f"  {'  and its second process':34}{'':29}"
            f"{imported['second_process_cpu_seconds']:>8.2f}"
            f"{imported['second_process_peak_rss_mb']:>8.0f}MB"
            "  (its memory is the parent's, shared, until written to)"
        )
    lines.append(
        line(
            "tahaluf re-import (same file)",
            again,
            f"  created {again['created']}, updated {again['updated']}, "
            f"unchanged {again['unchanged']:,}",
        )
    )
    if imported.get("checkpoint_seconds") is not None:
        lines.append(
            f"  {'WAL checkpoint, after the commit':34}{'':>9}"
            f"{imported['checkpoint_seconds']:>10.2f}  (background, not in rows/s)"
        )
    if "index" in results:
        lines.append(
            line("search index update, after import", results["index"], "  (not in rows/s)")
        )
    for key, name in (
        ("baseline", "one save() per row, autocommit"),
        ("baseline_atomic", "one save() per row, one transaction"),
    ):
        if key in results:
            lines.append(
                line(
                    name,
                    results[key],
                    "  (rows/s measured on a subset)"
                    if results[key]["rows"] < imported["rows"]
                    else "",
                )
            )
    for key, name in (("baseline", "autocommit"), ("baseline_atomic", "one transaction")):
        if key in results:
            ratio = imported["rows_per_second"] / results[key]["rows_per_second"]
            cpu_ratio = (imported["rows"] / imported["cpu_seconds"]) / (
                results[key]["rows"] / results[key]["cpu_seconds"]
            )
            lines.append(
                f"  speed-up over one save() per row ({name}): {ratio:.1f}x "
                f"(per CPU-second of this process: {cpu_ratio:.1f}x)"
            )
    return lines


def latency_table(latency: dict[str, Any]) -> list[str]:
    lines = [
        f"Latency at {latency['published']:,} published organizations "
        f"(django.test.Client, anonymous, in-process)",
        f"  {'':22}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}",
    ]
    for target, name in (
        ("directory", "/organizations/ (Arabic, the default)"),
        ("directory_en", "/organizations/ in English"),
        ("api", "/api/v1/organizations"),
    ):
        if target not in latency:
            continue
        lines.append(f"  {name}")
        data = latency[target]
        for category, values in data["categories"].items():
            lines.append(
                f"    {category:20}{values['n']:>9}{values['p50_ms']:>9.1f}"
                f"{values['p95_ms']:>9.1f}{values['max_ms']:>9.1f}"
                f"{values['queries']:>9}"
            )
        for key, label in (("browsing", "all but contains"), ("overall", "overall")):
            summary = data[key]
            lines.append(
                f"    {label:20}{summary['n']:>9}{summary['p50_ms']:>9.1f}"
                f"{summary['p95_ms']:>9.1f}{summary['max_ms']:>9.1f}"
            )
    return lines


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    imported = results["import"]
    checks = [
        {
            "target": f"import >= {TARGET_ROWS_PER_SECOND:,} rows/s on SQLite",
            "value": round(imported["rows_per_second"]),
            "met": imported["rows_per_second"] >= TARGET_ROWS_PER_SECOND,
        },
    ]
    for key, name in (("baseline", "autocommit"), ("baseline_atomic", "one transaction")):
        if key in results:
            ratio = imported["rows_per_second"] / results[key]["rows_per_second"]
            checks.append(
                {
                    "target": f"import >= {TARGET_RATIO}x one save() per row ({name})",
                    "value": round(ratio, 1),
                    "met": ratio >= TARGET_RATIO,
                }
            )
    for key, name in (("overall", "every request"), ("browsing", "all but name contains")):
        p95 = results["latency"]["directory"][key]["p95_ms"]
        checks.append(
            {
                "target": f"directory page p95 <= {TARGET_DIRECTORY_P95_MS} ms ({name})",
                "value": round(p95, 1),
                "met": p95 <= TARGET_DIRECTORY_P95_MS,
            }
        )
    again = results["reimport"]
    checks.append(
        {
            "target": "re-import of the same file changes nothing",
            "value": f"{again['unchanged']:,} unchanged, {again['new_changes']} changes",
            "met": again["unchanged"] == again["rows"] and again["new_changes"] == 0,
        }
    )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument(
        "--baseline-rows",
        type=int,
        default=20_000,
        help="rows saved one by one (rows/s is extrapolated to the full file)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=210,
        help="timed requests per endpoint, spread over six kinds of request",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--repeat", type=int, default=3, help="imports into fresh databases (the median counts)"
    )
    parser.add_argument(
        "--no-trace",
        dest="trace",
        action="store_false",
        help="skip the tracemalloc run (Python allocations at peak)",
    )
    parser.add_argument(
        "--no-index",
        dest="index",
        action="store_false",
        help="skip updating the search index after the import (what `tahaluf import` does)",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="also measure the import on a throwaway PostgreSQL 15 server",
    )
    parser.add_argument("--out", default=str(HERE / "out" / "results.json"))
    parser.add_argument("--postgres-inner", help=argparse.SUPPRESS)
    parser.add_argument("--postgres-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postgres_inner:
        postgres_inner(args)
        return

    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    folder = Path(tempfile.mkdtemp(prefix="tahaluf-bench-"))
    try:
        results.update(run_sqlite(args, folder))
        if args.postgres:
            results["postgres"] = run_postgres(args, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results["machine"]["load_average_at_end"] = os.getloadavg()
    results["verdicts"] = verdicts(results)
    results["seconds"] = time.perf_counter() - started

    lines = ["", *import_table(results, "SQLite"), ""]
    if results.get("postgres"):
        lines += [*import_table(results["postgres"], "PostgreSQL"), ""]
    lines += [*latency_table(results["latency"]), "", "Targets"]
    for check in results["verdicts"]:
        lines.append(
            f"  [{'met' if check['met'] else 'MISSED':>6}] {check['target']}: {check['value']}"
        )
    info = results["machine"]
    lines.append(
        f"\n{info['cpus']} CPUs ({info['cpu_model']}), Python {info['python']}, "
        f"SQLite {info['sqlite']}; load average at start "
        f"{info['load_average_at_start'][0]:.2f}, at end "
        f"{info['load_average_at_end'][0]:.2f}; whole run {results['seconds']:.0f} s"
    )
    say("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    say(f"Written to {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
