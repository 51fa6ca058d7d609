"""Startup checks of the GUI, around the main window (the log and the one-instance lock come
first, ui/instance.py):

- a database on a network share: a warning (the engine switches to a rollback journal);
- `PRAGMA quick_check`, which reads the whole file, in the background once the window is up
  (ui/database.py `start_integrity_check`); writes wait for it (`Database.write`). On failure
  writing is blocked (read-only) and the latest good backup is offered. A file that must be
  migrated, or cannot even be opened, is checked first, before anything is written into it.
  Leftover `-wal`/`-journal` files are left to SQLite, never deleted;
- the daily backup, at start and every hour while the app stays open.

A server database (PostgreSQL) has none of the file checks: several officers open it at once,
the server keeps it sound and backs it up on a schedule. Its password is asked for when the
server wants one (and kept in memory only); while the app runs, other officers' changes refresh
the pages (`start_change_watch`)."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy.exc
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QTimer,
)
from PySide6.QtWidgets import QAbstractButton, QInputDialog, QLabel, QLineEdit, QMainWindow, QMessageBox, QWidget

from hengdong_desktop.db.engine import Database, ServerLoginError
from hengdong_desktop.db.first_look import up_to_date
from hengdong_desktop.db.location import is_network_path, is_server_url, server_url, shown_url
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, setup
from hengdong_desktop.services.backups import BackupInfo
from hengdong_desktop.services.setup import DatabaseInfo
from hengdong_desktop.ui.changes import Changes, tables_changed
from hengdong_desktop.ui.context import AppContext
from hengdong_desktop.ui.operations import Operation

if TYPE_CHECKING:
    from hengdong_desktop.db.changes import ChangeListener  # psycopg: loaded for a server database only

log = logging.getLogger(__name__)
DAILY_CHECK_MS = 60 * 60 * 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate("startup", text)


# server login ------------------------------------------------------------------------------------
class LoginDialog:
    """Asks for the password of a server account; returns it, or None when the officer cancels."""

    @classmethod
    def ask(cls, parent: QWidget | None, location: str, account: str, problem: str) -> str | None:
        box = QInputDialog(parent)
        box.setWindowTitle(_tr("登录服务器数据库"))
        box.setLabelText(
            _tr("{problem}\n\n服务器数据库：{location}\n账号：{account}\n请输入密码：").format(
                problem=problem, location=location, account=account
            )
        )
        box.setTextEchoMode(QLineEdit.EchoMode.Password)
        box.setOkButtonText(_tr("登录"))
        box.setCancelButtonText(_tr("退出"))
        if box.exec() != QInputDialog.DialogCode.Accepted:
            return None
        return box.textValue()


LOGIN_ATTEMPTS = 3


def _open_server(target: str, parent: QWidget | None) -> tuple[Database, DatabaseInfo] | None:
    url = server_url(target)
    for _attempt in range(LOGIN_ATTEMPTS + 1):
        try:
            return setup.open_initialized(url.render_as_string(hide_password=False))
        except ServerLoginError as exc:
            log.warning("server login refused for %s", url.username)
            password = LoginDialog.ask(parent, shown_url(url), str(url.username), str(exc))
            if password is None:
                return None
            url = url.set(password=password)
    raise UserError(f"连续{LOGIN_ATTEMPTS}次登录失败，程序将退出。请向管理员确认账号和密码。")


# network share -----------------------------------------------------------------------------------
def warn_network_path(parent: QWidget | None, path: Path) -> None:
    QMessageBox.warning(
        parent,
        _tr("数据库位于网络位置"),
        _tr(
            "数据库文件“{path}”位于网络共享文件夹中。\n\n网络断开时，网络上的数据库容易损坏。"
            "程序已改用更稳妥的写入方式，但仍建议把数据库放在本机磁盘上，并定期备份。"
        ).format(path=path),
    )


# damaged database --------------------------------------------------------------------------------
class Recovery(Enum):
    RESTORE = "restore"
    READ_ONLY = "read_only"
    QUIT = "quit"


@dataclass(frozen=True)
class Damage:
    path: Path
    problems: list[str]
    backup: BackupInfo | None  # the latest good backup, if any


class RecoveryDialog:
    """Tells the clerk the database is damaged and offers the latest good backup."""

    @classmethod
    def ask(cls, parent: QWidget | None, damage: Damage) -> Recovery:
        box, choices = cls.build(parent, damage)
        box.exec()
        return next((choice for button, choice in choices if button is box.clickedButton()), Recovery.QUIT)

    @classmethod
    def build(
        cls, parent: QWidget | None, damage: Damage
    ) -> tuple[QMessageBox, list[tuple[QAbstractButton, Recovery]]]:
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(_tr("数据库文件已损坏"))
        text = _tr("启动检查发现数据库文件“{name}”已损坏。为保护数据，程序已禁止修改它。\n\n").format(
            name=damage.path.name
        )
        if damage.backup is not None:
            text += _tr(
                "最近一份完好的备份：{backup}。\n\n建议立即恢复这份备份。恢复前，"
                "当前的文件会先移到备份文件夹中保存，不会丢失。"
            ).format(backup=damage.backup.describe())
        else:
            text += _tr("没有找到完好的备份。可以只读打开查看数据，并请联系县级管理员。")
        box.setText(text)
        box.setDetailedText("\n".join(damage.problems[:50]))
        restore = (
            box.addButton(_tr("恢复这份备份"), QMessageBox.ButtonRole.AcceptRole) if damage.backup is not None else None
        )
        read_only = box.addButton(_tr("只读打开"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(_tr("退出"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(restore or read_only)
        choices: list[tuple[QAbstractButton, Recovery]] = [(read_only, Recovery.READ_ONLY)]
        if restore is not None:
            choices.append((restore, Recovery.RESTORE))
        return box, choices


def open_checked(path: Path | str, parent: QWidget | None = None) -> tuple[Database, DatabaseInfo] | None:
    """Opens an initialised database after the startup checks; None when the clerk quits. An
    up-to-date file that opens is checked later (ui/database.py `start_integrity_check`).
    (Tests replace `RecoveryDialog.ask`, `warn_network_path` and `LoginDialog.ask`.)"""
    if isinstance(path, str) and is_server_url(path):
        return _open_server(path, parent)
    path = Path(path)
    if is_network_path(path):
        log.warning("database %s is on a network share: rollback-journal mode", path)
        warn_network_path(parent, path)
    if up_to_date(path):
        try:
            db, info = setup.open_initialized(path)
        except (sqlite3.DatabaseError, sqlalchemy.exc.DatabaseError):
            log.warning("%s did not open: checking it now", path, exc_info=True)
        else:
            db.check_later()
            return db, info
    return _open_after_check(path, parent)


def _open_after_check(path: Path, parent: QWidget | None) -> tuple[Database, DatabaseInfo] | None:
    """The integrity check first, then the clerk's choice if it failed, then the opening (a
    file to migrate: the migration writes; a file that did not open: its backup is offered)."""
    problems = backups.check(path)
    read_only = False
    if problems:
        log.error("integrity check failed for %s: %s", path, "; ".join(problems[:10]))
        damage = Damage(path, problems, backups.latest_good(path))
        choice = RecoveryDialog.ask(parent, damage)
        log.warning("recovery choice: %s", choice.value)
        if choice is Recovery.QUIT:
            return None
        if choice is Recovery.RESTORE and damage.backup is not None:
            result = backups.restore(path, damage.backup.path)
            log.warning(
                "restored %s from %s; the damaged file is kept as %s", path, result.restored_from, result.previous
            )
        else:
            read_only = True
    try:
        return setup.open_initialized(path, read_only=read_only)
    except (sqlite3.DatabaseError, sqlalchemy.exc.DatabaseError) as exc:
        raise UserError(
            f"数据库文件“{path.name}”已损坏，无法打开（{exc}）。请用“备份与恢复”中的备份恢复，"
            f"备份在文件夹“{path.parent / 'backups'}”中。"
        ) from exc


# while running ------------------------------------------------------------------------------------
class ReadOnlyBanner(QLabel):
    """A red note in the status bar while the database is open read-only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("readOnlyBanner")
        self.setStyleSheet("color: white; background: #b00020; padding: 2px 8px;")
        self.setText(self.tr("只读：数据库已损坏，请在“工具 → 备份与恢复”中恢复备份"))
        ctx.database_replaced.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.setVisible(self.ctx.db.read_only)


