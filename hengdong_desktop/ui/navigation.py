"""The pages of the main window, in navigation order: each entry names the page, the roles that
see it and its class, built as `Class(context, parent)` when first opened. A feature adds its
page here and writes the module."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from hengdong_desktop.services.setup import COUNTY, TOWNSHIP
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.page import Page
from hengdong_desktop.ui.pages.backups import BackupsPage
from hengdong_desktop.ui.pages.chains import ChainsPage
from hengdong_desktop.ui.pages.dashboard import DashboardPage
from hengdong_desktop.ui.pages.imports import ImportPage
from hengdong_desktop.ui.pages.library import EnterprisesPage, ProblemsPage, ProjectsPage
from hengdong_desktop.ui.pages.monthly import MonthlyPage
from hengdong_desktop.ui.pages.overview import OverviewPage
from hengdong_desktop.ui.pages.ranking import RankingPage
from hengdong_desktop.ui.pages.reference_data import ReferenceDataPage
from hengdong_desktop.ui.pages.report import ReportPage
from hengdong_desktop.ui.pages.settings_page import SettingsPage

BOTH = (TOWNSHIP, COUNTY)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    build: Callable[[AppContext, QWidget], Page]
    roles: tuple[str, ...] = BOTH


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "概览", OverviewPage),
    PageSpec("dashboard", "驾驶舱", DashboardPage, (COUNTY,)),
    PageSpec("import", "导入", ImportPage, (COUNTY,)),
    PageSpec("enterprises", "企业库", EnterprisesPage),
    PageSpec("projects", "项目库", ProjectsPage),
    PageSpec("monthly", "月度调度", MonthlyPage),
    PageSpec("problems", "问题清单", ProblemsPage),
    PageSpec("chains", "产业链工作台", ChainsPage, (COUNTY,)),
    PageSpec("ranking", "比学赶超", RankingPage, (COUNTY,)),
    PageSpec("reference", "基础数据", ReferenceDataPage, (COUNTY,)),
    PageSpec("report", "上报", ReportPage, (TOWNSHIP,)),
    PageSpec("settings", "设置", SettingsPage),
    PageSpec("backups", "备份与恢复", BackupsPage),
)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
