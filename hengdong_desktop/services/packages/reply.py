"""The county-signed 下发包: decisions, corrections and reference data back to a township,
sealed to the township's key, and applying it at the township against the county key it pinned
(following the county's signed key rotations).

The 下发包 also carries the county's 比学赶超 standing of the township as of the latest period the
county accepted data for (`data/ranking.json`, services/county_standing.py; absent from older
packages, or while nothing is accepted), which the township shows on its 概览. It also tells the
township the last of its packages the county has merged
(`county_head`): a township that restored a backup continues its chain from there
(services/packages/ledger.py). Corrections name records by the township's own ids, also for
records the county matched by business key (services/packages/merge.py). A corrected record
goes through the township's rule engine: a correction that would leave an error is refused;
one that raises a warning is applied and listed for a 说明."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
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
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.text import printable
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, checks, county_standing
from hengdong_desktop.services.identity import DatabaseInfo, read_info
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import crypto, keys, ledger
from hengdong_desktop.services.packages.contents import INFO_PATH, RANKING_PATH, reply_budget
from hengdong_desktop.services.packages.review import (
    DECISION_LABELS,
    field_label,
    find_unit,
    record_subject,
    require_role,
    show_value,
    value_names,
)
from hengdong_desktop.services.packages.strict_json import PackageProblem, dumps
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import apply_snapshot_in, snapshot_in
from hengdong_desktop.services.training import is_training_database

DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH = (
    "data/decisions.json",
    "data/corrections.json",
    "data/reference.json",
)
_REPLY_FILES = {DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH, INFO_PATH}
_OPTIONAL_REPLY_FILES = {RANKING_PATH}  # a 下发包 from before the standing travelled has none


# The county: the 下发包 ----------------------------------------------------------------------
@dataclass
class ReplyResult:
    path: Path
    unit: str
    sequence: int
    decisions: int
    corrections: int
    standing: str | None = None  # "比学赶超：全县第 3 名（…）", when the 下发包 carries it

    def summary(self) -> str:
        if self.unit == "全部单位":
            return (
                f"已生成发给全部单位的第{self.sequence}号基础数据下发包：{self.path.name}，"
                f"保存在“{self.path.parent}”（各单位应用同一个文件即可）。"
            )
        return (
            f"已生成发给{self.unit}的第{self.sequence}号下发包：{self.path.name}，保存在“{self.path.parent}”"
            f"（审核结果{self.decisions}条，更正{self.corrections}处"
            + (f"，{self.standing}" if self.standing else "")
            + "）。"
        )


def _township_ids(session: Session, unit_id: int) -> dict[str, str]:
    """County record id → the id the township knows it by, where they differ (aliases)."""
    return dict(
        session.execute(
            select(m.RecordAlias.record_id, m.RecordAlias.alias_id)
            .where(m.RecordAlias.unit_id == unit_id)
            .order_by(m.RecordAlias.created_at)
        ).all()
    )


_REFERENCE_FIELDS = {"enterprise_id", "project_id", "builder_enterprise_id", "problem_id", "record_id"}


def corrections_for(session: Session, unit_id: int) -> list[dict[str, Any]]:
    """Fields the county changed in the unit's records since the unit last sent them (current ≠
    merge base), except those still in an open conflict; records named by the township's ids."""
    open_fields = set(
        session.execute(
            select(m.Conflict.record_id, m.Conflict.field).where(
                m.Conflict.unit_id == unit_id, m.Conflict.resolved_at.is_(None)
            )
        ).all()
    )
    theirs = _township_ids(session, unit_id)
    out = []
    for base in session.scalars(select(m.MergeBase).order_by(m.MergeBase.entity, m.MergeBase.record_id)):
        model = m.ENTITY_MODELS.get(base.entity)
        obj = session.get(model, base.record_id) if model else None
        if obj is None or obj.unit_id != unit_id:
            continue
        tbl = obj.__table__  # type: ignore[attr-defined]
        current = table_codec(tbl).encode({c.name: getattr(obj, c.name) for c in tbl.columns})
        sent = json.loads(base.data)
        for name in merged_fields(tbl):
            if current[name] != sent.get(name) and (obj.id, name) not in open_fields:
                value, before = current[name], sent.get(name)
                if name in _REFERENCE_FIELDS:
                    value, before = theirs.get(value, value), theirs.get(before, before)
                out.append(
                    {
                        "entity": base.entity,
                        "record_id": theirs.get(obj.id, obj.id),
                        "field": name,
                        "base": before,
                        "value": value,
                    }
                )
    return out


