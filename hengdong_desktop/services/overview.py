"""Headline counts of a database for the main window."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database


@dataclass(frozen=True)
class Overview:
    enterprises: int
    removed_enterprises: int
    projects: int
    open_problems: int
    latest_period: str | None


def overview(db: Database, unit_id: int | None = None) -> Overview:
    """Counts for one unit, or for every unit when `unit_id` is None (the county)."""

    def count(model: type[m.Synced], *where: object) -> int:
        stmt = select(func.count()).select_from(model).where(*where)  # type: ignore[arg-type]
        if unit_id is not None:
            stmt = stmt.where(model.unit_id == unit_id)
        return int(s.scalar(stmt) or 0)

    with db.read() as s:
        latest = select(func.max(m.EnterpriseMonthly.period))
        if unit_id is not None:
            latest = latest.where(m.EnterpriseMonthly.unit_id == unit_id)
        return Overview(
            enterprises=count(m.Enterprise, m.Enterprise.deleted_at.is_(None)),
            removed_enterprises=count(m.Enterprise, m.Enterprise.deleted_at.is_not(None)),
            projects=count(m.Project, m.Project.deleted_at.is_(None)),
            open_problems=count(m.Problem, m.Problem.deleted_at.is_(None), m.Problem.status != "已解决"),
            latest_period=s.scalar(latest),
        )
