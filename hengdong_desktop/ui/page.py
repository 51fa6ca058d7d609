"""What the main window and its pages know of each other, declared as types mypy checks.

A page is a `Page`: built as `PageClass(ctx, parent)`, it offers the window-wide commands 新建
(Ctrl+N), 保存 (Ctrl+S) and 查找 (Ctrl+F) through `commands()`, and a page holding unsaved work
says so (`has_unsaved`) and settles it before the window moves on (`leave`). Menu actions and
pages see the main window as a `Shell`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QMainWindow, QWidget

from hengdong_desktop.ui.context import AppContext


@dataclass(frozen=True)
class Commands:
    """The window-wide commands a page offers; None: not on this page."""

    new_record: Callable[[], None] | None = None
    save: Callable[[], None] | None = None
    find: Callable[[], None] | None = None


class Page(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

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