def _check_corrected(session: Session, unit_id: int, record_ids: set[str], where: str) -> list[str]:
    """The rule engine over the unit's records after corrections: raises (via `where`) for an
    error in a corrected record; returns its warnings that still need a 说明."""
    if not record_ids:
        return []
    report = checks.check_session(session, unit_id=unit_id)
    errors = [f for f in report.blocking if f.record_id in record_ids]
    if errors:
        raise PackageProblem(f"{where}{errors[0].describe()}（共{len(errors)}条错误）")
    return [f.describe() for f in report.unexplained if f.record_id in record_ids]


@dataclass
class _Outgoing:
    """What one county package carries: its kind, the unit it goes to (a 基础数据下发包: the county's
    own unit, for every unit), its data files, the ledger's summary of it, the unit's encryption
    key to seal it to (None: signed only) and manifest fields beside the common ones."""

    kind: str
    unit: m.Unit
    files: dict[str, tuple[bytes, int]]
    summary: dict[str, Any]
    recipient: Any = None
    manifest: dict[str, Any] = field(default_factory=dict)


def _send(
    db: Database, out: Path, passphrase: str | None, contents: Callable[[Session, DatabaseInfo], _Outgoing]
) -> tuple[Path, int]:
    """County: signs and writes the package `contents` describes as the next of its chain and
    records it in the ledger, in one transaction (a package written but not recorded never
    existed); returns its path and sequence number."""
    info = read_info(db)
    require_role(info, county=True)
    unlocked = keys.unlock_to_sign(db, passphrase)
    out = Path(out)
    if out.suffix != pf.SUFFIX:
        out = out.with_name(out.name + pf.SUFFIX)
    pending: pf.PendingFile | None = None
    try:
        with db.write(info.actor("package")) as s:
            outgoing = contents(s, info)
            unit = outgoing.unit
            last = ledger.last_entry(s, ledger.OUT, outgoing.kind, unit.id, unlocked.key_id)
            sequence = (last.sequence if last else 0) + 1
            created = utcnow()
            package_id = str(uuid.uuid4())
            manifest = (
                pf.app_fields()
                | {
                    "kind": outgoing.kind,
                    "package_id": package_id,
                    "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
                    "key_id": unlocked.key_id,
                    "sequence": sequence,
                    "previous": ledger.ChainLink.of(last).as_json() if last else None,
                    "period": None,
                    "created_at": datetime_out(created),
                    "reference_version": info.reference_version,
                    "training": is_training_database(s),
                    "sender_encryption_key": crypto.public_pem(unlocked.encryption.public_key()),
                    "key_history": keys.rotation_statements(s),
                }
                | outgoing.manifest
            )
            pending = pf.write_package(
                out,
                manifest,
                outgoing.files,
                unlocked.signing,
                recipient=outgoing.recipient,
                signer_pem=crypto.public_pem(unlocked.signing.public_key()),
            )
            ledger.record_out(
                s,
                pending,
                package_id=package_id,
                kind=outgoing.kind,
                unit_id=unit.id,
                key_id=unlocked.key_id,
                sequence=sequence,
                previous_id=last.id if last else None,
                period=None,
                operator=info.operator,
                created=created,
                summary=outgoing.summary,
            )
    except BaseException:
        if pending is not None:  # written but not recorded (the commit failed): it never existed
            pending.discard()
        raise
    ledger.publish_recorded(db, pending, package_id, info.actor("package"))
    return out, sequence


