"""Entering and correcting records: 企业 (with its 培育名录 memberships and its figures per year),
项目 (with its investment plan per year and its lifecycle: the status history by period, edited
row by row or following its status) and 问题.

Load a record for the editor, check it as the clerk types, save it in one transaction, remove it
with a reason (a tombstone: 调出名录 for an enterprise) and restore it, and read its history from
the audit log. Every check and save runs `records.coerce` and `rules.check`; a 强制性 finding
refuses the save naming the field, and warnings are saved with the explanations given."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import assignment, credit_code, periods, problem_ref, records, rules
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS, spec
from hengdong_desktop.domain.reference import PROJECT_HALTS, Reference
from hengdong_desktop.domain.rules import Finding, Severity
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.reference import load as load_reference
from hengdong_desktop.services.setup import DatabaseInfo

EDITED = ("enterprise", "project", "problem")
PROBLEM_TARGETS = ("enterprise_id", "project_id")  # a problem concerns exactly one of them
SOURCE_LABELS = {
    "form": "表单录入",
    "excel": "Excel导入",
    "merge": "县级合并",
    "reply": "县级下发",
    "cli": "命令行",
    "demo": "演示数据",
    "setup": "初始化",
    "reference": "基础数据",
}
ACTION_LABELS = {"create": "新建", "update": "修改", "delete": "调出/删除", "restore": "恢复", "remove": "移除"}
REMOVE_WORD = {"enterprise": "调出名录", "project": "删除", "problem": "删除"}
MEMBER_FIELDS = tuple(f.name for f in ENTITIES["membership"])
MEASURE_FIELDS = tuple(f.name for f in ENTITIES["support_measure"])
ANNUAL_FIELDS = tuple(f.name for f in ENTITIES["enterprise_annual"])
PLAN_FIELDS = tuple(f.name for f in ENTITIES["project_annual"])
STAGE_FIELDS = tuple(f.name for f in ENTITIES["project_stage"])


@dataclass
class Record:
    """One record as an editor shows it: typed values by field name."""

    entity: str
    id: str | None
    unit_id: int | None
    values: dict[str, Any]
    revision: int | None = None
    removed_reason: str | None = None
    explanations: dict[str, str] = field(default_factory=dict)  # rule id → text
    memberships: list[dict[str, Any]] = field(default_factory=list)  # enterprise only; each with "id"
    annual: list[dict[str, Any]] = field(default_factory=list)  # enterprise only: figures per year, with "id"
    plans: list[dict[str, Any]] = field(default_factory=list)  # project only: investment plan per year, with "id"
    stages: list[dict[str, Any]] = field(default_factory=list)  # project only: status history by period, with "id"
    measures: list[dict[str, Any]] = field(default_factory=list)  # enterprise only: 一企一策, with "id"
    # enterprise only: its problems a measure may answer (关联问题), id → how the clerk reads it
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.id is None

    @property
    def subject(self) -> str:
        return str(self.values.get("name") or self.values.get("description") or "")


@dataclass
class Checked:
    """What a check found: the typed values and the findings, worst first."""

    values: dict[str, Any]
    findings: list[Finding]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.blocks]

    @property
    def to_explain(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.needs_explanation]

    def for_field(self, name: str) -> list[Finding]:
        return [f for f in self.findings if f.fields and f.fields[0] == name]


class Refused(UserError):
    """A save refused because of a 强制性 finding; `field` names where it is, and for a monthly
    grid `grid` and `owner_id` name the row (the enterprise or project)."""

    def __init__(
        self,
        finding: Finding,
        findings: Sequence[Finding],
        prefix: str = "",
        *,
        grid: str | None = None,
        owner_id: str | None = None,
    ) -> None:
        super().__init__(
            f"{prefix}{finding.message}，未保存。", details=[f.message for f in findings if f.severity.blocks]
        )
        self.finding = finding
        self.field = finding.fields[0] if finding.fields else None
        self.grid = grid
        self.owner_id = owner_id


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def reference(db: Database) -> Reference:
    with db.read() as s:
        return load_reference(s)


def _model(entity: str) -> type[m.Synced]:
    if entity not in EDITED:
        raise ValueError(entity)
    return m.ENTITY_MODELS[entity]


def _field_names(entity: str) -> tuple[str, ...]:
    names = tuple(f.name for f in ENTITIES[entity])
    return names + PROBLEM_TARGETS if entity == "problem" else names


def blank(entity: str, info: DatabaseInfo, *, unit_id: int | None = None, today: date | None = None) -> Record:
    """A new record with the defaults a clerk expects."""
    unit = unit_id if info.is_county else info.unit_id
    values: dict[str, Any] = {name: None for name in _field_names(entity)}
    values["unit_id"] = unit
    if entity == "enterprise":
        values["need_categories"] = []
    elif entity == "project":
        values["status"] = "储备"
    elif entity == "problem":
        values.update(status="待办", raised_on=today or date.today())
    return Record(entity, None, unit, values)


def load(db: Database, entity: str, record_id: str) -> Record:
    model = _model(entity)
    with db.read() as s:
        obj = s.get(model, record_id)
        if obj is None:
            raise UserError(f"找不到该{ENTITY_LABELS[entity]}记录，可能已被合并或删除，请刷新列表。")
        values = {name: getattr(obj, name, None) for name in _field_names(entity)}
        values["unit_id"] = obj.unit_id
        if entity == "enterprise":
            values["need_categories"] = list(values.get("need_categories") or [])
        explanations = {
            e.rule_id: e.text
            for e in s.scalars(
                select(m.Explanation).where(m.Explanation.record_id == record_id, m.Explanation.deleted_at.is_(None))
            )
        }
        memberships: list[dict[str, Any]] = []
        if entity == "enterprise":
            for mem in s.scalars(
                select(m.Membership)
                .where(m.Membership.enterprise_id == record_id, m.Membership.deleted_at.is_(None))
                .order_by(m.Membership.date_in, m.Membership.list_name)
            ):
                memberships.append({"id": mem.id, **{f.name: getattr(mem, f.name) for f in ENTITIES["membership"]}})
        annual = (
            [
                {"id": a.id, **{name: getattr(a, name) for name in ANNUAL_FIELDS}}
                for a in s.scalars(
                    select(m.EnterpriseAnnual)
                    .where(m.EnterpriseAnnual.enterprise_id == record_id, m.EnterpriseAnnual.deleted_at.is_(None))
                    .order_by(m.EnterpriseAnnual.year.desc())
                )
            ]
            if entity == "enterprise"
            else []
        )
        plans: list[dict[str, Any]] = []
        stages: list[dict[str, Any]] = []
        if entity == "project":
            plans = [
                {"id": a.id, **{name: getattr(a, name) for name in PLAN_FIELDS}}
                for a in s.scalars(
                    select(m.ProjectAnnual)
                    .where(m.ProjectAnnual.project_id == record_id, m.ProjectAnnual.deleted_at.is_(None))
                    .order_by(m.ProjectAnnual.year.desc())
                )
            ]
            stages = [
                {"id": st.id, **{name: getattr(st, name) for name in STAGE_FIELDS}}
                for st in s.scalars(
                    select(m.ProjectStage)
                    .where(m.ProjectStage.project_id == record_id, m.ProjectStage.deleted_at.is_(None))
                    .order_by(m.ProjectStage.period)
                )
            ]
        measures = (
            [
                {"id": x.id, "revision": x.revision, **{name: getattr(x, name) for name in MEASURE_FIELDS}}
                for x in s.scalars(
                    select(m.SupportMeasure)
                    .where(m.SupportMeasure.enterprise_id == record_id, m.SupportMeasure.deleted_at.is_(None))
                    .order_by(m.SupportMeasure.created_at, m.SupportMeasure.content)
                )
            ]
            if entity == "enterprise"
            else []
        )
        problems = _problem_labels(s, record_id, {x["problem_id"] for x in measures}) if entity == "enterprise" else {}
        return Record(
            entity,
            obj.id,
            obj.unit_id,
            values,
            obj.revision,
            obj.deleted_reason,
            explanations,
            memberships,
            annual,
            plans,
            stages,
            measures,
            problems,
        )


def _problem_labels(
    session: Session, enterprise_id: str, linked: set[str | None], *, removed: bool = False
) -> dict[str, str]:
    """The enterprise's live problems (and any removed one a measure still names, or all of them
    with `removed`), newest first, each as a measure's 关联问题 names it: the text the Excel sheet
    carries, which tells two problems of the same day apart."""
    rows = session.execute(
        select(m.Problem.id, m.Problem.raised_on, m.Problem.description, m.Problem.deleted_at)
        .where(m.Problem.enterprise_id == enterprise_id)
        .order_by(m.Problem.raised_on.desc(), m.Problem.description)
    ).all()
    texts = problem_ref.references(r._asdict() for r in rows)
    return {
        r.id: texts[r.id] + ("（已删除）" if r.deleted_at else "")
        for r in rows
        if removed or r.deleted_at is None or r.id in linked
    }


def choices(db: Database, entity: str, unit_id: int | None) -> list[tuple[str, str]]:
    """(id, name) of the live enterprises or projects of a unit (all units for None), by name."""
    model = _model(entity)
    stmt = select(model.id, model.name).where(model.deleted_at.is_(None)).order_by(model.name)  # type: ignore[attr-defined]
    if unit_id is not None:
        stmt = stmt.where(model.unit_id == unit_id)
    with db.read() as s:
        return [(r[0], r[1]) for r in s.execute(stmt)]


# ---------------------------------------------------------------------------------------------
# Checking
# ---------------------------------------------------------------------------------------------
def _finder(session: Session, entity: str, unit_id: int | None) -> records.EnterpriseLookup:
    """Finds a live enterprise or project of the unit by id, exact name or credit code."""
    model: Any = _model(entity)

    def find(text: str) -> str | None:
        matches = [model.id == text, model.name == text]
        if entity == "enterprise":
            matches.append(model.credit_code == credit_code.normalize(text))
        stmt = select(model.id).where(or_(*matches), model.deleted_at.is_(None))
        if unit_id is not None:
            stmt = stmt.where(model.unit_id == unit_id)
        found = session.scalar(stmt.limit(1))
        return str(found) if found else None

    return find


def _check_session(
    session: Session,
    info: DatabaseInfo,
    ref: Reference,
    entity: str,
    raw: Mapping[str, object],
    record_id: str | None,
    today: date | None,
) -> Checked:
    existing = session.get(_model(entity), record_id) if record_id else None
    raw = dict(raw)
    if existing is not None:
        raw["unit_id"] = existing.unit_id  # a record never changes unit in the editor
    elif not info.is_county:
        raw["unit_id"] = info.unit_id
    unit = ref.resolve("unit", raw.get("unit_id"))
    known: dict[str, Any] = {}  # a problem's enterprise or project, found in this unit
    found_not: list[Finding] = []
    if entity == "problem":
        for key, kind in zip(PROBLEM_TARGETS, ("enterprise", "project"), strict=True):
            target = raw.pop(key, None)
            known[key] = _finder(session, kind, unit)(str(target)) if target else None
            if target and known[key] is None:
                found_not.append(
                    Finding(
                        f"FMT.{key}",
                        Severity.MANDATORY,
                        entity,
                        (key,),
                        f"所选{ENTITY_LABELS[kind]}不在本单位{ENTITY_LABELS[kind]}库中",
                    )
                )
    checked = coerce_and_check(
        entity,
        raw,
        ref,
        lookup={"enterprise": _finder(session, "enterprise", unit)},
        known=known,
        industry_domains={i.id: i.domain_id for i in ref.industries},
        record_id=record_id,
        today=today,
    )
    code = checked.values.get("credit_code")
    if entity == "enterprise" and code and credit_code.is_valid(code):
        found_not += _duplicate_code(session, ref, code, record_id)
    return Checked(checked.values, sorted(checked.findings + found_not, key=lambda f: f.severity.rank))


def coerce_and_check(
    entity: str,
    raw: Mapping[str, object],
    ref: Reference,
    *,
    lookup: Mapping[str, records.EnterpriseLookup] | None = None,
    known: Mapping[str, Any] | None = None,
    **context: Any,
) -> Checked:
    """`records.coerce`, then `rules.check` over the values that could be read (an unreadable
    value has its finding already; no rule runs on a guess). `known` values are already typed;
    `context` goes to the rules (previous month, parent project, …). A problem takes its 交办
    defaults (domain/assignment.py) first."""
    coerced = records.coerce(entity, raw, ref, lookup=lookup)
    values = {**coerced.values, **(known or {})}
    if entity == "problem":
        values = assignment.with_defaults(values, ref, context.get("today") or date.today())
    bad = {f.fields[0] for f in coerced.findings}
    readable = {k: v for k, v in values.items() if k not in bad}
    findings = coerced.findings + rules.check(entity, readable, partial=bool(bad), **context)
    return Checked(values, sorted(findings, key=lambda f: f.severity.rank))


def _duplicate_code(session: Session, ref: Reference, code: str, record_id: str | None) -> list[Finding]:
    """A credit code belongs to one live enterprise in the database (a uniqueness check, not a
    record rule: it needs the other records)."""
    stmt = select(m.Enterprise.name, m.Enterprise.unit_id).where(
        m.Enterprise.credit_code == code, m.Enterprise.deleted_at.is_(None)
    )
    if record_id:
        stmt = stmt.where(m.Enterprise.id != record_id)
    other = session.execute(stmt.limit(1)).first()
    if other is None:
        return []
    return [
        Finding(
            "DUP.credit_code",
            Severity.MANDATORY,
            "enterprise",
            ("credit_code",),
            f"统一社会信用代码“{code}”已被{ref.name_of('unit', other.unit_id)}的“{other.name}”使用",
        )
    ]


def check(
    db: Database,
    info: DatabaseInfo,
    entity: str,
    raw: Mapping[str, object],
    *,
    record_id: str | None = None,
    ref: Reference | None = None,
    today: date | None = None,
) -> Checked:
    """Coerces and checks what the editor holds; writes nothing."""
    with db.read() as s:
        return _check_session(s, info, ref or load_reference(s), entity, raw, record_id, today)


def check_membership(raw: Mapping[str, object], ref: Reference) -> Checked:
    return coerce_and_check("membership", raw, ref)


def check_measure(
    raw: Mapping[str, object],
    ref: Reference,
    enterprise_id: str | None = None,
    problems: Mapping[str, str | None] | None = None,
) -> Checked:
    """One measure of an enterprise's 一企一策 ledger. `problems` maps the id of each problem it
    may name (关联问题) to that problem's enterprise: the rule engine refuses another
    enterprise's problem (CS02), a problem not in `problems` is not found."""
    known = dict(problems or {})
    problem_id = raw.get("problem_id")
    linked = {"enterprise_id": known[problem_id]} if isinstance(problem_id, str) and problem_id in known else None
    return coerce_and_check(
        "support_measure",
        raw,
        ref,
        lookup={"problem": lambda text: text if text in known else None},
        known={"enterprise_id": enterprise_id},
        parent=linked,
    )


