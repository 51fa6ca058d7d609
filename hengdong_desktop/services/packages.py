"""The township's 上报包: readiness, export, history; and reading a received 上报包 into typed,
validated records (format, structure, ownership and the rule engine on every record).

Content: the unit's full current state (every synced record, tombstones included, one data file
per entity) plus its audit log since the last package (`data/audit.json`)."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint, func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, datetime_out, table_codec
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods, records
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks, keys, record_upgrade, reporting
from hengdong_desktop.services import package_format as pf
from hengdong_desktop.services import readiness as ready_service
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.setup import read_info

ENTITY_ORDER = tuple(m.ENTITY_MODELS)  # parents before children: the insert order
AUDIT_PATH = "data/audit.json"


def data_path(entity: str) -> str:
    return f"data/{entity}.json"


def table(entity: str) -> Any:
    return m.ENTITY_MODELS[entity].__table__  # type: ignore[attr-defined]


# Township: readiness and export ------------------------------------------------------------
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
        ready_service.readiness(db, info.unit_id).report,
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
            files[data_path(entity)] = (pf.dumps(rows), len(rows))
            counts[entity] = len(rows)
        audit_tbl = m.AuditEntry.__table__
        encode = table_codec(audit_tbl).encode  # type: ignore[arg-type]
        audit = [
            encode(r)
            for r in s.execute(
                select(audit_tbl).where(audit_tbl.c.id > upto).order_by(audit_tbl.c.id)
            ).mappings()
        ]
        files[AUDIT_PATH] = (pf.dumps(audit), len(audit))
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
        reporting.mark_exported(s, info.unit_id, package_id, period, last.created_at if last else None)
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


# County: reading a received 上报包 ----------------------------------------------------------
@dataclass
class IncomingReport:
    """A verified 上报包: typed rows per entity, their package (JSON) form, and the unit."""

    package: pf.OpenedPackage
    unit_id: int
    unit_name: str
    typed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    encoded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unit_audit: bytes = b""  # the unit's audit log as a zlib stream, kept in the ledger

    @property
    def period(self) -> str | None:
        return self.package.manifest.get("period")

    def without_files(self) -> IncomingReport:
        """The same report without the package's member files (parsed and raw), which the merge
        no longer needs: what a verifying worker process sends back."""
        return replace(self, package=replace(self.package, data={}, raw={}, deflated={}))


def known_keys(session: Session) -> dict[str, pf.KnownKey]:
    return {
        k.key_id: pf.KnownKey(k.key_id, k.unit_id, keys.load_public(k.public_key), k.revoked_at)
        for k in session.scalars(select(m.UnitKey))
    }


def read_report(session: Session, path: Path) -> IncomingReport:
    """Everything short of merging: archive, signature, manifest, hashes, then every record
    through the codec, `records.coerce` and the rule engine. Writes nothing."""
    with no_cycle_collection():
        pkg = pf.open_package(Path(path), pf.REPORT, known_keys(session))
        try:
            return _validate(session, pkg)
        except CodecProblem as problem:
            raise pf.refused(pkg.file_name, problem) from None


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Reading and merging packages allocates hundreds of thousands of dicts and lists, next to
    none of them in a reference cycle, and CPython's cycle collector would scan them (and the
    rest of the program's objects) again and again as they pile up: a tenth of the reading time.
    Reference counting still frees them; the few cycles wait for the end of the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _validate(session: Session, pkg: pf.OpenedPackage) -> IncomingReport:
    ref = load(session)
    unit_id = pkg.unit_id
    unit = session.get(m.Unit, unit_id)
    if unit is None or unit.kind == "县":
        raise pf.PackageProblem(f"填报单位编号{unit_id}不在基础数据中")
    record_upgrade.upgrade_report(pkg.data, pkg.manifest["schema_version"])
    expected = {data_path(e) for e in ENTITY_ORDER} | {AUDIT_PATH}
    missing = sorted(expected - set(pkg.data))
    if missing:
        raise pf.PackageProblem(f"数据包缺少数据文件“{missing[0]}”")
    extra = sorted(set(pkg.data) - expected)
    if extra:
        raise pf.PackageProblem(f"数据包含有不认识的数据文件“{extra[0]}”")
    incoming = IncomingReport(pkg, unit_id, unit.name, unit_audit=pkg.zlib_member(AUDIT_PATH))
    ids: dict[str, set[str]] = {}
    for entity in ENTITY_ORDER:
        typed, encoded = _decode_entity(entity, pkg.data[data_path(entity)], unit_id, ref, ids)
        incoming.typed[entity] = typed
        incoming.encoded[entity] = encoded
        ids[entity] = {r["id"] for r in typed}
    # The unit's audit log is kept as received (compressed, in the ledger): check its shape only.
    audit_columns = set(m.AuditEntry.__table__.columns.keys())
    for n, rec in enumerate(pkg.data[AUDIT_PATH], 1):
        if not isinstance(rec, dict) or rec.keys() != audit_columns:
            raise pf.PackageProblem(f"操作日志第{n}条格式错误")
    industry_domains = {i.id: i.domain_id for i in ref.industries}
    live = {e: [r for r in rows if r["deleted_at"] is None] for e, rows in incoming.typed.items()}
    report = checks.check_rows(live, industry_domains)
    if report.blocking:
        first = report.blocking[0]
        raise pf.PackageProblem(
            f"审核未通过：{first.subject or ENTITY_LABELS[first.entity]}——{first.message}"
            f"{'（' + first.period + '）' if first.period else ''}"
            f"（共{len(report.blocking)}条错误）"
        )
    if report.unexplained:
        first = report.unexplained[0]
        raise pf.PackageProblem(
            f"有{len(report.unexplained)}条警告未附说明，如：{first.subject or ''}——{first.message}"
        )
    return incoming


# What `records.coerce` still reads in a package's records: the codec already holds values to
# their column types, but not choices, references, credit codes or periods to their domain.
_COERCED_KINDS = {"choice", "multichoice", "ref", "month"}
_PARENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # entity → (column, parent entity, required)
    "membership": (("enterprise_id", "enterprise", True),),
    "enterprise_monthly": (("enterprise_id", "enterprise", True),),
    "enterprise_annual": (("enterprise_id", "enterprise", True),),
    "project": (("builder_enterprise_id", "enterprise", False),),
    "project_monthly": (("project_id", "project", True),),
    "project_stage": (("project_id", "project", True),),
    "problem": (("enterprise_id", "enterprise", False), ("project_id", "project", False)),
}


def _unique_keys(entity: str) -> list[tuple[str, ...]]:
    """The columns of each of the entity's unique constraints."""
    return [
        tuple(c.name for c in constraint.columns)
        for constraint in table(entity).constraints
        if isinstance(constraint, UniqueConstraint)
    ]


