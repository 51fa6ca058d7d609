"""链长制: a chain's workbench as of a period — its 链长, 牵头部门 and 专班 (reference data), its
enterprises with their figure and lists, its projects with their progress and 招商, the problems
of both with where they stand, and its totals — and a county leader's view as of a period: the
chains they lead with those totals and their 招商, the projects and enterprises they are the
联系县领导 of, and the problems that go to them for 督办.

As of period P they count what the figures count (services/figures.py): the data of the units
whose P is 已接收, or with 含待审核 also what the county holds but has not accepted (a township
counts its own); `basis` states that 口径. An enterprise's figure is its 1-本月累计 in its domain's
measure and its 同比 against 上年同期; a project's status, plan and 本年累计完成投资 are as of P,
its warnings those standing at P; 招商 are the projects signed by the end of P. A problem is
listed while open at D (P's last day, or today if earlier), or when solved in P's year; where it
stands at D is domain/assignment's. A problem goes to a leader for 督办 when its enterprise's or
project's chain has them as 链长, or, the chain having no 链长 (or there being no chain), when they
are its 联系县领导 — as the 问题清单's 督办县领导 column says."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import assignment, money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fg
from hengdong_desktop.services import project_warnings
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reporting import counted_units

ZERO = Decimal(0)
CHAIN_LEADER_LIST = "链主企业"


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
    chain_id: int | None = None

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
    unit_id: int = 0


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
    basis: str = ""  # the 口径 sentence

    @property
    def output_to_date(self) -> Decimal:
        return sum((x.to_date or ZERO for x in self.enterprises), ZERO)

    @property
    def chain_leaders(self) -> list[ChainEnterprise]:  # 链主企业
        return [x for x in self.enterprises if CHAIN_LEADER_LIST in x.role_lists]

    @property
    def signed(self) -> list[fg.ProjectLine]:  # 招商: projects signed by the end of P
        return signed_by(self.projects, self.period)

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
class Promotion:
    """招商 of a set of projects as of P: signed by the end of P (this year and in all), 合同投资,
    those started, and 到位资金 (the latest 累计到位 up to P)."""

    signed: int
    signed_this_year: int
    contract: Decimal
    started: int
    funds: Decimal


def signed_by(projects: Sequence[fg.ProjectLine], period: str) -> list[fg.ProjectLine]:
    end = _last_day(period)
    return [x for x in projects if x.signed_on is not None and x.signed_on <= end]


def promotion(projects: Sequence[fg.ProjectLine], period: str) -> Promotion:
    signed = signed_by(projects, period)
    year = periods.year_of(period)
    return Promotion(
        len(signed),
        sum(1 for x in signed if x.signed_on is not None and x.signed_on.year == year),
        sum((x.contract or ZERO for x in signed), ZERO),
        sum(1 for x in signed if x.started_on is not None),
        sum((x.funds or ZERO for x in signed), ZERO),
    )


@dataclass(frozen=True)
class LeaderProject:
    """A project a leader is the 联系县领导 of, as of P, with the warnings standing at P."""

    line: fg.ProjectLine
    warnings: tuple[str, ...]  # 包而不推 / 推而不快 / 快而不优

    @property
    def completion_percent(self) -> Decimal | None:
        return fg.percent_of(self.line.invest_ytd or ZERO, self.line.year_plan) if self.line.year_plan else None


@dataclass(frozen=True)
class LeaderView:
    leader: r.Leader
    period: str
    as_of: date
    basis: str  # the 口径 sentence
    chains: list[ChainView]  # the chains they lead (链长)
    projects: list[LeaderProject]  # they are the 联系县领导 of
    enterprises: list[ChainEnterprise]  # they are the 联系县领导 of
    problems: list[ChainProblem]  # that go to them for 督办

    # the chains they lead
    @property
    def chain_enterprises(self) -> int:
        return sum(len(c.enterprises) for c in self.chains)

    @property
    def chain_output(self) -> Decimal:
        return sum((c.output_to_date for c in self.chains), ZERO)

    @property
    def chain_projects(self) -> int:
        return sum(len(c.projects) for c in self.chains)

    @property
    def promotion(self) -> Promotion:  # 招商 of their chains
        return promotion([x for c in self.chains for x in c.projects], self.period)

    # their 联系 projects
    @property
    def year_plan(self) -> Decimal:
        return sum((x.line.year_plan or ZERO for x in self.projects), ZERO)

    @property
    def invest_ytd(self) -> Decimal:
        return sum((x.line.invest_ytd or ZERO for x in self.projects), ZERO)

    @property
    def completion_percent(self) -> Decimal | None:
        return fg.percent_of(self.invest_ytd, self.year_plan) if self.year_plan else None

    @property
    def warned_projects(self) -> int:
        return sum(1 for x in self.projects if x.warnings)

    # the problems 督办 by them
    @property
    def open_problems(self) -> int:
        return sum(1 for x in self.problems if x.standing.state not in assignment.CLOSED_STATES)

    @property
    def late_problems(self) -> int:
        return sum(1 for x in self.problems if x.standing.late)

    @property
    def escalated_problems(self) -> int:
        return sum(1 for x in self.problems if x.standing.state == assignment.ESCALATED)


def _last_day(period: str) -> date:
    return fg.period_end(period, date.max)


@dataclass
class _Scope:
    """What the views of one period read once: whose data counts, the enterprises' values, the
    projects as of P and the 口径."""

    ref: r.Reference
    period: str
    as_of: date
    units: list[int]
    measures: dict[int, str]
    values: dict[str, fg._Ent]
    projects: list[fg.ProjectLine]
    basis: str


def _scope(session: Session, period: str, today: date | None, include_pending: bool) -> _Scope:
    ref = load(session)
    as_of = fg.period_end(period, today or date.today())
    counted = counted_units(session, period, include_pending=include_pending)
    units = list(counted.units)
    measures = {d.id: d.measure for d in ref.domains}
    values, merged = fg._enterprise_values(session, period, units, measures)
    basis = fg._basis(session, ref, period, counted, len(merged), as_of, ())
    sentence = (
        f"口径：{period}期，计入{basis.scope}；企业为1-本月累计（"
        + "、".join(f"{name}按{label}" for _d, name, label in basis.measures)
        + f"），同比对上年同期；项目状态、年度计划投资、本年累计完成投资和预警截至{period}期，"
        f"招商为{period}期末前签约的项目；问题截至{as_of.isoformat()}（未办结的和本年办结的）；"
        f"基础数据第{basis.reference_version}版。"
    )
    return _Scope(
        ref,
        period,
        as_of,
        units,
        measures,
        {x.id: x for x in values},
        fg._project_lines(session, period, units),
        sentence,
    )


def _enterprises(session: Session, scope: _Scope, where: ColumnElement[bool]) -> list[ChainEnterprise]:
    """The live enterprises of the counted units that `where` selects, with their figures and the
    lists they are on at P: 链主企业 first, then the largest."""
    e = m.Enterprise
    rows = {
        row.id: row
        for row in session.execute(
            select(e.id, e.unit_id, e.name, e.industry_id, e.domain_id, e.chain_id).where(
                e.deleted_at.is_(None), e.unit_id.in_(scope.units), where
            )
        )
    }
    end = _last_day(scope.period)
    lists: dict[str, list[str]] = {}
    ms = m.Membership
    for eid, name in session.execute(
        select(ms.enterprise_id, ms.list_name)
        .where(
            ms.deleted_at.is_(None),
            ms.enterprise_id.in_(list(rows)),
            ms.date_in <= end,
            or_(ms.date_out.is_(None), ms.date_out > end),
        )
        .order_by(ms.list_name)
    ):
        if name not in lists.setdefault(eid, []):
            lists[eid].append(name)
    order = {u.id: n for n, u in enumerate(scope.ref.units)}

    def wan(units: int | None) -> Decimal | None:
        return None if units is None else money.from_units(units)

    out = []
    for eid, x in rows.items():
        value = scope.values.get(eid)
        out.append(
            ChainEnterprise(
                eid,
                x.unit_id,
                x.name,
                x.industry_id,
                tuple(lists.get(eid, ())),
                wan(value.ytd) if value else None,
                wan(value.same) if value else None,
                scope.measures.get(x.domain_id, r.OUTPUT),
                x.chain_id,
            )
        )
    return sorted(
        out,
        key=lambda x: (CHAIN_LEADER_LIST not in x.role_lists, -(x.to_date or ZERO), order.get(x.unit_id, 99), x.name),
    )


def _problems(
    session: Session, scope: _Scope, enterprises: Mapping[str, str], projects: Mapping[str, str]
) -> list[ChainProblem]:
    """The problems of these enterprises and projects (id → name) raised by D and open at D or
    solved in P's year, where they stand at D: the late first, the longest overdue first."""
    p = m.Problem
    out = []
    escalate = scope.ref.programme("escalate_days")
    year = periods.year_of(scope.period)
    for row in session.scalars(
        select(p).where(
            p.deleted_at.is_(None),
            p.raised_on <= scope.as_of,
            or_(p.enterprise_id.in_(list(enterprises)), p.project_id.in_(list(projects))),
        )
    ):
        standing = assignment.standing(row, scope.as_of, escalate)
        if standing.state in assignment.CLOSED_STATES and (row.solved_on is None or row.solved_on.year != year):
            continue
        subject = enterprises[row.enterprise_id] if row.enterprise_id else projects[row.project_id or ""]
        out.append(
            ChainProblem(
                row.id, subject, row.category, row.description, row.department, row.deadline, standing, row.unit_id
            )
        )
    out.sort(
        key=lambda x: (
            not x.standing.late,
            x.standing.state in assignment.CLOSED_STATES,
            -(x.standing.overdue_days or 0),
            x.deadline or date.max,
        )
    )
    return out


