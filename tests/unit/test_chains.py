"""链长制: a chain's workbench (its leader, enterprises with their figures and lists, projects,
problems and 招商) and a leader's view, worked out by hand from the records entered here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import assignment, credit_code
from hengdong_desktop.services import chains, entry


def test_a_chains_workbench_and_its_leaders_view(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("reference")) as s:  # the county's reference data, as delivered
        s.add(m.Leader(id=1, name="张县长", title="副县长", sort_order=1, active=True))
        s.flush()
        chain = s.get(m.Chain, 1)
        chain.leader_id, chain.department_id, chain.task_force = 1, 1, "县科工信局 王某"
    today = date(2025, 4, 10)

    def enterprise(n: int, chain_id: int | None, **kw: object) -> str:
        return (
            entry.save(
                db,
                info,
                "enterprise",
                {
                    "name": f"企业{n}",
                    "credit_code": credit_code.complete(f"91430424MA4L2000{n}"),
                    "domain_id": 1,
                    "industry_id": 1,
                    "chain_id": chain_id,
                    **kw,
                },
                **({"memberships": [{"id": None, "list_name": "链主企业", "date_in": "2025-01-01"}]} if n == 1 else {}),
            ).id
            or ""
        )

    first, second, other = enterprise(1, 1), enterprise(2, 1, contact_leader="张县长"), enterprise(3, None)
    with db.write(info.actor("form")) as s:  # 1-3月 figures: 企业1 1200 (last year 1000), 企业2 500
        for eid, ytd, same in ((first, "1200", "1000"), (second, "500", None), (other, "9000", "100")):
            s.add(
                m.EnterpriseMonthly(
                    id=m.new_uuid(), unit_id=info.unit_id, enterprise_id=eid, period="2025-03", output_ytd=D(ytd)
                )
            )
            if same:
                s.add(
                    m.EnterpriseMonthly(
                        id=m.new_uuid(), unit_id=info.unit_id, enterprise_id=eid, period="2024-03", output_ytd=D(same)
                    )
                )
    project = entry.save(
        db,
        info,
        "project",
        {
            "name": "链上项目",
            "domain_id": 1,
            "chain_id": 1,
            "total_investment": "20000",
            "status": "在建",
            "signed_on": "2025-01-20",
            "contact_leader": "张县长",
        },
        plans=[{"id": None, "year": 2025, "plan_investment": "6000"}],
        today=date(2025, 2, 1),
    )
    for n, (target, deadline, status, solved) in enumerate(
        (
            ({"enterprise_id": first}, "2025-03-01", "办理中", None),  # 30 days late on 31 March: 督办
            ({"project_id": project.id}, "2025-04-30", "办理中", None),  # open
            ({"enterprise_id": other}, "2025-03-01", "办理中", None),  # not on the chain
            ({"enterprise_id": second}, "2025-03-01", "已解决", "2025-02-20"),
        )
    ):  # closed on time this year
        entry.save(
            db,
            info,
            "problem",
            {
                **target,
                "category": "融资",
                "description": f"问题{n}",
                "raised_on": "2025-01-05",
                "department": "县发改局",
                "assigned_on": "2025-01-05",
                "deadline": deadline,
                "status": status,
                "solved_on": solved,
                "resolution": "已办结" if solved else None,
            },
            today=today,
        )
    view = chains.chain_view(db, "2025-03", 1, today=today)
    assert (view.leader, view.department, view.chain.task_force) == (
        "张县长（副县长）",
        "县科工信局",
        "县科工信局 王某",
    )
    assert [x.name for x in view.enterprises] == ["企业1", "企业2"]  # 链主企业 first
    assert [x.name for x in view.chain_leaders] == ["企业1"]
    assert view.output_to_date == D("1700.00") and view.enterprises[0].growth_percent == D("20.0")
    assert view.enterprises[1].growth_percent is None  # nothing to compare with
    assert [x.name for x in view.projects] == ["链上项目"] and [x.name for x in view.signed] == ["链上项目"]
    assert view.year_plan == D("6000")
    assert [(x.description, x.standing.state) for x in view.problems] == [
        ("问题0", assignment.ESCALATED),
        ("问题1", assignment.OPEN),
        ("问题3", assignment.CLOSED_ON_TIME),
    ]
    assert (view.open_problems, view.late_problems) == (2, 1)
    leader = chains.leader_view(db, 1)
    assert [c.name for c in leader.chains] == [view.chain.name]
    assert [x[2] for x in leader.projects] == ["链上项目"] and [x[2] for x in leader.enterprises] == ["企业2"]
