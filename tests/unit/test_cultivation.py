"""培育名录 as outputs: members of each list as of a period, the size tiers with their 后备 (the
reserve percentage from reference data), counts, and the 动态调整 between two periods — all
worked out by hand from the records entered here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from hengdong_desktop.domain import credit_code
from hengdong_desktop.services import cultivation, entry
from hengdong_desktop.services import reference_admin as ra

# name: (last year's output in 万元, memberships (list, level, in, out, reason_out))
ENTERPRISES = {
    "甲": (120000, [("专精特新企业", "省级专精特新中小企业", "2025-02-01", None, None)]),  # 12亿: 十亿级
    "乙": (85000, [("原地倍增培育企业名录", None, "2025-01-15", "2025-05-10", "已迁出本县")]),  # 8.5亿
    "丙": (80000, [("原地倍增培育企业名录", None, "2025-06-20", None, None)]),  # exactly 80% of 10亿
    "丁": (79999, []),  # just under the 十亿级 reserve: 亿级 only
    "戊": (10000, []),  # exactly 1亿: 亿级
    "己": (8500, []),  # 0.85亿: 亿级后备
    "庚": (7999, []),  # under 80% of 1亿: nothing
}


def _enter(db, info) -> dict[str, str]:  # type: ignore[no-untyped-def]
    ids = {}
    for n, (name, (output, memberships)) in enumerate(ENTERPRISES.items()):
        saved = entry.save(
            db,
            info,
            "enterprise",
            {
                "name": f"衡东县{name}公司",
                "credit_code": credit_code.complete(f"91430424MA4L1000{n}"),
                "domain_id": 1,
                "industry_id": 1,
                "chain_id": 1 if n % 2 else None,
            },
            annual=[{"id": None, "year": "2024", "output": str(output)}],
            memberships=[
                {
                    "id": None,
                    "list_name": lst,
                    "level": level,
                    "date_in": din,
                    "date_out": dout,
                    "reason_in": "乡镇推荐",
                    "reason_out": why,
                    "decided_by": "县领导小组办公室",
                }
                for lst, level, din, dout, why in memberships
            ],
        )
        ids[name] = saved.id or ""
    return ids


def _names(named: cultivation.NamedList) -> list[str]:
    return [x.name.removeprefix("衡东县").removesuffix("公司") for x in named.members]


def test_lists_sizes_and_reserves_as_of_a_period(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    ids = _enter(db, info)
    june = cultivation.lists(db, "2025-06")
    assert june.basis == "2024年全年" and june.reserve_percent == 20
    assert _names(june.named("十亿级企业")) == ["甲"]
    assert _names(june.named("十亿级后备企业")) == ["乙", "丙"]  # 8亿 ≤ value < 10亿, largest first
    assert _names(june.named("亿级企业")) == ["乙", "丙", "丁", "戊"]
    assert _names(june.named("亿级后备企业")) == ["己"]  # 0.8亿 ≤ value < 1亿
    assert june.named("十亿级企业").members[0].figure == D("120000.00")
    assert _names(june.named("专精特新企业")) == ["甲"]
    assert june.named("专精特新企业").members[0].level == "省级专精特新中小企业"
    assert _names(june.named("原地倍增培育企业名录")) == ["丙"]  # 乙 left in May, 丙 entered in June
    assert _names(cultivation.lists(db, "2025-04").named("原地倍增培育企业名录")) == ["乙"]
    assert _names(cultivation.lists(db, "2025-01").named("专精特新企业")) == []  # 甲 entered in February
    assert june.named("亿级企业").count_by("unit_id") == {info.unit_id: 4}
    assert june.named("亿级企业").count_by("chain_id") == {1: 2, None: 2}  # 乙 and 丁 are on chain 1
    assert [x.name for x in june.cultivation] == [
        "原地倍增培育企业名录",
        "专精特新企业",
        "“四上”企业培育库",
        "链主企业",
        "隐形冠军",
    ]
    # a wider reserve (reference data) takes in 庚 (7999 ≥ 75% of 1亿) and 丁 stays 亿级
    ra.set_programme_parameter(db, info.actor("reference"), "reserve_percent", 25)
    assert _names(cultivation.lists(db, "2025-06").named("亿级后备企业")) == ["己", "庚"]
    assert ids


def test_dynamic_adjustments_between_two_periods(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    _enter(db, info)
    may_june = cultivation.adjustments(db, "2025-05", "2025-06")
    assert [(a.list_name, a.action, a.on, a.name, a.reason, a.decided_by) for a in may_june] == [
        ("原地倍增培育企业名录", "调出", date(2025, 5, 10), "衡东县乙公司", "已迁出本县", "县领导小组办公室"),
        ("原地倍增培育企业名录", "纳入", date(2025, 6, 20), "衡东县丙公司", "乡镇推荐", "县领导小组办公室"),
    ]
    half = cultivation.adjustments(db, "2025-01", "2025-06")
    assert [(a.on, a.action) for a in half] == [
        (date(2025, 1, 15), "纳入"),
        (date(2025, 2, 1), "纳入"),
        (date(2025, 5, 10), "调出"),
        (date(2025, 6, 20), "纳入"),
    ]
    assert cultivation.adjustments(db, "2025-03", "2025-04") == []


def test_memberships_and_measures_go_through_excel_and_back(township, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from hengdong_desktop.db import models as m
    from hengdong_desktop.services import setup
    from hengdong_desktop.services.excel import export, importer

    db, info = township
    ids = _enter(db, info)
    problem = entry.save(
        db,
        info,
        "problem",
        {
            "enterprise_id": ids["甲"],
            "category": "融资",
            "description": "流贷到期",
            "raised_on": "2025-03-01",
            "status": "待办",
        },
    )
    record = entry.load(db, "enterprise", ids["甲"])
    entry.save(
        db,
        info,
        "enterprise",
        record.values,
        record_id=ids["甲"],
        revision=record.revision,
        measures=[
            {
                "id": None,
                "content": "协调银行续贷3000万元",
                "department": "县发改局",
                "person": "李四",
                "deadline": "2025-06-30",
                "status": "推进中",
                "progress": "已对接两家银行",
                "problem_id": problem.id,
            },
            {"id": None, "content": "申报省级专精特新", "department": "县科工信局", "status": "未启动"},
        ],
    )
    with pytest.raises(entry.Refused, match="措施责任单位“县自然资源局”不是可选值"):  # not a programme department
        saved = entry.load(db, "enterprise", ids["甲"])
        entry.save(
            db,
            info,
            "enterprise",
            saved.values,
            record_id=ids["甲"],
            revision=saved.revision,
            measures=[{**saved.measures[1], "status": "已完成", "department": "县自然资源局"}],
        )
    loaded = entry.load(db, "enterprise", ids["甲"])
    assert [(x["content"], x["status"], x["problem_id"]) for x in loaded.measures] == [
        ("协调银行续贷3000万元", "推进中", problem.id),
        ("申报省级专精特新", "未启动", None),
    ]

    out = tmp_path / "本单位.xlsx"
    result = export.export_township(db, out)
    assert result.rows["培育名录"] == 3 and result.rows["一企一策"] == 2
    fresh = tmp_path / "fresh.sqlite3"
    setup.init_database(fresh, setup.TOWNSHIP, "吴集镇", "王五")
    db2, _ = setup.open_initialized(fresh)
    try:
        _d, plan = importer.import_file(db2, out)
        assert plan.written, plan.blocking
        with db2.read() as s:
            members = sorted(
                (x.list_name, x.date_in, x.date_out, x.reason_out, x.decided_by) for x in s.query(m.Membership)
            )
            measures = sorted(
                (x.content, x.department, x.person, x.deadline, x.status, x.progress) for x in s.query(m.SupportMeasure)
            )
        assert members == sorted(
            [
                ("专精特新企业", date(2025, 2, 1), None, None, "县领导小组办公室"),
                ("原地倍增培育企业名录", date(2025, 1, 15), date(2025, 5, 10), "已迁出本县", "县领导小组办公室"),
                ("原地倍增培育企业名录", date(2025, 6, 20), None, None, "县领导小组办公室"),
            ]
        )
        assert measures == [
            ("协调银行续贷3000万元", "县发改局", "李四", date(2025, 6, 30), "推进中", "已对接两家银行"),
            ("申报省级专精特新", "县科工信局", None, None, "未启动", None),
        ]
        # the clerk records progress in the workbook: the measure is updated, not added
        wb = load_workbook(out)
        ws = wb["一企一策"]
        assert "关联问题" in str(ws["A1"].value)  # the note above the header says how to name a problem
        header = [c.value for c in ws[2]]
        row = next(r for r in ws.iter_rows(min_row=3) if r[header.index("帮扶措施")].value == "申报省级专精特新")
        row[header.index("推进状态")].value = "推进中"
        row[header.index("进展情况")].value = "材料已报送"
        wb.save(out)
        _d, plan = importer.import_file(db2, out)
        assert plan.written and [(c.entity, c.action) for c in plan.changes if c.action != "unchanged"] == [
            ("support_measure", "update")
        ]
        with db2.read() as s:
            assert s.query(m.SupportMeasure).filter_by(content="申报省级专精特新").one().progress == "材料已报送"
    finally:
        db2.close()
