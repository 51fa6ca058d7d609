"""The package issue's number: 18 township databases (500 enterprises × 12 months, 60 projects
each, made with the demo generator), each exported as a signed 上报包, then all 18 merged into
an empty county database — timed as a ratio to a raw `sqlite3` executemany insert of the same
rows into the same, empty schema, measured in the same run. Goal: ratio ≤ 3.

The timing brackets `merge.merge_files` alone (it verifies every package again before writing
it, as the app does, sharing that work with a worker process: services/packages/verifying.py); the
verification-alone line runs afterwards against a second empty county database, so it warms
nothing for the merge. For transparency the raw insert is also
timed with the page cache the merge's connection uses (`BULK_CACHE_KIB`). Merge and raw insert
are each timed `REPEAT` times into fresh databases and the best of each compared (as `timed`
does for the other benchmarks): on this shared machine single runs vary by ±10%.

Memory: the same merge runs again in a child process under `/usr/bin/time -v`, whose peak
resident set size is reported beside the size of the packages. And a package built the way the
field report found one — a 52 MB file whose signed manifest declares a 395 MB audit log — is
verified in a child process too: it must be refused before costing more than a small multiple of
its own size (the budget is judged on the declared sizes, before anything is decompressed)."""

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
SWOLLEN_GOAL = 4.0  # a refused package may cost a small multiple of its own size, no more
REPEAT = 3  # merge and baseline each timed this many times; the best of each is compared


def build_township(workdir: Path, unit_name: str, seed: int, identity: Any) -> tuple[Path, Path]:
    """One unit's database with demo data, warnings explained as a clerk would, trusting the
    county's `identity`; returns the exported package and the enrollment file."""
    from hengdong_desktop.services import demo, setup
    from hengdong_desktop.services.packages import export, keys

    path = workdir / f"unit-{seed:02d}.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, unit_name, f"填报员{seed}", county_identity=identity, training=True)
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
        package = export.export_report(db, workdir / f"unit-{seed:02d}.hdpkg", period=SCENARIO_END).path
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


def empty_county(template: Path, path: Path, enrollments: list[Path]) -> Any:
    """A fresh copy of the county database the packages are sealed to, the units enrolled."""
    import shutil

    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import keys

    shutil.copyfile(template, path)
    shutil.copyfile(keys.key_path(template), keys.key_path(path))
    county, _info = setup.open_initialized(path)
    for enrollment in enrollments:
        keys.enroll(county, enrollment, fingerprint=keys.read_enrollment(enrollment).fingerprint)
    return county


_CHILD_MERGE = """
import sys
from pathlib import Path
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import merge
if __name__ == "__main__":
    db, _ = setup.open_initialized(Path(sys.argv[1]))
    results = merge.merge_files(db, [Path(p) for p in sys.argv[2:]])
    print(sum(r.status == merge.MERGED for r in results))
"""
_CHILD_VERIFY = """
import sys
from pathlib import Path
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import merge
if __name__ == "__main__":
    db, _ = setup.open_initialized(Path(sys.argv[1]))
    (result,) = merge.verify_files(db, [Path(sys.argv[2])])
    print(result.status, result.reason)
"""


def peak_memory(script: str, *args: Path) -> tuple[float, str]:
    """(peak resident set size in MB, stdout) of `script` run in a child process, measured by
    /usr/bin/time -v (GNU time), or by the kernel's rusage when it is not installed."""
    import resource
    import subprocess
    import sys

    command = [sys.executable, "-c", script, *map(str, args)]
    if Path("/usr/bin/time").exists():
        proc = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=True)
        line = next(x for x in proc.stderr.splitlines() if "Maximum resident set size" in x)
        return int(line.rsplit(":", 1)[1]) / 1024, proc.stdout
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(command, capture_output=True, text=True, check=True)
    return max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024, proc.stdout


