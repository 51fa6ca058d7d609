"""链长制: a chain's workbench as of a period — its 链长, 牵头部门 and 专班 (reference data), its
enterprises with their figure and lists, its projects with their progress and 招商, the problems
of both with where they stand, and its totals — and a county leader's view: the chains they lead
and the projects and enterprises they are the 联系县领导 of.

As of period P it counts what the figures count with 含待审核 (every unit's data the county
holds): an enterprise's figure is its 1-本月累计 in its domain's measure and its 同比 against
上年同期; a project's status, plan and 本年累计完成投资 are as of P (figures.py); a problem is
listed while open at D (P's last day, or today if earlier), or when solved in P's year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import assignment, money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fg
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reporting import counted_units

ZERO = Decimal(0)


@dataclass(frozen=True)
class ChainEnterprise:
    enterprise_id: str
    unit_id: int
    name: str
    industry_id: int | None
    role_lists: tuple[str, ...]  # the cultivation lists it is on at P (链主企业 …)
    to_date: Decimal | None  # 1-本月累计, 万元, in its measure
    same_period: Decimal | None
    measure: str

    @property
    def growth_percent(self) -> Decimal | None:
        return (
            fg.percent_of(self.to_date - self.same_period, self.same_period)
            if self.to_date is not None and self.same_period
            else None
        )


@dataclass(frozen=True)
class ChainProblem:
    problem_id: str
    subject: str
    category: str
    description: str
    department: str | None
    deadline: date | None
    standing: assignment.Standing


@dataclass(frozen=True)
class ChainView:
    chain: r.Chain
    leader: str  # 链长, with title
    department: str  # 牵头部门
    period: str
    as_of: date
    enterprises: list[ChainEnterprise]
    projects: list[fg.ProjectLine]
    problems: list[ChainProblem]

    @property
    def output_to_date(self) -> Decimal:
        return sum((x.to_date or ZERO for x in self.enterprises), ZERO)

    @property
    def chain_leaders(self) -> list[ChainEnterprise]:  # 链主企业
        return [x for x in self.enterprises if "链主企业" in x.role_lists]

    @property
    def signed(self) -> list[fg.ProjectLine]:  # 招商: projects signed by the end of P
        return [x for x in self.projects if x.signed_on is not None and x.signed_on <= _last_day(self.period)]

    @property
    def year_plan(self) -> Decimal:
        return sum((x.year_plan or ZERO for x in self.projects), ZERO)

    @property
    def invest_ytd(self) -> Decimal:
        return sum((x.invest_ytd or ZERO for x in self.projects), ZERO)

    @property
    def open_problems(self) -> int:
        return sum(1 for x in self.problems if x.standing.state not in assignment.CLOSED_STATES)

    @property
    def late_problems(self) -> int:
        return sum(1 for x in self.problems if x.standing.late)


@dataclass(frozen=True)
class LeaderView:
    leader: r.Leader
    chains: list[r.Chain]  # the chains they lead (链长)
    projects: list[tuple[str, int, str]]  # (id, unit id, name) they are the 联系县领导 of
    enterprises: list[tuple[str, int, str]]


def _last_day(period: str) -> date:
    return fg.period_end(period, date.max)


def chain_view_in(session: Session, period: str, chain_id: int, *, today: date | None = None) -> ChainView:
    ref = load(session)
    chain = ref.chain(chain_id)
    as_of = fg.period_end(period, today or date.today())
    end = _last_day(period)
    units = counted_units(session, period, include_pending=True).units
    measures = {d.id: d.measure for d in ref.domains}
    e = m.Enterprise
    mine = {
        row.id: row
        for row in session.execute(
            select(e.id, e.unit_id, e.name, e.industry_id, e.domain_id).where(
                e.deleted_at.is_(None), e.chain_id == chain_id, e.unit_id.in_(list(units))
            )
        )
    }
    values = {
        x.id: x for x in fg._enterprise_values(session, period, list({x.unit_id for x in mine.values()}), measures)[0]
    }
    lists: dict[str, list[str]] = {}
    ms = m.Membership
    for eid, name in session.execute(
        select(ms.enterprise_id, ms.list_name)
        .where(
            ms.deleted_at.is_(None),
            ms.enterprise_id.in_(list(mine)),
            ms.date_in <= end,
            or_(ms.date_out.is_(None), ms.date_out > end),
        )
        .order_by(ms.list_name)
    ):
        if name not in lists.setdefault(eid, []):
            lists[eid].append(name)
    order = {u.id: n for n, u in enumerate(ref.units)}

    def wan(units: int | None) -> Decimal | None:
        return None if units is None else money.from_units(units)

    enterprises = sorted(
        (
            ChainEnterprise(
                eid,
                x.unit_id,
                x.name,
                x.industry_id,
                tuple(lists.get(eid, ())),
                wan(values[eid].ytd) if eid in values else None,
                wan(values[eid].same) if eid in values else None,
                measures.get(x.domain_id, r.OUTPUT),
            )
            for eid, x in mine.items()
        ),
        key=lambda x: ("链主企业" not in x.role_lists, -(x.to_date or ZERO), order.get(x.unit_id, 99), x.name),
    )
    projects = sorted(
        (x for x in fg._project_lines(session, period, units) if x.chain_id == chain_id),
        key=lambda x: (-x.total_investment, x.name),
    )
    project_names = {x.project_id: x.name for x in projects}
    p = m.Problem
    problems = []
    escalate = ref.programme("escalate_days")
    for row in session.scalars(
        select(p).where(
            p.deleted_at.is_(None),
            p.raised_on <= as_of,
            or_(p.enterprise_id.in_(list(mine)), p.project_id.in_(list(project_names))),
        )
    ):
        standing = assignment.standing(row, as_of, escalate)
        if standing.state in assignment.CLOSED_STATES and (
            row.solved_on is None or row.solved_on.year != periods.year_of(period)
        ):
            continue
        subject = mine[row.enterprise_id].name if row.enterprise_id else project_names[row.project_id or ""]
        problems.append(
            ChainProblem(row.id, subject, row.category, row.description, row.department, row.deadline, standing)
        )
    problems.sort(
        key=lambda x: (
            not x.standing.late,
            x.standing.state in assignment.CLOSED_STATES,
            -(x.standing.overdue_days or 0),
            x.deadline or date.max,
        )
    )
    leader = ref.leader(chain.leader_id)
    return ChainView(
        chain,
        "" if leader is None else f"{leader.name}{'（' + leader.title + '）' if leader.title else ''}",
        ref.name_of("department", chain.department_id),
        period,
        as_of,
        enterprises,
        projects,
        problems,
    )


def leader_view_in(session: Session, leader_id: int) -> LeaderView:
    ref = load(session)
    leader = ref.leader(leader_id)
    if leader is None:
        raise ValueError(leader_id)
    e, p = m.Enterprise, m.Project
    projects = [
        tuple(x)
        for x in session.execute(
            select(p.id, p.unit_id, p.name)
            .where(p.deleted_at.is_(None), p.contact_leader == leader.name)
            .order_by(p.unit_id, p.name)
        )
    ]
    enterprises = [
        tuple(x)
        for x in session.execute(
            select(e.id, e.unit_id, e.name)
            .where(e.deleted_at.is_(None), e.contact_leader == leader.name)
            .order_by(e.unit_id, e.name)
        )
    ]
    return LeaderView(leader, [c for c in ref.chains if c.leader_id == leader_id], projects, enterprises)  # type: ignore[arg-type]


def chain_view(db: Database, period: str, chain_id: int, *, today: date | None = None) -> ChainView:
    periods.parse(period)
    with db.read() as s:
        return chain_view_in(s, period, chain_id, today=today)


def leader_view(db: Database, leader_id: int) -> LeaderView:
    with db.read() as s:
        return leader_view_in(s, leader_id)
