"""Automatic rotating backups and restoring them.

- Any feature about to change much at once makes a backup with one line:
  `backups.backup_before(db, "merge")` (or "import"); migrations back up by themselves.
- `backup_if_due` makes the daily backup; `list_backups` is what the restore screen shows (time,
  reason, record counts); `latest_good` is what startup offers when the database is damaged.
- `restore` first moves the current file (with its `-wal`/`-journal`) into the backup folder,
  so restoring never loses what was there.

A server database (PostgreSQL) is backed up with pg_dump (`db/pg_backup.py`): on a schedule on
the server (`hengdong server backup`, see installer/server/), before an upgrade, and from the
备份与恢复 page (`folder_of`, `list_for`, `backup_now`, `restore_database` take the open
database and serve both kinds). It makes no backup before each merge or import: those run in
one server transaction each, and several officers merge at once."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hengdong_desktop.db import backup as files
from hengdong_desktop.db import pg_backup
from hengdong_desktop.db.engine import Database
from hengdong_desktop.errors import UserError

log = logging.getLogger(__name__)

# Reasons a backup is made, with the label the restore screen shows.
REASONS: dict[str, str] = {
    "daily": "每日自动备份",
    "manual": "手动备份",
    "migrate": "升级前自动备份",
    "import": "导入前自动备份",
    "merge": "合并前自动备份",
    "reply": "应用下发包前自动备份",
    "restore": "恢复前的原数据",
}
# What the restore screen counts in each backup (records not tombstoned): key → (label, table).
COUNTS: dict[str, tuple[str, str]] = {
    "enterprises": ("企业", "enterprises"),
    "projects": ("项目", "projects"),
    "monthly": ("月度数据", "enterprise_monthly"),
    "problems": ("问题", "problems"),
}


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    reason: str
    size: int
    counts: dict[str, int] | None  # None when the file cannot be read
    schema: str | None = None

    @property
    def reason_label(self) -> str:
        return REASONS.get(self.reason, self.reason)

    @property
    def readable(self) -> bool:
        return self.counts is not None

    def describe(self) -> str:
        """One line for people: time, reason and what it holds."""
        text = f"{self.created:%Y-%m-%d %H:%M}（{self.reason_label}）"
        if self.counts is not None:
            text += "，" + "，".join(f"{COUNTS[k][0]}{v}条" for k, v in self.counts.items())
        return text


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous: Path | None  # where the file that was replaced now lives


def _check_reason(reason: str) -> None:
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}; add it to REASONS")


def backup_file(db_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Backs up the database file at `db_path` (rotating old backups of the same reason)."""
    _check_reason(reason)
    return files.make_backup(Path(db_path), reason, now=now)


def backup_before(db: Database, reason: str) -> Path | None:
    """The one line before a merge or an import: `backups.backup_before(db, "merge")`.
    (None on a server database, see the module docstring.)"""
    if db.is_server:
        return None
    return backup_file(db.path, reason)


def backup_if_due(
    db_path: Path, *, now: datetime | None = None, damage: Callable[[], list[str]] | None = None
) -> Path | None:
    """Makes today's daily backup unless there already is one, or unless `damage` (the open
    database's integrity check, asked only when a backup is due) finds the file damaged."""
    now = now or datetime.now()
    daily = [b for b in files.list_files(Path(db_path)) if b.reason == "daily"]
    if daily and daily[0].created.date() >= now.date():
        return None
    if damage is not None and damage():
        return None
    return backup_file(db_path, "daily", now=now)


def _read(path: Path, *, untouched: bool = False) -> tuple[dict[str, int], str | None, str | None]:
    """Record counts, schema revision and database id of a database file.

    `untouched` reads the file as it lies (SQLite's immutable mode), leaving any journal beside it
    exactly as found."""
    conn = (
        sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        if untouched
        else sqlite3.connect(str(path))
    )
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts = {
            key: int(conn.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[0])
            for key, (_label, table) in COUNTS.items()
            if table in tables
        }
        schema = (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            if "alembic_version" in tables
            else None
        )
        row = (
            conn.execute("SELECT value FROM app_meta WHERE key = 'database_id'").fetchone()
            if "app_meta" in tables
            else None
        )
        return counts, schema, row[0] if row else None
    finally:
        conn.close()


def database_id(path: Path) -> str | None:
    """The id this database was created with, or None when the file cannot be read."""
    try:
        return _read(path, untouched=True)[2]
    except sqlite3.DatabaseError:
        return None


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database, newest first, with its record counts."""
    result = []
    for found in files.list_files(Path(db_path)):
        counts: dict[str, int] | None
        try:
            counts, schema, _id = _read(found.path)
        except sqlite3.DatabaseError:
            counts, schema = None, None
        with contextlib.suppress(OSError):
            result.append(
                BackupInfo(found.path, found.created, found.reason, found.path.stat().st_size, counts, schema)
            )
    return result


def check(path: Path) -> list[str]:
    """[] when the database file is sound, else what SQLite's quick_check found."""
    return files.quick_check(Path(path))


