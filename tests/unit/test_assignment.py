"""问题交办: a problem assigned to a department of the 交办 list, its default 办理时限 by category,
where it stands on a day (逾期, 督办 after the escalation days), 办结 on time or late, reopening;
the 问题清单 showing all of it. Dates and days are worked out by hand in the comments."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import assignment, credit_code
from hengdong_desktop.domain import reference as r
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry, listing

REF, _TARGETS = r.load_file(r.default_file())


def test_defaults_on_assignment_and_reopening() -> None:
    raised = {
        "category": "土地",
        "raised_on": date(2025, 1, 2),
        "department": "县发改局",
        "assigned_on": None,
        "deadline": None,
        "status": "待办",
        "solved_on": None,
    }
    out = assignment.with_defaults(raised, REF, date(2025, 1, 10))
    # assigned today; 土地 has 60 days: 10 Jan + 21 (to 31 Jan) + 28 (Feb) + 11 = 11 Mar
    assert out["assigned_on"] == date(2025, 1, 10) and out["deadline"] == date(2025, 3, 11)
    assert out["status"] == "办理中"
    given = assignment.with_defaults(
        {**raised, "category": "新类别", "assigned_on": date(2025, 1, 5), "deadline": date(2025, 1, 20)},
        REF,
        date(2025, 1, 10),
    )
    assert given["deadline"] == date(2025, 1, 20)  # a deadline given is kept
    late_entry = assignment.with_defaults({**raised, "deadline": date(2025, 1, 8)}, REF, date(2025, 1, 10))
    assert late_entry["assigned_on"] == date(2025, 1, 8)  # entered after its deadline: assigned by then
    default = assignment.with_defaults(
        {**raised, "category": "新类别", "assigned_on": date(2025, 1, 5)}, REF, date(2025, 1, 10)
    )
    assert default["deadline"] == date(2025, 2, 4)  # no days of its own: the default 30 (5 Jan + 30)
    unassigned = assignment.with_defaults({**raised, "department": None}, REF, date(2025, 1, 10))
    assert unassigned["assigned_on"] is None and unassigned["deadline"] is None and unassigned["status"] == "待办"
    reopened = assignment.with_defaults(
        {**out, "status": "办理中", "solved_on": date(2025, 2, 1)}, REF, date(2025, 2, 5)
    )
    assert reopened["solved_on"] is None
    solved = assignment.with_defaults({**out, "status": "已解决", "solved_on": date(2025, 2, 1)}, REF, date(2025, 2, 5))
    assert solved["solved_on"] == date(2025, 2, 1)


def _problem(**kw: object) -> SimpleNamespace:
    values = {
        "department": "县发改局",
        "assigned_on": date(2025, 1, 30),
        "deadline": date(2025, 3, 1),
        "status": "办理中",
        "solved_on": None,
    }
    return SimpleNamespace(**(values | kw))


@pytest.mark.parametrize(
    ("problem", "day", "state", "days", "due", "on_time"),
    [
        (_problem(), date(2025, 3, 1), assignment.OPEN, None, True, False),  # the deadline day itself: not late
        (_problem(), date(2025, 2, 1), assignment.OPEN, None, False, False),
        (_problem(), date(2025, 3, 10), assignment.OVERDUE, 9, True, False),
        (_problem(), date(2025, 3, 16), assignment.OVERDUE, 15, True, False),  # 15 days: not yet 督办
        (_problem(), date(2025, 3, 17), assignment.ESCALATED, 16, True, False),
        (
            _problem(status="已解决", solved_on=date(2025, 3, 1)),
            date(2025, 3, 20),
            assignment.CLOSED_ON_TIME,
            None,
            True,
            True,
        ),
        (
            _problem(status="已解决", solved_on=date(2025, 3, 5)),
            date(2025, 3, 20),
            assignment.CLOSED_LATE,
            None,
            True,
            False,
        ),
        (_problem(status="已解决", solved_on=date(2025, 3, 5)), date(2025, 3, 3), assignment.OVERDUE, 2, True, False),
        (
            _problem(status="已解决", solved_on=date(2025, 2, 5)),
            date(2025, 2, 10),
            assignment.CLOSED_ON_TIME,
            None,
            True,
            True,
        ),  # solved before its deadline came: it counts
        (
            _problem(department=None, assigned_on=None, deadline=None, status="待办"),
            date(2025, 3, 10),
            assignment.UNASSIGNED,
            None,
            False,
            False,
        ),
        (_problem(assigned_on=date(2025, 2, 1)), date(2025, 1, 31), assignment.UNASSIGNED, None, False, False),
    ],
)
def test_standing_on_a_day(problem, day, state, days, due, on_time) -> None:  # type: ignore[no-untyped-def]
    standing = assignment.standing(problem, day, escalate_days=15)
    assert (standing.state, standing.overdue_days, standing.due, standing.on_time) == (state, days, due, on_time)
    assert standing.late == (state in (assignment.OVERDUE, assignment.ESCALATED))


def _enterprise(db, info) -> str:  # type: ignore[no-untyped-def]
    return (
        entry.save(
            db,
            info,
            "enterprise",
            {
                "name": "衡东县测试机械有限公司",
                "domain_id": 1,
                "industry_id": 1,
                "credit_code": credit_code.complete("91430424MA4L12345"),
                "chain_id": 1,
                "need_categories": ["融资"],
            },
        ).id
        or ""
    )


def test_saving_assigns_with_the_categorys_deadline_and_reopening_clears_the_date(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    ent = _enterprise(db, info)
    base = {
        "enterprise_id": ent,
        "category": "土地",
        "description": "用地指标未落实",
        "raised_on": "2025-01-02",
        "status": "待办",
    }
    with pytest.raises(entry.Refused, match="责任单位"):  # not a programme department nor a unit
        entry.save(db, info, "problem", {**base, "department": "县自然资源局"}, today=date(2025, 1, 10))
    saved = entry.save(db, info, "problem", {**base, "department": "县发改局"}, today=date(2025, 1, 10))
    assert (saved.values["assigned_on"], saved.values["deadline"], saved.values["status"]) == (
        date(2025, 1, 10),
        date(2025, 3, 11),
        "办理中",
    )
    township_assigned = entry.save(
        db,
        info,
        "problem",
        {**base, "description": "用工缺口", "category": "用工", "department": "吴集镇", "assigned_on": "2025-01-03"},
        today=date(2025, 1, 10),
    )
    assert township_assigned.values["deadline"] == date(2025, 1, 23)  # 用工: 20 days after 3 Jan
    with pytest.raises(entry.Refused, match="办理时限早于交办日期"):
        entry.save(
            db,
            info,
            "problem",
            {
                **base,
                "description": "审批慢",
                "department": "县发改局",
                "assigned_on": "2025-01-05",
                "deadline": "2025-01-04",
            },
            today=date(2025, 1, 10),
        )
    solved = entry.save(
        db,
        info,
        "problem",
        {**saved.values, "status": "已解决", "solved_on": "2025-02-01", "resolution": "已协调用地指标"},
        record_id=saved.id,
        today=date(2025, 2, 1),
    )
    assert solved.values["solved_on"] == date(2025, 2, 1)
    reopened = entry.save(
        db, info, "problem", {**solved.values, "status": "办理中"}, record_id=saved.id, today=date(2025, 2, 3)
    )
    assert reopened.values["solved_on"] is None and reopened.values["resolution"] == "已协调用地指标"
    with db.read() as s:
        assert s.get(m.Problem, saved.id).solved_on is None


def test_the_list_shows_overdue_problems_in_red_with_the_leader_to_escalate_to(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("form")) as s:  # the county's 链长 of chain 1, delivered as reference data
        s.add(m.Leader(id=1, name="张县长", title="副县长", sort_order=1, active=True))
        s.flush()
        s.get(m.Chain, 1).leader_id = 1
    ent = _enterprise(db, info)
    rows = {  # description: (category, assigned_on, deadline, status, solved_on)
        "未交办": ("融资", None, None, "待办", None),
        "办理中": ("融资", "2025-03-01", "2025-03-31", "办理中", None),
        "逾期": ("融资", "2025-01-20", "2025-02-19", "办理中", None),  # 10 days late on 1 Mar
        "督办": ("融资", "2025-01-01", "2025-01-31", "办理中", None),  # 29 days late: > 15
        "按期": ("融资", "2025-01-01", "2025-01-31", "已解决", "2025-01-31"),
        "逾期办结": ("融资", "2025-01-01", "2025-01-31", "已解决", "2025-02-03"),
    }
    for text, (category, assigned, deadline, status, solved) in rows.items():
        entry.save(
            db,
            info,
            "problem",
            {
                "enterprise_id": ent,
                "category": category,
                "description": text,
                "raised_on": "2025-01-01",
                "department": "县发改局" if assigned else None,
                "assigned_on": assigned,
                "deadline": deadline,
                "status": status,
                "solved_on": solved,
                "resolution": "已办结" if solved else None,
            },
            today=date(2025, 3, 1),
        )
    lst = listing.problems(entry.reference(db), info.unit_id, today=date(2025, 3, 1))
    shown = {
        lst.text(row, "description"): (
            lst.text(row, "handling"),
            lst.text(row, "overdue_days"),
            lst.text(row, "escalate_to"),
            lst.alerted(row),
        )
        for row in lst.page(db, lst.default_query(), 20)
    }
    assert shown == {
        "未交办": ("未交办", "", "", False),
        "办理中": ("办理中", "", "", False),
        "逾期": ("逾期", "10", "", True),
        "督办": ("逾期督办", "29", "张县长", True),
        "按期": ("按期办结", "", "", False),
        "逾期办结": ("逾期办结", "", "", False),
    }
    late = lst.default_query().with_filter("handling", "__late__")
    assert {lst.text(row, "description") for row in lst.page(db, late, 20)} == {"逾期", "督办"}
    assert lst.count(db, lst.default_query().with_filter("department", "县发改局")) == 5
    with db.read() as s:  # the list agrees with the domain's standing, problem by problem
        for problem in s.query(m.Problem):
            standing = assignment.standing(problem, date(2025, 3, 1), 15)
            assert shown[problem.description][0] == standing.state


def test_deadlines_and_chain_leaders_are_reference_data_delivered_to_townships(county, township) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import reference_admin as ra

    db, info = county
    actor = info.actor("reference")
    ra.set_deadline_days(db, actor, "融资", 10)
    with pytest.raises(UserError, match="1至365天"):
        ra.set_deadline_days(db, actor, "融资", 0)
    leader = ra.save_leader(db, actor, ra.LeaderRow(None, "张县长", "副县长"))
    ra.save_chain(
        db, actor, ra.ChainRow(1, "机械制造", leader_id=leader, department_id=1, task_force="县科工信局 王某")
    )
    with pytest.raises(UserError, match="链长，不能停用"):
        ra.save_leader(db, actor, ra.LeaderRow(leader, "张县长", "副县长", active=False))
    chain = next(c for c in ra.tables(db).chains if c.id == 1)
    assert (chain.leader_name, chain.department_name, chain.task_force) == ("张县长", "县科工信局", "县科工信局 王某")
    assert {d.key: d.value for d in ra.tables(db).deadlines}["融资"] == 10
    with db.read() as s:
        snapshot = ra.snapshot_in(s)
    tdb, tinfo = township
    with tdb.write(tinfo.actor("reference")) as s:
        update = ra.apply_snapshot_in(s, snapshot)
    assert (
        "产业链“机械制造”：链长 （空） → 张县长，牵头部门 （空） → 县科工信局，专班成员 （空） → 县科工信局 王某"
        in update.changes
        and "“融资”类问题的办理时限改为10天" in update.changes
    )
    ref = entry.reference(tdb)
    assert ref.deadline_for("融资") == 10 and ref.chain(1).leader_id == leader
    assert ref.leader(leader).name == "张县长"
