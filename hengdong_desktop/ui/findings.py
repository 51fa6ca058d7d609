"""The count of open findings in the status bar (errors and unexplained warnings of the whole
database): counted in full once, in the background; afterwards each operation re-checks only the
enterprises and projects it changed (services.checks.open_by_owner), so keeping the count current
costs the same in a township of 500 enterprises as in a county of 9,000."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hengdong_desktop.services import checks
from hengdong_desktop.services.checks import Owner
from hengdong_desktop.ui.changes import RECORD_KINDS, Changes
from hengdong_desktop.ui.context import AppContext


class FindingsCount(QObject):
    counted = Signal(int)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.by_owner: dict[Owner, int] | None = None
        self._asked = 0  # counts are numbered; an owner keeps the answer of its latest count
        self._newer: dict[Owner, tuple[int, int]] = {}  # owner → (number, count) of re-checks
        self._full_number = 0
        ctx.changed.connect(self._changed)
        ctx.database_replaced.connect(self._forget)

    def _forget(self) -> None:
        """Another database: nothing counted so far applies to it."""
        self.by_owner, self._newer = None, {}

    @property
    def total(self) -> int | None:
        return None if self.by_owner is None else sum(self.by_owner.values())

    def recount(self) -> None:
        """Counts every owner again."""
        self._count(None)

    def _changed(self, changes: Changes) -> None:
        if changes.reference or (changes.touches(*RECORD_KINDS) and not changes.owners):
            self.recount()  # the rules' reference data changed, or which records changed is not known
        elif changes.owners:
            self._count(set(changes.owners))

    def _count(self, owners: set[Owner] | None) -> None:
        self._asked += 1
        number = self._asked
        db = self.ctx.db
        unit = None if self.ctx.info.is_county else self.ctx.info.unit_id

        def apply(counts: dict[Owner, int]) -> None:
            if db is not self.ctx.db:
                return  # counted on a database that has since been replaced
            if owners is None:
                if number < self._full_number:
                    return
                self._full_number = number
                # owners re-checked after this count began keep their newer answer
                self._newer = {k: v for k, v in self._newer.items() if v[0] > number}
                self.by_owner = counts | {k: count for k, (_n, count) in self._newer.items()}
            else:
                for owner, count in counts.items():
                    if self._newer.get(owner, (0, 0))[0] < number:
                        self._newer[owner] = (number, count)
                        if self.by_owner is not None:
                            self.by_owner[owner] = count
                if self.by_owner is None:
                    return  # shown with the full count
            self.counted.emit(sum(self.by_owner.values()))

        self.ctx.tasks.read(
            lambda progress: checks.open_by_owner(db, unit_id=unit, owners=owners, progress=progress),
            on_success=apply,
            on_failure=self.failed.emit,
        )
