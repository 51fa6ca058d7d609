"""Parsing what clerks type: money, periods, dates, choices and references."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hengdong_desktop.domain import money, periods, records
from hengdong_desktop.domain.reference import default_file, load_file

REF, _ = load_file(default_file())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1,234.5", Decimal("1234.5")),
        ("１２３", Decimal(123)),
        (" 0 ", Decimal(0)),
        (7, Decimal(7)),
        (0.1, Decimal("0.1")),
        ("", None),
        (None, None),
        ("-3.25", Decimal("-3.25")),
    ],
)
def test_money_parse(typed: object, expected: Decimal | None) -> None:
    assert money.parse(typed) == expected


@pytest.mark.parametrize("typed", ["abc", "1.23456", "NaN", "inf", "1e13", True])
def test_money_refuses(typed: object) -> None:
    with pytest.raises(money.MoneyError):
        money.parse(typed)


def test_money_units_round_trip_exactly() -> None:
    for text in ("0.0001", "12345678.9999", "-1.5", "0"):
        value = Decimal(text)
        assert money.from_units(money.to_units(value)) == value
    assert money.fmt(Decimal("1234567.891")) == "1,234,567.89"


def test_periods() -> None:
    assert periods.previous("2025-01") == "2024-12"
    assert periods.following("2024-12") == "2025-01"
    assert periods.span("2025-02", 3) == ["2024-12", "2025-01", "2025-02"]
    assert periods.last_completed(date(2026, 1, 15)) == "2025-12"
    assert not periods.is_period("2025-13")
    with pytest.raises(ValueError, match="YYYY-MM"):
        periods.parse("2025/1")


@pytest.mark.parametrize(
    "typed", ["2024-05-01", "2024/5/1", "2024年5月1日", "2024.5.1", "20240501", "２０２４年５月１日", date(2024, 5, 1)]
)
def test_dates_in_every_usual_form(typed: object) -> None:
    assert records.parse_date(typed) == date(2024, 5, 1)


def test_impossible_date_is_named() -> None:
    with pytest.raises(records.ValueProblem, match="不是存在的日期"):
        records.parse_date("2024-02-30")


@pytest.mark.parametrize("typed", ["2024-05", "2024/5", "2024年5月", "202405", "2024-05-17"])
def test_months(typed: str) -> None:
    assert records.parse_month(typed) == "2024-05"


def test_coerce_reads_every_kind() -> None:
    raw = {
        "credit_code": " 91430424ma4l1234xw ",
        "name": " 衡东县测试机械有限公司 ",
        "unit_id": "吴集镇",
        "domain_id": "工业和信息化",
        "industry_id": "机械制造",
        "si_shang_category": "规模以上工业",
        "need_categories": "融资、土地，用工",
        "founded_on": "2010/3/4",
    }
    c = records.coerce("enterprise", raw, REF)
    assert c.ok, c.findings
    assert c.values["credit_code"] == "91430424MA4L1234XW"
    assert c.values["name"] == "衡东县测试机械有限公司"
    assert c.values["unit_id"] == 2
    assert c.values["need_categories"] == ["融资", "土地", "用工"]
    assert c.values["founded_on"] == date(2010, 3, 4)
    year = records.coerce("enterprise_annual", {"year": "２０２４", "output": "12,000.5", "employees": "120"}, REF)
    assert year.ok and year.values == {"year": 2024, "output": Decimal("12000.5"), "employees": 120}


def test_coerce_turns_bad_values_into_named_findings() -> None:
    c = records.coerce("enterprise", {"unit_id": "火星镇", "si_shang_category": "大型"}, REF)
    messages = {f.rule_id: f.message for f in c.findings}
    assert (
        "应为整数"
        in {f.rule_id: f.message for f in records.coerce("enterprise_annual", {"employees": "12.5"}, REF).findings}[
            "FMT.employees"
        ]
    )
    assert "火星镇" in messages["FMT.unit_id"]
    assert "可选" in messages["FMT.si_shang_category"]
    assert all(f.severity.blocks for f in c.findings)


def test_options_match_without_quotes_or_width() -> None:
    assert REF.match_option("cultivation_list", "四上企业培育库") == "“四上”企业培育库"
    assert REF.match_option("specialized_level", '国家级"小巨人"') == "国家级“小巨人”"


def test_blank_means_not_reported_and_zero_is_zero() -> None:
    c = records.coerce("enterprise_monthly", {"period": "2025-03", "output_month": "", "revenue_month": "0"}, REF)
    assert c.values["output_month"] is None
    assert c.values["revenue_month"] == Decimal(0)


def test_rounding_never_contradicts_the_comparison() -> None:
    """The issue's eighth case: 9,999.9999万 is not “10,000.00万元不足1亿元”, 9.99999999亿 is not 10.00."""
    assert money.fmt_beside(Decimal("9999.9999"), Decimal(10000)) == "9,999.9999"
    assert money.fmt_beside(Decimal("9.99999999"), Decimal(10)) == "9.99999999"
    assert money.fmt_beside(Decimal("10000.0001"), Decimal(10000)) == "10,000.0001"
    assert money.fmt_beside(Decimal("9999.5"), Decimal(10000)) == "9,999.50"  # two places already show it
    assert money.fmt_beside(Decimal(10000), Decimal(10000)) == "10,000.00"
    assert money.fmt_distinct(Decimal("100.004"), Decimal("100.001")) == ["100.004", "100.001"]
    assert money.fmt_distinct(Decimal("1.5"), Decimal("2.5"), Decimal("1.5")) == ["1.50", "2.50", "1.50"]
    from hengdong_desktop.domain import rules

    (finding,) = rules.check(
        "project",
        {"name": "乙", "unit_id": 2, "domain_id": 1, "status": "在建", "total_investment": Decimal("9999.9999")},
    )
    assert finding.message == "总投资9,999.9999万元不足1亿元，不计入亿元级项目"
    (finding,) = rules.check(
        "enterprise_monthly",
        {"period": "2025-03", "output_month": Decimal("100.0049"), "output_ytd": Decimal("100.0001")},
    )
    assert finding.message == "本月产值(100.005)大于1-本月累计产值(100.000)"  # three places tell them apart
