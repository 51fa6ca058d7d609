"""The printed documents, read back with pypdf: Chinese text extractable and correct, the font
embedded, A4 pages, long texts wrapped (not cut, not overflowing), verification codes."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code
from hengdong_desktop.domain import fields as f
from hengdong_desktop.domain.verification import normalise_code, verification_code
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import demo, pdf
from hengdong_desktop.services.figures import programme_figures
from hengdong_desktop.services.pdf import bulletin, document, fonts
from hengdong_desktop.services.pdf import enterprise_form as ef
from hengdong_desktop.services.reference import load

PRINTED_AT = datetime(2025, 4, 10, 9, 30)
HANGING = "。，、；：？！）》”’"
CODE = re.compile(r"校验码：([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})")


def pages_text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def body_text(path: Path) -> str:
    """All pages' text without the footers and continuation headers drawn on each page."""
    furniture = re.compile(r"^(打印时间：|校验码：|第 \d+ 页 / 共 \d+ 页|.*（续）$)")
    return "".join(line for text in pages_text(path) for line in text.splitlines() if not furniture.match(line))


def flat(text: str) -> str:
    """Extracted text without the line breaks and spaces that wrapping puts in."""
    return re.sub(r"\s+", "", text)


def text_runs(path: Path) -> list[tuple[int, float, float, float, str, str]]:
    """(page, left, right, baseline, font, text) of every line of text drawn. A line set in two
    font subsets is several text operators that pypdf reports at the line's start: joined here."""
    runs: list[tuple[int, float, float, float, str, str]] = []
    font = fonts.pdf_font().regular
    for n, page in enumerate(PdfReader(path).pages):

        def visit(text, cm, tm, font_dict, size, n=n):  # type: ignore[no-untyped-def]
            text = text.rstrip("\n")
            if not text.strip():
                return
            left, y = cm[4] + tm[4], cm[5] + tm[5]
            name = str(font_dict.get("/BaseFont")) if font_dict else ""
            if runs and runs[-1][0] == n and runs[-1][1] == left and runs[-1][3] == y:
                text = runs.pop()[5] + text
            # CJK line breaking lets a closing mark (。，、) hang at the line end, as Chinese typesetting
            # does; its ink sits in the left part of its box, so it is not counted as overflow
            inked = text[:-1] if text[-1] in HANGING else text
            runs.append((n, left, left + stringWidth(inked, font, size), y, name, text))

        page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture
def enterprise(township):  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("cli")) as s:
        e = m.Enterprise(
            credit_code=credit_code.complete("91430424MA4L12345"),
            name="衡东县金瑞精密机械制造有限公司",
            unit_id=info.unit_id,
            address="衡东县吴集镇工业园创业大道8号",
            legal_rep="王建国",
            contact_person="李红梅",
            contact_phone="13807340000",
            founded_on=date(2008, 5, 6),
            domain_id=1,
            industry_id=1,
            chain_id=1,
            si_shang_category="规模以上工业",
            cultivation_tier="亿级",
            main_products="液压挖掘机配件",
            need_categories=["融资", "用工"],
            needs_text="流动资金紧张，需协调续贷",
            support_measures="县科工信局专人对接，协调银行授信",
            contact_leader="谭副县长",
            responsible_department="县科工信局",
            notes="重点培育企业",
        )
        s.add(e)
        s.flush()
        s.add(
            m.EnterpriseAnnual(
                enterprise_id=e.id,
                unit_id=e.unit_id,
                year=2024,
                output=D("23456.7"),
                revenue=D("21000"),
                tax=D("890.12"),
                employees=321,
            )
        )
        s.add(
            m.Membership(
                enterprise_id=e.id,
                unit_id=e.unit_id,
                list_name="原地倍增培育企业名录",
                date_in=date(2023, 3, 1),
                reason_in="产值增长快",
            )
        )
        s.add(
            m.Membership(
                enterprise_id=e.id,
                unit_id=e.unit_id,
                list_name="专精特新企业",
                level="省级专精特新中小企业",
                date_in=date(2022, 6, 1),
                date_out=date(2024, 6, 30),
                reason_out="培育期满",
            )
        )
        for period, month_out, ytd, staff in (
            ("2022-12", None, "15000", 280),
            ("2023-12", None, "18000.5", 300),
            ("2025-01", "1500", "1500", 318),
            ("2025-02", "1600.25", "3100.25", 320),
            ("2025-03", "0", "3100.25", 321),
        ):
            s.add(
                m.EnterpriseMonthly(
                    enterprise_id=e.id,
                    unit_id=e.unit_id,
                    period=period,
                    output_month=D(month_out) if month_out else None,
                    output_ytd=D(ytd),
                    revenue_ytd=D(ytd),
                    tax_ytd=D("12.5"),
                    employees_end=staff,
                )
            )
    return db, info, e.id


