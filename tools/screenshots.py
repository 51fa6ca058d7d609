"""`make screenshots`: renders every page of the main window, for a township and for the county,
with demo data, in a real window (under Xvfb), into PNG files to look at: at the usual size in
OUT_DIR, and at 1366×768 (a common township PC screen) in OUT_DIR/1366x768.

Usage: python -m tools.screenshots OUT_DIR"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication, QWidget

from hengdong_desktop.app import build_main_window, create_application
from hengdong_desktop.services import demo, setup
from hengdong_desktop.ui import printing
from hengdong_desktop.ui.settings import Settings
from tools import entry_shots, excel_shots, package_shots, project_shots


def _backups_page(window: QWidget) -> QWidget:
    """备份与恢复 with a few backups of different reasons."""
    from hengdong_desktop.services import backups

    path = window.ctx.db.path  # type: ignore[attr-defined]
    for reason in ("daily", "merge", "manual"):
        backups.backup_file(path, reason)
    page = window.show_page("backups")  # type: ignore[attr-defined]
    page.refresh()
    return window


def _recovery_dialog(window: QWidget) -> QWidget:
    from hengdong_desktop.services import backups
    from hengdong_desktop.ui.startup import Damage, RecoveryDialog

    path = window.ctx.db.path  # type: ignore[attr-defined]
    damage = Damage(
        path, ["*** in database main ***", "Page 7: btreeInitPage() returns error code 11"], backups.latest_good(path)
    )
    box, _choices = RecoveryDialog.build(window, damage)
    box.show()
    return box


def _crash_dialog(window: QWidget) -> QWidget:
    from hengdong_desktop.ui.errors import CrashDialog, crash_dir

    dialog = CrashDialog(
        crash_dir() / "crash-20250306-101502-123456.txt", "Traceback (most recent call last): …", window
    )
    dialog.show()
    return dialog


def _after_rendering(pick: Callable[[QWidget], QWidget], seconds: float = 2.0) -> Callable[[QWidget], QWidget]:
    """For widgets that finish drawing in the background (QPdfView renders pages in a thread)."""

    def picked(window: QWidget) -> QWidget:
        widget = pick(window)
        window.ctx.tasks.wait()  # type: ignore[attr-defined]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.02)
        return widget

    return picked


def _page_tab(key: str, tab: int) -> Callable[[QWidget], QWidget]:
    def pick(window: QWidget) -> QWidget:
        window.show_page(key).tabs.setCurrentIndex(tab)  # type: ignore[attr-defined]
        return window

    return pick


def _billion_enterprises_list(window: QWidget) -> QWidget:
    from hengdong_desktop.services import figures

    page = window.show_page("dashboard")  # type: ignore[attr-defined]
    rows = figures.records_behind(window.ctx.db, window.ctx.period, figures.DrillKey(figures.BILLION_ENTERPRISES))  # type: ignore[attr-defined]
    return page._open(page._enterprise_list("全县 十亿级企业", rows))  # type: ignore[no-any-return]


def _dashboard_with_pending(window: QWidget) -> QWidget:
    """含待审核 switched on, one unit's period awaiting review."""
    from hengdong_desktop.db.models import new_uuid
    from hengdong_desktop.services import reporting

    db = window.ctx.db  # type: ignore[attr-defined]
    with db.write(window.ctx.info.actor("package")) as s:  # type: ignore[attr-defined]
        reporting.mark_reported(s, 7, new_uuid(), [window.ctx.period])  # type: ignore[attr-defined]
    page = window.show_page("dashboard")  # type: ignore[attr-defined]
    page.include_pending.setChecked(True)
    return window


def _chain_workbench(tab: int) -> Callable[[QWidget], QWidget]:
    """产业链工作台 of the first chain (its 链长, 牵头部门 and 专班 are the demo data's)."""

    def pick(window: QWidget) -> QWidget:
        page = window.show_page("chains")  # type: ignore[attr-defined]
        page.refresh()
        window.ctx.tasks.wait()  # type: ignore[attr-defined]
        page.tabs.setCurrentIndex(tab)
        return window

    return pick


def _leader_view(tab: int) -> Callable[[QWidget], QWidget]:
    """县领导视图 of a leader whose chains have 招商, with the most overdue problems."""

    def pick(window: QWidget) -> QWidget:
        from hengdong_desktop.services import chains

        db, period = window.ctx.db, window.ctx.period  # type: ignore[attr-defined]
        views = [chains.leader_view(db, period, x.id) for x in chains.leaders(db)]
        busiest = max(views, key=lambda v: (v.promotion.signed > 0, v.late_problems, len(v.projects)))
        page = window.show_page("leaders")  # type: ignore[attr-defined]
        window.ctx.tasks.wait()  # type: ignore[attr-defined]
        QApplication.processEvents()
        page.select_leader(busiest.leader.id)
        window.ctx.tasks.wait()  # type: ignore[attr-defined]
        QApplication.processEvents()
        page.tabs.setCurrentIndex(tab)
        return window

    return pick