def _chain_view(session: Session, scope: _Scope, chain_id: int) -> ChainView:
    ref = scope.ref
    chain = ref.chain(chain_id)
    enterprises = _enterprises(session, scope, m.Enterprise.chain_id == chain_id)
    projects = sorted(
        (x for x in scope.projects if x.chain_id == chain_id), key=lambda x: (-x.total_investment, x.name)
    )
    problems = _problems(
        session, scope, {x.enterprise_id: x.name for x in enterprises}, {x.project_id: x.name for x in projects}
    )
    leader = ref.leader(chain.leader_id)
    return ChainView(
        chain,
        "" if leader is None else leader.shown,
        ref.name_of("department", chain.department_id),
        scope.period,
        scope.as_of,
        enterprises,
        projects,
        problems,
        scope.basis,
    )


def chain_view_in(
    session: Session, period: str, chain_id: int, *, today: date | None = None, include_pending: bool = False
) -> ChainView:
    return _chain_view(session, _scope(session, period, today, include_pending), chain_id)


def chain_views_in(
    session: Session, period: str, *, today: date | None = None, include_pending: bool = False
) -> list[ChainView]:
    """Every chain's view, in reference order (the 汇总表's 产业链 sheet)."""
    scope = _scope(session, period, today, include_pending)
    return [_chain_view(session, scope, c.id) for c in scope.ref.chains]


