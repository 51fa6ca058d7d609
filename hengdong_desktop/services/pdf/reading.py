"""Reading helpers shared by the forms: the records a batch covers, ids in chunks for IN (...)
queries, the latest period with figures, the clerk's 说明 of warned figures, and the note printed
on a record taken off the lists."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import fields as f
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.rules import RULES_BY_ID
from hengdong_desktop.services.pdf.values import date_text

T = TypeVar("T", bound=m.Synced)
IN_CHUNK = 500  # ids per IN (...): far below SQLite's variable limit


def chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def records(
    session: Session, model: type[T], *, ids: Sequence[str] | None, unit_id: int | None, order_by: Sequence[Any]
) -> list[T]:
    """The records with these ids (in that order, removed ones included), else every live record
    of the unit (or of the database) in `order_by` order."""
    if ids is not None:
        found: dict[str, T] = {}
        for chunk in chunks(list(ids)):
            found.update((r.id, r) for r in session.scalars(select(model).where(model.id.in_(chunk))))
        return [found[i] for i in ids if i in found]
    stmt = select(model).where(model.deleted_at.is_(None)).order_by(*order_by)
    if unit_id is not None:
        stmt = stmt.where(model.unit_id == unit_id)
    return list(session.scalars(stmt))


def latest_period(
    session: Session, model: type[m.EnterpriseMonthly] | type[m.ProjectMonthly], unit_id: int | None = None
) -> str:
    """The latest period with figures (in a unit), else the period clerks are reporting now."""
    stmt = select(func.max(model.period)).where(model.deleted_at.is_(None))
    if unit_id is not None:
        stmt = stmt.where(model.unit_id == unit_id)
    return session.scalar(stmt) or periods.last_completed()


def removed_note(record: m.Synced, what: str) -> str | None:
    """“本企业已于2025-03-01调出（迁出本县）” for a tombstoned record, else None."""
    if record.deleted_at is None:
        return None
    reason = f"（{record.deleted_reason}）" if record.deleted_reason else ""
    return f"本{what}已于{date_text(record.deleted_at.date())}调出{reason}"


def explanations(session: Session, record_ids: Sequence[str]) -> dict[str, list[tuple[str, str, str]]]:
    """record id → (the warned field, how the form names it, the clerk's 说明) of each live
    explanation on it: ("invest_cumulative", "累计完成投资（2025年3月）", "…")."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for chunk in chunks(list(record_ids)):
        for row in session.scalars(
            select(m.Explanation)
            .where(m.Explanation.record_id.in_(chunk), m.Explanation.deleted_at.is_(None))
            .order_by(m.Explanation.period, m.Explanation.rule_id)
        ):
            rule = RULES_BY_ID.get(row.rule_id)
            name = rule.fields[0] if rule and rule.fields else ""
            figure = f.label(row.entity, name) if name else row.rule_id
            when = f"（{periods.year_of(row.period)}年{periods.month_of(row.period)}月）" if row.period else ""
            out.setdefault(row.record_id, []).append((name, figure + when, row.text))
    return out
