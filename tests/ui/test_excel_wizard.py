"""The Excel import wizard and the 数据 menu's Excel actions, on a real database and real files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select

from hengdong_desktop.app import build_main_window
from hengdong_desktop.db import models as m
from hengdong_desktop.domain.rules import Severity
from hengdong_desktop.services.excel.importer import Change, Issue
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.excel_wizard import (
    CHANGE_COLUMNS,
    CHANGE_DETAIL,
    ISSUE_COLUMNS,
    ISSUE_ROW,
    ISSUE_SEVERITY,
    ImportWizard,
)
from hengdong_desktop.ui.record_model import RecordTableModel
from tests.unit.xlsx import ENTERPRISE_HEADER, build, code, enterprise_row


def _window(qtbot, path: Path, settings):  # type: ignore[no-untyped-def]
    window = build_main_window(path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    return window


def _enterprises(window) -> int:  # type: ignore[no-untyped-def]
    with window.ctx.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(m.Enterprise)))


def _open(qtbot, window, path: Path) -> ImportWizard:  # type: ignore[no-untyped-def]
    window.actions_by_key["excel_import"].trigger()
    wizard = window.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # no file yet
    wizard.file_page.path.setText(str(path))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    with qtbot.waitSignal(wizard.preview_page.checked, timeout=20_000):
        wizard.next()
    return wizard


def test_preview_then_import_writes_and_refreshes(qtbot, township_path: Path, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, township_path, settings)
    source = build(tmp_path / "ok.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1), enterprise_row(2)]})
    wizard = _open(qtbot, window, source)
    page = wizard.preview_page
    assert "检查通过，可以导入：企业新增2" in page.summary.text()
    assert page.changes.rowCount() == 2 and page.isComplete()
    assert page.changes.data(page.changes.index(0, CHANGE_DETAIL)).startswith("统一社会信用代码：")
    assert "所属领域：工业和信息化" in page.changes.data(page.changes.index(0, CHANGE_DETAIL))
    assert _enterprises(window) == 0  # the preview wrote nothing
    overview = window.pages["overview"]
    with qtbot.waitSignals([wizard.result_page.done, window.ctx.changed, overview.refreshed], timeout=20_000):
        wizard.next()
    assert "已导入：企业新增2" in wizard.result_page.result.text()
    assert _enterprises(window) == 2
    assert window.findChild(type(window.unit_label), "tile_enterprises").text() == "2"
    window.ctx.db.close()


def test_errors_block_the_import_and_the_report_can_be_saved(
    qtbot, township_path: Path, settings, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, township_path, settings)
    bad = code(2)[:-1] + ("0" if code(2)[-1] != "0" else "1")
    source = build(
        tmp_path / "bad.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1), enterprise_row(2, 统一社会信用代码=bad)]}
    )
    wizard = _open(qtbot, window, source)
    page = wizard.preview_page
    assert "1条强制性错误" in page.summary.text() and not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    row = next(r for r in range(page.issues.rowCount()) if page.issues.rows[r].rule == "QY01")
    assert page.issues.data(page.issues.index(row, ISSUE_ROW)) == "3"
    assert page.issues.data(page.issues.index(row, ISSUE_SEVERITY)) == "强制性"
    out = tmp_path / "报告.xlsx"
    monkeypatch.setattr(FileDialogs, "save_file", staticmethod(lambda *_a: out))
    page.save_report.click()
    qtbot.waitUntil(lambda: "检查报告已保存" in page.summary.text(), timeout=20_000)
    assert load_workbook(out)["企业"]["A3"].comment is not None
    assert _enterprises(window) == 0
    window.ctx.db.close()


def test_an_unreadable_file_is_explained_on_the_page(qtbot, township_path: Path, settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = _window(qtbot, township_path, settings)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    wizard = _open(qtbot, window, fake)
    assert "不是有效的.xlsx工作簿" in wizard.preview_page.summary.text()
    assert not wizard.preview_page.isComplete()
    window.ctx.db.close()


def test_template_and_export_actions_write_files(
    qtbot, training_county_path: Path, settings, tmp_path: Path, monkeypatch, saved_notes
) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo

    window = _window(qtbot, training_county_path, settings)
    demo.generate(window.ctx.db, enterprises=3, months=2, seed=4, end_period=window.ctx.period)
    targets = iter([tmp_path / "模板", tmp_path / "汇总表.xlsx"])
    monkeypatch.setattr(FileDialogs, "save_file", staticmethod(lambda *_a: next(targets)))
    window.actions_by_key["excel_template"].trigger()
    qtbot.waitUntil(lambda: len(saved_notes) == 1, timeout=20_000)
    assert "已导出Excel模板" in saved_notes[0][1] and saved_notes[0][2] == tmp_path / "模板.xlsx"
    window.actions_by_key["excel_export"].trigger()
    qtbot.waitUntil(lambda: len(saved_notes) == 2, timeout=30_000)  # said where it is, not only in the status bar
    assert "汇总表" in saved_notes[1][1] and saved_notes[1][2] == tmp_path / "汇总表.xlsx"
    template = load_workbook(tmp_path / "模板.xlsx")["企业"]
    assert template["A1"].value.startswith("培训/演示数据库导出") and template["A2"].value == "统一社会信用代码"
    assert load_workbook(tmp_path / "汇总表.xlsx").sheetnames[0] == "目标完成情况"
    window.ctx.db.close()


def test_models_pass_the_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    issues = RecordTableModel(ISSUE_COLUMNS)
    issues.set_rows(
        [Issue("企业", 3, "成立日期", "C3", "2010-13-01", "FMT.founded_on", Severity.MANDATORY, "不是日期")]
    )
    qtmodeltester.check(issues)
    changes = RecordTableModel(CHANGE_COLUMNS)
    changes.set_rows([Change("enterprise", "企业", 2, "create", "某公司", "id", {}, {"name": (None, "某公司")})])
    qtmodeltester.check(changes)
