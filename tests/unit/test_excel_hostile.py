"""Hostile and messy workbooks, each built by its test: formula-looking text, formula cells,
dates in every form and both epochs, merged cells, hidden sheets and rows, full-width digits and
spaces, caps read from the real data, XML bombs, files that are not workbooks."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from sqlalchemy import select

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.excel import importer, reader
from tests.unit.xlsx import (
    ANNUAL_HEADER,
    ENTERPRISE_HEADER,
    Formula,
    annual_row,
    build,
    code,
    enterprise_row,
    patch_sheet,
    save_formula_result,
)


def _enterprises(db) -> dict[str, m.Enterprise]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return {e.credit_code: e for e in s.scalars(select(m.Enterprise))}


def _annual(db) -> dict[str, m.EnterpriseAnnual]:  # type: ignore[no-untyped-def]
    """Each enterprise's 2024 figures, by credit code."""
    with db.read() as s:
        return {
            code_: a for a, code_ in s.execute(select(m.EnterpriseAnnual, m.Enterprise.credit_code).join(m.Enterprise))
        }


def test_text_that_looks_like_a_formula_is_data(township, tmp_path: Path) -> None:
    db, _ = township
    names = ['=HYPERLINK("http://x","点我")', "+86 有限公司", "-减号公司", "@at公司", "\t=1+1公司"]
    rows = [enterprise_row(n, 企业名称=name) for n, name in enumerate([*names, "NULMARK公司"], 1)]
    path = build(tmp_path / "f.xlsx", {"企业": [ENTERPRISE_HEADER, *rows]})
    # A NUL cannot stand in XML; Excel writes it as the escape _x0000_.
    patch_sheet(path, 1, lambda xml: xml.replace("NULMARK", "_x0000_=2+2"))
    _d, plan = importer.import_file(db, path)
    assert plan.written, plan.blocking
    stored = {e.name for e in _enterprises(db).values()}
    assert stored == {*names[:4], "=1+1公司", "=2+2公司"}


def test_formula_cells_use_the_saved_result_or_are_refused(township, tmp_path: Path) -> None:
    db, _ = township
    path = build(
        tmp_path / "f.xlsx",
        {
            "企业": [ENTERPRISE_HEADER, enterprise_row(1), enterprise_row(2)],
            "企业年度": [
                ANNUAL_HEADER,
                annual_row(1, **{"全年产值(万元)": Formula("=1000+234.5")}),
                annual_row(2, **{"全年产值(万元)": Formula("=D2*2")}),
            ],
        },
    )
    patch_sheet(path, 2, lambda xml: save_formula_result(xml, "D2", "1234.5"))
    _d, plan = importer.import_file(db, path)
    [refused] = plan.blocking
    assert (refused.cell, refused.rule) == ("D3", "XLS.formula") and "没有保存计算结果" in refused.message
    patch_sheet(path, 2, lambda xml: save_formula_result(xml, "D3", "2469"))
    _d, plan = importer.import_file(db, path)
    assert plan.written and any(i.rule == "XLS.formula" and "2个公式" in i.message for i in plan.issues)
    assert _annual(db)[code(1)].output == Decimal("1234.5")
    assert _annual(db)[code(2)].output == Decimal("2469")


def test_a_saved_error_value_is_refused(township, tmp_path: Path) -> None:
    db, _ = township
    path = build(
        tmp_path / "e.xlsx",
        {
            "企业": [ENTERPRISE_HEADER, enterprise_row(1)],
            "企业年度": [ANNUAL_HEADER, annual_row(1, **{"全年产值(万元)": Formula("=1/0")})],
        },
    )
    patch_sheet(path, 2, lambda xml: save_formula_result(xml, "D2", "#DIV/0!").replace('<c r="D2"', '<c r="D2" t="e"'))
    _d, plan = importer.import_file(db, path)
    [issue] = plan.blocking
    assert issue.rule == "XLS.error" and "#DIV/0!" in issue.message


def test_dates_as_serials_text_and_in_1904_workbooks(township, tmp_path: Path) -> None:
    db, _ = township
    forms = [45413, "2024/5/1", "2024年5月1日", "２０２４－０５－０１", datetime(2024, 5, 1), "20240501"]
    rows = [enterprise_row(n, 成立日期=value) for n, value in enumerate(forms, 1)]
    _d, plan = importer.import_file(db, build(tmp_path / "d.xlsx", {"企业": [ENTERPRISE_HEADER, *rows]}))
    assert plan.written, plan.blocking
    assert {e.founded_on for e in _enterprises(db).values()} == {date(2024, 5, 1)}

    def mac(wb) -> None:  # type: ignore[no-untyped-def]
        wb.epoch = CALENDAR_MAC_1904

    # A date cell and a bare serial in a 1904-based workbook: serial 43951 is 2024-05-01 there.
    rows = [enterprise_row(11, 成立日期=datetime(2024, 5, 1)), enterprise_row(12, 成立日期=43951)]
    path = build(tmp_path / "mac.xlsx", {"企业": [ENTERPRISE_HEADER, *rows]}, tweak=mac)
    data, plan = importer.import_file(db, path)
    assert data.epoch_1904 and plan.written, plan.blocking
    found = _enterprises(db)
    assert found[code(11)].founded_on == found[code(12)].founded_on == date(2024, 5, 1)


