"""Reference data as data: the county's edits (audited, versioned, validated) and the snapshot
that carries them to a township database."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code
from hengdong_desktop.domain import reference as r
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import reference_admin as ra
from hengdong_desktop.services.figures import programme_figures, reporting_status
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.setup import read_info


def _audit(db, entity: str, entity_id: str | None = None) -> list[tuple[str, str | None, str | None, str | None]]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        stmt = select(m.AuditEntry).where(m.AuditEntry.entity == entity)
        if entity_id is not None:
            stmt = stmt.where(m.AuditEntry.entity_id == entity_id)
        return [
            (a.action, a.field, a.old_value, a.new_value)
            for a in s.scalars(stmt.order_by(m.AuditEntry.id))
            if a.source == "reference"
        ]


def _unit(db, unit_id: int) -> ra.UnitRow:  # type: ignore[no-untyped-def]
    return next(u for u in ra.tables(db).units if u.id == unit_id)


def _add_enterprise(db, info, unit_id: int) -> str:  # type: ignore[no-untyped-def]
    with db.write(info.actor("form")) as s:
        e = m.Enterprise(
            credit_code=credit_code.complete("91430424MA4L00001"),
            name="衡东县测试机械有限公司",
            unit_id=unit_id,
            domain_id=1,
            industry_id=1,
            chain_id=1,
        )
        s.add(e)
        s.flush()
        return e.id


def test_unit_code_change_keeps_identity_records_and_history(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ent = _add_enterprise(db, info, 1)
    before = ra.tables(db).version
    unit = _unit(db, 1)
    assert (unit.code, unit.provisional_code, unit.in_use) == ("HD01", True, 1)
    assert ra.save_unit(db, info.actor("reference"), replace(unit, code="430424101", provisional_code=False)) == 1
    ref = load_reference(db)
    assert ref.find_unit("430424101").name == "洣水镇" and ref.find_unit("HD01") is None
    with db.read() as s:
        assert s.get(m.Enterprise, ent).unit_id == 1
    assert ("update", "code", "HD01", "430424101") in _audit(db, "units", "1")
    assert ("update", "provisional_code", "true", "false") in _audit(db, "units", "1")
    assert ra.tables(db).version == before + 1


def test_an_edit_that_changes_nothing_leaves_version_and_audit_alone(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    before = ra.tables(db).version
    ra.save_unit(db, info.actor("reference"), _unit(db, 2))
    ra.set_due_day(db, info.actor("reference"), ra.DEFAULT_DUE_DAY)
    assert ra.tables(db).version == before
    assert _audit(db, "units") == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": "430424104"}, "单位代码“430424104”已被“吴集镇”使用"),
        ({"name": "吴集镇"}, "单位名称“吴集镇”已被“吴集镇”使用"),
        ({"code": "  "}, "单位代码不能为空"),
        ({"kind": "村"}, "单位类型“村”无效"),
        ({"active": False}, "单位“洣水镇”还有在库企业或项目1个，不能停用"),
    ],
)
def test_unit_edits_refused_with_a_reason_and_nothing_written(county, change, message) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    _add_enterprise(db, info, 1)
    before = ra.reference_snapshot(db)
    with pytest.raises(UserError, match=message):
        ra.save_unit(db, info.actor("reference"), replace(_unit(db, 1), **change))
    assert ra.reference_snapshot(db) == before


def test_new_unit_and_the_county_cannot_be_switched_off(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    new_id = ra.save_unit(db, info.actor("reference"), ra.UnitRow(None, "HD19", "新设镇", "镇", provisional_code=True))
    assert new_id not in {u.id for u in load_reference(db).all_units()} - {new_id}
    assert load_reference(db).find_unit("新设镇").id == new_id
    assert len(reporting_status(db, "2025-03", today=date(2025, 4, 1)).units) == 19
    ra.save_unit(db, info.actor("reference"), replace(_unit(db, new_id), active=False))
    assert load_reference(db).find_unit("新设镇") is None  # inactive units are not offered
    with pytest.raises(UserError, match="不能停用"):
        ra.save_unit(db, info.actor("reference"), replace(_unit(db, 100), active=False))
    with pytest.raises(ValueError):
        ra.save_unit(db, info.actor("form"), _unit(db, 2))  # reference data is written as "reference"


def test_departments_and_lead_departments(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    actor = info.actor("reference")
    dept = ra.save_department(db, actor, ra.NamedRow(None, "县数据局"))
    ra.set_lead_departments(db, actor, 4, [*ra.tables(db).domains[3].lead_department_ids, dept])
    assert load_reference(db).domain(4).lead_departments[-1] == "县数据局"
    with pytest.raises(UserError, match="是“服务业”领域的牵头部门，不能停用"):
        ra.save_department(db, actor, ra.NamedRow(dept, "县数据局", active=False))
    with pytest.raises(UserError, match="至少要有一个牵头部门"):
        ra.set_lead_departments(db, actor, 4, [])
    ra.set_lead_departments(db, actor, 4, [dept])
    assert load_reference(db).domain(4).lead_departments == ("县数据局",)
    assert [a for a, *_ in _audit(db, "domain_departments")] == ["create", "remove", "remove", "remove", "remove"]


def test_a_domain_saves_its_lead_departments_and_measure_together(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    actor = info.actor("reference")
    before = ra.tables(db).domains[3]
    gone = ra.save_department(db, actor, ra.NamedRow(None, "县数据局"))
    ra.save_department(db, actor, ra.NamedRow(gone, "县数据局", active=False))
    version = read_info(db).reference_version
    with pytest.raises(UserError, match="不存在或已停用"):  # the measure alone would be valid
        ra.save_domain(db, actor, replace(before, lead_department_ids=(gone,), measure=r.REVENUE))
    assert ra.tables(db).domains[3] == before and read_info(db).reference_version == version
    ra.save_domain(db, actor, replace(before, lead_department_ids=before.lead_department_ids[:1], measure=r.REVENUE))
    after = ra.tables(db).domains[3]
    assert (after.lead_department_ids, after.measure) == (before.lead_department_ids[:1], r.REVENUE)
    assert read_info(db).reference_version == version + 1  # one change, one version


def test_industries_chains_and_options(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    actor = info.actor("reference")
    _add_enterprise(db, info, 1)
    new = ra.save_industry(db, actor, ra.IndustryRow(None, "新能源", 1))
    f = programme_figures(db, "2025-03", today=date(2025, 4, 1))
    energy = next(i for i in f.industries if i.industry_id == new)
    assert (energy.enterprises, energy.output_to_date, energy.target) == (0, D(0), None)  # no enterprises, no target
    with pytest.raises(UserError, match="产业“机械制造”还有在库企业或项目1个"):
        ra.save_industry(db, actor, ra.IndustryRow(1, "机械制造", 1, active=False))
    ra.save_industry(db, actor, ra.IndustryRow(9, "现代供应链", 1))  # moved to another domain: its target follows
    with db.read() as s:
        assert s.scalar(select(m.Target.domain_id).where(m.Target.industry_id == 9)) == 1
    with pytest.raises(UserError, match="还有在库企业或项目1个，不能停用"):
        ra.save_chain(db, actor, ra.NamedRow(1, "机械制造", active=False))
    ra.save_option(db, actor, ra.OptionRow("need_category", "人才"))
    ra.save_option(db, actor, ra.OptionRow("need_category", "市场开拓", active=False))
    options = load_reference(db).options["need_category"]
    assert options[-1] == "人才" and "市场开拓" not in options
    with pytest.raises(UserError, match="由系统流程使用"):
        ra.save_option(db, actor, ra.OptionRow("project_status", "开工", active=False))


def test_yearly_targets(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    actor = info.actor("reference")
    assert ra.tables(db).target_years == [2025]
    slots = ra.targets_of_year(db, 2024)
    assert len(slots) == 3 + 4 * 3 + 9 and all(t.value is None for t in slots)
    plan = ra.targets_of_year(db, 2025)
    assert {t.value for t in plan if t.metric == r.BILLION_ENTERPRISES and t.domain_id is None} == {D(18)}
    interim = [
        replace(t, value=D(12)) if t.metric == r.BILLION_ENTERPRISES and t.domain_id is None else t for t in plan
    ]
    assert ra.save_targets(db, actor, 2024, interim) == len(plan)
    f = programme_figures(db, "2024-06", today=date(2025, 1, 1))
    assert (f.target_year, f.headline[r.BILLION_ENTERPRISES].target) == (2024, D(12))
    assert ra.save_targets(db, actor, 2024, interim) == 0
    assert ra.save_targets(db, actor, 2024, [replace(interim[0], value=None)]) == 1
    assert _audit(db, "targets")[-1][0] == "remove"
    with pytest.raises(UserError, match="应为整数"):
        ra.save_targets(db, actor, 2024, [replace(interim[1], value=D("2.5"))])
    with pytest.raises(UserError, match="不能为负数"):
        ra.save_targets(db, actor, 2024, [replace(interim[-1], value=D(-1))])


def test_due_day_is_reference_data_and_audited(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ra.set_due_day(db, info.actor("reference"), 5)
    assert ra.tables(db).due_day == 5
    assert reporting_status(db, "2025-03", today=date(2025, 4, 6)).overdue  # due on 2025-04-05
    assert _audit(db, "app_meta", "report_due_day") == [("update", "value", None, "5")]
    with pytest.raises(UserError, match="1日至28日"):
        ra.set_due_day(db, info.actor("reference"), 31)


# --- the snapshot, county → township -----------------------------------------------------------
def _county_edits(db, info) -> None:  # type: ignore[no-untyped-def]
    actor = info.actor("reference")
    ra.save_unit(db, actor, replace(_unit(db, 1), code="430424101", provisional_code=False))
    # swap two codes, through a temporary one as a clerk would
    ra.save_unit(db, actor, replace(_unit(db, 3), code="TEMP"))
    ra.save_unit(db, actor, replace(_unit(db, 4), code="HD03"))
    ra.save_unit(db, actor, replace(_unit(db, 3), code="HD04"))
    ra.save_unit(db, actor, ra.UnitRow(None, "HD19", "新设镇", "镇", provisional_code=True))
    dept = ra.save_department(db, actor, ra.NamedRow(None, "县数据局"))
    ra.set_lead_departments(db, actor, 1, [1, dept])
    ra.save_industry(db, actor, ra.IndustryRow(None, "新能源", 1))
    ra.save_chain(db, actor, ra.NamedRow(5, "生物医药", active=False))
    ra.save_option(db, actor, ra.OptionRow("problem_category", "环保"))
    ra.save_targets(db, actor, 2024, [replace(t, value=D(1)) for t in ra.targets_of_year(db, 2024)])
    ra.save_targets(db, actor, 2025, [replace(ra.targets_of_year(db, 2025)[0], value=D(6))])
    ra.set_due_day(db, actor, 8)


def test_snapshot_round_trips_from_county_to_township(county, township) -> None:  # type: ignore[no-untyped-def]
    cdb, cinfo = county
    tdb, tinfo = township
    assert ra.reference_snapshot(tdb) == ra.reference_snapshot(cdb)  # both seeded from the plan
    _county_edits(cdb, cinfo)
    snapshot = json.loads(ra.snapshot_json(ra.reference_snapshot(cdb)))  # as it travels
    assert snapshot["reference_version"] == 1 + 13
    update = ra.apply_reference_snapshot(tdb, snapshot)
    assert update.applied and (update.from_version, update.to_version) == (1, 14)
    assert ra.reference_snapshot(tdb) == ra.reference_snapshot(cdb)
    assert "单位“洣水镇”：代码 HD01 → 430424101，临时代码 是 → 否" in update.changes
    assert "单位“三樟镇”：代码 HD03 → HD04" in update.changes  # the swap arrives in one step
    assert "新增部门“县数据局”" in update.changes and "停用产业链“生物医药”" in update.changes
    assert "2024年目标任务已更新" in update.changes and "上报截止日改为次月8日" in update.changes
    assert read_info(tdb).reference_version == 14 and read_info(tdb).unit_id == tinfo.unit_id
    assert ("update", "code", "HD03", "HD04") in _audit(tdb, "units", "3")  # audited old → new, not via a parked value
    assert load_reference(tdb) == load_reference(cdb)
    f = programme_figures(tdb, "2024-05", today=date(2025, 1, 1))
    assert f.headline[r.BILLION_ENTERPRISES].target == D(1)

    with tdb.read() as s:
        audit_rows = s.scalar(select(func.count()).select_from(m.AuditEntry))
    again = ra.apply_reference_snapshot(tdb, snapshot)
    assert again.applied and again.changes == []
    with tdb.read() as s:
        assert s.scalar(select(func.count()).select_from(m.AuditEntry)) == audit_rows


def test_an_older_snapshot_changes_nothing(county, township) -> None:  # type: ignore[no-untyped-def]
    cdb, cinfo = county
    tdb, _ = township
    old = ra.reference_snapshot(cdb)
    _county_edits(cdb, cinfo)
    ra.apply_reference_snapshot(tdb, ra.reference_snapshot(cdb))
    result = ra.apply_reference_snapshot(tdb, old)
    assert not result.applied and (result.from_version, result.to_version) == (14, 1)
    assert ra.reference_snapshot(tdb) == ra.reference_snapshot(cdb)


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda s: s.update(format="other"), "不是基础数据快照"),
        (lambda s: s.update(format_version=99), "请升级本程序"),
        (lambda s: s["units"][0].pop("code"), "“单位”缺少字段"),
        (lambda s: s["units"].append(dict(s["units"][0])), "“单位”编号重复"),
        (lambda s: s["targets"][0].update(value="很多"), "目标值不是数字"),
        (lambda s: s["targets"][0].update(metric="gdp"), "目标任务无效"),
        (lambda s: s["settings"].update({"project_parameter.stall_months": "0"}), "项目预警参数"),
        (lambda s: s["settings"].update({"project_parameter.stall_months": "三"}), "项目预警参数"),
    ],
)
def test_a_damaged_snapshot_is_refused_before_anything_is_written(county, township, damage, message) -> None:  # type: ignore[no-untyped-def]
    cdb, cinfo = county
    tdb, _ = township
    _county_edits(cdb, cinfo)
    snapshot = ra.reference_snapshot(cdb)
    damage(snapshot)
    before = ra.reference_snapshot(tdb)
    with pytest.raises(UserError, match=message):
        ra.apply_reference_snapshot(tdb, snapshot)
    assert ra.reference_snapshot(tdb) == before


def test_leaders_and_warning_numbers_travel_and_an_older_snapshot_without_leaders_keeps_them(county, township) -> None:  # type: ignore[no-untyped-def]
    cdb, cinfo = county
    tdb, _ = township
    actor = cinfo.actor("reference")
    leader = ra.save_leader(cdb, actor, ra.LeaderRow(None, "谭某某", "副县长"))
    ra.set_project_parameter(cdb, actor, "slow_percent", 70)
    with pytest.raises(UserError, match="应在1至100%之间"):
        ra.set_project_parameter(cdb, actor, "slow_percent", 0)
    update = ra.apply_reference_snapshot(tdb, ra.reference_snapshot(cdb))
    assert "新增县领导“谭某某”" in update.changes
    assert "“推而不快：本年累计完成投资低于按月均摊年度计划的比例”改为70%" in update.changes
    ref = load_reference(tdb)
    assert [(x.id, x.name, x.title) for x in ref.leaders] == [(leader, "谭某某", "副县长")]
    assert ref.parameter("slow_percent") == 70
    older = ra.reference_snapshot(cdb)
    del older["leaders"]  # written by a release before the leaders' list
    older["reference_version"] += 1
    ra.apply_reference_snapshot(tdb, older)
    assert [x.name for x in load_reference(tdb).leaders] == ["谭某某"]


def test_change_log_lists_reference_edits_newest_first(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    ra.save_unit(db, info.actor("reference"), replace(_unit(db, 1), code="430424101"))
    ra.set_due_day(db, info.actor("reference"), 6)
    log = ra.reference_changes(db)
    assert [(c.entity, c.field, c.new_value) for c in log[:2]] == [
        ("app_meta", "value", "6"),
        ("units", "code", "430424101"),
    ]
    assert all(c.source == "reference" and c.operator == "李四" for c in log[:2])
    assert any(c.source == "setup" for c in log)  # the seeding is in the log too
