"""Menu actions of the main window, declared as data so each feature adds its own entries.

`handler` is "module:function"; the function is called as `function(window)` with the
MainWindow, and imported only when the action is triggered."""

from __future__ import annotations

from dataclasses import dataclass

from hengdong_desktop.services.setup import COUNTY, TOWNSHIP

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
class ActionSpec:
    menu: str
    key: str
    title: str
    handler: str
    shortcut: str | None = None
    roles: tuple[str, ...] = BOTH
    separator_before: bool = False
    training_only: bool = False  # only in a training (培训/演示) database


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("print", "print_unit_forms", "打印本单位企业培育表…", "hengdong_desktop.ui.printing:print_unit_forms",
               roles=(TOWNSHIP,)),
    ActionSpec("print", "print_unit_projects", "打印本单位项目调度表…", "hengdong_desktop.ui.printing:print_unit_projects",
               roles=(TOWNSHIP,)),
    ActionSpec("print", "print_bulletin", "预览通报（草稿）…", "hengdong_desktop.ui.printing:print_bulletin", roles=(COUNTY,)),
    ActionSpec("print", "issue_bulletin", "发布通报（编期号存档）…", "hengdong_desktop.ui.printing:issue_bulletin",
               roles=(COUNTY,)),
    ActionSpec("print", "reprint_bulletin", "重印已发布的通报…", "hengdong_desktop.ui.printing:reprint_bulletin",
               roles=(COUNTY,)),
    ActionSpec("file", "new", "新建(&N)", "hengdong_desktop.ui.page_commands:new_record", "Ctrl+N"),
    ActionSpec("file", "save", "保存(&S)", "hengdong_desktop.ui.page_commands:save", "Ctrl+S"),
    ActionSpec("file", "leave_training", "结束试用，建立正式数据库…", "hengdong_desktop.ui.main_window:leave_training",
               separator_before=True, training_only=True),
    ActionSpec("data", "find", "查找(&F)", "hengdong_desktop.ui.page_commands:find", "Ctrl+F"),
    ActionSpec("data", "excel_template", "下载Excel模板…", "hengdong_desktop.ui.excel_wizard:download_template"),
    ActionSpec("data", "excel_import", "从Excel导入…", "hengdong_desktop.ui.excel_wizard:import_excel"),
    ActionSpec("data", "excel_export", "导出Excel…", "hengdong_desktop.ui.excel_wizard:export_excel"),
    ActionSpec("tools", "check", "审核全部数据", "hengdong_desktop.ui.main_window:show_check_summary"),
    ActionSpec("tools", "backups", "备份与恢复(&B)…", "hengdong_desktop.ui.pages.backups:show_backups_page"),
    ActionSpec("help", "about", "关于(&A)", "hengdong_desktop.ui.main_window:show_about"),
)
