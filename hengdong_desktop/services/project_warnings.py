"""The project warnings (包而不推、推而不快、快而不优) of a database as of a period: the facts of each
live project read in a few queries, judged by domain/project_warnings with the county's numbers
from reference data. The figures (and through them the dashboard, the 汇总表, the 通报 and
`report`), the readiness panel, the project editor and the 调度表 all ask here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import lifecycle as lc
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.domain.reference import PROJECT_PARAMETERS, Reference
from hengdong_desktop.services.reference import load

_CHUNK = 500
# How far back the facts go: enough for the longest standing a warning reports.
HISTORY_MONTHS = pw.STANDING_LIMIT + 12


def parameters(ref: Reference) -> pw.Parameters:
    return pw.Parameters.of({p.key: ref.parameter(p.key) for p in PROJECT_PARAMETERS})


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def facts_in(
    session: Session, period: str, *, project_ids: Sequence[str] | None = None, units: Iterable[int] | None = None
) -> list[pw.ProjectFacts]:
    """The facts of the live projects asked for (by id, or of `units`), with their data up to
    `period` only."""
    p = m.Project
    stmt = select(p.id, p.unit_id, p.name, p.planned_start, p.expected_output, p.expected_tax).where(
        p.deleted_at.is_(None)
    )
    if project_ids is not None:
        stmt = stmt.where(p.id.in_(list(project_ids)))
    if units is not None:
        stmt = stmt.where(p.unit_id.in_(list(units)))
    projects = session.execute(stmt.order_by(p.name, p.id)).all()
    ids = [row[0] for row in projects]
    earliest = lc.add_months(period, -HISTORY_MONTHS)
    stages: dict[str, list[lc.StageRow]] = {}
    months: dict[str, dict[str, pw.Month]] = {}
    plans: dict[str, dict[int, Decimal | None]] = {}
    st, pm, pa = m.ProjectStage, m.ProjectMonthly, m.ProjectAnnual
    for chunk in _chunks(ids):
        for pid, q, status, reached in session.execute(
            select(st.project_id, st.period, st.status, st.reached_on).where(
                st.project_id.in_(chunk), st.deleted_at.is_(None), st.period <= period
            )
        ):
            stages.setdefault(pid, []).append(lc.StageRow(q, status, reached))
        for pid, q, invest_month, invest_ytd, output_ytd, tax_ytd in session.execute(
            select(pm.project_id, pm.period, pm.invest_month, pm.invest_ytd, pm.output_ytd, pm.tax_ytd).where(
                pm.project_id.in_(chunk), pm.deleted_at.is_(None), pm.period <= period, pm.period >= earliest
            )
        ):
            months.setdefault(pid, {})[q] = pw.Month(invest_month, invest_ytd, output_ytd, tax_ytd)
        for pid, year, plan in session.execute(
            select(pa.project_id, pa.year, pa.plan_investment).where(
                pa.project_id.in_(chunk), pa.deleted_at.is_(None), pa.year <= periods.year_of(period)
            )
        ):
            plans.setdefault(pid, {})[year] = plan
    return [
        pw.ProjectFacts(
            pid,
            unit_id,
            name,
            lc.history(stages.get(pid, ())),
            months.get(pid, {}),
            plans.get(pid, {}),
            planned_start,
            expected_output,
            expected_tax,
        )
        for pid, unit_id, name, planned_start, expected_output, expected_tax in projects
    ]


def warnings_in(
    session: Session,
    period: str,
    *,
    units: Iterable[int] | None = None,
    project_ids: Sequence[str] | None = None,
    ref: Reference | None = None,
) -> list[pw.ProjectWarning]:
    """Every warning as of `period` of the live projects of `units` (or those asked for by id)."""
    periods.parse(period)
    found = facts_in(session, period, project_ids=project_ids, units=units)
    return pw.evaluate_all(found, parameters(ref or load(session)), period)


def project_warnings(db: Database, project_id: str, period: str) -> list[pw.ProjectWarning]:
    """One project's warnings as of `period` (the editor's 预警 panel)."""
    with db.read() as s:
        return warnings_in(s, period, project_ids=[project_id])


def unit_warnings(db: Database, period: str, unit_id: int | None) -> list[pw.ProjectWarning]:
    """A unit's warnings (every unit's for None), as the readiness panel lists them."""
    with db.read() as s:
        return warnings_in(s, period, units=None if unit_id is None else [unit_id])
