"""The programme's figures for a period, computed in SQL: the headline 5/18/34 against the plan,
per domain, per target industry, and the open problems. The dashboard, the Excel 汇总表 and the
PDF 通报 all read these, so the three always agree.

Definitions (period P in year Y):
- An enterprise's output to date is its latest reported 1-本月累计产值 of year Y up to P (a month
  not reported carries the last reported cumulative forward). Last year's output is its December
  cumulative of Y-1, or its 上年产值 when December was not reported.
- 十亿级企业 achieved: output to date ≥ 10亿元 (100,000万元); also counted on last year's output.
- 百亿级产业 achieved: a target industry whose enterprises' output to date sums to ≥ 100亿元.
- 亿元级项目 implemented: total investment ≥ 1亿元 and status 开工 or later, not 停缓建.
- Tombstoned (调出) records count nowhere. Targets are those of year Y, else of the latest earlier
  year that has targets, else of the earliest later year (the plan's 2025 targets)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services.reference import load

ZERO = Decimal(0)


@dataclass(frozen=True)
class Progress:
    """One headline metric in one scope: how many achieved, against what target."""

    metric: str
    achieved: int
    target: Decimal | None
    last_year: int | None = None  # the same count on last year's figures, where it applies

    @property
    def label(self) -> str:
        return r.METRIC_LABELS[self.metric]

    @property
    def percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (Decimal(self.achieved) * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool:
        return self.target is not None and self.achieved >= self.target


@dataclass(frozen=True)
class IndustryFigures:
    industry_id: int
    name: str
    domain_id: int
    enterprises: int
    output_to_date: Decimal  # 万元, year to P
    output_same_period_last_year: Decimal
    output_last_year: Decimal  # full year Y-1
    target: Decimal | None  # 万元

    @property
    def completion_percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.output_to_date * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def growth_percent(self) -> Decimal | None:
        """同比: output to date against the same period last year."""
        if not self.output_same_period_last_year:
            return None
        change = self.output_to_date - self.output_same_period_last_year
        return (change * 100 / self.output_same_period_last_year).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class DomainFigures:
    domain_id: int
    name: str
    lead_departments: tuple[str, ...]
    progress: dict[str, Progress]


@dataclass(frozen=True)
class ProblemAge:
    problem_id: str
    unit_id: int
    subject: str
    category: str
    department: str | None
    status: str
    raised_on: date
    days_open: int


@dataclass(frozen=True)
class ProblemFigures:
    open_total: int
    by_category: dict[str, int]
    by_department: dict[str, int]
    oldest: list[ProblemAge]


@dataclass(frozen=True)
class Figures:
    period: str
    target_year: int | None
    headline: dict[str, Progress]
    domains: list[DomainFigures]
    industries: list[IndustryFigures]
    problems: ProblemFigures
    thresholds: dict[str, Decimal] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
def _live(model: type[m.Synced]) -> object:
    return model.deleted_at.is_(None)


def _scoped(stmt: Select, model: type[m.Synced], unit_id: int | None) -> Select:
    return stmt if unit_id is None else stmt.where(model.unit_id == unit_id)


def _output_to(period: str, unit_id: int | None) -> Select:
    """(enterprise_id, output) — each live enterprise's latest 1-本月累计产值 of the year up to `period`."""
    em = m.EnterpriseMonthly
    year = periods.year_of(period)
    latest = (
        select(em.enterprise_id, func.max(em.period).label("period"))
        .where(_live(em), em.output_ytd.is_not(None), em.period >= periods.make(year, 1), em.period <= period)
        .group_by(em.enterprise_id)
        .subquery()
    )
    stmt = (
        select(em.enterprise_id.label("enterprise_id"), em.output_ytd.label("output"))
        .join(latest, and_(latest.c.enterprise_id == em.enterprise_id, latest.c.period == em.period))
        .join(m.Enterprise, m.Enterprise.id == em.enterprise_id)
        .where(_live(em), _live(m.Enterprise))
    )
    return _scoped(stmt, m.Enterprise, unit_id)