def export_reply(db: Database, unit: str | int, out: Path, *, passphrase: str | None = None) -> ReplyResult:
    """County: writes the signed 下发包 for one unit (all its review decisions, the county's
    corrections to its records, the reference data, the county's record of the unit's chain,
    the unit's 比学赶超 standing), sealed to the unit's key."""
    said: dict[str, Any] = {}

    def contents(s: Session, info: DatabaseInfo) -> _Outgoing:
        row = find_unit(s, unit)
        locks.lock_unit(s, row.id)  # on a server: one 下发包 of a unit at a time, none during its merge
        locks.lock_reference(s)  # and the reference data it carries not changed meanwhile
        recipient = keys.unit_encryption_key(s, row.id)
        if recipient is None:
            raise UserError(
                f"尚未收到{row.name}的加密公钥，无法生成加密的下发包：请该单位升级本程序后导出一次上报包，"
                "或重新导出密钥登记文件交县里登记。"
            )
        theirs = _township_ids(s, row.id)
        decisions = _decisions_for(s, row.id, theirs)
        corrections = corrections_for(s, row.id)
        try:
            _check_corrected(
                s, row.id, _county_ids(theirs, corrections), f"{row.name}的记录经县级更正后有错误，请先在县级修改："
            )
        except PackageProblem as problem:
            raise UserError(f"{problem}。") from None
        files = {
            DECISIONS_PATH: (dumps(decisions), len(decisions)),
            CORRECTIONS_PATH: (dumps(corrections), len(corrections)),
            REFERENCE_PATH: (dumps([snapshot_in(s)]), 1),
            INFO_PATH: (dumps([{"operator": info.operator}]), 1),
        }
        standing = county_standing.standing_record(s, row.id)
        if standing is not None:
            files[RANKING_PATH] = (dumps([standing]), 1)
        said.update(unit=row.name, decisions=len(decisions), corrections=len(corrections), standing=standing)
        return _Outgoing(
            pf.REPLY,
            row,
            files,
            {"decisions": len(decisions), "corrections": len(corrections)}
            | ({"ranking_period": standing["period"], "rank": standing["rank"]} if standing else {}),
            recipient=crypto.load_encryption_public(recipient),
            manifest={"county_head": ledger.county_head(s, row.id)},
        )

    out, sequence = _send(db, out, passphrase, contents)
    standing = said["standing"]
    sentence = county_standing.validated(standing).sentence() if standing else None
    return ReplyResult(out, said["unit"], sequence, said["decisions"], said["corrections"], sentence)


def _decisions_for(session: Session, unit_id: int, theirs: dict[str, str]) -> list[dict[str, Any]]:
    """The unit's review decisions, their field comments naming records by the township's ids."""
    review_codec = table_codec(m.Review.__table__)  # type: ignore[arg-type]
    out = []
    for r in session.execute(
        select(m.Review.__table__).where(m.Review.unit_id == unit_id).order_by(m.Review.decided_at)
    ).mappings():
        encoded = review_codec.encode(r)
        encoded["comments"] = [
            c | {"record_id": theirs.get(c.get("record_id"), c.get("record_id"))} for c in encoded["comments"]
        ]
        out.append(encoded)
    return out


def export_reference(db: Database, out: Path, *, passphrase: str | None = None) -> ReplyResult:
    """County: writes one 基础数据下发包 for every unit — the reference data (units, industries,
    targets, settings), signed by the county and not sealed, as it holds nothing private. A
    township applies it like a 下发包; an older version than it has changes nothing."""

    def contents(s: Session, info: DatabaseInfo) -> _Outgoing:
        locks.lock_reference(s)  # on a server: one at a time, the reference data not changed meanwhile
        county = s.get(m.Unit, info.unit_id)
        assert county is not None
        return _Outgoing(
            pf.REFERENCE,
            county,
            {REFERENCE_PATH: (dumps([snapshot_in(s)]), 1)},
            {"reference_version": info.reference_version},
        )

    out, sequence = _send(db, out, passphrase, contents)
    return ReplyResult(out, "全部单位", sequence, 0, 0)


def _county_ids(theirs: dict[str, str], corrections: list[dict[str, Any]]) -> set[str]:
    """The county's ids of the corrected records (the corrections name the township's)."""
    back = {t: c for c, t in theirs.items()}
    return {back.get(c["record_id"], c["record_id"]) for c in corrections}


