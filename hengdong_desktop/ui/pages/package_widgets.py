"""Pieces the 上报 and 导入 pages share: a table model over plain row dicts with declared
columns, file and text prompts that tests replace, and the 退回 dialog (reason + field comments)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS

ROW_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    show: Callable[[Any], str] | None = None


def show_time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


class RowsModel(QAbstractTableModel):
    """A read-only table of row dicts; columns are declared by each page as constants."""

    def __init__(self, columns: Sequence[Column], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self.rows)):
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            col = self.columns[index.column()]
            value = row.get(col.key)
            return col.show(value) if col.show else show_time(value)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,  # noqa: N802 - Qt API
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section].header
        return None


def make_table(model: RowsModel, *, stretch: int | None = None) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    else:
        header.setStretchLastSection(True)
    return view


def selected_row(view: QTableView) -> dict[str, Any] | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    return rows[0].data(ROW_ROLE) if rows else None


# Prompts (module functions so tests can replace them) ------------------------------------------
PACKAGE_FILTER = "数据包 (*.hdpkg);;所有文件 (*)"


def ask_open_files(parent: QWidget, title: str, file_filter: str = PACKAGE_FILTER) -> list[Path]:
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", file_filter)
    return [Path(n) for n in names]


def ask_save_path(
    parent: QWidget, title: str, suggested: str, file_filter: str = PACKAGE_FILTER
) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    return Path(name) if name else None


def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value.strip() if ok and value.strip() else None


def ask_passphrase(parent: QWidget) -> str | None:
    value, ok = QInputDialog.getText(
        parent, "私钥密码", "本数据库的私钥设置了密码，请输入：", QLineEdit.EchoMode.Password
    )
    return value if ok else None


# The 退回 dialog -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnInput:
    reason: str
    comments: list[dict[str, str]]


class ReturnDialog(QDialog):
    """Reason for returning a unit's period, plus optional comments on fields of its records.
    `targets` are (entity, record id, what the clerk calls the record)."""

    def __init__(
        self,
        unit: str,
        period: str,
        targets: list[tuple[str, str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("退回{unit}{period}的数据").format(unit=unit, period=period))
        self.targets = targets
        self.comments: list[dict[str, str]] = []
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("必填，如：产值数据与上月差异较大，请核实"))
        form.addRow(self.tr("退回理由："), self.reason)
        self.record = QComboBox()
        for entity, record_id, subject in targets:
            self.record.addItem(f"{ENTITY_LABELS[entity]}：{subject}", (entity, record_id, subject))
        self.field = QComboBox()
        self.record.currentIndexChanged.connect(self._fill_fields)
        self._fill_fields()
        self.comment = QLineEdit()
        add = QPushButton(self.tr("添加字段意见"))
        add.clicked.connect(self._add_comment)
        row = QHBoxLayout()
        row.addWidget(self.record, 2)
        row.addWidget(self.field, 1)
        row.addWidget(self.comment, 2)
        row.addWidget(add)
        form.addRow(self.tr("字段意见："), row)
        layout.addLayout(form)
        self.list = QListWidget()
        layout.addWidget(self.list)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 360)

    def _fill_fields(self) -> None:
        self.field.clear()
        data = self.record.currentData()
        if data:
            for spec in ENTITIES[data[0]]:
                self.field.addItem(spec.label, spec.name)

    def _add_comment(self) -> None:
        data, text = self.record.currentData(), self.comment.text().strip()
        if not data or not text:
            return
        entity, record_id, subject = data
        self.comments.append(
            {
                "entity": entity,
                "record_id": record_id,
                "subject": subject,
                "field": self.field.currentData(),
                "text": text,
            }
        )
        self.list.addItem(f"{subject} · {self.field.currentText()}：{text}")
        self.comment.clear()

    def _accept(self) -> None:
        if self.reason.text().strip():
            self.accept()
        else:
            self.reason.setFocus()
            self.reason.setPlaceholderText(self.tr("退回须填写理由"))

    def value(self) -> ReturnInput:
        return ReturnInput(self.reason.text().strip(), list(self.comments))

    @classmethod
    def ask(
        cls, parent: QWidget | None, unit: str, period: str, targets: list[tuple[str, str, str]]
    ) -> ReturnInput | None:
        dialog = cls(unit, period, targets, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
