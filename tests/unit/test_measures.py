"""一企一策 measures and the problem each may answer (关联问题): the one rule (CS02) refuses another
enterprise's problem in the editor's service, in 审核 and in Excel; the Excel sheet names a
problem by its date and the start of its description and reads that back; the history tab
shows a measure's changes; demo data carries measures."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.domain import credit_code, problem_ref
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks, demo, entry, reference, setup
from hengdong_desktop.services.excel import export, importer


def _enterprise(db, info, n: int, name: str) -> str:  # type: ignore[no-untyped-def]
    saved = entry.save(
        db,
        info,
        "enterprise",
        {"name": name, "credit_code": credit_code.complete(f"91430424MA4L2000{n}"), "domain_id": 1},
    )
    return saved.id or ""


def _problem(db, info, enterprise_id: str, description: str, raised_on: str = "2025-03-05") -> str:  # type: ignore[no-untyped-def]
    saved = entry.save(
        db,
        info,
        "problem",
        {
            "enterprise_id": enterprise_id,
            "category": "融资",
            "description": description,
            "raised_on": raised_on,
            "status": "待办",
        },
    )
    return saved.id or ""


def _measures(db, info, enterprise_id: str, rows: list[dict[str, object]]) -> entry.Record:  # type: ignore[no-untyped-def]
    record = entry.load(db, "enterprise", enterprise_id)
    return entry.save(
        db, info, "enterprise", record.values, record_id=enterprise_id, revision=record.revision, measures=rows
    )


@pytest.fixture
def two(township):  # type: ignore[no-untyped-def]
    """Two enterprises, 甲 with two problems of the same day (alike for their first 20
    characters), 乙 with one."""
    db, info = township
    jia = _enterprise(db, info, 1, "衡东县甲公司")
    yi = _enterprise(db, info, 2, "衡东县乙公司")
    problems = {
        "loan": _problem(db, info, jia, "流动资金紧张，银行贷款审批周期长，需协调续贷三千万元"),
        "loan2": _problem(db, info, jia, "流动资金紧张，银行贷款审批周期长，需协调新增授信"),
        "land": _problem(db, info, yi, "扩建用地指标未落实", "2025-04-01"),
    }
    return db, info, jia, yi, problems


def test_the_text_naming_a_problem_is_read_back_to_that_problem() -> None:
    day = date(2025, 3, 5)
    rows = [
        {"id": "a", "raised_on": day, "description": "流动资金紧张，银行贷款审批周期长，需协调续贷三千万元"},
        {"id": "b", "raised_on": day, "description": "流动资金紧张，银行贷款审批周期长，需协调新增授信"},
        {"id": "c", "raised_on": date(2025, 4, 1), "description": "扩建用地指标未落实"},
    ]
    refs = problem_ref.references(rows)
    assert refs["c"] == "2025-04-01 扩建用地指标未落实"  # short enough to be whole
    assert refs["a"].startswith("2025-03-05 流动资金紧张") and refs["a"] != refs["b"]
    for pid, text in refs.items():
        assert problem_ref.find(text, rows) == [pid]
    # what a clerk types: another date format, only the start, no date at all
    assert problem_ref.find("2025/4/1 扩建用地", rows) == ["c"]
    assert problem_ref.find("扩建用地指标", rows) == ["c"]
    assert sorted(problem_ref.find("2025-03-05 流动资金紧张", rows)) == ["a", "b"]  # too short: both
    assert problem_ref.find("2025-03-06 流动资金紧张", rows) == []


def test_a_measure_answers_only_a_problem_of_its_own_enterprise(two) -> None:  # type: ignore[no-untyped-def]
    db, info, jia, yi, problems = two
    row = {"id": None, "content": "协调银行续贷", "department": "县发改局", "status": "推进中"}
    with pytest.raises(entry.Refused, match="关联问题不存在或不是该企业的问题，未保存"):
        _measures(db, info, jia, [{**row, "problem_id": problems["land"]}])  # 乙's problem
    with pytest.raises(entry.Refused, match="关联问题"):
        _measures(db, info, jia, [{**row, "problem_id": "00000000-0000-4000-8000-000000000000"}])
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.SupportMeasure)) == 0  # nothing written
    saved = _measures(db, info, jia, [{**row, "problem_id": problems["loan"]}])
    assert [x["problem_id"] for x in saved.measures] == [problems["loan"]]
    # the editor's choices: 甲's own problems, as the clerk reads them
    assert set(saved.problems) == {problems["loan"], problems["loan2"]}
    # (the two share their first 20 characters: each named until they differ, as in Excel)
    assert saved.problems[problems["loan"]] == "2025-03-05 流动资金紧张，银行贷款审批周期长，需协调续贷三千万元"
    # the same check as the form dialog makes, from the choices it offers
    offered = dict.fromkeys(saved.problems, jia)
    with db.read() as s:
        ref = reference.load(s)
    assert not entry.check_measure({**row, "problem_id": problems["loan2"]}, ref, jia, offered).blocking
    assert entry.check_measure({**row, "problem_id": problems["land"]}, ref, jia, offered).blocking  # not offered
    # unlinking is allowed
    unlinked = _measures(db, info, jia, [{**saved.measures[0], "problem_id": None}])
    assert unlinked.measures[0]["problem_id"] is None


def test_audit_and_the_history_see_measures(two) -> None:  # type: ignore[no-untyped-def]
    db, info, jia, yi, problems = two
    saved = _measures(
        db,
        info,
        jia,
        [{"id": None, "content": "协调银行续贷", "status": "推进中", "problem_id": problems["loan"]}],
    )
    measure_id = saved.measures[0]["id"]
    _measures(
        db,
        info,
        jia,
        [{**saved.measures[0], "status": "已完成", "progress": "已续贷", "problem_id": problems["loan2"]}],
    )
    history = entry.history(db, "enterprise", jia)
    mine = [(c.part, c.field, c.old, c.new) for c in history if c.part.startswith("一企一策")]
    assert ("一企一策：协调银行续贷", "推进状态", "推进中", "已完成") in mine
    assert (
        "一企一策：协调银行续贷",
        "关联问题",
        "2025-03-05 流动资金紧张，银行贷款审批周期长，需协调…",
        "2025-03-05 流动资金紧张，银行贷款审批周期长，需协调…",
    ) not in mine  # the two problems read apart in the history, too
    (link,) = [c for c in mine if c[1] == "关联问题"]
    assert link[2] != link[3] and link[2].startswith("2025-03-05") and link[3].startswith("2025-03-05")
    assert checks.check_database(db).blocking == []
    with db.write(info.actor("cli")) as s:  # written around the services: 审核 still finds it
        measure = s.get(m.SupportMeasure, measure_id)
        assert measure is not None
        measure.problem_id = problems["land"]
    (finding,) = checks.check_database(db).blocking
    assert (finding.rule_id, finding.entity, finding.subject) == ("CS02", "support_measure", "衡东县甲公司")
    assert checks.open_by_owner(db, owners=[("enterprise", jia)])[("enterprise", jia)] == 1


def _sheet(path: Path):  # type: ignore[no-untyped-def]
    wb = load_workbook(path)
    ws = wb["一企一策"]
    header = [c.value for c in ws[2]]
    return wb, ws, header


def test_links_go_through_excel_and_back_and_a_wrong_one_is_refused(two, tmp_path) -> None:  # type: ignore[no-untyped-def]
    db, info, jia, yi, problems = two
    _measures(
        db,
        info,
        jia,
        [
            {"id": None, "content": "协调银行续贷", "status": "推进中", "problem_id": problems["loan"]},
            {"id": None, "content": "协调新增授信", "status": "未启动", "problem_id": problems["loan2"]},
            {"id": None, "content": "申报专精特新", "status": "未启动"},
        ],
    )
    out = tmp_path / "本单位.xlsx"
    export.export_township(db, out)
    wb, ws, header = _sheet(out)
    assert "关联问题" in str(ws["A1"].value) and "2025-03-05" in str(ws["A1"].value)  # the note says how
    col = header.index("关联问题")
    by_content = {r[header.index("帮扶措施")].value: r for r in ws.iter_rows(min_row=3) if r[0].value}
    assert by_content["申报专精特新"][col].value is None
    texts = {by_content[c][col].value for c in ("协调银行续贷", "协调新增授信")}
    assert len(texts) == 2 and all(t.startswith("2025-03-05 流动资金紧张") for t in texts)

    # into an empty database: the problems come from the file's 问题 sheet, the links with them
    fresh = tmp_path / "fresh.sqlite3"
    setup.init_database(fresh, setup.TOWNSHIP, "吴集镇", "王五")
    db2, _ = setup.open_initialized(fresh)
    try:
        _d, plan = importer.import_file(db2, out)
        assert plan.written, [i.line() for i in plan.blocking]
        with db2.read() as s:
            linked = {
                x.content: (s.get(m.Problem, x.problem_id).description if x.problem_id else None)  # type: ignore[union-attr]
                for x in s.scalars(select(m.SupportMeasure))
            }
            owners = {
                x.enterprise_id == s.get(m.Problem, x.problem_id).enterprise_id  # type: ignore[union-attr]
                for x in s.scalars(select(m.SupportMeasure).where(m.SupportMeasure.problem_id.is_not(None)))
            }
        assert linked == {
            "协调银行续贷": "流动资金紧张，银行贷款审批周期长，需协调续贷三千万元",
            "协调新增授信": "流动资金紧张，银行贷款审批周期长，需协调新增授信",
            "申报专精特新": None,
        }
        assert owners == {True}
    finally:
        db2.close()

    # back into the same database: nothing changes
    _d, plan = importer.import_file(db, out)
    assert plan.written and [c for c in plan.changes if c.action != "unchanged"] == []

    def refused(text: str, words: str) -> None:
        wb, ws, header = _sheet(out)
        cell = next(r for r in ws.iter_rows(min_row=3) if r[header.index("帮扶措施")].value == "协调银行续贷")[col]
        cell.value = text
        broken = tmp_path / "改过.xlsx"
        wb.save(broken)
        with db.read() as s:
            before = [
                (x.id, x.problem_id, x.revision)
                for x in s.scalars(select(m.SupportMeasure).order_by(m.SupportMeasure.id))
            ]
        _d, plan = importer.import_file(db, broken)
        assert not plan.written
        (issue,) = plan.blocking
        assert (issue.sheet, issue.row, issue.column, issue.cell) == ("一企一策", cell.row, "关联问题", cell.coordinate)
        assert words in issue.message and words in issue.line()
        with db.read() as s:
            after = [
                (x.id, x.problem_id, x.revision)
                for x in s.scalars(select(m.SupportMeasure).order_by(m.SupportMeasure.id))
            ]
        assert after == before  # nothing written

    refused("2025-04-01 扩建用地指标未落实", "关联问题不存在或不是该企业的问题")  # 乙's problem
    refused("2025-05-05 没有这个问题", "关联问题“2025-05-05 没有这个问题”在该企业的问题中找不到")
    refused("2025-03-05 流动资金紧张", "与该企业的2个问题相符")


def test_demo_data_has_measures_some_answering_problems_one_overdue(training_township) -> None:  # type: ignore[no-untyped-def]
    db, _info = training_township
    today = date(2025, 7, 10)
    demo.generate(db, enterprises=12, months=2, projects=2, seed=3, end_period="2025-06", today=today)
    with db.read() as s:
        rows = s.execute(
            select(m.SupportMeasure, m.Problem).outerjoin(m.Problem, m.Problem.id == m.SupportMeasure.problem_id)
        ).all()
    assert len(rows) >= 2
    linked = [(x, p) for x, p in rows if p is not None]
    assert linked and all(p.enterprise_id == x.enterprise_id for x, p in linked)
    assert [x for x, _p in rows if x.deadline < today and x.status != "已完成"]  # overdue
    assert all(x.progress for x, _p in rows if x.status == "已完成")
    assert checks.check_database(db).blocking == []
    assert timedelta(0) < max(x.deadline for x, _p in rows) - today


def test_a_problem_a_measure_answers_stays_with_that_enterprise(two) -> None:  # type: ignore[no-untyped-def]
    db, info, jia, yi, problems = two
    _measures(
        db, info, jia, [{"id": None, "content": "协调银行续贷", "status": "推进中", "problem_id": problems["loan"]}]
    )
    for key, refused in (("loan", True), ("loan2", False)):
        record = entry.load(db, "problem", problems[key])
        moved = {**record.values, "enterprise_id": yi}
        if refused:
            with pytest.raises(UserError, match="该问题是一企一策措施“协调银行续贷”的关联问题，不能改为其他企业"):
                entry.save(db, info, "problem", moved, record_id=record.id, revision=record.revision)
        else:
            entry.save(db, info, "problem", moved, record_id=record.id, revision=record.revision)
    with db.read() as s:
        owners = {pid: s.get(m.Problem, pid).enterprise_id for pid in (problems["loan"], problems["loan2"])}  # type: ignore[union-attr]
    assert owners == {problems["loan"]: jia, problems["loan2"]: yi}
    assert checks.check_database(db).blocking == []


def test_a_conflict_on_a_measures_problem_shows_the_problems_text(two) -> None:  # type: ignore[no-untyped-def]
    """The review's conflict queue names a 关联问题 as the editor does, and a 领域 by its name,
    not by the ids stored."""
    from hengdong_desktop.services.packages import review

    db, info, jia, _yi, problems = two
    saved = _measures(db, info, jia, [{"content": "协调续贷", "status": "推进中", "problem_id": problems["loan"]}])
    measure_id = saved.measures[0]["id"]
    with db.write(info.actor("cli")) as s:
        domains = {d.id: d.name for d in reference.load(s).domains}
        for entity, record_id, field, base, local, incoming in (
            ("support_measure", measure_id, "problem_id", problems["loan"], problems["loan2"], None),
            ("enterprise", jia, "domain_id", 1, 2, 1),
        ):
            s.add(
                m.Conflict(
                    entity=entity,
                    record_id=record_id,
                    unit_id=info.unit_id,
                    field=field,
                    base_value=json.dumps(base),
                    local_value=json.dumps(local),
                    incoming_value=json.dumps(incoming),
                    package_id="00000000-0000-4000-8000-000000000000",
                )
            )
    measure, domain = review.open_conflicts(db)
    assert (measure.field_label, measure.base, measure.local, measure.incoming) == (
        "关联问题",
        "2025-03-05 流动资金紧张，银行贷款审批周期长，需协调续贷三千万元",  # both start alike: the texts tell them apart
        "2025-03-05 流动资金紧张，银行贷款审批周期长，需协调新增授信",
        "（空）",
    )
    assert (domain.field_label, domain.base, domain.local, domain.incoming) == (
        "所属领域",
        domains[1],
        domains[2],
        domains[1],
    )
