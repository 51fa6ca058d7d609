"""A read-only table model over a list of plain rows, its columns declared as data, and the
table view of the plain lists (one row selected at a time, optionally sortable).

Each view declares its columns once (`Column(header, value, …)`) and names their positions as
constants; the model shows `text(row)`, sorts by `value(row)`, aligns numbers right, and gives
the row itself under ROW_ROLE so views can act on what was clicked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

T = TypeVar("T")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_HEIGHT = 26  # the compact rows of the dashboard's and the reference data's lists
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    fmt: Callable[[Any], str] | None = None  # the value's text; default str(value), "" for None
    text: Callable[[T], str] | None = None  # or the row's text, when it needs more than the value
    tooltip: Callable[[T], str | None] | None = None
    background: Callable[[T], str | None] | None = None  # a colour name, or None
    numeric: bool = False
    icon: Callable[[T], QIcon | None] | None = None

    def display(self, row: T) -> str:
        if self.text is not None:
            return self.text(row)
        value = self.value(row)
        if self.fmt is not None:
            return self.fmt(value)
        return "" if value is None else str(value)


class RecordTableModel(QAbstractTableModel, Generic[T]):
    """`tr_context`: headers are translated in this Qt Linguist context (declared there with
    QT_TRANSLATE_NOOP). `text_tooltips`: a cell without a tooltip of its own shows its text as
    one, for long texts in narrow columns."""

    def __init__(self, columns: Sequence[Column[T]], rows: Sequence[T] = (), parent: Any = None, *,
                 tr_context: str | None = None, text_tooltips: bool = False) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[T] = list(rows)
        self.tr_context = tr_context
        self.text_tooltips = text_tooltips

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, index: Index) -> T | None:
        return self.rows[index.row()] if index.isValid() and index.row() < len(self.rows) else None

    # QAbstractTableModel -----------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows) or index.column() >= len(self.columns):
            return None
        row, column = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignRight if column.numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column.tooltip is not None:
                return column.tooltip(row)
            return column.display(row) if self.text_tooltips else None
        if role == Qt.ItemDataRole.BackgroundRole and column.background is not None:
            colour = column.background(row)
            return QBrush(QColor(colour)) if colour else None
        if role == Qt.ItemDataRole.DecorationRole and column.icon is not None:
            return column.icon(row)
        if role == SORT_ROLE:
            value = column.value(row)
            return float(value) if isinstance(value, Decimal) else value
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.columns):
                return None
            header = self.columns[section].header
            return QCoreApplication.translate(self.tr_context, header) if self.tr_context else header
        return str(section + 1)


def record_table(model: RecordTableModel, *, stretch: int = -1, sortable: bool = False,  # type: ignore[type-arg]
                 row_height: int | None = None) -> QTableView:
    """A read-only list, one row selected at a time; `stretch` is the column that takes the spare
    width (-1: the last); `sortable` sorts on a header click, keeping the model's order until then."""
    view = QTableView()
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSourceModel(model)
        proxy.setSortRole(SORT_ROLE)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    if row_height is not None:
        view.verticalHeader().setDefaultSectionSize(row_height)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch < 0:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


def selected_row(view: QTableView) -> Any:
    """The row (under ROW_ROLE) of the view's selection, or None."""
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return rows[0].data(ROW_ROLE) if rows else None
