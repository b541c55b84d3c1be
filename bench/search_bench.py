"""`make bench`, search part: Tahaluf's search against the engines people use, side by side
on the same data and the same labelled queries (bench/search_eval/), in one run.

    .venv/bin/python bench/search_bench.py [--quick] [--sizes 100000,1000000]
                                           [--others-at 100000] [--no-postgres]

Quality (recall@10 and MRR@10 per query class, control precision, exact names) is scored on
the labelled corpus alone (5,163 organizations), as the set's README asks. Speed (index build
time, search latency p50/p95 in process, and through the API for Tahaluf) is measured on the
corpus padded with synthetic organizations (bench/search_padding.py) to each size; quality on
the padded 100,000 index is reported as well, as a robustness check only (the padding is not
labelled: it may hold right answers nobody counted).

Systems (bench/search_engines.py says how each is configured):
    sqlite_like       SQLite LIKE '%word%' on every word (Django's icontains)
    sqlite_fts5       SQLite FTS5, tokenize='unicode61'
    postgres_simple   PostgreSQL full text, 'simple' configuration
    postgres_arabic   PostgreSQL full text, 'arabic' configuration (Snowball)
    tantivy_arabic    tantivy, simple tokenizer + lowercase + Snowball arabic stemmer
    tahaluf_embedded  Tahaluf, TAHALUF_SEARCH_BACKEND=embedded (tantivy on disk), SQLite database
    tahaluf_postgres  Tahaluf, TAHALUF_SEARCH_BACKEND=postgres

PostgreSQL runs on a throwaway server in a temporary folder, started and stopped here (as
scripts/with-postgres.sh does). Each Tahaluf measurement runs in a process of its own
(bench/search_tahaluf.py) with its own temporary database and index.

Results: tables on standard output and bench/out/search_results.json."""

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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from search_engines import (  # noqa: E402
    Engine,
    PlainTantivy,
    PostgresFts,
    SqliteFts5,
    SqliteLike,
)
from search_metrics import (  # noqa: E402
    CLASS_ORDER,
    TARGETS,
    latency_summary,
    load_corpus,
    load_queries,
    score,
)
from search_padding import records  # noqa: E402
from search_tahaluf import MARKER  # noqa: E402

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SYSTEMS = [
    ("sqlite_like", "SQLite LIKE"),
    ("sqlite_fts5", "FTS5 unicode61"),
    ("postgres_simple", "PG simple"),
    ("postgres_arabic", "PG arabic"),
    ("tantivy_arabic", "tantivy+Snowball"),
    ("tahaluf_embedded", "Tahaluf embedded"),
    ("tahaluf_postgres", "Tahaluf postgres"),
]
LABELS = dict(SYSTEMS)
TARGET_P95_IN_PROCESS_MS = 10
TARGET_P95_API_MS = 50
TARGET_BUILD_SECONDS = 120
# Timed at 1,000,000 too. The other two only at the smaller sizes, to keep `make bench` within
# about half an hour: LIKE scans every row for every query (about half a second each at a
# million), and Tahaluf's PostgreSQL backend would take some ten minutes to load and index.
AT_MILLION = {
    "tahaluf_embedded",
    "sqlite_fts5",
    "tantivy_arabic",
    "postgres_simple",
    "postgres_arabic",
}


def say(text: str = "") -> None:
    print(text, flush=True)


def machine() -> dict[str, Any]:
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_gb = None
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_gb = round(int(line.split()[1]) / 2**20, 1)
    import sqlite3

    import tantivy

    code = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    return {
        "code": code,
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "tantivy": getattr(tantivy, "__version__", "0.27"),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg(),
    }


# PostgreSQL server -------------------------------------------------------------------------


