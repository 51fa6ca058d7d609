"""The county database on a PostgreSQL server: making it (`hengdong server init`), its login
accounts and their kinds (办公室 / 牵头部门 / 只读), and who is connected.

`init_server` is run once by the county's IT officer with the server administrator's account:
it creates the database (UTF-8, byte-order collation as in SQLite), the group roles of
`db/server_security.py`, the schema (Alembic, as the owner role), the privileges and policies,
and seeds it as the county database with its signing key (kept on this computer, see
`location.server_local_path`). Run again, it changes nothing that exists and repairs the rest.

Accounts are PostgreSQL login roles. Their passwords go to the server only as a SCRAM-SHA-256
verifier computed here, so neither this program nor the server's log ever holds them in clear."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, create_engine, insert, select, text, update
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, ProgrammingError

from hengdong_desktop.db import models as m
from hengdong_desktop.db import server_security as sec
from hengdong_desktop.db.engine import (
    Database,
    alembic_config,
    make_server_engine,
    open_database,
)
from hengdong_desktop.db.location import server_url, shown_url
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup

ACCOUNT_NAME = re.compile(r"[a-z][a-z0-9_]{1,39}")
SCRAM_ITERATIONS = 4096
MIN_PASSWORD = 8


@dataclass(frozen=True)
class ServerInit:
    location: str
    created_database: bool
    seeded: bool
    roles: sec.Roles
    info: setup.DatabaseInfo


def _maintenance_url(url: URL) -> URL:
    return url.set(database="postgres")


def _create_database(url: URL) -> bool:
    """Creates the database if it does not exist; True when it did not."""
    engine = create_engine(_maintenance_url(url), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10})
    try:
        with engine.connect() as conn:
            if conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": url.database}).first():
                return False
            conn.execute(
                text(
                    f"CREATE DATABASE {sec.q(str(url.database))} ENCODING 'UTF8'"
                    " LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
                )
            )
            return True
    except OperationalError as exc:
        raise UserError(f"无法连接数据库服务器“{shown_url(url)}”：{str(exc.orig).strip().splitlines()[-1]}。") from None
    except ProgrammingError as exc:
        raise UserError(
            f"不能在服务器上创建数据库“{url.database}”：{exc.orig}。"
            "请使用服务器管理员账号（如postgres）运行 server init。"
        ) from None
    finally:
        engine.dispose()


def init_server(
    target: str,
    operator: str = "",
    *,
    key_passphrase: str | None = None,
    seed: bool = True,
    training: bool = False,
    start_period: str | None = None,
) -> ServerInit:
    """Creates (or completes) the county database on a server; see the module docstring.
    `seed=False` leaves it empty of data, for `server import`; `training` and `start_period`
    as for `setup.init_database`."""
    url = server_url(target)
    created = _create_database(url)
    engine = make_server_engine(url)
    try:
        with engine.begin() as conn:
            try:
                roles = sec.roles(conn) or sec.Roles(sec.role_prefix_for(str(url.database)))
                sec.ensure_roles(conn, roles.prefix)
            except ProgrammingError as exc:
                raise UserError(
                    f"不能创建账号组：{exc.orig}。请使用服务器管理员账号（如postgres）运行 server init。"
                ) from None
            conn.execute(text(f"ALTER DATABASE {sec.q(str(url.database))} OWNER TO {sec.q(roles.owner)}"))
            conn.execute(text(f"ALTER SCHEMA public OWNER TO {sec.q(roles.owner)}"))
            sec.grant_connect(conn, str(url.database), roles)
            conn.execute(text(f"SET LOCAL ROLE {sec.q(roles.owner)}"))
            if current_revision_of(conn) is None:
                from alembic import command

                command.upgrade(alembic_config(conn), "head")
            conn.execute(
                text("INSERT INTO app_meta (key, value) VALUES (:k, :v) ON CONFLICT (key) DO NOTHING"),
                {"k": sec.META_ROLES, "v": roles.prefix},
            )
            sec.apply(conn)
    finally:
        engine.dispose()
    db = open_database(target)  # upgrades an older schema, as the owner role
    try:
        seeded = seed and "role" not in db.meta()
    finally:
        db.close()
    if seeded:
        info = setup.init_database(
            target,
            setup.COUNTY,
            None,
            operator,
            key_passphrase=key_passphrase,
            training=training,
            start_period=start_period,
        )
    else:
        db = open_database(target)
        try:
            info = setup.read_info(db) if "role" in db.meta() else None  # type: ignore[assignment]
        finally:
            db.close()
    return ServerInit(shown_url(url), created, seeded, roles, info)


def set_backup_dir(target: str, folder: str | os.PathLike[str]) -> None:
    """Where the office's computers find this database's backups (a shared folder, when the
    scheduled backup runs on the server)."""
    from hengdong_desktop.db.pg_backup import META_BACKUP_DIR

    engine = make_server_engine(server_url(target))
    try:
        with engine.begin() as conn:
            sec.become_owner(conn)
            conn.execute(
                text(
                    "INSERT INTO app_meta (key, value) VALUES (:k, :v)"
                    " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
                ),
                {"k": META_BACKUP_DIR, "v": str(folder)},
            )
    finally:
        engine.dispose()


def current_revision_of(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# accounts --------------------------------------------------------------------------------------
def scram_verifier(password: str, *, salt: bytes | None = None, iterations: int = SCRAM_ITERATIONS) -> str:
    """The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677), made here
    so the password itself never reaches the server. (Base64 and digits only: safe to write
    into the statement as a literal, which CREATE ROLE requires.)"""
    salt = salt if salt is not None else os.urandom(16)
    salted = hashlib.pbkdf2_hmac("sha256", unicodedata.normalize("NFKC", password).encode("utf-8"), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"密码至少要{MIN_PASSWORD}个字符。")


@dataclass(frozen=True)
class AccountRow:
    account: str
    kind: str
    department: str | None
    display_name: str
    created_at: datetime
    disabled_at: datetime | None
    can_login: bool

    @property
    def kind_label(self) -> str:
        return sec.KIND_LABELS[self.kind]


def _admin_roles(db: Database) -> sec.Roles:
    if not db.is_server:
        raise UserError("账号只用于服务器数据库；本机SQLite数据库由打开它的人使用。")
    with db.engine.connect() as conn:
        roles = sec.roles(conn)
    if roles is None:
        raise UserError(f"数据库“{db.location}”不是用 hengdong server init 创建的，没有账号组。")
    return roles


def _audit(conn: Connection, operator: str, account: str, action: str, new: str | None) -> None:
    conn.execute(
        insert(m.AuditEntry).values(
            at=utcnow().replace(tzinfo=None),
            unit_id=None,
            operator=operator,
            source="setup",
            entity="server_account",
            entity_id=account,
            action=action,
            field=None,
            old_value=None,
            new_value=new,
        )
    )


def add_account(
    db: Database,
    account: str,
    kind: str,
    password: str,
    *,
    department: str | None = None,
    display_name: str = "",
    operator: str = "",
) -> AccountRow:
    """Creates a login account of one kind (a lead department's names its department)."""
    roles = _admin_roles(db)
    if not ACCOUNT_NAME.fullmatch(account):
        raise UserError(f"账号名“{account}”无效：请用2到40个小写字母、数字或下划线，以字母开头（如 zhangsan）。")
    if kind not in sec.KINDS:
        raise UserError(f"账号类型“{kind}”无效，应为 office（办公室）、department（牵头部门）或 readonly（只读）。")
    check_password(password)
    with db.engine.begin() as conn:
        department_id = None
        if kind == "department":
            if not department:
                raise UserError("牵头部门的账号须指明部门（--department 部门名称）。")
            department_id = conn.execute(select(m.Department.id).where(m.Department.name == department)).scalar()
            if department_id is None:
                names = "、".join(conn.execute(select(m.Department.name).order_by(m.Department.sort_order)).scalars())
                raise UserError(f"找不到部门“{department}”，可选：{names}。")
        elif department:
            raise UserError("只有牵头部门的账号才指明部门。")
        if conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": account}).first():
            raise UserError(f"服务器上已有账号“{account}”，请换一个账号名。")
        try:
            conn.exec_driver_sql(
                f"CREATE ROLE {sec.q(account)} LOGIN INHERIT PASSWORD "
                f"'{scram_verifier(password)}' IN ROLE {sec.q(roles.of(kind))}"
            )
        except ProgrammingError as exc:
            raise UserError(f"不能创建账号：{exc.orig}。请使用服务器管理员账号。") from None
        conn.execute(
            insert(m.ServerAccount).values(
                account=account,
                kind=kind,
                department_id=department_id,
                display_name=display_name.strip(),
                created_at=utcnow().replace(tzinfo=None),
            )
        )
        _audit(conn, operator, account, "create", f"{sec.KIND_LABELS[kind]}{('：' + department) if department else ''}")
    return next(a for a in list_accounts(db) if a.account == account)


def set_password(db: Database, account: str, password: str, *, operator: str = "") -> None:
    _admin_roles(db)
    check_password(password)
    with db.engine.begin() as conn:
        _known(conn, account)
        conn.exec_driver_sql(f"ALTER ROLE {sec.q(account)} PASSWORD '{scram_verifier(password)}'")
        _audit(conn, operator, account, "update", "重设密码")


def disable_account(db: Database, account: str, *, operator: str = "") -> None:
    """Stops an account from logging in (its audit rows keep its name)."""
    _admin_roles(db)
    with db.engine.begin() as conn:
        _known(conn, account)
        conn.execute(text(f"ALTER ROLE {sec.q(account)} NOLOGIN"))
        conn.execute(
            update(m.ServerAccount)
            .where(m.ServerAccount.account == account)
            .values(disabled_at=utcnow().replace(tzinfo=None))
        )
        _audit(conn, operator, account, "delete", "停用")


def _known(conn: Connection, account: str) -> None:
    if conn.execute(select(m.ServerAccount.account).where(m.ServerAccount.account == account)).first() is None:
        raise UserError(f"没有账号“{account}”（只能管理用 server account add 创建的账号）。")


def list_accounts(db: Database) -> list[AccountRow]:
    _admin_roles(db)
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT a.account, a.kind, d.name, a.display_name, a.created_at, a.disabled_at,"
                " COALESCE(r.rolcanlogin, false) FROM server_accounts a"
                " LEFT JOIN departments d ON d.id = a.department_id LEFT JOIN pg_roles r ON r.rolname = a.account"
                " ORDER BY a.kind, a.account"
            )
        ).all()
    return [AccountRow(*row) for row in rows]


def connected_account(db: Database) -> sec.Account | None:
    """Who this server database is open as; None for a SQLite file."""
    if not db.is_server:
        return None
    with db.engine.connect() as conn:
        return sec.account(conn)
