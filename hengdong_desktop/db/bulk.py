"""The merge's set-at-a-time SQL, written once per database kind: rows whose id is in a long
list, and the audit rows of created records. SQLite takes the list as one JSON array
(`json_each`), PostgreSQL as one array parameter (`= ANY`, `unnest`). The rows themselves go in
through `TableCodec.bulk_insert` (executemany on SQLite, COPY on PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from sqlalchemy import Connection, text

from hengdong_desktop.db.codec import DATETIME_SQL


def _on_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def first_existing(conn: Connection, table: str, ids: Sequence[str]) -> str | None:
    """One of `ids` that `table` already holds, or None."""
    if not ids:
        return None
    if _on_server(conn):
        row = conn.execute(text(f'SELECT id FROM "{table}" WHERE id = ANY(:ids) LIMIT 1'), {"ids": list(ids)}).first()
    else:
        row = conn.exec_driver_sql(
            f'SELECT t.id FROM json_each(?) AS j JOIN "{table}" AS t ON t.id = j.value LIMIT 1',
            (json.dumps(list(ids)),),
        ).first()
    return None if row is None else str(row[0])


def stored_bases(conn: Connection, ids: Sequence[str]) -> dict[str, str]:
    """The merge bases kept for these record ids: record id → JSON text."""
    if not ids:
        return {}
    if _on_server(conn):
        rows = conn.execute(
            text("SELECT record_id, data FROM merge_base WHERE record_id = ANY(:ids)"), {"ids": list(ids)}
        ).all()
    else:
        rows = conn.exec_driver_sql(
            "SELECT b.record_id, b.data FROM json_each(?) AS j JOIN merge_base AS b ON b.record_id = j.value",
            (json.dumps(list(ids)),),
        ).all()
    return {str(r[0]): str(r[1]) for r in rows}


def drop_bases(conn: Connection, ids: Sequence[str]) -> None:
    if not ids:
        return
    if _on_server(conn):
        conn.execute(text("DELETE FROM merge_base WHERE record_id = ANY(:ids)"), {"ids": list(ids)})
    else:
        conn.exec_driver_sql("DELETE FROM merge_base WHERE record_id = ?", [(r,) for r in ids])


# The audit row of each created record: all values but the record id are the same, so the
# database makes the rows from one list of ids rather than binding each row from Python.
_CREATED_SQLITE = (
    "INSERT INTO audit_log (at, unit_id, operator, source, entity, entity_id, action, package_id)"
    f" SELECT {DATETIME_SQL}, ?, ?, ?, ?, value, 'create', ? FROM json_each(?)"
)
_CREATED_SERVER = (
    "INSERT INTO audit_log (at, unit_id, operator, source, entity, entity_id, action, package_id)"
    " SELECT CAST(:at AS timestamp), :unit, :operator, :source, :entity, i, 'create', :package"
    " FROM unnest(CAST(:ids AS text[])) AS i"
)


def audit_created(
    conn: Connection,
    *,
    at: str,
    unit_id: int,
    operator: str,
    source: str,
    entity: str,
    package_id: str | None,
    ids: Sequence[str],
) -> None:
    """One 'create' audit row per record id (`at` in the codec's UTC text form)."""
    if not ids:
        return
    if _on_server(conn):
        conn.execute(
            text(_CREATED_SERVER),
            {
                "at": at,
                "unit": unit_id,
                "operator": operator,
                "source": source,
                "entity": entity,
                "package": package_id,
                "ids": list(ids),
            },
        )
    else:
        conn.exec_driver_sql(
            _CREATED_SQLITE, (at, unit_id, operator, source, entity, package_id, json.dumps(list(ids)))
        )
