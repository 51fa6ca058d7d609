"""Menu actions of the main window, declared as data so each feature adds its own entries; the
handler is called with the main window. Printing (reportlab, QtPdf) and Excel (openpyxl) are
imported when their action is first chosen, not when the window opens."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hengdong_desktop.services.setup import COUNTY, TOWNSHIP
from hengdong_desktop.ui import database, page_commands, window_actions
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
class ActionSpec:
    menu: str
    key: str
    title: str
    handler: Callable[[Shell], object]
    shortcut: str | None = None
    roles: tuple[str, ...] = BOTH
    separator_before: bool = False
    training_only: bool = False  # shown in a training (培训/演示) database only


def print_unit_forms(shell: Shell) -> None:
    from hengdong_desktop.ui import printing

    printing.print_unit_forms(shell)


def print_unit_projects(shell: Shell) -> None:
    from hengdong_desktop.ui import printing

    printing.print_unit_projects(shell)


def print_bulletin(shell: Shell) -> None:
    from hengdong_desktop.ui import printing

    printing.print_bulletin(shell)


def issue_bulletin(shell: Shell) -> None:
    from hengdong_desktop.ui import printing

    printing.issue_bulletin(shell)


def reprint_bulletin(shell: Shell) -> None:
    from hengdong_desktop.ui import printing

    printing.reprint_bulletin(shell)


def download_template(shell: Shell) -> None:
    from hengdong_desktop.ui import excel_wizard

    excel_wizard.download_template(shell)


def import_excel(shell: Shell) -> None:
    from hengdong_desktop.ui import excel_wizard

    excel_wizard.import_excel(shell)


def export_excel(shell: Shell) -> None:
    from hengdong_desktop.ui import excel_wizard

    excel_wizard.export_excel(shell)


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("print", "print_unit_forms", "打印本单位企业培育表…", print_unit_forms, roles=(TOWNSHIP,)),
    ActionSpec("print", "print_unit_projects", "打印本单位项目调度表…", print_unit_projects, roles=(TOWNSHIP,)),
    ActionSpec("print", "print_bulletin", "预览通报（草稿）…", print_bulletin, roles=(COUNTY,)),
    ActionSpec("print", "issue_bulletin", "发布通报（编期号存档）…", issue_bulletin, roles=(COUNTY,)),
    ActionSpec("print", "reprint_bulletin", "重印已发布的通报…", reprint_bulletin, roles=(COUNTY,)),
    ActionSpec("file", "new", "新建(&N)", page_commands.new_record, "Ctrl+N"),
    ActionSpec("file", "save", "保存(&S)", page_commands.save, "Ctrl+S"),
    ActionSpec("file", "open_database", "打开其他数据库(&O)…", database.open_other_database, separator_before=True),
    ActionSpec(
        "file", "leave_training", "结束试用，建立正式数据库…", window_actions.leave_training, training_only=True
    ),
    ActionSpec("data", "find", "查找(&F)", page_commands.find, "Ctrl+F"),
    ActionSpec("data", "excel_template", "下载Excel模板…", download_template),
    ActionSpec("data", "excel_import", "从Excel导入…", import_excel),
    ActionSpec("data", "excel_export", "导出Excel…", export_excel),
    ActionSpec("tools", "check", "审核全部数据", window_actions.show_check_summary),
    ActionSpec("tools", "backups", "备份与恢复(&B)…", window_actions.show_backups),
    ActionSpec("help", "about", "关于(&A)", window_actions.show_about),
)
