"""The main window on a real database: first start, title, counts, demo data, status bar."""

from __future__ import annotations

import inspect
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from hengdong_desktop.app import build_main_window, create_application, training_path
from hengdong_desktop.services import demo
from hengdong_desktop.services.setup import TOWNSHIP
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.actions import ACTIONS
from hengdong_desktop.ui.navigation import PAGES, pages_for
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.setup_wizard import SetupChoice


def test_first_start_creates_database_and_shows_unit(qtbot, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "data" / "hengdong.sqlite3"
    asked = []

    def ask(_parent, units):  # type: ignore[no-untyped-def]
        asked.append([u.name for u in units])
        return SetupChoice(TOWNSHIP, "吴集镇", "张三")

    window = build_main_window(path, settings, ask_setup=ask)
    assert window is not None
    qtbot.addWidget(window)
    assert path.exists() and len(asked[0]) == 18
    assert "吴集镇" in window.windowTitle() and "百十亿" in window.windowTitle()
    assert "吴集镇" in window.unit_label.text()
    with qtbot.waitSignals([window.pages["overview"].refreshed, window.findings.counted], timeout=10_000):
        pass  # both were read in the background when the window was built
    assert window.findChild(QLabel, "tile_enterprises").text() == "0"
    assert "全部通过" in window.findings_label.text()
    assert settings.get(s.DATABASE_PATH) == str(path)
    window.ctx.db.close()


def test_try_first_opens_a_separate_training_database(qtbot, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """先试用（演示数据）: a training database beside the production one, filled with demo data."""
    path = tmp_path / "hengdong.sqlite3"
    window = build_main_window(
        path, settings, ask_setup=lambda _p, _u: SetupChoice(TOWNSHIP, "吴集镇", "张三", training=True)
    )
    assert window is not None
    qtbot.addWidget(window)
    assert not path.exists() and window.ctx.db.path == training_path(path) and window.ctx.info.training
    assert settings.get(s.DATABASE_PATH) == str(training_path(path))
    assert window.windowTitle().startswith("【培训/演示】") and "leave_training" in window.actions_by_key
    window.show()
    window.offer_demo()  # what the app does once the window shows
    qtbot.waitUntil(lambda: window.findChild(QLabel, "tile_enterprises").text() == "30", timeout=20_000)
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_cancelled_setup_creates_nothing(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "none.sqlite3"
    assert build_main_window(path, settings, ask_setup=lambda _p, _u: None) is None
    assert not path.exists()


def test_no_demo_data_is_offered_to_a_production_database(qtbot, township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """The issue's twelfth case: no box offering 生成演示数据, no button, nothing written."""
    window = build_main_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert not window.pages["overview"].demo_button.isVisibleTo(window)
    window.offer_demo()
    window.ctx.tasks.wait()
    assert demo.is_empty(window.ctx.db)
    assert "培训" not in window.windowTitle() and not window.findChild(QLabel, "trainingBanner").isVisibleTo(window)
    assert "leave_training" not in window.actions_by_key
    window.ctx.db.close()


def test_demo_button_fills_a_training_database(qtbot, training_township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(training_township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("【培训/演示】")
    assert window.findChild(QLabel, "trainingBanner").text().startswith("培训/演示数据库")
    window.show()
    overview = window.pages["overview"]
    with qtbot.waitSignal(overview.refreshed, timeout=10_000):
        pass
    assert overview.demo_button.isVisibleTo(window)
    with qtbot.waitSignals([overview.refreshed, window.findings.counted], timeout=30_000):
        overview.demo_button.click()
    assert window.findChild(QLabel, "tile_enterprises").text() == "30"
    assert not overview.demo_button.isVisibleTo(window)
    assert "审核：" in window.findings_label.text() and "计算中" not in window.findings_label.text()
    window.close()
    assert not settings.get(s.WINDOW_GEOMETRY).isEmpty()
    window.ctx.db.close()


def test_qt_dialogs_are_translated(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    create_application()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_menus_come_from_declared_actions(qtbot, township_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    window = build_main_window(township_path, settings)
    qtbot.addWidget(window)
    assert set(window.actions_by_key) == {
        "new",
        "save",
        "open_database",
        "find",
        "excel_template",
        "excel_import",
        "excel_export",
        "print_unit_forms",
        "print_unit_projects",
        "check",
        "backups",
        "about",
    }
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: shown.append(text))
    window.actions_by_key["check"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "待处理 0 条" in shown[0]
    window.ctx.db.close()


def test_every_menu_entry_and_page_resolves(qtbot, township_path: Path, county_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """Each declared menu action is in its menu with its shortcut and calls a function of the
    UI that takes the window; each declared page is built as a Page for the roles that see it."""
    assert len({a.key for a in ACTIONS}) == len(ACTIONS) and len({p.key for p in PAGES}) == len(PAGES)
    seen_pages: set[str] = set()
    for path in (township_path, county_path):
        window = build_main_window(path, settings)
        qtbot.addWidget(window)
        role = window.ctx.info.role
        mine = [a for a in ACTIONS if role in a.roles and not a.training_only]
        assert set(window.actions_by_key) == {a.key for a in mine}
        for spec in mine:
            action = window.actions_by_key[spec.key]
            assert action in window.menus[spec.menu].actions() and action.text() == spec.title
            assert action.shortcut() == QKeySequence(spec.shortcut or "")
            handler = spec.handler.resolve()
            assert handler.__module__ == f"hengdong_desktop.ui.{spec.handler.module}"
            assert len(inspect.signature(handler).parameters) == 1
        for spec in pages_for(role):
            page = window.show_page(spec.key)
            assert isinstance(page, Page) and window.current_page() is page and page.isVisibleTo(window)
            seen_pages.add(spec.key)
        window.ctx.tasks.wait()
        window.ctx.db.close()
    assert seen_pages == {p.key for p in PAGES}
