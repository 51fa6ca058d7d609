"""Programme figures against hand-computed fixtures, one for each thing the figures must get
right: period stability, yearly figures, measures per domain, official totals, per-metric
targets, problems as of the period, returned and unreviewed data, 启用期, duplicates once."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal as D
from typing import Any

import pytest
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import credit_code
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services import official_totals, reference_admin, reporting
from hengdong_desktop.services.figures import programme_figures
from hengdong_desktop.services.programme_report import figures_data

METALS, MACHINERY, FOOD, CATERING = 2, 1, 5, 7  # industry ids
INDUSTRY_DOMAIN, CONSTRUCTION, SERVICES = 1, 3, 4  # domain ids
COUNTY = 100


def accept(db, unit_id: int, *months: str, decision: str = "accepted") -> str:  # type: ignore[no-untyped-def]
    """What merging a unit's package carrying `months` and reviewing it writes (services/merge.py,
    services/review.py): the months marked with the package, and the county's decision."""
    package_id = m.new_uuid()
    with db.write(Actor(COUNTY, "县办", "package")) as s:
        reporting.mark_reported(s, unit_id, package_id, months)
        if decision:
            s.add(
                m.Review(
                    unit_id=unit_id,
                    period=max(months),
                    decision=decision,
                    package_id=package_id,
                    comments=[],
                    reason=None if decision == "accepted" else "数据有误",
                )
            )
    return package_id


class Build:
    """Records written straight into a county database, as a merge would leave them."""

    def __init__(self, session: Any) -> None:
        self.s = session
        self.n = 10

    def ent(
        self,
        unit_id: int,
        industry: int | None,
        domain: int,
        *,
        deleted: bool = False,
        code: str | None = None,
        created: datetime | None = None,
    ) -> m.Enterprise:
        self.n += 1
        e = m.Enterprise(
            credit_code=code or credit_code.complete(f"91430424MA4L{self.n:05d}"),
            name=f"企业{self.n}",
            unit_id=unit_id,
            domain_id=domain,
            industry_id=industry,
            created_at=created,
        )
        if deleted:
            e.deleted_at, e.deleted_reason = utcnow(), "迁出"
        self.s.add(e)
        self.s.flush()
        return e

    def month(self, e: m.Enterprise, period: str, ytd: str | None, revenue: str | None = None) -> None:
        self.s.add(
            m.EnterpriseMonthly(
                enterprise_id=e.id,
                unit_id=e.unit_id,
                period=period,
                output_ytd=None if ytd is None else D(ytd),
                revenue_ytd=None if revenue is None else D(revenue),
            )
        )

    def year(self, e: m.Enterprise, year: int, output: str | None = None, revenue: str | None = None) -> None:
        self.s.add(
            m.EnterpriseAnnual(
                enterprise_id=e.id,
                unit_id=e.unit_id,
                year=year,
                output=None if output is None else D(output),
                revenue=None if revenue is None else D(revenue),
            )
        )

    def project(self, total: str, *stages: tuple[str, str], unit_id: int = 1, deleted: bool = False) -> m.Project:
        self.n += 1
        p = m.Project(
            name=f"项目{self.n}",
            unit_id=unit_id,
            domain_id=INDUSTRY_DOMAIN,
            total_investment=D(total),
            status=stages[-1][1],
        )
        if deleted:
            p.deleted_at, p.deleted_reason = utcnow(), "录入错误"
        self.s.add(p)
        self.s.flush()
        for period, status in stages:
            self.s.add(m.ProjectStage(project_id=p.id, unit_id=unit_id, period=period, status=status))
        return p


