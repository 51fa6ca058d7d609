"""Owner-only files and folders (platform_security): private keys, databases and backups. POSIX
checks the mode bits; Windows the access list, through the Win32 API (run by `make windows-check`)."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest

from hengdong_desktop import platform_security as ps
from hengdong_desktop.services import backups, keys
from tests.platforms import UNDER_WINE, assert_owner_only

USER = "S-1-5-21-1004336348-1177238915-682003330-1001"


def test_a_private_file_is_written_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "unit.key.pem"
    ps.write_private_file(path, b"-----BEGIN PRIVATE KEY-----\n")
    assert path.read_bytes() == b"-----BEGIN PRIVATE KEY-----\n"
    assert_owner_only(path)
    with pytest.raises(FileExistsError):
        ps.write_private_file(path, b"other")
    assert path.read_bytes() == b"-----BEGIN PRIVATE KEY-----\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX mode bits; Windows: the access-list tests below")
def test_posix_modes(tmp_path: Path) -> None:
    path, folder = tmp_path / "data.sqlite3", tmp_path / "backups"
    path.write_bytes(b"")
    folder.mkdir()
    os.chmod(path, 0o644)
    os.chmod(folder, 0o755)
    assert not ps.is_owner_only(path) and not ps.is_owner_only(folder)
    assert ps.protect(path) and ps.protect(folder)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert ps.is_owner_only(path) and ps.is_owner_only(folder)


def test_the_access_list_names_the_user_and_system_alone() -> None:
    assert ps.owner_only_sddl(USER, folder=False) == f"D:P(A;;FA;;;{USER})(A;;FA;;;SY)"
    assert ps.owner_only_sddl(USER, folder=True) == f"D:P(A;OICI;FA;;;{USER})(A;OICI;FA;;;SY)"
    assert ps.grants_only(ps.owner_only_sddl(USER, folder=True), USER)
    assert ps.grants_only(f"D:PAI(A;;FA;;;{USER})(A;ID;FA;;;SY)(D;;FA;;;WD)", USER)  # a denial grants nothing
    assert not ps.grants_only(f"D:(A;;FA;;;{USER})(A;;FA;;;SY)(A;;0x1200a9;;;WD)", USER)  # Everyone may read
    assert not ps.grants_only(f"D:AI(A;ID;FA;;;{USER})(A;ID;0x1301bf;;;AU)", USER)  # inherited: signed-in users
    assert not ps.grants_only(f"D:P(A;;FA;;;{USER[:-4]}1002)", USER)  # another account


def test_a_refusal_is_logged_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assert ps.protect(tmp_path / "missing.sqlite3") is False
    assert "could not make" in caplog.text


@pytest.mark.skipif(sys.platform != "win32", reason="Windows access lists")
def test_windows_access_list_through_the_win32_api(tmp_path: Path) -> None:
    sid = ps.current_user_sid()
    assert re.fullmatch(r"S-1-5-21(-\d+){4}", sid), sid
    path, folder = tmp_path / "data.sqlite3", tmp_path / "backups"
    path.write_bytes(b"")
    folder.mkdir()
    assert ps.protect(path) and ps.protect(folder)
    for item in (path, folder):
        assert ps.windows_dacl(item).startswith("D:")  # read back through the same API
    if UNDER_WINE:
        pytest.skip("Wine keeps Unix mode bits, not the access list set (see tests/platforms.py)")
    assert ps.windows_dacl(path).startswith("D:P") and ps.is_owner_only(path)
    assert ps.windows_dacl(folder).startswith("D:P") and ps.is_owner_only(folder)
    inside = folder / "later.sqlite3"
    inside.write_bytes(b"")
    assert ps.is_owner_only(inside)  # inherited from the folder


def test_keys_databases_and_backups_are_made_private(township_path: Path) -> None:
    assert_owner_only(keys.key_path(township_path))
    assert_owner_only(township_path)
    made = backups.backup_file(township_path, "manual")
    assert_owner_only(made)
    assert_owner_only(made.parent)
    if sys.platform != "win32":
        assert stat.S_IMODE(keys.key_path(township_path).stat().st_mode) == 0o600
        assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
