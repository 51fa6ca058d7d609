"""After the merge: the county's review (接收 / 退回 with reasons and field comments) and its
conflict and duplicate queues."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import locks
from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.identity import DatabaseInfo, read_info
from hengdong_desktop.services.measures import problem_texts
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.reference import load

ACCEPTED, RETURNED = "accepted", "returned"
DECISION_LABELS = {ACCEPTED: "接收", RETURNED: "退回"}


def field_label(entity: str, name: str) -> str:
    for spec in ENTITIES.get(entity, ()):
        if spec.name == name:
            return spec.label
    return {"deleted_at": "删除标记", "deleted_reason": "删除原因", "text": "说明内容"}.get(name, name)


def show_value(encoded: str | None, names: Mapping[str, str] | None = None) -> str:
    """A conflict's stored (JSON) value as the clerk reads it; an id among `names` by its name."""
    if encoded is None:
        return ""
    value = json.loads(encoded)
    if value is None:
        return "（空）"
    if names and str(value) in names:
        return names[str(value)]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def value_names(
    session: Session, ref: Reference, entity: str, field: str, record_id: str, values: Iterable[Any]
) -> dict[str, str]:
    """What the ids among a field's (decoded JSON) `values` are called, as the editors and the
    history show them: a 单位, 领域, 产业 or 产业链 by its name, a measure's 关联问题 by the problem's
    date and description (domain/problem_ref.py); {} for any other field."""
    if entity == "support_measure" and field == "problem_id":
        measure = session.get(m.SupportMeasure, record_id)
        return problem_texts(session, {measure.enterprise_id}) if measure is not None else {}
    spec = next((x for x in ENTITIES.get(entity, ()) if x.name == field), None)
    if spec is None or spec.kind != "ref" or spec.ref not in ("unit", "domain", "industry", "chain"):
        return {}
    ids = {v for v in values if isinstance(v, int)}
    return {str(v): name for v in ids if (name := ref.name_of(spec.ref, v))}


def require_role(info: DatabaseInfo, county: bool) -> None:
    if info.is_county != county:
        raise UserError("此操作只能在县级汇总数据库中进行。" if county else "此操作只能在乡镇填报数据库中进行。")


def find_unit(session: Session, unit: str | int) -> m.Unit:
    ref = load(session)
    found = (
        ref.find_unit(str(unit)) if not isinstance(unit, int) else next((u for u in ref.units if u.id == unit), None)
    )
    if found is None or found.id == ref.county.id:
        raise UserError(f"找不到填报单位“{unit}”。")
    row = session.get(m.Unit, found.id)
    assert row is not None
    return row


# Review ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewResult:
    unit: str
    period: str
    decision: str
    reason: str
    package_id: str

    def summary(self) -> str:
        why = f"，理由：{self.reason}" if self.reason else ""
        return f"已{DECISION_LABELS[self.decision]}{self.unit}{self.period}的上报数据{why}。"


def review_period(
    db: Database,
    unit: str | int,
    period: str,
    *,
    accept: bool,
    reason: str = "",
    comments: list[dict[str, str]] | None = None,
) -> ReviewResult:
    """County: 接收 or 退回 a unit's period (the latest merged package for it). A return needs
    a reason; comments name a record and field: {entity, record_id, field, text}."""
    info = read_info(db)
    require_role(info, county=True)
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise UserError("退回须填写理由。")
    clean = []
    for c in comments or []:
        entity, name, text = c.get("entity", ""), c.get("field", ""), (c.get("text") or "").strip()
        if entity not in ENTITY_LABELS or not text or name not in (s.name for s in ENTITIES.get(entity, ())):
            raise UserError(f"字段意见“{text or name}”不完整：须指明记录、字段和意见。")
        clean.append(
            {
                "entity": entity,
                "record_id": c.get("record_id", ""),
                "field": name,
                "text": text,
                "label": field_label(entity, name),
                "subject": c.get("subject", ""),
            }
        )
    with db.write(info.actor("package")) as s:
        row = find_unit(s, unit)
        locks.lock_unit(s, row.id)  # on a server: after any merge of the unit in progress
        package = s.scalars(
            select(m.PackageEntry)
            .where(
                m.PackageEntry.direction == "in",
                m.PackageEntry.kind == pf.REPORT,
                m.PackageEntry.unit_id == row.id,
                m.PackageEntry.period == period,
            )
            .order_by(m.PackageEntry.processed_at.desc())
            .limit(1)
        ).first()
        if package is None:
            raise UserError(f"尚未收到{row.name}{period}的上报包，不能审核。")
        decision = ACCEPTED if accept else RETURNED
        s.add(
            m.Review(
                id=str(uuid.uuid4()),
                unit_id=row.id,
                period=period,
                decision=decision,
                reason=reason or None,
                comments=clean,
                package_id=package.id,
                decided_at=utcnow(),
                operator=info.operator,
            )
        )
        return ReviewResult(row.name, period, decision, reason, package.id)


