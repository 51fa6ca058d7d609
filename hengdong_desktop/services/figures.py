"""The programme's figures for a period, computed in SQL: the headline 5/18/34 against the plan,
per domain, per target industry, the monthly trend, the open problems, the reporting status, and
the records behind every count (drill-down). The dashboard, `hengdong report`, the Excel 汇总表
and the PDF 通报 all read these, so they always agree.

Definitions (period P in year Y):
- An enterprise's output to date is its latest reported 1-本月累计产值 of year Y up to P (a month
  not reported carries the last reported cumulative forward). Last year's output is its December
  cumulative of Y-1, or its 上年产值 when December was not reported.
- 十亿级企业 achieved: output to date ≥ 10亿元 (100,000万元); also counted on last year's output.
- 百亿级产业 achieved: a target industry whose enterprises' output to date sums to ≥ 100亿元.
- 亿元级项目 implemented: total investment ≥ 1亿元 and status 开工 or later, not 停缓建.
- A problem is open at the end of P (or today, if earlier) when it was raised by then and not
  solved by then: status not 已解决, or solved after that day. Days open count to that day, so a
  bulletin regenerated later shows the same numbers.
- Tombstoned (调出) records count nowhere; an enterprise counts for the unit it belongs to now.
  Targets are those of year Y, else of the latest earlier year that has targets, else of the
  earliest later year (the plan's 2025 targets).

Each count and its drill-down are built from the same selection (`_output_to`, `_billion`,
`_implemented`, `_open_problems`), so a number and the list behind it cannot disagree."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import accumulate

from sqlalchemy import Integer, and_, cast, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import Money
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import due_day_in
from hengdong_desktop.services.reporting import STATUSES, status_matrix
from hengdong_desktop.services.review import queue_counts

ZERO = Decimal(0)
UNASSIGNED_DEPARTMENT = "（未指定）"

# Reporting status of a unit for a period (DOMAIN.md), and those that make a period overdue.
NOT_FILLED, FILLED, SUBMITTED, ACCEPTED, RETURNED = STATUSES
OUTSTANDING = (NOT_FILLED, FILLED, RETURNED)
STATUS_MONTHS = 12  # the reporting matrix shows the twelve periods ending with P


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
    description: str = ""


@dataclass(frozen=True)
class ProblemFigures:
    open_total: int
    by_category: dict[str, int]
    by_department: dict[str, int]
    oldest: list[ProblemAge]
    as_of: date | None = None


@dataclass(frozen=True)
class Figures:
    period: str
    target_year: int | None
    headline: dict[str, Progress]
    domains: list[DomainFigures]
    industries: list[IndustryFigures]
    problems: ProblemFigures
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    implemented_statuses: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trend:
    """Each target industry's output to date at the end of every month: this year up to P, and
    all twelve months of last year. Index 0 is January; None until the industry's first report
    of that year (nothing reported is not zero)."""

    period: str
    this_year: dict[int, list[Decimal | None]]
    last_year: dict[int, list[Decimal | None]]


@dataclass(frozen=True)
class EnterpriseRow:
    """One enterprise behind a count or a sum, with the three outputs the figures use."""

    enterprise_id: str
    unit_id: int
    credit_code: str
    name: str
    domain_id: int
    industry_id: int | None
    output_to_date: Decimal | None
    output_same_period_last_year: Decimal | None
    output_last_year: Decimal | None


@dataclass(frozen=True)
class ProjectRow:
    project_id: str
    unit_id: int
    project_code: str | None
    name: str
    domain_id: int
    industry_id: int | None
    total_investment: Decimal
    status: str


@dataclass(frozen=True)
class ReportingStatus:
    """Unit × period reporting status, what is overdue, and the county's open queues."""

    periods: list[str]
    units: list[tuple[int, str]]
    status: dict[tuple[int, str], str]
    overdue: set[tuple[int, str]]
    due_day: int
    open_conflicts: int
    open_duplicates: int

    def counts(self, period: str) -> dict[str, int]:
        out = {s: 0 for s in (NOT_FILLED, FILLED, SUBMITTED, ACCEPTED, RETURNED)}
        for unit_id, _name in self.units:
            out[self.of(unit_id, period)] += 1
        return out

    def of(self, unit_id: int, period: str) -> str:
        return self.status.get((unit_id, period), NOT_FILLED)

    def overdue_count(self, period: str) -> int:
        return sum(1 for _unit, p in self.overdue if p == period)


