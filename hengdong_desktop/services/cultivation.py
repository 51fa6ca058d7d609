"""培育名录 as outputs: per period, the named list of every cultivation list and of the size
tiers (十亿级企业, 亿级企业 and their 后备), their counts by unit, domain, industry and chain, and
the 动态调整 of the lists in a span of periods.

Definitions (period P; its last day E):
- A list's members at P are the live enterprises of the counted units (the figures' 口径) with a
  membership of that list entered by E and not left by E (调出日期 empty or after E).
- The figure that qualifies a member is the enterprise's value on the figures' headline basis
  (上年全年 until December, then the year), in its domain's measure (figures.py).
- 十亿级企业 / 亿级企业: value ≥ the threshold (reference data, 10亿 / 1亿元); 亿级 excludes
  十亿级. 后备 ("reserve"): value ≥ (100 − X)% of the threshold and below it, X the reference
  data's 后备 percentage; 亿级后备 excludes those already 亿级.
- 动态调整 from period A to P: every membership entered (纳入日期) or left (调出日期) between the
  first day of A and E, with its date, reason and 认定单位或文件."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import money, periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fg
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.reporting import counted_units

BILLION, BILLION_RESERVE, HUNDRED_MILLION, HUNDRED_MILLION_RESERVE = (
    "十亿级企业",
    "十亿级后备企业",
    "亿级企业",
    "亿级后备企业",
)
SIZE_LISTS = (BILLION, BILLION_RESERVE, HUNDRED_MILLION, HUNDRED_MILLION_RESERVE)
ENTERED, LEFT = "纳入", "调出"


@dataclass(frozen=True)
class Member:
    enterprise_id: str
    unit_id: int
    name: str
    credit_code: str
    domain_id: int
    industry_id: int | None
    chain_id: int | None
    figure: Decimal | None  # 万元, in its measure, on the headline basis
    measure: str
    level: str | None = None
    date_in: date | None = None


@dataclass(frozen=True)
class NamedList:
    name: str
    members: list[Member]

    def count_by(self, attribute: str) -> dict[object, int]:
        out: dict[object, int] = {}
        for x in self.members:
            key = getattr(x, attribute)
            out[key] = out.get(key, 0) + 1
        return out


@dataclass(frozen=True)
class Adjustment:
    list_name: str
    action: str  # ENTERED / LEFT
    on: date
    enterprise_id: str
    name: str
    unit_id: int
    level: str | None
    reason: str | None
    decided_by: str | None


@dataclass(frozen=True)
class Lists:
    period: str
    basis: str  # the figures' headline basis label
    reserve_percent: int
    cultivation: list[NamedList]  # the reference data's lists, in order
    sizes: list[NamedList]  # SIZE_LISTS, in order
    units: tuple[int, ...] = field(default_factory=tuple)

    @property
    def all(self) -> list[NamedList]:
        return [*self.cultivation, *self.sizes]

    def named(self, name: str) -> NamedList:
        return next(x for x in self.all if x.name == name)


def lists_in(session: Session, period: str, *, include_pending: bool = False) -> Lists:
    ref = load(session)
    end = periods.last_day(period)
    units = counted_units(session, period, include_pending=include_pending).units
    measures = {d.id: d.measure for d in ref.domains}
    basis = fg.headline_basis(period)
    ents, _merged = fg._enterprise_values(session, period, units, measures)
    values = {x.id: x.value(basis) for x in ents}
    e = m.Enterprise
    enterprises = {
        row.id: row
        for row in session.execute(
            select(e.id, e.unit_id, e.name, e.credit_code, e.domain_id, e.industry_id, e.chain_id).where(
                e.deleted_at.is_(None), e.unit_id.in_(list(units))
            )
        )
    }

    def member(eid: str, level: str | None = None, date_in: date | None = None) -> Member:
        x = enterprises[eid]
        value = values.get(eid)
        return Member(
            eid,
            x.unit_id,
            x.name,
            x.credit_code,
            x.domain_id,
            x.industry_id,
            x.chain_id,
            None if value is None else money.from_units(value),
            measures.get(x.domain_id, r.OUTPUT),
            level,
            date_in,
        )

    order = {u.id: n for n, u in enumerate(ref.units)}

    def sort(members: list[Member]) -> list[Member]:
        return sorted(members, key=lambda x: (order.get(x.unit_id, 99), -(x.figure or 0), x.name))

    ms = m.Membership
    by_list: dict[str, list[Member]] = {name: [] for name in ref.options.get("cultivation_list", ())}
    for row in session.scalars(
        select(ms).where(ms.deleted_at.is_(None), ms.date_in <= end).order_by(ms.date_in, ms.id)
    ):
        if row.enterprise_id in enterprises and (row.date_out is None or row.date_out > end):
            members = by_list.setdefault(row.list_name, [])
            if all(x.enterprise_id != row.enterprise_id for x in members):
                members.append(member(row.enterprise_id, row.level, row.date_in))
    th = ref.thresholds
    reserve = ref.programme("reserve_percent")
    big, small = fg._units(th["billion_enterprise"]), fg._units(th["hundred_million_enterprise"])
    floor = {BILLION: big, HUNDRED_MILLION: small}
    reserve_floor = {BILLION: big * (100 - reserve) // 100, HUNDRED_MILLION: small * (100 - reserve) // 100}
    sizes: dict[str, list[Member]] = {name: [] for name in SIZE_LISTS}
    for eid, value in values.items():
        if value is None or eid not in enterprises:
            continue
        if value >= floor[BILLION]:
            sizes[BILLION].append(member(eid))
        elif value >= floor[HUNDRED_MILLION]:
            sizes[HUNDRED_MILLION].append(member(eid))
        if reserve_floor[BILLION] <= value < floor[BILLION]:
            sizes[BILLION_RESERVE].append(member(eid))
        elif reserve_floor[HUNDRED_MILLION] <= value < floor[HUNDRED_MILLION]:
            sizes[HUNDRED_MILLION_RESERVE].append(member(eid))
    return Lists(
        period,
        fg.basis_label(basis, period),
        reserve,
        [NamedList(name, sort(members)) for name, members in by_list.items()],
        [NamedList(name, sort(sizes[name])) for name in SIZE_LISTS],
        tuple(units),
    )


def adjustments_in(session: Session, first: str, last: str) -> list[Adjustment]:
    """The 动态调整 of every list from period `first` to `last`: who entered and who left, by date."""
    start, end = periods.last_day(first).replace(day=1), periods.last_day(last)
    ms, e = m.Membership, m.Enterprise
    out: list[Adjustment] = []
    rows = session.execute(
        select(ms, e.name, e.unit_id)
        .join(e, e.id == ms.enterprise_id)
        .where(ms.deleted_at.is_(None), e.deleted_at.is_(None))
    )
    for row, name, unit_id in rows:
        if start <= row.date_in <= end:
            out.append(
                Adjustment(
                    row.list_name,
                    ENTERED,
                    row.date_in,
                    row.enterprise_id,
                    name,
                    unit_id,
                    row.level,
                    row.reason_in,
                    row.decided_by,
                )
            )
        if row.date_out is not None and start <= row.date_out <= end:
            out.append(
                Adjustment(
                    row.list_name,
                    LEFT,
                    row.date_out,
                    row.enterprise_id,
                    name,
                    unit_id,
                    row.level,
                    row.reason_out,
                    row.decided_by,
                )
            )
    return sorted(out, key=lambda a: (a.on, a.list_name, a.action, a.name))


def lists(db: Database, period: str, *, include_pending: bool = False) -> Lists:
    periods.parse(period)
    with db.read() as s:
        return lists_in(s, period, include_pending=include_pending)


def adjustments(db: Database, first: str, last: str) -> list[Adjustment]:
    periods.parse(first)
    periods.parse(last)
    with db.read() as s:
        return adjustments_in(s, first, last)