def _ranking_parts(window: QWidget) -> QWidget:
    """比学赶超 with the first unit's score explained."""
    from PySide6.QtWidgets import QTableView

    page = window.show_page("ranking")  # type: ignore[attr-defined]
    window.ctx.tasks.wait()  # type: ignore[attr-defined]
    QApplication.processEvents()
    page.findChild(QTableView, "ranking_unit").selectRow(2)
    return window


def _overview_standing(window: QWidget) -> QWidget:
    """A township's 概览 with the 比学赶超 standing a 下发包 brought, its parts shown."""
    from hengdong_desktop.services import county_standing

    def part(key: str, label: str, unit: str, value: str | None, weight: int, points: str | None, against=None):  # type: ignore[no-untyped-def]
        return dict(criterion=key, label=label, unit=unit, value=value, weight=weight, points=points, against=against)

    record = {  # (13.76 + 12 + 10.26 + 10.30 + 6.67 + 6.67) × 100 ÷ 90 = 66.29
        "period": "2026-10",
        "as_of": "2026-10-31",
        "basis": "只计县级已审核接收的数据",
        "rank": 5,
        "ranked": 18,
        "score": "66.29",
        "parts": [
            part("on_time", "按时上报", "%", "91.7", 15, "13.76"),
            part("projects", "亿元级项目实施", "个", "3", 20, "12.00", "5"),
            part("investment", "项目投资完成率", "%", "68.4", 15, "10.26"),
            part("growth", "企业产值增长", "%", "12.5", 15, "10.30", "18.2"),
            part("scale", "十亿级、亿级企业", "户", "4", 15, "6.67", "9"),
            part("problems", "问题按期办结", "%", None, 10, None),
            part("returns", "数据质量（退回）", "次", "1", 10, "6.67", "3"),
        ],
    }
    county_standing.validated(record)
    with window.ctx.db.write(window.ctx.info.actor("reply")) as s:  # type: ignore[attr-defined]
        county_standing.remember(s, record)
    page = window.show_page("overview")  # type: ignore[attr-defined]
    page.refresh()
    window.ctx.tasks.wait()  # type: ignore[attr-defined]
    QApplication.processEvents()
    page.standing_button.setChecked(True)
    return window


def _overdue_problems(window: QWidget) -> QWidget:
    """问题清单 showing the overdue (red) assigned problems only."""
    page = window.show_page("problems")  # type: ignore[attr-defined]
    combo = page.filters["handling"]
    combo.setCurrentIndex(combo.findData("__late__"))
    return window


def _overdue_measures(window: QWidget) -> QWidget:
    """一企一策台账 showing the overdue (red) measures only."""
    page = window.show_page("measures")  # type: ignore[attr-defined]
    page.overdue_only.setChecked(True)
    return window


