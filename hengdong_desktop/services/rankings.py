"""比学赶超: the units and the lead departments ranked as of a period, on the criteria and
weights of domain/ranking.py (weights: reference data). This module measures each raw value;
the scoring is the domain's.

Whose data (口径): like the published figures, the ranking counts the data of the units whose
period P is 已接收 (reporting.counted_units); with 含待审核 (the ranking page's switch) also the
data the county holds but has not accepted. The 通报 and the 下发包 always rank on accepted data
only. A unit whose data does not count ranks on what is the county's own record (按时上报, 退回)
and on nothing of its data: no 亿元级项目 or 十亿级/亿级企业, the rates (investment, growth,
problems) not applying.

Raw values as of period P (year Y; the day D is P's last day, or today if earlier):
- 按时上报: of the twelve periods ending with P whose due date (`figures.due_date`) is by D and
  that are not before the unit's 启用期, the share whose first 上报包 the county took in by its
  due date (China time);
- 亿元级项目实施: the unit's 亿元级 projects implemented as of P (the figures' selection);
- 项目投资完成率: the unit's 本年累计完成投资 ÷ 年度计划投资 of Y (the figures' project lines);
- 企业产值增长: Σ 1-本月累计 ÷ Σ 上年同期 − 1 of the unit's enterprises reporting both, in each
  domain's measure (the figures' enterprise values);
- 十亿级、亿级企业: 2 per enterprise whose 预计全年 reaches 十亿, 1 per one reaching 亿;
- 问题按期办结: of the problems due by D (domain/assignment `Standing.due`) that are the unit's —
  raised on its enterprises and projects, or assigned to it (a township is on the 交办 list and
  receives problems of any unit) — those closed by their deadline; a problem that is both counts once;
- 数据质量（退回）: the county's 退回 decisions on the unit's periods in Y up to D.
Problems count when the unit that holds them counts (above), wherever they were assigned.
A lead department (every department of the 交办 list): the mean completion (each capped at 100%)
of the 5/18/34 targets of the domains it leads (county figures of P, on the figures' headline
basis and the same 口径); and the problems assigned to it: closed on time among those due by D,
and those overdue on D. A department that leads no domain and has no problem due or overdue is
not ranked."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import assignment, periods
from hengdong_desktop.domain import ranking as rk
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fg
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reference_admin import due_day_in
from hengdong_desktop.services.reporting import counted_units

CHINA = timedelta(hours=8)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class Ranking:
    scope: str  # "unit" / "department"
    period: str
    as_of: date
    standings: list[rk.Standing]
    include_pending: bool = False
    left_out: tuple[str, ...] = ()  # units whose data does not count (not accepted for the period)

    @property
    def title(self) -> str:
        return f"{rk.SCOPE_LABELS[self.scope]}比学赶超排名"

    @property
    def criteria(self) -> tuple[rk.Criterion, ...]:
        return rk.SCOPES[self.scope]

    def of(self, key: object) -> rk.Standing | None:
        return next((s for s in self.standings if s.key == key), None)

    @property
    def basis(self) -> str:
        """Whose data the ranking counts, in words (the 口径)."""
        if self.include_pending:
            return "含待审核：县级已接收和已上报未审核、县级录入的数据均计入，不是可以发布的正式口径"
        text = "只计县级已审核接收的数据"
        if self.left_out:
            shown = "、".join(self.left_out[:6]) + ("等" if len(self.left_out) > 6 else "")
            text += f"（{shown}{len(self.left_out)}个单位本期数据未接收，其数据不计）"
        return text


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return None if not whole else (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH)


def _china_day(moment: datetime) -> date:
    return (moment + CHINA).date()


def _problem_values(
    session: Session, as_of: date, escalate_days: int, units: Sequence[int], keys: Callable[[m.Problem], set[object]]
) -> dict[object, tuple[int, int, int]]:
    """Per key (`keys` of each problem of `units`): (problems due by `as_of`, closed on time, overdue)."""
    out: dict[object, tuple[int, int, int]] = {}
    for problem in session.scalars(
        select(m.Problem).where(
            m.Problem.deleted_at.is_(None), m.Problem.raised_on <= as_of, m.Problem.unit_id.in_(list(units))
        )
    ):
        standing = assignment.standing(problem, as_of, escalate_days)
        for key in keys(problem):
            due, on_time, late = out.get(key, (0, 0, 0))
            out[key] = (due + standing.due, on_time + standing.on_time, late + standing.late)
    return out


def _on_time(session: Session, ref: r.Reference, period: str, as_of: date) -> dict[int, Decimal | None]:
    due_day = due_day_in(session)
    first_in: dict[tuple[int, str], datetime] = {}
    for unit_id, reported, taken in session.execute(
        select(m.PackageEntry.unit_id, m.PackageEntry.period, func.min(m.PackageEntry.processed_at))
        .where(m.PackageEntry.direction == "in", m.PackageEntry.kind == "report")
        .group_by(m.PackageEntry.unit_id, m.PackageEntry.period)
    ):
        if reported is not None:
            first_in[(unit_id, reported)] = taken
    out: dict[int, Decimal | None] = {}
    for unit in ref.units:
        due = [
            p
            for p in periods.span(period, fg.STATUS_MONTHS)
            if fg.due_date(p, due_day) <= as_of and (unit.start_period is None or p >= unit.start_period)
        ]
        kept = sum(
            1 for p in due if (unit.id, p) in first_in and _china_day(first_in[(unit.id, p)]) <= fg.due_date(p, due_day)
        )
        out[unit.id] = _percent(kept, len(due))
    return out


def unit_ranking_in(
    session: Session, period: str, *, today: date | None = None, include_pending: bool = False
) -> Ranking:
    ref = load(session)
    year = periods.year_of(period)
    as_of = fg.period_end(period, today or date.today())
    counted = counted_units(session, period, include_pending=include_pending)
    units = [u.id for u in ref.units if u.id in counted.units]
    th = ref.thresholds
    measures = {d.id: d.measure for d in ref.domains}
    ents, _merged = fg._enterprise_values(session, period, units, measures)
    lines = fg._project_lines(session, period, units)
    on_time = _on_time(session, ref, period, as_of)
    by_name = {u.name: u.id for u in ref.units}

    def owners(problem: m.Problem) -> set[object]:  # the unit that holds it and the township assigned it
        assigned = by_name.get(problem.department or "")
        return {problem.unit_id} if assigned is None else {problem.unit_id, assigned}

    problems = _problem_values(session, as_of, ref.programme("escalate_days"), units, owners)
    start, end = datetime(year, 1, 1) - CHINA, datetime.combine(as_of + timedelta(days=1), datetime.min.time()) - CHINA
    returns = dict(
        session.execute(
            select(m.Review.unit_id, func.count())
            .where(m.Review.decision == "returned", m.Review.decided_at >= start, m.Review.decided_at < end)
            .group_by(m.Review.unit_id)
        ).all()
    )
    billion, hundred_million = fg._units(th["billion_enterprise"]), fg._units(th["hundred_million_enterprise"])
    entries = []
    for unit in ref.units:
        implemented = (
            fg._implemented_by_domain(session, ref, th["hundred_million_project"], period, [unit.id])
            if unit.id in units
            else {}
        )
        own = [x for x in lines if x.unit_id == unit.id]
        plan = sum((x.year_plan or Decimal(0) for x in own), Decimal(0))
        invested = sum((x.invest_ytd or Decimal(0) for x in own), Decimal(0))
        compared = [x for x in ents if x.unit_id == unit.id and x.ytd is not None and x.same is not None]
        same = sum(x.same or 0 for x in compared)
        growth = _percent(sum(x.ytd or 0 for x in compared) - same, same)
        scale = sum(
            2 if (x.projected or 0) >= billion else 1 if (x.projected or 0) >= hundred_million else 0
            for x in ents
            if x.unit_id == unit.id
        )
        due, closed, _late = problems.get(unit.id, (0, 0, 0))
        entries.append(
            (
                unit.id,
                unit.name,
                {
                    "on_time": on_time[unit.id],
                    "projects": Decimal(len(set().union(*implemented.values()))),
                    "investment": None if not plan else min(_percent(invested, plan) or Decimal(0), Decimal(100)),
                    "growth": growth,
                    "scale": Decimal(scale),
                    "problems": _percent(closed, due),
                    "returns": Decimal(returns.get(unit.id, 0)),
                },
            )
        )
    return Ranking(
        "unit",
        period,
        as_of,
        rk.rank(entries, rk.UNIT_CRITERIA, ref.weights("unit")),
        include_pending,
        tuple(u.name for u in ref.units if u.id not in units),
    )


def department_ranking_in(
    session: Session, period: str, *, today: date | None = None, include_pending: bool = False
) -> Ranking:
    ref = load(session)
    as_of = fg.period_end(period, today or date.today())
    county = fg.figures_in(session, period, today=today, include_pending=include_pending)
    units = counted_units(session, period, include_pending=include_pending).units
    problems = _problem_values(
        session, as_of, ref.programme("escalate_days"), units, lambda p: {p.department} if p.department else set()
    )
    entries = []
    for department in ref.departments:
        rates = [
            min(p.percent, Decimal(100))
            for d in county.domains
            if department.name in d.lead_departments
            for p in d.progress.values()
            if p.percent is not None
        ]
        due, closed, late = problems.get(department.name, (0, 0, 0))
        if not rates and not due and not late:
            continue  # leads no domain and has nothing assigned: not ranked
        entries.append(
            (
                department.name,
                department.name,
                {
                    "targets": (sum(rates, Decimal(0)) / len(rates)).quantize(TENTH) if rates else None,
                    "closed_on_time": _percent(closed, due),
                    "overdue": Decimal(late),
                },
            )
        )
    return Ranking(
        "department",
        period,
        as_of,
        rk.rank(entries, rk.DEPARTMENT_CRITERIA, ref.weights("department")),
        include_pending,
        tuple(u.name for u in ref.units if u.id not in units),
    )


def rankings(
    db: Database, period: str, *, today: date | None = None, include_pending: bool = False
) -> tuple[Ranking, Ranking]:
    """The units' and the lead departments' rankings as of `period`: on accepted data, or with
    `include_pending` also on the data awaiting review."""
    periods.parse(period)
    with db.read() as s:
        return (
            unit_ranking_in(s, period, today=today, include_pending=include_pending),
            department_ranking_in(s, period, today=today, include_pending=include_pending),
        )
