"""培育名录 as outputs: members of each list as of a period, the size tiers with their 后备 (the
reserve percentage from reference data), counts, and the 动态调整 between two periods — all
worked out by hand from the records entered here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

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
        saved = entry.save(db, info, "enterprise", {
            "name": f"衡东县{name}公司", "credit_code": credit_code.complete(f"91430424MA4L1000{n}"),
            "domain_id": 1, "industry_id": 1, "chain_id": 1 if n % 2 else None},
            annual=[{"id": None, "year": "2024", "output": str(output)}],
            memberships=[{"id": None, "list_name": lst, "level": level, "date_in": din, "date_out": dout,
                          "reason_in": "乡镇推荐", "reason_out": why, "decided_by": "县领导小组办公室"}
                         for lst, level, din, dout, why in memberships])
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
    assert [x.name for x in june.cultivation] == ["原地倍增培育企业名录", "专精特新企业", "“四上”企业培育库", "链主企业",
                                                  "隐形冠军"]
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
        (date(2025, 1, 15), "纳入"), (date(2025, 2, 1), "纳入"), (date(2025, 5, 10), "调出"), (date(2025, 6, 20), "纳入")]
    assert cultivation.adjustments(db, "2025-03", "2025-04") == []
