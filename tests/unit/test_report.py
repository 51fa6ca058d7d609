"""`hengdong report` prints exactly the figures service's numbers (the Excel 汇总表 and the PDF 通报
read the same service; their comparisons join this test at merge)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from hengdong_desktop.cli import main
from hengdong_desktop.services import demo
from hengdong_desktop.services import figures as fs

PERIOD = "2025-06"


@pytest.fixture
def county_with_data(training_county, training_county_path):  # type: ignore[no-untyped-def]
    db, _info = training_county
    demo.generate(db, enterprises=10, months=14, projects=5, seed=11, end_period=PERIOD, today=date(2025, 7, 20))
    return db, training_county_path


def _report(capsys, path, *extra: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    code = main(["report", "--db", str(path), "--period", PERIOD, "--json", *extra])
    out = capsys.readouterr().out
    return code, json.loads(out)


def _num(value: object) -> D | None:
    return None if value is None else D(str(value))


def test_report_json_equals_the_figures(county_with_data, capsys) -> None:  # type: ignore[no-untyped-def]
    db, path = county_with_data
    code, data = _report(capsys, path)
    assert code == 0 and data["ok"] and data["period"] == PERIOD
    f = fs.programme_figures(db, PERIOD)
    assert data["target_year"] == f.target_year
    scopes = [(data["headline"], f.headline)] + [
        (d["progress"], fd.progress) for d, fd in zip(data["domains"], f.domains, strict=True)
    ]
    for printed, computed in scopes:
        for metric, p in computed.items():
            got = printed[metric]
            assert (got["achieved"], _num(got["target"]), _num(got["percent"]), got["last_year"]) == (
                p.achieved,
                p.target,
                p.percent,
                p.last_year,
            ), metric
    assert [d["name"] for d in data["domains"]] == [d.name for d in f.domains]
    for got, i in zip(data["industries"], f.industries, strict=True):
        assert (got["id"], got["enterprises"]) == (i.industry_id, i.enterprises)
        assert _num(got["output_to_date"]) == i.output_to_date
        assert _num(got["output_same_period_last_year"]) == i.output_same_period_last_year
        assert _num(got["output_last_year"]) == i.output_last_year
        assert (_num(got["target"]), _num(got["completion_percent"]), _num(got["growth_percent"])) == (
            i.target,
            i.completion_percent,
            i.growth_percent,
        )
    assert data["problems"]["open_total"] == f.problems.open_total > 0
    assert data["problems"]["by_category"] == f.problems.by_category
    assert [p["id"] for p in data["problems"]["oldest"]] == [p.problem_id for p in f.problems.oldest]
    assert data["definitions"]["implemented_statuses"] == ["开工", "在建", "竣工", "投产", "达效"]


def test_report_json_carries_the_reporting_status(county_with_data, capsys) -> None:  # type: ignore[no-untyped-def]
    db, path = county_with_data
    _code, data = _report(capsys, path)
    rs = fs.reporting_status(db, PERIOD)
    rep = data["reporting"]
    assert rep["periods"] == rs.periods
    assert rep["open_conflicts"] == rs.open_conflicts == 0 and rep["open_duplicates"] == rs.open_duplicates == 0
    assert len(rep["units"]) == 18
    for unit in rep["units"]:
        assert unit["status"] == {p: rs.of(unit["id"], p) for p in rs.periods}
        assert set(unit["overdue"]) == {p for u, p in rs.overdue if u == unit["id"]}
    # the demo covers 2024-05 … 2025-06 for every unit, carried by an accepted package
    assert rep["counts"][PERIOD] == {"未填报": 0, "已填报未上报": 0, "已上报": 0, "已接收": 18, "已退回": 0}
    assert rep["overdue"][PERIOD] == 0


def test_report_text_and_refusals(county_with_data, township_path, capsys) -> None:  # type: ignore[no-untyped-def]
    _db, path = county_with_data
    assert main(["report", "--db", str(path), "--period", PERIOD]) == 0
    text = capsys.readouterr().out
    assert "全县：百亿级产业" in text and "十亿级企业" in text and "机械制造（产值）：" in text
    assert text.splitlines()[1].startswith("口径：2025-06期，计入2025-06已接收的单位（18/18个）")
    assert main(["report", "--db", str(path), "--period", "2025-6"]) == 1
    assert "期别“2025-6”无效" in capsys.readouterr().err
    assert main(["report", "--db", str(township_path), "--period", PERIOD, "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["ok"] is False and "汇总报告只能在县级汇总数据库上生成" in captured.err
