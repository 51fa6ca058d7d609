"""项目库, 问题清单 and 设置 through the real widgets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QLineEdit

from hengdong_desktop.services import entry
from hengdong_desktop.ui import printing
from hengdong_desktop.ui.dialogs import Confirm, StageDialog
from hengdong_desktop.ui.editors import ProblemEditor, ProjectEditor
from tests.ui.entry_helpers import Recorder, close_window, open_window, type_text


def _select(combo: QComboBox, text: str) -> None:
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_new_project_with_builder_and_status(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "projects")
    page = window.pages["projects"]
    before = page.model.rowCount()
    builders = entry.choices(window.ctx.db, "enterprise", window.ctx.info.unit_id)

    def fill_and_save(parent, ctx, record_id=None, **preset):  # type: ignore[no-untyped-def]
        editor = ProjectEditor.build(parent, ctx, record_id, **preset)
        qtbot.addWidget(editor)
        assert "<b" in editor.flow_label.text() and "储备" in editor.flow_label.text()
        type_text(editor.findChild(QLineEdit, "field_name"), "年产5万吨特种铸件项目")
        _select(editor.findChild(QComboBox, "field_industry_id"), "机械制造")
        assert editor.findChild(QComboBox, "field_domain_id").currentText() == "工业和信息化"  # follows
        builder = editor.findChild(QComboBox, "field_builder_enterprise_id")
        assert builder.count() == len(builders) + 1
        _select(builder, builders[0][1])
        editor.findChild(QLineEdit, "field_total_investment").setText("38000")
        # the status is the lifecycle's latest row: a new project starts with one for this month
        (first,) = editor.stage_table.rows
        assert (first["status"], first["period"]) == ("储备", f"{date.today():%Y-%m}")
        monkeypatch.setattr(StageDialog, "ask", lambda parent, ref, values: {**values, "status": "开工"})
        editor.stage_table.edit(0)
        assert editor.forms[2].inputs["status"].raw() == "开工" and "开工" in editor.dates_label.text()
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return editor.saved_id

    monkeypatch.setattr(ProjectEditor, "ask", fill_and_save)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.buttons["new"].click()
    assert page.model.rowCount() == before + 1
    row = page.model.row_of(page.current_id())
    assert page.model.cell(row, "builder") == builders[0][1] and page.model.cell(row, "status") == "开工"
    saved = entry.load(window.ctx.db, "project", page.current_id())
    assert saved.values["industry_id"] == 1 and saved.values["domain_id"] == 1
    printed = Recorder(None)
    monkeypatch.setattr(printing, "preview_project_forms", printed)
    page.buttons["print"].click()
    assert printed.calls[0][2] == [saved.id]
    close_window(window)


def test_moving_a_project_back_along_the_flow_asks(qtbot, demo_township: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "projects")
    project = entry.save(
        window.ctx.db,
        window.ctx.info,
        "project",
        {"name": "甲项目", "domain_id": 1, "total_investment": "20000", "status": "在建"},
    )
    editor = ProjectEditor.build(window, window.ctx, project.id)
    qtbot.addWidget(editor)
    assert not editor.findChild(QComboBox, "field_status").isEnabled()  # it follows the status rows
    monkeypatch.setattr(StageDialog, "ask", lambda parent, ref, values: {**values, "status": "签约"})
    editor.stage_table.edit(0)
    assert "<b style='color:#1f4e79'>签约</b>" in editor.flow_label.text()
    asked = Recorder(False)
    monkeypatch.setattr(Confirm, "ask", asked)
    assert not editor.save() and "从“在建”改回“签约”" in asked.calls[0][2]
    assert entry.load(window.ctx.db, "project", project.id).values["status"] == "在建"
    asked.answers = [True]
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        assert editor.save()
    assert entry.load(window.ctx.db, "project", project.id).values["status"] == "签约"
    close_window(window)


def test_problem_raised_from_an_enterprise_and_worked_through_its_flow(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    window = open_window(qtbot, demo_township, settings, "enterprises")
    enterprises = window.pages["enterprises"]
    enterprises.view.selectRow(0)
    target = enterprises.model.cell(0, "name")

    def raise_it(parent, ctx, record_id=None, **preset):  # type: ignore[no-untyped-def]
        editor = ProblemEditor.build(parent, ctx, record_id, **preset)
        qtbot.addWidget(editor)
        assert editor.target.currentText() == target and editor.as_enterprise.isChecked()
        _select(editor.findChild(QComboBox, "field_category"), "用工")
        type_text(editor.forms[0].inputs["description"].widget, "熟练焊工缺口约20人")
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return editor.saved_id

    monkeypatch.setattr(ProblemEditor, "ask", raise_it)
    first_day = date.today()  # the days around the steps below: midnight may pass in between
    enterprises.buttons["problem"].click()
    problems = window.show_page("problems")
    problems.filters["status"].setCurrentIndex(problems.filters["status"].findData("待办"))
    row = next(
        r for r in range(problems.model.rowCount()) if problems.model.cell(r, "description") == "熟练焊工缺口约20人"
    )
    problem_id = problems.model.row_id(row)
    raised, last_day = entry.load(window.ctx.db, "problem", problem_id).values["raised_on"], date.today()
    assert first_day <= raised <= last_day  # raised today
    assert problems.model.cell(row, "target") == target
    assert problems.model.cell(row, "days_open") in {str((day - raised).days) for day in (first_day, last_day)}
    problems.filters["status"].setCurrentIndex(0)
    problems.select_id(problem_id)
    assert problems.buttons["start"].isEnabled()
    with qtbot.waitSignal(problems.refreshed, timeout=10_000):
        problems.buttons["start"].click()
    assert entry.load(window.ctx.db, "problem", problem_id).values["status"] == "办理中"
    assert not problems.buttons["start"].isEnabled() and problems.buttons["solve"].isEnabled()

    def solve(parent, ctx, record_id=None, **preset):  # type: ignore[no-untyped-def]
        editor = ProblemEditor.build(parent, ctx, record_id, **preset)
        qtbot.addWidget(editor)
        assert editor.findChild(QComboBox, "field_status").currentText() == "已解决"
        assert "须填写办理结果" in editor.forms[0].finding_text("resolution")
        assert not editor.save()
        type_text(editor.forms[0].inputs["resolution"].widget, "已协调县人社局组织专场招聘")
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return editor.saved_id

    monkeypatch.setattr(ProblemEditor, "ask", solve)
    first_day = date.today()
    problems.buttons["solve"].click()
    solved = entry.load(window.ctx.db, "problem", problem_id)
    assert solved.values["status"] == "已解决" and first_day <= solved.values["solved_on"] <= date.today()
    close_window(window)


def test_settings_page_changes_the_operator(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "settings")
    page = window.pages["settings"]
    page.operator.clear()
    page.save()
    assert "不能为空" in page.operator_note.text() and window.ctx.info.operator == "张三"
    type_text(page.operator, "王芳")
    with qtbot.waitSignal(page.saved, timeout=10_000):
        window.actions_by_key["save"].trigger()  # Ctrl+S
    assert window.ctx.info.operator == "王芳" and "王芳" in page.operator_note.text()
    record = entry.load(window.ctx.db, "enterprise", entry.choices(window.ctx.db, "enterprise", None)[0][0])
    entry.save(window.ctx.db, window.ctx.info, "enterprise", {**record.values, "notes": "改"}, record_id=record.id)
    assert entry.history(window.ctx.db, "enterprise", record.id)[0].operator == "王芳"
    close_window(window)
