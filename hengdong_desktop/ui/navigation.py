"""The pages of the main window, in navigation order: each entry names the page, the roles that
see it and how it is built, `build(context, parent)`, when first opened — its module is imported
only then, so that opening the window does not load what the other pages use (QtCharts for the
驾驶舱, cryptography for the package pages). A feature adds its page here and writes the module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from hengdong_desktop.domain.owner import COUNTY, TOWNSHIP

if TYPE_CHECKING:  # the navigation is shown before the database layer is loaded (app.py)
    from hengdong_desktop.ui.context import AppContext
    from hengdong_desktop.ui.page import Page

BOTH = (TOWNSHIP, COUNTY)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    build: Callable[[AppContext, QWidget], Page]
    roles: tuple[str, ...] = BOTH


def _overview(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.overview import OverviewPage

    return OverviewPage(ctx, parent)


def _dashboard(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.dashboard import DashboardPage

    return DashboardPage(ctx, parent)


def _domain_notes(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.domain_notes import DomainNotesPage

    return DomainNotesPage(ctx, parent)


def _import(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.imports import ImportPage

    return ImportPage(ctx, parent)


def _enterprises(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.library import EnterprisesPage

    return EnterprisesPage(ctx, parent)


def _projects(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.library import ProjectsPage

    return ProjectsPage(ctx, parent)


def _monthly(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.monthly import MonthlyPage

    return MonthlyPage(ctx, parent)


def _problems(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.library import ProblemsPage

    return ProblemsPage(ctx, parent)


def _measures(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.measures import MeasuresPage

    return MeasuresPage(ctx, parent)


def _chains(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.chains import ChainsPage

    return ChainsPage(ctx, parent)


def _leaders(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.chains import LeaderPage

    return LeaderPage(ctx, parent)


def _ranking(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.ranking import RankingPage

    return RankingPage(ctx, parent)


def _reference(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.reference_data import ReferenceDataPage

    return ReferenceDataPage(ctx, parent)


def _report(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.report import ReportPage

    return ReportPage(ctx, parent)


def _settings(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.settings_page import SettingsPage

    return SettingsPage(ctx, parent)


def _backups(ctx: AppContext, parent: QWidget) -> Page:
    from hengdong_desktop.ui.pages.backups import BackupsPage

    return BackupsPage(ctx, parent)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "概览", _overview),
    PageSpec("dashboard", "驾驶舱", _dashboard, (COUNTY,)),
    PageSpec("domain_notes", "领域说明", _domain_notes, (COUNTY,)),
    PageSpec("import", "导入", _import, (COUNTY,)),
    PageSpec("enterprises", "企业库", _enterprises),
    PageSpec("projects", "项目库", _projects),
    PageSpec("monthly", "月度调度", _monthly),
    PageSpec("problems", "问题清单", _problems),
    PageSpec("measures", "一企一策台账", _measures),
    PageSpec("chains", "产业链工作台", _chains, (COUNTY,)),
    PageSpec("leaders", "县领导视图", _leaders, (COUNTY,)),
    PageSpec("ranking", "比学赶超", _ranking, (COUNTY,)),
    PageSpec("reference", "基础数据", _reference, (COUNTY,)),
    PageSpec("report", "上报", _report, (TOWNSHIP,)),
    PageSpec("settings", "设置", _settings),
    PageSpec("backups", "备份与恢复", _backups),
)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
