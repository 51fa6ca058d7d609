"""A Qt table model over a `services.listing.Listing`: rows arrive a page at a time as the view
scrolls (canFetchMore/fetchMore), and sorting, filtering and searching go back to SQL, so the
model stays smooth with 100,000 enterprises. It holds plain rows, never a session. Counting all
matching rows is left to the screen, which does it in the background."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from hengdong_desktop.db.engine import Database
from hengdong_desktop.services.listing import Listing, Query, Row
from hengdong_desktop.ui.widgets import ALERT_FG, MUTED_FG

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record's id
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


class ListingModel(QAbstractTableModel):
    PAGE = 200
    query_changed = Signal()  # another search, filter or sort: the list starts again from its top

    def __init__(self, db: Database, listing: Listing, parent: Any = None) -> None:
        super().__init__(parent)
        self.db = db
        self.listing = listing
        self._query = listing.default_query()
        self._rows: list[Row] = []
        self._more = False  # the last page read was full: there may be more
        self._announcing = False
        self.reload()

    # queries ------------------------------------------------------------------------------
    @property
    def query(self) -> Query:
        return self._query

    def set_query(self, query: Query) -> None:
        self._query = query
        self.reload()
        self.query_changed.emit()

    def set_search(self, text: str) -> None:
        self.set_query(replace(self._query, search=text))

    def set_filter(self, key: str, value: object) -> None:
        self.set_query(self._query.with_filter(key, value))

    def reload(self, *, keep_loaded: bool = False) -> None:
        """Loads the first page again (or as many rows as are loaded, to keep the view where it
        was after an edit)."""
        wanted = self.wanted(keep_loaded=keep_loaded)
        self.show_rows(self.listing.page(self.db, self._query, wanted), wanted)

    def wanted(self, *, keep_loaded: bool) -> int:
        """How many rows a reload reads: a page, or as many as are loaded."""
        return max(self.PAGE, len(self._rows)) if keep_loaded else self.PAGE

    def show_rows(self, rows: list[Row], wanted: int) -> None:
        """Shows rows read (elsewhere, e.g. in the background) for the current query, `wanted`
        of them asked for."""
        self.beginResetModel()
        self._rows = rows
        self._more = len(rows) == wanted
        self._announce(self.endResetModel)

    def _announce(self, end_change: Callable[[], None]) -> None:
        """Ends a change; while listeners hear of it, no further rows are fetched (a listener
        asking for more in the middle would interleave two changes)."""
        self._announcing = True
        try:
            end_change()
        finally:
            self._announcing = False

    # Qt model -----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.listing.columns)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and not self._announcing and self._more

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        rows = self.listing.page(self.db, self._query, self.PAGE, after=self._rows[-1].cursor)
        self._more = len(rows) == self.PAGE
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self._announce(self.endInsertRows)

    def last_cursor(self) -> Any:
        """Where the rows not loaded yet begin (None: nothing is loaded)."""
        return self._rows[-1].cursor if self._rows else None

    def append_rows(self, rows: list[Row]) -> None:
        """Adds the rest of the list, read elsewhere (in the background) after `last_cursor`."""
        self._more = False
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self._announce(self.endInsertRows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = self.listing.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:  # shown text is made only for the rows on screen
            return self.listing.show(column, row.values[index.column()])
        if role == Qt.ItemDataRole.ToolTipRole:
            text = self.listing.show(column, row.values[index.column()])
            return text if len(text) > column.chars else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_RIGHT if column.numeric else _LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and row.removed:
            return MUTED_FG
        if role == Qt.ItemDataRole.ForegroundRole and self.listing.alerted(row):
            return ALERT_FG
        if role == ID_ROLE:
            return row.id
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.listing.columns):
            column = self.listing.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column.label
            if role == Qt.ItemDataRole.ToolTipRole:
                return None if column.sort is not None else self.tr("此列不能排序")
            return None
        return super().headerData(section, orientation, role)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.listing.columns) or self.listing.columns[column].sort is None:
            return
        self.set_query(
            replace(
                self._query, sort=self.listing.columns[column].key, descending=order == Qt.SortOrder.DescendingOrder
            )
        )

    # rows ---------------------------------------------------------------------------------
    def row_id(self, row: int) -> str:
        return self._rows[row].id

    def row_removed(self, row: int) -> bool:
        return self._rows[row].removed

    def row_unit(self, row: int) -> int:
        return self._rows[row].unit_id

    def row_of(self, record_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), None)

    def cell(self, row: int, key: str) -> str:
        return self.listing.text(self._rows[row], key)
