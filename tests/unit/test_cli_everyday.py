"""The CLI as a clerk without the GUI uses it: help and usage errors in Chinese, quiet when its
reader stops early, and `hengdong explain` to write the 说明 that lets a period be exported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.services import setup
from tests.package_support import END, make_county, pin

ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "optional arguments",
    "show this help",
    "show program's",
    "the following arguments",
    "invalid choice",
    "unrecognized arguments",
    "error:",
    "expected one argument",
    "invalid int value",
)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "args", [["--help"], ["check", "--help"], ["excel", "import", "--help"], ["explain", "--help"]]
)
def test_help_has_no_english_argparse_words(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert out.startswith("用法：hengdong") and "显示本帮助并退出" in out
    assert not [word for word in ENGLISH if word in out]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["check"], "缺少必需的参数：--db"),
        (["frobnicate"], "参数 命令：无效的选择：'frobnicate'"),
        (["demo", "--db", "x.sqlite3", "--months", "abc"], "参数 --months：“abc”不是整数"),
        (["check", "--db", "x.sqlite3", "--bogus"], "无法识别的参数：--bogus"),
        (["init", "--db", "x.sqlite3", "--role", "mayor"], "参数 --role：无效的选择：'mayor'"),
    ],
)
def test_usage_errors_are_chinese(capsys: pytest.CaptureFixture[str], args: list[str], said: str) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    assert err.startswith("用法：hengdong") and f"用法错误：{said}" in err
    assert not [word for word in ENGLISH if word in err]


@pytest.mark.parametrize("args", [["--help"], ["check", "--db", "DB"]])
def test_a_reader_that_stops_early_gets_no_traceback(training_township_path: Path, args: list[str]) -> None:
    """`hengdong check … | head`: the pipe is closed before the command writes a byte."""
    main(["demo", "--db", str(training_township_path), "--enterprises", "20", "--months", "6"])
    argv = [a.replace("DB", str(training_township_path)) for a in args]
    proc = subprocess.Popen(
        [sys.executable, "-m", "hengdong_desktop", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0
    assert err == ""


def _unexplained(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "check", "--db", db, "--json")
    assert code == 0
    return [f for f in json.loads(out)["findings"] if f["severity"] in ("准强制性", "核实性") and not f["explained"]]


def test_explain_finishes_a_period_without_the_gui(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    township = tmp_path / "吴集镇.sqlite3"
    run(
        capsys,
        "init",
        "--db",
        township,
        "--role",
        "township",
        "--unit",
        "吴集镇",
        "--training",
        "--start-period",
        "2020-01",
    )
    assert (
        run(
            capsys,
            "demo",
            "--db",
            township,
            "--enterprises",
            "30",
            "--months",
            "12",
            "--seed",
            "3",
            "--end-period",
            END,
        )[0]
        == 0
    )
    pin(make_county(tmp_path), township)
    open_warnings = _unexplained(capsys, township)
    assert open_warnings  # demo data carries warnings nobody has explained yet
    code, _, err = run(capsys, "export", "--db", township, "--out", tmp_path / "a.hdpkg", "--period", END)
    assert code == 1 and "未说明的警告" in err

    for f in open_warnings:
        code, out, err = run(
            capsys,
            "explain",
            "--db",
            township,
            "--rule",
            f["rule"],
            "--record",
            f["record_id"],
            "--text",
            f"经核实属实：{f['subject']}订单变化",
            "--json",
        )
        assert code == 0, err
        done = json.loads(out)
        assert (done["rule"], done["record_id"], done["period"]) == (f["rule"], f["record_id"], f["period"])
    assert _unexplained(capsys, township) == []
    code, out, err = run(capsys, "export", "--db", township, "--out", tmp_path / "a.hdpkg", "--period", END)
    assert code == 0, err

    db, _info = setup.open_initialized(township)
    try:
        with db.read() as s:
            stored = {(e.rule_id, e.record_id): (e.text, e.entity, e.period) for e in s.scalars(select(m.Explanation))}
    finally:
        db.close()
    for f in open_warnings:
        assert stored[(f["rule"], f["record_id"])] == (f"经核实属实：{f['subject']}订单变化", f["entity"], f["period"])


def test_explain_names_the_record_by_name_and_period_and_refuses_with_a_sentence(
    training_township_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = training_township_path
    run(capsys, "demo", "--db", db, "--enterprises", "30", "--months", "12", "--seed", "7", "--end-period", END)
    monthly = [f for f in _unexplained(capsys, db) if f["period"]]
    target = next(
        f for f in monthly if sum(g["subject"] == f["subject"] and g["rule"] == f["rule"] for g in monthly) > 1
    )  # a rule broken in several months
    same = [f for f in monthly if f["subject"] == target["subject"] and f["rule"] == target["rule"]]
    before = len(_unexplained(capsys, db))

    code, _, err = run(
        capsys,
        "explain",
        "--db",
        db,
        "--rule",
        target["rule"],
        "--record",
        target["subject"],
        "--period",
        target["period"],
        "--text",
        "短",
    )
    assert code == 1 and "至少要6个字" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(
        capsys, "explain", "--db", db, "--rule", "ZZ99", "--record", target["subject"], "--text", "原因已经核实清楚"
    )
    assert code == 1 and "没有找到" in err and "规则ZZ99" in err
    code, _, err = run(
        capsys,
        "explain",
        "--db",
        db,
        "--rule",
        target["rule"],
        "--record",
        target["subject"],
        "--text",
        "原因已经核实清楚",
    )  # several months: the period must say which
    assert code == 1 and f"有{len(same)}条规则{target['rule']}的警告" in err
    assert len(_unexplained(capsys, db)) == before  # a refusal writes nothing

    code, out, _ = run(
        capsys,
        "explain",
        "--db",
        db,
        "--rule",
        target["rule"].lower(),
        "--record",
        target["subject"],
        "--period",
        target["period"],
        "--text",
        "新签大额订单集中交付",
    )
    assert code == 0 and out.startswith("已填写说明") and "新签大额订单集中交付" in out
    assert len(_unexplained(capsys, db)) == before - 1
    code, out, _ = run(
        capsys,
        "explain",
        "--db",
        db,
        "--rule",
        target["rule"],
        "--record",
        target["subject"],
        "--period",
        target["period"],
        "--text",
        "订单集中交付，已电话核实",
    )
    assert code == 0 and out.startswith("已更新说明")
