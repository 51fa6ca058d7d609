"""The county database on a PostgreSQL server (issue 19): the package issue's merge and the
dashboard refresh, against PostgreSQL.

- Merge: the 18 township packages of bench_packages (500 enterprises × 12 months, 60 projects
  each) merged into an empty county server database (`merge.merge_files`, as the app does:
  verification included, one transaction per package), as a ratio to a raw COPY of the same
  rows (psycopg, one transaction, the same tables) into another empty county server database.
  The issue asks for the ratio to be reported; it sets no goal.
- Dashboard: the 18-unit county scenario moved to the server with `hengdong server import`
  (its time reported too), then `figures.dashboard` as a ratio to its own SELECT statements
  replayed on a plain psycopg connection, every row fetched. Goal ≤ 2.

The server is a throw-away cluster of the installed PostgreSQL (tools/pg_cluster.py) with the
durability settings of a real server (fsync, synchronous commit, full-page writes), or the one
`HENGDONG_BENCH_PG` names (a server administrator's URL; databases bench_* are made on it).
Each side is timed `REPEAT` times and the best of each compared."""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from benchmarks.common import RESULTS_DIR, SCENARIO_END, Result, county_scenario, timed

REPEAT = 3
DASHBOARD_GOAL = 2.0
DURABLE = {
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "max_connections": "40",
    "shared_buffers": "128MB",
}


@contextmanager
def _server() -> Iterator[str]:
    given = os.environ.get("HENGDONG_BENCH_PG")
    if given:
        yield given
        return
    from tools.pg_cluster import Cluster

    with Cluster.start(DURABLE) as cluster:
        yield cluster.url()


def _url(admin: str, database: str) -> str:
    return make_url(admin).set(database=database).render_as_string(hide_password=False)


def _drop(admin: str, *names: str) -> None:
    engine = create_engine(make_url(admin).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


def _psycopg(url: str) -> psycopg.Connection[Any]:
    u = make_url(url)
    return psycopg.connect(host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database)


TEMPLATE = "bench_template"


def _template(admin: str, workdir: Path) -> Any:
    """The county server database the packages are sealed to (training, as its demo townships);
    returns its identity, for the townships to pin."""
    from hengdong_desktop.services import server, setup
    from hengdong_desktop.services.packages import keys

    _drop(admin, TEMPLATE)
    server.init_server(_url(admin, TEMPLATE), "汇总", training=True)
    db, _info = setup.open_initialized(_url(admin, TEMPLATE))
    try:
        return keys.export_identity(db, workdir / "identity.json")
    finally:
        db.close()


def _key_file(url: str) -> Path:
    from hengdong_desktop.db.location import server_local_path, server_url
    from hengdong_desktop.services.packages import keys

    return keys.key_path(server_local_path(server_url(url)))


def _county(admin: str, name: str, enrollments: list[Path]) -> str:
    """A fresh copy of the template county (its key file copied too), the units enrolled."""
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import keys

    _drop(admin, name)
    engine = create_engine(make_url(admin).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}"'))
    finally:
        engine.dispose()
    url = _url(admin, name)
    _key_file(url).write_bytes(_key_file(_url(admin, TEMPLATE)).read_bytes())
    db, _info = setup.open_initialized(url)
    try:
        for enrollment in enrollments:
            keys.enroll(db, enrollment, fingerprint=keys.read_enrollment(enrollment).fingerprint)
    finally:
        db.close()
    return url


def _merge_vs_copy(admin: str, workdir: Path) -> list[Result]:
    from benchmarks.bench_packages import build_township
    from hengdong_desktop.db import models as m
    from hengdong_desktop.domain.reference import default_file, load_file
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import merge

    ref, _ = load_file(default_file())
    identity = _template(admin, workdir)
    start = time.perf_counter()
    built = [build_township(workdir, unit.name, n + 1, identity) for n, unit in enumerate(ref.units)]
    build_time = time.perf_counter() - start
    files, enrollments = [p for p, _e in built], [e for _p, e in built]
    merge_times = []
    for run_no in range(REPEAT):
        url = _county(admin, f"bench_merge_{run_no}", enrollments)
        db, _info = setup.open_initialized(url)
        try:
            start = time.perf_counter()
            results = merge.merge_files(db, files)
            merge_times.append(time.perf_counter() - start)
        finally:
            db.close()
        refused = [r.describe() for r in results if r.status != merge.MERGED]
        if refused:
            raise RuntimeError(f"benchmark packages refused: {refused}")
    merged = url
    tables = [model.__tablename__ for model in m.SYNCED_MODELS]  # type: ignore[attr-defined]
    data: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    with _psycopg(merged) as conn:
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}"')
            rows_in = [
                tuple(json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v for v in row)
                for row in cur.fetchall()
            ]  # JSON columns back to their text for COPY
            data[table] = ([d.name for d in cur.description or ()], rows_in)
    rows = sum(len(v) for _c, v in data.values())
    copy_times = []
    for run_no in range(REPEAT):
        url = _county(admin, f"bench_copy_{run_no}", enrollments)
        with _psycopg(url) as conn:
            start = time.perf_counter()
            with conn.transaction(), conn.cursor() as cur:
                for table, (columns, values) in data.items():
                    names = ", ".join(f'"{c}"' for c in columns)
                    with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                        for row in values:
                            copy.write_row(row)
            copy_times.append(time.perf_counter() - start)
    _drop(admin, TEMPLATE, *(f"bench_{kind}_{n}" for kind in ("merge", "copy") for n in range(REPEAT)))
    best_merge, best_copy = min(merge_times), min(copy_times)
    return [
        Result(
            "server: merge 18 packages vs raw COPY of the same rows (PostgreSQL)",
            best_merge / best_copy,
            detail=f"merge {best_merge:.2f} s (runs: {', '.join(f'{t:.1f}' for t in merge_times)} s), "
            f"COPY {best_copy:.2f} s (runs: {', '.join(f'{t:.1f}' for t in copy_times)} s), {rows:,} records "
            f"(townships built in {build_time:.0f} s)",
        )
    ]


