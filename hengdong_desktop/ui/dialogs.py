"""The small questions screens ask: which file, a reason (调出名录, 删除), explanations of warnings,
what to do with unsaved changes, one row of a record's child table (a cultivation-list membership,
a year's figures, a year's plan, a row of a project's status history); and the note that an export
is done (`Saved`: where the file is, and a button to open its folder). Each takes and returns plain
data through an `ask` classmethod (the file choosers: `FileDialogs`; the note: `Saved.show`), which
tests replace."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain.fields import (
    ENTERPRISE_ANNUAL,
    MEMBERSHIP,
    PROJECT_ANNUAL,
    PROJECT_STAGE,
    SUPPORT_MEASURE,
    FieldSpec,
)
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.services import entry
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.field_widgets import FieldForm
from hengdong_desktop.ui.settings import Setting, Settings
from hengdong_desktop.ui.widgets import QT_TRANSLATE_NOOP

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def start_folder(settings: Settings, last: Setting[str]) -> Path:
    """Where a file chooser opens: the folder last used for it, else the clerk's 文档 folder
    (never the program's working folder: the Windows shortcut makes that the install folder)."""
    saved = settings.get(last)
    if saved and Path(saved).is_dir():
        return Path(saved)
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class FileDialogs:
    """The file choosers; `file_filter` reads like "Excel工作簿 (*.xlsx)". Opening starts in the
    folder files were last opened from, saving in the folder last saved to (`start_folder`); the
    folder chosen is remembered in `settings` (the app's, set by AppContext)."""

    settings: Settings | None = None

    @classmethod
    def _store(cls) -> Settings:
        return cls.settings or Settings()

    @classmethod
    def _remember(cls, last: Setting[str], chosen: Path) -> None:
        cls._store().set(last, str(chosen.parent))

    @classmethod
    def open_file(cls, parent: QWidget | None, title: str, file_filter: str) -> Path | None:
        folder = start_folder(cls._store(), s.LAST_IMPORT_FOLDER)
        name, _ = QFileDialog.getOpenFileName(parent, title, str(folder), file_filter)
        if not name:
            return None
        cls._remember(s.LAST_IMPORT_FOLDER, Path(name))
        return Path(name)

    @classmethod
    def open_files(cls, parent: QWidget | None, title: str, file_filter: str) -> list[Path]:
        """Files picked with Ctrl/Shift-click, or typed as "a.hdpkg" "b.hdpkg", or both."""
        dialog = QFileDialog(parent, title, str(start_folder(cls._store(), s.LAST_IMPORT_FOLDER)), file_filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        paths = _chosen_files(dialog)
        if paths:
            cls._remember(s.LAST_IMPORT_FOLDER, paths[0])
        return paths

    @classmethod
    def save_file(cls, parent: QWidget | None, title: str, suggested: str, file_filter: str) -> Path | None:
        """`suggested`: a file name (put in the folder last saved to), or a whole path."""
        target = Path(suggested)
        if not target.is_absolute():
            target = start_folder(cls._store(), s.LAST_EXPORT_FOLDER) / suggested
        name, _ = QFileDialog.getSaveFileName(parent, title, str(target), file_filter)
        if not name:
            return None
        cls._remember(s.LAST_EXPORT_FOLDER, Path(name))
        return Path(name)


def _chosen_files(dialog: QFileDialog) -> list[Path]:
    """What the clerk chose: the files selected in the list, and every existing file named in the
    file-name box. Qt answers with the list's selection alone once anything is selected there,
    and it selects typed names in the list as they are typed, while the folder is still being
    read: a name typed then may be missing from the selection (4 typed, 3 added)."""
    chosen = [Path(name) for name in dialog.selectedFiles()]
    box = dialog.findChild(QLineEdit, "fileNameEdit")  # Qt's own dialog; a native one has none
    if box is not None:
        folder = Path(dialog.directory().absolutePath())
        chosen += [folder / name for name in typed_names(box.text()) if (folder / name).is_file()]
    return list(dict.fromkeys(chosen))


def typed_names(text: str) -> list[str]:
    """The file names in a file dialog's name box: "a" "b" (quoted, as Qt writes a selection of
    several), or one name as typed."""
    if '"' not in text:
        return [text.strip()] if text.strip() else []
    return [part for part in text.split('"')[1::2] if part.strip()]


class Saved:
    """A finished export: what was written, where, and a button that opens that folder."""

    @classmethod
    def box(cls, parent: QWidget | None, title: str, text: str, path: Path) -> QMessageBox:
        if str(path.parent) not in text:
            text += "\n\n" + QCoreApplication.translate("Saved", "文件位置：{folder}").format(folder=path.parent)
        box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok, parent)
        opener = box.addButton(QCoreApplication.translate("Saved", "打开所在文件夹"), QMessageBox.ButtonRole.ActionRole)
        opener.clicked.disconnect()  # the box stays open: the clerk may still want to read it
        opener.clicked.connect(lambda: open_folder(path))
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        return box

    @classmethod
    def show(cls, parent: QWidget | None, title: str, text: str, path: Path) -> None:
        cls.box(parent, title, text, path).exec()


def open_folder(path: Path) -> bool:
    """Opens the folder holding `path` in the system's file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


def with_suffix(path: Path, suffix: str) -> Path:
    """The name the clerk typed, with the ending the file needs (".xlsx", ".pdf") if it was left off."""
    return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)


class UnsavedChanges:
    """保存 / 不保存 / 取消 for work that is not saved yet."""

    @classmethod
    def ask(cls, parent: QWidget | None, what: str) -> str:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            QCoreApplication.translate("UnsavedChanges", "未保存的修改"),
            what,
            QMessageBox.StandardButton.NoButton,
            parent,
        )
        save = box.addButton(QCoreApplication.translate("UnsavedChanges", "保存"), QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton(
            QCoreApplication.translate("UnsavedChanges", "不保存"), QMessageBox.ButtonRole.DestructiveRole
        )
        box.addButton(QCoreApplication.translate("UnsavedChanges", "取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        clicked = box.clickedButton()
        return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


class Confirm:
    """A yes/no question; returns True for yes. 否 is the default: Enter out of habit changes nothing."""

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, text: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(parent, title, text, buttons, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


class ReasonDialog(QDialog):
    """Why a record is removed: typed or picked from the usual reasons; empty is not accepted."""

    def __init__(self, title: str, prompt: str, presets: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        text = QLabel(prompt)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(["", *presets])
        line = self.reason.lineEdit()
        assert line is not None  # the combo is editable
        line.setPlaceholderText(self.tr("请选择或填写原因"))
        layout.addWidget(self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.reason.currentTextChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))

    @classmethod
    def ask(cls, parent: QWidget | None, title: str, prompt: str, presets: Sequence[str] = ()) -> str | None:
        dialog = cls(title, prompt, presets, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.currentText().strip() or None


class ExplainDialog(QDialog):
    """One 说明 per warning that needs it. Left empty, the warning stays open in 审核."""

    def __init__(self, findings: Sequence[Finding], existing: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("填写说明"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "以下审核警告需要填写说明后才能上报。说明会随数据一起报送县级。\n"
                "暂时不清楚可以留空，先保存，之后在审核中补填。"
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        grid = QGridLayout()
        self.edits: dict[str, QLineEdit] = {}
        for row, f in enumerate(findings):
            message = QLabel(f"[{f.severity.value}] {f.message}")
            message.setWordWrap(True)
            edit = QLineEdit(existing.get(f.rule_id, ""))
            need = f.severity.min_explanation
            edit.setPlaceholderText(self.tr("说明（至少{n}个字）").format(n=need))
            edit.setObjectName(f"explain_{f.rule_id}")
            grid.addWidget(message, row * 2, 0)
            grid.addWidget(edit, row * 2 + 1, 0)
            self.edits[f.rule_id] = edit
        holder = QWidget()
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.findings = list(findings)

    def texts(self) -> dict[str, str]:
        return {rule: edit.text().strip() for rule, edit in self.edits.items()}

    @classmethod
    def ask(
        cls, parent: QWidget | None, findings: Sequence[Finding], existing: Mapping[str, str]
    ) -> dict[str, str] | None:
        dialog = cls(findings, existing, parent)
        return dialog.texts() if dialog.exec() == QDialog.DialogCode.Accepted else None


class ChildDialog(QDialog):
    """One row of a record's child table (a time on a cultivation list, a year's figures): its
    fields checked as they are typed; a warning asks for its 说明 before OK (kept in the row's
    "explanations", rule id → text)."""

    title = ""
    specs: tuple[FieldSpec, ...] = ()

    def __init__(
        self,
        ref: Reference,
        values: Mapping[str, Any],
        check: Callable[[Mapping[str, Any]], entry.Checked],
        parent: QWidget | None = None,
        choices: Mapping[str, Sequence[tuple[object, str]]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(QCoreApplication.translate("ChildDialog", self.title))
        self.setMinimumWidth(460)
        self.ref = ref
        self.check = check
        self.explanations: dict[str, str] = dict(values.get("explanations") or {})
        layout = QVBoxLayout(self)
        self.form = FieldForm(self.specs, ref, choices=choices, parent=self)
        self.form.set_values(values)
        self.form.reveal_all()
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.form.changed.connect(self._check)
        self._check()

    def _check(self) -> entry.Checked:
        checked = self.check(self.form.raw())
        self.form.show_findings(checked.findings)
        return checked

    def _accept(self) -> None:
        checked = self._check()
        if checked.blocking:
            self.form.focus_field(checked.blocking[0].fields[0])
            return
        values = dict(checked.values)
        if checked.to_explain:
            texts = ExplainDialog.ask(self, checked.to_explain, self.explanations)
            if texts is None:
                return
            values["explanations"] = texts
        self.result_values = values
        self.accept()

    @classmethod
    def run(
        cls,
        parent: QWidget | None,
        ref: Reference,
        values: Mapping[str, Any],
        check: Callable[[Mapping[str, Any]], entry.Checked],
        choices: Mapping[str, Sequence[tuple[object, str]]] | None = None,
    ) -> dict[str, Any] | None:
        dialog = cls(ref, values, check, parent, choices)
        return dict(dialog.result_values) if dialog.exec() == QDialog.DialogCode.Accepted else None


class MembershipDialog(ChildDialog):
    """One time on a cultivation list: which list, level, dates and reasons."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "培育名录")
    specs = MEMBERSHIP

    @classmethod
    def ask(cls, parent: QWidget | None, ref: Reference, values: Mapping[str, Any]) -> dict[str, Any] | None:
        return cls.run(parent, ref, values, lambda raw: entry.check_membership(raw, ref))


