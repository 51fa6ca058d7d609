"""Menu actions of the main window, declared as data so each feature adds its own entries; the
handler is called with the main window. Each handler's module is imported when its action is
first chosen: the menus are built before the database layer is loaded (app.py), and printing
(reportlab, QtPdf) and Excel (openpyxl) are not loaded until they are used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from hengdong_desktop.domain.owner import COUNTY, TOWNSHIP
from hengdong_desktop.ui.page import Shell

BOTH = (TOWNSHIP, COUNTY)

# Menus in menu-bar order: key → title.
MENUS: dict[str, str] = {
    "file": "文件(&F)",
    "data": "数据(&D)",
    "print": "打印(&P)",
    "tools": "工具(&T)",
    "help": "帮助(&H)",
}


@dataclass(frozen=True)
class Handler:
    """A menu action's function `name` in `hengdong_desktop.ui.<module>`, called with the window."""

    module: str
    name: str

    def resolve(self) -> Callable[[Shell], object]:
        function: Callable[[Shell], object] = getattr(
            importlib.import_module(f"hengdong_desktop.ui.{self.module}"), self.name
        )
        return function

    def __call__(self, shell: Shell) -> object:
        return self.resolve()(shell)


@dataclass(frozen=True)
class ActionSpec:
    menu: str
    key: str
    title: str
    handler: Handler
    shortcut: str | None = None
    roles: tuple[str, ...] = BOTH
    separator_before: bool = False
    training_only: bool = False  # shown in a training (培训/演示) database only


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "print", "print_unit_forms", "打印本单位企业培育表…", Handler("printing", "print_unit_forms"), roles=(TOWNSHIP,)
    ),
    ActionSpec(
        "print",
        "print_unit_projects",
        "打印本单位项目调度表…",
        Handler("printing", "print_unit_projects"),
        roles=(TOWNSHIP,),
    ),
    ActionSpec("print", "print_bulletin", "预览通报（草稿）…", Handler("printing", "print_bulletin"), roles=(COUNTY,)),
    ActionSpec(
        "print", "issue_bulletin", "发布通报（编期号存档）…", Handler("printing", "issue_bulletin"), roles=(COUNTY,)
    ),
    ActionSpec(
        "print", "reprint_bulletin", "重印已发布的通报…", Handler("printing", "reprint_bulletin"), roles=(COUNTY,)
    ),
    ActionSpec("file", "new", "新建(&N)", Handler("page_commands", "new_record"), "Ctrl+N"),
    ActionSpec("file", "save", "保存(&S)", Handler("page_commands", "save"), "Ctrl+S"),
    ActionSpec(
        "file",
        "open_database",
        "打开其他数据库(&O)…",
        Handler("database", "open_other_database"),
        separator_before=True,
    ),
    ActionSpec(
        "file",
        "leave_training",
        "结束试用，建立正式数据库…",
        Handler("window_actions", "leave_training"),
        training_only=True,
    ),
    ActionSpec("data", "find", "查找(&F)", Handler("page_commands", "find"), "Ctrl+F"),
    ActionSpec("data", "excel_template", "下载Excel模板…", Handler("excel_wizard", "download_template")),
    ActionSpec("data", "excel_import", "从Excel导入…", Handler("excel_wizard", "import_excel")),
    ActionSpec("data", "excel_export", "导出Excel…", Handler("excel_wizard", "export_excel")),
    ActionSpec("tools", "check", "审核全部数据", Handler("window_actions", "show_check_summary")),
    ActionSpec("tools", "backups", "备份与恢复(&B)…", Handler("window_actions", "show_backups")),
    ActionSpec("help", "about", "关于(&A)", Handler("window_actions", "show_about")),
)
