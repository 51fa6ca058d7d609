"""Issued 通报 are records: a 期号, the figures printed, the PDF and its hash; a reprint is the
same file byte for byte; a correction is a new issue saying what changed."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import bulletins
from tests.unit.test_figures import Build, accept

PERIOD = "2025-03"


def _text(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


@pytest.fixture
def county_with_march(county):  # type: ignore[no-untyped-def]
    db, info = county
    with db.write(info.actor("cli")) as s:
        b = Build(s)
        e = b.ent(1, 2, 1)
        b.month(e, PERIOD, "150000")  # a 十亿级 enterprise to date
        b.year(e, 2024, output="120000")
    accept(db, 1, PERIOD)
    return db


def test_issue_reprint_and_correct(county_with_march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = county_with_march
    first = bulletins.issue(
        db, PERIOD, tmp_path / "1.pdf", today=date(2025, 4, 12), printed_at=datetime(2025, 4, 12, 9, 0)
    )
    assert (first.label, first.period, first.corrects, first.changes) == ("2025年第1期", PERIOD, None, [])
    data = (tmp_path / "1.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == first.pdf_sha256
    text = _text(tmp_path / "1.pdf")
    assert "2025年第1期" in text and "十亿级企业（按2024年全年）1家" in text
    # the data changes afterwards; a reprint is still exactly what was issued
    with db.write(Actor(100, "县办", "form")) as s:
        s.execute(update(m.EnterpriseAnnual).values(output=D("90000")))
    bulletins.reprint(db, "2025-1", tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == data
    # issuing March again corrects the first issue and says what changed
    second = bulletins.issue(db, PERIOD, tmp_path / "2.pdf", today=date(2025, 4, 20))
    assert (second.label, second.corrects) == ("2025年第2期", "2025年第1期")
    assert "全县十亿级企业由1家更正为0家" in second.changes
    assert any(c.startswith("有色金属上年全年由120,000.00万元更正为90,000.00万元") for c in second.changes)
    text = _text(tmp_path / "2.pdf")
    assert "本期更正2025年第1期通报：全县十亿级企业由1家更正为0家" in text and "以本期为准" in text
    with pytest.raises(UserError, match="与已发布的2025年第2期通报相同，无需更正发布"):
        bulletins.issue(db, PERIOD, tmp_path / "3.pdf", today=date(2025, 4, 21))
    assert not (tmp_path / "3.pdf").exists()
    assert [b.label for b in bulletins.issued(db)] == ["2025年第2期", "2025年第1期"]
    with db.read() as s:
        stored = s.scalars(select(m.Bulletin).order_by(m.Bulletin.number)).first()
        assert stored.figures["headline"]["billion_enterprises"]["achieved"] == 1  # what it printed


def test_a_correction_names_what_changed_in_projects(county_with_march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = county_with_march
    first = bulletins.issue(db, PERIOD, tmp_path / "1.pdf", today=date(2025, 4, 12))
    with db.read() as s:
        stored = s.get(m.Bulletin, 1).figures
    assert stored["projects"]["total"]["projects"] == 0 and stored["investment"]["signed"] == 0
    assert "全县在库项目0个" in _text(tmp_path / "1.pdf")
    with db.write(Actor(100, "县办", "form")) as s:  # a March project the unit reported late
        p = Build(s).project("20000", ("2024-11", "在建"))
        p.signed_on = date(2024, 12, 1)
    second = bulletins.issue(db, PERIOD, tmp_path / "2.pdf", today=date(2025, 4, 20))
    assert second.corrects == first.label
    assert {
        "在库项目数由0个更正为1个",
        "累计签约项目由0个更正为1个",
        "签约项目已开工由0个更正为1个",
        "全县亿元级项目由0个更正为1个",
    } <= set(second.changes)
    assert "包而不推预警由0个更正为1个" in second.changes  # 在建 since November, no investment reported


def test_a_damaged_archive_is_not_reprinted(county_with_march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = county_with_march
    bulletins.issue(db, PERIOD, tmp_path / "1.pdf", today=date(2025, 4, 12))
    with db.write(Actor(100, "县办", "form")) as s:
        s.execute(update(m.Bulletin).values(pdf=b"%PDF-1.4 not what was issued"))
    with pytest.raises(UserError, match="存档已损坏"):
        bulletins.reprint(db, "2025年第1期", tmp_path / "x.pdf")
    with pytest.raises(UserError, match="没有2025年第9期通报"):
        bulletins.reprint(db, "2025-9", tmp_path / "x.pdf")
    with pytest.raises(UserError, match="期号“第一期”无效"):
        bulletins.find(db, "第一期")


def test_cli_issue_list_reprint(
    county_with_march, county_path: Path, township_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(
            [
                "bulletin",
                "issue",
                "--db",
                str(county_path),
                "--period",
                PERIOD,
                "--out",
                str(tmp_path / "b.pdf"),
                "--json",
            ]
        )
        == 0
    )
    issued = json.loads(capsys.readouterr().out)
    assert issued["issue"].endswith("年第1期") and issued["corrects"] is None
    assert main(["bulletin", "list", "--db", str(county_path)]) == 0
    assert issued["issue"] in capsys.readouterr().out
    number = issued["issue"].replace("年第", "-").replace("期", "")
    assert (
        main(["bulletin", "reprint", "--db", str(county_path), "--issue", number, "--out", str(tmp_path / "r.pdf")])
        == 0
    )
    assert (tmp_path / "r.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    capsys.readouterr()
    assert (
        main(["bulletin", "issue", "--db", str(township_path), "--period", PERIOD, "--out", str(tmp_path / "t.pdf")])
        == 1
    )
    assert "只能在县级汇总数据库中发布" in capsys.readouterr().err


def test_cli_official_totals(county_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            [
                "official",
                "--db",
                str(county_path),
                "--industry",
                "有色金属",
                "--period",
                PERIOD,
                "--value",
                "1,050,000",
                "--source",
                "县统计局",
            ]
        )
        == 0
    )
    assert "有色金属2025-03统计局口径：1,050,000.00万元" in capsys.readouterr().out
    assert main(["official", "--db", str(county_path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["totals"]
    assert listed == [{"industry": "有色金属", "period": PERIOD, "value": "1050000.0000", "source": "县统计局"}]
    assert (
        main(["official", "--db", str(county_path), "--industry", "火星产业", "--period", PERIOD, "--value", "1"]) == 1
    )
    assert "找不到目标产业“火星产业”" in capsys.readouterr().err
    assert (
        main(["official", "--db", str(county_path), "--industry", "有色金属", "--period", PERIOD, "--value", "-5"]) == 1
    )
    assert "不能为负数" in capsys.readouterr().err


def _fills(path: Path) -> set[str]:
    """The fill colours set on the first page (PDF `rg` operators)."""
    import re

    data = PdfReader(path).pages[0].get_contents().get_data().decode("latin-1")
    return set(re.findall(r"([\d.]+ [\d.]+ [\d.]+) rg", data))


def test_an_issued_bulletin_has_a_red_header_a_summary_and_the_programme(county_with_march, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = county_with_march
    draft = bulletins.draft_narrative(db, PERIOD, today=date(2025, 4, 12))
    # one 十亿级 enterprise of the 18 (by 2024年全年, 12亿): written from the figures
    assert draft.overall.startswith("截至2025年3月，全县百亿级产业0个、十亿级企业1家、亿元级项目0个")
    assert "按时报送下期数据" in draft.next_steps
    edited = bulletins.layout.Narrative(draft.overall, "县经开区招商取得新进展。", draft.problems, draft.next_steps)
    out = tmp_path / "issued.pdf"
    issued = bulletins.issue(db, PERIOD, out, today=date(2025, 4, 12), narrative=edited)
    text = _text(out)
    assert "2025年第1期（2025年3月）" in text and "县经开区招商取得新进展。" in text
    for heading in (
        "一、总体情况",
        "二、目标完成情况",
        "六、比学赶超排名",
        "七、培育名录",
        "八、问题交办与办理情况",
        "九、各单位填报情况",
    ):
        assert heading in text
    assert "十亿级企业1户" in text and "抄送：" in text and "2025年4月12日印发" in text
    assert ".752941 0 0" in _fills(out)  # the title in red (#c00000)
    with db.read() as s:
        stored = s.get(m.Bulletin, issued.id).figures
    assert stored["narrative"]["highlights"] == "县经开区招商取得新进展。"
    black = tmp_path / "black.pdf"
    with db.write(Actor(1, "测试", "cli")) as s:  # a second issue of the same figures would be refused
        s.execute(update(m.Bulletin).values(period="2025-02"))
    bulletins.issue(db, PERIOD, black, today=date(2025, 4, 12), black=True)
    assert ".752941 0 0" not in _fills(black)


def test_the_colophon_is_reference_data_the_bulletin_prints(county, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.domain import reference as r
    from hengdong_desktop.services import pdf
    from hengdong_desktop.services import reference_admin as ra

    db, info = county
    actor = info.actor("reference")
    before = pdf.write_bulletin(db, tmp_path / "before.pdf", PERIOD, today=date(2025, 4, 12)).path
    text = _text(before)  # the defaults
    assert "抄送：县委、县人大、县政府、县政协主要领导，县产业发展“百十亿”工程领导小组成员单位。" in text
    assert f"{r.ISSUER}2025年4月12日印发" in text
    version = ra.tables(db).version
    for copied, printed, why in (
        ("", "县政府办", "通报版记的“抄送”不能为空。"),
        ("县委办\n县政府办", "县政府办", "通报版记的“抄送”应为一行文字"),
        ("县委办", "办" * 201, "通报版记的“印发单位”不能超过200个字（现有201个）。"),
    ):
        with pytest.raises(UserError, match=why):
            ra.set_colophon(db, actor, copied, printed)
    assert ra.tables(db).version == version  # nothing was written
    ra.set_colophon(db, actor, " 市工业和信息化局，县委办、县政府办。 ", "衡东县人民政府办公室")
    tables = ra.tables(db)
    assert (tables.copied_to, tables.printed_by) == ("市工业和信息化局，县委办、县政府办。", "衡东县人民政府办公室")
    assert tables.version == version + 1  # versioned with the reference data, and it travels with it
    settings = ra.reference_snapshot(db)["settings"]
    assert settings[ra.META_COPIED_TO] == "市工业和信息化局，县委办、县政府办。"
    after = pdf.write_bulletin(db, tmp_path / "after.pdf", PERIOD, today=date(2025, 4, 12)).path
    text = _text(after)
    assert "抄送：市工业和信息化局，县委办、县政府办。" in text and "领导小组成员单位" not in text
    assert "衡东县人民政府办公室2025年4月12日印发" in text
    assert r.ISSUER in text  # the red header still names the issuer


def test_a_snapshot_with_a_bad_colophon_is_refused(county) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import reference_admin as ra

    db, _info = county
    snapshot = ra.reference_snapshot(db)
    snapshot["settings"][ra.META_PRINTED_BY] = "县政府办\u202e"
    with pytest.raises(UserError, match="基础数据无效：通报版记的“印发单位”应为一行文字"):
        ra.apply_reference_snapshot(db, snapshot)
    snapshot["settings"][ra.META_PRINTED_BY] = "县政府办"
    snapshot["settings"]["role"] = "county"  # a database's own fact is not reference data
    with pytest.raises(UserError, match="基础数据无效：设置项“role”不属于基础数据"):
        ra.apply_reference_snapshot(db, snapshot)
