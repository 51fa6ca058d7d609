"""Menu actions of the window itself: 审核全部数据, 备份与恢复, 关于, 结束试用."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from hengdong_desktop import APP_NAME, __version__
from hengdong_desktop.services import readiness
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.page import Shell


def show_about(window: Shell) -> None:
    QMessageBox.about(
        window,
        window.tr("关于"),
        window.tr("{app}\n版本 {version}\n数据库：{path}").format(
            app=APP_NAME, version=__version__, path=window.ctx.db.path
        ),
    )


def show_backups(window: Shell) -> None:
    window.show_page("backups")


def show_check_summary(window: Shell) -> None:
    """审核 of the whole database, in the background, summarised in a message box."""
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    db = window.ctx.db

    def show(report: CheckReport) -> None:
        counts = "，".join(f"{k} {v} 条" for k, v in report.counts().items())
        QMessageBox.information(
            window,
            window.tr("审核结果"),
            window.tr("{counts}。\n待处理 {open} 条：错误 {errors} 条，未说明的警告 {warnings} 条。").format(
                counts=counts, open=report.open_count, errors=len(report.blocking), warnings=len(report.unexplained)
            ),
        )

    window.ctx.tasks.read(
        lambda _p: readiness.readiness(db, unit).report, on_success=show, parent=window, label=window.tr("正在审核…")
    )


def leave_training(window: Shell) -> None:
    """From a training database: the next start opens (or sets up) the production database beside
    it; the training database stays where it is."""
    path = window.ctx.db.path
    production = path.with_name(path.name.replace("-training", "", 1))
    if production == path:
        production = path.with_name(f"{path.stem}-正式{path.suffix}")
    question = window.tr(
        "下次启动时将打开正式数据库{name}（首次启动时进入设置向导）；培训数据库保留在原处。现在退出本程序吗？"
    ).format(name=production.name)
    window.ctx.settings.set(s.DATABASE_PATH, str(production))
    if QMessageBox.question(window, window.tr("结束试用"), question) == QMessageBox.StandardButton.Yes:
        window.close()
