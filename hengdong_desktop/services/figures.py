"""The programme's figures for a period: the headline 5/18/34 against the plan, per domain, per
target industry, the monthly trend, the open problems, the reporting status, and the records
behind every count (drill-down). The dashboard, `hengdong report`, the Excel 汇总表 and the PDF
通报 all read these, so they always agree; `Basis` states their 口径, printed with every output.

Definitions (period P, month M of year Y; every figure is "as of P", so a report for P made today
equals one made after P+1, whatever was entered since for later periods):
- Whose data: at the county, the units whose P is 已接收 (services/reporting.counted_units); with
  含待审核 also those the county holds but has not accepted. Returned data never counts.
- Measure (口径) per domain, from reference data: 产值, 营业收入 or 建筑业总产值 (a construction
  enterprise's 产值 fields). It decides 十亿级/亿级 and an industry's size.
- An enterprise's 1-本月累计 is its latest reported year-to-date figure of Y up to P (a month not
  reported carries the last one forward); 上年同期 the same for Y-1 up to M; 上年全年 its December
  of Y-1, else its yearly figure for Y-1 (enterprise_annual); 预计全年 is 上年全年 × 1-本月累计 /
  上年同期 (同比增速) where both exist, else 1-本月累计 × 12 / M (月均); in December it is the year.
- Annual thresholds (十亿级企业 ≥ 10亿, 百亿级产业 ≥ 100亿) are counted on each of the three; the
  headline is 上年全年 until December, then the year itself (`headline_basis`).
- The enterprises counted are those that reported something these compare; an industry's
  figure is the sum of its counted enterprises' (registered enterprises), unless the county entered the
  statistics bureau's total (统计局口径) for that period: then that total, beside the coverage
  ratio (registered ÷ official). 预计全年 uses official totals only when all three exist.
- An enterprise reported by several units (one credit code) counts once, for the record entered
  first, until the duplicate is resolved; the 口径 says how many are pending.
- 亿元级项目 implemented: total investment ≥ 1亿元 and its status as of P (the latest row of its
  status history up to P) 开工 or later, not 停缓建 or 终止. 新开工: implemented at P, not at P-1.
- A problem is open at the end of P (or today, if earlier) when it was raised by then and not
  solved by then; its status is shown as of then (未解决).
- 项目推进 (`ProjectFigures`): the live projects of the counted units that had a status by P, by
  their status as of P and by domain, industry, chain and unit: how many, of which 亿元级, their
  总投资, their 年度计划投资 for Y and 本年累计完成投资 (the latest reported in Y up to P), and the
  completion rate ytd ÷ plan; 本月开工 are those that first reached 开工 (or a later stage) in P. Their
  warnings (包而不推、推而不快、快而不优) are domain/project_warnings' as of P.
- 招商引资 (`InvestmentFigures`): projects with a 签约日期 by the end of P — signed this year and in
  all; how many have started (开工 or later by P); 履约率 = those started within N months of signing
  (N: reference data) ÷ those whose N months have passed or that have started; 到位资金 = the latest
  累计到位资金 up to P (本年到位 = the sum of 本月到位资金 in Y up to P), 到位率 = 到位资金 ÷ 合同投资额;
  by 引资来源.
- Tombstoned (调出) records count nowhere; an enterprise counts for the unit it belongs to now.
  Each target falls back on its own: year Y's, else the latest earlier year's, else the earliest
  later year's (the plan's 2025 targets).

Every count and its drill-down come from one selection (`_enterprise_values`, `_projects_as_of`,
`_open_problems`), so a number and the list behind it cannot disagree."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import accumulate
from typing import Any

from sqlalchemy import Integer, and_, cast, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import money, periods
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import project_warnings
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import due_day_in
from hengdong_desktop.services.reporting import OUTSTANDING, STATUSES, Counted, counted_units, status_in

ZERO = Decimal(0)
UNASSIGNED_DEPARTMENT = "（未指定）"
AS_OF_OPEN = "未解决"  # a problem's status in an as-of list: later news is not shown

NOT_FILLED, FILLED, SUBMITTED, ACCEPTED, RETURNED = STATUSES
STATUS_MONTHS = 12  # the reporting matrix shows the twelve periods ending with P

# The three figures an annual threshold is judged on during the year.
YEAR_TO_DATE, LAST_YEAR, PROJECTED = "year_to_date", "last_year", "projected"


def headline_basis(period: str) -> str:
    """Which figure the headline counts: last year's full year until December, then the year."""
    return YEAR_TO_DATE if periods.month_of(period) == 12 else LAST_YEAR


def basis_label(basis: str, period: str) -> str:
    year, month = periods.parse(period)
    return {
        YEAR_TO_DATE: f"{year}年1-{month}月累计" if month < 12 else f"{year}年全年",
        LAST_YEAR: f"{year - 1}年全年",
        PROJECTED: f"{year}年预计全年",
    }[basis]


def _units(value: Decimal) -> int:
    return money.to_units(value)


def _money(units: int | None) -> Decimal | None:
    return None if units is None else money.from_units(units)


def _ratio(num: int, den: int) -> int:
    """num / den rounded half up, in integers (both ≥ 0, den > 0)."""
    return (2 * num + den) // (2 * den)


