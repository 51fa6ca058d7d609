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
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hengdong_desktop import APP_NAME
from hengdong_desktop.domain.reference import Unit
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.packages import keys
from hengdong_desktop.services.setup import COUNTY, ROLE_LABELS, TOWNSHIP
from hengdong_desktop.ui.dialogs import FileDialogs


@dataclass(frozen=True)
class SetupChoice:
    role: str
    unit: str | None  # unit name for a township, None for the county
    operator: str
    key_passphrase: str | None = None  # protects the signing key; None = no passphrase
    training: bool = False  # 先试用: a separate training database with demo data
    county_identity: keys.CountyIdentity | None = None  # township: confirmed by phone


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
        hint = _note(
            self.tr(
                "另建一个培训数据库并装入演示数据，与正式数据完全分开：窗口标题和状态栏标明“培训/演示”，"
                "打印件带水印，导出的Excel每页注明，数据包正式数据库不接收。熟悉后可随时建立正式数据库。"
            )
        )
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
        # nothing is chosen until the clerk chooses: Enter must not accept the first unit in the list
        self.units.itemSelectionChanged.connect(self.completeChanged.emit)
        self.units.itemDoubleClicked.connect(lambda _i: self.wizard().next())
        layout.addWidget(self.units)

    def unit(self) -> str | None:
        items = self.units.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.unit() is not None


class IdentityPage(QWizardPage):
    """Township: the county's identity file, trusted only once its fingerprint is confirmed by
    phone; may be left for later (the 上报 page imports it)."""

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(self.tr("县级身份"))
        self.setSubTitle(
            self.tr("导入县里发来的“县级身份文件”，并打电话与县里核对密钥指纹。上报包只加密给核对过的县级密钥。")
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_label = QLabel(self.tr("尚未选择县级身份文件"))
        self.file_label.setWordWrap(True)
        choose = QPushButton(self.tr("选择文件…"))
        choose.clicked.connect(self._choose)
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        layout.addLayout(row)
        self.fingerprint = QLabel()
        self.fingerprint.setObjectName("countyFingerprint")
        self.fingerprint.setStyleSheet("font-size: 16pt; font-family: monospace;")
        self.fingerprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.fingerprint)
        self.confirmed = QCheckBox(self.tr("我已打电话与县里逐组核对，指纹一致"))
        self.confirmed.setObjectName("fingerprintConfirmed")
        self.confirmed.toggled.connect(lambda _c: self.completeChanged.emit())
        layout.addWidget(self.confirmed)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        layout.addWidget(self.error)
        layout.addWidget(
            _note(
                self.tr(
                    "手头没有身份文件时可以直接点“下一步”，以后在“上报”页面导入。"
                    "指纹对不上时不要继续，请与县里联系：可能有人冒充县里。"
                )
            )
        )
        layout.addStretch(1)
        self.identity: keys.CountyIdentity | None = None
        try:
            self._show(keys.shipped_identity())
        except UserError as exc:  # a damaged file in the installation: say so, let the clerk choose
            self.error.setText(str(exc))

    def _choose(self) -> None:
        path = FileDialogs.open_file(self, self.tr("选择县级身份文件"), "县级身份文件 (*.json)")
        if path is None:
            return
        try:
            self._show(keys.read_identity(path))
            self.error.clear()
        except UserError as exc:
            self._show(None)
            self.error.setText(str(exc))

    def _show(self, identity: keys.CountyIdentity | None) -> None:
        self.identity = identity
        self.confirmed.setChecked(False)
        self.confirmed.setEnabled(identity is not None)
        self.file_label.setText(
            self.tr("县级身份文件：{f}").format(f=identity.file) if identity else self.tr("尚未选择县级身份文件")
        )
        self.fingerprint.setText(self.tr("县级密钥指纹：{fp}").format(fp=identity.fingerprint) if identity else "")
        self.completeChanged.emit()

    def chosen(self) -> keys.CountyIdentity | None:
        return self.identity if self.identity is not None and self.confirmed.isChecked() else None

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.identity is None or self.confirmed.isChecked()


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
        layout.addWidget(
            _note(
                self.tr(
                    "本机数据库有自己的签名密钥，上报包用它签名。设了口令，每次导出上报包都要输入；"
                    "口令遗忘后须重新生成密钥并到县里重新登记。"
                )
            )
        )
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
        layout.addWidget(
            _note(self.tr("数据保存在本机的用户数据目录中。填报单位创建后不能更改；如选错，请联系县级管理员。"))
        )
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        choice = wizard.choice()
        rows = [
            self.tr("用途：{role}").format(role=ROLE_LABELS[choice.role])
            + (self.tr("（先试用：培训/演示数据库）") if choice.training else "")
        ]
        rows.append(self.tr("填报单位：{unit}").format(unit=choice.unit or self.tr("衡东县（县级）")))
        rows.append(self.tr("操作员：{name}").format(name=choice.operator))
        if choice.role == TOWNSHIP:
            rows.append(
                self.tr("县级密钥：{fp}").format(
                    fp=choice.county_identity.fingerprint + self.tr("（已核对）")
                    if choice.county_identity
                    else self.tr("以后在“上报”页面导入")
                )
            )
        rows.append(
            self.tr("签名密钥：{p}").format(p=self.tr("设有口令") if choice.key_passphrase else self.tr("未设口令"))
        )
        self.summary.setText("\n".join(rows))


class SetupWizard(QWizard):
    ROLE, UNIT, IDENTITY, OPERATOR, CONFIRM = range(5)

    def __init__(self, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("首次使用设置"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(640, 460)
        self.role_page = RolePage()
        self.unit_page = UnitPage(units)
        self.identity_page = IdentityPage()
        self.operator_page = OperatorPage()
        self.confirm_page = ConfirmPage()
        for page_id, page in (
            (self.ROLE, self.role_page),
            (self.UNIT, self.unit_page),
            (self.IDENTITY, self.identity_page),
            (self.OPERATOR, self.operator_page),
            (self.CONFIRM, self.confirm_page),
        ):
            self.setPage(page_id, page)

    def nextId(self) -> int:  # noqa: N802 - Qt override
        """The county has no unit to choose."""
        if self.currentId() == self.ROLE and self.role_page.role() == COUNTY:
            return self.OPERATOR
        return super().nextId()

    def choice(self) -> SetupChoice:
        role = self.role_page.role()
        unit = self.unit_page.unit() if role == TOWNSHIP else None
        identity = self.identity_page.chosen() if role == TOWNSHIP else None
        return SetupChoice(
            role,
            unit,
            self.operator_page.name.text().strip(),
            self.operator_page.key_passphrase(),
            self.role_page.training.isChecked(),
            identity,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, units: list[Unit]) -> SetupChoice | None:
        wizard = cls(units, parent)
        return wizard.choice() if wizard.exec() == QWizard.DialogCode.Accepted else None
