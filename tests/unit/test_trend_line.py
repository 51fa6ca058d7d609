"""What the 驾驶舱 shows beyond the programme figures, computed by `services.figures` and checked by
hand: the trend of several target industries together, drill-down totals, overdue units."""

from __future__ import annotations

from decimal import Decimal as D

from hengdong_desktop.services import figures as fs


def _industry(industry_id: int, target: D | None) -> fs.IndustryFigures:
    return fs.IndustryFigures(industry_id, f"产业{industry_id}", 1, 1, D(0), D(0), D(0), target)


def test_combined_trend_sums_what_was_reported() -> None:
    trend = fs.Trend(
        "2025-03",
        this_year={1: [None, D(10), D(25)], 2: [D(5), D(7), D(9)], 3: [D(100), D(200), D(300)]},
        last_year={1: [D(1)] * 12, 2: [None] * 11 + [D(50)]},
    )
    industries = [_industry(1, D(1000)), _industry(2, None), _industry(3, D(7))]
    line = fs.combined_trend(trend, industries, [1, 2])
    assert line.this_year == [D(5), D(17), D(34)]  # January: only industry 2 had reported
    assert line.last_year == [D(1)] * 11 + [D(51)]
    assert line.target == D(1000)  # industry 2 has no target; industry 3 is not chosen
    nobody = fs.combined_trend(trend, industries, [2, 4])
    assert nobody.last_year[:11] == [None] * 11 and nobody.target is None and len(nobody.this_year) == 3


def test_drill_down_totals_and_overdue_units() -> None:
    def firm(output: D | None) -> fs.EnterpriseRow:
        return fs.EnterpriseRow("e", 1, "c", "企业", 1, None, output, None, None)

    assert fs.output_total([firm(D("1.5")), firm(None), firm(D(2))]) == D("3.5")
    assert fs.output_total([]) == D(0)
    rs = fs.ReportingStatus(
        ["2025-02", "2025-03"], [(1, "甲"), (2, "乙")], {}, {(1, "2025-03"), (2, "2025-03"), (1, "2025-02")}, 10, 0, 0
    )
    assert rs.overdue_count("2025-03") == 2 and rs.overdue_count("2025-02") == 1 and rs.overdue_count("2025-01") == 0
    projects = [fs.ProjectRow("p", 1, None, "项目", 1, None, D(n), "在建") for n in (10000, 25000)]
    assert fs.investment_total(projects) == D(35000)
