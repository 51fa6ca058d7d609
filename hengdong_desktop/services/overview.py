"""Headline counts of a database for the main window; for a unit, also its contribution to the
county's 18 十亿级企业 and 34 亿元级项目 as of its latest period (figures.py, its own data), its
assigned problems overdue today, and the county's 比学赶超 standing of it as the last 下发包 brought
it (services/county_standing.py; None before one has). The next step for the current period
(`next_steps`): what a township still has to do before it reports, the periods the county
returned with its reasons; for the county, which units have not reported or wait for review."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import assignment
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import county_standing, reporting
from hengdong_desktop.services import readiness as readiness_service
from hengdong_desktop.services.progress import Progress
from hengdong_desktop.services.reference import load


@dataclass(frozen=True)
class Overview:
    enterprises: int
    removed_enterprises: int
    projects: int
    open_problems: int
    latest_period: str | None
    late_problems: int = 0  # assigned, past the deadline, not solved (today)
    # the unit's count toward each county target, with the target: metric → (achieved, target)
    contribution: dict[str, tuple[int, int | None]] = field(default_factory=dict)
    standing: county_standing.CountyStanding | None = None  # a township's, from the county's 下发包


def overview(db: Database, unit_id: int | None = None, progress: Progress | None = None) -> Overview:
    """Counts for one unit, or for every unit when `unit_id` is None (the county). `progress` is
    told between its reads (where a cancelled read stops: the window closing)."""
    step = progress or (lambda _done, _total, _text: None)

    def count(model: type[m.Synced], *where: object) -> int:
        stmt = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        if unit_id is not None:
            stmt = stmt.where(model.unit_id == unit_id)
        return int(s.scalar(stmt) or 0)

    today = date.today()
    with db.read() as s:
        latest = select(func.max(m.EnterpriseMonthly.period))
        if unit_id is not None:
            latest = latest.where(m.EnterpriseMonthly.unit_id == unit_id)
        period = s.scalar(latest)
        escalate = load(s).programme("escalate_days")
        problems = select(m.Problem).where(m.Problem.deleted_at.is_(None), m.Problem.status != assignment.SOLVED)
        if unit_id is not None:
            problems = problems.where(m.Problem.unit_id == unit_id)
        late = sum(1 for p in s.scalars(problems) if assignment.standing(p, today, escalate).late)
        contribution: dict[str, tuple[int, int | None]] = {}
        if unit_id is not None and period is not None:
            step(0, 0, "")
            from hengdong_desktop.services import figures  # not needed to open the window

            step(0, 0, "")
            headline = figures.figures_in(s, period, unit_id=unit_id, today=today).headline  # targets: the county's
            for k in (r.BILLION_ENTERPRISES, r.HUNDRED_MILLION_PROJECTS):
                target = headline[k].target
                contribution[k] = (headline[k].achieved, None if target is None else int(target))
        step(0, 0, "")
        return Overview(
            enterprises=count(m.Enterprise, m.Enterprise.deleted_at.is_(None)),
            removed_enterprises=count(m.Enterprise, m.Enterprise.deleted_at.is_not(None)),
            projects=count(m.Project, m.Project.deleted_at.is_(None)),
            open_problems=count(m.Problem, m.Problem.deleted_at.is_(None), m.Problem.status != "已解决"),
            latest_period=period,
            late_problems=late,
            contribution=contribution,
            standing=county_standing.received_in(s) if unit_id is not None else None,
        )


RETURNED = "returned"  # a review's decision (services/packages/review.py)


@dataclass(frozen=True)
class Returned:
    """A period the county returned and has not accepted since: its reason and field comments."""

    period: str
    reason: str
    comments: list[dict[str, Any]]


@dataclass(frozen=True)
class NextSteps:
    period: str
    status: str  # a township's reporting status of the period (services/reporting.py)
    readiness: readiness_service.Readiness | None = None  # a township's: what keeps it from reporting
    returned: list[Returned] = field(default_factory=list)
    units_by_status: dict[str, list[str]] = field(default_factory=dict)  # the county's: status → unit names


def next_steps(db: Database, unit_id: int | None, period: str, progress: Progress | None = None) -> NextSteps:
    """What comes next in `period`: for a township (`unit_id`), its status, what is missing or
    open, and the periods returned (latest decision 退回); for the county (None), the units by
    status."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        units = [unit_id] if unit_id is not None else reporting.reporting_units(s)
        status = reporting.status_in(s, [period], units)
    if unit_id is None:
        by_status: dict[str, list[str]] = {}
        for (unit, _period), state in sorted(status.items()):
            by_status.setdefault(state, []).append(names.get(unit, str(unit)))
        return NextSteps(period, "", units_by_status=by_status)
    latest: dict[str, m.Review] = {}
    with db.read() as s:  # the county's decisions (services/packages/review.py), read without the package code
        for decision in s.scalars(
            select(m.Review).where(m.Review.unit_id == unit_id).order_by(m.Review.decided_at.desc())
        ):
            latest.setdefault(decision.period, decision)  # newest first: the first of a period is its latest
        returned = [
            Returned(d.period, d.reason or "", list(d.comments or ()))
            for d in sorted(latest.values(), key=lambda d: d.period)
            if d.decision == RETURNED
        ]
    return NextSteps(
        period,
        status.get((unit_id, period), reporting.NOT_FILLED),
        readiness_service.readiness(db, unit_id, period, progress),
        returned,
    )
