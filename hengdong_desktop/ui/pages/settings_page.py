"""设置: whose database this is and where it lives (and which database the next start opens: a
file, or the county's server database by its URL), the operator's name (recorded with every
change), the signing key (on a server database: this computer's copy of the county's key file),
and the table of 审核 rules with their severities, so a clerk can read what each means."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.db.location import is_server_url, server_url, shown_url, without_password
from hengdong_desktop.domain import rules
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import keys
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Commands, Page
from hengdong_desktop.ui.record_model import Column, RecordTableModel
from hengdong_desktop.ui.widgets import QT_TRANSLATE_NOOP, heading

RULE_ID, RULE_ENTITY, RULE_SEVERITY, RULE_FIELDS, RULE_MESSAGE = range(5)
RULE_COLUMNS: tuple[Column[dict[str, str]], ...] = (
    Column(QT_TRANSLATE_NOOP("RuleCatalogueModel", "编号"), lambda r: r["id"]),
    Column(QT_TRANSLATE_NOOP("RuleCatalogueModel", "对象"), lambda r: r["entity"]),
    Column(QT_TRANSLATE_NOOP("RuleCatalogueModel", "级别"), lambda r: r["severity"]),
    Column(QT_TRANSLATE_NOOP("RuleCatalogueModel", "涉及字段"), lambda r: r["fields"]),
    # the message templates read “…” where a record's own values go
    Column(QT_TRANSLATE_NOOP("RuleCatalogueModel", "审核内容"), lambda r: re.sub(r"\{\w+\}", "…", r["message"])),
)


class SettingsPage(Page):
    saved = Signal()  # the operator's name was saved

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        info = ctx.info
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading(self.tr("设置")))

        about = QGroupBox(self.tr("本机"))
        form = QFormLayout(about)
        form.addRow(self.tr("用途："), QLabel(info.role_label))
        form.addRow(self.tr("单位："), QLabel(info.unit_name))
        path = QLabel(ctx.db.location)
        path.setObjectName("databaseLocation")
        path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(path, 1)
        if ctx.db.is_server:
            form.addRow(self.tr("服务器数据库："), row)
            form.addRow(self.tr("登录账号："), QLabel(info.account_label))
        else:
            open_folder = QPushButton(self.tr("打开所在文件夹"))
            folder = QUrl.fromLocalFile(str(Path(ctx.db.path).parent))
            open_folder.clicked.connect(lambda: QDesktopServices.openUrl(folder))
            row.addWidget(open_folder)
            form.addRow(self.tr("数据库文件："), row)
        self.switch_button = QPushButton(
            self.tr("改用本机数据库文件") if ctx.db.is_server else self.tr("连接服务器数据库…")
        )
        self.switch_button.setObjectName("switchDatabase")
        self.switch_button.clicked.connect(self.switch_database)
        self.switch_note = QLabel()
        self.switch_note.setWordWrap(True)
        switch = QHBoxLayout()
        switch.addWidget(self.switch_button)
        switch.addWidget(self.switch_note, 1)
        form.addRow(self.tr("下次启动："), switch)
        identity = QLabel(info.database_id)
        identity.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("数据库标识："), identity)
        form.addRow(self.tr("基础数据版本："), QLabel(str(info.reference_version)))
        layout.addWidget(about)

        operator = QGroupBox(self.tr("操作员"))
        row = QHBoxLayout(operator)
        self.operator = QLineEdit(info.operator)
        self.operator.setObjectName("operator")
        self.operator.setPlaceholderText(self.tr("填报人姓名"))
        self.operator_button = QPushButton(self.tr("保存操作员"))
        self.operator_button.clicked.connect(self.save)
        self.operator.returnPressed.connect(self.save)
        self.operator_note = QLabel(self.tr("每次修改数据都会记录操作员姓名。"))
        if ctx.db.is_server:  # the account's user, as the server's administrator set it
            self.operator.setReadOnly(True)
            self.operator_button.setEnabled(False)
            self.operator_note.setText(self.tr("服务器数据库记录登录账号及使用人姓名，由管理员设定。"))
        row.addWidget(self.operator, 1)
        row.addWidget(self.operator_button)
        row.addWidget(self.operator_note, 2)
        layout.addWidget(operator)

        key = QGroupBox(self.tr("签名密钥"))
        row = QHBoxLayout(key)
        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.has_passphrase = False
        change = QPushButton(self.tr("修改密钥口令…"))
        change.clicked.connect(self.change_passphrase)
        row.addWidget(self.key_label, 1)
        row.addWidget(change)
        if ctx.db.is_server:  # this computer's copy of the county's key file
            self.export_key_button = QPushButton(self.tr("导出私钥文件…"))
            self.export_key_button.clicked.connect(self.export_key_file)
            self.install_key_button = QPushButton(self.tr("导入私钥文件…"))
            self.install_key_button.setObjectName("installKey")
            self.install_key_button.clicked.connect(self.install_key_file)
            row.addWidget(self.export_key_button)
            row.addWidget(self.install_key_button)
        layout.addWidget(key)
        self._show_key()

        catalogue = QGroupBox(self.tr("审核规则（强制性：必须改正；准强制性、核实性：须填写说明；提示性：仅提示）"))
        box = QVBoxLayout(catalogue)
        table = QTableView()
        table.setObjectName("ruleCatalogue")
        table.setModel(
            RecordTableModel(RULE_COLUMNS, rules.catalogue(), self, tr_context="RuleCatalogueModel", text_tooltips=True)
        )
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.setWordWrap(False)
        header = table.horizontalHeader()
        for column in (RULE_ID, RULE_ENTITY, RULE_SEVERITY, RULE_FIELDS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        box.addWidget(table)
        layout.addWidget(catalogue, 1)

    def commands(self) -> Commands:
        return Commands(save=self.save)

    def switch_database(self) -> None:
        """Which database the next start opens: the county's server database (asked for by its
        URL; its password is asked at each start, never stored) or this computer's default file."""
        if self.ctx.db.is_server:  # none set: the next start opens the default file
            self.ctx.settings.set(s.DATABASE_PATH, "")
            self.switch_note.setText(self.tr("已设定，重新启动程序后打开本机的数据库文件。"))
            return
        target = ServerAddressDialog.ask(self)
        if not target:
            return
        self.ctx.settings.set(s.DATABASE_PATH, target)
        self.switch_note.setText(self.tr("已设定，重新启动程序后打开：{target}").format(target=shown_url(target)))

    def save(self) -> None:
        """Ctrl+S here saves the operator's name."""
        name = self.operator.text().strip()
        if not name:
            self.operator_note.setText(self.tr("<span style='color:#b3261e'>操作员姓名不能为空。</span>"))
            return
        db = self.ctx.db

        def saved(_result: object) -> None:  # the context reads whose database it is again
            self.operator_note.setText(self.tr("已保存：以后的修改记录为“{name}”。").format(name=name))
            self.saved.emit()

        Operation(self, lambda _p: setup.set_operator(db, name), Changes(info=True)).success(saved).run(self.ctx)

    def concerned(self, changes: Changes) -> bool:
        """The key's state, and the county's passphrase rule (a reference setting)."""
        return changes.keys or changes.reference

    def refresh(self) -> None:
        self._show_key()

    def _show_key(self) -> None:
        db = self.ctx.db

        def read(_progress: object) -> tuple[keys.OwnKey, int, bool]:
            return keys.own_key(db), keys.passphrase_minimum(db), keys.is_encrypted(db)

        def show(result: tuple[keys.OwnKey, int, bool]) -> None:
            own, minimum, encrypted = result
            self.has_passphrase = encrypted
            policy = self.tr("县里要求口令至少{n}个字符").format(n=minimum) if minimum else self.tr("口令可不设")
            state = self.tr("设有口令") if encrypted else self.tr("未设口令")
            text = self.tr("指纹 {fp}，{state}（{policy}）").format(fp=own.fingerprint, state=state, policy=policy)
            if db.is_server:
                text += "\n" + (
                    self.tr("本机的私钥文件：{path}")
                    if own.path.exists()
                    else self.tr(
                        "本机还没有县级私钥文件（合并上报包、签发下发包时需要），请导入办公室的私钥文件；"
                        "它将保存为：{path}"
                    )
                ).format(path=own.path)
            self.key_label.setText(text)

        self.ctx.tasks.read(read, on_success=show, parent=self, latest=(id(self), "key"))

    def change_passphrase(self) -> None:
        answer = PassphraseDialog.ask(self, self.has_passphrase)
        if answer is None:
            return
        db = self.ctx.db
        Operation(self, lambda _p: keys.change_passphrase(db, answer[0], answer[1]), Changes(keys=True)).success(
            lambda _r: QMessageBox.information(self, self.tr("签名密钥"), self.tr("已修改密钥口令。"))
        ).run(self.ctx)

    def export_key_file(self) -> None:
        out = FileDialogs.save_file(
            self, self.tr("导出私钥文件"), f"{self.ctx.db.name}.key.pem", self.tr("私钥文件 (*.pem)")
        )
        if out is None:
            return
        db = self.ctx.db

        def done(path: Path) -> None:
            warning = "" if self.has_passphrase else self.tr("私钥未设口令，请务必妥善保管这个文件。")
            QMessageBox.information(
                self,
                self.tr("签名密钥"),
                self.tr(
                    "已导出私钥文件：{path}\n请只交给需要合并、签发的办公室电脑导入，导入后删除副本。{warning}"
                ).format(path=path, warning=warning),
            )

        Operation(self, lambda _p: keys.export_key_file(db, out), Changes()).success(done).run(self.ctx)

    def install_key_file(self) -> None:
        source = FileDialogs.open_file(self, self.tr("导入私钥文件"), self.tr("私钥文件 (*.pem);;所有文件 (*)"))
        if source is None:
            return
        passphrase = KeyPassphrase.ask(self)
        if passphrase is None:
            return
        db = self.ctx.db
        Operation(self, lambda _p: keys.install_key_file(db, source, passphrase or None), Changes(keys=True)).success(
            lambda own: QMessageBox.information(
                self, self.tr("签名密钥"), self.tr("已导入县级私钥文件：{path}").format(path=own.path)
            )
        ).run(self.ctx)


