"""The `hengdong` CLI contract: exit codes, one-line Chinese refusals, --json."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from hengdong_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_init_township_and_county(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "init",
        "--db",
        tmp_path / "t.sqlite3",
        "--role",
        "township",
        "--unit",
        "430424104",
        "--operator",
        "张三",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["unit"] == "吴集镇" and data["role"] == "township"
    code, out, _ = run(capsys, "init", "--db", tmp_path / "c.sqlite3", "--role", "county")
    assert code == 0 and "县级汇总" in out and "衡东县" in out


def test_refusals_exit_1_with_one_chinese_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "t.sqlite3"
    code, _, err = run(capsys, "init", "--db", db, "--role", "township", "--unit", "火星镇")
    assert code == 1 and "找不到填报单位“火星镇”" in err and len(err.strip().splitlines()) == 1
    assert not db.exists()
    code, _, err = run(capsys, "init", "--db", db, "--role", "township")
    assert code == 1 and "须指定填报单位" in err
    assert run(capsys, "init", "--db", db, "--role", "township", "--unit", "吴集镇")[0] == 0
    code, out, err = run(capsys, "init", "--db", db, "--role", "county", "--json")
    assert code == 1 and "已经初始化" in err and json.loads(out) == {"ok": False, "error": err.strip()}
    code, _, err = run(capsys, "check", "--db", tmp_path / "none.sqlite3")
    assert code == 1 and "不存在" in err


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", "--db", tmp_path / "x.sqlite3", "--role", "mayor")
    assert code == 2 and "用法错误" in err
    code, _, err = run(capsys, "frobnicate")
    assert code == 2
    code, _, _ = run(capsys)
    assert code == 2


def test_demo_then_check(training_township_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    township_path = training_township_path
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        township_path,
        "--enterprises",
        "12",
        "--months",
        "6",
        "--seed",
        "3",
        "--end-period",
        "2025-06",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["enterprises"] == 12 and data["monthly"] == 72
    assert data["periods"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    code, out, _ = run(capsys, "check", "--db", township_path, "--json")
    report = json.loads(out)
    assert code == 0
    assert report["counts"]["强制性"] == 0  # demo data passes the hard rules
    assert set(report) >= {"ok", "counts", "blocking", "unexplained", "findings"}
    code, out, _ = run(capsys, "check", "--db", township_path)
    assert code == 0 and "审核完成" in out.splitlines()[-1]


def test_check_reports_a_broken_record(training_township_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import select, update

    township_path = training_township_path

    from hengdong_desktop.db import models as m
    from hengdong_desktop.services import setup

    run(capsys, "demo", "--db", township_path, "--enterprises", "3", "--months", "2", "--end-period", "2025-06")
    db, info = setup.open_initialized(township_path)
    try:
        with db.write(info.actor("cli")) as s:
            target = s.scalars(select(m.Enterprise)).first()
            s.execute(update(m.Enterprise).where(m.Enterprise.id == target.id).values(credit_code="91430424MA4L1234X0"))
    finally:
        db.close()
    code, out, _ = run(capsys, "check", "--db", township_path, "--json")
    report = json.loads(out)
    assert code == 0 and report["ok"] is False and report["blocking"] >= 1
    assert any(f["rule"] == "QY01" and "校验位错误" in f["message"] for f in report["findings"])


# What differs between two databases made the same way: when rows were written, and each
# database's own identity and key pair.
WRITE_TIMES = {"at", "created_at", "updated_at"}
IDENTITY = {"database_id", "key_id", "public_key", "encryption_key"}


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, without the write times and the database's identity."""
    with closing(sqlite3.connect(path)) as conn:
        tables = [n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        contents = {}
        for table in tables:
            columns = [c[1] for c in conn.execute(f'PRAGMA table_info("{table}")') if c[1] not in WRITE_TIMES]
            rows = conn.execute(f'SELECT {", ".join(columns)} FROM "{table}"').fetchall()
            if table == "app_meta":
                rows = [r for r in rows if r[0] not in IDENTITY]
            contents[table] = sorted(rows, key=repr)
    return contents


def test_demo_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contents = []
    for i in range(2):
        db = tmp_path / f"d{i}.sqlite3"
        run(capsys, "init", "--db", db, "--role", "township", "--unit", "洣水镇", "--training")
        run(capsys, "demo", "--db", db, "--enterprises", "5", "--months", "2", "--seed", "9", "--end-period", "2025-02")
        contents.append(_contents(db))
    assert contents[0] == contents[1]
    assert len(contents[0]["enterprises"]) == 5 and len(contents[0]["enterprise_monthly"]) == 10
    assert contents[0]["audit_log"] and contents[0]["problems"]
    run(capsys, "init", "--db", tmp_path / "other.sqlite3", "--role", "township", "--unit", "洣水镇", "--training")
    run(
        capsys,
        "demo",
        "--db",
        tmp_path / "other.sqlite3",
        "--enterprises",
        "5",
        "--months",
        "2",
        "--seed",
        "10",
        "--end-period",
        "2025-02",
    )
    assert _contents(tmp_path / "other.sqlite3")["enterprises"] != contents[0]["enterprises"]  # the seed matters


def test_county_demo_covers_all_units(training_county_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        training_county_path,
        "--enterprises",
        "2",
        "--months",
        "1",
        "--end-period",
        "2025-03",
        "--json",
    )
    data = json.loads(out)
    assert code == 0 and data["units"] == 18 and data["enterprises"] == 36


def test_demo_refuses_a_production_database_with_a_sentence(
    township_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hengdong_desktop.services import demo, setup

    code, out, err = run(capsys, "demo", "--db", township_path, "--enterprises", "2", "--months", "1")
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "是正式数据库，不能生成演示数据" in err and "init --training" in err
    db, info = setup.open_initialized(township_path)
    try:
        assert demo.is_empty(db) and not info.training
    finally:
        db.close()
    code, out, _ = run(
        capsys, "init", "--db", tmp_path / "t.sqlite3", "--role", "township", "--unit", "吴集镇", "--training", "--json"
    )
    assert code == 0 and json.loads(out)["training"] is True
    assert run(capsys, "demo", "--db", tmp_path / "t.sqlite3", "--enterprises", "2", "--months", "1")[0] == 0


def test_main_py_runs_the_cli(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run(
        [
            sys.executable,
            str(root / "main.py"),
            "init",
            "--db",
            str(tmp_path / "m.sqlite3"),
            "--role",
            "county",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["unit"] == "衡东县"
