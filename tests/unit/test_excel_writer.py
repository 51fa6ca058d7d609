"""The workbook writer serializes rows itself (for speed): each value must come out exactly as
openpyxl would write it, and read back as the value it was."""

from __future__ import annotations

import re
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from hengdong_desktop.services.excel.writer import MAX_TEXT, Column, Sheet, Table, write_workbook

# Values openpyxl writes as they are: text with what XML escapes or trims, numbers, dates.
NATIVE: list[Any] = [
    "衡东县",
    "  两端空格  ",
    "a & b < c > d \"e\" 'f'",
    "行一\r\n行二\r行三\n行四",
    "制表\t之后",
    "x" * (MAX_TEXT + 5),
    0,
    -3,
    12_345_678_901,
    0.1,
    1 / 3,
    -2.5e-7,
    123456789.1234,
    date(2024, 5, 1),
    datetime(2024, 5, 1, 8, 30),
]


def _cells(path: Path, sheet: int, row: int) -> list[str]:
    """The `<c>` elements of one row of a sheet, without their style attribute."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(f"xl/worksheets/sheet{sheet}.xml").decode()
    found = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', xml, re.DOTALL)
    assert found, f"row {row} missing"
    return [re.sub(r' s="\d+"', "", c) for c in re.findall(r"<c .*?(?:/>|</c>)", found.group(1), re.DOTALL)]


def test_rows_are_the_xml_openpyxl_writes(tmp_path: Path) -> None:
    ours = tmp_path / "ours.xlsx"
    write_workbook(ours, [Sheet("表", [Table([Column(f"列{i}") for i in range(len(NATIVE))], [NATIVE])])])
    stock = tmp_path / "openpyxl.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("表")
    ws.append([None])
    ws.append(NATIVE)
    wb.save(stock)
    assert _cells(ours, 1, 2) == _cells(stock, 1, 2)


def test_values_read_back_with_their_types_and_formats(tmp_path: Path) -> None:
    columns = [
        Column("文字"),
        Column("长文字", "longtext"),
        Column("金额", "money", total=True),
        Column("日期", "date"),
        Column("是否"),
        Column("多选"),
    ]
    rows = [
        ['=HYPERLINK("http://x")', "行一\r\n行二", Decimal("123456789.1234"), date(2024, 5, 1), True, ["甲", "乙"]],
        ["#N/A", "控制\x01字符\x1f", Decimal("-0.0001"), None, False, []],
        ["", "-减号开头", Decimal("0.0000"), datetime(1999, 12, 31, 8, 30), None, None],
    ]
    out = tmp_path / "表.xlsx"
    stats = write_workbook(out, [Sheet("表", [Table(columns, rows, totals=True)], heading="标题")])
    ws = load_workbook(out)["表"]
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=3, max_row=6)]
    assert got == [
        ['=HYPERLINK("http://x")', "行一\r\n行二", 123456789.1234, datetime(2024, 5, 1), "是", "甲、乙"],
        ["#N/A", "控制字符", -0.0001, None, "否", None],
        [None, "-减号开头", 0, datetime(1999, 12, 31, 8, 30), None, None],
        ["合计", None, 123456789.1233, None, None, None],
    ]
    assert stats.cells == 1 + 6 + 13 + 2  # heading, header, the values not empty, 合计 and its sum
    for cell in (ws["A3"], ws["A4"], ws["B5"]):  # text Excel would take for a formula or an error
        assert cell.data_type == "s" and cell.quotePrefix
    assert not ws["B3"].quotePrefix and ws["B3"].alignment.wrap_text
    assert ws["C3"].number_format == "#,##0.00" and ws["D3"].number_format == "yyyy-mm-dd"
    assert ws["D5"].number_format == "yyyy-mm-dd h:mm:ss"
    assert ws["A1"].font.b and ws["A2"].fill.fgColor.rgb.endswith("DDEBF7") and ws["C6"].font.b
    assert ws.row_dimensions[3].height == 30  # two lines of wrapped text
