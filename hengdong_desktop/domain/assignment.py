"""问题交办 as pure rules: the defaults a problem takes when it is assigned, and where it stands
against its deadline on a given day.

A problem is assigned (交办) to a department or unit of the 交办 list on its 交办日期, with a
办理时限: when none is given, the 交办日期 plus its category's days (reference data). Its reply
is its 办理状态, 办理结果 (办结回复) and 解决日期 (办结日期); a problem that is not 已解决 has no
解决日期 (reopening it clears the date). On a day D, an assigned problem not solved by D is
逾期 once D is past its 办理时限, and 督办 (escalated to its chain's 链长 or its 联系县领导) once
it is more than the escalation days past it. A problem solved by D was closed on time when its
解决日期 is on or before its 办理时限; 按期办结率 on D is those ÷ the problems with a 办理时限 that
has come by D or that are solved by D."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from hengdong_desktop.domain.reference import Reference

SOLVED = "已解决"
IN_HAND = "办理中"
# Where a problem stands on a day
UNASSIGNED, OPEN, OVERDUE, ESCALATED, CLOSED_ON_TIME, CLOSED_LATE, CLOSED = (
    "未交办",
    "办理中",
    "逾期",
    "逾期督办",
    "按期办结",
    "逾期办结",
    "已办结",
)
STATES = (UNASSIGNED, OPEN, OVERDUE, ESCALATED, CLOSED_ON_TIME, CLOSED_LATE, CLOSED)
CLOSED_STATES = (CLOSED_ON_TIME, CLOSED_LATE, CLOSED)


def with_defaults(values: dict[str, Any], ref: Reference, today: date) -> dict[str, Any]:
    """A problem's values with the 交办 defaults filled in: a department given without a 交办日期
    is assigned today (but not after a 办理时限 already given, nor before it was raised) and, if
    待办, is now 办理中; an assigned problem without a 办理时限 gets its category's; a problem not
    已解决 has no 解决日期."""
    out = dict(values)
    if out.get("department") and out.get("assigned_on") is None:
        day = min(today, out.get("deadline") or today)
        out["assigned_on"] = max(day, out.get("raised_on") or day)
        if out.get("status") == "待办":
            out["status"] = IN_HAND
    assigned = out.get("assigned_on")
    if assigned is not None and out.get("deadline") is None:
        out["deadline"] = assigned + timedelta(days=ref.deadline_for(out.get("category")))
    if out.get("status") not in (None, SOLVED) and out.get("solved_on") is not None:
        out["solved_on"] = None
    return out


@dataclass(frozen=True)
class Standing:
    """Where one problem stands on a day."""

    state: str  # UNASSIGNED … CLOSED
    overdue_days: int | None  # open and past the deadline: by how many days
    due: bool  # it has a deadline that has come, or it is solved: it counts in 按期办结率
    on_time: bool  # solved by its deadline

    @property
    def late(self) -> bool:
        return self.state in (OVERDUE, ESCALATED)


def standing(problem: Any, day: date, escalate_days: int) -> Standing:
    """`problem` (with department, assigned_on, deadline, status, solved_on) as it stood on `day`:
    a solution dated after `day` is not yet known then."""
    solved_on = problem.solved_on if problem.status == SOLVED else None
    solved = problem.status == SOLVED and (solved_on is None or solved_on <= day)
    deadline = problem.deadline
    due = deadline is not None and (deadline <= day or solved)
    on_time = solved and due and solved_on is not None and solved_on <= deadline
    if solved:
        state = (
            CLOSED
            if deadline is None or solved_on is None
            else CLOSED_ON_TIME
            if solved_on <= deadline
            else CLOSED_LATE
        )
        return Standing(state, None, due, on_time)
    if not problem.department or problem.assigned_on is None or problem.assigned_on > day:
        return Standing(UNASSIGNED, None, due, False)
    if deadline is None or day <= deadline:
        return Standing(OPEN, None, due, False)
    days = (day - deadline).days
    return Standing(ESCALATED if days > escalate_days else OVERDUE, days, due, False)
