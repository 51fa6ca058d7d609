"""After the merge: the county's review (接收 / 退回 with reasons and field comments), its
conflict and duplicate queues, and the county-signed 下发包 that carries decisions, corrections
and reference data back to a township, which applies it against the pinned county key."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import locks
from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.merge_base import merged_fields
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, keys
from hengdong_desktop.services import package_format as pf
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import apply_snapshot_in, snapshot_in
from hengdong_desktop.services.setup import DatabaseInfo, read_info

ACCEPTED, RETURNED = "accepted", "returned"
DECISION_LABELS = {ACCEPTED: "接收", RETURNED: "退回"}
DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH = (
    "data/decisions.json",
    "data/corrections.json",
    "data/reference.json",
)
def field_label(entity: str, name: str) -> str:
    for spec in ENTITIES.get(entity, ()):
        if spec.name == name:
            return spec.label
    return {"deleted_at": "删除标记", "deleted_reason": "删除原因", "text": "说明内容"}.get(
        name, name
    )


def show_value(encoded: str | None) -> str:
    """A conflict's stored (JSON) value as the clerk reads it."""
    if encoded is None:
        return ""
    value = json.loads(encoded)
    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _require(info: DatabaseInfo, county: bool) -> None:
    if info.is_county != county:
        raise UserError(
            "此操作只能在县级汇总数据库中进行。" if county else "此操作只能在乡镇填报数据库中进行。"
        )