@dataclass(frozen=True)
class Decision:
    """The county's decision on a unit's period, as the review lists show it."""

    id: str
    unit: str
    unit_id: int
    period: str
    decision: str
    label: str
    reason: str
    comments: list[dict[str, str]]
    decided_at: datetime
    package_id: str | None


def reviews(db: Database, unit_id: int | None = None) -> list[Decision]:
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        stmt = select(m.Review).order_by(m.Review.decided_at.desc())
        if unit_id is not None:
            stmt = stmt.where(m.Review.unit_id == unit_id)
        return [
            Decision(
                r.id,
                names.get(r.unit_id, ""),
                r.unit_id,
                r.period,
                r.decision,
                DECISION_LABELS[r.decision],
                r.reason or "",
                r.comments,
                r.decided_at,
                r.package_id,
            )
            for r in s.scalars(stmt)
        ]


# Conflict and duplicate queues -------------------------------------------------------------
@dataclass(frozen=True)
class OpenConflict:
    """A field changed on both sides, with both values side by side, and what the record is."""

    id: int
    unit: str
    entity: str
    entity_label: str
    record_id: str
    subject: str
    field: str
    field_label: str
    base: str
    local: str
    incoming: str
    detected_at: datetime


def open_conflicts(db: Database) -> list[OpenConflict]:
    """Unresolved conflicts, oldest first within each unit."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        ref = load(s)
        out = []
        for c in s.scalars(
            select(m.Conflict)
            .where(m.Conflict.resolved_at.is_(None))
            .order_by(m.Conflict.unit_id, m.Conflict.detected_at, m.Conflict.id)
        ):
            stored = (c.base_value, c.local_value, c.incoming_value)
            shown = value_names(s, ref, c.entity, c.field, c.record_id, (json.loads(x) for x in stored if x))
            out.append(
                OpenConflict(
                    c.id,
                    names.get(c.unit_id, ""),
                    c.entity,
                    ENTITY_LABELS.get(c.entity, c.entity),
                    c.record_id,
                    record_subject(s, c.entity, c.record_id),
                    c.field,
                    field_label(c.entity, c.field),
                    show_value(c.base_value, shown),
                    show_value(c.local_value, shown),
                    show_value(c.incoming_value, shown),
                    c.detected_at,
                )
            )
        return out


def record_subject(session: Session, entity: str, record_id: str) -> str:
    model = m.ENTITY_MODELS.get(entity)
    obj = session.get(model, record_id) if model else None
    if obj is None:
        return record_id
    text = record_id
    for attr in ("name", "description", "list_name", "rule_id"):
        if hasattr(obj, attr):
            text = str(getattr(obj, attr))
            break
    owner_id = getattr(obj, "enterprise_id", None) or getattr(obj, "project_id", None)
    if owner_id and entity != "problem":
        owner = session.get(m.Enterprise, owner_id) or session.get(m.Project, owner_id)
        period = getattr(obj, "period", None)
        measure = getattr(obj, "content", None) if entity == "support_measure" else None
        return f"{owner.name if owner else ''}{'（' + period + '）' if period else ''}" + (
            f"：{measure[:20]}" if measure else ""
        )
    return text[:40]


def resolve_conflict(db: Database, conflict_id: int, keep_incoming: bool) -> None:
    """Takes the other side's value (`keep_incoming`) or keeps this database's, and closes the
    conflict. At the county a kept county value travels down in the next 下发包."""
    info = read_info(db)
    with db.write(info.actor("merge" if info.is_county else "reply")) as s:
        c = s.get(m.Conflict, conflict_id, with_for_update=True)  # two officers: the second sees it done
        if c is None or c.resolved_at is not None:
            raise UserError("该冲突不存在或已处理。")
        if keep_incoming:
            model = m.ENTITY_MODELS[c.entity]
            obj = s.get(model, c.record_id)
            if obj is None:
                raise UserError("冲突对应的记录已不存在。")
            _set_encoded(obj, c.field, json.loads(c.incoming_value) if c.incoming_value else None)
        c.resolved_at, c.resolution, c.resolved_by = (
            utcnow(),
            "incoming" if keep_incoming else "local",
            info.operator,
        )


def _set_encoded(obj: m.Synced, name: str, encoded: Any) -> None:
    codec = next(c for c in table_codec(obj.__table__).columns if c.name == name)  # type: ignore[attr-defined]
    setattr(obj, name, None if encoded is None else codec.decode(encoded))


@dataclass(frozen=True)
class DuplicateGroup:
    """A credit code reported by more than one unit: its enterprises, for the county to decide."""

    credit_code: str
    entries: list[str]  # “单位：企业名称”
    ids: list[int]  # the flags


def open_duplicates(db: Database) -> list[DuplicateGroup]:
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        groups: dict[str, DuplicateGroup] = {}
        rows = s.execute(
            select(m.DuplicateFlag, m.Enterprise.name)
            .join(m.Enterprise, m.Enterprise.id == m.DuplicateFlag.enterprise_id)
            .where(m.DuplicateFlag.resolved_at.is_(None))
            .order_by(m.DuplicateFlag.credit_code, m.DuplicateFlag.unit_id)
        )
        for flag, name in rows:
            group = groups.setdefault(flag.credit_code, DuplicateGroup(flag.credit_code, [], []))
            group.entries.append(f"{names.get(flag.unit_id, '')}：{name}")
            group.ids.append(flag.id)
        return list(groups.values())


def resolve_duplicate(db: Database, credit_code: str, decision: str) -> int:
    info = read_info(db)
    require_role(info, county=True)
    decision = decision.strip()
    if not decision:
        raise UserError("请填写处理意见（如：确认为同一企业，由某单位填报）。")
    with db.write(info.actor("package")) as s:
        flags = s.scalars(
            select(m.DuplicateFlag)
            .where(m.DuplicateFlag.credit_code == credit_code, m.DuplicateFlag.resolved_at.is_(None))
            .with_for_update()
        ).all()
        if not flags:
            raise UserError(f"统一社会信用代码“{credit_code}”没有待处理的重复记录。")
        for f in flags:
            f.resolved_at, f.decision = utcnow(), decision
        return len(flags)


def comment_targets(db: Database, unit_id: int, period: str | None = None) -> list[tuple[str, str, str]]:
    """(entity, record id, name) of a unit's live enterprises and projects, and of their figures
    of `period` (named “name（period）”), for field comments."""
    with db.read() as s:
        out: list[tuple[str, str, str]] = []
        for entity, model in (("enterprise", m.Enterprise), ("project", m.Project)):
            out += [
                (entity, rid, name)
                for rid, name in s.execute(
                    select(model.id, model.name)
                    .where(model.unit_id == unit_id, model.deleted_at.is_(None))
                    .order_by(model.name)
                )
            ]
        if period is not None:
            for entity, monthly, owner, link in (
                ("enterprise_monthly", m.EnterpriseMonthly, m.Enterprise, m.EnterpriseMonthly.enterprise_id),
                ("project_monthly", m.ProjectMonthly, m.Project, m.ProjectMonthly.project_id),
            ):
                out += [
                    (entity, rid, f"{name}（{period}）")
                    for rid, name in s.execute(
                        select(monthly.id, owner.name)
                        .join(owner, owner.id == link)
                        .where(
                            owner.unit_id == unit_id,
                            owner.deleted_at.is_(None),
                            monthly.period == period,
                            monthly.deleted_at.is_(None),
                        )
                        .order_by(owner.name)
                    )
                ]
        return out


def queue_counts(db: Database) -> tuple[int, int]:
    """(open conflicts, credit codes waiting in the duplicate queue), for the dashboard."""
    with db.read() as s:
        conflicts = s.scalar(select(func.count()).select_from(m.Conflict).where(m.Conflict.resolved_at.is_(None)))
        duplicates = s.scalar(
            select(func.count(func.distinct(m.DuplicateFlag.credit_code))).where(m.DuplicateFlag.resolved_at.is_(None))
        )
        return int(conflicts or 0), int(duplicates or 0)
