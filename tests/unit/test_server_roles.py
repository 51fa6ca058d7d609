"""Accounts and roles on a server database, enforced by PostgreSQL: a lead department's account,
logged in with its password and typing raw SQL, can read the whole programme and change only
the reply of its own department's problems, the progress of the 一企一策 measures its department
is responsible for and the notes of its own domain; a read-only
account changes nothing; the office changes data but not the audit trail; every audit row
names the account that wrote it, whatever the client claims."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from hengdong_desktop.db import models as m
from hengdong_desktop.db.location import server_url
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import demo, domain_notes, entry, measures, server, setup

PASSWORD = "mima-2025-strong"
ACCOUNTS = {  # account: (kind, department)
    "office1": ("office", None),
    "zhujian": ("department", "县住建局"),
    "nongye": ("department", "县农业农村局"),
    "leader": ("readonly", None),
}
CONSTRUCTION, FARMING = 3, 2  # 建筑业 (led by 县住建局), 农林牧渔 (县农业农村局)


@pytest.fixture
def county(pg) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A county server database with demo data and the four accounts (login roles belong to the
    whole cluster: dropped again after the test)."""
    _drop_accounts(pg)
    url = pg.new_county(training=True)  # demo data goes into training databases only
    db, info = setup.open_initialized(url)
    try:
        demo.generate(db, enterprises=6, months=2, projects=2, seed=7, end_period="2025-06")
        with db.write(info.actor("cli")) as s:  # one problem for each of the two departments
            problems = s.scalars(select(m.Problem).order_by(m.Problem.id)).all()
            assert len(problems) >= 2
            for problem, department in zip(problems, ("县住建局", "县农业农村局"), strict=False):
                problem.department = department
            # and one 一企一策 measure each (the demo's measures answer problems of other departments)
            for measure in s.scalars(select(m.SupportMeasure)):
                measure.department = "县发改局"
            ledger = s.scalars(select(m.SupportMeasure).order_by(m.SupportMeasure.id)).all()
            assert len(ledger) >= 2
            for measure, department in zip(ledger, ("县住建局", "县农业农村局"), strict=False):
                measure.department = department
        for account, (kind, department) in ACCOUNTS.items():
            server.add_account(db, account, kind, PASSWORD, department=department, display_name=f"{account}使用人")
    finally:
        db.close()
    yield url
    _drop_accounts(pg)


def _drop_accounts(pg) -> None:  # type: ignore[no-untyped-def]
    with pg.engine.connect() as conn:
        for account in ACCOUNTS:
            conn.execute(text(f'DROP ROLE IF EXISTS "{account}"'))


def _login(url: str, account: str, password: str = PASSWORD) -> str:
    return make_url(url).set(username=account, password=password).render_as_string(hide_password=False)


def _raw(url: str, account: str) -> psycopg.Connection[Any]:
    u = server_url(_login(url, account))
    return psycopg.connect(
        host=u.host, port=u.port, dbname=u.database, user=u.username, password=u.password, autocommit=True
    )


def _problem_of(conn: psycopg.Connection[Any], department: str) -> str:
    row = conn.execute("SELECT id FROM problems WHERE department = %s ORDER BY id LIMIT 1", (department,)).fetchone()
    assert row is not None
    return str(row[0])


def _refused(conn: psycopg.Connection[Any], sql: str, params: tuple[Any, ...] = ()) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(sql, params)


def test_a_password_is_needed_and_never_stored(county: str) -> None:
    with pytest.raises(UserError, match="密码不对"):
        setup.open_initialized(_login(county, "zhujian", "wrong-password"))
    with _raw(county, "zhujian") as conn:
        stored = conn.execute(
            "SELECT count(*) FROM server_accounts WHERE display_name LIKE %s", (f"%{PASSWORD}%",)
        ).fetchone()
        assert stored == (0,)
    admin = psycopg.connect(server_url(county).set(drivername="postgresql").render_as_string(hide_password=False))
    with admin:
        verifier = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = 'zhujian'").fetchone()
    assert verifier is not None and verifier[0].startswith("SCRAM-SHA-256$4096:") and PASSWORD not in verifier[0]


