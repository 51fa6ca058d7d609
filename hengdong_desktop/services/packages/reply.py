"""The county-signed 下发包 that carries decisions, corrections and reference data back to a
township, and applying it at the township against the pinned county key."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.merge_base import merged_fields
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups
from hengdong_desktop.services.identity import DatabaseInfo, read_info
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import keys
from hengdong_desktop.services.packages.review import (
    DECISION_LABELS,
    field_label,
    find_unit,
    record_subject,
    require_role,
    show_value,
)
from hengdong_desktop.services.packages.strict_json import dumps
from hengdong_desktop.services.reference_admin import apply_snapshot_in, snapshot_in

DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH = (
    "data/decisions.json",
    "data/corrections.json",
    "data/reference.json",
)


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
    require_role(info, county=True)
    own = keys.own_key(db)
    private = keys.load_private_key(db, passphrase)
    out = Path(out)
    if out.suffix != pf.SUFFIX:
        out = out.with_name(out.name + pf.SUFFIX)
    with db.write(info.actor("package")) as s:
        row = find_unit(s, unit)
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
            DECISIONS_PATH: (dumps(decisions), len(decisions)),
            CORRECTIONS_PATH: (dumps(corrections), len(corrections)),
            REFERENCE_PATH: (dumps(reference), len(reference)),
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
    require_role(info, county=False)
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
    label = f"{ENTITY_LABELS[entity]}“{record_subject(s, entity, obj.id)}”的{field_label(entity, name)}"
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