@dataclass(frozen=True)
class Dashboard:
    """Everything the 驾驶舱 shows for a period."""

    figures: Figures
    trend: Trend
    reporting: ReportingStatus


# ---------------------------------------------------------------------------------------------
# Selections shared by the counts and their drill-downs
# ---------------------------------------------------------------------------------------------
def _live(model: type[m.Synced]) -> ColumnElement[bool]:
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


def _same_period_last_year(period: str) -> str:
    return periods.make(periods.year_of(period) - 1, periods.month_of(period))


def _billion(outputs: Select, threshold: Decimal) -> Select:
    """(enterprise_id, output) of the enterprises whose output ≥ threshold: the 十亿级企业."""
    sub = outputs.subquery()
    return select(sub.c.enterprise_id, sub.c.output).where(sub.c.output >= threshold)


def _implemented(ref: r.Reference, threshold: Decimal, unit_id: int | None) -> Select:
    """The live projects counted as 亿元级项目 implemented."""
    p = m.Project
    stmt = select(p).where(_live(p), p.total_investment >= threshold, p.status.in_(ref.implemented_statuses))
    return _scoped(stmt, p, unit_id)


_department = func.coalesce(m.Problem.department, UNASSIGNED_DEPARTMENT)


def _open_problems(as_of: date, unit_id: int | None) -> Select:
    """Problems open at the end of `as_of`: raised by then, not solved by then."""
    p = m.Problem
    solved_by_then = and_(p.status == "已解决", or_(p.solved_on.is_(None), p.solved_on <= as_of))
    stmt = select(p).where(_live(p), p.raised_on <= as_of, ~solved_by_then)
    return _scoped(stmt, p, unit_id)


def _enterprise_rows(session: Session, period: str, unit_id: int | None, *where: object) -> list[EnterpriseRow]:
    """Live enterprises (of the unit) meeting `where`, each with its three outputs."""
    now = _output_to(period, unit_id).subquery("now")
    same = _output_to(_same_period_last_year(period), unit_id).subquery("same")
    last = _last_year_output(periods.year_of(period), unit_id).subquery("last")
    e = m.Enterprise
    stmt = (
        select(e.id, e.unit_id, e.credit_code, e.name, e.domain_id, e.industry_id,
               now.c.output, same.c.output, last.c.output)
        .outerjoin(now, now.c.enterprise_id == e.id)
        .outerjoin(same, same.c.enterprise_id == e.id)
        .outerjoin(last, last.c.enterprise_id == e.id)
        .where(_live(e), *where)  # type: ignore[arg-type]
        .order_by(now.c.output.desc().nulls_last(), e.unit_id, e.name)
    )
    return [EnterpriseRow(*row) for row in session.execute(_scoped(stmt, e, unit_id))]


# ---------------------------------------------------------------------------------------------
# Targets
# ---------------------------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------
def _totals(session: Session, outputs: Select, threshold: Decimal) -> tuple[dict[object, Decimal], dict[object, int]]:
    """One pass over `outputs`: the summed output per industry, and per domain the enterprises
    whose output reaches `threshold` (the 十亿级企业, on the same condition as `_billion`)."""
    sub = outputs.subquery()
    e = m.Enterprise
    rows = session.execute(
        select(e.industry_id, e.domain_id, func.sum(sub.c.output), func.count().filter(sub.c.output >= threshold))
        .select_from(sub)
        .join(e, e.id == sub.c.enterprise_id)
        .group_by(e.industry_id, e.domain_id)
    )
    sums: dict[object, Decimal] = {}
    counts: dict[object, int] = {}
    for industry_id, domain_id, total, over in rows:  # a few dozen groups
        sums[industry_id] = sums.get(industry_id, ZERO) + (total or ZERO)  # SUM keeps Money: exact
        counts[domain_id] = counts.get(domain_id, 0) + int(over)
    return sums, counts


def _implemented_by_domain(session: Session, ref: r.Reference, threshold: Decimal, unit_id: int | None) -> dict[int, int]:
    sub = _implemented(ref, threshold, unit_id).subquery()
    rows = session.execute(select(sub.c.domain_id, func.count()).group_by(sub.c.domain_id))
    return {k: int(n) for k, n in rows}