def add_read_only_banner(window: QMainWindow, ctx: AppContext) -> ReadOnlyBanner:
    banner = ReadOnlyBanner(ctx, window)
    window.statusBar().insertPermanentWidget(0, banner)
    return banner


def start_daily_backups(ctx: AppContext, parent: QObject) -> QTimer:
    """Makes the day's backup now (in the background) and checks again every hour."""

    def run() -> None:
        if ctx.db.read_only or ctx.db.is_server:  # a server database: the server's schedule
            return
        db = ctx.db

        def done(made: Path | None) -> None:
            if made is not None:
                log.info("daily backup %s", made)

        # with the writes, so that a backup never runs beside a merge or a restore
        Operation(
            None,
            lambda _progress: backups.backup_if_due(db.path, damage=db.check_integrity),
            lambda made: Changes(backups=made is not None),
        ).success(done).failure(lambda exc: log.error("daily backup failed", exc_info=exc)).run(ctx)

    timer = QTimer(parent)
    timer.setInterval(DAILY_CHECK_MS)
    timer.timeout.connect(run)
    timer.start()
    run()
    return timer


CHANGE_POLL_MS = 2000


class ChangeWatch(QTimer):
    """On a server database: every two seconds, what other officers changed, announced like the
    changes of an operation here (`tables_changed`), so the pages concerned refresh (a page with
    unsaved edits keeps them). It follows the open database when another replaces it."""

    def __init__(self, ctx: AppContext, parent: QObject) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.listener: ChangeListener | None = None
        self.setInterval(CHANGE_POLL_MS)
        self.timeout.connect(self.poll)
        ctx.database_replaced.connect(self.follow)
        self.follow()
        self.start()

    def follow(self) -> None:
        self.close_listener()
        if self.ctx.db.url is not None:
            from hengdong_desktop.db.changes import ChangeListener

            self.listener = ChangeListener(self.ctx.db.url)

    def poll(self) -> None:
        tables = self.listener.poll() if self.listener is not None else set()
        if tables:
            log.info("other officers changed %s", ", ".join(sorted(tables)))
            self.ctx.announce(tables_changed(tables))

    def close_listener(self) -> None:
        if self.listener is not None:
            self.listener.close()
            self.listener = None


def start_change_watch(ctx: AppContext, parent: QObject) -> ChangeWatch:
    watch = ChangeWatch(ctx, parent)
    watch.destroyed.connect(lambda *_: watch.close_listener())
    return watch
