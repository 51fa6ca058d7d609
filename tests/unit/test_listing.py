"""The library lists in SQL: role, search, filters, sorting and paging."""

from __future__ import annotations

from datetime import date

from hengdong_desktop.domain import credit_code
from hengdong_desktop.services import demo, entry, listing
from hengdong_desktop.services.listing import NO_INDUSTRY, REMOVED, Query


def _add(db, info, name: str, code17: str, output: str | None = None, **values: object) -> str:  # type: ignore[no-untyped-def]
    """An enterprise, with its 2024 output when given (the list's 最近年度产值)."""
    annual = (
        [{"id": None, "year": "2023", "output": "99999"}, {"id": None, "year": "2024", "output": output}]
        if output
        else []
    )
    return entry.save(
        db,
        info,
        "enterprise",
        {"name": name, "credit_code": credit_code.complete(code17), "domain_id": 1, **values},
        annual=annual,
    ).id


def test_township_sees_its_own_unit_and_the_county_all(training_county) -> None:  # type: ignore[no-untyped-def]
    db, info = training_county
    demo.generate(db, enterprises=3, months=1, projects=1, seed=4)
    ref = entry.reference(db)
    everything = listing.enterprises(ref, None)
    assert "所属单位" in [c.label for c in everything.columns]
    assert everything.count(db, everything.default_query()) == 18 * 3
    one_unit = everything.default_query().with_filter("unit", 2)
    rows = everything.page(db, one_unit, 100)
    assert len(rows) == 3 and {everything.text(r, "unit") for r in rows} == {"吴集镇"}
    own = listing.enterprises(ref, 2)
    assert "所属单位" not in [c.label for c in own.columns] and own.count(db, own.default_query()) == 3


