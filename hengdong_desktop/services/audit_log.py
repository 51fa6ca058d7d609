"""Reading the audit trail for the audit viewer: this database's own log, and the log a unit
sent inside a merged 上报包 (kept compressed in the package ledger)."""

from __future__ import annotations

import json
import zlib
from typing import Any

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import datetime_in
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.services.packages.review import field_label

SOURCE_LABELS = {
    "form": "表单",
    "excel": "Excel导入",
    "merge": "合并",
    "reply": "下发包",
    "cli": "命令行",
    "demo": "演示数据",
    "setup": "初始化",
    "reference": "基础数据",
    "package": "数据包",
}
ACTION_LABELS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除标记",
    "restore": "恢复",
    "remove": "移除",
}


def _row(unit_names: dict[int, str], a: dict[str, Any]) -> dict[str, Any]:
    at = datetime_in(a["at"]) if isinstance(a["at"], str) else a["at"]  # a unit's log is as sent
    field = field_label(a["entity"], a["field"]) if a["field"] else ""
    return {
        "at": at,
        "unit": unit_names.get(a["unit_id"] or 0, ""),
        "operator": a["operator"],
        "source": SOURCE_LABELS.get(a["source"], a["source"]),
        "entity": ENTITY_LABELS.get(a["entity"], a["entity"]),
        "entity_id": a["entity_id"],
        "action": ACTION_LABELS.get(a["action"], a["action"]),
        "field": field,
        "old": a["old_value"] or "",
        "new": a["new_value"] or "",
        "package_id": a["package_id"] or "",
    }


def entries(
    db: Database, *, source: str | None = None, package_id: str | None = None, limit: int = 1000
) -> list[dict[str, Any]]:
    """The newest entries of this database's audit log, optionally of one source or package."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        table = m.AuditEntry.__table__
        stmt = select(table).order_by(table.c.id.desc()).limit(limit)
        if source:
            stmt = stmt.where(table.c.source == source)
        if package_id:
            stmt = stmt.where(table.c.package_id == package_id)
        return [_row(names, dict(r)) for r in s.execute(stmt).mappings()]


def unit_entries(db: Database, package_id: str, limit: int = 5000) -> list[dict[str, Any]]:
    """The unit's own audit log as carried by a merged package (its newest entries first)."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        entry = s.get(m.PackageEntry, package_id)
        if entry is None or entry.unit_audit is None:
            return []
        rows = json.loads(zlib.decompress(entry.unit_audit))
    return [_row(names, r) for r in reversed(rows[-limit:])]


def merged_packages(db: Database) -> list[tuple[str, str]]:
    """(package id, label) of every merged 上报包, newest first, for the viewer's chooser."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        return [
            (e.id, f"{names.get(e.unit_id, '')} 第{e.sequence}号（{e.period or ''}）")
            for e in s.scalars(
                select(m.PackageEntry)
                .where(m.PackageEntry.direction == "in", m.PackageEntry.kind == "report")
                .order_by(m.PackageEntry.processed_at.desc())
            )
        ]
