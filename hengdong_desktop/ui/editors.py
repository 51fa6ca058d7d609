"""The record editors: 企业 (every field, its 培育名录 memberships, its figures per year, 一企一策),
项目 (its plan per year, its lifecycle by period, 招商, 五制一平台, problems and site photos) and 问题
(against an enterprise or a project). Fields are checked as they are typed and each
finding is shown at its field; a 强制性 finding blocks saving, warnings ask for a 说明. Saving is
one transaction (services/entry.py); cancel discards; closing with unsaved changes asks. A
history tab shows the audit log of the record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import periods, rules
from hengdong_desktop.domain.fields import (
    ENTERPRISE_ANNUAL,
    ENTITY_LABELS,
    MEMBERSHIP,
    PROJECT_ANNUAL,
    PROJECT_STAGE,
    SUPPORT_MEASURE,
    FieldSpec,
    spec,
)
from hengdong_desktop.domain.reference import PROJECT_HALTS
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry, measures, project_warnings
from hengdong_desktop.services.readiness import PROJECT_WARNING
from hengdong_desktop.ui.changes import Changes, saved_record
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import (
    CANCEL,
    SAVE,
    AnnualDialog,
    Confirm,
    ExplainDialog,
    MeasureDialog,
    MembershipDialog,
    PlanDialog,
    ProgressDialog,
    StageDialog,
    UnsavedChanges,
)
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.field_widgets import FieldForm, shown
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.project_widgets import (
    PhotosPanel,
    ProblemsPanel,
    milestones_text,
    stage_dates_text,
    stage_rows,
    warnings_text,
)
from hengdong_desktop.ui.record_model import Column, ColumnFitter, RecordTableModel
from hengdong_desktop.ui.widgets import QT_TRANSLATE_NOOP


class RecordEditor(QDialog):
    """The shared frame of the editors: tabs of field forms, the finding summary, 保存 and 取消."""

    saved = Signal(str)  # the record's id, once saved
    refused = Signal(object)  # the error that kept it from being saved
    checked_now = Signal()  # the fields were checked again

    entity = ""
    TABS: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def __init__(self, ctx: AppContext, record: entry.Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record = record
        self.ref = ctx.reference()
        self.saved_id: str | None = None
        self.dirty = False
        self.writable = self.writable_fields()
        self.view_only = self.writable == frozenset()
        self.checked: entry.Checked | None = None
        self.resize(820, 680)
        noun = ENTITY_LABELS[self.entity]
        self.setWindowTitle(
            self.tr("新建{noun}").format(noun=noun)
            if record.is_new
            else self.tr("{noun}：{name}").format(noun=noun, name=record.subject)
        )
        layout = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff0c2; padding: 6px; border-radius: 3px;")
        self.banner.setVisible(self.writable is not None)
        if record.removed_reason is not None:
            self.banner.setText(
                self.tr("该{noun}已{word}（原因：{reason}），只能查看；如需修改请先在列表中恢复。").format(
                    noun=noun, word=entry.REMOVE_WORD[self.entity], reason=record.removed_reason
                )
            )
        elif ctx.db.read_only:
            self.banner.setText(self.tr("数据库以只读方式打开，只能查看，不能修改。"))
        elif self.writable is not None:
            account = ctx.info.account_label
            self.banner.setText(
                self.tr("当前账号{account}只能查看这条记录。").format(account=account)
                if self.view_only
                else self.tr("当前账号{account}只能填写办理情况（{fields}），其他内容只能查看。").format(
                    account=account,
                    fields="、".join(
                        spec(self.entity, n).label for _t, ns in self.TABS for n in ns if n in self.writable
                    ),
                )
            )
        layout.addWidget(self.banner)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.forms: list[FieldForm] = []
        for title, names in self.TABS:
            form = FieldForm([spec(self.entity, n) for n in names], self.ref, choices=self.choices(), parent=self)
            form.set_values(record.values)
            form.changed.connect(self._on_change)
            self.forms.append(form)
            self.tabs.addTab(_scrolling(form), title)
        self.build_extra_tabs()
        if not record.is_new:
            self.history: RecordTableModel[entry.Change] = RecordTableModel(
                HISTORY_COLUMNS,
                entry.history(ctx.db, self.entity, record.id or ""),
                self,
                tr_context="HistoryModel",
                text_tooltips=True,
            )
            self.tabs.addTab(_table(self.history), self.tr("历史记录"))
        self.summary = QLabel()
        self.summary.setObjectName("findingSummary")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self.save)
        self._check_timer = QTimer(self, singleShot=True, interval=150)
        self._check_timer.timeout.connect(self.run_check)
        if self.view_only:
            self.save_button.setEnabled(False)
        self.lock_fields()
        self._industries_of_domain()
        if not record.is_new:
            for form in self.forms:
                form.reveal_all()
        self.run_check()
        self.tabs.setCurrentIndex(0)
        self.first_input().setFocus(Qt.FocusReason.OtherFocusReason)  # typing starts in the first field

    # hooks for the three editors ----------------------------------------------------------
    def choices(self) -> dict[str, Sequence[tuple[object, str]]]:
        return {}

    def build_extra_tabs(self) -> None:
        pass

    def first_input(self) -> QWidget:
        """Where typing starts when the editor opens."""
        form = self.forms[0]
        return form.inputs[next(iter(form.inputs))].widget

    def extra_raw(self) -> dict[str, object]:
        return {}

    def extra_findings(self, findings: Sequence[Finding]) -> None:
        pass

    def save_options(self) -> dict[str, Any]:
        return {}

    def confirm_save(self) -> bool:
        return True

    def writable_fields(self) -> frozenset[str] | None:
        """The fields that may be changed here (None: every one): none of a removed record, of a
        database opened read-only or for a 只读 account; for a 牵头部门 account, what the server
        grants it (`department_fields`)."""
        info = self.ctx.info
        if self.record.removed_reason is not None or self.ctx.db.read_only or info.account_kind == "readonly":
            return frozenset()
        if info.account_kind == "department":
            return self.department_fields()
        return None

    def department_fields(self) -> frozenset[str]:
        """What a 牵头部门 account may write of this record (db/server_security.DEPARTMENT_WRITES)."""
        return frozenset()

    def lock_fields(self) -> None:
        """A record keeps its unit (a township clerk only ever enters for their own unit); the
        fields this account may not change are only shown."""
        for form in self.forms:
            for name, field_input in form.inputs.items():
                if (self.writable is not None and name not in self.writable) or (
                    name == "unit_id" and not (self.record.is_new and self.ctx.info.is_county)
                ):
                    field_input.set_read_only(True)

    # checking -----------------------------------------------------------------------------
    def raw(self) -> dict[str, object]:
        values: dict[str, object] = {}
        for form in self.forms:
            values.update(form.raw())
        values.update(self.extra_raw())
        return values

    def mark_dirty(self) -> None:
        self.dirty = True
        self._check_timer.start()

    def _on_change(self, name: str) -> None:
        self.mark_dirty()
        if name == "industry_id":  # picking an industry fills in its domain, the way clerks expect
            industry = self.raw().get("industry_id")
            if isinstance(industry, int):
                for form in self.forms:
                    if "domain_id" in form.inputs:
                        form.inputs["domain_id"].show(self.ref.industry(industry).domain_id)
        if name == "domain_id":
            self._industries_of_domain()

    def _industries_of_domain(self) -> None:
        """The 产业 list offers the chosen 领域's industries (all of them while no 领域 is chosen);
        an industry already picked stays, and the mismatch message says where it belongs."""
        raw = self.raw()
        domain, current = raw.get("domain_id"), raw.get("industry_id")
        for form in self.forms:
            if "industry_id" in form.inputs:
                form.inputs["industry_id"].set_choices(
                    [
                        (i.id, i.name)
                        for i in self.ref.industries
                        if domain is None or i.domain_id == domain or i.id == current
                    ]
                )

    def run_check(self) -> entry.Checked:
        self._check_timer.stop()
        checked = entry.check(
            self.ctx.db, self.ctx.info, self.entity, self.raw(), record_id=self.record.id, ref=self.ref
        )
        self.checked = checked
        icons = {
            "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
            "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
        }
        raw = self.raw()
        shown_findings = [rules.in_words(f, raw, self.ref) for f in checked.findings]
        for index, form in enumerate(self.forms):  # a tab with a problem says so on its tab
            state = form.show_findings(shown_findings)
            self.tabs.setTabIcon(index, self.style().standardIcon(icons[state]) if state else QIcon())
        self.extra_findings(checked.findings)
        errors = len(checked.blocking)
        warnings = len(checked.to_explain)
        parts = []
        if errors:
            where = "、".join(dict.fromkeys(self._label(f) for f in checked.blocking))
            parts.append(
                self.tr("<span style='color:#b3261e'>{n} 处错误须改正后才能保存：{where}</span>").format(
                    n=errors, where=where
                )
            )
        if warnings:
            parts.append(self.tr("<span style='color:#8a5a00'>{n} 条警告保存时须填写说明</span>").format(n=warnings))
        self.summary.setText("；".join(parts))
        self.checked_now.emit()
        return checked

    def reveal_all(self) -> None:
        for form in self.forms:
            form.reveal_all()

    def _label(self, finding: Finding) -> str:
        name = finding.fields[0] if finding.fields else ""
        try:
            return spec(self.entity, name).label
        except KeyError:
            return self.tr("问题对象")

    def focus_finding(self, finding: Finding) -> None:
        name = finding.fields[0] if finding.fields else ""
        for index, form in enumerate(self.forms):
            if form.focus_field(name):
                self.tabs.setCurrentIndex(index)
                form.focus_field(name)
                return

    def show_part(self, entity: str, field: str | None) -> None:
        """Where a finding on `entity` (this record, or one of its child rows) is fixed."""
        table = self.child_tables().get(entity)
        if table is not None:
            self.tabs.setCurrentWidget(table)
            table.setFocus()
        elif field:
            for index, form in enumerate(self.forms):
                if form.focus_field(field):
                    self.tabs.setCurrentIndex(index)
                    form.focus_field(field)
                    return

    def child_tables(self) -> dict[str, ChildTable]:
        """entity → the tab of child rows it is edited in."""
        return {}

    # saving -------------------------------------------------------------------------------
    def save(self) -> bool:
        """Checks, asks for the 说明 of warnings, and starts saving in the background (the
        editor closes when it is saved, and stays open on a refusal). False: not started."""
        if self.view_only or not self.save_button.isEnabled():
            return False
        self.reveal_all()
        checked = self.run_check()
        if checked.blocking:
            self.focus_finding(checked.blocking[0])
            return False
        if not self.confirm_save():
            return False
        explanations = dict(self.record.explanations)
        if checked.to_explain:
            answer = ExplainDialog.ask(self, checked.to_explain, explanations)
            if answer is None:
                return False
            explanations.update(answer)
        db, info, entity, raw, options = self.ctx.db, self.ctx.info, self.entity, self.raw(), self.save_options()
        record_id, revision = self.record.id, self.record.revision
        self.save_button.setEnabled(False)
        Operation(
            self,
            lambda _p: entry.save(
                db, info, entity, raw, record_id=record_id, revision=revision, explanations=explanations, **options
            ),
            lambda saved: saved_record(entity, saved.id or "", saved.values, saved.unit_id),
        ).success(self._saved).failure(self._refused).run(self.ctx)
        return True

    def _saved(self, record: entry.Record) -> None:
        self.saved_id = record.id
        self.dirty = False
        self.accept()
        self.saved.emit(record.id)

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, entry.Refused):
            self.run_check()
            self.focus_finding(error.finding)
        show_error(self, error)
        self.refused.emit(error)

    def reject(self) -> None:
        """Cancel and Esc and closing the window: ask first when something is not saved."""
        if self.dirty:
            answer = UnsavedChanges.ask(
                self, self.tr("{what}有未保存的修改，是否保存？").format(what=self.windowTitle())
            )
            if answer == CANCEL:
                return
            if answer == SAVE:
                self.save()
                return
        self.dirty = False
        super().reject()

    @classmethod
    def build(
        cls, parent: QWidget | None, ctx: AppContext, record_id: str | None = None, **preset: Any
    ) -> RecordEditor:
        record = (
            entry.load(ctx.db, cls.entity, record_id)
            if record_id
            else entry.blank(cls.entity, ctx.info, unit_id=preset.pop("unit_id", None))
        )
        record.values.update(preset)
        return cls(ctx, record, parent)

    @classmethod
    def ask(cls, parent: QWidget | None, ctx: AppContext, record_id: str | None = None, **preset: Any) -> str | None:
        """Opens the editor; returns the id of the saved record, or None when nothing was saved."""
        editor = cls.build(parent, ctx, record_id, **preset)
        return editor.saved_id if editor.exec() == QDialog.DialogCode.Accepted else None


def _scrolling(widget: QWidget) -> QScrollArea:
    """The form at its natural height, at the top of a scrollable tab."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.addWidget(widget)
    column.addStretch(1)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(holder)
    return area


