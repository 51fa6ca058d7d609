"""Preview, print and save the app's PDF documents. Placeholder until the printing feature
(issue 6) lands: pages call these functions; the printing work replaces this module."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from hengdong_desktop.errors import UserError
from hengdong_desktop.ui.context import AppContext


def preview_enterprise_forms(parent: QWidget, ctx: AppContext, enterprise_ids: list[str]) -> None:
    """Shows the 企业培育表 of these enterprises (one per page) in the preview window."""
    raise UserError("打印功能尚未安装。")


def preview_project_forms(parent: QWidget, ctx: AppContext, project_ids: list[str]) -> None:
    """Shows the 亿元级项目调度表 of these projects in the preview window."""
    raise UserError("打印功能尚未安装。")
