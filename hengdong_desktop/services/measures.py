"""一企一策 measures across enterprises: the 一企一策台账 (every live measure of the county or of
one township, filtered by 责任单位, 推进状态, overdue or a search, with its days overdue), the
measures a department is responsible for, and its report of how far one has got (推进状态 and
进展情况 — never the measure itself, its owner or its deadline, which the enterprise's unit enters
in the enterprise editor).

On a server database a department account may write exactly these two fields of the measures
its departments are responsible for: the server refuses anything else (db/server_security.py).
The office (and a file's user) may report on any measure. The report goes through the rule
engine like every other write; the audit log names the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import problem_ref
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry
from hengdong_desktop.services.reference import load as load_reference
from hengdong_desktop.services.setup import DatabaseInfo


@dataclass(frozen=True)
class Measure:
    """One measure as its 责任单位 reads it."""

    id: str
    revision: int
    enterprise_id: str
    enterprise: str
    unit_id: int
    content: str
    department: str | None
    person: str | None
    deadline: date | None
    status: str
    progress: str | None
    problem: str  # its 关联问题, as domain/problem_ref.py names it ("" when none)

    def overdue(self, today: date) -> bool:
        return is_overdue(self.deadline, self.status, today)

    def overdue_days(self, today: date) -> int:
        return days_overdue(self.deadline, self.status, today)


CLOSED = ("已完成", "已中止")  # the 推进状态 after which a measure is no longer due


def is_overdue(deadline: date | None, status: str | None, today: date) -> bool:
    """A measure past its 完成时限 and neither 已完成 nor 已中止."""
    return deadline is not None and deadline < today and status not in CLOSED


def days_overdue(deadline: date | None, status: str | None, today: date) -> int:
    """How many days an overdue measure is past its 完成时限 (0 when it is not overdue)."""
    return (today - deadline).days if deadline is not None and is_overdue(deadline, status, today) else 0


@dataclass(frozen=True)
class LedgerQuery:
    """Which measures the 一企一策台账 shows: those of one unit (a township's own; None: every
    unit), whose 责任单位 is one of `departments` (None: any), in one 推进状态, only the overdue,
    and those whose enterprise, 措施, 责任单位, 责任人 or 进展 contains `search`."""

    unit_id: int | None = None
    departments: tuple[str, ...] | None = None
    status: str | None = None
    overdue_only: bool = False
    search: str = ""


@dataclass(frozen=True)
class Ledger:
    rows: list[Measure]  # by 完成时限 (none last), then enterprise
    today: date  # the day overdue is counted to

    @property
    def overdue(self) -> int:
        return sum(1 for x in self.rows if x.overdue(self.today))


def ledger(db: Database, query: LedgerQuery, today: date) -> Ledger:
    """The 一企一策台账: the live measures of live enterprises `query` asks for, overdue as of `today`."""
    stmt = _live_measures()
    if query.unit_id is not None:
        stmt = stmt.where(m.SupportMeasure.unit_id == query.unit_id)
    if query.departments is not None:
        stmt = stmt.where(m.SupportMeasure.department.in_(query.departments))
    if query.status:
        stmt = stmt.where(m.SupportMeasure.status == query.status)
    if query.overdue_only:
        stmt = stmt.where(m.SupportMeasure.deadline < today, m.SupportMeasure.status.not_in(CLOSED))
    text = query.search.strip()
    if text:
        stmt = stmt.where(
            or_(
                *(
                    column.icontains(text, autoescape=True)
                    for column in (
                        m.Enterprise.name,
                        m.SupportMeasure.content,
                        m.SupportMeasure.department,
                        m.SupportMeasure.person,
                        m.SupportMeasure.progress,
                    )
                )
            )
        )
    return Ledger(_read(db, stmt), today)


def departments_of(db: Database, info: DatabaseInfo) -> list[str] | None:
    """The 责任单位 names this account reports for: its departments' names for a department
    account, None (every one) for the office and a file's user, [] for a read-only account."""
    if info.may_write_all:
        return None
    if info.account_kind != "department":
        return []
    with db.read() as s:
        return list(s.scalars(select(m.Department.name).where(m.Department.id.in_(info.department_ids))))