def _table(model: RecordTableModel) -> QTableView:  # type: ignore[type-arg]
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().setVisible(False)
    view.setWordWrap(False)
    ColumnFitter(view)  # as wide as the texts, whenever rows are added
    return view


(
    HISTORY_TIME,
    HISTORY_OPERATOR,
    HISTORY_SOURCE,
    HISTORY_ACTION,
    HISTORY_PART,
    HISTORY_FIELD,
    HISTORY_OLD,
    HISTORY_NEW,
) = range(8)
HISTORY_COLUMNS: tuple[Column[entry.Change], ...] = (
    Column(QT_TRANSLATE_NOOP("HistoryModel", "时间"), lambda c: c.at.astimezone().strftime("%Y-%m-%d %H:%M")),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "操作员"), lambda c: c.operator),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "来源"), lambda c: c.source),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "操作"), lambda c: c.action),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "对象"), lambda c: c.part),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "字段"), lambda c: c.field),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "原值"), lambda c: c.old),
    Column(QT_TRANSLATE_NOOP("HistoryModel", "新值"), lambda c: c.new),
)


# ---------------------------------------------------------------------------------------------
# 企业
# ---------------------------------------------------------------------------------------------
def _membership_column(field: FieldSpec) -> Column[dict[str, Any]]:
    return Column(field.label, lambda row: row.get(field.name), lambda value: shown(field, value))


