"""Composition root of the desktop app: QApplication, translations, settings, the database in the
user data directory (created on first start), the task runner and the main window. The startup
checks (log, one instance per database, network share, integrity, daily backup) are in
ui/startup.py."""

from __future__ import annotations

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
from hengdong_desktop.db.location import is_server_url, without_password
from hengdong_desktop.domain import reference as ref_file
from hengdong_desktop.domain.reference import Unit
from hengdong_desktop.errors import UserError
from hengdong_desktop.resources import resource_path
from hengdong_desktop.services import setup
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui import startup
from hengdong_desktop.ui.context import AppContext, Lock
from hengdong_desktop.ui.database import start_integrity_check
from hengdong_desktop.ui.errors import install_excepthook, show_error
from hengdong_desktop.ui.i18n import install_translations
from hengdong_desktop.ui.main_window import MainWindow
from hengdong_desktop.ui.settings import Settings
from hengdong_desktop.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from hengdong_desktop.ui.setup_wizard import SetupChoice  # the wizard (and cryptography) on first start only

DB_FILE_NAME = "hengdong.sqlite3"
# For the startup benchmark (benchmarks/bench_startup.py), also of the frozen bundle: a file to
# write the startup's moments into; the window closes as soon as it has been shown.
STARTUP_PROBE = "HENGDONG_STARTUP_PROBE"
AskSetup = Callable[[QWidget | None, list[Unit]], "SetupChoice | None"]


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
    if not is_server_url(path) and not Path(path).exists():
        path = Path(path)
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
    opened = startup.open_checked(path)
    if opened is None:
        return None
    db, info = opened
    settings.set(s.DATABASE_PATH, without_password(str(path)) if is_server_url(path) else str(path))
    ctx = AppContext(db, info, settings, TaskRunner())
    window = MainWindow(ctx)
    startup.add_read_only_banner(window, ctx)
    # once the window is up: neither the file's integrity check nor the count delays it
    QTimer.singleShot(0, lambda: start_integrity_check(window))
    QTimer.singleShot(0, window.refresh_findings)
    return window


def probe_startup(out: Path, window: QWidget) -> None:
    """Writes when the first window was shown and which modules were loaded by then (in the order
    they were loaded), and closes it (the benchmark times the rest until the process has ended)."""
    shown = time.time()
    out.write_text(json.dumps({"shown": shown, "modules": list(sys.modules), "closing": time.time()}), encoding="utf-8")
    window.close()


def run() -> int:
    app = create_application()
    startup.start_logging()
    install_excepthook()
    settings = Settings()
    path = database_path(settings)
    # One window per database file; a server database is made for several at once.
    lock = startup.DatabaseLock(path) if isinstance(path, Path) else startup.NoLock()
    try:
        lock.acquire()
    except UserError as exc:
        show_error(None, exc)
        return 1
    held: Lock = lock  # the lock of the database open now (another may be opened meanwhile)
    try:
        try:
            window = build_main_window(path, settings)
        except Exception as exc:
            show_error(None, exc)
            return 1
        if window is None:
            return 0
        window.ctx.lock = lock
        window.show()
        startup.start_daily_backups(window.ctx, window)
        startup.start_change_watch(window.ctx, window)
        QTimer.singleShot(0, window.offer_demo)
        if os.environ.get(STARTUP_PROBE):
            QTimer.singleShot(0, lambda: probe_startup(Path(os.environ[STARTUP_PROBE]), window))
        code = app.exec()
        window.ctx.tasks.close()
        window.ctx.db.close()
        held = window.ctx.lock or lock
        return code
    finally:
        held.release()
        settings.store.sync()


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
