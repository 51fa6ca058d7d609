"""链长制 (services/chains.py): the 产业链工作台 — one chain as of a period, its 链长, 牵头部门
and 专班, its enterprises, projects and 招商, problems and totals — and the 县领导视图 — one
county leader as of a period: the chains they lead, their 联系 projects and enterprises, the
problems that go to them for 督办, the 招商 of their chains. Both count accepted data unless
含待审核 is ticked, and state their 口径; a row opens its record's editor (ui/record_links.py)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.domain import money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import chains as chains_service
from hengdong_desktop.services.chains import ChainEnterprise, ChainProblem, ChainView, LeaderProject, LeaderView
from hengdong_desktop.services.figures import ProjectLine, percent_of
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.ui.changes import MONTHLY_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.record_links import link_rows
from hengdong_desktop.ui.record_model import ROW_HEIGHT, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import ERROR_BG, heading

PERIOD_CHOICES = 24
LATE_BG = ERROR_BG.name()
PENDING_STYLE = "background: #fff3cd; color: #664d03; padding: 4px;"


def _wan(value: Decimal | None) -> str:
    return "" if value is None else money.fmt(value)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def _day(value: Any) -> str:
    return "" if value is None else value.isoformat()


class AsOfPage(Page):
    """The frame of both pages: a heading and the page's own selector (`add_selector`), the
    period, 含待审核 and 刷新 (F5); the lead line, the totals, the 口径 and the tabs below."""

    refreshed = Signal()
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ref = load_reference(ctx.db)
        self.unit_names = {u.id: u.name for u in self.ref.all_units()}
        self.industry_names = {i.id: i.name for i in self.ref.industries}
        self.chain_names = {c.id: c.name for c in self.ref.chains}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        self.bar = QHBoxLayout()
        self.bar.addStretch(1)
        layout.addLayout(self.bar)
        self.selector_slot = self.bar.count()
        self.bar.addWidget(QLabel(self.tr("期别：")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        self.period_box.currentIndexChanged.connect(lambda _i: self.ctx.set_period(self.period_box.currentData()))
        self.bar.addWidget(self.period_box)
        self.include_pending = QCheckBox(self.tr("含待审核"))
        self.include_pending.setObjectName("includePending")
        self.include_pending.setToolTip(self.tr("也计入已上报未审核和县级录入的数据（正式通报只计已接收的数据）"))
        self.include_pending.toggled.connect(lambda _on: self.refresh())
        self.bar.addWidget(self.include_pending)
        refresh = QPushButton(self.tr("刷新(F5)"))
        refresh.clicked.connect(self.refresh)
        self.bar.addWidget(refresh)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self, self.refresh)
        self.lead = QLabel()
        self.lead.setObjectName("lead")
        self.lead.setWordWrap(True)
        self.lead.setStyleSheet("font-size: 11pt; color: #1f4e79;")
        layout.addWidget(self.lead)
        self.totals = QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.totals.setStyleSheet("color: #333; background: #f3f5f8; padding: 6px;")
        layout.addWidget(self.totals)
        self.basis = QLabel()
        self.basis.setObjectName("basis")
        self.basis.setWordWrap(True)
        self.basis.setStyleSheet("color: #555; font-size: 9pt;")
        layout.addWidget(self.basis)
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)

    def add_selector(self, title: str, label: str, box: QComboBox) -> None:
        self.bar.insertWidget(0, heading(title))
        self.selector_slot += 1
        self.bar.insertWidget(self.selector_slot, QLabel(label))
        self.bar.insertWidget(self.selector_slot + 1, box)

    def add_table(self, model: RecordTableModel, title: str, name: str, *, stretch: int = 0) -> QTableView:  # type: ignore[type-arg]
        view = record_table(model, stretch=stretch, row_height=ROW_HEIGHT)
        view.setObjectName(name)
        self.tabs.addTab(view, title)
        return view

    def show_basis(self, basis: str) -> None:
        pending = self.include_pending.isChecked()
        self.basis.setText(basis)
        self.basis.setStyleSheet(PENDING_STYLE if pending else "color: #555; font-size: 9pt;")

    # columns shared by both pages --------------------------------------------------------------
    def enterprise_columns(self, with_chain: bool = False) -> list[Column[ChainEnterprise]]:
        return [
            Column("企业名称", lambda x: x.name),
            Column("所属单位", lambda x: self.unit_names.get(x.unit_id, "")),
            *([Column("产业链", lambda x: self.chain_names.get(x.chain_id or 0, ""))] if with_chain else []),
            Column("所属产业", lambda x: self.industry_names.get(x.industry_id or 0, "")),
            Column("培育名录", lambda x: "、".join(x.role_lists)),
            Column("1-本月累计(万元)", lambda x: x.to_date, _wan, numeric=True),
            Column("上年同期(万元)", lambda x: x.same_period, _wan, numeric=True),
            Column("同比(%)", lambda x: x.growth_percent, _pct, numeric=True),
        ]

    def problem_columns(self, with_unit: bool = False) -> list[Column[ChainProblem]]:
        late = lambda x: LATE_BG if x.standing.late else None  # noqa: E731
        return [
            Column("问题对象", lambda x: x.subject, background=late),
            *([Column("所属单位", lambda x: self.unit_names.get(x.unit_id, ""), background=late)] if with_unit else []),
            Column("问题类别", lambda x: x.category, background=late),
            Column("问题描述", lambda x: x.description, background=late),
            Column("责任单位", lambda x: x.department or "", background=late),
            Column("办理时限", lambda x: x.deadline, _day, background=late),
            Column("办理情况", lambda x: x.standing.state, background=late, chars=5),
            Column("逾期(天)", lambda x: x.standing.overdue_days, numeric=True, background=late, chars=5),
        ]

    def signed_columns(self, with_chain: bool = False) -> list[Column[ProjectLine]]:
        return [
            Column("项目名称", lambda x: x.name),
            Column("所属单位", lambda x: self.unit_names.get(x.unit_id, "")),
            *([Column("产业链", lambda x: self.chain_names.get(x.chain_id or 0, ""))] if with_chain else []),
            Column("状态", lambda x: x.status),
            Column("总投资(万元)", lambda x: x.total_investment, _wan, numeric=True),
            Column("年度计划(万元)", lambda x: x.year_plan, _wan, numeric=True),
            Column("本年完成(万元)", lambda x: x.invest_ytd, _wan, numeric=True),
            Column("签约日期", lambda x: x.signed_on, _day),
            Column("合同投资(万元)", lambda x: x.contract, _wan, numeric=True),
            Column("到位资金(万元)", lambda x: x.funds, _wan, numeric=True),
        ]

    def promotion_text(self, projects: Sequence[ProjectLine], period: str) -> str:
        p = chains_service.promotion(projects, period)
        return self.tr(
            "招商：签约项目{signed}个（本年{year}个），合同投资{contract}万元，已开工{started}个，到位资金{funds}万元"
        ).format(
            signed=p.signed,
            year=p.signed_this_year,
            contract=money.fmt(p.contract),
            started=p.started,
            funds=money.fmt(p.funds),
        )

    # keeping current ---------------------------------------------------------------------------
    def concerned(self, changes: Changes) -> bool:
        return changes.touches("enterprise", "membership", "project", "project_stage", "problem", *MONTHLY_KINDS) or (
            changes.reference or changes.packages
        )

    def follow_period(self, period: str) -> None:
        choices = periods.span(periods.last_completed(), PERIOD_CHOICES)[::-1]
        if period not in choices:
            choices = sorted({*choices, period}, reverse=True)
        self.period_box.blockSignals(True)
        self.period_box.clear()
        for p in choices:
            year, month = periods.parse(p)
            self.period_box.addItem(self.tr("{y}年{m}月").format(y=year, m=month), p)
        self.period_box.setCurrentIndex(choices.index(period))
        self.period_box.blockSignals(False)


class ChainsPage(AsOfPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.chain_box = QComboBox()
        self.chain_box.setObjectName("chain")
        for chain in self.ref.chains:
            self.chain_box.addItem(chain.name, chain.id)
        self.chain_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_selector(self.tr("产业链工作台（链长制）"), self.tr("产业链："), self.chain_box)
        self.leader_button = QPushButton(self.tr("链长视图"))
        self.leader_button.setObjectName("leaderView")
        self.leader_button.setToolTip(self.tr("打开本链链长的县领导视图"))
        self.leader_button.setEnabled(False)
        self.leader_button.clicked.connect(self.show_leader)
        self.bar.addWidget(self.leader_button)
        self.enterprises: RecordTableModel[ChainEnterprise] = RecordTableModel(self.enterprise_columns(), parent=self)
        self.projects: RecordTableModel[ProjectLine] = RecordTableModel(self.signed_columns(), parent=self)
        self.problems: RecordTableModel[ChainProblem] = RecordTableModel(
            self.problem_columns(), parent=self, text_tooltips=True
        )
        self.views = {
            "enterprise": self.add_table(self.enterprises, self.tr("企业"), "chain_enterprises"),
            "project": self.add_table(self.projects, self.tr("项目与招商"), "chain_projects"),
            "problem": self.add_table(self.problems, self.tr("问题"), "chain_problems", stretch=2),
        }
        link_rows(self.views["enterprise"], ctx, "enterprise", lambda x: x.enterprise_id)
        link_rows(self.views["project"], ctx, "project", lambda x: x.project_id)
        link_rows(self.views["problem"], ctx, "problem", lambda x: x.problem_id)
        self.view: ChainView | None = None
        self.follow_period(ctx.period)
        self.refresh()

    def select_chain(self, chain_id: int) -> None:
        index = self.chain_box.findData(chain_id)
        if index >= 0:
            self.chain_box.setCurrentIndex(index)

    def show_leader(self) -> None:
        if self.view is None or self.view.chain.leader_id is None:
            return
        page = self.window().show_page("leaders")  # type: ignore[attr-defined]
        page.select_leader(self.view.chain.leader_id)

    def refresh(self) -> None:
        chain_id = self.chain_box.currentData()
        if chain_id is None:
            return
        db, period, pending = self.ctx.db, self.ctx.period, self.include_pending.isChecked()
        self.ctx.tasks.read(
            lambda _p: chains_service.chain_view(db, period, chain_id, include_pending=pending),
            on_success=self.show_chain,
            parent=self,
            latest=(id(self), "chain"),
        )

    def show_chain(self, view: ChainView) -> None:
        self.view = view
        self.leader_button.setEnabled(view.chain.leader_id is not None)
        self.lead.setText(
            self.tr("链长：{leader}　牵头部门：{department}　工作专班：{force}").format(
                leader=view.leader or self.tr("（未指定）"),
                department=view.department or self.tr("（未指定）"),
                force=view.chain.task_force or self.tr("（未填）"),
            )
        )
        hundred_million = self.ref.thresholds["hundred_million_project"]
        self.totals.setText(
            self.tr(
                "{period}期：企业{n}户（链主企业{leaders}户），1-本月累计{output}万元；项目{p}个（亿元级{big}个），"
                "年度计划投资{plan}万元、已完成{done}万元（{rate}）；{promotion}；"
                "未办结问题{open}条，其中逾期{late}条。"
            ).format(
                period=view.period,
                n=len(view.enterprises),
                leaders=len(view.chain_leaders),
                output=money.fmt(view.output_to_date),
                p=len(view.projects),
                big=sum(1 for x in view.projects if x.total_investment >= hundred_million),
                plan=money.fmt(view.year_plan),
                done=money.fmt(view.invest_ytd),
                rate=_pct(percent_of(view.invest_ytd, view.year_plan)) or self.tr("无年度计划"),
                promotion=self.promotion_text(view.projects, view.period),
                open=view.open_problems,
                late=view.late_problems,
            )
        )
        self.show_basis(view.basis)
        self.enterprises.set_rows(view.enterprises)
        self.projects.set_rows(view.projects)
        self.problems.set_rows(view.problems)
        self.refreshed.emit()


class LeaderPage(AsOfPage):
    """县领导视图: pick a county leader (those who lead a chain or are a 联系县领导)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.leader_box = QComboBox()
        self.leader_box.setObjectName("leader")
        self.leader_box.setMinimumWidth(200)
        self.leader_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # filled once read
        self.leader_box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.add_selector(self.tr("县领导视图（链长制）"), self.tr("县领导："), self.leader_box)
        late = lambda x: LATE_BG if x.warnings else None  # noqa: E731
        self.chain_rows: RecordTableModel[ChainView] = RecordTableModel(
            [
                Column("产业链", lambda x: x.chain.name),
                Column("牵头部门", lambda x: x.department),
                Column("企业(户)", lambda x: len(x.enterprises), numeric=True),
                Column("链主企业(户)", lambda x: len(x.chain_leaders), numeric=True),
                Column("1-本月累计(万元)", lambda x: x.output_to_date, _wan, numeric=True),
                Column("项目(个)", lambda x: len(x.projects), numeric=True),
                Column("年度计划(万元)", lambda x: x.year_plan, _wan, numeric=True),
                Column("本年完成(万元)", lambda x: x.invest_ytd, _wan, numeric=True),
                Column("签约招商(个)", lambda x: len(x.signed), numeric=True),
                Column("未办结问题(条)", lambda x: x.open_problems, numeric=True),
                Column("逾期(条)", lambda x: x.late_problems, numeric=True),
            ],
            parent=self,
        )
        self.projects: RecordTableModel[LeaderProject] = RecordTableModel(
            [
                Column("项目名称", lambda x: x.line.name),
                Column("所属单位", lambda x: self.unit_names.get(x.line.unit_id, "")),
                Column("产业链", lambda x: self.chain_names.get(x.line.chain_id or 0, "")),
                Column("状态", lambda x: x.line.status),
                Column("总投资(万元)", lambda x: x.line.total_investment, _wan, numeric=True),
                Column("年度计划(万元)", lambda x: x.line.year_plan, _wan, numeric=True),
                Column("本年完成(万元)", lambda x: x.line.invest_ytd, _wan, numeric=True),
                Column("完成率(%)", lambda x: x.completion_percent, _pct, numeric=True),
                Column("预警", lambda x: "、".join(x.warnings), background=late),
            ],
            parent=self,
        )
        self.enterprises: RecordTableModel[ChainEnterprise] = RecordTableModel(
            self.enterprise_columns(with_chain=True), parent=self
        )
        self.problems: RecordTableModel[ChainProblem] = RecordTableModel(
            self.problem_columns(with_unit=True), parent=self, text_tooltips=True
        )
        self.signed: RecordTableModel[ProjectLine] = RecordTableModel(self.signed_columns(with_chain=True), parent=self)
        self.views = {
            "chain": self.add_table(self.chain_rows, self.tr("领衔产业链"), "leader_chains"),
            "project": self.add_table(self.projects, self.tr("联系项目"), "leader_projects"),
            "enterprise": self.add_table(self.enterprises, self.tr("联系企业"), "leader_enterprises"),
            "problem": self.add_table(self.problems, self.tr("督办问题"), "leader_problems", stretch=3),
            "signed": self.add_table(self.signed, self.tr("产业链招商"), "leader_signed"),
        }
        self.views["chain"].activated.connect(self._open_chain)
        self.views["chain"].setStatusTip(self.tr("双击或按回车打开该产业链的工作台"))
        link_rows(self.views["project"], ctx, "project", lambda x: x.line.project_id)
        link_rows(self.views["enterprise"], ctx, "enterprise", lambda x: x.enterprise_id)
        link_rows(self.views["problem"], ctx, "problem", lambda x: x.problem_id)
        link_rows(self.views["signed"], ctx, "project", lambda x: x.project_id)
        self.view: LeaderView | None = None
        self.wanted: int | None = None  # the leader to show once the list is read
        self.follow_period(ctx.period)
        self.refresh()

    def select_leader(self, leader_id: int) -> None:
        index = self.leader_box.findData(leader_id)
        if index >= 0:
            self.leader_box.setCurrentIndex(index)
        else:  # the list is still being read
            self.wanted = leader_id
            self.refresh()

    def _open_chain(self, index: Any) -> None:
        chain = self.chain_rows.row_at(index)
        if chain is not None:
            page = self.window().show_page("chains")  # type: ignore[attr-defined]
            page.select_chain(chain.chain.id)

    def refresh(self) -> None:
        db, period, pending = self.ctx.db, self.ctx.period, self.include_pending.isChecked()
        wanted = self.wanted if self.wanted is not None else self.leader_box.currentData()

        def work(_progress: object) -> tuple[list[r.Leader], LeaderView | None]:
            leaders = chains_service.leaders(db)
            ids = [x.id for x in leaders]
            chosen = wanted if wanted in ids else (ids[0] if ids else None)
            view = None if chosen is None else chains_service.leader_view(db, period, chosen, include_pending=pending)
            return leaders, view

        self.ctx.tasks.read(work, on_success=self.show_leader, parent=self, latest=(id(self), "leader"))

    def show_leader(self, data: tuple[list[r.Leader], LeaderView | None]) -> None:
        leaders, view = data
        self.wanted = None
        self.view = view
        self.leader_box.blockSignals(True)
        self.leader_box.clear()
        for leader in leaders:
            self.leader_box.addItem(leader.shown, leader.id)
        if view is not None:
            self.leader_box.setCurrentIndex(self.leader_box.findData(view.leader.id))
        self.leader_box.blockSignals(False)
        if view is None:
            self.lead.setText(
                self.tr("尚无县领导可看：请在“基础数据”中录入县领导，并设为产业链的链长或项目、企业的联系县领导。")
            )
            self.totals.setText("")
            self.basis.setText("")
            for model in (self.chain_rows, self.projects, self.enterprises, self.problems, self.signed):
                model.set_rows([])
            self.refreshed.emit()
            return
        led = "、".join(
            self.tr("{chain}（牵头部门：{department}）").format(
                chain=c.chain.name, department=c.department or self.tr("未指定")
            )
            for c in view.chains
        ) or self.tr("无")
        self.lead.setText(self.tr("{leader}　领衔产业链：{chains}").format(leader=view.leader.shown, chains=led))
        signed = [x for c in view.chains for x in c.signed]
        self.totals.setText(
            self.tr(
                "{period}期　领衔产业链{n}条：企业{e}户，1-本月累计{output}万元；项目{p}个；{promotion}。\n"
                "联系项目{lp}个：年度计划投资{plan}万元，本年完成{done}万元（{rate}），{warned}个有预警；联系企业{le}户。\n"
                "督办问题：未办结{open}条，其中逾期{late}条（逾期督办{escalated}条）。"
            ).format(
                period=view.period,
                n=len(view.chains),
                e=view.chain_enterprises,
                output=money.fmt(view.chain_output),
                p=view.chain_projects,
                promotion=self.promotion_text([x for c in view.chains for x in c.projects], view.period),
                lp=len(view.projects),
                plan=money.fmt(view.year_plan),
                done=money.fmt(view.invest_ytd),
                rate=_pct(view.completion_percent) or self.tr("无年度计划"),
                warned=view.warned_projects,
                le=len(view.enterprises),
                open=view.open_problems,
                late=view.late_problems,
                escalated=view.escalated_problems,
            )
        )
        self.show_basis(view.basis)
        self.chain_rows.set_rows(view.chains)
        self.projects.set_rows(view.projects)
        self.enterprises.set_rows(view.enterprises)
        self.problems.set_rows(view.problems)
        self.signed.set_rows(signed)
        self.refreshed.emit()
