"""What every window and page shares: the open database, whose it is, settings, the task
runner, the current period, and a signal that data changed."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.setup import DatabaseInfo
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.settings import Settings
from hengdong_desktop.ui.tasks import TaskRunner


class AppContext(QObject):
    data_changed = Signal()
    period_changed = Signal(str)

    def __init__(self, db: Database, info: DatabaseInfo, settings: Settings, tasks: TaskRunner) -> None:
        super().__init__()
        self.db = db
        self.info = info
        self.settings = settings
        self.tasks = tasks
        saved = settings.get(s.LAST_PERIOD)
        self._period = saved if periods.is_period(saved) else periods.last_completed()
        self._reference: Reference | None = None
        self.data_changed.connect(self._forget_reference)

    def reference(self) -> Reference:
        """The reference data (names, options), read once and again after any data change."""
        if self._reference is None:
            self._reference = load_reference(self.db)
        return self._reference

    def _forget_reference(self) -> None:
        self._reference = None

    @property
    def period(self) -> str:
        return self._period

    def set_period(self, period: str) -> None:
        if period != self._period and periods.is_period(period):
            self._period = period
            self.settings.set(s.LAST_PERIOD, period)
            self.period_changed.emit(period)
