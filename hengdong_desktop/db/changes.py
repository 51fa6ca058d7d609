"""Hearing that other officers changed a server database: a connection that LISTENs on the
channel every committed change notifies (see `server_security`: a statement trigger on each
table, payload "<table> <writer's application_name>"). PostgreSQL delivers a notification only
when its transaction commits, so what is heard is there to be read. Changes this process made
itself are left out (its screens refresh after its own writes already)."""

from __future__ import annotations

import logging

import psycopg
from sqlalchemy.engine import URL

from hengdong_desktop.db.engine import APPLICATION_NAME, SERVER_CONNECT_TIMEOUT_S
from hengdong_desktop.db.server_security import EVERYTHING_CHANGED, NOTIFY_CHANNEL

log = logging.getLogger(__name__)


def _conninfo(url: URL) -> str:
    query = dict(url.query)
    params = {
        "host": url.host or query.get("host"),
        "port": url.port or query.get("port"),
        "user": url.username,
        "password": url.password,
        "dbname": url.database,
        "application_name": APPLICATION_NAME + ":listen",
        "connect_timeout": SERVER_CONNECT_TIMEOUT_S,
    }
    return psycopg.conninfo.make_conninfo(**{k: str(v) for k, v in params.items() if v is not None})


class ChangeListener:
    """`poll()`: the tables other programs changed since the last poll (never blocks). A lost
    connection is opened again at the next poll; what changed meanwhile is reported as
    everything (`EVERYTHING`)."""

    EVERYTHING = EVERYTHING_CHANGED

    def __init__(self, url: URL) -> None:
        self._conninfo = _conninfo(url)
        self._conn: psycopg.Connection | None = None
        self._connect()

    def _connect(self) -> bool:
        try:
            self._conn = psycopg.connect(self._conninfo, autocommit=True)
            self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
            return True
        except psycopg.Error as exc:
            log.warning("cannot listen for changes: %s", exc)
            self._conn = None
            return False

    def poll(self) -> set[str]:
        if self._conn is None or self._conn.closed:
            return {self.EVERYTHING} if self._connect() else set()
        changed: set[str] = set()
        try:
            for note in self._conn.notifies(timeout=0):
                table, _, writer = note.payload.partition(" ")
                if writer != APPLICATION_NAME:
                    changed.add(table)
        except psycopg.Error as exc:
            log.warning("lost the change listener: %s", exc)
            self.close()
        return changed

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