# The enterprise's cultivation-list memberships and yearly figures as the editor holds them (plain dicts).
MEMBERSHIP_COLUMNS = tuple(_membership_column(f) for f in MEMBERSHIP)
ANNUAL_COLUMNS = tuple(_membership_column(f) for f in ENTERPRISE_ANNUAL)


OVERDUE_BACKGROUND = "#f6c4c4"  # as the 逾期 of an overdue problem


def measure_columns(problems: dict[str, str]) -> tuple[Column[dict[str, Any]], ...]:
    """The 一企一策 list: a measure's 关联问题 shown as the problem's date and description, the
    完成时限 of an overdue measure marked."""

    def column(f: FieldSpec) -> Column[dict[str, Any]]:
        if f.name == "problem_id":
            return Column(f.label, lambda row: problems.get(row.get("problem_id") or "", ""))
        if f.name == "deadline":
            return Column(
                f.label,
                lambda row: row.get("deadline"),
                lambda value: shown(f, value),
                tooltip=lambda row: "已超过完成时限，尚未完成" if _late(row) else None,
                background=lambda row: OVERDUE_BACKGROUND if _late(row) else None,
            )
        return _membership_column(f)

    return tuple(column(f) for f in SUPPORT_MEASURE)


def _late(row: dict[str, Any]) -> bool:
    return measures.is_overdue(row.get("deadline"), row.get("status"), date.today())