@pytest.fixture
def fixture_db(county):  # type: ignore[no-untyped-def]
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        e1 = b.ent(1, METALS, INDUSTRY_DOMAIN)
        for period, ytd in (("2024-03", "60000"), ("2025-01", "50000"), ("2025-02", "90000"), ("2025-03", "130000")):
            b.month(e1, period, ytd)
        e2 = b.ent(2, METALS, INDUSTRY_DOMAIN)  # did not report March: February carries forward
        b.month(e2, "2025-01", "20000")
        b.month(e2, "2025-02", "40000")
        e3 = b.ent(2, None, SERVICES)  # no target industry (其他); 服务业 is judged on 营业收入, which it left empty
        b.month(e3, "2025-03", "5000")
        e4 = b.ent(3, METALS, INDUSTRY_DOMAIN, deleted=True)  # tombstoned: counts nowhere
        b.month(e4, "2025-03", "500000")
        b.month(e4, "2024-12", "900000")
        e5 = b.ent(3, MACHINERY, INDUSTRY_DOMAIN)  # reported zero this March
        b.year(e5, 2024, output="1")
        b.month(e5, "2024-03", "30000")
        b.month(e5, "2024-12", "120000")
        b.month(e5, "2025-03", "0")
        e6 = b.ent(4, MACHINERY, INDUSTRY_DOMAIN)  # no December: its 2024 figures count
        b.year(e6, 2024, output="100000")
        b.month(e6, "2025-03", None)  # a row with the figure not reported
        b.project("20000", ("2024-10", "在建"))
        b.project("10000", ("2024-11", "签约"), ("2025-02", "投产"), unit_id=2)
        b.project("20000", ("2024-10", "储备"))
        b.project("9999", ("2024-10", "在建"))
        b.project("20000", ("2024-10", "在建"), ("2025-01", "停缓建"))
        b.project("20000", ("2024-10", "在建"), deleted=True)
        s.add(
            m.Problem(
                unit_id=1,
                enterprise_id=e1.id,
                category="融资",
                description="贷款",
                raised_on=date(2025, 1, 10),
                department="县科工信局",
                status="待办",
            )
        )
        s.add(
            m.Problem(
                unit_id=2,
                enterprise_id=e2.id,
                category="土地",
                description="用地",
                raised_on=date(2024, 12, 1),
                status="办理中",
            )
        )
        s.add(
            m.Problem(
                unit_id=2,
                enterprise_id=e2.id,
                category="土地",
                description="已批",
                raised_on=date(2024, 11, 1),
                status="已解决",
                resolution="已办",
                solved_on=date(2025, 1, 1),
            )
        )
    for unit in (1, 2, 3, 4):
        accept(db, unit, "2024-12", "2025-01", "2025-02", "2025-03")
    return db


def test_industry_figures(fixture_db) -> None:  # type: ignore[no-untyped-def]
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    by = {i.name: i for i in f.industries}
    metals = by["有色金属"]
    assert metals.output_to_date == D(170000)  # 130000 + February's 40000 carried forward
    assert metals.output_same_period_last_year == D(60000)
    assert metals.enterprises == 2
    assert metals.target == D(1000000) and metals.completion_percent == D("17.0")
    assert metals.growth_percent == D("183.3")
    machinery = by["机械制造"]
    assert machinery.output_to_date == D(0)  # reported zero stays zero
    assert machinery.output_last_year == D(220000)  # e5's December 120000 + e6's 2024 figure 100000
    assert machinery.output_same_period_last_year == D(30000)
    assert machinery.projected == D(0)  # 220000 × 0 / 30000 (同比)
    assert metals.projected == D(680000)  # no 2024 full year: 170000 × 12 / 3 (月均)
    food = by["绿色食品生产加工"]  # an industry with no enterprises
    assert (food.enterprises, food.output_to_date, food.completion_percent) == (0, D(0), D("0.0"))
    assert food.growth_percent is None
    assert f.target_year == 2025 and metals.target_year == 2025


