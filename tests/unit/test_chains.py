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
    leader = chains.leader_view(db, "2025-03", 1, today=today)
    assert [c.chain.name for c in leader.chains] == [view.chain.name]
    assert [x.line.name for x in leader.projects] == ["链上项目"] and [x.name for x in leader.enterprises] == ["企业2"]


def _leaders_county(db, info) -> date:  # type: ignore[no-untyped-def]
    """The county of the leader tests (below), its data entered by the county: not accepted."""
    unit = entry.reference(db).units[0].id
    with db.write(info.actor("reference")) as s:
        s.add(m.Leader(id=1, name="张县长", title="副县长", sort_order=1, active=True))
        s.add(m.Leader(id=2, name="李县长", title="副县长", sort_order=2, active=True))
        s.add(m.Leader(id=3, name="赵县长", title="副县长", sort_order=3, active=True))  # leads nothing
        s.flush()
        s.get(m.Chain, 1).leader_id = 1
        s.get(m.Chain, 2).leader_id = 2
    today = date(2025, 4, 10)
    names: dict[str, str] = {}

    def enterprise(n: int, chain_id: int | None, leader: str | None, ytd: str, same: str | None = None) -> None:
        saved = entry.save(
            db,
            info,
            "enterprise",
            {
                "unit_id": unit,
                "name": f"企业{n}",
                "credit_code": credit_code.complete(f"91430424MA4L3000{n}"),
                "domain_id": 1,
                "industry_id": 1,
                "chain_id": chain_id,
                "contact_leader": leader,
            },
            **({"memberships": [{"id": None, "list_name": "链主企业", "date_in": "2025-01-01"}]} if n == 1 else {}),
        )
        names[f"企业{n}"] = saved.id or ""
        with db.write(info.actor("form")) as s:
            for period, value in (("2025-03", ytd), ("2024-03", same)):
                if value:
                    s.add(
                        m.EnterpriseMonthly(
                            id=m.new_uuid(),
                            unit_id=unit,
                            enterprise_id=saved.id,
                            period=period,
                            output_ytd=D(value),
                        )
                    )

    enterprise(1, 1, None, "1200", "1000")
    enterprise(2, 1, "王县长", "500")
    enterprise(3, 2, "张县长", "800")
    enterprise(4, None, "张县长", "300")

    def project(n: int, chain_id: int | None, leader: str, total: str, status: str, **kw: object) -> None:
        plan = kw.pop("plan", None)
        month = kw.pop("month", None)
        saved = entry.save(
            db,
            info,
            "project",
            {
                "unit_id": unit,
                "name": f"项目{n}",
                "domain_id": 1,
                "chain_id": chain_id,
                "total_investment": total,
                "status": status,
                "contact_leader": leader,
                **kw,
            },
            plans=[{"id": None, "year": 2025, "plan_investment": plan}] if plan else None,
            today=date(2025, 2, 1),
        )
        names[f"项目{n}"] = saved.id or ""
        if month:
            with db.write(info.actor("form")) as s:
                s.add(m.ProjectMonthly(id=m.new_uuid(), unit_id=unit, project_id=saved.id, period="2025-03", **month))

    project(
        1,
        1,
        "张县长",
        "20000",
        "在建",
        signed_on="2025-01-20",
        contract_investment="18000",
        plan="6000",
        month={"invest_month": D("500"), "invest_ytd": D("1500"), "funds_cumulative": D("5000")},
    )
    project(2, 1, "李县长", "5000", "签约", signed_on="2024-06-01", contract_investment="5000")
    project(3, None, "张县长", "12000", "在建", plan="4000", month={"invest_month": D("200"), "invest_ytd": D("500")})
    for target, deadline, status, solved in (
        ("企业1", "2025-03-01", "办理中", None),
        ("企业3", "2025-03-01", "办理中", None),
        ("企业4", "2025-03-21", "办理中", None),
        ("项目3", "2025-04-30", "办理中", None),
        ("项目2", "2025-03-01", "已解决", "2025-02-20"),
    ):
        entry.save(
            db,
            info,
            "problem",
            {
                f"{'enterprise' if target.startswith('企业') else 'project'}_id": names[target],
                "category": "融资",
                "description": f"{target}的问题",
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
    return today


def test_a_county_leaders_view_as_of_a_period_worked_out_by_hand(county) -> None:  # type: ignore[no-untyped-def]
    """张县长 leads 机械制造 (chain 1); 李县长 leads 有色金属 (chain 2). 张县长's view counts the
    county-entered (not accepted) data only with 含待审核; its figures, by hand:
    - chain 1: 企业1 (链主, 1200, last year 1000) and 企业2 (500): 2 enterprises, 1700万元; projects
      项目1 and 项目2; 招商: both signed by 31 March (项目1 in 2025, 项目2 in 2024), 合同投资
      18000 + 5000 = 23000, started 1 (项目1 在建), 到位资金 5000;
    - 联系 projects 项目1 (plan 6000, ytd 1500) and 项目3 (plan 4000, ytd 500: 500×12×100 = 600000 <
      4000×3×60 = 720000, 推而不快): plan 10000, done 2000, 20.0%; 联系 enterprises 企业3, 企业4;
    - 督办: 企业1's problem (30 days overdue on 31 March > 15: 逾期督办), 企业4's (no chain, 联系
      张县长, 10 days: 逾期), 项目3's (open), 项目2's (solved on time this year) — not 企业3's, whose
      chain has 李县长 as 链长: 3 open, 2 late, 1 escalated."""
    db, info = county
    today = _leaders_county(db, info)
    assert [x.name for x in chains.leaders(db)] == ["张县长", "李县长"]  # 赵县长 leads and contacts nothing

    accepted_only = chains.leader_view(db, "2025-03", 1, today=today)
    assert "不含待审核" in accepted_only.basis
    assert (accepted_only.chain_enterprises, accepted_only.projects, accepted_only.problems) == (0, [], [])

    view = chains.leader_view(db, "2025-03", 1, today=today, include_pending=True)
    assert "含待审核" in view.basis and "口径：2025-03期" in view.basis
    (chain,) = view.chains
    assert chain.chain.id == 1 and [x.name for x in chain.enterprises] == ["企业1", "企业2"]
    assert (view.chain_enterprises, view.chain_output, view.chain_projects) == (2, D("1700"), 2)
    assert view.promotion == chains.Promotion(
        signed=2, signed_this_year=1, contract=D("23000"), started=1, funds=D("5000")
    )
    assert [(x.line.name, x.warnings) for x in view.projects] == [("项目1", ()), ("项目3", ("推而不快",))]
    assert (view.year_plan, view.invest_ytd, view.completion_percent) == (D("10000"), D("2000"), D("20.0"))
    assert view.warned_projects == 1
    assert [x.name for x in view.enterprises] == ["企业3", "企业4"]
    assert [(x.subject, x.standing.state) for x in view.problems] == [
        ("企业1", assignment.ESCALATED),
        ("企业4", assignment.OVERDUE),
        ("项目3", assignment.OPEN),
        ("项目2", assignment.CLOSED_ON_TIME),
    ]
    assert (view.open_problems, view.late_problems, view.escalated_problems) == (3, 2, 1)
    other = chains.leader_view(db, "2025-03", 2, today=today, include_pending=True)
    assert [x.subject for x in other.problems] == ["企业3"]  # on 李县长's chain


def test_the_summary_workbook_has_a_chain_sheet_read_back(county, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """产业链 in the 汇总表 (含待审核), read back with openpyxl; chain 1 (机械制造) by hand: 2 enterprises,
    1 链主, 1700万元; 项目1 and 项目2, plan 6000, done 1500, 25.0%; 2 signed, 合同投资 23000, 到位
    5000; problems 企业1's (逾期督办) open and 项目2's closed: 1 open, 1 late. Chain 2: 企业3 (800)
    and its problem, 30 days overdue (逾期督办)."""
    from openpyxl import load_workbook

    from hengdong_desktop.services.excel import export

    db, info = county
    today = _leaders_county(db, info)
    out = export.export_county(db, tmp_path / "汇总表.xlsx", "2025-03", today=today, include_pending=True).path
    wb = load_workbook(out)
    assert "产业链" in wb.sheetnames and wb.sheetnames.index("产业链") == wb.sheetnames.index("上报情况") - 1
    rows = [list(r) for r in wb["产业链"].iter_rows(values_only=True)]
    header = next(n for n, r in enumerate(rows) if r[0] == "产业链")
    assert any("口径：2025-03期" in str(r[0]) and "含待审核" in str(r[0]) for r in rows[:header])
    assert rows[header][:4] == ["产业链", "链长", "牵头部门", "企业(户)"]
    by_chain = {r[0]: r for r in rows[header + 1 :] if r[0]}
    assert by_chain["机械制造"][1:] == [
        "张县长（副县长）",
        None,
        2,
        1,
        1700,
        2,
        6000,
        1500,
        25,
        2,
        23000,
        5000,
        1,
        1,
    ]
    assert by_chain["有色金属"][3:] == [1, 0, 800, 0, 0, 0, None, 0, 0, 0, 1, 1]
    assert by_chain["合计"][3] == 3 and by_chain["合计"][5] == 1700 + 800  # 企业4 is on no chain
