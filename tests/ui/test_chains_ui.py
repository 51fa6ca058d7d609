"""链长制 through the real widgets: the 县领导视图 with its leader selector, totals, red overdue
problems and 口径; and every table of the 产业链工作台 and the 县领导视图 opening its record's
editor on a double-click or Enter, the saved edit showing on the page afterwards."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QTableView

from hengdong_desktop.domain import money
from hengdong_desktop.services import chains, demo, setup
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.ui.dialogs import ExplainDialog
from hengdong_desktop.ui.editors import EnterpriseEditor, ProblemEditor, ProjectEditor, RecordEditor
from hengdong_desktop.ui.pages.chains import LATE_BG
from tests.ui.entry_helpers import PERIOD, close_window, open_window

TODAY = date(2025, 4, 10)  # the demo's problems are raised in the months before


@pytest.fixture
def chain_county(training_county_path: Path) -> Path:
    """18 units of demo data with the demo's 链长 and 联系县领导 (services/demo.py)."""
    db, _info = setup.open_initialized(training_county_path)
    demo.generate(db, enterprises=2, months=3, projects=1, seed=3, end_period=PERIOD, today=TODAY)
    db.close()
    return training_county_path


def _full_leader(db: Any) -> int:
    """A leader whose view has rows in every table (the demo data's, worked out here)."""
    for leader in chains.leaders(db):
        view = chains.leader_view(db, PERIOD, leader.id)
        if view.projects and view.enterprises and view.problems and any(c.signed for c in view.chains):
            return leader.id
    raise AssertionError("the demo data has no leader with rows in every table")


def _full_chain(db: Any) -> int:
    for chain in load_reference(db).chains:
        view = chains.chain_view(db, PERIOD, chain.id)
        if view.enterprises and view.projects and view.problems:
            return chain.id
    raise AssertionError("the demo data has no chain with rows in every table")


def test_the_leader_view_picks_a_leader_and_shows_their_chains_projects_and_problems(
    qtbot,
    chain_county: Path,
    settings,  # type: ignore[no-untyped-def]
    qtmodeltester,
) -> None:
    window = open_window(qtbot, chain_county, settings, "overview")
    db = window.ctx.db
    leader_id = _full_leader(db)
    expected = chains.leader_view(db, PERIOD, leader_id)
    page = window.show_page("leaders")
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    names = [page.leader_box.itemText(i) for i in range(page.leader_box.count())]
    assert names == [x.shown for x in chains.leaders(db)] and len(names) == 8  # the demo's leaders
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.leader_box.setCurrentIndex(page.leader_box.findData(leader_id))
    view = page.view
    assert view is not None and view.leader.id == leader_id
    assert expected.leader.name in page.lead.text() and expected.chains[0].chain.name in page.lead.text()
    totals = page.totals.text()
    assert f"领衔产业链{len(expected.chains)}条：企业{expected.chain_enterprises}户" in totals
    assert f"1-本月累计{money.fmt(expected.chain_output)}万元" in totals
    assert f"联系项目{len(expected.projects)}个：年度计划投资{money.fmt(expected.year_plan)}万元" in totals
    assert f"督办问题：未办结{expected.open_problems}条，其中逾期{expected.late_problems}条" in totals
    assert f"签约项目{expected.promotion.signed}个" in totals
    assert page.chain_rows.rowCount() == len(expected.chains)
    assert [x.line.name for x in page.projects.rows] == [x.line.name for x in expected.projects]
    assert page.problems.rowCount() == len(expected.problems) > 0
    for model in (page.chain_rows, page.projects, page.problems):
        qtmodeltester.check(model)
    for row, problem in enumerate(page.problems.rows):  # overdue in red, the others not
        brush = page.problems.data(page.problems.index(row, 0), Qt.ItemDataRole.BackgroundRole)
        assert (isinstance(brush, QBrush) and brush.color().name() == LATE_BG) == problem.standing.late
    assert "口径：2025-03期" in page.basis.text() and "不含待审核" in page.basis.text()
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.include_pending.setChecked(True)
    assert "含待审核（" in page.basis.text()
    # from the chain workbench to its 链长's view and back
    other = next(i for i in range(page.leader_box.count()) if page.leader_box.itemData(i) != leader_id)
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.leader_box.setCurrentIndex(other)
    workbench = window.show_page("chains")
    qtbot.waitUntil(lambda: workbench.view is not None, timeout=20_000)
    with qtbot.waitSignal(workbench.refreshed, timeout=20_000):
        workbench.select_chain(expected.chains[0].chain.id)
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        workbench.leader_button.click()
    assert window.current_page() is page and page.view.leader.id == leader_id
    with qtbot.waitSignal(workbench.refreshed, timeout=20_000):  # the workbench shows another chain meanwhile
        workbench.chain_box.setCurrentIndex(workbench.chain_box.findData(expected.chains[0].chain.id) ^ 1)
    chain_view = page.views["chain"]
    chain_view.setCurrentIndex(page.chain_rows.index(0, 0))
    with qtbot.waitSignal(workbench.refreshed, timeout=20_000):
        qtbot.keyClick(chain_view, Qt.Key.Key_Return)
    assert window.current_page() is workbench and workbench.view.chain.id == expected.chains[0].chain.id
    close_window(window)


