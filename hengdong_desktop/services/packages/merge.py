"""Merging verified 上报包 into the county database.

One transaction per package, after one backup per batch; the ledger row is written in the same
transaction, so a package is either fully merged or not at all (kill -9 included). The ledger
decides first whether the package may be merged at all (services/packages/ledger.py).

Records match by UUID; a record the unit sends under an id the county does not know is matched
by its business key (credit code; enterprise and period; …) to the county's record that the
package does not otherwise carry — what a township that restored a backup and entered the data
again sends — and the pair is remembered as an alias. Each field is merged three-way against
what the unit last sent (`merge_base`): a field only the unit changed takes the unit's value,
one only the county changed keeps the county's, and one both changed is a conflict — both
values kept, the county's current until resolved. Credit codes another unit also reports are
flagged. Nothing is ever deleted: tombstones travel as the fields deleted_at / deleted_reason.

A dry run (校验, 预览) is the same merge in one transaction that is rolled back at the end, each
package in its own savepoint: what it reports is exactly what merging would do."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from hengdong_desktop.db import bulk, locks
from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor, set_actor
from hengdong_desktop.db.audit_rules import update_changes, update_stamp
from hengdong_desktop.db.codec import datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.merge_base import base_text, merged_fields
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, reporting
from hengdong_desktop.services.identity import DatabaseInfo, read_info
from hengdong_desktop.services.merge_rule import merge_record
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import keys, ledger
from hengdong_desktop.services.packages.contents import ENTITY_ORDER, table
from hengdong_desktop.services.packages.incoming import IncomingReport, no_cycle_collection
from hengdong_desktop.services.packages.strict_json import PackageProblem
from hengdong_desktop.services.packages.verifying import BatchVerifier
from hengdong_desktop.services.progress import Progress
from hengdong_desktop.services.reference import META_REFERENCE_VERSION

MERGED, DUPLICATE, REFUSED, VERIFIED, PREVIEW = "merged", "duplicate", "refused", "verified", "preview"
STATUS_LABELS = {MERGED: "已合并", DUPLICATE: "重复导入", REFUSED: "已拒绝", VERIFIED: "校验通过", PREVIEW: "预览"}
# Exit codes of `hengdong verify` / `merge` for a batch (README, "Command line").
EXIT_ALL_OK, EXIT_ALL_REFUSED, EXIT_SOME_REFUSED = 0, 1, 3
_CHUNK = 500


@dataclass
class EntityCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    duplicates: int = 0
    matched: int = 0  # records sent under a new id, matched to the county's by business key


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
        if t.matched:
            body += f"，按业务键对应已有记录{t.matched}条"
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


def batch_exit_code(results: Sequence[FileResult]) -> int:
    """0: every file merged, verified or already merged; 3: some refused, the rest done;
    1: every file refused."""
    refused = sum(r.status == REFUSED for r in results)
    if not refused:
        return EXIT_ALL_OK
    return EXIT_ALL_REFUSED if refused == len(results) else EXIT_SOME_REFUSED


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _refused(path: Path, err: UserError) -> FileResult:
    reason = str(err)
    prefix = f"“{path.name}”被拒绝："
    return FileResult(path.name, REFUSED, reason.removeprefix(prefix).rstrip("。"))


# Business keys: how a record sent under a new id is recognised ---------------------------------
_REFERENCES: dict[str, tuple[str, ...]] = {  # columns holding the id of another record of the unit
    "membership": ("enterprise_id",),
    "enterprise_monthly": ("enterprise_id",),
    "enterprise_annual": ("enterprise_id",),
    "project": ("builder_enterprise_id",),
    "project_annual": ("project_id",),
    "project_monthly": ("project_id",),
    "project_stage": ("project_id",),
    "project_photo": ("project_id",),
    "problem": ("enterprise_id", "project_id"),
    "support_measure": ("enterprise_id", "problem_id"),
    "explanation": ("record_id",),
}
# Entities whose business key only identifies a live record (a removed enterprise's credit code
# may be taken by a new one); the others are unique in the schema, tombstones included.
_LIVE_ONLY = {"enterprise", "project", "problem", "project_photo", "support_measure"}


def business_key(entity: str, row: dict[str, Any]) -> tuple[Any, ...] | None:
    get = row.get
    if entity in _LIVE_ONLY and get("deleted_at") is not None:
        return None
    if entity == "enterprise":
        return (get("credit_code"),)
    if entity == "project":
        return ("code", get("project_code")) if get("project_code") else ("name", get("name"))
    if entity == "membership":
        return get("enterprise_id"), get("list_name"), str(get("date_in"))
    if entity in ("enterprise_monthly", "project_monthly", "project_stage"):
        return get("enterprise_id") or get("project_id"), get("period")
    if entity == "enterprise_annual":
        return get("enterprise_id"), get("year")
    if entity == "project_annual":
        return get("project_id"), get("year")
    if entity == "project_photo":  # the same picture of the same project (a live photo)
        return get("project_id"), get("sha256")
    if entity == "problem":
        return get("enterprise_id"), get("project_id"), get("category"), get("description"), str(get("raised_on"))
    if entity == "support_measure":  # the same measure for the same enterprise
        return get("enterprise_id"), get("content")
    if entity == "explanation":
        return get("record_id"), get("rule_id")
    return None


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
    aliases: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    at: str = ""  # when, in the audit rows


class _Planner:
    """Works out a package's plan against the county's current records of its unit."""

    def __init__(self, session: Session, inc: IncomingReport, actor: Actor, *, lock: bool) -> None:
        self.session, self.inc, self.actor, self.lock = session, inc, actor, lock
        self.now = utcnow()
        self.plan = _Plan(at=datetime_out(self.now))
        self.unit = inc.unit_id
        self.aliases: dict[str, str] = dict(
            session.execute(
                select(m.RecordAlias.alias_id, m.RecordAlias.record_id).where(m.RecordAlias.unit_id == self.unit)
            ).all()
        )
        self.open_conflicts = {
            (c.record_id, c.field): c
            for c in session.execute(
                select(m.Conflict.id, m.Conflict.record_id, m.Conflict.field, m.Conflict.incoming_value).where(
                    m.Conflict.unit_id == self.unit, m.Conflict.resolved_at.is_(None)
                )
            )
        }

    def run(self) -> _Plan:
        for entity in ENTITY_ORDER:
            self._entity(entity)
        _plan_duplicates(self.session, self.inc, self.plan, self.plan.at, lock=self.lock)
        return self.plan

    def _entity(self, entity: str) -> None:
        tbl = table(entity)
        counts = self.plan.counts[entity] = EntityCounts()
        current = {r["id"]: r for r in self.session.execute(select(tbl).where(tbl.c.unit_id == self.unit)).mappings()}
        rows = list(zip(self.inc.typed[entity], self.inc.encoded[entity], strict=True))
        rows = [self._mapped(entity, typed, enc) for typed, enc in rows]
        counts.matched = self._match(entity, rows, current)
        if counts.matched:
            rows = [self._mapped(entity, typed, enc) for typed, enc in rows]
        _refuse_foreign(self.session, entity, [t["id"] for t, _e in rows if t["id"] not in current])
        bases = _bases(self.session, list(current))
        names = merged_fields(tbl)
        encode = table_codec(tbl).encode
        for typed, enc in rows:
            cur = current.get(typed["id"])
            if cur is None:
                counts.new += 1
                self.plan.inserts.setdefault(entity, []).append(enc)
            else:
                self._merge_record(entity, tbl, names, encode, typed, enc, cur, bases.get(typed["id"]), counts)

    def _mapped(self, entity: str, typed: dict[str, Any], enc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The row with its own id and its references put through the aliases, if any apply."""
        columns = ("id", *_REFERENCES.get(entity, ()))
        changed = {c: self.aliases[typed[c]] for c in columns if typed[c] in self.aliases}
        if not changed:
            return typed, enc
        return typed | changed, enc | changed

    def _match(self, entity: str, rows: list[tuple[dict[str, Any], dict[str, Any]]], current: dict[str, Any]) -> int:
        """Aliases the rows with an unknown id whose business key a county record has that no
        row of the package carries; returns how many."""
        unknown = [typed for typed, _enc in rows if typed["id"] not in current]
        if not unknown:
            return 0
        carried = {typed["id"] for typed, _enc in rows}
        free: dict[tuple[Any, ...], str] = {}
        for rid, row in current.items():
            key = business_key(entity, dict(row))
            if rid not in carried and key is not None:
                free.setdefault(key, rid)
        matched = 0
        for typed in unknown:
            key = business_key(entity, typed)
            target = free.pop(key, None) if key is not None else None
            if target is None:
                continue
            self.aliases[typed["id"]] = target
            self.plan.aliases.append(
                {
                    "alias_id": typed["id"],
                    "record_id": target,
                    "entity": entity,
                    "unit_id": self.unit,
                    "package_id": self.actor.package_id,
                    "created_at": self.plan.at,
                }
            )
            matched += 1
        return matched

    def _merge_record(
        self,
        entity: str,
        tbl: Any,
        names: list[str],
        encode: Callable[[Any], dict[str, Any]],
        typed: dict[str, Any],
        enc: dict[str, Any],
        cur: Any,
        stored: str | None,
        counts: EntityCounts,
    ) -> None:
        rid = typed["id"]
        cur_enc = encode(cur)
        # No stored base: the county has not edited the record since the unit sent it.
        base = json.loads(stored) if stored is not None else cur_enc
        merged = merge_record(base, cur_enc, enc, names)
        for conflict in merged.conflicts:
            self._conflict(entity, rid, conflict.field, conflict.base, conflict.ours, conflict.theirs)
        counts.conflicts += len(merged.conflicts)
        if merged.diverged:  # some field keeps the county's value: the base must be remembered
            sent_text = base_text(tbl, enc)
            if sent_text != stored:
                self.plan.bases.append({"record_id": rid, "entity": entity, "data": sent_text})
        elif stored is not None:
            self.plan.dropped_bases.append(rid)
        applied = {k: typed[k] for k in merged.taken}
        if not applied:
            counts.unchanged += 1
            return
        counts.changed += 1
        before = dict(cur)
        self.plan.updates.setdefault(entity, []).append(
            before | applied | update_stamp(cur["revision"], self.now, typed["updated_by"])
        )
        for change in update_changes(before, applied):
            self._audit(entity, rid, change.action, change.field, change.old, change.new)

    def _conflict(self, entity: str, rid: str, name: str, base: Any, local: Any, incoming: Any) -> None:
        value = json.dumps(incoming, ensure_ascii=False)
        existing = self.open_conflicts.get((rid, name))
        if existing is None:
            self.plan.new_conflicts.append(
                {
                    "id": None,
                    "entity": entity,
                    "record_id": rid,
                    "unit_id": self.unit,
                    "field": name,
                    "base_value": json.dumps(base, ensure_ascii=False),
                    "local_value": json.dumps(local, ensure_ascii=False),
                    "incoming_value": value,
                    "package_id": self.actor.package_id,
                    "detected_at": self.plan.at,
                    "resolved_at": None,
                    "resolution": None,
                    "resolved_by": None,
                }
            )
        elif existing.incoming_value != value:
            self.plan.conflict_updates.append(
                {"b_id": existing.id, "incoming_value": value, "package_id": self.actor.package_id}
            )

    def _audit(self, entity: str, record_id: str, action: str, name: str | None, old: Any, new: Any) -> None:
        self.plan.audit.append(
            {
                "id": None,
                "at": self.plan.at,
                "unit_id": self.unit,
                "operator": self.actor.operator,
                "source": "merge",
                "entity": entity,
                "entity_id": record_id,
                "action": action,
                "field": name,
                "old_value": old,
                "new_value": new,
                "package_id": self.actor.package_id,
            }
        )