class PostgresServer:
    """A throwaway PostgreSQL server in a temporary folder (as scripts/with-postgres.sh)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="tahaluf-search-pg-"))
        self.as_pg: list[str] = []
        self.owner = os.environ.get("USER") or "postgres"
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.as_pg = ["runuser", "-u", "postgres", "--"]
            self.owner = "postgres"
        else:
            import pwd

            self.owner = pwd.getpwuid(os.getuid()).pw_name
        data = self.folder / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            self.owner,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        options = (
            f"-k {self.folder} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off -c shared_buffers=1GB -c maintenance_work_mem=512MB"
            " -c work_mem=32MB"
        )
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-w", "-o", options, "start"
        )
        self.version = self.query("postgres", "SHOW server_version")[0][0]

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_pg, str(PG_BIN / program), *args], check=True, stdout=subprocess.DEVNULL
        )

    def dsn(self, database: str) -> str:
        return f"host={self.folder} user={self.owner} dbname={database}"

    def url(self, database: str) -> str:
        return f"postgres://{self.owner}@/{database}?host={self.folder}"

    def query(self, database: str, sql: str) -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.dsn(database), autocommit=True) as connection:
            cursor = connection.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def create(self, database: str) -> str:
        self.query("postgres", f"DROP DATABASE IF EXISTS {database}")
        self.query("postgres", f"CREATE DATABASE {database}")
        return database

    def stop(self) -> None:
        subprocess.run(
            [
                *self.as_pg,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.folder / "data"),
                "-m",
                "immediate",
                "stop",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def postgres_server(enabled: bool) -> Iterator[PostgresServer | None]:
    if not enabled or not (PG_BIN / "initdb").exists():
        yield None
        return
    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


# Measuring ---------------------------------------------------------------------------------


def records_file(folder: Path, total: int) -> Path:
    """The corpus (total 0) or the corpus padded to `total`, one JSON record a line."""
    path = folder / f"records-{total}.jsonl"
    if not path.exists():
        with open(path, "w", encoding="utf-8") as handle:
            for record in records(total):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        path.chmod(0o644)
    return path


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def engine_for(name: str, folder: Path, server: PostgresServer | None) -> Engine | None:
    if name == "sqlite_like":
        return SqliteLike(folder)
    if name == "sqlite_fts5":
        return SqliteFts5(folder)
    if name == "tantivy_arabic":
        return PlainTantivy(folder)
    if name.startswith("postgres_") and server is not None:
        return PostgresFts(server.dsn("baselines"), name.removeprefix("postgres_"))
    return None


def run_engine(
    name: str,
    folder: Path,
    server: PostgresServer | None,
    path: Path,
    queries: list[dict[str, Any]],
    *,
    quality: bool,
    timed: int,
) -> dict[str, Any] | None:
    engine = engine_for(name, folder, server)
    if engine is None:
        return None
    try:
        result: dict[str, Any] = {"build_seconds": engine.build(read_records(path))}
        if quality:
            ranked = {query["id"]: engine.search(query["query"], 10) for query in queries}
            result["scores"] = score(queries, ranked)
            result["ranked"] = ranked
        if timed:
            texts = [query["query"] for query in queries][:timed]
            for text in texts[:50]:
                engine.search(text, 10)
            samples = []
            for text in texts:
                started = time.perf_counter()
                engine.search(text, 10)
                samples.append((time.perf_counter() - started) * 1000)
            result["latency_in_process"] = latency_summary(samples)
        return result
    finally:
        engine.close()


def run_tahaluf(
    backend: str,
    folder: Path,
    server: PostgresServer | None,
    path: Path,
    tag: str,
    *,
    quality: bool,
    timed: int,
    api: int,
) -> dict[str, Any] | None:
    var_dir = folder / f"tahaluf-{backend}-{tag}"
    if backend == "postgres":
        if server is None:
            return None
        url = server.url(server.create(f"tahaluf_{tag}"))
    else:
        url = f"sqlite:///{var_dir / 'tahaluf.sqlite3'}"
    command = [
        sys.executable,
        str(HERE / "search_tahaluf.py"),
        "--backend",
        backend,
        "--database-url",
        url,
        "--var-dir",
        str(var_dir),
        "--records",
        str(path),
        "--latency",
        str(timed),
        "--api",
        str(api),
    ]
    if quality:
        command.append("--quality")
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    shutil.rmtree(var_dir, ignore_errors=True)
    if server is not None and backend == "postgres":
        server.query("postgres", f"DROP DATABASE IF EXISTS tahaluf_{tag}")
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    if done.returncode != 0 or not lines:
        sys.stderr.write((done.stdout + done.stderr)[-4000:])
        say(f"  Tahaluf {backend} at {tag} failed; see above.")
        return None
    return json.loads(lines[-1][len(MARKER) :])


def measure(
    name: str,
    folder: Path,
    server: PostgresServer | None,
    path: Path,
    tag: str,
    queries: list[dict[str, Any]],
    *,
    quality: bool,
    timed: int,
    api: int,
) -> dict[str, Any] | None:
    started = time.perf_counter()
    if name.startswith("tahaluf_"):
        result = run_tahaluf(
            name.removeprefix("tahaluf_"),
            folder,
            server,
            path,
            tag,
            quality=quality,
            timed=timed,
            api=api,
        )
    else:
        result = run_engine(name, folder, server, path, queries, quality=quality, timed=timed)
    if result is not None:
        result["wall_seconds"] = time.perf_counter() - started
        bits = [f"build {result['build_seconds']:.1f} s"]
        if "latency_in_process" in result:
            bits.append(f"p95 {result['latency_in_process']['p95_ms']:.1f} ms")
        if "latency_api" in result:
            bits.append(f"API p95 {result['latency_api']['p95_ms']:.1f} ms")
        say(f"  {LABELS[name]:18} {', '.join(bits)}  ({result['wall_seconds']:.0f} s)")
    else:
        say(f"  {LABELS[name]:18} skipped (not available)")
    return result


# Reporting ---------------------------------------------------------------------------------


SHORT = {
    "sqlite_like": "LIKE",
    "sqlite_fts5": "FTS5",
    "postgres_simple": "PG simple",
    "postgres_arabic": "PG arabic",
    "tantivy_arabic": "tantivy",
    "tahaluf_embedded": "T embedded",
    "tahaluf_postgres": "T postgres",
}


def quality_tables(quality: dict[str, Any], title: str) -> list[str]:
    systems = [name for name, _label in SYSTEMS if quality.get(name)]
    width = 11
    header = f"{'class':14}{'n':>4}" + "".join(f"{SHORT[s]:>{width}}" for s in systems)
    lines: list[str] = []
    for metric, metric_title in (("recall_at_10", "recall@10"), ("mrr_at_10", "MRR@10")):
        lines += ["", f"{title}: {metric_title} per class", header]
        for name in CLASS_ORDER:
            row = [quality[s]["scores"]["classes"].get(name) for s in systems]
            n = next((item["queries"] for item in row if item), 0)
            target = ""
            if metric == "recall_at_10" and name in TARGETS:
                target = f"  (target ≥ {TARGETS[name]:.2f})"
            cells = "".join(
                f"{item[metric]:>{width}.3f}" if item else f"{'-':>{width}}" for item in row
            )
            lines.append(f"{name:14}{n:>4}{cells}{target}")
    n = quality[systems[0]]["scores"]["control"]["queries"] if systems else 0
    lines += ["", f"{title}: control queries ({n}) and exact names", header]
    for key, label in (
        ("precision", "control prec."),
        ("first_relevant_share", "ctl 1st relev."),
        ("confused_share", "ctl 1st wrong"),
    ):
        cells = "".join(f"{quality[s]['scores']['control'][key]:>{width}.3f}" for s in systems)
        lines.append(f"{label:18}{cells}")
    cells = "".join(f"{quality[s]['scores']['exact_first']:>{width}.3f}" for s in systems)
    lines.append(f"{'exact 1st':18}{cells}")
    return lines


def speed_table(speed: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "",
        "Speed (index build; search latency over the labelled queries; API: GET "
        "/api/v1/search through django.test.Client)",
        f"{'system':18}{'records':>10}{'build s':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'API p50':>9}{'API p95':>9}   build CPU s, processes, load average",
    ]
    for size, by_system in speed.items():
        for name, _label in SYSTEMS:
            result = by_system.get(name)
            if not result:
                continue
            inproc = result.get("latency_in_process", {})
            api = result.get("latency_api", {})

            def cell(data: dict[str, Any], key: str, width: int) -> str:
                return f"{data[key]:>{width}.1f}" if key in data else f"{'-':>{width}}"

            extra = ""
            if "build_cpu_seconds" in result:
                extra = (
                    f"   {result['build_cpu_seconds']:.0f}, {result['build_processes']},"
                    f" {result['load_average_before_build']:.1f}"
                )
            lines.append(
                f"{LABELS[name]:18}{int(size):>10,}{result['build_seconds']:>9.1f}"
                f"{cell(inproc, 'p50_ms', 8)}{cell(inproc, 'p95_ms', 8)}"
                f"{cell(api, 'p50_ms', 9)}{cell(api, 'p95_ms', 9)}{extra}"
            )
    return lines


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []
    quality = results["quality"]
    simple = quality.get("postgres_simple")
    for backend in ("tahaluf_embedded", "tahaluf_postgres"):
        mine = quality.get(backend)
        if not mine:
            continue
        for name, target in TARGETS.items():
            value = mine["scores"]["classes"][name]["recall_at_10"]
            checks.append(
                {
                    "target": f"{LABELS[backend]}: recall@10 {name} ≥ {target}",
                    "value": round(value, 3),
                    "met": value >= target,
                }
            )
        if simple:
            value = mine["scores"]["control"]["precision"]
            floor = simple["scores"]["control"]["precision"]
            checks.append(
                {
                    "target": f"{LABELS[backend]}: control precision ≥ PG simple ({floor:.3f})",
                    "value": round(value, 3),
                    "met": value >= floor,
                }
            )
    for size, by_system in results["speed"].items():
        if int(size) < 1_000_000:
            continue
        embedded = by_system.get("tahaluf_embedded")
        if not embedded:
            continue
        p95 = embedded["latency_in_process"]["p95_ms"]
        checks.append(
            {
                "target": f"embedded p95 in process ≤ {TARGET_P95_IN_PROCESS_MS} ms at "
                f"{int(size):,}",
                "value": round(p95, 2),
                "met": p95 <= TARGET_P95_IN_PROCESS_MS,
            }
        )
        p95 = embedded["latency_api"]["p95_ms"]
        checks.append(
            {
                "target": f"embedded p95 through the API ≤ {TARGET_P95_API_MS} ms at {int(size):,}",
                "value": round(p95, 2),
                "met": p95 <= TARGET_P95_API_MS,
            }
        )
        build = embedded["build_seconds"]
        checks.append(
            {
                "target": f"embedded index build ≤ {TARGET_BUILD_SECONDS} s at {int(size):,}",
                "value": round(build, 1),
                "met": build <= TARGET_BUILD_SECONDS,
            }
        )
    return checks


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smaller run: speed at 20,000 records only, 200 timed queries",
    )
    parser.add_argument(
        "--sizes", help="padded sizes for speed, comma-separated (default 100000,1000000)"
    )
    parser.add_argument(
        "--others-at",
        type=int,
        default=1_000_000,
        help="the largest size at which systems other than Tahaluf embedded are timed "
        "(SQLite LIKE and Tahaluf postgres never at 1,000,000)",
    )
    parser.add_argument(
        "--every-system-at-million",
        action="store_true",
        help="time SQLite LIKE and Tahaluf postgres at 1,000,000 too (about 15 more minutes; "
        "use --timed to time fewer queries)",
    )
    parser.add_argument("--timed", type=int, default=700, help="queries timed per system")
    parser.add_argument("--no-postgres", dest="postgres", action="store_false")
    parser.add_argument("--systems", help="only these systems, comma-separated")
    parser.add_argument("--out", default=str(HERE / "out" / "search_results.json"))
    args = parser.parse_args()
    sizes = [int(item) for item in (args.sizes or "100000,1000000").split(",") if item]
    timed = args.timed
    if args.quick:
        sizes = [int(item) for item in (args.sizes or "20000").split(",") if item]
        timed = min(timed, 200)
        args.others_at = max(sizes)
    wanted = [name for name, _label in SYSTEMS]
    if args.systems:
        wanted = [name for name in wanted if name in args.systems.split(",")]

    started = time.perf_counter()
    results: dict[str, Any] = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "corpus": len(load_corpus()),
        "quality": {},
        "speed": {},
        "robustness_padded": {},
        "skipped": [],
    }
    queries = load_queries()
    results["queries"] = len(queries)
    folder = Path(tempfile.mkdtemp(prefix="tahaluf-search-bench-"))
    folder.chmod(0o755)
    try:
        with postgres_server(args.postgres) as server:
            if server is not None:
                server.create("baselines")
                results["machine"]["postgresql"] = server.version
            else:
                results["skipped"].append(
                    f"PostgreSQL systems: no server (--no-postgres or no binaries in {PG_BIN})"
                )
            corpus = records_file(folder, 0)
            say(
                f"Quality on the labelled corpus ({results['corpus']:,} organizations, "
                f"{len(queries)} queries)"
            )
            for name in wanted:
                result = measure(
                    name, folder, server, corpus, "corpus", queries, quality=True, timed=0, api=0
                )
                if result:
                    results["quality"][name] = result
            for size in sizes:
                say(f"Speed at {size:,} organizations (corpus + synthetic padding)")
                path = records_file(folder, size)
                by_system: dict[str, Any] = {}
                for name in wanted:
                    is_tahaluf = name.startswith("tahaluf_")
                    too_big = name != "tahaluf_embedded" and size > args.others_at
                    left_out = name not in AT_MILLION and not args.every_system_at_million
                    if too_big or (size >= 1_000_000 and left_out):
                        results["skipped"].append(f"{LABELS[name]} at {size:,}")
                        continue
                    robustness = size == min(sizes)
                    result = measure(
                        name,
                        folder,
                        server,
                        path,
                        str(size),
                        queries,
                        quality=robustness,
                        timed=timed,
                        api=timed if is_tahaluf else 0,
                    )
                    if result:
                        if "scores" in result:
                            results["robustness_padded"][name] = {
                                "records": size,
                                "scores": result.pop("scores"),
                            }
                            result.pop("ranked", None)
                        by_system[name] = result
                results["speed"][str(size)] = by_system
                path.unlink(missing_ok=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results["seconds"] = time.perf_counter() - started
    results["verdicts"] = verdicts(results)

    lines = quality_tables(results["quality"], f"Labelled corpus ({results['corpus']:,})")
    lines += speed_table(results["speed"])
    if results["robustness_padded"]:
        size = next(iter(results["robustness_padded"].values()))["records"]
        lines += quality_tables(
            results["robustness_padded"],
            f"Robustness check only, padded index ({size:,}; padding unlabelled)",
        )
    lines += ["", "Targets (issue 3)"]
    for check in results["verdicts"]:
        lines.append(
            f"  [{'met' if check['met'] else 'MISSED'}] {check['target']}: {check['value']}"
        )
    if results["skipped"]:
        lines.append("Skipped: " + "; ".join(results["skipped"]))
    lines.append(f"Whole run: {results['seconds']:.0f} s")
    say("\n".join(lines))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    say(f"Written: {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


if __name__ == "__main__":
    main()