def check_annual(raw: Mapping[str, object], ref: Reference, enterprise: Mapping[str, Any] | None = None) -> Checked:
    """One year's figures of an enterprise (its record as `enterprise`, for the rules that read it)."""
    return coerce_and_check("enterprise_annual", raw, ref, parent=enterprise or {})


def check_plan(
    raw: Mapping[str, object], ref: Reference, project: Mapping[str, Any] | None = None, today: date | None = None
) -> Checked:
    """One year's investment plan of a project (its record as `project`)."""
    return coerce_and_check("project_annual", raw, ref, parent=project or {}, today=today)


def check_stage(raw: Mapping[str, object], ref: Reference, today: date | None = None) -> Checked:
    """One row of a project's status history."""
    return coerce_and_check("project_stage", raw, ref, today=today)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _writable(info: DatabaseInfo, obj: m.Synced | None, entity: str) -> m.Synced:
    if obj is None:
        raise UserError(f"找不到该{ENTITY_LABELS[entity]}记录，可能已被合并或删除，请刷新列表。")
    if not info.is_county and obj.unit_id != info.unit_id:
        raise UserError(f"该{ENTITY_LABELS[entity]}不属于{info.unit_name}，不能修改。")
    return obj


def assign(obj: object, values: Mapping[str, Any]) -> None:
    """Sets the attributes that differ (an unchanged value writes no audit row)."""
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)


