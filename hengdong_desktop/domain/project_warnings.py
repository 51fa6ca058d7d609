"""The plan's three ways a project fails, as rules over a project's data as of a period, with the
numbers the county tunes (domain/reference.PROJECT_PARAMETERS):

- 包而不推 (stalled): 开工 or 在建 as of P, and neither investment (本月完成投资 > 0) nor a change of
  stage for `stall_months` months: the months since the last of either ≥ N.
- 推而不快 (slow), either of:
  · 开工 or 在建, with a plan for the year, and 本年累计完成投资 below `slow_percent` % of the plan
    spread evenly over the months so far (plan × M / 12): ytd × 12 × 100 < plan × M × X;
  · still 储备, 前期 or 签约 more than `start_grace_months` months after its 计划开工年月.
- 快而不优 (underperforming): 投产 or 达效 for at least `underperform_months` months (counted from
  the month it reached 投产), and 投产后1-本月累计产值 or 税收 below `underperform_percent` % of the
  filed 达产后年产值 / 年税收 spread over the months of the year it has been producing
  (k = min(M, months since 投产)): actual × 12 × 100 < expected × k × Y.

A figure not reported counts as nothing done (a month with no 本月完成投资 is a month without
investment). A warning has stood since the first period of the unbroken run of periods, ending at
P, in which its rule held (looked for back to STANDING_LIMIT months). Pure functions: the
figures, the editor, the readiness panel, the 汇总表 and the 通报 all read `evaluate`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import money, periods

STALLED, SLOW, UNDERPERFORMING = "包而不推", "推而不快", "快而不优"
RULES = (STALLED, SLOW, UNDERPERFORMING)
RULE_IDS = {STALLED: "stalled", SLOW: "slow", UNDERPERFORMING: "underperforming"}
STANDING_LIMIT = 60


@dataclass(frozen=True)
class Month:
    """A project's figures of one period (None: not reported)."""

    invest_month: Decimal | None = None
    invest_ytd: Decimal | None = None
    output_ytd: Decimal | None = None
    tax_ytd: Decimal | None = None


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules read of one project."""

    project_id: str
    unit_id: int
    name: str
    stages: tuple[lc.StageRow, ...]  # in period order
    months: Mapping[str, Month] = field(default_factory=dict)
    plans: Mapping[int, Decimal | None] = field(default_factory=dict)  # year → 年度计划投资
    planned_start: str | None = None
    expected_output: Decimal | None = None
    expected_tax: Decimal | None = None


@dataclass(frozen=True)
class Parameters:
    stall_months: int = 3
    slow_percent: int = 60
    start_grace_months: int = 0
    underperform_months: int = 6
    underperform_percent: int = 100

    @classmethod
    def of(cls, values: Mapping[str, int]) -> Parameters:
        return cls(**{k: int(v) for k, v in values.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class ProjectWarning:
    """One rule holding for one project at a period: which rule (and which of its checks), the
    numbers in words and as data, and since when it has stood."""

    rule: str  # STALLED / SLOW / UNDERPERFORMING
    check: str  # stalled / slow_investment / late_start / low_output / low_tax
    project_id: str
    unit_id: int
    name: str
    period: str
    message: str
    numbers: dict[str, Any]
    since: str = ""
    months: int = 1  # periods it has stood, `since` to `period` inclusive

    @property
    def standing(self) -> str:
        return f"自{self.since}起已持续{self.months}个月"

    def describe(self) -> str:
        return f"【{self.rule}】{self.name}：{self.message}（{self.standing}）"


def _fmt(value: Decimal) -> str:
    return money.fmt(value)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1")) if whole else Decimal(0)


def _latest(facts: ProjectFacts, name: str, period: str) -> Decimal | None:
    """The latest reported value of a year-to-date figure in `period`'s year, up to `period`."""
    year = periods.year_of(period)
    for q in sorted((q for q in facts.months if periods.year_of(q) == year and q <= period), reverse=True):
        value = getattr(facts.months[q], name)
        if value is not None:
            return value  # type: ignore[no-any-return]
    return None


# ---------------------------------------------------------------------------------------------
# The checks, each at one period
# ---------------------------------------------------------------------------------------------
def _stalled(f: ProjectFacts, p: Parameters, period: str) -> ProjectWarning | None:
    now = lc.status_as_of(f.stages, period)
    if now is None or now.status not in lc.UNDER_CONSTRUCTION:
        return None
    invested = [q for q, mo in f.months.items() if q <= period and mo.invest_month is not None and mo.invest_month > 0]
    last_invest = max(invested) if invested else None
    change = lc.last_change(f.stages, period)
    assert change is not None  # `now` exists
    last = max(x for x in (last_invest, change.period) if x is not None)
    idle = lc.months_between(last, period)
    if idle < p.stall_months:
        return None
    message = (
        f"{now.status}已连续{idle}个月无完成投资、无状态进展（最近一次完成投资："
        f"{last_invest or '无'}；最近一次状态变化：{change.period}{change.status}；阈值{p.stall_months}个月）"
    )
    return ProjectWarning(
        STALLED,
        "stalled",
        f.project_id,
        f.unit_id,
        f.name,
        period,
        message,
        {
            "status": now.status,
            "idle_months": idle,
            "last_investment": last_invest,
            "last_change": change.period,
            "threshold_months": p.stall_months,
        },
    )


