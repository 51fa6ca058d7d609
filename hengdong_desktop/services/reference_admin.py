"""The county's management of reference data — units (with their 启用期), departments, county
leaders, domains' lead departments and measures (口径), industries, chains, category options,
yearly targets, the monthly due day, the numbers the project warnings are judged by — and the
snapshot of it that the county's 下发包 carries to townships.

Every edit goes through the ORM inside `db.write(actor)` with source "reference", so the flush
hook audits each changed field, and bumps `reference_version` in the same transaction when
anything changed. Rows are never deleted (they are deactivated), except a year's target values.
A unit's identity is its integer id: editing its code keeps its records, keys and history."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String, Table, cast, func, literal, select, update
from sqlalchemy.orm import Session

from hengdong_desktop.db import locks
from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.domain.text import forbidden_in, printable
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.reference import (
    DEADLINE_PREFIX,
    META_REFERENCE_VERSION,
    PARAMETER_PREFIX,
    PROGRAMME_PREFIX,
)

SOURCE = "reference"
META_REPORT_DUE_DAY = "report_due_day"
DEFAULT_DUE_DAY = 10  # day of the following month; the plan sets no date, the county can change it
# The 通报's 版记 (抄送, 印发): reference data the county edits, travelling with the snapshot.
META_COPIED_TO, META_PRINTED_BY = "bulletin_copied_to", "bulletin_printed_by"
DEFAULT_COPIED_TO = "县委、县人大、县政府、县政协主要领导，县产业发展“百十亿”工程领导小组成员单位。"
COLOPHON_LENGTH = 200
SNAPSHOT_FORMAT = "hengdong-reference-snapshot"
SNAPSHOT_FORMAT_VERSION = 1
UNIT_KINDS = ("镇", "乡", "开发区")
# Option lists the program's logic depends on (status flows, goal tiers): shown, not edited.
FIXED_OPTION_KINDS = ("project_status", "problem_status", "report_status", "cultivation_tier", "measure_status")
OPTION_KIND_LABELS = {
    "si_shang_category": "四上类别",
    "cultivation_list": "培育名录",
    "specialized_level": "专精特新等级",
    "cultivation_tier": "培育目标",
    "need_category": "需求类别",
    "project_type": "项目类型",
    "project_source": "项目来源",
    "project_status": "项目状态",
    "chain_role": "强链延链补链",
    "investment_source": "引资来源",
    "park_infrastructure": "园区基础设施类别",
    "problem_category": "问题类别",
    "problem_status": "问题办理状态",
    "measure_status": "措施推进状态",
    "report_status": "上报状态",
}
TARGET_YEARS = range(2000, 2101)


# ---------------------------------------------------------------------------------------------
# Plain rows the reference-data screen shows and edits (id None = a new row)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitRow:
    id: int | None
    code: str
    name: str
    kind: str
    short_name: str | None = None
    provisional_code: bool = False
    active: bool = True
    in_use: int = 0  # live enterprises and projects of the unit
    start_period: str | None = None  # 启用期: the first period the unit must report


@dataclass(frozen=True)
class NamedRow:
    """A department or a chain."""

    id: int | None
    name: str
    active: bool = True
    in_use: int = 0


@dataclass(frozen=True)
class ChainRow:
    """A key industry chain under the 链长制: its 链长 (a county leader), 牵头部门 and 专班 members."""

    id: int | None
    name: str
    active: bool = True
    in_use: int = 0
    leader_id: int | None = None
    department_id: int | None = None
    task_force: str | None = None
    leader_name: str = ""  # shown, not saved
    department_name: str = ""  # shown, not saved


@dataclass(frozen=True)
class LeaderRow:
    """A county leader (县领导) the 联系领导 of projects and enterprises is chosen from."""

    id: int | None
    name: str
    title: str | None = None
    active: bool = True
    in_use: int = 0  # live projects and enterprises naming the leader


@dataclass(frozen=True)
class ParameterRow:
    """One of the numbers the project warnings and 招商 figures are judged by."""

    key: str
    label: str
    unit: str
    value: int
    minimum: int
    maximum: int
    default: int


@dataclass(frozen=True)
class IndustryRow:
    id: int | None
    name: str
    domain_id: int
    active: bool = True
    in_use: int = 0
    domain_name: str = ""  # shown, not saved


@dataclass(frozen=True)
class DomainRow:
    id: int
    name: str
    lead_department_ids: tuple[int, ...]
    lead_department_names: str = ""  # shown, not saved
    measure: str = r.OUTPUT  # the figure that decides 十亿级/亿级 and industry size (口径)


@dataclass(frozen=True)
class OptionRow:
    kind: str
    value: str
    active: bool = True


@dataclass(frozen=True)
class TargetRow:
    """A yearly target: a count (domain_id None = the county) or an industry's output in 万元."""

    metric: str
    domain_id: int | None
    industry_id: int | None
    value: Decimal | None  # None: no target


@dataclass(frozen=True)
class ReferenceTables:
    version: int
    units: list[UnitRow]  # the county first
    departments: list[NamedRow]
    domains: list[DomainRow]
    industries: list[IndustryRow]
    chains: list[ChainRow]
    options: dict[str, list[OptionRow]]
    target_years: list[int]
    due_day: int
    leaders: list[LeaderRow] = field(default_factory=list)
    parameters: list[ParameterRow] = field(default_factory=list)  # the project rules' numbers
    programme: list[ParameterRow] = field(default_factory=list)  # 后备, 交办, 比学赶超 weights
    deadlines: list[ParameterRow] = field(default_factory=list)  # per 问题类别 (key): 办理时限 in days
    copied_to: str = DEFAULT_COPIED_TO  # the 通报's 抄送
    printed_by: str = r.ISSUER  # the 通报's 印发 (the office that prints it)


@dataclass
class ReferenceUpdate:
    """What applying a snapshot did, in sentences a clerk can read."""

    applied: bool
    from_version: int
    to_version: int
    changes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _meta(session: Session, key: str, default: str) -> str:
    row = session.get(m.Meta, key)
    return row.value if row is not None else default


def colophon_in(session: Session) -> tuple[str, str]:
    """The 通报's 版记: whom it is copied to (抄送) and who prints it (印发)."""
    return _meta(session, META_COPIED_TO, DEFAULT_COPIED_TO), _meta(session, META_PRINTED_BY, r.ISSUER)


def due_day_in(session: Session) -> int:
    return int(_meta(session, META_REPORT_DUE_DAY, str(DEFAULT_DUE_DAY)))


