"""Verification shared with a worker process: the same outcome, file by file, as verifying in
the merging process; the same merge; and a worker that cannot start changes nothing."""

from __future__ import annotations

import multiprocessing
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hengdong_desktop.db.engine import Database
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import keys, merge, verifying
from hengdong_desktop.services.packages.incoming import IncomingReport
from tests import county_db
from tests.package_support import copy_db, export, make_county, make_township, merged_content


@pytest.fixture(scope="module", params=county_db.backends())
def batch(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, list[Path]]]:
    """A county (a file, or a server database) with two enrolled townships, and a batch of good,
    broken and repeated files."""
    with county_db.using(request.param, request):
        yield _batch(tmp_path_factory)


def _batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    d = tmp_path_factory.mktemp("batch")
    wuji = make_township(d, "吴集镇", seed=3)
    mishui = make_township(d, "洣水镇", seed=4)
    county = make_county(d, wuji, mishui)
    w1, w2, m1 = export(wuji, d / "w1.hdpkg"), export(wuji, d / "w2.hdpkg"), export(mishui, d / "m1.hdpkg")
    junk = d / "junk.hdpkg"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    tampered = d / "w2-tampered.hdpkg"
    payload = bytearray(w2.read_bytes())
    with zipfile.ZipFile(w2) as zf:  # a byte in the middle of a data file's sealed bytes
        member = zf.getinfo("data/enterprise.json")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    payload[start + member.compress_size // 2] ^= 0xFF
    tampered.write_bytes(bytes(payload))
    again = d / "w1-again.hdpkg"
    again.write_bytes(w1.read_bytes())
    return county, [w1, junk, tampered, m1, w2, again]


def _outcomes(db: Database, files: list[Path], decrypt: object = None, **kw: bool) -> tuple[list[object], int]:
    decrypt = decrypt or keys.unlock(db).openers
    with verifying.BatchVerifier(db, files, decrypt, **kw) as verifier:  # type: ignore[arg-type]
        outcomes = [_comparable(verifier[n]) for n in range(len(files))]
        return outcomes, verifier.by_worker


def _comparable(outcome: IncomingReport | UserError) -> object:
    if isinstance(outcome, UserError):
        return str(outcome)
    return (
        outcome.package.sha256,
        outcome.package.manifest,
        outcome.unit_id,
        outcome.typed,
        outcome.encoded,
        outcome.unit_audit,
        outcome.operator,
    )


def test_the_worker_verifies_each_file_as_the_merging_process_does(batch: tuple[Path, list[Path]]) -> None:
    county, files = batch
    db, _ = setup.open_initialized(county)
    try:
        here, none = _outcomes(db, files, use_worker=False)
        shared, by_worker = _outcomes(db, files, use_worker=True, steal=False)
    finally:
        db.close()
    assert none == 0 and by_worker == len(files) - 1  # all but the first, verified while it starts
    assert shared == here
    assert [isinstance(o, str) for o in here] == [False, True, True, False, False, False]
    assert "junk.hdpkg" in str(here[1]) and "w2-tampered.hdpkg" in str(here[2])


def test_a_batch_merges_the_same_with_the_worker(
    batch: tuple[Path, list[Path]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county, files = batch
    results = {}
    for name, threshold in (("alone", 10**12), ("shared", 0)):
        monkeypatch.setattr(verifying, "WORKER_FROM_BYTES", threshold)
        target = copy_db(county, tmp_path / f"{name}.sqlite3")
        db, _ = setup.open_initialized(target)
        try:
            results[name] = [
                (r.file, r.status, re.sub(r"\d\d:\d\d", "", r.reason))  # a duplicate's reason says when
                for r in merge.merge_files(db, files)
            ]
        finally:
            db.close()
        results[name + "-content"] = merged_content(target)
    assert results["shared"] == results["alone"]
    assert [s for _f, s, _r in results["alone"]] == [
        merge.MERGED,
        merge.REFUSED,
        merge.REFUSED,
        merge.MERGED,
        merge.MERGED,
        merge.DUPLICATE,
    ]
    assert results["shared-content"] == results["alone-content"]


def test_a_worker_that_cannot_start_leaves_the_work_here(batch: tuple[Path, list[Path]], tmp_path: Path) -> None:
    county, files = batch
    db, _ = setup.open_initialized(county)
    try:
        here, _ = _outcomes(db, files, use_worker=False)
        # The worker is told a database file that does not exist, so it cannot start.
        unreachable = Database(tmp_path / "gone.sqlite3", db.engine)
        fallback, by_worker = _outcomes(unreachable, files, keys.unlock(db).openers, use_worker=True, steal=False)
    finally:
        db.close()
    assert by_worker == 0
    assert fallback == here


@pytest.mark.sqlite_only  # a file that must be movable
def test_the_worker_has_ended_when_the_batch_is_done(batch: tuple[Path, list[Path]], tmp_path: Path) -> None:
    """The worker holds the database open; on Windows the file could not be moved or deleted while it
    lives (a restore right after a merge, the self-test's temporary folder)."""
    county, files = batch
    target = copy_db(county, tmp_path / "county.sqlite3")
    db, _ = setup.open_initialized(target)
    try:
        with verifying.BatchVerifier(db, files, keys.unlock(db).openers, use_worker=True, steal=False) as verifier:
            verifier[0], verifier[1]  # the worker still has files in hand when the batch ends
            assert multiprocessing.active_children()
        assert multiprocessing.active_children() == []
    finally:
        db.close()
    moved = target.rename(tmp_path / "moved.sqlite3")
    for side in tmp_path.glob("county.sqlite3-*"):
        side.unlink()
    assert moved.is_file()
