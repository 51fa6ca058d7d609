"""审核 over a whole database (or one unit, one period): every stored record through the rule
engine, each finding paired with its written explanation, if any.

The open findings can also be counted per owner (`open_by_owner`): an enterprise with its
memberships, monthly figures and problems, a project with its monthly figures and problems. No
rule looks beyond one owner's records (and the reference data), so after an edit only the owners
it touched need checking again, whatever the size of the database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods, rules
from hengdong_desktop.domain.rules import Finding, Severity
from hengdong_desktop.services.progress import Progress


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    explanations: dict[tuple[str, str | None], str] = field(default_factory=dict)

    def explanation(self, f: Finding) -> str | None:
        return self.explanations.get(f.key)

    def is_explained(self, f: Finding) -> bool:
        return rules.explanation_ok(f.severity, self.explanation(f))

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.blocks]

    @property
    def unexplained(self) -> list[Finding]:
        return [f for f in self.findings if f.severity.needs_explanation and not self.is_explained(f)]

    @property
    def open_count(self) -> int:
        """Findings that keep the data from being ready: errors and unexplained warnings."""
        return len(self.blocking) + len(self.unexplained)

    @property
    def ready(self) -> bool:
        return self.open_count == 0

    def counts(self) -> dict[str, int]:
        c = Counter(f.severity.value for f in self.findings)
        return {s.value: c.get(s.value, 0) for s in Severity}

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ready,
            "counts": self.counts(),
            "blocking": len(self.blocking),
            "unexplained": len(self.unexplained),
            "findings": [
                {
                    "rule": f.rule_id,
                    "severity": f.severity.value,
                    "entity": f.entity,
                    "record_id": f.record_id,
                    "subject": f.subject,
                    "period": f.period,
                    "fields": list(f.fields),
                    "message": f.message,
                    "explanation": self.explanation(f),
                    "explained": self.is_explained(f),
                }
                for f in self.findings
            ],
        }


def _rows(session: Session, model: type[m.Synced], unit_id: int | None) -> Iterator[dict[str, Any]]:
    table = model.__table__  # type: ignore[attr-defined]
    # no rule reads a photo's picture (a measure's and a project's "content" are texts, read)
    stmt = select(*(c for c in table.c if not (model is m.ProjectPhoto and c.key == "content")))
    if unit_id is not None:
        stmt = stmt.where(table.c.unit_id == unit_id)
    for row in session.execute(stmt).mappings():
        yield dict(row)


def _series(
    rows: Sequence[Mapping[str, Any]], key: str
) -> Iterator[tuple[Mapping[str, Any], Mapping[str, Any] | None]]:
    """Each monthly row with the same entity's row for the month before (if any)."""
    by_key = {(r[key], r["period"]): r for r in rows}
    for row in rows:
        yield row, by_key.get((row[key], periods.previous(row["period"])))


