"""Showing errors: a UserError as one Chinese sentence; anything else is a bug, logged, saved as a
crash report in the data directory and shown by the Chinese crash dialog, which tells the clerk
that saved data is safe and where the report is. The traceback is only ever in the details."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop import diagnostics
from hengdong_desktop.errors import UserError, as_user_error

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def data_dir() -> Path:
    """The user data directory (logs, crash reports, the default database)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or ".")


def crash_dir() -> Path:
    return data_dir() / "crash-reports"


def save_crash_report(exc: BaseException) -> tuple[Path | None, str]:
    """Writes the report; returns its path (None if it could not be saved) and its text."""
    extra = {"Qt": qVersion()}
    try:
        path = diagnostics.write_crash_report(crash_dir(), exc, extra)
        return path, path.read_text(encoding="utf-8")
    except OSError:
        log.exception("could not save the crash report")
        return None, diagnostics.crash_report_text(exc, extra)


class CrashDialog(QDialog):
    """程序内部错误: what happened in plain Chinese, where the report is, and the details folded away."""

    def __init__(self, report: Path | None, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report = report
        self.setWindowTitle(_tr("程序内部错误"))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical).pixmap(48, 48))
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        if report is not None:
            where = _tr(
                "错误报告已保存到：\n{path}\n\n请把这个文件发给县级管理员（可点“打开所在文件夹”找到它）。"
            ).format(path=report)
        else:
            where = _tr("错误报告无法保存到磁盘。请点“复制报告”，粘贴到文档或消息中发给县级管理员。")
        self.message = QLabel(
            _tr("很抱歉，程序遇到了意外错误，刚才的操作没有完成。\n已经保存的数据不受影响。\n\n") + where
        )
        self.message.setObjectName("crashMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top.addWidget(self.message, 1)
        layout.addLayout(top)
        self.details = QPlainTextEdit(text)
        self.details.setReadOnly(True)
        self.details.setVisible(False)
        self.details.setMinimumHeight(220)
        layout.addWidget(self.details)
        buttons = QDialogButtonBox()
        self.details_button = QPushButton(_tr("显示详细信息"))
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(_tr("复制报告"))
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(text))
        self.folder_button = QPushButton(_tr("打开所在文件夹"))
        self.folder_button.setEnabled(report is not None)
        self.folder_button.clicked.connect(self._open_folder)
        for button in (self.details_button, self.copy_button, self.folder_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(_tr("关闭"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setDefault(True)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(_tr("隐藏详细信息") if shown else _tr("显示详细信息"))
        self.adjustSize()

    def _open_folder(self) -> None:
        if self.report is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.report.parent)))

    @classmethod
    def present(cls, parent: QWidget | None, report: Path | None, text: str) -> None:
        cls(report, text, parent).exec()


_showing_crash = False


def report_crash(parent: QWidget | None, exc: BaseException) -> Path | None:
    """Logs and saves a report for a bug and shows the crash dialog (one at a time)."""
    global _showing_crash
    log.error("unexpected error", exc_info=exc)
    report, text = save_crash_report(exc)
    if QApplication.instance() is None or _showing_crash:
        # No GUI yet, or an error while the dialog is open (a broken paint event would otherwise
        # open dialogs without end): the log and the report keep it.
        if QApplication.instance() is None:
            print(_tr("程序内部错误，详细信息已保存到 {path}。").format(path=report), file=sys.stderr)
        return report
    _showing_crash = True
    try:
        CrashDialog.present(parent, report, text)
    finally:
        _showing_crash = False
    return report


_ON_SCREEN: set[str] = set()  # the sentences in a message box now


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A UserError, or a failure of the machine (disk full, read-only …), as one sentence;
    anything else through the crash dialog."""
    machine = as_user_error(exc)
    if machine is not None and machine is not exc:
        log.warning("environment failure: %r", exc)
        exc = machine
    if isinstance(exc, UserError):
        log.info("refused: %s", exc)
        if str(exc) in _ON_SCREEN:  # several reads failing alike (a damaged file): one box
            return
        box = QMessageBox(QMessageBox.Icon.Warning, _tr("操作未完成"), str(exc), QMessageBox.StandardButton.Ok, parent)
        if exc.details:
            box.setDetailedText("\n".join(exc.details))
        _ON_SCREEN.add(str(exc))
        try:
            box.exec()
        finally:
            _ON_SCREEN.discard(str(exc))
        return
    report_crash(parent, exc)


def install_excepthook() -> None:
    """Routes uncaught exceptions to the crash dialog (UI thread) or to the log and a report."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(None, exc.with_traceback(tb))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is not None:
            log.error("uncaught error in thread %s", args.thread, exc_info=args.exc_value)
            save_crash_report(args.exc_value)

    sys.excepthook = hook
    threading.excepthook = thread_hook