def _last_year_output(year: int, unit_id: int | None) -> Select:
    """(enterprise_id, output) — December of `year`-1 when reported, else the 上年产值 field."""
    em = m.EnterpriseMonthly
    december = (
        select(em.enterprise_id, em.output_ytd)
        .where(_live(em), em.period == periods.make(year - 1, 12), em.output_ytd.is_not(None))
        .subquery()
    )
    stmt = (
        select(
            m.Enterprise.id.label("enterprise_id"),
            func.coalesce(december.c.output_ytd, m.Enterprise.last_year_output).label("output"),
        )
        .outerjoin(december, december.c.enterprise_id == m.Enterprise.id)
        .where(_live(m.Enterprise))
    )
    return _scoped(stmt, m.Enterprise, unit_id)


def _target_year(session: Session, year: int) -> int | None:
    years = sorted(session.scalars(select(m.Target.year).distinct()))
    if not years:
        return None
    earlier = [y for y in years if y <= year]
    return earlier[-1] if earlier else years[0]


def _targets(session: Session, year: int | None) -> list[r.Target]:
    if year is None:
        return []
    return [
        r.Target(t.year, t.metric, t.value, t.domain_id, t.industry_id)
        for t in session.scalars(select(m.Target).where(m.Target.year == year))
    ]


def _sum_by(session: Session, outputs: Select, key: object) -> dict[object, Decimal]:
    sub = outputs.subquery()
    rows = session.execute(
        select(key, func.sum(sub.c.output))
        .select_from(sub)
        .join(m.Enterprise, m.Enterprise.id == sub.c.enterprise_id)
        .group_by(key)
    )
    return {k: v or ZERO for k, v in rows}  # SUM keeps the Money type: exact Decimals


def _count_at_least(session: Session, outputs: Select, threshold: Decimal, key: object) -> dict[object, int]:
    """Enterprises whose output ≥ threshold, counted per `key` (an Enterprise column)."""
    sub = outputs.subquery()
    rows = session.execute(
        select(key, func.count())
        .select_from(sub)
        .join(m.Enterprise, m.Enterprise.id == sub.c.enterprise_id)
        .where(sub.c.output >= threshold)
        .group_by(key)
    )
    return {k: int(n) for k, n in rows}


def _implemented_projects(session: Session, ref: r.Reference, threshold: Decimal, unit_id: int | None) -> dict[int, int]:
    p = m.Project
    stmt = (
        select(p.domain_id, func.count())
        .where(_live(p), p.total_investment >= threshold, p.status.in_(ref.implemented_statuses))
        .group_by(p.domain_id)
    )
    return {k: int(n) for k, n in session.execute(_scoped(stmt, p, unit_id))}


def problem_figures(session: Session, today: date, unit_id: int | None = None, limit: int = 10) -> ProblemFigures:
    p = m.Problem
    open_ = and_(_live(p), p.status != "已解决")
    by_category = {k: int(n) for k, n in session.execute(
        _scoped(select(p.category, func.count()).where(open_).group_by(p.category), p, unit_id))}
    department = func.coalesce(p.department, "（未指定）")
    by_department = {k: int(n) for k, n in session.execute(
        _scoped(select(department, func.count()).where(open_).group_by(department), p, unit_id))}
    subject = func.coalesce(m.Enterprise.name, m.Project.name)
    oldest_rows = session.execute(
        _scoped(
            select(p.id, p.unit_id, subject, p.category, p.department, p.status, p.raised_on)
            .outerjoin(m.Enterprise, m.Enterprise.id == p.enterprise_id)
            .outerjoin(m.Project, m.Project.id == p.project_id)
            .where(open_)
            .order_by(p.raised_on, p.id)
            .limit(limit),
            p, unit_id,
        )
    )
    oldest = [
        ProblemAge(pid, unit, subj or "", cat, dept, status, raised, (today - raised).days)
        for pid, unit, subj, cat, dept, status, raised in oldest_rows
    ]
    return ProblemFigures(sum(by_category.values()), by_category, by_department, oldest)


