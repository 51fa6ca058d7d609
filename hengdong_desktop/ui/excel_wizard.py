"""Excel in the main window: 下载Excel模板, the 从Excel导入 wizard (choose a file → check it and
preview what would be created and changed → import) and 导出Excel.

The wizard's work runs through the task runner; the services read the file, check every row
and write all or nothing. The wizard holds plain results (the plan), never a session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from hengdong_desktop.domain.rules import Severity
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.excel import export, importer, report
from hengdong_desktop.services.excel.importer import Change, ImportPlan, Issue
from hengdong_desktop.services.excel.reader import WorkbookData
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import FileDialogs, Saved, with_suffix
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Shell
from hengdong_desktop.ui.record_model import Column, RecordTableModel

XLSX_FILTER = "Excel工作簿 (*.xlsx)"
SEVERITY_COLORS = {
    Severity.MANDATORY: "#ffc7ce",
    Severity.QUASI: "#ffeb9c",
    Severity.VERIFY: "#ffeb9c",
    Severity.HINT: "#ddebf7",
}

# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------
ISSUE_SHEET, ISSUE_ROW, ISSUE_COLUMN, ISSUE_VALUE, ISSUE_RULE, ISSUE_SEVERITY, ISSUE_MESSAGE = range(7)
ISSUE_COLUMNS: tuple[Column[Issue], ...] = (
    Column("工作表", lambda i: i.sheet),
    Column("行号", lambda i: i.row or ""),
    Column("列", lambda i: i.column or ""),
    Column("单元格值", lambda i: i.value or ""),
    Column("规则", lambda i: i.rule),
    Column("级别", lambda i: i.severity.value, background=lambda i: SEVERITY_COLORS[i.severity]),
    Column("说明", lambda i: i.text, tooltip=lambda i: i.text),
)
CHANGE_SHEET, CHANGE_ROW, CHANGE_ACTION, CHANGE_SUBJECT, CHANGE_DETAIL = range(5)
CHANGE_COLUMNS: tuple[Column[Change], ...] = (
    Column("工作表", lambda c: c.sheet),
    Column("行号", lambda c: c.row),
    Column("操作", lambda c: importer.ACTION_LABELS[c.action]),
    Column("对象", lambda c: c.subject),
    Column("内容", lambda c: c.describe(), tooltip=lambda c: c.describe().replace("；", "\n")),
)


def _table(model: RecordTableModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


# ---------------------------------------------------------------------------------------------
# The wizard
# ---------------------------------------------------------------------------------------------
class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle(self.tr("选择Excel文件"))
        self.setSubTitle(
            self.tr(
                "可以使用本系统的Excel模板，也可以使用自己的表格：表头含有模板中的列名即可，"
                "列的顺序不限。下一步只检查，不会写入任何数据。"
            )
        )
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.path = QLineEdit()
        self.path.setPlaceholderText(self.tr("要导入的.xlsx文件"))
        self.path.textChanged.connect(self.completeChanged)
        browse = QPushButton(self.tr("浏览(&B)…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        layout.addLayout(row)
        template = QPushButton(self.tr("下载Excel模板…"))
        template.clicked.connect(lambda: download_template_for(wizard.ctx, self))
        layout.addWidget(template, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)

    def _browse(self) -> None:
        chosen = FileDialogs.open_file(self, self.tr("选择要导入的Excel文件"), XLSX_FILTER)
        if chosen:
            self.path.setText(str(chosen))

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return Path(self.path.text().strip()).is_file()


class PreviewPage(QWizardPage):
    """Checks the file (a dry run) and shows what the import would create and change."""

    checked = Signal()  # the check is done (or could not be done), and shown

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("检查结果"))
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("导入(&I)"))
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.tr("正在检查…"))
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.tabs = QTabWidget()
        self.issues: RecordTableModel[Issue] = RecordTableModel(ISSUE_COLUMNS, parent=self)
        self.changes: RecordTableModel[Change] = RecordTableModel(CHANGE_COLUMNS, parent=self)
        self.issues_view = _table(self.issues)
        self.changes_view = _table(self.changes)
        self.tabs.addTab(self.issues_view, self.tr("审核结果"))
        self.tabs.addTab(self.changes_view, self.tr("将新增和修改的数据"))
        layout.addWidget(self.tabs, 1)
        self.save_report = QPushButton(self.tr("保存检查报告(&S)…"))
        self.save_report.setEnabled(False)
        self.save_report.clicked.connect(self._save_report)
        layout.addWidget(self.save_report, alignment=Qt.AlignmentFlag.AlignLeft)
        self.plan: ImportPlan | None = None
        self.data: WorkbookData | None = None

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.plan = self.data = None
        self.issues.set_rows([])
        self.changes.set_rows([])
        self.save_report.setEnabled(False)
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("正在检查…"))
        self.completeChanged.emit()
        path = self.wiz.file_page.path.text().strip()
        db = self.wiz.ctx.db
        handle = self.wiz.ctx.tasks.read(
            lambda _p: importer.import_file(db, path, dry_run=True),
            on_success=self._show,
            on_failure=self._failed,
            parent=self,
            label=self.tr("正在检查Excel文件…"),
        )
        handle.cancelled.connect(lambda: self._failed(UserError(self.tr("检查已取消，可以重新选择文件。"))))

    def _failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):
            show_error(self, error)
            self.summary.setText(self.tr("检查未完成。"))
            self.checked.emit()
            return
        self.summary.setStyleSheet("color: #c00000;")
        self.summary.setText(str(error))
        self.checked.emit()

    def _show(self, result: tuple[WorkbookData, ImportPlan]) -> None:
        self.data, self.plan = result
        plan = self.plan
        self.issues.set_rows(plan.issues)
        self.changes.set_rows([c for c in plan.changes if c.action != "unchanged"])
        self.issues_view.resizeColumnsToContents()
        self.changes_view.resizeColumnsToContents()
        ignored = [
            f"“{s.title}”表中的列" + "、".join(f"“{c}”" for c in s.ignored_columns)
            for s in plan.sheets
            if s.ignored_columns
        ]
        lines = [plan.summary()]
        if ignored:
            lines.append(self.tr("已忽略：") + "；".join(ignored) + "。")
        if plan.blocking:
            lines.append(self.tr("请按“审核结果”改正Excel文件（可保存检查报告，问题单元格已标色），然后重新选择文件。"))
            self.summary.setStyleSheet("color: #c00000;")
        self.summary.setText("\n".join(lines))
        self.tabs.setCurrentIndex(0 if plan.issues or not plan.changes else 1)
        self.save_report.setEnabled(True)
        self.completeChanged.emit()
        self.checked.emit()

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.plan is not None and not self.plan.blocking

    def _save_report(self) -> None:
        if self.plan is None or self.data is None:
            return
        suggested = str(Path(self.data.path).with_name(Path(self.data.path).stem + "-检查报告.xlsx"))
        out = FileDialogs.save_file(self, self.tr("保存检查报告"), suggested, XLSX_FILTER)
        if out:
            plan, data, target = self.plan, self.data, with_suffix(out, ".xlsx")
            self.wiz.ctx.tasks.read(
                lambda _p: report.write_report(plan, data, target),
                on_success=lambda path: self.summary.setText(
                    self.summary.text() + "\n" + self.tr("检查报告已保存：{path}").format(path=path)
                ),
                parent=self,
                label=self.tr("正在保存检查报告…"),
                cancellable=False,
            )


class ResultPage(QWizardPage):
    """Imports (checking once more inside the write transaction) and shows the outcome."""

    done = Signal()  # the import is over, written or not

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(self.tr("导入"))
        layout = QVBoxLayout(self)
        self.result = QLabel(self.tr("正在导入…"))
        self.result.setObjectName("importResult")
        self.result.setWordWrap(True)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self.plan: ImportPlan | None = None

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        self.plan = None
        self.completeChanged.emit()
        data = self.wiz.preview_page.data
        assert data is not None
        db = self.wiz.ctx.db
        # one transaction: nothing to stop half way
        Operation(
            self,
            lambda _p: importer.import_workbook(db, data),
            lambda plan: Changes.everything() | Changes(backups=True) if plan.written else Changes(),
        ).success(self._done).failure(self._failed).with_progress(self.tr("正在导入…")).run(self.wiz.ctx)

    def _done(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.result.setText(plan.summary())
        if not plan.written:
            self.result.setStyleSheet("color: #c00000;")
        self.completeChanged.emit()
        self.done.emit()

    def _failed(self, error: BaseException) -> None:
        self.result.setText(self.tr("导入未完成，没有写入任何数据。"))
        self.plan = ImportPlan("")
        self.completeChanged.emit()
        self.done.emit()
        show_error(self, error)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return self.plan is not None


class ImportWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("从Excel导入"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.preview_page = PreviewPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.preview_page, self.result_page):
            self.addPage(page)
        self.resize(980, 640)


# ---------------------------------------------------------------------------------------------
# Menu actions (ui/actions.py)
# ---------------------------------------------------------------------------------------------
def _run_to_file(
    ctx: AppContext, parent: QWidget, title: str, suggested: str, work: Callable[[Path], Any], label: str
) -> None:
    out = FileDialogs.save_file(parent, title, suggested, XLSX_FILTER)
    if not out:
        return
    target = with_suffix(out, ".xlsx")

    def done(result: Any) -> None:
        Saved.show(parent, title, result.summary(), target)

    # the file is written whatever happens to the window: no 取消 that would not stop it
    ctx.tasks.read(lambda _p: work(target), on_success=done, parent=parent, label=label, cancellable=False)


def download_template_for(ctx: AppContext, parent: QWidget) -> None:
    db = ctx.db
    _run_to_file(
        ctx,
        parent,
        parent.tr("保存Excel模板"),
        "衡东百十亿填报模板.xlsx",
        lambda out: export.write_template(out, db),
        parent.tr("正在生成Excel模板…"),
    )


def download_template(window: Shell) -> None:
    download_template_for(window.ctx, window)


def import_excel(window: Shell) -> ImportWizard:
    wizard = ImportWizard(window.ctx, window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.setWindowModality(Qt.WindowModality.WindowModal)
    wizard.show()
    return wizard


def export_excel(window: Shell) -> None:
    ctx = window.ctx
    db = ctx.db
    if ctx.info.is_county:
        period = ctx.period
        suggested = f"衡东县百十亿汇总表-{period}.xlsx"
        _run_to_file(
            ctx,
            window,
            window.tr("导出汇总表"),
            suggested,
            lambda out: export.export_county(db, out, period),
            window.tr("正在导出汇总表…"),
        )
    else:
        suggested = f"{ctx.info.unit_name}-百十亿数据-{date.today():%Y%m%d}.xlsx"
        _run_to_file(
            ctx,
            window,
            window.tr("导出本单位数据"),
            suggested,
            lambda out: export.export_township(db, out),
            window.tr("正在导出本单位数据…"),
        )