# The township: applying a 下发包 -------------------------------------------------------------
@dataclass
class ApplyResult:
    file: str
    status: str  # applied / duplicate
    county_fingerprint: str
    key_changed: bool  # the county's key moved on (a signed rotation was followed)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # corrections to records not held here
    reference_changes: list[str] = field(default_factory=list)  # what the new reference data changed here
    to_explain: list[str] = field(default_factory=list)  # warnings the corrections raised
    rejoin: bool = False  # the county holds a package this database does not (a restored backup)
    kind: str = pf.REPLY  # or pf.REFERENCE: reference data for every unit
    standing: str | None = None  # the county's 比学赶超 standing of this unit, when carried

    def summary(self) -> str:
        label = pf.KIND_LABELS[self.kind]
        if self.status == "duplicate":
            return f"{label}“{self.file}”已经应用过，本次未作改动。"
        if self.kind == pf.REFERENCE:
            parts = [
                f"已应用{label}“{self.file}”：基础数据"
                + (f"已更新{len(self.reference_changes)}处" if self.reference_changes else "已是最新")
            ]
        else:
            parts = [f"已应用下发包“{self.file}”：审核结果{len(self.decisions)}条，更正{len(self.changes)}处"]
        if self.conflicts:
            parts.append(f"与本单位修改冲突{len(self.conflicts)}处（保留本单位的值，请核对）")
        if self.skipped:
            parts.append(f"{len(self.skipped)}处更正对应的记录本单位没有，已忽略")
        if self.reference_changes and self.kind == pf.REPLY:
            parts.append(f"基础数据已更新{len(self.reference_changes)}处")
        if self.standing:
            parts.append(self.standing)
        if self.to_explain:
            parts.append(f"更正后有{len(self.to_explain)}条警告需要填写说明")
        if self.key_changed:
            parts.append(f"县级密钥已按县里签署的更换记录更新（新指纹 {self.county_fingerprint}）")
        if self.rejoin:
            parts.append("县里已收到本单位此前导出的上报包，下一个上报包将接续县里的记录")
        return "，".join(parts) + "。"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "county_fingerprint": self.county_fingerprint,
            "key_changed": self.key_changed,
            "decisions": self.decisions,
            "changes": self.changes,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "reference_changes": self.reference_changes,
            "to_explain": self.to_explain,
            "rejoin": self.rejoin,
            "kind": self.kind,
            "standing": self.standing,
        }


def apply_reply(db: Database, path: Path, *, passphrase: str | None = None) -> ApplyResult:
    """Township: verifies a 下发包 against the county key pinned from the county's identity file
    (following signed key rotations) and applies it in one transaction: decisions, corrections
    (a field the township changed since is kept and listed as a conflict), newer reference
    data. Opening it takes this database's private key (`passphrase` if it has one)."""
    info = read_info(db)
    require_role(info, county=False)
    path = Path(path)
    pinned = keys.pinned_county(db)
    if pinned is None or not pinned.confirmed:
        raise UserError(
            f"“{path.name}”未应用：尚未导入县级身份文件。请向县里索取“县级身份文件”，在“上报”页面导入并"
            "电话核对指纹后，再应用下发包。"
        )
    moved: list[tuple[str, str]] = []

    def trust(manifest: dict[str, Any], signer_pem: str) -> None:
        if manifest["kind"] == pf.REPLY and manifest["unit"]["id"] != info.unit_id:
            name = manifest["unit"].get("name")
            raise PackageProblem(
                f"这是发给{printable(name)[:20] if isinstance(name, str) else '其他单位'}的下发包，不是发给本单位的"
            )
        if manifest["format_version"] == 1:
            if signer_pem != pinned.signing_pem:
                raise PackageProblem("下发包的签名密钥与本机记录的县级密钥不一致，可能不是县里发出的")
            return
        step = keys.follow_rotations(pinned.signing_pem, manifest.get("key_history", []), signer_pem)
        if step is not None:
            moved.append(step)

    pkg = pf.open_package(
        path, pf.REPLY, budget=reply_budget, decrypt=lambda: keys.unlock(db, passphrase).openers, trust_signer=trust
    )
    assert pkg.signer_pem is not None
    try:
        return _apply(db, info, pkg, moved[0] if moved else None)
    except (CodecProblem, PackageProblem) as problem:
        raise pf.refused(pkg.file_name, problem) from None