def test_merged_cells_lend_their_value_to_every_row(county, tmp_path: Path) -> None:
    db, _ = county

    def merge(wb) -> None:  # type: ignore[no-untyped-def]
        ws = wb["企业"]
        ws.merge_cells("A1:I1")  # a title over the table
        ws.merge_cells("C3:C5")  # 所属单位 written once for three enterprises

    rows = [enterprise_row(1, 所属单位="石湾镇"), enterprise_row(2), enterprise_row(3)]
    path = build(tmp_path / "m.xlsx", {"企业": [["衡东县企业名单"], ENTERPRISE_HEADER, *rows]}, tweak=merge)
    _d, plan = importer.import_file(db, path)
    assert plan.written, plan.blocking
    assert any(i.rule == "XLS.merged" for i in plan.issues)
    with db.read() as s:
        units = set(s.scalars(select(m.Enterprise.unit_id)))
    assert units == {next(u.id for u in _reference(db).units if u.name == "石湾镇")}


def _reference(db):  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.reference import load_reference

    return load_reference(db)


def test_hidden_sheets_are_skipped_and_hidden_rows_imported(township, tmp_path: Path) -> None:
    db, _ = township

    def hide(wb) -> None:  # type: ignore[no-untyped-def]
        wb["旧数据"].sheet_state = "hidden"
        wb["企业"].row_dimensions[3].hidden = True

    path = build(
        tmp_path / "h.xlsx",
        {
            "企业": [ENTERPRISE_HEADER, enterprise_row(1), enterprise_row(2)],
            "旧数据": [ENTERPRISE_HEADER, enterprise_row(3)],
        },
        tweak=hide,
    )
    _d, plan = importer.import_file(db, path)
    assert plan.written and set(_enterprises(db)) == {code(1), code(2)}
    notes = {i.rule: i.message for i in plan.issues}
    assert "旧数据" in notes["XLS.hidden_sheet"] and "第3行是隐藏行" in notes["XLS.hidden_rows"]


def test_full_width_digits_spaces_and_trailing_blanks(township, tmp_path: Path) -> None:
    db, _ = township
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in code(1).lower())
    row = enterprise_row(1, 统一社会信用代码=f"\u3000{wide} ", 企业名称="  衡东县全角有限公司\u3000 ")
    year = annual_row(
        1,
        统一社会信用代码=f" {wide}",
        年度="２０２４",
        **{"全年产值(万元)": "１２，３４５．６ ", "全年营业收入(万元)": " 12 345.60\u00a0"},
    )
    trailing = [[None] * 9, ["   "] * 9]  # blank-looking rows after the data
    _d, plan = importer.import_file(
        db, build(tmp_path / "w.xlsx", {"企业": [ENTERPRISE_HEADER, row, *trailing], "企业年度": [ANNUAL_HEADER, year]})
    )
    assert plan.written, plan.blocking
    ent = _enterprises(db)[code(1)]
    assert ent.name == "衡东县全角有限公司"
    annual = _annual(db)[code(1)]
    assert (annual.year, annual.output, annual.revenue) == (2024, Decimal("12345.6"), Decimal("12345.6"))


def test_caps_apply_to_the_real_data_not_the_declared_dimension(township, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db, _ = township
    rows = [enterprise_row(n) for n in range(1, 41)]
    path = build(tmp_path / "dim.xlsx", {"企业": [ENTERPRISE_HEADER, *rows]})
    patch_sheet(path, 1, lambda xml: xml.replace('<dimension ref="A1:I41"/>', '<dimension ref="A1:B2"/>'))
    data = reader.read_workbook(path)
    assert len(data.sheets[0].rows) == 41  # a lying dimension hides nothing
    monkeypatch.setattr(reader, "MAX_ROWS", 30)
    with pytest.raises(UserError, match="超过30行"):
        reader.read_workbook(path)
    monkeypatch.setattr(reader, "MAX_ROWS", 100_000)
    wide = build(tmp_path / "wide.xlsx", {"企业": [ENTERPRISE_HEADER, [*enterprise_row(1), *([None] * 300), "远处"]]})
    with pytest.raises(UserError, match="第2行第310列有数据"):
        reader.read_workbook(wide)
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1000)
    with pytest.raises(UserError, match="超过了0MB的上限|文件大小"):
        importer.import_file(db, path)


def test_xml_entities_are_refused(township, tmp_path: Path) -> None:
    db, _ = township
    path = build(tmp_path / "bomb.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1)]})
    bomb = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    body = lambda xml: xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml  # noqa: E731
    patch_sheet(path, 1, lambda xml: bomb + body(xml).replace("衡东县测试1号", "&b;"))
    with pytest.raises(UserError, match=r"不符合Excel格式（(EntitiesForbidden|DTDForbidden)）"):  # defusedxml
        importer.import_file(db, path)
    assert _enterprises(db) == {}


def test_files_that_are_not_workbooks(township, tmp_path: Path) -> None:
    db, _ = township
    fake = tmp_path / "fake.xlsx"
    fake.write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    with pytest.raises(UserError, match="不是有效的.xlsx工作簿"):
        importer.import_file(db, fake)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(UserError, match="旧版.xls格式"):
        importer.import_file(db, old)
    empty = build(tmp_path / "empty.xlsx", {"Sheet1": [["随便写的表"], ["a", "b"]]})
    _d, plan = importer.import_file(db, empty)
    assert [i.rule for i in plan.blocking] == ["XLS.nothing"] and not plan.written
    blank = tmp_path / "blank.xlsx"  # the template as downloaded: nothing to do, nothing wrong
    assert main(["excel", "template", "--out", str(blank)]) == 0
    _d, plan = importer.import_file(db, blank)
    assert not plan.issues and plan.summary() == "检查通过，没有需要新增或修改的数据。"
    with zipfile.ZipFile(tmp_path / "nosheet.xlsx", "w") as z:
        z.writestr("hello.txt", "x")
    with pytest.raises(UserError, match="无法读取文件"):
        importer.import_file(db, tmp_path / "nosheet.xlsx")
