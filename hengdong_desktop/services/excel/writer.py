"""Writing styled, print-ready workbooks with openpyxl in streaming (write-only) mode.

A workbook is described as plain data (sheets of tables of rows); `write_workbook` renders it:
bold header row, frozen panes, widths fitted to Chinese text, 万元 number formats, a 合计 row,
filters, landscape A4 fitted to the page width, page numbers, and drop-down lists. Text that
Excel would take for a formula or an error code is written as text."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from hengdong_desktop.errors import UserError

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
PERCENT_FORMAT = '0.0"%"'  # values are already percentages (87.5 → 87.5%)
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
FORMATS = {"money": MONEY_FORMAT, "int": INT_FORMAT, "count": INT_FORMAT, "percent": PERCENT_FORMAT,
           "date": DATE_FORMAT}
# Columns Excel would turn into numbers or dates if typed into an empty template.
TEXT_KINDS = ("text", "month")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")

_THIN = Side(style="thin", color="8EA9C1")
HEADER_FONT = Font(bold=True, color="1F3864")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
REQUIRED_FONT = Font(bold=True, color="C00000")
TITLE_FONT = Font(bold=True, size=14)
CAPTION_FONT = Font(bold=True, size=11, color="1F3864")
TOTAL_FONT = Font(bold=True)
WRAP = Alignment(vertical="top", wrap_text=True)
MAX_WIDTH = {"longtext": 30}
DEFAULT_MAX_WIDTH = 36
MIN_WIDTH = 6
PAGE_WIDTH = 320  # column widths that still read on one landscape A4 page (printed at about half size)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text, longtext, money, int, count, percent, date, month
    total: bool = False  # summed in the 合计 row
    choices: tuple[str, ...] = ()  # a drop-down list, where the sheet has drop-downs
    required: bool = False  # header shown in red


@dataclass
class Table:
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    caption: str | None = None
    totals: bool = False


@dataclass
class Sheet:
    title: str
    tables: list[Table]
    heading: str | None = None  # a title line above the table(s), repeated on printed pages
    drop_downs: int = 0  # rows below the header that get drop-down validation (template)
    filters: bool = True


@dataclass
class WriteStats:
    cells: int = 0
    sheets: list[str] = field(default_factory=list)


def display_width(text: str) -> int:
    """Columns a text needs: a Chinese character is two, a Latin one is one."""
    return max((len(line.encode("gbk", "replace")) for line in text.split("\n")), default=0)


def clean_text(text: str) -> str:
    """Removes the control characters a workbook cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS) or text in ERROR_CODES


def text_cell(ws: Any, text: str) -> Cell:
    """A cell that Excel shows as the text itself, never as a formula or an error code."""
    cell = WriteOnlyCell(ws)
    cell.value = "x"
    cell._value = text  # set directly: the value setter would turn “=…” into a formula
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def plain_value(value: Any) -> Any:
    """A stored value as a workbook holds it: Decimal → float (Excel keeps doubles), bool → 是/否,
    lists → “、”-joined text."""
    if value is None or isinstance(value, int | float | date | datetime) and not isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return clean_text(str(value))


def _width(column: Column, values: Sequence[Any]) -> float:
    widest = min(display_width(column.label), 16)  # a longer label wraps onto a second line
    texts = [v for v in values if type(v) is str]
    for text in heapq.nlargest(12, texts, key=len):
        widest = max(widest, display_width(text))
    numbers = [v for v in values if type(v) in (int, float, Decimal)]
    if numbers:
        top = max(max(numbers), -min(numbers))
        shown = f"{top:,.2f}" if column.kind in ("money", "percent") else f"{top:,.0f}"
        widest = max(widest, len(shown) + 1)
    if any(isinstance(v, date) for v in values):
        widest = max(widest, 10)
    limit = MAX_WIDTH.get(column.kind, DEFAULT_MAX_WIDTH)
    return max(MIN_WIDTH, min(widest + 2, limit))