def project(ytd: int | None, same: int | None, last: int | None, month: int) -> tuple[int | None, str | None]:
    """预计全年 (in 1/10000 万元) and how it was projected: 同比 (last year's full year grown as the
    year to date grew on last year's same period), 月均 (the monthly average × 12), or 全年."""
    if ytd is None:
        return None, None
    if month == 12:
        return ytd, "全年"
    if same and last is not None and same > 0:
        return _ratio(last * ytd, same), "同比"
    return _ratio(ytd * 12, month), "月均"


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """One headline metric in one scope: how many achieved (on the headline basis), against what
    target, and the same count on each basis."""

    metric: str
    achieved: int
    target: Decimal | None
    last_year: int | None = None  # on last year's full year (annual metrics) / at the end of last year
    year_to_date: int | None = None
    projected: int | None = None
    target_year: int | None = None  # the year the target was set for (per-metric fallback)
    new_this_period: int | None = None  # 亿元级项目: newly implemented in the period

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
    """A target industry, in its domain's measure (万元): the registered enterprises' sums, the
    statistics bureau's totals where entered, and the values the figures use."""

    industry_id: int
    name: str
    domain_id: int
    enterprises: int
    output_to_date: Decimal  # registered enterprises, year to P
    output_same_period_last_year: Decimal
    output_last_year: Decimal  # full year Y-1
    target: Decimal | None  # 万元
    measure: str = r.OUTPUT
    projected: Decimal | None = None  # 预计全年, from the used values
    official_to_date: Decimal | None = None  # 统计局口径
    official_same_period_last_year: Decimal | None = None
    official_last_year: Decimal | None = None
    target_year: int | None = None

    @property
    def measure_label(self) -> str:
        return r.MEASURES[self.measure]

    @property
    def to_date(self) -> Decimal:
        """The year-to-date figure used: official where entered, else registered."""
        return self.official_to_date if self.official_to_date is not None else self.output_to_date

    @property
    def same_period_last_year(self) -> Decimal:
        if self.official_same_period_last_year is not None:
            return self.official_same_period_last_year
        return self.output_same_period_last_year

    @property
    def last_year(self) -> Decimal:
        return self.official_last_year if self.official_last_year is not None else self.output_last_year

    def value(self, basis: str) -> Decimal | None:
        return {YEAR_TO_DATE: self.to_date, LAST_YEAR: self.last_year, PROJECTED: self.projected}[basis]

    @property
    def coverage_percent(self) -> Decimal | None:
        """Registered enterprises' share of the official total (覆盖率)."""
        if not self.official_to_date:
            return None
        return (self.output_to_date * 100 / self.official_to_date).quantize(Decimal("0.1"))

    @property
    def completion_percent(self) -> Decimal | None:
        if not self.target:
            return None
        return (self.to_date * 100 / self.target).quantize(Decimal("0.1"))

    @property
    def growth_percent(self) -> Decimal | None:
        """同比: the year to date against the same period last year."""
        if not self.same_period_last_year:
            return None
        change = self.to_date - self.same_period_last_year
        return (change * 100 / self.same_period_last_year).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class DomainFigures:
    domain_id: int
    name: str
    lead_departments: tuple[str, ...]
    progress: dict[str, Progress]
    measure: str = r.OUTPUT

    @property
    def measure_label(self) -> str:
        return r.MEASURES[self.measure]


@dataclass(frozen=True)
class ProblemAge:
    problem_id: str
    unit_id: int
    subject: str
    category: str
    department: str | None
    status: str  # as of the day counted to (未解决); the record's status today is not shown
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
class Basis:
    """The 口径 of a set of figures: what every number counts."""

    period: str
    include_pending: bool
    reference_version: int
    measures: tuple[tuple[int, str, str], ...]  # (domain id, domain, measure label)
    headline: str  # YEAR_TO_DATE or LAST_YEAR
    counted: Counted
    unit_names: Mapping[int, str]
    duplicates_pending: int  # credit codes waiting in the county's duplicate queue
    duplicates_merged: int  # enterprises left out because another unit's record of the code counts
    problems_as_of: date
    official_industries: tuple[str, ...]  # industries using a 统计局口径 total for the period

    @property
    def headline_label(self) -> str:
        return basis_label(self.headline, self.period)

    @property
    def scope(self) -> str:
        """Whose data, in words."""
        c = self.counted
        if c.all_data:
            return "本单位全部数据"
        total = len(c.units) + len(c.left_out)
        text = f"{self.period}已接收的单位（{len(c.units) - len(c.pending)}/{total}个）"
        if self.include_pending:
            text += f"，含待审核（已上报未审核或县级录入，{len(c.pending)}个单位）"
        else:
            text += "，不含待审核和已退回的数据"
        return text

    def measure_of(self, domain_id: int) -> str:
        return next((label for d, _name, label in self.measures if d == domain_id), r.MEASURES[r.OUTPUT])

    def sentence(self) -> str:
        """The 口径 line printed with every output."""
        measures = "、".join(f"{name}按{label}" for _d, name, label in self.measures)
        parts = [
            f"口径：{self.period}期，计入{self.scope}",
            f"十亿级企业和百亿级产业按{self.headline_label}计（{measures}）",
            f"基础数据第{self.reference_version}版",
        ]
        if self.duplicates_pending or self.duplicates_merged:
            parts.append(
                f"同一信用代码多个单位填报的企业只计一次（{self.duplicates_merged}户未重复计入，"
                f"{self.duplicates_pending}个信用代码待县级处理）"
            )
        if self.official_industries:
            parts.append(f"{'、'.join(self.official_industries)}采用统计局口径产值")
        return "；".join(parts) + "。"

    def left_out_text(self) -> str:
        """The units not counted, with their status, in words (empty when all are counted)."""
        if not self.counted.left_out:
            return ""
        by_status: dict[str, list[str]] = {}
        for unit_id, status in self.counted.left_out.items():
            by_status.setdefault(status, []).append(self.unit_names.get(unit_id, str(unit_id)))
        return (
            "未计入："
            + "；".join(f"{status}{len(names)}个（{'、'.join(names)}）" for status, names in by_status.items())
            + "。"
        )

    def as_json(self, measure: str | None = None) -> dict[str, Any]:
        """The 口径 of one number: period, measure, pending included or not, reference version."""
        out: dict[str, Any] = {
            "period": self.period,
            "pending_included": self.include_pending,
            "reference_version": self.reference_version,
        }
        if measure is not None:
            out["measure"] = measure
        return out


def percent_of(part: Decimal | int, whole: Decimal | int | None) -> Decimal | None:
    """part ÷ whole in %, to one decimal (None when there is nothing to divide by)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class ProjectGroup:
    """Projects of one stage, domain, industry, chain or unit, as of the period."""

    key: object  # the stage, or the id of the domain / industry / chain / unit (None: none)
    name: str
    projects: int
    hundred_million: int  # of which 总投资 ≥ 1亿元
    total_investment: Decimal
    year_plan: Decimal  # 年度计划投资 of the period's year
    invest_ytd: Decimal  # 本年累计完成投资

    @property
    def completion_percent(self) -> Decimal | None:
        return percent_of(self.invest_ytd, self.year_plan)


@dataclass(frozen=True)
class ProjectFigures:
    """项目推进 as of the period (see the module docstring)."""

    by_stage: list[ProjectGroup]
    by_domain: list[ProjectGroup]
    by_industry: list[ProjectGroup]
    by_chain: list[ProjectGroup]
    by_unit: list[ProjectGroup]
    total: ProjectGroup
    started_this_period: int
    warnings: list[pw.ProjectWarning]

    def warning_counts(self) -> dict[str, int]:
        return {rule: sum(1 for w in self.warnings if w.rule == rule) for rule in pw.RULES}


@dataclass(frozen=True)
class SourceGroup:
    """The signed projects of one 引资来源."""

    source: str
    signed: int
    contract: Decimal
    started: int
    funds: Decimal

    @property
    def funds_percent(self) -> Decimal | None:
        return percent_of(self.funds, self.contract)


@dataclass(frozen=True)
class InvestmentFigures:
    """招商引资 as of the period (see the module docstring)."""

    signed_this_year: int
    contract_this_year: Decimal
    signed: int  # by the end of the period, all years
    contract: Decimal
    started: int
    due: int  # signed N months ago or more, or started: what 履约率 divides by
    kept: int  # of those, started within N months of signing
    fulfil_months: int
    funds_this_year: Decimal
    funds: Decimal
    build_first: int  # 先建后验 projects among those counted
    by_source: list[SourceGroup]

    @property
    def fulfil_percent(self) -> Decimal | None:
        return percent_of(self.kept, self.due)

    @property
    def funds_percent(self) -> Decimal | None:
        return percent_of(self.funds, self.contract)


@dataclass(frozen=True)
class Figures:
    period: str
    target_year: int | None  # the year whose targets are sought (each target may fall back, see Progress)
    headline: dict[str, Progress]
    domains: list[DomainFigures]
    industries: list[IndustryFigures]
    problems: ProblemFigures
    thresholds: dict[str, Decimal] = field(default_factory=dict)
    implemented_statuses: tuple[str, ...] = ()
    basis: Basis | None = None
    duplicate_ids: tuple[str, ...] = ()  # enterprises left out as another unit's record of their code
    projects: ProjectFigures | None = None
    investment: InvestmentFigures | None = None

    @property
    def headline_basis(self) -> str:
        return headline_basis(self.period)


@dataclass(frozen=True)
class Trend:
    """Each target industry's registered total to date (in its measure) at the end of every
    month: this year up to P, and all twelve months of last year. Index 0 is January; None until
    the industry's first report of that year (nothing reported is not zero)."""

    period: str
    this_year: dict[int, list[Decimal | None]]
    last_year: dict[int, list[Decimal | None]]


