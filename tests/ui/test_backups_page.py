"""备份与恢复 page: the table model, listing with counts, backing up now, restoring from the page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt

from hengdong_desktop.app import build_main_window
from hengdong_desktop.db import models as m
from hengdong_desktop.services import backups, demo, setup
from hengdong_desktop.services.overview import overview
from hengdong_desktop.ui.pages.backups import (
    BACKUP_COLUMNS,
    ENTERPRISES,
    MONTHLY,
    REASON,
    STATE,
    TIME,
    RestoreConfirmation,
)
from hengdong_desktop.ui.record_model import RecordTableModel


def _filled(path: Path) -> None:
    db, _info = setup.open_initialized(path)
    demo.generate(db, enterprises=4, months=2, seed=5)
    db.close()


def test_backup_model(qtmodeltester, training_township_path: Path) -> None:  # type: ignore[no-untyped-def]
    _filled(training_township_path)
    backups.backup_file(training_township_path, "merge", now=datetime(2025, 2, 3, 10, 5, 9))
    broken = backups.backup_file(training_township_path, "manual", now=datetime(2025, 2, 4, 8, 0))
    broken.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    model = RecordTableModel(BACKUP_COLUMNS)
    model.set_rows(backups.list_backups(training_township_path))
    qtmodeltester.check(model)
    cell = lambda row, col: model.data(model.index(row, col))  # noqa: E731
    assert model.rowCount() == 2
    assert [cell(0, c) for c in (TIME, REASON, STATE)] == ["2025-02-04 08:00:00", "手动备份", "无法读取"]
    assert cell(0, ENTERPRISES) == "—"
    assert [cell(1, c) for c in (REASON, ENTERPRISES, MONTHLY)] == ["合并前自动备份", "4", "8"]
    assert model.headerData(ENTERPRISES, Qt.Orientation.Horizontal) == "企业"


def test_page_lists_backs_up_and_restores(qtbot, training_township_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    _filled(training_township_path)
    window = build_main_window(training_township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.actions_by_key["backups"].trigger()
    page = window.pages["backups"]
    assert window.stack.currentWidget() is page
    with qtbot.waitSignal(page.listed, timeout=10_000):
        pass
    assert "还没有备份" in page.summary.text()
    assert not page.restore_button.isEnabled()

    with qtbot.waitSignal(page.listed, timeout=10_000):  # backed up, then listed again
        page.backup_button.click()
    assert page.model.rowCount() == 1 and "已备份" in page.status.text()
    assert "共 1 份备份" in page.summary.text()
    assert page.model.data(page.model.index(0, REASON)) == "手动备份"

    ctx = window.ctx
    with ctx.db.write(ctx.info.actor("form")) as s:  # a change after the backup
        for e in s.query(m.Enterprise):
            e.name = e.name + "（改）"
    page.table.selectRow(0)
    assert page.restore_button.isEnabled()
    asked = []
    monkeypatch.setattr(RestoreConfirmation, "ask", lambda _parent, info: asked.append(info) or False)
    page.restore_button.click()
    assert len(asked) == 1 and page.model.rowCount() == 1  # declined: nothing happened
    old_db = ctx.db
    monkeypatch.setattr(RestoreConfirmation, "ask", lambda _parent, _info: True)
    with qtbot.waitSignal(ctx.database_replaced, timeout=10_000):
        page.restore_button.click()
    assert ctx.db is not old_db
    # every page was built again on the restored database, this one too
    restored = window.pages["backups"]
    assert restored is not page and window.stack.currentWidget() is restored
    assert "已恢复到" in restored.status.text()
    with qtbot.waitSignal(restored.listed, timeout=10_000):
        pass
    assert restored.model.rowCount() == 2
    with ctx.db.read() as s:
        assert not any(e.name.endswith("（改）") for e in s.query(m.Enterprise))
    [before_restore] = [b for b in backups.list_backups(training_township_path) if b.reason == "restore"]
    kept, _ = setup.open_initialized(before_restore.path)
    with kept.read() as s:
        assert all(e.name.endswith("（改）") for e in s.query(m.Enterprise))  # the replaced data is kept
    kept.close()
    assert overview(ctx.db).enterprises == 4
    ctx.tasks.wait()
    ctx.db.close()