# Extra shots beyond the pages: (name, role, function(window) -> widget to grab).
EXTRA_SHOTS: list[tuple[str, str, Callable[[QWidget], QWidget]]] = [
    ("backups", setup.TOWNSHIP, _backups_page),
    ("recovery-dialog", setup.TOWNSHIP, _recovery_dialog),
    ("crash-dialog", setup.TOWNSHIP, _crash_dialog),
    ("print-preview-forms", setup.TOWNSHIP, _after_rendering(lambda w: printing.preview_enterprise_forms(w, w.ctx))),  # type: ignore[attr-defined]
    (
        "print-preview-bulletin",
        setup.COUNTY,
        _after_rendering(lambda w: printing.preview_bulletin(w, w.ctx, w.ctx.period)),
    ),  # type: ignore[attr-defined]
    *(
        (f"dashboard-{k}-{name}", setup.COUNTY, _page_tab("dashboard", k))
        for k, name in enumerate(("domains", "industries", "trend", "projects", "reporting", "problems"))
    ),
    ("dashboard-drilldown", setup.COUNTY, _billion_enterprises_list),
    ("dashboard-promotion", setup.COUNTY, project_shots.dashboard_promotion),
    ("reference-leaders", setup.COUNTY, _page_tab("reference", 2)),
    ("reference-leads", setup.COUNTY, _page_tab("reference", 3)),
    ("reference-chains", setup.COUNTY, _page_tab("reference", 5)),
    ("reference-warning-numbers", setup.COUNTY, _page_tab("reference", 7)),
    ("reference-programme", setup.COUNTY, _page_tab("reference", 8)),
    ("reference-deadlines", setup.COUNTY, _page_tab("reference", 9)),
    ("reference-targets", setup.COUNTY, _page_tab("reference", 10)),
    ("reference-official", setup.COUNTY, _page_tab("reference", 11)),
    ("reference-colophon", setup.COUNTY, _page_tab("reference", 12)),
    ("reference-changes", setup.COUNTY, _page_tab("reference", 13)),
    *(
        (f"chain-workbench-{name}", setup.COUNTY, _chain_workbench(k))
        for k, name in enumerate(("enterprises", "projects", "problems"))
    ),
    *(
        (f"leader-view-{name}", setup.COUNTY, _leader_view(k))
        for k, name in enumerate(("chains", "projects", "enterprises", "problems", "promotion"))
    ),
    ("ranking-parts", setup.COUNTY, _ranking_parts),
    ("problems-overdue", setup.TOWNSHIP, _overdue_problems),
    ("measures-overdue", setup.COUNTY, _overdue_measures),
    ("overview-standing", setup.TOWNSHIP, _overview_standing),
    ("dashboard-pending", setup.COUNTY, _dashboard_with_pending),
    ("enterprise-editor", setup.TOWNSHIP, entry_shots.enterprise),
    ("enterprise-support", setup.TOWNSHIP, entry_shots.enterprise_support),
    ("enterprise-annual", setup.TOWNSHIP, entry_shots.enterprise_annual),
    ("enterprise-history", setup.TOWNSHIP, entry_shots.enterprise_history),
    ("enterprise-measures", setup.TOWNSHIP, entry_shots.enterprise_measures),
    ("measure-dialog", setup.TOWNSHIP, entry_shots.measure_dialog),
    ("enterprise-new-errors", setup.TOWNSHIP, entry_shots.new_enterprise_with_errors),
    ("project-editor", setup.TOWNSHIP, entry_shots.project),
    ("project-lifecycle", setup.TOWNSHIP, project_shots.lifecycle),
    ("project-promotion", setup.TOWNSHIP, project_shots.promotion),
    ("project-problems", setup.TOWNSHIP, project_shots.problems),
    ("project-photos", setup.TOWNSHIP, project_shots.site_photos),
    ("print-preview-project-form", setup.TOWNSHIP, _after_rendering(project_shots.printed_form, 3.0)),
    ("print-preview-project-form-photos", setup.TOWNSHIP, project_shots.printed_form_photos),
    ("project-lifecycle", setup.COUNTY, project_shots.lifecycle),
    ("problem-editor", setup.TOWNSHIP, entry_shots.problem),
    ("monthly-projects", setup.TOWNSHIP, entry_shots.monthly_projects),
    ("setup-wizard", setup.TOWNSHIP, entry_shots.wizard_unit),
    ("setup-wizard-identity", setup.TOWNSHIP, package_shots.wizard_identity),
    ("setup-wizard-try-first", setup.TOWNSHIP, entry_shots.wizard_role),
    ("enterprise-editor", setup.COUNTY, entry_shots.enterprise),
    ("excel-import-errors", setup.TOWNSHIP, excel_shots.township_preview),
    ("excel-import-county", setup.COUNTY, excel_shots.county_preview),
    ("report-history", setup.TOWNSHIP, package_shots.township_report),
    ("import-results", setup.COUNTY, package_shots.county_import),
    *(
        (f"import-{name}", setup.COUNTY, package_shots.county_tab(i))
        for i, name in ((1, "conflicts"), (2, "duplicates"), (3, "review"), (4, "keys"), (5, "audit"))
    ),
]


def _settle(app: QApplication, window: QWidget) -> None:
    for _ in range(20):
        app.processEvents()
    window.ctx.tasks.wait()  # type: ignore[attr-defined]
    for _ in range(20):
        app.processEvents()


# Window sizes shot: the usual one, and a 1366×768 screen (in a folder of its own).
SIZES: tuple[tuple[str, int, int], ...] = (("", 1366, 860), ("1366x768", 1366, 768))


def shoot(out: Path) -> list[Path]:
    app = create_application()
    QStandardPaths.setTestModeEnabled(True)
    written: list[Path] = []
    for folder, width, height in SIZES:
        written += _shoot_size(app, out / folder if folder else out, width, height)
    return written


def _shoot_size(app: QApplication, out: Path, width: int, height: int) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    package_shots.fresh()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        for role, unit in ((setup.TOWNSHIP, "吴集镇"), (setup.COUNTY, None)):
            path = Path(tmp) / f"{role}.sqlite3"
            setup.init_database(path, role, unit, "截图", training=True)
            db, _info = setup.open_initialized(path)
            demo.generate(db, enterprises=40 if role == setup.TOWNSHIP else 12, months=12, seed=7)
            db.close()
            settings = Settings(QSettings(str(Path(tmp) / f"{role}.ini"), QSettings.Format.IniFormat))
            window = build_main_window(path, settings)
            assert window is not None
            window.resize(width, height)
            window.show()
            _settle(app, window)
            for row, spec in enumerate(window.specs):
                window.nav.setCurrentRow(row)
                _settle(app, window)
                target = out / f"{role}-{row:02d}-{spec.key}.png"
                window.grab().save(str(target))
                written.append(target)
            for name, shot_role, pick in EXTRA_SHOTS:
                if shot_role == role:
                    widget = pick(window)
                    _settle(app, window)
                    target = out / f"{role}-extra-{name}.png"
                    widget.grab().save(str(target))
                    written.append(target)
            window.close()
            window.ctx.db.close()
    return written


if __name__ == "__main__":
    for path in shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "screenshots")):
        print(path)
