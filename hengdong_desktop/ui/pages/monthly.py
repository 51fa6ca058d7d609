"""月度调度: the period selector, the enterprise and project grids, and the readiness panel
(services/readiness.py: errors and unexplained warnings of every period, and the period's missing
figures) whose entries jump to where they are fixed — a cell of a period's grid, or a field in a
record's editor (`open_issue`, shared with the 上报 page). Loading and saving run in the
background (TaskRunner)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QStyle,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.services import monthly, readiness
from hengdong_desktop.services.entry import Refused
from hengdong_desktop.services.readiness import BLOCKING, MISSING, UNEXPLAINED, WARNING, Issue, Readiness
from hengdong_desktop.ui.changes import RECORD_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.dialogs import CANCEL, SAVE, Confirm, UnsavedChanges
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.grid import GridModel, GridView
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Commands, Page
from hengdong_desktop.ui.record_model import ROW_ROLE, Column, RecordTableModel
from hengdong_desktop.ui.widgets import (
    ERROR_BG,
    EXPLAINED_BG,
    HINT_BG,
    QT_TRANSLATE_NOOP,
    WARNING_BG,
    PeriodSelector,
    heading,
)

GRIDS = ("enterprise", "project")

# The readiness panel: the issues of the period, errors first; each entry knows the cell it points at.
KIND_LABELS = {
    BLOCKING: QT_TRANSLATE_NOOP("ReadinessModel", "错误"),
    UNEXPLAINED: QT_TRANSLATE_NOOP("ReadinessModel", "未说明"),
    MISSING: QT_TRANSLATE_NOOP("ReadinessModel", "未填报"),
    WARNING: QT_TRANSLATE_NOOP("ReadinessModel", "预警"),
}
KIND_ICONS = {
    BLOCKING: QStyle.StandardPixmap.SP_MessageBoxCritical,
    UNEXPLAINED: QStyle.StandardPixmap.SP_MessageBoxWarning,
    MISSING: QStyle.StandardPixmap.SP_MessageBoxInformation,
    WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
}


def issue_text(issue: Issue) -> str:
    return f"[{QCoreApplication.translate('ReadinessModel', KIND_LABELS[issue.kind])}] {issue.text()}"


def _issue_tooltip(issue: Issue) -> str:
    where = "双击或按回车跳到该单元格" if issue.grid else "双击或按回车打开该记录"
    return f"{issue.subject}\n{issue.message}\n" + QCoreApplication.translate("ReadinessModel", where)


def open_issue(widget: QWidget, ctx: AppContext, issue: Issue) -> None:
    """Where an issue is fixed: its cell in its period's 月度调度 grid, or its field in the
    record's editor."""
    from hengdong_desktop.ui.editors import EDITORS

    window = widget.window()
    if issue.grid is not None and hasattr(window, "show_page"):
        page = window.show_page("monthly")
        page.go_to_issue(issue)
        return
    editor = EDITORS[issue.owner].build(widget, ctx, issue.owner_id)
    editor.show_part(issue.entity, issue.field)
    editor.exec()  # a save is announced by the editor's own operation


READINESS_COLUMNS: tuple[Column[Issue], ...] = (
    Column(
        "",
        lambda issue: issue.kind,
        text=issue_text,
        tooltip=_issue_tooltip,
        icon=lambda issue: QApplication.style().standardIcon(KIND_ICONS[issue.kind]),
    ),
)


