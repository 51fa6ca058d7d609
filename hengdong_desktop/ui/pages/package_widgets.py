"""Pieces the 上报 and 导入 pages share: table columns over plain row dicts, the text and
passphrase prompts that tests replace, and the 退回 dialog (reason + field comments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS
from hengdong_desktop.services import checks
from hengdong_desktop.services.checks import Owner
from hengdong_desktop.services.packages import keys, review
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.record_model import Column, RecordTableModel

Row = dict[str, Any]
PACKAGE_FILTER = "数据包 (*.hdpkg);;所有文件 (*)"
ENROLLMENT_FILTER = "登记文件 (*.json)"
IDENTITY_FILTER = "县级身份文件 (*.json)"


def show_time(value: Any) -> str:
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    return "" if value is None else str(value)


def text(value: Any) -> str:
    """A value as a cell shows it; nothing for a value not known yet (a file not checked yet)."""
    return "" if value is None else str(value)


def column(key: str, header: str, show: Callable[[Any], str] = show_time, chars: int = 0) -> Column[Row]:
    """A column showing `show(row[key])` (by default: times as local time, None as nothing),
    `chars` characters wide at least (even while the table is empty)."""
    return Column(header, lambda row: row.get(key), show, chars=chars)


def rows_model(columns: tuple[Column[Row], ...], parent: QWidget | None = None) -> RecordTableModel[Row]:
    """The pages' tables: long texts in narrow columns are read in full in the tooltip."""
    return RecordTableModel(columns, parent=parent, text_tooltips=True)


# Prompts (module functions so tests can replace them) ------------------------------------------
def ask_text(parent: QWidget, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value.strip() if ok and value.strip() else None


def ask_passphrase(parent: QWidget) -> str | None:
    value, ok = QInputDialog.getText(
        parent, "密钥口令", "本数据库的签名密钥设有口令，请输入：", QLineEdit.EchoMode.Password
    )
    return value if ok else None


def key_passphrase(parent: QWidget, db: Database) -> tuple[bool, str | None]:
    """(go on?, passphrase) for signing or opening packages: asks only when this database's key
    has a passphrase."""
    if not keys.is_encrypted(db):
        return True, None
    value = ask_passphrase(parent)
    return value is not None, value


def confirm_fingerprint(parent: QWidget, title: str, who: str, fingerprint: str) -> bool:
    """Asks whether the fingerprint was confirmed by phone; “否” is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        f"{who}的密钥指纹：\n\n{fingerprint}\n\n请打电话与对方逐组核对。核对一致吗？",
        parent=parent,
    )
    box.setInformativeText("不一致或无法核对时请选“否”：可能有人冒充。")
    yes = box.addButton("一致", QMessageBox.ButtonRole.YesRole)
    no = box.addButton("否", QMessageBox.ButtonRole.NoRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def confirm(parent: QWidget, title: str, text: str) -> bool:
    """A yes/no question whose default is “否”."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def resolve_conflict(page: Page, row: Row, *, keep_incoming: bool) -> None:
    """Settles one conflict (a row made of a review.OpenConflict) with one side's value."""
    db = page.ctx.db

    def work(_progress: object) -> set[Owner]:
        review.resolve_conflict(db, row["id"], keep_incoming=keep_incoming)
        return checks.owners_of(db, [(row["entity"], row["record_id"])])

    Operation(page, work, lambda owners: Changes.records({row["entity"]}, owners, None) | Changes(packages=True)).run(
        page.ctx
    )


# The 退回 dialog -----------------------------------------------------------------------------
@dataclass(frozen=True)
class ReturnInput:
    reason: str
    comments: list[dict[str, str]]


class ReturnDialog(QDialog):
    """Reason for returning a unit's period, plus optional comments on fields of its records or of
    their figures of the period. `targets` are (entity, record id, what the clerk calls the record);
    the search box narrows the list to the names containing what is typed."""

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
        self.refusal = QLabel()
        self.refusal.setObjectName("returnRefusal")
        self.refusal.setStyleSheet("color: #b3261e;")
        self.refusal.setVisible(False)
        form.addRow("", self.refusal)
        self.search = QLineEdit()
        self.search.setObjectName("returnSearch")
        self.search.setPlaceholderText(self.tr("搜索企业或项目名称"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._fill_records)
        form.addRow(self.tr("查找记录："), self.search)
        self.record = QComboBox()
        self.record.setMinimumContentsLength(16)
        self.field = QComboBox()
        self.record.currentIndexChanged.connect(self._fill_fields)
        self._fill_records()
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(self.tr("对该字段的意见"))
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
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 380)

    def _fill_records(self) -> None:
        """The records (and the period's figures) whose name contains the search text."""
        wanted = self.search.text().strip()
        self.record.blockSignals(True)
        self.record.clear()
        for entity, record_id, subject in self.targets:
            if wanted in subject:
                self.record.addItem(f"{ENTITY_LABELS[entity]}：{subject}", (entity, record_id, subject))
        self.record.blockSignals(False)
        self._fill_fields()

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
            return
        self.refusal.setText(self.tr("请填写退回理由：乡镇收到下发包后据此修改数据，没有理由不能退回。"))
        self.refusal.setVisible(True)
        self.reason.setFocus()

    def value(self) -> ReturnInput:
        return ReturnInput(self.reason.text().strip(), list(self.comments))

    @classmethod
    def ask(
        cls, parent: QWidget | None, unit: str, period: str, targets: list[tuple[str, str, str]]
    ) -> ReturnInput | None:
        dialog = cls(unit, period, targets, parent)
        return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