@dataclass(frozen=True)
class EnterpriseRow:
    """One enterprise behind a count or a sum, with the values the figures use (its measure)."""

    enterprise_id: str
    unit_id: int
    credit_code: str
    name: str
    domain_id: int
    industry_id: int | None
    output_to_date: Decimal | None
    output_same_period_last_year: Decimal | None
    output_last_year: Decimal | None
    projected: Decimal | None = None
    measure: str = r.OUTPUT

    def value(self, basis: str) -> Decimal | None:
        return {YEAR_TO_DATE: self.output_to_date, LAST_YEAR: self.output_last_year, PROJECTED: self.projected}[basis]


@dataclass(frozen=True)
class ProjectRow:
    project_id: str
    unit_id: int
    project_code: str | None
    name: str
    domain_id: int
    industry_id: int | None
    total_investment: Decimal
    status: str  # as of the period


@dataclass(frozen=True)
class ProjectLine:
    """One project behind a 项目推进 or 招商 number, with the values the figures use."""

    project_id: str
    unit_id: int
    project_code: str | None
    name: str
    domain_id: int
    industry_id: int | None
    chain_id: int | None
    status: str  # as of the period
    total_investment: Decimal
    year_plan: Decimal | None
    invest_ytd: Decimal | None
    signed_on: date | None
    contract: Decimal | None
    investment_source: str | None
    funds: Decimal | None
    started_on: date | None


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
        out = {s: 0 for s in STATUSES}
        for unit_id, _name in self.units:
            status = self.of(unit_id, period)
            out[status] = out.get(status, 0) + 1
        return out

    def overdue_count(self, period: str) -> int:
        return sum(1 for _u, p in self.overdue if p == period)

    def of(self, unit_id: int, period: str) -> str:
        return self.status.get((unit_id, period), NOT_FILLED)


@dataclass(frozen=True)
class Dashboard:
    """Everything the 驾驶舱 shows for a period."""

    figures: Figures
    trend: Trend
    reporting: ReportingStatus


# ---------------------------------------------------------------------------------------------
# Enterprises: their values as of the period, counted once
# ---------------------------------------------------------------------------------------------
def _live(model: Any) -> ColumnElement[bool]:
    return model.deleted_at.is_(None)  # type: ignore[no-any-return]


def _same_period_last_year(period: str) -> str:
    return periods.make(periods.year_of(period) - 1, periods.month_of(period))


def _latest(session: Session, column: Any, start: str, end: str) -> dict[str, int]:
    """Each enterprise's latest reported `column` between two periods, in integer units (one
    grouped query: joined into one statement with the others, SQLite would plan it badly)."""
    em = m.EnterpriseMonthly
    last = (
        select(em.enterprise_id.label("eid"), func.max(em.period).label("p"))
        .where(_live(em), column.is_not(None), em.period >= start, em.period <= end)
        .group_by(em.enterprise_id)
        .subquery()
    )
    stmt = (
        select(em.enterprise_id, type_coerce(column, Integer))
        .join(last, and_(last.c.eid == em.enterprise_id, last.c.p == em.period))
        .where(_live(em))
    )
    return {eid: value for eid, value in session.execute(stmt)}


@dataclass
class _Ent:
    """One counted enterprise, its values in 1/10000 万元 in its domain's measure."""

    id: str
    unit_id: int
    credit_code: str
    name: str
    domain_id: int
    industry_id: int | None
    ytd: int | None
    same: int | None
    last: int | None
    projected: int | None
    measure: str

    def value(self, basis: str) -> int | None:
        return {YEAR_TO_DATE: self.ytd, LAST_YEAR: self.last, PROJECTED: self.projected}[basis]

    def row(self) -> EnterpriseRow:
        return EnterpriseRow(
            self.id,
            self.unit_id,
            self.credit_code,
            self.name,
            self.domain_id,
            self.industry_id,
            _money(self.ytd),
            _money(self.same),
            _money(self.last),
            _money(self.projected),
            self.measure,
        )


def _enterprise_values(
    session: Session, period: str, units: Iterable[int], measures: Mapping[int, str]
) -> tuple[list[_Ent], list[str]]:
    """The live enterprises of `units` that reported anything the period compares (this year to
    date, last year's same period or full year), with those values, each credit code once (the
    record entered first); and the ids of the duplicates left out."""
    year, month = periods.parse(period)
    em, e, ea = m.EnterpriseMonthly, m.Enterprise, m.EnterpriseAnnual
    this_start, same_end = periods.make(year, 1), _same_period_last_year(period)
    last_start, december = periods.make(year - 1, 1), periods.make(year - 1, 12)
    latest = {
        (name, window): _latest(session, column, start, end)
        for name, column in (("output", em.output_ytd), ("revenue", em.revenue_ytd))
        for window, (start, end) in (
            ("ytd", (this_start, period)),
            ("same", (last_start, same_end)),
            ("dec", (december, december)),
        )
    }
    annual = {
        eid: (o, r_)
        for eid, o, r_ in session.execute(
            select(ea.enterprise_id, type_coerce(ea.output, Integer), type_coerce(ea.revenue, Integer)).where(
                _live(ea), ea.year == year - 1
            )
        )
    }
    stmt = (
        select(e.id, e.unit_id, e.credit_code, e.name, e.domain_id, e.industry_id)
        .where(_live(e), e.unit_id.in_(list(units)))
        .order_by(e.created_at, e.id)
    )
    first: dict[str, _Ent] = {}
    merged: list[str] = []
    for eid, unit_id, code, name, domain_id, industry_id in session.execute(stmt):
        measure = measures.get(domain_id, r.OUTPUT)
        field_name = r.MEASURE_FIELD[measure]
        ytd, same = latest[(field_name, "ytd")].get(eid), latest[(field_name, "same")].get(eid)
        last = latest[(field_name, "dec")].get(eid)
        if last is None:
            last = annual.get(eid, (None, None))[0 if field_name == "output" else 1]
        if ytd is None and same is None and last is None:
            continue  # nothing reported for the period's comparisons: not (yet) part of it
        if code in first:  # ordered by entry: the first record of a credit code counts
            merged.append(eid)
            continue
        first[code] = _Ent(
            eid,
            unit_id,
            code,
            name,
            domain_id,
            industry_id,
            ytd,
            same,
            last,
            project(ytd, same, last, month)[0],
            measure,
        )
    return list(first.values()), merged


