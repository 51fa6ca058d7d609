"""Reading any .xlsx a clerk may bring, safely, into plain rows with the row numbers Excel shows.

Streams each sheet with openpyxl's own sheet parser (over defusedxml), so the caps on rows,
columns and size apply to the data really present, never to the dimension a file declares.
Formula cells give the value Excel saved with them (or are marked as not computed); text that
looks like a formula is just text; merged cells lend their value to every cell they cover;
dates in date-formatted cells follow the workbook's epoch (1900 or 1904)."""

from __future__ import annotations

import bisect
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from hengdong_desktop.errors import UserError

MAX_FILE_BYTES = 40 * 1024 * 1024
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # zip members are never inflated past their stated size
MAX_ROWS = 100_000  # rows holding data, per sheet
MAX_COLUMNS = 200  # the right-most column holding data
MAX_SHEETS = 60
MAX_MERGED_CELLS = 200_000  # cells filled from merged ranges, per sheet

Cell = tuple[int, int]  # (row, column), 1-based as Excel numbers them


@dataclass
class RawSheet:
    title: str
    state: str  # visible, hidden or veryHidden
    rows: dict[int, dict[int, Any]] = field(default_factory=dict)  # row → column → value
    hidden_rows: set[int] = field(default_factory=set)
    formulas: set[Cell] = field(default_factory=set)  # formula cells read as their saved value
    uncomputed: set[Cell] = field(default_factory=set)  # formula cells with no saved value
    errors: dict[Cell, str] = field(default_factory=dict)  # cells holding #DIV/0! and the like
    merged: int = 0  # cells filled from a merged range

    @property
    def visible(self) -> bool:
        return self.state == "visible"


@dataclass
class WorkbookData:
    path: Path
    epoch_1904: bool
    sheets: list[RawSheet]


class _Parser(WorkSheetParser):
    """openpyxl's parser in data-only mode, which also says which cells hold a formula."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell = super().parse_cell(element)
        cell["formula"] = element.find(FORMULA_TAG) is not None
        return cell


def _root(exc: BaseException) -> str:
    """The name of the innermost cause (openpyxl wraps what the XML parser raised)."""
    while exc.__cause__ or exc.__context__:
        exc = exc.__cause__ or exc.__context__  # type: ignore[assignment]
    return type(exc).__name__


def _refuse(path: Path, why: str) -> UserError:
    return UserError(f"无法读取文件“{path.name}”：{why}")


def _open(path: Path) -> Any:
    if not path.exists():
        raise UserError(f"文件“{path}”不存在。")
    if path.is_dir():
        raise UserError(f"“{path}”是一个文件夹，不是Excel文件。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"文件大小{size / 1024 / 1024:.1f}MB，超过了{MAX_FILE_BYTES // 1024 // 1024}MB的上限。")
    if path.suffix.lower() == ".xls":
        raise _refuse(path, "这是旧版.xls格式，请在Excel中“另存为”Excel工作簿（.xlsx）后再导入。")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _refuse(path, "不是有效的.xlsx工作簿（可能已损坏、已加密，或是其他格式的文件）。") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(path, f"解压后超过{MAX_UNPACKED_BYTES // 1024 // 1024}MB，不像是正常的填报表。")
    try:
        # keep_links=False: external links are never followed or kept.
        return load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError) as exc:
        raise _refuse(path, f"不是有效的.xlsx工作簿（{exc}）。") from None
    except Exception as exc:  # malformed or hostile XML (defusedxml refuses entities and DTDs)
        raise _refuse(path, f"文件内容不符合Excel格式（{_root(exc)}）。") from None


def _read_sheet(wb: Any, ws: Any, path: Path) -> RawSheet:
    sheet = RawSheet(ws.title, ws.sheet_state)
    if not sheet.visible:
        return sheet
    with wb._archive.open(ws._worksheet_path) as src:
        parser = _Parser(
            src,
            wb.shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for row_number, cells in parser.parse():
            values: dict[int, Any] = {}
            for cell in cells:
                value = cell["value"]
                where = (cell["row"], cell["column"])
                if cell["formula"]:
                    if value is None:
                        sheet.uncomputed.add(where)
                        value = ""
                    else:
                        sheet.formulas.add(where)
                if cell["data_type"] == "e":
                    sheet.errors[where] = str(value)
                if value is None or isinstance(value, str) and not value.strip() and not cell["formula"]:
                    continue  # blank-looking cells hold nothing
                if cell["column"] > MAX_COLUMNS:
                    raise _refuse(
                        path,
                        f"工作表“{ws.title}”第{cell['row']}行第{cell['column']}列有数据，超过了{MAX_COLUMNS}列的上限。",
                    )
                values[cell["column"]] = value
            if not values:
                continue
            if len(sheet.rows) >= MAX_ROWS:
                raise _refuse(path, f"工作表“{ws.title}”的数据超过{MAX_ROWS}行，请分成几个文件导入。")
            sheet.rows[row_number] = values
            attrs = parser.row_dimensions.get(str(row_number))
            if attrs and attrs.get("hidden") in ("1", "true"):
                sheet.hidden_rows.add(row_number)
        if parser.merged_cells is not None:
            _fill_merged(sheet, [m.ref for m in parser.merged_cells.mergeCell], path)
    return sheet


def _fill_merged(sheet: RawSheet, refs: list[str], path: Path) -> None:
    """Every data row a merged range covers takes the range's value in the covered columns."""
    from openpyxl.utils.cell import range_boundaries

    numbers = sorted(sheet.rows)
    for ref in refs:
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (TypeError, ValueError):
            continue
        value = sheet.rows.get(min_row, {}).get(min_col)
        if value is None:
            continue
        max_col = min(max_col, MAX_COLUMNS)
        start = bisect.bisect_left(numbers, min_row)
        end = bisect.bisect_right(numbers, max_row)
        for row_number in numbers[start:end]:
            row = sheet.rows[row_number]
            for col in range(min_col, max_col + 1):
                if (row_number, col) != (min_row, min_col) and col not in row:
                    row[col] = value
                    sheet.merged += 1
            if sheet.merged > MAX_MERGED_CELLS:
                raise _refuse(path, f"工作表“{sheet.title}”的合并单元格过多，请取消合并后再导入。")


def read_workbook(path: str | Path) -> WorkbookData:
    """Every sheet of the workbook at `path`; hidden sheets are listed but not read."""
    path = Path(path)
    wb = _open(path)
    try:
        if len(wb.worksheets) > MAX_SHEETS:
            raise _refuse(path, f"工作表超过{MAX_SHEETS}个。")
        try:
            sheets = [_read_sheet(wb, ws, path) for ws in wb.worksheets]
        except UserError:
            raise
        except Exception as exc:  # a damaged or hostile sheet
            raise _refuse(path, f"工作表内容不符合Excel格式（{_root(exc)}）。") from None
        epoch_1904 = wb.epoch.year == 1904
    finally:
        wb.close()
    return WorkbookData(path, epoch_1904, sheets)
