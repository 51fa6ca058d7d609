"""备份与恢复: the automatic and manual backups of this database with their time, reason and record
counts; making a backup now; restoring one (the current file is kept as a backup first)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from hengdong_desktop.db.backup import backup_dir
from hengdong_desktop.services import backups, setup
from hengdong_desktop.services.backups import BackupInfo
from hengdong_desktop.ui.context import AppContext

Index = QModelIndex | QPersistentModelIndex


class BackupTableModel(QAbstractTableModel):
    TIME, REASON, ENTERPRISES, PROJECTS, MONTHLY, PROBLEMS, SIZE, STATE = range(8)
    HEADERS = ("备份时间", "类型", "企业", "项目", "月度数据", "问题", "大小", "状态")
    COUNT_KEYS = {ENTERPRISES: "enterprises", PROJECTS: "projects", MONTHLY: "monthly", PROBLEMS: "problems"}
    InfoRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[BackupInfo] = []

    def set_backups(self, items: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        info, column = self.items[index.row()], index.column()
        if role == self.InfoRole:
            return info
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(info.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (*self.COUNT_KEYS, self.SIZE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == self.TIME:
            return f"{info.created:%Y-%m-%d %H:%M:%S}"
        if column == self.REASON:
            return self.tr(info.reason_label)
        if column in self.COUNT_KEYS:
            value = (info.counts or {}).get(self.COUNT_KEYS[column])
            return "—" if value is None else f"{value:,}"
        if column == self.SIZE:
            return f"{info.size / 1_048_576:.1f} MB"
        if column == self.STATE:
            return self.tr("可读") if info.readable else self.tr("无法读取")
        return None


class RestoreConfirmation:
    @classmethod
    def ask(cls, parent: QWidget, info: BackupInfo) -> bool:
        answer = QMessageBox.question(
            parent, parent.tr("恢复备份"),
            parent.tr("把数据库恢复到这份备份？\n{backup}\n\n当前的数据库文件会先移到备份文件夹中保存"
                      "（类型“恢复前的原数据”），不会丢失；恢复后，这份备份之后录入的数据不在当前数据库中。").format(
                backup=info.describe()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes


class BackupsPage(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        heading = QLabel(self.tr("备份与恢复"))
        heading.setStyleSheet("font-size: 18pt; font-weight: bold;")
        layout.addWidget(heading)
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.folder_label)
        self.summary = QLabel()
        self.summary.setObjectName("backupSummary")
        layout.addWidget(self.summary)
        self.model = BackupTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton(self.tr("立即备份"))
        self.restore_button = QPushButton(self.tr("恢复所选备份…"))
        self.folder_button = QPushButton(self.tr("打开备份文件夹"))
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.folder_button.clicked.connect(self.open_folder)
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.backup_button, self.restore_button, self.folder_button, self.refresh_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel()
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.data_changed.connect(self.refresh)
        self.refresh()

    def _update_buttons(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        self.backup_button.setEnabled(not self.ctx.db.read_only)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.data(rows[0], BackupTableModel.InfoRole) if rows else None

    def refresh(self) -> None:
        path = self.ctx.db.path
        self.folder_label.setText(self.tr(
            "程序每天第一次启动时、升级前、导入和合并前都会自动备份，每类保留最近几份。备份文件夹：{folder}").format(
            folder=backup_dir(path)))
        self._update_buttons()
        self.ctx.tasks.run(lambda _p: backups.list_backups(path), on_success=self._show)

    def _show(self, items: list[BackupInfo]) -> None:
        self.model.set_backups(items)
        self._update_buttons()
        self.summary.setText(self.tr("共 {n} 份备份，最新的在最上面。双击一份备份可以恢复它。").format(n=len(items))
                             if items else self.tr("还没有备份。"))

    def backup_now(self) -> None:
        path = self.ctx.db.path

        def done(made: object) -> None:
            self.status.setText(self.tr("已备份：{path}").format(path=made))
            self.refresh()

        self.ctx.tasks.run(lambda _p: backups.backup_file(path, "manual"), on_success=done, parent=self,
                           label=self.tr("正在备份…"))

    def restore_selected(self) -> None:
        info = self.selected()
        if info is None or not RestoreConfirmation.ask(self, info):
            return
        ctx = self.ctx
        path = ctx.db.path
        ctx.tasks.wait()
        ctx.db.close()  # the engine reconnects by itself if the restore is refused

        def work(_progress: object) -> tuple[backups.RestoreResult, tuple[object, object]]:
            result = backups.restore(path, info.path)
            return result, setup.open_initialized(path)

        def done(outcome: tuple[backups.RestoreResult, tuple[Any, Any]]) -> None:
            result, (db, db_info) = outcome
            ctx.db, ctx.info = db, db_info
            self.status.setText(self.tr("已恢复到 {time} 的备份。恢复前的数据已保存为：{previous}").format(
                time=f"{info.created:%Y-%m-%d %H:%M}", previous=result.previous or self.tr("（原来没有数据库文件）")))
            ctx.data_changed.emit()

        ctx.tasks.run(work, on_success=done, parent=self, label=self.tr("正在恢复备份…"))

    def open_folder(self) -> None:
        folder = backup_dir(self.ctx.db.path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def show_backups_page(window: Any) -> None:
    """Menu action 工具 → 备份与恢复."""
    window.show_page("backups")
