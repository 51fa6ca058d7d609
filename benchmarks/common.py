"""Shared pieces of the benchmarks: results, timing, the 18-unit county scenario."""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

RESULTS_DIR = Path(__file__).resolve().parent.parent / "bench-results"
T = TypeVar("T")

# The scenario of the package issue: 18 units × 500 enterprises × 12 months, 60 projects each.
SCENARIO_ENTERPRISES = 500
SCENARIO_MONTHS = 12
SCENARIO_PROJECTS = 60
SCENARIO_END = "2025-12"


@dataclass
class Result:
    name: str
    value: float  # a ratio, or a plain number with its unit
    unit: str = "×"
    goal: float | None = None
    detail: str = ""

    def line(self) -> str:
        goal = f" (goal ≤ {self.goal:g})" if self.goal is not None else ""
        status = "" if self.goal is None else ("  OK" if self.value <= self.goal else "  OVER GOAL")
        return f"{self.name}: {self.value:.3g}{self.unit}{goal}{status}  {self.detail}".rstrip()

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def timed(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Best wall time of `repeat` runs, and the last result."""
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def county_scenario(workdir: Path) -> Path:
    """A county database holding the 18-unit scenario, generated once and cached.

    Built with the demo generator at the scenario's scale (same shape of data that the 18
    township packages carry); the package benchmark builds it through real packages instead."""
    from hengdong_desktop.db.engine import head_revision
    from hengdong_desktop.services import demo, setup

    fingerprint = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:10]
    cache = RESULTS_DIR / "cache" / f"county-scenario-{head_revision()}-{fingerprint}.sqlite3"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".building")
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink()
        setup.init_database(tmp, setup.COUNTY, None, "基准", training=True)
        db, _ = setup.open_initialized(tmp)
        try:
            demo.generate(
                db,
                enterprises=SCENARIO_ENTERPRISES,
                months=SCENARIO_MONTHS,
                projects=SCENARIO_PROJECTS,
                seed=2025,
                end_period=SCENARIO_END,
            )
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        tmp.replace(cache)
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "county.sqlite3"
    shutil.copyfile(cache, target)
    return target


def township_database(workdir: Path, enterprises: int) -> Path:
    """A township (吴集镇) with `enterprises` enterprises and a year of monthly figures, generated once and cached."""
    from hengdong_desktop.db.engine import head_revision
    from hengdong_desktop.services import demo, setup

    fingerprint = hashlib.sha256(Path(demo.__file__).read_bytes()).hexdigest()[:10]
    cache = RESULTS_DIR / "cache" / f"township-{enterprises}-{head_revision()}-{fingerprint}.sqlite3"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(".building")
        for leftover in tmp.parent.glob(tmp.name + "*"):
            leftover.unlink()
        setup.init_database(tmp, setup.TOWNSHIP, "吴集镇", "基准", training=True)
        db, _ = setup.open_initialized(tmp)
        try:
            demo.generate(db, enterprises=enterprises, months=12, seed=7, end_period="2025-12")
            with db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            db.close()
        tmp.replace(cache)
    workdir.mkdir(parents=True, exist_ok=True)
    target = workdir / "township.sqlite3"
    shutil.copyfile(cache, target)
    return target