def _lines(value: Any, width: int) -> int:
    """How many lines a wrapped text takes in a column `width` characters wide."""
    if type(value) is not str or len(value) * 2 <= width and "\n" not in value:
        return 1
    return sum(max(1, -(-display_width(part) // width)) for part in value.split("\n"))


class _FormattedCell(Cell):
    """A cell of one fixed style, reused for a whole column: its style id is looked up once, not
    again for every value written through it."""

    __slots__ = ("_fixed_style_id",)

    def __init__(self, ws: Any, *, number_format: str | None = None, alignment: Alignment | None = None) -> None:
        super().__init__(ws, row=1, column=1)
        if number_format is not None:
            self.number_format = number_format  # type: ignore[misc]  # a descriptor, not a slot
        if alignment is not None:
            self.alignment = alignment  # type: ignore[misc]
        self._fixed_style_id = super().style_id

    @property
    def style_id(self) -> int:
        return self._fixed_style_id

    @property
    def has_style(self) -> bool:
        return True


class _RowSheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet, taking our prepared (styled) cells as they are. The stock
    sheet first tries every cell as a value, failing with an exception for each styled one, then
    replaces it with a fresh cell: a third of an export's time.
    It also declares its size up front, as Excel does: a reader without the declaration (openpyxl
    in read-only mode among them) parses the whole sheet once more just to look for it."""

    dimension = "A1:A1"

    def calculate_dimension(self) -> str:
        return self.dimension

    def _values_to_row(self, values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
        plain = WriteOnlyCell(self)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                plain.value = value
                cell = plain
            cell.column = col_idx
            cell.row = row_idx
            yield cell


class _SheetWriter:
    def __init__(self, wb: Workbook, sheet: Sheet, options: dict[tuple[str, ...], str]) -> None:
        self.ws = _RowSheet(parent=wb, title=sheet.title[:31])
        wb._add_sheet(self.ws)
        self.sheet = sheet
        self.options = options
        self.row = 0
        self.cells = 0

    def _styled(self, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
                number_format: str | None = None, alignment: Alignment | None = None,
                border: Border | None = None) -> Cell:
        cell = WriteOnlyCell(self.ws, value)
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        if alignment is not None:
            cell.alignment = alignment
        if border is not None:
            cell.border = border
        return cell

    def append(self, row: Sequence[Any]) -> None:
        self.ws.append(row)
        self.row += 1
        self.cells += len(row) - list(row).count(None)

    def write(self) -> None:
        sheet, ws = self.sheet, self.ws
        tables = sheet.tables
        single = len(tables) == 1
        widths: dict[int, float] = {}
        for table in tables:
            by_column = list(zip(*table.rows, strict=False)) if table.rows else []
            for i, column in enumerate(table.columns):
                values = by_column[i] if i < len(by_column) else ()
                widths[i] = max(widths.get(i, 0), _width(column, values))
        for i, width in widths.items():
            ws.column_dimensions[get_column_letter(i + 1)].width = width
        self.widths = widths
        ws.dimension = f"A1:{get_column_letter(max(len(widths), 1))}{self._row_count()}"
        self._page_setup()  # the sheet's properties are written with its head, before the rows
        if single and sheet.drop_downs:
            for i, column in enumerate(tables[0].columns):
                fmt = TEXT_FORMAT if column.kind in TEXT_KINDS else FORMATS.get(column.kind)
                if fmt:  # applies to what the clerk types into the empty rows
                    ws.column_dimensions[get_column_letter(i + 1)].number_format = fmt
        # Panes are written with the sheet's head, before the first row: set them now.
        if single:
            first_header = 1 + bool(sheet.heading) + bool(tables[0].caption)
            ws.freeze_panes = f"A{first_header + 1}"
        elif sheet.heading:
            ws.freeze_panes = "A2"
        if sheet.heading:
            self.append([self._styled(sheet.heading, font=TITLE_FONT)])
        header_row = 0
        for n, table in enumerate(tables):
            if n or (sheet.heading and not single):
                self.append([])
            if table.caption:
                self.append([self._styled(table.caption, font=CAPTION_FONT)])
            header_row = self.row + 1
            self._write_table(table)
            if sheet.drop_downs:
                self._drop_downs(table, header_row)
        assert self.row == self._row_count(), "the declared dimension must be true"
        if single:
            table = tables[0]
            last_col = get_column_letter(max(len(table.columns), 1))
            ws.print_title_rows = f"1:{header_row}"
            if sheet.filters and table.rows:
                ws.auto_filter.ref = f"A{header_row}:{last_col}{header_row + len(table.rows)}"

    def _row_count(self) -> int:
        """The rows `write` appends: heading, then per table a blank line between tables, the
        caption, the header, the rows and the 合计 row."""
        sheet = self.sheet
        count = int(bool(sheet.heading))
        for n, table in enumerate(sheet.tables):
            count += bool(n or (sheet.heading and len(sheet.tables) > 1)) + bool(table.caption) + 1
            count += len(table.rows) + bool(table.totals and table.rows)
        return max(count, 1)

    def _write_table(self, table: Table) -> None:
        columns = table.columns
        lines = max((-(-display_width(c.label) // max(int(self.widths[i]) - 1, 1)) for i, c in enumerate(columns)),
                    default=1)
        if lines > 1:  # row heights, too, must be set before the row is written
            self.ws.row_dimensions[self.row + 1].height = 15 * min(lines, 3)
        self.append([
            self._styled(c.label, font=REQUIRED_FONT if c.required else HEADER_FONT, fill=HEADER_FILL,
                         alignment=HEADER_ALIGN, border=HEADER_BORDER)
            for c in columns
        ])
        # One styled cell per formatted column, reused row after row: openpyxl writes each
        # appended row at once, and a fresh styled cell per value would cost a third more time.
        protos: list[_FormattedCell | None] = []
        for c in columns:
            if c.kind in FORMATS:
                protos.append(_FormattedCell(self.ws, number_format=FORMATS[c.kind]))
            elif c.kind == "longtext":
                protos.append(_FormattedCell(self.ws, alignment=WRAP))
            else:
                protos.append(None)
        ws = self.ws
        # Wrapped text needs its row height written out: LibreOffice does not grow rows by itself.
        wrapped = [(i, max(int(self.widths[i]) - 1, 1)) for i, c in enumerate(columns) if c.kind == "longtext"]
        for row in table.rows:
            lines = max((_lines(row[i], width) for i, width in wrapped), default=1)
            if lines > 1:
                ws.row_dimensions[self.row + 1].height = 15 * min(lines, 10)
            out: list[Any] = []
            for value, proto in zip(row, protos, strict=False):
                if value is None:
                    out.append(None)
                    continue
                kind = type(value)
                if kind is Decimal:
                    value = float(value)
                elif kind is str:
                    if not value.isprintable():  # a quick test first: most texts are clean
                        value = clean_text(value)
                    if is_formula_like(value):
                        out.append(text_cell(ws, value))
                        continue
                elif kind is not int and kind is not float:
                    value = plain_value(value)
                if proto is None:
                    out.append(value)
                else:
                    proto.value = value
                    out.append(proto)
            self.append(out)
        if table.totals and table.rows:
            totals: list[Any] = ["合计"] + [None] * (len(columns) - 1)
            for i, c in enumerate(columns):
                if c.total:
                    total = sum((Decimal(str(v)) if isinstance(v, float) else v
                                 for v in (r[i] for r in table.rows)
                                 if isinstance(v, int | Decimal | float) and not isinstance(v, bool)), Decimal(0))
                    totals[i] = self._styled(plain_value(total), font=TOTAL_FONT,
                                             number_format=FORMATS.get(c.kind, MONEY_FORMAT))
            totals[0] = self._styled("合计", font=TOTAL_FONT)
            self.append(totals)

    def _drop_downs(self, table: Table, header_row: int) -> None:
        first, last = header_row + 1, header_row + self.sheet.drop_downs
        for i, column in enumerate(table.columns):
            if not column.choices:
                continue
            letter = get_column_letter(i + 1)
            dv = DataValidation(type="list", formula1=self.options[column.choices], allow_blank=True,
                                showErrorMessage=True, errorStyle="warning",
                                errorTitle="不是可选值", error=f"“{column.label}”请从下拉列表中选择。")
            dv.add(f"{letter}{first}:{letter}{last}")
            self.ws.data_validations.append(dv)

    def _page_setup(self) -> None:
        ws = self.ws
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = 9  # A4
        # Fitted to the page width; a very wide table (the 企业名录) spreads over two pages.
        ws.page_setup.fitToWidth = 1 if sum(self.widths.values()) <= PAGE_WIDTH else 2
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_options.horizontalCentered = True
        ws.HeaderFooter.oddFooter.center.text = "第 &P 页，共 &N 页"


def _option_lists(sheets: Sequence[Sheet]) -> list[tuple[str, ...]]:
    lists: list[tuple[str, ...]] = []
    for sheet in sheets:
        if not sheet.drop_downs:
            continue
        for table in sheet.tables:
            for column in table.columns:
                if column.choices and column.choices not in lists:
                    lists.append(column.choices)
    return lists


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> WriteStats:
    """Writes `sheets` to `path` (replaced only once the whole workbook is written)."""
    wb = Workbook(write_only=True)
    lists = _option_lists(sheets)
    # Drop-down lists live on a hidden 选项 sheet, one defined name per list: a list written
    # into the validation itself is limited to 255 characters.
    options = {choices: f"hd_options_{n + 1}" for n, choices in enumerate(lists)}
    stats = WriteStats()
    for sheet in sheets:
        writer = _SheetWriter(wb, sheet, options)
        writer.write()
        stats.cells += writer.cells
        stats.sheets.append(writer.ws.title)
    if lists:
        from hengdong_desktop.services.excel.layout import OPTIONS_TITLE

        ws = wb.create_sheet(OPTIONS_TITLE)
        ws.sheet_state = "hidden"
        longest = max(len(c) for c in lists)
        for i in range(longest):
            ws.append([c[i] if i < len(c) else None for c in lists])
        for n, choices in enumerate(lists):
            letter = get_column_letter(n + 1)
            ref = f"{quote_sheetname(OPTIONS_TITLE)}!${letter}$1:${letter}${len(choices)}"
            wb.defined_names[options[choices]] = DefinedName(options[choices], attr_text=ref)
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    try:
        wb.save(tmp)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"无法写入文件“{path}”：{exc.strerror or exc}。请检查文件是否正被Excel打开。") from exc
    return stats