def _refuse_foreign(session: Session, entity: str, ids: list[str]) -> None:
    """A record id the package brings that another unit owns at the county is refused."""
    found = bulk.first_existing(session.connection(), table(entity).name, ids)
    if found is not None:
        raise PackageProblem(f"{ENTITY_LABELS[entity]}记录{found}在县级库中属于其他单位，不能由本单位改动")


def _bases(session: Session, ids: list[str]) -> dict[str, str]:
    return bulk.stored_bases(session.connection(), ids)


def _plan_duplicates(session: Session, inc: IncomingReport, plan: _Plan, now_text: str, *, lock: bool) -> None:
    """Flags every live enterprise whose credit code a live enterprise of another unit has. With
    `lock` (a merge that commits, on a server), the codes new to the unit are locked first: no
    other unit's merge can bring the same new code unseen meanwhile."""
    mine = {r["credit_code"]: r["id"] for r in inc.typed["enterprise"] if r["deleted_at"] is None}
    if lock:
        locks.lock_new_credit_codes(session, inc.unit_id, mine)
    flagged: set[str] = set()
    for chunk in _chunks(list(mine)):
        for other in session.execute(
            select(m.Enterprise.id, m.Enterprise.unit_id, m.Enterprise.credit_code).where(
                m.Enterprise.credit_code.in_(chunk),
                m.Enterprise.unit_id != inc.unit_id,
                m.Enterprise.deleted_at.is_(None),
            )
        ):
            for ent_id, unit_id in ((mine[other.credit_code], inc.unit_id), (other.id, other.unit_id)):
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


