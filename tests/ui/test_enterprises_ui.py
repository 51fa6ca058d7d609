"""企业库 and the enterprise editor, driven through the real widgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit

from hengdong_desktop.domain import credit_code
from hengdong_desktop.services import entry, listing, readiness
from hengdong_desktop.ui import printing
from hengdong_desktop.ui.dialogs import (
    AnnualDialog,
    ExplainDialog,
    MembershipDialog,
    ReasonDialog,
    UnsavedChanges,
)
from hengdong_desktop.ui.editors import HISTORY_PART, EnterpriseEditor
from hengdong_desktop.ui.listing_model import ListingModel
from tests.ui.entry_helpers import Recorder, close_window, open_window, type_text, wait_counted

GOOD = credit_code.complete("91430424MA4LQ7K2P")


def test_enterprise_model_passes_the_model_tester(qtmodeltester, demo_township: Path) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import setup

    db, info = setup.open_initialized(demo_township)
    try:
        model = ListingModel(db, listing.enterprises(entry.reference(db), info.unit_id))
        model.PAGE = 5
        model.reload()
        assert model.rowCount() == 5 and model.canFetchMore(model.index(-1, -1))
        qtmodeltester.check(model)  # keeps checking on every signal from here on
        while model.canFetchMore(model.index(-1, -1)):
            model.fetchMore(model.index(-1, -1))
        assert model.rowCount() == 12 and len({model.row_id(r) for r in range(12)}) == 12
        model.sort(model.listing.column_index("output"), Qt.SortOrder.DescendingOrder)
        model.set_search("有限")
        model.set_filter("record_status", listing.REMOVED)
        assert model.rowCount() == 0 and not model.canFetchMore(model.index(-1, -1))
    finally:
        db.close()


def test_search_with_chinese_input_filters_the_list(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    page = window.pages["enterprises"]
    assert page.model.rowCount() == 12
    wait_counted(qtbot, page)
    assert page.total_label.text() == "共 12 户"
    name = page.model.cell(0, "name")
    part = name[3:5]
    names = [page.model.cell(r, "name") for r in range(page.model.rowCount())]
    expected = [n for n in names if part in n]
    with qtbot.waitSignal(page.model.modelReset, timeout=10_000):  # after a pause in typing
        type_text(page.search, part)
    assert page.model.rowCount() == len(expected) < 12
    assert all(part in page.model.cell(r, "name") for r in range(page.model.rowCount()))
    with qtbot.waitSignal(page.model.modelReset, timeout=10_000):
        qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.model.rowCount() == 12
    close_window(window)


def _fill_new(editor: EnterpriseEditor, qtbot, code: str) -> None:  # type: ignore[no-untyped-def]
    type_text(editor.findChild(QLineEdit, "field_name"), "衡东县新鑫机械有限公司")
    qtbot.keyClicks(editor.findChild(QLineEdit, "field_credit_code"), code)
    editor.findChild(QComboBox, "field_domain_id").setCurrentIndex(1)


def test_invalid_credit_code_is_shown_at_the_field_and_not_saved(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    no_message_boxes,
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    editor = EnterpriseEditor.build(window, window.ctx)
    qtbot.addWidget(editor)
    editor.show()
    bad = GOOD[:17].lower() + ("0" if GOOD[17] != "0" else "1")
    before = entry.choices(window.ctx.db, "enterprise", window.ctx.info.unit_id)
    with qtbot.waitSignal(editor.checked_now, timeout=10_000):  # checked after a pause in typing
        _fill_new(editor, qtbot, bad)
    code_input = editor.findChild(QLineEdit, "field_credit_code")
    assert code_input.text() == bad.upper()  # lower case becomes upper case as typed
    form = editor.forms[0]
    assert "校验位错误" in form.finding_text("credit_code")
    assert code_input.property("finding") == "error"
    assert not editor.save()
    assert editor.isVisible() and code_input.hasFocus()
    assert "错误须改正" in editor.summary.text()
    assert entry.choices(window.ctx.db, "enterprise", window.ctx.info.unit_id) == before  # nothing written
    code_input.clear()
    with qtbot.waitSignal(editor.checked_now, timeout=10_000):
        qtbot.keyClicks(code_input, GOOD)
    assert form.finding_text("credit_code") == ""
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        assert editor.save()
    assert not editor.isVisible()
    saved = entry.load(window.ctx.db, "enterprise", editor.saved_id)
    assert saved.values["credit_code"] == GOOD and saved.values["name"] == "衡东县新鑫机械有限公司"
    close_window(window)


def test_new_enterprise_through_the_page_appears_in_the_list(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    page = window.pages["enterprises"]

    def fill_and_save(parent, ctx, record_id=None, **preset):  # type: ignore[no-untyped-def]
        editor = EnterpriseEditor.build(parent, ctx, record_id, **preset)
        qtbot.addWidget(editor)
        _fill_new(editor, qtbot, GOOD)
        monkeypatch.setattr(
            MembershipDialog,
            "ask",
            Recorder(
                {
                    "list_name": "链主企业",
                    "level": None,
                    "date_in": date(2024, 5, 1),
                    "reason_in": "县里认定",
                    "date_out": None,
                    "reason_out": None,
                }
            ),
        )
        editor.edit_membership(None)
        assert editor.memberships.rowCount() == 1
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return editor.saved_id

    monkeypatch.setattr(EnterpriseEditor, "ask", fill_and_save)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):  # read again when the save is announced
        window.actions_by_key["new"].trigger()  # Ctrl+N
    assert page.model.rowCount() == 13
    row = page.model.row_of(page.current_id())
    assert page.model.cell(row, "name") == "衡东县新鑫机械有限公司"
    assert page.model.cell(row, "lists") == "链主企业"
    close_window(window)


def test_closing_the_editor_with_unsaved_changes_asks(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    page = window.pages["enterprises"]
    record_id = page.model.row_id(0)
    editor = EnterpriseEditor.build(window, window.ctx, record_id)
    qtbot.addWidget(editor)
    editor.show()
    notes = editor.forms[2].inputs["notes"].widget
    type_text(notes, "新增备注")
    assert editor.dirty
    asked = Recorder("cancel")
    monkeypatch.setattr(UnsavedChanges, "ask", asked)
    editor.close()
    assert editor.isVisible() and len(asked.calls) == 1
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Esc is cancel, and asks too
    assert editor.isVisible() and len(asked.calls) == 2
    asked.answers = ["discard"]
    editor.close()
    assert not editor.isVisible()
    assert entry.load(window.ctx.db, "enterprise", record_id).values["notes"] is None
    close_window(window)


def test_warning_asks_for_an_explanation_and_history_shows_the_change(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    """A year's figures are entered in their own dialog; its warning asks for its 说明 there."""
    window = open_window(qtbot, demo_township, settings, "enterprises")
    record_id = window.pages["enterprises"].model.row_id(0)
    editor = EnterpriseEditor.build(window, window.ctx, record_id)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(editor.tabs.indexOf(editor.annual_table)) == "年度数据"
    before = editor.annual_table.model.rowCount()

    def fill(dialog: AnnualDialog) -> int:  # the clerk types a year whose tax exceeds its revenue
        dialog.form.inputs["year"].widget.setText("2021")
        dialog.form.inputs["revenue"].widget.setText("100")
        dialog.form.inputs["tax"].widget.setText("200")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(AnnualDialog, "exec", fill)
    monkeypatch.setattr(ExplainDialog, "ask", Recorder(None))  # cancelling the 说明 keeps the dialog open
    editor.annual_table.edit(None)
    assert editor.annual_table.model.rowCount() == before
    explain = Recorder({"QY03": "含以前年度补缴税款"})
    monkeypatch.setattr(ExplainDialog, "ask", explain)
    editor.annual_table.edit(None)
    assert [f.rule_id for f in explain.calls[0][1]] == ["QY03"]
    assert editor.annual_table.model.rowCount() == before + 1 and editor.dirty
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        assert editor.save()
    saved = entry.load(window.ctx.db, "enterprise", record_id)
    year = next(a for a in saved.annual if a["year"] == 2021)
    assert (year["revenue"], year["tax"]) == (Decimal(100), Decimal(200))
    report = readiness.readiness(window.ctx.db, window.ctx.info.unit_id).report
    (finding,) = [f for f in report.findings if f.record_id == year["id"]]
    assert report.is_explained(finding) and report.explanation(finding) == "含以前年度补缴税款"
    again = EnterpriseEditor.build(window, window.ctx, record_id)
    qtbot.addWidget(again)
    assert again.tabs.tabText(again.tabs.count() - 1) == "历史记录"
    parts = {again.history.index(r, HISTORY_PART).data() for r in range(again.history.rowCount())}
    assert "年度数据：2021年" in parts
    close_window(window)


