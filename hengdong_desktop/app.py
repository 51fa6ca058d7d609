"""Composition root of the desktop app: QApplication, translations, settings, the database in the
user data directory (created on first start), the task runner and the main window. The startup
checks (log, one instance per database, network share, integrity, daily backup) are in
ui/startup.py."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop import APP_ID, APP_SHORT_NAME, ORG_NAME
from hengdong_desktop.domain import reference as ref_file
from hengdong_desktop.domain.reference import Unit
from hengdong_desktop.errors import UserError
from hengdong_desktop.resources import resource_path
from hengdong_desktop.services import setup
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui import startup
from hengdong_desktop.ui.context import AppContext, Lock
from hengdong_desktop.ui.errors import install_excepthook, show_error
from hengdong_desktop.ui.i18n import install_translations
from hengdong_desktop.ui.main_window import MainWindow
from hengdong_desktop.ui.settings import Settings
from hengdong_desktop.ui.setup_wizard import SetupChoice, SetupWizard
from hengdong_desktop.ui.tasks import TaskRunner

DB_FILE_NAME = "hengdong.sqlite3"
AskSetup = Callable[[QWidget | None, list[Unit]], SetupChoice | None]


def default_database_path() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base) / DB_FILE_NAME


def database_path(settings: Settings) -> Path:
    """HENGDONG_DB from the environment, else the last database used, else the default."""
    env = os.environ.get("HENGDONG_DB")
    if env:
        return Path(env)
    saved = settings.get(s.DATABASE_PATH)
    return Path(saved) if saved else default_database_path()


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


def build_main_window(path: Path, settings: Settings, ask_setup: AskSetup = SetupWizard.ask) -> MainWindow | None:
    """Opens (or, after asking, creates) the database at `path` and builds the main window; a
    choice to try the system first creates and opens a separate training database instead.

    Returns None when the user cancels the first-start setup."""
    if not path.exists():
        ref, _targets = ref_file.load_file(ref_file.default_file())
        choice = ask_setup(None, list(ref.units))
        if choice is None:
            return None
        if choice.training:
            path = training_path(path)
        if not path.exists():
            setup.init_database(path, choice.role, choice.unit, choice.operator, key_passphrase=choice.key_passphrase,
                                training=choice.training, county_identity=choice.county_identity)
    opened = startup.open_checked(path)
    if opened is None:
        return None
    db, info = opened
    settings.set(s.DATABASE_PATH, str(path))
    ctx = AppContext(db, info, settings, TaskRunner())
    window = MainWindow(ctx)
    startup.add_read_only_banner(window, ctx)
    window.refresh_findings()
    return window


def run() -> int:
    app = create_application()
    startup.start_logging()
    install_excepthook()
    settings = Settings()
    path = database_path(settings)
    lock = startup.DatabaseLock(path)
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
        QTimer.singleShot(0, window.offer_demo)
        code = app.exec()
        window.ctx.tasks.wait()
        window.ctx.db.close()
        held = window.ctx.lock or lock
        return code
    finally:
        held.release()
