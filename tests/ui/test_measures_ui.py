"""The 一企一策台账 page through the real widgets: every live measure, the filters and the
summary line, overdue rows in red, a row opening its enterprise's 一企一策 tab (and the save
showing), a 牵头部门 account starting on its own department's measures."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import measures
from hengdong_desktop.services.measures import LedgerQuery
from hengdong_desktop.ui.editors import EnterpriseEditor
from hengdong_desktop.ui.pages.measures import LATE_BG
from tests.ui.entry_helpers import close_window, open_window


def _show(qtbot, window, key: str = "measures"):  # type: ignore[no-untyped-def]
    page = window.show_page(key)
    qtbot.waitUntil(lambda: page.ledger is not None, timeout=20_000)
    return page


def _changed(qtbot, page, change) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        change()


def _background(page, row: int, column: int) -> str | None:  # type: ignore[no-untyped-def]
    brush = page.model.index(row, column).data(Qt.ItemDataRole.BackgroundRole)
    return brush.color().name() if brush is not None else None


def test_the_ledger_lists_every_measure_and_filters(qtbot, demo_county: Path, settings, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_county, settings, "overview")
    page = _show(qtbot, window)
    qtmodeltester.check(page.model)
    today = date.today()
    everything = measures.ledger(window.ctx.db, LedgerQuery(), today)
    assert len(everything.rows) > 10 and everything.overdue >= 1  # the demo's first measure is 20 days late
    model = page.model
    assert [x.id for x in model.rows] == [x.id for x in everything.rows]
    assert len({x.unit_id for x in model.rows}) > 1  # the county sees every unit's
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "所属单位",
        "企业",
        "措施",
        "责任单位",
        "责任人",
        "完成时限",
        "逾期(天)",
        "推进状态",
        "进展情况",
        "关联问题",
    ]
    assert page.summary.text() == f"共 {len(everything.rows)} 项，逾期 {everything.overdue} 项"
    late = [r for r, x in enumerate(model.rows) if x.overdue(today)]
    assert len(late) == everything.overdue
    for r in range(model.rowCount()):  # red rows exactly where overdue, with their days
        days = model.index(r, 6).data()
        if r in late:
            assert _background(page, r, 0) == _background(page, r, 9) == LATE_BG
            assert int(days) == (today - model.rows[r].deadline).days > 0
        else:
            assert _background(page, r, 0) is None and days == ""
    assert any(x.problem for x in model.rows)  # a measure's 关联问题 by its text
    assert model.index(0, 0).data() and model.index(0, 1).data() == model.rows[0].enterprise

    _changed(qtbot, page, lambda: page.overdue_only.setChecked(True))
    assert len(model.rows) == everything.overdue and all(x.overdue(today) for x in model.rows)
    assert page.summary.text() == f"共 {everything.overdue} 项，逾期 {everything.overdue} 项"
    _changed(qtbot, page, lambda: page.overdue_only.setChecked(False))

    _changed(qtbot, page, lambda: page.status.setCurrentIndex(page.status.findData("已完成")))
    done = [x for x in everything.rows if x.status == "已完成"]
    assert [x.id for x in model.rows] == [x.id for x in done] and page.summary.text() == f"共 {len(done)} 项，逾期 0 项"
    _changed(qtbot, page, lambda: page.status.setCurrentIndex(0))

    _changed(qtbot, page, lambda: page.department.setCurrentIndex(page.department.findText("县科工信局")))
    theirs = [x for x in everything.rows if x.department == "县科工信局"]
    assert theirs and [x.id for x in model.rows] == [x.id for x in theirs]
    _changed(qtbot, page, lambda: page.department.setCurrentIndex(0))

    wanted = everything.rows[-1].enterprise
    _changed(qtbot, page, lambda: page.search.setText(wanted))
    assert model.rows and {x.enterprise for x in model.rows} == {wanted}
    close_window(window)


def test_a_row_opens_its_enterprise_on_the_measures_tab_and_the_save_shows(  # type: ignore[no-untyped-def]
    qtbot, demo_county: Path, settings, monkeypatch, no_message_boxes
) -> None:
    window = open_window(qtbot, demo_county, settings, "overview")
    page = _show(qtbot, window)
    row = len(page.model.rows) - 1
    target = page.model.rows[row]
    opened: list[tuple[str, bool, str | None]] = []

    def exec_(editor: EnterpriseEditor) -> int:  # the clerk reports progress on the selected measure and saves
        table = editor.measure_table
        current = table.current()
        opened.append(
            (
                editor.record.id or "",
                editor.tabs.currentWidget() is table,
                table.model.rows[current]["id"] if current is not None else None,
            )
        )
        measure = next(x for x in table.rows if x["id"] == target.id)
        measure.update(status="推进中", progress="台账页核实：已上门对接两次")
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(EnterpriseEditor, "exec", exec_)
    index = page.view.model().index(row, 1)
    page.view.scrollTo(index)
    center = page.view.visualRect(index).center()
    qtbot.mouseClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    with qtbot.waitSignal(page.refreshed, timeout=20_000):  # the save's changes make the page read again
        qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert opened == [(target.enterprise_id, True, target.id)]
    assert "台账页核实：已上门对接两次" in [x.progress for x in page.model.rows]
    assert no_message_boxes == []
    close_window(window)


def test_a_department_account_starts_on_its_own_measures(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "overview")
    ctx = window.ctx
    with ctx.db.read() as s:
        name = s.scalar(
            select(m.SupportMeasure.department)
            .where(m.SupportMeasure.department != "县科工信局", m.SupportMeasure.deleted_at.is_(None))
            .limit(1)
        )
    department = next(d for d in ctx.reference().departments if d.name == name)
    ctx.info = dataclasses.replace(ctx.info, account="dept", account_kind="department", department_ids=(department.id,))
    page = _show(qtbot, window)
    assert page.department.currentText() == f"本部门（{name}）"
    everything = measures.ledger(ctx.db, LedgerQuery(unit_id=ctx.info.unit_id), date.today())
    mine = [x.id for x in everything.rows if x.department == name]
    assert mine and [x.id for x in page.model.rows] == mine
    assert len(everything.rows) > len(mine)  # the others are one choice away
    _changed(qtbot, page, lambda: page.department.setCurrentIndex(0))
    assert [x.id for x in page.model.rows] == [x.id for x in everything.rows]
    close_window(window)
