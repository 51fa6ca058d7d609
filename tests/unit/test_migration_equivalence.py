"""The same Alembic migrations give the same schema on SQLite and on PostgreSQL, step by step:
every revision of the chain (found by walking it, so a new one is covered without a change
here) is applied to an empty database of each kind, and after each step both are reflected and
compared — tables, columns and their types, keys, foreign keys, unique constraints, indexes with
their conditions, check constraints by name — then the same rows are refused by both. Each step
also downgrades and upgrades again on PostgreSQL (SQLite: tests/unit/test_migrations.py). And
the rows the revisions move (key statuses, yearly figures, status history, reported months,
启用期) come out the same on both."""

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
_SAME_TYPE = {
    "TIMESTAMP": "DATETIME",
    "TIMESTAMP WITHOUT TIME ZONE": "DATETIME",
    "BYTEA": "BLOB",
    "CHARACTER VARYING": "VARCHAR",
}


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
            where = ix.get("dialect_options", {}).get("postgresql_where") or ix.get("dialect_options", {}).get(
                "sqlite_where"
            )
            indexes[ix["name"]] = (tuple(ix["column_names"]), bool(ix["unique"]), _where(where))
        out[table] = {
            "columns": [(c["name"], _type(c["type"]), bool(c["nullable"])) for c in insp.get_columns(table)],
            "primary_key": tuple(insp.get_pk_constraint(table)["constrained_columns"]),
            # by what they join (SQLite does not report the name of a key added with ALTER TABLE
            # ADD COLUMN; `_foreign_key_names` checks the server's names instead)
            "foreign_keys": sorted(
                (tuple(fk["constrained_columns"]), fk["referred_table"], tuple(fk["referred_columns"]))
                for fk in insp.get_foreign_keys(table)
            ),
            "unique": sorted((u["name"], tuple(u["column_names"])) for u in insp.get_unique_constraints(table)),
            "indexes": indexes,
            "checks": sorted(c["name"] for c in insp.get_check_constraints(table)),
        }
    return out


def _foreign_key_names(engine: Engine) -> None:
    """Every foreign key on the server has its name from the naming convention (what a later
    revision drops it by)."""
    insp = inspect(engine)
    for table in insp.get_table_names():
        for fk in insp.get_foreign_keys(table):
            assert fk["name"] == f"fk_{table}_{fk['constrained_columns'][0]}_{fk['referred_table']}", fk


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
        _foreign_key_names(server)
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
    (
        "check: a problem concerns exactly one target",
        "INSERT INTO problems (id, revision, created_at, updated_at, updated_by, unit_id, category, description,"
        " raised_on, status) VALUES ('p1', 1, '2025-01-01', '2025-01-01', '', 100, '融资', 'x', '2025-01-01', '待办')",
    ),
    (
        "check: target metric",
        "INSERT INTO targets (year, metric, value, updated_at) VALUES (2025, 'nonsense', 1, '2025-01-01')",
    ),
    (
        "check: account kind",
        "INSERT INTO server_accounts (account, kind, display_name, created_at) VALUES ('a', 'boss', '', '2025-01-01')",
    ),
    (
        "unique: unit code",
        "INSERT INTO units (id, code, name, kind, provisional_code, sort_order, active)"
        " VALUES (999, '430424', '重复', '县', false, 0, true)",
    ),
    (
        "foreign key: enterprise's unit",
        "INSERT INTO enterprises (id, revision, created_at, updated_at, updated_by, unit_id, credit_code, name,"
        " domain_id, need_categories) VALUES ('e1', 1, '2025-01-01', '2025-01-01', '', 12345, 'X', 'x', 1, '[]')",
    ),
]


def test_the_same_rows_are_refused_on_both(pair: Any) -> None:
    lite, server = pair
    for engine in (lite, server):
        _step(engine, "head")
        with engine.begin() as conn:
            if engine is lite:
                conn.exec_driver_sql("PRAGMA foreign_keys = ON")
            conn.execute(
                text(
                    "INSERT INTO units (id, code, name, kind, provisional_code, sort_order, active)"
                    " VALUES (100, '430424', '衡东县', '县', false, 0, true)"
                )
            )
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