def test_headline_is_last_years_full_year_until_december(fixture_db) -> None:  # type: ignore[no-untyped-def]
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    h = f.headline
    ent = h[r.BILLION_ENTERPRISES]
    # 2024 full year: e5 (December 120000) and e6 (its 2024 figure 100000, exactly 10亿)
    assert (ent.achieved, ent.last_year) == (2, 2)
    # 1-3月: e1 130000; 预计全年: e1 130000×12/3 and e2 40000×12/3 (月均), e5 120000×0/30000 (同比)
    assert (ent.year_to_date, ent.projected) == (1, 2)
    assert str(ent.target) == "18" and ent.target_year == 2025
    projects = h[r.HUNDRED_MILLION_PROJECTS]
    assert projects.achieved == 2  # 在建 20000 and 投产 exactly 1亿 (since February)
    assert projects.percent == D("5.9") and projects.new_this_period == 0
    assert projects.last_year == 2  # at the end of 2024: 在建 20000 and the one suspended in January
    assert h[r.HUNDRED_BILLION_INDUSTRIES].achieved == 0
    domains = {d.name: d for d in f.domains}
    assert domains["工业和信息化"].progress[r.BILLION_ENTERPRISES].achieved == 2
    assert domains["工业和信息化"].progress[r.BILLION_ENTERPRISES].target == D(10)
    assert domains["服务业"].progress[r.BILLION_ENTERPRISES].achieved == 0
    assert domains["服务业"].lead_departments[0] == "县发改局" and domains["服务业"].measure_label == "营业收入"
    assert f.basis is not None and f.basis.headline_label == "2024年全年"
    december = programme_figures(fixture_db, "2024-12", today=date(2025, 4, 10))
    assert december.headline_basis == fs.YEAR_TO_DATE and december.basis.headline_label == "2024年全年"
    assert december.headline[r.BILLION_ENTERPRISES].achieved == 1  # e5's December 120000 (e4 is tombstoned)


def test_one_unit_only(fixture_db) -> None:  # type: ignore[no-untyped-def]
    f = programme_figures(fixture_db, "2025-03", unit_id=2, today=date(2025, 4, 10))
    assert {i.name: i.output_to_date for i in f.industries}["有色金属"] == D(40000)
    assert f.headline[r.HUNDRED_MILLION_PROJECTS].achieved == 1
    assert f.problems.open_total == 1


def test_problems_open_at_the_end_of_the_period(fixture_db) -> None:  # type: ignore[no-untyped-def]
    p = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10)).problems
    assert p.as_of == date(2025, 3, 31)  # not today: a bulletin regenerated later says the same
    assert p.open_total == 2
    assert p.by_category == {"融资": 1, "土地": 1}
    assert p.by_department == {"县科工信局": 1, "（未指定）": 1}
    assert [(a.category, a.days_open) for a in p.oldest] == [("土地", 120), ("融资", 80)]
    assert p.oldest[0].subject.startswith("企业") and p.oldest[0].description == "用地"
    # at the end of 2024 the one solved in January was still open, and 融资 not yet raised
    december = programme_figures(fixture_db, "2024-12", today=date(2025, 4, 10)).problems
    assert (december.open_total, december.by_category) == (2, {"土地": 2})
    assert [a.days_open for a in december.oldest] == [60, 30]
    # shown as it stood then: not the 已解决 it is today
    assert [a.status for a in december.oldest] == ["未解决", "未解决"]
    # a period not yet over counts to today
    accept(fixture_db, 1, "2025-04")
    april = programme_figures(fixture_db, "2025-04", today=date(2025, 4, 10)).problems
    assert april.as_of == date(2025, 4, 10) and april.oldest[0].days_open == 90


def test_moved_enterprise_counts_for_its_current_unit(fixture_db) -> None:  # type: ignore[no-untyped-def]
    with fixture_db.write(Actor(100, "县办", "form")) as s:
        e2 = s.scalar(select(m.Enterprise).join(m.EnterpriseMonthly).where(m.EnterpriseMonthly.output_ytd == D(40000)))
        e2.unit_id = 1
    f1 = programme_figures(fixture_db, "2025-03", unit_id=1, today=date(2025, 4, 10))
    f2 = programme_figures(fixture_db, "2025-03", unit_id=2, today=date(2025, 4, 10))
    assert {i.name: i.output_to_date for i in f1.industries}["有色金属"] == D(170000)
    assert {i.name: i.output_to_date for i in f2.industries}["有色金属"] == D(0)


