"""比学赶超: scores worked out by hand from the stated rules (domain/ranking.py), ties sharing a
rank, criteria that do not apply left out and the score scaled to 100; the weights as reference
data; the service measuring problems, returns and projects for units and departments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal as D

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import ranking as rk
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import entry, rankings
from hengdong_desktop.services import reference_admin as ra

REF, _TARGETS = r.load_file(r.default_file())
WEIGHTS = REF.weights("unit")  # 15, 20, 15, 15, 15, 10, 10


def _values(on_time, projects, investment, growth, scale, problems, returns):  # type: ignore[no-untyped-def]
    raw = dict(
        zip(
            ("on_time", "projects", "investment", "growth", "scale", "problems", "returns"),
            (on_time, projects, investment, growth, scale, problems, returns),
            strict=True,
        )
    )
    return {k: None if v is None else D(v) for k, v in raw.items()}


def test_unit_scores_by_hand_with_a_tie() -> None:
    assert WEIGHTS == {
        "on_time": 15,
        "projects": 20,
        "investment": 15,
        "growth": 15,
        "scale": 15,
        "problems": 10,
        "returns": 10,
    }
    entries = [
        ("a", "甲镇", _values(100, 4, 50, 10, 6, 100, 0)),
        ("b", "乙镇", _values(50, 2, 100, -5, 3, None, 2)),
        ("c", "丙镇", _values(100, 4, 50, 10, 6, 100, 0)),  # the same as 甲镇: the same rank
        ("d", "丁乡", _values(None, 0, None, None, 0, None, 4)),
    ]
    result = rk.rank(entries, rk.UNIT_CRITERIA, WEIGHTS)
    # best values: projects 4, growth 10, scale 6; most returns 4.
    # 甲: 15 + 20×4/4 + 15×50% + 15×10/10 + 15×6/6 + 10 + 10×(1−0/4) = 92.5 of 100
    # 乙: 15×50% + 20×2/4 + 15 + 0 (growth below zero) + 15×3/6 + (problems n/a) + 10×(1−2/4)
    #     = 7.5 + 10 + 15 + 0 + 7.5 + 5 = 45 of 90 → 50.00
    # 丁: projects 0, scale 0, returns 10×(1−4/4) = 0 of 45 → 0
    assert [(s.key, s.rank, s.score) for s in result] == [
        ("a", 1, D("92.50")),
        ("c", 1, D("92.50")),
        ("b", 3, D("50.00")),
        ("d", 4, D("0.00")),
    ]
    b = next(s for s in result if s.key == "b")
    parts = {p.criterion.key: (p.value, p.points, p.against) for p in b.parts}
    assert parts["projects"] == (D(2), D("10.00"), D(4))
    assert parts["growth"] == (D(-5), D("0.00"), D(10))
    assert parts["problems"] == (None, None, None) and b.weight_applied == 90 and b.points == D(45)
    assert parts["returns"] == (D(2), D("5.00"), D(4))


def test_rounding_half_up_and_nobody_to_compare_with() -> None:
    weights = {"targets": 50, "closed_on_time": 30, "overdue": 20}
    entries = [
        ("x", "县发改局", {"targets": D("33.3"), "closed_on_time": D("12.5"), "overdue": D(0)}),
        ("y", "县商粮局", {"targets": None, "closed_on_time": None, "overdue": D(0)}),
    ]
    result = rk.rank(entries, rk.DEPARTMENT_CRITERIA, weights)
    # x: 50×33.3% = 16.65; 30×12.5% = 3.75; nobody overdue: the full 20 → 40.40
    # y: only the overdue count applies: 20 of 20 → 100
    assert [(s.key, s.rank, s.score) for s in result] == [("y", 1, D("100.00")), ("x", 2, D("40.40"))]
    weights["closed_on_time"] = 15  # 15 × 12.5% = 1.875 → 1.88 (half up)
    x = rk.rank(entries, rk.DEPARTMENT_CRITERIA, weights)[1]
    assert [p.points for p in x.parts] == [D("16.65"), D("1.88"), D("20.00")]
    assert x.score == D("45.33")  # (16.65 + 1.88 + 20) × 100 ÷ (50 + 15 + 20) = 45.329… → 45.33


def test_weights_are_reference_data(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ra.set_programme_parameter(db, info.actor("reference"), rk.weight_key("unit", "returns"), 30)
    assert entry.reference(db).weights("unit")["returns"] == 30
    tables = ra.tables(db)
    assert {p.key: p.value for p in tables.programme}["weight_unit_returns"] == 30


def _enterprise(db, info, unit_id: int, serial: int) -> str:  # type: ignore[no-untyped-def]
    from hengdong_desktop.domain import credit_code

    code = credit_code.complete(f"91430424MA4L{serial:05d}")
    values = {"unit_id": unit_id, "name": f"企业{serial}", "domain_id": 1, "industry_id": 1, "credit_code": code}
    return entry.save(db, info, "enterprise", values).id or ""


def _problem(db, info, enterprise_id: str, department: str, deadline: str, solved: str | None, n: int) -> None:  # type: ignore[no-untyped-def]
    entry.save(
        db,
        info,
        "problem",
        {
            "enterprise_id": enterprise_id,
            "category": "融资",
            "description": f"问题{n}",
            "raised_on": "2025-01-02",
            "department": department,
            "assigned_on": "2025-01-02",
            "deadline": deadline,
            "status": "已解决" if solved else "办理中",
            "solved_on": solved,
            "resolution": "已办结" if solved else None,
        },
        today=date(2025, 4, 15),
    )


def _report(db, info, unit_ids, period: str, *, accept: bool = True) -> None:  # type: ignore[no-untyped-def]
    """The units' `period` as a merged 上报包 leaves it (reporting.py): carried by a package,
    then 已接收 by the county's decision, or still 已上报 (awaiting review)."""
    with db.write(info.actor("form")) as s:
        for unit_id in unit_ids:
            package = str(uuid.uuid4())
            s.merge(m.ReportedMonth(unit_id=unit_id, period=period, package_id=package))
            if accept:
                s.add(m.Review(unit_id=unit_id, period=period, decision="accepted", package_id=package))


