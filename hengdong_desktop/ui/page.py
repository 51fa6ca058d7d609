"""What the main window and its pages know of each other, declared as types mypy checks.

A page is a `Page`, built as `PageClass(ctx, parent)`. It keeps itself current: after each
operation it is asked whether the changes concern what it shows (`concerned`), and if so it
reads again (`refresh`) — at once while it is on screen, else when it is next shown; a change of
the current period is handled the same way (`follow_period`). It offers the window-wide commands
新建 (Ctrl+N), 保存 (Ctrl+S) and 查找 (Ctrl+F) through `commands()`, and a page holding unsaved
work says so (`has_unsaved`) and settles it before the window moves on (`leave`). Menu actions
and pages see the main window as a `Shell`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QMainWindow, QWidget

if TYPE_CHECKING:  # the main window is shown before the database layer is loaded (app.py)
    from hengdong_desktop.ui.changes import Changes
    from hengdong_desktop.ui.context import AppContext


@dataclass(frozen=True)
class Commands:
    """The window-wide commands a page offers; None: not on this page."""

    new_record: Callable[[], None] | None = None
    save: Callable[[], None] | None = None
    find: Callable[[], None] | None = None


class Page(QWidget):
    follows_period = False  # whether the page shows the current period

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale = False  # something it shows changed while it was hidden
        ctx.changed.connect(self._changed)
        ctx.period_changed.connect(self._period_changed)

    # keeping current ----------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        """Whether `changes` may touch what the page shows."""
        return False

    def refresh(self) -> None:
        """Reads again what the page shows."""

    def follow_period(self, period: str) -> None:
        """The current period changed: show it in the page's own selector (refresh follows)."""

    def refresh_when_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def _changed(self, changes: Changes) -> None:
        if self.concerned(changes):
            self.refresh_when_shown()

    def _period_changed(self, period: str) -> None:
        if self.follows_period:
            self.follow_period(period)
            self.refresh_when_shown()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self.stale:
            self.stale = False
            self.refresh()

    # commands of the window ---------------------------------------------------------------
    def commands(self) -> Commands:
        return Commands()

    def has_unsaved(self) -> bool:
        return False

    def leave(self, proceed: Callable[[], None]) -> None:
        """Before the window closes or the page's scope changes: settle unsaved work (save,
        discard or stay, after asking), then call `proceed` — unless the clerk stays."""
        proceed()


class Shell(QMainWindow):
    """The main window as menu actions and pages see it (`MainWindow` is the one)."""

    ctx: AppContext

    def show_page(self, key: str) -> Page:
        raise NotImplementedError

    def current_page(self) -> Page | None:
        raise NotImplementedError

    def settle(self, proceed: Callable[[], None]) -> None:
        """Lets every page settle its unsaved work, then calls `proceed` (unless the clerk stays)."""
        raise NotImplementedError
