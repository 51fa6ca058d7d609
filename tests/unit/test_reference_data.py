"""The shipped reference data says what the plan says, and seeds every database identically."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import reference as reference_service

REF, TARGETS = r.load_file(r.default_file())


def test_eighteen_units_and_the_county() -> None:
    names = [u.name for u in REF.units]
    assert len(names) == 18 == len(set(names))
    assert names[:3] == ["洣水镇", "吴集镇", "三樟镇"]
    assert "衡东经济开发区" in names and "石滩乡" in names and "南湾乡" in names
    assert REF.county.code == "430424"
    assert REF.find_unit("430424104").name == "吴集镇"
    assert REF.find_unit("县经开区").name == "衡东经济开发区"
    assert len({u.code for u in REF.all_units()}) == 19


def test_domains_lead_departments_and_targets_add_up() -> None:
    by_name = {d.name: d for d in REF.domains}
    assert by_name["服务业"].lead_departments == ("县发改局", "县商粮局", "县交通运输局", "县文旅广体局")
    county = {t.metric: t.value for t in TARGETS if t.domain_id is None and t.industry_id is None}
    assert county == {r.HUNDRED_BILLION_INDUSTRIES: 5, r.BILLION_ENTERPRISES: 18, r.HUNDRED_MILLION_PROJECTS: 34}
    for metric, total in county.items():
        per_domain = sum(t.value for t in TARGETS if t.metric == metric and t.domain_id and not t.industry_id)
        assert per_domain == total, metric


def test_industry_targets_as_the_plan_states_them() -> None:
    output = {REF.industry(t.industry_id).name: t.value for t in TARGETS if t.metric == r.INDUSTRY_OUTPUT}
    assert output == {
        "机械制造": Decimal(500000),
        "有色金属": Decimal(1000000),
        "精细化工新材料": Decimal(1000000),
        "数字经济": Decimal(300000),
        "绿色食品生产加工": Decimal(3100000),
        "新型建筑建材": Decimal(10000),
        "土菜餐饮": Decimal(1000000),
        "文旅康养": Decimal(1800000),
        "现代供应链": Decimal(300000),
    }


def test_chains_categories_statuses() -> None:
    assert [c.name for c in REF.chains] == [
        "机械制造",
        "有色金属",
        "化工新材料",
        "轻工建材",
        "生物医药",
        "生态绿色食品",
    ]
    assert REF.options["project_status"] == (
        "储备",
        "前期",
        "签约",
        "开工",
        "在建",
        "竣工",
        "投产",
        "达效",
        "停缓建",
        "终止",
    )
    assert REF.implemented_statuses == ("开工", "在建", "竣工", "投产", "达效")  # neither 停缓建 nor 终止
    assert REF.options["investment_source"] == ("在外衡商", "“三类500强”", "产业链上下游", "其他")
    assert REF.parameter("stall_months") == 3 and REF.parameter("slow_percent") == 60
    assert REF.options["report_status"] == ("未填报", "已填报未上报", "已上报", "已接收", "已退回")
    assert REF.thresholds["billion_enterprise"] == Decimal(100000)


def test_seeded_database_reads_back_equal(township) -> None:  # type: ignore[no-untyped-def]
    db, _info = township
    with db.read() as s:
        loaded = reference_service.load(s)
        assert s.scalar(select(func.count()).select_from(m.Target)) == len(TARGETS)
        assert sorted(reference_service.targets(s, 2025), key=repr) == sorted(TARGETS, key=repr)
    assert loaded.units == tuple(replace(u, start_period="2020-01") for u in REF.units)  # the fixtures' 启用期
    assert loaded.county == REF.county
    assert loaded.domains == REF.domains
    assert [d.measure for d in loaded.domains] == ["output", "output", "construction_output", "revenue"]
    assert loaded.industries == REF.industries
    assert loaded.chains == REF.chains
    assert loaded.options == REF.options | {
        "project_stage": ("储备", "前期", "签约", "开工", "在建", "竣工", "投产", "达效", "停缓建", "终止")
    }
    assert loaded.thresholds == REF.thresholds
    assert loaded.project_parameters == REF.project_parameters and loaded.leaders == REF.leaders == ()
    assert loaded.programme("reserve_percent") == REF.programme("reserve_percent") == 20
    assert loaded.deadline_days == REF.deadline_days and loaded.deadline_for("土地") == 60
    assert loaded.deadline_for("新类别") == 30  # a category without its own days: the default
    assert loaded.weights("unit") == REF.weights("unit") and sum(loaded.weights("unit").values()) == 100
    assert loaded.options["assignee"][:2] == ("县科工信局", "县农业农村局") and "吴集镇" in loaded.options["assignee"]
    assert loaded.version == REF.version
