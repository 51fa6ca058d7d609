"""The window-wide commands that act on the current page: 新建 (Ctrl+N), 保存 (Ctrl+S), 查找
(Ctrl+F). A page offers them by having `new_record()`, `save()` or `focus_search()`; a page with
unsaved work has `confirm_leave() -> bool`, which the window asks before closing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

if TYPE_CHECKING:
    from hengdong_desktop.ui.main_window import MainWindow


def _run(window: MainWindow, method: str, missing: str) -> None:
    action = getattr(window.stack.currentWidget(), method, None)
    if action is None:
        window.statusBar().showMessage(missing, 4000)
        return
    action()


def new_record(window: MainWindow) -> None:
    _run(window, "new_record", QCoreApplication.translate("page_commands", "本页没有可新建的内容。"))


def save(window: MainWindow) -> None:
    _run(window, "save", QCoreApplication.translate("page_commands", "本页没有需要保存的内容。"))


def find(window: MainWindow) -> None:
    _run(window, "focus_search", QCoreApplication.translate("page_commands", "本页没有搜索框。"))