def test_remove_with_reason_and_restore(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    page = window.pages["enterprises"]
    page.view.selectRow(0)
    record_id, name = page.model.row_id(0), page.model.cell(0, "name")
    assert page.buttons["remove"].isEnabled() and not page.buttons["restore"].isEnabled()
    monkeypatch.setattr(ReasonDialog, "ask", Recorder("迁出本单位"))
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.buttons["remove"].click()
    assert page.model.rowCount() == 11
    status = page.filters["record_status"]
    status.setCurrentIndex(status.findData(listing.REMOVED))
    assert page.model.rowCount() == 1 and page.model.cell(0, "status") == "已调出：迁出本单位"
    page.view.selectRow(0)
    assert page.buttons["restore"].isEnabled() and not page.buttons["remove"].isEnabled()
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.buttons["restore"].click()
    assert page.model.rowCount() == 0
    status.setCurrentIndex(status.findData(listing.LIVE))
    assert page.model.rowCount() == 12 and page.model.row_of(record_id) is not None
    assert name in {page.model.cell(r, "name") for r in range(page.model.rowCount())}
    close_window(window)


def test_print_action_passes_the_selected_enterprises(
    qtbot,
    demo_township: Path,
    settings,
    monkeypatch,  # type: ignore[no-untyped-def]
    no_message_boxes,
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    page = window.pages["enterprises"]
    page.buttons["print"].click()
    assert "请先在列表中选择" in str(no_message_boxes[-1])
    printed = Recorder(None)
    monkeypatch.setattr(printing, "preview_enterprise_forms", printed)
    page.view.selectRow(1)
    page.view.selectionModel().select(
        page.model.index(3, 0),
        page.view.selectionModel().SelectionFlag.Select | page.view.selectionModel().SelectionFlag.Rows,
    )
    page.buttons["print"].click()
    assert printed.calls[0][2] == [page.model.row_id(1), page.model.row_id(3)]
    close_window(window)


def test_county_sees_every_unit_with_a_unit_column_and_filter(qtbot, demo_county: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_county, settings, "enterprises")
    page = window.pages["enterprises"]
    headers = [page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())]
    assert "所属单位" in headers and page.model.rowCount() == 36
    unit = page.filters["unit"]
    unit.setCurrentIndex(unit.findText("霞流镇"))
    assert page.model.rowCount() == 2 and {page.model.cell(r, "unit") for r in range(2)} == {"霞流镇"}
    close_window(window)


def test_ctrl_f_focuses_the_search_box(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "enterprises")
    window.activateWindow()
    window.actions_by_key["find"].trigger()
    assert window.focusWidget() is window.pages["enterprises"].search
    window.show_page("overview")
    window.actions_by_key["find"].trigger()
    assert "没有搜索框" in window.statusBar().currentMessage()
    close_window(window)
