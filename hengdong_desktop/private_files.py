"""Files only their owner may read: databases, backups, private keys, logs and crash reports.
On POSIX systems a file gets mode 0600 and a folder 0700. On Windows, where those mode bits mean
nothing, a file or folder gets an access list naming the current user and SYSTEM alone
(windows_acl.py), which a folder passes on to what is later made in it (each backup). A database's
-wal and -shm take the database's mode on POSIX, their folder's list on Windows (the default data
folder lies in the user's profile, private already). The private key is moreover sealed with
DPAPI on Windows (services/packages/keys.py).

A file system that keeps no permissions (FAT32 on a USB stick, some network shares) is logged and
the work goes on: refusing would leave the clerk no way to work from such a drive."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

from hengdong_desktop import APP_ID, ORG_NAME, windows_acl

log = logging.getLogger(__name__)


def make_private(path: Path) -> None:
    """Owner-only permissions for an existing file or folder."""
    try:
        if sys.platform == "win32":
            windows_acl.protect(path)
        elif os.name == "posix":
            os.chmod(path, stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR)
    except OSError as exc:
        log.warning("could not make %s private to its user: %s", path, exc)


def private_folder(path: Path) -> Path:
    """Creates `path` (and parents) if needed, owner-only."""
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def is_owner_only(path: Path) -> bool:
    """True when nobody but this user (and, on Windows, SYSTEM) is granted access to `path`."""
    if sys.platform == "win32":
        return windows_acl.grants_only(windows_acl.dacl(path), windows_acl.current_user_sid())
    st = path.stat()
    return st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077 == 0


def user_data_dir() -> Path:
    """The user's data directory without Qt (the CLI's crash reports): what Qt's
    AppDataLocation gives the GUI — %APPDATA%\\HengdongCounty\\HengdongDesktop on Windows,
    $XDG_DATA_HOME (or ~/.local/share)/HengdongCounty/HengdongDesktop elsewhere."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORG_NAME / APP_ID
