"""The package ledger: every package this database wrote or took in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database


def package_history(db: Database) -> list[dict[str, Any]]:
    """Every package this database wrote or took in, newest first, with the county's decision
    on the period where one is known."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        decisions: dict[str | None, m.Review] = {}
        for decided in s.scalars(select(m.Review).order_by(m.Review.decided_at)):
            decisions[decided.package_id] = decided
        out = []
        for e in s.scalars(select(m.PackageEntry).order_by(m.PackageEntry.processed_at.desc())):
            review = decisions.get(e.id)
            out.append(
                {
                    "package_id": e.id,
                    "direction": e.direction,
                    "kind": e.kind,
                    "unit": names.get(e.unit_id, ""),
                    "unit_id": e.unit_id,
                    "sequence": e.sequence,
                    "period": e.period,
                    "file": e.file_name,
                    "created_at": e.created_at,
                    "processed_at": e.processed_at,
                    "sha256": e.sha256,
                    "summary": e.summary,
                    "decision": review.decision if review else None,
                    "reason": review.reason if review else None,
                    "comments": review.comments if review else [],
                }
            )
        return out


def count_packages(db: Database, direction: str, kind: str) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(m.PackageEntry)
                .where(m.PackageEntry.direction == direction, m.PackageEntry.kind == kind)
            )
            or 0
        )
