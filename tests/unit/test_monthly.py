"""The monthly grid's service: load, suggestions, saving with refusals and 说明, readiness."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import entry, monthly
from hengdong_desktop.services.monthly import RowEdit
from hengdong_desktop.services.readiness import BLOCKING, MISSING, UNEXPLAINED, readiness


def _enterprise(db, info, name: str, n: int) -> str:  # type: ignore[no-untyped-def]
    code = credit_code.complete(f"91430424MA4L{n:05d}")
    return entry.save(db, info, "enterprise", {"name": name, "credit_code": code, "domain_id": 1}).id


def _figures(output: str, output_ytd: str, **more: str) -> dict[str, str]:
    return {
        "output_month": output,
        "output_ytd": output_ytd,
        "revenue_month": output,
        "revenue_ytd": output_ytd,
        "tax_ytd": "1",
        "employees_end": "50",
        **more,
    }


@pytest.fixture
def two(township):  # type: ignore[no-untyped-def]
    db, info = township
    a = _enterprise(db, info, "甲公司", 1)
    b = _enterprise(db, info, "乙公司", 2)
    monthly.save_period(
        db, info, "2025-02", {"enterprise": [RowEdit(a, _figures("100", "200")), RowEdit(b, _figures("50", "90"))]}
    )
    return db, info, a, b


def test_grid_rows_carry_last_month(two) -> None:  # type: ignore[no-untyped-def]
    db, info, a, b = two
    grid = monthly.load_grid(db, "enterprise", "2025-03", info.unit_id)
    rows = {r.owner_id: r for r in grid.rows}
    assert set(rows) == {a, b} and rows[a].record_id is None
    assert rows[a].previous["output_ytd"] == Decimal("200") and rows[a].previous["period"] == "2025-02"
    feb = monthly.load_grid(db, "enterprise", "2025-02", info.unit_id)
    assert {r.values["output_month"] for r in feb.rows} == {Decimal(100), Decimal(50)}


def test_suggestion_adds_this_month_to_last_months_total() -> None:
    prev = {
        "period": "2025-02",
        "output_ytd": Decimal("200"),
        "invest_cumulative": Decimal("900"),
        "invest_ytd": Decimal("300"),
    }
    month = {"output_month": Decimal("100"), "invest_month": Decimal("50")}
    assert monthly.suggestion("enterprise", "2025-03", "output_ytd", month, prev) == Decimal("300")
    assert monthly.suggestion("enterprise", "2025-03", "tax_ytd", month, prev) is None
    assert monthly.suggestion("enterprise", "2025-01", "output_ytd", month, None) == Decimal("100")
    assert monthly.suggestion("enterprise", "2025-03", "output_ytd", month, None) is None
    dec = {**prev, "period": "2024-12"}
    assert monthly.suggestion("project", "2025-01", "invest_cumulative", month, dec) == Decimal("950")
    assert monthly.suggestion("project", "2025-01", "invest_ytd", month, dec) == Decimal("50")


def test_blocking_error_refuses_the_whole_save(two) -> None:  # type: ignore[no-untyped-def]
    db, info, a, b = two
    edits = {"enterprise": [RowEdit(a, _figures("10", "210")), RowEdit(b, _figures("10", "80"))]}
    with pytest.raises(entry.Refused) as refused:
        monthly.save_period(db, info, "2025-03", edits)
    assert refused.value.owner_id == b and refused.value.field == "output_ytd"
    assert "乙公司（2025-03）：1-本月累计产值" in str(refused.value)
    with db.read() as s:
        assert s.scalars(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.period == "2025-03")).all() == []


def test_unexplained_warning_keeps_the_period_not_ready(two) -> None:  # type: ignore[no-untyped-def]
    db, info, a, b = two
    # 甲: 本月 jumps from 100 to 180 (YB11 核实性); 乙 reports normally
    monthly.save_period(
        db, info, "2025-03", {"enterprise": [RowEdit(a, _figures("180", "380")), RowEdit(b, _figures("55", "145"))]}
    )
    ready = readiness(db, info.unit_id, "2025-03")
    assert not ready.ready and [(i.kind, i.owner_id, i.field) for i in ready.issues] == [
        (UNEXPLAINED, a, "output_month")
    ]
    monthly.save_period(db, info, "2025-03", {"enterprise": [RowEdit(a, {}, explanation="短")]})
    assert not readiness(db, info.unit_id, "2025-03").ready  # 核实性 wants at least 6 characters
    monthly.save_period(db, info, "2025-03", {"enterprise": [RowEdit(a, {}, explanation="新增大额订单集中交付")]})
    assert readiness(db, info.unit_id, "2025-03").ready
    grid = monthly.load_grid(db, "enterprise", "2025-03", info.unit_id)
    row = next(r for r in grid.rows if r.owner_id == a)
    assert row.explanations == {"YB11": "新增大额订单集中交付"} and [f.rule_id for f in row.findings] == ["YB11"]


def test_readiness_lists_missing_figures_and_errors(two) -> None:  # type: ignore[no-untyped-def]
    db, info, a, b = two
    project = entry.save(
        db, info, "project", {"name": "甲项目", "domain_id": 1, "total_investment": "20000", "status": "在建"}
    )
    entry.save(db, info, "project", {"name": "乙项目", "domain_id": 1, "total_investment": "20000", "status": "储备"})
    ready = readiness(db, info.unit_id, "2025-03")
    assert {(i.kind, i.grid, i.owner_id) for i in ready.issues} == {
        (MISSING, "enterprise", a),
        (MISSING, "enterprise", b),
        (MISSING, "project", project.id),
    }
    assert ready.counted == {"enterprise": 2, "project": 1}
    # a stored error (written around the form, e.g. by an old import) is listed with its field
    with db.write(info.actor("cli")) as s:
        s.add(
            m.EnterpriseMonthly(
                unit_id=info.unit_id, enterprise_id=a, period="2025-03", output_month=Decimal(5), output_ytd=Decimal(1)
            )
        )
    ready = readiness(db, info.unit_id, "2025-03")
    blocking = [i for i in ready.issues if i.kind == BLOCKING]
    assert {i.field for i in blocking} >= {"output_ytd", "output_month"} and blocking[0].owner_id == a
    assert ready.issues[0].kind == BLOCKING


def test_project_grid_and_county_saves_for_the_owners_unit(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    project = entry.save(
        db,
        info,
        "project",
        {"name": "甲项目", "unit_id": 3, "domain_id": 1, "total_investment": "20000", "status": "在建"},
    )
    grid = monthly.load_grid(db, "project", "2025-01", None)
    assert [r.owner_id for r in grid.rows] == [project.id] and grid.rows[0].expected
    monthly.save_period(
        db,
        info,
        "2025-01",
        {
            "project": [
                RowEdit(
                    project.id,
                    {
                        "invest_month": "30000",
                        "invest_cumulative": "30000",
                        "invest_ytd": "30000",
                        "progress": "主体施工",
                    },
                    explanation="追加投资，总投资调整待批",
                )
            ]
        },
    )
    with db.read() as s:
        row = s.scalar(select(m.ProjectMonthly))
        assert row.unit_id == 3 and row.progress == "主体施工"
    ready = readiness(db, None, "2025-01")
    assert ready.ready, ready.issues  # XY05 (over the total) is explained


def test_a_row_changed_by_someone_else_since_loading_is_not_overwritten(two) -> None:  # type: ignore[no-untyped-def]
    db, info, a, b = two
    grid = {r.owner_id: r for r in monthly.load_grid(db, "enterprise", "2025-02", info.unit_id).rows}
    march = {r.owner_id: r for r in monthly.load_grid(db, "enterprise", "2025-03", info.unit_id).rows}
    # meanwhile another officer saves 甲's February row and fills 乙's March row
    monthly.save_period(db, info, "2025-02", {"enterprise": [RowEdit(a, {"employees_end": "60"})]})
    monthly.save_period(db, info, "2025-03", {"enterprise": [RowEdit(b, _figures("60", "150"))]})
    with pytest.raises(UserError, match="甲公司.*已被其他人修改"):
        monthly.save_period(
            db, info, "2025-02", {"enterprise": [RowEdit(a, {"employees_end": "55"}, None, grid[a].revision)]}
        )
    with pytest.raises(UserError, match="乙公司.*已被其他人修改"):
        monthly.save_period(
            db, info, "2025-03", {"enterprise": [RowEdit(b, _figures("70", "160"), None, march[b].revision)]}
        )
    saved = {r.owner_id: r for r in monthly.load_grid(db, "enterprise", "2025-02", info.unit_id).rows}
    assert saved[a].values["employees_end"] == 60
    # with the revision as it is now, the save goes through
    monthly.save_period(
        db, info, "2025-02", {"enterprise": [RowEdit(a, {"employees_end": "55"}, None, saved[a].revision)]}
    )


def test_one_readiness_for_the_panel_the_status_bar_and_the_export_gate(two, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The issue's thirteenth case: a warning of an earlier month, unexplained, is listed by the
    panel of a later month, counted by the status bar, and is what the export refuses for."""
    from hengdong_desktop.services.packages import export as packages
    from tests.package_support import make_county, pin

    db, info, a, b = two
    pin(make_county(tmp_path), db.path)  # the county's key is known: only the findings stand in the way
    monthly.save_period(
        db, info, "2025-03", {"enterprise": [RowEdit(a, _figures("180", "380")), RowEdit(b, _figures("55", "145"))]}
    )
    april = readiness(db, info.unit_id, "2025-04")  # March's unexplained warning, and April's empty rows
    assert [(i.kind, i.period, i.owner_id, i.grid) for i in april.issues if i.kind != MISSING] == [
        (UNEXPLAINED, "2025-03", a, "enterprise")
    ]
    assert april.count(MISSING) == 2 and not april.ready and april.open_count == 1
    gate = packages.readiness(db)
    assert not gate.ready and gate.report.open_count == april.open_count
    with pytest.raises(UserError) as refused:
        packages.export_report(db, tmp_path / "x.hdpkg", period="2025-04")
    assert "0条错误和1条未说明的警告" in str(refused.value) and len(refused.value.details) == len(april.problems())
    monthly.save_period(db, info, "2025-03", {"enterprise": [RowEdit(a, {}, explanation="新增大额订单集中交付")]})
    april = readiness(db, info.unit_id, "2025-04")
    assert april.ready and april.count(MISSING) == 2  # empty April rows do not block the package
    # a finding on a record outside the grids opens its editor: here an enterprise's yearly figures
    entry.save(
        db,
        info,
        "enterprise",
        entry.load(db, "enterprise", a).values,
        record_id=a,
        annual=[{"id": None, "year": "2024", "revenue": "10", "tax": "20"}],
    )
    (issue,) = [i for i in readiness(db, info.unit_id).issues]
    assert (issue.entity, issue.owner, issue.owner_id, issue.grid, issue.field) == (
        "enterprise_annual",
        "enterprise",
        a,
        None,
        "tax",
    )
