"""Programme figures against a hand-computed fixture, edge cases included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from hengdong_desktop.db import models as m
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import credit_code
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services.figures import programme_figures

METALS, MACHINERY, FOOD = 2, 1, 5  # industry ids
INDUSTRY_DOMAIN, SERVICES = 1, 4  # domain ids


@pytest.fixture
def fixture_db(county):  # type: ignore[no-untyped-def]
    db, info = county
    seq = iter(range(10, 99))

    def ent(s, unit_id: int, industry: int | None, domain: int, *, deleted: bool = False, last_year: str | None = None):  # type: ignore[no-untyped-def]
        e = m.Enterprise(credit_code=credit_code.complete(f"91430424MA4L{next(seq):05d}"), name=f"企业{next(seq)}",
                         unit_id=unit_id, domain_id=domain, industry_id=industry,
                         last_year_output=D(last_year) if last_year else None)
        if deleted:
            e.deleted_at, e.deleted_reason = utcnow(), "迁出"
        s.add(e)
        s.flush()
        return e

    def month(s, e, period: str, ytd: str | None) -> None:  # type: ignore[no-untyped-def]
        s.add(m.EnterpriseMonthly(enterprise_id=e.id, unit_id=e.unit_id, period=period,
                                  output_ytd=None if ytd is None else D(ytd)))

    def project(s, total: str, status: str, *, deleted: bool = False, unit_id: int = 1) -> None:  # type: ignore[no-untyped-def]
        p = m.Project(name=f"项目{next(seq)}", unit_id=unit_id, domain_id=INDUSTRY_DOMAIN, total_investment=D(total),
                      status=status)
        if deleted:
            p.deleted_at, p.deleted_reason = utcnow(), "录入错误"
        s.add(p)

    with db.write(info.actor("cli")) as s:
        e1 = ent(s, 1, METALS, INDUSTRY_DOMAIN)
        for period, ytd in (("2024-03", "60000"), ("2025-01", "50000"), ("2025-02", "90000"), ("2025-03", "130000")):
            month(s, e1, period, ytd)
        e2 = ent(s, 2, METALS, INDUSTRY_DOMAIN)  # did not report March: February carries forward
        month(s, e2, "2025-01", "20000")
        month(s, e2, "2025-02", "40000")
        e3 = ent(s, 2, None, SERVICES)  # no target industry (其他)
        month(s, e3, "2025-03", "5000")
        e4 = ent(s, 3, METALS, INDUSTRY_DOMAIN, deleted=True)  # tombstoned: counts nowhere
        month(s, e4, "2025-03", "500000")
        month(s, e4, "2024-12", "900000")
        e5 = ent(s, 3, MACHINERY, INDUSTRY_DOMAIN, last_year="1")  # reported zero this March
        month(s, e5, "2024-03", "30000")
        month(s, e5, "2024-12", "120000")
        month(s, e5, "2025-03", "0")
        e6 = ent(s, 4, MACHINERY, INDUSTRY_DOMAIN, last_year="100000")  # no December: 上年产值 counts
        month(s, e6, "2025-03", None)  # a row with the figure not reported
        project(s, "20000", "在建")
        project(s, "10000", "投产", unit_id=2)
        project(s, "20000", "储备")
        project(s, "9999", "在建")
        project(s, "20000", "停缓建")
        project(s, "20000", "在建", deleted=True)
        s.add(m.Problem(unit_id=1, enterprise_id=e1.id, category="融资", description="贷款", raised_on=date(2025, 1, 10),
                        department="县科工信局", status="待办"))
        s.add(m.Problem(unit_id=2, enterprise_id=e2.id, category="土地", description="用地", raised_on=date(2024, 12, 1),
                        status="办理中"))
        s.add(m.Problem(unit_id=2, enterprise_id=e2.id, category="土地", description="已批", raised_on=date(2024, 11, 1),
                        status="已解决", resolution="已办", solved_on=date(2025, 1, 1)))
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
    assert machinery.output_last_year == D(220000)  # December 120000 + 上年产值 100000
    assert machinery.output_same_period_last_year == D(30000)
    food = by["绿色食品生产加工"]  # an industry with no enterprises
    assert (food.enterprises, food.output_to_date, food.completion_percent) == (0, D(0), D("0.0"))
    assert food.growth_percent is None
    assert f.target_year == 2025


def test_headline_and_domains(fixture_db) -> None:  # type: ignore[no-untyped-def]
    f = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10))
    h = f.headline
    assert (h[r.BILLION_ENTERPRISES].achieved, h[r.BILLION_ENTERPRISES].last_year) == (1, 2)
    assert str(h[r.BILLION_ENTERPRISES].target) == "18"
    assert h[r.HUNDRED_MILLION_PROJECTS].achieved == 2  # 在建 20000 and 投产 exactly 1亿
    assert h[r.HUNDRED_MILLION_PROJECTS].percent == D("5.9")
    assert h[r.HUNDRED_BILLION_INDUSTRIES].achieved == 0
    domains = {d.name: d for d in f.domains}
    assert domains["工业和信息化"].progress[r.BILLION_ENTERPRISES].achieved == 1
    assert domains["工业和信息化"].progress[r.BILLION_ENTERPRISES].target == D(10)
    assert domains["服务业"].progress[r.BILLION_ENTERPRISES].achieved == 0
    assert domains["服务业"].lead_departments[0] == "县发改局"


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
    # a period not yet over counts to today
    april = programme_figures(fixture_db, "2025-04", today=date(2025, 4, 10)).problems
    assert april.as_of == date(2025, 4, 10) and april.oldest[0].days_open == 130


def test_moved_enterprise_counts_for_its_current_unit(fixture_db) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from hengdong_desktop.db.audit import Actor

    with fixture_db.write(Actor(100, "县办", "form")) as s:
        e2 = s.scalar(select(m.Enterprise).join(m.EnterpriseMonthly).where(m.EnterpriseMonthly.output_ytd == D(40000)))
        e2.unit_id = 1
    f1 = programme_figures(fixture_db, "2025-03", unit_id=1, today=date(2025, 4, 10))
    f2 = programme_figures(fixture_db, "2025-03", unit_id=2, today=date(2025, 4, 10))
    assert {i.name: i.output_to_date for i in f1.industries}["有色金属"] == D(170000)
    assert {i.name: i.output_to_date for i in f2.industries}["有色金属"] == D(0)


def test_year_without_targets_uses_the_plan(fixture_db) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.db.audit import Actor

    assert programme_figures(fixture_db, "2024-06").target_year == 2025
    assert programme_figures(fixture_db, "2027-01").target_year == 2025
    with fixture_db.write(Actor(100, "县办", "reference")) as s:
        s.add(m.Target(year=2024, metric=r.BILLION_ENTERPRISES, value=D(12)))
    f = programme_figures(fixture_db, "2024-06")
    assert f.target_year == 2024 and f.headline[r.BILLION_ENTERPRISES].target == D(12)


# --- drill-down: every number has the records behind it ------------------------------------------
def _assert_drill_downs_agree(db, period: str, today: date) -> int:  # type: ignore[no-untyped-def]
    """Checks every count and sum of the figures against its drill-down; returns how many."""
    from hengdong_desktop.services import figures as fs

    f = programme_figures(db, period, today=today)
    checked = 0
    with db.read() as s:
        for domain_id, progress in [(None, f.headline), *((d.domain_id, d.progress) for d in f.domains)]:
            ent = progress[r.BILLION_ENTERPRISES]
            assert len(fs.billion_enterprises(s, period, domain_id=domain_id)) == ent.achieved
            assert len(fs.billion_enterprises(s, period, domain_id=domain_id, last_year=True)) == ent.last_year
            ind = progress[r.HUNDRED_BILLION_INDUSTRIES]
            assert len(fs.hundred_billion_industries(f, domain_id=domain_id)) == ind.achieved
            assert len(fs.hundred_billion_industries(f, domain_id=domain_id, last_year=True)) == ind.last_year
            projects = fs.implemented_projects(s, domain_id=domain_id)
            assert len(projects) == progress[r.HUNDRED_MILLION_PROJECTS].achieved
            checked += 5
        for i in f.industries:
            rows = fs.industry_enterprises(s, period, i.industry_id)
            assert len(rows) == i.enterprises
            assert sum((x.output_to_date or 0 for x in rows), D(0)) == i.output_to_date
            assert sum((x.output_same_period_last_year or 0 for x in rows), D(0)) == i.output_same_period_last_year
            assert sum((x.output_last_year or 0 for x in rows), D(0)) == i.output_last_year
            checked += 4
        as_of = f.problems.as_of
        assert len(fs.open_problems(s, as_of)) == f.problems.open_total
        for category, n in f.problems.by_category.items():
            assert len(fs.open_problems(s, as_of, category=category)) == n
            checked += 1
        for department, n in f.problems.by_department.items():
            assert len(fs.open_problems(s, as_of, department=department)) == n
            checked += 1
    return checked


def test_drill_downs_list_exactly_what_was_counted(fixture_db) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import figures as fs

    assert _assert_drill_downs_agree(fixture_db, "2025-03", date(2025, 4, 10)) > 50
    with fixture_db.read() as s:
        big = fs.billion_enterprises(s, "2025-03")
        assert [x.output_to_date for x in big] == [D(130000)]
        last = fs.billion_enterprises(s, "2025-03", last_year=True)  # e5 by December, e6 by 上年产值
        assert sorted(x.output_last_year for x in last) == [D(100000), D(120000)]
        assert {p.status for p in fs.implemented_projects(s)} == {"在建", "投产"}
        metals = fs.industry_enterprises(s, "2025-03", METALS)
        assert [x.output_to_date for x in metals] == [D(130000), D(40000)]  # the tombstoned one is absent
        assert fs.industry_enterprises(s, "2025-03", FOOD) == []
        assert [p.department for p in fs.open_problems(s, date(2025, 3, 31), department="（未指定）")] == [None]


def test_drill_downs_agree_on_demo_data(training_county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo

    db, _info = training_county
    demo.generate(db, enterprises=12, months=15, projects=6, seed=3, end_period="2025-06", today=date(2025, 7, 5))
    for period in ("2025-06", "2025-01", "2024-12"):
        assert _assert_drill_downs_agree(db, period, date(2025, 7, 5)) > 60


# --- monthly trend -----------------------------------------------------------------------------
def test_monthly_trend_carries_forward_like_the_figures(fixture_db) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services.figures import industry_trend

    t = industry_trend(fixture_db, "2025-03")
    assert t.this_year[METALS] == [D(70000), D(130000), D(170000)]  # February's 40000 carried into March
    assert t.this_year[MACHINERY] == [None, None, D(0)]  # reported zero in March, nothing before
    assert t.last_year[METALS] == [None, None] + [D(60000)] * 10  # tombstoned e4's December ignored
    assert t.last_year[MACHINERY] == [None, None] + [D(30000)] * 9 + [D(120000)]
    assert FOOD not in t.this_year  # an industry with no enterprises has no series
    only_unit_2 = industry_trend(fixture_db, "2025-03", unit_id=2)
    assert only_unit_2.this_year[METALS] == [D(20000), D(40000), D(40000)]


def test_trend_ends_at_the_industry_figures_on_demo_data(training_county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo
    from hengdong_desktop.services.figures import industry_trend

    db, _info = training_county
    demo.generate(db, enterprises=10, months=8, projects=2, seed=5, end_period="2025-05", today=date(2025, 6, 3))
    for period in ("2025-05", "2025-02"):
        f = programme_figures(db, period, today=date(2025, 6, 3))
        t = industry_trend(db, period)
        for i in f.industries:
            assert (t.this_year.get(i.industry_id, [None])[-1] or D(0)) == i.output_to_date, i.name
            month = int(period[-2:])
            assert (t.last_year.get(i.industry_id, [None] * 12)[month - 1] or D(0)) == i.output_same_period_last_year


# --- reporting status --------------------------------------------------------------------------
def test_reporting_status_without_packages(fixture_db) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import figures as fs

    rs = fs.reporting_status(fixture_db, "2025-03", today=date(2025, 4, 10))
    assert rs.open_conflicts == 0 and rs.open_duplicates == 0
    assert rs.periods[-1] == "2025-03" and len(rs.periods) == 12 and len(rs.units) == 18
    assert rs.of(1, "2025-03") == fs.FILLED
    assert rs.of(4, "2025-03") == fs.NOT_FILLED  # its only row reports nothing
    assert rs.of(1, "2025-02") == fs.FILLED and rs.of(3, "2025-02") == fs.NOT_FILLED
    assert rs.counts("2025-03") == {"未填报": 15, "已填报未上报": 3, "已上报": 0, "已接收": 0, "已退回": 0}
    assert (3, "2025-02") in rs.overdue  # due 2025-03-10
    assert (5, "2025-03") not in rs.overdue  # due today, 2025-04-10: not yet late
    assert not {p for _u, p in rs.overdue} - set(rs.periods)
    assert fs.due_date("2025-12", 31) == date(2026, 1, 31) and fs.due_date("2025-01", 31) == date(2025, 2, 28)