def store_explanation(
    session: Session, unit_id: int, entity: str, record_id: str, period: str | None, rule_id: str, text: str
) -> None:
    """Stores the explanation of one warning on one record (reviving a tombstoned one)."""
    row = session.scalar(
        select(m.Explanation).where(m.Explanation.record_id == record_id, m.Explanation.rule_id == rule_id)
    )
    if row is None:
        session.add(
            m.Explanation(
                id=m.new_uuid(),
                unit_id=unit_id,
                entity=entity,
                record_id=record_id,
                rule_id=rule_id,
                period=period,
                text=text,
            )
        )
        return
    assign(row, {"text": text, "period": period, "deleted_at": None, "deleted_reason": None})


def save(
    db: Database,
    info: DatabaseInfo,
    entity: str,
    raw: Mapping[str, object],
    *,
    record_id: str | None = None,
    revision: int | None = None,
    explanations: Mapping[str, str] | None = None,
    memberships: Sequence[Mapping[str, object]] | None = None,
    annual: Sequence[Mapping[str, Any]] | None = None,
    plans: Sequence[Mapping[str, Any]] | None = None,
    stages: Sequence[Mapping[str, Any]] | None = None,
    measures: Sequence[Mapping[str, Any]] | None = None,
    today: date | None = None,
) -> Record:
    """Saves a new or edited record, and for an enterprise its memberships and yearly figures, for
    a project its plans per year and its status history, in one transaction.

    `memberships`, `measures` (一企一策, each optionally answering one of the enterprise's problems:
    "problem_id"), `annual`, `plans` and `stages` rows carry "id" (None for a new one) and
    "removed" (True to take a wrongly entered row out); rows not listed are left as they are.
    A project's status is its latest status row when `stages` are given; otherwise its status
    history follows its status (`sync_stage`). Raises `Refused` on a 强制性 finding; warnings are
    saved, with the explanation given for each rule id, if any."""
    model: Any = _model(entity)
    with db.write(info.actor("form")) as s:
        ref = load_reference(s)
        checked = _check_session(s, info, ref, entity, raw, record_id, today)
        if checked.blocking:
            raise Refused(checked.blocking[0], checked.findings)
        member_rows = [
            (row, check_membership({k: row.get(k) for k in MEMBER_FIELDS}, ref))
            for row in memberships or ()
            if not row.get("removed")
        ]
        for row, mc in member_rows:
            if mc.blocking:
                name = row.get("list_name") or "新增行"
                raise Refused(mc.blocking[0], mc.findings, prefix=f"培育名录“{name}”：")
        linked = {str(row["problem_id"]) for row in measures or () if row.get("problem_id")}
        problem_owners: dict[str, str | None] = {
            pid: owner
            for pid, owner in s.execute(select(m.Problem.id, m.Problem.enterprise_id).where(m.Problem.id.in_(linked)))
        }
        measure_rows = [
            (row, check_measure({k: row.get(k) for k in MEASURE_FIELDS}, ref, record_id, problem_owners))
            for row in measures or ()
            if not row.get("removed")
        ]
        for row, mc in measure_rows:
            if mc.blocking:
                raise Refused(
                    mc.blocking[0], mc.findings, prefix=f"一企一策措施“{str(row.get('content') or '新增行')[:20]}”："
                )
        annual_rows = _checked_years(
            annual, lambda row: check_annual({k: row.get(k) for k in ANNUAL_FIELDS}, ref, checked.values), "年度数据"
        )
        plan_rows = _checked_years(
            plans, lambda row: check_plan({k: row.get(k) for k in PLAN_FIELDS}, ref, checked.values, today), "年度计划"
        )
        stage_rows = _checked_stages(stages, ref, today)
        if record_id:
            obj = _writable(info, s.get(model, record_id), entity)
            if obj.is_deleted:
                raise UserError(f"“{_name(obj)}”已{REMOVE_WORD[entity]}，请先恢复再修改。")
            if revision is not None and obj.revision != revision:
                raise UserError(f"“{_name(obj)}”在打开后已被修改（可能来自导入或县级下发），请关闭后重新打开再修改。")
            if entity == "problem" and checked.values.get("enterprise_id") != getattr(obj, "enterprise_id", None):
                _refuse_moving_answered(s, obj)
        else:
            unit = checked.values.get("unit_id")
            if entity == "problem":  # a problem belongs to the unit of its enterprise or project
                ent_id, proj_id = checked.values["enterprise_id"], checked.values["project_id"]
                target: Any = s.get(m.Enterprise, ent_id) if ent_id else s.get(m.Project, proj_id)
                unit = target.unit_id
            obj = model(id=m.new_uuid(), unit_id=unit)
            s.add(obj)
        assign(obj, {k: v for k, v in checked.values.items() if k != "unit_id"})
        s.flush()
        for finding in checked.to_explain:
            text = (explanations or {}).get(finding.rule_id)
            if text is not None:
                store_explanation(s, obj.unit_id, entity, obj.id, None, finding.rule_id, text.strip())
        if entity == "enterprise":
            _save_owned(s, obj, m.Membership, memberships or (), {id(r): mc for r, mc in member_rows}, "培育名录")
            _save_owned(s, obj, m.SupportMeasure, measures or (), {id(r): mc for r, mc in measure_rows}, "一企一策措施")
            _save_years(
                s,
                m.EnterpriseAnnual,
                "enterprise_id",
                obj,
                annual or (),
                {id(r): ac for r, ac in annual_rows},
                "年度数据",
            )
        if entity == "project":
            _save_years(
                s, m.ProjectAnnual, "project_id", obj, plans or (), {id(r): pc for r, pc in plan_rows}, "年度计划"
            )
            if stages is None:
                sync_stage(s, obj, today or date.today())
            else:
                _save_stages(s, obj, stages, {id(r): sc for r, sc in stage_rows})
        saved_id = obj.id
    return load(db, entity, saved_id)