def test_a_department_account_cannot_change_what_it_may_not_even_with_raw_sql(county: str) -> None:
    with _raw(county, "zhujian") as conn:
        mine, theirs = _problem_of(conn, "县住建局"), _problem_of(conn, "县农业农村局")
        # it reads the whole programme
        assert conn.execute("SELECT count(*) FROM enterprises").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] > 0
        # records, reference data, the ledger, settings, accounts: refused
        _refused(conn, "UPDATE enterprises SET name = 'x'")
        _refused(conn, "DELETE FROM enterprise_monthly")
        _refused(
            conn,
            "INSERT INTO package_ledger (id, direction, kind, unit_id, key_id, sequence, sha256,"
            " created_at, processed_at, operator, file_name, summary) VALUES ('x', 'in', 'report', 2, 'k',"
            " 1, 's', now(), now(), '', '', '{}')",
        )
        _refused(conn, "UPDATE units SET name = '改名' WHERE id = 2")
        # the tables of package format 2 and of the time model: everyone reads, the office writes
        for table in (
            "enterprise_annual",
            "project_stages",
            "record_aliases",
            "key_rotations",
            "unit_keys",
            "industry_totals",
            "reported_months",
            "bulletins",
        ):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() is not None
            _refused(conn, f"DELETE FROM {table}")
        _refused(conn, "UPDATE enterprise_annual SET output = 1")
        _refused(
            conn,
            "INSERT INTO industry_totals (industry_id, period, value, source, updated_at)"
            " VALUES (1, '2025-06', 1, 'x', now())",
        )
        _refused(conn, "UPDATE app_meta SET value = 'township' WHERE key = 'role'")
        _refused(conn, "UPDATE server_accounts SET department_id = 2 WHERE account = 'zhujian'")
        _refused(
            conn,
            "INSERT INTO server_accounts (account, kind, department_id, display_name, created_at)"
            " VALUES ('zhujian2', 'department', 2, '', now())",
        )
        # a problem: not its other fields, not another department's, not deleted
        _refused(conn, "UPDATE problems SET description = '改写' WHERE id = %s", (mine,))
        _refused(conn, "UPDATE problems SET department = '县住建局' WHERE id = %s", (theirs,))
        _refused(conn, "DELETE FROM problems WHERE id = %s", (mine,))
        cur = conn.execute("UPDATE problems SET resolution = '越权回复' WHERE id = %s", (theirs,))
        assert cur.rowcount == 0  # row-level security: another department's problem is not there to change
        # the audit trail: no forged rows, no edits, no deletions, no account of its choosing
        _refused(
            conn,
            "INSERT INTO audit_log (at, operator, source, entity, entity_id, action)"
            " VALUES (now(), '别人', 'form', 'enterprise', 'e', 'update')",
        )
        _refused(conn, "UPDATE audit_log SET operator = '别人'")
        _refused(conn, "DELETE FROM audit_log")
        _refused(conn, "INSERT INTO audit_accounts (audit_id, account) VALUES (1, 'office1')")
        # a domain it does not lead
        _refused(
            conn,
            "INSERT INTO domain_notes (id, domain_id, period, text, updated_at, updated_by)"
            " VALUES ('n1', %s, '2025-06', 'x', now(), '')",
            (FARMING,),
        )
        # and no way around the rules
        _refused(conn, "ALTER TABLE problems DISABLE ROW LEVEL SECURITY")
        _refused(conn, "DROP TABLE audit_log")
        _refused(conn, "TRUNCATE problems")
        _refused(conn, "CREATE TABLE mine (x int)")
        prefix = conn.execute("SELECT value FROM app_meta WHERE key = 'server_roles'").fetchone()[0]
        _refused(conn, f"SET ROLE {prefix}_office")
        _refused(conn, f"SET ROLE {prefix}_owner")
        # what it may do: reply to its own problem, note its own domain, audit them
        cur = conn.execute("UPDATE problems SET status = '办理中', resolution = '已协调' WHERE id = %s", (mine,))
        assert cur.rowcount == 1
        conn.execute(
            "INSERT INTO domain_notes (id, domain_id, period, text, updated_at, updated_by)"
            " VALUES ('n2', %s, '2025-06', '建筑业平稳', now(), '')",
            (CONSTRUCTION,),
        )
        audit_id = conn.execute(
            "INSERT INTO audit_log (at, operator, source, entity, entity_id, action, field, new_value)"
            " VALUES (now(), '冒充办公室', 'form', 'problem', %s, 'update', 'resolution', '已协调') RETURNING id",
            (mine,),
        ).fetchone()[0]
        account = conn.execute("SELECT account FROM audit_accounts WHERE audit_id = %s", (audit_id,)).fetchone()
        assert account == ("zhujian",)  # named by the server, whatever the row claims
    with _raw(county, "office1") as office:
        assert office.execute("SELECT resolution FROM problems WHERE id = %s", (theirs,)).fetchone() != ("越权回复",)
        assert office.execute("SELECT description FROM problems WHERE id = %s", (mine,)).fetchone() != ("改写",)