# ---------------------------------------------------------------------------------------------
# Projects: status as of the period
# ---------------------------------------------------------------------------------------------
def status_as_of(period: str) -> Any:
    """(pid, status): each project's status in its history's latest row up to `period`."""
    ps = m.ProjectStage
    last = (
        select(ps.project_id.label("pid"), func.max(ps.period).label("p"))
        .where(_live(ps), ps.period <= period)
        .group_by(ps.project_id)
        .subquery()
    )
    return (
        select(ps.project_id.label("pid"), ps.status.label("status"))
        .join(last, and_(last.c.pid == ps.project_id, last.c.p == ps.period))
        .where(_live(ps))
        .subquery()
    )


def _projects_as_of(ref: r.Reference, threshold: Decimal, period: str, units: Iterable[int]) -> Select:
    """(project, status as of `period`) of the live 亿元级项目 implemented as of `period`."""
    p = m.Project
    status = status_as_of(period)
    return (
        select(p, status.c.status)
        .join(status, status.c.pid == p.id)
        .where(
            _live(p),
            p.total_investment >= threshold,
            status.c.status.in_(ref.implemented_statuses),
            p.unit_id.in_(list(units)),
        )
    )


def _implemented_by_domain(
    session: Session, ref: r.Reference, threshold: Decimal, period: str, units: Sequence[int]
) -> dict[int, set[str]]:
    sub = _projects_as_of(ref, threshold, period, units).with_only_columns(m.Project.id, m.Project.domain_id).subquery()
    out: dict[int, set[str]] = {}
    for pid, domain_id in session.execute(select(sub.c.id, sub.c.domain_id)):
        out.setdefault(domain_id, set()).add(pid)
    return out


# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------
_department = func.coalesce(m.Problem.department, UNASSIGNED_DEPARTMENT)


def _open_problems(as_of: date, units: Iterable[int]) -> Select:
    """Problems open at the end of `as_of`: raised by then, not solved by then."""
    p = m.Problem
    solved_by_then = and_(p.status == "已解决", or_(p.solved_on.is_(None), p.solved_on <= as_of))
    return select(p).where(_live(p), p.raised_on <= as_of, ~solved_by_then, p.unit_id.in_(list(units)))


def period_end(period: str, today: date) -> date:
    """The day the period's open problems are counted at: its last day, or today if earlier."""
    year, month = periods.parse(period)
    return min(today, date(year, month, calendar.monthrange(year, month)[1]))


def problem_figures(session: Session, as_of: date, units: Sequence[int], limit: int = 10) -> ProblemFigures:
    sub = _open_problems(as_of, units).subquery()
    by_category = {
        k: int(n)
        for k, n in session.execute(
            select(sub.c.category, func.count()).group_by(sub.c.category).order_by(func.count().desc(), sub.c.category)
        )
    }
    department = func.coalesce(sub.c.department, UNASSIGNED_DEPARTMENT)
    by_department = {
        k: int(n)
        for k, n in session.execute(
            select(department, func.count()).group_by(department).order_by(func.count().desc(), department)
        )
    }
    oldest = _problem_rows(session, as_of, units, limit=limit)
    return ProblemFigures(sum(by_category.values()), by_category, by_department, oldest, as_of)


def _problem_rows(
    session: Session,
    as_of: date,
    units: Sequence[int],
    *,
    category: str | None = None,
    department: str | None = None,
    limit: int | None = None,
) -> list[ProblemAge]:
    p = m.Problem
    stmt = _open_problems(as_of, units)
    if category is not None:
        stmt = stmt.where(p.category == category)
    if department is not None:
        stmt = stmt.where(_department == department)
    subject = func.coalesce(m.Enterprise.name, m.Project.name)
    stmt = (
        stmt.with_only_columns(p.id, p.unit_id, subject, p.category, p.department, p.raised_on, p.description)
        .outerjoin(m.Enterprise, m.Enterprise.id == p.enterprise_id)
        .outerjoin(m.Project, m.Project.id == p.project_id)
        .order_by(p.raised_on, p.id)
        .limit(limit)
    )
    return [
        ProblemAge(pid, unit, subject or "", category_, dept, AS_OF_OPEN, raised, (as_of - raised).days, text)
        for pid, unit, subject, category_, dept, raised, text in session.execute(stmt)
    ]


# ---------------------------------------------------------------------------------------------
# Projects and 招商 as of the period
# ---------------------------------------------------------------------------------------------
NO_INDUSTRY_NAME, NO_CHAIN_NAME, NO_SOURCE_NAME = "其他（非目标产业）", "未列入重点产业链", "未填引资来源"