def _apply(session: Session, inc: IncomingReport, plan: _Plan, actor: Actor) -> None:
    conn = session.connection()
    for entity in ENTITY_ORDER:
        rows = plan.inserts.get(entity)
        if not rows:
            continue
        table_codec(table(entity)).bulk_insert(conn, rows)
        bulk.audit_created(
            conn,
            at=plan.at,
            unit_id=inc.unit_id,
            operator=actor.operator,
            source=actor.source,
            entity=entity,
            package_id=actor.package_id,
            ids=[r["id"] for r in rows],
        )
    for entity in reversed(ENTITY_ORDER):
        rows = plan.updates.get(entity)
        if rows:
            tbl = table(entity)
            conn.execute(update(tbl).where(tbl.c.id == bindparam("b_id")), [r | {"b_id": r["id"]} for r in rows])
    table_codec(m.MergeBase.__table__).bulk_insert(conn, plan.bases, on_conflict="replace")  # type: ignore[arg-type]
    bulk.drop_bases(conn, plan.dropped_bases)
    table_codec(m.AuditEntry.__table__).bulk_insert(conn, plan.audit)  # type: ignore[arg-type]
    table_codec(m.Conflict.__table__).bulk_insert(conn, plan.new_conflicts)  # type: ignore[arg-type]
    if plan.conflict_updates:
        conflicts = m.Conflict.__table__
        conn.execute(
            update(conflicts).where(conflicts.c.id == bindparam("b_id")),  # type: ignore[arg-type]
            plan.conflict_updates,
        )
    table_codec(m.DuplicateFlag.__table__).bulk_insert(conn, plan.flags, on_conflict="ignore")  # type: ignore[arg-type]
    table_codec(m.RecordAlias.__table__).bulk_insert(conn, plan.aliases)  # type: ignore[arg-type]
    pkg = inc.package
    reporting.mark_reported(session, inc.unit_id, pkg.package_id, _months(inc, plan))
    key = session.get(m.UnitKey, pkg.key_id)
    sender = pkg.manifest.get("sender_encryption_key")
    if key is not None and isinstance(sender, str) and key.encryption_key != sender:
        key.encryption_key = sender  # signed by the unit's active key: where 下发包 are sealed to
    ledger.record_in(
        session,
        pkg,
        inc.unit_id,
        operator=actor.operator,
        period=inc.period,
        processed_at=utcnow(),
        summary={
            "counts": {e: vars(c) for e, c in plan.counts.items()},
            "warnings": plan.warnings,
            "periods": inc.periods,
        },
        unit_audit=inc.unit_audit,
    )
    session.flush()