def _measure_of(conn: psycopg.Connection[Any], department: str) -> str:
    row = conn.execute("SELECT id FROM support_measures WHERE department = %s", (department,)).fetchone()
    assert row is not None
    return str(row[0])


def test_a_department_reports_progress_on_its_measures_and_nothing_more_even_with_raw_sql(county: str) -> None:
    with _raw(county, "zhujian") as conn:
        mine, theirs = _measure_of(conn, "县住建局"), _measure_of(conn, "县农业农村局")
        # the measure itself, its owner and deadline, and whole rows: refused
        _refused(conn, "UPDATE support_measures SET content = '改写措施' WHERE id = %s", (mine,))
        _refused(conn, "UPDATE support_measures SET department = '县农业农村局' WHERE id = %s", (mine,))
        _refused(conn, "UPDATE support_measures SET person = '别人' WHERE id = %s", (mine,))
        _refused(conn, "UPDATE support_measures SET deadline = '2030-01-01' WHERE id = %s", (mine,))
        _refused(conn, "UPDATE support_measures SET problem_id = NULL WHERE id = %s", (mine,))
        _refused(conn, "DELETE FROM support_measures WHERE id = %s", (mine,))
        _refused(
            conn,
            "INSERT INTO support_measures (id, unit_id, enterprise_id, content, status, revision, created_at,"
            " updated_at, updated_by) SELECT 'm1', unit_id, enterprise_id, '新措施', '未启动', 1, now(), now(), ''"
            " FROM support_measures WHERE id = %s",
            (mine,),
        )
        # another department's measure is not there to change, and its audit and base rows are refused
        cur = conn.execute("UPDATE support_measures SET progress = '越权进展' WHERE id = %s", (theirs,))
        assert cur.rowcount == 0
        _refused(
            conn,
            "INSERT INTO audit_log (at, operator, source, entity, entity_id, action, field, new_value)"
            " VALUES (now(), 'x', 'form', 'support_measure', %s, 'update', 'progress', '越权进展')",
            (theirs,),
        )
        _refused(
            conn,
            "INSERT INTO merge_base (record_id, entity, data) VALUES (%s, 'support_measure', '{}')",
            (theirs,),
        )
        # what it may do: report progress on its own measure, and audit it
        cur = conn.execute(
            "UPDATE support_measures SET status = '已完成', progress = '已办结', revision = revision + 1 WHERE id = %s",
            (mine,),
        )
        assert cur.rowcount == 1
        conn.execute(
            "INSERT INTO audit_log (at, operator, source, entity, entity_id, action, field, new_value)"
            " VALUES (now(), 'x', 'form', 'support_measure', %s, 'update', 'progress', '已办结')",
            (mine,),
        )
    with _raw(county, "office1") as office:
        assert office.execute("SELECT status, progress FROM support_measures WHERE id = %s", (mine,)).fetchone() == (
            "已完成",
            "已办结",
        )
        assert office.execute("SELECT progress FROM support_measures WHERE id = %s", (theirs,)).fetchone() != (
            "越权进展",
        )