class ChildTable(QWidget):
    """A record's child rows in the editor (memberships, yearly figures): a table, 添加/修改/删除;
    rows removed here stay in `rows` marked "removed" until the record is saved."""

    def __init__(
        self,
        editor: RecordEditor,
        columns: tuple[Column[dict[str, Any]], ...],
        rows: list[dict[str, Any]],
        note: str,
        ask: Any,
        new_row: Any,
    ) -> None:
        super().__init__()
        self.editor = editor
        self.ask, self.new_row = ask, new_row
        self.rows = [dict(r, removed=False) for r in rows]
        self.model: RecordTableModel[dict[str, Any]] = RecordTableModel(columns, self.shown(), self, text_tooltips=True)
        layout = QVBoxLayout(self)
        label = QLabel(note)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.view = _table(self.model)
        self.view.doubleClicked.connect(lambda index: self.edit(index.row()))
        layout.addWidget(self.view, 1)
        self.buttons = QHBoxLayout()
        for text, slot in (
            (self.tr("添加…"), lambda: self.edit(None)),
            (self.tr("修改…"), lambda: self.edit(self.current())),
            (self.tr("删除（录入有误）"), self.remove),
        ):
            self.add_button(text, slot)
        row = QHBoxLayout()
        row.addLayout(self.buttons)
        row.addStretch(1)
        layout.addLayout(row)
        self.setFocusProxy(self.view)

    def add_button(self, text: str, slot: Any, *, reporting: bool = False) -> QPushButton:
        """A button beside the table; enabled where the rows may be changed (`reporting`: where
        the record is not removed — a 牵头部门's report on rows it may not otherwise change)."""
        button = QPushButton(text)
        button.clicked.connect(slot)
        button.setEnabled(self.editor.record.removed_reason is None if reporting else not self.editor.view_only)
        self.buttons.addWidget(button)
        return button

    def shown(self) -> list[dict[str, Any]]:
        return [r for r in self.rows if not r["removed"]]

    def current(self) -> int | None:
        index = self.view.currentIndex()
        return index.row() if index.isValid() else None

    def edit(self, row: int | None) -> None:
        if self.editor.view_only:
            return
        current = self.model.rows[row] if row is not None else self.new_row()
        values = self.ask(current)
        if values is None:
            return
        if row is None:
            self.rows.append({"id": None, "removed": False, **values})
        else:
            current.update(values)
        self.model.set_rows(self.shown())
        self.editor.mark_dirty()

    def remove(self) -> None:
        row = self.current()
        if row is None:
            return
        target = self.model.rows[row]
        if target["id"] is None:  # added here and not saved yet: simply gone
            self.rows.remove(target)
        else:
            target["removed"] = True
        self.model.set_rows(self.shown())
        self.editor.mark_dirty()


