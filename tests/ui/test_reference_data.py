"""The county's 基础数据 screen on a real database: edits go through the service (audited,
versioned), refusals keep what was typed, targets are edited in a grid."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from hengdong_desktop.app import build_main_window
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import reference_admin as ra
from hengdong_desktop.ui.form_dialog import FormDialog
from hengdong_desktop.ui.pages import reference_data as rd


@pytest.fixture
def page(qtbot, county_path: Path, settings):  # type: ignore[no-untyped-def]
    window = build_main_window(county_path, settings)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("reference")
    qtbot.waitUntil(lambda: page.tables is not None and page.targets.model.rowCount() > 0, timeout=10_000)
    yield page
    window.ctx.tasks.wait()
    window.ctx.db.close()


def _answers(monkeypatch, *answers):  # type: ignore[no-untyped-def]
    """Replaces the form dialog: returns the given answers in turn, recording what it was shown."""
    shown: list[tuple[str, dict]] = []
    queue = list(answers)

    def ask(_parent, title, _fields, values, note=""):  # type: ignore[no-untyped-def]
        shown.append((title, dict(values)))
        return queue.pop(0) if queue else None

    monkeypatch.setattr(FormDialog, "ask", ask)
    return shown


def _select(tab: rd.ListTab, predicate) -> None:  # type: ignore[no-untyped-def]
    row = next(k for k, x in enumerate(tab.model.rows) if predicate(x))
    tab.view.selectRow(row)


def test_changing_a_unit_code_is_saved_audited_and_versioned(qtbot, page, monkeypatch, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    units = page.lists["units"]
    qtmodeltester.check(units.model)
    assert "第 1 版" in page.version.text()
    _select(units, lambda u: u.name == "洣水镇")
    shown = _answers(
        monkeypatch, {"code": "430424101", "name": "洣水镇", "short_name": "", "kind": "镇", "provisional_code": False}
    )
    with qtbot.waitSignals([page.ctx.changed, page.reloaded], timeout=10_000):
        units.edit_button.click()
    assert "第 2 版" in page.version.text()
    assert shown[0][1]["code"] == "HD01"
    row = next(u for u in units.model.rows if u.id == 1)
    assert (row.code, row.provisional_code) == ("430424101", False)
    assert units.selected().id == 1  # the edited row stays selected
    log = page.changes_model.rows
    assert (log[0].entity, log[0].old_value, log[0].new_value) in {
        ("units", "HD01", "430424101"),
        ("units", "true", "false"),
    }


def test_a_refused_edit_shows_why_and_keeps_what_was_typed(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    monkeypatch.setattr(rd, "show_error", lambda _parent, error: errors.append(str(error)))
    typed = {"code": "430424104", "name": "洣水镇", "short_name": "", "kind": "镇", "provisional_code": False}
    shown = _answers(monkeypatch, typed)  # then None: the clerk cancels the second time
    units = page.lists["units"]
    _select(units, lambda u: u.name == "洣水镇")
    units.edit()
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert errors == ["单位代码“430424104”已被“吴集镇”使用，请换一个。"]
    assert shown[1][1] == typed  # the form came back with the clerk's input
    assert next(u for u in ra.tables(page.ctx.db).units if u.id == 1).code == "HD01"


def test_switching_an_option_off_and_adding_one(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    options = page.lists["options"]
    _select(options, lambda o: o.kind == "project_status")
    assert not options.switch_button.isEnabled()  # the status flow is not editable
    _select(options, lambda o: (o.kind, o.value) == ("need_category", "市场开拓"))
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        options.switch_button.click()
    assert next(o for o in options.model.rows if o.value == "市场开拓").active is False
    _answers(monkeypatch, {"kind": "problem_category", "value": "环保"})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        options.add_button.click()
    assert ra.tables(page.ctx.db).options["problem_category"][-1] == ra.OptionRow("problem_category", "环保")


def test_lead_departments_and_a_new_industry(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    leads = page.lists["leads"]
    _select(leads, lambda d: d.name == "建筑业")
    _answers(monkeypatch, {"departments": [3, 1]})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        leads.edit()
    assert leads.model.index(2, 1).data() == "县科工信局、县住建局"
    _answers(monkeypatch, {"name": "新能源", "domain_id": 1})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        page.lists["industries"].add()
    industries = page.lists["industries"].model
    assert industries.index(industries.rowCount() - 1, 1).data() == "工业和信息化"
    new_id = industries.rows[-1].id
    qtbot.waitUntil(lambda: any(t.industry_id == new_id for t in page.targets.model.rows), timeout=10_000)


def test_editing_yearly_targets_in_the_grid(qtbot, page, monkeypatch, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    targets = page.targets
    qtmodeltester.check(targets.model, force_py=True)
    with qtbot.waitSignal(targets.model.modelReset, timeout=10_000):
        targets.year_box.setCurrentIndex(targets.year_box.findData(2024))
    model = targets.model
    assert all(t.value is None for t in model.rows) and not targets.save_button.isEnabled()
    rows = {(t.metric, t.domain_id, t.industry_id): k for k, t in enumerate(model.rows)}
    billion = model.index(rows[(r.BILLION_ENTERPRISES, None, None)], rd.VALUE)
    machinery = model.index(rows[(r.INDUSTRY_OUTPUT, 1, 1)], rd.VALUE)
    assert not model.setData(billion, "2.5")  # a count is whole
    assert not model.setData(billion, "很多")
    assert model.setData(billion, "１２")  # full-width digits, as typed with a Chinese IME
    assert model.setData(machinery, "45.5")  # 亿元 on screen
    assert targets.save_button.isEnabled() and "未保存" in targets.state.text()
    assert model.index(billion.row(), rd.VALUE).data(Qt.ItemDataRole.BackgroundRole) is not None

    # changing year with unsaved edits asks first; "no" keeps them
    monkeypatch.setattr(page, "confirm_discard", lambda _parent: False)
    targets.year_box.setCurrentIndex(targets.year_box.findData(2026))
    assert targets.year == 2024 and targets.year_box.currentData() == 2024 and model.dirty

    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        targets.save()
    # the page's reload reads the year again: let it land before copying, or it would undo the copy
    qtbot.waitUntil(lambda: not page.ctx.tasks.busy, timeout=10_000)
    stored = {(t.metric, t.domain_id, t.industry_id): t.value for t in ra.targets_of_year(page.ctx.db, 2024)}
    assert stored[(r.BILLION_ENTERPRISES, None, None)] == D(12)
    assert stored[(r.INDUSTRY_OUTPUT, 1, 1)] == D(455000)  # stored in 万元
    assert not model.dirty and "已设定 2 项" in targets.state.text()
    assert "2024年（已设定）" in [targets.year_box.itemText(k) for k in range(targets.year_box.count())]

    with qtbot.waitSignal(model.dataChanged, timeout=10_000):
        targets.copy_box.setCurrentIndex(targets.copy_box.findData(2025))
        targets.copy_button.click()
    assert model.dirty and model.rows[rows[(r.BILLION_ENTERPRISES, None, None)]].value == D(18)
    targets.discard()
    assert not model.dirty and model.rows[rows[(r.BILLION_ENTERPRISES, None, None)]].value == D(12)


def test_due_day(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.due_day.setValue(5)
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        page.due_day_button.click()
    assert ra.tables(page.ctx.db).due_day == 5 and page.due_day.value() == 5
    assert page.changes_model.rows[0].entity == "app_meta"
    assert (
        rd.readable('{"year": "2025", "metric": "billion_enterprises", "domain_id": "4", "active": "true"}', page.names)
        == "年度：2025，指标：十亿级企业，所属领域：服务业，启用：启用"
    )


def test_start_period_measure_and_official_totals(qtbot, page, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import official_totals

    units = page.lists["units"]
    _select(units, lambda u: u.name == "草市镇")
    _answers(
        monkeypatch,
        {
            "code": "HD04",
            "name": "草市镇",
            "short_name": "",
            "kind": "镇",
            "provisional_code": True,
            "start_period": "2025-12",
        },
    )
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        units.edit_button.click()
    assert next(u for u in units.model.rows if u.name == "草市镇").start_period == "2025-12"
    _answers(
        monkeypatch,
        {
            "code": "HD04",
            "name": "草市镇",
            "short_name": "",
            "kind": "镇",
            "provisional_code": True,
            "start_period": "2025-13",
        },
    )
    errors: list[str] = []
    monkeypatch.setattr(rd, "show_error", lambda _parent, error: errors.append(str(error)))
    units.edit_button.click()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors == ["启用期“2025-13”无效，应为YYYY-MM，如2025-03。"]
    leads = page.lists["leads"]
    _select(leads, lambda d: d.name == "建筑业")
    _answers(monkeypatch, {"departments": [3], "measure": r.REVENUE})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        leads.edit_button.click()
    assert next(d for d in leads.model.rows if d.name == "建筑业").measure == r.REVENUE
    assert leads.model.index(2, 2).data() == "营业收入"
    tab = page.official
    _answers(monkeypatch, {"industry": "有色金属", "period": "2025-06", "value": "1,050,000", "source": "县统计局"})
    with qtbot.waitSignal(page.ctx.changed, timeout=10_000):
        tab.ask(None)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert tab.model.index(0, 2).data() == "1,050,000.00"
    assert official_totals.totals(page.ctx.db)[0].value == D(1050000)


def test_county_leaders_and_the_warning_numbers(qtbot, page, monkeypatch, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.reference import load_reference

    errors: list[str] = []
    monkeypatch.setattr(rd, "show_error", lambda _parent, error: errors.append(str(error)))
    leaders = page.lists["leaders"]
    assert leaders.model.rowCount() == 0  # the plan names no leaders: the county enters them
    _answers(monkeypatch, {"name": "谭某某", "title": "副县长"})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        leaders.add()
    assert [(x.name, x.title) for x in leaders.model.rows] == [("谭某某", "副县长")]
    assert [x.name for x in load_reference(page.ctx.db).leaders] == ["谭某某"]
    parameters = page.lists["parameters"]
    qtmodeltester.check(parameters.model)
    assert [x.key for x in parameters.model.rows] == [p.key for p in r.PROJECT_PARAMETERS]
    _select(parameters, lambda x: x.key == "stall_months")
    _answers(monkeypatch, {"value": "4"})
    with qtbot.waitSignal(page.reloaded, timeout=10_000):
        parameters.edit()
    assert load_reference(page.ctx.db).parameter("stall_months") == 4 and "第 3 版" in page.version.text()
    _answers(monkeypatch, {"value": "99"})
    parameters.edit()
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert errors == ["“包而不推：开工、在建项目连续无投资、无状态进展的月数”应在1至24个月之间。"]
    snapshot = ra.reference_snapshot(page.ctx.db)  # both travel to the townships
    assert snapshot["settings"]["project_parameter.stall_months"] == "4" and snapshot["leaders"][0]["name"] == "谭某某"
