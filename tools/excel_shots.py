"""Screenshots of the Excel import wizard (see EXTRA_SHOTS in tools/screenshots.py): a township
file with mistakes, and a county file that passes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from openpyxl import Workbook
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop.domain import credit_code
from hengdong_desktop.ui.excel_wizard import import_excel

_DIR = Path(tempfile.mkdtemp(prefix="hengdong-shots-"))
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属单位",
    "所属领域",
    "所属产业",
    "上年产值(万元)",
    "上年营业收入(万元)",
    "上年税收(万元)",
    "联系电话",
    "备用列",
]


def _workbook(name: str, unit: str, mistakes: bool) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "企业"
    ws.append(HEADER)
    for n in range(1, 9):
        code = credit_code.complete(f"91430424MA4P{n:05d}")
        if mistakes and n == 3:
            code = code[:-1] + ("0" if code[-1] != "0" else "1")
        tax = 900 if mistakes and n == 5 else 40 + n
        founded_unit = "石湾镇" if mistakes and n == 7 else unit
        ws.append(
            [
                code,
                f"衡东县湘江{n}号食品有限公司",
                founded_unit,
                "农林牧渔",
                "绿色食品生产加工",
                3000 + 100 * n,
                800 + 10 * n,
                tax,
                "0734-5212345",
                "内部备注",
            ]
        )
    path = _DIR / name
    wb.save(path)
    return path


def _wizard(window: QWidget, path: Path) -> QWidget:
    wizard = import_excel(window)
    wizard.file_page.path.setText(str(path))
    wizard.next()
    app = QApplication.instance()
    window.ctx.tasks.wait()  # type: ignore[attr-defined]
    for _ in range(20):
        app.processEvents()  # type: ignore[union-attr]
    return wizard


def township_preview(window: QWidget) -> QWidget:
    return _wizard(window, _workbook("有错误的企业表.xlsx", "吴集镇", mistakes=True))


def county_preview(window: QWidget) -> QWidget:
    wizard = _wizard(window, _workbook("县级企业表.xlsx", "杨桥镇", mistakes=False))
    wizard.preview_page.tabs.setCurrentIndex(1)
    return wizard
