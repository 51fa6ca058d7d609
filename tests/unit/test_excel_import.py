"""Excel import: matching, the rule engine, all or nothing, units, the report, the CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.services import checks
from hengdong_desktop.services.excel import importer
from hengdong_desktop.services.excel.report import REPORT_TITLE, write_report
from tests.unit.xlsx import ANNUAL_HEADER, ENTERPRISE_HEADER, annual_row, build, code, enterprise_row


def _count(db, model, *where) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_new_enterprises_in_any_column_order_extra_columns_named(township, tmp_path: Path) -> None:
    db, _info = township
    header = [*reversed(ENTERPRISE_HEADER), "内部编号"]
    rows = [[*reversed(enterprise_row(n)), f"X{n}"] for n in (1, 2)]
    path = build(tmp_path / "e.xlsx", {"Sheet1": [["衡东县企业名单（自制）"], header, *rows]})
    data, plan = importer.import_file(db, path)
    assert plan.written and not plan.blocking
    assert plan.counts()["enterprise"] == {"create": 2, "update": 0, "unchanged": 0}
    assert plan.sheets[0].header_row == 2 and plan.sheets[0].ignored_columns == ["内部编号"]
    extra = next(i for i in plan.issues if i.rule == "XLS.extra_column")
    assert (extra.sheet, extra.row, extra.column, extra.cell) == ("Sheet1", 2, "内部编号", "J2")
    with db.read() as s:
        ent = s.scalars(select(m.Enterprise).where(m.Enterprise.credit_code == code(1))).one()
        assert ent.name == "衡东县测试1号机械有限公司" and ent.main_products == "机械配件1"
        assert ent.unit_id == _info.unit_id and ent.revision == 1 and ent.updated_by == "张三"
        sources = set(s.scalars(select(m.AuditEntry.source).where(m.AuditEntry.entity_id == ent.id)))
    assert sources == {"excel"}


def test_matches_by_credit_code_and_changes_only_present_columns(township, tmp_path: Path) -> None:
    db, _info = township
    build(tmp_path / "a.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1, 联系电话=None)]})
    importer.import_file(db, tmp_path / "a.xlsx")
    lower = code(1).lower()
    path = build(tmp_path / "b.xlsx", {"企业": [["统一社会信用代码", "主要产品"], [f"  {lower} ", "液压件"]]})
    _data, plan = importer.import_file(db, path)
    [change] = plan.changes
    assert change.action == "update" and change.changes == {"main_products": ("机械配件1", "液压件")}
    with db.read() as s:
        ent = s.scalars(select(m.Enterprise)).one()
        assert ent.main_products == "液压件" and ent.revision == 2
        assert ent.name == "衡东县测试1号机械有限公司"  # column absent: left alone
        audit = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "update")).one()
    assert (audit.field, audit.old_value, audit.new_value, audit.source) == (
        "main_products",
        "机械配件1",
        "液压件",
        "excel",
    )
    assert _count(db, m.Enterprise) == 1


def test_yearly_figures_match_by_credit_code_and_year(township, tmp_path: Path) -> None:
    db, _info = township
    first = {
        "企业": [ENTERPRISE_HEADER, enterprise_row(1)],
        "企业年度": [ANNUAL_HEADER, annual_row(1), annual_row(1, 年度=2023, **{"全年产值(万元)": "800"})],
    }
    _d, plan = importer.import_file(db, build(tmp_path / "a.xlsx", first))
    assert plan.written and plan.counts()["enterprise_annual"] == {"create": 2, "update": 0, "unchanged": 0}
    again = {"企业年度": [ANNUAL_HEADER, annual_row(1, **{"全年产值(万元)": "1,234.5"})]}
    _d, plan = importer.import_file(db, build(tmp_path / "b.xlsx", again))
    [change] = plan.changes
    assert change.action == "update" and change.changes == {"output": (Decimal(1001), Decimal("1234.5"))}
    with db.read() as s:
        years = {a.year: a.output for a in s.scalars(select(m.EnterpriseAnnual))}
    assert years == {2023: Decimal(800), 2024: Decimal("1234.5")}
    twice = {"企业年度": [ANNUAL_HEADER, annual_row(1), annual_row(1)]}
    _d, plan = importer.import_file(db, build(tmp_path / "c.xlsx", twice))
    assert not plan.written and [(i.row, i.rule) for i in plan.blocking] == [(3, "XLS.duplicate")]


def test_one_mandatory_finding_and_nothing_is_written(township, tmp_path: Path) -> None:
    db, _info = township
    bad = code(3)[:-1] + ("0" if code(3)[-1] != "0" else "1")
    path = build(
        tmp_path / "bad.xlsx",
        {"企业": [ENTERPRISE_HEADER, enterprise_row(1), enterprise_row(2), enterprise_row(3, 统一社会信用代码=bad)]},
    )
    audit_before = _count(db, m.AuditEntry)
    data, plan = importer.import_file(db, path)
    assert not plan.written and _count(db, m.Enterprise) == 0 and _count(db, m.AuditEntry) == audit_before
    [issue] = plan.blocking
    assert (issue.sheet, issue.row, issue.column, issue.cell, issue.value, issue.rule, issue.severity.value) == (
        "企业",
        4,
        "统一社会信用代码",
        "A4",
        bad,
        "QY01",
        "强制性",
    )
    assert "校验位错误" in issue.message
    out = write_report(plan, data, tmp_path / "report.xlsx")
    wb = load_workbook(out)
    listing = [r for r in wb[REPORT_TITLE].iter_rows(min_row=7, values_only=True)]
    assert listing[0][:7] == ("企业", 4, "统一社会信用代码", "A4", bad, "QY01", "强制性")
    copy = wb["企业"]
    assert copy["A4"].value == bad and copy["A4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "校验位错误" in copy["A4"].comment.text and copy["A3"].comment is None
    assert copy["B2"].value == "衡东县测试1号机械有限公司"


def test_warnings_import_and_wait_for_an_explanation(township, tmp_path: Path) -> None:
    db, info = township
    path = build(
        tmp_path / "w.xlsx",
        {
            "企业": [ENTERPRISE_HEADER, enterprise_row(1)],
            "企业年度": [ANNUAL_HEADER, annual_row(1, **{"全年税收(万元)": 5000})],
        },
    )
    _data, plan = importer.import_file(db, path)
    assert plan.written and [i.rule for i in plan.warnings] == ["QY03"]
    report = checks.check_database(db, unit_id=info.unit_id)
    assert [f.rule_id for f in report.unexplained] == ["QY03"]


def test_monthly_rows_use_the_enterprise_and_last_month_from_the_same_file(township, tmp_path: Path) -> None:
    db, _info = township
    monthly = ["统一社会信用代码", "填报期", "本月产值", "1-本月累计产值"]
    ok = {
        "企业": [ENTERPRISE_HEADER, enterprise_row(1)],
        "企业月度": [monthly, [code(1), "2025-02", 100, 210], [code(1), "2025年1月", 110, 110]],
    }
    _d, plan = importer.import_file(db, build(tmp_path / "ok.xlsx", ok))
    assert plan.written, plan.blocking
    assert plan.counts()["enterprise_monthly"]["create"] == 2
    # A March cumulative below February's is refused, comparing with February in the database.
    _d, plan = importer.import_file(
        db,
        build(
            tmp_path / "bad.xlsx", {"企业月度": [monthly, [code(1), "2025-03", 10, 150], [code(9), "2025-03", 1, 1]]}
        ),
    )
    assert {(i.rule, i.row) for i in plan.blocking} == {("YB01", 2), ("XLS.no_enterprise", 3)}
    assert _count(db, m.EnterpriseMonthly) == 2
    _d, plan = importer.import_file(
        db,
        build(
            tmp_path / "dup.xlsx",
            {"企业月度": [monthly, [code(1), "2025-02", 100, 210], [code(1), "2025-2", 100, 210]]},
        ),
    )
    assert [(i.rule, i.row) for i in plan.blocking] == [("XLS.duplicate", 3)]


def test_projects_match_by_code_else_name_and_problems_find_their_project(township, tmp_path: Path) -> None:
    db, _info = township
    header = ["项目编号", "项目名称", "所属领域", "总投资(万元)", "项目状态", "建设单位"]
    first = {
        "企业": [ENTERPRISE_HEADER, enterprise_row(1)],
        "项目": [header, [None, "年产5万吨新材料项目", "工业和信息化", 30000, "在建", "衡东县测试1号机械有限公司"]],
    }
    importer.import_file(db, build(tmp_path / "p1.xlsx", first))
    second = {
        "项目": [header, ["XM-001", "年产5万吨新材料项目", "工业和信息化", 32000, "在建", code(1)]],
        "项目月度": [
            ["项目编号", "项目名称", "填报期", "本月完成投资", "本年累计完成投资", "累计完成投资"],
            ["XM-001", None, "2025-01", 500, 500, 8000],
        ],
        "问题": [
            ["项目名称", "问题类别", "问题描述", "提出日期", "办理状态"],
            ["年产5万吨新材料项目", "土地", "用地指标未落实", "2025/1/5", "待办"],
        ],
    }
    _d, plan = importer.import_file(db, build(tmp_path / "p2.xlsx", second))
    assert plan.written, plan.blocking
    assert plan.counts() == {
        "project": {"create": 0, "update": 1, "unchanged": 0},
        "project_monthly": {"create": 1, "update": 0, "unchanged": 0},
        "problem": {"create": 1, "update": 0, "unchanged": 0},
    }
    with db.read() as s:
        project = s.scalars(select(m.Project)).one()
        enterprise = s.scalars(select(m.Enterprise)).one()
        assert project.project_code == "XM-001" and project.total_investment == Decimal(32000)
        assert project.builder_enterprise_id == enterprise.id
        assert s.scalars(select(m.Problem)).one().project_id == project.id
    # The same problem again is matched, and its new status is a change.
    again = {
        "问题": [
            ["项目编号", "问题类别", "问题描述", "提出日期", "办理状态", "办理结果", "解决日期"],
            ["XM-001", "土地", "用地指标未落实", "2025-01-05", "已解决", "已调剂指标", "2025-02-01"],
        ]
    }
    _d, plan = importer.import_file(db, build(tmp_path / "p3.xlsx", again))
    assert plan.counts() == {"problem": {"create": 0, "update": 1, "unchanged": 0}}


def test_project_lifecycle_plans_and_promotion_fields(township, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The 项目 sheet's new fields, 项目年度 plans and the 项目状态 history: the project's status is
    that of its latest row; a row removed earlier comes back when a file names it again."""
    db, _info = township
    header = [
        "项目名称",
        "所属领域",
        "总投资(万元)",
        "项目状态",
        "所属产业链",
        "强链延链补链",
        "签约日期",
        "合同投资额(万元)",
        "引资来源",
        "园区基础设施类别",
        "产业链协同创新项目",
        "工作专班",
        "项目代办员",
        "计划投产年月",
    ]
    book = {
        "项目": [
            header,
            [
                "甲项目",
                "工业和信息化",
                30000,
                "签约",
                "有色金属",
                "补链",
                "2025-01-08",
                28000,
                "在外衡商",
                "电",
                "是",
                "甲项目专班",
                "刘代办",
                "2026-06",
            ],
        ],
        "项目年度": [["项目名称", "年度", "年度计划投资(万元)"], ["甲项目", 2025, 12000], ["甲项目", 2026, 9000]],
        "项目状态": [
            ["项目名称", "填报期", "项目状态", "状态日期", "原因"],
            ["甲项目", "2025-01", "签约", "2025-01-08", None],
            ["甲项目", "2025-03", "开工", "2025-03-02", None],
        ],
    }
    _d, plan = importer.import_file(db, build(tmp_path / "a.xlsx", book))
    assert plan.written, plan.blocking
    assert plan.counts()["project_annual"]["create"] == 2 and plan.counts()["project_stage"]["create"] == 2
    with db.read() as s:
        p = s.scalars(select(m.Project)).one()
        assert (
            p.status,
            p.chain_id,
            p.chain_role,
            p.contract_investment,
            p.investment_source,
            p.park_infrastructure,
            p.co_innovation,
            p.task_force,
            p.planned_production,
        ) == ("开工", 2, "补链", Decimal(28000), "在外衡商", "电", True, "甲项目专班", "2026-06")
        assert sorted((a.year, a.plan_investment) for a in s.scalars(select(m.ProjectAnnual))) == [
            (2025, Decimal(12000)),
            (2026, Decimal(9000)),
        ]
        stage = s.scalars(select(m.ProjectStage).where(m.ProjectStage.period == "2025-03")).one()
        stage.deleted_at, stage.deleted_reason = stage.created_at, "录入有误"  # (written around the services)
    again = {
        "项目状态": [
            ["项目名称", "填报期", "项目状态", "状态日期", "原因"],
            ["甲项目", "2025-03", "停缓建", "2025-03-20", "资金未到位"],
        ]
    }
    _d, plan = importer.import_file(db, build(tmp_path / "b.xlsx", again))
    assert plan.written and plan.counts()["project_stage"] == {"create": 0, "update": 1, "unchanged": 0}
    with db.read() as s:
        p = s.scalars(select(m.Project)).one()
        assert (p.status, p.status_reason) == ("停缓建", "资金未到位")
    bad = {"项目状态": [["项目名称", "填报期", "项目状态"], ["甲项目", "2099-01", "竣工"]]}
    _d, plan = importer.import_file(db, build(tmp_path / "c.xlsx", bad))
    assert not plan.written and [i.rule for i in plan.blocking] == ["ZT04"]