def responsible(db: Database, info: DatabaseInfo) -> list[Measure]:
    """The live measures this account may report on (see `departments_of`), by deadline."""
    names = departments_of(db, info)
    stmt = _live_measures()
    if names is not None:
        stmt = stmt.where(m.SupportMeasure.department.in_(names))
    return _read(db, stmt)


def _live_measures() -> Select[m.SupportMeasure, str]:
    return (
        select(m.SupportMeasure, m.Enterprise.name)
        .join(m.Enterprise, m.Enterprise.id == m.SupportMeasure.enterprise_id)
        .where(m.SupportMeasure.deleted_at.is_(None), m.Enterprise.deleted_at.is_(None))
        .order_by(m.SupportMeasure.deadline.is_(None), m.SupportMeasure.deadline, m.Enterprise.name)
    )


def _read(db: Database, stmt: Select[m.SupportMeasure, str]) -> list[Measure]:
    with db.read() as s:
        rows = s.execute(stmt).all()
        problems = problem_texts(s, {x.enterprise_id for x, _name in rows if x.problem_id})
        return [_measure(x, name, problems) for x, name in rows]


def report_progress(
    db: Database, info: DatabaseInfo, measure_id: str, revision: int, status: str, progress: str | None
) -> Measure:
    """Records how far a measure has got: its 推进状态 and 进展情况, checked by the rule engine.
    `revision` is the one the clerk saw: a measure changed since is refused with a sentence."""
    names = departments_of(db, info)
    if names == []:
        raise UserError("当前账号不能填报一企一策措施的进展。")
    with db.write(info.actor("form")) as s:
        obj = s.get(m.SupportMeasure, measure_id)
        if obj is None or obj.is_deleted:
            raise UserError("找不到该一企一策措施，可能已被删除，请刷新列表。")
        if names is not None and obj.department not in names:
            raise UserError(f"该措施的责任单位是{obj.department or '（未填）'}，不是本账号的部门，不能填报进展。")
        if obj.revision != revision:
            raise UserError("该措施在打开后已被修改，请刷新后重新填报。")
        record = {name: getattr(obj, name) for name in entry.MEASURE_FIELDS}
        linked = s.get(m.Problem, obj.problem_id) if obj.problem_id else None
        checked = entry.check_measure(
            {**record, "status": status, "progress": progress},
            load_reference(s),
            obj.enterprise_id,
            {linked.id: linked.enterprise_id} if linked else {},
        )
        if checked.blocking:
            raise entry.Refused(checked.blocking[0], checked.findings, prefix="一企一策措施进展：")
        entry.assign(obj, {"status": checked.values["status"], "progress": checked.values["progress"]})
        s.flush()
        enterprise = s.get(m.Enterprise, obj.enterprise_id)
        problems = problem_texts(s, {obj.enterprise_id}) if obj.problem_id else {}
        return _measure(obj, enterprise.name if enterprise else "", problems)


def problem_texts(session: Session, enterprise_ids: set[str]) -> dict[str, str]:
    """Problem id → its 关联问题 text (domain/problem_ref.py), for the problems of these enterprises."""
    rows = session.execute(
        select(m.Problem.id, m.Problem.enterprise_id, m.Problem.raised_on, m.Problem.description).where(
            m.Problem.enterprise_id.in_(enterprise_ids)
        )
    ).all()
    by_enterprise: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_enterprise.setdefault(r.enterprise_id, []).append(r._asdict())
    return {pid: text for group in by_enterprise.values() for pid, text in problem_ref.references(group).items()}


def _measure(x: m.SupportMeasure, enterprise: str, problems: dict[str, str]) -> Measure:
    return Measure(
        x.id,
        x.revision,
        x.enterprise_id,
        enterprise,
        x.unit_id,
        x.content,
        x.department,
        x.person,
        x.deadline,
        x.status,
        x.progress,
        problems.get(x.problem_id or "", ""),
    )
