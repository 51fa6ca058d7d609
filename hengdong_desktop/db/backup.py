"""Backup files of a database: consistent copies through SQLite's online backup API, kept in
`backups/` beside the database as `<db name>-<time>-<reason>.sqlite3`, rotated per reason, and
the integrity check (`PRAGMA quick_check`) that tells a good file from a damaged one.

The app never deletes a live database's `-wal` or `-journal` file: they hold committed data or
what SQLite needs to roll back an interrupted write, and SQLite replays them on the next open."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hengdong_desktop.db.stopping import interruptible, stopped
from hengdong_desktop.errors import UserError, as_user_error
from hengdong_desktop.private_files import make_private, private_folder

STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
# How many backups of each reason rotation keeps (the newest ones); other reasons keep DEFAULT_KEEP.
KEEP = {"daily": 7, "migrate": 3}
DEFAULT_KEEP = 5
# Files SQLite may keep beside a database; they belong to it and travel with it.
SIDE_FILES = ("-wal", "-shm", "-journal")
_NAME = re.compile(r"-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z]+)\.sqlite3$")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created: datetime
    reason: str


def backup_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def copy_database(src: Path, dest: Path) -> Path:
    """Copies `src` to `dest` page by page while other connections may be using it.

    The copy is written beside `dest` and renamed into place, and uses a rollback journal so it
    is one self-contained file."""
    private_folder(dest.parent)
    tmp = dest.with_name(dest.name + ".part")
    try:
        source = sqlite3.connect(str(src))
        try:
            target = sqlite3.connect(str(tmp))
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
        finally:
            source.close()
        make_private(tmp)
        tmp.replace(dest)
    except (OSError, sqlite3.Error) as exc:  # a full disk, say: nothing half-written stays behind
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
        machine = as_user_error(exc, dest)
        if machine is None:
            raise
        why = str(machine).split("：", 1)[-1].rstrip("。")
        raise UserError(f"备份未完成，无法写入“{dest.name}”：{why}。") from None
    return dest


def backup_name(db_path: Path, reason: str, when: datetime) -> Path:
    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be lowercase letters: {reason!r}")
    return backup_dir(db_path) / f"{db_path.stem}-{when.strftime(STAMP_FORMAT)}-{reason}.sqlite3"


def make_backup(db_path: Path, reason: str, *, now: datetime | None = None) -> Path:
    """Writes a backup of `db_path` for `reason`, then drops the oldest of that reason."""
    dest = copy_database(db_path, backup_name(db_path, reason, now or datetime.now()))
    prune(db_path, reason)
    return dest


def _glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def list_files(db_path: Path) -> list[BackupFile]:
    """The backups of this database, newest first."""
    folder = backup_dir(db_path)
    found: list[BackupFile] = []
    if not folder.is_dir():
        return found
    prefix = db_path.stem
    for path in folder.glob(f"{_glob_escape(prefix)}-*.sqlite3"):
        match = _NAME.search(path.name)
        if match and path.name[: match.start()] == prefix:
            created = datetime.strptime(match["stamp"], STAMP_FORMAT)
            found.append(BackupFile(path, created, match["reason"]))
    return sorted(found, key=lambda b: b.created, reverse=True)


def prune(db_path: Path, reason: str) -> list[Path]:
    """Deletes the oldest backups of `reason` beyond what rotation keeps, and any backup left
    half-written by an earlier crash (`*.part`); returns them."""
    for stale in backup_dir(db_path).glob(f"{_glob_escape(db_path.stem)}-*.sqlite3.part*"):
        stale.unlink(missing_ok=True)
    same = [b for b in list_files(db_path) if b.reason == reason]
    removed = []
    for old in same[KEEP.get(reason, DEFAULT_KEEP) :]:
        for path in [old.path, *(side_file(old.path, s) for s in SIDE_FILES)]:
            path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def side_file(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


def quick_check(path: Path) -> list[str]:
    """SQLite's `PRAGMA quick_check`: [] when the file is sound, else what is wrong.

    Opens the file normally (not read-only), so SQLite first recovers an interrupted write from
    a leftover journal or WAL, exactly as the app would."""
    if not path.is_file():
        return [f"文件不存在：{path}"]
    try:
        conn = sqlite3.connect(str(path))
        try:
            with interruptible(conn):  # a cancelled read stops it at once
                rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if stopped():  # found nothing either way
            raise
        return [str(exc)]
    messages = [str(r[0]) for r in rows]
    return [] if messages == ["ok"] else messages
