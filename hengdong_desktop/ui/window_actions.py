"""Menu actions of the window itself: 审核全部数据, 备份与恢复, 关于."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from hengdong_desktop import APP_NAME, __version__
from hengdong_desktop.services import checks
from hengdong_desktop.ui.page import Shell


def show_about(window: Shell) -> None:
    QMessageBox.about(window, window.tr("关于"), window.tr("{app}\n版本 {version}\n数据库：{path}").format(
        app=APP_NAME, version=__version__, path=window.ctx.db.path))


def show_backups(window: Shell) -> None:
    window.show_page("backups")


def show_check_summary(window: Shell) -> None:
    """审核 of the whole database, in the background, summarised in a message box."""
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    db = window.ctx.db

    def show(report: checks.CheckReport) -> None:
        counts = "，".join(f"{k} {v} 条" for k, v in report.counts().items())
        QMessageBox.information(window, window.tr("审核结果"), window.tr(
            "{counts}。\n待处理 {open} 条：错误 {errors} 条，未说明的警告 {warnings} 条。").format(
            counts=counts, open=report.open_count, errors=len(report.blocking),
            warnings=len(report.unexplained)))

    window.ctx.tasks.read(lambda _p: checks.check_database(db, unit_id=unit), on_success=show,
                          parent=window, label=window.tr("正在审核…"))
