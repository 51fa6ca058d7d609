"""Composition root of the desktop app: QApplication, translations, settings, the database in the
user data directory (created on first start), the task runner and the main window.

An up-to-date database file opens in two steps so that the clerk sees the main window without
waiting for imports: its frame is built from a first look at the file (db/first_look.py, the
standard library's sqlite3) and shown while the database layer is imported on a background
thread (entry.py); once the window has been painted the file is opened and attached. Anything
else (first start, a file to migrate or on a network share, a server database) is opened first
and the window shown after. The startup checks are in ui/instance.py and ui/startup.py."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop import APP_ID, APP_SHORT_NAME, ORG_NAME
from hengdong_desktop.db import first_look
from hengdong_desktop.db.location import is_network_path, is_server_url, without_password
from hengdong_desktop.domain.owner import DatabaseInfo
from hengdong_desktop.errors import UserError
from hengdong_desktop.resources import resource_path
from hengdong_desktop.ui import instance
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.errors import install_excepthook, show_error
from hengdong_desktop.ui.i18n import install_translations
from hengdong_desktop.ui.main_window import MainWindow
from hengdong_desktop.ui.settings import Settings

if TYPE_CHECKING:
    from hengdong_desktop.db.engine import Database
    from hengdong_desktop.domain.reference import Unit
    from hengdong_desktop.entry import CoreImport
    from hengdong_desktop.ui.context import Lock
    from hengdong_desktop.ui.setup_wizard import SetupChoice  # the wizard (and cryptography) on first start only

DB_FILE_NAME = "hengdong.sqlite3"
# For the startup benchmark (benchmarks/bench_startup.py), also of the frozen bundle: a file to
# write the startup's moments into; the window closes at the moment STARTUP_PROBE_AT names:
# `shown` (first painted) or `ready` (the database attached, the first page built; the default).
STARTUP_PROBE = "HENGDONG_STARTUP_PROBE"
STARTUP_PROBE_AT = "HENGDONG_STARTUP_PROBE_AT"
AskSetup = Callable[[QWidget | None, "list[Unit]"], "SetupChoice | None"]


def default_database_path() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / DB_FILE_NAME


def database_path(settings: Settings) -> Path | str:
    """HENGDONG_DB from the environment, else the last database used, else the default: a file's
    path, or a server database's URL (`postgresql://账号@服务器:端口/数据库名`)."""
    for value in (os.environ.get("HENGDONG_DB"), settings.get(s.DATABASE_PATH)):
        if value:
            return value if is_server_url(value) else Path(value)
    return default_database_path()


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORG_NAME)
    app.setApplicationName(APP_ID)
    app.setApplicationDisplayName(APP_SHORT_NAME)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.png"))))
    install_translations(app)
    return app


def training_path(path: Path) -> Path:
    """Where the training database (先试用) lives: beside the production one, never in its place."""
    return path.with_name(f"{path.stem}-training{path.suffix}")


def build_main_window(path: Path | str, settings: Settings, ask_setup: AskSetup | None = None) -> MainWindow | None:
    """Opens (or, after asking, creates) the database at `path` and builds the main window; a
    choice to try the system first creates and opens a separate training database instead. A
    server database is opened after asking for the password if the server wants one.

    Returns None when the user cancels the first-start setup or the login."""
    from hengdong_desktop.ui import startup

    if not is_server_url(path) and not Path(path).exists():
        created = create_database(Path(path), ask_setup)
        if created is None:
            return None
        path = created
    opened = startup.open_checked(path)
    if opened is None:
        return None
    db, info = opened
    window = MainWindow(settings, info)
    attach_database(window, path, db, info)
    return window


def create_database(path: Path, ask_setup: AskSetup | None) -> Path | None:
    """The first start: asks what this database is for and creates it (a training database
    beside the production one when the clerk tries the system first); None when cancelled."""
    from hengdong_desktop.domain import reference as ref_file
    from hengdong_desktop.services import setup

    ref, _targets = ref_file.load_file(ref_file.default_file())
    if ask_setup is None:
        from hengdong_desktop.ui.setup_wizard import SetupWizard

        ask_setup = SetupWizard.ask
    choice = ask_setup(None, list(ref.units))
    if choice is None:
        return None
    if choice.training:
        path = training_path(path)
    if not path.exists():
        setup.init_database(
            path,
            choice.role,
            choice.unit,
            choice.operator,
            key_passphrase=choice.key_passphrase,
            training=choice.training,
            county_identity=choice.county_identity,
        )
    return path


def first_window(path: Path | str, settings: Settings) -> MainWindow | None:
    """The main window's frame for an up-to-date local database file, built before the database
    layer is loaded; None for anything to be opened the full way first (`build_main_window`)."""
    if not isinstance(path, Path) or is_network_path(path):
        return None
    info = first_look.read_owner(path)
    return None if info is None else MainWindow(settings, info)


def open_into(window: MainWindow, path: Path) -> bool:
    """Opens the database the frame was shown for and attaches it; False when the clerk quits."""
    from hengdong_desktop.ui import startup

    opened = startup.open_checked(path, window)
    if opened is None:
        return False
    attach_database(window, path, *opened)
    return True


