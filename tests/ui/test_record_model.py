"""The one read-only table model and its table view: what each role gives, and the view's set-up."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QSortFilterProxyModel, Qt, QTranslator
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QHeaderView

from hengdong_desktop.ui.dialogs import with_suffix
from hengdong_desktop.ui.record_model import (
    ROW_ROLE,
    SORT_ROLE,
    Column,
    RecordTableModel,
    record_table,
    selected_row,
)

Row = tuple[str, Decimal | None]
NAME, AMOUNT = range(2)


def _model(**options: object) -> RecordTableModel[Row]:
    icon = QIcon(QPixmap(8, 8))
    columns = (
        Column("名称", lambda r: r[0], icon=lambda r: icon if r[0] == "甲" else None),
        Column(
            "金额",
            lambda r: r[1],
            lambda v: "—" if v is None else f"{v:,}",
            numeric=True,
            tooltip=lambda r: "未填报" if r[1] is None else None,
            background=lambda r: "#f8d7da" if r[1] is None else None,
        ),
    )
    return RecordTableModel(columns, [("甲", Decimal("12345.5")), ("一段很长的企业名称", None)], **options)  # type: ignore[arg-type]


def test_roles(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    qtmodeltester.check(model)
    cell = lambda row, col, role=Qt.ItemDataRole.DisplayRole: model.data(model.index(row, col), role)  # noqa: E731
    assert [cell(0, AMOUNT), cell(1, AMOUNT)] == ["12,345.5", "—"]
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert (
        cell(0, AMOUNT, Qt.ItemDataRole.TextAlignmentRole) == right != cell(0, NAME, Qt.ItemDataRole.TextAlignmentRole)
    )
    assert cell(0, AMOUNT, SORT_ROLE) == 12345.5 and cell(1, AMOUNT, SORT_ROLE) is None
    assert cell(1, NAME, ROW_ROLE) == ("一段很长的企业名称", None)
    assert cell(1, AMOUNT, Qt.ItemDataRole.BackgroundRole).color().name() == "#f8d7da"
    assert cell(0, AMOUNT, Qt.ItemDataRole.BackgroundRole) is None
    assert isinstance(cell(0, NAME, Qt.ItemDataRole.DecorationRole), QIcon)
    assert cell(1, NAME, Qt.ItemDataRole.DecorationRole) is None
    # tooltips: a column's own; without text_tooltips none elsewhere, with it the cell's text
    assert cell(1, AMOUNT, Qt.ItemDataRole.ToolTipRole) == "未填报"
    assert cell(1, NAME, Qt.ItemDataRole.ToolTipRole) is None
    texts = _model(text_tooltips=True)
    assert texts.data(texts.index(1, NAME), Qt.ItemDataRole.ToolTipRole) == "一段很长的企业名称"
    assert texts.data(texts.index(1, AMOUNT), Qt.ItemDataRole.ToolTipRole) == "未填报"


def test_headers_are_translated_in_their_context(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a catalogue in the context "Test" that calls 名称 "Name"
    ts = tmp_path / "test.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="en">'
        "<context><name>Test</name><message><source>名称</source><translation>Name</translation>"
        "</message></context></TS>",
        encoding="utf-8",
    )
    lrelease = shutil.which("lrelease", path=Path(PySide6.__file__).parent)  # lrelease.exe on Windows
    assert lrelease, "PySide6 ships lrelease"
    subprocess.run([lrelease, str(ts), "-qm", str(tmp_path / "test.qm")], check=True, capture_output=True)
    translator = QTranslator()
    assert translator.load(str(tmp_path / "test.qm"))
    QCoreApplication.installTranslator(translator)
    try:
        assert _model(tr_context="Test").headerData(NAME, Qt.Orientation.Horizontal) == "Name"
        assert _model().headerData(NAME, Qt.Orientation.Horizontal) == "名称"
    finally:
        QCoreApplication.removeTranslator(translator)


def test_record_table(qtbot) -> None:  # type: ignore[no-untyped-def]
    model = _model()
    plain = record_table(model, stretch=NAME, row_height=26)
    qtbot.addWidget(plain)
    assert plain.model() is model and plain.verticalHeader().defaultSectionSize() == 26
    plain.resize(900, 300)
    plain.show()
    qtbot.waitExposed(plain)

    def rest() -> int:
        return plain.viewport().width() - sum(plain.columnWidth(c) for c in range(model.columnCount()) if c != NAME)

    qtbot.waitUntil(lambda: plain.columnWidth(NAME) == rest())  # the stretch column takes the rest
    assert plain.horizontalHeader().sectionResizeMode(NAME) == QHeaderView.ResizeMode.Interactive
    assert plain.selectionMode() == QAbstractItemView.SelectionMode.SingleSelection
    assert selected_row(plain) is None
    plain.selectRow(1)
    assert selected_row(plain) == ("一段很长的企业名称", None)

    sortable = record_table(model, sortable=True)
    qtbot.addWidget(sortable)
    proxy = sortable.model()
    assert isinstance(proxy, QSortFilterProxyModel)
    assert proxy.index(0, NAME).data() == "甲"  # the model's order until a header is clicked
    sortable.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)  # 一 sorts before 甲
    assert proxy.index(0, NAME).data() == "一段很长的企业名称"


def test_with_suffix() -> None:
    assert with_suffix(Path("/x/报表"), ".xlsx") == Path("/x/报表.xlsx")
    assert with_suffix(Path("/x/报表.XLSX"), ".xlsx") == Path("/x/报表.XLSX")
    assert with_suffix(Path("/x/报表.v2"), ".pdf") == Path("/x/报表.v2.pdf")
