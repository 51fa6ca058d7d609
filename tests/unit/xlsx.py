"""Building the workbooks the Excel tests import: plain openpyxl, plus XML surgery for what
openpyxl cannot write itself (saved formula results, lying dimensions, hostile XML)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from hengdong_desktop.domain import credit_code

ENTERPRISE_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属单位",
    "所属领域",
    "所属产业",
    "主要产品",
    "法定代表人",
    "联系人",
    "成立日期",
]
ANNUAL_HEADER = [
    "统一社会信用代码",
    "企业名称",
    "年度",
    "全年产值(万元)",
    "全年营业收入(万元)",
    "全年税收(万元)",
    "年末从业人员(人)",
]


def code(n: int) -> str:
    """A valid credit code, different for each n."""
    return credit_code.complete(f"91430424MA4L{n:05d}")


def enterprise_row(n: int, **over: Any) -> list[Any]:
    values = {
        "统一社会信用代码": code(n),
        "企业名称": f"衡东县测试{n}号机械有限公司",
        "所属单位": None,
        "所属领域": "工业和信息化",
        "所属产业": "机械制造",
        "主要产品": f"机械配件{n}",
        "法定代表人": f"张{n}",
        "联系人": None,
        "成立日期": "2010-05-01",
    }
    values.update(over)
    return [values[h] for h in ENTERPRISE_HEADER]


def annual_row(n: int, **over: Any) -> list[Any]:
    """Enterprise n's figures for 2024 (企业年度)."""
    values = {
        "统一社会信用代码": code(n),
        "企业名称": f"衡东县测试{n}号机械有限公司",
        "年度": 2024,
        "全年产值(万元)": 1000 + n,
        "全年营业收入(万元)": 900 + n,
        "全年税收(万元)": 30,
        "年末从业人员(人)": 50,
    }
    values.update(over)
    return [values[h] for h in ANNUAL_HEADER]


class Formula(str):
    """A cell value the test means as a formula; any other text is written as text."""


def build(
    path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, tweak: Callable[[Workbook], None] | None = None
) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str) and not isinstance(value, Formula):
                    cell.data_type = "s"  # text, even when it starts with “=”
    if tweak:
        tweak(wb)
    wb.save(path)
    return path


def patch_sheet(path: Path, sheet_index: int, change: Callable[[str], str]) -> Path:
    """Rewrites one sheet's XML inside the file."""
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == name:
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)
    return path


def save_formula_result(xml: str, cell: str, cached: str) -> str:
    """Gives a formula cell the result Excel would have saved with it."""
    return re.sub(rf'(<c r="{cell}"[^>]*>)<f>(.*?)</f><v\s*/?>(</v>)?', rf"\1<f>\2</f><v>{cached}</v>", xml)


def values(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in load_workbook(path)[sheet].iter_rows(values_only=True)]
