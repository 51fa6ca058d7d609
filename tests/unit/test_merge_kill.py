"""kill -9 at any moment of a merge: the database passes integrity_check and holds the package
either completely or not at all. A real `hengdong merge` subprocess is killed at many points of
its write phase (which starts with the backup it makes) and just after it: SIGKILL on POSIX,
TerminateProcess on Windows (`Popen.kill`), neither of which the process can intercept."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import merge
from tests.package_support import copy_db, export, make_county, make_township

POINTS = 7


def _state(county: Path) -> tuple[str, int, int]:
    conn = sqlite3.connect(county)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        ledger = conn.execute("SELECT count(*) FROM package_ledger").fetchone()[0]
        monthly = conn.execute("SELECT count(*) FROM enterprise_monthly").fetchone()[0]
        return check, ledger, monthly
    finally:
        conn.close()


def _start(county: Path, package: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "hengdong_desktop", "merge", "--db", str(county), str(package)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for_write_phase(proc: subprocess.Popen[bytes], county: Path) -> float:
    """Waits until the merge has made its backup (the write transaction comes next)."""
    backups = county.parent / "backups"
    while proc.poll() is None:
        if any(p.suffix == ".sqlite3" for p in backups.glob(f"{county.stem}-*-merge.sqlite3")):
            return time.perf_counter()
        time.sleep(0.002)
    raise AssertionError("the merge ended before its backup appeared")


@pytest.mark.slow
def test_kill_minus_nine_leaves_all_or_nothing(tmp_path: Path) -> None:
    township = make_township(tmp_path, enterprises=40, months=12, projects=6, seed=11)
    template = make_county(tmp_path, township)
    package = export(township, tmp_path / "big.hdpkg")
    expected = 40 * 12
    (tmp_path / "full").mkdir()
    full = copy_db(template, tmp_path / "full" / "county.sqlite3")
    proc = _start(full, package)
    began = _wait_for_write_phase(proc, full)
    proc.wait(timeout=300)
    window = time.perf_counter() - began
    assert proc.returncode == 0 and _state(full) == ("ok", 1, expected)
    outcomes = []
    for n in range(POINTS):
        (tmp_path / f"k{n}").mkdir()
        county = copy_db(template, tmp_path / f"k{n}" / "county.sqlite3")
        proc = _start(county, package)
        _wait_for_write_phase(proc, county)
        time.sleep(window * 1.2 * n / (POINTS - 1))
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
        check, ledger, monthly = _state(county)
        assert check == "ok", f"point {n}: {check}"
        assert (ledger, monthly) in ((0, 0), (1, expected)), f"point {n}: ledger {ledger}, rows {monthly}"
        outcomes.append(ledger)
        db, _ = setup.open_initialized(county)  # and merging again completes it exactly once
        try:
            (result,) = merge.merge_files(db, [package])
            assert result.status == (merge.MERGED if ledger == 0 else merge.DUPLICATE)
        finally:
            db.close()
        assert _state(county) == ("ok", 1, expected)
    assert 0 in outcomes, "no kill landed inside the write phase"