def _edits(qtbot, monkeypatch, editor_class: type[RecordEditor], field: str, text: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The editor, when opened, changes `field` to `text` and saves (what a clerk does)."""
    opened: list[str] = []

    def exec_(editor: RecordEditor) -> int:
        opened.append(editor.record.id or "")
        widget = editor.findChild(QLineEdit, f"field_{field}") or editor.findChild(QPlainTextEdit, f"field_{field}")
        if isinstance(widget, QLineEdit):
            widget.setText(text)
        else:
            widget.setPlainText(text)
        with qtbot.waitSignal(editor.saved, timeout=10_000):
            assert editor.save()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(editor_class, "exec", exec_)
    return opened


def _activate(qtbot, view: QTableView, row: int, how: str) -> None:  # type: ignore[no-untyped-def]
    index = view.model().index(row, 0)
    view.scrollTo(index)
    if how == "double-click":
        center = view.visualRect(index).center()
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(center))
    else:
        view.setFocus()
        view.setCurrentIndex(index)
        qtbot.keyClick(view, Qt.Key.Key_Return)


CASES = (  # (page, table, editor, field, the row's shown text, its record's id, how)
    ("chains", "enterprise", EnterpriseEditor, "name", lambda x: x.name, lambda x: x.enterprise_id, "double-click"),
    ("chains", "project", ProjectEditor, "name", lambda x: x.name, lambda x: x.project_id, "enter"),
    (
        "chains",
        "problem",
        ProblemEditor,
        "description",
        lambda x: x.description,
        lambda x: x.problem_id,
        "double-click",
    ),
    ("leaders", "project", ProjectEditor, "name", lambda x: x.line.name, lambda x: x.line.project_id, "enter"),
    ("leaders", "enterprise", EnterpriseEditor, "name", lambda x: x.name, lambda x: x.enterprise_id, "double-click"),
    ("leaders", "problem", ProblemEditor, "description", lambda x: x.description, lambda x: x.problem_id, "enter"),
    ("leaders", "signed", ProjectEditor, "name", lambda x: x.name, lambda x: x.project_id, "double-click"),
)


@pytest.mark.parametrize(("key", "table", "editor_class", "field", "shown", "ident", "how"), CASES)
def test_a_row_opens_its_records_editor_and_the_saved_edit_shows(  # type: ignore[no-untyped-def]
    qtbot,
    chain_county: Path,
    settings,
    monkeypatch,
    no_message_boxes,
    key,
    table,
    editor_class,
    field,
    shown,
    ident,
    how,
) -> None:
    monkeypatch.setattr(
        ExplainDialog, "ask", lambda _parent, findings, _old: {f.rule_id: "经核实属实" for f in findings}
    )
    window = open_window(qtbot, chain_county, settings, "overview")
    page = window.show_page(key)
    qtbot.waitUntil(lambda: page.view is not None, timeout=20_000)
    if key == "chains":
        wanted = _full_chain(window.ctx.db)
        page.select_chain(wanted)
        qtbot.waitUntil(lambda: page.view.chain.id == wanted, timeout=20_000)
    else:
        wanted = _full_leader(window.ctx.db)
        page.select_leader(wanted)
        qtbot.waitUntil(lambda: page.view.leader.id == wanted, timeout=20_000)
    view = page.views[table]
    page.tabs.setCurrentWidget(view)
    model = view.model()
    assert model.rowCount() > 0
    row = model.rowCount() - 1
    before = model.rows[row]
    new_text = f"{shown(before)}（已核实）"
    opened = _edits(qtbot, monkeypatch, editor_class, field, new_text)
    with qtbot.waitSignal(page.refreshed, timeout=20_000):  # the save's changes make the page read again
        _activate(qtbot, view, row, how)
    assert opened == [ident(before)]  # the row's record, one editor per activation
    assert new_text in [shown(x) for x in model.rows]
    assert no_message_boxes == []
    close_window(window)
