"""Replacing the open database: restoring a backup over it, or opening another database file.
Either way the old database is closed, the new one opened through the startup checks, and the
context announces the replacement (`AppContext.database_replaced`), on which the window builds
every page again. Unsaved work is settled first; the restore runs with the writes, after them.
The integrity check of a file opened before it (`start_integrity_check`) runs here too, once
the window is up, and offers to restore the latest good backup when it finds damage."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.location import is_server_url, without_password
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, setup
from hengdong_desktop.services.backups import BackupInfo
from hengdong_desktop.services.setup import DatabaseInfo
from hengdong_desktop.ui import settings as s
from hengdong_desktop.ui import startup
from hengdong_desktop.ui.changes import Changes
from hengdong_desktop.ui.dialogs import FileDialogs
from hengdong_desktop.ui.errors import show_error
from hengdong_desktop.ui.instance import DatabaseLock, NoLock
from hengdong_desktop.ui.operations import Operation
from hengdong_desktop.ui.page import Shell

log = logging.getLogger(__name__)
DATABASE_FILTER = "数据库 (*.sqlite3 *.db);;所有文件 (*)"


def _replace(window: Shell, db: Database, info: DatabaseInfo) -> None:
    window.ctx.tasks.wait()  # nothing still reads the old database
    window.ctx.replace_database(db, info).close()


def restore_backup(window: Shell, backup: BackupInfo, done: Callable[[str], None]) -> None:
    """Puts `backup` in place of the open database (which is kept as a backup first); then
    `done` gets the sentence saying so."""
    ctx = window.ctx

    def start() -> None:
        db = ctx.db
        ctx.tasks.wait()
        db.close()  # the engine reconnects by itself if the restore is refused

        def work(_progress: object) -> tuple[backups.RestoreResult, tuple[Database, DatabaseInfo]]:
            if db.is_server:  # pg_restore over the server database, then a fresh connection to it
                return backups.restore_server(db, backup.path), setup.open_initialized(db.target)
            return backups.restore(db.path, backup.path), setup.open_initialized(db.path)

        def restored(outcome: tuple[backups.RestoreResult, tuple[Database, DatabaseInfo]]) -> None:
            result, (db, info) = outcome
            _replace(window, db, info)
            text = window.tr("已恢复到 {time} 的备份。恢复前的数据已保存为：{previous}").format(
                time=f"{backup.created:%Y-%m-%d %H:%M}", previous=result.previous or window.tr("（原来没有数据库文件）")
            )
            window.statusBar().showMessage(text, 15_000)
            done(text)

        Operation(window, work, Changes(backups=True)).success(restored).with_progress(window.tr("正在恢复备份…")).run(
            ctx
        )

    window.settle(start)


def open_other_database(window: Shell) -> None:
    """文件 → 打开其他数据库…: the chosen database replaces the open one (one window per database)."""
    chosen = FileDialogs.open_file(window, window.tr("打开其他数据库"), DATABASE_FILTER)
    if chosen is None or Path(chosen).resolve() == Path(window.ctx.db.path).resolve():
        return

    def switch() -> None:
        switch_database(window, Path(chosen))

    window.settle(switch)


def switch_database(window: Shell, path: Path | str) -> bool:
    """Opens `path` (taking its lock, through the startup checks) in place of the open database;
    a server database's URL needs no lock (several officers open it at once)."""
    ctx = window.ctx
    server = is_server_url(path)
    lock: DatabaseLock | NoLock = NoLock() if server else DatabaseLock(Path(path))
    try:
        lock.acquire()
        opened = startup.open_checked(path, window)
    except UserError as exc:
        lock.release()
        show_error(window, exc)
        return False
    if opened is None:
        lock.release()
        return False
    _replace(window, *opened)
    start_integrity_check(window)
    if ctx.lock is not None:
        ctx.lock.release()
    ctx.lock = lock
    ctx.settings.set(s.DATABASE_PATH, without_password(str(path)) if server else str(path))
    window.statusBar().showMessage(window.tr("已打开数据库：{path}").format(path=ctx.db.location), 15_000)
    return True


def start_integrity_check(window: Shell) -> None:
    """Checks the open file in the background (a read: closing stops it). When it is damaged,
    it is read-only from then on (`Database.check_integrity`): the banner says so and the clerk
    is offered the latest good backup, or to keep reading, or to quit."""
    ctx = window.ctx
    db = ctx.db
    if not db.checked_later:
        return  # checked before it was opened, or a server database

    def check(_progress: object) -> tuple[list[str], BackupInfo | None]:
        problems = db.check_integrity()
        return problems, backups.latest_good(db.path) if problems else None

    def checked(outcome: tuple[list[str], BackupInfo | None]) -> None:
        problems, backup = outcome
        if not problems or db is not ctx.db:
            return
        log.error("integrity check failed for %s: %s", db.path, "; ".join(problems[:10]))
        for banner in window.findChildren(startup.ReadOnlyBanner):
            banner.refresh()
        choice = startup.RecoveryDialog.ask(window, startup.Damage(db.path, problems, backup))
        log.warning("recovery choice: %s", choice.value)
        if choice is startup.Recovery.RESTORE and backup is not None:
            restore_backup(window, backup, lambda _text: None)
        elif choice is startup.Recovery.QUIT:
            window.close()

    ctx.tasks.read(check, on_success=checked, parent=window)
