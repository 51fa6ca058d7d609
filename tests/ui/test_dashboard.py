"""The county 驾驶舱 on a real database: it shows the figures service's numbers, every number
opens the records behind it, the period selector drives everything."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hengdong_desktop.app import build_main_window
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.packages import keys
from hengdong_desktop.ui.drilldown import DrillDownDialog
from hengdong_desktop.ui.pages import dashboard as dash
from tests.ui.entry_helpers import remember_period

PERIOD, EARLIER = "2025-06", "2025-03"


@pytest.fixture(scope="session")
def demo_county_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo county for every test here, built once per run; each test works on a copy."""
    path = tmp_path_factory.mktemp("dashboard") / "county.sqlite3"
    setup.init_database(path, setup.COUNTY, None, "李四", training=True)
    db, _info = setup.open_initialized(path)
    demo.generate(db, enterprises=6, months=14, projects=4, seed=21, end_period=PERIOD, today=date(2025, 7, 15))
    db.close()
    return path


@pytest.fixture
def window(qtbot, demo_county_file: Path, tmp_path: Path, settings):  # type: ignore[no-untyped-def]
    path = tmp_path / demo_county_file.name
    for source, target in ((demo_county_file, path), (keys.key_path(demo_county_file), keys.key_path(path))):
        shutil.copyfile(source, target)
    remember_period(settings, path, PERIOD)
    win = build_main_window(path, settings)
    assert win is not None
    qtbot.addWidget(win)
    win.show()
    yield win
    win.ctx.tasks.wait()
    win.ctx.db.close()


@pytest.fixture
def page(qtbot, window):  # type: ignore[no-untyped-def]
    page = window.show_page("dashboard")
    qtbot.waitUntil(lambda: page.data is not None, timeout=20_000)
    return page


def _open_drill(qtbot, page, action) -> DrillDownDialog:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.drilled, timeout=10_000) as opened:
        action()
    dialog = opened.args[0]
    assert dialog.isVisible()
    return dialog


def test_headline_tiles_show_the_figures_and_their_definitions(page) -> None:  # type: ignore[no-untyped-def]
    f = fs.programme_figures(page.ctx.db, PERIOD)
    for metric, tile in page.tiles.items():
        p = f.headline[metric]
        assert tile.value.text().startswith(f"{p.achieved} / {p.target}")
    assert page.definitions.text().startswith(f.basis.sentence())  # the 口径 line
    assert "全年规模≥100亿元" in page.definitions.text() and "开工、在建、竣工、投产、达效" in page.definitions.text()
    assert "1-本月累计" in page.tiles[r.BILLION_ENTERPRISES].note.text()
    assert page.period_box.currentData() == PERIOD
    assert not page.include_pending.isChecked() and not page.pending_banner.isVisibleTo(page)