class EnterpriseEditor(RecordEditor):
    entity = "enterprise"
    TABS = (
        (
            "基本信息",
            (
                "credit_code",
                "name",
                "unit_id",
                "address",
                "legal_rep",
                "contact_person",
                "contact_phone",
                "founded_on",
                "main_products",
            ),
        ),
        ("产业与规模", ("domain_id", "industry_id", "chain_id", "si_shang_category", "cultivation_tier")),
        (
            "需求与帮扶",
            ("need_categories", "needs_text", "support_measures", "contact_leader", "responsible_department", "notes"),
        ),
    )

    def build_extra_tabs(self) -> None:
        self.member_table = ChildTable(
            self,
            MEMBERSHIP_COLUMNS,
            self.record.memberships,
            self.tr("一家企业可同时在多个培育名录中；调出某个名录时填写调出日期和原因。"),
            lambda values: MembershipDialog.ask(self, self.ref, values),
            lambda: {"date_in": date.today()},
        )
        self.tabs.addTab(self.member_table, self.tr("培育名录"))
        self.annual_table = ChildTable(
            self,
            ANNUAL_COLUMNS,
            self.record.annual,
            self.tr(
                "每年一行：全年产值、营业收入、税收和年末从业人员（万元、人）。未填报12月累计数的年度，"
                "汇总按这里的全年数计算。"
            ),
            lambda values: AnnualDialog.ask(self, self.ref, values, self.current_values()),
            lambda: {"year": date.today().year - 1},
        )
        self.tabs.addTab(self.annual_table, self.tr("年度数据"))
        problems = self.record.problems
        self.measure_table = ChildTable(
            self,
            measure_columns(problems),
            self.record.measures,
            self.tr(
                "一企一策台账：每项帮扶措施写明责任单位（从县直牵头部门和乡镇中选）、责任人、完成时限、推进状态和进展；"
                "针对本企业某个问题的措施，在“关联问题”中选出该问题。"
            ),
            lambda values: MeasureDialog.ask(self, self.ref, values, self.record.id, problems),
            lambda: {"status": "未启动"},
        )
        self.tabs.addTab(self.measure_table, self.tr("一企一策"))
        self.report_button: QPushButton | None = None
        if self.ctx.info.account_kind == "department":  # a 牵头部门 reports on the measures it is responsible for
            self.report_button = self.measure_table.add_button(
                self.tr("填报进展…"), self.report_progress, reporting=True
            )

    def report_progress(self) -> None:
        """A department's report on the selected measure (推进状态, 进展情况), saved at once on its own:
        the server lets a department account write nothing else of the enterprise."""
        index = self.measure_table.current()
        target = self.measure_table.model.rows[index] if index is not None else None
        if target is None or target["id"] is None:
            show_error(self, UserError(self.tr("请先选择一项已保存的措施。")))
            return
        answer = ProgressDialog.ask(self, self.ref, target, self.record.id)
        if answer is None:
            return
        db, info, unit = self.ctx.db, self.ctx.info, self.record.unit_id
        measure_id, revision, enterprise_id = target["id"], target["revision"], self.record.id or ""

        def reported(result: measures.Measure) -> None:
            target.update(status=result.status, progress=result.progress, revision=result.revision)
            self.measure_table.model.set_rows(self.measure_table.shown())

        Operation(
            self,
            lambda _p: measures.report_progress(db, info, measure_id, revision, answer["status"], answer["progress"]),
            lambda _result: Changes.records(
                ("support_measure",), [("enterprise", enterprise_id)], [unit] if unit else None
            ),
        ).success(reported).run(self.ctx)

    def child_tables(self) -> dict[str, ChildTable]:
        return {
            "membership": self.member_table,
            "enterprise_annual": self.annual_table,
            "support_measure": self.measure_table,
        }

    def current_values(self) -> dict[str, Any]:
        """The enterprise as the editor holds it now (for the rules a year's figures read)."""
        return entry.coerce_and_check("enterprise", self.raw(), self.ref).values

    @property
    def memberships(self) -> RecordTableModel[dict[str, Any]]:
        return self.member_table.model

    def edit_membership(self, row: int | None) -> None:
        self.member_table.edit(row)

    def save_options(self) -> dict[str, Any]:
        return {
            "memberships": self.member_table.rows,
            "annual": self.annual_table.rows,
            "measures": self.measure_table.rows,
        }