def _refuse_moving_answered(session: Session, problem: Any) -> None:
    """A problem that 一企一策 measures answer stays with their enterprise (rule CS02 would refuse
    the measures afterwards, far from where the change was made)."""
    answered = session.scalar(
        select(m.SupportMeasure.content).where(
            m.SupportMeasure.problem_id == problem.id, m.SupportMeasure.deleted_at.is_(None)
        )
    )
    if answered is not None:
        raise UserError(
            f"该问题是一企一策措施“{answered[:20]}”的关联问题，不能改为其他企业或项目的问题；"
            "请先在原企业的一企一策中取消关联，未保存。"
        )


def _checked_years(
    rows: Sequence[Mapping[str, Any]] | None, check_row: Any, what: str
) -> list[tuple[Mapping[str, Any], Checked]]:
    """Each live row of a record's figures per year, checked; refuses an error or a year twice."""
    out = [(row, check_row(row)) for row in rows or () if not row.get("removed")]
    years: set[object] = set()
    for row, checked in out:
        if checked.blocking:
            raise Refused(checked.blocking[0], checked.findings, prefix=f"{row.get('year') or '新增'}{what}：")
        if checked.values.get("year") in years:
            raise UserError(f"{checked.values['year']}年的{what}填了两行，请合并为一行，未保存。")
        years.add(checked.values.get("year"))
    return out


