"""A received 上报包 read into typed, validated records: format, structure, ownership and the
rule engine on every record. Writes nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, table_codec
from hengdong_desktop.domain import periods, records
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.text import forbidden_in
from hengdong_desktop.services import checks, record_upgrade
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import keys, ledger
from hengdong_desktop.services.packages.contents import (
    AUDIT_PATH,
    ENTITY_ORDER,
    INFO_PATH,
    data_path,
    report_budget,
    table,
)
from hengdong_desktop.services.packages.strict_json import PackageProblem
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.training import is_training_database


@dataclass
class IncomingReport:
    """A verified 上报包: typed rows per entity, their package (JSON) form, and the unit."""

    package: pf.OpenedPackage
    unit_id: int
    unit_name: str
    operator: str = ""
    typed: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    encoded: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    unit_audit: bytes = b""  # the unit's audit log as a zlib stream, kept in the ledger

    @property
    def period(self) -> str | None:
        return self.package.manifest.get("period")

    @property
    def periods(self) -> list[str]:
        """Every period the package carries figures for (format 1: its period only)."""
        carried = self.package.manifest.get("periods")
        if isinstance(carried, list):
            return carried
        return [self.period] if self.period else []

    def without_files(self) -> IncomingReport:
        """The same report without the package's member files (parsed and compressed), which
        the merge no longer needs: what a verifying worker process sends back."""
        return replace(self, package=replace(self.package, data={}, compressed={}))


def known_keys(session: Session) -> dict[str, pf.KnownKey]:
    """Every key ever enrolled, active or not: a package signed by a retired or revoked key is
    verified, then refused with the reason (services/packages/ledger.py)."""
    return {
        k.key_id: pf.KnownKey(k.key_id, k.unit_id, keys.load_public(k.public_key))
        for k in session.scalars(select(m.UnitKey))
    }


def read_report(session: Session, path: Path, decrypt: pf.Decrypt) -> IncomingReport:
    """Everything short of merging: archive, signature, key status, manifest, budget, hashes,
    decryption with the county's keys `decrypt`, then every record through the codec,
    `records.coerce` and the rule engine. Writes nothing."""
    with no_cycle_collection():
        pkg = pf.open_package(
            Path(path), pf.REPORT, budget=report_budget, decrypt=decrypt, known_keys=known_keys(session)
        )
        try:
            problem = ledger.key_problem(session.get(m.UnitKey, pkg.key_id), pkg.key_id)
            if problem:
                raise PackageProblem(problem)
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
        raise PackageProblem(f"填报单位编号{unit_id}不在基础数据中")
    record_upgrade.upgrade_report(pkg.data, pkg.manifest["schema_version"])
    training = is_training_database(session)
    if pkg.training != training:
        raise PackageProblem(
            "这是培训（演示）数据库导出的包，正式汇总库不接收"
            if pkg.training
            else "这是正式数据库导出的包，培训（演示）数据库不接收"
        )
    expected = {data_path(e) for e in ENTITY_ORDER} | {AUDIT_PATH} | ({INFO_PATH} if pkg.format_version >= 2 else set())
    missing = sorted(expected - set(pkg.data))
    if missing:
        raise PackageProblem(f"数据包缺少数据文件“{missing[0]}”")
    extra = sorted(set(pkg.data) - expected)
    if extra:
        raise PackageProblem(f"数据包含有不认识的数据文件“{extra[0]}”")
    incoming = IncomingReport(pkg, unit_id, unit.name, operator=_operator(pkg), unit_audit=pkg.zlib_member(AUDIT_PATH))
    ids: dict[str, set[str]] = {}
    for entity in ENTITY_ORDER:
        typed, encoded = _decode_entity(entity, pkg.data[data_path(entity)], unit_id, ref, ids)
        incoming.typed[entity] = typed
        incoming.encoded[entity] = encoded
        ids[entity] = {r["id"] for r in typed}
    # The unit's audit log is kept as received (compressed, in the ledger): every row must still
    # be well-formed, texts included.
    table_codec(m.AuditEntry.__table__).decode_all(  # type: ignore[arg-type]
        pkg.data[AUDIT_PATH], lambda n: f"操作日志第{n}条"
    )
    industry_domains = {i.id: i.domain_id for i in ref.industries}
    report = checks.check_rows(incoming.typed, industry_domains)
    if report.blocking:
        first = report.blocking[0]
        raise PackageProblem(
            f"审核未通过：{ENTITY_LABELS[first.entity]}“{first.subject or ''}”——{first.message}"
            f"{'（' + first.period + '）' if first.period else ''}"
            f"（共{len(report.blocking)}条错误）"
        )
    if report.unexplained:
        first = report.unexplained[0]
        raise PackageProblem(f"有{len(report.unexplained)}条警告未附说明，如：{first.subject or ''}——{first.message}")
    return incoming


def _operator(pkg: pf.OpenedPackage) -> str:
    """Who exported the package: in the sealed info file (format 2), in the manifest before."""
    if pkg.format_version >= 2:
        info = pkg.data[INFO_PATH][0]
        if (
            not isinstance(info, dict)
            or set(info) != {"operator"}
            or not isinstance(info["operator"], str)
            or len(info["operator"]) > 50
            or forbidden_in(info["operator"])
        ):
            raise PackageProblem("数据包的发送信息info.json格式错误")
        return info["operator"]
    return str(pkg.manifest.get("operator") or "")[:50]


# What `records.coerce` still reads in a package's records: the codec already holds values to
# their column types, but not choices, references, credit codes or periods to their domain.
_COERCED_KINDS = {"choice", "multichoice", "ref", "month"}
_PARENTS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # entity → (column, parent entity, required)
    "membership": (("enterprise_id", "enterprise", True),),
    "enterprise_monthly": (("enterprise_id", "enterprise", True),),
    "enterprise_annual": (("enterprise_id", "enterprise", True),),
    "project": (("builder_enterprise_id", "enterprise", False),),
    "project_annual": (("project_id", "project", True),),
    "project_monthly": (("project_id", "project", True),),
    "project_stage": (("project_id", "project", True),),
    "project_photo": (("project_id", "project", True),),
    "problem": (("enterprise_id", "enterprise", False), ("project_id", "project", False)),
    "support_measure": (("enterprise_id", "enterprise", True), ("problem_id", "problem", False)),
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
            raise PackageProblem(f"{where(n)}的编号无效或重复")
        seen.add(typed["id"])
        if typed["unit_id"] != unit_id:
            raise PackageProblem(f"{where(n)}属于其他单位（单位编号{typed['unit_id']}）")
        if typed["revision"] < 1:
            raise PackageProblem(f"{where(n)}的版本号无效")
        for column, parent, required in parents:
            value = typed[column]
            if (value is None and required) or (value is not None and value not in ids[parent]):
                raise PackageProblem(f"{where(n)}引用的{ENTITY_LABELS[parent]}不在本包中")
        if entity == "explanation" and not any(typed["record_id"] in v for v in ids.values()):
            raise PackageProblem(f"{where(n)}说明的记录不在本包中")
        for columns, first in unique:  # as SQLite would refuse them, before anything is written
            key = tuple(map(typed.__getitem__, columns))
            earlier = first.setdefault(key, n) if None not in key else n
            if earlier != n:
                raise PackageProblem(f"{where(n)}与第{earlier}条记录重复")
    specs = [s for s in ENTITIES.get(entity, ()) if s.kind in _COERCED_KINDS or s.name == "credit_code"]
    if not specs:
        return typed_rows, encoded_rows
    lookup = {kind: (lambda v, kind=kind: v if v in ids.get(kind, ()) else None) for kind in ("enterprise", "problem")}
    for n, typed in enumerate(typed_rows, 1):
        given = {s.name: v for s in specs if (v := typed[s.name]) is not None and not _already_canonical(s.kind, v)}
        if not given:
            continue
        coerced = records.coerce(entity, given, ref, lookup=lookup)
        if coerced.findings:
            subject = typed.get("name") or typed.get("period") or ""
            raise PackageProblem(f"{where(n)}（{subject}）{coerced.findings[0].message}")
        changed = {k: v for k, v in coerced.values.items() if v != typed[k]}
        if changed:
            typed.update(changed)
            encoded_rows[n - 1] = codec.encode(typed)
    return typed_rows, encoded_rows
