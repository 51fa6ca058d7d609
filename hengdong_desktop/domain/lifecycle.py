"""A project's lifecycle read from its status history (one row per period: the status that month
reports, with the day it was reached): its status as of a period, the day it first reached each
stage, its last change, and how far each milestone (开工, 竣工, 投产) is from its plan.

Everything is "as of" a period: rows after it are never looked at, so a later correction never
changes what an earlier period said."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from hengdong_desktop.domain import periods
from hengdong_desktop.domain.reference import PROJECT_HALTS, PROJECT_STAGES

STARTED, FINISHED, PRODUCING = "开工", "竣工", "投产"
UNDER_CONSTRUCTION = ("开工", "在建")
BEFORE_START = ("储备", "前期", "签约")
IN_PRODUCTION = ("投产", "达效")


@dataclass(frozen=True)
class StageRow:
    period: str
    status: str
    reached_on: date | None = None
    reason: str | None = None

    @property
    def day(self) -> date:
        """The day the status holds from: its date, else the first day of its period."""
        if self.reached_on is not None:
            return self.reached_on
        year, month = periods.parse(self.period)
        return date(year, month, 1)


def history(rows: Iterable[StageRow]) -> tuple[StageRow, ...]:
    return tuple(sorted(rows, key=lambda r: r.period))


def up_to(rows: Sequence[StageRow], period: str) -> list[StageRow]:
    return [r for r in rows if r.period <= period]


def status_as_of(rows: Sequence[StageRow], period: str) -> StageRow | None:
    """The row that holds at `period`: the latest up to it (None: the project was not yet entered)."""
    known = up_to(rows, period)
    return known[-1] if known else None


def rank(status: str) -> int:
    """A stage's place in the flow; the halts (停缓建, 终止) are outside it (-1)."""
    return PROJECT_STAGES.index(status) if status in PROJECT_STAGES else -1


def reached(rows: Sequence[StageRow], stage: str, period: str) -> date | None:
    """The day the project first stood at `stage` or a later stage of the flow, by `period` (a
    project recorded straight as 在建 started when that row says)."""
    wanted = rank(stage)
    for row in up_to(rows, period):
        if rank(row.status) >= wanted:
            return row.day
    return None


def last_change(rows: Sequence[StageRow], period: str) -> StageRow | None:
    """The latest row up to `period` whose status differs from the row before it."""
    changed = None
    before = None
    for row in up_to(rows, period):
        if before is None or row.status != before.status:
            changed = row
        before = row
    return changed


def first_dates(rows: Sequence[StageRow], period: str) -> list[tuple[str, date | None]]:
    """Each stage of the flow (and each halt the project had) with the day it was first reported,
    by `period`; None for a stage never reported (perhaps skipped)."""
    seen: dict[str, date] = {}
    for row in up_to(rows, period):
        seen.setdefault(row.status, row.day)
    out: list[tuple[str, date | None]] = [(s, seen.get(s)) for s in PROJECT_STAGES]
    out += [(s, seen[s]) for s in PROJECT_HALTS if s in seen]
    return out


def month_of(day: date) -> str:
    return periods.make(day.year, day.month)


def months_between(start: str, end: str) -> int:
    """Whole months from `start` to `end` (negative when `end` is earlier)."""
    (y1, m1), (y2, m2) = periods.parse(start), periods.parse(end)
    return (y2 - y1) * 12 + (m2 - m1)


def add_months(period: str, months: int) -> str:
    year, month = periods.parse(period)
    index = year * 12 + (month - 1) + months
    return periods.make(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class Milestone:
    """A planned month (计划开工/竣工/投产) beside the day it happened, and the gap in months
    (positive: late). Not yet reached: the gap is how late it is by the period, if the planned
    month has passed."""

    stage: str
    planned: str | None
    actual: date | None
    gap_months: int | None

    @property
    def text(self) -> str:
        if self.actual is not None:
            if self.planned is None or self.gap_months is None:
                return f"{self.actual.isoformat()}{self.stage}"
            if self.gap_months == 0:
                return f"{self.actual.isoformat()}{self.stage}，按计划"
            return (
                f"{self.actual.isoformat()}{self.stage}，比计划{'晚' if self.gap_months > 0 else '早'}"
                f"{abs(self.gap_months)}个月"
            )
        if self.planned is None:
            return "未计划"
        if self.gap_months:
            return f"计划{self.planned}，未{self.stage}，已逾期{self.gap_months}个月"
        return f"计划{self.planned}，未到期"


def milestones(rows: Sequence[StageRow], planned: dict[str, str | None], period: str) -> list[Milestone]:
    """开工, 竣工 and 投产 against their planned months (`planned`: stage → YYYY-MM or None)."""
    out = []
    for stage in (STARTED, FINISHED, PRODUCING):
        plan = planned.get(stage)
        actual = reached(rows, stage, period)
        gap: int | None = None
        if plan is not None and periods.is_period(plan):
            if actual is not None:
                gap = months_between(plan, month_of(actual))
            elif period > plan:
                gap = months_between(plan, period)
        out.append(Milestone(stage, plan, actual, gap))
    return out
