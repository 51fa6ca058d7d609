"""The main window: navigation on the left, the current page on the right, and a status bar
with the unit, the current period and the count of open rule findings."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from hengdong_desktop import APP_NAME
from hengdong_desktop.services import checks, demo
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.actions import ACTIONS, MENUS
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.navigation import PageSpec, pages_for
from hengdong_desktop.ui.page import Page, Shell
from hengdong_desktop.ui.pages.overview import OverviewPage


class MainWindow(Shell):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setWindowTitle(self.tr("{app} — {unit}（{role}）").format(
            app=APP_NAME, unit=ctx.info.unit_name, role=ctx.info.role_label))
        self.resize(1280, 800)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setStyleSheet(
            "QListWidget#navigation { background: #f3f5f8; border: none; font-size: 12pt; }"
            "QListWidget#navigation::item { padding: 10px 14px; }"
            "QListWidget#navigation::item:selected { background: #1f4e79; color: white; }"
        )
        self.stack = QStackedWidget()
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.specs: list[PageSpec] = pages_for(ctx.info.role)
        self.pages: dict[str, Page] = {}
        for spec in self.specs:
            item = QListWidgetItem(self.tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._show_row)
        self._build_menus()
        self._build_status_bar()
        ctx.data_changed.connect(self.refresh_findings)
        ctx.period_changed.connect(lambda _p: self._update_period())
        self._restore()

    # pages ------------------------------------------------------------------------------------
    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        page = self.pages.get(spec.key)
        if page is None:
            page = spec.build(self.ctx, self.stack)
            if isinstance(page, OverviewPage):
                page.demo_button.clicked.connect(self.generate_demo)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.ctx.settings.set(s.LAST_PAGE, spec.key)

    def show_page(self, key: str) -> Page:
        row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def current_page(self) -> Page | None:
        page = self.stack.currentWidget()
        return page if isinstance(page, Page) else None

    # chrome -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """Menus from the declared actions (ui/actions.py); 文件 ends with 退出."""
        self.menus = {key: self.menuBar().addMenu(self.tr(title)) for key, title in MENUS.items()}
        self.actions_by_key: dict[str, QAction] = {}
        for spec in ACTIONS:
            if self.ctx.info.role not in spec.roles:
                continue
            menu = self.menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            action = QAction(self.tr(spec.title), self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, run=spec.handler: self._run_handler(run))
            menu.addAction(action)
            self.actions_by_key[spec.key] = action
        self.menus["file"].addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menus["file"].addAction(quit_action)
        for menu in self.menus.values():
            menu.menuAction().setVisible(not menu.isEmpty())

    def _run_handler(self, handler: Callable[[Shell], object]) -> None:
        try:
            handler(self)
        except Exception as exc:  # an action must never take the window down
            show_error(self, exc)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.unit_label = QLabel(self.tr("单位：{unit}（{role}）").format(
            unit=self.ctx.info.unit_name, role=self.ctx.info.role_label))
        self.period_label = QLabel()
        self.findings_label = QLabel(self.tr("审核：计算中…"))
        for label in (self.unit_label, self.period_label, self.findings_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)
        self._update_period()

    def _update_period(self) -> None:
        self.period_label.setText(self.tr("当前期别：{period}").format(period=self.ctx.period))

    def refresh_findings(self) -> None:
        """Recounts open findings in the background and shows them in the status bar."""
        unit = None if self.ctx.info.is_county else self.ctx.info.unit_id
        db = self.ctx.db

        def work(_progress: object) -> int:
            return checks.check_database(db, unit_id=unit).open_count

        def show(count: int) -> None:
            self.findings_label.setText(
                self.tr("审核：{n} 条待处理").format(n=count) if count else self.tr("审核：全部通过"))

        self.ctx.tasks.run(work, on_success=show, on_failure=lambda _e: self.findings_label.setText(
            self.tr("审核：无法计算")))

    def offer_demo(self) -> None:
        """On an empty database, offers demo data so a newcomer sees the system working."""
        if not demo.is_empty(self.ctx.db):
            return
        answer = QMessageBox.question(
            self, self.tr("生成演示数据"),
            self.tr("数据库中还没有企业数据。是否生成一批演示数据，以便熟悉系统？\n（正式填报前可新建数据库。）"))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.generate_demo()

    def generate_demo(self) -> None:
        db = self.ctx.db

        def done(result: demo.DemoResult) -> None:
            self.ctx.data_changed.emit()
            self.statusBar().showMessage(result.summary(), 10_000)

        self.ctx.tasks.run(
            lambda progress: demo.generate(db, progress=progress),
            on_success=done,
            parent=self,
            label=self.tr("正在生成演示数据…"),
        )

    # geometry ---------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.ctx.settings.get(s.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        last = self.ctx.settings.get(s.LAST_PAGE)
        keys = [spec.key for spec in self.specs]
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        unsaved = [page for page in self.pages.values() if page.has_unsaved()]
        if unsaved:  # each page with unsaved work settles it first; then the window closes
            event.ignore()
            self._leave(unsaved, lambda: QTimer.singleShot(0, self.close))
            return
        self.ctx.settings.set(s.WINDOW_GEOMETRY, self.saveGeometry())
        self.ctx.tasks.wait()
        super().closeEvent(event)

    def _leave(self, pages: list[Page], proceed: Callable[[], None]) -> None:
        if not pages:
            proceed()
            return
        pages[0].leave(lambda: self._leave(pages[1:], proceed))
