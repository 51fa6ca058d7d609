"""Packages written by every released format version (tests/data/packages/) are still accepted
by this release: each 上报包 merges into a new county database, each 下发包 applies to (a copy
of) the township database it answers."""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import keys, merge, review, setup
from hengdong_desktop.services.package_format import FORMAT_VERSION
from tools.make_package_fixture import FIXTURE_DIR

FIXTURES = [p for p in sorted(FIXTURE_DIR.glob("format-*.hdpkg")) if p.name.count(".") == 1]


def test_a_fixture_exists_for_the_current_format() -> None:
    """Changing the package format means adding its fixture: `python -m tools.make_package_fixture`."""
    assert (FIXTURE_DIR / f"format-{FORMAT_VERSION}.hdpkg").exists()
    assert (FIXTURE_DIR / f"format-{FORMAT_VERSION}.reply.hdpkg").exists()


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_stored_package_is_merged(fixture: Path, tmp_path: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    package = shutil.copy(fixture, tmp_path / fixture.name)
    county = tmp_path / "county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "汇总员")
    db, _ = setup.open_initialized(county)
    try:
        keys.enroll(db, fixture.with_suffix(".enroll.json"))
        (result,) = merge.merge_files(db, [package])
        assert result.status == merge.MERGED, result.reason
        assert (result.unit, result.period) == (expected["unit"], expected["period"])
        assert {e: result.counts[e].new for e in expected["counts"]} == expected["counts"]
        (again,) = merge.merge_files(db, [package])
        assert again.status == merge.DUPLICATE
        if fixture.name == "format-1.hdpkg":  # data schema 1: the yearless 上年 fields became yearly figures
            _assert_upgraded(db, package)
    finally:
        db.close()


def _assert_upgraded(db, package: Path) -> None:  # type: ignore[no-untyped-def]
    """Each enterprise's 上年 figures of a schema-1 package are its row of the year before it was
    entered (record_upgrade), and each project's status is its first status row."""
    with zipfile.ZipFile(package) as zf:
        sent = json.loads(zf.read("data/enterprise.json"))
        projects = json.loads(zf.read("data/project.json"))
    with db.read() as s:
        annual = {a.enterprise_id: a for a in s.scalars(select(m.EnterpriseAnnual))}
        stages = {st.project_id: st for st in s.scalars(select(m.ProjectStage))}
    legacy = [e for e in sent if e["last_year_output"] is not None]
    assert legacy and len(annual) == len(legacy)
    for e in legacy:
        entered = datetime.fromisoformat(e["created_at"][:-1]) + timedelta(hours=8)
        row = annual[e["id"]]
        assert (row.year, row.output, row.employees) == (entered.year - 1, Decimal(e["last_year_output"]),
                                                         e["employees"])
    assert {p["id"]: p["status"] for p in projects} == {k: st.status for k, st in stages.items()}


REPLIES = sorted(FIXTURE_DIR.glob("format-*.reply.hdpkg"))


@pytest.mark.parametrize("reply", REPLIES, ids=[p.name.split(".")[0] for p in REPLIES])
def test_stored_reply_is_applied(reply: Path, tmp_path: Path) -> None:
    stem = reply.name.split(".")[0]
    expected = json.loads((FIXTURE_DIR / f"{stem}.json").read_text(encoding="utf-8"))["reply"]
    township = shutil.copy(FIXTURE_DIR / f"{stem}.township.sqlite3", tmp_path / "township.sqlite3")
    db, _ = setup.open_initialized(township)
    try:
        result = review.apply_reply(db, shutil.copy(reply, tmp_path / reply.name))
        assert result.status == "applied" and result.pinned_now
        assert len(result.changes) == expected["corrections"] and result.conflicts == []
        assert [d["decision"] for d in result.decisions] == ["接收"]
        with db.read() as s:
            assert s.get(m.Enterprise, expected["enterprise_id"]).legal_rep == expected["legal_rep"]
    finally:
        db.close()
