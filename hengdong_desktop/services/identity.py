"""Who a database belongs to: its role (乡镇填报 or 县级汇总), unit, operator and id, read from
its `app_meta` facts. Every service asks here; nothing here knows about keys or packages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import Database, open_database
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.reference import META_REFERENCE_VERSION
from hengdong_desktop.services.training import META_TRAINING

TOWNSHIP = "township"
COUNTY = "county"
ROLE_LABELS = {TOWNSHIP: "乡镇填报", COUNTY: "县级汇总"}


@dataclass(frozen=True)
class DatabaseInfo:
    """Whose database this is."""

    role: str
    unit_id: int
    unit_name: str
    operator: str
    database_id: str
    reference_version: int
    training: bool = False  # a 培训/演示 database (services/training.py)
    # On a server database: the login account and its kind (office / department / readonly;
    # None for the server's administrator), and the departments a department account answers for.
    account: str | None = None
    account_kind: str | None = None
    department_ids: tuple[int, ...] = ()

    @property
    def is_county(self) -> bool:
        return self.role == COUNTY

    @property
    def may_write_all(self) -> bool:
        """Whether this account may change everything (a file's user always may)."""
        return self.account_kind in (None, "office")

    @property
    def account_label(self) -> str:
        """The account as the status bar names it: “zhangsan（牵头部门）”; "" for a file."""
        if self.account is None:
            return ""
        from hengdong_desktop.db.server_security import KIND_LABELS

        return f"{self.account}（{KIND_LABELS.get(self.account_kind or '', '管理员')}）"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def actor(self, source: str, *, package_id: str | None = None, operator: str | None = None) -> Actor:
        return Actor(self.unit_id, operator or self.operator, source, package_id)


def read_info(db: Database) -> DatabaseInfo:
    """Whose database this is. On a server database the operator is the connected account's
    user (as `server account add --name` recorded it, else the account's name), since several
    officers share it; the server's administrator (no account row) is the operator of `init`."""
    with db.read() as s:
        meta = {x.key: x.value for x in s.scalars(select(m.Meta))}
        if "role" not in meta:
            raise UserError(f"数据库“{db.name}”尚未初始化，请先运行设置向导或 init 命令。")
        unit = s.get(m.Unit, int(meta["unit_id"]))
        assert unit is not None
        operator = meta.get("operator", "")
        account = None
        if db.is_server:
            from hengdong_desktop.db import server_security

            account = server_security.account(s.connection())
            row = s.get(m.ServerAccount, account.name)
            if row is not None:
                operator = row.display_name or account.name
        return DatabaseInfo(
            role=meta["role"],
            unit_id=unit.id,
            unit_name=unit.name,
            operator=operator,
            database_id=meta["database_id"],
            reference_version=int(meta.get(META_REFERENCE_VERSION, "0")),
            training=meta.get(META_TRAINING) == "1",
            account=account.name if account else None,
            account_kind=account.kind if account else None,
            department_ids=account.department_ids if account else (),
        )


def open_initialized(path: str | Path, *, read_only: bool = False) -> tuple[Database, DatabaseInfo]:
    """Opens an existing, initialised database (migrating it if needed, unless `read_only`)."""
    db = open_database(path, read_only=read_only)
    try:
        return db, read_info(db)
    except Exception:
        db.close()
        raise


def set_operator(db: Database, operator: str) -> None:
    if db.is_server:
        raise UserError("服务器数据库记录登录账号及其使用人姓名，由服务器管理员在账号中设定（server account）。")
    info = read_info(db)
    with db.write(info.actor("form", operator=operator)) as s:
        s.merge(m.Meta(key="operator", value=operator.strip()))
