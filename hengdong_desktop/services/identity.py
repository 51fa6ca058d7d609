"""Who a database belongs to: its role (乡镇填报 or 县级汇总), unit, operator and id, read from
its `app_meta` facts. Every service asks here; nothing here knows about keys or packages."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database, open_database
from hengdong_desktop.domain.owner import (  # noqa: F401 - callers import these from here
    COUNTY,
    ROLE_LABELS,
    TOWNSHIP,
    DatabaseInfo,
    from_facts,
)
from hengdong_desktop.errors import UserError


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
        if not db.is_server:
            return from_facts(meta, unit.name)
        from hengdong_desktop.db import server_security

        account = server_security.account(s.connection())
        row = s.get(m.ServerAccount, account.name)
        return from_facts(
            meta,
            unit.name,
            operator=(row.display_name or account.name) if row is not None else None,
            account=account.name,
            account_kind=account.kind,
            department_ids=account.department_ids,
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
