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
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
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
    chars: int = 0  # the width the column keeps even while the table is empty, in characters

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

    def __init__(
        self,
        columns: Sequence[Column[T]],
        rows: Sequence[T] = (),
        parent: Any = None,
        *,
        tr_context: str | None = None,
        text_tooltips: bool = False,
    ) -> None:
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


def record_table(
    model: RecordTableModel,
    *,
    stretch: int = -1,
    sortable: bool = False,  # type: ignore[type-arg]
    row_height: int | None = None,
) -> QTableView:
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
    ColumnFitter(view, stretch)
    return view


class ColumnFitter(QObject):
    """Keeps a table's columns as wide as their texts and their header, empty or full: at least
    MIN_CHARS characters, at most MAX_CHARS (a longer text is elided; the models show it whole
    in the tooltip). The `stretch` column (-1: the last) takes the width left over, never less
    than its own texts. The clerk may still drag a column wider or narrower."""

    MIN_CHARS, MAX_CHARS = 4, 32

    def __init__(self, view: QTableView, stretch: int = -1) -> None:
        super().__init__(view)
        self.view = view
        self.stretch = stretch
        self.natural: list[int] = []
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.layoutChanged):
            signal.connect(self.fit)
        view.installEventFilter(self)
        self.fit()

    def fit(self) -> None:
        view, header = self.view, self.view.horizontalHeader()
        em = view.fontMetrics().horizontalAdvance("中")
        model = view.model()
        source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
        columns = source.columns if isinstance(source, RecordTableModel) else []
        self.natural = [
            min(
                max(
                    view.sizeHintForColumn(c),
                    header.sectionSizeHint(c),
                    max(self.MIN_CHARS, columns[c].chars if c < len(columns) else 0) * em,
                ),
                self.MAX_CHARS * em,
            )
            for c in range(model.columnCount())
        ]
        for column, width in enumerate(self.natural):
            header.resizeSection(column, width)
        self._spread()

    def _spread(self) -> None:
        """The stretch column takes what the others leave of the view's width."""
        if not self.natural:
            return
        column = self.stretch if 0 <= self.stretch < len(self.natural) else len(self.natural) - 1
        others = sum(self.view.columnWidth(c) for c in range(len(self.natural)) if c != column)
        self.view.horizontalHeader().resizeSection(
            column, max(self.natural[column], self.view.viewport().width() - others)
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            QTimer.singleShot(0, self, self._spread)  # once the viewport has its new width (scroll bars settled)
        return False


def selected_row(view: QTableView) -> Any:
    """The row (under ROW_ROLE) of the view's selection, or None."""
    selection = view.selectionModel()
    rows = selection.selectedRows() if selection is not None else []
    return rows[0].data(ROW_ROLE) if rows else None
