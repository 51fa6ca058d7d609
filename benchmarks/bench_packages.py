"""The package issue's number: 18 township databases (500 enterprises × 12 months, 60 projects
each, made with the demo generator), each exported as a signed 上报包, then all 18 merged into
an empty county database — timed as a ratio to a raw `sqlite3` executemany insert of the same
rows into the same, empty schema, measured in the same run. Goal: ratio ≤ 3.

The timing brackets `merge.merge_files` alone (it verifies every package again before writing
it, as the app does, sharing that work with a worker process: services/verifying.py); the
verification-alone line runs afterwards against a second empty county database, so it warms
nothing for the merge. For transparency the raw insert is also
timed with the page cache the merge's connection uses (`BULK_CACHE_KIB`). Merge and raw insert
are each timed `REPEAT` times into fresh databases and the best of each compared (as `timed`
does for the other benchmarks): on this shared machine single runs vary by ±10%."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import (
    SCENARIO_END,
    SCENARIO_ENTERPRISES,
    SCENARIO_MONTHS,
    SCENARIO_PROJECTS,
    Result,
)

GOAL = 3.0
REPEAT = 3  # merge and baseline each timed this many times; the best of each is compared


def build_township(workdir: Path, unit_name: str, seed: int) -> tuple[Path, Path]:
    """One unit's database with demo data, warnings explained as a clerk would; returns the
    exported package and the enrollment file."""
    from hengdong_desktop.services import demo, keys, packages, setup

    path = workdir / f"unit-{seed:02d}.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, unit_name, f"填报员{seed}", training=True)
    db, _info = setup.open_initialized(path)
    try:
        demo.generate(
            db,
            enterprises=SCENARIO_ENTERPRISES,
            months=SCENARIO_MONTHS,
            projects=SCENARIO_PROJECTS,
            seed=seed,
            end_period=SCENARIO_END,
        )
        demo.explain_open_warnings(db)
        enrollment = workdir / f"unit-{seed:02d}.enroll.json"
        keys.export_enrollment(db, enrollment)
        package = packages.export_report(
            db, workdir / f"unit-{seed:02d}.hdpkg", period=SCENARIO_END
        ).path
    finally:
        db.close()
    return package, enrollment


def raw_insert(source: Path, target: Path, cache_kib: int | None = None) -> tuple[float, int]:
    """Baseline: the merged records, inserted with plain sqlite3 executemany into an empty copy
    of the schema, one transaction, with the app's durability pragmas (WAL, synchronous FULL,
    foreign keys) and SQLite's default page cache unless `cache_kib` is given."""
    from hengdong_desktop.db import models as m
    from hengdong_desktop.services import setup

    setup.init_database(target, setup.COUNTY, None, "基准", training=True)
    src = sqlite3.connect(source)
    data = {}
    for model in m.SYNCED_MODELS:
        name = model.__tablename__  # type: ignore[attr-defined]
        cur = src.execute(f"SELECT * FROM {name}")
        data[name] = ([d[0] for d in cur.description], cur.fetchall())
    src.close()
    conn = sqlite3.connect(target, isolation_level=None)
    pragmas = ["journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON"]
    if cache_kib is not None:
        pragmas.append(f"cache_size = -{cache_kib}")
    for pragma in pragmas:
        conn.execute(f"PRAGMA {pragma}")
    rows = 0
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    for name, (columns, values) in data.items():
        marks = ",".join("?" * len(columns))
        conn.executemany(f"INSERT INTO {name} ({','.join(columns)}) VALUES ({marks})", values)
        rows += len(values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed, rows


def empty_county(path: Path, enrollments: list[Path]) -> Any:
    from hengdong_desktop.services import keys, setup

    setup.init_database(path, setup.COUNTY, None, "汇总", training=True)
    county, _info = setup.open_initialized(path)
    for enrollment in enrollments:
        keys.enroll(county, enrollment)
    return county


def run() -> list[Result]:
    from hengdong_desktop.db.engine import BULK_CACHE_KIB
    from hengdong_desktop.domain.reference import default_file, load_file
    from hengdong_desktop.services import merge

    ref, _ = load_file(default_file())
    with tempfile.TemporaryDirectory(prefix="bench-packages-") as tmp:
        workdir = Path(tmp)
        start = time.perf_counter()
        built = [build_township(workdir, unit.name, n + 1) for n, unit in enumerate(ref.units)]
        build_time = time.perf_counter() - start
        files = [p for p, _e in built]
        enrollments = [e for _p, e in built]
        merge_times = []
        for run_no in range(REPEAT):  # each run into its own empty county database
            county_path = workdir / f"county-{run_no}.sqlite3"
            county = empty_county(county_path, enrollments)
            try:
                start = time.perf_counter()
                results = merge.merge_files(county, files)
                merge_times.append(time.perf_counter() - start)
            finally:
                county.close()
            refused = [r.describe() for r in results if r.status != merge.MERGED]
            if refused:
                raise RuntimeError(f"benchmark packages refused: {refused}")
        merge_time = min(merge_times)
        other = empty_county(workdir / "county-verify.sqlite3", enrollments)
        try:
            start = time.perf_counter()
            merge.verify_files(other, files)  # the checking half alone, for the breakdown
            verify_time = time.perf_counter() - start
        finally:
            other.close()
        baseline = min(raw_insert(county_path, workdir / f"baseline-{n}.sqlite3")[0] for n in range(REPEAT))
        rows = raw_insert(county_path, workdir / "baseline-rows.sqlite3")[1]
        cached = min(
            raw_insert(county_path, workdir / f"baseline-cache-{n}.sqlite3", BULK_CACHE_KIB)[0]
            for n in range(REPEAT)
        )
        size_mb = sum(p.stat().st_size for p in files) / 1e6
    return [
        Result(
            "merge 18 packages vs raw executemany",
            merge_time / baseline,
            goal=GOAL,
            detail=f"merge {merge_time:.2f} s (runs: {', '.join(f'{t:.1f}' for t in merge_times)} s), "
            f"raw insert {baseline:.2f} s, {rows:,} records, "
            f"{size_mb:.1f} MB of packages (built in {build_time:.0f} s)",
        ),
        Result(
            "  verification alone (archive, signature, JSON, codec, rule engine)",
            verify_time / baseline,
            detail=f"{verify_time:.2f} s: verify_files, shared with the worker process as in the merge",
        ),
        Result(
            f"  merge vs raw executemany with the merge's {BULK_CACHE_KIB // 1024} MB page cache",
            merge_time / cached,
            detail=f"raw insert {cached:.2f} s",
        ),
    ]
