"""Opening a database: a local SQLite file (the engine with its pragmas, explicit transactions)
or a PostgreSQL database on a server named by its URL; Alembic migrations (after a backup), and
sessions that services use one per user action. A SQLite file on a network share uses a
rollback journal instead of WAL; a damaged one can be opened read-only.

A server database is shared by several officers at once: its connections run READ COMMITTED,
writes that must not interleave take the locks of `db/locks.py`, an edit that lost a race to
another officer fails on the record's revision (`Synced.revision` is the mapper's version
column) and is told so, and what the server refuses an account (PostgreSQL privileges and
row-level security, `db/server_security.py`) becomes one Chinese sentence."""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from hengdong_desktop.db import locks, merge_base  # noqa: F401 - register the unit-lock and merge-base hooks
from hengdong_desktop.db.audit import Actor, set_actor
from hengdong_desktop.db.backup import make_backup, quick_check
from hengdong_desktop.db.first_look import HEAD_REVISION
from hengdong_desktop.db.location import is_network_path, is_server_url, server_local_path, server_url, shown_url
from hengdong_desktop.db.models import Meta
from hengdong_desktop.db.stopping import make_stoppable
from hengdong_desktop.errors import UserError, as_user_error
from hengdong_desktop.private_files import make_private

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 10_000
# The page cache of a batch of large write transactions (`Database.bulk_writes`): big enough for
# the indexes they insert into (SQLite's default is 2 MB).
BULK_CACHE_KIB = 64 * 1024


READ_ONLY_MESSAGE = "数据库文件已损坏，为保护数据已禁止修改。请在“工具 → 备份与恢复”中恢复一个完好的备份。"
STALE_MESSAGE = "要保存的记录在您打开之后已被其他人修改，您的修改没有保存。请重新打开该记录，核对后再修改。"
# This process's name on the server: change notifications it caused itself are told apart by it.
APPLICATION_NAME = f"hengdong:{os.getpid()}:{uuid.uuid4().hex[:8]}"
SERVER_CONNECT_TIMEOUT_S = 10


class ServerLoginError(UserError):
    """The server wants a password that was not given, or refused the one given."""