def _dashboard(admin: str) -> list[Result]:
    from hengdong_desktop.services import figures, server_import, setup

    source = county_scenario(RESULTS_DIR / "work" / "server-dashboard")
    _drop(admin, "bench_dashboard")
    url = _url(admin, "bench_dashboard")
    start = time.perf_counter()
    imported = server_import.import_county(url, source, operator="基准")
    import_time = time.perf_counter() - start
    db, _info = setup.open_initialized(url)
    statements: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    raw = _psycopg(url)
    raw.autocommit = True

    def replay() -> int:
        return sum(len(raw.execute(sql, params).fetchall()) for sql, params in statements)

    try:
        event.listen(db.engine, "before_cursor_execute", capture)
        figures.dashboard(db, SCENARIO_END)
        event.remove(db.engine, "before_cursor_execute", capture)
        refresh = baseline = float("inf")
        for _ in range(5):  # alternated, so load from other processes hits both alike
            seconds, result = timed(lambda: figures.dashboard(db, SCENARIO_END))
            refresh = min(refresh, seconds)
            seconds, rows = timed(replay)
            baseline = min(baseline, seconds)
    finally:
        db.close()
        raw.close()
    _drop(admin, "bench_dashboard")
    headline = result.figures.headline
    return [
        Result(
            "server: dashboard refresh vs raw SQL (PostgreSQL, 18 units × 500 enterprises × 12 months)",
            refresh / baseline,
            goal=DASHBOARD_GOAL,
            detail=f"refresh {refresh * 1000:.0f} ms, raw SQL {baseline * 1000:.0f} ms "
            f"({len(statements)} statements, {rows} rows); "
            + ", ".join(f"{p.label} {p.achieved}" for p in headline.values()),
        ),
        Result(
            "  server import of the scenario's county file",
            import_time,
            unit=" s",
            detail=f"{imported.rows:,} rows in {len(imported.tables)} tables, counts and SHA-256 checked",
        ),
    ]


DATA_HOME = ("XDG_DATA_HOME", "APPDATA")  # where the user data directory is (private_files.user_data_dir)


def run() -> list[Result]:
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        old = {name: os.environ.get(name) for name in DATA_HOME}
        os.environ.update({name: str(Path(tmp) / "data") for name in DATA_HOME})  # the servers' key files go here
        try:
            with _server() as admin:
                return [*_dashboard(admin), *_merge_vs_copy(admin, Path(tmp))]
        finally:
            for name, value in old.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