def _usage(session: Session, attribute: str) -> dict[int, int]:
    """Live enterprises plus live projects per value of their `attribute` (unit_id, industry_id …)."""
    counts: dict[int, int] = {}
    for model in (m.Enterprise, m.Project):
        col = getattr(model, attribute, None)
        if col is None:
            continue
        for key, n in session.execute(select(col, func.count()).where(model.deleted_at.is_(None)).group_by(col)):
            if key is not None:
                counts[key] = counts.get(key, 0) + int(n)
    return counts


def _leader_usage(session: Session) -> dict[str, int]:
    """Live projects plus live enterprises per 联系县领导 named."""
    counts: dict[str, int] = {}
    for model in (m.Enterprise, m.Project):
        for name, n in session.execute(
            select(model.contact_leader, func.count())
            .where(model.deleted_at.is_(None), model.contact_leader.is_not(None))
            .group_by(model.contact_leader)
        ):
            if name is not None:
                counts[name] = counts.get(name, 0) + int(n)
    return counts


def tables(db: Database) -> ReferenceTables:
    """All reference rows, inactive ones included, for the county's screen."""
    with db.read() as s:
        unit_use, industry_use, chain_use = _usage(s, "unit_id"), _usage(s, "industry_id"), _usage(s, "chain_id")
        leader_use = _leader_usage(s)
        leads: dict[int, list[int]] = {}
        for dd in s.scalars(select(m.DomainDepartment)):
            leads.setdefault(dd.domain_id, []).append(dd.department_id)
        lead_use: dict[int, int] = {}
        for ids in leads.values():
            for dept in ids:
                lead_use[dept] = lead_use.get(dept, 0) + 1
        options: dict[str, list[OptionRow]] = {}
        for o in s.scalars(select(m.Option).order_by(m.Option.kind, m.Option.sort_order, m.Option.id)):
            options.setdefault(o.kind, []).append(OptionRow(o.kind, o.value, o.active))
        units = s.scalars(select(m.Unit).order_by(m.Unit.kind != "县", m.Unit.sort_order, m.Unit.id))
        departments = s.scalars(select(m.Department).order_by(m.Department.sort_order, m.Department.id)).all()
        domains = s.scalars(select(m.Domain).order_by(m.Domain.sort_order, m.Domain.id)).all()
        dept_names = {d.id: d.name for d in departments}
        domain_names = {d.id: d.name for d in domains}
        leaders = s.scalars(select(m.Leader).order_by(m.Leader.sort_order, m.Leader.id)).all()
        leader_names = {x.id: x.name for x in leaders}
        for chain in s.scalars(select(m.Chain)):
            if chain.department_id is not None:
                lead_use[chain.department_id] = lead_use.get(chain.department_id, 0) + 1
            name = leader_names.get(chain.leader_id) if chain.leader_id is not None else None
            if name is not None:
                leader_use[name] = leader_use.get(name, 0) + 1
        meta = {x.key: x.value for x in s.scalars(select(m.Meta))}
        default_days = str(r.PROGRAMME_BY_KEY["deadline_days"].default)
        return ReferenceTables(
            version=int(_meta(s, META_REFERENCE_VERSION, "0")),
            units=[
                UnitRow(
                    u.id,
                    u.code,
                    u.name,
                    u.kind,
                    u.short_name,
                    u.provisional_code,
                    u.active,
                    unit_use.get(u.id, 0),
                    u.start_period,
                )
                for u in units
            ],
            departments=[NamedRow(d.id, d.name, d.active, lead_use.get(d.id, 0)) for d in departments],
            domains=[
                DomainRow(
                    d.id,
                    d.name,
                    tuple(sorted(leads.get(d.id, ()))),
                    "、".join(dept_names[i] for i in sorted(leads.get(d.id, ()))),
                    d.measure,
                )
                for d in domains
            ],
            industries=[
                IndustryRow(
                    i.id, i.name, i.domain_id, i.active, industry_use.get(i.id, 0), domain_names.get(i.domain_id, "")
                )
                for i in s.scalars(select(m.Industry).order_by(m.Industry.sort_order, m.Industry.id))
            ],
            chains=[
                ChainRow(
                    c.id,
                    c.name,
                    c.active,
                    chain_use.get(c.id, 0),
                    c.leader_id,
                    c.department_id,
                    c.task_force,
                    leader_names.get(c.leader_id or 0, ""),
                    dept_names.get(c.department_id or 0, ""),
                )
                for c in s.scalars(select(m.Chain).order_by(m.Chain.sort_order, m.Chain.id))
            ],
            options=options,
            target_years=sorted(s.scalars(select(m.Target.year).distinct())),
            due_day=due_day_in(s),
            leaders=[LeaderRow(x.id, x.name, x.title, x.active, leader_use.get(x.name, 0)) for x in leaders],
            parameters=[
                ParameterRow(
                    p.key,
                    p.label,
                    p.unit,
                    int(meta.get(PARAMETER_PREFIX + p.key, p.default)),
                    p.minimum,
                    p.maximum,
                    p.default,
                )
                for p in r.PROJECT_PARAMETERS
            ],
            programme=[
                ParameterRow(
                    p.key,
                    p.label,
                    p.unit,
                    int(meta.get(PROGRAMME_PREFIX + p.key, p.default)),
                    p.minimum,
                    p.maximum,
                    p.default,
                )
                for p in r.PROGRAMME_PARAMETERS
            ],
            deadlines=[
                ParameterRow(
                    o.value,
                    f"“{o.value}”类问题办理时限",
                    "天",
                    int(
                        meta.get(DEADLINE_PREFIX + o.value, meta.get(PROGRAMME_PREFIX + "deadline_days", default_days))
                    ),
                    1,
                    365,
                    int(meta.get(PROGRAMME_PREFIX + "deadline_days", default_days)),
                )
                for o in options.get("problem_category", [])
                if o.active
            ],
            copied_to=meta.get(META_COPIED_TO, DEFAULT_COPIED_TO),
            printed_by=meta.get(META_PRINTED_BY, r.ISSUER),
        )


