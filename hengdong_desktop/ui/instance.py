"""What the GUI does before any database is opened: the rotating log in the data directory,
with Qt's own messages routed into it, and one instance per database (a QLockFile beside it), a
second one refused with a clear message. Nothing here loads the database layer."""

from __future__ import annotations

import logging
import os
import platform
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, QSysInfo, QtMsgType, qInstallMessageHandler, qVersion

import hengdong_desktop
from hengdong_desktop import diagnostics
from hengdong_desktop.errors import UserError
from hengdong_desktop.ui.errors import data_dir

log = logging.getLogger(__name__)


# logging ---------------------------------------------------------------------------------------
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def start_logging(log_dir: Path | None = None) -> Path:
    """Logs into `<data dir>/logs/hengdong.log` (rotated) and records what is starting."""
    path = diagnostics.setup_logging(log_dir or data_dir() / "logs")
    qt_log = logging.getLogger("qt")
    qInstallMessageHandler(lambda kind, _context, message: qt_log.log(_QT_LEVELS.get(kind, logging.INFO), message))
    log.info("starting")
    return path


def log_versions() -> None:
    """The app's, Qt's and the system's versions, into the log once the window is up (finding
    them costs a few hundredths of a second)."""
    log.info("version %s, Qt %s, %s", hengdong_desktop.__version__, qVersion(), platform.platform())


# one instance per database -----------------------------------------------------------------------
def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def lock_host_name() -> str:
    """This computer's name as QLockFile writes it into a lock: on Windows the NetBIOS name
    (COMPUTERNAME: upper case, at most 15 characters), which differs from `platform.node()`."""
    if sys.platform == "win32":
        return os.environ.get("COMPUTERNAME", "")
    return QSysInfo.machineHostName()


class DatabaseLock:
    """Held for as long as the app has the database open. A lock left by a process that died is
    taken over; a live one is never considered stale, however long the app has been running."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._lock = QLockFile(str(self.path))
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self._lock.tryLock(0):
            return
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            raise UserError(f"无法在“{self.path.parent}”中创建锁文件（没有写入权限），不能安全地打开数据库。")
        info = self._lock.getLockInfo()
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        log.warning("database %s is locked by pid %s on %s", self.db_path, pid, host)
        if host and host.casefold() != lock_host_name().casefold():
            raise UserError(
                f"数据库“{self.db_path.name}”正被计算机“{host}”上的本系统使用，同一个数据库不能同时打开两次。"
                f"若那台计算机上的程序已经关闭或异常退出，请删除文件“{self.path}”后再打开。"
            )
        raise UserError(
            f"数据库“{self.db_path.name}”已经在另一个窗口中打开（进程号 {pid}），同一个数据库不能同时打开两次，"
            "请切换到已经打开的那个窗口。"
        )

    def release(self) -> None:
        self._lock.unlock()


class NoLock:
    """A server database: no lock, several windows on several computers are the point."""

    def acquire(self) -> None:
        pass

    def release(self) -> None:
        pass
