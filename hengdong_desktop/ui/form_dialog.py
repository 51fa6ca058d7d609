"""A small form in a dialog, its fields declared as data; takes and returns plain values.

`FormDialog.ask(parent, title, fields, values)` returns the edited values (a dict keyed by field
name) or None when cancelled. Tests replace `ask`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

TEXT, CHOICE, CHECK, CHECKS = "text", "choice", "check", "checks"


@dataclass(frozen=True)
class FormField:
    name: str
    label: str
    kind: str = TEXT
    options: tuple[tuple[str, Any], ...] = ()  # (shown text, value) for CHOICE and CHECKS
    max_length: int | None = None
    placeholder: str = ""
    hint: str = ""
    enabled: bool = True


class FormDialog(QDialog):
    def __init__(
        self, title: str, fields: list[FormField], values: dict[str, Any], parent: QWidget | None = None, note: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.fields = fields
        self.editors: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        if note:
            label = QLabel(note)
            label.setWordWrap(True)
            label.setStyleSheet("color: #555;")
            layout.addWidget(label)
        form = QFormLayout()
        for f in fields:
            editor = self._editor(f, values.get(f.name))
            editor.setEnabled(f.enabled)
            editor.setObjectName(f.name)
            self.editors[f.name] = editor
            form.addRow(f"{f.label}：", editor)
            if f.hint:
                hint = QLabel(f.hint)
                hint.setWordWrap(True)
                hint.setStyleSheet("color: #666;")
                form.addRow("", hint)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def _editor(f: FormField, value: Any) -> QWidget:
        if f.kind == CHOICE:
            box = QComboBox()
            for text, option in f.options:
                box.addItem(text, option)
            index = box.findData(value)
            box.setCurrentIndex(max(index, 0))
            return box
        if f.kind == CHECK:
            check = QCheckBox()
            check.setChecked(bool(value))
            return check
        if f.kind == CHECKS:
            checks = QListWidget()
            chosen = set(value or ())
            for text, option in f.options:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, option)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if option in chosen else Qt.CheckState.Unchecked)
                checks.addItem(item)
            checks.setMinimumHeight(min(320, 24 * len(f.options) + 8))
            return checks
        line = QLineEdit("" if value is None else str(value))
        if f.max_length:
            line.setMaxLength(f.max_length)
        line.setPlaceholderText(f.placeholder)
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in self.fields:
            editor = self.editors[f.name]
            if isinstance(editor, QComboBox):
                out[f.name] = editor.currentData()
            elif isinstance(editor, QCheckBox):
                out[f.name] = editor.isChecked()
            elif isinstance(editor, QListWidget):
                out[f.name] = [
                    editor.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(editor.count())
                    if editor.item(i).checkState() == Qt.CheckState.Checked
                ]
            elif isinstance(editor, QLineEdit):
                out[f.name] = editor.text()
        return out

    @classmethod
    def ask(
        cls, parent: QWidget | None, title: str, fields: list[FormField], values: dict[str, Any], note: str = ""
    ) -> dict[str, Any] | None:
        dialog = cls(title, fields, values, parent, note)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None
