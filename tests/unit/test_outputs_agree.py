"""The three outputs of the programme figures — `hengdong report --json`, the Excel 汇总表 and the
PDF 通报 — read one service, so they always show the same numbers, with the same 口径."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hengdong_desktop.cli import main
from hengdong_desktop.domain import money
from hengdong_desktop.services import demo, official_totals, pdf
from hengdong_desktop.services.excel.export import export_county

PERIOD = "2025-06"
TODAY = date(2025, 7, 5)
RETURNED_UNIT = 7  # 霞流镇: its package returned, so none of its figures count


@pytest.fixture
def outputs(training_county, training_county_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    from tests.unit.test_figures import accept

    db, _info = training_county
    demo.generate(db, enterprises=12, months=18, projects=4, seed=11, end_period=PERIOD, today=TODAY)
    accept(db, RETURNED_UNIT, PERIOD, decision="returned")
    official_totals.set_total(db, "机械制造", PERIOD, "345678.9", "县统计局")
    assert main(["report", "--db", str(training_county_path), "--period", PERIOD, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    export_county(db, tmp_path / "汇总表.xlsx", PERIOD, today=TODAY)
    book = load_workbook(tmp_path / "汇总表.xlsx", read_only=True)
    rows = [list(r) for r in book["目标完成情况"].iter_rows(values_only=True)]
    problems = [list(r) for r in book["问题清单"].iter_rows(values_only=True)]
    names = [list(r) for r in book["企业名录"].iter_rows(values_only=True)]
    projects = {
        "汇总": [list(r) for r in book["项目汇总"].iter_rows(values_only=True)],
        "招商": [list(r) for r in book["招商引资"].iter_rows(values_only=True)],
    }
    book.close()
    written = pdf.write_bulletin(db, tmp_path / "通报.pdf", PERIOD, today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(written.path).pages)
    return report, rows, "".join(text.split()), problems, names, projects


def _row(rows: list[list[object]], column: int, value: str) -> list[object]:
    return next(r for r in rows if len(r) > column and r[column] == value)


def test_every_number_states_its_basis(outputs) -> None:  # type: ignore[no-untyped-def]
    report, rows, text, _problems, _names, _projects = outputs
    basis = report["basis"]
    assert basis["pending_included"] is False and basis["left_out"] == {"霞流镇": "已退回"}
    assert basis["headline_label"] == "2024年全年" and len(basis["counted_units"]) == 17
    numbers = [
        *report["headline"].values(),
        *(p for d in report["domains"] for p in d["progress"].values()),
        *report["industries"],
        report["problems"],
    ]
    for number in numbers:
        stated = number["basis"]
        assert stated["period"] == PERIOD and stated["pending_included"] is False, number
        assert stated["reference_version"] == report["reference_version"] and stated["measure"], number
    assert {i["name"]: i["basis"]["measure"] for i in report["industries"]}["文旅康养"] == "营业收入"
    assert report["headline"]["billion_enterprises"]["basis"]["counted_on"] == "2024年全年"
    # the same 口径 line in the workbook and the bulletin
    assert rows[2][0] == basis["sentence"] and "".join(basis["sentence"].split()) in text
    assert "未计入：已退回1个（霞流镇）" in text


def test_headline_agrees(outputs) -> None:  # type: ignore[no-untyped-def]
    report, rows, text, _problems, _names, _projects = outputs
    units = {"百亿级产业": "个", "十亿级企业": "家", "亿元级项目": "个"}
    for metric in report["headline"].values():
        label, achieved, target = metric["label"], metric["achieved"], int(metric["target"])
        excel = _row(rows, 0, label)
        assert excel[1:3] == [target, achieved], label
        assert excel[4:7] == [metric["year_to_date"], metric["last_year"], metric["projected"]], label
        prefix = f"{label}（已开工实施）" if label == "亿元级项目" else f"{label}（按2024年全年）"
        assert f"{prefix}{achieved}{units[label]}，2025年目标{target}{units[label]}" in text, label
        if metric["year_to_date"] is not None:
            assert f"1-本月累计已达标{metric['year_to_date']}{units[label]}，预计全年{metric['projected']}" in text
        else:
            assert excel[7] == metric["new_this_period"] and f"本月新开工{metric['new_this_period']}" in text
    assert report["headline"]["billion_enterprises"]["achieved"] > 0  # the comparison compared real figures


def test_industries_agree(outputs) -> None:  # type: ignore[no-untyped-def]
    report, rows, text, _problems, _names, _projects = outputs
    assert len(report["industries"]) == 9
    nonzero = 0
    for industry in report["industries"]:
        output = Decimal(industry["output_to_date"])
        nonzero += output > 0
        excel = _row(rows, 1, industry["name"])
        assert excel[2] == industry["measure"] and excel[3] == industry["enterprises"]
        assert Decimal(str(excel[4])).quantize(Decimal("0.01")) == output.quantize(Decimal("0.01")), industry["name"]
        for column, key in ((5, "official_to_date"), (11, "last_year"), (12, "projected")):
            value = industry[key]
            assert (excel[column] is None) == (value is None), (industry["name"], key)
            if value is not None:
                assert Decimal(str(excel[column])).quantize(Decimal("0.01")) == Decimal(value).quantize(
                    Decimal("0.01")
                ), (industry["name"], key)
        shown = money.fmt_beside(money.wan_to_yi(output), Decimal(100))
        assert (
            f"{industry['name']}{industry['domain']}（{industry['measure']}）{industry['enterprises']}{shown}" in text
        ), industry["name"]
    assert nonzero >= 5
    machinery = next(i for i in report["industries"] if i["name"] == "机械制造")
    assert Decimal(machinery["official_to_date"]) == Decimal("345678.9") and machinery["basis"]["official"]
    assert f"{machinery['coverage_percent']}%" in text and _row(rows, 1, "机械制造")[6] == pytest.approx(
        float(machinery["coverage_percent"])
    )


def test_problems_agree_as_of_the_period_end(outputs) -> None:  # type: ignore[no-untyped-def]
    report, _rows, text, problems, _names, _projects = outputs
    open_total = report["problems"]["open_total"]
    assert open_total > 0 and f"截至2025-06-30，全县未解决问题{open_total}条" in text
    assert problems[1][0].endswith(f"（截至2025-06-30，未解决{open_total}条）")
    listed = problems[4:]
    assert sum(1 for r in listed if r[7] == "未解决") == open_total
    assert all(r[5] <= datetime(2025, 6, 30) for r in listed)  # raised by the period's end
    assert all(r[8] <= (date(2025, 6, 30) - r[5].date()).days for r in listed)  # aged to that day at most


def test_the_workbook_lists_what_the_figures_count(outputs) -> None:  # type: ignore[no-untyped-def]
    report, _rows, _text, _problems, names, _projects = outputs
    units = {r[0] for r in names[4:-1]}
    assert units == set(report["basis"]["counted_units"]) and "霞流镇" not in units


def test_projects_and_investment_agree(outputs) -> None:  # type: ignore[no-untyped-def]
    report, _rows, text, _problems, _names, sheets = outputs
    projects, investment = report["projects"], report["investment"]
    total = projects["total"]
    assert total["projects"] > 0
    yi = lambda value: money.fmt(money.wan_to_yi(Decimal(value)), 2)  # noqa: E731
    assert (
        f"全县在库项目{total['projects']}个（其中总投资1亿元及以上{total['hundred_million']}个），"
        f"总投资{yi(total['total_investment'])}亿元"
    ) in text
    for stage in projects["by_stage"]:
        if stage["projects"]:
            row = _row(sheets["汇总"], 0, stage["name"])
            assert row[1:3] == [stage["projects"], stage["hundred_million"]], stage["name"]
            assert f"{stage['name']}{stage['projects']}个" in text
    for domain in projects["by_domain"]:
        row = _row(sheets["汇总"], 0, domain["name"])
        assert Decimal(str(row[5])).quantize(Decimal("0.01")) == Decimal(domain["invest_ytd"]).quantize(Decimal("0.01"))
    counts = projects["warning_counts"]
    assert f"包而不推{counts['包而不推']}个、推而不快{counts['推而不快']}个、快而不优{counts['快而不优']}个" in text
    assert sum(1 for r in sheets["汇总"] if r[0] in counts) == len(projects["warnings"]) == sum(counts.values())
    promotion = {r[0]: r[1] for r in sheets["招商"] if r and r[0]}
    assert (
        investment["signed"] > 0
        and promotion["累计签约项目(个)"] == investment["signed"]
        and f"累计签约{investment['signed']}个" in text
    )
    assert f"已开工{investment['started']}个" in text and promotion["已开工项目(个)"] == investment["started"]
    if investment["fulfil_percent"] is not None:
        assert promotion["履约率(%)"] == pytest.approx(float(investment["fulfil_percent"]))
        assert f"履约率{investment['fulfil_percent']}%" in text