def test_through_the_app_a_department_reports_on_its_measures(county: str) -> None:
    db, info = setup.open_initialized(_login(county, "zhujian"))
    try:
        mine = measures.responsible(db, info)
        assert mine and {x.department for x in mine} == {"县住建局"}
        with db.read() as s:
            theirs = s.scalars(select(m.SupportMeasure).where(m.SupportMeasure.department == "县农业农村局")).first()
            assert theirs is not None
            enterprise_id = s.get(m.SupportMeasure, mine[0].id).enterprise_id  # type: ignore[union-attr]
        status = "已完成" if mine[0].status != "已完成" else "推进中"  # both fields change
        reported = measures.report_progress(db, info, mine[0].id, mine[0].revision, status, "已协调办结")
        assert (reported.status, reported.progress, reported.revision) == (status, "已协调办结", mine[0].revision + 1)
        with pytest.raises(UserError, match="不是本账号的部门"):
            measures.report_progress(db, info, theirs.id, theirs.revision, "已完成", "越权")  # not its department
        with pytest.raises(UserError, match="已被修改"):
            measures.report_progress(db, info, mine[0].id, mine[0].revision, "推进中", "旧的版本")
        with pytest.raises(UserError, match="不是可选值"):  # the rule engine still checks the report
            measures.report_progress(db, info, mine[0].id, reported.revision, "做完了", None)
        # the measure itself, through the enterprise editor's service: the server refuses it
        record = entry.load(db, "enterprise", str(enterprise_id))
        rows = [{**x, "content": "改写措施"} if x["id"] == mine[0].id else x for x in record.measures]
        with pytest.raises(UserError, match="没有修改这些数据的权限"):
            entry.save(
                db, info, "enterprise", record.values, record_id=record.id, revision=record.revision, measures=rows
            )
        changes = [c for c in entry.history(db, "enterprise", str(enterprise_id)) if c.field == "进展情况"]
        assert [(c.operator, c.new) for c in changes][:1] == [("zhujian使用人（zhujian）", "已协调办结")]
    finally:
        db.close()
    office, office_info = setup.open_initialized(_login(county, "office1"))
    try:
        assert len(measures.responsible(office, office_info)) > len(mine)  # the office reports on any
        with office.read() as s:
            stored = s.get(m.SupportMeasure, mine[0].id)
            assert stored is not None and (stored.content, stored.progress) == (mine[0].content, "已协调办结")
            base = s.get(m.MergeBase, mine[0].id)  # the unit's version, kept for the next package's merge
            assert base is not None and base.entity == "support_measure"
    finally:
        office.close()
    leader, leader_info = setup.open_initialized(_login(county, "leader"))
    try:
        assert measures.responsible(leader, leader_info) == []
        with pytest.raises(UserError, match="不能填报"):
            measures.report_progress(leader, leader_info, mine[0].id, mine[0].revision, "已完成", "领导批示")
    finally:
        leader.close()


def test_a_read_only_account_changes_nothing(county: str) -> None:
    with _raw(county, "leader") as conn:
        problem = _problem_of(conn, "县住建局")
        assert conn.execute("SELECT count(*) FROM projects").fetchone()[0] > 0
        _refused(conn, "UPDATE problems SET resolution = 'x' WHERE id = %s", (problem,))
        _refused(
            conn,
            "INSERT INTO domain_notes (id, domain_id, period, text, updated_at, updated_by)"
            " VALUES ('n3', 1, '2025-06', 'x', now(), '')",
        )
        _refused(
            conn,
            "INSERT INTO audit_log (at, operator, source, entity, entity_id, action)"
            " VALUES (now(), 'x', 'form', 'problem', %s, 'update')",
            (problem,),
        )
        _refused(conn, "UPDATE enterprises SET notes = 'x'")


def test_the_office_changes_data_but_not_the_audit_trail(county: str) -> None:
    with _raw(county, "office1") as conn:
        assert conn.execute("UPDATE enterprises SET notes = '办公室核实' WHERE unit_id = 2").rowcount > 0
        _refused(conn, "UPDATE audit_log SET operator = 'x'")
        _refused(conn, "DELETE FROM audit_log")
        _refused(conn, "INSERT INTO audit_accounts (audit_id, account) VALUES (1, 'x')")