def _project_lines(session: Session, period: str, units: Sequence[int]) -> list[ProjectLine]:
    """The live projects of `units` with a status by `period`, with their figures as of it."""
    year = periods.year_of(period)
    p, st, pm, pa = m.Project, m.ProjectStage, m.ProjectMonthly, m.ProjectAnnual
    in_units = list(units)
    stages: dict[str, list[lc.StageRow]] = {}
    for pid, q, status, reached in session.execute(
        select(st.project_id, st.period, st.status, st.reached_on).where(
            _live(st), st.period <= period, st.unit_id.in_(in_units)
        )
    ):
        stages.setdefault(pid, []).append(lc.StageRow(q, status, reached))
    ytd: dict[str, Decimal | None] = {}
    for pid, _q, value in session.execute(
        select(pm.project_id, pm.period, pm.invest_ytd)
        .where(
            _live(pm),
            pm.unit_id.in_(in_units),
            pm.invest_ytd.is_not(None),
            pm.period >= periods.make(year, 1),
            pm.period <= period,
        )
        .order_by(pm.period)
    ):
        ytd[pid] = value  # the latest of the year wins
    funds: dict[str, Decimal | None] = {}
    for pid, _q, value in session.execute(
        select(pm.project_id, pm.period, pm.funds_cumulative)
        .where(_live(pm), pm.unit_id.in_(in_units), pm.funds_cumulative.is_not(None), pm.period <= period)
        .order_by(pm.period)
    ):
        funds[pid] = value
    plans = dict(
        session.execute(
            select(pa.project_id, pa.plan_investment).where(
                _live(pa), pa.unit_id.in_(in_units), pa.year == year, pa.plan_investment.is_not(None)
            )
        ).all()
    )
    out = []
    for row in session.execute(
        select(
            p.id,
            p.unit_id,
            p.project_code,
            p.name,
            p.domain_id,
            p.industry_id,
            p.chain_id,
            p.total_investment,
            p.signed_on,
            p.contract_investment,
            p.investment_source,
        )
        .where(_live(p), p.unit_id.in_(in_units))
        .order_by(p.unit_id, p.name, p.id)
    ):
        history = lc.history(stages.get(row.id, ()))
        now = lc.status_as_of(history, period)
        if now is None:
            continue  # entered after the period
        out.append(
            ProjectLine(
                row.id,
                row.unit_id,
                row.project_code,
                row.name,
                row.domain_id,
                row.industry_id,
                row.chain_id,
                now.status,
                row.total_investment,
                plans.get(row.id),
                ytd.get(row.id),
                row.signed_on,
                row.contract_investment,
                row.investment_source,
                funds.get(row.id),
                lc.reached(history, lc.STARTED, period),
            )
        )
    return out


def _group(key: object, name: str, lines: Sequence[ProjectLine], threshold: Decimal) -> ProjectGroup:
    return ProjectGroup(
        key,
        name,
        len(lines),
        sum(1 for x in lines if x.total_investment >= threshold),
        sum((x.total_investment for x in lines), ZERO),
        sum((x.year_plan or ZERO for x in lines), ZERO),
        sum((x.invest_ytd or ZERO for x in lines), ZERO),
    )


def _groups(
    lines: Sequence[ProjectLine], threshold: Decimal, attribute: str, keys: Sequence[tuple[object, str]]
) -> list[ProjectGroup]:
    """A group per key, in the order given (every key, even with no project)."""
    by_key: dict[object, list[ProjectLine]] = {}
    for x in lines:
        by_key.setdefault(getattr(x, attribute), []).append(x)
    return [_group(key, name, by_key.get(key, []), threshold) for key, name in keys]


def _project_figures(
    session: Session, ref: r.Reference, period: str, units: Sequence[int], lines: Sequence[ProjectLine]
) -> ProjectFigures:
    threshold = ref.thresholds["hundred_million_project"]
    stages = [(s, s) for s in (*r.PROJECT_STAGES, *r.PROJECT_HALTS)]
    year, month = periods.parse(period)
    return ProjectFigures(
        by_stage=_groups(lines, threshold, "status", stages),
        by_domain=_groups(lines, threshold, "domain_id", [(d.id, d.name) for d in ref.domains]),
        by_industry=_groups(
            lines, threshold, "industry_id", [*((i.id, i.name) for i in ref.industries), (None, NO_INDUSTRY_NAME)]
        ),
        by_chain=_groups(lines, threshold, "chain_id", [*((c.id, c.name) for c in ref.chains), (None, NO_CHAIN_NAME)]),
        by_unit=_groups(lines, threshold, "unit_id", [(u.id, u.name) for u in ref.units if u.id in units]),
        total=_group(None, "合计", lines, threshold),
        started_this_period=sum(
            1 for x in lines if x.started_on is not None and (x.started_on.year, x.started_on.month) == (year, month)
        ),
        warnings=project_warnings.warnings_in(session, period, units=units, ref=ref),
    )


def _investment_figures(
    session: Session, ref: r.Reference, period: str, units: Sequence[int], lines: Sequence[ProjectLine]
) -> InvestmentFigures:
    year, month = periods.parse(period)
    end = date(year, month, calendar.monthrange(year, month)[1])
    n = ref.parameter("fulfil_months")
    signed = [x for x in lines if x.signed_on is not None and x.signed_on <= end]

    def due_or_started(x: ProjectLine) -> bool:
        assert x.signed_on is not None
        return x.started_on is not None or lc.months_between(lc.month_of(x.signed_on), period) >= n

    def kept(x: ProjectLine) -> bool:
        assert x.signed_on is not None
        return x.started_on is not None and lc.months_between(lc.month_of(x.signed_on), lc.month_of(x.started_on)) <= n

    pm = m.ProjectMonthly
    funds_year: dict[str, int] = dict(
        session.execute(
            select(pm.project_id, type_coerce(func.sum(type_coerce(pm.funds_month, Integer)), Integer))
            .where(
                _live(pm),
                pm.unit_id.in_(list(units)),
                pm.funds_month.is_not(None),
                pm.period >= periods.make(year, 1),
                pm.period <= period,
            )
            .group_by(pm.project_id)
        ).all()
    )
    build_first = set(
        session.scalars(
            select(m.Project.id).where(
                _live(m.Project), m.Project.unit_id.in_(list(units)), m.Project.build_first.is_(True)
            )
        )
    )
    sources = [*ref.options.get("investment_source", ()), None]
    by_source = []
    for source in sources:
        group = [x for x in signed if x.investment_source == source]
        if source is None and not group:
            continue
        by_source.append(
            SourceGroup(
                source or NO_SOURCE_NAME,
                len(group),
                sum((x.contract or ZERO for x in group), ZERO),
                sum(1 for x in group if x.started_on is not None),
                sum((x.funds or ZERO for x in group), ZERO),
            )
        )
    this_year = [x for x in signed if x.signed_on is not None and x.signed_on.year == year]
    return InvestmentFigures(
        signed_this_year=len(this_year),
        contract_this_year=sum((x.contract or ZERO for x in this_year), ZERO),
        signed=len(signed),
        contract=sum((x.contract or ZERO for x in signed), ZERO),
        started=sum(1 for x in signed if x.started_on is not None),
        due=sum(1 for x in signed if due_or_started(x)),
        kept=sum(1 for x in signed if kept(x)),
        fulfil_months=n,
        funds_this_year=money.from_units(sum(funds_year.get(x.project_id, 0) for x in signed)),
        funds=sum((x.funds or ZERO for x in signed), ZERO),
        build_first=sum(1 for x in lines if x.project_id in build_first),
        by_source=by_source,
    )


# ---------------------------------------------------------------------------------------------
# Targets: each falls back on its own
# ---------------------------------------------------------------------------------------------
Scope = tuple[str, int | None, int | None]  # (metric, domain id, industry id)