def period_end(period: str, today: date) -> date:
    """The day the period's open problems are counted at: its last day, or today if earlier."""
    year, month = periods.parse(period)
    return min(today, date(year, month, calendar.monthrange(year, month)[1]))


def problem_figures(session: Session, as_of: date, unit_id: int | None = None, limit: int = 10) -> ProblemFigures:
    sub = _open_problems(as_of, unit_id).subquery()
    by_category = {k: int(n) for k, n in session.execute(
        select(sub.c.category, func.count()).group_by(sub.c.category).order_by(func.count().desc(), sub.c.category))}
    department = func.coalesce(sub.c.department, UNASSIGNED_DEPARTMENT)
    by_department = {k: int(n) for k, n in session.execute(
        select(department, func.count()).group_by(department).order_by(func.count().desc(), department))}
    oldest = open_problems(session, as_of, unit_id=unit_id, limit=limit)
    return ProblemFigures(sum(by_category.values()), by_category, by_department, oldest, as_of)


def figures_in(session: Session, period: str, *, unit_id: int | None = None, today: date | None = None) -> Figures:
    ref = load(session)
    year = periods.year_of(period)
    target_year = _target_year(session, year)
    targets = _targets(session, target_year)
    th = ref.thresholds
    now = _output_to(period, unit_id)
    last_year = _last_year_output(year, unit_id)

    big = th["billion_enterprise"]
    industry_now, ent_now = _totals(session, now, big)
    industry_same, _ = _totals(session, _output_to(_same_period_last_year(period), unit_id), big)
    industry_last, ent_last = _totals(session, last_year, big)
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

    projects = _implemented_by_domain(session, ref, th["hundred_million_project"], unit_id)
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
        problems=problem_figures(session, period_end(period, today or date.today()), unit_id),
        thresholds=dict(th),
        implemented_statuses=ref.implemented_statuses,
    )


def programme_figures(db: Database, period: str, *, unit_id: int | None = None, today: date | None = None) -> Figures:
    """All figures for `period`, for one unit or (unit_id None) the whole county."""
    periods.parse(period)
    with db.read() as s:
        return figures_in(s, period, unit_id=unit_id, today=today)


# ---------------------------------------------------------------------------------------------
# Monthly trend
# ---------------------------------------------------------------------------------------------
def _monthly_to_date(session: Session, year: int, last_month: int, unit_id: int | None) -> dict[int, list[Decimal | None]]:
    """Per target industry, the sum of its enterprises' output to date at the end of each month
    1..last_month of `year` — the same carry-forward as `_output_to`, for every month at once.

    Each report counts its increase over the enterprise's previous report of the year (LAG), so
    the running total of the increases up to month M is the sum of the latest cumulatives up to
    M. SQL sums the increases per industry and month; the twelve running totals are added here."""
    em, e = m.EnterpriseMonthly, m.Enterprise
    previous = func.lag(em.output_ytd).over(partition_by=em.enterprise_id, order_by=em.period)
    increases = (
        select(em.enterprise_id.label("enterprise_id"),
               cast(func.substr(em.period, 6, 2), Integer).label("month"),
               type_coerce(em.output_ytd - func.coalesce(previous, 0), Money).label("increase"))
        .where(_live(em), em.output_ytd.is_not(None),
               em.period >= periods.make(year, 1), em.period <= periods.make(year, last_month))
        .subquery()
    )
    stmt = (
        select(e.industry_id, increases.c.month, func.sum(increases.c.increase))
        .join(e, e.id == increases.c.enterprise_id)
        .where(_live(e), e.industry_id.is_not(None))
        .group_by(e.industry_id, increases.c.month)
    )
    added: dict[int, dict[int, Decimal]] = {}
    for industry_id, month, increase in session.execute(_scoped(stmt, e, unit_id)):
        added.setdefault(industry_id, {})[month] = increase or ZERO
    series: dict[int, list[Decimal | None]] = {}
    for industry_id, by_month in added.items():
        first = min(by_month)
        totals = accumulate(by_month.get(k, ZERO) for k in range(first, last_month + 1))
        series[industry_id] = [None] * (first - 1) + list(totals)
    return series