def targets_of_year(db: Database, year: int) -> list[TargetRow]:
    """Every target slot of `year` — the county and each domain for the three counts, each
    active industry's output — with the value stored, or None."""
    with db.read() as s:
        stored = {
            (t.metric, t.domain_id, t.industry_id): t.value
            for t in s.scalars(select(m.Target).where(m.Target.year == year))
        }
        domains = s.scalars(select(m.Domain).order_by(m.Domain.sort_order, m.Domain.id)).all()
        industries = s.scalars(
            select(m.Industry).where(m.Industry.active).order_by(m.Industry.sort_order, m.Industry.id)
        ).all()
    slots: list[tuple[str, int | None, int | None]] = [(metric, None, None) for metric in r.COUNT_METRICS]
    slots += [(metric, d.id, None) for d in domains for metric in r.COUNT_METRICS]
    slots += [(r.INDUSTRY_OUTPUT, i.domain_id, i.id) for i in industries]
    return [TargetRow(metric, d, i, stored.get((metric, d, i))) for metric, d, i in slots]


# ---------------------------------------------------------------------------------------------
# Editing (county)
# ---------------------------------------------------------------------------------------------
@contextmanager
def _editing(db: Database, actor: Actor) -> Iterator[Session]:
    """One audited edit of reference data: a write transaction that raises reference_version by
    one when it changed anything — that is, when the flush hook (or `_set_setting`) wrote an
    audit entry."""
    if actor.source != SOURCE:
        raise ValueError(f"reference data is written with source {SOURCE!r}, not {actor.source!r}")
    with db.write(actor) as s:
        locks.lock_reference(s)  # on a server, officers' reference edits go one at a time
        last_entry = s.scalar(select(func.max(m.AuditEntry.id))) or 0
        yield s
        s.flush()
        # (other officers' writes add audit rows meanwhile, of other sources)
        if s.scalar(
            select(func.count())
            .select_from(m.AuditEntry)
            .where(m.AuditEntry.id > last_entry, m.AuditEntry.source == SOURCE)
        ):
            current = int(_meta(s, META_REFERENCE_VERSION, "0"))
            s.merge(m.Meta(key=META_REFERENCE_VERSION, value=str(current + 1)))


def _set_setting(session: Session, key: str, value: str) -> bool:
    """Sets an app_meta setting, auditing it by hand (app_meta is not an audited model)."""
    row = session.get(m.Meta, key)
    old = row.value if row is not None else None
    if old == value:
        return False
    session.merge(m.Meta(key=key, value=value))
    _audit_setting(session, key, old, value)
    return True


def _audit_setting(session: Session, key: str, old: str | None, new: str | None) -> None:
    actor: Actor = session.info["actor"]
    session.add(
        m.AuditEntry(
            at=utcnow(),
            unit_id=actor.unit_id,
            operator=actor.operator,
            source=actor.source,
            entity=m.Meta.__tablename__,
            entity_id=key,
            action="update",
            field="value",
            old_value=old,
            new_value=new,
            package_id=actor.package_id,
        )
    )


