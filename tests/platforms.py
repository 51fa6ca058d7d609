"""What the tests need to know about the system they run on."""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path

from hengdong_desktop.private_files import is_owner_only


def _under_wine() -> bool:
    if sys.platform != "win32":
        return False
    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined]


# Wine runs the Windows code paths but keeps a file's permissions as its Unix mode bits: an access
# list set through the Win32 API is mapped onto them and read back rebuilt from them, so what
# Windows would store cannot be observed there.
UNDER_WINE = _under_wine()


def assert_owner_only(path: Path) -> None:
    """`path` is private to this user, wherever access lists can be read back as set."""
    if not UNDER_WINE:
        assert is_owner_only(path), path
