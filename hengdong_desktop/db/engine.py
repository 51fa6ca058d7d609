"""Opening a database: the SQLite engine with its pragmas, explicit transactions, Alembic
migrations (after a backup), and sessions that services use one per user action. A database on
a network share uses a rollback journal instead of WAL; a damaged one can be opened read-only."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from hengdong_desktop.db import merge_base  # noqa: F401 - registers the merge-base snapshot hook
from hengdong_desktop.db.audit import Actor, set_actor
from hengdong_desktop.db.backup import make_backup
from hengdong_desktop.db.location import is_network_path
from hengdong_desktop.db.models import Meta
from hengdong_desktop.errors import UserError, as_user_error
from hengdong_desktop.private_files import make_private

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
# The page cache of a batch of large write transactions (`Database.bulk_writes`): big enough for
# the indexes they insert into (SQLite's default is 2 MB).
BULK_CACHE_KIB = 64 * 1024


READ_ONLY_MESSAGE = "数据库文件已损坏，为保护数据已禁止修改。请在“工具 → 备份与恢复”中恢复一个完好的备份。"


def make_engine(path: Path, *, journal_mode: str = "WAL", read_only: bool = False) -> Engine:
    if read_only:
        uri = f"{Path(path).resolve().as_uri()}?mode=ro"
        engine = create_engine(f"sqlite:///{path}", future=True, creator=lambda: sqlite3.connect(
            uri, uri=True, check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{path}", future=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control away from pysqlite so BEGIN covers reads and DDL too.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            cur.execute(f"PRAGMA journal_mode = {journal_mode}")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def alembic_config(connection: Any = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine, path: Path, *, backup: bool = True) -> Path | None:
    """Upgrades the schema to head; backs the file up first when it already holds a schema.

    Returns the backup path, if one was made."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise UserError(
            f"数据库“{path.name}”由更新版本的程序创建（结构版本{current}），请升级本程序后再打开。"
        )
    made = make_backup(path, "migrate") if backup and current is not None else None
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return made


class Database:
    """An open database file: its engine and the sessions services work in."""

    def __init__(self, path: Path, engine: Engine, *, read_only: bool = False, on_network: bool = False) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.on_network = on_network
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._bulk = threading.local()  # this thread's bulk-write connection, if any

    @contextmanager
    def write(self, actor: Actor) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE), committed on success, rolled back on error."""
        if self.read_only:
            raise UserError(READ_ONLY_MESSAGE)
        bulk = getattr(self._bulk, "conn", None)
        try:
            with nullcontext(bulk) if bulk is not None else self.engine.connect() as conn:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with Session(bind=conn, expire_on_commit=False) as session:
                    set_actor(session, actor)
                    with session.begin():
                        yield session
        except DBAPIError as exc:  # a full disk or read-only medium is a sentence, not a crash
            machine = as_user_error(exc, self.path)
            if machine is None:
                raise
            raise machine from None

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """Runs the `write` transactions of this block (in this thread) on one connection with a
        large page cache, and checkpoints the WAL once at the end instead of after each of them:
        a merge of many packages otherwise rewrites the same index pages into the database file
        after every package. Each transaction is still committed and synced on its own, so
        durability and kill -9 safety are unchanged (SQLite replays the WAL on the next open)."""
        if self.read_only or getattr(self._bulk, "conn", None) is not None:
            yield
            return
        with self.engine.connect() as conn:
            raw = conn.connection.driver_connection  # PRAGMAs outside any transaction
            assert raw is not None
            cache = raw.execute("PRAGMA cache_size").fetchone()[0]
            interval = raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
            raw.execute(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
            raw.execute("PRAGMA wal_autocheckpoint = 0")
            self._bulk.conn = conn
            try:
                yield
            finally:
                self._bulk.conn = None
                try:
                    raw.execute(f"PRAGMA wal_autocheckpoint = {interval}")
                    raw.execute(f"PRAGMA cache_size = {cache}")
                    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                except sqlite3.Error:  # the commits stand (they are in the WAL); a later checkpoint copies them
                    log.warning("checkpoint after bulk writes failed", exc_info=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; tracked records changed in it cannot be flushed (no Actor).
        Objects stay readable after the block (closing rolls back without expiring them)."""
        with self._sessions() as session:
            yield session

    def meta(self) -> dict[str, str]:
        with self.read() as s:
            return {m.key: m.value for m in s.scalars(select(Meta))}

    def close(self) -> None:
        self.engine.dispose()


def open_database(
    path: str | Path, *, create: bool = False, backup: bool = True, read_only: bool = False
) -> Database:
    """Opens (or with `create`, creates) a database file and brings its schema to head.

    `read_only` opens a damaged file for reading only, without migrating it."""
    path = Path(path).expanduser().resolve()
    if not path.exists() and not create:
        raise UserError(f"数据库文件“{path}”不存在，请先用 init 命令或设置向导创建。")
    if path.exists() and path.is_dir():
        raise UserError(f"“{path}”是一个文件夹，不是数据库文件。")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.stat().st_size > 0:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise UserError(f"“{path.name}”不是本系统的数据库文件（不是SQLite格式）。")
    on_network = is_network_path(path)
    engine = make_engine(path, journal_mode="DELETE" if on_network else "WAL", read_only=read_only)
    if create and not read_only:
        with engine.connect():  # the file exists from here: owner-only (SQLite gives its -wal the same)
            make_private(path)
    try:
        if read_only:
            if current_revision(engine) != head_revision():
                raise UserError(f"数据库“{path.name}”已损坏且结构版本不是最新，无法只读打开，请恢复备份。")
        else:
            migrate(engine, path, backup=backup)
    except Exception:
        engine.dispose()
        raise
    return Database(path, engine, read_only=read_only, on_network=on_network)
