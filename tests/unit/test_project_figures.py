"""项目推进 and 招商引资 figures against a hand-built county (expectations worked out by hand in
the comments): by stage, domain, industry, chain and unit as of the period, investment against the
year's plan, signed / started / 履约率 / funds in place by 引资来源, the warnings with how long each
has stood, accepted data only, period stability, drill-downs, and `report --json` with 口径."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest

from hengdong_desktop.db import models as m
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.programme_report import programme_report
from tests.unit.test_figures import accept

PERIOD = "2026-06"
TODAY = date(2026, 7, 20)


class Projects:
    def __init__(self, session: Any) -> None:
        self.s = session
        self.n = 0

    def add(
        self,
        unit_id: int,
        total: str,
        stages: list[tuple[str, str, date | None]],
        *,
        domain: int = 1,
        industry: int | None = None,
        chain: int | None = None,
        plans: dict[int, str] | None = None,
        months: dict[str, dict[str, str]] | None = None,
        deleted: bool = False,
        **fields: Any,
    ) -> m.Project:
        self.n += 1
        p = m.Project(
            name=f"P{self.n}",
            unit_id=unit_id,
            domain_id=domain,
            industry_id=industry,
            chain_id=chain,
            total_investment=D(total),
            status=stages[-1][1],
            **fields,
        )
        if deleted:
            p.deleted_at, p.deleted_reason = utcnow(), "录入错误"
        self.s.add(p)
        self.s.flush()
        for period, status, reached in stages:
            self.s.add(
                m.ProjectStage(project_id=p.id, unit_id=unit_id, period=period, status=status, reached_on=reached)
            )
        for year, plan in (plans or {}).items():
            self.s.add(m.ProjectAnnual(project_id=p.id, unit_id=unit_id, year=year, plan_investment=D(plan)))
        for period, values in (months or {}).items():
            self.s.add(
                m.ProjectMonthly(
                    project_id=p.id, unit_id=unit_id, period=period, **{k: D(v) for k, v in values.items()}
                )
            )
        return p


@pytest.fixture
def county_projects(county):  # type: ignore[no-untyped-def]
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Projects(s)
        # P1 (unit 1): signed 2025-10, started 2026-03, 在建 since May; plan 12000; ytd 3000 carried into June
        b.add(
            1,
            "20000",
            [
                ("2025-10", "签约", date(2025, 10, 15)),
                ("2026-03", "开工", date(2026, 3, 10)),
                ("2026-05", "在建", date(2026, 5, 2)),
            ],
            industry=1,
            chain=1,
            plans={2026: "12000"},
            months={
                "2026-03": {
                    "invest_month": "1000",
                    "invest_ytd": "1000",
                    "funds_month": "2000",
                    "funds_cumulative": "2000",
                },
                "2026-05": {
                    "invest_month": "2000",
                    "invest_ytd": "3000",
                    "funds_month": "1000",
                    "funds_cumulative": "3000",
                },
            },
            signed_on=date(2025, 10, 15),
            contract_investment=D(18000),
            investment_source="在外衡商",
            source="招商引进",
            build_first=True,
        )
        # P2: 储备 since January, planned to start in February; below 1亿
        b.add(1, "8000", [("2026-01", "储备", None)], industry=2, chain=2, planned_start="2026-02")
        # P3: 在建 since 2025-06, last investment 2025-12, plan 10000 for 2026 and nothing done
        b.add(
            1,
            "50000",
            [("2025-06", "在建", date(2025, 6, 1))],
            plans={2026: "10000"},
            months={"2025-12": {"invest_month": "500", "invest_ytd": "6000"}},
            signed_on=date(2025, 1, 20),
            contract_investment=D(40000),
            investment_source="“三类500强”",
        )
        # P4: signed 2025-11, ended (终止) in February without starting
        b.add(
            1,
            "30000",
            [("2025-11", "签约", date(2025, 11, 5)), ("2026-02", "终止", date(2026, 2, 3))],
            industry=1,
            signed_on=date(2025, 11, 5),
            contract_investment=D(30000),
            investment_source="在外衡商",
        )
        # P5: signed this April
        b.add(
            1,
            "12000",
            [("2026-04", "签约", date(2026, 4, 1))],
            industry=3,
            signed_on=date(2026, 4, 1),
            contract_investment=D(10000),
            investment_source="产业链上下游",
        )
        # P6: entered after the period; P7: removed
        b.add(1, "90000", [("2026-07", "储备", None)], signed_on=date(2026, 7, 1), contract_investment=D(5))
        b.add(1, "90000", [("2025-07", "在建", None)], deleted=True)
        # P8 (unit 2, whose June is returned): never counted
        b.add(2, "99999", [("2026-01", "在建", None)])
        # P9 (unit 3): 投产 since 2025-10, expected 24000 a year; 10000 by June (due 12000), tax 700 (due 600)
        b.add(
            3,
            "30000",
            [("2025-03", "在建", None), ("2025-10", "投产", date(2025, 10, 10))],
            domain=2,
            industry=5,
            chain=6,
            plans={2026: "5000"},
            expected_output=D(24000),
            expected_tax=D(1200),
            months={"2026-06": {"invest_ytd": "2000", "output_ytd": "10000", "tax_ytd": "700"}},
        )
        # P10 (unit 3): started in June
        b.add(3, "15000", [("2026-06", "开工", date(2026, 6, 8))])
    accept(db, 1, "2026-06")
    accept(db, 2, "2026-06", decision="returned")
    accept(db, 3, "2026-06")
    return db


def _by(groups: list[fs.ProjectGroup]) -> dict[object, tuple[int, int]]:
    return {g.key: (g.projects, g.hundred_million) for g in groups if g.projects}


def test_projects_by_stage_and_classification(county_projects) -> None:  # type: ignore[no-untyped-def]
    p = fs.programme_figures(county_projects, PERIOD, today=TODAY).projects
    assert p is not None
    # counted: P1 P2 P3 P4 P5 (unit 1), P9 P10 (unit 3); P6 later, P7 removed, P8 returned
    assert _by(p.by_stage) == {
        "储备": (1, 0),
        "签约": (1, 1),
        "开工": (1, 1),
        "在建": (2, 2),
        "投产": (1, 1),
        "终止": (1, 1),
    }
    assert [g.key for g in p.by_stage] == [
        "储备",
        "前期",
        "签约",
        "开工",
        "在建",
        "竣工",
        "投产",
        "达效",
        "停缓建",
        "终止",
    ]
    assert _by(p.by_domain) == {1: (6, 5), 2: (1, 1)}
    assert _by(p.by_industry) == {1: (2, 2), 2: (1, 0), 3: (1, 1), 5: (1, 1), None: (2, 2)}
    assert _by(p.by_chain) == {1: (1, 1), 2: (1, 0), 6: (1, 1), None: (4, 4)}
    assert _by(p.by_unit) == {1: (5, 4), 3: (2, 2)}
    total = p.total
    # 20000+8000+50000+30000+12000+30000+15000; plans 12000+10000+5000; ytd 3000 (P1) + 2000 (P9)
    assert (total.projects, total.hundred_million, total.total_investment, total.year_plan, total.invest_ytd) == (
        7,
        6,
        D(165000),
        D(27000),
        D(5000),
    )
    assert total.completion_percent == D("18.5")  # 5000 / 27000
    assert p.started_this_period == 1  # P10


def test_investment_promotion(county_projects) -> None:  # type: ignore[no-untyped-def]
    i = fs.programme_figures(county_projects, PERIOD, today=TODAY).investment
    assert i is not None
    # signed by 2026-06-30: P1 P3 P4 P5 (P6 signed in July and entered later)
    assert (i.signed, i.contract, i.signed_this_year, i.contract_this_year) == (4, D(98000), 1, D(10000))
    # started: P1 (5 months after signing), P3 (5 months); P4 due (7 months), not started; P5 not yet due
    assert (i.started, i.due, i.kept, i.fulfil_percent, i.fulfil_months) == (2, 3, 2, D("66.7"), 6)
    assert (i.funds, i.funds_this_year, i.funds_percent, i.build_first) == (D(3000), D(3000), D("3.1"), 1)
    assert [(g.source, g.signed, g.contract, g.started, g.funds) for g in i.by_source] == [
        ("在外衡商", 2, D(48000), 1, D(3000)),
        ("“三类500强”", 1, D(40000), 1, D(0)),
        ("产业链上下游", 1, D(10000), 0, D(0)),
        ("其他", 0, D(0), 0, D(0)),
    ]


def test_the_warnings_as_of_the_period(county_projects) -> None:  # type: ignore[no-untyped-def]
    p = fs.programme_figures(county_projects, PERIOD, today=TODAY).projects
    assert p is not None
    found = {(w.name, w.check): (w.since, w.months) for w in p.warnings}
    assert found == {
        ("P3", "stalled"): ("2026-03", 4),  # last investment 2025-12: 3 idle months by March
        ("P1", "slow_investment"): ("2026-06", 1),  # 3000 < 60% of 6000; in May 3000 was exactly 60% of 5000
        ("P3", "slow_investment"): ("2026-01", 6),  # nothing done against 10000 since January
        ("P2", "late_start"): ("2026-03", 4),  # planned for February
        # 10000 < 12000 (tax 700 ≥ 600); judged from April, six months after 投产 in October 2025
        ("P9", "low_output"): ("2026-04", 3),
    }
    assert p.warning_counts() == {pw.STALLED: 1, pw.SLOW: 3, pw.UNDERPERFORMING: 1}
    assert [w.rule for w in p.warnings] == [pw.STALLED, pw.SLOW, pw.SLOW, pw.SLOW, pw.UNDERPERFORMING]


def test_an_earlier_period_reads_the_same_after_later_data(county_projects) -> None:  # type: ignore[no-untyped-def]
    accept(county_projects, 1, "2026-03")
    accept(county_projects, 3, "2026-03")
    f = fs.programme_figures(county_projects, "2026-03", today=TODAY)
    assert f.projects is not None and f.investment is not None
    # as of March: P1 开工 (that month), P2 储备, P3 在建, P4 终止, P9 投产; P5 and P10 not yet entered
    assert _by(f.projects.by_stage) == {"储备": (1, 0), "开工": (1, 1), "在建": (1, 1), "投产": (1, 1), "终止": (1, 1)}
    assert f.projects.started_this_period == 1
    assert (f.investment.signed, f.investment.signed_this_year, f.investment.funds) == (3, 0, D(2000))


def test_drill_downs_list_what_was_counted(county_projects) -> None:  # type: ignore[no-untyped-def]
    f = fs.programme_figures(county_projects, PERIOD, today=TODAY)
    assert f.projects is not None and f.investment is not None
    for attribute, groups in (
        ("stage", f.projects.by_stage),
        ("domain_id", f.projects.by_domain),
        ("industry_id", f.projects.by_industry),
        ("chain_id", f.projects.by_chain),
    ):
        for g in groups:
            lines = fs.records_behind(
                county_projects, PERIOD, fs.DrillKey(fs.PROJECTS, group=attribute, value=g.key), today=TODAY
            )
            assert len(lines) == g.projects and sum(x.total_investment for x in lines) == g.total_investment
    for source in f.investment.by_source:
        lines = fs.records_behind(county_projects, PERIOD, fs.DrillKey(fs.SIGNED_PROJECTS, value=source.source))
        assert len(lines) == source.signed
    stalled = fs.records_behind(county_projects, PERIOD, fs.DrillKey(fs.PROJECT_WARNINGS, value=pw.SLOW))
    assert sorted(w.name for w in stalled) == ["P1", "P2", "P3"]


def test_report_json_carries_the_project_and_investment_figures_with_their_basis(county_projects) -> None:  # type: ignore[no-untyped-def]
    data = programme_report(county_projects, PERIOD, today=TODAY)
    projects, investment = data["projects"], data["investment"]
    assert projects["total"]["total_investment"] == D(165000) and projects["total"]["projects"] == 7
    basis = projects["total"]["basis"]["invest_ytd"]
    assert basis == {
        "period": PERIOD,
        "pending_included": False,
        "reference_version": 1,
        "measure": "本年累计完成投资（万元，本年截至本期最近一次填报）",
    }
    assert projects["basis"]["warning_parameters"]["stall_months"] == 3
    assert [w["rule"] for w in projects["warnings"]] == ["包而不推", "推而不快", "推而不快", "推而不快", "快而不优"]
    assert projects["warnings"][0]["numbers"]["idle_months"] == 6 and projects["warnings"][0]["unit"] == "洣水镇"
    assert (investment["fulfil_percent"], investment["basis"]["fulfil_percent"]["measure"]) == (
        D("66.7"),
        "履约率：签约后6个月内开工的项目数÷签约满6个月或已开工的项目数（%）",
    )
    pending = programme_report(county_projects, PERIOD, today=TODAY, include_pending=True)
    assert pending["projects"]["total"]["projects"] == 7  # returned data never counts
    assert pending["projects"]["total"]["basis"]["projects"]["pending_included"] is True
