"""月度调度 driven through the real grid: keys, paste, suggestions, findings, readiness, saving."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from hengdong_desktop.services import entry, monthly, setup
from hengdong_desktop.services.readiness import MISSING, UNEXPLAINED, WARNING
from hengdong_desktop.ui.dialogs import UnsavedChanges
from hengdong_desktop.ui.grid import EXPLANATION, NAME, GridModel
from hengdong_desktop.ui.widgets import ERROR_BG, EXPLAINED_BG, WARNING_BG
from tests.ui.entry_helpers import PERIOD, Recorder, close_window, open_window


def monthly_page(qtbot, path: Path, settings):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, path, settings, "overview")
    page = window.show_page("monthly")
    qtbot.waitUntil(lambda: page.current is not None and page.current.period == PERIOD, timeout=10_000)
    return window, page


def cell(model: GridModel, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return model.index(row, model.column_of(key)).data(role)


def go_to_period(qtbot, page, period: str) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.period.request(period)


def test_grid_model_passes_the_model_tester(qtmodeltester, demo_township: Path) -> None:  # type: ignore[no-untyped-def]
    db, info = setup.open_initialized(demo_township)
    try:
        model = GridModel("enterprise", entry.reference(db), False)
        qtmodeltester.check(model)
        model.load(monthly.load_grid(db, "enterprise", PERIOD, info.unit_id))
        assert model.rowCount() == 12 and model.columnCount() == 8
        assert model.setData(model.index(0, model.column_of("output_month")), "12.5")
        assert not model.setData(model.index(0, model.column_of(NAME)), "改名")
        model.paste(1, 1, "1\t2\n3\t4\n")
        model.load(monthly.load_grid(db, "project", PERIOD, info.unit_id))
    finally:
        db.close()


def test_a_pasted_block_lands_in_the_right_cells(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    view, model = page.views["enterprise"], page.models["enterprise"]
    QGuiApplication.clipboard().setText("1,000.5\t2000\t300\r\n４００\t500\t600\r\n")  # as Excel copies it
    view.setCurrentIndex(model.index(2, model.column_of("output_month")))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [cell(model, 2, k) for k in ("output_month", "output_ytd", "revenue_month")] == [
        "1,000.50",
        "2,000.00",
        "300.00",
    ]
    assert [cell(model, 3, k) for k in ("output_month", "output_ytd", "revenue_month")] == [
        "400.00",
        "500.00",
        "600.00",
    ]
    assert model.dirty_rows() == 2 and "2 行未保存" in page.dirty_label.text()
    # a block copied with the name column: the name is skipped, the figures land beside it
    QGuiApplication.clipboard().setText("某公司\t77\n")
    view.setCurrentIndex(model.index(5, model.column_of(NAME)))
    view.paste()
    assert cell(model, 5, NAME) != "某公司" and cell(model, 5, "output_month") == "77.00"
    # text that is not a number stays as typed, marked as an error with the reason
    QGuiApplication.clipboard().setText("一百")
    view.setCurrentIndex(model.index(6, model.column_of("tax_ytd")))
    view.paste()
    assert cell(model, 6, "tax_ytd") == "一百"
    assert cell(model, 6, "tax_ytd", Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    assert "不是数字" in cell(model, 6, "tax_ytd", Qt.ItemDataRole.ToolTipRole)
    close_window(window)


def _type(qtbot, view, text: str) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        qtbot.keyClick(QApplication.focusWidget() or view, ch)


def test_enter_moves_down_and_tab_moves_right(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    window.activateWindow()
    view, model = page.views["enterprise"], page.models["enterprise"]
    column = model.column_of("output_month")
    view.setFocus()
    view.setCurrentIndex(model.index(0, column))
    _type(qtbot, view, "321")
    with qtbot.waitSignal(view.selectionModel().currentChanged, timeout=10_000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == column
    assert cell(model, 0, "output_month") == "321.00"
    _type(qtbot, view, "45")
    with qtbot.waitSignal(view.selectionModel().currentChanged, timeout=10_000):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.currentIndex().row() == 1 and view.currentIndex().column() == column + 1
    assert cell(model, 1, "output_month") == "45.00"
    close_window(window)


def test_this_month_suggests_the_running_total(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    model = page.models["enterprise"]
    march = {r: Decimal(cell(model, r, "output_ytd", Qt.ItemDataRole.EditRole)) for r in range(2)}
    go_to_period(qtbot, page, "2025-04")
    assert window.ctx.period == "2025-04" and "2025-04" in window.period_label.text()
    assert cell(model, 0, "output_ytd") == ""
    model.setData(model.index(0, model.column_of("output_month")), "100")
    assert Decimal(cell(model, 0, "output_ytd", Qt.ItemDataRole.EditRole)) == march[0] + 100
    assert cell(model, 0, "output_ytd", Qt.ItemDataRole.FontRole).italic()
    assert "自动填写" in cell(model, 0, "output_ytd", Qt.ItemDataRole.ToolTipRole)
    assert "上月（2025-03）" in cell(model, 0, "output_ytd", Qt.ItemDataRole.ToolTipRole)
    # a 累计 the clerk typed is never overwritten
    model.setData(model.index(1, model.column_of("output_ytd")), "9")
    model.setData(model.index(1, model.column_of("output_month")), "100")
    assert cell(model, 1, "output_ytd", Qt.ItemDataRole.EditRole) == "9"
    assert cell(model, 1, "output_ytd", Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG  # below March
    close_window(window)


def test_a_warning_without_explanation_keeps_the_period_not_ready(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    model = page.models["enterprise"]
    explained_before = {i.owner_id for i in page.current.issues if i.kind == UNEXPLAINED}
    row = next(r for r in range(model.rowCount()) if not model.unexplained(r))
    owner = model._states[row].row.owner_id
    previous = model._states[row].row.previous
    month = (previous["output_month"] * 3).quantize(Decimal("0.01"))
    model.setData(model.index(row, model.column_of("output_month")), str(month))
    model.setData(model.index(row, model.column_of("output_ytd")), str(previous["output_ytd"] + month))
    assert [f.rule_id for f in model.unexplained(row)] == ["YB11"]
    assert cell(model, row, "output_month", Qt.ItemDataRole.BackgroundRole).color() == WARNING_BG
    assert cell(model, row, EXPLANATION, Qt.ItemDataRole.BackgroundRole).color() == WARNING_BG
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.save_button.click()
    issues = [i for i in page.current.issues if i.kind == UNEXPLAINED]
    assert not page.current.ready and owner in {i.owner_id for i in issues} - explained_before
    assert "尚不能上报" in page.summary.text()
    # the explanation goes in place, in the row's 说明 cell
    row = model.row_of(owner)
    model.setData(model.index(row, model.column_of(EXPLANATION)), "新增大额订单集中交付")
    assert cell(model, row, "output_month", Qt.ItemDataRole.BackgroundRole).color() == EXPLAINED_BG
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.save()
    assert owner not in {i.owner_id for i in page.current.issues}
    assert cell(model, model.row_of(owner), EXPLANATION) == "新增大额订单集中交付"
    close_window(window)


def test_readiness_entries_jump_to_the_cell(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    go_to_period(qtbot, page, "2025-04")
    ready = page.current
    assert ready.count(MISSING) == 12 + ready.counted["project"]
    assert (
        page.readiness.rowCount() == len(ready.issues) == ready.count(MISSING) + ready.open_count + ready.count(WARNING)
    )
    last = page.readiness.index(page.readiness.rowCount() - 1 - ready.count(WARNING), 0)  # warnings come last
    issue = last.data(Qt.ItemDataRole.UserRole + 1)
    assert issue.grid == "project" and "未填报" in last.data()
    page.issue_list.activated.emit(last)
    assert page.tabs.currentIndex() == 1
    view = page.views["project"]
    assert view.currentIndex().row() == page.models["project"].row_of(issue.owner_id)
    assert page.models["project"].columns[view.currentIndex().column()].key == "invest_month"
    close_window(window)


def test_a_blocking_error_refuses_the_save_and_points_at_the_cell(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    no_message_boxes,
) -> None:
    window, page = monthly_page(qtbot, demo_township, settings)
    model, view = page.models["enterprise"], page.views["enterprise"]
    stored = cell(model, 4, "output_ytd", Qt.ItemDataRole.EditRole)
    model.setData(model.index(4, model.column_of("output_ytd")), "1")  # below February's total
    assert cell(model, 4, "output_ytd", Qt.ItemDataRole.BackgroundRole).color() == ERROR_BG
    view.setCurrentIndex(model.index(0, 0))
    page.save()
    qtbot.waitUntil(lambda: bool(no_message_boxes), timeout=10_000)
    assert isinstance(no_message_boxes[0], entry.Refused) and "1-本月累计产值" in str(no_message_boxes[0])
    assert (view.currentIndex().row(), model.columns[view.currentIndex().column()].key) == (4, "output_ytd")
    assert model.dirty_rows() == 1 and page.save_button.isEnabled()  # nothing lost, nothing written
    db = window.ctx.db
    grid = monthly.load_grid(db, "enterprise", PERIOD, window.ctx.info.unit_id)
    owner = model._states[4].row.owner_id
    assert next(r for r in grid.rows if r.owner_id == owner).values["output_ytd"] == Decimal(stored)
    close_window(window)


def test_unsaved_grid_asks_before_the_window_closes_or_the_period_changes(
    qtbot,
    demo_township: Path,  # type: ignore[no-untyped-def]
    settings,
    monkeypatch,
) -> None:
    window, page = monthly_page(qtbot, demo_township, settings)
    model = page.models["enterprise"]
    model.setData(model.index(0, model.column_of("employees_end")), "99")
    asked = Recorder("cancel")
    monkeypatch.setattr(UnsavedChanges, "ask", asked)
    page.period.request("2025-02")
    assert window.ctx.period == PERIOD and page.period.period == PERIOD and len(asked.calls) == 1
    window.close()
    assert window.isVisible() and len(asked.calls) == 2
    asked.answers = ["save"]
    with qtbot.waitSignal(page.saved, timeout=10_000):
        window.close()  # saves in the background, then closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    db, info = setup.open_initialized(window.ctx.db.path)
    try:
        grid = monthly.load_grid(db, "enterprise", PERIOD, info.unit_id)
        assert grid.rows[0].values["employees_end"] == 99
    finally:
        db.close()
    close_window(window)


def test_project_grid_suggests_both_totals(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = monthly_page(qtbot, demo_township, settings)
    go_to_period(qtbot, page, "2025-04")
    model = page.models["project"]
    row = next(r for r in range(model.rowCount()) if model._states[r].row.previous)
    previous = model._states[row].row.previous
    model.setData(model.index(row, model.column_of("invest_month")), "10")
    assert (
        Decimal(cell(model, row, "invest_cumulative", Qt.ItemDataRole.EditRole)) == previous["invest_cumulative"] + 10
    )
    assert Decimal(cell(model, row, "invest_ytd", Qt.ItemDataRole.EditRole)) == previous["invest_ytd"] + 10
    model.setData(model.index(row, model.column_of("progress")), "设备安装")
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        window.actions_by_key["save"].trigger()  # Ctrl+S
    assert cell(model, model.row_of(model._states[row].row.owner_id), "progress") == "设备安装"
    close_window(window)


def test_an_entry_of_another_period_opens_that_period(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """Every period's unexplained warnings are listed (what the export refuses for); one of an
    earlier month switches the grid to that month and selects its cell."""
    window, page = monthly_page(qtbot, demo_township, settings)
    go_to_period(qtbot, page, "2025-04")
    others = [n for n, i in enumerate(page.current.issues) if i.kind == UNEXPLAINED and i.period != "2025-04"]
    assert others, "the demo township has an unexplained warning in an earlier month"
    index = page.readiness.index(others[0], 0)
    issue = index.data(Qt.ItemDataRole.UserRole + 1)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.issue_list.activated.emit(index)
    assert window.ctx.period == issue.period and page.period.period == issue.period
    view = page.views[issue.grid]
    assert view.currentIndex().row() == page.models[issue.grid].row_of(issue.owner_id)
    assert page.models[issue.grid].columns[view.currentIndex().column()].key == issue.field
    close_window(window)