def _targets(session: Session, year: int) -> dict[Scope, tuple[Decimal, int]]:
    """Every target scope → (value, the year it was set for): year's, else the latest earlier
    year's, else the earliest later year's."""
    by_scope: dict[Scope, dict[int, Decimal]] = {}
    for t in session.scalars(select(m.Target)):
        by_scope.setdefault((t.metric, t.domain_id, t.industry_id), {})[t.year] = t.value
    out: dict[Scope, tuple[Decimal, int]] = {}
    for scope, years in by_scope.items():
        earlier = [y for y in years if y <= year]
        chosen = max(earlier) if earlier else min(years)
        out[scope] = (years[chosen], chosen)
    return out


# ---------------------------------------------------------------------------------------------
# The figures
# ---------------------------------------------------------------------------------------------
def _official(session: Session, *wanted: str) -> dict[tuple[int, str], int]:
    it = m.IndustryTotal
    return {
        (i, p): v
        for i, p, v in session.execute(
            select(it.industry_id, it.period, type_coerce(it.value, Integer)).where(it.period.in_(wanted))
        )
    }


def _basis(
    session: Session, ref: r.Reference, period: str, counted: Counted, merged: int, as_of: date, official: Sequence[str]
) -> Basis:
    pending = (
        session.scalar(
            select(func.count(func.distinct(m.DuplicateFlag.credit_code))).where(m.DuplicateFlag.resolved_at.is_(None))
        )
        or 0
    )
    return Basis(
        period=period,
        include_pending=counted.include_pending,
        reference_version=ref.version,
        measures=tuple((d.id, d.name, d.measure_label) for d in ref.domains),
        headline=headline_basis(period),
        counted=counted,
        unit_names={u.id: u.name for u in ref.all_units()},
        duplicates_pending=int(pending),
        duplicates_merged=merged,
        problems_as_of=as_of,
        official_industries=tuple(official),
    )


def figures_in(
    session: Session,
    period: str,
    *,
    unit_id: int | None = None,
    today: date | None = None,
    include_pending: bool = False,
) -> Figures:
    ref = load(session)
    year, month = periods.parse(period)
    counted = counted_units(session, period, include_pending=include_pending, unit_id=unit_id)
    units = counted.units
    targets = _targets(session, year)
    th = ref.thresholds
    big = _units(th["billion_enterprise"])
    measures = {d.id: d.measure for d in ref.domains}
    ents, merged = _enterprise_values(session, period, units, measures)
    headline = headline_basis(period)

    # industries ------------------------------------------------------------------------------
    sums: dict[int, list[int | None]] = {}  # industry → [ytd, same, last]; None: nobody reported it
    members: dict[int, int] = {}
    for x in ents:
        if x.industry_id is None:
            continue
        total = sums.setdefault(x.industry_id, [None, None, None])
        for k, value in enumerate((x.ytd, x.same, x.last)):
            if value is not None:
                total[k] = (total[k] or 0) + value
        members[x.industry_id] = members.get(x.industry_id, 0) + 1
    same_period, december = _same_period_last_year(period), periods.make(year - 1, 12)
    official = _official(session, period, same_period, december)
    industries: list[IndustryFigures] = []
    for i in ref.industries:
        ytd, same, last = sums.get(i.id, [None, None, None])
        off_ytd, off_same, off_last = (official.get((i.id, p)) for p in (period, same_period, december))
        if off_ytd is not None and off_same is not None and off_last is not None:
            projected = project(off_ytd, off_same, off_last, month)[0]
        else:
            projected = project(ytd, same, last, month)[0]
        goal = targets.get((r.INDUSTRY_OUTPUT, i.domain_id, i.id))
        industries.append(
            IndustryFigures(
                i.id,
                i.name,
                i.domain_id,
                members.get(i.id, 0),
                money.from_units(ytd or 0),
                money.from_units(same or 0),
                money.from_units(last or 0),
                goal[0] if goal else None,
                measures.get(i.domain_id, r.OUTPUT),
                _money(projected),
                _money(off_ytd),
                _money(off_same),
                _money(off_last),
                goal[1] if goal else None,
            )
        )

    # projects --------------------------------------------------------------------------------
    threshold = th["hundred_million_project"]
    now = _implemented_by_domain(session, ref, threshold, period, units)
    before = _implemented_by_domain(session, ref, threshold, periods.previous(period), units)
    end_of_last_year = _implemented_by_domain(session, ref, threshold, december, units)

    def industries_over(basis: str, domain_id: int | None) -> int:
        return sum(
            1
            for i in industries
            if (domain_id is None or i.domain_id == domain_id)
            and (i.value(basis) or ZERO) >= th["hundred_billion_industry"]
        )

    def enterprises_over(basis: str, domain_id: int | None) -> int:
        return sum(1 for x in ents if (domain_id is None or x.domain_id == domain_id) and (x.value(basis) or 0) >= big)

    def target(metric: str, domain_id: int | None) -> tuple[Decimal | None, int | None]:
        found = targets.get((metric, domain_id, None))
        return (found[0].quantize(Decimal(1)), found[1]) if found else (None, None)  # a count

    def projects_in(found: Mapping[int, set[str]], domain_id: int | None) -> set[str]:
        return set().union(*found.values()) if domain_id is None else found.get(domain_id, set())

    def progress_for(domain_id: int | None) -> dict[str, Progress]:
        out: dict[str, Progress] = {}
        for metric, over in (
            (r.HUNDRED_BILLION_INDUSTRIES, industries_over),
            (r.BILLION_ENTERPRISES, enterprises_over),
        ):
            value, target_year = target(metric, domain_id)
            out[metric] = Progress(
                metric,
                over(headline, domain_id),
                value,
                over(LAST_YEAR, domain_id),
                over(YEAR_TO_DATE, domain_id),
                over(PROJECTED, domain_id),
                target_year,
            )
        current = projects_in(now, domain_id)
        value, target_year = target(r.HUNDRED_MILLION_PROJECTS, domain_id)
        out[r.HUNDRED_MILLION_PROJECTS] = Progress(
            r.HUNDRED_MILLION_PROJECTS,
            len(current),
            value,
            len(projects_in(end_of_last_year, domain_id)),
            target_year=target_year,
            new_this_period=len(current - projects_in(before, domain_id)),
        )
        return out

    as_of = period_end(period, today or date.today())
    used_official = [i.name for i in industries if i.official_to_date is not None]
    lines = _project_lines(session, period, units)
    return Figures(
        period=period,
        target_year=year,
        headline=progress_for(None),
        domains=[DomainFigures(d.id, d.name, d.lead_departments, progress_for(d.id), d.measure) for d in ref.domains],
        industries=industries,
        problems=problem_figures(session, as_of, units),
        thresholds=dict(th),
        implemented_statuses=ref.implemented_statuses,
        basis=_basis(session, ref, period, counted, len(merged), as_of, used_official),
        duplicate_ids=tuple(merged),
        projects=_project_figures(session, ref, period, units, lines),
        investment=_investment_figures(session, ref, period, units, lines),
    )


