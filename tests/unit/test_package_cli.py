"""The package commands: keys, export, verify, merge, review, reply, apply — exit codes, one
Chinese line on refusal, one JSON object with --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hengdong_desktop.cli import main
from tests import county_db
from tests.package_support import END, make_county, make_township


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_whole_round_trip_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], county_backend: str
) -> None:
    township = make_township(tmp_path)
    if county_backend == county_db.SQLITE:
        county: object = tmp_path / "county.sqlite3"
        assert run(capsys, "init", "--db", county, "--role", "county", "--training")[0] == 0  # as the township
    else:  # the county database on a server, made by its own command
        assert county_db.server is not None
        county = county_db.server.new_name()
        assert run(capsys, "server", "init", "--db", county, "--training")[0] == 0
    code, out, _ = run(capsys, "keys", "identity", "--db", county, "--out", tmp_path / "county.json", "--json")
    identity = json.loads(out)
    assert code == 0 and len(identity["fingerprint"]) == 24
    code, _, err = run(capsys, "keys", "pin", "--db", township, tmp_path / "county.json", "--fingerprint", "0000")
    assert code == 1 and "指纹" in err and "不一致" in err
    code, out, _ = run(
        capsys,
        "keys",
        "pin",
        "--db",
        township,
        tmp_path / "county.json",
        "--fingerprint",
        identity["fingerprint"].lower().replace(" ", ""),
    )
    assert code == 0 and identity["fingerprint"] in out
    code, out, _ = run(capsys, "keys", "export", "--db", township, "--out", tmp_path / "wuji.json", "--json")
    enrollment = json.loads(out)
    assert code == 0 and enrollment["unit"] == "吴集镇" and len(enrollment["fingerprint"]) == 24
    code, _, err = run(capsys, "keys", "enroll", "--db", county, tmp_path / "wuji.json", "--fingerprint", "AB")
    assert code == 1 and "不一致" in err
    code, out, _ = run(
        capsys, "keys", "enroll", "--db", county, tmp_path / "wuji.json", "--fingerprint", enrollment["fingerprint"]
    )
    assert code == 0 and enrollment["fingerprint"] in out
    code, out, _ = run(capsys, "export", "--db", township, "--out", tmp_path / "a.hdpkg", "--period", END, "--json")
    exported = json.loads(out)
    assert code == 0 and exported["sequence"] == 1 and exported["counts"]["enterprise"] == 6

    code, out, err = run(capsys, "verify", "--db", county, tmp_path / "a.hdpkg", "--json")
    verified = json.loads(out)
    assert code == 0 and err == ""
    (entry,) = verified["files"]
    assert {"file", "status", "reason", "counts"} <= set(entry) and entry["status"] == "verified"
    assert entry["counts"]["enterprise"]["new"] == 6

    code, out, _ = run(capsys, "merge", "--db", county, "--dry-run", tmp_path / "a.hdpkg")
    assert code == 0 and "预览" in out and "新增" in out
    (tmp_path / "junk.hdpkg").write_bytes(b"junk")
    code, out, err = run(capsys, "merge", "--db", county, tmp_path / "a.hdpkg", tmp_path / "junk.hdpkg", "--json")
    merged = json.loads(out)
    assert code == 3 and [f["status"] for f in merged["files"]] == ["merged", "refused"]  # some refused
    assert err.strip() == "“junk.hdpkg”被拒绝：不是有效的数据包（不是完整的zip文件）。"
    code, out, _ = run(capsys, "merge", "--db", county, tmp_path / "a.hdpkg", "--json")
    assert code == 0 and json.loads(out)["files"][0]["status"] == "duplicate"

    code, _, err = run(capsys, "review", "--db", county, "--unit", "吴集镇", "--period", "2025-01", "--accept")
    assert code == 1 and "尚未收到" in err
    code, out, _ = run(
        capsys,
        "review",
        "--db",
        county,
        "--unit",
        "吴集镇",
        "--period",
        END,
        "--return",
        "请补充项目进度",
    )
    assert code == 0 and "已退回" in out
    code, out, _ = run(capsys, "reply", "--db", county, "--unit", "吴集镇", "--out", tmp_path / "r.hdpkg", "--json")
    assert code == 0 and json.loads(out)["decisions"] == 1
    code, out, _ = run(capsys, "apply", "--db", township, tmp_path / "r.hdpkg")
    assert code == 0 and "退回" in out

    code, out, _ = run(
        capsys,
        "keys",
        "revoke",
        "--db",
        county,
        "--unit",
        "吴集镇",
        "--reason",
        "电脑丢失",
        "--json",
    )
    assert code == 0 and json.loads(out)["unit"] == "吴集镇" and json.loads(out)["last_good"] == 1
    run(capsys, "export", "--db", township, "--out", tmp_path / "b.hdpkg", "--period", END)
    code, _, err = run(capsys, "verify", "--db", county, tmp_path / "b.hdpkg")
    assert code == 1 and "吊销" in err


def test_export_refusal_lists_the_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import select

    from hengdong_desktop.db import models as m
    from hengdong_desktop.services import setup

    township = make_township(tmp_path)
    make_county(tmp_path, township)
    db, info = setup.open_initialized(township)
    with db.write(info.actor("form")) as s:
        s.scalars(select(m.Enterprise)).first().founded_on = None
        s.scalars(select(m.Project)).first().planned_finish = "2001-01"
    db.close()
    code, _, err = run(capsys, "export", "--db", township, "--out", tmp_path / "x.hdpkg")
    lines = err.strip().splitlines()
    assert code == 1 and "计划竣工年月早于计划开工年月" in err and "不能导出上报包" in lines[-1]
    assert not (tmp_path / "x.hdpkg").exists()


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "review", "--db", tmp_path / "c", "--unit", "x", "--period", END)[0] == 2
    assert run(capsys, "keys")[0] == 2
    code, _, err = run(capsys, "keys", "revoke", "--db", tmp_path / "c.sqlite3", "--unit", "x", "--last-good", "昨天")
    assert code == 2 and "昨天" in err
    assert (
        run(capsys, "keys", "enroll", "--db", tmp_path / "c.sqlite3", tmp_path / "e.json")[0] == 2
    )  # no --fingerprint