def live_rows(
    session: Session, unit_id: int | None = None, progress: Progress | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Every live record of every entity (of one unit), as the rule engine reads them. `progress`
    is told every CHECKS_PER_PROGRESS records read (where a cancelled read stops)."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for entity, model in m.ENTITY_MODELS.items():
        rows[entity] = []
        for row in _rows(session, model, unit_id):
            rows[entity].append(row)
            if progress is not None and len(rows[entity]) % CHECKS_PER_PROGRESS == 0:
                progress(0, 0, "")
    return rows


def industry_domains_in(session: Session) -> dict[int, int]:
    return {i.id: i.domain_id for i in session.scalars(select(m.Industry))}


def check_session(session: Session, *, unit_id: int | None = None, period: str | None = None) -> CheckReport:
    return check_rows(live_rows(session, unit_id), industry_domains_in(session), period=period)


def check_rows(
    rows: Mapping[str, Iterable[Mapping[str, Any]]],
    industry_domains: Mapping[int, int],
    *,
    period: str | None = None,
    progress: Progress | None = None,
) -> CheckReport:
    """审核 of records given as typed rows per entity: from the database, or from a package
    being imported. Live records get every rule; a tombstoned record (it can be restored, and
    travels in packages) is checked on its own and only its errors count, named “（已删除）”.
    `progress` is told every CHECKS_PER_PROGRESS records checked (where a cancelled count stops)."""
    live: dict[str, list[Mapping[str, Any]]] = {}
    removed: dict[str, list[Mapping[str, Any]]] = {}
    for entity, records in rows.items():
        for rec in records:
            (live if rec["deleted_at"] is None else removed).setdefault(entity, []).append(rec)
    # the problem a 一企一策 measure answers, live or removed (rule CS02 reads its enterprise)
    problems = {p["id"]: p for p in rows.get("problem", ())}
    report = _check_live(live, industry_domains, period, progress, problems)
    if period is None:
        for entity, records in removed.items():
            for rec in records:
                subject = rec.get("name") or rec.get("period") or rec.get("description") or ""
                report.findings.extend(
                    f
                    for f in rules.check(
                        entity,
                        rec,
                        record_id=rec["id"],
                        subject=f"{str(subject)[:30]}（已删除）",
                        industry_domains=industry_domains,
                        parent=problems.get(rec.get("problem_id") or "") if entity == "support_measure" else None,
                    )
                    if f.severity.blocks
                )
        report.findings.sort(key=_order)
    return report


CHECKS_PER_PROGRESS = 1000  # records checked between two progress calls (where a count may be stopped)


def _order(f: Finding) -> tuple[Any, ...]:
    return (f.severity.rank, f.period or "", f.subject or "", f.rule_id, f.record_id or "")


def _check_live(
    rows: Mapping[str, Iterable[Mapping[str, Any]]],
    industry_domains: Mapping[int, int],
    period: str | None,
    progress: Progress | None = None,
    problems: Mapping[str, Mapping[str, Any]] | None = None,
) -> CheckReport:
    report = CheckReport()
    enterprises = {e["id"]: e for e in rows.get("enterprise", ())}
    projects = {p["id"]: p for p in rows.get("project", ())}
    checked = 0

    def add(entity: str, rec: Mapping[str, Any], subject: str | None, **kw: Any) -> None:
        nonlocal checked
        checked += 1
        if progress is not None and checked % CHECKS_PER_PROGRESS == 0:
            progress(checked, 0, "")
        report.findings.extend(
            rules.check(entity, rec, record_id=rec["id"], subject=subject, industry_domains=industry_domains, **kw)
        )

    if period is None:
        for e in enterprises.values():
            add("enterprise", e, e["name"])
        for p in projects.values():
            add("project", p, p["name"])
        for mem in rows.get("membership", ()):
            ent = enterprises.get(mem["enterprise_id"])
            add("membership", mem, ent["name"] if ent else None)
        for annual in rows.get("enterprise_annual", ()):
            ent = enterprises.get(annual["enterprise_id"])
            if ent is not None:
                add("enterprise_annual", annual, f"{ent['name']}（{annual['year']}年）", parent=ent)
        for plan in rows.get("project_annual", ()):
            proj = projects.get(plan["project_id"])
            if proj is not None:
                add("project_annual", plan, f"{proj['name']}（{plan['year']}年）", parent=proj)
        for prob in rows.get("problem", ()):
            owner = enterprises.get(prob["enterprise_id"]) or projects.get(prob["project_id"])
            add("problem", prob, owner["name"] if owner else None)
        for measure in rows.get("support_measure", ()):
            ent = enterprises.get(measure["enterprise_id"])
            linked = (problems or {}).get(measure["problem_id"] or "")
            add("support_measure", measure, ent["name"] if ent else None, parent=linked)
    wanted = {period, periods.previous(period)} if period else None
    monthly = [r for r in rows.get("enterprise_monthly", ()) if not wanted or r["period"] in wanted]
    for row, prev in _series(monthly, "enterprise_id"):
        if period and row["period"] != period:
            continue
        ent = enterprises.get(row["enterprise_id"])
        if ent is not None:
            add("enterprise_monthly", row, ent["name"], previous=prev)
    pmonthly = [r for r in rows.get("project_monthly", ()) if not wanted or r["period"] in wanted]
    for row, prev in _series(pmonthly, "project_id"):
        if period and row["period"] != period:
            continue
        proj = projects.get(row["project_id"])
        if proj is not None:
            add("project_monthly", row, proj["name"], previous=prev, parent=proj)
    for stage in rows.get("project_stage", ()):
        proj = projects.get(stage["project_id"])
        if proj is not None and (not period or stage["period"] == period):
            add("project_stage", stage, proj["name"], parent=proj)
    for ex in rows.get("explanation", ()):
        report.explanations[(ex["rule_id"], ex["record_id"])] = ex["text"]
    # Fully ordered (record id last), whatever order the rows came in.
    report.findings.sort(key=_order)
    return report


def check_database(db: Database, *, unit_id: int | None = None, period: str | None = None) -> CheckReport:
    with db.read() as s:
        return check_session(s, unit_id=unit_id, period=period)


# ---------------------------------------------------------------------------------------------
# Open findings per owner
# ---------------------------------------------------------------------------------------------
Owner = tuple[str, str]  # ("enterprise" | "project" | "problem", id); "problem": one with no target
_OWNED_BY = {
    "membership": "enterprise_id",
    "enterprise_monthly": "enterprise_id",
    "enterprise_annual": "enterprise_id",
    "project_annual": "project_id",
    "project_monthly": "project_id",
    "project_stage": "project_id",
    "project_photo": "project_id",
    "support_measure": "enterprise_id",
}


def owner_key(entity: str, row: Mapping[str, Any]) -> Owner:
    """Whose record `row` (with its "id") is."""
    if entity in ("enterprise", "project"):
        return entity, row["id"]
    if entity in _OWNED_BY:
        column = _OWNED_BY[entity]
        return column.removesuffix("_id"), row[column]
    if entity == "problem":
        if row.get("enterprise_id"):
            return "enterprise", row["enterprise_id"]
        return ("project", row["project_id"]) if row.get("project_id") else ("problem", row["id"])
    raise ValueError(f"no owner for {entity}")


def owners_of(db: Database, records: Iterable[tuple[str, str]]) -> set[Owner]:
    """The owners of these records (entity, id); an explanation's owner is that of its record."""
    wanted = list(records)
    owners: set[Owner] = set()
    with db.read() as s:
        for _round in range(2):  # explanations point at a record, which has an owner
            later: list[tuple[str, str]] = []
            for entity, record_id in wanted:
                if entity in ("enterprise", "project"):
                    owners.add((entity, record_id))
                    continue
                table = m.ENTITY_MODELS[entity].__table__  # type: ignore[attr-defined]
                row = s.execute(select(table).where(table.c.id == record_id)).mappings().first()
                if row is None:
                    continue
                if entity == "explanation":
                    later.append((row["entity"], row["record_id"]))
                else:
                    owners.add(owner_key(entity, dict(row)))
            wanted = later
    return owners


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _rows_of(session: Session, model: type[m.Synced], column: str, ids: Sequence[str]) -> list[dict[str, Any]]:
    table = model.__table__  # type: ignore[attr-defined]
    out: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        stmt = select(table).where(table.c[column].in_(chunk))
        out.extend(dict(r) for r in session.execute(stmt).mappings())
    return out


def _owned_rows(session: Session, owners: Iterable[Owner]) -> dict[str, list[dict[str, Any]]]:
    """The records of these owners, per entity: live ones, and deleted ones (whose errors count
    until they are purged, as in the readiness check)."""
    ids: dict[str, list[str]] = {"enterprise": [], "project": [], "problem": []}
    for kind, owner_id in owners:
        ids[kind].append(owner_id)
    ents, projs = ids["enterprise"], ids["project"]
    rows = {
        "enterprise": _rows_of(session, m.Enterprise, "id", ents),
        "membership": _rows_of(session, m.Membership, "enterprise_id", ents),
        "enterprise_monthly": _rows_of(session, m.EnterpriseMonthly, "enterprise_id", ents),
        "enterprise_annual": _rows_of(session, m.EnterpriseAnnual, "enterprise_id", ents),
        "project": _rows_of(session, m.Project, "id", projs),
        "project_monthly": _rows_of(session, m.ProjectMonthly, "project_id", projs),
        "project_stage": _rows_of(session, m.ProjectStage, "project_id", projs),
        "support_measure": _rows_of(session, m.SupportMeasure, "enterprise_id", ents),
        "problem": [
            *_rows_of(session, m.Problem, "enterprise_id", ents),
            *_rows_of(session, m.Problem, "project_id", projs),
            *_rows_of(session, m.Problem, "id", ids["problem"]),
        ],
    }
    record_ids = [r["id"] for entity_rows in rows.values() for r in entity_rows]
    rows["explanation"] = _rows_of(session, m.Explanation, "record_id", record_ids)
    return rows


def open_by_owner(
    db: Database, *, unit_id: int | None = None, owners: Iterable[Owner] | None = None, progress: Progress | None = None
) -> dict[Owner, int]:
    """Open findings (errors and unexplained warnings) per owner: of every owner in the database
    (or unit), or of the owners given — each of them in the answer, 0 when it has none (or no
    longer exists). `progress` is told as the records are read and as they are checked."""
    with db.read() as s:
        industry_domains = {i.id: i.domain_id for i in s.scalars(select(m.Industry))}
        if owners is None:
            rows = live_rows(s, unit_id, progress)
        else:
            owners = set(owners)
            rows = _owned_rows(s, owners)
    owner_of = {
        r["id"]: owner_key(entity, r)
        for entity, entity_rows in rows.items()
        if entity != "explanation"
        for r in entity_rows
    }
    report = check_rows(rows, industry_domains, progress=progress)
    counts: dict[Owner, int] = dict.fromkeys(owners or (), 0)
    for entity, entity_rows in rows.items():
        if entity in ("enterprise", "project"):
            for r in entity_rows:
                counts.setdefault((entity, r["id"]), 0)
    for f in (*report.blocking, *report.unexplained):
        owner = owner_of.get(f.record_id or "")
        if owner is not None:
            counts[owner] = counts.get(owner, 0) + 1
    return counts
