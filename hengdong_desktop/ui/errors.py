"""Showing errors: a UserError as one Chinese sentence; anything else through the crash dialog,
which logs the traceback and saves a report the clerk can send. No bare traceback is ever shown."""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QStandardPaths
from PySide6.QtWidgets import QMessageBox, QWidget

from hengdong_desktop import __version__
from hengdong_desktop.errors import UserError

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def crash_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or ".") / "crash-reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save_crash_report(exc: BaseException) -> Path:
    report = crash_dir() / f"crash-{datetime.now():%Y%m%d-%H%M%S-%f}.txt"
    report.write_text(
        f"衡东百十亿数据系统 {__version__}\n{datetime.now().isoformat()}\n\n"
        + "".join(traceback.format_exception(exc)),
        encoding="utf-8",
    )
    return report


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if isinstance(exc, UserError):
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("操作未完成"), str(exc), QMessageBox.StandardButton.Ok, parent)
        if exc.details:
            box.setDetailedText("\n".join(exc.details))
        box.exec()
        return
    log.error("unexpected error", exc_info=exc)
    report = save_crash_report(exc)
    QMessageBox.critical(
        parent,
        _tr("程序内部错误"),
        _tr("很抱歉，程序遇到内部错误，刚才的操作没有完成，已保存的数据不受影响。\n\n"
            "错误报告已保存到：\n{path}\n\n请将该文件发送给县级管理员。").format(path=report),
    )


def install_excepthook() -> None:
    """Routes uncaught exceptions on the UI thread to the crash dialog."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(None, exc)

    sys.excepthook = hook
