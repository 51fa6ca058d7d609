"""The import report as a workbook: a 导入报告 sheet listing every finding (sheet, row, column,
value, rule, severity, message, with a link to the cell), then a copy of each imported sheet's
values at their original places with the offending cells highlighted and the reasons attached
as comments, so the clerk fixes the file where Excel shows the problem."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname

from hengdong_desktop.domain.rules import Severity
from hengdong_desktop.services.excel.importer import ImportPlan, Issue
from hengdong_desktop.services.excel.reader import WorkbookData
from hengdong_desktop.services.excel.writer import (
    HEADER_ALIGN,
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    TITLE_FONT,
    display_width,
    is_formula_like,
    plain_value,
    save_workbook,
)

REPORT_TITLE = "导入报告"
FILLS = {
    Severity.MANDATORY: PatternFill("solid", fgColor="FFC7CE"),
    Severity.QUASI: PatternFill("solid", fgColor="FFEB9C"),
    Severity.VERIFY: PatternFill("solid", fgColor="FFEB9C"),
    Severity.HINT: PatternFill("solid", fgColor="DDEBF7"),
}
COLUMNS = ("工作表", "行号", "列", "单元格", "值", "规则", "级别", "说明")


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col)
    value = plain_value(value)
    cell.value = value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"  # shown as the text it is, never evaluated
        cell.quotePrefix = True
    return cell


def _findings_sheet(ws: Any, plan: ImportPlan) -> None:
    _put(ws, 1, 1, "Excel导入检查报告").font = TITLE_FONT
    _put(ws, 2, 1, "文件")
    _put(ws, 2, 2, plan.file)
    _put(ws, 3, 1, "结果")
    _put(ws, 3, 2, plan.summary())
    _put(ws, 4, 1, "时间")
    _put(ws, 4, 2, datetime.now().strftime("%Y-%m-%d %H:%M"))
    header = 6
    for col, label in enumerate(COLUMNS, 1):
        cell = _put(ws, header, col, label)
        cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, HEADER_BORDER
    titles = {s.title for s in plan.sheets if s.entity}
    for n, issue in enumerate(plan.issues, header + 1):
        values = (
            issue.sheet,
            issue.row,
            issue.column,
            issue.cell,
            issue.value,
            issue.rule,
            issue.severity.value,
            issue.text,
        )
        for col, value in enumerate(values, 1):
            _put(ws, n, col, value)
        ws.cell(row=n, column=7).fill = FILLS[issue.severity]
        if issue.cell and issue.sheet in titles:
            link = ws.cell(row=n, column=4)
            link.hyperlink = f"#{quote_sheetname(issue.sheet)}!{issue.cell}"
            link.font = Font(color="0563C1", underline="single")
    widths = [12, 7, 18, 8, 24, 16, 9, 70]
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = f"A{header + 1}"
    if plan.issues:
        ws.auto_filter.ref = f"A{header}:H{header + len(plan.issues)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _copy_sheet(ws: Any, rows: dict[int, dict[int, Any]], issues: list[Issue]) -> None:
    widths: dict[int, int] = defaultdict(int)
    for number, cells in rows.items():
        for col, value in cells.items():
            _put(ws, number, col, value)
            if isinstance(value, str):
                widths[col] = max(widths[col], display_width(value))
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, min(width + 2, 40))
    by_cell: dict[str, list[Issue]] = defaultdict(list)
    for issue in issues:
        where = issue.cell or (f"A{issue.row}" if issue.row else None)
        if where:
            by_cell[where].append(issue)
    for where, found in by_cell.items():
        worst = min(found, key=lambda i: i.severity.rank)
        cell = ws[where]
        cell.fill = FILLS[worst.severity]
        text = "\n".join(f"[{i.severity.value}] {i.text}" for i in found)
        cell.comment = Comment(text, "衡东百十亿数据系统", width=320, height=60 + 18 * len(found))


def write_report(plan: ImportPlan, data: WorkbookData, out: str | Path) -> Path:
    """Writes the report of `plan` (made from `data`) to `out`."""
    out = Path(out)
    wb = Workbook()
    ws = wb.active
    ws.title = REPORT_TITLE
    _findings_sheet(ws, plan)
    issues_by_sheet: dict[str, list[Issue]] = defaultdict(list)
    for issue in plan.issues:
        issues_by_sheet[issue.sheet].append(issue)
    headers = {s.title: s.header_row for s in plan.sheets if s.entity}
    for sheet in data.sheets:
        if sheet.title not in headers:
            continue
        copy = wb.create_sheet(sheet.title if sheet.title != REPORT_TITLE else f"{sheet.title}(原表)")
        _copy_sheet(copy, sheet.rows, issues_by_sheet.get(sheet.title, []))
        for cell in copy[headers[sheet.title] or 1]:
            if cell.value is not None and not cell.comment:
                cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        copy.freeze_panes = f"A{(headers[sheet.title] or 1) + 1}"
    save_workbook(wb, out)
    return out