def _months(inc: IncomingReport, plan: _Plan) -> list[str]:
    """The months the package carries: as its manifest lists them (format 2), else as its new and
    changed records show (format 1); never a month after its period."""
    listed = inc.package.manifest.get("periods")
    if isinstance(listed, list):
        return [p for p in listed if inc.period is None or p <= inc.period]
    return reporting.months_carried(inc.period, plan.inserts, plan.updates)


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


def _county(db: Database) -> DatabaseInfo:
    info = read_info(db)
    if not info.is_county:
        raise UserError("只有县级汇总数据库可以校验和合并上报包。")
    return info


def verify_files(
    db: Database, paths: Iterable[Path], progress: Progress | None = None, *, passphrase: str | None = None
) -> list[FileResult]:
    """Checks each file completely (signature, hashes, records, ledger) by merging it in a
    transaction that is rolled back; writes nothing."""
    return merge_files(db, paths, dry_run=True, progress=progress, status=VERIFIED, passphrase=passphrase)


class _RollBack(Exception):
    """Ends a dry run: its transaction is rolled back."""


Begin = Callable[[Actor], AbstractContextManager[Session]]


@contextmanager
def _transactions(db: Database, info: DatabaseInfo, dry_run: bool) -> Iterator[Begin]:
    """How each package's merge is wrapped: its own committed transaction (sharing one tuned
    connection, see Database.bulk_writes) or, in a dry run, a savepoint in one transaction that
    is rolled back at the end."""
    if not dry_run:
        with db.bulk_writes():
            yield db.write
        return
    try:
        with db.write(info.actor("merge")) as session:

            @contextmanager
            def savepoint(actor: Actor) -> Iterator[Session]:
                set_actor(session, actor)
                with session.begin_nested():
                    yield session

            yield savepoint
            raise _RollBack
    except _RollBack:
        pass