# ---------------------------------------------------------------------------------------------
# 项目
# ---------------------------------------------------------------------------------------------
PLAN_COLUMNS = tuple(_membership_column(f) for f in PROJECT_ANNUAL)
STAGE_COLUMNS = tuple(_membership_column(f) for f in PROJECT_STAGE)
STATUS_FIELDS = ("status", "status_since", "status_reason")  # shown; they follow the latest status row


class ProjectEditor(RecordEditor):
    """A project: its fields on five tabs, the plan per year, its lifecycle (the status history by
    period, edited row by row; the project's status is its latest row, with the stage dates, the
    milestones against the plan and the warnings as of the period), its problems (问题交办) and
    its site photos."""

    entity = "project"
    TABS = (
        (
            "基本信息",
            (
                "name",
                "project_code",
                "unit_id",
                "domain_id",
                "industry_id",
                "chain_id",
                "chain_role",
                "builder_enterprise_id",
                "project_type",
                "source",
                "park_infrastructure",
                "co_innovation",
            ),
        ),
        (
            "投资与计划",
            (
                "total_investment",
                "planned_start",
                "planned_finish",
                "planned_production",
                "expected_output",
                "expected_tax",
                "content",
            ),
        ),
        ("项目生命周期", STATUS_FIELDS),
        ("招商引资", ("signed_on", "signing_party", "contract_investment", "investment_source", "build_first")),
        ("五制一平台", ("contact_leader", "task_force", "agent", "agent_phone", "responsible_department", "notes")),
    )
    LIFECYCLE_FORM = 2  # which of the field forms holds the status
    LIFECYCLE_TAB = 3  # its tab, after 年度计划

    def choices(self) -> dict[str, Sequence[tuple[object, str]]]:
        return {"builder_enterprise_id": entry.choices(self.ctx.db, "enterprise", self.record.unit_id)}

    def build_extra_tabs(self) -> None:
        self.forms[0].changed.connect(self._on_basic_change)
        read_only = self.view_only
        self.plan_table = ChildTable(
            self,
            PLAN_COLUMNS,
            self.record.plans,
            self.tr("每年一行：该年度计划完成的投资（万元）。驾驶舱、汇总表和预警按所在年度的计划计算完成率。"),
            lambda values: PlanDialog.ask(self, self.ref, values, self.current_values()),
            lambda: {"year": date.today().year},
        )
        self.tabs.insertTab(self.LIFECYCLE_TAB - 1, self.plan_table, self.tr("年度计划"))
        self._lifecycle_tab()
        self.problems = ProblemsPanel(
            self.ctx,
            self.record.id,
            self.record.unit_id,
            lambda *a, **kw: ProblemEditor.ask(*a, **kw),  # looked up when called
            read_only=read_only,
        )
        self.tabs.addTab(self.problems, self.tr("问题交办"))
        self.photos = PhotosPanel(self.ctx, self.record.id, self.record.unit_id, read_only=read_only)
        self.tabs.addTab(self.photos, self.tr("现场照片"))

    def _lifecycle_tab(self) -> None:
        """Under the status fields: the flow, the history table, the stage dates, planned
        against actual, and the warnings as of the period."""
        rows = self.record.stages or [
            {
                "period": periods.make(date.today().year, date.today().month),
                "status": self.record.values.get("status") or "储备",
                "reached_on": date.today(),
                "reason": None,
                "id": None,
            }
        ]
        self.stage_table = ChildTable(
            self,
            STAGE_COLUMNS,
            rows,
            self.tr(
                "状态记录：每个填报期一行，记该月调度时项目所处的阶段和达到该阶段的日期；项目当前状态取最近一期。"
                "停缓建、终止须写原因。状态变化时“添加”一行，录错的行可删除。"
            ),
            lambda values: StageDialog.ask(self, self.ref, values),
            self._new_stage,
        )
        self.stage_table.setObjectName("stageHistory")
        if not self.record.stages:  # a new project's first row is not stored yet
            self.stage_table.rows[0]["id"] = None
        form = self.forms[self.LIFECYCLE_FORM]
        for name in STATUS_FIELDS:
            form.inputs[name].set_read_only(True)
        self.flow_label = QLabel()
        self.flow_label.setObjectName("statusFlow")
        self.dates_label = QLabel()
        self.dates_label.setObjectName("stageDates")
        self.milestones_label = QLabel()
        self.milestones_label.setObjectName("milestones")
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("projectWarnings")
        for label in (self.dates_label, self.milestones_label, self.warnings_label):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = form.layout()
        assert isinstance(layout, QFormLayout)
        layout.addRow("", self.flow_label)
        layout.addRow(self.tr("状态记录"), self.stage_table)
        layout.addRow(self.tr("各阶段日期"), self.dates_label)
        layout.addRow(self.tr("计划与实际"), self.milestones_label)
        layout.addRow(self.tr("预警（{p}）").format(p=self.ctx.period), self.warnings_label)
        self.stage_table.model.modelReset.connect(self._stages_changed)
        self.stage_table.view.setMinimumHeight(150)
        found = (
            project_warnings.project_warnings(self.ctx.db, self.record.id, self.ctx.period) if self.record.id else []
        )
        self.warnings_label.setText(
            warnings_text(found) + self.tr("<br><span style='color:#555'>按已保存的数据和基础数据中的阈值判定。</span>")
        )
        self._stages_changed()

    def _new_stage(self) -> dict[str, Any]:
        today = date.today()
        return {"period": periods.make(today.year, today.month), "reached_on": today}

    def _stages_changed(self) -> None:
        history = stage_rows(self.stage_table.rows)
        latest = history[-1] if history else None
        form = self.forms[self.LIFECYCLE_FORM]
        form.set_values(
            {
                "status": latest.status if latest else None,
                "status_since": latest.reached_on if latest else None,
                "status_reason": latest.reason if latest and latest.status in ("停缓建", "终止") else None,
            }
        )
        raw = self.raw()
        period = max(self.ctx.period, latest.period) if latest else self.ctx.period
        planned = {
            lc.STARTED: raw.get("planned_start"),
            lc.FINISHED: raw.get("planned_finish"),
            lc.PRODUCING: raw.get("planned_production"),
        }
        planned = {k: v if isinstance(v, str) and periods.is_period(v) else None for k, v in planned.items()}
        self.dates_label.setText(stage_dates_text(history, period))
        self.milestones_label.setText(milestones_text(history, planned, period))  # type: ignore[arg-type]
        self._show_flow()

    def extra_raw(self) -> dict[str, object]:
        history = stage_rows(self.stage_table.rows) if hasattr(self, "stage_table") else ()
        if not history:
            return {}
        latest = history[-1]
        return {
            "status": latest.status,
            "status_since": latest.reached_on,
            "status_reason": latest.reason
            if latest.status in ("停缓建", "终止")
            else self.record.values.get("status_reason"),
        }

    def child_tables(self) -> dict[str, ChildTable]:
        return {"project_annual": self.plan_table, "project_stage": self.stage_table}

    def show_part(self, entity: str, field: str | None) -> None:
        if entity == PROJECT_WARNING:
            self.tabs.setCurrentIndex(self.LIFECYCLE_TAB)
            return
        super().show_part(entity, field)

    def current_values(self) -> dict[str, Any]:
        return entry.coerce_and_check("project", self.raw(), self.ref).values

    def save_options(self) -> dict[str, Any]:
        return {"plans": self.plan_table.rows, "stages": self.stage_table.rows}

    def _on_basic_change(self, name: str) -> None:
        if name == "unit_id":
            unit = self.raw().get("unit_id")
            self.forms[0].inputs["builder_enterprise_id"].set_choices(
                entry.choices(self.ctx.db, "enterprise", unit if isinstance(unit, int) else None)
            )

    def _show_flow(self) -> None:
        current = self.raw().get("status")
        flow = [s for s in self.ref.options.get("project_status", ()) if s not in PROJECT_HALTS]
        steps = [f"<b style='color:#1f4e79'>{s}</b>" if s == current else s for s in flow]
        halts = "、".join(f"<b>{h}</b>" if h == current else h for h in PROJECT_HALTS)
        self.flow_label.setText(
            self.tr("状态流转：{flow}；项目停工或不再实施时为{halts}").format(flow=" → ".join(steps), halts=halts)
        )

    def confirm_save(self) -> bool:
        """Moving a project back along the flow is unusual: confirm it is a correction."""
        old, new = self.record.values.get("status"), self.raw().get("status")
        flow = [s for s in self.ref.options.get("project_status", ()) if s not in PROJECT_HALTS]
        if old in flow and new in flow and flow.index(new) < flow.index(old):  # type: ignore[arg-type]
            return Confirm.ask(
                self,
                self.tr("项目状态回退"),
                self.tr("项目状态将从“{old}”改回“{new}”。这通常是更正录入错误，确定吗？").format(old=old, new=new),
            )
        return True