def _text(value: str | None, what: str, max_length: int, *, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise UserError(f"{what}不能为空。")
        return None
    if len(text) > max_length:
        raise UserError(f"{what}“{text}”过长（不超过{max_length}个字）。")
    return text


def _unique(session: Session, model: type[m.Base], column: str, value: str, own_id: int | None, what: str) -> None:
    col = getattr(model, column)
    other = session.scalars(select(model).where(func.lower(col) == value.lower())).first()
    if other is not None and other.id != own_id:  # type: ignore[attr-defined]
        raise UserError(f"{what}“{value}”已被“{other.name}”使用，请换一个。")  # type: ignore[attr-defined]


def _next(session: Session, model: type[m.Base], column: str) -> int:
    """The next free value of an integer column. New rows get their id here, before the flush,
    so that the audit entry of their creation names them."""
    return int(session.scalar(select(func.coalesce(func.max(getattr(model, column)), 0))) or 0) + 1


def _refuse_deactivation(in_use: int, what: str) -> None:
    if in_use:
        raise UserError(f"{what}还有在库企业或项目{in_use}个，不能停用；请先把它们调整到别处。")


def _start_period(value: str | None) -> str | None:
    text = (value or "").strip()
    if text and not periods.is_period(text):
        raise UserError(f"启用期“{text}”无效，应为YYYY-MM，如2025-03。")
    return text or None


def save_unit(db: Database, actor: Actor, row: UnitRow) -> int:
    """Creates (id None) or edits a unit; returns its id. The code may change; the id never does."""
    start = _start_period(row.start_period)
    code = _text(row.code, "单位代码", 20)
    name = _text(row.name, "单位名称", 50)
    short_name = _text(row.short_name, "单位简称", 20, required=False)
    assert code is not None and name is not None
    with _editing(db, actor) as s:
        unit = s.get(m.Unit, row.id) if row.id is not None else None
        if row.id is not None and unit is None:
            raise UserError(f"单位（编号{row.id}）不存在，可能已被其他人修改，请刷新后重试。")
        is_county = unit is not None and unit.kind == "县"
        if not is_county and row.kind not in UNIT_KINDS:
            raise UserError(f"单位类型“{row.kind}”无效，应为{'、'.join(UNIT_KINDS)}。")
        if is_county and not row.active:
            raise UserError("衡东县（汇总单位）不能停用。")
        _unique(s, m.Unit, "code", code, row.id, "单位代码")
        _unique(s, m.Unit, "name", name, row.id, "单位名称")
        if unit is None:
            unit = m.Unit(id=_next(s, m.Unit, "id"), sort_order=_next(s, m.Unit, "sort_order"), active=True)
            s.add(unit)
        elif unit.active and not row.active:
            _refuse_deactivation(_usage(s, "unit_id").get(unit.id, 0), f"单位“{unit.name}”")
        unit.code, unit.name, unit.short_name = code, name, short_name
        unit.kind = unit.kind if is_county else row.kind
        unit.provisional_code, unit.active = row.provisional_code, row.active
        unit.start_period = None if is_county else start
        return unit.id


def set_start_period(db: Database, actor: Actor, period: str, unit_ids: Iterable[int] | None = None) -> int:
    """Sets the 启用期 of the given units (default: every reporting unit); returns how many changed."""
    start = _start_period(period)
    changed = 0
    with _editing(db, actor) as s:
        stmt = select(m.Unit).where(m.Unit.kind != "县")
        if unit_ids is not None:
            stmt = stmt.where(m.Unit.id.in_(list(unit_ids)))
        for unit in s.scalars(stmt):
            if unit.start_period != start:
                unit.start_period = start
                changed += 1
    return changed


def set_measure(db: Database, actor: Actor, domain_id: int, measure: str) -> None:
    """Which figure (口径) decides the domain's 十亿级/亿级 enterprises and its industries' size."""
    _check_measure(measure)
    with _editing(db, actor) as s:
        _domain(s, domain_id).measure = measure


def _check_measure(measure: str) -> None:
    if measure not in r.MEASURES:
        raise UserError(f"口径“{measure}”无效，应为{'、'.join(r.MEASURES.values())}之一。")


def _domain(s: Session, domain_id: int) -> m.Domain:
    domain = s.get(m.Domain, domain_id)
    if domain is None:
        raise UserError(f"领域（编号{domain_id}）不存在，请刷新后重试。")
    return domain


def _save_named(
    db: Database, actor: Actor, model: Any, row: NamedRow, what: str, in_use: Callable[[Session, int], tuple[int, str]]
) -> int:
    """Creates or edits a department or a chain (`model`)."""
    name = _text(row.name, f"{what}名称", 50)
    assert name is not None
    with _editing(db, actor) as s:
        obj = s.get(model, row.id) if row.id is not None else None
        if row.id is not None and obj is None:
            raise UserError(f"{what}（编号{row.id}）不存在，请刷新后重试。")
        _unique(s, model, "name", name, row.id, f"{what}名称")
        if obj is None:
            obj = model(id=_next(s, model, "id"), sort_order=_next(s, model, "sort_order"), active=True)
            s.add(obj)
        elif obj.active and not row.active:
            count, reason = in_use(s, obj.id)
            if count:
                raise UserError(f"{what}“{obj.name}”{reason}，不能停用。")
        obj.name, obj.active = name, row.active
        return obj.id


def save_department(db: Database, actor: Actor, row: NamedRow) -> int:
    def leads(s: Session, dept_id: int) -> tuple[int, str]:
        domains = s.scalars(
            select(m.Domain.name).join(m.DomainDepartment).where(m.DomainDepartment.department_id == dept_id)
        ).all()
        if domains:
            return len(domains), f"是“{'、'.join(domains)}”领域的牵头部门"
        chains = s.scalars(select(m.Chain.name).where(m.Chain.department_id == dept_id)).all()
        return len(chains), f"是“{'、'.join(chains)}”产业链的牵头部门"

    return _save_named(db, actor, m.Department, row, "部门", leads)


def save_chain(db: Database, actor: Actor, row: ChainRow | NamedRow) -> int:
    """Creates or edits a chain; a ChainRow also sets its 链长, 牵头部门 and 专班 members."""

    def used(s: Session, chain_id: int) -> tuple[int, str]:
        n = _usage(s, "chain_id").get(chain_id, 0)
        return n, f"还有在库企业或项目{n}个"

    chain_id = _save_named(db, actor, m.Chain, NamedRow(row.id, row.name, row.active), "产业链", used)
    if isinstance(row, ChainRow):
        task_force = _text(row.task_force, "专班成员", 500, required=False)
        with _editing(db, actor) as s:
            chain = s.get(m.Chain, chain_id)
            assert chain is not None
            if row.leader_id is not None and s.get(m.Leader, row.leader_id) is None:
                raise UserError(f"县领导（编号{row.leader_id}）不存在，请刷新后重试。")
            if row.department_id is not None and s.get(m.Department, row.department_id) is None:
                raise UserError(f"部门（编号{row.department_id}）不存在，请刷新后重试。")
            chain.leader_id, chain.department_id, chain.task_force = row.leader_id, row.department_id, task_force
    return chain_id


def save_leader(db: Database, actor: Actor, row: LeaderRow) -> int:
    """Creates or edits a county leader. Projects and enterprises name their 联系县领导 as text, so
    a renamed leader keeps the old name on them until they are edited."""
    name = _text(row.name, "领导姓名", 50)
    title = _text(row.title, "领导职务", 50, required=False)
    assert name is not None
    with _editing(db, actor) as s:
        leader = s.get(m.Leader, row.id) if row.id is not None else None
        if row.id is not None and leader is None:
            raise UserError(f"县领导（编号{row.id}）不存在，请刷新后重试。")
        _unique(s, m.Leader, "name", name, row.id, "领导姓名")
        if leader is None:
            leader = m.Leader(id=_next(s, m.Leader, "id"), sort_order=_next(s, m.Leader, "sort_order"), active=True)
            s.add(leader)
        elif leader.active and not row.active:
            chains = s.scalars(select(m.Chain.name).where(m.Chain.leader_id == leader.id, m.Chain.active)).all()
            if chains:
                raise UserError(f"县领导“{leader.name}”是“{'、'.join(chains)}”产业链的链长，不能停用；请先更换链长。")
        leader.name, leader.title, leader.active = name, title, row.active
        return leader.id


def set_project_parameter(db: Database, actor: Actor, key: str, value: int) -> None:
    """One of the numbers the project warnings and 招商 figures are judged by (PROJECT_PARAMETERS)."""
    parameter = r.PARAMETERS_BY_KEY.get(key)
    if parameter is None:
        raise ValueError(f"unknown project parameter {key!r}")
    if not parameter.minimum <= value <= parameter.maximum:
        raise UserError(f"“{parameter.label}”应在{parameter.minimum}至{parameter.maximum}{parameter.unit}之间。")
    with _editing(db, actor) as s:
        _set_setting(s, PARAMETER_PREFIX + key, str(value))


def set_programme_parameter(db: Database, actor: Actor, key: str, value: int) -> None:
    """One of the programme's numbers (PROGRAMME_PARAMETERS: 后备 percentage, 交办 days, weights)."""
    parameter = r.PROGRAMME_BY_KEY.get(key)
    if parameter is None:
        raise ValueError(f"unknown programme parameter {key!r}")
    if not parameter.minimum <= value <= parameter.maximum:
        raise UserError(f"“{parameter.label}”应在{parameter.minimum}至{parameter.maximum}{parameter.unit}之间。")
    with _editing(db, actor) as s:
        _set_setting(s, PROGRAMME_PREFIX + key, str(value))


def set_deadline_days(db: Database, actor: Actor, category: str, days: int | None) -> None:
    """The 办理时限 of a 问题类别, in days after 交办 (None: the default for categories without one)."""
    if days is not None and not 1 <= days <= 365:
        raise UserError(f"“{category}”类问题的办理时限应在1至365天之间。")
    with _editing(db, actor) as s:
        if s.scalar(select(m.Option.id).where(m.Option.kind == "problem_category", m.Option.value == category)) is None:
            raise UserError(f"问题类别“{category}”不存在。")
        key = DEADLINE_PREFIX + category
        if days is None:
            row = s.get(m.Meta, key)
            if row is not None:
                s.delete(row)
                _audit_setting(s, key, row.value, None)
        else:
            _set_setting(s, key, str(days))


def save_industry(db: Database, actor: Actor, row: IndustryRow) -> int:
    name = _text(row.name, "产业名称", 50)
    assert name is not None
    with _editing(db, actor) as s:
        industry = s.get(m.Industry, row.id) if row.id is not None else None
        if row.id is not None and industry is None:
            raise UserError(f"产业（编号{row.id}）不存在，请刷新后重试。")
        if s.get(m.Domain, row.domain_id) is None:
            raise UserError("请选择产业所属的领域。")
        _unique(s, m.Industry, "name", name, row.id, "产业名称")
        if industry is None:
            industry = m.Industry(
                id=_next(s, m.Industry, "id"), sort_order=_next(s, m.Industry, "sort_order"), active=True
            )
            s.add(industry)
        elif industry.active and not row.active:
            _refuse_deactivation(_usage(s, "industry_id").get(industry.id, 0), f"产业“{industry.name}”")
        if industry.domain_id is not None and industry.domain_id != row.domain_id:
            # targets hang on (domain, industry): they move with the industry
            for t in s.scalars(select(m.Target).where(m.Target.industry_id == industry.id)):
                t.domain_id = row.domain_id
        industry.name, industry.domain_id, industry.active = name, row.domain_id, row.active
        return industry.id


def set_lead_departments(db: Database, actor: Actor, domain_id: int, department_ids: Iterable[int]) -> None:
    with _editing(db, actor) as s:
        _set_lead_departments(s, _domain(s, domain_id), department_ids)


def save_domain(db: Database, actor: Actor, row: DomainRow) -> None:
    """A domain's lead departments and its 口径, saved together."""
    _check_measure(row.measure)
    with _editing(db, actor) as s:
        domain = _domain(s, row.id)
        _set_lead_departments(s, domain, row.lead_department_ids)
        domain.measure = row.measure


def _set_lead_departments(s: Session, domain: m.Domain, department_ids: Iterable[int]) -> None:
    wanted = set(department_ids)
    if not wanted:
        raise UserError("每个领域至少要有一个牵头部门。")
    for dept_id in wanted:
        dept = s.get(m.Department, dept_id)
        if dept is None or not dept.active:
            raise UserError(f"部门（编号{dept_id}）不存在或已停用。")
    current = {dd.department_id: dd for dd in domain.lead_departments}
    for dept_id, dd in current.items():
        if dept_id not in wanted:
            domain.lead_departments.remove(dd)
            s.delete(dd)  # explicitly, so the flush hook audits it (orphans are found too late)
    for dept_id in sorted(wanted - current.keys()):
        domain.lead_departments.append(m.DomainDepartment(department_id=dept_id))


def save_option(db: Database, actor: Actor, row: OptionRow) -> None:
    """Adds an option value, or switches an existing one on or off. Values are stored as text in
    the records, so an option is never renamed: add the new value and switch the old one off."""
    if row.kind not in OPTION_KIND_LABELS:
        raise UserError(f"选项类别“{row.kind}”不存在。")
    if row.kind in FIXED_OPTION_KINDS:
        raise UserError(f"“{OPTION_KIND_LABELS[row.kind]}”由系统流程使用，不能修改。")
    value = _text(row.value, OPTION_KIND_LABELS[row.kind], 50)
    with _editing(db, actor) as s:
        option = s.scalars(select(m.Option).where(m.Option.kind == row.kind, m.Option.value == value)).first()
        if option is None:
            order = s.scalar(select(func.coalesce(func.max(m.Option.sort_order), -1)).where(m.Option.kind == row.kind))
            s.add(
                m.Option(
                    id=_next(s, m.Option, "id"),
                    kind=row.kind,
                    value=value,
                    sort_order=int(order or 0) + 1,
                    active=row.active,
                )
            )
        else:
            option.active = row.active


def _count_value(value: Decimal) -> Decimal:
    if value != value.to_integral_value():
        raise UserError(f"目标个数“{value}”应为整数。")
    return value


def save_targets(db: Database, actor: Actor, year: int, rows: Iterable[TargetRow]) -> int:
    """Sets `year`'s targets to `rows` (value None removes a target); returns how many changed."""
    if year not in TARGET_YEARS:
        raise UserError(f"年度“{year}”无效。")
    changed = 0
    with _editing(db, actor) as s:
        stored = {
            (t.metric, t.domain_id, t.industry_id): t for t in s.scalars(select(m.Target).where(m.Target.year == year))
        }
        for row in rows:
            if row.metric not in (*r.COUNT_METRICS, r.INDUSTRY_OUTPUT):
                raise ValueError(f"unknown metric {row.metric!r}")
            value = row.value
            if value is not None:
                if value < 0:
                    raise UserError(f"{year}年目标“{r.METRIC_LABELS[row.metric]}”不能为负数。")
                value = _count_value(value) if row.metric in r.COUNT_METRICS else value
            existing = stored.get((row.metric, row.domain_id, row.industry_id))
            if value is None and existing is not None:
                s.delete(existing)
                changed += 1
            elif value is not None and existing is None:
                s.add(
                    m.Target(
                        id=_next(s, m.Target, "id"),
                        year=year,
                        metric=row.metric,
                        domain_id=row.domain_id,
                        industry_id=row.industry_id,
                        value=value,
                    )
                )
                changed += 1
            elif value is not None and existing is not None and existing.value != value:
                existing.value = value
                changed += 1
    return changed


def set_due_day(db: Database, actor: Actor, day: int) -> None:
    """The day of the following month by which a period's figures are due."""
    if not 1 <= day <= 28:
        raise UserError("上报截止日应在每月1日至28日之间。")
    with _editing(db, actor) as s:
        if due_day_in(s) != day:
            _set_setting(s, META_REPORT_DUE_DAY, str(day))


_COLOPHON_LABELS = {META_COPIED_TO: "抄送", META_PRINTED_BY: "印发单位"}


def _colophon_problem(key: str, value: Any) -> str | None:
    """Why a 版记 text is not acceptable, or None."""
    what = _COLOPHON_LABELS[key]
    if not isinstance(value, str) or not value.strip():
        return f"通报版记的“{what}”不能为空"
    if len(value) > COLOPHON_LENGTH:
        return f"通报版记的“{what}”不能超过{COLOPHON_LENGTH}个字（现有{len(value)}个）"
    if "\n" in value or "\r" in value or forbidden_in(value):
        return f"通报版记的“{what}”应为一行文字，不能含有换行或控制字符"
    return None


def set_colophon(db: Database, actor: Actor, copied_to: str, printed_by: str) -> None:
    """The 通报's 版记: 抄送 (whom it is copied to) and 印发 (the office that prints it)."""
    values = {META_COPIED_TO: copied_to.strip(), META_PRINTED_BY: printed_by.strip()}
    for key, value in values.items():
        if problem := _colophon_problem(key, value):
            raise UserError(f"{problem}。")
    with _editing(db, actor) as s:
        for key, value in values.items():
            _set_setting(s, key, value)


def set_passphrase_minimum(db: Database, actor: Actor, minimum: int) -> None:
    """The county's policy for signing-key passphrases: at least `minimum` characters (0: a
    passphrase is optional). It travels with the reference data and applies to new keys."""
    from hengdong_desktop.services.packages.keys import META_PASSPHRASE_MIN

    if not 0 <= minimum <= 64:
        raise UserError("口令最少字符数应在0至64之间（0表示可不设口令）。")
    with _editing(db, actor) as s:
        _set_setting(s, META_PASSPHRASE_MIN, str(minimum))


@dataclass(frozen=True)
class ReferenceChange:
    """One audited change of reference data, for the change log on the county's screen."""

    at: datetime
    operator: str
    source: str
    entity: str  # table name: units, targets, app_meta …
    entity_id: str
    action: str  # create / update / remove
    field: str | None
    old_value: str | None
    new_value: str | None


def reference_changes(db: Database, limit: int = 500) -> list[ReferenceChange]:
    """The latest audited changes of reference data and settings, newest first."""
    names = [model.__tablename__ for model in (*m.REFERENCE_MODELS, m.Meta)]
    with db.read() as s:
        return [
            ReferenceChange(
                a.at, a.operator, a.source, a.entity, a.entity_id, a.action, a.field, a.old_value, a.new_value
            )
            for a in s.scalars(
                select(m.AuditEntry).where(m.AuditEntry.entity.in_(names)).order_by(m.AuditEntry.id.desc()).limit(limit)
            )
        ]


# ---------------------------------------------------------------------------------------------
# The snapshot that travels in the county's 下发包
# ---------------------------------------------------------------------------------------------
_ID_TABLES: tuple[tuple[str, type[m.Base], tuple[str, ...], tuple[str, ...]], ...] = (
    # (snapshot key, model, columns carried, unique columns)
    ("departments", m.Department, ("id", "name", "sort_order", "active"), ("name",)),
    ("domains", m.Domain, ("id", "name", "sort_order", "measure"), ("name",)),
    ("industries", m.Industry, ("id", "name", "domain_id", "sort_order", "active"), ("name",)),
    ("leaders", m.Leader, ("id", "name", "title", "sort_order", "active"), ("name",)),
    ("chains", m.Chain, ("id", "name", "sort_order", "active", "leader_id", "department_id", "task_force"), ("name",)),
    (
        "units",
        m.Unit,
        ("id", "code", "name", "kind", "short_name", "provisional_code", "sort_order", "active", "start_period"),
        ("code", "name"),
    ),
)
# Columns a snapshot written before they existed lacks: such a snapshot leaves them as they are.
_LATER_COLUMNS = {
    "domains": {"measure"},
    "units": {"start_period"},
    "chains": {"leader_id", "department_id", "task_force"},
}
# Tables a snapshot written before they existed lacks: such a snapshot leaves them as they are.
_LATER_TABLES = {"leaders"}
_SETTINGS = (
    "project_implemented_from",
    "project_suspended",
    META_REPORT_DUE_DAY,
    "key_passphrase_min_length",
    META_COPIED_TO,
    META_PRINTED_BY,
)
_SETTING_PREFIXES = ("threshold.", PARAMETER_PREFIX, PROGRAMME_PREFIX, DEADLINE_PREFIX)
_TABLE_LABELS = {
    "departments": "部门",
    "domains": "领域",
    "industries": "产业",
    "chains": "产业链",
    "units": "单位",
    "leaders": "县领导",
}
_FIELD_LABELS = {
    "code": "代码",
    "name": "名称",
    "kind": "类型",
    "short_name": "简称",
    "provisional_code": "临时代码",
    "title": "职务",
    "leader_id": "链长",
    "department_id": "牵头部门",
    "task_force": "专班成员",
    "sort_order": "顺序",
    "active": "启用",
    "domain_id": "所属领域",
    "measure": "口径",
    "start_period": "启用期",
}


def snapshot_in(session: Session) -> dict[str, Any]:
    meta = {x.key: x.value for x in session.scalars(select(m.Meta))}
    snap: dict[str, Any] = {
        "format": SNAPSHOT_FORMAT,
        "format_version": SNAPSHOT_FORMAT_VERSION,
        "reference_version": int(meta.get(META_REFERENCE_VERSION, "0")),
    }
    for key, model, columns, _unique_cols in _ID_TABLES:
        snap[key] = [{c: getattr(o, c) for c in columns} for o in session.scalars(select(model).order_by(model.id))]  # type: ignore[attr-defined]
    snap["lead_departments"] = [
        [dd.domain_id, dd.department_id]
        for dd in session.scalars(
            select(m.DomainDepartment).order_by(m.DomainDepartment.domain_id, m.DomainDepartment.department_id)
        )
    ]
    snap["options"] = [
        {"kind": o.kind, "value": o.value, "sort_order": o.sort_order, "active": o.active}
        for o in session.scalars(select(m.Option).order_by(m.Option.kind, m.Option.sort_order, m.Option.value))
    ]
    snap["targets"] = [
        {
            "year": t.year,
            "metric": t.metric,
            "domain_id": t.domain_id,
            "industry_id": t.industry_id,
            "value": str(t.value),
        }
        for t in session.scalars(
            select(m.Target).order_by(
                m.Target.year,
                m.Target.metric,
                m.Target.domain_id.asc().nulls_first(),
                m.Target.industry_id.asc().nulls_first(),
            )
        )
    ]
    snap["settings"] = {k: meta[k] for k in sorted(meta) if k.startswith(_SETTING_PREFIXES) or k in _SETTINGS}
    snap["settings"].setdefault(META_REPORT_DUE_DAY, str(due_day_in(session)))
    return snap


def reference_snapshot(db: Database) -> dict[str, Any]:
    """The county's reference data as one JSON-ready dict (ids, codes, targets as 万元 strings)."""
    with db.read() as s:
        return snapshot_in(s)


def _bad(reason: str) -> UserError:
    return UserError(f"基础数据无效：{reason}。")


def _validated(snapshot: Any) -> dict[str, Any]:
    """Checks the snapshot's shape before anything is written; refuses newer formats."""
    if not isinstance(snapshot, dict) or snapshot.get("format") != SNAPSHOT_FORMAT:
        raise _bad("不是基础数据快照")
    version = snapshot.get("format_version")
    if not isinstance(version, int):
        raise _bad("缺少格式版本")
    if version > SNAPSHOT_FORMAT_VERSION:
        raise UserError(f"基础数据格式版本{version}比本程序支持的更新，请升级本程序。")
    if not isinstance(snapshot.get("reference_version"), int):
        raise _bad("缺少基础数据版本号")
    for key, _model, columns, _unique_cols in _ID_TABLES:
        if key in _LATER_TABLES and key not in snapshot:
            continue
        rows = snapshot.get(key)
        needed = set(columns) - _LATER_COLUMNS.get(key, set())
        if not isinstance(rows, list) or not all(isinstance(x, dict) and needed <= x.keys() for x in rows):
            raise _bad(f"“{_TABLE_LABELS[key]}”缺少字段")
        if key == "domains" and not all(x.get("measure", r.OUTPUT) in r.MEASURES for x in rows):
            raise _bad("领域的口径无效")
        if key == "units" and not all(
            x.get("start_period") is None
            or (isinstance(x["start_period"], str) and periods.is_period(x["start_period"]))
            for x in rows
        ):
            raise _bad("单位的启用期无效")
        if not all(isinstance(x["id"], int) and isinstance(x["name"], str) for x in rows):
            raise _bad(f"“{_TABLE_LABELS[key]}”的编号或名称无效")
        if len({x["id"] for x in rows}) != len(rows):
            raise _bad(f"“{_TABLE_LABELS[key]}”编号重复")
    if not any(u["kind"] == "县" for u in snapshot["units"]):
        raise _bad("缺少汇总单位")
    pairs = snapshot.get("lead_departments")
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(i, int) for i in p) for p in pairs
    ):
        raise _bad("领域牵头部门无效")
    options = snapshot.get("options")
    if not isinstance(options, list) or not all(
        isinstance(o, dict) and {"kind", "value", "sort_order", "active"} <= o.keys() for o in options
    ):
        raise _bad("选项无效")
    targets = snapshot.get("targets")
    if not isinstance(targets, list):
        raise _bad("目标任务无效")
    for t in targets:
        if (
            not isinstance(t, dict)
            or t.get("metric") not in (*r.COUNT_METRICS, r.INDUSTRY_OUTPUT)
            or not isinstance(t.get("year"), int)
        ):
            raise _bad("目标任务无效")
        try:
            Decimal(str(t["value"]))
        except (InvalidOperation, KeyError):
            raise _bad("目标值不是数字") from None
    if not isinstance(snapshot.get("settings"), dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in snapshot["settings"].items()
    ):
        raise _bad("设置项无效")
    for key, value in snapshot["settings"].items():
        if not (key.startswith(_SETTING_PREFIXES) or key in _SETTINGS):  # never the database's own facts
            raise _bad(f"设置项“{printable(key[:50])}”不属于基础数据")
        for prefix, known, what in (
            (PARAMETER_PREFIX, r.PARAMETERS_BY_KEY, "项目预警参数"),
            (PROGRAMME_PREFIX, r.PROGRAMME_BY_KEY, "工程管理参数"),
        ):
            parameter = known.get(key.removeprefix(prefix)) if key.startswith(prefix) else None
            if key.startswith(prefix) and (
                parameter is None or not value.isdigit() or not parameter.minimum <= int(value) <= parameter.maximum
            ):
                raise _bad(f"{what}“{key}”无效")
        if key.startswith(DEADLINE_PREFIX) and (not value.isdigit() or not 1 <= int(value) <= 365 or len(key) > 50):
            raise _bad(f"问题办理时限“{key}”无效")
        if key in _COLOPHON_LABELS and (problem := _colophon_problem(key, value)):
            raise _bad(problem)
    return snapshot


