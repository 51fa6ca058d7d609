"""Reading helpers shared by the forms: ids in chunks for IN (...) queries, the latest period
with figures, and the note printed on a record taken off the lists (调出)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import periods
from hengdong_desktop.services.pdf.values import date_text

IN_CHUNK = 500  # ids per IN (...): far below SQLite's variable limit


def chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start:start + IN_CHUNK]


def latest_period(session: Session, model: type[m.EnterpriseMonthly] | type[m.ProjectMonthly],
                  unit_id: int | None = None) -> str:
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
