"""What every window and page shares: the open database, whose it is, settings, the task
runner, the current period, and the notices that data changed or the database was replaced."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Signal

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.setup import DatabaseInfo, read_info
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.settings import Settings
from hengdong_desktop.ui.tasks import TaskRunner


class Lock(Protocol):
    """What keeps a second window off the same database (ui.instance.DatabaseLock)."""

    def release(self) -> None: ...


class AppContext(QObject):
    changed = Signal(object)  # Changes, after every operation (ui/operations.py)
    period_changed = Signal(str)
    # Another database file is open now (a backup restored, another database chosen): whatever
    # holds the old one is rebuilt from `db` and `info`.
    database_replaced = Signal()

    def __init__(self, db: Database, info: DatabaseInfo, settings: Settings, tasks: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.info = info
        self.settings = settings
        FileDialogs.settings = settings  # the file choosers remember their folders with the app's settings
        self.tasks = tasks
        self._period = self._saved_period()
        self._reference: Reference | None = None
        self.lock: Lock | None = None  # the open database's, when the app holds one

    def reference(self) -> Reference:
        """The reference data (names, options), read once and again after it changes."""
        if self._reference is None:
            self._reference = load_reference(self.db)
        return self._reference

    def announce(self, changes: Changes) -> None:
        if changes.reference:
            self._reference = None
        if changes.info:
            self.info = read_info(self.db)
        if not changes.empty:
            self.changed.emit(changes)

    def replace_database(self, db: Database, info: DatabaseInfo) -> Database:
        """Switches to another open database; returns the old one (closed by the caller)."""
        old, self.db, self.info, self._reference = self.db, db, info, None
        before, self._period = self._period, self._saved_period()
        self.database_replaced.emit()
        if self._period != before:
            self.period_changed.emit(self._period)
        return old

    def _saved_period(self) -> str:
        return s.current_period(self.settings, self.info.database_id)

    @property
    def period(self) -> str:
        return self._period

    def set_period(self, period: str) -> None:
        if period != self._period and periods.is_period(period):
            self._period = period
            self.settings.set(s.last_period(self.info.database_id), period)
            self.period_changed.emit(period)
