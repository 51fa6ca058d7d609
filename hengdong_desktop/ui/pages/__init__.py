"""The pages of the main window, in navigation order.

Each entry names the page, the roles that see it and where its widget class lives
("module:Class", constructed as `Class(context, parent)`); pages are built when first opened.
A feature adds its page here and writes the module."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from hengdong_desktop.services.setup import COUNTY, TOWNSHIP
from hengdong_desktop.ui.context import AppContext

BOTH = (TOWNSHIP, COUNTY)


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    widget: str  # "hengdong_desktop.ui.pages.module:ClassName"
    roles: tuple[str, ...] = BOTH

    def build(self, ctx: AppContext, parent: QWidget) -> QWidget:
        module, _, name = self.widget.partition(":")
        cls = getattr(importlib.import_module(module), name)
        return cls(ctx, parent)  # type: ignore[no-any-return]


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "概览", "hengdong_desktop.ui.pages.overview:OverviewPage"),
    PageSpec("dashboard", "驾驶舱", "hengdong_desktop.ui.pages.dashboard:DashboardPage", (COUNTY,)),
    PageSpec("domain_notes", "领域说明", "hengdong_desktop.ui.pages.domain_notes:DomainNotesPage", (COUNTY,)),
    PageSpec("import", "导入", "hengdong_desktop.ui.pages.imports:ImportPage", (COUNTY,)),
    PageSpec("enterprises", "企业库", "hengdong_desktop.ui.pages.library:EnterprisesPage"),
    PageSpec("projects", "项目库", "hengdong_desktop.ui.pages.library:ProjectsPage"),
    PageSpec("monthly", "月度调度", "hengdong_desktop.ui.pages.monthly:MonthlyPage"),
    PageSpec("problems", "问题清单", "hengdong_desktop.ui.pages.library:ProblemsPage"),
    PageSpec("reference", "基础数据", "hengdong_desktop.ui.pages.reference_data:ReferenceDataPage", (COUNTY,)),
    PageSpec("report", "上报", "hengdong_desktop.ui.pages.report:ReportPage", (TOWNSHIP,)),
    PageSpec("settings", "设置", "hengdong_desktop.ui.pages.settings_page:SettingsPage"),
    PageSpec("backups", "备份与恢复", "hengdong_desktop.ui.pages.backups:BackupsPage"),
)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
