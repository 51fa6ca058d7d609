"""The audit trail: who changed which field of which record, when, from where.

Every ORM flush of a synced or reference record passes through `_audit_flush`, which bumps the
revision, stamps the record and writes audit rows; a session that changes such records without
an `Actor` in `session.info` fails loudly. What is audited and how is `db/audit_rules.py`, the
rule set bulk writers (demo data, Excel creations, the merge) follow too; `rows_for_create` gives
them the rows of created records."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from hengdong_desktop.db.audit_rules import snapshot, update_changes, update_stamp
from hengdong_desktop.db.models import (
    AUDITED_MODELS,
    ENTITY_MODELS,
    REFERENCE_MODELS,
    AuditEntry,
    Base,
    DomainNote,
    Synced,
    new_uuid,
)
from hengdong_desktop.db.types import utcnow

SOURCES = ("form", "excel", "merge", "reply", "cli", "demo", "setup", "reference", "package", "figures")


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


def entity_name(obj: Base) -> str:
    for name, model in ENTITY_MODELS.items():
        if type(obj) is model:
            return name
    if isinstance(obj, DomainNote):
        return "domain_note"
    return obj.__tablename__


def _values(obj: Base) -> dict[str, Any]:
    return {a.key: getattr(obj, a.key) for a in inspect(obj).mapper.column_attrs}


def _identity(obj: Base) -> str:
    ident = inspect(obj).identity
    if ident is not None:
        return ":".join(str(i) for i in ident)
    mapper = inspect(obj).mapper
    return ":".join(str(getattr(obj, str(c.key))) for c in mapper.primary_key)


def _entry(actor: Actor, obj: Any, action: str, field: str | None, old: str | None, new: str | None) -> AuditEntry:
    return AuditEntry(
        at=utcnow(),
        unit_id=actor.unit_id,
        operator=actor.operator,
        source=actor.source,
        entity=entity_name(obj),
        entity_id=_identity(obj),
        action=action,
        field=field,
        old_value=old,
        new_value=new,
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
        if isinstance(obj, Synced):
            obj.id = obj.id or new_uuid()
            obj.created_at = obj.created_at or now
            obj.updated_at = now
            obj.updated_by = obj.updated_by or actor.operator
            obj.revision = obj.revision or 1
    for obj in session.dirty:
        if not _tracked(obj) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            if hist.has_changes():
                before[attr.key] = hist.deleted[0] if hist.deleted else None
                after[attr.key] = hist.added[0] if hist.added else None
        if "deleted_at" in after and "deleted_reason" not in after:  # the reason goes with the tombstone
            before["deleted_reason"] = after["deleted_reason"] = obj.deleted_reason  # type: ignore[attr-defined]
        changes = update_changes(before, after)
        if not changes:
            continue
        if isinstance(obj, Synced):
            stamp = update_stamp(obj.revision, now, actor.operator)
            if "revision" in after:  # the writer set the revision itself
                del stamp["revision"]
            for key, value in stamp.items():
                setattr(obj, key, value)
        entries += [_entry(actor, obj, c.action, c.field, c.old, c.new) for c in changes]
    for obj in session.deleted:
        if isinstance(obj, Synced):
            raise RuntimeError("synced records are tombstoned, never deleted")
        if _tracked(obj):
            entries.append(_entry(actor, obj, "remove", None, snapshot(_values(obj)), None))
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
        entry = _entry(actor, obj, "create", None, None, snapshot(_values(obj)))
        rows.append({c.key: getattr(entry, c.key) for c in AuditEntry.__table__.columns if c.key != "id"})
    session.connection().execute(insert(AuditEntry), rows)


def rows_for_create(actor: Actor, entity: str, records: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Audit rows for records inserted in bulk (Core inserts bypass the flush hook)."""
    now = utcnow().replace(tzinfo=None)
    return [
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
            "new_value": snapshot(rec),
            "package_id": actor.package_id,
        }
        for rec in records
    ]