def trend_in(session: Session, period: str, unit_id: int | None = None) -> Trend:
    year, month = periods.parse(period)
    return Trend(period, _monthly_to_date(session, year, month, unit_id),
                 _monthly_to_date(session, year - 1, 12, unit_id))


def industry_trend(db: Database, period: str, *, unit_id: int | None = None) -> Trend:
    with db.read() as s:
        return trend_in(s, period, unit_id)


@dataclass(frozen=True)
class TrendLine:
    """The trend of several target industries together: their summed output to date at the end
    of each month (this year up to P, last year all twelve; None while none of them had reported)
    and the sum of their targets for the year (None when none has a target)."""

    this_year: list[Decimal | None]
    last_year: list[Decimal | None]
    target: Decimal | None


def combined_trend(trend: Trend, industries: Sequence[IndustryFigures], industry_ids: Iterable[int]) -> TrendLine:
    """The trend line of the chosen industries (`industries` gives their targets)."""
    ids = list(industry_ids)

    def total(series: dict[int, list[Decimal | None]], months: int) -> list[Decimal | None]:
        out: list[Decimal | None] = [None] * months
        for industry_id in ids:
            for k, value in enumerate(series.get(industry_id, [])[:months]):
                if value is not None:
                    out[k] = (out[k] or ZERO) + value
        return out

    targets = [i.target for i in industries if i.industry_id in ids and i.target is not None]
    return TrendLine(total(trend.this_year, periods.parse(trend.period)[1]), total(trend.last_year, 12),
                     sum(targets, ZERO) if targets else None)


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind each number
# ---------------------------------------------------------------------------------------------
def output_total(rows: Iterable[EnterpriseRow]) -> Decimal:
    """The enterprises' output to date together (not reported counts as nothing)."""
    return sum((x.output_to_date or ZERO for x in rows), ZERO)


def investment_total(rows: Iterable[ProjectRow]) -> Decimal:
    return sum((x.total_investment for x in rows), ZERO)


def industry_enterprises(session: Session, period: str, industry_id: int, *, unit_id: int | None = None) -> list[EnterpriseRow]:
    """The live enterprises of a target industry (IndustryFigures.enterprises; their outputs sum
    to the industry's)."""
    return _enterprise_rows(session, period, unit_id, m.Enterprise.industry_id == industry_id)


def billion_enterprises(session: Session, period: str, *, last_year: bool = False, domain_id: int | None = None,
                        unit_id: int | None = None) -> list[EnterpriseRow]:
    """The 十亿级企业 counted in the headline (or its last-year count), optionally of one domain."""
    threshold = load(session).thresholds["billion_enterprise"]
    basis = _last_year_output(periods.year_of(period), unit_id) if last_year else _output_to(period, unit_id)
    counted = _billion(basis, threshold).subquery()
    where: list[ColumnElement[bool]] = [m.Enterprise.id.in_(select(counted.c.enterprise_id))]
    if domain_id is not None:
        where.append(m.Enterprise.domain_id == domain_id)
    return _enterprise_rows(session, period, unit_id, *where)


def hundred_billion_industries(figures: Figures, *, last_year: bool = False, domain_id: int | None = None) -> list[IndustryFigures]:
    """The target industries counted as 百亿级产业 in `figures`."""
    threshold = figures.thresholds["hundred_billion_industry"]
    return [i for i in figures.industries
            if (domain_id is None or i.domain_id == domain_id)
            and (i.output_last_year if last_year else i.output_to_date) >= threshold]


def implemented_projects(session: Session, *, domain_id: int | None = None, unit_id: int | None = None) -> list[ProjectRow]:
    """The 亿元级项目 counted as implemented, optionally of one domain."""
    ref = load(session)
    stmt = _implemented(ref, ref.thresholds["hundred_million_project"], unit_id)
    if domain_id is not None:
        stmt = stmt.where(m.Project.domain_id == domain_id)
    stmt = stmt.order_by(m.Project.total_investment.desc(), m.Project.name)
    return [ProjectRow(p.id, p.unit_id, p.project_code, p.name, p.domain_id, p.industry_id, p.total_investment, p.status)
            for p in session.scalars(stmt)]


