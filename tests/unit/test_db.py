"""The data layer: pragmas, exact money, revisions, tombstones, the audit trail."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from hengdong_desktop.db import models as m
from hengdong_desktop.db import stopping
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.backup import quick_check
from hengdong_desktop.db.engine import BULK_CACHE_KIB
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import credit_code


def _enterprise(unit_id: int, **kw: object) -> m.Enterprise:
    values: dict[str, object] = {
        "credit_code": credit_code.complete("91430424MA4L1234X"),
        "name": "衡东县测试机械有限公司",
        "unit_id": unit_id,
        "domain_id": 1,
        "industry_id": 1,
    }
    values.update(kw)
    return m.Enterprise(**values)


def test_connection_pragmas(township) -> None:  # type: ignore[no-untyped-def]
    db, _ = township
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_foreign_keys_are_enforced(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with pytest.raises(Exception, match="FOREIGN KEY"), db.write(info.actor("cli")) as s:
        s.add(_enterprise(info.unit_id, domain_id=999))


def test_money_is_exact_and_summed_exactly(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("cli")) as s:
        e = _enterprise(info.unit_id)
        s.add(e)
        s.flush()
        for i, amount in enumerate(("0.1", "0.2", "1234567.8901")):
            s.add(
                m.EnterpriseMonthly(
                    enterprise_id=e.id, unit_id=info.unit_id, period=f"2025-0{i + 1}", output_month=Decimal(amount)
                )
            )
    with db.read() as s:
        raw = s.execute(text("SELECT SUM(output_month) FROM enterprise_monthly")).scalar()
        assert raw == 12345681901  # exact integer 1/10000 万元
        total = s.scalar(select(func.sum(m.EnterpriseMonthly.output_month)))
        assert total == Decimal("1234568.1901")  # SUM keeps the Money type
        row = s.scalar(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.period == "2025-03"))
        assert row.output_month == Decimal("1234567.8901")


def test_not_reported_differs_from_reported_zero(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("cli")) as s:
        e = _enterprise(info.unit_id)
        s.add(e)
        s.flush()
        s.add(
            m.EnterpriseMonthly(
                enterprise_id=e.id, unit_id=info.unit_id, period="2025-01", output_month=Decimal(0), revenue_month=None
            )
        )
    with db.read() as s:
        row = s.scalar(select(m.EnterpriseMonthly))
        assert row.output_month == Decimal(0)
        assert row.revenue_month is None


def test_revision_audit_and_tombstone(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("form")) as s:
        e = _enterprise(info.unit_id)
        s.add(e)
    eid = e.id
    assert len(eid) == 36 and e.revision == 1
    with db.write(Actor(info.unit_id, "王五", "excel")) as s:
        e = s.get(m.Enterprise, eid)
        e.name = "衡东县测试重工有限公司"
        e.legal_rep = "赵六"
    with db.write(info.actor("form")) as s:
        e = s.get(m.Enterprise, eid)
        e.deleted_at = utcnow()
        e.deleted_reason = "企业迁出本镇"
    with db.read() as s:
        e = s.get(m.Enterprise, eid)
        assert e.revision == 3 and e.updated_by == "张三" and e.is_deleted
        log = s.scalars(select(m.AuditEntry).where(m.AuditEntry.entity_id == eid).order_by(m.AuditEntry.id)).all()
    assert [(a.action, a.field) for a in log] == [
        ("create", None),
        ("update", "name"),
        ("update", "legal_rep"),
        ("delete", "deleted_reason"),
    ]
    assert log[1].old_value == "衡东县测试机械有限公司" and log[1].new_value == "衡东县测试重工有限公司"
    assert log[1].operator == "王五" and log[1].source == "excel" and log[1].unit_id == info.unit_id
    assert log[2].old_value is None and log[2].new_value == "赵六"
    assert log[3].new_value == "企业迁出本镇"
    assert '"name": "衡东县测试机械有限公司"' in log[0].new_value


def test_physical_delete_is_refused(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("form")) as s:
        e = _enterprise(info.unit_id)
        s.add(e)
    with pytest.raises(RuntimeError, match="tombstoned"), db.write(info.actor("form")) as s:
        s.delete(s.get(m.Enterprise, e.id))
    with db.read() as s:
        assert s.get(m.Enterprise, e.id) is not None


def test_changes_without_an_actor_are_refused(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with pytest.raises(RuntimeError, match="Actor"), db.read() as s:
        s.add(_enterprise(info.unit_id))
        s.flush()


def test_failed_write_leaves_nothing(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with pytest.raises(ZeroDivisionError), db.write(info.actor("form")) as s:
        s.add(_enterprise(info.unit_id))
        s.flush()
        1 / 0  # noqa: B018
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 0
        assert s.scalar(select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.entity == "enterprise")) == 0


def test_reference_edits_are_audited(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("reference", operator="县办")) as s:
        unit = s.get(m.Unit, 1)
        unit.code = "430424100"
    with db.read() as s:
        entry = s.scalar(select(m.AuditEntry).where(m.AuditEntry.entity == "units", m.AuditEntry.field == "code"))
        assert (entry.entity_id, entry.old_value, entry.new_value) == ("1", "HD01", "430424100")


def test_problem_needs_exactly_one_target(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with pytest.raises(Exception, match="CHECK constraint"), db.write(info.actor("form")) as s:
        s.add(m.Problem(unit_id=info.unit_id, category="融资", description="x", raised_on=date(2025, 1, 1)))


def test_created_reference_rows_are_audited_with_their_key(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    with db.write(info.actor("reference", operator="县办")) as s:
        option = m.Option(kind="need_category", value="物流", sort_order=99, active=True)
        s.add(option)
    with db.read() as s:
        entry = s.scalar(
            select(m.AuditEntry)
            .where(m.AuditEntry.entity == "options", m.AuditEntry.action == "create")
            .order_by(m.AuditEntry.id.desc())
        )
        assert entry.entity_id == str(option.id) != "None"
        assert '"value": "物流"' in entry.new_value
        seeded = s.scalars(select(m.AuditEntry.entity_id).where(m.AuditEntry.entity == "targets")).all()
        assert seeded and "None" not in seeded


def test_bulk_writes_share_a_tuned_connection_and_checkpoint_once(township) -> None:  # type: ignore[no-untyped-def]
    db, info = township
    wal = db.path.with_name(db.path.name + "-wal")

    def settings() -> list[int]:
        with db.engine.connect() as conn:
            return [conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("cache_size", "wal_autocheckpoint")]

    before = settings()
    connections = set()
    with db.bulk_writes():
        for n in range(3):
            with db.write(info.actor("cli")) as s:
                conn = s.connection()
                connections.add(id(conn.connection.driver_connection))
                assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 0
                assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -BULK_CACHE_KIB
                s.add(_enterprise(info.unit_id, name=f"企业{n}"))
        assert wal.stat().st_size > 0  # committed, and still in the WAL
    assert len(connections) == 1
    assert wal.stat().st_size == 0  # checkpointed once, at the end
    assert settings() == before
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 3


ENDLESS = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
COUNT_TO = text("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :top) SELECT count(*) FROM n")


@pytest.mark.sqlite_only
def test_a_cancelled_read_stops_inside_a_statement_that_would_never_end(township) -> None:  # type: ignore[no-untyped-def]
    db, _ = township
    cancelled = threading.Event()
    stopped: list[BaseException] = []

    def read() -> None:
        try:
            with stopping.stoppable(cancelled), db.read() as s:
                s.execute(ENDLESS)
        except OperationalError as exc:
            stopped.append(exc)

    worker = threading.Thread(target=read, daemon=True)  # a failure must not hang the session
    worker.start()
    cancelled.set()
    worker.join(60)  # a guard against hanging, not a measurement
    assert not worker.is_alive() and len(stopped) == 1 and "interrupted" in str(stopped[0])
    # Only the statements of that thread inside the block stop: here, with the event still set,
    # and in the worker's thread after its block, long statements run to their end.
    with db.read() as s:
        assert s.scalar(COUNT_TO, {"top": 300_000}) == 300_000
    answers: list[int] = []

    def after() -> None:
        with stopping.stoppable(cancelled):
            pass
        with db.read() as s:
            answers.append(s.scalar(COUNT_TO, {"top": 300_000}))

    worker = threading.Thread(target=after)
    worker.start()
    worker.join(60)
    assert answers == [300_000]


def test_a_stopped_read_interrupts_a_statement_of_its_own_connection_at_once(township) -> None:  # type: ignore[no-untyped-def]
    """PRAGMA quick_check runs in one step SQLite's progress handler never reaches: its private
    connection is interrupted when the read is stopped; a check stopped before it began reports
    no damage either, it raises."""
    db, _ = township
    cancelled = threading.Event()
    stopped: list[BaseException] = []
    registered = threading.Event()

    def read() -> None:
        connection = sqlite3.connect(":memory:", check_same_thread=False)  # no progress handler
        try:
            with stopping.stoppable(cancelled), stopping.interruptible(connection):
                registered.set()
                connection.execute(str(ENDLESS))
        except sqlite3.OperationalError as exc:
            stopped.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=read, daemon=True)  # a failure must not hang the session
    worker.start()
    assert registered.wait(60)
    for _attempt in range(600):  # until the statement has begun: an interrupt before it is a no-op
        stopping.stop(cancelled)
        worker.join(0.1)
        if not worker.is_alive():
            break
    assert not worker.is_alive() and len(stopped) == 1 and "interrupted" in str(stopped[0])
    with stopping.stoppable(cancelled), pytest.raises(sqlite3.OperationalError, match="interrupted"):
        quick_check(db.path)
    assert quick_check(db.path) == []
