"""Owner-only files and folders (private_files, windows_acl): private keys, databases, backups and
logs. POSIX checks the mode bits; Windows the access list through the Win32 API (`make
windows-check` runs these under Wine, where the list itself cannot be read back: tests/platforms.py)."""

from __future__ import annotations

import logging
import os
import re
import stat
import sys
from pathlib import Path

import pytest

from hengdong_desktop import diagnostics, windows_acl
from hengdong_desktop.private_files import is_owner_only, make_private, private_folder
from hengdong_desktop.services import backups
from hengdong_desktop.services.packages import keys
from tests.platforms import UNDER_WINE, assert_owner_only

USER = "S-1-5-21-1004336348-1177238915-682003330-1001"


def test_the_access_list_names_the_user_and_system_alone() -> None:
    assert windows_acl.owner_only_sddl(USER, folder=False) == f"D:P(A;;FA;;;{USER})(A;;FA;;;SY)"
    assert windows_acl.owner_only_sddl(USER, folder=True) == f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)"
    assert windows_acl.grants_only(windows_acl.owner_only_sddl(USER, folder=True), USER)
    assert windows_acl.grants_only(f"D:PAI(A;;FA;;;{USER})(A;ID;FA;;;SY)(D;;FA;;;WD)", USER)  # a denial grants nothing
    assert not windows_acl.grants_only(f"D:(A;;FA;;;{USER})(A;;FA;;;SY)(A;;0x1200a9;;;WD)", USER)  # Everyone reads
    assert not windows_acl.grants_only(f"D:AI(A;ID;FA;;;{USER})(A;ID;0x1301bf;;;AU)", USER)  # signed-in users
    assert not windows_acl.grants_only(f"D:P(A;;FA;;;{USER[:-4]}1002)", USER)  # another account


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX mode bits (Windows: the access-list test below)")
def test_posix_modes(tmp_path: Path) -> None:
    path, folder = tmp_path / "data.sqlite3", tmp_path / "backups"
    path.write_bytes(b"")
    folder.mkdir()
    os.chmod(path, 0o644)
    os.chmod(folder, 0o755)
    assert not is_owner_only(path) and not is_owner_only(folder)
    make_private(path)
    private_folder(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert is_owner_only(path) and is_owner_only(folder)


@pytest.mark.skipif(sys.platform != "win32", reason="Windows access lists")
def test_windows_access_list_through_the_win32_api(tmp_path: Path) -> None:
    sid = windows_acl.current_user_sid()
    assert re.fullmatch(r"S-1-5-21(-\d+){4}", sid), sid
    path, folder = tmp_path / "data.sqlite3", tmp_path / "backups"
    path.write_bytes(b"")
    windows_acl.protect(path)  # raises if Windows refuses
    private_folder(folder)
    for item in (path, folder):
        assert windows_acl.dacl(item).startswith("D:")  # read back through the same API
    if UNDER_WINE:
        pytest.skip("Wine keeps Unix mode bits, not the access list set (tests/platforms.py)")
    assert windows_acl.dacl(path).startswith("D:P") and is_owner_only(path)
    assert windows_acl.dacl(folder).startswith("D:P") and is_owner_only(folder)
    inside = folder / "later.sqlite3"
    inside.write_bytes(b"")
    assert is_owner_only(inside)  # inherited from the folder


def test_a_refusal_is_logged_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hengdong_desktop.private_files"):
        make_private(tmp_path / "missing.sqlite3")
    assert "could not make" in caplog.text


def test_keys_databases_backups_and_crash_reports_are_made_private(township_path: Path, tmp_path: Path) -> None:
    assert_owner_only(keys.key_path(township_path))
    assert_owner_only(township_path)
    made = backups.backup_file(township_path, "manual")
    assert_owner_only(made)
    assert_owner_only(made.parent)
    report = diagnostics.write_crash_report(tmp_path / "crash-reports", RuntimeError("测试"))
    assert_owner_only(report)
    assert_owner_only(report.parent)
