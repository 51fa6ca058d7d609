"""Excel exports: the template, a township's own data (imported again unchanged), the county's
汇总表 (figures from the shared service, print setup, text kept as text), LibreOffice opening them."""

from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.domain import rules
from hengdong_desktop.domain.fields import ENTITIES
from hengdong_desktop.services import cultivation, demo, figures, setup, training
from hengdong_desktop.services.excel import export, importer, layout
from tests import county_db
from tests.unit.xlsx import values


def test_template_sheets_headers_drop_downs_and_instructions(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert main(["excel", "template", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == [
        "企业",
        "项目",
        "企业月度",
        "企业年度",
        "培育名录",
        "一企一策",
        "项目年度",
        "项目月度",
        "项目状态",
        "问题",
        "填表说明",
        "选项",
    ]
    assert wb["选项"].sheet_state == "hidden"
    ws = wb["企业"]
    header = [c.value for c in ws[1]]
    assert header == [*(f.label for f in ENTITIES["enterprise"]), "说明"]  # the row's warnings' 说明
    assert ws.freeze_panes == "A2"
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1 for dv in ws.data_validations.dataValidation}
    domain_col = next(c.column_letter for c in ws[1] if c.value == "所属领域")
    name = lists[domain_col]
    ref = wb.defined_names[name].attr_text
    options = [c.value for c in wb["选项"][ref.split("!")[1].replace("$", "")] for c in c]  # noqa: B020
    assert options == ["工业和信息化", "农林牧渔", "建筑业", "服务业"]
    annual = wb["企业年度"]
    assert [c.value for c in annual[1]] == [
        "统一社会信用代码",
        "企业名称",
        "年度",
        "全年产值(万元)",
        "全年营业收入(万元)",
        "全年税收(万元)",
        "年末从业人员(人)",
        "说明",
    ]
    money_col = next(c.column_letter for c in annual[1] if c.value == "全年产值(万元)")
    assert annual.column_dimensions[money_col].number_format == "#,##0.00"
    code_col = next(c.column_letter for c in ws[1] if c.value == "统一社会信用代码")
    assert ws.column_dimensions[code_col].number_format == "@"  # 18 digits never become 9.1E+17
    assert ws[f"{code_col}1"].font.color.rgb.endswith("C00000")  # required
    monthly = [c.value for c in wb["项目月度"][1]]
    assert monthly[:3] == ["所属单位", "项目编号", "项目名称"] and "累计完成投资" in monthly
    text = "\n".join(str(v) for row in values(out, "填表说明") for v in row if v)
    for rule in rules.catalogue():
        assert rule["id"] in text
    assert "一条强制性错误" in text and "18位统一社会信用代码" in text


def test_township_export_reimports_unchanged_and_into_a_new_database(training_township, tmp_path: Path) -> None:
    db, info = training_township
    demo.generate(db, enterprises=12, months=3, seed=5, end_period="2025-03")
    with db.write(info.actor("form")) as s:  # text Excel would take for a formula
        ent = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).first()
        ent.name = '=HYPERLINK("http://evil","点我")'
        ent.contact_phone = "-0734-5212345"
    out = tmp_path / "本单位.xlsx"
    result = export.export(db, out)
    assert result.kind == "township" and result.rows["企业"] == 12 and result.rows["企业年度"] == 12
    assert load_workbook(out)["企业"]["A1"].value.startswith("培训/演示数据库导出")  # every sheet says so
    cell = next(
        c
        for row in load_workbook(out)["企业"].iter_rows(min_row=3)
        for c in row
        if c.value == '=HYPERLINK("http://evil","点我")'
    )
    assert cell.data_type == "s" and cell.quotePrefix
    _d, plan = importer.import_file(db, out, dry_run=True)
    assert not plan.blocking and all(c.action == "unchanged" for c in plan.changes)
    assert (
        len(plan.changes)
        == 12
        + result.rows["项目"]
        + result.rows["企业月度"]
        + result.rows["项目月度"]
        + result.rows["问题"]
        + result.rows["企业年度"]
        + result.rows["项目年度"]
        + result.rows["项目状态"]
        + result.rows["培育名录"]
        + result.rows["一企一策"]
    )
    assert result.rows["项目年度"] and result.rows["项目状态"] and result.rows["培育名录"]
    fresh = tmp_path / "fresh.sqlite3"
    setup.init_database(fresh, setup.TOWNSHIP, "吴集镇", "王五")
    db2, _ = setup.open_initialized(fresh)
    try:
        _d, plan = importer.import_file(db2, out)
        assert plan.written, plan.blocking
        again = export.export(db2, tmp_path / "again.xlsx")
    finally:
        db2.close()
    for title in layout.IMPORT_ORDER:
        sheet = next(lay.title for lay in layout.LAYOUTS if lay.entity == title)
        assert values(out, sheet)[1:] == values(again.path, sheet)  # the training note, then the same rows


@pytest.fixture(scope="module", params=county_db.backends())
def county_file(request, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The county's 汇总表 from a file, and from a server database."""
    with county_db.using(request.param, request):
        yield _county_file(tmp_path_factory)


def _county_file(tmp_path_factory) -> tuple[Path | str, Path, str]:  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("county")
    path = county_db.make_county(tmp, "county", "李四", training=True)
    db, _ = setup.open_initialized(path)
    try:
        demo.generate(db, enterprises=6, months=4, projects=3, seed=3, end_period="2025-04")
        out = tmp / "汇总表.xlsx"
        assert main(["excel", "export", "--db", str(path), "--out", str(out), "--period", "2025-03"]) == 0
    finally:
        db.close()
    return path, out, "2025-03"


def test_county_summary_sheets_and_figures_from_the_shared_service(county_file) -> None:  # type: ignore[no-untyped-def]
    path, out, period = county_file
    wb = load_workbook(out)
    lists = [
        "原地倍增培育企业名录",
        "专精特新企业",
        "“四上”企业培育库",
        "链主企业",
        "隐形冠军",
        *cultivation.SIZE_LISTS,
    ]
    assert wb.sheetnames == [*export.SUMMARY_SHEETS[:-1], "培育名录汇总", *lists, "名录动态调整", "产业链", "上报情况"]
    db, _ = setup.open_initialized(path)
    try:
        fig = figures.programme_figures(db, period)
        with db.read() as s:
            live = len(s.scalars(select(m.Enterprise.id).where(m.Enterprise.deleted_at.is_(None))).all())
    finally:
        db.close()
    rows = values(out, "目标完成情况")
    assert rows[0][0].startswith("培训/演示数据库导出") and rows[2][0] == fig.basis.sentence()
    headline = {r[0]: r for r in rows if r[0] in ("百亿级产业", "十亿级企业", "亿元级项目")}
    for progress in fig.headline.values():
        label, target, achieved, percent, ytd, last, projected = headline[progress.label][:7]
        assert (target, achieved) == (int(progress.target), progress.achieved)
        assert (ytd, last, projected) == (progress.year_to_date, progress.last_year, progress.projected)
        assert percent == pytest.approx(float(progress.percent))
    industry_rows = {r[1]: r for r in rows if r[1] in {i.name for i in fig.industries}}
    for i in fig.industries:
        assert industry_rows[i.name][2] == i.measure_label
        assert Decimal(str(industry_rows[i.name][4])) == i.output_to_date
    names = values(out, "企业名录")
    assert names[3][0] == "所属单位" and names[-1][0] == "合计" and len(names) == live + 5
    assert names[2][0].startswith("制表单位：衡东县产业发展“百十亿”工程领导小组办公室　　制表日期：")
    monthly = values(out, "企业月度")
    assert period in monthly[1][0] and monthly[3][4] == "本月产值" and monthly[-1][0] == "合计"
    assert monthly[2][0].startswith("制表单位：") and monthly[2][0].endswith("金额单位：万元")
    col = monthly[3].index("本月产值")
    assert monthly[-1][col] == pytest.approx(sum(r[col] or 0 for r in monthly[4:-1]))
    projects = values(out, "项目进度")
    assert projects[3][:3] == ("所属单位", "项目编号", "项目名称") and projects[-1][0] == "合计"
    assert fig.projects is not None and fig.investment is not None
    assert len(projects) - 5 == fig.projects.total.projects  # banner, heading, 制表 line, header, 合计
    ytd = projects[3].index("本年累计完成投资")
    assert Decimal(str(projects[-1][ytd])) == fig.projects.total.invest_ytd
    summary = values(out, "项目汇总")
    stage_rows = {r[0]: r for r in summary if r[0] in {g.name for g in fig.projects.by_stage}}
    for g in fig.projects.by_stage:
        if g.projects:
            assert stage_rows[g.name][1:4] == (g.projects, g.hundred_million, pytest.approx(float(g.total_investment)))
    warned = [r for r in summary if r[0] in ("包而不推", "推而不快", "快而不优")]
    assert len(warned) == len(fig.projects.warnings)
    promotion = {r[0]: r[1] for r in values(out, "招商引资") if r and r[0]}
    assert any(str(k).startswith("制表单位：") for k in promotion) and any(
        str(r[0]).startswith("制表单位：") for r in summary
    )
    assert (promotion["累计签约项目(个)"], promotion["已开工项目(个)"]) == (
        fig.investment.signed,
        fig.investment.started,
    )
    assert Decimal(str(promotion["累计合同投资额(万元)"])) == fig.investment.contract
    status = values(out, "上报情况")
    assert status[3] == ("填报单位", "2025-01", "2025-02", "2025-03")
    assert status[4][1:] == ("已接收",) * 3 and status[-1][0] == "已填报单位数"


def test_county_summary_is_styled_for_print(county_file) -> None:  # type: ignore[no-untyped-def]
    _path, out, _period = county_file
    wb = load_workbook(out)
    ws = wb["项目进度"]
    assert ws["A1"].value == training.SHEET_NOTE and ws.oddHeader.center.text == training.SHEET_NOTE
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$1:$4"
    assert ws.auto_filter.ref.startswith("A4:AC")  # 29 columns
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 2  # 29 columns: two pages wide
    assert wb["上报情况"].page_setup.fitToWidth == 1
    total_col = [c.value for c in ws[4]].index("总投资(万元)") + 1
    assert ws.cell(row=5, column=total_col).number_format == "#,##0.00"
    name_col = [c.value for c in ws[4]].index("项目名称") + 1
    letter = ws.cell(row=4, column=name_col).column_letter
    longest = max(len(str(ws.cell(row=r, column=name_col).value or "")) for r in range(5, ws.max_row))
    assert ws.column_dimensions[letter].width >= min(2 * longest, 36)  # Chinese characters are two wide
    assert wb["企业名录"].page_setup.fitToWidth == 2  # 20 columns spread over two pages


def _libreoffice() -> str | None:
    return shutil.which("libreoffice") or shutil.which("soffice")


@pytest.mark.skipif(_libreoffice() is None, reason="LibreOffice is not installed here")
def test_libreoffice_opens_the_exports(county_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _path, out, _period = county_file
    subprocess.run(
        [
            _libreoffice(),
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = {p.name: p for p in tmp_path.glob("*.csv")}
    targets = next(p for name, p in produced.items() if "目标完成情况" in name)
    rows = list(csv.reader(targets.open(encoding="utf-8")))
    assert any(r and r[0] == "十亿级企业" for r in rows)
    listing = next(p for name, p in produced.items() if "企业名录" in name)
    names = list(csv.reader(listing.open(encoding="utf-8")))
    assert names[1][0] == "所属单位" and names[-1][0] == "合计"


def test_county_named_lists_agree_with_the_service(county_file) -> None:  # type: ignore[no-untyped-def]
    path, out, period = county_file
    db, _ = setup.open_initialized(path)
    try:
        named = cultivation.lists(db, period)
        with db.read() as s:
            adjusted = cultivation.adjustments_in(s, f"{period[:4]}-01", period)
    finally:
        db.close()
    totals: dict[str, int] = {}
    for row in values(out, "培育名录汇总"):  # the first table: 合计 and each unit (then by domain, by chain)
        if row and row[0] in {x.name for x in named.all}:
            totals.setdefault(row[0], row[1])
    assert totals == {x.name: len(x.members) for x in named.all}
    assert sum(totals.values()) > 0
    for x in named.all:
        rows = [row for row in values(out, x.name) if row and isinstance(row[0], int)]
        assert [row[2] for row in rows] == [e.name for e in x.members]
    moves = values(out, "名录动态调整")
    assert f"共{len(adjusted)}条" in moves[1][0]