class KeyPassphrase:
    """The passphrase of a key file being imported ("" when it has none), or None to cancel."""

    @classmethod
    def ask(cls, parent: QWidget) -> str | None:
        text, ok = QInputDialog.getText(
            parent,
            parent.tr("导入私钥文件"),
            parent.tr("私钥文件的口令（没有设口令则留空）："),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None


class ServerAddressDialog:
    """Asks for the county server database's address; returns it without a password, or None."""

    @classmethod
    def ask(cls, parent: QWidget) -> str | None:
        text, ok = QInputDialog.getText(
            parent,
            parent.tr("连接服务器数据库"),
            parent.tr(
                "服务器数据库地址（由县信息化管理员提供），如：\npostgresql://zhangsan@county-server:5432/hengdong\n"
                "（密码在每次启动时输入，不会保存）"
            ),
            QLineEdit.EchoMode.Normal,
            "postgresql://",
        )
        text = text.strip()
        if not ok or not text:
            return None
        try:
            if not is_server_url(text):
                raise UserError(f"“{text}”不是服务器数据库地址，应以 postgresql:// 开头。")
            url = server_url(text)
            if not url.username or not url.host:
                raise UserError("地址中须写明账号和服务器，如 postgresql://zhangsan@county-server:5432/hengdong。")
        except UserError as exc:
            show_error(parent, exc)
            return None
        return without_password(text)


class PassphraseDialog(QDialog):
    """The current passphrase (if the key has one) and the new one, typed twice."""

    def __init__(self, has_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改密钥口令"))
        form = QFormLayout(self)
        self.old = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.old, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        if has_passphrase:
            form.addRow(self.tr("原口令："), self.old)
        form.addRow(self.tr("新口令："), self.new)
        form.addRow(self.tr("再输入一次："), self.repeat)
        self.mismatch = QLabel(self.tr("两次输入的新口令不一致。"))
        self.mismatch.setStyleSheet("color: #b00020;")
        self.mismatch.setVisible(False)
        form.addRow(self.mismatch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        if self.new.text() != self.repeat.text():
            self.mismatch.setVisible(True)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, has_passphrase: bool) -> tuple[str | None, str | None] | None:
        dialog = cls(has_passphrase, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.old.text() or None, dialog.new.text() or None