def _unit(session: Session, unit: str | int) -> m.Unit:
    ref = load(session)
    found = (
        ref.find_unit(str(unit))
        if not isinstance(unit, int)
        else next((u for u in ref.units if u.id == unit), None)
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
    _require(info, county=True)
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise UserError("退回须填写理由。")
    clean = []
    for c in comments or []:
        entity, name, text = c.get("entity", ""), c.get("field", ""), (c.get("text") or "").strip()
        if (
            entity not in ENTITY_LABELS
            or not text
            or name not in (s.name for s in ENTITIES.get(entity, ()))
        ):
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
        row = _unit(s, unit)
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


def reviews(db: Database, unit_id: int | None = None) -> list[dict[str, Any]]:
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        stmt = select(m.Review).order_by(m.Review.decided_at.desc())
        if unit_id is not None:
            stmt = stmt.where(m.Review.unit_id == unit_id)
        return [
            {
                "id": r.id,
                "unit": names.get(r.unit_id, ""),
                "unit_id": r.unit_id,
                "period": r.period,
                "decision": r.decision,
                "label": DECISION_LABELS[r.decision],
                "reason": r.reason or "",
                "comments": r.comments,
                "decided_at": r.decided_at,
                "package_id": r.package_id,
            }
            for r in s.scalars(stmt)
        ]


# Conflict and duplicate queues -------------------------------------------------------------
def open_conflicts(db: Database) -> list[dict[str, Any]]:
    """Unresolved conflicts with both values side by side, and what the record is."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        out = []
        for c in s.scalars(
            select(m.Conflict)
            .where(m.Conflict.resolved_at.is_(None))
            .order_by(m.Conflict.unit_id, m.Conflict.detected_at, m.Conflict.id)
        ):
            out.append(
                {
                    "id": c.id,
                    "unit": names.get(c.unit_id, ""),
                    "entity": c.entity,
                    "entity_label": ENTITY_LABELS.get(c.entity, c.entity),
                    "record_id": c.record_id,
                    "subject": _subject(s, c.entity, c.record_id),
                    "field": c.field,
                    "field_label": field_label(c.entity, c.field),
                    "base": show_value(c.base_value),
                    "local": show_value(c.local_value),
                    "incoming": show_value(c.incoming_value),
                    "detected_at": c.detected_at,
                }
            )
        return out


def _subject(session: Session, entity: str, record_id: str) -> str:
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
        return f"{owner.name if owner else ''}{'（' + period + '）' if period else ''}"
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


def open_duplicates(db: Database) -> list[dict[str, Any]]:
    """Credit codes reported by more than one unit: one row per code, its enterprises listed."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        groups: dict[str, dict[str, Any]] = {}
        rows = s.execute(
            select(m.DuplicateFlag, m.Enterprise.name)
            .join(m.Enterprise, m.Enterprise.id == m.DuplicateFlag.enterprise_id)
            .where(m.DuplicateFlag.resolved_at.is_(None))
            .order_by(m.DuplicateFlag.credit_code, m.DuplicateFlag.unit_id)
        )
        for flag, name in rows:
            g = groups.setdefault(
                flag.credit_code, {"credit_code": flag.credit_code, "entries": [], "ids": []}
            )
            g["entries"].append(f"{names.get(flag.unit_id, '')}：{name}")
            g["ids"].append(flag.id)
        return list(groups.values())


def resolve_duplicate(db: Database, credit_code: str, decision: str) -> int:
    info = read_info(db)
    _require(info, county=True)
    decision = decision.strip()
    if not decision:
        raise UserError("请填写处理意见（如：确认为同一企业，由某单位填报）。")
    with db.write(info.actor("package")) as s:
        flags = s.scalars(
            select(m.DuplicateFlag).where(
                m.DuplicateFlag.credit_code == credit_code, m.DuplicateFlag.resolved_at.is_(None)
            ).with_for_update()
        ).all()
        if not flags:
            raise UserError(f"统一社会信用代码“{credit_code}”没有待处理的重复记录。")
        for f in flags:
            f.resolved_at, f.decision = utcnow(), decision
        return len(flags)


# The 下发包 ---------------------------------------------------------------------------------
@dataclass
class ReplyResult:
    path: Path
    unit: str
    sequence: int
    decisions: int
    corrections: int

    def summary(self) -> str:
        return (
            f"已生成发给{self.unit}的第{self.sequence}号下发包：{self.path.name}"
            f"（审核结果{self.decisions}条，更正{self.corrections}处）。"
        )


def corrections_for(session: Session, unit_id: int) -> list[dict[str, Any]]:
    """Fields the county changed in the unit's records since the unit last sent them (current ≠
    merge base), except those still in an open conflict."""
    open_fields = set(
        session.execute(
            select(m.Conflict.record_id, m.Conflict.field).where(
                m.Conflict.unit_id == unit_id, m.Conflict.resolved_at.is_(None)
            )
        ).all()
    )
    out = []
    for base in session.scalars(
        select(m.MergeBase).order_by(m.MergeBase.entity, m.MergeBase.record_id)
    ):
        model = m.ENTITY_MODELS.get(base.entity)
        obj = session.get(model, base.record_id) if model else None
        if obj is None or obj.unit_id != unit_id:
            continue
        tbl = obj.__table__  # type: ignore[attr-defined]
        current = table_codec(tbl).encode({c.name: getattr(obj, c.name) for c in tbl.columns})
        sent = json.loads(base.data)
        for name in merged_fields(tbl):
            if current[name] != sent.get(name) and (obj.id, name) not in open_fields:
                out.append(
                    {
                        "entity": base.entity,
                        "record_id": obj.id,
                        "field": name,
                        "base": sent.get(name),
                        "value": current[name],
                    }
                )
    return out


# Reference data in the 下发包: the county's snapshot (services/reference_admin), as the single
# element of data/reference.json.
def export_reply(
    db: Database, unit: str | int, out: Path, *, passphrase: str | None = None
) -> ReplyResult:
    """County: writes the signed 下发包 for one unit (all its review decisions, the county's
    corrections to its records, the reference data)."""
    info = read_info(db)
    _require(info, county=True)
    own = keys.own_key(db)
    private = keys.load_private_key(db, passphrase)
    out = Path(out)
    if out.suffix != pf.SUFFIX:
        out = out.with_name(out.name + pf.SUFFIX)
    with db.write(info.actor("package")) as s:
        row = _unit(s, unit)
        locks.lock_unit(s, row.id)  # on a server: one 下发包 of a unit at a time, none during its merge
        review_codec = table_codec(m.Review.__table__)  # type: ignore[arg-type]
        decisions = [
            review_codec.encode(r)
            for r in s.execute(
                select(m.Review.__table__)
                .where(m.Review.unit_id == row.id)
                .order_by(m.Review.decided_at)
            ).mappings()
        ]
        corrections = corrections_for(s, row.id)
        reference = [snapshot_in(s)]
        last = s.scalars(
            select(m.PackageEntry)
            .where(
                m.PackageEntry.direction == "out",
                m.PackageEntry.kind == pf.REPLY,
                m.PackageEntry.unit_id == row.id,
                m.PackageEntry.key_id == own.key_id,
            )
            .order_by(m.PackageEntry.sequence.desc())
            .limit(1)
        ).first()
        sequence = (last.sequence if last else 0) + 1
        created = utcnow()
        package_id = str(uuid.uuid4())
        manifest = pf.app_fields() | {
            "kind": pf.REPLY,
            "package_id": package_id,
            "unit": {"id": row.id, "code": row.code, "name": row.name},
            "key_id": own.key_id,
            "sequence": sequence,
            "previous_sha256": last.sha256 if last else None,
            "period": None,
            "created_at": datetime_out(created),
            "operator": info.operator,
            "reference_version": info.reference_version,
        }
        files = {
            DECISIONS_PATH: (pf.dumps(decisions), len(decisions)),
            CORRECTIONS_PATH: (pf.dumps(corrections), len(corrections)),
            REFERENCE_PATH: (pf.dumps(reference), len(reference)),
        }
        digest, _ = pf.write_package(out, manifest, files, private, signer_pem=own.public_pem)
        s.add(
            m.PackageEntry(
                id=package_id,
                direction="out",
                kind=pf.REPLY,
                unit_id=row.id,
                key_id=own.key_id,
                sequence=sequence,
                sha256=digest,
                previous_sha256=manifest["previous_sha256"],
                created_at=created,
                processed_at=created,
                operator=info.operator,
                file_name=out.name,
                summary={"decisions": len(decisions), "corrections": len(corrections)},
            )
        )
    return ReplyResult(out, row.name, sequence, len(decisions), len(corrections))


@dataclass
class ApplyResult:
    file: str
    status: str  # applied / duplicate
    county_fingerprint: str
    pinned_now: bool
    decisions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # corrections to records not held here
    reference_changes: list[str] = field(default_factory=list)  # what the new reference data changed here

    def summary(self) -> str:
        if self.status == "duplicate":
            return f"下发包“{self.file}”已经应用过，本次未作改动。"
        parts = [
            f"已应用下发包“{self.file}”：审核结果{len(self.decisions)}条，更正{len(self.changes)}处"
        ]
        if self.conflicts:
            parts.append(f"与本单位修改冲突{len(self.conflicts)}处（保留本单位的值，请核对）")
        if self.skipped:
            parts.append(f"{len(self.skipped)}处更正对应的记录本单位没有，已忽略")
        if self.reference_changes:
            parts.append(f"基础数据已更新{len(self.reference_changes)}处")
        if self.pinned_now:
            parts.append(f"已记录县级密钥（指纹 {self.county_fingerprint}）")
        return "，".join(parts) + "。"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "county_fingerprint": self.county_fingerprint,
            "pinned_now": self.pinned_now,
            "decisions": self.decisions,
            "changes": self.changes,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "reference_changes": self.reference_changes,
        }


