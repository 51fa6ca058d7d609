"""The township's 上报包: is the data ready, and the signed, sealed export.

The export never leaves a package the ledger does not know, nor a ledger entry without its
file: the package is written and synced under a temporary name, recorded in the ledger as
pending in one transaction, then renamed and marked done. An interruption anywhere is finished
or undone by `ledger.reconcile_pending` at the next export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import readiness as ready_service
from hengdong_desktop.services import reporting
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.services.identity import read_info
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import crypto, keys, ledger
from hengdong_desktop.services.packages.contents import AUDIT_PATH, ENTITY_ORDER, INFO_PATH, data_path, table
from hengdong_desktop.services.packages.strict_json import dumps
from hengdong_desktop.services.training import is_training_database


@dataclass
class Readiness:
    report: CheckReport
    key: keys.OwnKey
    next_sequence: int
    county: keys.PinnedCounty | None
    rejoins: bool  # the next package continues from the county's record (after a restore)

    @property
    def ready(self) -> bool:
        return self.report.ready and self.county_problem is None

    @property
    def county_problem(self) -> str | None:
        """Why nothing can be sealed to the county yet, if so."""
        if self.county is None or not self.county.confirmed or not self.county.encryption_pem:
            return (
                "尚未导入县级身份文件：请向县里索取“县级身份文件”，在“上报”页面导入并电话核对指纹后再导出"
                "（上报包只加密给经核对的县级密钥）。"
            )
        return None

    def problems(self) -> list[str]:
        listed = [*self.report.blocking, *self.report.unexplained]
        found = [f.describe() + ("" if f.severity.blocks else "（未说明）") for f in listed]
        return ([self.county_problem] if self.county_problem else []) + found


def readiness(db: Database) -> Readiness:
    info = read_info(db)
    own = keys.own_key(db)
    with db.read() as s:
        link = ledger.next_link(s, info.unit_id, own.key_id)
    return Readiness(
        ready_service.readiness(db, info.unit_id).report, own, link.sequence, keys.pinned_county(db), link.rejoined
    )


@dataclass
class ExportResult:
    path: Path
    package_id: str
    sequence: int
    period: str
    sha256: str
    counts: dict[str, int]
    rejoined: bool = False

    def summary(self) -> str:
        parts = "，".join(f"{ENTITY_LABELS[e]}{n}条" for e, n in self.counts.items() if e in ENTITY_LABELS and n)
        joined = "（接续县里已收到的记录）" if self.rejoined else ""
        return (
            f"已导出第{self.sequence}号上报包（{self.period}）{joined}：{self.path.name}，"
            f"保存在“{self.path.parent}”；{parts}。"
        )


def export_report(
    db: Database, out: Path, *, period: str, passphrase: str | None = None, rejoin: bool = False
) -> ExportResult:
    """Writes the unit's signed 上报包 for `period`, sealed to the county; refused while 审核
    finds errors or unexplained warnings (listed in the error's details) or while no county
    identity has been confirmed. `rejoin` continues from the county's record of the chain (a
    package was lost on the way)."""
    info = read_info(db)
    if info.is_county:
        raise UserError("县级汇总数据库不能导出上报包；向乡镇下发请用“下发包”。")
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    with db.write(info.actor("package")) as s:
        ledger.reconcile_pending(s)
    ready = readiness(db)
    if not ready.ready:
        if ready.county_problem:
            raise UserError(ready.county_problem)
        report = ready.report
        raise UserError(
            f"还有{len(report.blocking)}条错误和{len(report.unexplained)}条未说明的警告，不能导出上报包，"
            "请先修改或填写说明。",
            details=ready.problems()[:200],
        )
    assert ready.county is not None and ready.county.encryption_pem is not None
    unlocked = keys.unlock_to_sign(db, passphrase)
    out = Path(out)
    if out.suffix != pf.SUFFIX:
        out = out.with_name(out.name + pf.SUFFIX)
    pending: pf.PendingFile | None = None
    try:
        with db.write(info.actor("package")) as s:
            link = ledger.next_link(s, info.unit_id, unlocked.key_id, rejoin=rejoin)
            files, counts, upto = _contents(s, info.unit_id, link.audit_upto)
            last = ledger.last_entry(s, ledger.OUT, pf.REPORT, info.unit_id, unlocked.key_id)
            months = reporting.months_changed_since(s, info.unit_id, period, last.created_at if last else None)
            files[INFO_PATH] = (dumps([{"operator": info.operator}]), 1)
            unit = s.get(m.Unit, info.unit_id)
            assert unit is not None
            package_id = str(uuid.uuid4())
            created = utcnow()
            manifest = pf.app_fields() | {
                "kind": pf.REPORT,
                "package_id": package_id,
                "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
                "key_id": unlocked.key_id,
                "sequence": link.sequence,
                "previous": link.previous.as_json() if link.previous else None,
                "period": period,
                "periods": months,
                "created_at": datetime_out(created),
                "reference_version": info.reference_version,
                "training": is_training_database(s),
                "sender_encryption_key": crypto.public_pem(unlocked.encryption.public_key()),
            }
            pending = pf.write_package(
                out,
                manifest,
                files,
                unlocked.signing,
                recipient=crypto.load_encryption_public(ready.county.encryption_pem),
            )
            ledger.record_out(
                s,
                pending,
                package_id=package_id,
                kind=pf.REPORT,
                unit_id=info.unit_id,
                key_id=unlocked.key_id,
                sequence=link.sequence,
                previous_id=link.previous.package_id if link.previous else None,
                period=period,
                operator=info.operator,
                created=created,
                audit_upto=upto,
                summary={"counts": counts, "rejoined": link.rejoined},
            )
            reporting.mark_reported(s, info.unit_id, package_id, months)
    except BaseException:
        if pending is not None:  # written but not recorded (the commit failed): it never existed
            pending.discard()
        raise
    ledger.publish_recorded(db, pending, package_id, info.actor("package"))
    return ExportResult(out, package_id, link.sequence, period, pending.sha256, counts, link.rejoined)


def _contents(
    session: Session, unit_id: int, audit_from: int
) -> tuple[dict[str, tuple[bytes, int]], dict[str, int], int]:
    """The unit's full current state per entity and its audit log after `audit_from`, checked by
    the codec the county reads them with (so a text the county would refuse stops the export
    here, naming the record); returns (files, counts, last audit id carried)."""
    files: dict[str, tuple[bytes, int]] = {}
    counts: dict[str, int] = {}
    for entity in ENTITY_ORDER:
        tbl = table(entity)
        codec = table_codec(tbl)
        rows = [
            codec.encode(r)
            for r in session.execute(select(tbl).where(tbl.c.unit_id == unit_id).order_by(tbl.c.id)).mappings()
        ]
        _self_check(codec, rows, ENTITY_LABELS[entity])
        files[data_path(entity)] = (dumps(rows), len(rows))
        counts[entity] = len(rows)
    audit_tbl = m.AuditEntry.__table__
    codec = table_codec(audit_tbl)  # type: ignore[arg-type]
    audit = [
        codec.encode(r)
        for r in session.execute(
            select(audit_tbl).where(audit_tbl.c.id > audit_from).order_by(audit_tbl.c.id)
        ).mappings()
    ]
    _self_check(codec, audit, "操作日志")
    files[AUDIT_PATH] = (dumps(audit), len(audit))
    counts["audit"] = len(audit)
    return files, counts, max((a["id"] for a in audit), default=audit_from)


def _self_check(codec: object, rows: list[dict[str, object]], label: str) -> None:
    try:
        codec.decode_all(rows, lambda n: f"{label}第{n}条记录")  # type: ignore[attr-defined]
    except CodecProblem as problem:
        raise UserError(f"不能导出上报包：{problem}。请在相应页面修改后再导出。") from None
