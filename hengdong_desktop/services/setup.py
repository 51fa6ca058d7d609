"""Creating a unit's or the county's database (reference data, identity facts, signing keys).
Who a database belongs to is read by services/identity.py."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import open_database
from hengdong_desktop.db.location import is_server_url
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import reference as reference_service
from hengdong_desktop.services.identity import (  # noqa: F401 - callers still import these from here
    COUNTY,
    ROLE_LABELS,
    TOWNSHIP,
    DatabaseInfo,
    open_initialized,
    read_info,
    set_operator,
)
from hengdong_desktop.services.training import mark_training

if TYPE_CHECKING:
    from hengdong_desktop.services.packages import keys  # cryptography: loaded when a database is made


def init_database(
    path: str | Path,
    role: str,
    unit: str | None = None,
    operator: str = "",
    *,
    reference_file: Path | None = None,
    key_passphrase: str | None = None,
    county_identity: keys.CountyIdentity | None = None,
    training: bool = False,
    start_period: str | None = None,
) -> DatabaseInfo:
    """Creates and seeds a new database for a township unit or for the county office, with its
    own key pair (private key beside the file, see services/packages/keys.py). A township
    given the county's identity — its fingerprint confirmed by phone — trusts that key. Every
    unit must report from `start_period` (启用期; default: the period reported this month). A
    `training` database is marked 培训/演示 for good. `path` may be a server database's URL
    (county only; the database made by `hengdong server init`)."""
    from hengdong_desktop.services.packages import keys

    server = is_server_url(path)
    if server and role != COUNTY:
        raise UserError("服务器数据库只能用作县级汇总数据库；乡镇填报数据库是本机的SQLite文件。")
    start_period = start_period or periods.last_completed()
    if not periods.is_period(start_period):
        raise UserError(f"启用期“{start_period}”无效，应为YYYY-MM，如2025-03。")
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
    if server:
        db = open_database(path)
        try:
            if db.meta().get("role"):
                raise UserError(f"数据库“{db.location}”已经初始化，不能重复初始化。")
            keys.refuse_existing_key(db.path)  # the key file this computer keeps for it
        except BaseException:
            db.close()
            raise
    else:
        path = Path(path).expanduser()
        if path.exists() and path.stat().st_size > 0:
            db = open_database(path)
            try:
                if db.meta().get("role"):
                    raise UserError(f"数据库“{path}”已经初始化，不能重复初始化。")
            finally:
                db.close()
        keys.refuse_existing_key(path)  # never take over another database's key file
        db = open_database(path, create=True)
    try:
        operator = (operator or "").strip()
        with db.write(Actor(chosen.id, operator, "setup")) as s:
            reference_service.seed(s, ref, targets, start_period=start_period)
            if training:
                mark_training(s)
            for key, value in {
                "role": role,
                "unit_id": str(chosen.id),
                "operator": operator,
                "database_id": str(uuid.uuid4()),
            }.items():
                s.add(m.Meta(key=key, value=value))
        keys.new_key(db, key_passphrase)
        if county_identity is not None and role == TOWNSHIP:
            keys.pin_county(db, county_identity, fingerprint=county_identity.fingerprint)
        return read_info(db)
    finally:
        db.close()
