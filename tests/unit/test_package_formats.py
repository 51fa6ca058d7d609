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
from hengdong_desktop.db.engine import Database
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import keys, merge, reply
from hengdong_desktop.services.packages.container import FORMAT_VERSION
from tests import county_db
from tools.make_package_fixture import FIXTURE_DIR

FIXTURES = [p for p in sorted(FIXTURE_DIR.glob("format-*.hdpkg")) if p.name.count(".") == 1]


def test_a_fixture_exists_for_the_current_format() -> None:
    """Changing the package format means adding its fixture: `python -m tools.make_package_fixture`."""
    assert (FIXTURE_DIR / f"format-{FORMAT_VERSION}.hdpkg").exists()
    assert (FIXTURE_DIR / f"format-{FORMAT_VERSION}.reply.hdpkg").exists()


def _stored_database(path: Path, target: Path) -> Path:
    """A copy of a stored database, with its key file when the fixture has one."""
    shutil.copyfile(path, target)
    if keys.key_path(path).exists():
        shutil.copyfile(keys.key_path(path), keys.key_path(target))
    return target


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_stored_package_is_merged(fixture: Path, tmp_path: Path, county_backend: str) -> None:
    """Merged by a county database of each backend: a file, and a server database (the stored
    county a package is sealed to is moved onto the server as `server import` does)."""
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    package = shutil.copy(fixture, tmp_path / fixture.name)
    county: Path | str
    if fixture.with_suffix(".county.sqlite3").exists():  # sealed to that county's key
        county = _stored_database(fixture.with_suffix(".county.sqlite3"), tmp_path / "county.sqlite3")
        if county_backend == county_db.POSTGRESQL:
            from hengdong_desktop.services import server_import

            assert county_db.server is not None
            target = county_db.server.new_name()
            server_import.import_county(target, county)
            county = target
    else:
        county = county_db.make_county(tmp_path, "county", "汇总员")
    db, _ = setup.open_initialized(county)
    try:
        enrollment = keys.read_enrollment(fixture.with_suffix(".enroll.json"))
        keys.enroll(db, fixture.with_suffix(".enroll.json"), fingerprint=enrollment.fingerprint)
        (result,) = merge.merge_files(db, [package])
        assert result.status == merge.MERGED, result.reason
        assert (result.unit, result.period) == (expected["unit"], expected["period"])
        assert {e: result.counts[e].new for e in expected["counts"]} == expected["counts"]
        (again,) = merge.merge_files(db, [package])
        assert again.status == merge.DUPLICATE
        if fixture.name == "format-1.hdpkg":  # data schema 1: the yearless 上年 fields became yearly figures
            _assert_upgraded(db, package)
        _assert_plans_upgraded(db, package)
    finally:
        db.close()


def _assert_plans_upgraded(db, package: Path) -> None:  # type: ignore[no-untyped-def]
    """Data schema 2 and older: each project's yearless 本年计划投资 is its plan for the year it was
    entered (record_upgrade, as migration 0006 does; the fixtures' projects were never edited)."""
    with db.read() as s:
        plans = {a.project_id: a for a in s.scalars(select(m.ProjectAnnual))}
        created = {p.id: p.created_at for p in s.scalars(select(m.Project))}
    assert plans
    for pid, plan in plans.items():
        assert plan.year == (created[pid] + timedelta(hours=8)).year and plan.plan_investment is not None
    with zipfile.ZipFile(package) as zf:
        if json.loads(zf.read("manifest.json"))["format_version"] != 1:
            return  # sealed: the values are read by the county only
        sent = {p["id"]: p["year_plan_investment"] for p in json.loads(zf.read("data/project.json"))}
    assert {pid: Decimal(v) for pid, v in sent.items() if v is not None} == {
        pid: plan.plan_investment for pid, plan in plans.items()
    }


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
        assert (row.year, row.output, row.employees) == (
            entered.year - 1,
            Decimal(e["last_year_output"]),
            e["employees"],
        )
    assert {p["id"]: p["status"] for p in projects} == {k: st.status for k, st in stages.items()}


REPLIES = sorted(FIXTURE_DIR.glob("format-*.reply.hdpkg"))


@pytest.mark.parametrize("stored", REPLIES, ids=[p.name.split(".")[0] for p in REPLIES])
def test_stored_reply_is_applied(stored: Path, tmp_path: Path) -> None:
    stem = stored.name.split(".")[0]
    expected = json.loads((FIXTURE_DIR / f"{stem}.json").read_text(encoding="utf-8"))["reply"]
    township = _stored_database(FIXTURE_DIR / f"{stem}.township.sqlite3", tmp_path / "township.sqlite3")
    db, _ = setup.open_initialized(township)
    try:
        if keys.pinned_county(db) is None:  # format 1: pinned on first use, since confirmed by phone
            _confirm_pin(db, stored)
        result = reply.apply_reply(db, shutil.copy(stored, tmp_path / stored.name))
        assert result.status == "applied" and not result.key_changed
        assert len(result.changes) == expected["corrections"] and result.conflicts == []
        assert [d["decision"] for d in result.decisions] == ["接收"]
        with db.read() as s:
            assert s.get(m.Enterprise, expected["enterprise_id"]).legal_rep == expected["legal_rep"]
    finally:
        db.close()


def _confirm_pin(db: Database, stored: Path) -> None:
    with zipfile.ZipFile(stored) as zf:
        signer = zf.read("signer.pem").decode("ascii")
    with db.write(setup.read_info(db).actor("package")) as s:
        s.merge(m.Meta(key=keys.META_COUNTY_KEY, value=signer))
        s.merge(m.Meta(key=keys.META_COUNTY_KEY_SOURCE, value="identity"))
