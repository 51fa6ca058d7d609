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


def test_problems(fixture_db) -> None:  # type: ignore[no-untyped-def]
    p = programme_figures(fixture_db, "2025-03", today=date(2025, 4, 10)).problems
    assert p.open_total == 2
    assert p.by_category == {"融资": 1, "土地": 1}
    assert p.by_department == {"县科工信局": 1, "（未指定）": 1}
    assert [(a.category, a.days_open) for a in p.oldest] == [("土地", 130), ("融资", 90)]
    assert p.oldest[0].subject.startswith("企业")


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
