"""Form fields built from the field table (domain/fields.py): one input per field, chosen by its
kind, with the rule findings shown right under the field they concern.

A form reads raw values (what the clerk typed; the services coerce them) and shows typed ones.
Findings appear only on fields the clerk has touched, until `reveal_all` (after a save attempt
or when opening a stored record), so a new form does not start out covered in red."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain.fields import FieldSpec
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.ui.widgets import SEVERITY_TEXT

NONE_TEXT = "无"  # the empty choice of a 关联问题: the measure answers no particular problem
PLACEHOLDERS = {"money": "万元", "date": "如 2024-05-01", "month": "如 2024-05", "int": "整数"}
TOOLTIPS = {
    "credit_code": "18位统一社会信用代码，最后一位是校验位；小写字母自动转为大写",
}
_STYLE = """
QLineEdit[finding="error"], QComboBox[finding="error"], QPlainTextEdit[finding="error"]
    { border: 1px solid #b3261e; background: #fdf1f1; }
QLineEdit[finding="warning"], QComboBox[finding="warning"], QPlainTextEdit[finding="warning"]
    { border: 1px solid #c98a00; background: #fffaf0; }
"""


def shown(spec: FieldSpec, value: object) -> str:
    """A typed value as an input shows it (money without thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class FieldInput:
    """One field's input widget: `raw()` reads it, `show(value)` fills it, `on_change` reports edits."""

    def __init__(self, spec: FieldSpec, ref: Reference, choices: Sequence[tuple[object, str]] | None = None) -> None:
        self.spec = spec
        self.widget: QWidget
        self._read: Callable[[], object]
        self._write: Callable[[object], None]
        self._listeners: list[Callable[[], None]] = []
        kind = spec.kind
        if kind == "longtext":
            text = QPlainTextEdit()
            text.setTabChangesFocus(True)
            text.setFixedHeight(72)
            text.textChanged.connect(self._changed)
            self.widget, self._read = text, text.toPlainText
            self._write = lambda v: text.setPlainText(shown(spec, v))
        elif kind == "multichoice":
            box = QWidget()
            row = QHBoxLayout(box)
            row.setContentsMargins(0, 0, 0, 0)
            checks = []
            for option in ref.options.get(spec.options or "", ()):
                check = QCheckBox(option)
                check.toggled.connect(self._changed)
                row.addWidget(check)
                checks.append(check)
            row.addStretch(1)
            self.widget = box
            self._read = lambda: [c.text() for c in checks if c.isChecked()]

            def write(value: object) -> None:
                chosen = set(value or ())  # type: ignore[call-overload]
                for c in checks:
                    c.setChecked(c.text() in chosen)

            self._write = write
        elif kind in ("choice", "ref", "bool") or spec.suggest is not None:
            self._combo(spec, ref, choices)
        else:
            edit = QLineEdit()
            edit.setPlaceholderText(PLACEHOLDERS.get(kind, ""))
            if spec.is_number:
                edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if spec.name == "credit_code":
                edit.textEdited.connect(lambda text: _upper(edit, text))
            edit.textChanged.connect(self._changed)
            self.widget, self._read = edit, edit.text
            self._write = lambda v: edit.setText(shown(spec, v))
        self.widget.setObjectName(f"field_{spec.name}")
        if spec.name in TOOLTIPS:
            self.widget.setToolTip(TOOLTIPS[spec.name])

    def _combo(self, spec: FieldSpec, ref: Reference, choices: Sequence[tuple[object, str]] | None) -> None:
        combo = QComboBox()
        items: list[tuple[object, str]]
        free_text = spec.kind == "text" or spec.ref in ("enterprise", "project")
        if choices is not None:
            items = list(choices)
        elif spec.kind == "bool":
            items = [(True, "是"), (False, "否")]
        elif spec.kind == "choice":
            items = [(v, v) for v in ref.options.get(spec.options or "", ())]
        elif spec.ref == "unit":
            items = [(u.id, u.name) for u in ref.units]
        elif spec.ref in ("domain", "industry", "chain"):
            rows: tuple[Any, ...] = {"domain": ref.domains, "industry": ref.industries, "chain": ref.chains}[spec.ref]
            items = [(r.id, r.name) for r in rows]
        elif spec.suggest == "leader":  # a county leader, typed or picked
            items = [(x.name, x.name) for x in ref.leaders]
        else:  # a department, typed or picked
            items = [(d.name, d.name) for d in ref.departments]
        combo.addItem(NONE_TEXT if spec.ref == "problem" else "", None)
        for value, text in items:
            combo.addItem(text, value)
        if free_text:
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = combo.completer()
            assert completer is not None  # an editable combo has one
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            combo.editTextChanged.connect(self._changed)
        combo.currentIndexChanged.connect(self._changed)
        combo.setMaxVisibleItems(20)

        def read() -> object:
            if not free_text:
                return combo.currentData()
            text = combo.currentText().strip()
            index = combo.findText(text)
            if spec.kind == "text" or index < 0:
                return text or None
            return combo.itemData(index)

        def write(value: object) -> None:
            index = combo.findData(value) if value is not None else 0
            if index < 0 and free_text:
                combo.setEditText(shown(spec, value))
                return
            combo.setCurrentIndex(max(index, 0))

        self.widget, self._read, self._write = combo, read, write

    def set_choices(self, choices: Sequence[tuple[object, str]]) -> None:
        """Replaces a combo's items (a builder enterprise list after the unit changed)."""
        combo = self.widget
        assert isinstance(combo, QComboBox)
        current = self.raw()
        combo.blockSignals(True)  # the value shown again in the new list is no change
        combo.clear()
        combo.addItem(NONE_TEXT if self.spec.ref == "problem" else "", None)
        for value, text in choices:
            combo.addItem(text, value)
        self._write(current)
        combo.blockSignals(False)

    def _changed(self, *_args: object) -> None:
        for listener in self._listeners:
            listener()

    def on_change(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def raw(self) -> object:
        return self._read()

    def show(self, value: object) -> None:
        self._write(value)

    def set_read_only(self, read_only: bool) -> None:
        if isinstance(self.widget, QLineEdit | QPlainTextEdit):
            self.widget.setReadOnly(read_only)
        else:
            self.widget.setEnabled(not read_only)


def _upper(edit: QLineEdit, text: str) -> None:
    if text != text.upper():
        pos = edit.cursorPosition()
        edit.setText(text.upper())
        edit.setCursorPosition(pos)


class FieldForm(QWidget):
    """A column of labelled inputs for some fields of one entity, with their findings."""

    changed = Signal(str)  # the field the clerk changed

    def __init__(
        self,
        specs: Iterable[FieldSpec],
        ref: Reference,
        *,
        choices: Mapping[str, Sequence[tuple[object, str]]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.inputs: dict[str, FieldInput] = {}
        self.messages: dict[str, QLabel] = {}
        self.touched: set[str] = set()
        self.revealed = False
        self._loading = False
        for spec in specs:
            field_input = FieldInput(spec, ref, (choices or {}).get(spec.name))
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(field_input.widget)
            message = QLabel()
            message.setObjectName(f"finding_{spec.name}")
            message.setWordWrap(True)
            message.setVisible(False)
            column.addWidget(message)
            caption = QLabel(spec.label + ("<span style='color:#b3261e'> *</span>" if spec.required else ""))
            caption.setTextFormat(Qt.TextFormat.RichText)
            caption.setBuddy(field_input.widget)
            layout.addRow(caption, holder)
            field_input.on_change(partial(self._on_change, spec.name))
            self.inputs[spec.name] = field_input
            self.messages[spec.name] = message

    def _on_change(self, name: str) -> None:
        if self._loading:
            return
        self.touched.add(name)
        self.changed.emit(name)

    def raw(self) -> dict[str, object]:
        return {name: field_input.raw() for name, field_input in self.inputs.items()}

    def set_values(self, values: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for name, field_input in self.inputs.items():
                field_input.show(values.get(name))
        finally:
            self._loading = False

    def reveal_all(self) -> None:
        self.revealed = True

    def show_findings(self, findings: Sequence[Finding], aliases: Mapping[str, str] | None = None) -> str:
        """Shows each finding under the first field it names (or that field's alias here);
        returns the worst state shown: "error", "warning" or ""."""
        states = set()
        by_field: dict[str, list[Finding]] = {}
        for f in findings:
            name = f.fields[0] if f.fields else ""
            name = (aliases or {}).get(name, name)
            by_field.setdefault(name, []).append(f)
        for name, message in self.messages.items():
            found = by_field.get(name, []) if (self.revealed or name in self.touched) else []
            widget = self.inputs[name].widget
            worst = min(found, key=lambda f: f.severity.rank) if found else None
            state = (
                ""
                if worst is None
                else ("error" if worst.severity.blocks else "warning" if worst.severity.needs_explanation else "")
            )
            states.add(state)
            if widget.property("finding") != state:
                widget.setProperty("finding", state)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            message.setVisible(bool(found))
            message.setText(
                "<br>".join(
                    f"<span style='color:{SEVERITY_TEXT[f.severity]}'>{_escape(f.message)}"
                    f"{'（须填写说明）' if f.severity.needs_explanation else ''}</span>"
                    for f in found
                )
            )
        return "error" if "error" in states else "warning" if "warning" in states else ""

    def focus_field(self, name: str) -> bool:
        field_input = self.inputs.get(name)
        if field_input is None:
            return False
        field_input.widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def finding_text(self, name: str) -> str:
        """The findings shown under a field ('' when none is shown)."""
        label = self.messages[name]
        return label.text() if label.isVisibleTo(self) else ""


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