def test_township_imports_only_its_own_unit(township, tmp_path: Path) -> None:
    db, _info = township
    path = build(tmp_path / "u.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1, 所属单位="石湾镇")]})
    _d, plan = importer.import_file(db, path)
    [issue] = plan.blocking
    assert issue.rule == "XLS.other_unit" and issue.column == "所属单位" and "石湾镇" in issue.message
    assert _count(db, m.Enterprise) == 0


def test_county_names_the_unit_on_every_row(county, tmp_path: Path) -> None:
    db, _info = county
    path = build(
        tmp_path / "c.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1, 所属单位="石湾镇"), enterprise_row(2)]}
    )
    _d, plan = importer.import_file(db, path)
    assert [(i.rule, i.row) for i in plan.blocking] == [("REQ.unit_id", 3)]
    path = build(
        tmp_path / "c2.xlsx",
        {
            "企业": [
                ENTERPRISE_HEADER,
                enterprise_row(1, 所属单位="石湾镇"),
                enterprise_row(2, 所属单位="衡东经济开发区"),
            ]
        },
    )
    _d, plan = importer.import_file(db, path)
    assert plan.written
    with db.read() as s:
        units = {u for (u,) in s.execute(select(m.Unit.name).join(m.Enterprise, m.Enterprise.unit_id == m.Unit.id))}
    assert units == {"石湾镇", "衡东经济开发区"}


def test_cli_import_dry_run_report_and_json(township_path: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = build(tmp_path / "g.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1)]})
    assert main(["excel", "import", "--db", str(township_path), str(good), "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and not out["written"] and out["counts"]["enterprise"]["create"] == 1
    bad = build(tmp_path / "b.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1, 成立日期="2010-13-01")]})
    report = tmp_path / "r.xlsx"
    assert main(["excel", "import", "--db", str(township_path), str(bad), "--report", str(report)]) == 1
    captured = capsys.readouterr()
    assert "企业!I2 [强制性] 成立日期“2010-13-01”不是存在的日期" in captured.out
    assert captured.err.strip() == "导入未执行：“b.xlsx”有1条强制性错误，未写入任何数据。"
    assert load_workbook(report)["企业"]["I2"].comment is not None
    assert main(["excel", "import", "--db", str(township_path), str(good)]) == 0
    assert "已导入：企业新增1" in capsys.readouterr().out
    assert main(["excel", "import", "--db", str(township_path), str(tmp_path / "none.xlsx")]) == 1
    assert "不存在" in capsys.readouterr().err


def test_an_industry_of_another_domain_is_named_with_its_own_domain(township, tmp_path: Path) -> None:
    """Issue 17: the 产业/领域 mismatch says which 领域 the industry belongs to (as the editor does)."""
    db, _info = township
    path = build(tmp_path / "domain.xlsx", {"企业": [ENTERPRISE_HEADER, enterprise_row(1, 所属领域="农林牧渔")]})
    _data, plan = importer.import_file(db, path)
    [issue] = plan.blocking
    assert issue.rule == "QY02" and not plan.written
    assert issue.message.startswith("所属产业“机械制造”属于“工业和信息化”领域：请把所属领域改为“工业和信息化”")
