"""The main window on a real database: first start, title, counts, demo data, status bar."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from hengdong_desktop.app import build_main_window, create_application, training_path
from hengdong_desktop.services import demo
from hengdong_desktop.services.setup import TOWNSHIP
from hengdong_desktop.ui import settings as s
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
    assert window.findChild(QLabel, "tile_enterprises").text() == "0"
    qtbot.waitUntil(lambda: "全部通过" in window.findings_label.text(), timeout=10_000)
    assert settings.get(s.DATABASE_PATH) == str(path)
    window.ctx.db.close()


def test_try_first_opens_a_separate_training_database(qtbot, tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    """先试用（演示数据）: a training database beside the production one, filled with demo data."""
    path = tmp_path / "hengdong.sqlite3"
    window = build_main_window(path, settings, ask_setup=lambda _p, _u: SetupChoice(TOWNSHIP, "吴集镇", "张三",
                                                                                  training=True))
    assert window is not None
    qtbot.addWidget(window)
    assert not path.exists() and window.ctx.db.path == training_path(path) and window.ctx.info.training
    assert settings.get(s.DATABASE_PATH) == str(training_path(path))
    assert window.windowTitle().startswith("【培训/演示】") and "leave_training" in window.actions_by_key
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
    assert "培训" not in window.windowTitle() and window.findChild(QLabel, "trainingBanner") is None
    assert "leave_training" not in window.actions_by_key
    window.ctx.db.close()


def test_demo_button_fills_a_training_database(qtbot, training_township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(training_township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert window.windowTitle().startswith("【培训/演示】")
    assert window.findChild(QLabel, "trainingBanner").text().startswith("培训/演示数据库")
    overview = window.pages["overview"]
    assert overview.demo_button.isVisibleTo(window)
    overview.demo_button.click()
    qtbot.waitUntil(lambda: window.findChild(QLabel, "tile_enterprises").text() == "30", timeout=20_000)
    assert not overview.demo_button.isVisibleTo(window)
    qtbot.waitUntil(lambda: "审核：" in window.findings_label.text() and "计算中" not in window.findings_label.text(),
                    timeout=10_000)
    window.close()
    assert not settings.get(s.WINDOW_GEOMETRY).isEmpty()
    window.ctx.db.close()


def test_qt_dialogs_are_translated(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication

    create_application()
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"


def test_menus_come_from_declared_actions(qtbot, township_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    from hengdong_desktop.ui.actions import ACTIONS

    window = build_main_window(township_path, settings)
    qtbot.addWidget(window)
    assert set(window.actions_by_key) == {a.key for a in ACTIONS if "township" in a.roles and not a.training_only}
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _w, _t, text: shown.append(text))
    window.actions_by_key["check"].trigger()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "待处理 0 条" in shown[0]
    window.ctx.db.close()
