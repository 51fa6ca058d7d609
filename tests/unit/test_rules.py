"""Every declared rule: one record that breaks it and one that passes, plus severities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from hengdong_desktop.domain import credit_code, rules
from hengdong_desktop.domain.rules import Severity

GOOD_CODE = credit_code.complete("91430424MA4L1234X")
INDUSTRY_DOMAINS = {1: 1, 5: 2}  # 机械制造 → 工业和信息化, 绿色食品 → 农林牧渔

ENTERPRISE = {"credit_code": GOOD_CODE, "name": "甲公司", "unit_id": 2, "domain_id": 1}
MONTH = {"period": "2025-03"}
PROJECT = {"name": "乙项目", "unit_id": 2, "domain_id": 1, "total_investment": D(20000), "status": "在建"}
PROBLEM = {
    "category": "融资",
    "description": "缺钱",
    "raised_on": date(2025, 1, 1),
    "status": "待办",
    "enterprise_id": "e1",
    "project_id": None,
}
MEMBERSHIP = {"list_name": "原地倍增培育企业名录", "date_in": date(2024, 1, 1)}
ANNUAL = {"year": 2024}
STAGE = {"period": "2025-03", "status": "开工"}

# rule id → (entity, bad record, good record, extra keyword arguments for both)
CASES: dict[str, tuple[str, dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    "QY01": (
        "enterprise",
        ENTERPRISE | {"credit_code": GOOD_CODE[:-1] + ("0" if GOOD_CODE[-1] != "0" else "1")},
        ENTERPRISE,
        {},
    ),
    "QY02": ("enterprise", ENTERPRISE | {"industry_id": 5}, ENTERPRISE | {"industry_id": 1}, {}),
    "QY03": (
        "enterprise_annual",
        ANNUAL | {"tax": D(11), "revenue": D(10)},
        ANNUAL | {"tax": D(1), "revenue": D(10)},
        {},
    ),
    "QY04": (
        "enterprise",
        ENTERPRISE | {"founded_on": date(2031, 1, 1)},
        ENTERPRISE | {"founded_on": date(2001, 1, 1)},
        {"today": date(2026, 1, 1)},
    ),
    "QY05": ("enterprise", ENTERPRISE | {"contact_phone": "12ab"}, ENTERPRISE | {"contact_phone": "0734-5221234"}, {}),
    "QY06": (
        "enterprise_annual",
        ANNUAL | {"output": D(5000)},
        ANNUAL | {"output": D(60000)},
        {"parent": ENTERPRISE | {"cultivation_tier": "十亿级"}},
    ),
    "QY07": ("enterprise_annual", {"year": 2027}, {"year": 2025}, {"today": date(2026, 1, 1)}),
    "MD01": (
        "membership",
        MEMBERSHIP | {"date_out": date(2023, 1, 1), "reason_out": "x"},
        MEMBERSHIP | {"date_out": date(2025, 1, 1), "reason_out": "x"},
        {},
    ),
    "MD02": (
        "membership",
        MEMBERSHIP | {"list_name": "专精特新企业"},
        MEMBERSHIP | {"list_name": "专精特新企业", "level": "创新型中小企业"},
        {},
    ),
    "MD03": (
        "membership",
        MEMBERSHIP | {"date_out": date(2025, 1, 1)},
        MEMBERSHIP | {"date_out": date(2025, 1, 1), "reason_out": "产值下降"},
        {},
    ),
    "YB01": (
        "enterprise_monthly",
        MONTH | {"output_ytd": D(90)},
        MONTH | {"output_ytd": D(110)},
        {"previous": {"period": "2025-02", "output_ytd": D(100)}},
    ),
    "YB02": (
        "enterprise_monthly",
        MONTH | {"revenue_ytd": D(90)},
        MONTH | {"revenue_ytd": D(110)},
        {"previous": {"period": "2025-02", "revenue_ytd": D(100)}},
    ),
    "YB03": (
        "enterprise_monthly",
        MONTH | {"tax_ytd": D(9)},
        MONTH | {"tax_ytd": D(11)},
        {"previous": {"period": "2025-02", "tax_ytd": D(10)}},
    ),
    "YB04": (
        "enterprise_monthly",
        {"period": "2025-01", "output_month": D(10), "output_ytd": D(12)},
        {"period": "2025-01", "output_month": D(10), "output_ytd": D(10)},
        {},
    ),
    "YB05": (
        "enterprise_monthly",
        {"period": "2025-01", "revenue_month": D(10), "revenue_ytd": D(12)},
        {"period": "2025-01", "revenue_month": D(10), "revenue_ytd": D(10)},
        {},
    ),
    "YB06": (
        "enterprise_monthly",
        MONTH | {"output_month": D(20), "output_ytd": D(10)},
        MONTH | {"output_month": D(10), "output_ytd": D(30)},
        {},
    ),
    "YB07": (
        "enterprise_monthly",
        MONTH | {"revenue_month": D(20), "revenue_ytd": D(10)},
        MONTH | {"revenue_month": D(10), "revenue_ytd": D(30)},
        {},
    ),
    "YB08": (
        "enterprise_monthly",
        MONTH | {"output_month": D(10), "output_ytd": D(150)},
        MONTH | {"output_month": D(10), "output_ytd": D(110)},
        {"previous": {"period": "2025-02", "output_ytd": D(100)}},
    ),
    "YB09": (
        "enterprise_monthly",
        MONTH | {"revenue_month": D(10), "revenue_ytd": D(150)},
        MONTH | {"revenue_month": D(10), "revenue_ytd": D("110.5")},
        {"previous": {"period": "2025-02", "revenue_ytd": D(100)}},
    ),
    "YB10": (
        "enterprise_monthly",
        MONTH | {"tax_ytd": D(50), "revenue_ytd": D(40)},
        MONTH | {"tax_ytd": D(5), "revenue_ytd": D(40)},
        {},
    ),
    "YB11": (
        "enterprise_monthly",
        MONTH | {"output_month": D(200)},
        MONTH | {"output_month": D(120)},
        {"previous": {"period": "2025-02", "output_month": D(100)}},
    ),
    "YB12": (
        "enterprise_monthly",
        MONTH | {"employees_end": 50},
        MONTH | {"employees_end": 95},
        {"previous": {"period": "2025-02", "employees_end": 100}},
    ),
    "XM01": ("project", PROJECT | {"total_investment": D(9999)}, PROJECT, {}),
    "XM02": (
        "project",
        PROJECT | {"planned_start": "2025-05", "planned_finish": "2025-01"},
        PROJECT | {"planned_start": "2025-05", "planned_finish": "2026-01"},
        {},
    ),
    "XM04": ("project", PROJECT | {"industry_id": 5}, PROJECT | {"industry_id": 1}, {}),
    "XM05": (
        "project",
        PROJECT | {"status_since": date(2026, 2, 1)},
        PROJECT | {"status_since": date(2025, 12, 1)},
        {"today": date(2026, 1, 1)},
    ),
    "XM06": (
        "project",
        PROJECT | {"planned_start": "2025-05", "planned_production": "2025-04"},
        PROJECT | {"planned_start": "2025-05", "planned_production": "2025-05"},
        {},
    ),
    "XM07": (
        "project",
        PROJECT | {"signed_on": date(2026, 1, 2)},
        PROJECT | {"signed_on": date(2026, 1, 1)},
        {"today": date(2026, 1, 1)},
    ),
    "XM08": (
        "project",
        PROJECT | {"source": "招商引进", "signed_on": date(2025, 1, 1)},
        PROJECT | {"source": "招商引进", "signed_on": date(2025, 1, 1), "contract_investment": D(1)},
        {},
    ),
    "XM09": (
        "project",
        PROJECT | {"status": "终止", "status_reason": " "},
        PROJECT | {"status": "终止", "status_reason": "投资方撤资"},
        {},
    ),
    "XN01": ("project_annual", {"year": 2028}, {"year": 2027}, {"today": date(2026, 1, 1), "parent": PROJECT}),
    "XN02": (
        "project_annual",
        {"year": 2025, "plan_investment": D("20000.0001")},
        {"year": 2025, "plan_investment": D(20000)},
        {"parent": PROJECT},
    ),
    "ZT01": (
        "project_stage",
        STAGE | {"reached_on": date(2026, 2, 1)},
        STAGE | {"reached_on": date(2025, 3, 9)},
        {"today": date(2026, 1, 1)},
    ),
    "ZT02": ("project_stage", STAGE | {"reached_on": date(2025, 4, 1)}, STAGE | {"reached_on": date(2025, 3, 31)}, {}),
    "ZT03": ("project_stage", STAGE | {"status": "停缓建"}, STAGE | {"status": "停缓建", "reason": "资金未到位"}, {}),
    "ZT04": (
        "project_stage",
        STAGE | {"period": "2026-02"},
        STAGE | {"period": "2026-01"},
        {"today": date(2026, 1, 31)},
    ),
    "XY01": (
        "project_monthly",
        MONTH | {"invest_cumulative": D(90)},
        MONTH | {"invest_cumulative": D(100)},
        {"previous": {"period": "2025-02", "invest_cumulative": D(100)}},
    ),
    "XY02": (
        "project_monthly",
        MONTH | {"invest_ytd": D(40)},
        MONTH | {"invest_ytd": D(50)},
        {"previous": {"period": "2025-02", "invest_ytd": D(50)}},
    ),
    "XY03": (
        "project_monthly",
        {"period": "2025-01", "invest_month": D(5), "invest_ytd": D(7)},
        {"period": "2025-01", "invest_month": D(5), "invest_ytd": D(5)},
        {},
    ),
    "XY04": (
        "project_monthly",
        MONTH | {"invest_ytd": D(60), "invest_cumulative": D(50)},
        MONTH | {"invest_ytd": D(40), "invest_cumulative": D(50)},
        {},
    ),
    "XY05": (
        "project_monthly",
        MONTH | {"invest_cumulative": D(25000)},
        MONTH | {"invest_cumulative": D(15000)},
        {"parent": PROJECT},
    ),
    "XY06": (
        "project_monthly",
        MONTH | {"invest_month": D(5), "invest_ytd": D(80)},
        MONTH | {"invest_month": D(5), "invest_ytd": D(55)},
        {"previous": {"period": "2025-02", "invest_ytd": D(50)}},
    ),
    "XY07": (
        "project_monthly",
        MONTH | {"invest_month": D(5)},
        MONTH | {"invest_month": D(5), "progress": "主体施工"},
        {},
    ),
    "XY08": (
        "project_monthly",
        MONTH | {"funds_cumulative": D(90)},
        MONTH | {"funds_cumulative": D(100)},
        {"previous": {"period": "2024-12", "funds_cumulative": D(100)}},
    ),
    "XY09": (
        "project_monthly",
        MONTH | {"funds_cumulative": D("15000.01")},
        MONTH | {"funds_cumulative": D(15000)},
        {"parent": PROJECT | {"contract_investment": D(15000)}},
    ),
    "XY10": (
        "project_monthly",
        MONTH | {"output_ytd": D(90)},
        MONTH | {"output_ytd": D(100)},
        {"previous": {"period": "2025-02", "output_ytd": D(100)}},
    ),
    "XY11": (
        "project_monthly",
        MONTH | {"tax_ytd": D(9)},
        MONTH | {"tax_ytd": D(10)},
        {"previous": {"period": "2025-02", "tax_ytd": D(10)}},
    ),
    "WT01": (
        "problem",
        PROBLEM | {"status": "已解决", "solved_on": date(2025, 2, 1)},
        PROBLEM | {"status": "已解决", "solved_on": date(2025, 2, 1), "resolution": "已贷款"},
        {},
    ),
    "WT02": (
        "problem",
        PROBLEM | {"status": "已解决", "resolution": "已贷款"},
        PROBLEM | {"status": "已解决", "resolution": "已贷款", "solved_on": date(2025, 2, 1)},
        {},
    ),
    "WT03": ("problem", PROBLEM | {"solved_on": date(2024, 2, 1)}, PROBLEM | {"solved_on": date(2025, 2, 1)}, {}),
    "WT04": ("problem", PROBLEM | {"project_id": "p1"}, PROBLEM, {}),
    "WT05": ("problem", PROBLEM | {"raised_on": date(2030, 1, 1)}, PROBLEM, {"today": date(2026, 1, 1)}),
    "WT06": ("problem", PROBLEM | {"deadline": date(2024, 12, 31)}, PROBLEM | {"deadline": date(2025, 1, 1)}, {}),
    "WT07": (
        "problem",
        PROBLEM | {"department": "县发改局", "assigned_on": date(2024, 12, 31)},
        PROBLEM | {"department": "县发改局", "assigned_on": date(2025, 1, 1)},
        {},
    ),
    "WT08": (
        "problem",
        PROBLEM | {"department": "县发改局", "assigned_on": date(2025, 1, 5), "deadline": date(2025, 1, 4)},
        PROBLEM | {"department": "县发改局", "assigned_on": date(2025, 1, 5), "deadline": date(2025, 1, 5)},
        {},
    ),
    "WT09": (
        "problem",
        PROBLEM | {"department": "县发改局", "assigned_on": date(2026, 1, 2)},
        PROBLEM | {"department": "县发改局", "assigned_on": date(2026, 1, 1)},
        {"today": date(2026, 1, 1)},
    ),
    "WT10": (
        "problem",
        PROBLEM | {"assigned_on": date(2025, 1, 2)},
        PROBLEM | {"department": "吴集镇", "assigned_on": date(2025, 1, 2)},
        {},
    ),
    "CS01": (
        "support_measure",
        {"content": "协调授信", "status": "已完成"},
        {"content": "协调授信", "status": "已完成", "progress": "已获授信3000万元"},
        {},
    ),
    "CS02": (  # the measure's 关联问题 (`parent`: the problem found) belongs to another enterprise
        "support_measure",
        {"content": "协调授信", "status": "推进中", "enterprise_id": "e2", "problem_id": "p1"},
        {"content": "协调授信", "status": "推进中", "enterprise_id": "e1", "problem_id": "p1"},
        {"parent": PROBLEM | {"id": "p1"}},
    ),
}


def test_a_measure_naming_a_problem_that_is_not_there_is_refused_and_naming_none_is_fine() -> None:
    measure = {"content": "协调授信", "status": "推进中", "enterprise_id": "e1"}
    assert [f.rule_id for f in rules.check("support_measure", measure | {"problem_id": "gone"})] == ["CS02"]
    assert rules.check("support_measure", measure | {"problem_id": None}) == []


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(rules.RULES_BY_ID)


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_bad_and_not_on_good(rule_id: str) -> None:
    entity, bad, good, extra = CASES[rule_id]
    kwargs = {"industry_domains": INDUSTRY_DOMAINS, **extra}
    fired = [f for f in rules.check(entity, bad, **kwargs) if f.rule_id == rule_id]
    assert len(fired) == 1, rules.check(entity, bad, **kwargs)
    assert fired[0].severity is rules.RULES_BY_ID[rule_id].severity
    assert fired[0].message and "{" not in fired[0].message
    assert not [f for f in rules.check(entity, good, **kwargs) if f.rule_id == rule_id]


# Every rule's severity, pinned: a change here is a change to what blocks a clerk's package, made on
# purpose. Those DOMAIN.md states: a wrong check character is an error; 累计 never falls within a
# year and January's 累计 equals 本月 (errors); 税收 ≤ 营业收入 is checked (an explanation settles
# it); 累计完成投资 ≤ 总投资 is a warning that needs an explanation, as is 累计到位资金 ≤ 合同投资额.
M, Q, V, H = Severity.MANDATORY, Severity.QUASI, Severity.VERIFY, Severity.HINT
SEVERITIES = {
    "QY01": M,
    "QY02": M,
    "QY03": V,
    "QY04": M,
    "QY05": H,
    "QY06": H,
    "QY07": M,
    "MD01": M,
    "MD02": M,
    "MD03": M,
    "YB01": M,
    "YB02": M,
    "YB03": M,
    "YB04": M,
    "YB05": M,
    "YB06": M,
    "YB07": M,
    "YB08": V,
    "YB09": V,
    "YB10": V,
    "YB11": V,
    "YB12": H,
    "XM01": H,
    "XM02": M,
    "XM04": M,
    "XM05": M,
    "XM06": M,
    "XM07": M,
    "XM08": H,
    "XM09": H,
    "XN01": M,
    "XN02": V,
    "ZT01": M,
    "ZT02": M,
    "ZT03": H,
    "ZT04": M,
    "XY01": M,
    "XY02": M,
    "XY03": M,
    "XY04": M,
    "XY05": Q,
    "XY06": V,
    "XY07": H,
    "XY08": M,
    "XY09": Q,
    "XY10": M,
    "XY11": M,
    "WT01": M,
    "WT02": M,
    "WT03": M,
    "WT04": M,
    "WT05": M,
    "WT06": M,
    "WT07": M,
    "WT08": M,
    "WT09": M,
    "WT10": M,
    "CS01": H,
    "CS02": M,
}


def test_every_severity_is_the_pinned_one() -> None:
    assert {rule_id: rule.severity for rule_id, rule in rules.RULES_BY_ID.items()} == SEVERITIES
    assert Severity.MANDATORY.blocks and not any(s.blocks for s in (Q, V, H))
    assert Q.needs_explanation and V.needs_explanation and not H.needs_explanation


def test_accumulation_is_only_compared_within_a_year() -> None:
    january = {"period": "2025-01", "output_month": D(5), "output_ytd": D(5)}
    december = {"period": "2024-12", "output_ytd": D(1000)}
    assert not [f for f in rules.check("enterprise_monthly", january, previous=december) if f.rule_id == "YB01"]


def test_project_cumulative_is_compared_across_years() -> None:
    january = {
        "period": "2025-01",
        "invest_cumulative": D(50),
        "invest_month": D(1),
        "invest_ytd": D(1),
        "progress": "施工中",
    }
    december = {"period": "2024-12", "invest_cumulative": D(60)}
    assert [f.rule_id for f in rules.check("project_monthly", january, previous=december)] == ["XY01"]


def test_required_fields_and_lengths() -> None:
    found = {f.rule_id for f in rules.check("enterprise", {"name": "x" * 101})}
    assert {"REQ.credit_code", "REQ.unit_id", "REQ.domain_id", "LEN.name"} <= found
    partial = {f.rule_id for f in rules.check("enterprise", {"name": "甲"}, partial=True)}
    assert "REQ.credit_code" not in partial


def test_negative_amounts_are_errors() -> None:
    found = rules.check("enterprise_monthly", MONTH | {"output_month": D(-1)})
    assert [(f.rule_id, f.severity) for f in found] == [("NEG.output_month", Severity.MANDATORY)]
    assert "本月产值不能为负数" in found[0].message


@pytest.mark.parametrize(
    ("severity", "text", "ok"),
    [
        (Severity.QUASI, "", False),
        (Severity.QUASI, "是", True),
        (Severity.VERIFY, "新增订单", False),
        (Severity.VERIFY, "新增大额订单交付", True),
        (Severity.VERIFY, "      六个空格", False),
        (Severity.HINT, None, True),
        (Severity.MANDATORY, "随便说明", True),
    ],
)
def test_explanation_lengths(severity: Severity, text: str | None, ok: bool) -> None:
    assert rules.explanation_ok(severity, text) is ok


def test_findings_carry_where_they_belong() -> None:
    found = rules.check(
        "enterprise_monthly", MONTH | {"output_month": D(20), "output_ytd": D(10)}, record_id="r1", subject="甲公司"
    )
    assert found[0].record_id == "r1" and found[0].period == "2025-03" and found[0].subject == "甲公司"
    assert found[0].describe().startswith("[强制性] 甲公司：")


def test_catalogue_lists_every_rule_in_chinese() -> None:
    rows = rules.catalogue()
    assert len(rows) == len(rules.RULES)
    assert {r["severity"] for r in rows} <= {s.value for s in Severity}
    assert all(r["fields"] and r["entity"] for r in rows)
