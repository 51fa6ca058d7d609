"""Records written under an older data schema, brought to this one in memory before anything
checks them (Electrum's way with old wallet files): a package of schema version 1 or 2 still merges.

Schema 1 → 2 (the time model, migration 0004): an enterprise's yearless 上年产值, 上年营业收入,
上年税收 and 从业人员 become its `enterprise_annual` row of the year before they were entered (the
unit's audit log in the package says when; else the enterprise's creation), and each project
gets its first `project_stage` row (its status from the month it was entered) and an empty
状态日期. Ids are those the migration gives, so a township and the county make the same records.

Schema 2 → 3 (the project lifecycle, migration 0006): a project's yearless 本年计划投资 becomes its
`project_annual` plan for the year it was entered (the unit's audit log says when; else the
project's creation); the fields added to projects, their monthly figures and problems are empty;
there are no photos.

Schema 3 → 4 (running the programme, migration 0008_programme): problems get a 交办日期 — the day they were
raised when they already name their department, as the migration does —; memberships get an
empty 认定单位或文件; there are no 一企一策 measures.

Only well-formed records are touched: anything else is left for the strict reader to refuse."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

NAMESPACE = uuid.UUID("5d0b3e1c-8f0a-4c7e-9a55-2f6c1d1e0d13")  # = migration 0004's
LEGACY_FIELDS = ("last_year_output", "last_year_revenue", "last_year_tax", "employees")
ANNUAL_OF_LEGACY = {
    "last_year_output": "output",
    "last_year_revenue": "revenue",
    "last_year_tax": "tax",
    "employees": "employees",
}
CHINA = timedelta(hours=8)
CURRENT_SCHEMA = 4
# Fields schema 3 added, empty in records of older packages.
ADDED_FIELDS = {
    "data/project.json": (
        "chain_id",
        "chain_role",
        "park_infrastructure",
        "co_innovation",
        "planned_production",
        "expected_output",
        "expected_tax",
        "status_reason",
        "signed_on",
        "signing_party",
        "contract_investment",
        "investment_source",
        "task_force",
        "agent",
        "agent_phone",
    ),
    "data/project_monthly.json": ("funds_month", "funds_cumulative", "output_ytd", "tax_ytd"),
    "data/problem.json": ("deadline",),
}
_BOOKKEEPING = ("unit_id", "revision", "created_at", "updated_at", "updated_by")


def annual_id(enterprise_id: str, year: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{enterprise_id}:annual:{year}"))


def stage_id(project_id: str, period: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project_id}:stage:{period}"))


def plan_id(project_id: str, year: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project_id}:plan:{year}"))


def _china(text: Any) -> datetime | None:
    """A package time ('…T…Z', UTC) in China time; None if it is not one."""
    if not isinstance(text, str) or not text.endswith("Z"):
        return None
    try:
        return datetime.fromisoformat(text[:-1]) + CHINA
    except ValueError:
        return None


def _last_changes(audit: Iterable[Any], entity: str, fields: Iterable[str]) -> dict[str, str]:
    """record id → when the unit's audit log last saw one of `fields` of an `entity` change."""
    out: dict[str, str] = {}
    wanted = set(fields)
    for row in audit:
        if (
            isinstance(row, dict)
            and row.get("entity") == entity
            and row.get("action") == "update"
            and row.get("field") in wanted
            and isinstance(row.get("entity_id"), str)
            and isinstance(row.get("at"), str)
        ):
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
    audit_rows = audit if isinstance(audit, list) else []
    if schema_version < 2:
        data.setdefault(
            "data/enterprise_annual.json",
            upgrade_enterprises(enterprises, _last_changes(audit_rows, "enterprise", LEGACY_FIELDS)),
        )
        data.setdefault("data/project_stage.json", upgrade_projects(projects))
    if schema_version < 3:
        data.setdefault(
            "data/project_annual.json",
            upgrade_plans(projects, _last_changes(audit_rows, "project", ("year_plan_investment",))),
        )
        data.setdefault("data/project_photo.json", [])
        for path, names in ADDED_FIELDS.items():
            for rec in data.get(path) or ():
                if isinstance(rec, dict):
                    for name in names:
                        rec.setdefault(name, None)
    data.setdefault("data/support_measure.json", [])
    for rec in data.get("data/membership.json") or ():
        if isinstance(rec, dict):
            rec.setdefault("decided_by", None)
    for rec in data.get("data/problem.json") or ():
        if isinstance(rec, dict) and "assigned_on" not in rec:
            rec["assigned_on"] = rec.get("raised_on") if rec.get("department") else None


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
        annual.append(
            {
                "id": annual_id(rec["id"], year),
                "enterprise_id": rec["id"],
                "year": year,
                **{ANNUAL_OF_LEGACY[k]: v for k, v in legacy.items()},
                **{k: rec[k] for k in _BOOKKEEPING},
                "deleted_at": None,
                "deleted_reason": None,
            }
        )
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
        stages.append(
            {
                "id": stage_id(rec["id"], period),
                "project_id": rec["id"],
                "period": period,
                "status": rec["status"],
                "reached_on": None,
                "reason": None,
                **{k: rec[k] for k in _BOOKKEEPING},
                "deleted_at": None,
                "deleted_reason": None,
            }
        )
    return stages


def upgrade_plans(records: list[Any], changed: Mapping[str, str]) -> list[dict[str, Any]]:
    """Schema 2 → 3: each project's 本年计划投资 becomes its plan for the year it was entered in."""
    plans: list[dict[str, Any]] = []
    for rec in records:
        if not isinstance(rec, dict) or "year_plan_investment" not in rec:
            continue
        plan = rec.pop("year_plan_investment")
        if plan is None or not all(k in rec for k in ("id", *_BOOKKEEPING)) or not isinstance(rec["id"], str):
            continue
        entered = _china(changed.get(rec["id"]) or rec["created_at"])
        if entered is None:
            continue
        plans.append(
            {
                "id": plan_id(rec["id"], entered.year),
                "project_id": rec["id"],
                "year": entered.year,
                "plan_investment": plan,
                **{k: rec[k] for k in _BOOKKEEPING},
                "deleted_at": None,
                "deleted_reason": None,
            }
        )
    return plans