def latest_good(db_path: Path) -> BackupInfo | None:
    """The newest backup that passes the integrity check and belongs to this system."""
    for info in list_backups(db_path):
        if info.readable and info.schema and not check(info.path):
            return info
    return None


def _move_aside(db_path: Path, now: datetime) -> Path | None:
    """Renames the database and its side files into the backup folder (nothing is deleted)."""
    if not db_path.exists():
        return None
    dest = files.backup_name(db_path, "restore", now)
    dest.parent.mkdir(parents=True, exist_ok=True)
    moved: list[tuple[Path, Path]] = []
    try:
        # Side files first: a journal must never be left beside a file it does not belong to.
        for suffix in (*files.SIDE_FILES, ""):
            src = files.side_file(db_path, suffix)
            if src.exists():
                target = files.side_file(dest, suffix)
                src.replace(target)
                moved.append((target, src))
    except OSError:
        _move_back(moved)
        raise
    return dest


def _move_back(moved: list[tuple[Path, Path]]) -> None:
    for target, src in reversed(moved):
        target.replace(src)


def restore(db_path: Path, backup: Path, *, now: datetime | None = None) -> RestoreResult:
    """Replaces the database at `db_path` with the backup. The caller has closed the database.

    Refuses a damaged backup or another database's backup; the current file is kept as a
    "restore" backup first, and put back if copying the backup fails."""
    db_path, backup = Path(db_path), Path(backup)
    problems = check(backup)
    if problems:
        raise UserError(f"备份“{backup.name}”已损坏（{problems[0]}），不能用于恢复，请选择其他备份。")
    backup_id = database_id(backup)
    if backup_id is None:
        raise UserError(f"“{backup.name}”不是本系统的数据库备份，不能用于恢复。")
    current_id = database_id(db_path) if db_path.exists() else None
    if current_id is not None and current_id != backup_id:
        raise UserError(f"备份“{backup.name}”属于另一个数据库，不能恢复到当前数据库“{db_path.name}”。")
    now = now or datetime.now()
    previous = _move_aside(db_path, now)
    try:
        files.copy_database(backup, db_path)
    except BaseException:
        if previous is not None:
            _move_back(
                [
                    (files.side_file(previous, s), files.side_file(db_path, s))
                    for s in ("", *files.SIDE_FILES)
                    if files.side_file(previous, s).exists()
                ]
            )
        raise
    files.prune(db_path, "restore")
    return RestoreResult(backup, previous)


# Either kind of database, for the 备份与恢复 page ------------------------------------------------
def folder_of(db: Database) -> Path:
    """Where the backups of this database are."""
    if db.url is not None:
        return pg_backup.folder(db.url, db.engine)
    return files.backup_dir(db.path)


def _from_dump(dump: pg_backup.DumpFile) -> BackupInfo:
    size = dump.path.stat().st_size if dump.path.exists() else 0
    return BackupInfo(dump.path, dump.created, dump.reason, size, dump.counts, dump.schema)


def list_for(db: Database) -> list[BackupInfo]:
    """Every backup of this database, newest first, with its record counts."""
    if db.url is not None:
        return [_from_dump(d) for d in pg_backup.list_dumps(folder_of(db), db.name)]
    return list_backups(db.path)


def backup_now(db: Database, reason: str = "manual") -> Path:
    _check_reason(reason)
    if db.url is not None:
        return pg_backup.make_dump(db.url, reason)
    return backup_file(db.path, reason)


def restore_server(db: Database, backup: Path) -> RestoreResult:
    """Restores a server database from one of its dumps, after dumping what is there now (as
    “恢复前的原数据”): pg_restore in one transaction, as the schema's owner role. The other
    officers' programs carry on with the restored data."""
    from sqlalchemy import text

    from hengdong_desktop.db import server_security

    assert db.url is not None
    dump = next((d for d in pg_backup.list_dumps(folder_of(db), db.name) if d.path == Path(backup)), None)
    if dump is None:
        raise UserError(f"“{Path(backup).name}”不是本数据库备份文件夹中的备份。")
    with db.engine.connect() as conn:
        meta: dict[str, str] = {str(k): str(v) for k, v in conn.execute(text("SELECT key, value FROM app_meta"))}
        schema = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        roles = server_security.roles(conn)
    pg_backup.check_restorable(dump, current_id=meta.get("database_id"), current_schema=schema)
    previous = pg_backup.make_dump(db.url, "restore")
    db.engine.dispose()  # no pooled connection of ours stays in the way
    pg_backup.restore(db.url, dump, owner_role=roles.owner if roles else None)
    log.warning("restored %s from %s; what was there is kept as %s", db.location, backup, previous)
    return RestoreResult(Path(backup), previous)
