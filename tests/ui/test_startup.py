"""Startup checks of the app on real files and real processes: a damaged page and the restore path,
read-only mode, two instances, an app killed mid-write and restarted, a network share."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from hengdong_desktop import app as app_module
from hengdong_desktop.app import build_main_window
from hengdong_desktop.db import engine as eng
from hengdong_desktop.db.backup import side_file
from hengdong_desktop.errors import UserError, as_user_error
from hengdong_desktop.services import backups, demo, setup
from hengdong_desktop.ui import instance, startup
from hengdong_desktop.ui.instance import DatabaseLock
from hengdong_desktop.ui.startup import Recovery, RecoveryDialog
from hengdong_desktop.ui.tasks import Cancelled, TaskHandle
from tests.damage import corrupt_table


@pytest.fixture
def filled(training_township_path: Path) -> Path:
    db, _info = setup.open_initialized(training_township_path)
    demo.generate(db, enterprises=5, months=2, seed=3)
    db.close()
    return training_township_path


def _answer(monkeypatch: pytest.MonkeyPatch, choice: Recovery) -> list[startup.Damage]:
    asked: list[startup.Damage] = []

    def ask(_parent, damage):  # type: ignore[no-untyped-def]
        asked.append(damage)
        return choice

    monkeypatch.setattr(RecoveryDialog, "ask", ask)
    return asked


def test_damage_found_once_the_window_is_up_offers_the_latest_good_backup_and_restores(  # type: ignore[no-untyped-def]
    qtbot, filled: Path, settings, monkeypatch, no_message_boxes
) -> None:
    good = backups.backup_file(filled, "daily", now=datetime(2025, 1, 1, 8))
    corrupt_table(filled, "enterprises")
    damaged = filled.read_bytes()
    asked = _answer(monkeypatch, Recovery.RESTORE)

    window = build_main_window(filled, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert asked == [] and window.ctx.db.problems is None  # opened at once, checked once the window is up
    with qtbot.waitSignal(window.ctx.database_replaced, timeout=10_000):
        pass  # the check found the damage, the clerk chose the backup, the backup replaced the file
    assert len(asked) == 1 and asked[0].problems and asked[0].backup.path == good
    # the overview's reads of the damaged table meanwhile: a sentence, never the crash dialog
    assert no_message_boxes and all("已损坏" in str(as_user_error(exc)) for exc in no_message_boxes)
    assert not window.ctx.db.read_only
    with qtbot.waitSignal(window.pages["overview"].refreshed, timeout=10_000):
        pass  # the overview reads the restored file in the background
    assert window.findChild(QLabel, "tile_enterprises").text() == "5"
    assert not window.findChild(QLabel, "readOnlyBanner").isVisibleTo(window)
    assert backups.check(filled) == []
    [kept] = [b for b in backups.list_backups(filled) if b.reason == "restore"]
    assert kept.path.read_bytes() == damaged  # the damaged file is kept, not deleted
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_declining_restore_keeps_it_read_only_and_the_page_restores_later(
    qtbot, filled: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.ui.pages.backups import RestoreConfirmation

    backups.backup_file(filled, "daily", now=datetime(2025, 1, 1, 8))
    corrupt_table(filled, "audit_log")  # the overview still reads; the file is damaged all the same
    asked = _answer(monkeypatch, Recovery.READ_ONLY)

    window = build_main_window(filled, settings)
    assert window is not None
    qtbot.addWidget(window)
    ctx = window.ctx
    banner = window.findChild(QLabel, "readOnlyBanner")
    assert not ctx.db.read_only and not banner.isVisibleTo(window)
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert ctx.db.read_only and ctx.db.problems
    assert banner.isVisibleTo(window) and "只读" in banner.text()
    with pytest.raises(UserError, match="禁止修改"), ctx.db.write(ctx.info.actor("form")):
        pass

    window.show()
    page = window.show_page("backups")
    with qtbot.waitSignal(page.listed, timeout=10_000):
        pass
    assert page.model.rowCount() == 1 and not page.backup_button.isEnabled()
    page.table.selectRow(0)
    monkeypatch.setattr(RestoreConfirmation, "ask", lambda _parent, _info: True)
    with qtbot.waitSignal(ctx.database_replaced, timeout=10_000):
        page.restore_button.click()
    assert not ctx.db.read_only and not banner.isVisibleTo(window)
    assert backups.check(filled) == []
    with ctx.db.write(ctx.info.actor("form")) as s:  # writable again
        s.execute(text("UPDATE app_meta SET value = value WHERE key = 'role'"))
    ctx.tasks.wait()
    ctx.db.close()


def test_a_write_before_the_check_has_run_waits_for_it_and_writes_nothing_into_a_damaged_file(
    qtbot, filled: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    corrupt_table(filled, "audit_log")
    asked = _answer(monkeypatch, Recovery.READ_ONLY)
    window = build_main_window(filled, settings)
    assert window is not None
    qtbot.addWidget(window)
    ctx = window.ctx
    assert ctx.db.problems is None  # the background check has not started yet: the event loop has not run
    with pytest.raises(UserError, match="禁止修改"), ctx.db.write(ctx.info.actor("form")) as s:
        s.execute(text("UPDATE app_meta SET value = 'changed' WHERE key = 'operator'"))
    assert ctx.db.problems and ctx.db.read_only
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)  # the clerk is told once, by the check's answer
    assert len(asked) == 1 and window.findChild(QLabel, "readOnlyBanner").isVisibleTo(window)
    with ctx.db.read() as s:
        assert s.scalar(text("SELECT value FROM app_meta WHERE key = 'operator'")) != "changed"
    ctx.tasks.wait()
    ctx.db.close()


def test_damaged_without_backup_can_quit(qtbot, filled: Path, settings, monkeypatch, no_message_boxes) -> None:  # type: ignore[no-untyped-def]
    corrupt_table(filled, "enterprises")
    asked = _answer(monkeypatch, Recovery.QUIT)
    window = build_main_window(filled, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)  # quitting closes the window
    assert asked[0].backup is None
    window.ctx.tasks.wait()
    window.ctx.db.close()
    assert backups.list_backups(filled) == []  # nothing was touched


def test_a_file_too_damaged_to_open_is_checked_first_and_its_backup_offered(
    filled: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    backups.backup_file(filled, "daily", now=datetime(2025, 1, 1, 8))
    with open(filled, "r+b") as fh:  # the schema on the first page, after the file header: garbage
        fh.seek(100)
        fh.write(bytes((i * 37 + 11) % 256 for i in range(3000)))
    asked = _answer(monkeypatch, Recovery.QUIT)
    assert build_main_window(filled, settings) is None  # asked before any window
    assert len(asked) == 1 and asked[0].problems and asked[0].backup is not None


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv[:1])
from hengdong_desktop.ui.instance import DatabaseLock
lock = DatabaseLock(Path(sys.argv[1]))
lock.acquire()
print("LOCKED", flush=True)
time.sleep(120)
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env)
    watchdog = threading.Timer(90, proc.kill)  # never let a stuck child hang the suite
    watchdog.daemon = True
    watchdog.start()
    return proc


def test_second_instance_is_refused_and_a_dead_ones_lock_is_taken_over(qapp, township_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    other = _spawn(_HOLD_LOCK, str(township_path))
    try:
        assert other.stdout.readline().strip() == "LOCKED"
        with pytest.raises(UserError, match=f"已经在另一个窗口中打开（进程号 {other.pid}）"):
            DatabaseLock(township_path).acquire()

        shown: list[str] = []
        logging_started: list[object] = []
        monkeypatch.setenv("HENGDONG_DB", str(township_path))
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)
        monkeypatch.setattr(threading, "excepthook", threading.excepthook)
        monkeypatch.setattr(app_module, "show_error", lambda _parent, exc: shown.append(str(exc)))
        # the app's log handler and Qt message handler would outlive this test (test_errors_and_logs
        # covers them): record that logging starts instead
        monkeypatch.setattr(instance, "start_logging", lambda log_dir=None: logging_started.append(log_dir))
        assert app_module.run() == 1
        assert "同一个数据库不能同时打开两次" in shown[0] and logging_started == [None]
    finally:
        other.kill()  # SIGKILL, or TerminateProcess on Windows: the lock is left behind
        other.wait()
    assert instance.lock_path(township_path).exists()  # left behind by the killed process
    lock = DatabaseLock(township_path)
    lock.acquire()
    lock.release()


def test_the_lock_owner_is_this_computer_whatever_its_network_name(qapp, township_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """QLockFile records COMPUTERNAME on Windows (upper case, at most 15 characters), which is not the
    name `platform.node()` gives for a PC called e.g. "Wuji-Zhen-Office-PC": a second window on the
    same PC must still be told it is the same computer."""
    monkeypatch.setattr(platform, "node", lambda: "Wuji-Zhen-Office-PC.hengdong.local")
    other = _spawn(_HOLD_LOCK, str(township_path))
    try:
        assert other.stdout.readline().strip() == "LOCKED"
        with pytest.raises(UserError, match="已经在另一个窗口中打开"):
            DatabaseLock(township_path).acquire()
    finally:
        other.kill()
        other.wait()


_WRITE_UNTIL_KILLED = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
app = QCoreApplication(sys.argv[:1])
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from hengdong_desktop.db import engine
from hengdong_desktop.services import setup
from hengdong_desktop.ui.instance import DatabaseLock
path, batches, batch, network = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
if network:
    engine.is_network_path = lambda _path: True
lock = DatabaseLock(path)
lock.acquire()
db, info = setup.open_initialized(path)
value = "衡东" * 1500
for n in range(batches + 1):
    with db.write(info.actor("cli")) as s:
        s.execute(text("PRAGMA cache_size = 4"))  # a tiny page cache: uncommitted pages reach the files
        if n == batches:  # the write that is interrupted also rewrites every committed row
            s.execute(text("UPDATE app_meta SET value = 'uncommitted' WHERE key LIKE 'row-%'"))
        s.execute(text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"),
                  [{"k": f"row-{n}-{i}", "v": value} for i in range(batch)])
        if n == batches:
            print("MID", flush=True)
            time.sleep(120)
    print(f"COMMITTED {n + 1}", flush=True)
"""