def _show(value: Any) -> str:
    if value is None or value == "":
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _readable(session: Session, column: str, value: Any) -> Any:
    """A snapshot value as a clerk reads it: a measure's or a leader's or department's name."""
    if value is None:
        return None
    if column == "measure":
        return r.MEASURES.get(value, value)
    row: m.Leader | m.Department | None = None
    if column == "leader_id":
        row = session.get(m.Leader, value)
    elif column == "department_id":
        row = session.get(m.Department, value)
    return row.name if row is not None else value


def _sync_id_table(
    session: Session,
    key: str,
    model: Any,
    columns: tuple[str, ...],
    unique_cols: tuple[str, ...],
    rows: list[dict[str, Any]],
    changes: list[str],
) -> None:
    label = _TABLE_LABELS[key]
    existing: dict[int, Any] = {o.id: o for o in session.scalars(select(model))}
    columns = tuple(c for c in columns if all(c in row for row in rows))  # an older snapshot lacks later ones
    wanted = {row["id"]: row for row in rows}
    # Unique values may move between rows (two codes swapped): park the changing ones first,
    # outside the ORM, so the ORM's own update (and its audit of old → new) cannot collide.
    table: Table = model.__table__
    for col in unique_cols:
        moving = [i for i, row in wanted.items() if i in existing and getattr(existing[i], col) != row[col]]
        if moving:
            session.connection().execute(
                update(table).where(table.c.id.in_(moving)).values({col: literal("~") + cast(table.c.id, String)})
            )
    for ident, row in wanted.items():
        obj = existing.get(ident)
        if obj is None:
            session.add(model(**{c: row[c] for c in columns}))
            changes.append(f"新增{label}“{row['name']}”")
            continue
        diffs = [(c, getattr(obj, c), row[c]) for c in columns if c != "id" and getattr(obj, c) != row[c]]
        for c, _old, new in diffs:
            setattr(obj, c, new)
        shown = [(c, old, new) for c, old, new in diffs if c not in ("sort_order", "active")]
        if any(c == "active" for c, _old, _new in diffs):
            changes.append(f"{'启用' if row['active'] else '停用'}{label}“{row['name']}”")
        if shown:
            changes.append(
                f"{label}“{row['name']}”："
                + "，".join(
                    f"{_FIELD_LABELS[c]} {_show(_readable(session, c, old))} → {_show(_readable(session, c, new))}"
                    for c, old, new in shown
                )
            )
    for ident, obj in existing.items():
        if ident not in wanted and getattr(obj, "active", False):
            obj.active = False
            changes.append(f"停用{label}“{obj.name}”")
    session.flush()