def merge_files(
    db: Database,
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    status: str = PREVIEW,
    passphrase: str | None = None,
) -> list[FileResult]:
    """Merges each file in its own transaction (after one backup); with `dry_run`, reports what
    would change (new, changed, unchanged, conflicts, duplicates) and writes nothing. Opening
    the packages takes the county's private key (`passphrase` if it has one)."""
    info = _county(db)
    decrypt = keys.unlock(db, passphrase).openers
    given = [Path(p) for p in paths]
    # A unit's packages go in sequence order whatever order they were picked in; the results
    # come back in the order given. (Order across units does not change the outcome.)
    order = sorted(range(len(given)), key=lambda i: pf.batch_order(given[i]))
    files = [given[i] for i in order]
    results: list[FileResult] = []
    backed_up = False
    with (
        no_cycle_collection(),
        BatchVerifier(db, files, decrypt) as verifier,
        _transactions(db, info, dry_run) as begin,
    ):
        for n, path in enumerate(files):
            verified = verifier[n]
            if progress:
                progress(n, len(files), f"正在合并{path.name}")
            try:
                if isinstance(verified, UserError):
                    raise verified
                inc = verified
                actor = info.actor("merge", package_id=inc.package.package_id, operator=inc.operator)
                if not dry_run and not backed_up:
                    backups.backup_before(db, "merge")
                    backed_up = True
                with begin(actor) as s:
                    results.append(_merge_one(s, inc, actor, MERGED if not dry_run else status, write=not dry_run))
            except UserError as err:
                results.append(_refused(path, err))
    if progress:
        progress(len(files), len(files), "完成")
    by_position = dict(zip(order, results, strict=True))
    return [by_position[i] for i in range(len(given))]


def _reference_warning(session: Session, inc: IncomingReport) -> list[str]:
    """A package made on older reference data than the county's merges, with a warning naming
    both versions (the unit's next 下发包 brings it up to date)."""
    theirs = inc.package.manifest.get("reference_version")
    row = session.get(m.Meta, META_REFERENCE_VERSION)
    ours = int(row.value) if row is not None else 0
    if isinstance(theirs, int) and not isinstance(theirs, bool) and theirs < ours:
        return [f"该包基于第{theirs}版基础数据，县级现为第{ours}版，请向该单位发送下发包更新基础数据"]
    return []


def _merge_one(session: Session, inc: IncomingReport, actor: Actor, status: str, *, write: bool) -> FileResult:
    """One package's merge in `session`. A merge that commits (`write`) takes its unit's lock
    first: on a server a unit's packages merge one at a time, other units' at the same time. A
    dry run takes no lock (it holds its savepoints' locks until the whole batch ends)."""
    try:
        if write:
            locks.lock_unit(session, inc.unit_id)
        earlier = ledger.check_report(session, inc.package, inc.unit_id)
        if earlier is not None:
            result = _result(inc, DUPLICATE)
            result.reason = f"该上报包已于{earlier.processed_at:%Y-%m-%d %H:%M}合并，本次未作改动"
            return result
        plan = _Planner(session, inc, actor, lock=write).run()
        plan.warnings += _reference_warning(session, inc)
        _apply(session, inc, plan, actor)
    except PackageProblem as problem:
        raise pf.refused(inc.package.file_name, problem) from None
    result = _result(inc, status)
    result.counts, result.warnings = plan.counts, plan.warnings
    return result