def make_engine(path: Path, *, journal_mode: str = "WAL", read_only: bool = False) -> Engine:
    if read_only:
        uri = f"{Path(path).resolve().as_uri()}?mode=ro"
        engine = create_engine(
            f"sqlite:///{path}", future=True, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
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
        make_stoppable(dbapi_conn)  # a cancelled read stops inside its statements

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def make_server_engine(url: URL, *, read_only: bool = False) -> Engine:
    """A PostgreSQL engine: UTC session time zone (times are stored as naive UTC), read-only
    transactions when asked, and the connections named after this process."""
    options = "-c TimeZone=UTC" + (" -c default_transaction_read_only=on" if read_only else "")
    return create_engine(
        url,
        future=True,
        pool_pre_ping=True,
        connect_args={
            "application_name": APPLICATION_NAME,
            "connect_timeout": SERVER_CONNECT_TIMEOUT_S,
            "options": options,
        },
    )


def alembic_config(connection: Any = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None for an empty database), read without Alembic."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine, path: Path, *, backup: bool = True, name: str | None = None) -> Path | None:
    """Upgrades the schema to head; backs the database up first when it already holds a schema.
    On a server the upgrade runs as the schema's owner role, then the accounts' privileges are
    applied to every table again (so a new table is covered too).

    Returns the backup path, if one was made."""
    name = name or path.name
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    if current is not None and current not in {s.revision for s in script.walk_revisions()}:
        raise UserError(f"数据库“{name}”由更新版本的程序创建（结构版本{current}），请升级本程序后再打开。")
    made = None
    if engine.dialect.name == "postgresql":
        from hengdong_desktop.db import pg_backup, server_security

        if backup and current is not None:
            made = pg_backup.dump_before_upgrade(engine)
        with engine.begin() as conn:
            server_security.become_owner(conn)
            command.upgrade(alembic_config(conn), "head")
            server_security.apply(conn)
        return made
    made = make_backup(path, "migrate") if backup and current is not None else None
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    return made


class Database:
    """An open database, a SQLite file or a server database (`url`): its engine and the sessions
    services work in. `path` is the file, or for a server database the local name this computer
    keeps its signing key under (see `location.server_local_path`)."""

    def __init__(
        self, path: Path, engine: Engine, *, read_only: bool = False, on_network: bool = False, url: URL | None = None
    ) -> None:
        self.path = path
        self.engine = engine
        self.read_only = read_only
        self.on_network = on_network
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._bulk = threading.local()  # this thread's bulk-write connection, if any
        # What PRAGMA quick_check found: [] sound (or not asked for), None not checked yet
        # (`check_later`); the first caller of `check_integrity` runs it, others wait for it.
        self.problems: list[str] | None = []
        self.checked_later = False
        self._checking = threading.Lock()

    def check_later(self) -> None:
        """Opened before its integrity check, which reads the whole file and so runs once the
        window is up: until it has passed, a write first waits for it (or runs it)."""
        self.problems, self.checked_later = None, True

    def check_integrity(self) -> list[str]:
        """[] when the file is sound, else what SQLite's quick_check found, and the database is
        read-only from then on: nothing is ever written into a damaged file. Run once; in a
        cancelled read (db/stopping.py) it stops unanswered and the next caller runs it."""
        with self._checking:
            if self.problems is None:
                problems = quick_check(self.path)
                if problems:
                    self.read_only = True
                self.problems = problems
            return self.problems

    @property
    def is_server(self) -> bool:
        return self.url is not None

    @property
    def location(self) -> str:
        """What people are shown: the file's path, or the server URL without its password."""
        return shown_url(self.url) if self.url is not None else str(self.path)

    @property
    def target(self) -> str:
        """What `open_database` takes to open this database again (a server URL with its
        password: keep it in memory only)."""
        if self.url is not None:
            return self.url.render_as_string(hide_password=False)
        return str(self.path)

    @property
    def name(self) -> str:
        return str(self.url.database) if self.url is not None else self.path.name

    @contextmanager
    def write(self, actor: Actor) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE on SQLite), committed on success, rolled back
        on error. A record changed by someone else since it was read, and a change the server
        does not allow this account, are refused with a Chinese sentence; so is any write into a
        file found damaged (checked first if it has not been yet)."""
        if self.problems is None:
            self.check_integrity()
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
        except StaleDataError as exc:
            raise UserError(STALE_MESSAGE) from exc
        except DBAPIError as exc:  # a full disk or read-only medium is a sentence, not a crash
            refused = server_refusal(exc) if self.is_server else None
            if refused is not None:
                raise UserError(refused) from exc
            machine = as_user_error(exc, None if self.is_server else self.path)
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
        if self.read_only or self.is_server or getattr(self._bulk, "conn", None) is not None:
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


def server_refusal(exc: DBAPIError) -> str | None:
    """The Chinese sentence for what a server refuses in the normal course of several officers
    working at once (a missing privilege, a lost race); None for anything else (a bug)."""
    state = getattr(exc.orig, "sqlstate", None)
    if state == "42501":  # insufficient_privilege, row-level security included
        return "服务器拒绝了这次修改：当前账号没有修改这些数据的权限。如需修改，请联系县领导小组办公室。"
    if state in ("40001", "40P01"):  # serialization failure, deadlock
        return "这次修改与其他人同时进行的操作冲突，没有保存，请再试一次。"
    if state == "25006":  # read_only_sql_transaction
        return "数据库以只读方式打开，不能修改。"
    return None


def _server_connect_problem(url: URL, exc: OperationalError) -> UserError:
    text = str(exc.orig or exc)
    where = shown_url(url)
    if "password" in text and ("no password supplied" in text or "authentication failed" in text):
        return ServerLoginError(f"服务器拒绝登录：账号“{url.username}”的密码不对或没有提供（{where}）。")
    if "does not exist" in text and "database" in text:
        return UserError(f"服务器上没有数据库“{url.database}”，请先用 hengdong server init 创建（{where}）。")
    return UserError(
        f"无法连接数据库服务器“{where}”：{text.strip().splitlines()[-1] if text.strip() else exc}。"
        "请检查网络、服务器地址和端口，以及服务器是否已启动。"
    )


def open_server_database(text: str, *, backup: bool = True, read_only: bool = False) -> Database:
    """Opens a PostgreSQL database named by its URL and brings its schema to head (which only
    an account of the office may do; others are told to wait for the office)."""
    url = server_url(text)
    engine = make_server_engine(url, read_only=read_only)
    try:
        try:
            current = current_revision(engine)
        except OperationalError as exc:
            raise _server_connect_problem(url, exc) from None
        if current != head_revision():
            if read_only:
                raise UserError(f"服务器数据库“{url.database}”的结构版本不是最新，无法只读打开。")
            from hengdong_desktop.db import server_security

            if current is not None and not server_security.can_upgrade(engine):
                raise UserError(
                    f"服务器数据库“{url.database}”需要升级到本程序的版本，"
                    "请县领导小组办公室的账号先打开一次（升级由办公室完成）。"
                )
            migrate(engine, server_local_path(url), backup=backup, name=str(url.database))
    except Exception:
        engine.dispose()
        raise
    return Database(server_local_path(url), engine, read_only=read_only, url=url)


def open_database(path: str | Path, *, create: bool = False, backup: bool = True, read_only: bool = False) -> Database:
    """Opens (or with `create`, creates) a database file and brings its schema to head; a
    PostgreSQL URL opens that server database (created beforehand by `hengdong server init`).

    `read_only` opens a damaged file for reading only, without migrating it."""
    if is_server_url(path):
        return open_server_database(str(path), backup=backup, read_only=read_only)
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
