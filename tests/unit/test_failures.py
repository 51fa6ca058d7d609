"""When the machine fails rather than the program — a full disk, a write-protected USB stick, an
export interrupted at the worst moment — the user reads one sentence naming the file, no
traceback, and nothing is left half-done. The disks are real: small tmpfs file systems, mounted
for the test (as root, as CI runs; elsewhere these tests are skipped, saying why)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, setup
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import export as report_export
from hengdong_desktop.services.packages import ledger, merge
from tests.package_support import END, digest, export, make_county, make_township

needs_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="the small disks are tmpfs mounts: Linux, as root (Windows has no tmpfs)",
)


class SmallDisk:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fill(self, leave: int) -> None:
        """Fills the disk so that only about `leave` bytes stay free."""
        free = os.statvfs(self.path).f_bavail * os.statvfs(self.path).f_frsize
        with open(self.path / "filler", "ab") as fh:
            fh.write(b"\0" * max(0, free - leave))

    def read_only(self) -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(self.path)], check=True)

    def files(self) -> list[str]:
        return sorted(p.name for p in self.path.rglob("*") if p.name != "filler")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[SmallDisk]:
    path = tmp_path / "disk"
    path.mkdir()
    try:
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(path)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"cannot mount a tmpfs here: {exc}")
    try:
        yield SmallDisk(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _cli(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hengdong_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ | {"QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.fixture(scope="module")
def township(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("failures")
    path = make_township(d, enterprises=60, months=3)
    make_county(d, path)
    return path


@needs_root
@pytest.mark.parametrize("disk_state", ["full", "read-only"])
def test_documents_on_a_full_or_read_only_disk_are_one_sentence(
    township: Path, small_disk: SmallDisk, disk_state: str
) -> None:
    if disk_state == "full":
        small_disk.fill(leave=0)
        reason = "磁盘空间不足"
    else:
        small_disk.read_only()
        reason = "只读"
    target = small_disk.path
    for args in (
        ("excel", "export", "--db", township, "--out", target / "汇总.xlsx"),
        ("pdf", "forms", "--db", township, "--out", target / "培育表.pdf"),
        ("keys", "export", "--db", township, "--out", target / "登记.json"),
        ("export", "--db", township, "--out", target / "上报.hdpkg", "--period", END),
    ):
        proc = _cli(*args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1, (args, proc.stderr)
        assert len(lines) == 1 and reason in lines[0] and str(target) in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr and "Errno" not in proc.stderr
    assert small_disk.files() == []  # no temporary file left behind


@needs_root
def test_an_export_on_a_full_disk_leaves_no_package_and_no_ledger_entry(
    township: Path, small_disk: SmallDisk, tmp_path: Path
) -> None:
    small_disk.fill(leave=2048)
    db, _ = setup.open_initialized(township)
    try:
        before = ledger.count_packages(db, "out", pf.REPORT)
        with pytest.raises(UserError, match="磁盘空间不足"):
            report_export.export_report(db, small_disk.path / "a.hdpkg", period=END)
        assert ledger.count_packages(db, "out", pf.REPORT) == before
        with db.read() as s:
            assert ledger.next_link(s, 2, report_export.readiness(db).key.key_id).sequence == before + 1
    finally:
        db.close()
    assert small_disk.files() == []


@pytest.mark.parametrize("file_survived", [True, False])
def test_an_export_interrupted_after_it_was_recorded_is_finished_or_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, file_survived: bool
) -> None:
    """The process dies between recording the package and giving its file the final name (the
    power goes, say): the next export finishes the first one if its file is there, and forgets
    it (its number is used again) if not. Never a package without a ledger entry, never an
    entry without its package."""
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)

    def power_cut(self: pf.PendingFile) -> None:
        raise KeyboardInterrupt  # what kill -9 leaves behind: the commit done, the rename not

    monkeypatch.setattr(pf.PendingFile, "publish", power_cut)
    first = tmp_path / "1.hdpkg"
    db, _ = setup.open_initialized(township)
    try:
        with pytest.raises(KeyboardInterrupt):
            report_export.export_report(db, first, period=END)
    finally:
        db.close()
    monkeypatch.undo()
    assert not first.exists() and pf.part_path(first).exists()
    if not file_survived:
        pf.part_path(first).unlink()
    second = export(township, tmp_path / "2.hdpkg")
    db, _ = setup.open_initialized(township)
    try:
        history = sorted((r.sequence, r.file) for r in ledger.package_history(db) if r.direction == "out")
    finally:
        db.close()
    if file_survived:
        assert first.exists() and not pf.part_path(first).exists()
        assert history == [(1, "1.hdpkg"), (2, "2.hdpkg")]
        results = merge.merge_files(setup.open_initialized(county)[0], [first, second])
        assert [r.status for r in results] == [merge.MERGED, merge.MERGED]
    else:
        assert history == [(1, "2.hdpkg")]
        (result,) = merge.merge_files(setup.open_initialized(county)[0], [second])
        assert result.status == merge.MERGED and result.sequence == 1


@needs_root
def test_a_merge_on_a_full_disk_reports_each_file_and_changes_nothing(
    township: Path, small_disk: SmallDisk, tmp_path: Path
) -> None:
    import shutil

    from hengdong_desktop.services.packages import keys

    county_src = next(township.parent.glob("county.sqlite3"))
    county = small_disk.path / "county.sqlite3"
    shutil.copyfile(county_src, county)
    shutil.copyfile(keys.key_path(county_src), keys.key_path(county))
    package = export(township, tmp_path / "p.hdpkg")
    junk = tmp_path / "junk.hdpkg"
    junk.write_bytes(b"junk")
    before = digest(county)
    small_disk.fill(leave=200 * 1024)  # room to open the database, not to back it up before merging
    proc = _cli("merge", "--db", county, package, junk)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 1 and len(lines) == 2, proc.stderr
    (mine,) = [line for line in lines if line.startswith("“p.hdpkg”被拒绝：")]
    assert "备份未完成" in mine and "磁盘空间不足" in mine
    assert any(line.startswith("“junk.hdpkg”被拒绝：") for line in lines)
    assert "Traceback" not in proc.stderr
    assert digest(county) == before
    assert not any(p.name.endswith(".part") for p in small_disk.path.rglob("*"))


@needs_root
def test_a_backup_that_cannot_be_written_leaves_nothing(township: Path, small_disk: SmallDisk) -> None:
    import shutil

    db_copy = small_disk.path / "t.sqlite3"
    shutil.copyfile(township, db_copy)
    small_disk.fill(leave=8 * 1024)
    with pytest.raises(UserError, match="备份未完成.*磁盘空间不足"):
        backups.backup_file(db_copy, "manual")
    assert [p.name for p in (small_disk.path / "backups").glob("*")] == []