def swollen_package(genuine: Path, out: Path, unit_keys: Any, county_keys: Any) -> Path:
    """The field report's package: 52 MB on disk, its signed manifest declaring a 395 MB audit."""
    import os

    from tests.package_parts import Parts

    parts = Parts.of(genuine.read_bytes(), unit_keys.signing, county_keys)
    parts.county, parts.plain = None, {}
    parts.set("data/audit.json", os.urandom(52 * 1024 * 1024))

    def swell(manifest: dict[str, Any]) -> None:
        entry = next(e for e in manifest["files"] if e["path"] == "data/audit.json")
        entry.update(records=898_695, size=395 * 1024 * 1024)

    parts.resign(swell, package_id="00000000-0000-4000-8000-000000000052")
    out.write_bytes(parts.payload())
    return out


def run() -> list[Result]:
    from hengdong_desktop.db.engine import BULK_CACHE_KIB
    from hengdong_desktop.domain.reference import default_file, load_file
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.packages import keys, merge

    ref, _ = load_file(default_file())
    with tempfile.TemporaryDirectory(prefix="bench-packages-") as tmp:
        workdir = Path(tmp)
        template = workdir / "county-template.sqlite3"
        setup.init_database(template, setup.COUNTY, None, "汇总", training=True)  # demo data: training only
        county_db, _info = setup.open_initialized(template)
        try:
            identity = keys.export_identity(county_db, workdir / "identity.json")
            county_keys = keys.unlock(county_db)
        finally:
            county_db.close()
        start = time.perf_counter()
        built = [build_township(workdir, unit.name, n + 1, identity) for n, unit in enumerate(ref.units)]
        build_time = time.perf_counter() - start
        files = [p for p, _e in built]
        enrollments = [e for _p, e in built]
        merge_times = []
        for run_no in range(REPEAT):  # each run into its own empty county database
            county_path = workdir / f"county-{run_no}.sqlite3"
            county = empty_county(template, county_path, enrollments)
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
        other = empty_county(template, workdir / "county-verify.sqlite3", enrollments)
        try:
            start = time.perf_counter()
            merge.verify_files(other, files)  # the checking half alone, for the breakdown
            verify_time = time.perf_counter() - start
        finally:
            other.close()
        baseline = min(raw_insert(county_path, workdir / f"baseline-{n}.sqlite3")[0] for n in range(REPEAT))
        rows = raw_insert(county_path, workdir / "baseline-rows.sqlite3")[1]
        cached = min(
            raw_insert(county_path, workdir / f"baseline-cache-{n}.sqlite3", BULK_CACHE_KIB)[0] for n in range(REPEAT)
        )
        size_mb = sum(p.stat().st_size for p in files) / 1e6
        memory_county = empty_county(template, workdir / "county-memory.sqlite3", enrollments)
        memory_county.close()
        merge_peak, merged = peak_memory(_CHILD_MERGE, workdir / "county-memory.sqlite3", *files)
        idle_peak, _ = peak_memory("import hengdong_desktop.services.packages.merge")
        wuji_db, _info = setup.open_initialized(workdir / "unit-02.sqlite3")
        try:
            wuji_keys = keys.unlock(wuji_db)
        finally:
            wuji_db.close()
        swollen = swollen_package(files[1], workdir / "swollen.hdpkg", wuji_keys, county_keys)
        swollen_mb = swollen.stat().st_size / 1024 / 1024
        start = time.perf_counter()
        swollen_peak, verdict = peak_memory(_CHILD_VERIFY, workdir / "county-verify.sqlite3", swollen)
        swollen_time = time.perf_counter() - start
        if not verdict.startswith("refused"):
            raise RuntimeError(f"the swollen package was not refused: {verdict}")
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
        Result(
            "  peak memory of the merge (child process, /usr/bin/time -v)",
            merge_peak,
            unit=" MB",
            detail=f"{merged.strip()} packages merged; {size_mb:.1f} MB of packages; "
            f"the same interpreter with the merge code imported: {idle_peak:.0f} MB",
        ),
        Result(
            "swollen package (52 MB, declares a 395 MB audit) refused: extra memory / file size",
            (swollen_peak - idle_peak) / swollen_mb,
            goal=SWOLLEN_GOAL,
            detail=f"peak {swollen_peak:.0f} MB against {idle_peak:.0f} MB idle, {swollen_mb:.0f} MB file, "
            f"refused in {swollen_time:.1f} s: {verdict.split(' ', 1)[1].strip()[:60]}",
        ),
    ]