def figures_in(session: Session, period: str, *, unit_id: int | None = None, today: date | None = None) -> Figures:
    ref = load(session)
    year = periods.year_of(period)
    target_year = _target_year(session, year)
    targets = _targets(session, target_year)
    th = ref.thresholds
    now = _output_to(period, unit_id)
    same_last_year = _output_to(periods.make(year - 1, periods.month_of(period)), unit_id)
    last_year = _last_year_output(year, unit_id)

    industry_now = _sum_by(session, now, m.Enterprise.industry_id)
    industry_same = _sum_by(session, same_last_year, m.Enterprise.industry_id)
    industry_last = _sum_by(session, last_year, m.Enterprise.industry_id)
    members = {k: int(n) for k, n in session.execute(
        _scoped(select(m.Enterprise.industry_id, func.count()).where(_live(m.Enterprise))
                .group_by(m.Enterprise.industry_id), m.Enterprise, unit_id))}
    industry_target = {t.industry_id: t.value for t in targets if t.metric == r.INDUSTRY_OUTPUT}
    industries = [
        IndustryFigures(
            i.id, i.name, i.domain_id, members.get(i.id, 0), industry_now.get(i.id, ZERO),
            industry_same.get(i.id, ZERO), industry_last.get(i.id, ZERO), industry_target.get(i.id),
        )
        for i in ref.industries
    ]

    big = th["billion_enterprise"]
    ent_now = _count_at_least(session, now, big, m.Enterprise.domain_id)
    ent_last = _count_at_least(session, last_year, big, m.Enterprise.domain_id)
    projects = _implemented_projects(session, ref, th["hundred_million_project"], unit_id)
    hundred = th["hundred_billion_industry"]

    def industries_over(values: Mapping[object, Decimal], domain_id: int | None) -> int:
        return sum(1 for i in industries
                   if (domain_id is None or i.domain_id == domain_id) and values.get(i.industry_id, ZERO) >= hundred)

    def target(metric: str, domain_id: int | None) -> Decimal | None:
        for t in targets:
            if t.metric == metric and t.domain_id == domain_id and t.industry_id is None:
                return t.value.quantize(Decimal(1))  # a count
        return None

    def progress_for(domain_id: int | None) -> dict[str, Progress]:
        pick = (lambda d: sum(d.values())) if domain_id is None else (lambda d: d.get(domain_id, 0))
        return {
            r.HUNDRED_BILLION_INDUSTRIES: Progress(
                r.HUNDRED_BILLION_INDUSTRIES, industries_over(industry_now, domain_id),
                target(r.HUNDRED_BILLION_INDUSTRIES, domain_id), industries_over(industry_last, domain_id)),
            r.BILLION_ENTERPRISES: Progress(
                r.BILLION_ENTERPRISES, pick(ent_now), target(r.BILLION_ENTERPRISES, domain_id), pick(ent_last)),
            r.HUNDRED_MILLION_PROJECTS: Progress(
                r.HUNDRED_MILLION_PROJECTS, pick(projects), target(r.HUNDRED_MILLION_PROJECTS, domain_id)),
        }

    domains = [DomainFigures(d.id, d.name, d.lead_departments, progress_for(d.id)) for d in ref.domains]
    return Figures(
        period=period,
        target_year=target_year,
        headline=progress_for(None),
        domains=domains,
        industries=industries,
        problems=problem_figures(session, today or date.today(), unit_id),
        thresholds=dict(th),
    )


def programme_figures(db: Database, period: str, *, unit_id: int | None = None, today: date | None = None) -> Figures:
    """All figures for `period`, for one unit or (unit_id None) the whole county."""
    periods.parse(period)
    with db.read() as s:
        return figures_in(s, period, unit_id=unit_id, today=today)
