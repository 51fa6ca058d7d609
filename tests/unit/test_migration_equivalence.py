"""The same Alembic migrations give the same schema on SQLite and on PostgreSQL, step by step:
every revision of the chain (found by walking it, so a new one is covered without a change
here) is applied to an empty database of each kind, and after each step both are reflected and
compared — tables, columns and their types, keys, foreign keys, unique constraints, indexes with
their conditions, check constraints by name — then the same rows are refused by both. Each step
also downgrades and upgrades again on PostgreSQL (SQLite: tests/unit/test_migrations.py)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from hengdong_desktop.db import engine as eng
from hengdong_desktop.db.location import server_url
from hengdong_desktop.db.models import Base

# Type names that mean the same on both (what each reflects for the one SQLAlchemy type).
_SAME_TYPE = {"TIMESTAMP": "DATETIME", "TIMESTAMP WITHOUT TIME ZONE": "DATETIME", "BYTEA": "BLOB",
              "CHARACTER VARYING": "VARCHAR"}


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(eng.alembic_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def _type(t: Any) -> str:
    name = type(t).__name__.upper() if not hasattr(t, "__visit_name__") else t.__visit_name__.upper()
    name = _SAME_TYPE.get(name, name)
    length = getattr(t, "length", None)
    return f"{name}({length})" if length and name == "VARCHAR" else name


def _where(sql: Any) -> str | None:
    """An index condition, spelt the same way whatever the database wrote back."""
    if sql is None:
        return None
    text_ = str(sql).lower()
    text_ = re.sub(r"[()\s]", "", text_)
    return text_.replace("isnotnull", " is not null ").replace("isnull", " is null ").replace("and", " and ")


def schema(engine: Engine) -> dict[str, Any]:
    """What a database's schema says, in terms both kinds of database share."""
    insp = inspect(engine)
    out: dict[str, Any] = {}
    for table in sorted(insp.get_table_names()):
        if table == "alembic_version":
            continue
        indexes = {}
        for ix in insp.get_indexes(table):
            if ix.get("duplicates_constraint"):  # PostgreSQL also lists a unique constraint's index
                continue
            where = ix.get("dialect_options", {}).get("postgresql_where") or ix.get(
                "dialect_options", {}).get("sqlite_where")
            indexes[ix["name"]] = (tuple(ix["column_names"]), bool(ix["unique"]), _where(where))
        out[table] = {
            "columns": [(c["name"], _type(c["type"]), bool(c["nullable"])) for c in insp.get_columns(table)],
            "primary_key": tuple(insp.get_pk_constraint(table)["constrained_columns"]),
            "foreign_keys": sorted((fk["name"], tuple(fk["constrained_columns"]), fk["referred_table"],
                                    tuple(fk["referred_columns"])) for fk in insp.get_foreign_keys(table)),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            "indexes": indexes,
            "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
        }
    return out


def _step(engine: Engine, revision: str, down: bool = False) -> None:
    with engine.begin() as conn:
        (command.downgrade if down else command.upgrade)(eng.alembic_config(conn), revision)


@pytest.fixture
def pair(pg, tmp_path: Path) -> Any:  # type: ignore[no-untyped-def]
    lite = eng.make_engine(tmp_path / "steps.sqlite3")
    server = create_engine(server_url(pg.empty_database()))
    yield lite, server
    lite.dispose()
    server.dispose()


def test_every_revision_gives_the_same_schema_on_both(pair: Any) -> None:
    lite, server = pair
    revisions = _revisions()
    assert len(revisions) >= 4
    previous = None
    for revision in revisions:
        for engine in (lite, server):
            _step(engine, revision)
        on_sqlite, on_server = schema(lite), schema(server)
        assert on_server == on_sqlite, revision
        assert on_sqlite != previous, f"{revision} changed nothing"
        previous = on_sqlite
        if revision != revisions[0]:  # down one step and up again, on the server
            _step(server, "-1", down=True)
            assert eng.current_revision(server) == revisions[revisions.index(revision) - 1]
            _step(server, revision)
            assert schema(server) == on_sqlite, f"{revision} after down and up"


def test_head_on_the_server_is_what_the_models_say(pair: Any) -> None:
    _lite, server = pair
    _step(server, "head")
    with server.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diffs == []


# The same rows refused on both: one per check constraint, unique constraint and foreign key kind.
_REFUSED = [
    ("check: a problem concerns exactly one target",
     "INSERT INTO problems (id, revision, created_at, updated_at, updated_by, unit_id, category, description,"
     " raised_on, status) VALUES ('p1', 1, '2025-01-01', '2025-01-01', '', 100, '融资', 'x', '2025-01-01', '待办')"),
    ("check: target metric",
     "INSERT INTO targets (year, metric, value, updated_at) VALUES (2025, 'nonsense', 1, '2025-01-01')"),
    ("check: account kind",
     "INSERT INTO server_accounts (account, kind, display_name, created_at) VALUES ('a', 'boss', '', '2025-01-01')"),
    ("unique: unit code", "INSERT INTO units (id, code, name, kind, provisional_code, sort_order, active)"
                          " VALUES (999, '430424', '重复', '县', false, 0, true)"),
    ("foreign key: enterprise's unit",
     "INSERT INTO enterprises (id, revision, created_at, updated_at, updated_by, unit_id, credit_code, name,"
     " domain_id, need_categories) VALUES ('e1', 1, '2025-01-01', '2025-01-01', '', 12345, 'X', 'x', 1, '[]')"),
]


def test_the_same_rows_are_refused_on_both(pair: Any) -> None:
    lite, server = pair
    for engine in (lite, server):
        _step(engine, "head")
        with engine.begin() as conn:
            if engine is lite:
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.execute(text("INSERT INTO units (id, code, name, kind, provisional_code, sort_order, active)"
                              " VALUES (100, '430424', '衡东县', '县', false, 0, true)"))
            conn.execute(text("INSERT INTO domains (id, name, sort_order) VALUES (1, '工业和信息化', 0)"))
    for what, statement in _REFUSED:
        for engine in (lite, server):
            with engine.connect() as conn:
                if engine is lite:
                    conn.exec_driver_sql("PRAGMA foreign_keys = ON")
                with pytest.raises(IntegrityError):
                    conn.execute(text(statement))
                conn.rollback()
        assert what