def test_through_the_app_a_department_replies_and_is_named_in_the_audit(county: str) -> None:
    db, info = setup.open_initialized(_login(county, "zhujian"))
    try:
        assert (info.account, info.account_kind, info.operator) == ("zhujian", "department", "zhujian使用人")
        with db.read() as s:
            mine = s.scalar(select(m.Problem.id).where(m.Problem.department == "县住建局").order_by(m.Problem.id))
            theirs = s.scalar(select(m.Problem.id).where(m.Problem.department == "县农业农村局").order_by(m.Problem.id))
        assert mine and theirs
        record = entry.load(db, "problem", mine)
        reply = {
            **record.values,
            "status": "已解决",
            "resolution": "已协调解决",
            "solved_on": record.values["raised_on"],
        }
        entry.save(db, info, "problem", reply, record_id=mine, revision=record.revision)
        with pytest.raises(UserError, match="没有修改这些数据的权限"):
            entry.save(
                db, info, "problem", {**reply, "description": "改写问题"}, record_id=mine, revision=record.revision + 1
            )
        other = entry.load(db, "problem", theirs)
        with pytest.raises(UserError):  # another department's problem: not there to change for this account
            entry.save(
                db, info, "problem", {**other.values, "resolution": "越权"}, record_id=theirs, revision=other.revision
            )
        assert {c.operator for c in entry.history(db, "problem", mine) if c.field == "办理结果"} == {
            "zhujian使用人（zhujian）"
        }  # the record's history names the account
        assert domain_notes.writable_domains(db, info) == [CONSTRUCTION]
        domain_notes.save_note(db, info, CONSTRUCTION, "2025-06", "本月建筑业产值平稳。")
        with pytest.raises(UserError, match="没有修改这些数据的权限"):
            domain_notes.save_note(db, info, FARMING, "2025-06", "越权说明")
        with db.read() as s:
            rows = s.execute(
                select(m.AuditEntry.entity, m.AuditEntry.field, m.AuditEntry.operator, m.AuditAccount.account)
                .join(m.AuditAccount, m.AuditAccount.audit_id == m.AuditEntry.id)
                .where(m.AuditAccount.account == "zhujian")
            ).all()
            problem = s.get(m.Problem, mine)
            assert problem is not None and problem.resolution == "已协调解决" and problem.description != "改写问题"
    finally:
        db.close()
    assert {
        ("problem", "resolution", "zhujian使用人", "zhujian"),
        ("problem", "status", "zhujian使用人", "zhujian"),
        ("domain_note", None, "zhujian使用人", "zhujian"),
    } <= set(rows)
    assert {r[0] for r in rows} == {"problem", "domain_note"}


def test_a_read_only_account_is_told_in_chinese(county: str) -> None:
    db, info = setup.open_initialized(_login(county, "leader"))
    try:
        assert info.account_kind == "readonly" and not info.may_write_all
        with db.read() as s:
            problem_id = s.scalar(select(m.Problem.id).order_by(m.Problem.id))
        record = entry.load(db, "problem", str(problem_id))
        with pytest.raises(UserError, match="没有修改这些数据的权限"):
            entry.save(
                db,
                info,
                "problem",
                {**record.values, "resolution": "领导批示"},
                record_id=str(problem_id),
                revision=record.revision,
            )
        assert domain_notes.writable_domains(db, info) == []
    finally:
        db.close()


def test_disabled_account_cannot_log_in(county: str) -> None:
    db, info = setup.open_initialized(county)
    try:
        server.disable_account(db, "nongye", operator=info.operator)
        listed = {a.account: a for a in server.list_accounts(db)}
        assert not listed["nongye"].can_login and listed["zhujian"].can_login
        with db.read() as s:
            assert s.execute(text("SELECT count(*) FROM audit_log WHERE entity = 'server_account'")).scalar() == 5
    finally:
        db.close()
    with pytest.raises(UserError):
        setup.open_initialized(_login(county, "nongye"))
