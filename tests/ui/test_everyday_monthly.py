"""月度调度 as a clerk works it (issue 17): the name column stays in view when Tab moves right,
Esc asks with “否” as the default, and the readiness panel, the status bar and the 上报 page give
one count (the county's panel says it in the county's words)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hengdong_desktop.services import demo, setup
from hengdong_desktop.ui.dialogs import Confirm
from tests.ui.entry_helpers import PERIOD, close_window, open_window

REAL_CONFIRM = Confirm.ask  # the tests' fixtures answer questions; this test needs the real one


def _monthly(qtbot, path: Path, settings):  # type: ignore[no-untyped-def]
    window = open_window(qtbot, path, settings, "overview")
    page = window.show_page("monthly")
    qtbot.waitUntil(lambda: page.current is not None and page.current.period == PERIOD, timeout=10_000)
    return window, page


def test_the_name_column_stays_in_view_when_tab_moves_right(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = _monthly(qtbot, demo_township, settings)
    window.resize(1000, 700)  # narrower than the grid: it scrolls sideways
    view, model = page.views["enterprise"], page.models["enterprise"]
    view.setFocus()
    view.setCurrentIndex(model.index(2, 1))
    for _ in range(model.columnCount()):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        QApplication.processEvents()
        if view.currentIndex().column() == model.columnCount() - 1:
            break
    assert view.currentIndex().column() == model.columnCount() - 1  # the 说明 column, at the far right
    assert view.horizontalScrollBar().value() > 0  # the grid has scrolled
    names = view.frozen
    assert names.isVisible() and names.columnWidth(0) == view.columnWidth(0) > 0
    row = names.visualRect(model.index(2, 0))
    assert names.viewport().rect().contains(row.center())  # the row's name is in view beside its figures
    assert model.index(2, 0).data() == model.index(2, 0).data(Qt.ItemDataRole.DisplayRole) != ""
    assert names.selectionModel() is view.selectionModel()
    qtbot.keyClick(view, Qt.Key.Key_Backtab)  # moving back left: the cell comes out from under the names
    current = view.visualRect(view.currentIndex())
    assert current.left() >= view.columnWidth(0)
    close_window(window)


def test_escape_on_the_grid_defaults_to_keeping_the_edits(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    monkeypatch.setattr(Confirm, "ask", REAL_CONFIRM)
    window, page = _monthly(qtbot, demo_township, settings)
    view, model = page.views["enterprise"], page.models["enterprise"]
    model.setData(model.index(0, model.column_of("output_month")), "123")
    assert page.dirty_rows() == 1
    defaults: list[str] = []

    def answer_with_enter() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer_with_enter)
            return
        defaults.append(box.defaultButton().text())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter out of habit

    QTimer.singleShot(0, answer_with_enter)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert defaults and defaults[0] in ("否(&N)", "&No", "否")
    assert page.dirty_rows() == 1  # kept
    close_window(window)


def _status_count(window) -> int:  # type: ignore[no-untyped-def]
    text = window.findings_label.text()
    return 0 if text == "审核：全部通过" else int(re.search(r"(\d+) 条待处理", text).group(1))  # type: ignore[union-attr]


def test_the_panel_the_status_bar_and_the_report_page_agree(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = _monthly(qtbot, demo_township, settings)
    qtbot.waitUntil(lambda: "计算中" not in window.findings_label.text(), timeout=20_000)
    counted = _status_count(window)
    assert counted == page.current.open_count > 0
    assert f"未说明的警告 {len(page.current.report.unexplained)} 条" in page.summary.text()
    report = window.show_page("report")
    qtbot.waitUntil(lambda: report.problems.count() > 0, timeout=20_000)
    listed = [report.problems.item(i).text() for i in range(report.problems.count())]
    assert len([t for t in listed if not t.startswith("[未填报]")]) == counted  # every open finding, no more
    assert "尚不能上报" in page.summary.text()

    db, _info = setup.open_initialized(demo_township)
    demo.explain_open_warnings(db)  # the clerk explains every warning (in another window, say)
    db.close()
    window.refresh_findings()
    page.refresh()
    qtbot.waitUntil(lambda: window.findings_label.text() == "审核：全部通过", timeout=20_000)
    qtbot.waitUntil(lambda: page.current is not None and page.current.ready, timeout=20_000)
    assert "可以上报" in page.summary.text()
    close_window(window)


def test_the_county_panel_speaks_of_review_not_of_reporting(qtbot, demo_county: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window, page = _monthly(qtbot, demo_county, settings)
    qtbot.waitUntil(lambda: "计算中" not in window.findings_label.text(), timeout=20_000)
    text = page.summary.text()
    assert "上报" not in text and text.startswith("全部单位：")
    if page.current.ready:
        assert _status_count(window) == 0 and "没有错误和未说明的警告" in text
    else:
        assert f"待处理 {_status_count(window)} 条" in text
    close_window(window)
