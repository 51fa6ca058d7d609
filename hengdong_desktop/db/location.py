"""Where a database lives. A SQLite file: whether it sits on a network share (a mapped drive or
UNC path on Windows, an NFS/SMB/... mount elsewhere); SQLite's WAL mode needs shared memory that
network file systems do not provide, so such a database is opened in rollback-journal mode.
A PostgreSQL database on a server: its URL, shown without the password, and the local name this
computer keeps its signing key under."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from hengdong_desktop.private_files import user_data_dir

if TYPE_CHECKING:  # a file's checks are made before SQLAlchemy is loaded (db/first_look.py)
    from sqlalchemy.engine import URL

NETWORK_FILE_SYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "fuse.sshfs",
        "sshfs",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "lustre",
        "gpfs",
        "beegfs",
        "ocfs2",
        "gfs2",
        "fuse.s3fs",
    }
)
_DRIVE_REMOTE = 4  # GetDriveTypeW


def is_unc_path(text: str) -> bool:
    r"""`\\server\share\...` or `\\?\UNC\server\...`, but not `\\?\C:\...`."""
    normalized = text.replace("/", "\\")
    if normalized.upper().startswith("\\\\?\\UNC\\"):
        return True
    return normalized.startswith("\\\\") and not normalized.startswith(("\\\\?\\", "\\\\.\\"))


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_fs_type(path: PurePosixPath, mounts_text: str) -> str | None:
    """The file-system type of the mount (from /proc/mounts text) that holds `path`."""
    best: tuple[int, str] | None = None
    target = str(path)
    for line in mounts_text.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point, fs_type = _unescape_mount_field(parts[1]), parts[2]
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > best[0]):
            best = (len(mount_point), fs_type)
    return best[1] if best else None


def _windows_drive_is_remote(path: Path) -> bool:
    import ctypes

    drive = path.drive
    if not drive or is_unc_path(drive):
        return False
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    return bool(kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE)


def is_network_path(path: str | Path) -> bool:
    """True when the file (or the folder it will be created in) is on a network share."""
    path = Path(path).expanduser()
    if sys.platform == "win32":
        return is_unc_path(str(path)) or _windows_drive_is_remote(path.resolve())
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux: no cheap, reliable answer, so assume local
        return False
    return mount_fs_type(PurePosixPath(os.path.realpath(path)), mounts) in NETWORK_FILE_SYSTEMS


# ---------------------------------------------------------------------------------------------
# A database is a local SQLite file or a PostgreSQL database on a server, named by its URL
# ---------------------------------------------------------------------------------------------
SERVER_SCHEMES = ("postgresql+psycopg://", "postgresql://", "postgres://")


def is_server_url(target: object) -> bool:
    """True for a PostgreSQL URL (`postgresql+psycopg://user@host:port/dbname`)."""
    return isinstance(target, str) and target.startswith(SERVER_SCHEMES)


def server_url(text: str) -> URL:
    """The URL with the psycopg driver (users may write plain `postgresql://`)."""
    from sqlalchemy.engine import make_url

    url = make_url(text)
    if url.get_backend_name() != "postgresql":
        raise ValueError(text)
    if not url.database:
        from hengdong_desktop.errors import UserError

        raise UserError(f"数据库地址“{shown_url(url)}”没有写数据库名（应为 postgresql://账号@服务器:端口/数据库名）。")
    return url.set(drivername="postgresql+psycopg")


def shown_url(url: URL | str) -> str:
    """The URL as people may see it: never with the password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True).replace("+psycopg", "")


def without_password(text: str) -> str:
    """A server URL as it may be stored (settings): the password taken out."""
    from sqlalchemy.engine import make_url

    url = make_url(text)
    return url._replace(password=None).render_as_string(hide_password=False)  # set() ignores None


def server_local_path(url: URL) -> Path:
    """Where this computer keeps what belongs to a server database but not in it (the county's
    signing key, `<name>.key.pem`): a file name in the data directory's `servers` folder that
    stands for the database, as a SQLite file's path does. No file of that name is written."""
    host = re.sub(r"[^A-Za-z0-9.-]", "_", str(url.host or "localhost"))
    name = re.sub(r'[\\/:*?"<>|]', "_", str(url.database))
    return user_data_dir() / "servers" / f"{name}@{host}_{url.port or 5432}.server"