# ---------------------------------------------------------------------------------------------
# 问题
# ---------------------------------------------------------------------------------------------
class ProblemEditor(RecordEditor):
    entity = "problem"
    TABS = (
        (
            "问题",
            ("category", "description", "raised_on", "department", "deadline", "status", "resolution", "solved_on"),
        ),
    )

    def build_extra_tabs(self) -> None:
        values = self.record.values
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        self.unit = QComboBox()
        for u in self.ref.units:
            self.unit.addItem(u.name, u.id)
        self.unit.setVisible(self.ctx.info.is_county)
        if self.record.unit_id is not None:
            self.unit.setCurrentIndex(max(0, self.unit.findData(self.record.unit_id)))
        self.kind_group = QButtonGroup(self)
        self.as_enterprise = QRadioButton(self.tr("企业"))
        self.as_project = QRadioButton(self.tr("项目"))
        self.kind_group.addButton(self.as_enterprise)
        self.kind_group.addButton(self.as_project)
        (self.as_project if values.get("project_id") else self.as_enterprise).setChecked(True)
        self.target = QComboBox()
        self.target.setObjectName("field_target")
        self.target.setEditable(True)
        self.target.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.target.completer()
        assert completer is not None  # the combo is editable
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # “华鑫铜” finds “衡东县华鑫铜业…”
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)  # inline completes only prefixes
        self.target.setMinimumContentsLength(28)
        for widget in (self.unit, self.as_enterprise, self.as_project, self.target):
            row.addWidget(widget)
        row.addStretch(1)
        self.target_message = QLabel()
        self.target_message.setObjectName("finding_target")
        self.target_message.setVisible(False)
        form = self.forms[0]
        form.layout().insertRow(0, self.tr("问题对象"), box)  # type: ignore[union-attr]
        form.layout().insertRow(1, "", self.target_message)  # type: ignore[union-attr]
        self._fill_targets(values.get("enterprise_id") or values.get("project_id"))
        self.unit.currentIndexChanged.connect(self._target_kind_changed)
        self.as_enterprise.toggled.connect(self._target_kind_changed)
        self.target.currentIndexChanged.connect(lambda _i: self.mark_dirty())
        self.target.editTextChanged.connect(lambda _t: self.mark_dirty())
        form.changed.connect(self._status_changed)
        lock = not self.record.is_new or self.view_only
        for widget in (self.as_enterprise, self.as_project, self.target):
            widget.setEnabled(not lock)
        self.unit.setEnabled(self.record.is_new and not self.view_only)

    def department_fields(self) -> frozenset[str]:
        """A 牵头部门 answers the problems assigned to it: their 状态, 办理结果 and 解决日期."""
        mine = {d.name for d in self.ref.departments if d.id in self.ctx.info.department_ids}
        if self.record.is_new or self.record.values.get("department") not in mine:
            return frozenset()
        return frozenset({"status", "resolution", "solved_on"})

    def first_input(self) -> QWidget:
        return self.target

    def _target_kind_changed(self, *_args: object) -> None:
        self._fill_targets(None)
        self.mark_dirty()

    def _fill_targets(self, selected: str | None) -> None:
        kind = "enterprise" if self.as_enterprise.isChecked() else "project"
        unit = self.unit.currentData() if self.ctx.info.is_county else self.ctx.info.unit_id
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItem("", None)
        for record_id, name in entry.choices(self.ctx.db, kind, unit):
            self.target.addItem(name, record_id)
        self.target.setCurrentIndex(max(0, self.target.findData(selected)) if selected else 0)
        self.target.blockSignals(False)

    def _status_changed(self, name: str) -> None:
        """Marking a problem solved fills in today as the date solved, if none is given."""
        form = self.forms[0]
        if name == "status" and form.raw().get("status") == "已解决" and not form.raw().get("solved_on"):
            form.inputs["solved_on"].show(date.today())

    def extra_raw(self) -> dict[str, object]:
        text = self.target.currentText().strip()
        index = self.target.findText(text)
        chosen = self.target.itemData(index) if index > 0 else (text or None)
        kind = "enterprise_id" if self.as_enterprise.isChecked() else "project_id"
        other = "project_id" if kind == "enterprise_id" else "enterprise_id"
        unit = self.unit.currentData() if self.ctx.info.is_county else self.ctx.info.unit_id
        return {kind: chosen, other: None, "unit_id": unit}

    def extra_findings(self, findings: Sequence[Finding]) -> None:
        found = [f for f in findings if f.fields and f.fields[0] in entry.PROBLEM_TARGETS]
        shown_now = found if (self.forms[0].revealed or self.dirty) else []
        self.target_message.setVisible(bool(shown_now))
        self.target_message.setText("<br>".join(f"<span style='color:#b3261e'>{f.message}</span>" for f in shown_now))

    def focus_finding(self, finding: Finding) -> None:
        if finding.fields and finding.fields[0] in entry.PROBLEM_TARGETS:
            self.tabs.setCurrentIndex(0)
            self.target.setFocus()
            return
        super().focus_finding(finding)


EDITORS: dict[str, type[RecordEditor]] = {
    "enterprise": EnterpriseEditor,
    "project": ProjectEditor,
    "problem": ProblemEditor,
}