class MonthlyPage(Page):
    loaded = Signal()  # the grids and the readiness panel show the current period
    saved = Signal()
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        ref = ctx.reference()
        county = ctx.info.is_county
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("月度调度")))
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("期别：")))
        self.period = PeriodSelector(ctx.period)
        top.addWidget(self.period)
        self.unit = QComboBox()
        self.unit.setObjectName("unitFilter")
        self.unit.addItem(self.tr("全部单位"), None)
        for u in ref.units:
            self.unit.addItem(u.name, u.id)
        self.unit.setVisible(county)
        top.addWidget(self.unit)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("金额单位：万元")))
        top.addStretch(1)
        self.dirty_label = QLabel()
        self.dirty_label.setStyleSheet("color: #8a5a00;")
        top.addWidget(self.dirty_label)
        self.save_button = QPushButton(self.tr("保存（Ctrl+S）"))
        self.save_button.setObjectName("saveGrid")
        self.save_button.clicked.connect(lambda: self.save())
        self.discard_button = QPushButton(self.tr("放弃修改"))
        self.discard_button.clicked.connect(self.cancel)
        top.addWidget(self.save_button)
        top.addWidget(self.discard_button)
        layout.addLayout(top)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.tabs = QTabWidget()
        self.models: dict[str, GridModel] = {}
        self.views: dict[str, GridView] = {}
        em = self.fontMetrics().horizontalAdvance("中")
        for key, title in zip(GRIDS, (self.tr("企业调度"), self.tr("项目调度")), strict=True):
            model = GridModel(key, ref, county, self)
            view = GridView()
            view.setObjectName(f"grid_{key}")
            view.setModel(model)
            view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
            view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
            for i, column in enumerate(model.columns):
                view.setColumnWidth(i, em * column.chars + 16)
            view.cancel_requested.connect(self.cancel)
            model.dirty_changed.connect(lambda _n: self._update_dirty())
            self.models[key] = model
            self.views[key] = view
            self.tabs.addTab(view, title)
        splitter.addWidget(self.tabs)
        panel = QWidget()
        side = QVBoxLayout(panel)
        side.setContentsMargins(8, 0, 0, 0)
        side.addWidget(QLabel(self.tr("<b>数据审核</b>") if county else self.tr("<b>上报前审核</b>")))
        self.summary = QLabel()
        self.summary.setObjectName("readinessSummary")
        self.summary.setWordWrap(True)
        self.summary.setMargin(6)
        side.addWidget(self.summary)
        self.readiness: RecordTableModel[Issue] = RecordTableModel(READINESS_COLUMNS, parent=self)
        self.issue_list = QListView()
        self.issue_list.setObjectName("readinessList")
        self.issue_list.setModel(self.readiness)
        self.issue_list.setWordWrap(True)
        self.issue_list.setUniformItemSizes(False)
        self.issue_list.activated.connect(self.jump)
        side.addWidget(self.issue_list, 1)
        note = QLabel(
            self.tr(
                "按已保存的数据统计，错误和未说明的警告含全部期别（导出上报包时同样审核）；"
                "双击一项跳到对应单元格或记录。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #5b6b7c;")
        side.addWidget(note)
        splitter.addWidget(panel)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([900, 300])
        layout.addWidget(splitter, 1)
        layout.addWidget(self._legend())

        self.period.period_changed.connect(self.change_period)
        self.unit.currentIndexChanged.connect(self._unit_changed)
        self._unit_index = 0
        self._jump_after_load: Issue | None = None
        self.current: Readiness | None = None
        self._update_dirty()
        self.load()

    # loading -------------------------------------------------------------------------------------
    def unit_id(self) -> int | None:
        return self.unit.currentData() if self.ctx.info.is_county else self.ctx.info.unit_id

    def load(self) -> None:
        db, period, unit = self.ctx.db, self.ctx.period, self.unit_id()
        self.summary.setText(self.tr("正在读取 {p} 的数据…").format(p=period))

        def work(_progress: object) -> tuple[Any, ...]:
            grids = tuple(monthly.load_grid(db, key, period, unit) for key in GRIDS)
            return (*grids, readiness.readiness(db, unit, period))

        self.ctx.tasks.read(work, on_success=self._loaded, parent=self, latest=(id(self), "load"))

    def _loaded(self, result: tuple[Any, ...]) -> None:
        *grids, readiness = result
        for grid in grids:
            self.models[grid.kind].load(grid)
        self.tabs.setTabText(0, self.tr("企业调度（{n}户）").format(n=len(grids[0].rows)))
        self.tabs.setTabText(1, self.tr("项目调度（{n}个）").format(n=len(grids[1].rows)))
        self.show_readiness(readiness)
        jump, self._jump_after_load = self._jump_after_load, None
        if jump is not None:
            self.go_to(jump.grid or GRIDS[0], jump.owner_id, jump.field)
        self.loaded.emit()

    def show_readiness(self, ready: Readiness) -> None:
        """The panel's summary, counted as the status bar counts (services.checks); a township is
        told whether it may report, the county (which reviews, not reports) what is left open."""
        self.current = ready
        self.readiness.set_rows(ready.issues)
        county = self.ctx.info.is_county
        missing = self.tr("{p}未填报的企业 {me} 户、项目 {mp} 个（应填报企业 {ne} 户、已实施项目 {np} 个）").format(
            p=ready.period,
            me=ready.count(MISSING, "enterprise"),
            mp=ready.count(MISSING, "project"),
            ne=ready.counted.get("enterprise", 0),
            np=ready.counted.get("project", 0),
        )
        if ready.count(WARNING):
            warned = (
                self.tr("；项目预警 {n} 条（仅提示）。") if county else self.tr("；项目预警 {n} 条（不影响上报）。")
            )
            missing += warned.format(n=ready.count(WARNING))
        else:
            missing += self.tr("。")
        if county:
            head = self.tr("{u}：").format(u=self.unit.currentText())
            if ready.ready:
                text = head + self.tr("各期没有错误和未说明的警告；") + missing
            else:
                text = (
                    head
                    + self.tr("待处理 {n} 条（错误 {e} 条，未说明的警告 {w} 条，含各期）；").format(
                        n=ready.open_count, e=ready.count(BLOCKING), w=ready.count(UNEXPLAINED)
                    )
                    + missing
                )
            colour = (
                (EXPLAINED_BG if not ready.issues else HINT_BG)
                if ready.ready
                else ERROR_BG
                if ready.count(BLOCKING)
                else WARNING_BG
            )
        elif ready.ready and not ready.issues:
            text = self.tr("{p}：数据已齐全，各期没有错误和未说明的警告，可以上报。").format(p=ready.period)
            colour = EXPLAINED_BG
        elif ready.ready:
            text = self.tr("各期没有错误和未说明的警告，可以上报；") + missing
            colour = HINT_BG
        else:
            text = (
                self.tr("尚不能上报：错误 {e} 条，未说明的警告 {w} 条（含各期）；").format(
                    e=ready.count(BLOCKING), w=ready.count(UNEXPLAINED)
                )
                + missing
            )
            colour = ERROR_BG if ready.count(BLOCKING) else WARNING_BG
        self.summary.setText(text)
        self.summary.setStyleSheet(f"background: {colour.name()}; border-radius: 3px;")

    # moving around -------------------------------------------------------------------------------
    def jump(self, index: QModelIndex) -> None:
        open_issue(self, self.ctx, index.data(ROW_ROLE))

    def go_to_issue(self, issue: Issue) -> None:
        """An issue's cell: in this period's grid now, in another period's once it is loaded."""
        if issue.period and issue.period != self.ctx.period:
            self._jump_after_load = issue
            self.change_period(issue.period)
            if self.ctx.period != issue.period:  # the clerk chose to stay with unsaved rows
                self._jump_after_load = None
            return
        self.go_to(issue.grid or GRIDS[0], issue.owner_id, issue.field)

    def go_to(self, grid: str, owner_id: str, field: str | None) -> bool:
        self.tabs.setCurrentIndex(GRIDS.index(grid))
        view = self.views[grid]
        target = self.models[grid].locate(owner_id, field)
        if not target.isValid():
            return False
        view.setCurrentIndex(target)
        view.scrollTo(target)
        view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def change_period(self, period: str) -> None:
        self.period.set_period(self.ctx.period)  # until the edits of this period are settled
        self.leave(lambda: self.ctx.set_period(period))  # announced to every page; this one reads it

    def follow_period(self, period: str) -> None:
        self.period.set_period(period)

    def concerned(self, changes: Changes) -> bool:
        """Rows come from the enterprises and projects and their figures; the readiness panel
        counts the findings of every period, so any change to the unit's records concerns it."""
        return changes.reference or (changes.touches(*RECORD_KINDS) and changes.touches_unit(self.unit_id()))

    def refresh(self) -> None:
        """Reads the period again, unless that would throw away edits (they are saved or discarded
        first; reading follows)."""
        if not self.dirty_rows():
            self.load()

    def _unit_changed(self, index: int) -> None:
        if index == self._unit_index:
            return
        self._show_unit(self._unit_index)  # until the edits for this unit are settled

        def proceed() -> None:
            self._show_unit(index)
            self._unit_index = index
            self.load()

        self.leave(proceed)

    def _show_unit(self, index: int) -> None:
        self.unit.blockSignals(True)
        self.unit.setCurrentIndex(index)
        self.unit.blockSignals(False)

    # saving --------------------------------------------------------------------------------------
    def dirty_rows(self) -> int:
        return sum(m.dirty_rows() for m in self.models.values())

    def _update_dirty(self) -> None:
        n = self.dirty_rows()
        self.dirty_label.setText(self.tr("{n} 行未保存").format(n=n) if n else "")
        self.save_button.setEnabled(bool(n))
        self.discard_button.setEnabled(bool(n))

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Ctrl+S: saves both grids in one transaction, in the background; then `then`, if given."""
        edits = self._edits()
        if not edits:
            return
        db, info, period = self.ctx.db, self.ctx.info, self.ctx.period
        changes = Changes.records(
            {*(monthly.KINDS[kind].entity for kind in edits), "explanation"},
            [(kind, e.owner_id) for kind, rows in edits.items() for e in rows],
            set().union(*(self.models[kind].edited_units() for kind in edits)),
            [period],
        )
        self.save_button.setEnabled(False)

        def saved(_result: object) -> None:
            for model in self.models.values():  # saved: nothing is pending (the period is read again)
                model.load(monthly.Grid(model.kind, model.period, []))
            self._update_dirty()
            self.load()
            self.saved.emit()
            if then is not None:
                then()

        Operation(self, lambda _p: monthly.save_period(db, info, period, edits), changes).success(saved).failure(
            self._save_failed
        ).with_progress(self.tr("正在保存…")).run(self.ctx)

    def _edits(self) -> dict[str, list[monthly.RowEdit]]:
        for view in self.views.values():  # a cell still being typed in counts too
            view.commit_editor()
        return {key: model.edits() for key, model in self.models.items() if model.dirty_rows()}

    def _save_failed(self, error: BaseException) -> None:
        self._update_dirty()
        if isinstance(error, Refused) and error.grid and error.owner_id:
            self.go_to(error.grid, error.owner_id, error.field)
        show_error(self, error)

    def cancel(self) -> None:
        """Esc / 放弃修改: back to what is stored, after asking."""
        if not self.dirty_rows():
            return
        question = self.tr("放弃本页 {n} 行未保存的修改？").format(n=self.dirty_rows())
        if Confirm.ask(self, self.tr("放弃修改"), question):
            self.load()

    def has_unsaved(self) -> bool:
        return bool(self.dirty_rows())

    def leave(self, proceed: Callable[[], None]) -> None:
        """Before the period, unit or window changes: save, discard or stay."""
        if not self.dirty_rows():
            proceed()
            return
        answer = UnsavedChanges.ask(
            self,
            self.tr("月度调度（{p}）有 {n} 行未保存的修改，是否保存？").format(p=self.ctx.period, n=self.dirty_rows()),
        )
        if answer == SAVE:  # the clerk is leaving: save, then go
            self.save(then=proceed)
        elif answer != CANCEL:
            for model in self.models.values():  # discarded: nothing is pending any more
                model.load(monthly.Grid(model.kind, model.period, []))
            self._update_dirty()
            proceed()

    def _legend(self) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 4, 0, 0)
        for colour, text in (
            (ERROR_BG, self.tr("错误，须改正")),
            (WARNING_BG, self.tr("警告，须在“说明”列填写说明")),
            (EXPLAINED_BG, self.tr("已说明")),
            (HINT_BG, self.tr("提示")),
        ):
            swatch = QLabel()
            swatch.setFixedSize(14, 14)
            swatch.setStyleSheet(f"background: {colour.name()}; border: 1px solid #c0c4cc;")
            row.addWidget(swatch)
            row.addWidget(QLabel(text))
            row.addSpacing(10)
        hint = QLabel(
            self.tr("灰色斜体：按上月累计加本月自动算出。Enter下移，Tab右移，Ctrl+V粘贴Excel中复制的区域，Delete清空。")
        )
        hint.setStyleSheet("color: #5b6b7c;")
        row.addWidget(hint)
        row.addStretch(1)
        return box

    # commands of the main window -------------------------------------------------------------
    def commands(self) -> Commands:
        return Commands(save=self.save, find=self.focus_search)

    def focus_search(self) -> None:
        self.views[GRIDS[self.tabs.currentIndex()]].setFocus()