def open_problems(session: Session, as_of: date, *, category: str | None = None, department: str | None = None,
                  unit_id: int | None = None, limit: int | None = None) -> list[ProblemAge]:
    """Problems open at `as_of`, oldest first, optionally of one category or department
    (UNASSIGNED_DEPARTMENT for those without one)."""
    p = m.Problem
    stmt = _open_problems(as_of, unit_id)
    if category is not None:
        stmt = stmt.where(p.category == category)
    if department is not None:
        stmt = stmt.where(_department == department)
    subject = func.coalesce(m.Enterprise.name, m.Project.name)
    stmt = (
        stmt.with_only_columns(p.id, p.unit_id, subject, p.category, p.department, p.status, p.raised_on,
                               p.description)
        .outerjoin(m.Enterprise, m.Enterprise.id == p.enterprise_id)
        .outerjoin(m.Project, m.Project.id == p.project_id)
        .order_by(p.raised_on, p.id)
        .limit(limit)
    )
    return [
        ProblemAge(row[0], row[1], row[2] or "", row[3], row[4], row[5], row[6], (as_of - row[6]).days, row[7])
        for row in session.execute(stmt)
    ]


@dataclass(frozen=True)
class DrillKey:
    """Which number to list the records of (see `records_behind`)."""

    kind: str  # BILLION_ENTERPRISES, INDUSTRY_ENTERPRISES, IMPLEMENTED_PROJECTS or OPEN_PROBLEMS
    domain_id: int | None = None
    industry_id: int | None = None
    last_year: bool = False
    category: str | None = None
    department: str | None = None


BILLION_ENTERPRISES, INDUSTRY_ENTERPRISES = "billion_enterprises", "industry_enterprises"
IMPLEMENTED_PROJECTS, OPEN_PROBLEMS = "implemented_projects", "open_problems"


def records_behind(db: Database, period: str, key: DrillKey, *, today: date | None = None) -> list[object]:
    """The records a dashboard number counts, for the window that lists them. (百亿级产业 are
    listed from the figures themselves: `hundred_billion_industries`.)"""
    periods.parse(period)
    with db.read() as s:
        if key.kind == BILLION_ENTERPRISES:
            return list(billion_enterprises(s, period, last_year=key.last_year, domain_id=key.domain_id))
        if key.kind == INDUSTRY_ENTERPRISES and key.industry_id is not None:
            return list(industry_enterprises(s, period, key.industry_id))
        if key.kind == IMPLEMENTED_PROJECTS:
            return list(implemented_projects(s, domain_id=key.domain_id))
        if key.kind == OPEN_PROBLEMS:
            as_of = period_end(period, today or date.today())
            return list(open_problems(s, as_of, category=key.category, department=key.department))
    raise ValueError(f"no drill-down for {key}")


# ---------------------------------------------------------------------------------------------
# Reporting status
# ---------------------------------------------------------------------------------------------
def due_date(period: str, due_day: int) -> date:
    """The day a period's figures are due: `due_day` of the following month."""
    year, month = periods.parse(periods.following(period))
    return date(year, month, min(due_day, calendar.monthrange(year, month)[1]))


def reporting_status(db: Database, period: str, *, today: date | None = None) -> ReportingStatus:
    """The unit × period matrix for the twelve periods ending with `period`; a cell is overdue
    when its due date has passed and the unit has not sent (or must resend) it."""
    today = today or date.today()
    shown = periods.span(period, STATUS_MONTHS)
    with db.read() as s:
        ref = load(s)
        due_day = due_day_in(s)
    status = status_matrix(db, shown)
    units = [(u.id, u.name) for u in ref.units]
    overdue = {(u, p) for u, _ in units for p in shown
               if status.get((u, p), NOT_FILLED) in OUTSTANDING and today > due_date(p, due_day)}
    conflicts, duplicates = queue_counts(db)
    return ReportingStatus(shown, units, status, overdue, due_day, conflicts, duplicates)


def dashboard(db: Database, period: str, *, today: date | None = None) -> Dashboard:
    """Everything the county 驾驶舱 shows for `period` (the refresh the benchmark measures): the
    figures and the trend from one read transaction, then the reporting status."""
    periods.parse(period)
    with db.read() as s:
        figures = figures_in(s, period, today=today)
        trend = trend_in(s, period)
    return Dashboard(figures, trend, reporting_status(db, period, today=today))