def test_enterprise_form_prints_every_field_in_extractable_chinese(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _info, eid = enterprise
    out = tmp_path / "form.pdf"
    written = pdf.write_enterprise_forms(db, out, [eid], period="2025-03", printed_at=PRINTED_AT)
    reader = PdfReader(out)
    assert written.pages == len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((595.2756, 841.8898), abs=0.01)  # A4
    text = flat(pages_text(out)[0])
    assert "衡东县产业发展“百十亿”工程企业培育表" in text
    assert "填报单位：吴集镇" in text and "数据截至：2025年3月" in text
    for spec in f.ENTERPRISE:
        if spec.name != "need_categories":  # printed as the check boxes, under its own label below
            assert flat(spec.label) in text, spec.label
    for value in (
        "衡东县金瑞精密机械制造有限公司",
        "91430424MA4L12345",
        "衡东县吴集镇工业园创业大道8号",
        "2008-05-06",
        "工业和信息化",
        "机械制造",
        "规模以上工业",
        "流动资金紧张，需协调续贷",
        "县科工信局专人对接，协调银行授信",
        "谭副县长",
        "重点培育企业",
    ):
        assert value in text, value
    assert "■融资□土地■用工" in text  # the need categories as check boxes
    # cultivation lists with their dates, in and out
    assert "原地倍增培育企业名录" in text and "2023-03-01" in text
    assert "省级专精特新中小企业2022-06-01" in text and "2024-06-30培育期满" in text
    # three past years (December's 累计), this year's months; 2024 falls back to its yearly figures
    assert "2022年15,000.00" in text and "2023年18,000.50" in text
    assert "2024年23,456.70*21,000.00*890.12*321*" in text and "12月未填报的，取企业的年度数据" in text
    assert "2025年2月1,600.253,100.25" in text and "2025年3月0.003,100.25" in text  # zero is printed, not blank
    for label in ("填表人：", "审核人：", "单位（盖章）：", "日期："):
        assert label in text
    assert "打印时间：2025-04-1009:30" in text and "第1页/共1页" in text
    assert CODE.search(pages_text(out)[0]).group(1) == written.forms[0].code


def test_the_enterprise_form_prints_its_one_firm_one_policy_ledger(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info, eid = enterprise
    with db.write(info.actor("cli")) as s:
        problem = m.Problem(
            unit_id=info.unit_id,
            enterprise_id=eid,
            category="融资",
            description="流动资金紧张，银行贷款审批周期长，需协调续贷三千万元",
            raised_on=date(2025, 3, 1),
            status="办理中",
        )
        s.add(problem)
        s.flush()
        for content, department, person, deadline, status, progress, linked in (
            ("协调银行续贷三千万元", "县发改局", "李四", date(2025, 6, 30), "推进中", "已对接两家银行", problem.id),
            ("申报省级专精特新中小企业，落实奖补资金", "县科工信局", None, None, "未启动", None, None),
        ):
            s.add(
                m.SupportMeasure(
                    unit_id=info.unit_id,
                    enterprise_id=eid,
                    content=content,
                    department=department,
                    person=person,
                    deadline=deadline,
                    status=status,
                    progress=progress,
                    problem_id=linked,
                )
            )
    out = tmp_path / "form.pdf"
    written = pdf.write_enterprise_forms(db, out, [eid], period="2025-03", printed_at=PRINTED_AT)
    pages = [flat(t) for t in pages_text(out)]
    text = flat(body_text(out))
    assert "一企一策台账帮扶措施责任单位/责任人完成时限推进状态进展情况关联问题" in text
    assert "协调银行续贷三千万元县发改局/李四2025-06-30推进中已对接两家银行2025-03-01流动资金紧张" in text
    assert "申报省级专精特新中小企业，落实奖补资金县科工信局未启动" in text
    # the signatures are on the page of the ledger's last row
    last = max(n for n, page in enumerate(pages) if "落实奖补资金" in page)
    assert "填表人：" in pages[last] and "单位（盖章）：" in pages[last]
    assert written.pages == len(pages)
    with db.read() as s:  # the verification code follows the measures too
        form = ef.load_forms(s, load(s), "2025-03", ids=[eid])[0]
    assert form.code == written.forms[0].code
    assert dataclasses.replace(form, measures=form.measures[:1]).code != form.code
    # without measures, the code is what forms printed before the ledger was printed carry
    bare = dataclasses.replace(form, measures=())
    before = {k: v for k, v in dataclasses.asdict(bare).items() if k != "measures"}
    assert bare.code == verification_code({"form": "enterprise", **before})


def test_an_overdue_measure_is_marked_as_of_the_forms_period_end(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Overdue is counted to the form's 数据截至 (2025-03-31), not to the day it is printed
    (2025-04-10): the form and its verification code do not change with the printing day."""
    db, info, eid = enterprise
    with db.write(info.actor("cli")) as s:
        for content, deadline, status in (
            ("协调银行续贷三千万元", date(2025, 3, 1), "推进中"),  # 3-01 → 3-31: 30 days
            ("落实扩建用地指标", date(2025, 3, 30), "未启动"),  # 1 day
            ("申报专精特新", date(2025, 3, 10), "已完成"),  # done: never overdue
            ("协调电力增容", date(2025, 2, 1), "已中止"),  # stopped: never overdue
            ("组织专场招聘会", date(2025, 3, 31), "推进中"),  # due on the period's last day: not yet
            ("对接高校攻关", date(2025, 4, 5), "推进中"),  # overdue when printed, not at 数据截至
        ):
            s.add(
                m.SupportMeasure(
                    unit_id=info.unit_id, enterprise_id=eid, content=content, deadline=deadline, status=status
                )
            )
    out = tmp_path / "form.pdf"
    pdf.write_enterprise_forms(db, out, [eid], period="2025-03", printed_at=PRINTED_AT)
    text = flat(body_text(out))
    assert "协调银行续贷三千万元2025-03-01（逾期30天）推进中" in text
    assert "落实扩建用地指标2025-03-30（逾期1天）未启动" in text
    assert "申报专精特新2025-03-10已完成" in text and "协调电力增容2025-02-01已中止" in text
    assert "组织专场招聘会2025-03-31推进中" in text and "对接高校攻关2025-04-05推进中" in text
    assert text.count("逾期") == 3  # the two marks and the note saying to which day they count
    assert "逾期天数计至数据截至日2025-03-31。" in text
    # a month later the same measures print otherwise (and so does the code)
    later = tmp_path / "later.pdf"
    pdf.write_enterprise_forms(db, later, [eid], period="2025-04", printed_at=PRINTED_AT)
    text = flat(body_text(later))
    assert "2025-03-01（逾期60天）" in text and "2025-03-31（逾期30天）" in text and "2025-04-05（逾期25天）" in text


def test_fonts_are_the_shipped_ones_embedded_as_truetype_subsets(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _info, eid = enterprise
    out = tmp_path / "form.pdf"
    pdf.write_enterprise_forms(db, out, [eid], period="2025-03")
    page = PdfReader(out).pages[0]
    embedded = [font.get_object() for font in page["/Resources"]["/Font"].values()]
    for font in embedded:  # every font of the form, not only those that carry Chinese
        assert font["/Subtype"] == "/TrueType", font["/BaseFont"]
        assert re.match(r"/[A-Z]{6}\+", str(font["/BaseFont"]))  # a subset, by the PDF naming rule
        assert "/FontFile2" in font["/FontDescriptor"]  # the TrueType program is embedded
        assert "/ToUnicode" in font  # which is what makes the Chinese text extractable
    used = {str(font["/BaseFont"]) for font in embedded}
    runs = text_runs(out)
    assert {run[4] for run in runs} <= used  # every line of text is set in them
    # a Song face (AR PL UMing) for the form, a Hei face (WenQuanYi Micro Hei) for its title
    title = next(run for run in runs if run[5] == "衡东县产业发展“百十亿”工程企业培育表")
    assert "WenQuanYiMicroHei" in title[4]
    assert all("UMingCN" in run[4] for run in runs if run[5].startswith(("企业名称", "统一社会信用代码", "打印时间")))


def test_every_font_is_embedded_by_pdffonts(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """poppler's own account of the file: each font embedded (emb) as a subset (sub) with a Unicode map."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    db, _info, eid = enterprise
    out = tmp_path / "form.pdf"
    pdf.write_enterprise_forms(db, out, [eid], period="2025-03")
    listing = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert {row[0].split("+")[1] for row in rows} == {"UMingCN-0", "WenQuanYiMicroHei-0"}
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows), listing


def test_last_year_uses_december_when_reported(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info, eid = enterprise
    with db.write(info.actor("cli")) as s:
        s.add(
            m.EnterpriseMonthly(
                enterprise_id=eid,
                unit_id=info.unit_id,
                period="2024-12",
                output_ytd=D("22000"),
                revenue_ytd=D("20500"),
                tax_ytd=None,
            )
        )
    out = tmp_path / "form.pdf"
    pdf.write_enterprise_forms(db, out, [eid], period="2025-03")
    text = flat(pages_text(out)[0])
    # December for what it reports; the yearly figure only for what December left blank
    assert "2024年22,000.0020,500.00890.12*321*" in text


def test_long_names_and_texts_wrap_instead_of_overflowing_or_being_cut(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info, eid = enterprise
    long = {
        "name": ("湖南省衡东县" + "超长名称精密机械制造装备" * 8)[:96] + "有限公司",  # 100 characters
        "address": "衡东县吴集镇" + "工业园区创业大道东段" * 19 + "一号",
        "main_products": "、".join(["液压挖掘机配件", "精密齿轮", "农机装备整机"] * 9),
        "needs_text": "".join(f"第{i}项：流动资金紧张，银行贷款审批周期长，需协调续贷。" for i in range(1, 70)),
        "support_measures": "".join(
            f"措施{i}：县科工信局定期走访，协调解决融资与用地问题，落实专人对接。" for i in range(1, 120)
        )[:4000],  # the field's maximum
        "notes": "备注说明文字" * 300,
    }
    with db.write(info.actor("cli")) as s:
        e = s.get(m.Enterprise, eid)
        for key, value in long.items():
            setattr(e, key, value)
    assert len(long["support_measures"]) == 4000 and len(long["name"]) == 100
    out = tmp_path / "long.pdf"
    written = pdf.write_enterprise_forms(db, out, [eid], period="2025-03")
    texts = pages_text(out)
    assert 2 <= written.pages == len(texts) <= 4  # more pages only because the content needs them
    whole = flat(body_text(out))
    for key, value in long.items():
        assert flat(value) in whole, f"{key} was cut"
    runs = text_runs(out)
    for page, left, right, _y, _font, text in runs:
        assert left >= document.MARGIN_X - 0.5, (page, text)
        assert right <= document.PAGE_WIDTH - document.MARGIN_X + 0.5, (page, text)
    rows: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
    for page, left, right, y, _font, text in runs:
        rows.setdefault((page, round(y)), []).append((left, right, text))
    for line in rows.values():  # no run runs into the next one on the same line
        line.sort()
        for (_l1, r1, t1), (l2, _r2, t2) in zip(line, line[1:], strict=False):
            assert r1 <= l2 + 0.5, (t1, t2)
    name_lines = [t for _p, _l, _r, _y, _f, t in runs if t.startswith("湖南省衡东县超长名称")]
    assert name_lines and len(name_lines[0]) < 100  # the name wrapped onto more lines
    assert f"第1页/共{written.pages}页" in flat(texts[0]) and f"第{written.pages}页/共{written.pages}页" in flat(
        texts[-1]
    )
    assert "（续）" in texts[1] and "填表人：" in flat(texts[-1])


def test_batch_prints_one_enterprise_per_page_with_progress(training_township, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    demo.generate(db, enterprises=6, months=5, seed=4, end_period="2025-05")
    with db.read() as s:
        names = sorted(s.scalars(m.Enterprise.__table__.select().with_only_columns(m.Enterprise.name)))
    seen: list[tuple[int, int]] = []
    out = tmp_path / "batch.pdf"
    written = pdf.write_enterprise_forms(db, out, unit_id=info.unit_id, progress=lambda d, t, _m: seen.append((d, t)))
    texts = pages_text(out)
    assert written.period == "2025-05" and written.pages == len(texts) == 6 == len(written.forms)
    assert [form.name for form in written.forms] == names
    for text, form in zip(texts, written.forms, strict=True):
        assert form.name in flat(text) and "第1页/共1页" in flat(text) and form.code in text
    assert (5, 6) in seen and len({form.code for form in written.forms}) == 6


def test_verification_code_follows_every_printed_field(enterprise) -> None:  # type: ignore[no-untyped-def]
    db, _info, eid = enterprise
    with db.read() as s:
        form = ef.load_forms(s, load(s), "2025-03", ids=[eid])[0]
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", form.code)
    assert dataclasses.replace(form).code == form.code  # same content, same code
    changed = {
        dataclasses.replace(form, fields={**form.fields, name: form.fields[name] + "x"}).code for name in form.fields
    }
    assert len(changed) == len(form.fields) and form.code not in changed
    rows = [list(r) for r in form.figures]
    rows[4][2] = "1,500.01"
    for other in (
        dataclasses.replace(form, revision=form.revision + 1),
        dataclasses.replace(form, period="2025-02"),
        dataclasses.replace(form, figures=tuple(tuple(r) for r in rows)),
        dataclasses.replace(form, memberships=form.memberships[:1]),
        dataclasses.replace(form, removed="本企业已于2025-04-01调出"),
    ):
        assert other.code != form.code
    assert verification_code({"a": D("1.50")}) == verification_code({"a": D("1.5")})
    assert normalise_code(" t2pm hegj ") == "T2PM-HEGJ" and normalise_code("OIL0-0000") == "0110-0000"


def test_verification_code_recomputes_from_the_database(enterprise, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info, eid = enterprise
    printed = pdf.write_enterprise_forms(db, tmp_path / "f.pdf", [eid], period="2025-03").forms[0].code
    assert pdf.enterprise_form_code(db, eid, "2025-03") == printed
    with db.write(info.actor("form")) as s:
        s.get(m.Enterprise, eid).contact_phone = "13807340001"
    assert pdf.enterprise_form_code(db, eid, "2025-03") != printed


@pytest.fixture
def project(enterprise):  # type: ignore[no-untyped-def]
    db, info, eid = enterprise
    with db.write(info.actor("cli")) as s:
        p = m.Project(
            project_code="HD2025001",
            name="年产20万台液压件智能制造项目",
            unit_id=info.unit_id,
            domain_id=1,
            industry_id=1,
            builder_enterprise_id=eid,
            project_type="新建",
            source="招商引进",
            total_investment=D("50000"),
            planned_start="2024-03",
            planned_finish="2026-12",
            content="新建厂房5万平方米及生产线",
            status="在建",
            contact_leader="谭副县长",
            responsible_department="县发改局",
            build_first=True,
            notes="省重点项目",
        )
        s.add(p)
        s.flush()
        s.add(m.ProjectAnnual(project_id=p.id, unit_id=p.unit_id, year=2025, plan_investment=D("12000")))
        for period, month, ytd, total in (("2025-01", "1000", "1000", "9000"), ("2025-02", "1500", "2500", "10500")):
            s.add(
                m.ProjectMonthly(
                    project_id=p.id,
                    unit_id=p.unit_id,
                    period=period,
                    invest_month=D(month),
                    invest_ytd=D(ytd),
                    invest_cumulative=D(total),
                    progress="主体工程施工中",
                    issues="用地报批未完成",
                    coordination="请县自然资源局协调用地",
                )
            )
        s.add(
            m.Problem(
                unit_id=p.unit_id,
                project_id=p.id,
                category="土地",
                description="二期用地指标未落实",
                raised_on=date(2025, 1, 5),
                department="县自然资源局",
                status="办理中",
            )
        )
        s.add(
            m.Problem(
                unit_id=p.unit_id,
                project_id=p.id,
                category="融资",
                description="已解决的问题",
                raised_on=date(2024, 11, 5),
                status="已解决",
                resolution="已放贷",
                solved_on=date(2025, 1, 2),
            )
        )
    return db, info, p.id


def test_project_form(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, info, pid = project
    assert pdf.find_project(db, "HD2025001") == pid
    out = tmp_path / "project.pdf"
    written = pdf.write_project_forms(db, out, [pid], period="2025-02", printed_at=PRINTED_AT)
    texts = pages_text(out)
    assert written.pages == len(texts) == 1  # with the 42 mm seal square (issue 17)
    text = flat(texts[0])
    assert flat(f"填表人：{info.operator}") in text
    assert "衡东县产业发展“百十亿”工程亿元级项目调度表" in text
    for spec in f.PROJECT:
        assert flat(spec.label) in text, spec.label
    for value in (
        "年产20万台液压件智能制造项目",
        "HD2025001",
        "衡东县金瑞精密机械制造有限公司",
        "50,000.00",
        "12,000.00",
        "2024年3月",
        "2026年12月",
        "新建厂房5万平方米及生产线",
        "在建",
        "是",
        "省重点项目",
        "累计投资完成率21.0%",
        "2025年2月1,500.0010,500.002,500.00",
        "主体工程施工中",
        "请县自然资源局协调用地",
        "二期用地指标未落实",
        "另有已解决1条",
        "填表人：",
        "单位（盖章）：",
        "第1页/共1页",
    ):
        assert value in text, value
    assert "已解决的问题" not in text
    assert CODE.search(texts[0]).group(1) == written.forms[0].code == pdf.project_form_code(db, pid, "2025-02")


def test_project_form_prints_the_lifecycle_warnings_and_the_two_latest_photos(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import photos
    from tests.unit.test_project_lifecycle import photo

    db, info, pid = project
    with db.write(info.actor("cli")) as s:
        s.add_all(
            [
                m.ProjectStage(
                    project_id=pid, unit_id=info.unit_id, period="2024-05", status="开工", reached_on=date(2024, 5, 6)
                ),
                m.ProjectStage(
                    project_id=pid, unit_id=info.unit_id, period="2024-09", status="在建", reached_on=date(2024, 9, 1)
                ),
            ]
        )
    for n, caption in enumerate(("基础施工", "主体封顶", "设备进场")):
        photos.add(db, info, pid, photo(size=(120 + n, 90)), caption=caption)
    out = tmp_path / "project.pdf"
    written = pdf.write_project_forms(db, out, [pid], period="2025-02", printed_at=PRINTED_AT)
    text = flat("".join(pages_text(out)))
    assert "开工（2024-05-06）→在建（2024-09-01）" in text
    assert "开工：2024-05-06开工，比计划晚2个月" in text and "竣工：计划2026-12，未到期" in text
    # plan 12,000 for 2025: by February 2,000 due, 60% of it 1,200; 2,500 done → not slow; invested in February
    assert "无（包而不推、推而不快、快而不优均未触发）" in text
    assert "现场照片（最近2张）" in text and "主体封顶" in text and "设备进场" in text and "基础施工" not in text
    assert "拍摄于2025-06-18" in text and "北纬27.086806°，东经112.934514°" in text
    images = [name for page in PdfReader(out).pages for name in page.images]
    assert len(images) == 2
    before = written.forms[0].code
    photos.remove(db, info, photos.photos(db, pid)[-1].id)
    assert pdf.project_form_code(db, pid, "2025-02") != before  # the photos printed are part of the form


def test_a_target_of_an_earlier_year_says_its_year_in_the_bulletins_table(training_county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The reference data holds 2025 targets only: a 2026 bulletin uses them (per-metric fallback),
    and its table says so beside each target instead of heading the column “2026年目标”."""
    db, _info = training_county
    demo.generate(db, enterprises=3, months=2, seed=5, end_period="2026-02", today=date(2026, 3, 1))
    figures = programme_figures(db, "2026-02", today=date(2026, 3, 12))
    assert {p.target_year for p in figures.headline.values()} == {2025} and figures.target_year == 2026
    out = tmp_path / "bulletin.pdf"
    pdf.write_bulletin(db, out, "2026-02", today=date(2026, 3, 12), printed_at=PRINTED_AT)
    text = flat("".join(pages_text(out)))
    assert "年度目标" in text and "2026年目标" not in text
    for target in ("5（2025年）", "18（2025年）", "34（2025年）"):
        assert target in text


def test_bulletin_figures_come_from_the_figures_service(training_county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _info = training_county
    demo.generate(db, enterprises=4, months=8, projects=2, seed=3, end_period="2025-06", today=date(2025, 7, 1))
    figures = programme_figures(db, "2025-06", today=date(2025, 7, 12))
    out = tmp_path / "bulletin.pdf"
    written = pdf.write_bulletin(db, out, "2025-06", today=date(2025, 7, 12), printed_at=PRINTED_AT)
    texts = pages_text(out)
    text = flat("".join(texts))
    assert written.pages == len(texts) >= 2
    for page in PdfReader(out).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx((595.28, 841.89), abs=0.01)
    assert "衡东县产业发展“百十亿”工程工作通报" in text and "（2025年6月）" in text and "2025年7月12日" in text
    h = figures.headline
    assert f"全县百亿级产业（按2024年全年）{h['hundred_billion_industries'].achieved}个，2025年目标5个" in text
    assert f"十亿级企业（按2024年全年）{h['billion_enterprises'].achieved}家，2025年目标18家" in text
    assert f"亿元级项目（已开工实施）{h['hundred_million_projects'].achieved}个，2025年目标34个" in text
    assert flat(figures.basis.sentence()) in text and "（未编期号的草稿，不作正式发布）" in text
    for dom in figures.domains:
        assert f"{dom.name}（{dom.measure_label}）" in text
    for ind in figures.industries:  # name, domain, enterprises, output …, completion percentage
        assert ind.name in text and f"{ind.completion_percent}%" in text
    assert "1-6月累计" in text and "年度目标" in text  # the chart's legend
    # the reporting status: every unit's months accepted
    assert "2025年1月" in text and "2025年6月，18个填报单位中已接收18个；逾期0个。" in text
    oldest = figures.problems.oldest[0]
    assert oldest.subject in text and f"{oldest.days_open:,}" in text
    assert "第1页/共" in flat(texts[0])
    assert all("培训演示非正式数据" in flat(t) for t in texts)  # a training database's watermark, on every page
    # a period no unit has reported yet counts nobody, and says so
    later = flat(
        "".join(pages_text(pdf.write_bulletin(db, tmp_path / "b8.pdf", "2025-08", today=date(2025, 9, 10)).path))
    )
    assert "计入2025-08已接收的单位（0/18个）" in later and "未计入：未填报18个" in later
    assert "2025年8月，18个填报单位中未填报18个；逾期0个。" in later  # due 09-10: not yet late


def test_bulletin_status_is_the_reporting_service(county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import reporting

    db, _info = county
    with db.write(_info.actor("cli")) as s:
        e = m.Enterprise(credit_code=credit_code.complete("91430424MA4L00001"), name="甲", unit_id=3, domain_id=1)
        s.add(e)
        s.flush()
        s.add(m.EnterpriseMonthly(enterprise_id=e.id, unit_id=3, period="2025-02", output_ytd=D(5)))
    data = bulletin.load_bulletin(db, "2025-02", date(2025, 3, 20))
    shown = reporting.status_matrix(db, data.status_periods)
    assert {k: v for k, v in data.status.items() if k[1] in data.status_periods} == shown
    assert data.status[(3, "2025-02")] == "已填报未上报"
    assert data.status[(3, "2025-01")] == data.status[(4, "2025-02")] == "未填报"


def test_refusals_write_nothing(enterprise, county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _info, eid = enterprise
    with pytest.raises(UserError, match="县级汇总数据库"):
        pdf.write_bulletin(db, tmp_path / "b.pdf", "2025-03")
    with pytest.raises(UserError, match="期别“2025-13”无效"):
        pdf.write_enterprise_forms(db, tmp_path / "f.pdf", [eid], period="2025-13")
    with pytest.raises(UserError, match="保存位置"):
        pdf.write_enterprise_forms(db, tmp_path / "missing" / "f.pdf", [eid])
    with pytest.raises(UserError, match="没有可打印的企业"):
        pdf.write_enterprise_forms(db, tmp_path / "f.pdf", unit_id=5)
    with pytest.raises(UserError, match="没有统一社会信用代码"):
        pdf.find_enterprise(db, "91430424MA4L00001X")
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob(".hengdong-*")) == []
    existing = tmp_path / "keep.pdf"
    existing.write_bytes(b"old")
    pdf.write_enterprise_forms(db, existing, [eid])
    assert existing.read_bytes().startswith(b"%PDF") and list(tmp_path.glob(".hengdong-*")) == []


def test_font_fallback_is_logged_and_unusable_fonts_are_skipped(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"\x00\x01\x00\x00" + b"junk" * 50)
    with caplog.at_level(logging.WARNING, logger="hengdong_desktop.services.pdf.fonts"):
        font = fonts.choose_font([fonts.Candidate(bogus), fonts.Candidate(tmp_path / "missing.ttc")])
    assert font.regular == "STSong-Light" and not font.embedded
    assert "not usable" in caplog.text and "STSong-Light" in caplog.text


def test_the_shipped_fonts_come_first_with_their_licences() -> None:
    font = fonts.pdf_font()
    assert font.embedded and font.regular == fonts.REGULAR_NAME and font.heading == fonts.HEADING_NAME
    assert font.heading_is_bold  # a face of its own, no faux bold
    shipped = Path(font.source.rsplit("#", 1)[0])
    assert shipped.name == "uming.ttc" and shipped.parent.name == "fonts" and font.source.endswith("#0")
    for licence in ("ARPHICPL.txt", "WQY-MICROHEI-LICENSE.txt"):
        assert (shipped.parent / licence).stat().st_size > 5000, licence
    assert "ARPHIC PUBLIC LICENSE" in (shipped.parent / "ARPHICPL.txt").read_text(encoding="utf-8")
    assert "Apache License" in (shipped.parent / "WQY-MICROHEI-LICENSE.txt").read_text(encoding="utf-8")


def test_cli(project, county_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    import json

    from hengdong_desktop.cli import main

    db, _info, _pid = project
    path = str(db.path)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    form = tmp_path / "form.pdf"
    full = credit_code.complete("91430424MA4L12345")
    code, out, _ = run(
        "pdf", "form", "--db", path, "--code", full.lower(), "--period", "2025-03", "--out", str(form), "--json"
    )
    data = json.loads(out)
    assert code == 0, data
    assert data["pages"] == 1 and data["forms"][0]["name"] == "衡东县金瑞精密机械制造有限公司"
    printed = data["forms"][0]["code"]
    assert printed in PdfReader(form).pages[0].extract_text()
    code, out, _ = run(
        "pdf",
        "verify",
        "--db",
        path,
        "--code",
        full,
        "--period",
        "2025-03",
        "--check",
        printed.lower().replace("-", " "),
    )
    assert code == 0 and "一致" in out
    code, _, err = run("pdf", "verify", "--db", path, "--code", full, "--period", "2025-02", "--check", printed)
    assert code == 1 and "校验码不一致" in err and len(err.strip().splitlines()) == 1
    code, out, _ = run("pdf", "forms", "--db", path, "--out", str(tmp_path / "all.pdf"))
    assert code == 0 and "1户企业" in out
    code, out, _ = run("pdf", "project", "--db", path, "--id", "HD2025001", "--out", str(tmp_path / "p.pdf"))
    assert code == 0 and "亿元级项目调度表" in out
    code, _, err = run("pdf", "bulletin", "--db", path, "--period", "2025-03", "--out", str(tmp_path / "b.pdf"))
    assert code == 1 and "县级汇总数据库" in err and not (tmp_path / "b.pdf").exists()
    code, _, err = run("pdf", "forms", "--db", path, "--unit", "洣水镇", "--out", str(tmp_path / "x.pdf"))
    assert code == 1 and "洣水镇" in err and not (tmp_path / "x.pdf").exists()
    code, out, _ = run(
        "pdf", "bulletin", "--db", str(county_path), "--period", "2025-03", "--out", str(tmp_path / "b.pdf"), "--json"
    )
    assert code == 0 and json.loads(out)["pages"] >= 1
    assert run("pdf", "form", "--db", path)[0] == 2  # usage: --code and --out are required


def test_printed_forms_prefill_the_operator_leave_room_for_the_seal_and_print_the_explanations(  # type: ignore[no-untyped-def]
    project, tmp_path: Path
) -> None:
    """Issue 17: 填表人 is the operator; 单位（盖章） has an empty square a 42 mm seal fits in; a
    warned figure the clerk explained is printed with the 说明 beside it (107.7% and why)."""
    from reportlab.lib.units import mm
    from sqlalchemy import select

    from hengdong_desktop.services.entry import store_explanation
    from hengdong_desktop.services.pdf import document

    db, info, pid = project
    block = document.signature_block("张三", document.para("说明", document.styles().small))
    block.wrap(document.CONTENT_WIDTH, document.PAGE_HEIGHT)
    seal_width = block._colWidths[1] - 4 * mm  # noqa: SLF001 - less the left padding of the seal cell
    assert seal_width >= 42 * mm and sum(block._rowHeights) >= 42 * mm  # noqa: SLF001 - the spanned seal cell
    with db.write(info.actor("cli")) as s:
        february = s.scalar(
            select(m.ProjectMonthly).where(m.ProjectMonthly.project_id == pid, m.ProjectMonthly.period == "2025-02")
        )
        assert february is not None
        february.invest_cumulative = D("53850")  # 107.7% of the 50,000 total: warned (XY05)
        store_explanation(
            s, info.unit_id, "project_monthly", february.id, "2025-02", "XY05", "追加二期设备投资，总投资调整待批复"
        )
        project_row = s.get(m.Project, pid)
        assert project_row is not None
        store_explanation(s, info.unit_id, "project", pid, None, "XM08", "本项目为县属平台公司投资，无签约")
    out = tmp_path / "project.pdf"
    pdf.write_project_forms(db, out, [pid], period="2025-02", printed_at=PRINTED_AT)
    text = flat("".join(pages_text(out)))
    assert "累计投资完成率107.7%（说明：追加二期设备投资，总投资调整待批复）" in text
    assert "说明：累计完成投资（2025年2月）：追加二期设备投资，总投资调整待批复" in text
    assert "（说明：本项目为县属平台公司投资，无签约）" in text  # beside 签约日期, the field it concerns
    assert flat(f"填表人：{info.operator}") in text

    enterprise_out = tmp_path / "enterprise.pdf"
    with db.write(info.actor("cli")) as s:
        eid = s.scalar(select(m.Project.builder_enterprise_id).where(m.Project.id == pid))
        march = s.scalar(
            select(m.EnterpriseMonthly).where(
                m.EnterpriseMonthly.enterprise_id == eid, m.EnterpriseMonthly.period == "2025-03"
            )
        )
        assert march is not None
        store_explanation(s, info.unit_id, "enterprise_monthly", march.id, "2025-03", "YB01", "三月停产检修")
    pdf.write_enterprise_forms(db, enterprise_out, [eid], period="2025-03", printed_at=PRINTED_AT)
    assert flat(f"填表人：{info.operator}") in flat("".join(pages_text(enterprise_out)))
    assert "三月停产检修" in flat("".join(pages_text(enterprise_out)))


def test_a_project_form_that_runs_onto_a_second_page_takes_its_last_section_along(project, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The signature block never stands alone on a page: what precedes it goes along (issue 17)."""
    db, info, pid = project
    with db.write(info.actor("cli")) as s:
        s.add(
            m.ProjectMonthly(
                project_id=pid,
                unit_id=info.unit_id,
                period="2025-03",
                invest_month=D("800"),
                invest_ytd=D("3300"),
                invest_cumulative=D("11300"),
                progress="主体工程施工中，二层楼面浇筑完成，钢结构厂房吊装过半，设备基础开挖。" * 3,
                issues="用地报批未完成，二期用地指标未落实，环评批复待取得。" * 3,
                coordination="请县自然资源局协调用地，请县生态环境局加快环评审批。" * 3,
            )
        )
        project = s.get(m.Project, pid)
        project.notes = "省重点项目，列入2025年省市重点建设项目计划，实行挂图作战、专班推进。" * 4
    out = tmp_path / "project.pdf"
    pdf.write_project_forms(db, out, [pid], period="2025-03", printed_at=PRINTED_AT)
    texts = [flat(t) for t in pages_text(out)]

    assert len(texts) == 2
    last = texts[-1]
    assert "填表人：" in last and "单位（盖章）：" in last
    before_signature = last[: last.index("填表人：")]
    assert "问题" in before_signature  # the problems section came along, not the signature alone
    lines = PdfReader(out).pages[-1].extract_text(extraction_mode="layout").splitlines()
    signers = next(line for line in lines if "填表人：" in line)
    assert re.search(r"日期：\s*年\s*月\s*日", signers), signers  # the date on the signers' line