def attach_database(window: MainWindow, path: Path | str, db: Database, info: DatabaseInfo) -> None:
    """Gives the window its open database; the file's integrity check and the count of open
    findings start once the window is up, neither delaying it."""
    from hengdong_desktop.ui import startup
    from hengdong_desktop.ui.context import AppContext
    from hengdong_desktop.ui.database import start_integrity_check
    from hengdong_desktop.ui.tasks import TaskRunner

    settings = window.settings
    settings.set(s.DATABASE_PATH, without_password(str(path)) if is_server_url(path) else str(path))
    ctx = AppContext(db, info, settings, TaskRunner())
    window.attach(ctx)
    startup.add_read_only_banner(window, ctx)
    QTimer.singleShot(0, lambda: start_integrity_check(window))
    QTimer.singleShot(0, window.refresh_findings)


class StartupProbe:
    """Writes when the first window was painted and when it was ready, which modules were
    loaded by then (in load order; `core_modules`: those the background import had loaded when
    it finished), and closes the window (the benchmark times the rest until the process ends)."""

    def __init__(self, out: Path, window: MainWindow, at: str, core: CoreImport | None) -> None:
        self.out, self.window, self.at, self.core = out, window, at, core
        self.moments: dict[str, float] = {}
        self.frame_first = not window.attached  # shown before its database was opened
        window.painted.connect(lambda: self._reached("shown"))
        window.ready.connect(lambda: self._reached("ready"))
        if window.attached:
            self._reached("ready")

    def _reached(self, moment: str) -> None:
        self.moments.setdefault(moment, time.time())
        if "shown" in self.moments and self.at in self.moments:
            QTimer.singleShot(0, self._write_and_close)

    def _write_and_close(self) -> None:
        if not self.window.isVisible():
            return
        record = {
            **self.moments,
            "modules": list(sys.modules),
            "core_modules": self.core.modules if self.core is not None else [],
            "frame_first": self.frame_first,
            "gc_enabled": gc.isenabled(),
            "closing": time.time(),
        }
        self.out.write_text(json.dumps(record), encoding="utf-8")
        self.window.close()


def run(core: CoreImport | None = None) -> int:
    app = create_application()
    instance.start_logging()
    install_excepthook()
    settings = Settings()
    path = database_path(settings)
    # One window per database file; a server database is made for several at once.
    lock = instance.DatabaseLock(path) if isinstance(path, Path) else instance.NoLock()
    try:
        lock.acquire()
    except UserError as exc:
        show_error(None, exc)
        return 1
    held: Lock = lock  # the lock of the database open now (another may be opened meanwhile)
    try:
        try:
            window = first_window(path, settings)
            if window is None:
                if core is not None:
                    core.join()  # one thread imports the database layer at a time
                window = build_main_window(path, settings)
        except Exception as exc:
            show_error(None, exc)
            return 1
        if window is None:
            return 0
        if os.environ.get(STARTUP_PROBE):
            _probe = StartupProbe(
                Path(os.environ[STARTUP_PROBE]), window, os.environ.get(STARTUP_PROBE_AT, "ready"), core
            )
        opening: list[bool] = []  # whether the file opened into the painted frame (or was left to quit)
        if window.attached:
            started(window, lock)
        else:
            window.painted.connect(
                lambda: QTimer.singleShot(0, lambda: opening.append(finish_opening(window, Path(path), lock, core)))
            )
        window.painted.connect(lambda: QTimer.singleShot(0, instance.log_versions))
        window.show()
        code = app.exec()
        if opening == [False]:
            return 1
        if window.attached:
            window.ctx.tasks.close()
            window.ctx.db.close()
            held = window.ctx.lock or lock
        return code
    finally:
        held.release()
        settings.store.sync()


def finish_opening(window: MainWindow, path: Path, lock: Lock, core: CoreImport | None) -> bool:
    """Once the frame has been painted: the database layer (waiting for its background import),
    the file opened and attached. If it cannot be, the clerk is told why, the window closes (so
    the app ends) and False is returned; the window closes too when the clerk chose to quit."""
    if not window.isVisible():
        return True  # closed before it was opened
    if core is not None:
        core.join()
    try:
        opened = open_into(window, path)
    except Exception as exc:
        show_error(window, exc)
        window.close()
        return False
    if opened:
        started(window, lock)
    else:
        window.close()
    return True


def started(window: MainWindow, lock: Lock) -> None:
    """What runs beside the open window: the daily backups, other officers' changes (a server
    database) and, in a new training database, the offer of demo data."""
    from hengdong_desktop.ui import startup

    gc.freeze()  # what starting made lives as long as the app: later collections pass it by
    gc.enable()  # (disabled until now by entry.main)
    window.ctx.lock = lock
    startup.start_daily_backups(window.ctx, window)
    startup.start_change_watch(window.ctx, window)
    QTimer.singleShot(0, window.offer_demo)


def end_process(code: int) -> NoReturn:
    """Ends the GUI process once `run` has closed everything: the database closed, its lock
    released, the settings written; the log is flushed here. What Python would do next, tearing
    down every Qt and SQLAlchemy object one by one, takes most of a second on a township PC and
    keeps nothing, so the process ends at once."""
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(code)
