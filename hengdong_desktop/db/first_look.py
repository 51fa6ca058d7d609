"""A first look at a database file before the database layer (SQLAlchemy, the models, the
services) is loaded: whether its schema is the code's, and whose it is — read with the standard
library's sqlite3 over one read-only connection, so that the main window can be shown while that
layer loads (app.py). Anything unusual (not up to date, not initialised, unreadable) answers None
or False, and the file is then opened the full way, checks and migration first."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from hengdong_desktop.domain.owner import DatabaseInfo, from_facts

# The newest revision in migrations/versions, so that opening an up-to-date database needs no
# Alembic (imported only to upgrade); test_migrations checks it against Alembic's own head.
HEAD_REVISION = "0008_programme"


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)


def _current(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return row is not None and row[0] == HEAD_REVISION


def up_to_date(path: Path) -> bool:
    """Whether the file's schema revision is the code's (opening it migrates nothing), read with
    one query; False when it cannot be read."""
    try:
        conn = _connect(path)
        try:
            return _current(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def read_owner(path: Path) -> DatabaseInfo | None:
    """Whose an up-to-date, initialised database file is (as services/identity.py `read_info`
    reads it); None when it is anything else or cannot be read."""
    try:
        conn = _connect(path)
        try:
            if not _current(conn):
                return None
            meta = dict(conn.execute("SELECT key, value FROM app_meta").fetchall())
            unit = conn.execute("SELECT name FROM units WHERE id = ?", (int(meta["unit_id"]),)).fetchone()
        finally:
            conn.close()
        return None if unit is None else from_facts(meta, unit[0])
    except (sqlite3.Error, KeyError, ValueError):
        return None
