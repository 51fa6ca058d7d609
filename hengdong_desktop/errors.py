"""The two kinds of error: a UserError carries a Chinese sentence the clerk can act on;
anything else is a bug, logged and shown by the crash dialog.

Failures of the machine rather than of the program (a full disk, a write-protected USB stick,
no permission, a device that went away) are never bugs: `as_user_error` turns them into one
sentence naming the file, wherever they surface."""

from __future__ import annotations

import errno
import shutil
from pathlib import Path


class UserError(Exception):
    """A refusal the user can understand and act on. `str(err)` is one Chinese sentence."""

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return self.message


_REASONS = {
    errno.ENOSPC: "磁盘空间不足，请清理磁盘或换一个位置",
    errno.EDQUOT: "磁盘配额已用完，请清理磁盘或换一个位置",
    errno.EACCES: "没有权限（文件被占用或设为只读，或无权访问该文件夹）",
    errno.EPERM: "没有权限（文件被占用或设为只读，或无权访问该文件夹）",
    errno.EROFS: "该位置是只读的（如写保护的U盘或光盘），请换一个位置",
    errno.ENOENT: "文件或文件夹不存在（U盘可能已拔出）",
    errno.EIO: "读写出错（磁盘或U盘可能已损坏或已拔出）",
    errno.EFBIG: "文件过大",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EISDIR: "这是一个文件夹",
}


def os_error_sentence(exc: OSError, path: Path | str | None = None, action: str = "写入") -> str:
    """One sentence for an operating-system failure on `path` (or the file the error names)."""
    name = path if path is not None else (exc.filename or "")
    where = f"“{name}”" if name else "文件"
    reason = _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__)
    return f"无法{action}{where}：{reason}。"


_SQLITE_DAMAGE = ("database disk image is malformed", "file is not a database")
_SQLITE_REASONS = (
    ("database or disk is full", "磁盘空间不足，请清理磁盘后重试"),
    ("readonly database", "文件是只读的（在写保护的U盘上，或没有写权限）"),
    ("disk i/o error", "读写出错（磁盘或U盘可能已损坏或已拔出）"),
    ("unable to open database file", "无法打开文件（文件夹不存在或没有权限）"),
)


def as_user_error(exc: BaseException, path: Path | str | None = None) -> UserError | None:
    """The sentence for a failure of the machine (an OSError with an errno, or SQLite saying the
    disk is full, read-only or failing, or the file damaged); None for anything that is a bug."""
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, OSError) and exc.errno in _REASONS:
        return UserError(os_error_sentence(exc, exc.filename or path))
    text = str(getattr(exc, "orig", None) or exc).lower()
    if type(exc).__name__ == "DatabaseError" and any(needle in text for needle in _SQLITE_DAMAGE):
        where = f"“{Path(path).name}”" if path else "文件"
        return UserError(f"数据库{where}已损坏，无法读取。请在“工具 → 备份与恢复”中恢复一个完好的备份。")
    for needle, reason in _SQLITE_REASONS:
        if needle in text and type(exc).__name__ in ("OperationalError", "DatabaseError"):
            if needle == "disk i/o error" and path is not None and _nearly_full(Path(path)):
                reason = _REASONS[errno.ENOSPC]  # SQLite says I/O error when it cannot grow its files
            where = f"“{Path(path).name}”" if path else ""
            return UserError(f"数据库{where}未能写入：{reason}。")
    return None


def _nearly_full(path: Path) -> bool:
    folder = path if path.is_dir() else path.parent
    try:
        return shutil.disk_usage(folder).free < 1024 * 1024
    except OSError:
        return False
