"""Backups of a server database: pg_dump files (custom format) in a backup folder, each with a
small JSON file beside it saying what it holds (record counts, schema revision, database id,
who made it and why), counted in the very snapshot pg_dump copies. Rotated per reason like the
SQLite backups (`db/backup.py`); restored with pg_restore in one transaction, as the schema's
owner role.

The folder is the one `app_meta.server_backup_dir` names (as the office's computers see it: a
shared folder when the scheduled backup runs on the server), else a folder in this computer's
data directory."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from hengdong_desktop.db import pg_tools
from hengdong_desktop.db.backup import DEFAULT_KEEP, KEEP, STAMP_FORMAT
from hengdong_desktop.db.location import server_local_path
from hengdong_desktop.errors import UserError
from hengdong_desktop.private_files import user_data_dir

log = logging.getLogger(__name__)
META_BACKUP_DIR = "server_backup_dir"
SUFFIX = ".dump"
# What the backup list counts (records not tombstoned): key → table (as services/backups.COUNTS).
COUNTED = {
    "enterprises": "enterprises",
    "projects": "projects",
    "monthly": "enterprise_monthly",
    "problems": "problems",
}
_NAME = re.compile(r"-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z]+)\.dump$")


@dataclass(frozen=True)
class DumpFile:
    path: Path
    created: datetime
    reason: str
    facts: dict[str, Any] | None  # the JSON beside it; None when missing or unreadable

    @property
    def counts(self) -> dict[str, int] | None:
        return None if self.facts is None else dict(self.facts.get("counts", {}))

    @property
    def schema(self) -> str | None:
        return None if self.facts is None else self.facts.get("schema")

    @property
    def database_id(self) -> str | None:
        return None if self.facts is None else self.facts.get("database_id")


def _engine(url: URL) -> Engine:
    return create_engine(url, connect_args={"connect_timeout": 10, "options": "-c TimeZone=UTC"})


def folder(url: URL, engine: Engine | None = None) -> Path:
    """The backup folder of this server database."""
    own = engine is None
    engine = engine or _engine(url)
    try:
        with engine.connect() as conn:
            exists = conn.execute(text("SELECT to_regclass('app_meta') IS NOT NULL")).scalar()
            configured = (
                conn.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": META_BACKUP_DIR}).scalar()
                if exists
                else None
            )
    finally:
        if own:
            engine.dispose()
    if configured:
        return Path(configured)
    return user_data_dir() / "server-backups" / server_local_path(url).stem


def side_file(path: Path) -> Path:
    return path.with_name(path.name[: -len(SUFFIX)] + ".json")


def list_dumps(where: Path, database: str) -> list[DumpFile]:
    """The dumps of `database` in the folder, newest first."""
    found: list[DumpFile] = []
    if not where.is_dir():
        return found
    for path in where.glob(f"*{SUFFIX}"):
        match = _NAME.search(path.name)
        if not match or path.name[: match.start()] != database:
            continue
        try:
            facts = json.loads(side_file(path).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            facts = None
        found.append(DumpFile(path, datetime.strptime(match["stamp"], STAMP_FORMAT), match["reason"], facts))
    return sorted(found, key=lambda d: d.created, reverse=True)


def prune(where: Path, database: str, reason: str) -> list[Path]:
    same = [d for d in list_dumps(where, database) if d.reason == reason]
    removed = []
    for old in same[KEEP.get(reason, DEFAULT_KEEP) :]:
        old.path.unlink(missing_ok=True)
        side_file(old.path).unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def make_dump(url: URL, reason: str, *, where: Path | None = None, now: datetime | None = None) -> Path:
    """Dumps the database into its backup folder (or `where`), with the facts beside it."""
    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be lowercase letters: {reason!r}")
    now = now or datetime.now()
    engine = _engine(url)
    try:
        where = where or folder(url, engine)
        dest = where / f"{url.database}-{now.strftime(STAMP_FORMAT)}-{reason}{SUFFIX}"
        with engine.connect() as conn:
            conn.execute(text("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            facts = _facts(conn)
            pg_tools.dump(url, dest, snapshot=str(snapshot))
            conn.execute(text("COMMIT"))
    finally:
        engine.dispose()
    facts |= {
        "reason": reason,
        "created": now.isoformat(timespec="seconds"),
        "database": url.database,
        "format": "pg_dump custom",
    }
    side_file(dest).write_text(json.dumps(facts, ensure_ascii=False, indent=1), encoding="utf-8")
    prune(where, str(url.database), reason)
    return dest


def _facts(c: Connection) -> dict[str, Any]:
    """What the dump holds, read in its snapshot."""
    tables = {r[0] for r in c.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))}
    counts = {
        key: int(c.execute(text(f'SELECT count(*) FROM "{table}" WHERE deleted_at IS NULL')).scalar() or 0)
        for key, table in COUNTED.items()
        if table in tables
    }
    schema = (
        c.execute(text("SELECT version_num FROM alembic_version")).scalar() if "alembic_version" in tables else None
    )
    database_id = (
        c.execute(text("SELECT value FROM app_meta WHERE key = 'database_id'")).scalar()
        if "app_meta" in tables
        else None
    )
    account = c.execute(text("SELECT session_user")).scalar()
    return {"counts": counts, "schema": schema, "database_id": database_id, "account": account}


def check_restorable(dump: DumpFile, *, current_id: str | None, current_schema: str | None) -> None:
    """Refuses another database's dump, one without its facts, and one of another schema
    revision (--clean only replaces what the dump holds: restore it with the program version
    that made it, or into a new database)."""
    if dump.facts is None:
        raise UserError(f"备份“{dump.path.name}”缺少说明文件（{side_file(dump.path).name}），不能确认它属于本数据库。")
    if current_id is not None and dump.database_id != current_id:
        raise UserError(f"备份“{dump.path.name}”属于另一个数据库，不能恢复到当前数据库。")
    if current_schema is not None and dump.schema != current_schema:
        raise UserError(
            f"备份“{dump.path.name}”的结构版本（{dump.schema}）与当前数据库（{current_schema}）不同，不能直接恢复。"
        )


def restore(url: URL, dump: DumpFile, *, owner_role: str | None) -> None:
    """Replaces the database's content with the dump's, in one transaction; then tells every
    program listening that everything changed (a restore fires no table's trigger)."""
    from hengdong_desktop.db.server_security import EVERYTHING_CHANGED, NOTIFY_CHANNEL

    pg_tools.restore(url, dump.path, role=owner_role)
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": f"{EVERYTHING_CHANGED} restore"},
            )
    finally:
        engine.dispose()


def dump_before_upgrade(engine: Engine) -> Path | None:
    """A dump of the database before its schema is upgraded, when pg_dump is installed here."""
    try:
        return make_dump(engine.url, "migrate")
    except pg_tools.ToolMissing as exc:
        log.warning("no backup before upgrading %s: %s", engine.url.database, exc)
        return None