@pytest.mark.parametrize("network", [False, True], ids=["wal", "rollback-journal"])
def test_app_killed_mid_write_restarts_with_every_committed_row(
    qapp, township_path: Path, network: bool, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    batches, batch = 3, 40
    child = _spawn(_WRITE_UNTIL_KILLED, str(township_path), str(batches), str(batch), "1" if network else "0")
    lines = []
    for line in child.stdout:
        lines.append(line.strip())
        if line.strip() == "MID":
            break
    child.kill()
    child.wait()
    assert lines == [f"COMMITTED {n}" for n in range(1, batches + 1)] + ["MID"]
    leftover = side_file(township_path, "-journal" if network else "-wal")
    assert leftover.exists() and leftover.stat().st_size > 0  # the interrupted write left its journal

    if network:
        monkeypatch.setattr(eng, "is_network_path", lambda _path: True)
        monkeypatch.setattr(startup, "is_network_path", lambda _path: True)
        monkeypatch.setattr(startup, "warn_network_path", lambda _parent, _path: None)
    _answer(monkeypatch, Recovery.QUIT)  # would make the test fail below: no damage expected
    lock = DatabaseLock(township_path)
    lock.acquire()  # the killed app's lock is stale
    try:
        opened = startup.open_checked(township_path)
        assert opened is not None
        db, _info = opened
        with db.read() as s:
            rows = s.execute(text("SELECT value, count(*) FROM app_meta WHERE key LIKE 'row-%' GROUP BY value")).all()
        db.close()
    finally:
        lock.release()
    assert rows == [("衡东" * 1500, batches * batch)]  # every committed row as committed, nothing of the rest
    assert backups.check(township_path) == []


def test_network_share_is_warned_and_uses_rollback_journal(qtbot, township_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    warned: list[Path] = []
    monkeypatch.setattr(eng, "is_network_path", lambda _path: True)
    monkeypatch.setattr(startup, "is_network_path", lambda _path: True)
    monkeypatch.setattr(startup, "warn_network_path", lambda _parent, path: warned.append(path))
    window = build_main_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert warned == [township_path]
    with window.ctx.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
    window.ctx.tasks.wait()
    window.ctx.db.close()


def test_daily_backup_runs_in_the_background(qtbot, township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = build_main_window(township_path, settings)
    qtbot.addWidget(window)
    timer = startup.start_daily_backups(window.ctx, window)
    qtbot.waitUntil(lambda: [b.reason for b in backups.list_backups(township_path)] == ["daily"], timeout=10_000)
    assert timer.isActive() and timer.interval() == 60 * 60 * 1000
    timer.timeout.emit()  # the hourly check the same day makes no second backup
    window.ctx.tasks.wait()
    assert len(backups.list_backups(township_path)) == 1
    window.ctx.db.close()


def test_closing_while_the_overview_reads_stops_its_reads_instead_of_waiting(
    qtbot, township_path: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Closing the window cancels the 概览's reads, and they stop at their next cancellation
    point instead of reading on to their end (what closing used to wait for)."""
    window = build_main_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    ctx = window.ctx
    qtbot.waitUntil(lambda: window.findings.total is not None and not ctx.tasks.busy, timeout=10_000)
    started: list[TaskHandle] = []
    read = ctx.tasks.read
    monkeypatch.setattr(ctx.tasks, "read", lambda work, **kw: started.append(read(work, **kw)) or started[-1])
    reading = threading.Event()

    def hold(*_args: object) -> None:  # the reads' statements wait until the window closes
        if threading.current_thread() is not threading.main_thread():
            reading.set()
            while not (started and all(h.is_cancelled for h in started)):
                time.sleep(0.01)

    event.listen(ctx.db.engine, "before_cursor_execute", hold)
    window.pages["overview"].refresh()
    assert reading.wait(10) and len(started) == 2  # the counts and the next step
    ctx.tasks.close()
    qtbot.waitUntil(lambda: all(h.done for h in started), timeout=10_000)
    for handle in started:
        assert handle.result is None and isinstance(handle.error, Cancelled | OperationalError), handle.error
    event.remove(ctx.db.engine, "before_cursor_execute", hold)
    ctx.db.close()


# Loaded only when their feature is first used (issue 20): the Alembic migrations (an up-to-date
# database), Excel, PDF, charts, the PDF viewer, signatures and the server driver.
LOADED_ON_FIRST_USE = (
    "alembic",
    "openpyxl",
    "reportlab",
    "PySide6.QtCharts",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "cryptography",
    "psycopg",
    "sqlalchemy.dialects.postgresql",
)


def _qt_free(module: str) -> bool:
    """SQLAlchemy and the app's modules that import no Qt (the core: domain, db, services)."""
    return module.split(".")[0] == "sqlalchemy" or module.startswith(
        ("hengdong_desktop.domain", "hengdong_desktop.db", "hengdong_desktop.services")
    )


def _start(database: Path, probe: Path, at: str) -> dict[str, object]:
    """The app started as the clerk starts it (main.py), closed at `at`: the probe's record."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HENGDONG_DB": str(database),
        app_module.STARTUP_PROBE: str(probe),
        app_module.STARTUP_PROBE_AT: at,
    }
    done = subprocess.run(
        [sys.executable, str(Path(app_module.__file__).parents[1] / "main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    record: dict[str, object] = json.loads(probe.read_text(encoding="utf-8"))
    return record


@pytest.mark.sqlite_only
def test_opening_the_window_loads_nothing_its_first_page_does_not_use(tmp_path: Path, township_path: Path) -> None:
    """On a township and on a county database: when the main window is ready (painted, its
    database open, 概览 built), none of the heavy modules is loaded, and every Qt-free module it
    uses was loaded by the background import (entry.GUI_CORE); the process then quits with exit
    code 0. Closed as soon as it has been painted, it quits with 0 too."""
    county = tmp_path / "county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "李四")
    for database in (township_path, county):
        record = _start(database, tmp_path / f"{database.stem}-probe.json", "ready")
        loaded = record["modules"]
        assert isinstance(loaded, list) and isinstance(record["core_modules"], list)
        modules = set(loaded)
        assert {"hengdong_desktop.ui.main_window", "hengdong_desktop.ui.pages.overview", "sqlalchemy"} <= modules
        assert [name for name in LOADED_ON_FIRST_USE if name in modules] == [], database.name
        assert record["frame_first"] is True  # painted before its database was opened
        assert record["gc_enabled"] is True  # off while starting (entry.main), on again once ready
        assert float(record["shown"]) <= float(record["ready"])  # type: ignore[arg-type]
        late = [name for name in loaded if _qt_free(name) and name not in record["core_modules"]]
        assert late == [], f"add to entry.GUI_CORE: {late}"
        shown = _start(database, tmp_path / f"{database.stem}-shown.json", "shown")
        assert "ready" not in shown and "hengdong_desktop.ui.main_window" in shown["modules"]  # type: ignore[operator]


_FRAME_FIRST = """
import json, sys
from pathlib import Path
from PySide6.QtCore import QEventLoop, QSettings
from hengdong_desktop import app
from hengdong_desktop.ui.settings import Settings

qapp = app.create_application()
settings = Settings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
window = app.first_window(Path(sys.argv[1]), settings)
loop = QEventLoop()
window.painted.connect(loop.quit)
window.show()
loop.exec()
painted = {
    "modules": sorted(sys.modules),
    "title": window.windowTitle(),
    "nav": [window.nav.item(i).text() for i in range(window.nav.count())],
    "menus": [a.text() for m in window.menus.values() for a in m.actions() if a.text()],
    "status": window.unit_label.text() + window.period_label.text(),
    "page": window.stack.currentWidget().objectName(),
    "attached": window.attached,
}
opened = app.open_into(window, Path(sys.argv[1]))
ready = {"opened": opened, "modules": sorted(sys.modules), "page": type(window.current_page()).__name__}
window.ctx.tasks.close()
print(json.dumps({"painted": painted, "ready": ready}))
"""


@pytest.mark.sqlite_only
def test_the_window_is_painted_before_the_database_layer_is_loaded(tmp_path: Path, township_path: Path) -> None:
    """An up-to-date database file: the main window's frame — title, navigation, menus, status
    bar, 正在打开数据库 where the page will be — is painted with neither SQLAlchemy nor the models
    loaded; then the file is opened into it and 概览 built, still without Alembic or the other
    heavy modules."""
    done = subprocess.run(
        [sys.executable, "-c", _FRAME_FIRST, str(township_path), str(tmp_path / "settings.ini")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    painted, ready = result["painted"], result["ready"]
    assert "吴集镇" in painted["title"] and "乡镇填报" in painted["title"]
    assert painted["nav"][0] == "概览" and "新建(&N)" in painted["menus"]
    assert "吴集镇" in painted["status"] and "当前期别" in painted["status"]
    assert painted["page"] == "opening" and painted["attached"] is False
    heavy = [m for m in painted["modules"] if m.split(".")[0] in ("sqlalchemy", "alembic") or m.endswith(".db.models")]
    assert heavy == []
    assert ready["opened"] is True and ready["page"] == "OverviewPage"
    assert "sqlalchemy" in ready["modules"]
    assert [name for name in LOADED_ON_FIRST_USE if name in ready["modules"]] == []


def test_only_an_up_to_date_initialised_file_is_shown_before_it_is_opened(
    tmp_path: Path, township_path: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    """The first look reads whose the file is as the database layer reads it; a file of an
    older schema, one not initialised, one that is not a database and a server database are
    opened the full way first (no frame)."""
    looked = app_module.first_look.read_owner(township_path)
    db, info = setup.open_initialized(township_path)
    db.close()
    assert looked == info
    window = app_module.first_window(township_path, settings)
    assert window is not None and not window.attached
    window.deleteLater()
    old = tmp_path / "old.sqlite3"
    old.write_bytes(township_path.read_bytes())
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0007_server'")
    empty = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty).close()
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    for path in (old, empty, garbage, tmp_path / "missing.sqlite3"):
        assert app_module.first_look.read_owner(path) is None, path.name
        assert app_module.first_window(path, settings) is None, path.name
    assert app_module.first_window("postgresql://office@localhost/county", settings) is None


def test_the_frame_keeps_the_clerks_choices_until_its_database_is_open(  # type: ignore[no-untyped-def]
    qtbot, township_path: Path, settings, monkeypatch
) -> None:
    """Before the database is attached the menus are greyed and their shortcuts do nothing; a
    page chosen in the navigation is the one built once it is open."""
    from hengdong_desktop.ui import main_window

    failed: list[Exception] = []
    monkeypatch.setattr(main_window, "show_error", lambda _parent, exc: failed.append(exc))
    window = app_module.first_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window._painted)
    assert not window.menuBar().isEnabled() and window.stack.currentWidget() is window.opening
    window.actions_by_key["check"].trigger()  # 审核全部数据 before there is a database: nothing happens
    assert window.pages == {} and failed == []
    window.nav.setCurrentRow([spec.key for spec in window.specs].index("enterprises"))
    assert app_module.open_into(window, township_path)
    assert window.menuBar().isEnabled() and window.attached
    assert type(window.current_page()).__name__ == "EnterprisesPage" and list(window.pages) == ["enterprises"]
    # the integrity check and the findings count start once it has opened: let them finish
    qtbot.waitUntil(lambda: "计算中" not in window.findings_label.text(), timeout=20_000)
    window.ctx.tasks.wait()
    window.close()
    window.ctx.db.close()


def test_a_file_that_fails_to_open_after_its_frame_was_painted_says_why_and_ends(
    qtbot, township_path: Path, settings, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(app_module, "show_error", lambda _parent, exc: shown.append(str(exc)))

    def broken(_path, _parent=None):  # type: ignore[no-untyped-def]
        raise UserError("数据库文件“wuji.sqlite3”无法打开（测试）。")

    monkeypatch.setattr(startup, "open_checked", broken)
    window = app_module.first_window(township_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    assert app_module.finish_opening(window, township_path, instance.NoLock(), None) is False
    assert shown == ["数据库文件“wuji.sqlite3”无法打开（测试）。"]
    assert not window.isVisible() and not window.attached
    # closed before it was opened: nothing more is done
    assert app_module.finish_opening(window, township_path, instance.NoLock(), None) is True
    assert len(shown) == 1