def _slow_investment(f: ProjectFacts, p: Parameters, period: str) -> ProjectWarning | None:
    year, month = periods.parse(period)
    plan = f.plans.get(year)
    now = lc.status_as_of(f.stages, period)
    if not plan or plan <= 0 or now is None or now.status not in lc.UNDER_CONSTRUCTION:
        return None
    ytd = _latest(f, "invest_ytd", period) or Decimal(0)
    if ytd * 12 * 100 >= plan * month * p.slow_percent:
        return None
    expected = (plan * month / 12).quantize(money.QUANTUM)
    ratio = _percent(ytd * 12, plan * month)
    message = (
        f"本年累计完成投资{_fmt(ytd)}万元，为年度计划{_fmt(plan)}万元按{month}个月均摊"
        f"（{_fmt(expected)}万元）的{ratio}%，低于{p.slow_percent}%"
    )
    return ProjectWarning(
        SLOW,
        "slow_investment",
        f.project_id,
        f.unit_id,
        f.name,
        period,
        message,
        {
            "invest_ytd": ytd,
            "year_plan": plan,
            "expected_to_date": expected,
            "percent": ratio,
            "threshold_percent": p.slow_percent,
        },
    )


def _late_start(f: ProjectFacts, p: Parameters, period: str) -> ProjectWarning | None:
    now = lc.status_as_of(f.stages, period)
    if (
        f.planned_start is None
        or not periods.is_period(f.planned_start)
        or now is None
        or now.status not in lc.BEFORE_START
    ):
        return None
    late = lc.months_between(f.planned_start, period)
    if late <= p.start_grace_months:
        return None
    message = f"计划{f.planned_start}开工，截至{period}仍为“{now.status}”，已逾期{late}个月" + (
        f"（宽限{p.start_grace_months}个月）" if p.start_grace_months else ""
    )
    return ProjectWarning(
        SLOW,
        "late_start",
        f.project_id,
        f.unit_id,
        f.name,
        period,
        message,
        {
            "planned_start": f.planned_start,
            "status": now.status,
            "late_months": late,
            "grace_months": p.start_grace_months,
        },
    )


def _underperforming(f: ProjectFacts, p: Parameters, period: str, check: str) -> ProjectWarning | None:
    now = lc.status_as_of(f.stages, period)
    if now is None or now.status not in lc.IN_PRODUCTION:
        return None
    expected = f.expected_output if check == "low_output" else f.expected_tax
    if not expected or expected <= 0:
        return None
    since_day = lc.reached(f.stages, lc.PRODUCING, period)
    assert since_day is not None  # 投产 or later as of the period
    producing = lc.months_between(lc.month_of(since_day), period)
    if producing < p.underperform_months:
        return None
    k = min(periods.month_of(period), producing)
    actual = _latest(f, "output_ytd" if check == "low_output" else "tax_ytd", period) or Decimal(0)
    if actual * 12 * 100 >= expected * k * p.underperform_percent:
        return None
    what = "产值" if check == "low_output" else "税收"
    due = (expected * k / 12).quantize(money.QUANTUM)
    ratio = _percent(actual * 12, expected * k)
    message = (
        f"{lc.month_of(since_day)}投产，已{producing}个月；本年累计{what}{_fmt(actual)}万元，为达产后年{what}"
        f"{_fmt(expected)}万元按{k}个月均摊（{_fmt(due)}万元）的{ratio}%，低于{p.underperform_percent}%"
    )
    return ProjectWarning(
        UNDERPERFORMING,
        check,
        f.project_id,
        f.unit_id,
        f.name,
        period,
        message,
        {
            "production_month": lc.month_of(since_day),
            "months_producing": producing,
            "actual_ytd": actual,
            "expected_annual": expected,
            "expected_to_date": due,
            "percent": ratio,
            "threshold_percent": p.underperform_percent,
            "threshold_months": p.underperform_months,
        },
    )


_CHECKS = (
    ("stalled", _stalled),
    ("slow_investment", _slow_investment),
    ("late_start", _late_start),
    ("low_output", lambda f, p, q: _underperforming(f, p, q, "low_output")),
    ("low_tax", lambda f, p, q: _underperforming(f, p, q, "low_tax")),
)


def evaluate(facts: ProjectFacts, parameters: Parameters, period: str) -> list[ProjectWarning]:
    """Every warning that holds for the project at `period`, each with how long it has stood."""
    out = []
    for _name, check in _CHECKS:
        found = check(facts, parameters, period)
        if found is None:
            continue
        since, months = period, 1
        while months < STANDING_LIMIT and check(facts, parameters, periods.previous(since)) is not None:
            since, months = periods.previous(since), months + 1
        out.append(replace(found, since=since, months=months))
    return out


def evaluate_all(projects: Sequence[ProjectFacts], parameters: Parameters, period: str) -> list[ProjectWarning]:
    """The warnings of many projects, by rule, then longest-standing first."""
    found = [w for f in projects for w in evaluate(f, parameters, period)]
    return sorted(found, key=lambda w: (RULES.index(w.rule), -w.months, w.name, w.check))
