"""The app on a server database: the password asked at start (and never stored), the account
in the status bar, other officers' changes refreshing the pages, choosing the server database
on the settings page, and the 备份与恢复 page over pg_dump files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hengdong_desktop.app import build_main_window
from hengdong_desktop.db.location import server_url
from hengdong_desktop.services import demo, server, setup
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui import startup
from hengdong_desktop.ui.pages import settings_page

PASSWORD = "ui-pass-2025"


@pytest.fixture(autouse=True)
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[BaseException]]:
    """An error a screen would show in a (modal) message box fails the test instead of hanging it."""
    shown: list[BaseException] = []
    for module in ("errors", "pages.settings_page"):
        monkeypatch.setattr(f"hengdong_desktop.ui.{module}.show_error", lambda _parent, exc: shown.append(exc))
    yield shown
    assert not shown, shown


@pytest.fixture
def county(pg):  # type: ignore[no-untyped-def]
    """A county server database with demo data and an office account `ui_office`."""
    with pg.engine.connect() as conn:
        conn.execute(text('DROP ROLE IF EXISTS "ui_office"'))
    url = pg.new_county(training=True)  # demo data goes into training databases only
    db, _info = setup.open_initialized(url)
    try:
        demo.generate(db, enterprises=3, months=2, projects=1, seed=9, end_period="2025-06")
        server.add_account(db, "ui_office", "office", PASSWORD, display_name="刘科员")
    finally:
        db.close()
    yield url
    with pg.engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        conn.execute(text('DROP ROLE IF EXISTS "ui_office"'))


def test_the_password_is_asked_and_never_stored(qtbot, county: str, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    account_url = make_url(county).set(username="ui_office").render_as_string(hide_password=False)
    asked: list[str] = []

    def ask(_parent, location, account, problem):  # type: ignore[no-untyped-def]
        asked.append(problem)
        return "wrong-password" if len(asked) == 1 else PASSWORD

    monkeypatch.setattr(startup.LoginDialog, "ask", ask)
    window = build_main_window(account_url, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()  # pages refresh on a change while they are on screen
    assert len(asked) == 2 and all("密码" in p for p in asked)  # none given, then a wrong one
    label = window.findChild(QLabel, "accountLabel")
    assert label is not None and label.text() == "账号：ui_office（办公室）"
    assert window.ctx.info.operator == "刘科员"
    stored = settings.get(s.DATABASE_PATH)
    assert stored.startswith("postgresql") and PASSWORD not in stored and "ui_office@" in stored
    window.ctx.db.close()


def test_a_cancelled_login_opens_nothing(county: str, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(startup.LoginDialog, "ask", lambda *_a: None)
    account_url = make_url(county).set(username="ui_office").render_as_string(hide_password=False)
    assert build_main_window(account_url, settings) is None


def test_pages_refresh_when_another_officer_changes_data(qtbot, county: str, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(startup, "CHANGE_POLL_MS", 50)
    window = build_main_window(county, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()  # pages refresh on a change while they are on screen
    timer = startup.start_change_watch(window.ctx, window)
    assert timer is not None
    window.show_page("enterprises")
    page = window.pages["enterprises"]
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 * 18, timeout=10_000)
    other = create_engine(server_url(county), connect_args={"application_name": "another officer"})
    with other.begin() as conn:
        conn.execute(
            text(
                "UPDATE enterprises SET deleted_at = now(), deleted_reason = '调出'"
                " WHERE id IN (SELECT id FROM enterprises ORDER BY id LIMIT 2)"
            )
        )
    other.dispose()
    with qtbot.waitSignal(window.ctx.changed, timeout=5_000) as heard:
        pass
    assert heard.args[0].touches("enterprise") and heard.args[0].units is None  # whose records: not known
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 * 18 - 2, timeout=10_000)
    timer.stop()
    window.ctx.db.close()


def test_settings_page_chooses_the_server_database(qtbot, township_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()  # pages refresh on a change while they are on screen
    window.show_page("settings")
    page = window.pages["settings"]
    monkeypatch.setattr(
        settings_page.QInputDialog,
        "getText",
        lambda *_a, **_k: ("postgresql://zhangsan:secret@county-server:5432/hengdong", True),
    )
    page.switch_button.click()
    assert settings.get(s.DATABASE_PATH) == "postgresql://zhangsan@county-server:5432/hengdong"
    assert "重新启动" in page.switch_note.text() and "secret" not in page.switch_note.text()
    window.ctx.db.close()


def test_backups_page_lists_and_makes_server_dumps(qtbot, county: str, settings) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(county, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()  # pages refresh on a change while they are on screen
    window.actions_by_key["backups"].trigger()
    page = window.pages["backups"]
    qtbot.waitUntil(lambda: "还没有备份" in page.summary.text(), timeout=10_000)
    assert "计划任务" in page.folder_label.text()
    page.backup_button.click()
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=30_000)
    assert page.model.rows[0].path.suffix == ".dump" and page.model.rows[0].counts["enterprises"] == 3 * 18
    window.ctx.db.close()


def test_a_department_writes_only_its_domains_note(qtbot, pg, settings) -> None:  # type: ignore[no-untyped-def]
    with pg.engine.connect() as conn:
        conn.execute(text('DROP ROLE IF EXISTS "ui_dept"'))
    url = pg.new_county()
    db, _info = setup.open_initialized(url)
    try:
        server.add_account(db, "ui_dept", "department", PASSWORD, department="县住建局", display_name="王科长")
    finally:
        db.close()
    try:
        account = make_url(url).set(username="ui_dept", password=PASSWORD).render_as_string(hide_password=False)
        window = build_main_window(account, settings)
        assert window is not None
        qtbot.addWidget(window)
        window.show()  # pages refresh on a change while they are on screen
        window.show_page("domain_notes")
        page = window.pages["domain_notes"]
        qtbot.waitUntil(lambda: page.domains.count() == 4, timeout=10_000)
        editable = []
        for row in range(page.domains.count()):
            page.domains.setCurrentRow(row)
            if page.save_button.isEnabled():
                editable.append(page.domains.currentItem().text())
        assert editable == ["建筑业（未填）"]
        page.domains.setCurrentRow(2)
        page.editor.setPlainText("本月建筑业产值平稳，两个项目开工。")
        page.save()
        qtbot.waitUntil(lambda: page.domains.item(2).text() == "建筑业", timeout=10_000)
        assert page.editor.toPlainText() == "本月建筑业产值平稳，两个项目开工。" and "王科长" in page.status.text()
        window.actions_by_key["backups"].trigger()  # a department may not restore the county's database
        backups_page = window.pages["backups"]
        backups_page.backup_button.click()
        qtbot.waitUntil(lambda: backups_page.model.rowCount() == 1, timeout=30_000)
        backups_page.table.selectRow(0)
        assert not backups_page.restore_button.isEnabled()
        window.ctx.db.close()
    finally:
        with pg.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
            conn.execute(text('DROP ROLE IF EXISTS "ui_dept"'))