def _checked_stages(
    rows: Sequence[Mapping[str, Any]] | None, ref: Reference, today: date | None
) -> list[tuple[Mapping[str, Any], Checked]]:
    """The live rows of a status history, checked: one row per period, at least one row."""
    if rows is None:
        return []
    out = [
        (row, check_stage({k: row.get(k) for k in STAGE_FIELDS}, ref, today)) for row in rows if not row.get("removed")
    ]
    if not out:
        raise UserError("项目状态记录至少要有一条（项目当前的状态），未保存。")
    seen: set[object] = set()
    for row, checked in out:
        if checked.blocking:
            raise Refused(
                checked.blocking[0],
                checked.findings,
                prefix=f"项目状态“{row.get('period') or '新增'} {row.get('status') or ''}”：",
            )
        if checked.values.get("period") in seen:
            raise UserError(f"{checked.values['period']}的项目状态填了两行，每个填报期只记一个状态，未保存。")
        seen.add(checked.values.get("period"))
    return out


def _save_owned(
    session: Session,
    ent: m.Synced,
    model: Any,
    rows: Sequence[Mapping[str, object]],
    checked: Mapping[int, Checked],
    what: str,
) -> None:
    """An enterprise's memberships or 一企一策 measures (checked: a measure names only a problem of
    its own enterprise, rule CS02)."""
    for row in rows:
        row_id = row.get("id")
        existing = session.get(model, row_id) if row_id else None
        if existing is not None and existing.enterprise_id != ent.id:
            raise UserError(f"{what}记录不属于该企业，未保存。")
        if row.get("removed"):
            if existing is not None and not existing.is_deleted:
                assign(existing, {"deleted_at": utcnow(), "deleted_reason": f"从{what}记录中删除（录入有误）"})
            continue
        values = {k: v for k, v in checked[id(row)].values.items() if k != "enterprise_id"}
        if existing is None:
            session.add(model(id=m.new_uuid(), unit_id=ent.unit_id, enterprise_id=ent.id, **values))
        else:
            assign(existing, values)


