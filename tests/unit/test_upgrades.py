"""Upgrades: every stored database file of a released schema version (tests/data/schema/) migrates
to head at open, after a backup when it was older, with all of its data intact."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from hengdong_desktop.db import engine as eng
from hengdong_desktop.db import models as m
from hengdong_desktop.db.backup import list_files
from hengdong_desktop.services import reference, setup
from tools.make_schema_fixture import FIXTURE_DIR, content_facts, table_counts

FIXTURES = sorted(FIXTURE_DIR.glob("*.sqlite3"))
# Tables a migration adds reference rows to (new option lists, settings), by its revision.
SEEDED_BY = {"0006_projects": {"app_meta", "options"}, "0008_programme": {"app_meta", "options"}}


def test_a_fixture_exists_for_the_current_schema() -> None:
    """Adding a migration means adding its fixture: `python -m tools.make_schema_fixture`."""
    assert (FIXTURE_DIR / f"{eng.head_revision()}.sqlite3").exists()
    assert {p.stem for p in FIXTURES} <= set(_revisions())


def _revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    return [s.revision for s in ScriptDirectory.from_config(eng.alembic_config()).walk_revisions()]


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_stored_schema_version_migrates_to_head_with_data_intact(fixture: Path, tmp_path: Path) -> None:
    expected = json.loads(fixture.with_suffix(".json").read_text(encoding="utf-8"))
    path = tmp_path / "hengdong.sqlite3"
    shutil.copyfile(fixture, path)
    old_revision = expected["revision"]

    db, info = setup.open_initialized(path)
    try:
        assert eng.current_revision(db.engine) == eng.head_revision()
        facts = content_facts(db)
        assert {k: facts[k] for k in expected["content"]} == expected["content"]
        assert info.unit_name == "吴集镇" and info.role == "township"
    finally:
        db.close()
    counts = table_counts(path)
    seeded = {t for rev, tables in SEEDED_BY.items() if old_revision < rev for t in tables}
    for table, rows in expected["tables"].items():
        if table in seeded:  # reference rows a later migration added: more, never fewer
            assert counts.get(table, 0) >= rows, table
        elif table != "alembic_version":
            assert counts.get(table) == rows, table

    migrate_backups = [b for b in list_files(path) if b.reason == "migrate"]
    if old_revision == eng.head_revision():
        assert migrate_backups == []
    else:  # the file as it was, kept before migrating
        assert len(migrate_backups) == 1
        assert table_counts(migrate_backups[0].path) == expected["tables"]


def test_the_yearless_figures_land_in_the_year_before_their_entry(tmp_path: Path) -> None:
    """Migration 0004: each enterprise's 上年产值, 上年营业收入, 上年税收 and 从业人员 become its
    figures of the year before they were entered (the audit log's last change, else its creation),
    each project's status its status from the month it was entered, each unit's 启用期 its first
    month with figures."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE_DIR / "0003_packages.sqlite3", path)
    conn = sqlite3.connect(path)
    legacy = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT id, created_at, last_year_output, last_year_revenue, last_year_tax, employees FROM enterprises"
        )
    }
    edited = dict(
        conn.execute(
            "SELECT entity_id, max(at) FROM audit_log WHERE action = 'update' AND field IN "
            "('last_year_output', 'last_year_revenue', 'last_year_tax', 'employees') "
            "GROUP BY entity_id"
        ).fetchall()
    )
    projects = dict(conn.execute("SELECT id, status FROM projects").fetchall())
    conn.close()
    assert edited and len(legacy) == 8  # the fixture edited one enterprise's 从业人员 after creating it

    def china_year(text: str) -> int:
        return (datetime.fromisoformat(text) + timedelta(hours=8)).year

    db, _info = setup.open_initialized(path)
    try:
        with db.read() as s:
            annual = {a.enterprise_id: a for a in s.scalars(select(m.EnterpriseAnnual))}
            stages = {st.project_id: st.status for st in s.scalars(select(m.ProjectStage))}
            start = s.get(m.Unit, 2).start_period
    finally:
        db.close()
    assert set(annual) == set(legacy)
    for eid, (created, output, revenue, tax, employees) in legacy.items():
        row = annual[eid]
        assert row.year == china_year(edited.get(eid) or created) - 1, eid
        assert (row.output, row.revenue, row.tax, row.employees) == (
            Decimal(output).scaleb(-4),
            Decimal(revenue).scaleb(-4),
            Decimal(tax).scaleb(-4),
            employees,
        )
    assert stages == projects and start == "2025-04"


def test_the_yearless_plan_lands_in_the_year_of_its_entry(tmp_path: Path) -> None:
    """Migration 0006: each project's 本年计划投资 becomes its plan for the year it was entered
    (the audit log's last change, else its creation); the stages 前期 and 终止, the new fields'
    options and the warnings' numbers arrive with it."""
    path = tmp_path / "old.sqlite3"
    shutil.copyfile(FIXTURE_DIR / "0005_time_model.sqlite3", path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_log SET at = '2024-12-31 17:00:00.000000' WHERE id = (SELECT min(id) FROM audit_log)")
    pid = conn.execute("SELECT id FROM projects WHERE year_plan_investment IS NOT NULL ORDER BY id").fetchone()[0]
    conn.execute(
        "INSERT INTO audit_log (at, unit_id, operator, source, entity, entity_id, action, field, old_value,"
        " new_value) VALUES ('2023-12-31 17:30:00.000000', 2, 'x', 'form', 'project', ?, 'update',"
        " 'year_plan_investment', '1', '2')",
        (pid,),
    )
    legacy = {
        row[0]: row[1:]
        for row in conn.execute(
            "SELECT id, created_at, year_plan_investment FROM projects WHERE year_plan_investment IS NOT NULL"
        )
    }
    conn.commit()
    conn.close()
    assert legacy

    db, _info = setup.open_initialized(path)
    try:
        with db.read() as s:
            plans = {a.project_id: a for a in s.scalars(select(m.ProjectAnnual))}
            ref = reference.load(s)
    finally:
        db.close()
    assert set(plans) == set(legacy)
    for pid_, (created, plan) in legacy.items():
        # 2023-12-31 17:30 UTC is 2024-01-01 in China: the edited project's plan is for 2024
        expected_year = 2024 if pid_ == pid else (datetime.fromisoformat(created) + timedelta(hours=8)).year
        assert (plans[pid_].year, plans[pid_].plan_investment) == (expected_year, Decimal(plan).scaleb(-4))
    assert ref.options["project_status"] == (
        "储备",
        "前期",
        "签约",
        "开工",
        "在建",
        "竣工",
        "投产",
        "达效",
        "停缓建",
        "终止",
    )
    assert ref.options["chain_role"] == ("强链", "延链", "补链") and ref.parameter("stall_months") == 3
    assert ref.project_parameters == {
        "stall_months": 3,
        "slow_percent": 60,
        "start_grace_months": 0,
        "underperform_months": 6,
        "underperform_percent": 100,
        "fulfil_months": 6,
    }
