"""Small widgets the pages share: the page heading, the period selector, and the colours that
mark rule findings wherever they are shown (form fields, grid cells, readiness list)."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from PySide6 import QtCore
from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QColor, QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from hengdong_desktop.domain import periods
from hengdong_desktop.domain.rules import Severity

# Marks a text for Qt Linguist in a context and returns it untranslated (PySide types it loosely).
QT_TRANSLATE_NOOP = cast(Callable[[str, str], str], QtCore.QT_TRANSLATE_NOOP)

# Cell and field colours by what a finding asks of the clerk.
ERROR_BG = QColor("#f8d7da")  # 强制性: must be corrected
WARNING_BG = QColor("#fff0c2")  # needs an explanation that is missing
EXPLAINED_BG = QColor("#e3f1dc")  # explained warning
HINT_BG = QColor("#e6f0fb")  # 提示性
SUGGESTED_FG = QColor("#5b6b7c")
MUTED_FG = QColor("#8a8f98")
ALERT_FG = QColor("#b3261e")  # a row needing attention: an overdue problem
SEVERITY_TEXT = {
    Severity.MANDATORY: "#b3261e",
    Severity.QUASI: "#8a5a00",
    Severity.VERIFY: "#8a5a00",
    Severity.HINT: "#2f5f8f",
}


def heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageHeading")
    label.setStyleSheet("font-size: 16pt; font-weight: bold; color: #1f4e79;")
    return label


class PeriodSelector(QWidget):
    """◀ 2025-03 ▶: the reporting period, typed or stepped a month at a time."""

    period_changed = Signal(str)

    def __init__(self, period: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.back = QToolButton()
        self.back.setArrowType(Qt.ArrowType.LeftArrow)
        self.back.setToolTip(self.tr("上一个月"))
        self.forward = QToolButton()
        self.forward.setArrowType(Qt.ArrowType.RightArrow)
        self.forward.setToolTip(self.tr("下一个月"))
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,4}-?\d{0,2}"), self))
        self.combo.setMinimumContentsLength(8)
        self.combo.setToolTip(self.tr("填报期别（年-月），可直接输入，如2025-03"))
        layout.addWidget(self.back)
        layout.addWidget(self.combo)
        layout.addWidget(self.forward)
        self._period = ""
        self.set_period(period)
        self.back.clicked.connect(lambda: self.request(periods.previous(self._period)))
        self.forward.clicked.connect(lambda: self.request(periods.following(self._period)))
        self.combo.activated.connect(lambda _i: self.request(self.combo.currentText()))
        line = self.combo.lineEdit()
        assert line is not None  # the combo is editable
        line.editingFinished.connect(lambda: self.request(self.combo.currentText()))

    @property
    def period(self) -> str:
        return self._period

    def set_period(self, period: str) -> None:
        """Shows `period` without announcing it (the owner already knows)."""
        self._period = period
        self.combo.blockSignals(True)
        self.combo.clear()
        recent = periods.span(periods.following(periods.last_completed()), 25)[::-1]
        if period not in recent:
            recent.insert(0, period)
        self.combo.addItems(recent)
        self.combo.setCurrentText(period)
        self.combo.blockSignals(False)

    def request(self, text: str) -> None:
        """Asks to move to the period typed or chosen; the owner answers with `set_period`."""
        text = text.strip()
        if len(text) == 6 and text.isdigit():
            text = f"{text[:4]}-{text[4:]}"
        if not periods.is_period(text):
            self.combo.setCurrentText(self._period)
            return
        if text != self._period:
            self.period_changed.emit(text)
