"""驾驶舱 as a county officer uses it (issue 17): a double-click on a number opens its list once
(items 2 and 7: the target industries' chart keeps its labels readable on a 1366×768 screen)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QGraphicsTextItem

from hengdong_desktop.ui.pages import dashboard as dash
from tests.ui import test_dashboard

# The dashboard tests' fixtures: one demo county per run, a window on a copy, the page once drawn.
demo_county_file, window, page = test_dashboard.demo_county_file, test_dashboard.window, test_dashboard.page


def _double_click(qtbot, view: QAbstractItemView, index: QModelIndex) -> None:  # type: ignore[no-untyped-def]
    """The events a real double-click sends: press, release, double-click, release."""
    view.scrollTo(index)
    viewport = view.viewport()
    at = QPointF(view.visualRect(index).center())
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    for kind, buttons in (
        (QEvent.Type.MouseButtonPress, left),
        (QEvent.Type.MouseButtonRelease, none),
        (QEvent.Type.MouseButtonDblClick, left),
        (QEvent.Type.MouseButtonRelease, none),
    ):
        QApplication.sendEvent(
            viewport, QMouseEvent(kind, at, viewport.mapToGlobal(at), left, buttons, Qt.KeyboardModifier.NoModifier)
        )


def _opened_by(qtbot, page, act) -> int:  # type: ignore[no-untyped-def]
    """How many lists an action opens, once every background read it started has answered."""
    opened: list[object] = []
    page.drilled.connect(opened.append)
    act()
    qtbot.waitUntil(lambda: bool(opened), timeout=10_000)
    page.ctx.tasks.wait()
    QApplication.processEvents()
    page.drilled.disconnect(opened.append)
    for dialog in opened:
        dialog.close()  # type: ignore[attr-defined]
    return len(opened)


def test_a_double_click_opens_the_list_once(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(0)
    domains = page.domain_view
    cell = page.domain_model.index(0, dash.DOMAIN_ENTERPRISES)
    assert _opened_by(qtbot, page, lambda: _double_click(qtbot, domains, cell)) == 1

    page.tabs.setCurrentIndex(1)
    industries = page.industry_view
    assert _opened_by(qtbot, page, lambda: _double_click(qtbot, industries, industries.model().index(0, 0))) == 1

    page.tabs.setCurrentIndex(4)
    categories = page.category_view
    assert categories.model().rowCount() > 0
    assert _opened_by(qtbot, page, lambda: _double_click(qtbot, categories, categories.model().index(0, 0))) == 1


def _chart_texts(view) -> list[str]:  # type: ignore[no-untyped-def]
    """Every text the chart draws (axis labels, title, legend), as drawn."""
    return [item.toPlainText() for item in view.scene().items() if isinstance(item, QGraphicsTextItem)]


def test_the_charts_show_every_name_in_full_at_1366x768(qtbot, window, page) -> None:  # type: ignore[no-untyped-def]
    window.resize(1366, 768)
    for tab, view, names in (
        (1, page.industry_chart, [i.name for i in page.data.figures.industries]),
        (0, page.domain_chart, [page.domain_model.rows[r].name for r in range(page.domain_model.rowCount())]),
    ):
        page.tabs.setCurrentIndex(tab)
        qtbot.waitUntil(lambda v=view: v.chart().plotArea().height() > 0, timeout=5000)
        QApplication.processEvents()
        texts = _chart_texts(view)
        assert not [t for t in texts if "…" in t or "..." in t]
        assert set(names) <= set(texts)