def leaders_in(session: Session) -> list[r.Leader]:
    """The county leaders a leader view is for, in reference order: those who lead a chain, or
    are named the 联系县领导 of a live project or enterprise."""
    ref = load(session)
    named = set(
        session.scalars(select(m.Project.contact_leader).where(m.Project.deleted_at.is_(None)).distinct()).all()
    ) | set(
        session.scalars(select(m.Enterprise.contact_leader).where(m.Enterprise.deleted_at.is_(None)).distinct()).all()
    )
    leading = {c.leader_id for c in ref.chains}
    return [x for x in ref.leaders if x.id in leading or x.name in named]


def leader_view_in(
    session: Session, period: str, leader_id: int, *, today: date | None = None, include_pending: bool = False
) -> LeaderView:
    scope = _scope(session, period, today, include_pending)
    ref = scope.ref
    leader = ref.leader(leader_id)
    if leader is None:
        raise ValueError(leader_id)
    chains = [_chain_view(session, scope, c.id) for c in ref.chains if c.leader_id == leader_id]
    led = {c.chain.id for c in chains}
    # 联系: the projects and enterprises naming them
    contact = [x for x in scope.projects if x.project_id in _contact_projects(session, leader.name, scope.units)]
    warnings: dict[str, list[str]] = {}
    for w in project_warnings.warnings_in(session, scope.period, project_ids=[x.project_id for x in contact], ref=ref):
        if w.rule not in warnings.setdefault(w.project_id, []):
            warnings[w.project_id].append(w.rule)
    projects = [
        LeaderProject(x, tuple(warnings.get(x.project_id, ())))
        for x in sorted(contact, key=lambda x: (-x.total_investment, x.name))
    ]
    enterprises = _enterprises(session, scope, m.Enterprise.contact_leader == leader.name)
    # 督办: the problems of the enterprises and projects on their chains, and of those they are
    # the 联系县领导 of that are on no chain with a 链长
    with_leader = {c.id for c in ref.chains if c.leader_id is not None}
    e, p = m.Enterprise, m.Project

    def theirs(model: type[m.Enterprise] | type[m.Project]) -> ColumnElement[bool]:
        return or_(
            model.chain_id.in_(led),
            (model.contact_leader == leader.name) & or_(model.chain_id.is_(None), model.chain_id.not_in(with_leader)),
        )

    problem_enterprises = {
        id_: name
        for id_, name in session.execute(
            select(e.id, e.name).where(e.deleted_at.is_(None), e.unit_id.in_(scope.units), theirs(e))
        )
    }
    problem_projects = {
        id_: name
        for id_, name in session.execute(
            select(p.id, p.name).where(p.deleted_at.is_(None), p.unit_id.in_(scope.units), theirs(p))
        )
    }
    return LeaderView(
        leader,
        scope.period,
        scope.as_of,
        scope.basis,
        chains,
        projects,
        enterprises,
        _problems(session, scope, problem_enterprises, problem_projects),
    )


def _contact_projects(session: Session, name: str, units: Sequence[int]) -> set[str]:
    p = m.Project
    return set(
        session.scalars(
            select(p.id).where(p.deleted_at.is_(None), p.unit_id.in_(list(units)), p.contact_leader == name)
        ).all()
    )


def chain_view(
    db: Database, period: str, chain_id: int, *, today: date | None = None, include_pending: bool = False
) -> ChainView:
    periods.parse(period)
    with db.read() as s:
        return chain_view_in(s, period, chain_id, today=today, include_pending=include_pending)


def leaders(db: Database) -> list[r.Leader]:
    with db.read() as s:
        return leaders_in(s)


def leader_view(
    db: Database, period: str, leader_id: int, *, today: date | None = None, include_pending: bool = False
) -> LeaderView:
    periods.parse(period)
    with db.read() as s:
        return leader_view_in(s, period, leader_id, today=today, include_pending=include_pending)
