"""Locks for several officers writing one server database at once (PostgreSQL advisory locks,
held until the transaction ends). On SQLite they are no-ops: there a write transaction
(BEGIN IMMEDIATE) already excludes every other writer.

- A unit's records: a merge of a unit's package, its 下发包 and a review of its period take the
  unit's lock exclusively, so two of them for the same unit run one after the other while those
  of different units run together. Every other write of a unit's records (an officer's edit
  through the ORM) takes it shared, just before the flush: an edit never interleaves with a
  merge of the same unit, and one that read the record before the merge changed it fails on
  the record's revision (the mapper's version column) instead of overwriting the merge.
- Credit codes: a merge takes a lock on each credit code that becomes live in its unit, before
  it looks for the same code in other units, so two units' merges bringing the same new
  enterprise at once cannot both miss each other (duplicate flags). Codes already live in the
  unit need no lock: the other merge sees them.
- Reference data: edits of the reference data and its version number go one at a time."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Session

from hengdong_desktop.db.models import Enterprise, Synced

UNIT, CREDIT_CODE, REFERENCE = 1, 2, 3  # the first key of each kind of lock


def _on_server(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


def _conn(target: Session | Connection) -> Connection:
    return target.connection() if isinstance(target, Session) else target


def lock_unit(target: Session | Connection, unit_id: int, *, shared: bool = False) -> None:
    conn = _conn(target)
    if _on_server(conn):
        fn = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        conn.execute(text(f"SELECT {fn}(:k, :u)"), {"k": UNIT, "u": unit_id})


def code_key(code: str) -> int:
    """A credit code's lock key: CRC-32 as a signed 32-bit integer (a collision only makes two
    merges wait for each other)."""
    value = zlib.crc32(code.encode("utf-8"))
    return value - (1 << 32) if value >= 1 << 31 else value


def lock_credit_codes(target: Session | Connection, codes: Iterable[str]) -> None:
    """Locks the codes in key order (one statement), so two merges cannot deadlock on them."""
    conn = _conn(target)
    keys = sorted({code_key(c) for c in codes})
    if keys and _on_server(conn):
        conn.execute(
            text(
                "SELECT count(pg_advisory_xact_lock(:k, c)) FROM"
                " (SELECT c FROM unnest(CAST(:codes AS integer[])) AS c ORDER BY c) AS ordered"
            ),
            {"k": CREDIT_CODE, "codes": keys},
        )


def lock_new_credit_codes(session: Session, unit_id: int, codes: Iterable[str]) -> None:
    """Locks those of `codes` that are not yet live in the unit (the ones a merge is about to
    bring), before the merge looks for them in other units."""
    conn = _conn(session)
    if not _on_server(conn):
        return
    live = set(
        session.scalars(
            select(Enterprise.credit_code).where(Enterprise.unit_id == unit_id, Enterprise.deleted_at.is_(None))
        )
    )
    lock_credit_codes(conn, [c for c in codes if c not in live])


def lock_reference(target: Session | Connection) -> None:
    conn = _conn(target)
    if _on_server(conn):
        conn.execute(text("SELECT pg_advisory_xact_lock(:k, 0)"), {"k": REFERENCE})


@event.listens_for(Session, "before_flush")
def _share_unit_locks(session: Session, _flush_context: Any, _instances: Any) -> None:
    bind = session.get_bind()
    if getattr(bind, "dialect", None) is None or bind.dialect.name != "postgresql":
        return
    units = {o.unit_id for o in (*session.new, *session.dirty) if isinstance(o, Synced) and o.unit_id is not None}
    for unit_id in sorted(units):
        lock_unit(session, unit_id, shared=True)
