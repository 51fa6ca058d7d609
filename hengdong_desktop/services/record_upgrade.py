"""Records written under an older data schema, brought to this one in memory before anything
checks them (Electrum's way with old wallet files): a package of schema version 1 still merges.

Schema 1 → 2 (the time model, migration 0004): an enterprise's yearless 上年产值, 上年营业收入,
上年税收 and 从业人员 become its `enterprise_annual` row of the year before they were entered (the
unit's audit log in the package says when; else the enterprise's creation), and each project
gets its first `project_stage` row (its status from the month it was entered) and an empty
状态日期. Ids are those the migration gives, so a township and the county make the same records.

Only well-formed records are touched: anything else is left for the strict reader to refuse."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

NAMESPACE = uuid.UUID("5d0b3e1c-8f0a-4c7e-9a55-2f6c1d1e0d13")  # = migration 0004's
LEGACY_FIELDS = ("last_year_output", "last_year_revenue", "last_year_tax", "employees")
ANNUAL_OF_LEGACY = {"last_year_output": "output", "last_year_revenue": "revenue", "last_year_tax": "tax",
                    "employees": "employees"}
CHINA = timedelta(hours=8)
CURRENT_SCHEMA = 2
_BOOKKEEPING = ("unit_id", "revision", "created_at", "updated_at", "updated_by")


def annual_id(enterprise_id: str, year: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{enterprise_id}:annual:{year}"))


def stage_id(project_id: str, period: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project_id}:stage:{period}"))


def _china(text: Any) -> datetime | None:
    """A package time ('…T…Z', UTC) in China time; None if it is not one."""
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text[:-1]) + CHINA
    except ValueError:
        return None


def _last_changes(audit: Iterable[Any]) -> dict[str, str]:
    """enterprise id → when the unit's audit log last saw one of its 上年 fields change."""
    out: dict[str, str] = {}
    for row in audit:
        if (isinstance(row, dict) and row.get("entity") == "enterprise" and row.get("action") == "update"
                and row.get("field") in LEGACY_FIELDS and isinstance(row.get("entity_id"), str)
                and isinstance(row.get("at"), str)):
            out[row["entity_id"]] = max(out.get(row["entity_id"], ""), row["at"])
    return out


def upgrade_report(data: dict[str, Any], schema_version: int, *, audit_path: str = "data/audit.json") -> None:
    """Brings the data files of a received 上报包 (path → parsed JSON) to the current schema, in place."""
    if schema_version >= CURRENT_SCHEMA:
        return
    enterprises = data.get("data/enterprise.json")
    projects = data.get("data/project.json")
    if not isinstance(enterprises, list) or not isinstance(projects, list):
        return  # the reader refuses the package for its missing files
    audit = data.get(audit_path)
    data.setdefault("data/enterprise_annual.json", upgrade_enterprises(
        enterprises, _last_changes(audit if isinstance(audit, list) else ())))
    data.setdefault("data/project_stage.json", upgrade_projects(projects))


def upgrade_enterprises(records: list[Any], changed: Mapping[str, str]) -> list[dict[str, Any]]:
    annual: list[dict[str, Any]] = []
    for rec in records:
        if not isinstance(rec, dict) or not all(k in rec for k in LEGACY_FIELDS):
            continue
        legacy = {k: rec.pop(k) for k in LEGACY_FIELDS}
        if all(v is None for v in legacy.values()) or not all(k in rec for k in ("id", *_BOOKKEEPING)):
            continue
        entered = _china(changed.get(rec["id"]) or rec["created_at"])
        if entered is None or not isinstance(rec["id"], str):
            continue
        year = entered.year - 1
        annual.append({
            "id": annual_id(rec["id"], year), "enterprise_id": rec["id"], "year": year,
            **{ANNUAL_OF_LEGACY[k]: v for k, v in legacy.items()},
            **{k: rec[k] for k in _BOOKKEEPING}, "deleted_at": None, "deleted_reason": None,
        })
    return annual


def upgrade_projects(records: list[Any]) -> list[dict[str, Any]]:
    stages: list[dict[str, Any]] = []
    for rec in records:
        if not isinstance(rec, dict) or "status_since" in rec:
            continue
        rec["status_since"] = None
        if not all(k in rec for k in ("id", "status", *_BOOKKEEPING)) or not isinstance(rec["id"], str):
            continue
        entered = _china(rec["created_at"])
        if entered is None:
            continue
        period = f"{entered.year:04d}-{entered.month:02d}"
        stages.append({
            "id": stage_id(rec["id"], period), "project_id": rec["id"], "period": period, "status": rec["status"],
            "reached_on": None, "reason": None,
            **{k: rec[k] for k in _BOOKKEEPING}, "deleted_at": None, "deleted_reason": None,
        })
    return stages
