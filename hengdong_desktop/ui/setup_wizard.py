"""First start: a wizard for the role (乡镇填报 / 县级汇总), whether to try the system first on
demo data (a separate training database), the unit (one of the 18) and the operator's name.
Takes the units and returns a plain `SetupChoice`; the composition root creates the database from
it (services/setup.init_database)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hengdong_desktop import APP_NAME
from hengdong_desktop.domain.reference import Unit
from hengdong_desktop.services.setup import COUNTY, ROLE_LABELS, TOWNSHIP


@dataclass(frozen=True)
class SetupChoice:
    role: str
    unit: str | None  # unit name for a township, None for the county
    operator: str
    key_passphrase: str | None = None  # protects the signing key; None = no passphrase
    training: bool = False  # 先试用: a separate training database with demo data


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #5b6b7c;")
    return label


class RolePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("本机用途"))
        self.setSubTitle(self.tr("欢迎使用{app}。请先选择这台电脑的用途。").format(app=APP_NAME))
        layout = QVBoxLayout(self)
        self.township = QRadioButton(self.tr("乡镇填报（乡镇、县经开区的填报员）"))
        self.county = QRadioButton(self.tr("县级汇总（县“百十亿”工程领导小组办公室）"))
        self.township.setChecked(True)
        group = QButtonGroup(self)
        for button, note in (
            (self.township, self.tr("录入本单位的企业、项目、月度调度数据和问题，导出上报包报送县里。")),
            (self.county, self.tr("导入各单位的上报包，审核、汇总全县数据，维护基础数据和目标任务。")),
        ):
            group.addButton(button)
            layout.addWidget(button)
            hint = _note(note)
            hint.setContentsMargins(24, 0, 0, 12)
            layout.addWidget(hint)
        layout.addSpacing(8)
        self.training = QCheckBox(self.tr("先试用（演示数据）"))
        self.training.setObjectName("tryFirst")
        layout.addWidget(self.training)
        hint = _note(self.tr("另建一个培训数据库并装入演示数据，与正式数据完全分开：窗口标题和状态栏标明“培训/演示”，"
                             "打印件带水印，导出的Excel每页注明，数据包正式数据库不接收。熟悉后可随时建立正式数据库。"))
        hint.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(hint)
        layout.addStretch(1)

    def role(self) -> str:
        return COUNTY if self.county.isChecked() else TOWNSHIP


class UnitPage(QWizardPage):
    def __init__(self, units: list[Unit]) -> None:
        super().__init__()
        self.setTitle(self.tr("填报单位"))
        self.setSubTitle(self.tr("请选择本机填报的单位。选定后，本机只录入该单位的数据。"))
        layout = QVBoxLayout(self)
        self.units = QListWidget()
        self.units.setObjectName("unitList")
        for unit in units:
            item = QListWidgetItem(unit.name + (f"（{unit.short_name}）" if unit.short_name else ""))
            item.setData(Qt.ItemDataRole.UserRole, unit.name)
            self.units.addItem(item)
        self.units.setFlow(QListWidget.Flow.LeftToRight)
        self.units.setWrapping(True)
        self.units.setResizeMode(QListWidget.ResizeMode.Adjust)
        metrics = self.fontMetrics()
        widest = metrics.horizontalAdvance("衡东经济开发区（县经开区）")
        self.units.setGridSize(QSize(widest + 24, metrics.height() + 14))
        self.units.setUniformItemSizes(True)
        self.units.currentItemChanged.connect(lambda *_a: self.completeChanged.emit())
        self.units.itemDoubleClicked.connect(lambda _i: self.wizard().next())
        layout.addWidget(self.units)

    def unit(self) -> str | None:
        item = self.units.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.unit() is not None


class OperatorPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("操作员"))
        self.setSubTitle(self.tr("请输入您的姓名。每次修改数据时都会记录操作员，便于日后查询。"))
        layout = QVBoxLayout(self)
        self.name = QLineEdit()
        self.name.setObjectName("operatorName")
        self.name.setPlaceholderText(self.tr("填报人姓名，如：张三"))
        self.name.textChanged.connect(lambda _t: self.completeChanged.emit())
        layout.addWidget(self.name)
        layout.addWidget(_note(self.tr("以后可以在“设置”中修改操作员。")))
        layout.addSpacing(16)
        layout.addWidget(QLabel(self.tr("签名密钥口令（可选）：")))
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("keyPassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("不填则不设口令"))
        self.repeat = QLineEdit()
        self.repeat.setObjectName("keyPassphraseRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setPlaceholderText(self.tr("再输入一次口令"))
        self.mismatch = QLabel(self.tr("两次输入的口令不一致。"))
        self.mismatch.setStyleSheet("color: #b00020;")
        self.mismatch.setVisible(False)
        for field in (self.passphrase, self.repeat):
            field.textChanged.connect(self._passphrase_changed)
            layout.addWidget(field)
        layout.addWidget(self.mismatch)
        layout.addWidget(_note(self.tr("本机数据库有自己的签名密钥，上报包用它签名。设了口令，每次导出上报包都要输入；"
                                       "口令遗忘后须重新生成密钥并到县里重新登记。")))
        layout.addStretch(1)

    def _passphrase_changed(self) -> None:
        self.mismatch.setVisible(self.passphrase.text() != self.repeat.text() and bool(self.repeat.text()))
        self.completeChanged.emit()

    def key_passphrase(self) -> str | None:
        return self.passphrase.text() or None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return bool(self.name.text().strip()) and self.passphrase.text() == self.repeat.text()


class ConfirmPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("确认"))
        self.setSubTitle(self.tr("请核对以下信息，点击“完成”后创建本机数据库。"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("setupSummary")
        self.summary.setStyleSheet("font-size: 12pt;")
        layout.addWidget(self.summary)
        layout.addWidget(_note(self.tr("数据保存在本机的用户数据目录中。填报单位创建后不能更改；"
                                       "如选错，请联系县级管理员。")))
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        choice = wizard.choice()
        rows = [self.tr("用途：{role}").format(role=ROLE_LABELS[choice.role])
                + (self.tr("（先试用：培训/演示数据库）") if choice.training else "")]
        rows.append(self.tr("填报单位：{unit}").format(unit=choice.unit or self.tr("衡东县（县级）")))
        rows.append(self.tr("操作员：{name}").format(name=choice.operator))
        rows.append(self.tr("签名密钥：{p}").format(
            p=self.tr("设有口令") if choice.key_passphrase else self.tr("未设口令")))
        self.summary.setText("\n".join(rows))


class SetupWizard(QWizard):
    ROLE, UNIT, OPERATOR, CONFIRM = range(4)

    def __init__(self, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用设置"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(640, 460)
        self.role_page = RolePage()
        self.unit_page = UnitPage(units)
        self.operator_page = OperatorPage()
        self.confirm_page = ConfirmPage()
        for page_id, page in ((self.ROLE, self.role_page), (self.UNIT, self.unit_page),
                              (self.OPERATOR, self.operator_page), (self.CONFIRM, self.confirm_page)):
            self.setPage(page_id, page)

    def nextId(self) -> int:  # noqa: N802 - Qt override
        """The county has no unit to choose."""
        if self.currentId() == self.ROLE and self.role_page.role() == COUNTY:
            return self.OPERATOR
        return super().nextId()

    def choice(self) -> SetupChoice:
        role = self.role_page.role()
        unit = self.unit_page.unit() if role == TOWNSHIP else None
        return SetupChoice(role, unit, self.operator_page.name.text().strip(), self.operator_page.key_passphrase(),
                           self.role_page.training.isChecked())

    @classmethod
    def ask(cls, parent: QWidget | None, units: list[Unit]) -> SetupChoice | None:
        wizard = cls(units, parent)
        return wizard.choice() if wizard.exec() == QWizard.DialogCode.Accepted else None
