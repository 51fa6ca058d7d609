"""Alembic owns the schema: upgrade from empty, downgrade, models == migrations, backups."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from hengdong_desktop.db import engine as eng
from hengdong_desktop.db.models import Base
from hengdong_desktop.errors import UserError


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(eng.alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def test_single_head_named_in_the_code() -> None:
    """Opening a database compares its revision with HEAD_REVISION instead of asking Alembic."""
    script = ScriptDirectory.from_config(eng.alembic_config())
    assert script.get_heads() == [eng.HEAD_REVISION]


def test_current_revision_read_without_alembic(tmp_path: Path) -> None:
    db = eng.open_database(tmp_path / "r.sqlite3", create=True)
    try:
        with db.engine.connect() as conn:
            assert eng.current_revision(db.engine) == MigrationContext.configure(conn).get_current_revision()
        with db.engine.begin() as conn:
            command.downgrade(eng.alembic_config(conn), "base")
        assert eng.current_revision(db.engine) is None
    finally:
        db.close()


def test_upgrade_from_empty_matches_models(tmp_path: Path) -> None:
    db = eng.open_database(tmp_path / "fresh.sqlite3", create=True)
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(ctx, Base.metadata)
        assert diffs == []
        assert eng.current_revision(db.engine) == eng.head_revision()
    finally:
        db.close()


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    path = tmp_path / "cycle.sqlite3"
    db = eng.open_database(path, create=True)
    try:
        with db.engine.begin() as conn:
            command.downgrade(eng.alembic_config(conn), "base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        with db.engine.begin() as conn:
            command.upgrade(eng.alembic_config(conn), "head")
        assert "enterprises" in inspect(db.engine).get_table_names()
    finally:
        db.close()


def test_each_step_downgrades_and_upgrades(tmp_path: Path) -> None:
    revisions = _revisions()
    db = eng.open_database(tmp_path / "steps.sqlite3", create=True)
    try:
        for rev in reversed(revisions[:-1]):
            with db.engine.begin() as conn:
                command.downgrade(eng.alembic_config(conn), rev)
            assert eng.current_revision(db.engine) == rev
        with db.engine.begin() as conn:
            command.upgrade(eng.alembic_config(conn), "head")
        assert eng.current_revision(db.engine) == revisions[-1]
    finally:
        db.close()


def test_older_database_is_backed_up_then_migrated(tmp_path: Path) -> None:
    revisions = _revisions()
    if len(revisions) < 2:
        pytest.skip("only one schema version exists so far")
    path = tmp_path / "old.sqlite3"
    engine = eng.make_engine(path)
    with engine.begin() as conn:
        command.upgrade(eng.alembic_config(conn), revisions[0])
    engine.dispose()
    db = eng.open_database(path)
    try:
        assert eng.current_revision(db.engine) == revisions[-1]
    finally:
        db.close()
    backups = list((tmp_path / "backups").glob("old-*-migrate.sqlite3"))
    assert len(backups) == 1
    old = eng.make_engine(backups[0])
    try:
        assert eng.current_revision(old) == revisions[0]
    finally:
        old.dispose()


def test_newer_schema_is_refused_with_upgrade_hint(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite3"
    eng.open_database(path, create=True).close()
    engine = eng.make_engine(path)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(UserError, match="请升级本程序"):
        eng.open_database(path)


def test_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(UserError, match="不是SQLite格式"):
        eng.open_database(path)
    with pytest.raises(UserError, match="不存在"):
        eng.open_database(tmp_path / "missing.sqlite3")


def test_backup_copy_is_consistent_while_open(township) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.db.backup import make_backup

    db, _info = township
    copy = make_backup(db.path, "manual")
    assert copy.exists() and copy.parent.name == "backups"
    other = eng.open_database(copy)
    try:
        assert other.meta()["role"] == "township"
    finally:
        other.close()
