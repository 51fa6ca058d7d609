"""Creating a unit's or the county's database and reading who this database belongs to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from hengdong_desktop import platform_security
from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import Database, open_database
from hengdong_desktop.domain import reference as r
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import keys
from hengdong_desktop.services import reference as reference_service

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

    @property
    def is_county(self) -> bool:
        return self.role == COUNTY

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def actor(self, source: str, *, package_id: str | None = None, operator: str | None = None) -> Actor:
        return Actor(self.unit_id, operator or self.operator, source, package_id)


def init_database(
    path: str | Path,
    role: str,
    unit: str | None = None,
    operator: str = "",
    *,
    reference_file: Path | None = None,
    key_passphrase: str | None = None,
) -> DatabaseInfo:
    """Creates and seeds a new database for a township unit or for the county office, with its
    own signing key pair (private key beside the file, see services/keys.py)."""
    path = Path(path).expanduser()
    if role not in ROLE_LABELS:
        raise UserError(f"角色“{role}”无效，应为 township（乡镇填报）或 county（县级汇总）。")
    ref, targets = r.load_file(reference_file or r.default_file())
    if role == TOWNSHIP:
        if not unit:
            raise UserError("乡镇填报须指定填报单位（--unit 单位名称或代码）。")
        chosen = ref.find_unit(unit)
        if chosen is None or chosen.id == ref.county.id:
            names = "、".join(u.name for u in ref.units)
            raise UserError(f"找不到填报单位“{unit}”，可选：{names}。")
    else:
        chosen = ref.county
    if path.exists() and path.stat().st_size > 0:
        db = open_database(path)
        try:
            if db.meta().get("role"):
                raise UserError(f"数据库“{path}”已经初始化，不能重复初始化。")
        finally:
            db.close()
    keys.refuse_existing_key(path)  # never take over another database's key file
    db = open_database(path, create=True)
    platform_security.protect(path)  # the journal files SQLite makes beside it follow (POSIX)
    try:
        operator = (operator or "").strip()
        with db.write(Actor(chosen.id, operator, "setup")) as s:
            reference_service.seed(s, ref, targets)
            for key, value in {
                "role": role,
                "unit_id": str(chosen.id),
                "operator": operator,
                "database_id": str(uuid.uuid4()),
            }.items():
                s.add(m.Meta(key=key, value=value))
        keys.new_key(db, key_passphrase)
        return read_info(db)
    finally:
        db.close()


def read_info(db: Database) -> DatabaseInfo:
    with db.read() as s:
        meta = {x.key: x.value for x in s.scalars(select(m.Meta))}
        if "role" not in meta:
            raise UserError(f"数据库“{db.path.name}”尚未初始化，请先运行设置向导或 init 命令。")
        unit = s.get(m.Unit, int(meta["unit_id"]))
        assert unit is not None
        return DatabaseInfo(
            role=meta["role"],
            unit_id=unit.id,
            unit_name=unit.name,
            operator=meta.get("operator", ""),
            database_id=meta["database_id"],
            reference_version=int(meta.get(reference_service.META_REFERENCE_VERSION, "0")),
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
    info = read_info(db)
    with db.write(info.actor("form", operator=operator)) as s:
        s.merge(m.Meta(key="operator", value=operator.strip()))
