"""The 一企一策台账 (services/measures.ledger): every live measure of the county or of one unit,
filtered by 责任单位, 推进状态, overdue or a search, with its days overdue on a fixed day —
counted by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code
from hengdong_desktop.services import measures
from hengdong_desktop.services.measures import LedgerQuery

TODAY = date(2025, 6, 10)
REMOVED = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture
def ledger_db(county):  # type: ignore[no-untyped-def]
    """Two units' enterprises and their measures (a removed measure and a removed enterprise's
    measure among them); the 关联问题 of one is 甲's problem."""
    db, info = county
    with db.write(info.actor("cli")) as s:
        units = [u.id for u in s.scalars(select(m.Unit).where(m.Unit.kind != "county").order_by(m.Unit.id))][:2]
        ids = {}
        for n, (name, unit, removed) in enumerate(
            (("衡东县甲公司", units[0], False), ("衡东县乙公司", units[1], False), ("衡东县丙公司", units[0], True))
        ):
            e = m.Enterprise(
                unit_id=unit,
                name=name,
                credit_code=credit_code.complete(f"91430424MA4L2000{n}"),
                domain_id=1,
                deleted_at=REMOVED if removed else None,
            )
            s.add(e)
            s.flush()
            ids[name] = e
        problem = m.Problem(
            unit_id=units[0],
            enterprise_id=ids["衡东县甲公司"].id,
            category="融资",
            description="流动资金紧张，需协调续贷",
            raised_on=date(2025, 3, 1),
            status="办理中",
        )
        s.add(problem)
        s.flush()
        for enterprise, content, department, person, deadline, status, progress, linked, removed in (
            (
                "衡东县甲公司",
                "协调银行续贷",
                "县发改局",
                "李四",
                date(2025, 5, 31),
                "推进中",
                "已对接",
                problem.id,
                False,
            ),
            ("衡东县甲公司", "申报专精特新", "县科工信局", None, date(2025, 6, 9), "未启动", None, None, False),
            ("衡东县甲公司", "落实用地指标", "县发改局", "王五", date(2025, 4, 1), "已完成", "已落实", None, False),
            ("衡东县乙公司", "招聘技工", "县人社局", "赵六", date(2025, 6, 10), "推进中", None, None, False),
            ("衡东县乙公司", "协调电力增容", "县发改局", None, date(2025, 1, 10), "已中止", "企业放弃", None, False),
            ("衡东县乙公司", "争取技改资金", "县科工信局", "钱七", None, "推进中", None, None, False),
            ("衡东县乙公司", "已删除的措施", "县发改局", None, date(2025, 1, 1), "推进中", None, None, True),
            ("衡东县丙公司", "调出企业的措施", "县发改局", None, date(2025, 1, 1), "推进中", None, None, False),
        ):
            s.add(
                m.SupportMeasure(
                    unit_id=ids[enterprise].unit_id,
                    enterprise_id=ids[enterprise].id,
                    content=content,
                    department=department,
                    person=person,
                    deadline=deadline,
                    status=status,
                    progress=progress,
                    problem_id=linked,
                    deleted_at=REMOVED if removed else None,
                )
            )
    return db, units


def _contents(ledger: measures.Ledger) -> list[str]:
    return [x.content for x in ledger.rows]


def test_the_ledger_lists_live_measures_by_deadline_with_days_overdue(ledger_db) -> None:  # type: ignore[no-untyped-def]
    db, units = ledger_db
    ledger = measures.ledger(db, LedgerQuery(), TODAY)
    # by 完成时限, the one without a deadline last; removed measures and enterprises left out
    assert _contents(ledger) == [
        "协调电力增容",
        "落实用地指标",
        "协调银行续贷",
        "申报专精特新",
        "招聘技工",
        "争取技改资金",
    ]
    days = {x.content: x.overdue_days(TODAY) for x in ledger.rows}
    # 5-31 → 6-10: 10 days; 6-09: 1 day; due today is not overdue; 已完成, 已中止 and no deadline never are
    assert days == {
        "协调电力增容": 0,
        "落实用地指标": 0,
        "协调银行续贷": 10,
        "申报专精特新": 1,
        "招聘技工": 0,
        "争取技改资金": 0,
    }
    assert (len(ledger.rows), ledger.overdue) == (6, 2)
    loan = ledger.rows[2]
    assert (loan.enterprise, loan.unit_id, loan.problem) == (
        "衡东县甲公司",
        units[0],
        "2025-03-01 流动资金紧张，需协调续贷",
    )
    assert ledger.rows[3].problem == ""


def test_the_ledger_filters(ledger_db) -> None:  # type: ignore[no-untyped-def]
    db, units = ledger_db

    def shown(**query: object) -> tuple[list[str], int]:
        ledger = measures.ledger(db, LedgerQuery(**query), TODAY)  # type: ignore[arg-type]
        return _contents(ledger), ledger.overdue

    assert shown(unit_id=units[1]) == (["协调电力增容", "招聘技工", "争取技改资金"], 0)
    assert shown(departments=("县发改局",)) == (["协调电力增容", "落实用地指标", "协调银行续贷"], 1)
    assert shown(departments=("县发改局", "县人社局")) == (
        ["协调电力增容", "落实用地指标", "协调银行续贷", "招聘技工"],
        1,
    )
    assert shown(departments=()) == ([], 0)
    assert shown(status="推进中") == (["协调银行续贷", "招聘技工", "争取技改资金"], 1)
    assert shown(overdue_only=True) == (["协调银行续贷", "申报专精特新"], 2)
    assert shown(overdue_only=True, departments=("县科工信局",)) == (["申报专精特新"], 1)
    assert shown(search="乙公司") == (["协调电力增容", "招聘技工", "争取技改资金"], 0)  # the enterprise
    assert shown(search=" 钱七 ") == (["争取技改资金"], 0)  # 责任人
    assert shown(search="%") == ([], 0)  # typed as it is, not a wildcard
    assert shown(search="已落实") == (["落实用地指标"], 0)  # 进展
    assert shown(search="协调", unit_id=units[0]) == (["协调银行续贷"], 1)  # 措施
    # on another day the same measures count otherwise
    assert measures.ledger(db, LedgerQuery(), date(2025, 6, 11)).overdue == 3