class MeasureDialog(ChildDialog):
    """One measure of an enterprise's 一企一策 ledger: 措施, 责任单位, 责任人, 时限, 状态, 进展, and the
    enterprise's problem it answers (关联问题, picked from `problems`: id → label; 无 allowed)."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "一企一策措施")
    specs = SUPPORT_MEASURE

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        ref: Reference,
        values: Mapping[str, Any],
        enterprise_id: str | None = None,
        problems: Mapping[str, str] | None = None,
    ) -> dict[str, Any] | None:
        owners: dict[str, str | None] = dict.fromkeys(problems or {}, enterprise_id)
        return cls.run(
            parent,
            ref,
            values,
            lambda raw: entry.check_measure(raw, ref, enterprise_id, owners),
            {"problem_id": list((problems or {}).items())},
        )


class ProgressDialog(ChildDialog):
    """A 责任单位's report on one measure: only its 推进状态 and 进展情况 (services/measures.py)."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "填报措施进展")
    specs = tuple(f for f in SUPPORT_MEASURE if f.name in ("status", "progress"))

    @classmethod
    def ask(
        cls, parent: QWidget | None, ref: Reference, measure: Mapping[str, Any], enterprise_id: str | None
    ) -> dict[str, Any] | None:
        """`measure`: the measure as the editor holds it; returns its new status and progress."""
        linked = {measure["problem_id"]: enterprise_id} if measure.get("problem_id") else {}
        fields = {name: measure.get(name) for name in entry.MEASURE_FIELDS}
        answer = cls.run(
            parent, ref, measure, lambda raw: entry.check_measure({**fields, **raw}, ref, enterprise_id, linked)
        )
        return None if answer is None else {"status": answer["status"], "progress": answer["progress"]}


class AnnualDialog(ChildDialog):
    """One year's figures of an enterprise (年度数据)."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "年度数据")
    specs = ENTERPRISE_ANNUAL

    @classmethod
    def ask(
        cls, parent: QWidget | None, ref: Reference, values: Mapping[str, Any], enterprise: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        return cls.run(parent, ref, values, lambda raw: entry.check_annual(raw, ref, enterprise))


class PlanDialog(ChildDialog):
    """One year's investment plan of a project (年度计划)."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "年度计划投资")
    specs = PROJECT_ANNUAL

    @classmethod
    def ask(
        cls, parent: QWidget | None, ref: Reference, values: Mapping[str, Any], project: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        return cls.run(parent, ref, values, lambda raw: entry.check_plan(raw, ref, project))


class StageDialog(ChildDialog):
    """One row of a project's status history: the period's status and the day it was reached."""

    title = QT_TRANSLATE_NOOP("ChildDialog", "项目状态")
    specs = PROJECT_STAGE

    @classmethod
    def ask(cls, parent: QWidget | None, ref: Reference, values: Mapping[str, Any]) -> dict[str, Any] | None:
        return cls.run(parent, ref, values, lambda raw: entry.check_stage(raw, ref))
