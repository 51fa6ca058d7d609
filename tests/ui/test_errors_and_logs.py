"""The crash dialog, crash reports and the rotating log."""

from __future__ import annotations

import logging
import os
import stat
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

import hengdong_desktop
from hengdong_desktop import diagnostics
from hengdong_desktop.errors import UserError
from hengdong_desktop.ui.errors import (
    CrashDialog,
    crash_dir,
    install_excepthook,
    report_crash,
    show_error,
)
from hengdong_desktop.ui.instance import log_versions, start_logging


@pytest.fixture
def presented(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path | None, str]]:
    shown: list[tuple[Path | None, str]] = []
    monkeypatch.setattr(
        CrashDialog, "present", classmethod(lambda _cls, _parent, report, text: shown.append((report, text)))
    )
    return shown


def _raise_bug() -> None:
    {}["不存在的键"]  # noqa: B018


def test_a_bug_saves_a_report_and_shows_the_crash_dialog(qapp, presented) -> None:  # type: ignore[no-untyped-def]
    try:
        _raise_bug()
    except KeyError as exc:
        show_error(None, exc)
    [(report, text)] = presented
    assert report is not None and report.parent == crash_dir() and report.read_text(encoding="utf-8") == text
    assert "KeyError" in text and "_raise_bug" in text and "版本：" in text and "Qt：" in text


def test_a_user_error_is_not_a_crash(qapp, presented, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()))
    shown: list[str] = []
    show_error(None, UserError("第3行：企业名称不能为空。"))
    assert shown == ["第3行：企业名称不能为空。"] and presented == []


def test_uncaught_exception_goes_to_the_crash_dialog(qapp, presented, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    install_excepthook()
    try:
        raise ZeroDivisionError("除以零")
    except ZeroDivisionError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert len(presented) == 1 and "ZeroDivisionError: 除以零" in presented[0][1]

    before = set(crash_dir().glob("crash-*.txt"))
    worker = threading.Thread(target=_raise_bug, name="worker")
    worker.start()
    worker.join()
    new = set(crash_dir().glob("crash-*.txt")) - before
    assert len(new) == 1 and "KeyError" in new.pop().read_text(encoding="utf-8")
    assert len(presented) == 1  # no dialog from a worker thread


def test_an_error_inside_the_crash_dialog_opens_no_second_dialog(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []

    def present(_cls, _parent, _report, text):  # type: ignore[no-untyped-def]
        shown.append(text)
        report_crash(None, RuntimeError("又一个错误"))  # e.g. a failing paint event while it is open

    monkeypatch.setattr(CrashDialog, "present", classmethod(present))
    report_crash(None, RuntimeError("第一个错误"))
    assert len(shown) == 1 and "第一个错误" in shown[0]


def test_crash_dialog_speaks_chinese_and_folds_the_details(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "crash-1.txt"
    report.write_text("Traceback ...", encoding="utf-8")
    dialog = CrashDialog(report, "Traceback (most recent call last): ...")
    qtbot.addWidget(dialog)
    dialog.show()
    message = dialog.findChild(QLabel, "crashMessage").text()
    assert "已经保存的数据不受影响" in message and str(report) in message and "Traceback" not in message
    assert not dialog.details.isVisible()
    dialog.details_button.click()
    assert dialog.details.isVisible() and "Traceback" in dialog.details.toPlainText()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text().startswith("Traceback")
    unsaved = CrashDialog(None, "text")
    qtbot.addWidget(unsaved)
    assert not unsaved.folder_button.isEnabled() and "无法保存" in unsaved.message.text()


def test_crash_reports_are_capped(tmp_path: Path) -> None:
    written = [diagnostics.write_crash_report(tmp_path, RuntimeError(f"错误{n}")) for n in range(34)]
    kept = sorted(tmp_path.glob("crash-*.txt"))
    assert kept == written[4:]  # the newest 30, the oldest four removed
    assert [
        f"RuntimeError: 错误{n}" in p.read_text(encoding="utf-8") for n, p in zip(range(4, 34), kept, strict=True)
    ] == [True] * 30


def test_log_rotates_in_the_data_directory(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = start_logging(tmp_path / "logs")
        assert path == tmp_path / "logs" / "hengdong.log"
        assert start_logging(tmp_path / "logs") == path and len(root.handlers) == len(before) + 1
        log_versions()
        line = "备份" * 200
        for _ in range(diagnostics.LOG_MAX_BYTES // 1000 + 200):
            logging.getLogger("hengdong_desktop.test").info(line)
        assert (tmp_path / "logs" / "hengdong.log.1").exists()
        first = (tmp_path / "logs" / "hengdong.log.1").read_text(encoding="utf-8")
        assert "starting" in first and f"version {hengdong_desktop.__version__}, Qt " in first
        assert line in diagnostics.crash_report_text(RuntimeError("x"))  # the report carries the log's end
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()
        from PySide6.QtCore import qInstallMessageHandler

        qInstallMessageHandler(None)


def test_cli_bug_writes_the_same_report(tmp_path: Path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop import cli
    from hengdong_desktop.services import setup

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))  # the user's data directory, not a shared temp folder
    monkeypatch.setenv("APPDATA", str(tmp_path))
    monkeypatch.setattr(setup, "open_initialized", lambda _path: _raise_bug())
    assert cli.main(["check", "--db", str(tmp_path / "x.sqlite3")]) == 1
    err = capsys.readouterr().err
    folder = tmp_path / "HengdongCounty" / "HengdongDesktop" / "crash-reports"
    [report] = folder.glob("crash-*.txt")
    assert str(report) in err and "程序内部错误（KeyError）" in err
    assert "命令：" in report.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # owner-only
