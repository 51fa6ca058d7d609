"""The three outputs of the programme figures — `hengdong report --json`, the Excel 汇总表 and the
PDF 通报 — read one service, so they always show the same numbers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from hengdong_desktop.cli import main
from hengdong_desktop.domain import money
from hengdong_desktop.services import demo, pdf
from hengdong_desktop.services.excel.export import export_county

PERIOD = "2025-06"
TODAY = date(2025, 7, 5)


@pytest.fixture
def outputs(training_county, training_county_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    db, _info = training_county
    demo.generate(db, enterprises=12, months=18, projects=4, seed=11, end_period=PERIOD, today=TODAY)
    assert main(["report", "--db", str(training_county_path), "--period", PERIOD, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    export_county(db, tmp_path / "汇总表.xlsx", PERIOD, today=TODAY)
    book = load_workbook(tmp_path / "汇总表.xlsx", read_only=True)
    rows = [list(r) for r in book["目标完成情况"].iter_rows(values_only=True)]
    book.close()
    written = pdf.write_bulletin(db, tmp_path / "通报.pdf", PERIOD, today=TODAY)
    text = "".join(page.extract_text() for page in PdfReader(written.path).pages)
    return report, rows, "".join(text.split())


def _row(rows: list[list[object]], column: int, value: str) -> list[object]:
    return next(r for r in rows if len(r) > column and r[column] == value)


def test_headline_agrees(outputs) -> None:  # type: ignore[no-untyped-def]
    report, rows, text = outputs
    units = {"百亿级产业": "个", "十亿级企业": "家", "亿元级项目": "个"}
    for metric in report["headline"].values():
        label, achieved, target = metric["label"], metric["achieved"], int(metric["target"])
        excel = _row(rows, 0, label)
        assert (excel[1], excel[2]) == (target, achieved), label
        prefix = f"{label}（已开工实施）" if label == "亿元级项目" else label
        assert f"{prefix}{achieved}{units[label]}，2025年目标{target}{units[label]}" in text, label


def test_industries_agree(outputs) -> None:  # type: ignore[no-untyped-def]
    report, rows, text = outputs
    assert len(report["industries"]) == 9
    nonzero = 0
    for industry in report["industries"]:
        output = Decimal(industry["output_to_date"])
        nonzero += output > 0
        excel = _row(rows, 1, industry["name"])
        assert excel[2] == industry["enterprises"]
        assert Decimal(str(excel[3])).quantize(Decimal("0.01")) == output.quantize(Decimal("0.01")), industry["name"]
        assert f"{industry['name']}{industry['domain']}{industry['enterprises']}" \
               f"{money.fmt(money.wan_to_yi(output), 2)}" in text, industry["name"]
    assert nonzero >= 5  # the comparison compared real figures