def apply_reply(db: Database, path: Path) -> ApplyResult:
    """Township: verifies a 下发包 against the pinned county key (pinning it on the first one)
    and applies it in one transaction: decisions, corrections (a field the township changed
    since is kept and listed as a conflict), newer reference data."""
    info = read_info(db)
    _require(info, county=False)
    path = Path(path)
    pinned = db.meta().get(keys.META_COUNTY_KEY)
    pkg = pf.open_package(path, pf.REPLY, pinned_key=pinned)
    assert pkg.signer_pem is not None
    fingerprint = keys.fingerprint(keys.load_public(pkg.signer_pem))
    try:
        return _apply(db, info, pkg, pinned is None, fingerprint)
    except CodecProblem as problem:
        raise pf.refused(pkg.file_name, problem) from None


def _apply(
    db: Database, info: DatabaseInfo, pkg: pf.OpenedPackage, pin: bool, fingerprint: str
) -> ApplyResult:
    if pkg.unit_id != info.unit_id:
        raise pf.PackageProblem(
            f"这是发给{pkg.manifest['unit'].get('name', pkg.unit_id)}的下发包，不是发给本单位的"
        )
    if set(pkg.data) != {DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH}:
        raise pf.PackageProblem("下发包的数据文件不完整")
    result = ApplyResult(pkg.file_name, "applied", fingerprint, pin)
    backups.backup_before(db, "reply")
    with db.write(info.actor("reply", package_id=pkg.package_id)) as s:
        existing = s.get(m.PackageEntry, pkg.package_id)
        if existing is not None:
            if existing.sha256 != pkg.sha256:
                raise pf.PackageProblem("包编号与已应用的下发包相同而内容不同")
            result.status = "duplicate"
            return result
        last = s.scalar(
            select(func.max(m.PackageEntry.sequence)).where(
                m.PackageEntry.direction == "in",
                m.PackageEntry.kind == pf.REPLY,
                m.PackageEntry.key_id == pkg.key_id,
            )
        )
        if last is not None and pkg.sequence <= last:
            raise pf.PackageProblem(f"序号{pkg.sequence}不高于已应用的第{last}号下发包（拒绝回退）")
        review_codec = table_codec(m.Review.__table__)  # type: ignore[arg-type]
        for n, raw in enumerate(pkg.data[DECISIONS_PATH], 1):
            row = review_codec.decode(raw, f"审核结果第{n}条")
            if row["unit_id"] != info.unit_id or row["decision"] not in DECISION_LABELS:
                raise pf.PackageProblem(f"审核结果第{n}条无效")
            s.merge(m.Review(**row))
            result.decisions.append(
                {
                    "period": row["period"],
                    "decision": DECISION_LABELS[row["decision"]],
                    "reason": row["reason"] or "",
                    "comments": row["comments"],
                }
            )
        for n, corr in enumerate(pkg.data[CORRECTIONS_PATH], 1):
            _apply_correction(s, info, pkg, n, corr, result)
        result.reference_changes = _apply_reference(s, pkg.data[REFERENCE_PATH])
        if pin:
            s.merge(m.Meta(key=keys.META_COUNTY_KEY, value=pkg.signer_pem))
        s.add(
            m.PackageEntry(
                id=pkg.package_id,
                direction="in",
                kind=pf.REPLY,
                unit_id=info.unit_id,
                key_id=pkg.key_id,
                sequence=pkg.sequence,
                sha256=pkg.sha256,
                previous_sha256=pkg.manifest.get("previous_sha256"),
                created_at=pkg.created_at,
                processed_at=utcnow(),
                operator=info.operator,
                file_name=pkg.file_name,
                summary={
                    "decisions": len(result.decisions),
                    "changes": len(result.changes),
                    "conflicts": len(result.conflicts),
                },
            )
        )
    return result


