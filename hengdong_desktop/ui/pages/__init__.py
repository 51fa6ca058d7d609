"""The pages of the main window, in navigation order. Each entry names the page, the roles that
see it and a factory `(context, parent) -> QWidget`; pages are built when first opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from hengdong_desktop.services.setup import COUNTY, TOWNSHIP
from hengdong_desktop.ui.context import AppContext

PageFactory = Callable[[AppContext, QWidget], QWidget]


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: PageFactory
    roles: tuple[str, ...] = (TOWNSHIP, COUNTY)


def _overview(ctx: AppContext, parent: QWidget) -> QWidget:
    from hengdong_desktop.ui.pages.overview import OverviewPage

    return OverviewPage(ctx, parent)


PAGES: tuple[PageSpec, ...] = (
    PageSpec("overview", "概览", _overview),
)


def pages_for(role: str) -> list[PageSpec]:
    return [p for p in PAGES if role in p.roles]
