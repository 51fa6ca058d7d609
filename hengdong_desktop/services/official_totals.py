"""The statistics bureau's figures the county enters (统计局口径): per target industry and period,
the industry's 1-本月累计 in its domain's measure (万元). The figures use one where present
(services/figures.py) and show the registered enterprises' coverage beside it. Every change is
audited (source "figures")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import money, periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.setup import read_info


@dataclass(frozen=True)
class OfficialTotal:
    industry_id: int
    industry: str
    period: str
    value: Decimal
    source: str | None


def totals(db: Database, period: str | None = None) -> list[OfficialTotal]:
    """The entered totals (of one period, or all), newest period first."""
    with db.read() as s:
        names = {i.id: i.name for i in load(s).industries}
        stmt = select(m.IndustryTotal).order_by(m.IndustryTotal.period.desc(), m.IndustryTotal.industry_id)
        if period is not None:
            stmt = stmt.where(m.IndustryTotal.period == period)
        return [
            OfficialTotal(t.industry_id, names.get(t.industry_id, str(t.industry_id)), t.period, t.value, t.source)
            for t in s.scalars(stmt)
        ]


def set_total(
    db: Database, industry: str | int, period: str, value: object, source: str | None = None
) -> OfficialTotal:
    """Enters (or corrects) an industry's official total for a period; `value` None or "" removes it."""
    info = read_info(db)
    if not info.is_county:
        raise UserError("统计局口径数据由县级录入，乡镇数据库不能录入。")
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    try:
        amount = money.parse(value)
    except money.MoneyError as exc:
        raise UserError(f"统计局口径数“{value}”{exc}。") from None
    if amount is not None and amount < 0:
        raise UserError("统计局口径数不能为负数。")
    source = (source or "").strip()[:200] or None
    with db.write(info.actor("figures")) as s:
        ref = load(s)
        industry_id = ref.resolve("industry", industry)
        if industry_id is None:
            raise UserError(f"找不到目标产业“{industry}”，可选：{'、'.join(i.name for i in ref.industries)}。")
        row = s.scalars(
            select(m.IndustryTotal).where(m.IndustryTotal.industry_id == industry_id, m.IndustryTotal.period == period)
        ).first()
        name = ref.name_of("industry", industry_id)
        if amount is None:
            if row is not None:
                s.delete(row)
            return OfficialTotal(industry_id, name, period, Decimal(0), None)
        if row is None:
            row = m.IndustryTotal(industry_id=industry_id, period=period, value=amount, source=source)
            s.add(row)
        else:
            row.value, row.source = amount, source
        return OfficialTotal(industry_id, name, period, amount, source)