def _already_canonical(kind: str, value: Any) -> bool:
    """A value `records.coerce` would return unchanged and that is cheap to recognise: the
    periods of every monthly record. Only other values need the call."""
    return kind == "month" and isinstance(value, str) and periods.is_period(value)


def _decode_entity(
    entity: str, raw: list[Any], unit_id: int, ref: Reference, ids: Mapping[str, set[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """An entity's records: typed by the codec, checked for identity, ownership, references
    and uniqueness, and read by `records.coerce`; with their JSON form (re-encoded where
    coercion normalised a value)."""
    codec = table_codec(table(entity))
    label = ENTITY_LABELS[entity]

    def where(n: int) -> str:
        return f"{label}第{n}条记录"

    typed_rows = codec.decode_all(raw, where)
    encoded_rows = list(raw)
    parents = _PARENTS.get(entity, ())
    unique: list[tuple[tuple[str, ...], dict[tuple[Any, ...], int]]] = [
        (columns, {}) for columns in _unique_keys(entity)
    ]
    seen: set[str] = set()
    for n, typed in enumerate(typed_rows, 1):
        if not pf.is_uuid(typed["id"]) or typed["id"] in seen:
            raise pf.PackageProblem(f"{where(n)}的编号无效或重复")
        seen.add(typed["id"])
        if typed["unit_id"] != unit_id:
            raise pf.PackageProblem(f"{where(n)}属于其他单位（单位编号{typed['unit_id']}）")
        if typed["revision"] < 1:
            raise pf.PackageProblem(f"{where(n)}的版本号无效")
        for column, parent, required in parents:
            value = typed[column]
            if (value is None and required) or (value is not None and value not in ids[parent]):
                raise pf.PackageProblem(f"{where(n)}引用的{ENTITY_LABELS[parent]}不在本包中")
        if entity == "explanation" and not any(typed["record_id"] in v for v in ids.values()):
            raise pf.PackageProblem(f"{where(n)}说明的记录不在本包中")
        for columns, first in unique:  # as SQLite would refuse them, before anything is written
            key = tuple(map(typed.__getitem__, columns))
            earlier = first.setdefault(key, n) if None not in key else n
            if earlier != n:
                raise pf.PackageProblem(f"{where(n)}与第{earlier}条记录重复")
    specs = [
        s for s in ENTITIES.get(entity, ()) if s.kind in _COERCED_KINDS or s.name == "credit_code"
    ]
    if not specs:
        return typed_rows, encoded_rows
    lookup = {"enterprise": lambda v: v if v in ids.get("enterprise", ()) else None}
    for n, typed in enumerate(typed_rows, 1):
        given = {
            s.name: v
            for s in specs
            if (v := typed[s.name]) is not None and not _already_canonical(s.kind, v)
        }
        if not given:
            continue
        coerced = records.coerce(entity, given, ref, lookup=lookup)
        if coerced.findings:
            subject = typed.get("name") or typed.get("period") or ""
            raise pf.PackageProblem(f"{where(n)}（{subject}）{coerced.findings[0].message}")
        changed = {k: v for k, v in coerced.values.items() if v != typed[k]}
        if changed:
            typed.update(changed)
            encoded_rows[n - 1] = codec.encode(typed)
    return typed_rows, encoded_rows


def package_history(db: Database) -> list[dict[str, Any]]:
    """Every package this database wrote or took in, newest first, with the county's decision
    on the period where one is known."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        decisions: dict[str | None, m.Review] = {}
        for decided in s.scalars(select(m.Review).order_by(m.Review.decided_at)):
            decisions[decided.package_id] = decided
        out = []
        for e in s.scalars(select(m.PackageEntry).order_by(m.PackageEntry.processed_at.desc())):
            review = decisions.get(e.id)
            out.append(
                {
                    "package_id": e.id,
                    "direction": e.direction,
                    "kind": e.kind,
                    "unit": names.get(e.unit_id, ""),
                    "unit_id": e.unit_id,
                    "sequence": e.sequence,
                    "period": e.period,
                    "file": e.file_name,
                    "created_at": e.created_at,
                    "processed_at": e.processed_at,
                    "sha256": e.sha256,
                    "summary": e.summary,
                    "decision": review.decision if review else None,
                    "reason": review.reason if review else None,
                    "comments": review.comments if review else [],
                }
            )
        return out


def count_packages(db: Database, direction: str, kind: str) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(m.PackageEntry)
                .where(m.PackageEntry.direction == direction, m.PackageEntry.kind == kind)
            )
            or 0
        )
