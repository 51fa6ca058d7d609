"""The monthly grid (月度调度): one row per enterprise or project, one column per figure.

`GridModel` keeps what the clerk typed next to what is stored, checks a row with the rule engine
on every edit (colour and tooltip per cell), fills 累计 from last month's 累计 plus 本月, takes a
block pasted from Excel, and hands the edited rows to `services.monthly.save_period`.
`GridView` makes it keyboard-first: Enter moves down, Tab moves right, Ctrl+V pastes a block,
Delete clears, Esc asks to discard; the name column stays in view when the figures scroll sideways
(a second view over the left edge, as in Qt's frozen-column example)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QFont, QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QAbstractItemView, QHeaderView, QTableView, QWidget

from hengdong_desktop.domain import money
from hengdong_desktop.domain.fields import FieldSpec, spec
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.rules import Finding, explanation_ok
from hengdong_desktop.services import monthly
from hengdong_desktop.services.entry import Checked
from hengdong_desktop.services.monthly import Grid, GridRow, RowEdit
from hengdong_desktop.ui.field_widgets import shown
from hengdong_desktop.ui.widgets import (
    ERROR_BG,
    EXPLAINED_BG,
    HINT_BG,
    MUTED_FG,
    SUGGESTED_FG,
    WARNING_BG,
)

Index = QModelIndex | QPersistentModelIndex
NAME, UNIT, TOTAL, STAGE, EXPLANATION = "name", "unit", "total_investment", "stage", "explanation"
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class GridColumn:
    key: str
    label: str
    editable: bool
    spec: FieldSpec | None = None
    chars: int = 9

    @property
    def numeric(self) -> bool:
        return self.spec is not None and self.spec.is_number


@dataclass
class _RowState:
    row: GridRow
    checked: Checked
    raw: dict[str, str] = field(default_factory=dict)  # edited cells, as typed
    suggested: set[str] = field(default_factory=set)  # cells filled by the 累计 suggestion
    explanation: str | None = None  # the row's 说明 as edited

    @property
    def dirty(self) -> bool:
        return bool(self.raw) or self.explanation is not None

    def texts(self) -> dict[str, str]:
        """The 说明 of each rule: the edited one covers every warning of the row."""
        if self.explanation is not None:
            return {f.rule_id: self.explanation for f in self.checked.to_explain}
        return self.row.explanations

    def unexplained(self) -> list[Finding]:
        texts = self.texts()
        return [f for f in self.checked.to_explain if not explanation_ok(f.severity, texts.get(f.rule_id))]


class GridModel(QAbstractTableModel):
    dirty_changed = Signal(int)  # rows with unsaved changes

    def __init__(self, kind: str, ref: Reference, county: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.ref = ref
        self.columns = self._columns(kind, county)
        self.period = ""
        self._states: list[_RowState] = []

    def _columns(self, kind: str, county: bool) -> list[GridColumn]:
        entity = monthly.KINDS[kind].entity
        owner = self.tr("企业名称") if kind == "enterprise" else self.tr("项目名称")
        columns = [GridColumn(NAME, owner, False, chars=20)]
        if county:
            columns.append(GridColumn(UNIT, self.tr("所属单位"), False, chars=7))
        if kind == "project":
            columns.append(GridColumn(TOTAL, self.tr("总投资"), False, spec("project", TOTAL), chars=8))
            columns.append(GridColumn(STAGE, self.tr("本期状态"), False, chars=5))
        for name in monthly.KINDS[kind].fields:
            f = spec(entity, name)
            # two-line headers keep the figure columns narrow: “1-本月累计 / 营业收入”
            caption = f.label.replace("1-本月累计", "1-本月累计\n").replace("本年累计", "本年累计\n")
            chars = 12 if f.kind == "longtext" else max(len(x) for x in caption.split("\n")) + 1
            columns.append(GridColumn(name, caption, True, f, chars=max(chars, 7)))
        columns.append(GridColumn(EXPLANATION, self.tr("说明"), True, chars=14))
        return columns

    # loading and saving -------------------------------------------------------------------------
    def load(self, grid: Grid) -> None:
        self.beginResetModel()
        self.period = grid.period
        self._states = [_RowState(r, Checked(dict(r.values), list(r.findings))) for r in grid.rows]
        self.endResetModel()
        self.dirty_changed.emit(0)

    def dirty_rows(self) -> int:
        return sum(1 for s in self._states if s.dirty)

    def edits(self) -> list[RowEdit]:
        return [RowEdit(s.row.owner_id, dict(s.raw), s.explanation, s.row.revision) for s in self._states if s.dirty]

    def edited_units(self) -> set[int]:
        return {s.row.unit_id for s in self._states if s.dirty}

    def row_of(self, owner_id: str) -> int | None:
        return next((i for i, s in enumerate(self._states) if s.row.owner_id == owner_id), None)

    def locate(self, owner_id: str, field_name: str | None) -> QModelIndex:
        row = self.row_of(owner_id)
        if row is None:
            return QModelIndex()
        column = next(
            (i for i, c in enumerate(self.columns) if c.key == field_name),
            next(i for i, c in enumerate(self.columns) if c.editable),
        )
        return self.index(row, column)

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def unexplained(self, row: int) -> list[Finding]:
        return self._states[row].unexplained()

    # cells ---------------------------------------------------------------------------------------
    def _value(self, state: _RowState, key: str) -> Any:
        if key in state.checked.values:
            return state.checked.values[key]
        return state.row.values.get(key)

    def _text(self, state: _RowState, column: GridColumn, *, display: bool) -> str:
        key = column.key
        if key == NAME:
            return state.row.name
        if key == UNIT:
            return self.ref.name_of("unit", state.row.unit_id)
        if key == TOTAL:
            return money.fmt((state.row.parent or {}).get(TOTAL))
        if key == STAGE:
            return state.row.stage or ""
        if key == EXPLANATION:
            if state.explanation is not None:
                return state.explanation
            texts = state.row.explanations
            wanted = [texts[f.rule_id] for f in state.checked.to_explain if texts.get(f.rule_id)]
            return "；".join(dict.fromkeys(wanted or list(texts.values())))
        if key in state.raw and any(f.rule_id == f"FMT.{key}" for f in state.checked.findings):
            return state.raw[key]  # unreadable input is shown exactly as typed
        value = self._value(state, key)
        if value is None:
            return ""
        assert column.spec is not None
        if display and column.spec.kind == "money":
            return money.fmt(value)
        if display and column.spec.kind == "int":
            return f"{value:,}"
        return shown(column.spec, value)

    def _cell_findings(self, state: _RowState, key: str) -> list[Finding]:
        if key == EXPLANATION:
            return []
        return [f for f in state.checked.findings if f.fields and f.fields[0] == key]

    def _background(self, state: _RowState, key: str) -> QBrush | None:
        if key == EXPLANATION:
            if not state.checked.to_explain:
                return None
            return QBrush(WARNING_BG if state.unexplained() else EXPLAINED_BG)
        found = self._cell_findings(state, key)
        if not found:
            return None
        worst = min(found, key=lambda f: f.severity.rank)
        if worst.severity.blocks:
            return QBrush(ERROR_BG)
        if worst.severity.needs_explanation:
            return QBrush(WARNING_BG if worst in state.unexplained() else EXPLAINED_BG)
        return QBrush(HINT_BG)

    def _tooltip(self, state: _RowState, column: GridColumn) -> str | None:
        key = column.key
        lines = []
        if key == NAME:
            if not state.row.expected:
                status = (state.row.parent or {}).get("status")
                lines.append(self.tr("项目状态为“{s}”，本期可不填报").format(s=status))
            if state.dirty:
                lines.append(self.tr("本行有未保存的修改"))
        elif key == STAGE:
            lines.append(self.tr("项目截至本期的状态（状态记录中本期及以前最近的一条），在项目的“项目生命周期”中修改"))
        elif key == EXPLANATION:
            if state.checked.to_explain:
                lines.append(self.tr("本行以下警告须填写说明（至少6个字为宜）："))
                lines += [f"· {f.message}" for f in state.checked.to_explain]
            else:
                lines.append(self.tr("本行没有需要说明的警告"))
        elif column.spec is not None and column.editable:
            lines += [f"[{f.severity.value}] {f.message}" for f in self._cell_findings(state, key)]
            if key in state.suggested:
                lines.append(self.tr("按上月累计加本月自动填写，可直接修改"))
            before = (state.row.previous or {}).get(key)
            if before is not None and column.spec.is_number:
                lines.append(
                    self.tr("上月（{p}）：{v}").format(
                        p=state.row.previous["period"],  # type: ignore[index]
                        v=money.fmt(before) if column.spec.kind == "money" else before,
                    )
                )
            if column.spec.kind == "longtext":
                text = self._text(state, column, display=True)
                if len(text) > column.chars:
                    lines.insert(0, text)
        return "\n".join(lines) or None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._states)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        state = self._states[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(state, column, display=True)
        if role == Qt.ItemDataRole.EditRole:
            return self._text(state, column, display=False)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(state, column.key)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(state, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column.key == NAME and not state.row.expected:
                return QBrush(MUTED_FG)
            if column.key in state.suggested:
                return QBrush(SUGGESTED_FG)
            return None
        marked = column.key in state.suggested or (column.key == NAME and state.dirty)
        if role == Qt.ItemDataRole.FontRole and marked:
            font = QFont()
            font.setItalic(column.key in state.suggested)
            font.setBold(column.key == NAME)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].label
            return None
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.columns[index.column()].editable else base

    # editing ---------------------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or not self.columns[index.column()].editable:
            return False
        state = self._states[index.row()]
        column = self.columns[index.column()]
        text = "" if value is None else str(value).strip()
        if text == self._text(state, column, display=False):
            return True  # Enter on an unchanged cell changes nothing
        before = self.dirty_rows()
        self._put(state, column.key, text)
        self._recheck(state, {column.key})
        self._row_changed(index.row(), before)
        return True

    def _put(self, state: _RowState, key: str, text: str) -> None:
        if key == EXPLANATION:
            state.explanation = text
            return
        state.raw[key] = text
        state.suggested.discard(key)

    def _recheck(self, state: _RowState, changed: set[str]) -> None:
        """Checks the row again and fills the 累计 that follow from a changed 本月."""
        state.checked = self._check(state)
        filled = False
        for target, (month_field, _carries) in monthly.SUGGESTED[self.kind].items():
            if month_field not in changed or target in changed:
                continue
            typed_by_clerk = target in state.raw and target not in state.suggested
            stored = target not in state.raw and state.row.values.get(target) is not None
            if typed_by_clerk or stored:
                continue
            value = monthly.suggestion(self.kind, self.period, target, state.checked.values, state.row.previous)
            if value is None:
                continue
            state.raw[target] = shown(spec(monthly.KINDS[self.kind].entity, target), value)
            state.suggested.add(target)
            filled = True
        if filled:
            state.checked = self._check(state)

    def _check(self, state: _RowState) -> Checked:
        raw = {k: state.raw.get(k, state.row.values.get(k)) for k in monthly.KINDS[self.kind].fields}
        return monthly.check_row(
            self.kind,
            self.period,
            raw,
            self.ref,
            previous=state.row.previous,
            parent=state.row.parent,
            record_id=state.row.record_id,
        )

    def _row_changed(self, row: int, dirty_before: int, last_row: int | None = None) -> None:
        self.dataChanged.emit(
            self.index(row, 0), self.index(last_row if last_row is not None else row, len(self.columns) - 1)
        )
        after = self.dirty_rows()
        if after != dirty_before:
            self.dirty_changed.emit(after)

    def paste(self, top: int, left: int, text: str) -> int:
        """Fills cells from a tab-separated block (as Excel copies it), starting at (top, left);
        read-only columns in the block are skipped. Returns how many cells were filled."""
        block = list(csv.reader(io.StringIO(text.rstrip("\r\n")), delimiter="\t"))
        before = self.dirty_rows()
        filled = 0
        touched: dict[int, set[str]] = {}
        for r, cells in enumerate(block):
            row = top + r
            if row >= len(self._states):
                break
            for c, cell in enumerate(cells):
                col = left + c
                if col >= len(self.columns):
                    break
                column = self.columns[col]
                if not column.editable:
                    continue
                self._put(self._states[row], column.key, cell.strip())
                touched.setdefault(row, set()).add(column.key)
                filled += 1
        for row, keys in touched.items():
            self._recheck(self._states[row], keys)
        if touched:
            self._row_changed(min(touched), before, max(touched))
        return filled

    def clear(self, indexes: list[QModelIndex]) -> None:
        before = self.dirty_rows()
        rows: dict[int, set[str]] = {}
        for index in indexes:
            column = self.columns[index.column()]
            if column.editable:
                self._put(self._states[index.row()], column.key, "")
                rows.setdefault(index.row(), set()).add(column.key)
        for row, keys in rows.items():
            self._recheck(self._states[row], keys)
        if rows:
            self._row_changed(min(rows), before, max(rows))

    def copy_text(self, indexes: list[QModelIndex]) -> str:
        """The selected block as tab-separated text, the way Excel pastes it."""
        if not indexes:
            return ""
        rows = sorted({i.row() for i in indexes})
        cols = sorted({i.column() for i in indexes})
        chosen = {(i.row(), i.column()) for i in indexes}
        lines = []
        for r in rows:
            lines.append(
                "\t".join(self.index(r, c).data(Qt.ItemDataRole.EditRole) if (r, c) in chosen else "" for c in cols)
            )
        return "\r\n".join(lines) + "\r\n"


class GridView(QTableView):
    """Keyboard-first editing: Enter moves down, Tab moves right, Ctrl+V pastes a block; the first
    (name) column is `frozen`: drawn by a second view over the left edge that shares the model, the
    selection and the vertical scrolling, so a row's name stays beside its figures."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozenNames")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.frozen.setWordWrap(False)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen.setStyleSheet("QTableView { border: none; border-right: 1px solid #9aa7b4; }")
        self.viewport().stackUnder(self.frozen)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().sectionResized.connect(self._section_resized)
        self.verticalHeader().sectionResized.connect(lambda row, _old, new: self.frozen.setRowHeight(row, new))
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)

    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802 - Qt override
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._show_names_only)
        self._show_names_only()

    def _show_names_only(self) -> None:
        model = self.model()
        for column in range(1, model.columnCount() if model is not None else 0):
            self.frozen.setColumnHidden(column, True)
        self._place_frozen()

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place_frozen()

    def _place_frozen(self) -> None:
        self.frozen.verticalHeader().setDefaultSectionSize(self.verticalHeader().defaultSectionSize())
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.setGeometry(
            self.verticalHeader().width() + self.frameWidth(),
            self.frameWidth(),
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:  # noqa: N802 - Qt override: headers sized, rows counted
        super().updateGeometries()
        self._place_frozen()

    def moveCursor(
        self,
        action: QAbstractItemView.CursorAction,  # noqa: N802 - Qt override
        modifiers: Qt.KeyboardModifier,
    ) -> QModelIndex:
        """Moving left brings the cell out from under the frozen names."""
        current = super().moveCursor(action, modifiers)
        left = (QAbstractItemView.CursorAction.MoveLeft, QAbstractItemView.CursorAction.MovePrevious)
        if action in left and current.column() > 0:
            hidden = self.columnWidth(0) - self.visualRect(current).left()
            if hidden > 0:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() - hidden)
        return current

    def scrollTo(
        self, index: Index, hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible
    ) -> None:  # noqa: N802
        sideways = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        if index.column() == 0:  # the names are always in view: follow only the row
            self.horizontalScrollBar().setValue(sideways)

    def grid(self) -> GridModel:
        model = self.model()
        assert isinstance(model, GridModel)
        return model

    def commit_editor(self) -> None:
        """Takes what is being typed in the open cell editor, if any, into the model."""
        editor = self.indexWidget(self.currentIndex())
        if editor is not None:
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def move_down(self) -> None:
        index = self.currentIndex()
        if index.isValid() and index.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(index.row() + 1, index.column()))

    def paste(self) -> int:
        """Pastes the clipboard's block with its top-left corner at the current cell, as Excel does."""
        index = self.currentIndex()
        text = QGuiApplication.clipboard().text()
        if not index.isValid() or not text:
            return 0
        return self.grid().paste(index.row(), index.column(), text)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing:
            if event.matches(QKeySequence.StandardKey.Paste):
                self.paste()
                return
            if event.matches(QKeySequence.StandardKey.Copy):
                QGuiApplication.clipboard().setText(self.grid().copy_text(self.selectedIndexes()))
                return
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.grid().clear(self.selectedIndexes())
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.move_down()
                return
            if event.key() == Qt.Key.Key_Escape:
                self.cancel_requested.emit()
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:  # noqa: N802
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter: commit and move down
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.move_down()
            return
        super().closeEditor(editor, hint)
