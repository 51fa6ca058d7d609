"""The audit rules, one set for every writer: the ORM flush hook (`db/audit.py`) and the bulk
paths that write rows themselves (demo data, Excel creations, the county merge).

- Bookkeeping columns (revision, created/updated at and by) are never audited; every other
  column is, written as text by `audit_value`.
- A created record is one "create" row whose new value is a snapshot of its data columns (the
  county merge leaves the snapshot out: the unit's own create rows, snapshot included, arrive in
  the package's audit log, which the ledger keeps).
- An updated record is one "update" row per changed data column, except that setting or lifting
  its tombstone (`deleted_at`) is one "delete" or "restore" row carrying the reason instead of
  rows for `deleted_at` and `deleted_reason`.
- An update raises the revision by one and stamps when and by whom (`update_stamp`)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

BOOKKEEPING = frozenset({"revision", "created_at", "updated_at", "updated_by"})
TOMBSTONE = ("deleted_at", "deleted_reason")


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


def audited(column: str) -> bool:
    return column not in BOOKKEEPING


def snapshot(values: Mapping[str, Any]) -> str:
    """The new value of a "create" row: the record's data columns (not its id), as JSON."""
    return json.dumps(
        {k: audit_value(v) for k, v in values.items() if audited(k) and k not in TOMBSTONE and k != "id"},
        ensure_ascii=False,
    )


@dataclass(frozen=True)
class AuditChange:
    """One audit row of an update, before who and when are added."""

    action: str  # "update", "delete" or "restore"
    field: str
    old: str | None
    new: str | None


def update_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[AuditChange]:
    """The audit rows of one record's update. `after` holds the columns that may have changed
    (and, when the tombstone changes, the reason); `before` their earlier values."""
    changed = [k for k in after if audited(k) and audit_value(before.get(k)) != audit_value(after[k])]
    rows = []
    if "deleted_at" in changed:
        deleting = after["deleted_at"] is not None
        reason = after.get("deleted_reason", before.get("deleted_reason"))
        rows.append(
            AuditChange(
                "delete" if deleting else "restore",
                "deleted_reason",
                None if deleting else audit_value(before.get("deleted_reason")),
                audit_value(reason) if deleting else None,
            )
        )
        changed = [k for k in changed if k not in TOMBSTONE]
    rows += [AuditChange("update", k, audit_value(before.get(k)), audit_value(after[k])) for k in changed]
    return rows


def update_stamp(revision: int | None, now: datetime, operator: str) -> dict[str, Any]:
    """The bookkeeping columns of an updated record."""
    return {"revision": (revision or 0) + 1, "updated_at": now, "updated_by": operator}
