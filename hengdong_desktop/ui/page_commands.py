"""The window-wide commands that act on the current page: 新建 (Ctrl+N), 保存 (Ctrl+S), 查找
(Ctrl+F), each offered by the page's `commands()` (ui/page.py)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from hengdong_desktop.ui.page import Commands, Shell


def _run(window: Shell, command: Callable[[Commands], Callable[[], None] | None], missing: str) -> None:
    page = window.current_page()
    action = command(page.commands()) if page is not None else None
    if action is None:
        window.statusBar().showMessage(missing, 4000)
        return
    action()


def new_record(window: Shell) -> None:
    _run(window, lambda c: c.new_record, QCoreApplication.translate("page_commands", "本页没有可新建的内容。"))


def save(window: Shell) -> None:
    _run(window, lambda c: c.save, QCoreApplication.translate("page_commands", "本页没有需要保存的内容。"))


def find(window: Shell) -> None:
    _run(window, lambda c: c.find, QCoreApplication.translate("page_commands", "本页没有搜索框。"))
