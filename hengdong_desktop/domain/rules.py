"""The rule engine (审核): one declared table of rules serves forms, Excel import and county import.

A rule is data: an id, the entity and fields it concerns, a severity and a Chinese message
template; its `violated` predicate returns None when the record passes, or the values that fill
the message. Severities follow the national statistics direct-reporting platform."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from hengdong_desktop.domain import credit_code, money, periods
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS

if TYPE_CHECKING:
    from hengdong_desktop.domain.reference import Reference


class Severity(Enum):
    MANDATORY = "强制性"  # blocks saving and export
    QUASI = "准强制性"  # needs an explanation
    VERIFY = "核实性"  # needs an explanation of at least 6 characters
    HINT = "提示性"  # a hint only

    @property
    def blocks(self) -> bool:
        return self is Severity.MANDATORY

    @property
    def needs_explanation(self) -> bool:
        return self in (Severity.QUASI, Severity.VERIFY)

    @property
    def min_explanation(self) -> int:
        return {Severity.QUASI: 1, Severity.VERIFY: 6}.get(self, 0)

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


def explanation_ok(severity: Severity, text: str | None) -> bool:
    """Whether `text` is enough of an explanation for a finding of this severity."""
    if not severity.needs_explanation:
        return True
    return len((text or "").strip()) >= severity.min_explanation


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: Severity
    entity: str
    fields: tuple[str, ...]
    message: str
    record_id: str | None = None
    period: str | None = None
    subject: str | None = None  # what the clerk calls the record: an enterprise or project name

    @property
    def key(self) -> tuple[str, str | None]:
        """What an explanation is attached to: this rule on this record."""
        return (self.rule_id, self.record_id)

    def describe(self) -> str:
        where = f"{self.subject}：" if self.subject else ""
        when = f"（{self.period}）" if self.period else ""
        return f"[{self.severity.value}] {where}{self.message}{when}"


_NOTHING: Mapping[str, Any] = {}


class RuleInput:
    """A record plus what its checks compare with: last month's figures, the parent record.

    Built once per checked record, so that what several rules derive from it (last month in the
    same year, whether this is January) is worked out once: the rules run over every record of
    every merged package. `get`, `prev` and `prev_any_year` are plain dict lookups."""

    __slots__ = (
        "record",
        "previous",
        "parent",
        "industry_domains",
        "today",
        "is_january",
        "get",
        "prev",
        "prev_any_year",
    )

    def __init__(
        self,
        record: Mapping[str, Any],
        previous: Mapping[str, Any] | None = None,
        parent: Mapping[str, Any] | None = None,
        industry_domains: Mapping[int, int] | None = None,
        today: date | None = None,
    ) -> None:
        self.record = record
        self.previous = previous
        self.parent = parent
        self.industry_domains = industry_domains or {}
        self.today = today
        period: str | None = record.get("period")
        self.is_january = bool(period) and periods.month_of(period) == 1  # type: ignore[arg-type]
        same_year = None
        if previous and period and periods.year_of(previous["period"]) == periods.year_of(period):
            same_year = previous
        self.get = record.get  # this record's value of a field
        self.prev = (same_year or _NOTHING).get  # last month's value, within the same year only
        self.prev_any_year = (previous or _NOTHING).get  # last month's value, across a new year


Check = Callable[[RuleInput], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Rule:
    id: str
    entity: str
    severity: Severity
    fields: tuple[str, ...]
    message: str
    violated: Check = field(repr=False)


def _fmt(v: Decimal) -> str:
    return f"{v:,.2f}"


def _pair(a: Decimal, b: Decimal) -> tuple[str, str]:
    """Two values a message compares, with enough decimals to show why (money.fmt_distinct)."""
    x, y = money.fmt_distinct(a, b)
    return x, y


_ONE_WAN = Decimal(1)
_YI = Decimal(10000)  # 1亿元 in 万元


# predicates ------------------------------------------------------------------------------------
def _credit_code(r: RuleInput) -> Mapping[str, Any] | None:
    code = r.get("credit_code")
    if not code:
        return None
    why = credit_code.problem(code)
    return {"value": code, "why": why} if why else None


def _industry_in_domain(r: RuleInput) -> Mapping[str, Any] | None:
    ind, dom = r.get("industry_id"), r.get("domain_id")
    if ind is None or dom is None or ind not in r.industry_domains:
        return None
    return {} if r.industry_domains[ind] != dom else None


def in_words(finding: Finding, record: Mapping[str, Any], ref: Reference) -> Finding:
    """A finding as the clerk reads it where the reference data is at hand (the editors, the Excel
    import): the 产业/领域 mismatch names the industry's own 领域 (the rules know only ids)."""
    industry = record.get("industry_id")
    if (
        finding.fields != ("industry_id", "domain_id")
        or not isinstance(industry, int)
        or all(i.id != industry for i in ref.industries)
    ):
        return finding
    own = ref.industry(industry)
    right = ref.domain(own.domain_id).name
    return replace(
        finding, message=f"所属产业“{own.name}”属于“{right}”领域：请把所属领域改为“{right}”，或另选本领域的产业"
    )


