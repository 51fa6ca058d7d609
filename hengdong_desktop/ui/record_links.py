"""Opening a record from a list that is not its library (the 产业链工作台, the 县领导视图, the
一企一策台账):
double-click or Enter on a row opens the editor the 企业库, 项目库 or 问题清单 opens. Saving
there announces its changes (ui/operations.py), so every page showing the record reads again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex
from PySide6.QtWidgets import QDialog, QTableView, QWidget

from hengdong_desktop.ui import errors
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.record_model import ROW_ROLE


def open_record(
    parent: QWidget, ctx: AppContext, entity: str, record_id: str, prepare: Callable[[Any], None] | None = None
) -> str | None:
    """The record's editor (modal), `prepare`d first (e.g. on one of its tabs); the id saved, or
    None when nothing was saved."""
    from hengdong_desktop.ui.editors import EDITORS

    try:
        editor = EDITORS[entity].build(parent, ctx, record_id)
        if prepare is not None:
            prepare(editor)
        return editor.saved_id if editor.exec() == QDialog.DialogCode.Accepted else None
    except Exception as exc:  # e.g. the record vanished in a merge meanwhile
        errors.show_error(parent, exc)
        return None


def link_rows(view: QTableView, ctx: AppContext, entity: str, record_id: Callable[[Any], str | None]) -> None:
    """Double-click or Enter on a row of `view` opens its record (`record_id(row)`) in its editor."""

    def activated(index: QModelIndex) -> None:
        row = index.data(ROW_ROLE)
        found = record_id(row) if row is not None else None
        if found:
            open_record(view, ctx, entity, found)

    view.activated.connect(activated)
    view.setStatusTip(QCoreApplication.translate("record_links", "双击或按回车打开该记录"))
