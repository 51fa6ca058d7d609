"""产业链工作台 (链长制): one chain as of the current period — its 链长, 牵头部门 and 专班, its
enterprises, projects, problems and 招商, its totals — and its 链长's view (services/chains.py)."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from hengdong_desktop.domain import money, periods
from hengdong_desktop.services import chains as chains_service
from hengdong_desktop.services.chains import ChainEnterprise, ChainProblem, ChainView, LeaderView
from hengdong_desktop.services.figures import ProjectLine, percent_of
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.ui.changes import MONTHLY_KINDS, Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.record_model import ROW_HEIGHT, Column, RecordTableModel, record_table
from hengdong_desktop.ui.widgets import ERROR_BG, heading

PERIOD_CHOICES = 24
LATE_BG = ERROR_BG.name()


def _wan(value: Decimal | None) -> str:
    return "" if value is None else money.fmt(value)


def _pct(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


class ChainsPage(Page):
    refreshed = Signal()
    follows_period = True

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.ref = load_reference(ctx.db)
        units = {u.id: u.name for u in self.ref.all_units()}
        industries = {i.id: i.name for i in self.ref.industries}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        bar = QHBoxLayout()
        bar.addWidget(heading(self.tr("产业链工作台（链长制）")))
        bar.addStretch(1)
        bar.addWidget(QLabel(self.tr("产业链：")))
        self.chain_box = QComboBox()
        self.chain_box.setObjectName("chain")
        for chain in self.ref.chains:
            self.chain_box.addItem(chain.name, chain.id)
        self.chain_box.currentIndexChanged.connect(lambda _i: self.refresh())
        bar.addWidget(self.chain_box)
        bar.addWidget(QLabel(self.tr("期别：")))
        self.period_box = QComboBox()
        self.period_box.setObjectName("period")
        self.period_box.currentIndexChanged.connect(lambda _i: self.ctx.set_period(self.period_box.currentData()))
        bar.addWidget(self.period_box)
        refresh = QPushButton(self.tr("刷新(F5)"))
        refresh.clicked.connect(self.refresh)
        bar.addWidget(refresh)
        layout.addLayout(bar)
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
        self.enterprises: RecordTableModel[ChainEnterprise] = RecordTableModel(
            [
                Column("企业名称", lambda x: x.name),
                Column("所属单位", lambda x: units.get(x.unit_id, "")),
                Column("所属产业", lambda x: industries.get(x.industry_id or 0, "")),
                Column("培育名录", lambda x: "、".join(x.role_lists)),
                Column("1-本月累计(万元)", lambda x: x.to_date, _wan, numeric=True),
                Column("上年同期(万元)", lambda x: x.same_period, _wan, numeric=True),
                Column("同比(%)", lambda x: x.growth_percent, _pct, numeric=True),
            ],
            parent=self,
        )
        self.projects: RecordTableModel[ProjectLine] = RecordTableModel(
            [
                Column("项目名称", lambda x: x.name),
                Column("所属单位", lambda x: units.get(x.unit_id, "")),
                Column("状态", lambda x: x.status),
                Column("总投资(万元)", lambda x: x.total_investment, _wan, numeric=True),
                Column("年度计划(万元)", lambda x: x.year_plan, _wan, numeric=True),
                Column("本年完成(万元)", lambda x: x.invest_ytd, _wan, numeric=True),
                Column("签约日期", lambda x: x.signed_on, lambda v: "" if v is None else v.isoformat()),
                Column("合同投资(万元)", lambda x: x.contract, _wan, numeric=True),
            ],
            parent=self,
        )
        late = lambda x: LATE_BG if x.standing.late else None  # noqa: E731
        self.problems: RecordTableModel[ChainProblem] = RecordTableModel(
            [
                Column("问题对象", lambda x: x.subject, background=late),
                Column("问题类别", lambda x: x.category, background=late),
                Column("问题描述", lambda x: x.description, background=late),
                Column("责任单位", lambda x: x.department or "", background=late),
                Column("办理时限", lambda x: x.deadline, lambda v: "" if v is None else v.isoformat(), background=late),
                Column("办理情况", lambda x: x.standing.state, background=late),
                Column("逾期(天)", lambda x: x.standing.overdue_days, numeric=True, background=late),
            ],
            parent=self,
            text_tooltips=True,
        )
        self.contacts: RecordTableModel[tuple[str, str, str]] = RecordTableModel(
            [
                Column("类别", lambda x: x[0]),
                Column("所属单位", lambda x: x[1]),
                Column("名称", lambda x: x[2]),
            ],
            parent=self,
        )
        self.tabs = QTabWidget()
        for model, title, name in (
            (self.enterprises, self.tr("企业"), "chain_enterprises"),
            (self.projects, self.tr("项目与招商"), "chain_projects"),
            (self.problems, self.tr("问题"), "chain_problems"),
            (self.contacts, self.tr("链长联系的项目和企业"), "leader_contacts"),
        ):
            view = record_table(model, stretch=0 if name != "chain_problems" else 2, row_height=ROW_HEIGHT)
            view.setObjectName(name)
            self.tabs.addTab(view, title)
        layout.addWidget(self.tabs, 1)
        self.view: ChainView | None = None
        self.follow_period(ctx.period)
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return changes.touches("enterprise", "project", "problem", *MONTHLY_KINDS) or changes.reference

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

    def refresh(self) -> None:
        chain_id = self.chain_box.currentData()
        if chain_id is None:
            return
        db, period = self.ctx.db, self.ctx.period

        def work(_progress: object) -> tuple[ChainView, LeaderView | None]:
            view = chains_service.chain_view(db, period, chain_id)
            leader = chains_service.leader_view(db, view.chain.leader_id) if view.chain.leader_id else None
            return view, leader

        self.ctx.tasks.read(work, on_success=self.show_chain, parent=self, latest=(id(self), "chain"))

    def show_chain(self, data: tuple[ChainView, LeaderView | None]) -> None:
        view, leader = data
        self.view = view
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
                "年度计划投资{plan}万元、已完成{done}万元（{rate}）；签约招商项目{signed}个；"
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
                signed=len(view.signed),
                open=view.open_problems,
                late=view.late_problems,
            )
        )
        self.enterprises.set_rows(view.enterprises)
        self.projects.set_rows(view.projects)
        self.problems.set_rows(view.problems)
        units = {u.id: u.name for u in self.ref.all_units()}
        self.contacts.set_rows(
            []
            if leader is None
            else [
                *((self.tr("链长"), "", c.name) for c in leader.chains),
                *((self.tr("项目"), units.get(unit, ""), name) for _id, unit, name in leader.projects),
                *((self.tr("企业"), units.get(unit, ""), name) for _id, unit, name in leader.enterprises),
            ]
        )
        self.refreshed.emit()
