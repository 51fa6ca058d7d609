"""备份与恢复: the automatic and manual backups of this database with their time, reason and record
counts; making a backup now; restoring one (the current file is kept as a backup first). A
server database's backups are pg_dump files in its backup folder (services/backups.py); only the
office restores one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
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

from hengdong_desktop.services import backups
from hengdong_desktop.services.backups import BackupInfo
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.database import restore_backup
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Page, Shell
from hengdong_desktop.ui.record_model import Column, RecordTableModel, selected_row
from hengdong_desktop.ui.widgets import heading

TIME, REASON, ENTERPRISES, PROJECTS, MONTHLY, PROBLEMS, SIZE, STATE = range(8)


def _path(info: BackupInfo) -> str:
    return str(info.path)  # every cell's tooltip: which file it is


def _count(header: str, key: str) -> Column[BackupInfo]:
    return Column(
        header,
        lambda info: (info.counts or {}).get(key),
        lambda n: "—" if n is None else f"{n:,}",
        tooltip=_path,
        numeric=True,
    )


BACKUP_COLUMNS: tuple[Column[BackupInfo], ...] = (
    Column("备份时间", lambda info: f"{info.created:%Y-%m-%d %H:%M:%S}", tooltip=_path),
    Column("类型", lambda info: info.reason_label, tooltip=_path),
    _count("企业", "enterprises"),
    _count("项目", "projects"),
    _count("月度数据", "monthly"),
    _count("问题", "problems"),
    Column("大小", lambda info: info.size, lambda size: f"{size / 1_048_576:.1f} MB", tooltip=_path, numeric=True),
    Column("状态", lambda info: info.readable, lambda readable: "可读" if readable else "无法读取", tooltip=_path),
)


class RestoreConfirmation:
    @classmethod
    def ask(cls, parent: QWidget, info: BackupInfo) -> bool:
        text = parent.tr(
            "把数据库恢复到这份备份？\n{backup}\n\n当前的数据库文件会先移到备份文件夹中保存"
            "（类型“恢复前的原数据”），不会丢失；恢复后，这份备份之后录入的数据不在当前数据库中。"
        )
        if info.path.suffix == ".dump":  # a server database's pg_dump
            text = parent.tr(
                "把服务器数据库恢复到这份备份？\n{backup}\n\n当前的数据会先备份（类型“恢复前的原数据”），"
                "不会丢失；恢复后，这份备份之后录入的数据不在数据库中，其他正在使用的同事也会看到恢复后的数据。"
            )
        answer = QMessageBox.question(
            parent,
            parent.tr("恢复备份"),
            text.format(backup=info.describe()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes


class BackupsPage(Page):
    listed = Signal()  # the backups were read and shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(heading(self.tr("备份与恢复")))
        self.folder: Path | None = None  # the backup folder, once read
        self.folder_label = QLabel()
        self.folder_label.setWordWrap(True)
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.folder_label)
        self.summary = QLabel()
        self.summary.setObjectName("backupSummary")
        layout.addWidget(self.summary)
        self.model: RecordTableModel[BackupInfo] = RecordTableModel(BACKUP_COLUMNS, parent=self)
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
        self.refresh()

    def concerned(self, changes: Changes) -> bool:
        return changes.backups

    def _update_buttons(self) -> None:
        # on a server database only the office restores (the server would refuse the others)
        self.restore_button.setEnabled(self.selected() is not None and self.ctx.info.may_write_all)
        self.backup_button.setEnabled(not self.ctx.db.read_only)

    def selected(self) -> BackupInfo | None:
        return selected_row(self.table)

    def refresh(self) -> None:
        db = self.ctx.db
        if db.is_server:
            text = self.tr(
                "服务器数据库由服务器上的计划任务每天备份（pg_dump），升级前也会自动备份，每类保留最近几份。"
                "备份文件夹：{folder}"
            )
        else:
            text = self.tr(
                "程序每天第一次启动时、升级前、导入和合并前都会自动备份，每类保留最近几份。备份文件夹：{folder}"
            )
        self._update_buttons()
        self.ctx.tasks.read(
            lambda _p: (backups.folder_of(db), backups.list_for(db)),
            on_success=lambda found: self._show(text, *found),
            parent=self,
            latest=(id(self), "list"),
        )

    def _show(self, text: str, folder: Path, items: list[BackupInfo]) -> None:
        self.folder = folder
        self.folder_label.setText(text.format(folder=folder))
        self.model.set_rows(items)
        self._update_buttons()
        self.summary.setText(
            self.tr("共 {n} 份备份，最新的在最上面。双击一份备份可以恢复它。").format(n=len(items))
            if items
            else self.tr("还没有备份。")
        )
        self.listed.emit()

    def backup_now(self) -> None:
        db = self.ctx.db
        Operation(self, lambda _p: backups.backup_now(db, "manual"), Changes(backups=True)).success(
            lambda made: self.status.setText(self.tr("已备份：{path}").format(path=made))
        ).with_progress(self.tr("正在备份…")).run(self.ctx)

    def restore_selected(self) -> None:
        info = self.selected()
        window = self.window()
        if info is None or not isinstance(window, Shell) or not RestoreConfirmation.ask(self, info):
            return
        restore_backup(window, info, lambda text: _show_restored(window, text))

    def open_folder(self) -> None:
        folder = self.folder or backups.folder_of(self.ctx.db)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _show_restored(window: Shell, text: str) -> None:
    """After a restore every page is new: the new 备份与恢复 page says what happened."""
    page = window.show_page("backups")
    if isinstance(page, BackupsPage):
        page.status.setText(text)
