"""The 说明 column of the Excel sheets: the township export writes the explanations stored for
each row, and an import takes a row's 说明 as the explanation of every warning the rule engine
finds on that row, so a clerk without the GUI can finish a period in Excel."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.services import checks, demo
from hengdong_desktop.services.excel import export, importer

PERIOD = "2025-06"


def _monthly_cell(path: Path, record_id_of_row: dict[tuple[str, str], str], record_id: str) -> tuple[int, int]:
    """(row, 说明 column) of the 企业月度 row whose record is `record_id`."""
    ws = load_workbook(path)["企业月度"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=3) if any(c.value == "统一社会信用代码" for c in r))
    columns = {c.value: c.column for c in header}
    for row in ws.iter_rows(min_row=header[0].row + 1):
        key = (row[columns["统一社会信用代码"] - 1].value, row[columns["填报期"] - 1].value)
        if record_id_of_row.get(key) == record_id:  # type: ignore[arg-type]
            return row[0].row, columns["说明"]
    raise AssertionError("row not found")


def _write(path: Path, cells: dict[tuple[int, int], str]) -> None:
    wb = load_workbook(path)
    for (row, column), text in cells.items():
        wb["企业月度"].cell(row, column, text)
    wb.save(path)


def _monthly_warnings(db) -> tuple[list[Finding], dict[tuple[str, str], str]]:  # type: ignore[no-untyped-def]
    report = checks.check_database(db)
    warnings = [f for f in report.unexplained if f.entity == "enterprise_monthly"]
    with db.read() as s:
        rows = {
            (code, period): rid
            for rid, code, period in s.execute(
                select(m.EnterpriseMonthly.id, m.Enterprise.credit_code, m.EnterpriseMonthly.period).join(
                    m.Enterprise, m.Enterprise.id == m.EnterpriseMonthly.enterprise_id
                )
            )
        }
    return warnings, rows


def test_a_rows_explanation_explains_its_warnings(training_township, tmp_path: Path) -> None:
    db, _info = training_township
    demo.generate(db, enterprises=30, months=12, seed=7, end_period=PERIOD)
    warnings, rows = _monthly_warnings(db)
    assert len(warnings) >= 3
    first, second, third = warnings[:3]
    out = tmp_path / "本单位.xlsx"
    export.export_township(db, out)
    _write(
        out,
        {
            _monthly_cell(out, rows, first.record_id or ""): "客户集中提货，产值增加",
            _monthly_cell(out, rows, second.record_id or ""): "短",
        },
    )  # 核实性: at least 6 characters

    _data, plan = importer.import_file(db, out)
    assert plan.written and not plan.blocking
    explained = {(i.rule, i.explanation) for i in plan.issues if i.explanation}
    assert (first.rule_id, "客户集中提货，产值增加") in explained
    assert len(plan.warnings) == len(checks.check_database(db).unexplained)  # what 审核 lists now
    assert "填写说明2条" in plan.summary()

    after = {(f.rule_id, f.record_id) for f in checks.check_database(db).unexplained}
    assert (first.rule_id, first.record_id) not in after  # explained
    assert (second.rule_id, second.record_id) in after  # too short: written, still open
    assert (third.rule_id, third.record_id) in after  # its row said nothing
    with db.read() as s:
        stored = {(e.rule_id, e.record_id): (e.text, e.entity, e.period) for e in s.scalars(select(m.Explanation))}
    assert stored[(first.rule_id, first.record_id)] == ("客户集中提货，产值增加", "enterprise_monthly", first.period)
    assert stored[(second.rule_id, second.record_id)][0] == "短"

    again = tmp_path / "again.xlsx"  # the export carries it, and importing it again changes nothing
    export.export_township(db, again)
    row, column = _monthly_cell(again, rows, first.record_id or "")
    assert load_workbook(again)["企业月度"].cell(row, column).value == "客户集中提货，产值增加"
    _data, plan = importer.import_file(db, again, dry_run=True)
    assert plan.explanations == [] and all(c.action == "unchanged" for c in plan.changes)


def test_an_explanation_on_a_row_without_warnings_is_named(training_township, tmp_path: Path) -> None:
    db, _info = training_township
    demo.generate(db, enterprises=30, months=12, seed=7, end_period=PERIOD)
    warnings, rows = _monthly_warnings(db)
    warned = {f.record_id for f in checks.check_database(db).findings}
    quiet = next(rid for rid in rows.values() if rid not in warned)
    out = tmp_path / "本单位.xlsx"
    export.export_township(db, out)
    row, column = _monthly_cell(out, rows, quiet)
    _write(out, {(row, column): "本月数据已核实无误"})
    _data, plan = importer.import_file(db, out, dry_run=True)
    hint = next(i for i in plan.issues if i.rule == "XLS.explanation")
    assert hint.row == row and hint.column == "说明" and "没有需要说明的警告" in hint.message
    assert plan.explanations == []
