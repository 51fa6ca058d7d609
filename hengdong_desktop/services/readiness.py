"""Is the data ready to report? One answer, asked by the 月度调度 panel, the status bar, the 上报
page and the export gate alike: every 强制性 finding and every warning without its 说明, in every
period (what the export refuses for), and the period's enterprises and projects without figures
and its project warnings (包而不推、推而不快、快而不优), both listed, not blocking. Each entry says
where to fix it: a cell of a period's grid, or a field of a record in its editor."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain.fields import ENTITY_LABELS
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.services import checks, project_warnings
from hengdong_desktop.services.checks import CheckReport
from hengdong_desktop.services.monthly import ENTERPRISE, KINDS, PROJECT
from hengdong_desktop.services.progress import Progress
from hengdong_desktop.services.reference import load as load_reference

MISSING, BLOCKING, UNEXPLAINED, WARNING = "missing", "blocking", "unexplained", "warning"
PROJECT_WARNING = "project_warning"  # the entity of a warning's entry: shown on the project editor's 预警 tab
# Where a finding is fixed: the record an editor opens, found from the finding's record.
_OWNER = {
    "enterprise": ("enterprise", None),
    "membership": ("enterprise", "enterprise_id"),
    "enterprise_annual": ("enterprise", "enterprise_id"),
    "enterprise_monthly": ("enterprise", "enterprise_id"),
    "project": ("project", None),
    "project_monthly": ("project", "project_id"),
    "project_annual": ("project", "project_id"),
    "project_photo": ("project", "project_id"),
    "project_stage": ("project", "project_id"),
    "problem": ("problem", None),
    "support_measure": ("enterprise", "enterprise_id"),
}
GRIDS = {"enterprise_monthly": "enterprise", "project_monthly": "project"}


@dataclass(frozen=True)
class Issue:
    """One thing that keeps the data from being ready, and where to fix it."""

    kind: str  # missing / blocking / unexplained / warning
    entity: str  # what the finding is on: enterprise, enterprise_monthly, project_stage …
    owner: str  # the record an editor opens: enterprise / project / problem
    owner_id: str
    period: str | None  # the grid's period, for a monthly row
    subject: str
    field: str | None
    message: str

    @property
    def grid(self) -> str | None:
        """ "enterprise" or "project" when the cell to fix is in a 月度调度 grid."""
        return GRIDS.get(self.entity)

    def text(self) -> str:
        what = "项目预警" if self.entity == PROJECT_WARNING else ENTITY_LABELS.get(self.entity, "")
        where = f"（{self.period}）" if self.period else f"（{what}）"
        return f"{self.subject}{where}：{self.message}"


@dataclass
class Readiness:
    period: str | None  # whose missing figures are listed
    issues: list[Issue]  # errors, then unexplained warnings, then missing figures, then project warnings
    counted: dict[str, int]  # rows in each grid that must report for the period
    report: CheckReport  # what the issues come from (the export gate's refusal lists it)

    @property
    def ready(self) -> bool:
        """No error and no unexplained warning in any period: a package may be exported."""
        return self.report.ready

    @property
    def open_count(self) -> int:
        return self.report.open_count

    def count(self, kind: str, grid: str | None = None) -> int:
        return sum(1 for i in self.issues if i.kind == kind and (grid is None or i.grid == grid))

    def problems(self) -> list[str]:
        """The blocking entries in words (the export gate's refusal details)."""
        return [i.text() for i in self.issues if i.kind in (BLOCKING, UNEXPLAINED)]


def _locate(
    f: Finding, kind: str, rows: Mapping[str, Sequence[Mapping[str, Any]]], by_id: Mapping[str, Mapping[str, Any]]
) -> Issue | None:
    owner, link = _OWNER.get(f.entity, (None, None))
    record = by_id.get(f.record_id or "")
    if owner is None or record is None:
        return None
    message = f.message if kind == BLOCKING else f"{f.message}（{f.severity.value}，须填写说明）"
    return Issue(
        kind,
        f.entity,
        owner,
        record[link] if link else record["id"],
        f.period if f.entity in GRIDS else None,
        f.subject or "",
        f.fields[0] if f.fields else None,
        message,
    )


def _missing(
    session: Session, unit_id: int | None, period: str, implemented: Sequence[str]
) -> tuple[list[Issue], dict[str, int]]:
    """The period's enterprises (and implemented projects) whose row has no figure."""
    issues: list[Issue] = []
    counted: dict[str, int] = {}
    for kind in KINDS.values():
        owner = kind.owner.__table__  # type: ignore[attr-defined]
        mt = kind.monthly.__table__  # type: ignore[attr-defined]
        conds = [owner.c.deleted_at.is_(None)]
        if unit_id is not None:
            conds.append(owner.c.unit_id == unit_id)
        if kind is PROJECT:
            conds.append(owner.c.status.in_(implemented))
        counted[kind.key] = int(session.scalar(select(func.count()).select_from(owner).where(*conds)) or 0)
        empty = and_(*(mt.c[f].is_(None) for f in kind.required))
        stmt = (
            select(owner.c.id, owner.c.name)
            .outerjoin(mt, and_(mt.c[kind.owner_key] == owner.c.id, mt.c.period == period, mt.c.deleted_at.is_(None)))
            .where(*conds, or_(mt.c.id.is_(None), empty))
            .order_by(owner.c.unit_id, owner.c.name)
        )
        what = "企业" if kind is ENTERPRISE else "项目"
        for oid, name in session.execute(stmt):
            issues.append(
                Issue(
                    MISSING, kind.entity, kind.key, oid, period, name, kind.required[0], f"本期没有填报{what}调度数据"
                )
            )
    return issues, counted


def readiness(
    db: Database, unit_id: int | None, period: str | None = None, progress: Progress | None = None
) -> Readiness:
    """What keeps the data of a unit (None: every unit) from being reported, in every period; and
    the figures `period` still lacks. `progress` is told as the records are checked (where a
    cancelled read stops: the window closing)."""
    if period is not None:
        periods.parse(period)
    with db.read() as s:
        rows = checks.live_rows(s, unit_id, progress)
        report = checks.check_rows(rows, checks.industry_domains_in(s), progress=progress)
        by_id = {r["id"]: r for entity_rows in rows.values() for r in entity_rows}
        issues = [
            issue
            for findings, kind in ((report.blocking, BLOCKING), (report.unexplained, UNEXPLAINED))
            for f in findings
            if (issue := _locate(f, kind, rows, by_id)) is not None
        ]
        ref = load_reference(s)
        if progress is not None:
            progress(0, 0, "")
        missing, counted = _missing(s, unit_id, period, ref.implemented_statuses) if period else ([], {})
        warnings = (
            [
                Issue(
                    WARNING,
                    PROJECT_WARNING,
                    "project",
                    w.project_id,
                    None,
                    w.name,
                    None,
                    f"【{w.rule}】{w.message}（{w.standing}）",
                )
                for w in project_warnings.warnings_in(s, period, units=None if unit_id is None else [unit_id], ref=ref)
            ]
            if period
            else []
        )
    return Readiness(period, issues + missing + warnings, counted, report)