def _save_years(
    session: Session,
    model: Any,
    owner_key: str,
    owner: m.Synced,
    rows: Sequence[Mapping[str, Any]],
    checked: Mapping[int, Checked],
    what: str,
) -> None:
    """A record's figures per year (an enterprise's 年度数据, a project's 年度计划); a year already
    stored (perhaps tombstoned) is that row. A row's "explanations" (rule id → text) explain its
    warnings."""
    entity = next(name for name, cls in m.ENTITY_MODELS.items() if cls is model)
    stored = {a.year: a for a in session.scalars(select(model).where(getattr(model, owner_key) == owner.id))}
    by_id = {a.id: a for a in stored.values()}
    for row in rows:
        row_id = row.get("id")
        existing = by_id.get(str(row_id)) if row_id else None
        if row_id and existing is None:
            raise UserError(f"{what}记录不属于该{ENTITY_LABELS[_owner_entity(owner)]}，未保存。")
        if row.get("removed"):
            if existing is not None and not existing.is_deleted:
                assign(existing, {"deleted_at": utcnow(), "deleted_reason": f"从{what}中删除（录入有误）"})
            continue
        values = checked[id(row)].values
        target = existing or stored.get(values["year"])
        if existing is not None and values["year"] in stored and stored[values["year"]] is not existing:
            raise UserError(f"{values['year']}年已有{what}，请直接修改那一行，未保存。")
        if target is None:
            target = model(id=m.new_uuid(), unit_id=owner.unit_id, **{owner_key: owner.id})
            session.add(target)
        assign(target, {**values, "deleted_at": None, "deleted_reason": None})
        session.flush()
        for finding in checked[id(row)].to_explain:
            text = (row.get("explanations") or {}).get(finding.rule_id)
            if text is not None:
                store_explanation(session, owner.unit_id, entity, target.id, None, finding.rule_id, text.strip())


def _owner_entity(obj: object) -> str:
    return "enterprise" if isinstance(obj, m.Enterprise) else "project"


def _save_stages(
    session: Session, project: Any, rows: Sequence[Mapping[str, Any]], checked: Mapping[int, Checked]
) -> None:
    """A project's status history as the lifecycle editor holds it; the project's status, its
    date and reason then follow the latest row. A period already stored (perhaps tombstoned) is
    that row."""
    stored = {
        st.period: st for st in session.scalars(select(m.ProjectStage).where(m.ProjectStage.project_id == project.id))
    }
    by_id = {st.id: st for st in stored.values()}
    for row in rows:
        row_id = row.get("id")
        existing = by_id.get(str(row_id)) if row_id else None
        if row_id and existing is None:
            raise UserError("项目状态记录不属于该项目，未保存。")
        if row.get("removed"):
            if existing is not None and not existing.is_deleted:
                assign(existing, {"deleted_at": utcnow(), "deleted_reason": "从项目状态记录中删除（录入有误）"})
            continue
        values = checked[id(row)].values
        target = existing or stored.get(values["period"])
        if existing is not None and values["period"] in stored and stored[values["period"]] is not existing:
            raise UserError(f"{values['period']}已有项目状态，请直接修改那一行，未保存。")
        if target is None:
            target = m.ProjectStage(id=m.new_uuid(), unit_id=project.unit_id, project_id=project.id)
            session.add(target)
            stored[values["period"]] = target
        assign(target, {**values, "deleted_at": None, "deleted_reason": None})
    session.flush()
    follow_latest_stage(session, project)


def follow_latest_stage(session: Session, project: Any) -> None:
    """The project's status, its date and (when stopped) reason become those of its latest status row."""
    latest = session.scalars(
        select(m.ProjectStage)
        .where(m.ProjectStage.project_id == project.id, m.ProjectStage.deleted_at.is_(None))
        .order_by(m.ProjectStage.period.desc())
        .limit(1)
    ).first()
    if latest is None:
        raise UserError(f"项目“{project.name}”的状态记录至少要有一条（项目当前的状态），未保存。")
    assign(
        project,
        {
            "status": latest.status,
            "status_since": latest.reached_on,
            "status_reason": latest.reason if latest.status in PROJECT_HALTS else project.status_reason,
        },
    )


