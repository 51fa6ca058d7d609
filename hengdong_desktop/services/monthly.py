"""月度调度: the period's grid of figures for a unit's enterprises or projects.

Loads the grid (each row with last month's figures, which the rules compare against), checks a
row as the clerk types, suggests 累计 from last month's 累计 plus 本月, saves the edited rows in one
transaction. Whether the data is ready to report is services/readiness.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITIES
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.entry import Checked, Refused, assign, coerce_and_check, store_explanation
from hengdong_desktop.services.reference import load as load_reference
from hengdong_desktop.services.setup import DatabaseInfo


@dataclass(frozen=True)
class GridKind:
    """The two grids: enterprises with their figures, projects with their investment."""

    key: str
    owner: type[m.Synced]
    monthly: type[m.Synced]
    entity: str  # the monthly entity of the rule engine
    owner_key: str
    required: tuple[str, ...]  # figures whose absence makes a row “没有填报”

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(f.name for f in ENTITIES[self.entity] if f.name != "period")


ENTERPRISE = GridKind(
    "enterprise",
    m.Enterprise,
    m.EnterpriseMonthly,
    "enterprise_monthly",
    "enterprise_id",
    ("output_month", "output_ytd", "revenue_month", "revenue_ytd", "tax_ytd", "employees_end"),
)
PROJECT = GridKind(
    "project",
    m.Project,
    m.ProjectMonthly,
    "project_monthly",
    "project_id",
    ("invest_month", "invest_cumulative", "invest_ytd"),
)
KINDS = {k.key: k for k in (ENTERPRISE, PROJECT)}

# 累计 field → (the 本月 field it adds up, whether it carries over the year end)
SUGGESTED: dict[str, dict[str, tuple[str, bool]]] = {
    "enterprise": {"output_ytd": ("output_month", False), "revenue_ytd": ("revenue_month", False)},
    "project": {"invest_cumulative": ("invest_month", True), "invest_ytd": ("invest_month", False)},
}


@dataclass
class GridRow:
    owner_id: str
    name: str
    unit_id: int
    record_id: str | None  # None: nothing stored for this period yet
    values: dict[str, Any]
    previous: dict[str, Any] | None = None  # last month's figures, with "period"
    parent: dict[str, Any] | None = None  # a project's own fields (总投资, 项目状态)
    explanations: dict[str, str] = field(default_factory=dict)  # rule id → text
    expected: bool = True  # whether the row must report this period
    findings: list[Finding] = field(default_factory=list)  # of the stored figures
    revision: int | None = None  # of the stored row, None when there is none
    stage: str | None = None  # a project's status as of the period (its status history), shown beside it


@dataclass
class Grid:
    kind: str
    period: str
    rows: list[GridRow]


@dataclass(frozen=True)
class RowEdit:
    """What the clerk changed in one row: raw values by field, the row's 说明 (None: unchanged),
    and the stored row's revision when the grid was loaded (None: there was none), so an edit
    made meanwhile by someone else is not overwritten (NOT_CHECKED: don't check)."""

    owner_id: str
    raw: Mapping[str, object]
    explanation: str | None = None
    revision: int | None = -1


NOT_CHECKED = -1


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def _monthly_rows(session: Session, kind: GridKind, period: str, unit_id: int | None) -> dict[str, dict[str, Any]]:
    t = kind.monthly.__table__  # type: ignore[attr-defined]
    stmt = select(t).where(t.c.period == period, t.c.deleted_at.is_(None))
    if unit_id is not None:
        stmt = stmt.where(t.c.unit_id == unit_id)
    return {r[kind.owner_key]: dict(r) for r in session.execute(stmt).mappings()}


def load_grid(db: Database, kind_key: str, period: str, unit_id: int | None) -> Grid:
    """Every live enterprise (or project) of the unit, all units for None, with its figures."""
    periods.parse(period)
    kind = KINDS[kind_key]
    owner = kind.owner.__table__  # type: ignore[attr-defined]
    with db.read() as s:
        ref = load_reference(s)
        implemented = set(ref.implemented_statuses)
        stmt = select(owner).where(owner.c.deleted_at.is_(None)).order_by(owner.c.unit_id, owner.c.name)
        if unit_id is not None:
            stmt = stmt.where(owner.c.unit_id == unit_id)
        owners = [dict(r) for r in s.execute(stmt).mappings()]
        current = _monthly_rows(s, kind, period, unit_id)
        previous = _monthly_rows(s, kind, periods.previous(period), unit_id)
        ex = m.Explanation
        notes: dict[str, dict[str, str]] = {}
        ex_stmt = select(ex.record_id, ex.rule_id, ex.text).where(
            ex.entity == kind.entity, ex.period == period, ex.deleted_at.is_(None)
        )
        if unit_id is not None:
            ex_stmt = ex_stmt.where(ex.unit_id == unit_id)
        for record_id, rule_id, text in s.execute(ex_stmt):
            notes.setdefault(record_id, {})[rule_id] = text
        stages: dict[str, str] = {}
        if kind is PROJECT:
            ps = m.ProjectStage
            stage_stmt = select(ps.project_id, ps.status).where(ps.deleted_at.is_(None), ps.period <= period)
            if unit_id is not None:
                stage_stmt = stage_stmt.where(ps.unit_id == unit_id)
            for pid, status in s.execute(stage_stmt.order_by(ps.period)):
                stages[pid] = status  # the latest up to the period wins
    rows = []
    for o in owners:
        rec = current.get(o["id"])
        row = GridRow(
            owner_id=o["id"],
            name=o["name"],
            unit_id=o["unit_id"],
            record_id=rec["id"] if rec else None,
            values={f: rec[f] if rec else None for f in kind.fields},
            previous=previous.get(o["id"]),
            parent=o if kind is PROJECT else None,
            explanations=notes.get(rec["id"], {}) if rec else {},
            expected=kind is ENTERPRISE or o["status"] in implemented,
            revision=rec["revision"] if rec else None,
            stage=stages.get(o["id"]),
        )
        if rec:
            row.findings = check_row(
                kind.key, period, row.values, ref, previous=row.previous, parent=row.parent, record_id=rec["id"]
            ).findings
        rows.append(row)
    return Grid(kind.key, period, rows)


# ---------------------------------------------------------------------------------------------
# Checking and suggesting
# ---------------------------------------------------------------------------------------------
def check_row(
    kind_key: str,
    period: str,
    raw: Mapping[str, object],
    ref: Reference,
    *,
    previous: Mapping[str, Any] | None = None,
    parent: Mapping[str, Any] | None = None,
    record_id: str | None = None,
) -> Checked:
    """Coerces one row of the grid and runs the monthly rules against last month's figures."""
    checked = coerce_and_check(
        KINDS[kind_key].entity, {**raw, "period": period}, ref, previous=previous, parent=parent, record_id=record_id
    )
    checked.values.pop("period", None)
    return checked


def suggestion(
    kind_key: str, period: str, target: str, values: Mapping[str, Any], previous: Mapping[str, Any] | None
) -> Decimal | None:
    """The 累计 `target` should be last month's 累计 plus 本月 (本月 itself in January, unless the
    figure carries over the year end); None when it cannot be worked out."""
    source = SUGGESTED[kind_key].get(target)
    if source is None:
        return None
    month_field, carries = source
    month = values.get(month_field)
    if not isinstance(month, Decimal):
        return None
    if not carries and periods.month_of(period) == 1:
        return month
    if previous is None or previous.get(target) is None:
        return None
    if not carries and periods.year_of(previous["period"]) != periods.year_of(period):
        return None
    return Decimal(previous[target]) + month


# ---------------------------------------------------------------------------------------------
# Saving
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Saved:
    rows: int


def save_period(db: Database, info: DatabaseInfo, period: str, edits: Mapping[str, Sequence[RowEdit]]) -> Saved:
    """Saves the edited rows of both grids (edits by grid kind) in one transaction; refuses all of
    them on a 强制性 finding, naming the enterprise or project and the field. Warnings are saved
    with the row's 说明."""
    periods.parse(period)
    saved = 0
    with db.write(info.actor("form")) as s:
        ref = load_reference(s)
        for kind_key, rows in edits.items():
            saved += _save_rows(s, info, ref, KINDS[kind_key], period, rows)
    return Saved(saved)


def _save_rows(
    session: Session, info: DatabaseInfo, ref: Reference, kind: GridKind, period: str, edits: Sequence[RowEdit]
) -> int:
    ids = [e.owner_id for e in edits]
    owner_model: Any = kind.owner
    model: Any = kind.monthly
    owners = {o.id: o for o in session.scalars(select(owner_model).where(owner_model.id.in_(ids)))}
    existing = {
        getattr(r, kind.owner_key): r
        for r in session.scalars(select(model).where(getattr(model, kind.owner_key).in_(ids), model.period == period))
    }
    previous = _monthly_rows(session, kind, periods.previous(period), None if info.is_county else info.unit_id)
    saved = 0
    for edit in edits:
        owner = owners.get(edit.owner_id)
        if owner is None or owner.is_deleted:
            raise UserError("调度表中有已调出或已删除的企业或项目，请刷新后重新填写。")
        if not info.is_county and owner.unit_id != info.unit_id:
            raise UserError(f"“{owner.name}”不属于{info.unit_name}，不能修改。")
        obj = existing.get(edit.owner_id)
        live = obj if obj is not None and not obj.is_deleted else None
        if edit.revision != NOT_CHECKED and (live.revision if live is not None else None) != edit.revision:
            raise UserError(
                f"“{owner.name}”{period}的调度数据在您打开之后已被其他人修改，这次没有保存。"
                "请记下您的修改，刷新后重新填写。"
            )
        base = {f: getattr(obj, f) for f in kind.fields} if obj is not None else {}
        parent = {c.key: getattr(owner, c.key) for c in owner.__table__.columns} if kind is PROJECT else None
        checked = check_row(
            kind.key, period, {**base, **edit.raw}, ref, previous=previous.get(edit.owner_id), parent=parent
        )
        if checked.blocking:
            raise Refused(
                checked.blocking[0],
                checked.findings,
                prefix=f"{owner.name}（{period}）：",
                grid=kind.key,
                owner_id=owner.id,
            )
        values = {f: checked.values.get(f) for f in kind.fields}
        if obj is None:
            if all(v is None for v in values.values()) and not edit.explanation:
                continue
            obj = model(id=m.new_uuid(), unit_id=owner.unit_id, period=period, **{kind.owner_key: owner.id})
            session.add(obj)
        elif obj.is_deleted:
            obj.deleted_at, obj.deleted_reason = None, None
        assign(obj, values)
        session.flush()
        saved += 1
        if edit.explanation is not None:
            for finding in checked.to_explain:
                store_explanation(
                    session, owner.unit_id, kind.entity, obj.id, period, finding.rule_id, edit.explanation.strip()
                )
    return saved