# --- the time model -------------------------------------------------------------------------
def test_a_period_reads_the_same_after_later_periods_are_entered(fixture_db) -> None:  # type: ignore[no-untyped-def]
    """The issue's first case: a project that started in April leaves March's count alone, and
    nothing entered for April changes a figure of March."""
    from hengdong_desktop.services import entry, setup

    def march() -> str:
        f = programme_figures(fixture_db, "2025-03", today=date(2025, 5, 31))
        return json.dumps(figures_data(f, entry.reference(fixture_db)), default=str, ensure_ascii=False)

    before = march()
    info = setup.read_info(fixture_db)
    signed = entry.save(
        fixture_db,
        info,
        "project",
        {
            "name": "新签项目",
            "unit_id": 1,
            "domain_id": 1,
            "total_investment": "30000",
            "status": "签约",
            "status_since": "2025-01-15",
        },
        today=date(2025, 1, 20),
    )
    before = march()  # a project signed in January is March's news: not implemented, though
    assert programme_figures(fixture_db, "2025-03").headline[r.HUNDRED_MILLION_PROJECTS].achieved == 2
    # in April: it starts, enterprises report April and 2025 figures, a problem is solved
    entry.save(
        fixture_db,
        info,
        "project",
        {**signed.values, "status": "开工", "status_since": "2025-04-02"},
        record_id=signed.id,
        revision=signed.revision,
        today=date(2025, 4, 5),
    )
    with fixture_db.write(info.actor("cli")) as s:
        b = Build(s)
        e1 = s.scalar(select(m.Enterprise).where(m.Enterprise.name == "企业11"))
        b.month(e1, "2025-04", "200000")
        b.year(e1, 2025, output="900000")
        b.month(b.ent(1, METALS, INDUSTRY_DOMAIN), "2025-04", "400000")
        problem = s.scalar(select(m.Problem).where(m.Problem.description == "贷款"))
        problem.status, problem.resolution, problem.solved_on = "已解决", "已办", date(2025, 4, 20)
    accept(fixture_db, 1, "2025-04")
    assert march() == before
    april = programme_figures(fixture_db, "2025-04", today=date(2025, 5, 31))
    projects = april.headline[r.HUNDRED_MILLION_PROJECTS]
    assert (projects.achieved, projects.new_this_period) == (2, 1)  # unit 2 (吴集镇) has not reported April
    with fixture_db.read() as s:
        stages = s.execute(
            select(m.ProjectStage.period, m.ProjectStage.status, m.ProjectStage.reached_on)
            .where(m.ProjectStage.project_id == signed.id)
            .order_by(m.ProjectStage.period)
        ).all()
    assert stages == [("2025-01", "签约", date(2025, 1, 15)), ("2025-04", "开工", date(2025, 4, 2))]


def test_yearly_figures_belong_to_their_year(county) -> None:  # type: ignore[no-untyped-def]
    """The issue's second case: a figure entered for 2024 is last year's only in 2025."""
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        b.year(b.ent(1, MACHINERY, INDUSTRY_DOMAIN), 2024, output="120000")  # 12亿 in 2024
        late = b.ent(1, MACHINERY, INDUSTRY_DOMAIN)
        b.year(late, 2025, output="150000")
        b.month(late, "2025-12", "90000")  # its December says otherwise: December wins
    for period in ("2025-03", "2026-03", "2027-03"):
        accept(db, 1, period)
    counts = {
        p: programme_figures(db, p).headline[r.BILLION_ENTERPRISES].last_year for p in ("2025-03", "2026-03", "2027-03")
    }
    assert counts == {"2025-03": 1, "2026-03": 0, "2027-03": 0}