def sync_stage(session: Session, project: Any, today: date) -> None:
    """Keeps a project's status history (ProjectStage, one row per period) in step with its
    status: the status holds from the month of its 状态日期 (today when the status changes with no
    new date given), rows after that month are superseded, and an unchanged status adds nothing."""
    history = session.scalars(
        select(m.ProjectStage)
        .where(m.ProjectStage.project_id == project.id, m.ProjectStage.deleted_at.is_(None))
        .order_by(m.ProjectStage.period)
    ).all()
    before = [st for st in history if st.period <= periods.make(today.year, today.month)]
    if before and before[-1].status != project.status and project.status_since == before[-1].reached_on:
        project.status_since = today  # a new status: its date is today unless one was given
    since = project.status_since or today
    reason = project.status_reason if project.status in PROJECT_HALTS else None
    period = periods.make(since.year, since.month)
    for later in (st for st in history if st.period > period):
        assign(later, {"deleted_at": utcnow(), "deleted_reason": f"状态日期改为{since.isoformat()}，本期状态作废"})
    current = next((st for st in reversed(history) if st.period <= period), None)
    if (
        current is not None
        and current.status == project.status
        and current.period != period
        and (project.status_since is None or current.reached_on == project.status_since)
    ):
        if reason is not None and current.reason != reason:
            assign(current, {"reason": reason})
        return
    if current is not None and current.period == period:
        assign(current, {"status": project.status, "reached_on": project.status_since, "reason": reason})
        return
    revived = session.scalar(
        select(m.ProjectStage).where(m.ProjectStage.project_id == project.id, m.ProjectStage.period == period)
    )
    if revived is not None:  # a tombstoned row of that month comes back
        assign(
            revived,
            {
                "status": project.status,
                "reached_on": project.status_since,
                "reason": reason,
                "deleted_at": None,
                "deleted_reason": None,
            },
        )
        return
    session.add(
        m.ProjectStage(
            id=m.new_uuid(),
            unit_id=project.unit_id,
            project_id=project.id,
            period=period,
            status=project.status,
            reached_on=project.status_since,
            reason=reason,
        )
    )


def _name(obj: object) -> str:
    return str(getattr(obj, "name", None) or getattr(obj, "description", "")[:20])


