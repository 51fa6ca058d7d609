"""The main window: navigation on the left, the current page on the right, and a status bar
with the unit, the current period and the count of open rule findings. A training (培训/演示)
database says so in the title and in red at the start of the status bar."""

from __future__ import annotations

import importlib

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from hengdong_desktop import APP_NAME, __version__
from hengdong_desktop.services import demo, readiness, training
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui.actions import ACTIONS, MENUS
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.pages import PageSpec, pages_for


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        title = self.tr("{app} — {unit}（{role}）").format(app=APP_NAME, unit=ctx.info.unit_name,
                                                           role=ctx.info.role_label)
        self.setWindowTitle(self.tr("【{label}】").format(label=training.LABEL) + title if ctx.info.training else title)
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
        self.pages: dict[str, QWidget] = {}
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
            self.pages[spec.key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self.ctx.settings.set(s.LAST_PAGE, spec.key)

    def show_page(self, key: str) -> QWidget:
        row = next(i for i, spec in enumerate(self.specs) if spec.key == key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    # chrome -----------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        """Menus from the declared actions (ui/actions.py); 文件 ends with 退出."""
        self.menus = {key: self.menuBar().addMenu(self.tr(title)) for key, title in MENUS.items()}
        self.actions_by_key: dict[str, QAction] = {}
        for spec in ACTIONS:
            if self.ctx.info.role not in spec.roles or (spec.training_only and not self.ctx.info.training):
                continue
            menu = self.menus[spec.menu]
            if spec.separator_before:
                menu.addSeparator()
            action = QAction(self.tr(spec.title), self)
            if spec.shortcut:
                action.setShortcut(QKeySequence(spec.shortcut))
            action.triggered.connect(lambda _checked=False, h=spec.handler: self._run_handler(h))
            menu.addAction(action)
            self.actions_by_key[spec.key] = action
        self.menus["file"].addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.menus["file"].addAction(quit_action)
        for menu in self.menus.values():
            menu.menuAction().setVisible(not menu.isEmpty())

    def _run_handler(self, handler: str) -> None:
        module, _, name = handler.partition(":")
        try:
            getattr(importlib.import_module(module), name)(self)
        except Exception as exc:  # an action must never take the window down
            show_error(self, exc)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        if self.ctx.info.training:
            self.training_label = QLabel(self.tr(training.BANNER))
            self.training_label.setObjectName("trainingBanner")
            self.training_label.setStyleSheet("color: white; background: #c00000; padding: 2px 8px; font-weight: bold;")
            bar.addPermanentWidget(self.training_label)
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
            return readiness.readiness(db, unit).open_count  # what the 上报 export gate counts

        def show(count: int) -> None:
            self.findings_label.setText(
                self.tr("审核：{n} 条待处理").format(n=count) if count else self.tr("审核：全部通过"))

        self.ctx.tasks.run(work, on_success=show, on_failure=lambda _e: self.findings_label.setText(
            self.tr("审核：无法计算")))

    def offer_demo(self) -> None:
        """A new training database (先试用) fills itself with demo data; a production database
        is never offered any."""
        if self.ctx.info.training and demo.is_empty(self.ctx.db):
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
        overview = self.pages.get("overview")
        if overview is not None and hasattr(overview, "demo_button") and self.ctx.info.training:
            overview.demo_button.clicked.connect(self.generate_demo)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        for page in self.pages.values():  # a page with unsaved work asks first
            confirm = getattr(page, "confirm_leave", None)
            if confirm is not None and not confirm():
                event.ignore()
                return
        self.ctx.settings.set(s.WINDOW_GEOMETRY, self.saveGeometry())
        self.ctx.tasks.wait()
        super().closeEvent(event)


def show_about(window: MainWindow) -> None:
    QMessageBox.about(window, window.tr("关于"), window.tr("{app}\n版本 {version}\n数据库：{path}").format(
        app=APP_NAME, version=__version__, path=window.ctx.db.path))


def show_check_summary(window: MainWindow) -> None:
    """审核 of the whole database, in the background, summarised in a message box."""
    unit = None if window.ctx.info.is_county else window.ctx.info.unit_id
    db = window.ctx.db

    def show(report: CheckReport) -> None:
        counts = "，".join(f"{k} {v} 条" for k, v in report.counts().items())
        QMessageBox.information(window, window.tr("审核结果"), window.tr(
            "{counts}。\n待处理 {open} 条：错误 {errors} 条，未说明的警告 {warnings} 条。").format(
            counts=counts, open=report.open_count, errors=len(report.blocking),
            warnings=len(report.unexplained)))

    window.ctx.tasks.run(lambda _p: readiness.readiness(db, unit).report, on_success=show,
                         parent=window, label=window.tr("正在审核…"))


def leave_training(window: MainWindow) -> None:
    """From a training database: the next start opens (or sets up) the production database beside
    it; the training database stays where it is."""
    path = window.ctx.db.path
    production = path.with_name(path.name.replace("-training", "", 1))
    if production == path:
        production = path.with_name(f"{path.stem}-正式{path.suffix}")
    question = window.tr("下次启动时将打开正式数据库{name}（首次启动时进入设置向导）；培训数据库保留在原处。"
                         "现在退出本程序吗？").format(name=production.name)
    window.ctx.settings.set(s.DATABASE_PATH, str(production))
    if QMessageBox.question(window, window.tr("结束试用"), question) == QMessageBox.StandardButton.Yes:
        window.close()