def test_search_matches_any_part_of_name_or_code(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    a = _add(db, info, "衡东县金瑞机械制造有限公司", "91430424MA4L00001")
    b = _add(db, info, "湖南洣水食品有限公司", "91430424MA4L00002")
    lst = listing.enterprises(entry.reference(db), info.unit_id)

    def found(text: str) -> set[str]:
        return {r.id for r in lst.page(db, Query(search=text), 50)}

    assert found("机械") == {a}
    assert found("洣水食品") == {b}
    assert found(" ma4l00002") == {b}  # lower case, surrounding space: still the credit code
    assert found("９１４３") == {a, b}  # full-width digits from a Chinese input method
    assert found("不存在") == set()
    assert lst.count(db, Query(search="有限公司")) == 2


def test_filters(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with_industry = _add(db, info, "甲公司", "91430424MA4L00001", industry_id=1, si_shang_category="规模以上工业")
    other = _add(db, info, "乙公司", "91430424MA4L00002")
    entry.save(
        db,
        info,
        "enterprise",
        entry.load(db, "enterprise", other).values,
        record_id=other,
        memberships=[
            {"id": None, "list_name": "链主企业", "date_in": "2024-01-01"},
            {
                "id": None,
                "list_name": "隐形冠军",
                "date_in": "2023-01-01",
                "date_out": "2024-01-01",
                "reason_out": "不再符合",
            },
        ],
    )
    removed = _add(db, info, "丙公司", "91430424MA4L00003")
    entry.remove(db, info, "enterprise", removed, "企业注销")
    lst = listing.enterprises(entry.reference(db), info.unit_id)
    base = lst.default_query()

    def ids(query: Query) -> set[str]:
        return {r.id for r in lst.page(db, query, 50)}

    assert ids(base) == {with_industry, other}
    assert ids(base.with_filter("industry", 1)) == {with_industry}
    assert ids(base.with_filter("industry", NO_INDUSTRY)) == {other}
    assert ids(base.with_filter("si_shang", "规模以上工业")) == {with_industry}
    assert ids(base.with_filter("list", "链主企业")) == {other}
    assert ids(base.with_filter("list", "隐形冠军")) == set()  # left that list
    rows = lst.page(db, base.with_filter("record_status", REMOVED), 50)
    assert [r.id for r in rows] == [removed] and rows[0].removed
    assert lst.text(rows[0], "status") == "已调出：企业注销"
    lists = {r.id: lst.text(r, "lists") for r in lst.page(db, base, 50)}
    assert lists == {other: "链主企业", with_industry: ""}


def test_paging_follows_every_sort_order_with_gaps_and_ties(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    outputs = ["100", None, "300", "100", None, "200", "100"]
    for i, output in enumerate(outputs):
        _add(db, info, f"企业{i % 3}", f"91430424MA4L0000{i}", output=output)
    lst = listing.enterprises(entry.reference(db), info.unit_id)
    for key in ("output", "name", "industry", "status"):
        for descending in (False, True):
            query = Query(sort=key, descending=descending)
            whole = lst.page(db, query, 100)
            paged, after = [], None
            while True:
                page = lst.page(db, query, 2, after)
                paged += page
                if len(page) < 2:
                    break
                after = page[-1].cursor
            assert [r.id for r in paged] == [r.id for r in whole], (key, descending)
    shown = [lst.text(r, "output") for r in lst.page(db, Query(sort="output", descending=True), 100)]
    assert shown == ["300.00", "200.00", "100.00", "100.00", "100.00", "", ""]


def test_problems_show_days_open_and_filter_by_status(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    ent = _add(db, info, "甲公司", "91430424MA4L00001")
    for status, solved in (("待办", None), ("办理中", None), ("已解决", "2025-01-21")):
        entry.save(
            db,
            info,
            "problem",
            {
                "enterprise_id": ent,
                "category": "融资",
                "description": f"问题{status}",
                "raised_on": "2025-01-01",
                "status": status,
                "solved_on": solved,
                "resolution": "已协调" if solved else None,
            },
        )
    lst = listing.problems(entry.reference(db), info.unit_id, today=date(2025, 3, 2))
    rows = lst.page(db, lst.default_query(), 10)
    days = {lst.text(r, "status"): lst.text(r, "days_open") for r in rows}
    assert days == {"待办": "60", "办理中": "60", "已解决": "20"}
    assert {lst.text(r, "target") for r in rows} == {"甲公司"}
    assert lst.count(db, lst.default_query().with_filter("status", "__open__")) == 2
    assert lst.count(db, Query(search="甲公")) == 3


def test_projects_by_source_chain_and_this_years_plan(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    today = date(2025, 5, 1)

    def add(name: str, **values: object) -> str:
        return (
            entry.save(
                db,
                info,
                "project",
                {"name": name, "domain_id": 1, "total_investment": "20000", "status": "在建", **values},
                plans=[{"id": None, "year": 2025, "plan_investment": "6000"}],
                today=today,
            ).id
            or ""
        )

    promoted = add(
        "甲项目",
        source="招商引进",
        investment_source="在外衡商",
        chain_id=2,
        signed_on="2024-12-01",
        contract_investment="18000",
    )
    other = add("乙项目", source="转型升级")
    lst = listing.projects(entry.reference(db), info.unit_id, today=today)
    base = lst.default_query()

    def ids(query: Query) -> set[str]:
        return {r.id for r in lst.page(db, query, 50)}

    assert ids(base.with_filter("source", "招商引进")) == {promoted}
    assert ids(base.with_filter("investment_source", "在外衡商")) == {promoted}
    assert ids(base.with_filter("chain", 2)) == {promoted} and ids(base) == {promoted, other}
    row = next(r for r in lst.page(db, base, 50) if r.id == promoted)
    assert (lst.text(row, "year_plan"), lst.text(row, "contract"), lst.text(row, "chain")) == (
        "6,000.00",
        "18,000.00",
        "有色金属",
    )
    assert "2025年计划投资(万元)" in [c.label for c in lst.columns]
