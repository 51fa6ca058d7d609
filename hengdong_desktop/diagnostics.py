"""What the clerk can send when something goes wrong: the rotating log in the data directory and
crash reports (version, system, the end of the log, the traceback). No Qt: the GUI adds its own
facts through `extra`."""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path

import hengdong_desktop
from hengdong_desktop.private_files import make_private, private_folder

LOG_FILE_NAME = "hengdong.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5
KEEP_CRASH_REPORTS = 30
LOG_TAIL_LINES = 60
_FORMAT = "%(asctime)s %(levelname)s [%(threadName)s] %(name)s: %(message)s"


def setup_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Logs to `log_dir/hengdong.log` (an owner-only folder), rotated at 1 MB with 5 old files
    kept. Idempotent."""
    private_folder(log_dir)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(logging.Formatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def current_log_file() -> Path | None:
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            return Path(handler.baseFilename)
    return None


def _log_tail(lines: int = LOG_TAIL_LINES) -> str:
    path = current_log_file()
    if path is None or not path.exists():
        return "（无日志）"
    text = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return "\n".join(text[-lines:])


def environment() -> dict[str, str]:
    return {
        "版本": hengdong_desktop.__version__,
        "系统": f"{platform.system()} {platform.release()} ({platform.version()}) {platform.machine()}",
        "Python": sys.version.split()[0],
        "程序": sys.executable + ("（安装版）" if getattr(sys, "frozen", False) else ""),
    }


def crash_report_text(exc: BaseException, extra: dict[str, str] | None = None) -> str:
    facts = {"时间": datetime.now().isoformat(timespec="seconds"), **environment(), **(extra or {})}
    return (
        "衡东县“百十亿”数据填报与汇总系统 错误报告\n"
        + "".join(f"{k}：{v}\n" for k, v in facts.items())
        + "\n==== 错误 ====\n"
        + "".join(traceback.format_exception(exc))
        + "\n==== 最近的日志 ====\n"
        + _log_tail()
        + "\n"
    )


def write_crash_report(folder: Path, exc: BaseException, extra: dict[str, str] | None = None) -> Path:
    """Saves a report about `exc` into `folder` (keeping the newest 30), owner-only (it quotes the
    log, which names records), and returns its path."""
    private_folder(folder)
    report = folder / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    report.write_text(crash_report_text(exc, extra), encoding="utf-8")
    make_private(report)
    for old in sorted(folder.glob("crash-*.txt"), reverse=True)[KEEP_CRASH_REPORTS:]:
        old.unlink(missing_ok=True)
    return report