def apply_snapshot_in(session: Session, snapshot: dict[str, Any]) -> ReferenceUpdate:
    """Brings this database's reference data to `snapshot` inside the caller's transaction (the
    session's Actor names the source, e.g. "reply" with the package id). An older snapshot than
    the one applied here changes nothing."""
    snap = _validated(snapshot)
    current = int(_meta(session, META_REFERENCE_VERSION, "0"))
    incoming = snap["reference_version"]
    result = ReferenceUpdate(applied=incoming >= current, from_version=current, to_version=incoming)
    if not result.applied:
        return result
    changes = result.changes
    for key, model, columns, unique_cols in _ID_TABLES:
        if key in snap:
            _sync_id_table(session, key, model, columns, unique_cols, snap[key], changes)
    names = {d.id: d.name for d in session.scalars(select(m.Domain))}
    dept_names = {d.id: d.name for d in session.scalars(select(m.Department))}
    wanted_leads = {(d, p) for d, p in snap["lead_departments"]}
    for dd in session.scalars(select(m.DomainDepartment)).all():
        if (dd.domain_id, dd.department_id) not in wanted_leads:
            session.delete(dd)
            changes.append(f"领域“{names[dd.domain_id]}”不再由“{dept_names[dd.department_id]}”牵头")
    have = {(d, p) for d, p in session.execute(select(m.DomainDepartment.domain_id, m.DomainDepartment.department_id))}
    for d, p in sorted(wanted_leads - have):
        session.add(m.DomainDepartment(domain_id=d, department_id=p))
        changes.append(f"领域“{names[d]}”增加牵头部门“{dept_names[p]}”")
    options = {(o.kind, o.value): o for o in session.scalars(select(m.Option))}
    wanted_options = {(o["kind"], o["value"]): o for o in snap["options"]}
    for k, o in wanted_options.items():
        opt = options.get(k)
        if opt is None:
            session.add(
                m.Option(
                    id=_next(session, m.Option, "id"),
                    kind=o["kind"],
                    value=o["value"],
                    sort_order=o["sort_order"],
                    active=o["active"],
                )
            )
            changes.append(f"新增选项“{OPTION_KIND_LABELS.get(o['kind'], o['kind'])}：{o['value']}”")
        else:
            if opt.active != o["active"]:
                changes.append(
                    f"{'启用' if o['active'] else '停用'}选项“"
                    f"{OPTION_KIND_LABELS.get(o['kind'], o['kind'])}：{o['value']}”"
                )
            opt.sort_order, opt.active = o["sort_order"], o["active"]
    for k, opt in options.items():
        if k not in wanted_options and opt.active:
            opt.active = False
            changes.append(f"停用选项“{OPTION_KIND_LABELS.get(opt.kind, opt.kind)}：{opt.value}”")
    targets = {(t.year, t.metric, t.domain_id, t.industry_id): t for t in session.scalars(select(m.Target))}
    wanted_targets = {
        (t["year"], t["metric"], t["domain_id"], t["industry_id"]): Decimal(str(t["value"])) for t in snap["targets"]
    }
    changed_years: set[int] = set()
    for (year, metric, domain_id, industry_id), value in wanted_targets.items():
        t = targets.get((year, metric, domain_id, industry_id))
        if t is None:
            session.add(
                m.Target(
                    id=_next(session, m.Target, "id"),
                    year=year,
                    metric=metric,
                    domain_id=domain_id,
                    industry_id=industry_id,
                    value=value,
                )
            )
            changed_years.add(year)
        elif t.value != value:
            t.value = value
            changed_years.add(year)
    for scope, t in targets.items():
        if scope not in wanted_targets:
            session.delete(t)
            changed_years.add(t.year)
    changes.extend(f"{year}年目标任务已更新" for year in sorted(changed_years))
    for row in session.scalars(select(m.Meta).where(m.Meta.key.startswith(DEADLINE_PREFIX))).all():
        if row.key not in snap["settings"]:  # the county went back to the default days
            session.delete(row)
            _audit_setting(session, row.key, row.value, None)
            changes.append(f"“{row.key.removeprefix(DEADLINE_PREFIX)}”类问题的办理时限改为默认")
    for key, value in snap["settings"].items():
        changed = _set_setting(session, key, value)
        if changed and key == META_REPORT_DUE_DAY:
            changes.append(f"上报截止日改为次月{value}日")
        elif changed and key == "key_passphrase_min_length":
            changes.append(f"签名密钥口令要求改为至少{value}个字符" if value != "0" else "签名密钥口令改为可不设")
        elif changed and key.startswith(PARAMETER_PREFIX) and key.removeprefix(PARAMETER_PREFIX) in r.PARAMETERS_BY_KEY:
            parameter = r.PARAMETERS_BY_KEY[key.removeprefix(PARAMETER_PREFIX)]
            changes.append(f"“{parameter.label}”改为{value}{parameter.unit}")
        elif changed and key.startswith(PROGRAMME_PREFIX) and key.removeprefix(PROGRAMME_PREFIX) in r.PROGRAMME_BY_KEY:
            parameter = r.PROGRAMME_BY_KEY[key.removeprefix(PROGRAMME_PREFIX)]
            changes.append(f"“{parameter.label}”改为{value}{parameter.unit}")
        elif changed and key.startswith(DEADLINE_PREFIX):
            changes.append(f"“{key.removeprefix(DEADLINE_PREFIX)}”类问题的办理时限改为{value}天")
        elif changed and key in _COLOPHON_LABELS:
            changes.append(f"通报版记的“{_COLOPHON_LABELS[key]}”改为“{value}”")
    session.merge(m.Meta(key=META_REFERENCE_VERSION, value=str(incoming)))
    session.flush()
    return result


def apply_reference_snapshot(db: Database, snapshot: dict[str, Any], actor: Actor | None = None) -> ReferenceUpdate:
    """Applies a snapshot in its own transaction (source "reference" unless an actor is given)."""
    if actor is None:
        from hengdong_desktop.services.setup import read_info

        actor = read_info(db).actor(SOURCE)
    with db.write(actor) as s:
        return apply_snapshot_in(s, snapshot)


def snapshot_json(snapshot: dict[str, Any]) -> bytes:
    """The canonical bytes of a snapshot (sorted keys, UTF-8), for a package data file."""
    return json.dumps(snapshot, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