def test_the_service_measures_problems_returns_and_projects(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ref = entry.reference(db)
    first, second = ref.units[0].id, ref.units[1].id
    today = date(2025, 4, 15)  # P = 2025-03: problems are counted on 31 March
    one, two = _enterprise(db, info, first, 1), _enterprise(db, info, second, 2)
    problems = [  # enterprise, department, deadline, solved_on
        (one, "县发改局", "2025-02-28", "2025-02-20"),  # closed on time
        (one, "县发改局", "2025-03-10", None),  # 21 days late on 31 March
        (one, "县发改局", "2025-04-30", None),  # not due
        (two, "县商粮局", "2025-03-15", "2025-03-20"),  # closed late
    ]
    for n, (ent, department, deadline, solved) in enumerate(problems):
        _problem(db, info, ent, department, deadline, solved, n)
    _report(db, info, [u.id for u in ref.units], "2025-03")  # every unit's March accepted
    with db.write(info.actor("form")) as s:  # the county's 退回 decisions on 吴集镇's periods
        for at in (datetime(2024, 12, 20), datetime(2025, 2, 10), datetime(2025, 3, 10), datetime(2025, 4, 10)):
            s.add(m.Review(unit_id=second, period="2025-01", decision="returned", decided_at=at))
    units, departments = rankings.rankings(db, "2025-03", today=today)
    raw = {s.key: {p.criterion.key: p.value for p in s.parts} for s in units.standings}
    assert raw[first]["problems"] == D("50.0") and raw[second]["problems"] == D("0.0")  # 1 of 2; 0 of 1
    assert raw[first]["returns"] == 0 and raw[second]["returns"] == 2  # 2025 up to 31 March
    assert all(raw[u.id]["problems"] is None for u in ref.units[2:])  # nothing due
    assert units.as_of == date(2025, 3, 31) and len(units.standings) == 18
    dept = {s.key: {p.criterion.key: p.value for p in s.parts} for s in departments.standings}
    assert dept["县发改局"]["closed_on_time"] == D("50.0") and dept["县发改局"]["overdue"] == 1
    assert dept["县商粮局"]["closed_on_time"] == D("0.0") and dept["县商粮局"]["overdue"] == 0
    # every ranked department leads a domain or had a problem; the scores follow the stated rule
    for standing in departments.standings:
        applied = sum(p.weight for p in standing.parts if p.applies)
        assert standing.score == (standing.points * 100 / applied).quantize(D("0.01"))


def test_a_township_receiving_problems_is_ranked_on_closing_them(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ref = entry.reference(db)
    first, second, third = (u.id for u in ref.units[:3])
    one, two = _enterprise(db, info, first, 1), _enterprise(db, info, second, 2)
    _problem(db, info, one, ref.units[2].name, "2025-03-10", "2025-03-05", 1)  # to a township: closed on time
    _problem(db, info, one, "县发改局", "2025-03-10", None, 2)  # overdue at the department
    _problem(db, info, two, ref.units[1].name, "2025-03-20", "2025-03-25", 3)  # its own, to itself: late
    _report(db, info, [u.id for u in ref.units], "2025-03")
    units, departments = rankings.rankings(db, "2025-03", today=date(2025, 4, 15))
    problems = {s.key: s.parts[5].value for s in units.standings}
    assert units.standings[0].parts[5].criterion.key == "problems"
    # 吴集镇-like first unit holds problems 1 and 2: 1 of 2 closed on time; the third unit was
    # assigned problem 1 (held by the first): 1 of 1; the second holds and was assigned problem 3,
    # counted once: 0 of 1; nobody else has a problem due.
    assert problems[first] == D("50.0") and problems[third] == D("100.0") and problems[second] == D("0.0")
    assert all(problems[u.id] is None for u in ref.units[3:])
    # the department is ranked on its own problem; townships are not departments
    dept = {s.key: {p.criterion.key: p.value for p in s.parts} for s in departments.standings}
    assert dept["县发改局"]["closed_on_time"] == D("0.0") and dept["县发改局"]["overdue"] == 1
    assert not {u.name for u in ref.units} & set(dept)


def test_data_awaiting_review_does_not_move_the_rank_until_accepted(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ref = entry.reference(db)
    first, second = ref.units[0].id, ref.units[1].id
    today = date(2025, 4, 15)
    _problem(db, info, _enterprise(db, info, first, 1), "县发改局", "2025-03-10", "2025-03-20", 1)  # late
    _problem(db, info, _enterprise(db, info, second, 2), "县商粮局", "2025-03-10", "2025-03-05", 2)  # on time
    _report(db, info, [first], "2025-03")
    _report(db, info, [second], "2025-03", accept=False)  # merged, not yet reviewed
    # By hand, as of 31 March 2025 (every unit enabled since 2020-01): 按时上报 0% for all (eleven
    # periods due, no package taken in by its due date) → 0 of 15; no 亿元级项目 or 亿级企业 anywhere
    # → 0 of 20 and 0 of 15; no investment plan or growth: not applying; nobody returned → 10 of 10.
    # Without a problem due: 10 of 60 → 16.67. The first unit, its problem closed late: 10 of 70
    # → 14.29. The second unit, its problem closed on time: 20 of 70 → 28.57 — once it counts.
    accepted, _ = rankings.rankings(db, "2025-03", today=today)
    assert accepted.of(second).score == D("16.67") and accepted.of(second).rank == 1
    assert accepted.of(first).score == D("14.29") and accepted.of(first).rank == 18
    assert accepted.of(second).parts[5].value is None  # its problem awaits review
    assert ref.units[1].name in accepted.left_out and "数据未接收" in accepted.basis
    pending, _ = rankings.rankings(db, "2025-03", today=today, include_pending=True)
    assert pending.of(second).score == D("28.57") and pending.of(second).rank == 1
    assert pending.of(ref.units[2].id).rank == 2 and "含待审核" in pending.basis
    with db.write(info.actor("form")) as s:  # the county accepts the package
        package = s.get(m.ReportedMonth, (second, "2025-03")).package_id
        s.add(m.Review(unit_id=second, period="2025-03", decision="accepted", package_id=package))
    after, _ = rankings.rankings(db, "2025-03", today=today)
    assert after.of(second).score == D("28.57") and after.of(second).rank == 1
    assert after.of(ref.units[2].id).score == D("16.67") and after.of(ref.units[2].id).rank == 2
