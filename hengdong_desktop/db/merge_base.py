"""The merge base of a unit's record: what the unit last sent, kept only while it differs from
this database's current record.

The county merges each package three-way (base / county / unit). After a merge the county's
record usually equals what the unit sent, so no base is stored. The first time the county then
edits such a record through the ORM, the record's state before that edit — exactly what the
unit sent — is saved here, so the next package can tell the county's changes from the unit's."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session

from hengdong_desktop.db.audit import entity_name
from hengdong_desktop.db.codec import table_codec
from hengdong_desktop.db.models import MergeBase, Synced

# Bookkeeping that the merge does not compare field by field.
NOT_MERGED = frozenset({"id", "unit_id", "revision", "created_at", "updated_at", "updated_by"})


def merged_fields(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in NOT_MERGED]


def base_text(table: Table, encoded: dict[str, Any]) -> str:
    return json.dumps({k: encoded[k] for k in merged_fields(table)}, ensure_ascii=False, separators=(",", ":"))


@event.listens_for(Session, "before_flush")
def _capture_base(session: Session, _flush_context: Any, _instances: Any) -> None:
    actor = session.info.get("actor")
    if actor is None:
        return
    for obj in list(session.dirty):
        # Only another unit's record (this is the county) changed here, not by the merge itself.
        if not isinstance(obj, Synced) or obj.unit_id == actor.unit_id or actor.source == "merge":
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        with session.no_autoflush:
            if session.get(MergeBase, obj.id) is not None:
                continue
        state = inspect(obj)
        before: dict[str, Any] = {}
        for attr in state.mapper.column_attrs:
            hist = state.attrs[attr.key].history
            before[attr.key] = hist.deleted[0] if hist.deleted else getattr(obj, attr.key)
        table = obj.__table__  # type: ignore[attr-defined]
        session.add(
            MergeBase(
                record_id=obj.id,
                entity=entity_name(obj),  # type: ignore[arg-type]
                data=base_text(table, table_codec(table).encode(before)),
            )
        )
