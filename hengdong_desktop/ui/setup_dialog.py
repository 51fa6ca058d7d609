"""First start: choose the role, the unit and the operator. Takes and returns plain data."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain.reference import Unit
from hengdong_desktop.services.setup import COUNTY, TOWNSHIP


@dataclass(frozen=True)
class SetupChoice:
    role: str
    unit: str | None  # unit name for a township, None for the county
    operator: str


class SetupDialog(QDialog):
    def __init__(self, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用设置"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("欢迎使用衡东县产业发展“百十亿”工程数据填报与汇总系统。\n请选择本机的用途和填报单位。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        roles = QHBoxLayout()
        self.township = QRadioButton(self.tr("乡镇填报"))
        self.county = QRadioButton(self.tr("县级汇总"))
        self.township.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.township)
        group.addButton(self.county)
        roles.addWidget(self.township)
        roles.addWidget(self.county)
        roles.addStretch(1)
        form.addRow(self.tr("用途："), roles)
        self.unit = QComboBox()
        for unit in units:
            self.unit.addItem(unit.name, unit.name)
        form.addRow(self.tr("填报单位："), self.unit)
        self.operator = QLineEdit()
        self.operator.setPlaceholderText(self.tr("填报人姓名"))
        form.addRow(self.tr("操作员："), self.operator)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.county.toggled.connect(lambda on: self.unit.setEnabled(not on))

    def choice(self) -> SetupChoice:
        if self.county.isChecked():
            return SetupChoice(COUNTY, None, self.operator.text().strip())
        return SetupChoice(TOWNSHIP, self.unit.currentData(), self.operator.text().strip())

    @classmethod
    def ask(cls, parent: QWidget | None, units: list[Unit]) -> SetupChoice | None:
        dialog = cls(units, parent)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