def programme_figures(
    db: Database, period: str, *, unit_id: int | None = None, today: date | None = None, include_pending: bool = False
) -> Figures:
    """All figures for `period`, for one unit or (unit_id None) the whole county; published
    figures count accepted data only (`include_pending` adds what awaits review)."""
    periods.parse(period)
    with db.read() as s:
        return figures_in(s, period, unit_id=unit_id, today=today, include_pending=include_pending)


# ---------------------------------------------------------------------------------------------
# Monthly trend
# ---------------------------------------------------------------------------------------------
def _monthly_to_date(
    session: Session,
    year: int,
    last_month: int,
    units: Sequence[int],
    measures: Mapping[int, str],
    left_out: Sequence[str],
) -> dict[int, list[Decimal | None]]:
    """Per target industry, the sum of its enterprises' year-to-date figure (in the industry's
    measure) at the end of each month 1..last_month of `year` — the same carry-forward as the
    figures, for every month at once.

    Each report counts its increase over the enterprise's previous report of the year (LAG), so
    the running total of the increases up to month M is the sum of the latest cumulatives up to
    M. SQL sums the increases per industry and month; the twelve running totals are added here."""
    em, e = m.EnterpriseMonthly, m.Enterprise
    added: dict[int, dict[int, int]] = {}
    for field_name in sorted({r.MEASURE_FIELD[v] for v in measures.values()} | {"output"}):
        column = em.output_ytd if field_name == "output" else em.revenue_ytd
        domains = [d for d, v in measures.items() if r.MEASURE_FIELD[v] == field_name]
        previous = func.lag(column).over(partition_by=em.enterprise_id, order_by=em.period)
        increases = (
            select(
                em.enterprise_id.label("enterprise_id"),
                cast(func.substr(em.period, 6, 2), Integer).label("month"),
                type_coerce(
                    type_coerce(column, Integer) - func.coalesce(type_coerce(previous, Integer), 0), Integer
                ).label("increase"),
            )
            .where(
                _live(em),
                column.is_not(None),
                em.period >= periods.make(year, 1),
                em.period <= periods.make(year, last_month),
            )
            .subquery()
        )
        stmt = (
            select(e.industry_id, increases.c.month, func.sum(increases.c.increase))
            .join(e, e.id == increases.c.enterprise_id)
            .where(
                _live(e),
                e.industry_id.is_not(None),
                e.unit_id.in_(list(units)),
                e.domain_id.in_(domains),
                e.id.not_in(list(left_out)),
            )
            .group_by(e.industry_id, increases.c.month)
        )
        for industry_id, month, increase in session.execute(stmt):
            added.setdefault(industry_id, {})[month] = int(increase or 0)
    series: dict[int, list[Decimal | None]] = {}
    for industry_id, by_month in added.items():
        first = min(by_month)
        totals = accumulate(by_month.get(k, 0) for k in range(first, last_month + 1))
        series[industry_id] = [None] * (first - 1) + [money.from_units(t) for t in totals]
    return series


def trend_in(
    session: Session,
    period: str,
    unit_id: int | None = None,
    *,
    include_pending: bool = False,
    figures: Figures | None = None,
) -> Trend:
    """The trend of the enterprises `figures` count (computed here when not given)."""
    year, month = periods.parse(period)
    ref = load(session)
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    measures = {d.id: d.measure for d in ref.domains}
    left_out = figures.duplicate_ids if figures is not None else _enterprise_values(session, period, units, measures)[1]
    return Trend(
        period,
        _monthly_to_date(session, year, month, units, measures, left_out),
        _monthly_to_date(session, year - 1, 12, units, measures, left_out),
    )


def industry_trend(db: Database, period: str, *, unit_id: int | None = None, include_pending: bool = False) -> Trend:
    with db.read() as s:
        return trend_in(s, period, unit_id, include_pending=include_pending)


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
    return TrendLine(
        total(trend.this_year, periods.parse(trend.period)[1]),
        total(trend.last_year, 12),
        sum(targets, ZERO) if targets else None,
    )


# ---------------------------------------------------------------------------------------------
# Drill-down: the records behind each number
# ---------------------------------------------------------------------------------------------
def _counted_enterprises(session: Session, period: str, unit_id: int | None, include_pending: bool) -> list[_Ent]:
    ref = load(session)
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    return _enterprise_values(session, period, units, {d.id: d.measure for d in ref.domains})[0]


def _sorted_rows(ents: Iterable[_Ent], basis: str = YEAR_TO_DATE) -> list[EnterpriseRow]:
    return [
        x.row() for x in sorted(ents, key=lambda x: (x.value(basis) is None, -(x.value(basis) or 0), x.unit_id, x.name))
    ]


def output_total(rows: Iterable[EnterpriseRow]) -> Decimal:
    """The enterprises' output to date together (not reported counts as nothing)."""
    return sum((x.output_to_date or ZERO for x in rows), ZERO)


def investment_total(rows: Iterable[ProjectRow]) -> Decimal:
    return sum((x.total_investment for x in rows), ZERO)


def industry_enterprises(
    session: Session, period: str, industry_id: int, *, unit_id: int | None = None, include_pending: bool = False
) -> list[EnterpriseRow]:
    """The counted enterprises of a target industry (IndustryFigures.enterprises; their values
    sum to the industry's registered figures)."""
    return _sorted_rows(
        x for x in _counted_enterprises(session, period, unit_id, include_pending) if x.industry_id == industry_id
    )


def billion_enterprises(
    session: Session,
    period: str,
    *,
    basis: str | None = None,
    domain_id: int | None = None,
    unit_id: int | None = None,
    include_pending: bool = False,
) -> list[EnterpriseRow]:
    """The 十亿级企业 counted on `basis` (default: the headline's), optionally of one domain."""
    basis = basis or headline_basis(period)
    threshold = _units(load(session).thresholds["billion_enterprise"])
    return _sorted_rows(
        (
            x
            for x in _counted_enterprises(session, period, unit_id, include_pending)
            if (domain_id is None or x.domain_id == domain_id) and (x.value(basis) or 0) >= threshold
        ),
        basis,
    )


def hundred_billion_industries(
    figures: Figures, *, basis: str | None = None, domain_id: int | None = None
) -> list[IndustryFigures]:
    """The target industries counted as 百亿级产业 on `basis` (default: the headline's)."""
    basis = basis or figures.headline_basis
    threshold = figures.thresholds["hundred_billion_industry"]
    return [
        i
        for i in figures.industries
        if (domain_id is None or i.domain_id == domain_id) and (i.value(basis) or ZERO) >= threshold
    ]


