"""Merging verified 上报包 into the county database.

One transaction per package, after one backup per batch; the ledger row is written in the same
transaction, so a package is either fully merged or not at all (kill -9 included). Records match
by UUID. Each field is merged three-way against what the unit last sent (`merge_base`): a field
only the unit changed takes the unit's value, one only the county changed keeps the county's,
and one both changed is a conflict — both values kept, the county's current until resolved.
Credit codes another unit also reports are flagged. Nothing is ever deleted: tombstones travel
as the fields deleted_at / deleted_reason. A dry run computes the same plan and writes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.audit_rules import update_changes, update_stamp
from hengdong_desktop.db.codec import DATETIME_SQL, datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.merge_base import base_text, merged_fields
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups
from hengdong_desktop.services import package_format as pf
from hengdong_desktop.services.merge_rule import merge_record
from hengdong_desktop.services.packages import (
    ENTITY_ORDER,
    IncomingReport,
    no_cycle_collection,
    table,
)
from hengdong_desktop.services.setup import read_info
from hengdong_desktop.services.verifying import BatchVerifier

Progress = Callable[[int, int, str], None]
MERGED, DUPLICATE, REFUSED, VERIFIED, PREVIEW = (
    "merged",
    "duplicate",
    "refused",
    "verified",
    "preview",
)
STATUS_LABELS = {
    MERGED: "已合并",
    DUPLICATE: "重复导入",
    REFUSED: "已拒绝",
    VERIFIED: "校验通过",
    PREVIEW: "预览",
}
_CHUNK = 500


@dataclass
class EntityCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0


@dataclass
class FileResult:
    file: str
    status: str
    reason: str = ""
    unit: str = ""
    unit_id: int | None = None
    period: str | None = None
    sequence: int | None = None
    package_id: str | None = None
    counts: dict[str, EntityCounts] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def totals(self) -> EntityCounts:
        t = EntityCounts()
        for c in self.counts.values():
            for k in vars(t):
                setattr(t, k, getattr(t, k) + getattr(c, k))
        return t

    def describe(self) -> str:
        head = f"{self.file}：{STATUS_LABELS[self.status]}"
        if self.status in (REFUSED, DUPLICATE):
            return f"{head}（{self.reason}）"
        t = self.totals()
        body = (
            f"（{self.unit}，{self.period}，第{self.sequence}号）新增{t.new}条，修改{t.changed}条，"
            f"未变{t.unchanged}条，冲突{t.conflicts}处，重复企业{t.duplicates}户"
        )
        extra = "；" + "；".join(self.warnings) if self.warnings else ""
        return head + body + (f"；{self.reason}" if self.reason else "") + extra

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "unit": self.unit,
            "unit_id": self.unit_id,
            "period": self.period,
            "sequence": self.sequence,
            "package_id": self.package_id,
            "warnings": self.warnings,
            "counts": {e: vars(c) for e, c in self.counts.items()},
        }


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _refused(path: Path, err: UserError) -> FileResult:
    reason = str(err)
    prefix = f"“{path.name}”被拒绝："
    return FileResult(path.name, REFUSED, reason.removeprefix(prefix).rstrip("。"))


# Ledger checks -----------------------------------------------------------------------------
def _ledger_check(session: Session, inc: IncomingReport) -> tuple[str | None, list[str]]:
    """(DUPLICATE or None, warnings); raises PackageProblem for a replay or a rollback."""
    pkg = inc.package
    existing = session.get(m.PackageEntry, pkg.package_id)
    if existing is not None:
        if existing.sha256 == pkg.sha256 and existing.direction == "in":
            return DUPLICATE, [
                f"该上报包已于{existing.processed_at:%Y-%m-%d %H:%M}合并，本次未作改动"
            ]
        raise pf.PackageProblem("包编号与已收到的另一个包相同而内容不同（疑似伪造或重放）")
    chain = (
        m.PackageEntry.direction == "in",
        m.PackageEntry.kind == pf.REPORT,
        m.PackageEntry.unit_id == inc.unit_id,
        m.PackageEntry.key_id == pkg.key_id,
    )
    last = session.scalars(
        select(m.PackageEntry).where(*chain).order_by(m.PackageEntry.sequence.desc()).limit(1)
    ).first()
    if last is None:
        return None, []
    if pkg.sequence <= last.sequence:
        raise pf.PackageProblem(
            f"序号{pkg.sequence}不高于已合并的第{last.sequence}号，是旧包或重放的包（拒绝回退）"
        )
    if pkg.sequence == last.sequence + 1:
        if pkg.manifest.get("previous_sha256") != last.sha256:
            raise pf.PackageProblem(
                f"与已合并的第{last.sequence}号上报包不衔接（上一包SHA-256不符）"
            )
        return None, []
    missing = list(range(last.sequence + 1, pkg.sequence))
    shown = "、".join(str(n) for n in missing[:10]) + ("等" if len(missing) > 10 else "")
    return None, [f"缺少第{shown}号上报包（已合并到第{last.sequence}号）"]


# The plan: what merging one package changes ------------------------------------------------
@dataclass
class _Plan:
    counts: dict[str, EntityCounts] = field(default_factory=dict)
    inserts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # new records
    updates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    bases: list[dict[str, Any]] = field(default_factory=list)
    dropped_bases: list[str] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)  # changes; creations: `inserts`
    new_conflicts: list[dict[str, Any]] = field(default_factory=list)
    conflict_updates: list[dict[str, Any]] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    at: str = ""  # when, in the audit rows


def _plan(session: Session, inc: IncomingReport, actor: Actor) -> _Plan:
    now = utcnow()
    now_text = datetime_out(now)
    plan = _Plan(at=now_text)
    unit = inc.unit_id
    open_conflicts = {
        (c.record_id, c.field): c
        for c in session.execute(
            select(
                m.Conflict.id, m.Conflict.record_id, m.Conflict.field, m.Conflict.incoming_value
            ).where(m.Conflict.unit_id == unit, m.Conflict.resolved_at.is_(None))
        )
    }

    def audit(
        entity: str, record_id: str, action: str, fld: str | None, old: Any, new: Any
    ) -> None:
        plan.audit.append(
            {
                "id": None,
                "at": now_text,
                "unit_id": unit,
                "operator": actor.operator,
                "source": "merge",
                "entity": entity,
                "entity_id": record_id,
                "action": action,
                "field": fld,
                "old_value": old,
                "new_value": new,
                "package_id": actor.package_id,
            }
        )

    for entity in ENTITY_ORDER:
        tbl = table(entity)
        counts = plan.counts[entity] = EntityCounts()
        current = {
            r["id"]: r for r in session.execute(select(tbl).where(tbl.c.unit_id == unit)).mappings()
        }
        _refuse_foreign(
            session, entity, [r["id"] for r in inc.typed[entity] if r["id"] not in current]
        )
        bases = _bases(session, list(current))
        names = merged_fields(tbl)
        encode = table_codec(tbl).encode
        for typed, enc in zip(inc.typed[entity], inc.encoded[entity], strict=True):
            rid = typed["id"]
            cur = current.get(rid)
            if cur is None:
                counts.new += 1
                plan.inserts.setdefault(entity, []).append(enc)
                continue
            cur_enc = encode(cur)
            stored = bases.get(rid)
            # No stored base: the county has not edited the record since the unit sent it.
            base = json.loads(stored) if stored is not None else cur_enc
            merged = merge_record(base, cur_enc, enc, names)
            applied = {k: typed[k] for k in merged.taken}
            kept = merged.diverged  # some field keeps the county's value: the base must be remembered
            for conflict in merged.conflicts:
                k, b, c = conflict.field, conflict.base, conflict.ours
                value = json.dumps(conflict.theirs, ensure_ascii=False)
                existing = open_conflicts.get((rid, k))
                if existing is None:
                    plan.new_conflicts.append(
                        {
                            "id": None,
                            "entity": entity,
                            "record_id": rid,
                            "unit_id": unit,
                            "field": k,
                            "base_value": json.dumps(b, ensure_ascii=False),
                            "local_value": json.dumps(c, ensure_ascii=False),
                            "incoming_value": value,
                            "package_id": actor.package_id,
                            "detected_at": now_text,
                            "resolved_at": None,
                            "resolution": None,
                            "resolved_by": None,
                        }
                    )
                elif existing.incoming_value != value:
                    plan.conflict_updates.append(
                        {
                            "b_id": existing.id,
                            "incoming_value": value,
                            "package_id": actor.package_id,
                        }
                    )
                counts.conflicts += 1
            if kept:
                sent_text = base_text(tbl, enc)
                if sent_text != stored:
                    plan.bases.append({"record_id": rid, "entity": entity, "data": sent_text})
            elif stored is not None:
                plan.dropped_bases.append(rid)
            if not applied:
                counts.unchanged += 1
                continue
            counts.changed += 1
            before = dict(cur)
            plan.updates.setdefault(entity, []).append(
                before | applied | update_stamp(cur["revision"], now, typed["updated_by"]))
            for change in update_changes(before, applied):
                audit(entity, rid, change.action, change.field, change.old, change.new)
    _plan_duplicates(session, inc, plan, now_text)
    return plan


def _refuse_foreign(session: Session, entity: str, ids: list[str]) -> None:
    """A record id the package brings that another unit owns at the county is refused."""
    found = (
        session.connection()
        .exec_driver_sql(
            f'SELECT t.id FROM json_each(?) AS j JOIN "{table(entity).name}" AS t ON t.id = j.value'
            " LIMIT 1",
            (json.dumps(ids),),
        )
        .first()
    )
    if found is not None:
        raise pf.PackageProblem(
            f"{ENTITY_LABELS[entity]}记录{found[0]}在县级库中属于其他单位，不能由本单位改动"
        )


def _bases(session: Session, ids: list[str]) -> dict[str, str]:
    return dict(
        session.connection()
        .exec_driver_sql(
            "SELECT b.record_id, b.data FROM json_each(?) AS j"
            " JOIN merge_base AS b ON b.record_id = j.value",
            (json.dumps(ids),),
        )
        .all()
    )


def _plan_duplicates(session: Session, inc: IncomingReport, plan: _Plan, now_text: str) -> None:
    """Flags every live enterprise whose credit code a live enterprise of another unit has."""
    mine = {r["credit_code"]: r["id"] for r in inc.typed["enterprise"] if r["deleted_at"] is None}
    codes = list(mine)
    flagged: set[str] = set()
    for chunk in _chunks(codes):
        for other in session.execute(
            select(m.Enterprise.id, m.Enterprise.unit_id, m.Enterprise.credit_code).where(
                m.Enterprise.credit_code.in_(chunk),
                m.Enterprise.unit_id != inc.unit_id,
                m.Enterprise.deleted_at.is_(None),
            )
        ):
            for ent_id, unit_id in (
                (mine[other.credit_code], inc.unit_id),
                (other.id, other.unit_id),
            ):
                plan.flags.append(
                    {
                        "id": None,
                        "credit_code": other.credit_code,
                        "enterprise_id": ent_id,
                        "unit_id": unit_id,
                        "detected_at": now_text,
                        "resolved_at": None,
                        "decision": None,
                    }
                )
            flagged.add(other.credit_code)
    plan.counts["enterprise"].duplicates = len(flagged)


# The audit row of each created record: all values but the record id are the same, so SQLite
# makes the rows from one JSON list of ids (json_each) rather than binding each row from Python.
_AUDIT_CREATED = (
    "INSERT INTO audit_log (at, unit_id, operator, source, entity, entity_id, action, package_id)"
    f" SELECT {DATETIME_SQL}, ?, ?, ?, ?, value, 'create', ? FROM json_each(?)"
)


def _apply(session: Session, inc: IncomingReport, plan: _Plan, actor: Actor) -> None:
    conn = session.connection()
    for entity in ENTITY_ORDER:
        rows = plan.inserts.get(entity)
        if not rows:
            continue
        table_codec(table(entity)).bulk_insert(conn, rows)
        ids = json.dumps([r["id"] for r in rows])
        conn.exec_driver_sql(
            _AUDIT_CREATED,
            (plan.at, inc.unit_id, actor.operator, actor.source, entity, actor.package_id, ids),
        )
    for entity in reversed(ENTITY_ORDER):
        rows = plan.updates.get(entity)
        if rows:
            tbl = table(entity)
            conn.execute(
                update(tbl).where(tbl.c.id == bindparam("b_id")),
                [r | {"b_id": r["id"]} for r in rows],
            )
    table_codec(m.MergeBase.__table__).bulk_insert(conn, plan.bases, prefix="OR REPLACE")  # type: ignore[arg-type]
    if plan.dropped_bases:
        conn.exec_driver_sql(
            "DELETE FROM merge_base WHERE record_id = ?", [(r,) for r in plan.dropped_bases]
        )
    table_codec(m.AuditEntry.__table__).bulk_insert(conn, plan.audit)  # type: ignore[arg-type]
    table_codec(m.Conflict.__table__).bulk_insert(conn, plan.new_conflicts)  # type: ignore[arg-type]
    if plan.conflict_updates:
        conflicts = m.Conflict.__table__
        conn.execute(
            update(conflicts).where(conflicts.c.id == bindparam("b_id")),  # type: ignore[arg-type]
            plan.conflict_updates,
        )
    table_codec(m.DuplicateFlag.__table__).bulk_insert(conn, plan.flags, prefix="OR IGNORE")  # type: ignore[arg-type]
    pkg = inc.package
    session.add(
        m.PackageEntry(
            id=pkg.package_id,
            direction="in",
            kind=pf.REPORT,
            unit_id=inc.unit_id,
            key_id=pkg.key_id,
            sequence=pkg.sequence,
            sha256=pkg.sha256,
            previous_sha256=pkg.manifest.get("previous_sha256"),
            period=inc.period,
            created_at=pkg.created_at,
            processed_at=utcnow(),
            operator=actor.operator,
            file_name=pkg.file_name,
            summary={
                "counts": {e: vars(c) for e, c in plan.counts.items()},
                "warnings": plan.warnings,
            },
            unit_audit=inc.unit_audit,
        )
    )
    session.flush()


# Public API ----------------------------------------------------------------------------------
def _result(inc: IncomingReport, status: str) -> FileResult:
    return FileResult(
        inc.package.file_name,
        status,
        unit=inc.unit_name,
        unit_id=inc.unit_id,
        period=inc.period,
        sequence=inc.package.sequence,
        package_id=inc.package.package_id,
    )


def _county(db: Database) -> Any:
    info = read_info(db)
    if not info.is_county:
        raise UserError("只有县级汇总数据库可以校验和合并上报包。")
    return info


def verify_files(
    db: Database, paths: Iterable[Path], progress: Progress | None = None
) -> list[FileResult]:
    """Checks each file completely (signature, hashes, records, ledger); writes nothing."""
    return merge_files(db, paths, dry_run=True, progress=progress, status=VERIFIED)


def merge_files(
    db: Database,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    status: str = PREVIEW,
) -> list[FileResult]:
    """Merges each file in its own transaction (after one backup); with `dry_run`, reports
    what would change (new, changed, unchanged, conflicts, duplicates) and writes nothing."""
    info = _county(db)
    given = [Path(p) for p in paths]
    # A unit's packages go in sequence order whatever order they were picked in; the results
    # come back in the order given. (Order across units does not change the outcome.)
    order = sorted(range(len(given)), key=lambda i: pf.batch_order(given[i]))
    files = [given[i] for i in order]
    results: list[FileResult] = []
    backed_up = False
    # The packages' transactions share one tuned connection (see Database.bulk_writes).
    with (
        no_cycle_collection(),
        nullcontext() if dry_run else db.bulk_writes(),
        BatchVerifier(db, files) as verifier,
    ):
        for n, path in enumerate(files):
            verified = verifier[n]
            if progress:
                progress(n, len(files), f"正在合并{path.name}")
            try:
                if isinstance(verified, UserError):
                    raise verified
                inc = verified
                actor = info.actor(
                    "merge",
                    package_id=inc.package.package_id,
                    operator=str(inc.package.manifest.get("operator") or "")[:50],
                )
                if dry_run:
                    with db.read() as s:
                        results.append(_merge_one(s, inc, actor, write=False, status=status))
                    continue
                if not backed_up:
                    backups.backup_before(db, "merge")
                    backed_up = True
                with db.write(actor) as s:
                    results.append(_merge_one(s, inc, actor, write=True, status=MERGED))
            except UserError as err:
                results.append(_refused(path, err))
    if progress:
        progress(len(files), len(files), "完成")
    by_position = dict(zip(order, results, strict=True))
    return [by_position[i] for i in range(len(given))]


def _merge_one(
    session: Session, inc: IncomingReport, actor: Actor, *, write: bool, status: str
) -> FileResult:
    try:
        duplicate, warnings = _ledger_check(session, inc)
        if duplicate:
            result = _result(inc, DUPLICATE)
            result.reason = warnings[0]
            return result
        plan = _plan(session, inc, actor)
    except pf.PackageProblem as problem:
        raise pf.refused(inc.package.file_name, problem) from None
    plan.warnings = warnings
    if write:
        _apply(session, inc, plan, actor)
    result = _result(inc, status)
    result.counts, result.warnings = plan.counts, warnings
    return result
