"""The township's 上报包: is the data ready, and the signed export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.services.identity import read_info
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import keys
from hengdong_desktop.services.packages.contents import AUDIT_PATH, ENTITY_ORDER, data_path, table
from hengdong_desktop.services.packages.strict_json import dumps


@dataclass
class Readiness:
    report: CheckReport
    key: keys.OwnKey
    next_sequence: int

    @property
    def ready(self) -> bool:
        return self.report.ready

    def problems(self) -> list[str]:
        listed = [*self.report.blocking, *self.report.unexplained]
        return [f.describe() + ("" if f.severity.blocks else "（未说明）") for f in listed]


def _last_out(session: Session, kind: str, unit_id: int, key_id: str) -> m.PackageEntry | None:
    return session.scalars(
        select(m.PackageEntry)
        .where(
            m.PackageEntry.direction == "out",
            m.PackageEntry.kind == kind,
            m.PackageEntry.unit_id == unit_id,
            m.PackageEntry.key_id == key_id,
        )
        .order_by(m.PackageEntry.sequence.desc())
        .limit(1)
    ).first()


def readiness(db: Database) -> Readiness:
    info = read_info(db)
    own = keys.own_key(db)
    with db.read() as s:
        last = _last_out(s, pf.REPORT, info.unit_id, own.key_id)
    return Readiness(
        checks.check_database(db, unit_id=info.unit_id),
        own,
        (last.sequence if last else 0) + 1,
    )


@dataclass
class ExportResult:
    path: Path
    package_id: str
    sequence: int
    period: str
    sha256: str
    counts: dict[str, int]

    def summary(self) -> str:
        parts = "，".join(
            f"{ENTITY_LABELS[e]}{n}条" for e, n in self.counts.items() if e in ENTITY_LABELS and n
        )
        return f"已导出第{self.sequence}号上报包（{self.period}）：{self.path.name}；{parts}。"


def export_report(
    db: Database, out: Path, *, period: str, passphrase: str | None = None
) -> ExportResult:
    """Writes the unit's signed 上报包 for `period`; refused while 审核 finds errors or
    unexplained warnings (listed in the error's details)."""
    info = read_info(db)
    if info.is_county:
        raise UserError("县级汇总数据库不能导出上报包；向乡镇下发请用“下发包”。")
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    ready = readiness(db)
    if not ready.ready:
        report = ready.report
        raise UserError(
            f"还有{len(report.blocking)}条错误和{len(report.unexplained)}条未说明的警告，不能导出上报包，"
            "请先修改或填写说明。",
            details=ready.problems()[:200],
        )
    private = keys.load_private_key(db, passphrase)
    out = Path(out)
    if out.suffix != pf.SUFFIX:
        out = out.with_name(out.name + pf.SUFFIX)
    with db.write(info.actor("package")) as s:
        last = _last_out(s, pf.REPORT, info.unit_id, ready.key.key_id)
        sequence = (last.sequence if last else 0) + 1
        upto = last.audit_upto if last and last.audit_upto is not None else 0
        files: dict[str, tuple[bytes, int]] = {}
        counts: dict[str, int] = {}
        for entity in ENTITY_ORDER:
            tbl = table(entity)
            encode = table_codec(tbl).encode
            rows = [
                encode(r)
                for r in s.execute(
                    select(tbl).where(tbl.c.unit_id == info.unit_id).order_by(tbl.c.id)
                ).mappings()
            ]
            files[data_path(entity)] = (dumps(rows), len(rows))
            counts[entity] = len(rows)
        audit_tbl = m.AuditEntry.__table__
        encode = table_codec(audit_tbl).encode  # type: ignore[arg-type]
        audit = [
            encode(r)
            for r in s.execute(
                select(audit_tbl).where(audit_tbl.c.id > upto).order_by(audit_tbl.c.id)
            ).mappings()
        ]
        files[AUDIT_PATH] = (dumps(audit), len(audit))
        counts["audit"] = len(audit)
        unit = s.get(m.Unit, info.unit_id)
        assert unit is not None
        package_id = str(uuid.uuid4())
        created = utcnow()
        manifest = pf.app_fields() | {
            "kind": pf.REPORT,
            "package_id": package_id,
            "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
            "key_id": ready.key.key_id,
            "sequence": sequence,
            "previous_sha256": last.sha256 if last else None,
            "period": period,
            "created_at": datetime_out(created),
            "operator": info.operator,
            "reference_version": info.reference_version,
        }
        digest, _ = pf.write_package(out, manifest, files, private)
        s.add(
            m.PackageEntry(
                id=package_id,
                direction="out",
                kind=pf.REPORT,
                unit_id=info.unit_id,
                key_id=ready.key.key_id,
                sequence=sequence,
                sha256=digest,
                previous_sha256=manifest["previous_sha256"],
                period=period,
                created_at=created,
                processed_at=created,
                operator=info.operator,
                file_name=out.name,
                audit_upto=max((a["id"] for a in audit), default=upto),
                summary={"counts": counts},
            )
        )
    return ExportResult(out, package_id, sequence, period, digest, counts)


