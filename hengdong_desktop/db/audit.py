"""The audit trail: who changed which field of which record, when, from where.

Every ORM flush of a synced or reference record passes through `_audit_flush`, which bumps the
revision, stamps the record and writes audit rows; a session that changes such records without
an `Actor` in `session.info` fails loudly. Bulk writers (demo data, merge) call `rows_for_create`
and write the same rows themselves."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from hengdong_desktop.db.models import (
    AUDITED_MODELS,
    REFERENCE_MODELS,
    AuditEntry,
    Base,
    Synced,
)
from hengdong_desktop.db.types import utcnow

SOURCES = ("form", "excel", "merge", "reply", "cli", "demo", "setup", "reference", "package", "figures")
_BOOKKEEPING = {"revision", "created_at", "updated_at", "updated_by", "deleted_at", "deleted_reason"}


@dataclass(frozen=True)
class Actor:
    """Who is writing: the unit whose database this is, the operator, and the source of the change."""

    unit_id: int | None
    operator: str
    source: str
    package_id: str | None = None

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown audit source {self.source!r}")


def set_actor(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def audit_value(value: Any) -> str | None:
    """The text form of a value in the audit log."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes):  # a picture: the log says which, not what
        return f"[{len(value)}字节 SHA-256 {hashlib.sha256(value).hexdigest()[:16]}]"
    return str(value)


def entity_name(obj: Base) -> str:
    from hengdong_desktop.db.models import ENTITY_MODELS

    for name, model in ENTITY_MODELS.items():
        if type(obj) is model:
            return name
    return obj.__tablename__


def _data_columns(obj: Base) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in _BOOKKEEPING]


def record_snapshot(obj: Base) -> dict[str, str | None]:
    return {k: audit_value(getattr(obj, k)) for k in _data_columns(obj) if k != "id"}


def _identity(obj: Base) -> str:
    ident = inspect(obj).identity
    if ident is not None:
        return ":".join(str(i) for i in ident)
    mapper = inspect(obj).mapper
    return ":".join(str(getattr(obj, str(c.key))) for c in mapper.primary_key)


def _entry(actor: Actor, obj: Any, action: str, field: str | None, old: Any, new: Any) -> AuditEntry:
    return AuditEntry(
        at=utcnow(),
        unit_id=actor.unit_id,
        operator=actor.operator,
        source=actor.source,
        entity=entity_name(obj),
        entity_id=_identity(obj),
        action=action,
        field=field,
        old_value=old if isinstance(old, str) or old is None else audit_value(old),
        new_value=new if isinstance(new, str) or new is None else audit_value(new),
        package_id=actor.package_id,
    )


def _tracked(obj: object) -> bool:
    return isinstance(obj, (Synced, *REFERENCE_MODELS, *AUDITED_MODELS))


@event.listens_for(Session, "before_flush")
def _audit_flush(session: Session, flush_context: Any, instances: Any) -> None:
    changed = [o for o in (*session.new, *session.dirty, *session.deleted) if _tracked(o)]
    if not changed:
        return
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise RuntimeError("a tracked record changed without an Actor in session.info")
    now = utcnow()
    entries: list[AuditEntry] = []
    for obj in session.new:
        if not _tracked(obj):
            continue
        if isinstance(obj, Synced):
            if obj.id is None:
                from hengdong_desktop.db.models import new_uuid

                obj.id = new_uuid()
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.updated_by = obj.updated_by or actor.operator
            obj.revision = obj.revision or 1
    for obj in session.dirty:
        if not _tracked(obj) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        diffs: list[tuple[str, Any, Any]] = []
        explicit_revision = False
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if attr.key == "revision":
                explicit_revision = True
            if attr.key in _BOOKKEEPING - {"deleted_at", "deleted_reason"}:
                continue
            if audit_value(old) != audit_value(new):
                diffs.append((attr.key, old, new))
        if not diffs:
            continue
        if isinstance(obj, Synced):
            keys = {k for k, _, _ in diffs}
            if "deleted_at" in keys:
                deleting = obj.deleted_at is not None
                action = "delete" if deleting else "restore"
                entries.append(_entry(actor, obj, action, "deleted_reason",
                                      None if deleting else _old(diffs, "deleted_reason"),
                                      obj.deleted_reason if deleting else None))
                diffs = [d for d in diffs if d[0] not in ("deleted_at", "deleted_reason")]
            if not explicit_revision:
                obj.revision = (obj.revision or 0) + 1
            obj.updated_at = now
            obj.updated_by = actor.operator
        for key, old, new in diffs:
            entries.append(_entry(actor, obj, "update", key, old, new))
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise RuntimeError("synced records are tombstoned, never deleted")
        if _tracked(obj):
            entries.append(_entry(actor, obj, "remove", None,
                                  json.dumps(record_snapshot(obj), ensure_ascii=False), None))
    session.add_all(entries)


@event.listens_for(Session, "after_flush")
def _audit_creations(session: Session, flush_context: Any) -> None:
    """Creations are logged after the flush, when auto-increment keys are known."""
    created = [o for o in session.new if _tracked(o)]
    if not created:
        return
    actor: Actor = session.info["actor"]
    rows = []
    for obj in created:
        entry = _entry(actor, obj, "create", None, None, json.dumps(record_snapshot(obj), ensure_ascii=False))
        rows.append({c.key: getattr(entry, c.key) for c in AuditEntry.__table__.columns if c.key != "id"})
    session.connection().execute(insert(AuditEntry), rows)


def _old(diffs: list[tuple[str, Any, Any]], key: str) -> Any:
    return next((old for k, old, _ in diffs if k == key), None)


def rows_for_create(
    actor: Actor, entity: str, records: Iterable[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Audit rows for records inserted in bulk (Core inserts bypass the flush hook)."""
    now = utcnow().replace(tzinfo=None)
    rows = []
    for rec in records:
        snapshot = {
            k: audit_value(v) for k, v in rec.items() if k not in _BOOKKEEPING and k != "id"
        }
        rows.append(
            {
                "at": now,
                "unit_id": actor.unit_id,
                "operator": actor.operator,
                "source": actor.source,
                "entity": entity,
                "entity_id": rec["id"],
                "action": "create",
                "field": None,
                "old_value": None,
                "new_value": json.dumps(snapshot, ensure_ascii=False),
                "package_id": actor.package_id,
            }
        )
    return rows
