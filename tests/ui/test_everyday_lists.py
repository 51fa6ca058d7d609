"""企业库 as a clerk reads a long list (issue 17, item 1): another filter, search or sort starts
at the top, so what it found is in view; Ctrl+End reaches the last row, not the last one loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from hengdong_desktop.services import demo, setup
from tests.ui.entry_helpers import close_window, open_window, type_text, wait_counted

ENTERPRISES = 700  # several pages of 200


@pytest.fixture
def long_list(training_township_path: Path) -> Path:
    db, _info = setup.open_initialized(training_township_path)
    demo.generate(db, enterprises=ENTERPRISES, months=1, projects=0, seed=5, end_period="2025-03")
    db.close()
    return training_township_path


def _scrolled_down(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.view.setFocus()
    page.view.selectRow(0)
    for _ in range(6):
        qtbot.keyClick(page.view, Qt.Key.Key_PageDown)
    assert page.view.verticalScrollBar().value() > 0


def _at_top(page) -> bool:  # type: ignore[no-untyped-def]
    return page.view.verticalScrollBar().value() == 0 and page.view.rowAt(0) == 0


def test_a_filter_search_or_sort_starts_at_the_top(qtbot, long_list: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, long_list, settings, "enterprises")
    window.resize(1280, 800)
    page = window.pages["enterprises"]
    wait_counted(qtbot, page)

    _scrolled_down(qtbot, page)
    industry = page.filters["industry"]
    industry.setCurrentIndex(industry.findText("有色金属"))
    assert page.model.rowCount() > 0 and all(
        page.model.cell(r, "industry") == "有色金属" for r in range(page.model.rowCount())
    )
    assert _at_top(page)

    industry.setCurrentIndex(0)
    _scrolled_down(qtbot, page)
    with qtbot.waitSignal(page.model.modelReset, timeout=10_000):
        type_text(page.search, "有限")
    assert _at_top(page)

    _scrolled_down(qtbot, page)
    header = page.view.horizontalHeader()
    before = page.model.query
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2),
    )
    assert page.model.query.sort != before.sort  # sorted by the column clicked
    assert _at_top(page)
    close_window(window)


def test_ctrl_end_reaches_the_last_row(qtbot, long_list: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, long_list, settings, "enterprises")
    page = window.pages["enterprises"]
    wait_counted(qtbot, page)
    assert page.total == ENTERPRISES and page.model.rowCount() == page.model.PAGE  # one page read so far
    page.view.setFocus()
    page.view.selectRow(0)
    with qtbot.waitSignal(page.model.rowsInserted, timeout=10_000):
        qtbot.keyClick(page.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == ENTERPRISES
    assert page.view.currentIndex().row() == ENTERPRISES - 1 and page.selected_rows() == [ENTERPRISES - 1]
    last = page.view.visualRect(page.model.index(ENTERPRISES - 1, 0))
    assert page.view.viewport().rect().contains(last.center())  # in view
    assert page.total_label.text() == f"共 {ENTERPRISES:,} 户"  # nothing left to load
    close_window(window)
