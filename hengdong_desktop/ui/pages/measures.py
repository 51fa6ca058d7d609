"""一企一策台账: every live measure across enterprises (the county's, or a township's own), with
its 责任单位, 责任人, 完成时限, 推进状态, 进展情况 and 关联问题; filtered by 责任单位, 推进状态,
只看逾期 and a search, overdue rows in red with their days overdue (services/measures.ledger).
A 牵头部门 account starts on its own departments' measures. Double-click or Enter opens the
enterprise's editor on its 一企一策 tab; what it saves makes the page read again."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from hengdong_desktop.services import measures
from hengdong_desktop.services.measures import Ledger, LedgerQuery, Measure
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Commands, Page
from hengdong_desktop.ui.record_links import open_record
from hengdong_desktop.ui.record_model import ROW_HEIGHT, ROW_ROLE, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import ERROR_BG, heading

LATE_BG = ERROR_BG.name()  # as the overdue problems of the 问题清单 and the 产业链工作台


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


class MeasuresPage(Page):
    refreshed = Signal()  # the ledger was read again and shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        ref = ctx.reference()
        self.unit_names = {u.id: u.name for u in ref.all_units()}
        self.today = date.today()  # overdue is counted to the day the ledger is read (see refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        top.addWidget(heading(self.tr("一企一策台账")))
        top.addStretch(1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary)
        layout.addLayout(top)

        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(self.tr("搜索企业、措施、责任单位、责任人或进展"))
        self.search.setToolTip(self.tr("Ctrl+F 到这里；Esc 清空"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear, context=Qt.ShortcutContext.WidgetShortcut
        )
        filters.addWidget(self.search, 2)
        filters.addWidget(QLabel(self.tr("责任单位：")))
        self.department = QComboBox()
        self.department.setObjectName("filter_department")
        self.department.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.department.setMinimumContentsLength(10)  # the open list shows whole names
        own = tuple(d.name for d in ref.departments if d.id in ctx.info.department_ids)
        self.department_choices: list[tuple[str, ...] | None] = [None]  # by index: the 责任单位 each shows
        self.department.addItem(self.tr("全部责任单位"))
        if ctx.info.account_kind == "department" and own:
            self.department.addItem(self.tr("本部门（{names}）").format(names="、".join(own)))
            self.department_choices.append(own)
        for name in ref.assignees:
            self.department.addItem(name)
            self.department_choices.append((name,))
        self.department.setCurrentIndex(len(self.department_choices) - len(ref.assignees) - 1)
        filters.addWidget(self.department, 1)
        filters.addWidget(QLabel(self.tr("推进状态：")))
        self.status = QComboBox()
        self.status.setObjectName("filter_status")
        self.status.addItem(self.tr("全部"), None)
        for status in ref.options.get("measure_status", ()):
            self.status.addItem(status, status)
        filters.addWidget(self.status)
        self.overdue_only = QCheckBox(self.tr("只看逾期"))
        self.overdue_only.setObjectName("overdueOnly")
        filters.addWidget(self.overdue_only)
        layout.addLayout(filters)

        note = QLabel(
            self.tr(
                "逾期：已过完成时限、推进状态不是“已完成”或“已中止”的措施（标红）。"
                "双击或按回车打开企业的一企一策；措施在企业信息中修改，责任单位在那里填报进展。"
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555; font-size: 9pt;")
        layout.addWidget(note)

        late = lambda x: LATE_BG if x.overdue(self.today) else None  # noqa: E731
        self.model: RecordTableModel[Measure] = RecordTableModel(
            [
                Column("所属单位", lambda x: self.unit_names.get(x.unit_id, ""), background=late),
                Column("企业", lambda x: x.enterprise, background=late),
                Column("措施", lambda x: x.content, background=late, chars=16),
                Column("责任单位", lambda x: x.department or "", background=late),
                Column("责任人", lambda x: x.person or "", background=late),
                Column("完成时限", lambda x: x.deadline, _day, background=late),
                Column(
                    "逾期(天)",
                    lambda x: x.overdue_days(self.today) or None,
                    numeric=True,
                    background=late,
                    chars=4,
                ),
                Column("推进状态", lambda x: x.status, background=late),
                Column("进展情况", lambda x: x.progress or "", background=late, chars=10),
                Column("关联问题", lambda x: x.problem, background=late, chars=10),
            ],
            parent=self,
            text_tooltips=True,
        )
        self.view = record_table(self.model, stretch=2, sortable=True, row_height=ROW_HEIGHT)
        self.view.setObjectName("measureLedger")
        self.view.setColumnHidden(0, not ctx.info.is_county)  # a township's are all its own
        self.view.activated.connect(self.open_enterprise)
        self.view.setStatusTip(self.tr("双击或按回车打开该企业的一企一策"))
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.department.currentIndexChanged.connect(lambda _i: self.refresh())
        self.status.currentIndexChanged.connect(lambda _i: self.refresh())
        self.overdue_only.toggled.connect(lambda _on: self.refresh())
        self.ledger: Ledger | None = None
        self.refresh()

    def query(self) -> LedgerQuery:
        return LedgerQuery(
            unit_id=None if self.ctx.info.is_county else self.ctx.info.unit_id,
            departments=self.department_choices[max(self.department.currentIndex(), 0)],
            status=self.status.currentData(),
            overdue_only=self.overdue_only.isChecked(),
            search=self.search.text(),
        )

    # keeping current ----------------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        return changes.reference or changes.touches("support_measure", "enterprise", "problem")

    def refresh(self) -> None:
        db, query, today = self.ctx.db, self.query(), date.today()
        self.ctx.tasks.read(
            lambda _p: measures.ledger(db, query, today),
            on_success=self.show_ledger,
            parent=self,
            latest=(id(self), "ledger"),
        )

    def show_ledger(self, ledger: Ledger) -> None:
        self.ledger, self.today = ledger, ledger.today
        self.model.set_rows(ledger.rows)
        self.summary.setText(self.tr("共 {n} 项，逾期 {k} 项").format(n=len(ledger.rows), k=ledger.overdue))
        self.summary.setStyleSheet("color: #a61b1b;" if ledger.overdue else "")
        self.refreshed.emit()

    # commands -----------------------------------------------------------------------------------
    def commands(self) -> Commands:
        return Commands(find=self.focus_search)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def open_enterprise(self, index: QModelIndex) -> None:
        """The measure's enterprise in its editor, on the 一企一策 tab with the measure selected."""
        row: Any = index.data(ROW_ROLE)
        if row is None:
            return
        from hengdong_desktop.ui.editors import EnterpriseEditor

        def on_measures(editor: EnterpriseEditor) -> None:
            table = editor.measure_table
            editor.tabs.setCurrentWidget(table)
            ids = [x.get("id") for x in table.model.rows]
            if row.id in ids:
                table.view.selectRow(ids.index(row.id))

        open_record(self, self.ctx, "enterprise", row.enterprise_id, prepare=on_measures)
