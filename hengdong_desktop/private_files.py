"""Files only their owner may read: databases, backups, private keys, logs and crash reports.
On POSIX systems a file gets mode 0600 and a folder 0700; on Windows the user's profile folders
are already private to the user, and the private key is sealed with DPAPI
(services/packages/keys.py)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from hengdong_desktop import APP_ID, ORG_NAME


def make_private(path: Path) -> None:
    """Owner-only permissions for an existing file or folder (where the OS has them)."""
    if os.name != "posix":
        return
    try:
        mode = stat.S_IRWXU if path.is_dir() else stat.S_IRUSR | stat.S_IWUSR
        os.chmod(path, mode)
    except OSError:  # a file system without permissions (a FAT USB stick): nothing to set
        pass


def private_folder(path: Path) -> Path:
    """Creates `path` (and parents) if needed, owner-only."""
    path.mkdir(parents=True, exist_ok=True)
    make_private(path)
    return path


def user_data_dir() -> Path:
    """The user's data directory without Qt (the CLI's crash reports): what Qt's
    AppDataLocation gives the GUI — %APPDATA%\\HengdongCounty\\HengdongDesktop on Windows,
    $XDG_DATA_HOME (or ~/.local/share)/HengdongCounty/HengdongDesktop elsewhere."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / ORG_NAME / APP_ID
