"""The main window: navigation on the left, the current page on the right, and a status bar
with the unit, the current period and the count of open rule findings. A training (培训/演示)
database says so in the title and in red at the start of the status bar.

It is built in two steps: from whose the database is (`DatabaseInfo`, which app.py can read
before the database layer is loaded), the frame — title, navigation, menus, status bar — which
is shown at once with 正在打开数据库 where the page will be; then `attach` gives it the open
database and it builds its pages. When the database is replaced (a backup restored, another
database opened) it builds its navigation, menus and pages again from the new one."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QStackedWidget,
    QWidget,
)

from hengdong_desktop import APP_NAME
from hengdong_desktop.domain.owner import DatabaseInfo
from hengdong_desktop.services import training
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.actions import ACTIONS, MENUS, Handler
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.navigation import PageSpec, pages_for
from hengdong_desktop.ui.page import Page, Shell
from hengdong_desktop.ui.settings import Settings

if TYPE_CHECKING:  # the frame is shown before the database layer is loaded (app.py)
    from hengdong_desktop.ui.context import AppContext


class MainWindow(Shell):
    painted = Signal()  # the first time the window is painted: the clerk sees it
    ready = Signal()  # the database is attached and the first page built

    def __init__(self, settings: Settings, info: DatabaseInfo) -> None:
        super().__init__()
        self.settings = settings
        self.attached = False
        self._painted = False
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
        self.opening = QLabel(self.tr("正在打开数据库……"))
        self.opening.setObjectName("opening")
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setStyleSheet("color: #666; font-size: 12pt;")
        self.stack.addWidget(self.opening)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.specs: list[PageSpec] = []
        self.pages: dict[str, Page] = {}
        self.menus: dict[str, QMenu] = {}
        self.actions_by_key: dict[str, QAction] = {}
        self.nav.currentRowChanged.connect(self._show_row)
        self.menuBar().setEnabled(False)  # until the database is attached
        self._build_status_bar()
        self._build(info, s.current_period(settings, info.database_id), "")
        geometry = settings.get(s.WINDOW_GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self._open_last_page()

    def attach(self, ctx: AppContext) -> None:
        """The open database: the menus work from now on and the pages are built."""
        from hengdong_desktop.ui.findings import FindingsCount

        self.ctx = ctx
        self.attached = True
        self.findings = FindingsCount(ctx, self)
        self.findings.counted.connect(self._show_findings)
        self.findings.failed.connect(lambda _e: self.findings_label.setText(self.tr("审核：无法计算")))
        ctx.period_changed.connect(lambda _p: self._update_period(ctx.period))
        ctx.database_replaced.connect(self._database_replaced)
        self._rebuild()
        self.menuBar().setEnabled(True)
        self.ready.emit()

    def _rebuild(self) -> None:
        self._build(self.ctx.info, self.ctx.period, self.ctx.db.location)
        self._open_last_page()

    def _build(self, info: DatabaseInfo, period: str, location: str) -> None:
        """Title, navigation and menus for this database's role."""
        title = self.tr("{app} — {unit}（{role}）").format(app=APP_NAME, unit=info.unit_name, role=info.role_label)
        self.setWindowTitle(self.tr("【{label}】").format(label=training.LABEL) + title if info.training else title)
        self.training_label.setVisible(info.training)
        self.unit_label.setText(self.tr("单位：{unit}（{role}）").format(unit=info.unit_name, role=info.role_label))
        self.account_label.setVisible(info.account is not None)
        self.account_label.setText(self.tr("账号：{account}").format(account=info.account_label))
        self.account_label.setToolTip(location)
        self._update_period(period)
        self.specs = pages_for(info.role)
        self.nav.blockSignals(True)
        self.nav.clear()
        for spec in self.specs:
            item = QListWidgetItem(self.tr(spec.title))
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
        self.nav.blockSignals(False)
        self._build_menus(info)

    def _open_last_page(self) -> None:
        last = self.settings.get(s.LAST_PAGE)
        keys = [spec.key for spec in self.specs]
        self.nav.setCurrentRow(keys.index(last) if last in keys else 0)

    # pages ------------------------------------------------------------------------------------
    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        spec = self.specs[row]
        if not self.attached:
            self.settings.set(s.LAST_PAGE, spec.key)  # built once the database is open (`attach`)
            return
        page = self.pages.get(spec.key)
        if page is None:
            from hengdong_desktop.ui.pages.overview import OverviewPage

            page = spec.build(self.ctx, self.stack)
            if isinstance(page, OverviewPage) and self.ctx.info.training:
                page.demo_button.clicked.connect(self.generate_demo)
            self.pages[spec.key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.settings.set(s.LAST_PAGE, spec.key)

    def show_page(self, key: str) -> Page:
        row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def current_page(self) -> Page | None:
        page = self.stack.currentWidget()
        return page if isinstance(page, Page) else None

    def settle(self, proceed: Callable[[], None]) -> None:
        """Each page with unsaved work settles it first (save, discard or stay); then `proceed`."""
        self._leave([page for page in self.pages.values() if page.has_unsaved()], proceed)

    def _leave(self, pages: list[Page], proceed: Callable[[], None]) -> None:
        if not pages:
            proceed()
            return
        pages[0].leave(lambda: self._leave(pages[1:], proceed))

    def _database_replaced(self) -> None:
        """Every page held the old database: drop them all and build again from the new one."""
        for page in self.pages.values():
            self.stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self._rebuild()
        self.refresh_findings()

    # chrome -----------------------------------------------------------------------------------
    def _build_menus(self, info: DatabaseInfo) -> None:
        """Menus from the declared actions (ui/actions.py); 文件 ends with 退出. Until the
        database is attached they are there but not chosen (`_run_handler`)."""
        self.menuBar().clear()
        menus = {key: self.menuBar().addMenu(self.tr(title)) for key, title in MENUS.items()}
        self.menus = dict(menus)
        self.actions_by_key = {}
        for spec in ACTIONS:
            if info.role not in spec.roles or (spec.training_only and not info.training):
                continue
            menu = menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            action = QAction(self.tr(spec.title), self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, run=spec.handler: self._run_handler(run))
            menu.addAction(action)
            self.actions_by_key[spec.key] = action
        menus["file"].addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menus["file"].addAction(quit_action)
        for menu in menus.values():
            menu.menuAction().setVisible(not menu.isEmpty())

    def _run_handler(self, handler: Handler) -> None:
        if not self.attached:
            return
        try:
            handler(self)
        except Exception as exc:  # an action must never take the window down
            show_error(self, exc)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.training_label = QLabel(self.tr(training.BANNER))
        self.training_label.setObjectName("trainingBanner")
        self.training_label.setStyleSheet("color: white; background: #c00000; padding: 2px 8px; font-weight: bold;")
        bar.addPermanentWidget(self.training_label)
        self.unit_label = QLabel()
        self.account_label = QLabel()  # a server database: who is logged in, and as what
        self.account_label.setObjectName("accountLabel")
        self.period_label = QLabel()
        self.findings_label = QLabel(self.tr("审核：计算中…"))
        self.findings_label.setObjectName("findings")
        for label in (self.unit_label, self.account_label, self.period_label, self.findings_label):
            label.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(label)

    def _update_period(self, period: str) -> None:
        self.period_label.setText(self.tr("当前期别：{period}").format(period=period))

    def refresh_findings(self) -> None:
        """Counts the open findings of the whole database again, in the background (operations
        keep the count current afterwards by re-checking what they changed)."""
        self.findings_label.setText(self.tr("审核：计算中…"))
        self.findings.recount()

    def _show_findings(self, count: int) -> None:
        self.findings_label.setText(
            self.tr("审核：{n} 条待处理").format(n=count) if count else self.tr("审核：全部通过")
        )

    def offer_demo(self) -> None:
        """A new training database (先试用) fills itself with demo data; a production database
        is never offered any."""
        from hengdong_desktop.services import demo

        if self.ctx.info.training and demo.is_empty(self.ctx.db):
            self.generate_demo()

    def generate_demo(self) -> None:
        """Demo data, in the background; cancellable until it is written (in one transaction)."""
        from hengdong_desktop.services import demo
        from hengdong_desktop.ui.changes import Changes
        from hengdong_desktop.ui.operations import Operation

        db = self.ctx.db
        Operation(self, lambda progress: demo.generate(db, progress=progress), Changes.everything()).success(
            lambda result: self.statusBar().showMessage(result.summary(), 10_000)
        ).with_progress(self.tr("正在生成演示数据…"), cancellable=True).run(self.ctx)

    # showing and closing ------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if any(page.has_unsaved() for page in self.pages.values()):
            event.ignore()  # each page with unsaved work settles it first; then the window closes
            self.settle(lambda: QTimer.singleShot(0, self.close))
            return
        self.settings.set(s.WINDOW_GEOMETRY, self.saveGeometry())
        if self.attached:
            self.ctx.tasks.close()
        super().closeEvent(event)