def _apply(db: Database, info: DatabaseInfo, pkg: pf.OpenedPackage, new_pin: tuple[str, str] | None) -> ApplyResult:
    kind = pkg.manifest["kind"]
    if kind == pf.REFERENCE:
        wanted, optional = {REFERENCE_PATH}, set()
    else:
        wanted = {DECISIONS_PATH, CORRECTIONS_PATH, REFERENCE_PATH} | (
            {INFO_PATH} if pkg.format_version >= 2 else set()
        )
        optional = _OPTIONAL_REPLY_FILES if pkg.format_version >= 2 else set()
    if not wanted <= set(pkg.data):
        raise PackageProblem("下发包的数据文件不完整")
    if extra := sorted(set(pkg.data) - wanted - optional):
        raise PackageProblem(f"下发包含有本程序不接收的数据文件“{extra[0][:60]}”")
    standing = _standing(pkg.data.get(RANKING_PATH))
    assert pkg.signer_pem is not None
    fingerprint = keys.fingerprint(keys.load_public(pkg.signer_pem))
    result = ApplyResult(pkg.file_name, "applied", fingerprint, new_pin is not None, kind=kind)
    backups.backup_before(db, "reply")
    with db.write(info.actor("reply", package_id=pkg.package_id)) as s:
        if pkg.training != is_training_database(s):
            raise PackageProblem(
                "这是培训（演示）汇总库发出的下发包，正式数据库不接收"
                if pkg.training
                else "这是正式汇总库发出的下发包，培训（演示）数据库不接收"
            )
        existing = s.get(m.PackageEntry, pkg.package_id)
        if existing is not None:
            if (existing.manifest_sha256 or existing.sha256) not in (pkg.manifest_sha256, pkg.sha256):
                raise PackageProblem("包编号与已应用的下发包相同而内容不同")
            result.status = "duplicate"
            return result
        last = s.scalar(
            select(func.max(m.PackageEntry.sequence)).where(
                m.PackageEntry.direction == ledger.IN, m.PackageEntry.kind == kind, m.PackageEntry.key_id == pkg.key_id
            )
        )
        if last is not None and pkg.sequence <= last:
            raise PackageProblem(f"序号{pkg.sequence}不高于已应用的第{last}号{pf.KIND_LABELS[kind]}（拒绝回退）")
        if kind == pf.REPLY:
            _apply_decisions(s, info, pkg, result)
            corrected: set[str] = set()
            ref = load(s)
            for n, corr in enumerate(pkg.data[CORRECTIONS_PATH], 1):
                if _apply_correction(s, info, ref, pkg, n, corr, result):
                    corrected.add(corr["record_id"])
            s.flush()
            result.to_explain = _check_corrected(s, info.unit_id, corrected, "县级更正后记录有错误，未应用：")
        result.reference_changes = _apply_reference(s, pkg.data[REFERENCE_PATH])
        if standing is not None:
            county_standing.remember(s, pkg.data[RANKING_PATH][0])
            result.standing = standing.sentence()
        _remember_county(s, pkg, new_pin)
        head = pkg.manifest.get("county_head")
        summary: dict[str, Any] = {
            "decisions": len(result.decisions),
            "changes": len(result.changes),
            "conflicts": len(result.conflicts),
        }
        if _valid_head(head):
            summary["county_head"] = head
        ledger.record_in(
            s, pkg, info.unit_id, operator=info.operator, period=None, summary=summary, processed_at=utcnow()
        )
        s.flush()
        own = keys.own_key(db)
        result.rejoin = ledger.next_link(s, info.unit_id, own.key_id).rejoined
    return result


def _standing(wrapped: Any) -> county_standing.CountyStanding | None:
    """The county's standing of this unit, checked before anything is applied (None: not carried)."""
    if wrapped is None:
        return None
    if len(wrapped) != 1:
        raise PackageProblem(f"“{RANKING_PATH}”应有且只有一条记录")
    try:
        return county_standing.validated(wrapped[0])
    except county_standing.StandingProblem as problem:
        raise PackageProblem(f"“{RANKING_PATH}”中{problem}") from None


def _valid_head(head: Any) -> bool:
    return (
        isinstance(head, dict)
        and set(head) == {"key_id", "sequence", "package_id", "manifest_sha256"}
        and isinstance(head["key_id"], str)
        and isinstance(head["sequence"], int)
        and (head["package_id"] is None or pf.is_uuid(head["package_id"]))
    )


