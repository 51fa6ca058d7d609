"""Backups and recovery without Qt: rotation, listing with counts, the daily backup, integrity
check of a damaged page, restoring (keeping the current file), read-only and network-share modes."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

import pytest

from hengdong_desktop.db import backup as files
from hengdong_desktop.db import engine as eng
from hengdong_desktop.db import location
from hengdong_desktop.db import models as m
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, demo, setup
from hengdong_desktop.services.overview import overview
from tests.damage import corrupt_table


@pytest.fixture
def filled(training_township_path: Path) -> Path:
    db, _info = setup.open_initialized(training_township_path)
    demo.generate(db, enterprises=5, months=2, seed=3)
    db.close()
    return training_township_path


def test_backup_is_listed_with_time_reason_and_counts(filled: Path) -> None:
    when = datetime(2025, 3, 4, 9, 30)
    made = backups.backup_file(filled, "merge", now=when)
    assert made.parent == filled.parent / "backups"
    [info] = backups.list_backups(filled)
    assert (info.path, info.created, info.reason, info.reason_label) == (made, when, "merge", "合并前自动备份")
    db, _info = setup.open_initialized(filled)
    with db.read() as s:
        problems = s.query(m.Problem).count()
    projects = overview(db).projects
    db.close()
    assert projects > 0 and problems > 0
    assert info.counts == {"enterprises": 5, "projects": projects, "monthly": 10, "problems": problems}
    assert info.schema == eng.head_revision()
    assert info.describe().startswith("2025-03-04 09:30（合并前自动备份），企业5条")
    with pytest.raises(ValueError, match="unknown backup reason"):
        backups.backup_file(filled, "whenever")


def test_counts_follow_the_data_and_skip_tombstones(filled: Path) -> None:
    from hengdong_desktop.db.types import utcnow

    db, info = setup.open_initialized(filled)
    with db.write(info.actor("form")) as s:
        e = s.query(m.Enterprise).first()
        e.deleted_at, e.deleted_reason = utcnow(), "迁出"
    backups.backup_before(db, "import")
    db.close()
    assert backups.list_backups(filled)[0].counts["enterprises"] == 4


def test_rotation_keeps_the_newest_of_each_reason(filled: Path) -> None:
    start = datetime(2025, 1, 1, 8)
    for day in range(10):
        backups.backup_file(filled, "daily", now=start + timedelta(days=day))
    for n in range(7):
        backups.backup_file(filled, "merge", now=start + timedelta(hours=n))
    listed = backups.list_backups(filled)
    daily = [b.created for b in listed if b.reason == "daily"]
    merges = [b.created for b in listed if b.reason == "merge"]
    assert daily == [start + timedelta(days=d) for d in range(9, 2, -1)]  # 7 kept
    assert merges == [start + timedelta(hours=h) for h in range(6, 1, -1)]  # 5 kept


def test_daily_backup_once_a_day(filled: Path) -> None:
    morning = datetime(2025, 5, 6, 8, 0)
    assert backups.backup_if_due(filled, now=morning) is not None
    assert backups.backup_if_due(filled, now=morning + timedelta(hours=9)) is None
    assert backups.backup_if_due(filled, now=morning + timedelta(days=1)) is not None
    backups.backup_file(filled, "manual", now=morning + timedelta(days=2))  # other reasons do not count
    assert backups.backup_if_due(filled, now=morning + timedelta(days=2, hours=1)) is not None


def test_quick_check_finds_a_damaged_page_and_latest_good_skips_damaged_backups(filled: Path) -> None:
    good = backups.backup_file(filled, "daily", now=datetime(2025, 1, 1))
    assert backups.check(filled) == []
    corrupt_table(filled, "enterprises")
    problems = backups.check(filled)
    assert problems and problems != ["ok"]
    damaged_copy = files.backup_name(filled, "manual", datetime(2025, 1, 2))
    damaged_copy.write_bytes(filled.read_bytes())  # a newer backup that is itself damaged
    assert backups.latest_good(filled).path == good


def test_restore_keeps_the_damaged_file_and_its_journal(filled: Path) -> None:
    good = backups.backup_file(filled, "daily", now=datetime(2025, 1, 1))
    corrupt_table(filled, "enterprises")
    damaged = filled.read_bytes()
    journal = files.side_file(filled, "-journal")
    journal.write_bytes(b"leftover journal bytes")
    result = backups.restore(filled, good, now=datetime(2025, 1, 2))
    assert backups.check(filled) == []
    assert result.previous is not None and result.previous.read_bytes() == damaged
    assert files.side_file(result.previous, "-journal").read_bytes() == b"leftover journal bytes"
    assert not journal.exists()
    db, _info = setup.open_initialized(filled)
    try:
        assert overview(db).enterprises == 5
    finally:
        db.close()


@pytest.mark.sqlite_only  # restores files (server dumps: tests/unit/test_server.py)
def test_restore_refuses_damaged_and_foreign_backups_and_changes_nothing(filled: Path, county_path: Path) -> None:
    good = backups.backup_file(filled, "daily", now=datetime(2025, 1, 1))
    damaged = files.backup_name(filled, "manual", datetime(2025, 1, 2))
    damaged.write_bytes(good.read_bytes())
    corrupt_table(damaged, "enterprises")
    before = filled.read_bytes()
    with pytest.raises(UserError, match="已损坏"):
        backups.restore(filled, damaged)
    with pytest.raises(UserError, match="属于另一个数据库"):
        backups.restore(filled, county_path)
    not_ours = filled.parent / "other.sqlite3"
    sqlite3.connect(str(not_ours)).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UserError, match="不是本系统的数据库备份"):
        backups.restore(filled, not_ours)
    assert filled.read_bytes() == before
    assert [b.reason for b in backups.list_backups(filled)] == ["manual", "daily"]


def test_read_only_database_refuses_writes(filled: Path) -> None:
    db, info = setup.open_initialized(filled, read_only=True)
    try:
        assert db.read_only
        with pytest.raises(UserError, match="禁止修改"), db.write(info.actor("form")):
            pass
        with db.engine.connect() as conn, pytest.raises(Exception, match="readonly"):
            conn.exec_driver_sql("DELETE FROM problems")
    finally:
        db.close()


def test_network_share_uses_rollback_journal(filled: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(eng, "is_network_path", lambda _p: True)
    db = eng.open_database(filled)
    try:
        assert db.on_network
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    finally:
        db.close()


MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//nas/共享 /mnt/county\\040share cifs rw,vers=3.0 0 0
nas:/export /srv/data nfs4 rw 0 0
tmpfs /srv/data/tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "fs"),
    [
        ("/home/clerk/hengdong.sqlite3", "ext4"),
        ("/mnt/county share/hengdong.sqlite3", "cifs"),
        ("/mnt/county shared/x.sqlite3", "ext4"),
        ("/srv/data/a/b.sqlite3", "nfs4"),
        ("/srv/data/tmp/b.sqlite3", "tmpfs"),
    ],
)
def test_mount_table_lookup(path: str, fs: str) -> None:
    assert location.mount_fs_type(PurePosixPath(path), MOUNTS) == fs  # /proc/mounts paths, on any system


def test_unc_paths() -> None:
    assert location.is_unc_path(r"\\county-pc\共享\hengdong.sqlite3")
    assert location.is_unc_path(r"\\?\UNC\server\share\x.sqlite3")
    assert not location.is_unc_path(r"\\?\C:\data\x.sqlite3")
    assert not location.is_unc_path(r"C:\Users\clerk\x.sqlite3")
    assert not location.is_network_path(Path.cwd() / "x.sqlite3")  # the test machine's disk is local