def remove(db: Database, info: DatabaseInfo, entity: str, record_id: str, reason: str) -> None:
    """Tombstones a record with the reason (调出名录 for an enterprise); nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise UserError(f"请填写{REMOVE_WORD[entity]}的原因。")
    with db.write(info.actor("form")) as s:
        obj = _writable(info, s.get(_model(entity), record_id), entity)
        if obj.is_deleted:
            raise UserError(f"“{_name(obj)}”已经{REMOVE_WORD[entity]}。")
        obj.deleted_at, obj.deleted_reason = utcnow(), reason


def restore(db: Database, info: DatabaseInfo, entity: str, record_id: str) -> None:
    """Brings a tombstoned record back, once the rule engine finds no error in it as it is now
    (a record removed long ago, or merged from a package, may not pass today's rules) and its
    credit code is not used by another enterprise."""
    with db.write(info.actor("form")) as s:
        obj = _writable(info, s.get(_model(entity), record_id), entity)
        if not obj.is_deleted:
            raise UserError(f"“{_name(obj)}”没有{REMOVE_WORD[entity]}，无需恢复。")
        ref = load_reference(s)
        values = {c.name: getattr(obj, c.name) for c in obj.__table__.columns}  # type: ignore[attr-defined]
        domains = {i.id: i.domain_id for i in ref.industries}
        errors = [f for f in rules.check(entity, values, industry_domains=domains) if f.severity.blocks]
        if errors:
            raise UserError(f"不能恢复“{_name(obj)}”：{errors[0].message}（有错误的记录不能恢复，需要时请重新录入）。")
        if entity == "enterprise":
            clash = _duplicate_code(s, ref, obj.credit_code, obj.id)  # type: ignore[attr-defined]
            if clash:
                raise UserError(f"不能恢复：{clash[0].message}。")
        obj.deleted_at, obj.deleted_reason = None, None


@dataclass(frozen=True)
class AssignedProblem:
    """A problem raised on a project, as its 问题交办 list shows it."""

    id: str
    category: str
    description: str
    raised_on: date
    department: str | None
    deadline: date | None
    status: str
    solved_on: date | None
    overdue_days: int | None  # past the deadline and not solved (as of today)


def project_problems(db: Database, project_id: str, today: date | None = None) -> list[AssignedProblem]:
    """The live problems raised on a project, open ones first, each with its deadline and how many
    days it is overdue."""
    day = today or date.today()
    with db.read() as s:
        rows = s.scalars(
            select(m.Problem)
            .where(m.Problem.project_id == project_id, m.Problem.deleted_at.is_(None))
            .order_by(m.Problem.raised_on, m.Problem.id)
        ).all()
        out = [
            AssignedProblem(
                p.id,
                p.category,
                p.description,
                p.raised_on,
                p.department,
                p.deadline,
                p.status,
                p.solved_on,
                (day - p.deadline).days if p.deadline and p.status != "已解决" and day > p.deadline else None,
            )
            for p in rows
        ]
    return sorted(out, key=lambda p: (p.status == "已解决", p.raised_on))


# ---------------------------------------------------------------------------------------------
# History
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    """One line of a record's history."""

    at: datetime
    operator: str
    source: str
    action: str
    part: str  # what changed: the record itself, one of its memberships, an explanation
    field: str
    old: str
    new: str


def history(db: Database, entity: str, record_id: str) -> list[Change]:
    """Every audited change of the record, of its memberships, yearly figures, 一企一策 measures
    and explanations (its own), newest first."""
    with db.read() as s:
        ref = load_reference(s)
        parts: dict[str, str] = {record_id: ENTITY_LABELS[entity]}
        owned: dict[str, list[str]] = {
            entity: [record_id],
            "membership": [],
            "enterprise_annual": [],
            "support_measure": [],
            "explanation": [],
        }
        problems: dict[str, str] = {}  # a measure's 关联问题, as the clerk reads it
        if entity == "project":
            children: tuple[tuple[str, Any, Any], ...] = (
                ("project_annual", m.ProjectAnnual, lambda row: f"年度计划：{row.year}年"),
                ("project_stage", m.ProjectStage, lambda row: f"项目状态：{row.period}"),
                ("project_photo", m.ProjectPhoto, lambda row: f"现场照片：{row.caption or row.sha256[:8]}"),
            )
            for kind, model, label_of in children:
                owned[kind] = []
                for row in s.scalars(select(model).where(model.project_id == record_id)):
                    parts[row.id] = label_of(row)
                    owned[kind].append(row.id)
        if entity == "enterprise":
            for mid, name in s.execute(
                select(m.Membership.id, m.Membership.list_name).where(m.Membership.enterprise_id == record_id)
            ):
                parts[mid] = f"培育名录：{name}"
                owned["membership"].append(mid)
            for aid, year in s.execute(
                select(m.EnterpriseAnnual.id, m.EnterpriseAnnual.year).where(
                    m.EnterpriseAnnual.enterprise_id == record_id
                )
            ):
                parts[aid] = f"年度数据：{year}年"
                owned["enterprise_annual"].append(aid)
            for sid, content in s.execute(
                select(m.SupportMeasure.id, m.SupportMeasure.content).where(m.SupportMeasure.enterprise_id == record_id)
            ):
                parts[sid] = f"一企一策：{problem_ref.label(None, content, 16)}"
                owned["support_measure"].append(sid)
            problems = _problem_labels(s, record_id, set(), removed=True)
        for eid, rule_id in s.execute(
            select(m.Explanation.id, m.Explanation.rule_id).where(m.Explanation.record_id == record_id)
        ):
            parts[eid] = f"说明（{rule_id}）"
            owned["explanation"].append(eid)
        audit = m.AuditEntry
        mine = or_(*(and_(audit.entity == kind, audit.entity_id.in_(ids)) for kind, ids in owned.items() if ids))
        rows = s.execute(
            select(audit, m.AuditAccount.account)
            .outerjoin(m.AuditAccount, m.AuditAccount.audit_id == audit.id)
            .where(mine)
            .order_by(audit.at.desc(), audit.id.desc())
        ).all()
    out = []
    for row, account in rows:
        field_label = ""
        old, new = (
            problems.get(value, value)
            if row.field == "problem_id" and value
            else _shown(ref, row.entity, row.field, value)
            for value in (row.old_value, row.new_value)
        )
        if row.action == "create":
            old, new = "", ""
        elif row.action in ("delete", "restore"):
            field_label = "原因"
        elif row.field:
            field_label = _field_label(row.entity, row.field)
        # on a server database the login account that wrote it, as the server recorded it
        who = f"{row.operator}（{account}）" if account and account != row.operator else row.operator
        out.append(
            Change(
                row.at,
                who,
                SOURCE_LABELS.get(row.source, row.source),
                ACTION_LABELS.get(row.action, row.action),
                parts.get(row.entity_id, ""),
                field_label,
                old,
                new,
            )
        )
    return out


def _field_label(entity: str, name: str) -> str:
    if entity == "explanation" and name == "text":
        return "说明内容"
    try:
        return spec(entity, name).label
    except KeyError:
        return {
            "enterprise_id": "企业",
            "project_id": "项目",
            "content": "图片",
            "latitude_e6": "纬度",
            "longitude_e6": "经度",
            "sha256": "图片指纹",
            "image_format": "图片格式",
            "width": "宽度",
            "height": "高度",
        }.get(name, name)


def _shown(ref: Reference, entity: str, name: str | None, value: str | None) -> str:
    """An audit value as the clerk reads it: names for ids, 是/否, lists joined with 、."""
    if value is None:
        return ""
    if not name:
        return value
    try:
        f = spec(entity, name)
    except KeyError:
        return value
    if f.kind == "ref" and f.ref in ("unit", "domain", "industry", "chain") and value.isdigit():
        return ref.name_of(f.ref, int(value)) or value
    if f.kind == "bool":
        return {"true": "是", "false": "否"}.get(value, value)
    if f.kind == "multichoice":
        try:
            return "、".join(json.loads(value))
        except (ValueError, TypeError):
            return value
    return value
