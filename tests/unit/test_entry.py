"""Entering records through services/entry.py: checks, saves, refusals, tombstones, history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks, entry

CODE = credit_code.complete("91430424MA4L12345")
OTHER_CODE = credit_code.complete("91430424MA4L12346")


def enterprise(**values: object) -> dict[str, object]:
    return {
        "name": "衡东县测试机械有限公司",
        "credit_code": CODE,
        "domain_id": 1,
        "industry_id": 1,
        "need_categories": ["融资"],
        **values,
    }


def count(db, model) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)))


def form_audit(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.source == "form")))


def test_new_enterprise_with_membership_is_saved_with_audit(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = entry.save(
        db,
        info,
        "enterprise",
        enterprise(credit_code=CODE.lower()),
        memberships=[
            {
                "id": None,
                "list_name": "专精特新企业",
                "level": "创新型中小企业",
                "date_in": "2024年3月1日",
                "reason_in": "省厅认定",
            }
        ],
        annual=[{"id": None, "year": "2024", "output": "12,345.6", "employees": "120"}],
    )
    assert saved.unit_id == info.unit_id and saved.values["credit_code"] == CODE
    assert saved.annual == [
        {
            "id": saved.annual[0]["id"],
            "year": 2024,
            "output": Decimal("12345.6"),
            "revenue": None,
            "tax": None,
            "employees": 120,
        }
    ]
    assert saved.memberships[0]["date_in"] == date(2024, 3, 1)
    changes = entry.history(db, "enterprise", saved.id)
    assert {(c.action, c.part) for c in changes} == {
        ("新建", "企业"),
        ("新建", "培育名录：专精特新企业"),
        ("新建", "年度数据：2024年"),
    }
    assert all(c.operator == "张三" and c.source == "表单录入" for c in changes)


def test_invalid_credit_code_is_refused_naming_the_field(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    bad = CODE[:17] + ("0" if CODE[17] != "0" else "1")
    checked = entry.check(db, info, "enterprise", enterprise(credit_code=bad))
    assert [f.fields[0] for f in checked.blocking] == ["credit_code"]
    with pytest.raises(entry.Refused) as refused:
        entry.save(db, info, "enterprise", enterprise(credit_code=bad))
    assert refused.value.field == "credit_code" and "校验位错误" in str(refused.value)
    assert count(db, m.Enterprise) == 0 and form_audit(db) == 0


def test_unreadable_and_missing_values_are_findings_at_their_fields(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    checked = entry.check(db, info, "enterprise", enterprise(name="", founded_on="2024-13-01"))
    assert {f.fields[0] for f in checked.blocking} == {"name", "founded_on"}
    year = entry.check_annual({"year": None, "employees": "三十"}, entry.reference(db))
    assert {f.fields[0] for f in year.blocking} == {"year", "employees"}
    assert any("不是整数" in f.message for f in year.for_field("employees"))


def test_duplicate_credit_code_is_refused(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    entry.save(db, info, "enterprise", enterprise())
    with pytest.raises(entry.Refused, match="已被吴集镇的“衡东县测试机械有限公司”使用"):
        entry.save(db, info, "enterprise", enterprise(name="另一家公司"))


def test_warning_is_saved_with_its_explanation(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    year = {"year": "2024", "revenue": "100", "tax": "200"}
    checked = entry.check_annual(year, entry.reference(db))
    assert [f.rule_id for f in checked.to_explain] == ["QY03"] and not checked.blocking
    saved = entry.save(
        db,
        info,
        "enterprise",
        enterprise(),
        annual=[{"id": None, **year, "explanations": {"QY03": "含以前年度补缴税款"}}],
    )
    annual_id = saved.annual[0]["id"]
    report = checks.check_database(db, unit_id=info.unit_id)
    (finding,) = [f for f in report.findings if f.rule_id == "QY03"]
    assert finding.record_id == annual_id and report.explanation(finding) == "含以前年度补缴税款"
    # the same year again is that row, not a second one; a second row for one year is refused
    again = entry.save(
        db,
        info,
        "enterprise",
        saved.values,
        record_id=saved.id,
        revision=saved.revision,
        annual=[{"id": annual_id, **year, "tax": "50"}],
    )
    assert [a["tax"] for a in again.annual] == [Decimal(50)] and checks.check_database(db).ready
    with pytest.raises(UserError, match="2024年的年度数据填了两行"):
        entry.save(
            db,
            info,
            "enterprise",
            saved.values,
            record_id=saved.id,
            revision=again.revision,
            annual=[{"id": None, "year": "2024"}, {"id": None, "year": "2024"}],
        )


def test_stale_revision_and_other_units_are_refused(township, county) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = entry.save(db, info, "enterprise", enterprise())
    entry.save(db, info, "enterprise", {**saved.values, "notes": "一"}, record_id=saved.id, revision=saved.revision)
    with pytest.raises(UserError, match="已被修改"):
        entry.save(db, info, "enterprise", {**saved.values, "notes": "二"}, record_id=saved.id, revision=saved.revision)
    # the township cannot file an enterprise under another unit: the unit is always its own
    other = entry.save(db, info, "enterprise", enterprise(credit_code=OTHER_CODE, name="乙公司", unit_id=1))
    assert other.unit_id == info.unit_id


def test_county_enters_for_a_chosen_unit(county) -> None:  # type: ignore[no-untyped-def]
    db, info = county
    with pytest.raises(entry.Refused) as refused:
        entry.save(db, info, "enterprise", enterprise())
    assert refused.value.field == "unit_id"
    saved = entry.save(db, info, "enterprise", enterprise(unit_id="洣水镇"))
    assert saved.unit_id == 1
    moved = entry.save(db, info, "enterprise", {**saved.values, "unit_id": 5}, record_id=saved.id)
    assert moved.unit_id == 1  # a record never changes unit in the editor


def test_remove_needs_a_reason_and_restore_brings_it_back(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = entry.save(db, info, "enterprise", enterprise())
    with pytest.raises(UserError, match="原因"):
        entry.remove(db, info, "enterprise", saved.id, "  ")
    entry.remove(db, info, "enterprise", saved.id, "迁出本单位")
    assert entry.load(db, "enterprise", saved.id).removed_reason == "迁出本单位"
    with pytest.raises(UserError, match="请先恢复"):
        entry.save(db, info, "enterprise", saved.values, record_id=saved.id)
    # while it is out, its credit code may be given to another enterprise: then it cannot come back
    newcomer = entry.save(db, info, "enterprise", enterprise(name="新企业"))
    with pytest.raises(UserError, match="不能恢复"):
        entry.restore(db, info, "enterprise", saved.id)
    entry.remove(db, info, "enterprise", newcomer.id, "重复录入")
    entry.restore(db, info, "enterprise", saved.id)
    assert entry.load(db, "enterprise", saved.id).removed_reason is None
    actions = [c.action for c in entry.history(db, "enterprise", saved.id)]
    assert actions[:2] == ["恢复", "调出/删除"]


def test_restore_checks_the_record_as_it_is_now(township) -> None:  # type: ignore[no-untyped-def]
    """A removed record that no longer passes the rules (it came in a package, or the rules
    changed) is not brought back to life."""
    from hengdong_desktop.db.types import utcnow

    db, info = township
    saved = entry.save(db, info, "enterprise", enterprise())
    with db.write(info.actor("merge")) as s:
        ent = s.get(m.Enterprise, saved.id)
        ent.deleted_at, ent.deleted_reason = utcnow(), "注销"
        ent.credit_code = "000000000000000000"
    with pytest.raises(UserError, match="不能恢复.*登记管理部门代码"):
        entry.restore(db, info, "enterprise", saved.id)
    assert entry.load(db, "enterprise", saved.id).removed_reason == "注销"


def test_memberships_are_checked_and_wrong_ones_tombstoned(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with pytest.raises(entry.Refused, match="培育名录“专精特新企业”：专精特新企业须填写级别"):
        entry.save(
            db,
            info,
            "enterprise",
            enterprise(),
            memberships=[{"id": None, "list_name": "专精特新企业", "date_in": "2024-01-01"}],
        )
    assert count(db, m.Enterprise) == 0
    saved = entry.save(
        db,
        info,
        "enterprise",
        enterprise(),
        memberships=[{"id": None, "list_name": "链主企业", "date_in": "2024-01-01"}],
    )
    row = dict(saved.memberships[0])
    with pytest.raises(entry.Refused, match="调出名录须填写调出原因"):
        entry.save(
            db, info, "enterprise", saved.values, record_id=saved.id, memberships=[{**row, "date_out": "2025-01-01"}]
        )
    saved = entry.save(db, info, "enterprise", saved.values, record_id=saved.id, memberships=[{**row, "removed": True}])
    assert saved.memberships == []
    with db.read() as s:
        assert s.get(m.Membership, row["id"]).deleted_reason.startswith("从培育名录记录中删除")


def test_project_and_problem(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    builder = entry.save(db, info, "enterprise", enterprise())
    values = {
        "name": "年产10万吨精密铸件项目",
        "domain_id": "工业和信息化",
        "industry_id": "机械制造",
        "builder_enterprise_id": "衡东县测试机械有限公司",
        "total_investment": "50000",
        "status": "在建",
        "planned_start": "2024.03",
        "planned_finish": "2023-12",
        "build_first": "是",
    }
    with pytest.raises(entry.Refused, match="计划竣工年月早于计划开工年月") as refused:
        entry.save(db, info, "project", values)
    assert refused.value.field == "planned_finish"
    project = entry.save(db, info, "project", {**values, "planned_finish": "2026年12月"})
    assert project.values["builder_enterprise_id"] == builder.id and project.values["build_first"] is True
    assert (project.values["planned_start"], project.values["planned_finish"]) == ("2024-03", "2026-12")
    with pytest.raises(entry.Refused, match="问题须对应一个企业或一个项目"):
        entry.save(
            db,
            info,
            "problem",
            {"category": "土地", "description": "用地未落实", "raised_on": "2025-01-02", "status": "待办"},
        )
    problem = entry.save(
        db,
        info,
        "problem",
        {
            "category": "土地",
            "description": "用地未落实",
            "raised_on": "2025-01-02",
            "status": "待办",
            "project_id": project.id,
        },
    )
    assert problem.unit_id == info.unit_id and problem.values["project_id"] == project.id
    with pytest.raises(entry.Refused, match="已解决的问题须填写办理结果"):
        entry.save(
            db, info, "problem", {**problem.values, "status": "已解决", "solved_on": "2025-02-01"}, record_id=problem.id
        )


def test_history_shows_labels_and_names(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    saved = entry.save(db, info, "enterprise", enterprise())
    entry.save(
        db,
        info,
        "enterprise",
        {**saved.values, "industry_id": 2, "need_categories": ["土地", "用工"]},
        record_id=saved.id,
    )
    changes = {c.field: c for c in entry.history(db, "enterprise", saved.id) if c.action == "修改"}
    assert (changes["所属产业"].old, changes["所属产业"].new) == ("机械制造", "有色金属")
    assert changes["需求类别"].new == "土地、用工"