def _remember_county(s: Session, pkg: pf.OpenedPackage, new_pin: tuple[str, str] | None) -> None:
    """The county key moved on by a signed rotation; or its encryption key, signed in the
    manifest by the pinned key, changed."""
    if new_pin is not None:
        s.merge(m.Meta(key=keys.META_COUNTY_KEY, value=new_pin[0]))
        s.merge(m.Meta(key=keys.META_COUNTY_ENCRYPTION_KEY, value=new_pin[1]))
        return
    sender = pkg.manifest.get("sender_encryption_key")
    if isinstance(sender, str):
        s.merge(m.Meta(key=keys.META_COUNTY_ENCRYPTION_KEY, value=sender))


def _apply_decisions(s: Session, info: DatabaseInfo, pkg: pf.OpenedPackage, result: ApplyResult) -> None:
    review_codec = table_codec(m.Review.__table__)  # type: ignore[arg-type]
    for n, raw in enumerate(pkg.data[DECISIONS_PATH], 1):
        row = review_codec.decode(raw, f"审核结果第{n}条")
        if row["unit_id"] != info.unit_id or row["decision"] not in DECISION_LABELS:
            raise PackageProblem(f"审核结果第{n}条无效")
        s.merge(m.Review(**row))
        result.decisions.append(
            {
                "period": row["period"],
                "decision": DECISION_LABELS[row["decision"]],
                "reason": row["reason"] or "",
                "comments": row["comments"],
            }
        )


def _apply_correction(
    s: Session, info: DatabaseInfo, ref: Reference, pkg: pf.OpenedPackage, n: int, corr: Any, result: ApplyResult
) -> bool:
    """Applies one correction (or records its conflict); True when the record was changed."""
    where = f"更正第{n}条"
    if not isinstance(corr, dict) or set(corr) != {"entity", "record_id", "field", "base", "value"}:
        raise PackageProblem(f"{where}格式错误")
    model = m.ENTITY_MODELS.get(corr["entity"]) if isinstance(corr["entity"], str) else None
    if model is None:
        raise PackageProblem(f"{where}的记录类型无效")
    tbl = model.__table__  # type: ignore[attr-defined]
    name = corr["field"]
    if name not in merged_fields(tbl):
        raise PackageProblem(f"{where}的字段无效")
    obj = s.get(model, corr["record_id"]) if pf.is_uuid(corr["record_id"]) else None
    if obj is not None and obj.unit_id != info.unit_id:
        raise PackageProblem(f"{where}对应的是其他单位的记录")
    entity = corr["entity"]
    if obj is None:  # a record the county holds for this unit but the unit never had
        result.skipped.append(f"{ENTITY_LABELS[entity]}记录{corr['record_id']}")
        return False
    codec = table_codec(tbl)
    column = next(c for c in codec.columns if c.name == name)
    current = codec.encode({c.name: getattr(obj, c.name) for c in tbl.columns})[name]
    label = f"{ENTITY_LABELS[entity]}“{record_subject(s, entity, obj.id)}”的{field_label(entity, name)}"
    names = value_names(s, ref, entity, name, obj.id, (corr["base"], corr["value"], current))

    def plain(value: Any) -> str:
        return show_value(json.dumps(value, ensure_ascii=False), names)

    if current == corr["value"]:
        return False
    if current == corr["base"]:
        try:
            value = None if corr["value"] is None else column.decode(corr["value"])
        except ValueError as exc:
            raise PackageProblem(f"{where}的值{exc}") from None
        if value is None and not column.nullable:
            raise PackageProblem(f"{where}的值不能为空")
        setattr(obj, name, value)
        result.changes.append(f"{label}：{plain(corr['base'])} → {plain(corr['value'])}")
        return True
    s.add(
        m.Conflict(
            entity=entity,
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
    result.conflicts.append(f"{label}：县级更正为{plain(corr['value'])}，本单位已改为{plain(current)}")
    return False


def _apply_reference(s: Session, wrapped: Any) -> list[str]:
    """Brings the township's reference data to the county's snapshot when it is newer; returns
    the changes in words for the clerk."""
    snapshot = wrapped[0] if isinstance(wrapped, list) and len(wrapped) == 1 else None
    if not isinstance(snapshot, dict):
        raise PackageProblem("基础数据格式错误")
    try:
        update = apply_snapshot_in(s, snapshot)
    except UserError as exc:
        raise PackageProblem(str(exc).rstrip("。")) from None
    return update.changes
