"""Upgrades: every stored database file of a released schema version (tests/data/schema/) migrates
to head at open, after a backup when it was older, with all of its data intact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hengdong_desktop.db import engine as eng
from hengdong_desktop.db.backup import list_files
from hengdong_desktop.services import setup
from tools.make_schema_fixture import FIXTURE_DIR, content_facts, table_counts

FIXTURES = sorted(FIXTURE_DIR.glob("*.sqlite3"))


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
    for table, rows in expected["tables"].items():
        if table != "alembic_version":
            assert counts.get(table) == rows, table

    migrate_backups = [b for b in list_files(path) if b.reason == "migrate"]
    if old_revision == eng.head_revision():
        assert migrate_backups == []
    else:  # the file as it was, kept before migrating
        assert len(migrate_backups) == 1
        assert table_counts(migrate_backups[0].path) == expected["tables"]
