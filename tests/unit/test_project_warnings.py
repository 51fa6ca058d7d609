"""The three project warnings at their thresholds (just under, at, over), how long each has stood,
and the lifecycle read from the status history by period. Expectations are worked out by hand in
the comments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import project_warnings as pw

DEFAULTS = pw.Parameters()  # 3 months, 60%, grace 0, 6 months, 100%


def facts(stages: list[tuple[str, str, date | None]], **kw: object) -> pw.ProjectFacts:
    rows = lc.history(lc.StageRow(p, s, d) for p, s, d in stages)
    return pw.ProjectFacts("p1", 2, "甲项目", rows, **kw)  # type: ignore[arg-type]


def fired(f: pw.ProjectFacts, period: str, parameters: pw.Parameters = DEFAULTS) -> dict[str, pw.ProjectWarning]:
    return {w.check: w for w in pw.evaluate(f, parameters, period)}


# 包而不推 --------------------------------------------------------------------------------------
STARTED_JAN = [("2026-01", "开工", date(2026, 1, 10))]


def test_stalled_fires_after_n_months_without_investment_or_stage_change() -> None:
    f = facts(STARTED_JAN, months={"2026-01": pw.Month(invest_month=D(100)), "2026-02": pw.Month(invest_month=D(0))})
    # last progress 2026-01 (investment and the start): 2 idle months by March, 3 by April, 4 by May
    assert "stalled" not in fired(f, "2026-03")  # just under (2 < 3)
    at = fired(f, "2026-04")["stalled"]  # at (3)
    assert (at.rule, at.numbers["idle_months"], at.since, at.months) == (pw.STALLED, 3, "2026-04", 1)
    over = fired(f, "2026-05")["stalled"]  # over (4): standing since April, two months
    assert (over.numbers["idle_months"], over.since, over.months) == (4, "2026-04", 2)
    assert "包而不推" in over.describe() and "自2026-04起已持续2个月" in over.describe()
    assert "最近一次完成投资：2026-01" in over.message


def test_stalled_is_reset_by_investment_or_a_new_stage_and_tuned_by_reference_data() -> None:
    moved = facts(
        [*STARTED_JAN, ("2026-03", "在建", date(2026, 3, 2))], months={"2026-01": pw.Month(invest_month=D(100))}
    )
    assert "stalled" not in fired(moved, "2026-05")  # last change March: 2 idle months
    invested = facts(STARTED_JAN, months={"2026-04": pw.Month(invest_month=D("0.01"))})
    assert "stalled" not in fired(invested, "2026-06")  # April's investment: 2 idle months
    assert "stalled" in fired(invested, "2026-06", pw.Parameters(stall_months=2))
    halted = facts([*STARTED_JAN, ("2026-02", "停缓建", date(2026, 2, 1))])
    assert "stalled" not in fired(halted, "2026-12")  # only while 开工 or 在建


# 推而不快：投资进度 -----------------------------------------------------------------------------
def test_slow_investment_against_the_plan_spread_over_the_months() -> None:
    # plan 1200 for 2026; at June the plan to date is 1200 × 6 / 12 = 600, and 60% of it is 360
    months = {
        "2026-03": pw.Month(invest_ytd=D(250)),  # March: 60% of 300 is 180 → not slow
        "2026-04": pw.Month(invest_ytd=D(100)),  # April: 60% of 400 is 240 → slow
        "2026-05": pw.Month(invest_ytd=D(200)),
    }  # May: 60% of 500 is 300 → slow
    plans = {2026: D(1200)}
    under = facts(STARTED_JAN, months={**months, "2026-06": pw.Month(invest_ytd=D("359.99"))}, plans=plans)
    warning = fired(under, "2026-06")["slow_investment"]  # just under: 359.99 < 360
    assert (warning.rule, warning.numbers["expected_to_date"], warning.numbers["percent"]) == (
        pw.SLOW,
        D(600),
        D("60.0"),
    )
    assert (warning.since, warning.months) == ("2026-04", 3)
    at = facts(STARTED_JAN, months={**months, "2026-06": pw.Month(invest_ytd=D(360))}, plans=plans)
    assert "slow_investment" not in fired(at, "2026-06")  # at 60%: not below it
    over = facts(STARTED_JAN, months={**months, "2026-06": pw.Month(invest_ytd=D(400))}, plans=plans)
    assert "slow_investment" not in fired(over, "2026-06")
    # a month not reported carries the latest 本年累计 forward: July's plan to date 700, 60% = 420
    assert fired(over, "2026-07")["slow_investment"].numbers["invest_ytd"] == D(400)
    assert "slow_investment" not in fired(over, "2026-07", pw.Parameters(slow_percent=57))  # 400/700 = 57.1%


def test_slow_investment_needs_a_plan_and_construction() -> None:
    assert "slow_investment" not in fired(facts(STARTED_JAN), "2026-06")  # no plan for the year
    signed = facts([("2026-01", "签约", None)], plans={2026: D(1200)})
    assert "slow_investment" not in fired(signed, "2026-06")


# 推而不快：计划开工 -----------------------------------------------------------------------------
def test_late_start_after_the_planned_month_and_the_grace() -> None:
    f = facts([("2025-10", "签约", date(2025, 10, 8))], planned_start="2026-03")
    assert "late_start" not in fired(f, "2026-03")  # the planned month itself: not passed yet
    at = fired(f, "2026-04")["late_start"]  # one month late
    assert (at.numbers["late_months"], at.since, at.months) == (1, "2026-04", 1)
    over = fired(f, "2026-09")["late_start"]
    assert (over.numbers["late_months"], over.since, over.months) == (6, "2026-04", 6)
    graced = pw.Parameters(start_grace_months=2)
    assert "late_start" not in fired(f, "2026-05", graced)  # 2 months late, 2 of grace
    assert fired(f, "2026-06", graced)["late_start"].since == "2026-06"
    started = facts([("2025-10", "签约", None), ("2026-05", "开工", date(2026, 5, 3))], planned_start="2026-03")
    assert "late_start" not in fired(started, "2026-05")
    assert fired(started, "2026-04")["late_start"].months == 1  # as of April it was late


# 快而不优 --------------------------------------------------------------------------------------
PRODUCING_FEB = [("2025-01", "在建", None), ("2026-02", "投产", date(2026, 2, 15))]


def test_underperforming_after_m_months_in_production() -> None:
    # expected 1200 a year; August: 6 months producing, k = min(8, 6) = 6 → 600 due
    base = {"2026-07": pw.Month(output_ytd=D(100))}
    under = facts(PRODUCING_FEB, expected_output=D(1200), months={**base, "2026-08": pw.Month(output_ytd=D("599.99"))})
    assert "low_output" not in fired(under, "2026-07")  # 5 months producing: not yet judged
    warning = fired(under, "2026-08")["low_output"]  # just under
    assert (warning.rule, warning.numbers["expected_to_date"], warning.since, warning.months) == (
        pw.UNDERPERFORMING,
        D(600),
        "2026-08",
        1,
    )
    at = facts(PRODUCING_FEB, expected_output=D(1200), months={**base, "2026-08": pw.Month(output_ytd=D(600))})
    assert "low_output" not in fired(at, "2026-08")
    # October: k = min(10, 8) = 8 → 800 due; September: k = 7 → 700 due, 650 reported
    later = facts(
        PRODUCING_FEB,
        expected_output=D(1200),
        months={
            "2026-08": pw.Month(output_ytd=D("599.99")),
            "2026-09": pw.Month(output_ytd=D(650)),
            "2026-10": pw.Month(output_ytd=D(700)),
        },
    )
    warning = fired(later, "2026-10")["low_output"]
    assert (warning.numbers["expected_to_date"], warning.since, warning.months) == (D(800), "2026-08", 3)
    assert "low_output" not in fired(later, "2026-10", pw.Parameters(underperform_percent=85))  # 700/800 = 87.5%


def test_underperforming_tax_and_the_months_threshold() -> None:
    f = facts(
        PRODUCING_FEB,
        expected_output=D(1200),
        expected_tax=D(120),
        months={"2026-12": pw.Month(output_ytd=D(1000), tax_ytd=D(50))},
    )
    # December: 10 months producing, k = 10 → output due 1000 (met), tax due 100 (50 reported)
    found = fired(f, "2026-12")
    assert set(found) == {"low_tax"} and found["low_tax"].numbers["percent"] == D("50.0")
    assert "low_tax" not in fired(f, "2026-12", pw.Parameters(underperform_months=11))
    skipped = facts([("2025-06", "达效", date(2025, 6, 30))], expected_output=D(1200))
    # 达效 without a 投产 row: producing since June 2025; in March 2026 k = 3 → 300 due, nothing reported
    assert fired(skipped, "2026-03")["low_output"].numbers["expected_to_date"] == D(300)


# Lifecycle -------------------------------------------------------------------------------------
HISTORY = lc.history(
    [
        lc.StageRow("2025-11", "签约", date(2025, 11, 20)),
        lc.StageRow("2026-03", "在建", date(2026, 3, 5)),  # 开工 was never reported on its own
        lc.StageRow("2026-04", "停缓建", date(2026, 4, 30), "资金未到位"),
        lc.StageRow("2026-07", "在建", date(2026, 7, 1)),
    ]
)


@pytest.mark.parametrize(
    ("period", "status"),
    [
        ("2025-10", None),
        ("2025-11", "签约"),
        ("2026-02", "签约"),
        ("2026-03", "在建"),
        ("2026-05", "停缓建"),
        ("2026-07", "在建"),
        ("2027-01", "在建"),
    ],
)
def test_status_by_period(period: str, status: str | None) -> None:
    row = lc.status_as_of(HISTORY, period)
    assert (row.status if row else None) == status


def test_stage_dates_and_milestones() -> None:
    assert lc.reached(HISTORY, "开工", "2026-02") is None
    assert lc.reached(HISTORY, "开工", "2026-12") == date(2026, 3, 5)  # 在建 implies started
    dates = dict(lc.first_dates(HISTORY, "2026-12"))
    assert dates["签约"] == date(2025, 11, 20) and dates["开工"] is None and dates["停缓建"] == date(2026, 4, 30)
    assert lc.last_change(HISTORY, "2026-06").period == "2026-04"
    start, finish, production = lc.milestones(HISTORY, {"开工": "2026-01", "竣工": "2026-06", "投产": None}, "2026-09")
    assert (start.gap_months, start.text) == (2, "2026-03-05开工，比计划晚2个月")
    assert (finish.gap_months, finish.text) == (3, "计划2026-06，未竣工，已逾期3个月")
    assert (production.gap_months, production.text) == (None, "未计划")