def test_every_number_opens_exactly_the_records_counted(qtbot, page, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    f = page.data.figures
    headline = f.headline
    projects = _open_drill(qtbot, page, lambda: page.tiles[r.HUNDRED_MILLION_PROJECTS].clicked.emit())
    assert projects.model.rowCount() == headline[r.HUNDRED_MILLION_PROJECTS].achieved > 0
    qtmodeltester.check(projects.model)
    assert f"共 {headline[r.HUNDRED_MILLION_PROJECTS].achieved} 个" in projects.summary.text()

    page.tiles[r.BILLION_ENTERPRISES].setFocus()
    enterprises = _open_drill(qtbot, page, lambda: qtbot.keyClick(page.tiles[r.BILLION_ENTERPRISES], Qt.Key.Key_Return))
    assert enterprises.model.rowCount() == headline[r.BILLION_ENTERPRISES].achieved

    model = page.domain_model
    qtmodeltester.check(model)
    for row, line in enumerate(model.rows):
        for column, (metric, basis) in dash.DOMAIN_DRILL.items():
            p = line.progress[metric]
            expected = {None: p.achieved, fs.YEAR_TO_DATE: p.year_to_date, fs.PROJECTED: p.projected}[basis]
            index = page.domain_view.model().index(row, column)
            dialog = _open_drill(qtbot, page, lambda i=index: page.domain_view.activated.emit(i))
            assert dialog.model.rowCount() == expected, (line.name, metric, basis)
            dialog.close()

    industries = page.industry_view.model()
    for row in range(industries.rowCount()):
        industry = industries.index(row, 0).data(dash.ROW_ROLE)
        cell = industries.index(row, 3)
        dialog = _open_drill(qtbot, page, lambda c=cell: page.industry_view.activated.emit(c))
        assert dialog.model.rowCount() == industry.enterprises
        total = sum((value[0][6] or Decimal(0) for value in dialog.model.rows), Decimal(0))
        assert total == industry.output_to_date
        dialog.close()


def test_problems_by_category_and_department_drill_down(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    p = page.data.figures.problems
    assert p.open_total > 0 and f"共 {p.open_total} 条" in page.problem_title.text()
    assert page.oldest_model.rowCount() == len(p.oldest)
    days = [row.days_open for row in page.oldest_model.rows]
    assert days == sorted(days, reverse=True)  # the longest open first
    for view, counts in ((page.category_view, p.by_category), (page.department_view, p.by_department)):
        index = view.model().index(0, 0)
        name = index.data()
        dialog = _open_drill(qtbot, page, lambda v=view, i=index: v.activated.emit(i))
        assert dialog.model.rowCount() == counts[name]
        dialog.close()


def test_reporting_matrix_and_queue_slots(page) -> None:  # type: ignore[no-untyped-def]
    rs = page.data.reporting
    model = page.matrix_model
    assert model.rowCount() == 18 and model.columnCount() == 1 + 12
    assert model.headerData(12, Qt.Orientation.Horizontal) == PERIOD
    for row, (unit_id, _name) in enumerate(rs.units):
        for col, period in enumerate(rs.periods, start=1):
            status = rs.of(unit_id, period)
            assert model.index(row, col).data() == dash.STATUS_SHORT.get(status, status)
            colour = model.index(row, col).data(Qt.ItemDataRole.BackgroundRole).color().name()
            assert colour == (dash.OVERDUE_COLOUR if (unit_id, period) in rs.overdue else dash.STATUS_COLOURS[status])
    assert page.queues.text() == f"待处理冲突：{rs.open_conflicts}　疑似重复企业：{rs.open_duplicates}"


def test_period_selector_drives_everything(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.period_box.setCurrentIndex(page.period_box.findData(EARLIER))
    assert page.ctx.period == EARLIER and page.data.figures.period == EARLIER
    f = fs.programme_figures(page.ctx.db, EARLIER)
    assert [i.output_to_date for i in page.industry_model.rows] == [i.output_to_date for i in f.industries]
    assert page.data.reporting.periods[-1] == EARLIER
    assert "截至2025-03-31" in page.problem_title.text()


def test_trend_chart_ends_at_the_output_to_date(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.tabs.setCurrentIndex(2)
    industry = page.data.figures.industries[0]
    page.trend_industry.setCurrentIndex(page.trend_industry.findData(industry.industry_id))
    series = {line.name(): line for line in page.trend_chart.chart().series()}
    this_year = series["2025年"].points()
    assert len(this_year) == 6
    assert this_year[-1].y() == pytest.approx(float(industry.output_to_date / 10000))
    assert "年度目标" in series and series["年度目标"].points()[0].y() == pytest.approx(float(industry.target / 10000))
    page.trend_industry.setCurrentIndex(0)  # all target industries
    total = sum(i.output_to_date for i in page.data.figures.industries)
    assert page.trend_chart.chart().series()[1].points()[-1].y() == pytest.approx(float(total / 10000))


def test_pending_data_is_counted_only_when_asked_and_then_clearly_labelled(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_figures import accept

    accept(page.ctx.db, 7, PERIOD, decision="")  # 霞流镇 sent a new package: it awaits review
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.refresh()
    published = page.data.figures
    assert published.basis.counted.left_out == {7: "已上报"} and "已上报1个（霞流镇）" in page.definitions.text()
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.include_pending.setChecked(True)
    f = page.data.figures
    assert f.basis.include_pending and f.basis.counted.pending == (7,) and not f.basis.counted.left_out
    assert page.pending_banner.isVisibleTo(page) and "含待审核" in page.pending_banner.text()
    assert "含待审核（已上报未审核或县级录入，1个单位）" in page.definitions.text()
    assert sum(i.enterprises for i in f.industries) > sum(i.enterprises for i in published.industries)
    industry = next(i for i in f.industries if i.enterprises)
    cell = page.industry_view.model().index(page.industry_model.rows.index(industry), 3)
    dialog = _open_drill(qtbot, page, lambda: page.industry_view.activated.emit(cell))
    assert dialog.model.rowCount() == industry.enterprises  # the list behind a number counts what it counts
    dialog.close()
    with qtbot.waitSignal(page.refreshed, timeout=20_000):
        page.include_pending.setChecked(False)
    assert not page.pending_banner.isVisibleTo(page) and not page.data.figures.basis.include_pending


def test_dashboard_is_county_only(qtbot, township_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    win = build_main_window(township_path, settings)
    qtbot.addWidget(win)
    assert "dashboard" not in [spec.key for spec in win.specs] and "reference" not in [spec.key for spec in win.specs]
    win.ctx.tasks.wait()
    win.ctx.db.close()
    QApplication.processEvents()


def test_projects_and_investment_tab_with_its_warnings(qtbot, page, qtmodeltester, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.ui.editors import ProjectEditor

    f = page.data.figures
    tab = page.projects_tab
    page.tabs.setCurrentWidget(tab)
    total = f.projects.total
    assert f"项目 {total.projects} 个（亿元级 {total.hundred_million} 个）" in tab.summary.text()
    assert f"累计签约 {f.investment.signed} 个" in tab.promotion.text()
    qtmodeltester.check(tab.group_model)
    assert [g.key for g in tab.group_model.rows] == [g.key for g in f.projects.by_stage if g.projects]
    by_domain = tab.grouping.findData("domain_id")
    tab.grouping.setCurrentIndex(by_domain)
    assert [g.name for g in tab.group_model.rows] == [d.name for d in f.domains]
    row = next(n for n, g in enumerate(tab.group_model.rows) if g.projects)
    listed = _open_drill(qtbot, page, lambda: tab.group_view.doubleClicked.emit(tab.group_model.index(row, 0)))
    assert listed.model.rowCount() == tab.group_model.rows[row].projects
    signed = next(n for n, g in enumerate(tab.source_model.rows) if g.signed)
    listed = _open_drill(qtbot, page, lambda: tab.source_view.doubleClicked.emit(tab.source_model.index(signed, 0)))
    assert listed.model.rowCount() == tab.source_model.rows[signed].signed
    # the 预警 list: every warning, each with its rule, numbers and how long it has stood
    assert tab.warning_model.rowCount() == len(f.projects.warnings) > 0
    qtmodeltester.check(tab.warning_model)
    first = tab.warning_model.rows[0]
    assert tab.warning_model.index(0, 0).data() == first.rule and first.message in tab.warning_model.index(0, 5).data()
    tab.rule.setCurrentIndex(tab.rule.findData("包而不推"))
    assert {w.rule for w in tab.warning_model.rows} <= {"包而不推"}
    assert tab.warning_model.rowCount() == f.projects.warning_counts()["包而不推"] > 0  # demo projects that stall
    monkeypatch.setattr(ProjectEditor, "exec", lambda self: 0)  # opened, then closed
    with qtbot.waitSignal(page.drilled, timeout=10_000) as opened:
        tab.warning_view.doubleClicked.emit(tab.warning_view.model().index(0, 0))
    editor = opened.args[0]
    assert editor.record.id == tab.warning_model.rows[0].project_id
    assert editor.tabs.currentIndex() == editor.LIFECYCLE_TAB and "包而不推" in editor.warnings_label.text()
