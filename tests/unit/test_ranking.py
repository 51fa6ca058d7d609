"""比学赶超: scores worked out by hand from the stated rules (domain/ranking.py), ties sharing a
rank, criteria that do not apply left out and the score scaled to 100; the weights as reference
data; the service measuring problems, returns and projects for units and departments."""

from __future__ import annotations

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


def test_the_service_measures_problems_returns_and_projects(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ref = entry.reference(db)
    first, second = ref.units[0].id, ref.units[1].id
    today = date(2025, 4, 15)  # P = 2025-03: problems are counted on 31 March

    def enterprise(unit_id: int, code: str) -> str:
        return (
            entry.save(
                db,
                info,
                "enterprise",
                {"unit_id": unit_id, "name": f"企业{code}", "domain_id": 1, "industry_id": 1, "credit_code": code},
            ).id
            or ""
        )

    from hengdong_desktop.domain import credit_code

    one = enterprise(first, credit_code.complete("91430424MA4L00001"))
    two = enterprise(second, credit_code.complete("91430424MA4L00002"))
    problems = [  # enterprise, department, deadline, solved_on
        (one, "县发改局", "2025-02-28", "2025-02-20"),  # closed on time
        (one, "县发改局", "2025-03-10", None),  # 21 days late on 31 March
        (one, "县发改局", "2025-04-30", None),  # not due
        (two, "县商粮局", "2025-03-15", "2025-03-20"),  # closed late
    ]
    for n, (ent, department, deadline, solved) in enumerate(problems):
        entry.save(
            db,
            info,
            "problem",
            {
                "enterprise_id": ent,
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
            today=today,
        )
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