def _apply_correction(
    s: Session, info: DatabaseInfo, pkg: pf.OpenedPackage, n: int, corr: Any, result: ApplyResult
) -> None:
    where = f"更正第{n}条"
    if not isinstance(corr, dict) or set(corr) != {"entity", "record_id", "field", "base", "value"}:
        raise pf.PackageProblem(f"{where}格式错误")
    model = m.ENTITY_MODELS.get(corr["entity"]) if isinstance(corr["entity"], str) else None
    if model is None:
        raise pf.PackageProblem(f"{where}的记录类型无效")
    tbl = model.__table__  # type: ignore[attr-defined]
    name = corr["field"]
    if name not in merged_fields(tbl):
        raise pf.PackageProblem(f"{where}的字段无效")
    obj = s.get(model, corr["record_id"]) if pf.is_uuid(corr["record_id"]) else None
    if obj is not None and obj.unit_id != info.unit_id:
        raise pf.PackageProblem(f"{where}对应的是其他单位的记录")
    if obj is None:  # a record the county holds for this unit but the unit never had
        result.skipped.append(f"{ENTITY_LABELS[corr['entity']]}记录{corr['record_id']}")
        return
    codec = table_codec(tbl)
    column = next(c for c in codec.columns if c.name == name)
    current = codec.encode({c.name: getattr(obj, c.name) for c in tbl.columns})[name]
    entity = corr["entity"]
    label = f"{ENTITY_LABELS[entity]}“{_subject(s, entity, obj.id)}”的{field_label(entity, name)}"
    if current == corr["value"]:
        return
    if current == corr["base"]:
        try:
            setattr(obj, name, None if corr["value"] is None else column.decode(corr["value"]))
        except ValueError as exc:
            raise pf.PackageProblem(f"{where}的值{exc}") from None
        result.changes.append(f"{label}：{_plain(corr['base'])} → {_plain(corr['value'])}")
        return
    s.add(
        m.Conflict(
            entity=corr["entity"],
            record_id=obj.id,
            unit_id=info.unit_id,
            field=name,
            base_value=json.dumps(corr["base"], ensure_ascii=False),
            local_value=json.dumps(current, ensure_ascii=False),
            incoming_value=json.dumps(corr["value"], ensure_ascii=False),
            package_id=pkg.package_id,
            detected_at=utcnow(),
        )
    )
    result.conflicts.append(
        f"{label}：县级更正为{_plain(corr['value'])}，本单位已改为{_plain(current)}"
    )


def _plain(value: Any) -> str:
    return show_value(json.dumps(value, ensure_ascii=False))


def _apply_reference(s: Session, wrapped: Any) -> list[str]:
    """Brings the township's reference data to the county's snapshot when it is newer; returns
    the changes in words for the clerk."""
    snapshot = wrapped[0] if isinstance(wrapped, list) and len(wrapped) == 1 else None
    if not isinstance(snapshot, dict):
        raise pf.PackageProblem("基础数据格式错误")
    try:
        update = apply_snapshot_in(s, snapshot)
    except UserError as exc:
        raise pf.PackageProblem(str(exc).rstrip("。")) from None
    return update.changes


def comment_targets(db: Database, unit_id: int) -> list[tuple[str, str, str]]:
    """(entity, record id, name) of a unit's live enterprises and projects, for field comments."""
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
        return out


def queue_counts(db: Database) -> tuple[int, int]:
    """(open conflicts, credit codes waiting in the duplicate queue), for the dashboard."""
    with db.read() as s:
        conflicts = s.scalar(
            select(func.count()).select_from(m.Conflict).where(m.Conflict.resolved_at.is_(None))
        )
        duplicates = s.scalar(
            select(func.count(func.distinct(m.DuplicateFlag.credit_code))).where(
                m.DuplicateFlag.resolved_at.is_(None)
            )
        )
        return int(conflicts or 0), int(duplicates or 0)
