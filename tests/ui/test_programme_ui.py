"""Running the programme through the real widgets: the 比学赶超 page with each score's parts, the
问题清单 showing 交办 and overdue problems in red, the chain (链长制) edited on 基础数据."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView, QTextBrowser
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import reference_admin as ra
from hengdong_desktop.ui.form_dialog import FormDialog
from hengdong_desktop.ui.pages.ranking import PENDING_STYLE
from hengdong_desktop.ui.widgets import ALERT_FG
from tests.ui.entry_helpers import close_window, open_window, wait_counted


def test_the_ranking_page_lists_every_unit_and_explains_a_score(
    qtbot,
    demo_county: Path,
    settings,  # type: ignore[no-untyped-def]
    qtmodeltester,
) -> None:
    window = open_window(qtbot, demo_county, settings, "overview")
    page = window.show_page("ranking")
    qtbot.waitUntil(lambda: page.models["unit"].rowCount() == 18, timeout=20_000)
    model = page.models["unit"]
    qtmodeltester.check(model)
    scores = [row.score for row in model.rows]
    assert scores == sorted(scores, reverse=True) and model.rows[0].rank == 1
    assert model.headerData(3, Qt.Orientation.Horizontal) == "按时上报（15）"
    view = page.findChild(QTableView, "ranking_unit")
    view.selectRow(0)
    detail = page.findChild(QTextBrowser, "parts_unit").toPlainText()
    assert f"第1名，{model.rows[0].score:.2f}分" in detail and "按时上报" in detail and "权重" in detail
    assert "口径" in page.basis.text() and "只计县级已审核接收的数据" in page.basis.text()
    assert page.models["department"].rowCount() >= 1
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.include_pending.setChecked(True)  # the switch: the data awaiting review too, marked
    assert "含待审核" in page.basis.text() and "不是可以发布的正式口径" in page.basis.text()
    assert page.basis.styleSheet() == PENDING_STYLE
    close_window(window)


def test_the_problem_list_shows_assignment_and_overdue_rows_in_red(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_township, settings, "problems")
    page = window.pages["problems"]
    wait_counted(qtbot, page)
    listing = page.model.listing
    keys = [c.key for c in listing.columns]
    assert {"assigned_on", "handling", "overdue_days", "escalate_to"} <= set(keys)
    late = [n for n in range(page.model.rowCount()) if page.model.cell(n, "overdue_days")]
    assert late, "the demo data has overdue problems"
    index = page.model.index(late[0], keys.index("description"))
    assert page.model.data(index, Qt.ItemDataRole.ForegroundRole) == ALERT_FG
    close_window(window)


def test_a_chains_leader_is_chosen_on_the_reference_screen(qtbot, county_path: Path, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, county_path, settings, "overview")
    db, info = window.ctx.db, window.ctx.info
    leader = ra.save_leader(db, info.actor("reference"), ra.LeaderRow(None, "张县长", "副县长"))
    page = window.show_page("reference")
    qtbot.waitUntil(lambda: page.tables is not None, timeout=10_000)
    page.reload()
    qtbot.waitUntil(lambda: any(x.name == "张县长" for x in page.tables.leaders), timeout=10_000)
    chains = page.lists["chains"]
    chains.view.selectRow(0)
    shown: list[list[str]] = []

    def ask(_parent, _title, fields, values, note=""):  # type: ignore[no-untyped-def]
        shown.append([f.name for f in fields])
        leaders = next(f for f in fields if f.name == "leader_id").options
        assert ("张县长（副县长）", leader) in leaders
        return {**values, "leader_id": leader, "department_id": 1, "task_force": "县科工信局 王某"}

    monkeypatch.setattr(FormDialog, "ask", ask)
    with qtbot.waitSignal(page.ctx.changed, timeout=10_000):
        chains.edit_button.click()
    assert shown == [["name", "leader_id", "department_id", "task_force"]]
    qtbot.waitUntil(lambda: chains.model.rows[0].leader_name != "", timeout=10_000)
    first = chains.model.rows[0]
    assert (first.leader_name, first.department_name, first.task_force) == ("张县长", "县科工信局", "县科工信局 王某")
    close_window(window)


def test_the_chain_workbench_shows_a_chain_with_its_leader(qtbot, demo_county: Path, settings, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    window = open_window(qtbot, demo_county, settings, "overview")
    db, info = window.ctx.db, window.ctx.info
    leader = ra.save_leader(db, info.actor("reference"), ra.LeaderRow(None, "张县长", "副县长"))
    chain = ra.tables(db).chains[0]
    ra.save_chain(db, info.actor("reference"), replace(chain, leader_id=leader, department_id=1))
    with db.read() as s:
        on_chain = len(
            s.scalars(
                select(m.Enterprise.id).where(m.Enterprise.chain_id == chain.id, m.Enterprise.deleted_at.is_(None))
            ).all()
        )
    assert on_chain > 0
    page = window.show_page("chains")
    qtbot.waitUntil(lambda: page.view is not None and "张县长" in page.lead.text(), timeout=20_000)
    assert page.chain_box.currentText() == chain.name
    assert "牵头部门：县科工信局" in page.lead.text()
    assert page.enterprises.rowCount() == len(page.view.enterprises) == on_chain
    assert f"企业{on_chain}户" in page.totals.text()
    qtmodeltester.check(page.problems)
    assert page.leader_button.isEnabled() and "口径：2025-03期" in page.basis.text()
    close_window(window)


def test_a_measure_of_the_one_firm_one_policy_ledger_is_entered_in_the_editor(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    from hengdong_desktop.services import entry
    from hengdong_desktop.ui.dialogs import MeasureDialog
    from hengdong_desktop.ui.editors import EnterpriseEditor

    window = open_window(qtbot, demo_township, settings, "enterprises")
    with window.ctx.db.read() as s:  # an enterprise with a problem, which a demo measure answers
        problem = s.scalars(select(m.Problem).where(m.Problem.enterprise_id.is_not(None))).first()
        assert problem is not None
        record_id, problem_id = problem.enterprise_id, problem.id
    editor = EnterpriseEditor.build(window, window.ctx, record_id)
    qtbot.addWidget(editor)
    assert editor.tabs.tabText(editor.tabs.indexOf(editor.measure_table)) == "一企一策"
    model = editor.measure_table.model
    linked_column = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index(
        "关联问题"
    )
    label = editor.record.problems[problem_id]
    assert label.startswith(problem.raised_on.isoformat())
    assert label in [model.index(r, linked_column).data() for r in range(model.rowCount())]  # the demo measure's
    before = model.rowCount()

    def fill(dialog: MeasureDialog) -> int:  # the clerk picks the 责任单位 from the 交办 list
        dialog.form.inputs["content"].widget.setPlainText("协调解决用电增容")
        department = dialog.form.inputs["department"].widget
        assert department.findText("县自然资源局") < 0 and department.findText("县发改局") >= 0
        department.setCurrentIndex(department.findText("县发改局"))
        dialog.form.inputs["person"].widget.setText("李明")
        linked = dialog.form.inputs["problem_id"].widget  # the enterprise's problems, or 无
        assert [linked.itemText(i) for i in range(linked.count())] == ["无", *editor.record.problems.values()]
        assert linked.currentText() == "无"
        linked.setCurrentIndex(linked.findData(problem_id))
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(MeasureDialog, "exec", fill)
    editor.measure_table.edit(None)
    assert model.rowCount() == before + 1 and editor.dirty
    assert model.index(before, linked_column).data() == label
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        assert editor.save()
    (measure,) = [
        x for x in entry.load(window.ctx.db, "enterprise", record_id).measures if x["content"] == "协调解决用电增容"
    ]
    assert (measure["department"], measure["person"], measure["status"], measure["problem_id"]) == (
        "县发改局",
        "李明",
        "未启动",
        problem_id,
    )
    history = EnterpriseEditor.build(window, window.ctx, record_id)  # its creation is in the history tab
    qtbot.addWidget(history)
    assert "一企一策：协调解决用电增容" in [history.history.rows[n].part for n in range(history.history.rowCount())]
    history.reject()
    close_window(window)


def test_an_overdue_measure_is_marked_in_the_editor(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from PySide6.QtGui import QColor

    from hengdong_desktop.ui.editors import EnterpriseEditor

    window = open_window(qtbot, demo_township, settings, "enterprises")
    with window.ctx.db.read() as s:
        late = s.scalars(
            select(m.SupportMeasure).where(
                m.SupportMeasure.deadline < date.today(), m.SupportMeasure.status.not_in(("已完成", "已中止"))
            )
        ).first()
        assert late is not None, "the demo data has an overdue measure"
        late_id, enterprise_id = late.id, late.enterprise_id
    editor = EnterpriseEditor.build(window, window.ctx, enterprise_id)
    qtbot.addWidget(editor)
    model = editor.measure_table.model
    deadline = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())].index("完成时限")
    for row, measure in enumerate(model.rows):
        cell = model.index(row, deadline)
        marked = model.data(cell, Qt.ItemDataRole.BackgroundRole)
        if measure["id"] == late_id:
            assert marked.color() == QColor("#f6c4c4") and "已超过完成时限" in model.data(
                cell, Qt.ItemDataRole.ToolTipRole
            )
        elif measure["status"] in ("已完成", "已中止") or measure["deadline"] >= date.today():
            assert marked is None
    editor.reject()
    close_window(window)


def test_a_department_reports_progress_on_its_measure_from_the_editor(
    qtbot,
    demo_township: Path,
    settings,  # type: ignore[no-untyped-def]
    monkeypatch,
) -> None:
    """As a 牵头部门 account (here on a file, its departments given): a 填报进展 button on the
    一企一策 tab saves the status and progress of the selected measure at once."""
    import dataclasses

    from hengdong_desktop.ui.dialogs import ProgressDialog
    from hengdong_desktop.ui.editors import EnterpriseEditor

    window = open_window(qtbot, demo_township, settings, "enterprises")
    with window.ctx.db.read() as s:
        measure = s.scalars(select(m.SupportMeasure).where(m.SupportMeasure.status != "已完成")).first()
        assert measure is not None
        department = s.scalar(select(m.Department.id).where(m.Department.name == measure.department))
        measure_id, enterprise_id, revision = measure.id, measure.enterprise_id, measure.revision
    window.ctx.info = dataclasses.replace(window.ctx.info, account_kind="department", department_ids=(department,))
    editor = EnterpriseEditor.build(window, window.ctx, enterprise_id)
    qtbot.addWidget(editor)
    assert editor.report_button is not None and editor.report_button.text() == "填报进展…"
    table = editor.measure_table
    row = next(n for n, r in enumerate(table.model.rows) if r["id"] == measure_id)
    table.view.selectRow(row)

    def fill(dialog: ProgressDialog) -> int:
        assert set(dialog.form.inputs) == {"status", "progress"}  # nothing else of the measure
        status = dialog.form.inputs["status"].widget
        status.setCurrentIndex(status.findText("已完成"))
        dialog.form.inputs["progress"].widget.setPlainText("已协调办结，企业满意")
        dialog._accept()
        return dialog.result()

    monkeypatch.setattr(ProgressDialog, "exec", fill)
    editor.report_button.click()
    qtbot.waitUntil(lambda: table.model.rows[row]["progress"] == "已协调办结，企业满意", timeout=10_000)
    assert not editor.dirty  # saved on its own, nothing left for the editor's 保存
    with window.ctx.db.read() as s:
        stored = s.get(m.SupportMeasure, measure_id)
        assert stored is not None and (stored.status, stored.progress, stored.revision) == (
            "已完成",
            "已协调办结，企业满意",
            revision + 1,
        )
    editor.reject()
    close_window(window)


def test_a_townships_overview_shows_its_contribution_to_the_targets(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.domain import reference as r
    from hengdong_desktop.services import figures, overview

    window = open_window(qtbot, demo_township, settings, "overview")
    page = window.pages["overview"]
    qtbot.waitUntil(lambda: page.contribution.text() != "", timeout=10_000)
    data = overview.overview(window.ctx.db, window.ctx.info.unit_id)
    own = figures.programme_figures(window.ctx.db, data.latest_period).headline  # a township counts its own data
    text = page.contribution.text()
    assert f"十亿级企业{own[r.BILLION_ENTERPRISES].achieved}（全县目标18）" in text
    assert f"亿元级项目{own[r.HUNDRED_MILLION_PROJECTS].achieved}（全县目标34）" in text
    assert data.late_problems > 0 and f"逾期未办结的交办问题{data.late_problems}条" in text
    close_window(window)


def test_a_townships_overview_shows_its_rank_as_the_county_sent_it(qtbot, demo_township: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel, QPushButton

    from hengdong_desktop.services import county_standing

    window = open_window(qtbot, demo_township, settings, "overview")
    page = window.pages["overview"]
    label = page.findChild(QLabel, "standing")
    qtbot.waitUntil(lambda: label.text() != "", timeout=10_000)
    assert label.text() == "比学赶超：尚未收到县里的排名（县里发来的下发包会带来本单位的名次）。"
    button = page.findChild(QPushButton, "standingParts")
    assert not button.isVisible()

    def part(key, label, unit, value, weight, points, against=None):  # type: ignore[no-untyped-def]
        return dict(criterion=key, label=label, unit=unit, value=value, weight=weight, points=points, against=against)

    record = {  # as a 下发包 brings it (services/packages/reply.py applies it the same way)
        "period": "2026-10",
        "as_of": "2026-10-31",
        "basis": "只计县级已审核接收的数据",
        "rank": 3,
        "ranked": 18,
        "score": "50.00",  # (7.50 + 10.00) × 100 ÷ (15 + 20) = 50.00; 问题按期办结 does not apply
        "parts": [
            part("on_time", "按时上报", "%", "50.0", 15, "7.50"),
            part("projects", "亿元级项目实施", "个", "2", 20, "10.00", "4"),
            part("problems", "问题按期办结", "%", None, 10, None),
        ],
    }
    county_standing.validated(record)
    with window.ctx.db.write(window.ctx.info.actor("reply")) as s:
        county_standing.remember(s, record)
    page.refresh()
    qtbot.waitUntil(lambda: "全县第 3 名" in label.text(), timeout=10_000)
    assert label.text() == "比学赶超：全县第 3 名（共 18 个单位，截至 2026年10月），得分 50.00。"
    assert page.contribution.text().startswith("本单位对全县目标的贡献")  # beside its contribution
    detail = page.findChild(QLabel, "standingDetail")
    assert button.isVisible() and not detail.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert detail.isVisible()
    lines = detail.text().split("\n")
    assert lines[0] == "只计县级已审核接收的数据；截至2026-10-31。总分 = 各项得分之和 ÷ 适用项权重之和 × 100。"
    assert lines[1:] == [
        "· 按时上报：50%，权重15分，得7.50分",
        "· 亿元级项目实施：2个，比较基准4个，权重20分，得10.00分",
        "· 问题按期办结：不适用，不计入（权重10分从满分中扣除）",
    ]
    assert label.toolTip() == detail.text()
    close_window(window)


def test_the_bulletins_colophon_is_edited_on_the_reference_screen(qtbot, county_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit, QPushButton

    window = open_window(qtbot, county_path, settings, "overview")
    page = window.show_page("reference")
    qtbot.waitUntil(lambda: page.tables is not None, timeout=10_000)
    copied, printed = page.findChild(QLineEdit, "copiedTo"), page.findChild(QLineEdit, "printedBy")
    assert copied.text() == ra.DEFAULT_COPIED_TO and printed.text() == page.tables.printed_by
    copied.setText("县委办、县政府办。")
    printed.setText("衡东县人民政府办公室")
    with qtbot.waitSignal(page.ctx.changed, timeout=10_000):
        qtbot.mouseClick(page.findChild(QPushButton, "saveColophon"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.tables.copied_to == "县委办、县政府办。", timeout=10_000)
    assert ra.tables(window.ctx.db).printed_by == "衡东县人民政府办公室"
    close_window(window)
