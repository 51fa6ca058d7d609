"""The records behind a number: a window listing them, with a count, a total where it helps, and
a button that copies the list for pasting into Excel. Takes plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.ui.record_model import Column, RecordTableModel, record_table


@dataclass(frozen=True)
class DrillDown:
    title: str
    summary: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[object, ...]] = ()
    numeric: tuple[int, ...] = ()  # columns aligned right and sorted as numbers
    texts: Sequence[tuple[str, ...]] = ()  # shown text per cell, when not str(value)


Shown = tuple[tuple[object, ...], tuple[str, ...]]  # a row's values and its texts


def _column(header: str, i: int, numeric: bool) -> Column[Shown]:
    def value(row: Shown) -> object:
        return row[0][i]

    def text(row: Shown) -> str:
        return row[1][i]

    return Column(header, value, text=text, numeric=numeric)


class DrillDownDialog(QDialog):
    def __init__(self, drill: DrillDown, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drill = drill
        self.setWindowTitle(drill.title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(960, 560)
        layout = QVBoxLayout(self)
        heading = QLabel(drill.title)
        heading.setStyleSheet("font-size: 14pt; font-weight: bold;")
        layout.addWidget(heading)
        self.summary = QLabel(drill.summary)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt;")
        layout.addWidget(self.summary)
        texts = drill.texts or [tuple("" if v is None else str(v) for v in row) for row in drill.rows]
        shown = list(zip(drill.rows, texts, strict=True))
        columns = [_column(header, i, i in drill.numeric) for i, header in enumerate(drill.headers)]
        self.model: RecordTableModel[Shown] = RecordTableModel(columns, shown, self)
        self.table = record_table(self.model, sortable=True)
        self.table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
        )  # several rows at once, as in Excel
        self.table.verticalHeader().setVisible(True)  # numbered rows: the count at a glance
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("复制列表（可粘贴到Excel）"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)

    def as_tsv(self) -> str:
        lines = ["\t".join(self.drill.headers)]
        lines += [
            "\t".join(text.replace("\t", " ").replace("\n", " ") for text in row) for _value, row in self.model.rows
        ]
        return "\n".join(lines)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.as_tsv())

    @classmethod
    def present(cls, parent: QWidget | None, drill: DrillDown) -> DrillDownDialog:
        """Opens the list beside the window (not modal: several can stay open to compare)."""
        dialog = cls(drill, parent)
        dialog.show()
        return dialog