def implemented_projects(
    session: Session,
    period: str,
    *,
    domain_id: int | None = None,
    unit_id: int | None = None,
    include_pending: bool = False,
) -> list[ProjectRow]:
    """The 亿元级项目 implemented as of `period`, optionally of one domain."""
    ref = load(session)
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    stmt = _projects_as_of(ref, ref.thresholds["hundred_million_project"], period, units)
    if domain_id is not None:
        stmt = stmt.where(m.Project.domain_id == domain_id)
    stmt = stmt.order_by(m.Project.total_investment.desc(), m.Project.name)
    return [
        ProjectRow(p.id, p.unit_id, p.project_code, p.name, p.domain_id, p.industry_id, p.total_investment, status)
        for p, status in session.execute(stmt)
    ]


def open_problems(
    session: Session,
    period: str,
    as_of: date,
    *,
    category: str | None = None,
    department: str | None = None,
    unit_id: int | None = None,
    limit: int | None = None,
    include_pending: bool = False,
) -> list[ProblemAge]:
    """Problems open at `as_of` (the end of `period`, or today), oldest first, optionally of one
    category or department (UNASSIGNED_DEPARTMENT for those without one)."""
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    return _problem_rows(session, as_of, units, category=category, department=department, limit=limit)


@dataclass(frozen=True)
class DrillKey:
    """Which number to list the records of (see `records_behind`)."""

    kind: str  # BILLION_ENTERPRISES, INDUSTRY_ENTERPRISES, IMPLEMENTED_PROJECTS or OPEN_PROBLEMS
    domain_id: int | None = None
    industry_id: int | None = None
    basis: str | None = None  # None: the headline's
    category: str | None = None
    department: str | None = None
    group: str | None = None  # PROJECTS: stage / domain_id / industry_id / chain_id / unit_id; None: all
    value: object = None  # the group's key (PROJECTS), 引资来源 name (SIGNED_PROJECTS), rule (PROJECT_WARNINGS)


def project_lines(
    session: Session,
    period: str,
    *,
    group: str | None = None,
    value: object = None,
    signed: bool = False,
    unit_id: int | None = None,
    include_pending: bool = False,
) -> list[ProjectLine]:
    """The projects behind a 项目推进 number (all, or those whose `group` attribute — status,
    domain_id, industry_id, chain_id, unit_id — is `value`), or with `signed` behind a 招商 number
    (`value`: a 引资来源, NO_SOURCE_NAME, or None for all signed by the end of the period)."""
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    lines = _project_lines(session, period, units)
    if signed:
        year, month = periods.parse(period)
        end = date(year, month, calendar.monthrange(year, month)[1])
        lines = [x for x in lines if x.signed_on is not None and x.signed_on <= end]
        if value is not None:
            lines = [x for x in lines if (x.investment_source or NO_SOURCE_NAME) == value]
    elif group is not None:
        lines = [x for x in lines if getattr(x, "status" if group == "stage" else group) == value]
    return sorted(lines, key=lambda x: (-x.total_investment, x.name))


def warnings_behind(
    session: Session, period: str, *, rule: str | None = None, unit_id: int | None = None, include_pending: bool = False
) -> list[pw.ProjectWarning]:
    """The warnings counted, of one rule or all."""
    units = counted_units(session, period, include_pending=include_pending, unit_id=unit_id).units
    found = project_warnings.warnings_in(session, period, units=units)
    return [w for w in found if rule is None or w.rule == rule]


BILLION_ENTERPRISES, INDUSTRY_ENTERPRISES = "billion_enterprises", "industry_enterprises"
IMPLEMENTED_PROJECTS, OPEN_PROBLEMS = "implemented_projects", "open_problems"
PROJECTS, SIGNED_PROJECTS, PROJECT_WARNINGS = "projects", "signed_projects", "project_warnings"


def records_behind(
    db: Database, period: str, key: DrillKey, *, today: date | None = None, include_pending: bool = False
) -> list[object]:
    """The records a dashboard number counts, for the window that lists them. (百亿级产业 are
    listed from the figures themselves: `hundred_billion_industries`.)"""
    periods.parse(period)
    pending = include_pending
    with db.read() as s:
        if key.kind == BILLION_ENTERPRISES:
            return list(
                billion_enterprises(s, period, basis=key.basis, domain_id=key.domain_id, include_pending=pending)
            )
        if key.kind == INDUSTRY_ENTERPRISES and key.industry_id is not None:
            return list(industry_enterprises(s, period, key.industry_id, include_pending=pending))
        if key.kind == IMPLEMENTED_PROJECTS:
            return list(implemented_projects(s, period, domain_id=key.domain_id, include_pending=pending))
        if key.kind == PROJECTS:
            return list(project_lines(s, period, group=key.group, value=key.value, include_pending=pending))
        if key.kind == SIGNED_PROJECTS:
            return list(project_lines(s, period, signed=True, value=key.value, include_pending=pending))
        if key.kind == PROJECT_WARNINGS:
            return list(
                warnings_behind(
                    s, period, rule=key.value if isinstance(key.value, str) else None, include_pending=pending
                )
            )
        if key.kind == OPEN_PROBLEMS:
            as_of = period_end(period, today or date.today())
            return list(
                open_problems(
                    s, period, as_of, category=key.category, department=key.department, include_pending=pending
                )
            )
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
    when its due date has passed and the unit has not sent (or must resend) it. A period before
    the unit's 启用期 is 未启用: never overdue."""
    today = today or date.today()
    shown = periods.span(period, STATUS_MONTHS)
    with db.read() as s:
        ref = load(s)
        due_day = due_day_in(s)
        status = status_in(s, shown)
    units = [(u.id, u.name) for u in ref.units]
    overdue = {
        (u, p)
        for u, _ in units
        for p in shown
        if status.get((u, p), NOT_FILLED) in OUTSTANDING and today > due_date(p, due_day)
    }
    from hengdong_desktop.services.packages.review import queue_counts  # signatures: loaded on first use

    conflicts, duplicates = queue_counts(db)
    return ReportingStatus(shown, units, status, overdue, due_day, conflicts, duplicates)


def dashboard(db: Database, period: str, *, today: date | None = None, include_pending: bool = False) -> Dashboard:
    """Everything the county 驾驶舱 shows for `period` (the refresh the benchmark measures): the
    figures and the trend from one read transaction, then the reporting status."""
    periods.parse(period)
    with db.read() as s:
        figures = figures_in(s, period, today=today, include_pending=include_pending)
        trend = trend_in(s, period, include_pending=include_pending, figures=figures)
    return Dashboard(figures, trend, reporting_status(db, period, today=today))
