"""The reporting status of each unit for each period (上报情况), in either role, and which units'
data the published figures count.

A month is reported when a 上报包 carried it: every merge (county) and every export (township)
marks each month its package carries (`mark_reported`; a new package also carries again every
month not yet accepted), and the month's status is then the county's decision on the package
that last carried it: 已上报 (none yet), 已接收, 已退回. A month no
package carried is 已填报未上报 (a live monthly row holds a figure) or 未填报 — or 未启用 when it
lies before the unit's 启用期 (the first period it must report), which is never missing or overdue.

Published figures (通报, 汇总表, `report`) count the units whose period is 已接收; with 含待审核 also
those whose data the county holds but has not accepted (已上报, or entered at the county);
returned data (已退回) never, until a new package is merged and accepted (`counted_units`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods as pd

NOT_FILLED, FILLED, REPORTED, ACCEPTED_STATUS, RETURNED_STATUS = (
    "未填报",
    "已填报未上报",
    "已上报",
    "已接收",
    "已退回",
)
NOT_REQUIRED = "未启用"  # before the unit's 启用期: not missing, never overdue
STATUSES = (NOT_FILLED, FILLED, REPORTED, ACCEPTED_STATUS, RETURNED_STATUS)
OUTSTANDING = (NOT_FILLED, FILLED, RETURNED_STATUS)  # what makes a period overdue after its due date
_DECISIONS = {"accepted": ACCEPTED_STATUS, "returned": RETURNED_STATUS}  # services/review.py

_em, _pm = m.EnterpriseMonthly, m.ProjectMonthly
# A period is filled when a live monthly row holds at least one figure (NULL = not reported).
_FIGURES = (
    (
        _em,
        or_(
            *(
                c.is_not(None)
                for c in (
                    _em.output_month,
                    _em.output_ytd,
                    _em.revenue_month,
                    _em.revenue_ytd,
                    _em.tax_ytd,
                    _em.employees_end,
                )
            )
        ),
    ),
    (_pm, or_(*(c.is_not(None) for c in (_pm.invest_month, _pm.invest_cumulative, _pm.invest_ytd, _pm.progress)))),
)
# Records that carry a period: a package that brings a new or changed one carries that month.
PERIOD_ENTITIES = ("enterprise_monthly", "project_monthly", "project_stage")


# ---------------------------------------------------------------------------------------------
# Marking the months a package carries (the hook of merge and export)
# ---------------------------------------------------------------------------------------------
def mark_reported(session: Session, unit_id: int, package_id: str, months: Iterable[str]) -> None:
    """Records that `package_id` carried each of `months` for the unit: from now on each month's
    status is that package's review. A month an earlier package carried that the county has not
    accepted (awaiting review, or returned) is carried again by this one, up to its last month:
    a package holds the unit's whole data, so it resends them. Called in the transaction that
    merges (county) or writes (township) the package."""
    months = set(months)
    if not months:
        return
    decided = _decisions(session)
    for period, carrier in session.execute(
        select(m.ReportedMonth.period, m.ReportedMonth.package_id).where(
            m.ReportedMonth.unit_id == unit_id, m.ReportedMonth.period <= max(months)
        )
    ):
        if decided.get(carrier) != ACCEPTED_STATUS:
            months.add(period)
    now = utcnow()
    for period in sorted(months):
        row = session.get(m.ReportedMonth, (unit_id, period))
        if row is None:
            session.add(m.ReportedMonth(unit_id=unit_id, period=period, package_id=package_id, marked_at=now))
        else:
            row.package_id, row.marked_at = package_id, now


def months_carried(period: str | None, *changed: Mapping[str, Sequence[Mapping[str, Any]]]) -> list[str]:
    """The months a package for `period` carries: its own, and each earlier month of which it
    brings a new or changed record (each `changed`: entity → records, e.g. a merge plan's inserts
    and updates). A format-2 package lists them in its manifest (`months_changed_since` at the
    export); for older ones this is how the county knows them. A later month is never marked early."""
    months = {period} if period else set()
    for records in changed:
        for entity in PERIOD_ENTITIES:
            for rec in records.get(entity, ()):
                month = rec.get("period")
                if isinstance(month, str) and pd.is_period(month) and (period is None or month <= period):
                    months.add(month)
    return sorted(months)


def months_changed_since(session: Session, unit_id: int, period: str, since: Any) -> list[str]:
    """Township export: the package's period and each month whose records were created or
    changed after `since` (the previous package; None: every month) — what the package carries."""
    changed: dict[str, list[dict[str, Any]]] = {}
    for entity in PERIOD_ENTITIES:
        model = m.ENTITY_MODELS[entity]
        stmt = select(model.period).where(model.unit_id == unit_id).distinct()  # type: ignore[attr-defined]
        if since is not None:
            stmt = stmt.where(model.updated_at > since)
        changed[entity] = [{"period": p} for p in session.scalars(stmt)]
    return months_carried(period, changed)


# ---------------------------------------------------------------------------------------------
# Reading the status
# ---------------------------------------------------------------------------------------------
def _decisions(session: Session) -> dict[str | None, str]:
    """The latest review decision on each package."""
    out: dict[str | None, str] = {}
    for package_id, decided in session.execute(
        select(m.Review.package_id, m.Review.decision).order_by(m.Review.decided_at)
    ):
        out[package_id] = _DECISIONS.get(decided, REPORTED)
    return out


def status_in(
    session: Session, periods: Iterable[str], unit_ids: Iterable[int] | None = None
) -> dict[tuple[int, str], str]:
    """{(unit_id, period): status} for the given units (default: this database's reporting units)."""
    wanted = sorted(set(periods))
    if unit_ids is None:
        unit_ids = reporting_units(session)
    units = list(unit_ids)
    starts = dict(session.execute(select(m.Unit.id, m.Unit.start_period)).all())
    carried = {
        (u, p): pkg
        for u, p, pkg in session.execute(
            select(m.ReportedMonth.unit_id, m.ReportedMonth.period, m.ReportedMonth.package_id).where(
                m.ReportedMonth.period.in_(wanted)
            )
        )
    }
    decisions = _decisions(session)
    filled: set[tuple[int, str]] = set()
    for model, any_figure in _FIGURES:
        filled.update(
            session.execute(  # type: ignore[arg-type]
                select(model.unit_id, model.period)
                .distinct()
                .where(model.period.in_(wanted), model.deleted_at.is_(None), any_figure)
            )
        )
    out: dict[tuple[int, str], str] = {}
    for unit_id in units:
        start = starts.get(unit_id)
        for period in wanted:
            package = carried.get((unit_id, period))
            if package is not None:
                out[(unit_id, period)] = decisions.get(package, REPORTED)
            elif (unit_id, period) in filled:
                out[(unit_id, period)] = FILLED
            else:
                out[(unit_id, period)] = NOT_REQUIRED if start is not None and period < start else NOT_FILLED
    return out


def reporting_units(session: Session) -> list[int]:
    """Every active township unit (county), or this database's own unit (township)."""
    meta = {x.key: x.value for x in session.scalars(select(m.Meta).where(m.Meta.key.in_(("role", "unit_id"))))}
    if meta.get("role") == "county":
        return list(
            session.scalars(
                select(m.Unit.id).where(m.Unit.kind != "县", m.Unit.active).order_by(m.Unit.sort_order, m.Unit.id)
            )
        )
    return [int(meta["unit_id"])]


def status_matrix(db: Database, periods: Iterable[str]) -> dict[tuple[int, str], str]:
    """{(unit_id, period): status} for every township unit (county) or this unit (township)."""
    with db.read() as s:
        return status_in(s, periods)


# ---------------------------------------------------------------------------------------------
# Which units the figures of a period count
# ---------------------------------------------------------------------------------------------
COUNTED = (ACCEPTED_STATUS,)
COUNTED_WITH_PENDING = (ACCEPTED_STATUS, REPORTED, FILLED)


@dataclass(frozen=True)
class Counted:
    """The units whose data the figures of `period` count, and why the others are left out."""

    period: str
    include_pending: bool
    units: tuple[int, ...]  # counted
    left_out: dict[int, str]  # unit id → its status for the period
    pending: tuple[int, ...]  # counted although not yet accepted (含待审核 only)
    all_data: bool = False  # a township counting its own data: no review applies


def counted_units(
    session: Session, period: str, *, include_pending: bool = False, unit_id: int | None = None
) -> Counted:
    """The units whose data counts in the figures of `period`: at the county those whose period
    is 已接收 (with `include_pending`, also 已上报 and county-entered data); a township counts
    its own data as it stands."""
    units = reporting_units(session) if unit_id is None else [unit_id]
    role = session.get(m.Meta, "role")
    if role is None or role.value != "county":
        return Counted(period, include_pending, tuple(units), {}, (), all_data=True)
    status = status_in(session, [period], units)
    allowed = COUNTED_WITH_PENDING if include_pending else COUNTED
    counted = tuple(u for u in units if status[(u, period)] in allowed)
    left_out = {u: status[(u, period)] for u in units if u not in counted}
    pending = tuple(u for u in counted if status[(u, period)] != ACCEPTED_STATUS)
    return Counted(period, include_pending, counted, left_out, pending)