# The data the revisions move (0004_packages2: key statuses; 0005_time_model: yearly figures,
# first status rows, reported months, 启用期; 0006_projects: yearly plans, the new options),
# inserted at 0003_packages on both and compared after.
_T = "2025-01-01 00:00:00.000000"
_BEFORE_0004 = [
    "INSERT INTO units (id, code, name, kind, provisional_code, sort_order, active) VALUES"
    " (100, '430424', '衡东县', '县', false, 0, true), (2, '430424104', '吴集镇', '镇', false, 1, true),"
    " (3, '430424105', '洣水镇', '镇', false, 2, true)",
    "INSERT INTO domains (id, name, sort_order) VALUES (1, '工业和信息化', 0), (2, '服务业', 1)",
    "INSERT INTO unit_keys (key_id, unit_id, public_key, fingerprint, operator, enrolled_at, revoked_at) VALUES"
    " ('k-old', 2, 'p', 'f', '', '2024-01-01 00:00:00.000000', NULL),"
    " ('k-new', 2, 'p', 'f', '', '2024-06-01 00:00:00.000000', NULL),"
    " ('k-gone', 3, 'p', 'f', '', '2024-02-01 00:00:00.000000', '2024-03-01 00:00:00.000000')",
    # e1: its 上年 figures last changed 2024-03-05 (UTC); e2: never changed, entered 2024-12-31 17:00
    # UTC, which is 2025-01-01 in China; e3: no 上年 figures at all
    "INSERT INTO enterprises (id, revision, created_at, updated_at, updated_by, unit_id, credit_code, name,"
    " domain_id, need_categories, last_year_output, last_year_revenue, last_year_tax, employees) VALUES"
    f" ('e1', 1, '2023-05-01 00:00:00.000000', '{_T}', '', 2, 'C1', '甲', 1, '[]', 1000000, NULL, 30000, 12),"
    f" ('e2', 1, '2024-12-31 17:00:00.000000', '{_T}', '', 2, 'C2', '乙', 1, '[]', NULL, 500000, NULL, NULL),"
    f" ('e3', 1, '2023-05-01 00:00:00.000000', '{_T}', '', 3, 'C3', '丙', 1, '[]', NULL, NULL, NULL, NULL)",
    "INSERT INTO audit_log (at, operator, source, entity, entity_id, action, field) VALUES"
    " ('2024-01-02 00:00:00.000000', '', 'form', 'enterprise', 'e1', 'update', 'last_year_output'),"
    " ('2024-03-05 00:00:00.000000', '', 'form', 'enterprise', 'e1', 'update', 'employees'),"
    " ('2024-04-01 00:00:00.000000', '', 'form', 'enterprise', 'e1', 'update', 'name')",
    "INSERT INTO projects (id, revision, created_at, updated_at, updated_by, unit_id, name, domain_id,"
    f" total_investment, status, year_plan_investment) VALUES ('p1', 1, '2024-08-31 20:00:00.000000', '{_T}', '',"
    " 3, '项目', 1, 100000000, '在建', 50000000)",
    "INSERT INTO options (kind, value, sort_order, active) VALUES ('project_status', '在建', 5, true)",
    "INSERT INTO enterprise_monthly (id, revision, created_at, updated_at, updated_by, unit_id, enterprise_id,"
    f" period, output_month) VALUES ('m1', 1, '{_T}', '{_T}', '', 2, 'e1', '2024-05', 10000),"
    f" ('m2', 1, '{_T}', '{_T}', '', 2, 'e1', '2024-03', NULL)",
    "INSERT INTO project_monthly (id, revision, created_at, updated_at, updated_by, unit_id, project_id, period,"
    f" progress) VALUES ('pm1', 1, '{_T}', '{_T}', '', 3, 'p1', '2024-09', '开工')",
    "INSERT INTO package_ledger (id, direction, kind, unit_id, key_id, sequence, sha256, created_at, processed_at,"
    " operator, file_name, summary, period) VALUES"
    " ('pk1', 'in', 'report', 2, 'k-old', 1, 's', '2024-02-01 00:00:00.000000', '2024-02-02 00:00:00.000000', '',"
    " 'a', '{}', '2024-01'),"
    " ('pk2', 'in', 'report', 2, 'k-old', 2, 's', '2024-02-03 00:00:00.000000', '2024-02-04 00:00:00.000000', '',"
    " 'b', '{}', '2024-01')",
]