def _not_greater(a: str, b: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        x, y = r.get(a), r.get(b)
        if x is None or y is None or x <= y:
            return None
        shown_x, shown_y = _pair(x, y)
        return {"a": shown_x, "b": shown_y}

    return check


def _not_below_last_month(name: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        now, before = r.get(name), r.prev(name)
        if now is not None and before is not None and now < before:
            shown_now, shown_before = _pair(now, before)
            return {"now": shown_now, "before": shown_before}
        return None

    return check


def _not_below_previous_any_year(name: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        now, before = r.get(name), r.prev_any_year(name)
        if now is not None and before is not None and now < before:
            shown_now, shown_before = _pair(now, before)
            return {"now": shown_now, "before": shown_before}
        return None

    return check


def _january_equal(month: str, ytd: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        if not r.is_january:
            return None
        m, y = r.get(month), r.get(ytd)
        if m is not None and y is not None and m != y:
            shown_m, shown_y = _pair(m, y)
            return {"month": shown_m, "ytd": shown_y}
        return None

    return check


def _adds_up(month: str, ytd: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        if r.is_january:
            return None
        m, y, before = r.get(month), r.get(ytd), r.prev(ytd)
        if m is None or y is None or before is None:
            return None
        expected = before + m
        if abs(y - expected) > _ONE_WAN:
            return {"ytd": _fmt(y), "before": _fmt(before), "month": _fmt(m), "expected": _fmt(expected)}
        return None

    return check


def _month_swing(name: str, limit_pct: int) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        now, before = r.get(name), r.prev_any_year(name)
        if now is None or before is None or before <= 0 or now <= 0:
            return None
        if abs(now - before) * 100 <= before * limit_pct:  # the swing, without a division
            return None
        change = (now - before) / before * 100
        return {"direction": "增长" if change > 0 else "下降", "pct": f"{abs(change):.0f}"}

    return check


def _int_swing(name: str, limit_pct: int) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        now, before = r.get(name), r.prev_any_year(name)
        if now is None or before is None or before <= 0:
            return None
        change = (now - before) * 100 / before
        return {"pct": f"{abs(change):.0f}"} if abs(change) > limit_pct else None

    return check


def _year_in_range(r: RuleInput) -> Mapping[str, Any] | None:
    year = r.get("year")
    this_year = (r.today or date.today()).year
    return {"value": year} if year is not None and not 1990 <= year <= this_year else None


def _plan_year_in_range(r: RuleInput) -> Mapping[str, Any] | None:
    """A plan may be filed for next year already."""
    year = r.get("year")
    this_year = (r.today or date.today()).year
    return {"value": year} if year is not None and not 1990 <= year <= this_year + 1 else None


def _reached_in_period(r: RuleInput) -> Mapping[str, Any] | None:
    """A stage reached after the period it is reported for would rewrite a later month."""
    reached, period = r.get("reached_on"), r.get("period")
    if reached is None or not period or not periods.is_period(period):
        return None
    return {"value": reached.isoformat()} if periods.make(reached.year, reached.month) > period else None


def _period_not_future(r: RuleInput) -> Mapping[str, Any] | None:
    """A month cannot be reported before it has begun."""
    period = r.get("period")
    today = r.today or date.today()
    if not period or not periods.is_period(period):
        return None
    return {"value": period} if period > periods.make(today.year, today.month) else None


def _halt_reason(r: RuleInput) -> Mapping[str, Any] | None:
    halted = r.get("status") in ("停缓建", "终止")
    return {"status": r.get("status")} if halted and not (r.get("reason") or "").strip() else None


def _date_not_future(name: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        d = r.get(name)
        today = r.today or date.today()
        return {"value": d.isoformat()} if d is not None and d > today else None

    return check


def _phone(r: RuleInput) -> Mapping[str, Any] | None:
    phone = r.get("contact_phone")
    if not phone:
        return None
    digits = [c for c in phone if c.isdigit()]
    allowed = set("0123456789-—－ +()（）转")
    if len(digits) < 7 or len(digits) > 20 or any(c not in allowed for c in phone):
        return {"value": phone}
    return None


def _tier_vs_output(r: RuleInput) -> Mapping[str, Any] | None:
    if r.parent is not None and r.parent.get("cultivation_tier") == "十亿级":
        out = r.get("output")
        if out is not None and out < _YI:
            return {"year": r.get("year")}
    return None


def _project_below_threshold(r: RuleInput) -> Mapping[str, Any] | None:
    total = r.get("total_investment")
    return {"value": money.fmt_beside(total, _YI)} if total is not None and total < _YI else None


def _months_in_order(first: str, second: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        a, b = r.get(first), r.get(second)
        return {} if a is not None and b is not None and b < a else None

    return check


def _over_parent(name: str, parent_name: str) -> Check:
    """A figure larger than a field of the record's parent (the project)."""

    def check(r: RuleInput) -> Mapping[str, Any] | None:
        value = r.get(name)
        limit = r.parent.get(parent_name) if r.parent else None
        if value is not None and limit is not None and value > limit:
            shown_value, shown_limit = _pair(value, limit)
            return {"a": shown_value, "b": shown_limit}
        return None

    return check


def _signing_missing(r: RuleInput) -> Mapping[str, Any] | None:
    """A project brought in by 招商 is tracked from its signing: date and amount."""
    if r.get("source") != "招商引进":
        return None
    missing = [
        label
        for name, label in (("signed_on", "签约日期"), ("contract_investment", "合同投资额"))
        if r.get(name) is None
    ]
    return {"what": "和".join(missing)} if missing else None


def _reason_for_halt(r: RuleInput) -> Mapping[str, Any] | None:
    halted = r.get("status") in ("停缓建", "终止")
    return {"status": r.get("status")} if halted and not (r.get("status_reason") or "").strip() else None


def _over_total(r: RuleInput) -> Mapping[str, Any] | None:
    cum = r.get("invest_cumulative")
    total = r.parent.get("total_investment") if r.parent else None
    if cum is not None and total is not None and cum > total:
        shown_cum, shown_total = _pair(cum, total)
        return {"cum": shown_cum, "total": shown_total}
    return None


def _progress_missing(r: RuleInput) -> Mapping[str, Any] | None:
    m = r.get("invest_month")
    return {} if m is not None and m > 0 and not (r.get("progress") or "").strip() else None


def _solved_needs(name: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        value = r.get(name)
        return {} if r.get("status") == "已解决" and (value is None or value == "") else None

    return check


def _dates_order(first: str, second: str) -> Check:
    def check(r: RuleInput) -> Mapping[str, Any] | None:
        a, b = r.get(first), r.get(second)
        return {} if a is not None and b is not None and b < a else None

    return check


def _problem_target(r: RuleInput) -> Mapping[str, Any] | None:
    targets = [r.get("enterprise_id"), r.get("project_id")]
    return {} if sum(t is not None for t in targets) != 1 else None


def _assigned_needs_department(r: RuleInput) -> Mapping[str, Any] | None:
    return {} if r.get("assigned_on") is not None and not r.get("department") else None


def _done_needs_progress(r: RuleInput) -> Mapping[str, Any] | None:
    return {} if r.get("status") == "已完成" and not (r.get("progress") or "").strip() else None


def _answers_own_problem(r: RuleInput) -> Mapping[str, Any] | None:
    """A measure's 关联问题 is a problem of the measure's own enterprise: `parent` is the linked
    problem as found (None when there is no such problem)."""
    if r.get("problem_id") is None:
        return None
    owner = r.parent.get("enterprise_id") if r.parent else None
    return None if owner is not None and owner == r.get("enterprise_id") else {}


def _level_required(r: RuleInput) -> Mapping[str, Any] | None:
    return {} if r.get("list_name") == "专精特新企业" and not r.get("level") else None


def _reason_out_required(r: RuleInput) -> Mapping[str, Any] | None:
    return {} if r.get("date_out") is not None and not (r.get("reason_out") or "").strip() else None


M, Q, V, H = Severity.MANDATORY, Severity.QUASI, Severity.VERIFY, Severity.HINT

RULES: tuple[Rule, ...] = (
    # 企业
    Rule("QY01", "enterprise", M, ("credit_code",), "统一社会信用代码“{value}”{why}", _credit_code),
    Rule("QY02", "enterprise", M, ("industry_id", "domain_id"), "所属产业不属于所属领域", _industry_in_domain),
    Rule("QY04", "enterprise", M, ("founded_on",), "成立日期{value}晚于今天", _date_not_future("founded_on")),
    Rule("QY05", "enterprise", H, ("contact_phone",), "联系电话“{value}”格式可能有误", _phone),
    # 企业年度
    Rule(
        "QY03",
        "enterprise_annual",
        V,
        ("tax", "revenue"),
        "全年税收({a}万元)大于全年营业收入({b}万元)，请核实",
        _not_greater("tax", "revenue"),
    ),
    Rule("QY06", "enterprise_annual", H, ("output",), "培育目标为十亿级，但{year}年产值不足1亿元", _tier_vs_output),
    Rule("QY07", "enterprise_annual", M, ("year",), "年度{value}不在1990年至今年之间", _year_in_range),
    # 培育名录
    Rule("MD01", "membership", M, ("date_out", "date_in"), "调出日期早于纳入日期", _dates_order("date_in", "date_out")),
    Rule("MD02", "membership", M, ("level",), "专精特新企业须填写级别", _level_required),
    Rule("MD03", "membership", M, ("reason_out",), "调出名录须填写调出原因", _reason_out_required),
    # 企业月度
    Rule(
        "YB01",
        "enterprise_monthly",
        M,
        ("output_ytd",),
        "1-本月累计产值({now})小于上月累计({before})",
        _not_below_last_month("output_ytd"),
    ),
    Rule(
        "YB02",
        "enterprise_monthly",
        M,
        ("revenue_ytd",),
        "1-本月累计营业收入({now})小于上月累计({before})",
        _not_below_last_month("revenue_ytd"),
    ),
    Rule(
        "YB03",
        "enterprise_monthly",
        M,
        ("tax_ytd",),
        "1-本月累计税收({now})小于上月累计({before})",
        _not_below_last_month("tax_ytd"),
    ),
    Rule(
        "YB04",
        "enterprise_monthly",
        M,
        ("output_ytd", "output_month"),
        "1月的1-本月累计产值({ytd})应等于本月产值({month})",
        _january_equal("output_month", "output_ytd"),
    ),
    Rule(
        "YB05",
        "enterprise_monthly",
        M,
        ("revenue_ytd", "revenue_month"),
        "1月的1-本月累计营业收入({ytd})应等于本月营业收入({month})",
        _january_equal("revenue_month", "revenue_ytd"),
    ),
    Rule(
        "YB06",
        "enterprise_monthly",
        M,
        ("output_month", "output_ytd"),
        "本月产值({a})大于1-本月累计产值({b})",
        _not_greater("output_month", "output_ytd"),
    ),
    Rule(
        "YB07",
        "enterprise_monthly",
        M,
        ("revenue_month", "revenue_ytd"),
        "本月营业收入({a})大于1-本月累计营业收入({b})",
        _not_greater("revenue_month", "revenue_ytd"),
    ),
    Rule(
        "YB08",
        "enterprise_monthly",
        V,
        ("output_ytd",),
        "1-本月累计产值({ytd})不等于上月累计({before})加本月产值({month})，应为{expected}",
        _adds_up("output_month", "output_ytd"),
    ),
    Rule(
        "YB09",
        "enterprise_monthly",
        V,
        ("revenue_ytd",),
        "1-本月累计营业收入({ytd})不等于上月累计({before})加本月营业收入({month})，应为{expected}",
        _adds_up("revenue_month", "revenue_ytd"),
    ),
    Rule(
        "YB10",
        "enterprise_monthly",
        V,
        ("tax_ytd", "revenue_ytd"),
        "1-本月累计税收({a})大于1-本月累计营业收入({b})，请核实",
        _not_greater("tax_ytd", "revenue_ytd"),
    ),
    Rule(
        "YB11",
        "enterprise_monthly",
        V,
        ("output_month",),
        "本月产值比上月{direction}{pct}%，请说明原因",
        _month_swing("output_month", 50),
    ),
    Rule(
        "YB12",
        "enterprise_monthly",
        H,
        ("employees_end",),
        "期末从业人员比上月变化{pct}%",
        _int_swing("employees_end", 30),
    ),
    # 项目
    Rule(
        "XM01",
        "project",
        H,
        ("total_investment",),
        "总投资{value}万元不足1亿元，不计入亿元级项目",
        _project_below_threshold,
    ),
    Rule(
        "XM02",
        "project",
        M,
        ("planned_finish", "planned_start"),
        "计划竣工年月早于计划开工年月",
        _months_in_order("planned_start", "planned_finish"),
    ),
    Rule("XM04", "project", M, ("industry_id", "domain_id"), "所属产业不属于所属领域", _industry_in_domain),
    Rule("XM05", "project", M, ("status_since",), "状态日期{value}晚于今天", _date_not_future("status_since")),
    Rule(
        "XM06",
        "project",
        M,
        ("planned_production", "planned_start"),
        "计划投产年月早于计划开工年月",
        _months_in_order("planned_start", "planned_production"),
    ),
    Rule("XM07", "project", M, ("signed_on",), "签约日期{value}晚于今天", _date_not_future("signed_on")),
    Rule("XM08", "project", H, ("signed_on", "contract_investment"), "招商引进项目请填写{what}", _signing_missing),
    Rule("XM09", "project", H, ("status_reason",), "项目{status}，请填写停缓建或终止原因", _reason_for_halt),
    # 项目年度计划
    Rule("XN01", "project_annual", M, ("year",), "年度{value}不在1990年至今年之后一年之间", _plan_year_in_range),
    Rule(
        "XN02",
        "project_annual",
        V,
        ("plan_investment",),
        "年度计划投资({a}万元)大于总投资({b}万元)，请核实",
        _over_parent("plan_investment", "total_investment"),
    ),
    # 项目状态（按期）
    Rule("ZT01", "project_stage", M, ("reached_on",), "状态日期{value}晚于今天", _date_not_future("reached_on")),
    Rule("ZT02", "project_stage", M, ("reached_on",), "状态日期{value}晚于填报期", _reached_in_period),
    Rule("ZT03", "project_stage", H, ("reason",), "项目{status}，请填写原因", _halt_reason),
    Rule("ZT04", "project_stage", M, ("period",), "填报期{value}还没有到", _period_not_future),
    # 项目月度
    Rule(
        "XY01",
        "project_monthly",
        M,
        ("invest_cumulative",),
        "累计完成投资({now})小于上月累计({before})",
        _not_below_previous_any_year("invest_cumulative"),
    ),
    Rule(
        "XY02",
        "project_monthly",
        M,
        ("invest_ytd",),
        "本年累计完成投资({now})小于上月本年累计({before})",
        _not_below_last_month("invest_ytd"),
    ),
    Rule(
        "XY03",
        "project_monthly",
        M,
        ("invest_ytd", "invest_month"),
        "1月的本年累计完成投资({ytd})应等于本月完成投资({month})",
        _january_equal("invest_month", "invest_ytd"),
    ),
    Rule(
        "XY04",
        "project_monthly",
        M,
        ("invest_ytd", "invest_cumulative"),
        "本年累计完成投资({a})大于累计完成投资({b})",
        _not_greater("invest_ytd", "invest_cumulative"),
    ),
    Rule(
        "XY05",
        "project_monthly",
        Q,
        ("invest_cumulative",),
        "累计完成投资({cum}万元)超过总投资({total}万元)，请说明",
        _over_total,
    ),
    Rule(
        "XY06",
        "project_monthly",
        V,
        ("invest_ytd",),
        "本年累计完成投资({ytd})不等于上月本年累计({before})加本月完成投资({month})，应为{expected}",
        _adds_up("invest_month", "invest_ytd"),
    ),
    Rule("XY07", "project_monthly", H, ("progress",), "本月有完成投资，请填写形象进度", _progress_missing),
    Rule(
        "XY08",
        "project_monthly",
        M,
        ("funds_cumulative",),
        "累计到位资金({now})小于上月累计({before})",
        _not_below_previous_any_year("funds_cumulative"),
    ),
    Rule(
        "XY09",
        "project_monthly",
        Q,
        ("funds_cumulative",),
        "累计到位资金({a}万元)超过合同投资额({b}万元)，请说明",
        _over_parent("funds_cumulative", "contract_investment"),
    ),
    Rule(
        "XY10",
        "project_monthly",
        M,
        ("output_ytd",),
        "投产后1-本月累计产值({now})小于上月累计({before})",
        _not_below_last_month("output_ytd"),
    ),
    Rule(
        "XY11",
        "project_monthly",
        M,
        ("tax_ytd",),
        "投产后1-本月累计税收({now})小于上月累计({before})",
        _not_below_last_month("tax_ytd"),
    ),
    # 问题
    Rule("WT01", "problem", M, ("resolution",), "已解决的问题须填写办理结果", _solved_needs("resolution")),
    Rule("WT02", "problem", M, ("solved_on",), "已解决的问题须填写解决日期", _solved_needs("solved_on")),
    Rule(
        "WT03", "problem", M, ("solved_on", "raised_on"), "解决日期早于提出日期", _dates_order("raised_on", "solved_on")
    ),
    Rule("WT04", "problem", M, ("enterprise_id", "project_id"), "问题须对应一个企业或一个项目", _problem_target),
    Rule("WT05", "problem", M, ("raised_on",), "提出日期{value}晚于今天", _date_not_future("raised_on")),
    Rule(
        "WT06", "problem", M, ("deadline", "raised_on"), "办理时限早于提出日期", _dates_order("raised_on", "deadline")
    ),
    Rule(
        "WT07",
        "problem",
        M,
        ("assigned_on", "raised_on"),
        "交办日期早于提出日期",
        _dates_order("raised_on", "assigned_on"),
    ),
    Rule(
        "WT08",
        "problem",
        M,
        ("deadline", "assigned_on"),
        "办理时限早于交办日期",
        _dates_order("assigned_on", "deadline"),
    ),
    Rule("WT09", "problem", M, ("assigned_on",), "交办日期{value}晚于今天", _date_not_future("assigned_on")),
    Rule("WT10", "problem", M, ("department",), "已交办的问题须填写责任单位", _assigned_needs_department),
    # 一企一策措施
    Rule("CS01", "support_measure", H, ("progress",), "措施已完成，请填写进展情况", _done_needs_progress),
    Rule(
        "CS02",
        "support_measure",
        M,
        ("problem_id",),
        "关联问题不存在或不是该企业的问题",
        _answers_own_problem,
    ),
)

RULES_BY_ID = {r.id: r for r in RULES}
_RULES_OF: dict[str, tuple[Rule, ...]] = {
    e: tuple(r for r in RULES if r.entity == e) for e in {r.entity for r in RULES}
}
assert len(RULES_BY_ID) == len(RULES), "duplicate rule id"

# What the generic checks look at, per entity, worked out once from the field table.
_REQUIRED = {e: tuple(s for s in specs if s.required) for e, specs in ENTITIES.items()}
_LIMITED = {e: tuple(s for s in specs if s.max_length) for e, specs in ENTITIES.items()}
_NUMBERS = {e: tuple(s for s in specs if s.is_number) for e, specs in ENTITIES.items()}


def _generic(entity: str, record: Mapping[str, Any], partial: bool) -> list[Finding]:
    """Required fields, lengths and non-negative numbers, read from the field table."""
    out: list[Finding] = []
    get = record.get
    for spec in _REQUIRED[entity]:
        if partial and spec.name not in record:
            continue
        value = get(spec.name)
        if value is None or value == "" or value == []:
            out.append(Finding(f"REQ.{spec.name}", M, entity, (spec.name,), f"{spec.label}必须填写"))
    for spec in _LIMITED[entity]:
        value = get(spec.name)
        if isinstance(value, str) and len(value) > spec.max_length:  # type: ignore[operator]
            out.append(
                Finding(f"LEN.{spec.name}", M, entity, (spec.name,), f"{spec.label}不能超过{spec.max_length}个字")
            )
    for spec in _NUMBERS[entity]:
        value = get(spec.name)
        if value is not None and value < 0:
            out.append(Finding(f"NEG.{spec.name}", M, entity, (spec.name,), f"{spec.label}不能为负数"))
    return out


ENTITIES_LABEL = {(e, s.name): s.label for e, specs in ENTITIES.items() for s in specs}


def check(
    entity: str,
    record: Mapping[str, Any],
    *,
    previous: Mapping[str, Any] | None = None,
    parent: Mapping[str, Any] | None = None,
    industry_domains: Mapping[int, int] | None = None,
    record_id: str | None = None,
    subject: str | None = None,
    partial: bool = False,
    today: date | None = None,
) -> list[Finding]:
    """Runs every rule of `entity` over one typed record.

    `previous` is the same entity's record for the month before (monthly entities), `parent`
    the project a project-monthly record belongs to (the problem a 一企一策 measure answers, None
    when there is none). With `partial`, required-field rules only look at fields present in
    `record` (a form checking as the clerk types)."""
    findings = _generic(entity, record, partial)
    rin = RuleInput(record, previous, parent, industry_domains, today)
    for rule in _RULES_OF.get(entity, ()):
        params = rule.violated(rin)
        if params is not None:
            findings.append(Finding(rule.id, rule.severity, entity, rule.fields, rule.message.format(**params)))
    if not findings:  # the usual case: nothing to place or sort
        return findings
    period = record.get("period")
    if record_id or subject or period:
        findings = [
            Finding(f.rule_id, f.severity, f.entity, f.fields, f.message, record_id, period, subject) for f in findings
        ]
    return sorted(findings, key=lambda f: (f.severity.rank, f.rule_id))


def catalogue() -> list[dict[str, str]]:
    """The rule table as plain rows, for the 填表说明 sheet and the help screen."""
    return [
        {
            "id": r.id,
            "entity": ENTITY_LABELS[r.entity],
            "severity": r.severity.value,
            "fields": "、".join(ENTITIES_LABEL.get((r.entity, f), f) for f in r.fields),
            "message": r.message,
        }
        for r in RULES
    ]
