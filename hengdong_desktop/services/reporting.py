"""The reporting status of each unit for each period (上报情况), in either role:
未填报 (no monthly figure), 已填报未上报 (figures, no package for the period), 已上报 (the latest
package for the period awaits review), 已接收 / 已退回 (the county's decision on that package)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages.review import ACCEPTED
from hengdong_desktop.services.setup import read_info

NOT_FILLED, FILLED, REPORTED, ACCEPTED_STATUS, RETURNED_STATUS = (
    "未填报",
    "已填报未上报",
    "已上报",
    "已接收",
    "已退回",
)
STATUSES = (NOT_FILLED, FILLED, REPORTED, ACCEPTED_STATUS, RETURNED_STATUS)


_em, _pm = m.EnterpriseMonthly, m.ProjectMonthly
# A period is filled when a live monthly row holds at least one figure (NULL = not reported).
_FIGURES = (
    (
        _em,
        func.coalesce(
            _em.output_month,
            _em.output_ytd,
            _em.revenue_month,
            _em.revenue_ytd,
            _em.tax_ytd,
            _em.employees_end,
        ),
    ),
    (_pm, func.coalesce(_pm.invest_month, _pm.invest_cumulative, _pm.invest_ytd, _pm.progress)),
)


def status_matrix(db: Database, periods: Iterable[str]) -> dict[tuple[int, str], str]:
    """{(unit_id, period): status} for every township unit (county) or this unit (township)."""
    info = read_info(db)
    wanted = sorted(set(periods))
    with db.read() as s:
        if info.is_county:
            units = list(s.scalars(select(m.Unit.id).where(m.Unit.kind != "县", m.Unit.active)))
            direction = "in"
        else:
            units, direction = [info.unit_id], "out"
        latest: dict[tuple[int, str | None], str] = {}
        for unit_id, period, package_id in s.execute(
            select(m.PackageEntry.unit_id, m.PackageEntry.period, m.PackageEntry.id)
            .where(
                m.PackageEntry.direction == direction,
                m.PackageEntry.kind == pf.REPORT,
                m.PackageEntry.period.in_(wanted),
            )
            .order_by(m.PackageEntry.processed_at, m.PackageEntry.sequence)
        ):
            latest[(unit_id, period)] = package_id
        decision: dict[str | None, str] = {}
        for reviewed, decided in s.execute(
            select(m.Review.package_id, m.Review.decision).order_by(m.Review.decided_at)
        ):
            decision[reviewed] = decided
        filled: set[tuple[int, str]] = set()
        for model, any_figure in _FIGURES:
            filled.update(
                s.execute(
                    select(model.unit_id, model.period)
                    .distinct()
                    .where(
                        model.period.in_(wanted),
                        model.deleted_at.is_(None),
                        any_figure.is_not(None),
                    )
                )
            )
    out: dict[tuple[int, str], str] = {}
    for unit_id in units:
        for period in wanted:
            found = latest.get((unit_id, period))
            if found is not None:
                verdict = decision.get(found)
                out[(unit_id, period)] = (
                    REPORTED
                    if verdict is None
                    else ACCEPTED_STATUS
                    if verdict == ACCEPTED
                    else RETURNED_STATUS
                )
            else:
                out[(unit_id, period)] = FILLED if (unit_id, period) in filled else NOT_FILLED
    return out
