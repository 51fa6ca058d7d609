"""Reference data in the database: seeding it from the shipped file and reading it back, and
the version it is at (raised by every county edit, carried in every package)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import reference as r
from hengdong_desktop.domain.owner import META_REFERENCE_VERSION

PARAMETER_PREFIX = "project_parameter."  # app_meta keys of the project rules' numbers
PROGRAMME_PREFIX = "programme."  # app_meta keys of the programme's numbers (名录后备, 交办, 比学赶超)
DEADLINE_PREFIX = "problem_deadline."  # app_meta keys of each 问题类别's 办理时限, in days


def seed(session: Session, ref: r.Reference, targets: list[r.Target], *, start_period: str | None = None) -> None:
    """Fills empty reference tables from `ref`, every unit obliged to report from `start_period`
    (its 启用期); refuses to overwrite existing reference data."""
    if session.scalar(select(func.count()).select_from(m.Unit)):
        raise RuntimeError("reference data already present")
    for order, u in enumerate(ref.all_units()):
        session.add(
            m.Unit(
                id=u.id,
                code=u.code,
                name=u.name,
                kind=u.kind,
                short_name=u.short_name,
                provisional_code=u.provisional,
                sort_order=order,
                active=True,
                start_period=None if u.kind == "县" else start_period,
            )
        )
    for order, d in enumerate(ref.departments):
        session.add(m.Department(id=d.id, name=d.name, sort_order=order, active=True))
    dept_ids = {d.name: d.id for d in ref.departments}
    for order, dom in enumerate(ref.domains):
        domain = m.Domain(id=dom.id, name=dom.name, sort_order=order, measure=dom.measure)
        domain.lead_departments = [m.DomainDepartment(department_id=dept_ids[n]) for n in dom.lead_departments]
        session.add(domain)
    session.flush()
    for order, ind in enumerate(ref.industries):
        session.add(m.Industry(id=ind.id, name=ind.name, domain_id=ind.domain_id, sort_order=order, active=True))
    for order, ch in enumerate(ref.chains):
        session.add(m.Chain(id=ch.id, name=ch.name, sort_order=order, active=True))
    for order, leader in enumerate(ref.leaders):
        session.add(m.Leader(id=leader.id, name=leader.name, title=leader.title, sort_order=order, active=True))
    for kind, values in ref.options.items():
        for order, value in enumerate(values):
            session.add(m.Option(kind=kind, value=value, sort_order=order, active=True))
    session.flush()
    for t in targets:
        session.add(
            m.Target(year=t.year, metric=t.metric, domain_id=t.domain_id, industry_id=t.industry_id, value=t.value)
        )
    _set_meta(session, META_REFERENCE_VERSION, str(ref.version))
    for key, threshold in ref.thresholds.items():
        _set_meta(session, f"threshold.{key}", str(threshold))
    _set_meta(session, "project_implemented_from", ref.project_implemented_from)
    _set_meta(session, "project_suspended", ref.project_suspended)
    for parameter in r.PROJECT_PARAMETERS:
        _set_meta(session, PARAMETER_PREFIX + parameter.key, str(ref.parameter(parameter.key)))
    for parameter in r.PROGRAMME_PARAMETERS:
        _set_meta(session, PROGRAMME_PREFIX + parameter.key, str(ref.programme(parameter.key)))
    for category, days in ref.deadline_days.items():
        _set_meta(session, DEADLINE_PREFIX + category, str(days))


def _set_meta(session: Session, key: str, value: str) -> None:
    session.merge(m.Meta(key=key, value=value))


def load(session: Session) -> r.Reference:
    """The reference data currently in the database, as plain objects."""
    meta = {x.key: x.value for x in session.scalars(select(m.Meta))}
    units = session.scalars(select(m.Unit).order_by(m.Unit.sort_order, m.Unit.id)).all()
    county = next(u for u in units if u.kind == "县")
    leads: dict[int, list[str]] = {}
    for dd in session.execute(
        select(m.DomainDepartment.domain_id, m.Department.name)
        .join(m.Department, m.Department.id == m.DomainDepartment.department_id)
        .order_by(m.Department.sort_order)
    ):
        leads.setdefault(dd.domain_id, []).append(dd.name)
    options: dict[str, list[str]] = {}
    for opt in session.scalars(select(m.Option).where(m.Option.active).order_by(m.Option.kind, m.Option.sort_order)):
        options.setdefault(opt.kind, []).append(opt.value)
    thresholds = {k.removeprefix("threshold."): Decimal(v) for k, v in meta.items() if k.startswith("threshold.")}

    def unit(u: m.Unit) -> r.Unit:
        return r.Unit(u.id, u.code, u.name, u.kind, u.provisional_code, u.short_name, u.start_period)

    options["project_stage"] = [*r.PROJECT_STAGES, *r.PROJECT_HALTS]  # fixed by the programme
    departments = tuple(
        r.Named(d.id, d.name)
        for d in session.scalars(select(m.Department).where(m.Department.active).order_by(m.Department.sort_order))
    )
    reporting_units = tuple(unit(u) for u in units if u.kind != "县" and u.active)
    options[r.ASSIGNEE_OPTIONS] = [*(d.name for d in departments), *(u.name for u in reporting_units)]

    return r.Reference(
        version=int(meta.get(META_REFERENCE_VERSION, "0")),
        county=unit(county),
        units=reporting_units,
        domains=tuple(
            r.Domain(d.id, d.name, tuple(leads.get(d.id, ())), d.measure)
            for d in session.scalars(select(m.Domain).order_by(m.Domain.sort_order))
        ),
        industries=tuple(
            r.Industry(i.id, i.name, i.domain_id)
            for i in session.scalars(select(m.Industry).where(m.Industry.active).order_by(m.Industry.sort_order))
        ),
        chains=tuple(
            r.Chain(c.id, c.name, c.leader_id, c.department_id, c.task_force)
            for c in session.scalars(select(m.Chain).where(m.Chain.active).order_by(m.Chain.sort_order))
        ),
        departments=departments,
        options={k: tuple(v) for k, v in options.items()},
        thresholds=thresholds,
        project_implemented_from=meta.get("project_implemented_from", "开工"),
        project_suspended=meta.get("project_suspended", "停缓建"),
        leaders=tuple(
            r.Leader(x.id, x.name, x.title)
            for x in session.scalars(select(m.Leader).where(m.Leader.active).order_by(m.Leader.sort_order, m.Leader.id))
        ),
        project_parameters={
            k.removeprefix(PARAMETER_PREFIX): int(v)
            for k, v in meta.items()
            if k.startswith(PARAMETER_PREFIX) and k.removeprefix(PARAMETER_PREFIX) in r.PARAMETERS_BY_KEY
        },
        programme_parameters={
            k.removeprefix(PROGRAMME_PREFIX): int(v)
            for k, v in meta.items()
            if k.startswith(PROGRAMME_PREFIX) and k.removeprefix(PROGRAMME_PREFIX) in r.PROGRAMME_BY_KEY
        },
        deadline_days={
            k.removeprefix(DEADLINE_PREFIX): int(v) for k, v in meta.items() if k.startswith(DEADLINE_PREFIX)
        },
    )


def reference_version(session: Session) -> int:
    """The version of this database's reference data (what a package says it was built on)."""
    row = session.get(m.Meta, META_REFERENCE_VERSION)
    return int(row.value) if row is not None else 0


def load_reference(db: Database) -> r.Reference:
    with db.read() as s:
        return load(s)


def targets(session: Session, year: int) -> list[r.Target]:
    return [
        r.Target(t.year, t.metric, t.value, t.domain_id, t.industry_id)
        for t in session.scalars(select(m.Target).where(m.Target.year == year))
    ]