def _moved(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    from sqlalchemy import select

    from hengdong_desktop.db import models as m

    queries = {
        "keys": select(m.UnitKey.key_id, m.UnitKey.status, m.UnitKey.retired_at).order_by(m.UnitKey.key_id),
        "annual": select(
            m.EnterpriseAnnual.id,
            m.EnterpriseAnnual.enterprise_id,
            m.EnterpriseAnnual.year,
            m.EnterpriseAnnual.output,
            m.EnterpriseAnnual.revenue,
            m.EnterpriseAnnual.tax,
            m.EnterpriseAnnual.employees,
        ).order_by(m.EnterpriseAnnual.enterprise_id),
        "stages": select(
            m.ProjectStage.id, m.ProjectStage.project_id, m.ProjectStage.period, m.ProjectStage.status
        ).order_by(m.ProjectStage.project_id),
        "reported": select(m.ReportedMonth.unit_id, m.ReportedMonth.period, m.ReportedMonth.package_id).order_by(
            m.ReportedMonth.unit_id, m.ReportedMonth.period
        ),
        "starts": select(m.Unit.id, m.Unit.start_period).order_by(m.Unit.id),
        "measures": select(m.Domain.id, m.Domain.measure).order_by(m.Domain.id),
        "plans": select(
            m.ProjectAnnual.id, m.ProjectAnnual.project_id, m.ProjectAnnual.year, m.ProjectAnnual.plan_investment
        ),
        "options": select(m.Option.kind, m.Option.value, m.Option.sort_order, m.Option.active).order_by(
            m.Option.kind, m.Option.sort_order
        ),
    }
    with engine.connect() as conn:
        return {name: [tuple(row) for row in conn.execute(query)] for name, query in queries.items()}


def test_the_data_migrations_move_the_same_rows_on_both(pair: Any) -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    lite, server = pair
    for engine in (lite, server):
        _step(engine, "0003_packages")
        with engine.begin() as conn:
            for statement in _BEFORE_0004:
                conn.execute(text(statement))
        _step(engine, "0006_projects")
    moved = _moved(lite)
    assert _moved(server) == moved
    assert moved["keys"] == [
        ("k-gone", "revoked", None),
        ("k-new", "active", None),
        ("k-old", "retired", datetime(2024, 6, 1, tzinfo=UTC)),
    ]
    assert [(r[1], r[2], r[3], r[4], r[5], r[6]) for r in moved["annual"]] == [
        ("e1", 2023, Decimal(100), None, Decimal(3), 12),
        ("e2", 2024, None, Decimal(50), None, None),
    ]
    assert [(r[1], r[2], r[3]) for r in moved["stages"]] == [("p1", "2024-09", "在建")]  # entered in China's September
    assert moved["reported"] == [(2, "2024-01", "pk2")]
    assert moved["starts"] == [(2, "2024-01"), (3, "2024-09"), (100, None)]
    assert moved["measures"] == [(1, "output"), (2, "revenue")]
    assert [(r[1], r[2], r[3]) for r in moved["plans"]] == [("p1", 2024, Decimal(5000))]
    statuses = [(v, o) for k, v, o, _a in moved["options"] if k == "project_status"]
    assert ("前期", 1) in statuses and ("终止", len(statuses) - 1) in statuses and all(a for *_x, a in moved["options"])