def test_each_domain_is_judged_on_its_measure(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        shop = b.ent(1, CATERING, SERVICES)
        b.month(shop, "2025-12", "50000", revenue="110000")  # 营业收入 11亿, 产值 5亿
        factory = b.ent(1, METALS, INDUSTRY_DOMAIN)
        b.month(factory, "2025-12", "90000", revenue="120000")  # 产值 9亿
        builder = b.ent(1, None, CONSTRUCTION)
        b.month(builder, "2025-12", "100000", revenue="10")  # 建筑业总产值 is its 产值: 10亿
    accept(db, 1, "2025-12")
    f = programme_figures(db, "2025-12")
    by = {d.name: d.progress[r.BILLION_ENTERPRISES].achieved for d in f.domains}
    assert by == {"工业和信息化": 0, "农林牧渔": 0, "建筑业": 1, "服务业": 1}
    assert {i.name: i.to_date for i in f.industries}["土菜餐饮"] == D(110000)
    reference_admin.set_measure(db, Actor(COUNTY, "县办", "reference"), SERVICES, r.OUTPUT)
    f = programme_figures(db, "2025-12")
    assert {d.name: d.progress[r.BILLION_ENTERPRISES].achieved for d in f.domains}["服务业"] == 0
    assert {i.name: i.to_date for i in f.industries}["土菜餐饮"] == D(50000)
    assert "服务业按产值" in f.basis.sentence() and f.basis.reference_version == 2


def test_official_totals_are_used_beside_the_registered_sum(fixture_db) -> None:  # type: ignore[no-untyped-def]
    official_totals.set_total(fixture_db, "有色金属", "2025-03", "1,050,000", "县统计局快报")
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    metals = {i.name: i for i in f.industries}["有色金属"]
    assert (metals.output_to_date, metals.official_to_date, metals.to_date) == (D(170000), D(1050000), D(1050000))
    assert metals.coverage_percent == D("16.2")  # 170000 / 1050000
    assert metals.completion_percent == D("105.0") and f.headline[r.HUNDRED_BILLION_INDUSTRIES].year_to_date == 1
    assert metals.projected == D(680000)  # official totals for 2024 missing: the registered projection
    assert f.basis.official_industries == ("有色金属",) and "有色金属采用统计局口径产值" in f.basis.sentence()
    official_totals.set_total(fixture_db, "有色金属", "2024-03", "900000")
    official_totals.set_total(fixture_db, "有色金属", "2024-12", "3000000")
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    metals = {i.name: i for i in f.industries}["有色金属"]
    assert metals.growth_percent == D("16.7")  # 1050000 / 900000 − 1
    assert metals.projected == D(3500000)  # 3000000 × 1050000 / 900000
    assert f.headline[r.HUNDRED_BILLION_INDUSTRIES].achieved == 1  # on 2024's official 300亿
    assert [i.name for i in fs.hundred_billion_industries(f)] == ["有色金属"]
    official_totals.set_total(fixture_db, "有色金属", "2025-03", "")  # removed
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    assert {i.name: i.official_to_date for i in f.industries}["有色金属"] is None


def test_targets_fall_back_one_metric_at_a_time(fixture_db) -> None:  # type: ignore[no-untyped-def]
    accept(fixture_db, 1, "2026-03")
    assert programme_figures(fixture_db, "2024-06").headline[r.BILLION_ENTERPRISES].target_year == 2025
    actor = Actor(COUNTY, "县办", "reference")
    reference_admin.save_targets(
        fixture_db,
        actor,
        2026,
        [
            reference_admin.TargetRow(r.BILLION_ENTERPRISES, None, None, D(20)),
            reference_admin.TargetRow(r.INDUSTRY_OUTPUT, INDUSTRY_DOMAIN, METALS, D(1200000)),
        ],
    )
    f = programme_figures(fixture_db, "2026-03")
    h = f.headline
    assert (h[r.BILLION_ENTERPRISES].target, h[r.BILLION_ENTERPRISES].target_year) == (D(20), 2026)
    assert (h[r.HUNDRED_MILLION_PROJECTS].target, h[r.HUNDRED_MILLION_PROJECTS].target_year) == (D(34), 2025)
    by = {i.name: (i.target, i.target_year) for i in f.industries}
    assert by["有色金属"] == (D(1200000), 2026) and by["机械制造"] == (D(500000), 2025)
    assert programme_figures(fixture_db, "2025-03").headline[r.BILLION_ENTERPRISES].target == D(18)


# --- whose data ----------------------------------------------------------------------------
def test_only_accepted_units_count_and_the_basis_says_so(county) -> None:  # type: ignore[no-untyped-def]
    """The issue's ninth case: a returned unit's 十亿级企业 are not published."""
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        for unit in (6, 7):
            b.month(b.ent(unit, METALS, INDUSTRY_DOMAIN), "2025-06", "150000")
        b.month(b.ent(8, METALS, INDUSTRY_DOMAIN), "2025-06", "150000")  # entered at the county, no package
    accept(db, 6, "2025-06")
    returned = accept(db, 7, "2025-06", decision="returned")

    def count(pending: bool = False) -> int:
        return programme_figures(db, "2025-06", include_pending=pending).headline[r.BILLION_ENTERPRISES].year_to_date

    assert count() == 1
    f = programme_figures(db, "2025-06")
    assert f.basis.counted.left_out[7] == "已退回" and f.basis.counted.left_out[8] == "已填报未上报"
    assert "计入2025-06已接收的单位（1/18个），不含待审核和已退回的数据" in f.basis.sentence()
    assert "已退回1个（霞流镇）" in f.basis.left_out_text()
    assert count(pending=True) == 2  # unreviewed (county-entered) data, but never the returned
    with db.read() as s:
        rows = fs.billion_enterprises(s, "2025-06", basis=fs.YEAR_TO_DATE, include_pending=True)
    assert {x.unit_id for x in rows} == {6, 8}
    resent = accept(db, 7, "2025-06", decision="")  # a new package: awaiting review
    assert resent != returned and count() == 1 and count(pending=True) == 3
    with db.write(Actor(COUNTY, "县办", "package")) as s:
        s.add(m.Review(unit_id=7, period="2025-06", decision="accepted", package_id=resent, comments=[]))
    assert count() == 2


def test_reporting_status_without_packages(fixture_db) -> None:  # type: ignore[no-untyped-def]
    rs = fs.reporting_status(fixture_db, "2025-03", today=date(2025, 4, 10))
    assert rs.open_conflicts == 0 and rs.open_duplicates == 0
    assert rs.periods[-1] == "2025-03" and len(rs.periods) == 12 and len(rs.units) == 18
    assert rs.of(1, "2025-03") == fs.ACCEPTED and rs.of(4, "2025-03") == fs.ACCEPTED
    assert rs.of(5, "2025-03") == fs.NOT_FILLED and rs.of(1, "2024-11") == fs.NOT_FILLED
    assert rs.counts("2025-03") == {"未填报": 14, "已填报未上报": 0, "已上报": 0, "已接收": 4, "已退回": 0}
    assert (5, "2025-02") in rs.overdue  # due 2025-03-10
    assert (5, "2025-03") not in rs.overdue and rs.overdue_count("2025-03") == 0  # due today: not yet late
    assert rs.overdue_count("2025-02") == 14
    assert not {p for _u, p in rs.overdue} - set(rs.periods)
    assert fs.due_date("2025-12", 31) == date(2026, 1, 31) and fs.due_date("2025-01", 31) == date(2025, 2, 28)


def test_months_before_a_units_start_are_not_missing(county) -> None:  # type: ignore[no-untyped-def]
    """The issue's tenth case: 启用期, and one package marking every month it carries."""
    db, info = county
    reference_admin.set_start_period(db, Actor(COUNTY, "县办", "reference"), "2025-10")
    reference_admin.set_start_period(db, Actor(COUNTY, "县办", "reference"), "2024-12", [4])  # 草市镇
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        e = b.ent(4, METALS, INDUSTRY_DOMAIN)
        for month in ("2024-12", "2025-01", "2025-06", "2025-10"):
            b.month(e, month, "100")
    package = m.new_uuid()
    carried = reporting.months_carried(
        "2025-10",
        {"enterprise_monthly": [{"period": p} for p in ("2024-12", "2025-01", "2025-06", "2025-10", "2025-11")]},
    )
    assert carried == ["2024-12", "2025-01", "2025-06", "2025-10"]  # never a month after the package's
    with db.write(Actor(COUNTY, "县办", "package")) as s:
        reporting.mark_reported(s, 4, package, carried)
    rs = fs.reporting_status(db, "2025-10", today=date(2025, 11, 20))
    assert [rs.of(4, p) for p in ("2025-05", "2025-06", "2025-07", "2025-10")] == [
        "未填报",
        "已上报",
        "未填报",
        "已上报",
    ]
    assert (4, "2025-05") in rs.overdue and (4, "2025-06") not in rs.overdue
    assert {rs.of(1, p) for p in rs.periods[:-1]} == {reporting.NOT_REQUIRED}  # 洣水镇 starts in October
    assert rs.of(1, "2025-10") == fs.NOT_FILLED and (1, "2025-10") in rs.overdue
    assert not any((1, p) in rs.overdue for p in rs.periods[:-1])
    assert rs.overdue_count("2025-10") == 17 and rs.counts("2025-10")[fs.NOT_FILLED] == 17
    # in September only 草市镇 owed a report (it started in December 2024) and sent none
    assert rs.of(4, "2025-09") == fs.NOT_FILLED and rs.overdue_count("2025-09") == 1
    assert rs.counts("2025-09")[reporting.NOT_REQUIRED] == 17


def test_an_enterprise_two_units_report_counts_once(county) -> None:  # type: ignore[no-untyped-def]
    """The issue's eleventh case: 8 enterprises and 73,176 万元 were 7 and 64,140."""
    db, info = county
    shared = credit_code.complete("91430424MA4L99999")
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        first = None
        for n, ytd in enumerate(("10000", "9000", "9140", "12000", "8000", "7000", "9000")):
            e = b.ent(
                1 + n % 2, METALS, INDUSTRY_DOMAIN, code=shared if n == 0 else None, created=datetime(2025, 1, 1 + n)
            )
            b.month(e, "2025-03", ytd)
            first = first or e
        twin = b.ent(5, METALS, INDUSTRY_DOMAIN, code=shared, created=datetime(2025, 2, 1))  # reported again
        b.month(twin, "2025-03", "9036")
        for e in (first, twin):  # what the merge flags (services/merge.py)
            s.add(m.DuplicateFlag(credit_code=shared, enterprise_id=e.id, unit_id=e.unit_id))
    for unit in (1, 2, 5):
        accept(db, unit, "2025-03")
    f = programme_figures(db, "2025-03")
    metals = {i.name: i for i in f.industries}["有色金属"]
    assert (metals.enterprises, metals.output_to_date) == (7, D(64140))
    assert (f.basis.duplicates_merged, f.basis.duplicates_pending) == (1, 1)
    assert "1户未重复计入，1个信用代码待县级处理" in f.basis.sentence()
    with db.read() as s:
        rows = fs.industry_enterprises(s, "2025-03", METALS)
    assert len(rows) == 7 and sum(x.output_to_date for x in rows) == D(64140)
    assert [x.unit_id for x in rows if x.credit_code == shared] == [1]  # the record entered first
    trend = fs.industry_trend(db, "2025-03")
    assert trend.this_year[METALS][-1] == D(64140)


# --- drill-down: every number has the records behind it ------------------------------------------
def _assert_drill_downs_agree(db, period: str, today: date, pending: bool = False) -> int:  # type: ignore[no-untyped-def]
    """Checks every count and sum of the figures against its drill-down; returns how many."""
    f = programme_figures(db, period, today=today, include_pending=pending)
    checked = 0
    with db.read() as s:
        for domain_id, progress in [(None, f.headline), *((d.domain_id, d.progress) for d in f.domains)]:
            ent = progress[r.BILLION_ENTERPRISES]
            for basis, count in (
                (None, ent.achieved),
                (fs.YEAR_TO_DATE, ent.year_to_date),
                (fs.LAST_YEAR, ent.last_year),
                (fs.PROJECTED, ent.projected),
            ):
                assert (
                    len(fs.billion_enterprises(s, period, basis=basis, domain_id=domain_id, include_pending=pending))
                    == count
                )
            ind = progress[r.HUNDRED_BILLION_INDUSTRIES]
            assert len(fs.hundred_billion_industries(f, domain_id=domain_id)) == ind.achieved
            assert len(fs.hundred_billion_industries(f, domain_id=domain_id, basis=fs.LAST_YEAR)) == ind.last_year
            projects = fs.implemented_projects(s, period, domain_id=domain_id, include_pending=pending)
            assert len(projects) == progress[r.HUNDRED_MILLION_PROJECTS].achieved
            checked += 7
        for i in f.industries:
            rows = fs.industry_enterprises(s, period, i.industry_id, include_pending=pending)
            assert len(rows) == i.enterprises
            assert sum((x.output_to_date or 0 for x in rows), D(0)) == i.output_to_date
            assert sum((x.output_same_period_last_year or 0 for x in rows), D(0)) == i.output_same_period_last_year
            assert sum((x.output_last_year or 0 for x in rows), D(0)) == i.output_last_year
            checked += 4
        as_of = f.problems.as_of
        assert len(fs.open_problems(s, period, as_of, include_pending=pending)) == f.problems.open_total
        for category, n in f.problems.by_category.items():
            assert len(fs.open_problems(s, period, as_of, category=category, include_pending=pending)) == n
            checked += 1
        for department, n in f.problems.by_department.items():
            assert len(fs.open_problems(s, period, as_of, department=department, include_pending=pending)) == n
            checked += 1
    return checked


def test_drill_downs_list_exactly_what_was_counted(fixture_db) -> None:  # type: ignore[no-untyped-def]
    assert _assert_drill_downs_agree(fixture_db, "2025-03", date(2025, 4, 10)) > 50
    with fixture_db.read() as s:
        big = fs.billion_enterprises(s, "2025-03", basis=fs.YEAR_TO_DATE)
        assert [x.output_to_date for x in big] == [D(130000)]
        last = fs.billion_enterprises(s, "2025-03")  # the headline: e5 by December, e6 by its 2024 figure
        assert sorted(x.output_last_year for x in last) == [D(100000), D(120000)]
        assert {p.status for p in fs.implemented_projects(s, "2025-03")} == {"在建", "投产"}
        assert {p.status for p in fs.implemented_projects(s, "2025-01")} == {"在建"}  # 投产 came in February
        metals = fs.industry_enterprises(s, "2025-03", METALS)
        assert [x.output_to_date for x in metals] == [D(130000), D(40000)]  # the tombstoned one is absent
        assert fs.industry_enterprises(s, "2025-03", FOOD) == []
        assert [p.department for p in fs.open_problems(s, "2025-03", date(2025, 3, 31), department="（未指定）")] == [
            None
        ]


def test_drill_downs_agree_on_demo_data(training_county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo

    db, _info = training_county
    demo.generate(db, enterprises=12, months=15, projects=6, seed=3, end_period="2025-06", today=date(2025, 7, 5))
    for period in ("2025-06", "2025-01", "2024-12"):
        assert _assert_drill_downs_agree(db, period, date(2025, 7, 5)) > 60
    assert _assert_drill_downs_agree(db, "2025-06", date(2025, 7, 5), pending=True) > 60


# --- monthly trend -----------------------------------------------------------------------------
def test_monthly_trend_carries_forward_like_the_figures(fixture_db) -> None:  # type: ignore[no-untyped-def]
    t = fs.industry_trend(fixture_db, "2025-03")
    assert t.this_year[METALS] == [D(70000), D(130000), D(170000)]  # February's 40000 carried into March
    assert t.this_year[MACHINERY] == [None, None, D(0)]  # reported zero in March, nothing before
    assert t.last_year[METALS] == [None, None] + [D(60000)] * 10  # tombstoned e4's December ignored
    assert t.last_year[MACHINERY] == [None, None] + [D(30000)] * 9 + [D(120000)]
    assert FOOD not in t.this_year  # an industry with no enterprises has no series
    only_unit_2 = fs.industry_trend(fixture_db, "2025-03", unit_id=2)
    assert only_unit_2.this_year[METALS] == [D(20000), D(40000), D(40000)]


def test_trend_ends_at_the_industry_figures_on_demo_data(training_county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo

    db, _info = training_county
    demo.generate(db, enterprises=10, months=8, projects=2, seed=5, end_period="2025-05", today=date(2025, 6, 3))
    for period in ("2025-05", "2025-02"):
        f = programme_figures(db, period, today=date(2025, 6, 3))
        t = fs.industry_trend(db, period)
        for i in f.industries:
            assert (t.this_year.get(i.industry_id, [None])[-1] or D(0)) == i.output_to_date, i.name
            month = int(period[-2:])
            assert (t.last_year.get(i.industry_id, [None] * 12)[month - 1] or D(0)) == i.output_same_period_last_year


def test_projection_is_stated_and_exact() -> None:
    assert fs.project(None, 5, 10, 3) == (None, None)
    assert fs.project(100, 80, 400, 3) == (500, "同比")  # 400 × 100 / 80
    assert fs.project(100, 0, 400, 3) == (400, "月均")  # no same period last year: 100 × 12 / 3
    assert fs.project(100, 80, None, 3) == (400, "月均")
    assert fs.project(10, 3, 1, 6) == (3, "同比")  # 10 / 3 = 3.33… rounds half up in 1/10000 万元
    assert fs.project(777, 5, 5, 12) == (777, "全年")
    assert fs.basis_label(fs.PROJECTED, "2025-03") == "2025年预计全年"
    assert fs.basis_label(fs.YEAR_TO_DATE, "2025-03") == "2025年1-3月累计"
