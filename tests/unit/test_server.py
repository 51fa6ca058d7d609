"""The county database on a server: `hengdong server init` (repeatable), the move of a one-PC
county file with `server import` (counts and hashes, the chain of packages continuing on the
server), pg_dump backups and their restore (also by an office account), and the change
notifications other officers' screens refresh on."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from hengdong_desktop.cli import main
from hengdong_desktop.db import models as m
from hengdong_desktop.db import pg_backup
from hengdong_desktop.db.changes import ChangeListener
from hengdong_desktop.db.location import server_local_path, server_url
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, server, server_import, setup
from hengdong_desktop.services.packages import keys, merge, reply, review
from tests.package_support import enroll, export, make_township, pin

PASSWORD = "office-pass-2025"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*args, "--json"])
    out = capsys.readouterr().out.strip().splitlines()
    return code, json.loads(out[-1]) if out else {}


def test_server_init_makes_the_county_database_and_can_run_again(pg, capsys) -> None:  # type: ignore[no-untyped-def]
    url = pg.new_name()
    code, made = _cli(capsys, "server", "init", "--db", url, "--operator", "张主任")
    assert code == 0 and made["created"] and made["seeded"], made
    assert made["roles"] == [f"{make_url(url).database}_{k}" for k in ("office", "department", "readonly")]
    assert Path(made["key_file"]) == keys.key_path(server_local_path(server_url(url)))
    with pg.engine.connect() as conn:
        encoding, collation = conn.execute(
            text("SELECT pg_encoding_to_char(encoding), datcollate FROM pg_database WHERE datname = :d"),
            {"d": make_url(url).database},
        ).one()
    assert (encoding, collation) == ("UTF8", "C")  # texts sort as in SQLite
    code, again = _cli(capsys, "server", "init", "--db", url)
    assert code == 0 and not again["created"] and not again["seeded"] and again["fingerprint"] == made["fingerprint"]
    db, info = setup.open_initialized(url)
    try:
        assert info.is_county and info.operator == "张主任" and info.account == "postgres"
    finally:
        db.close()
    code, refused = _cli(capsys, "init", "--db", url, "--role", "township", "--unit", "吴集镇")
    assert code == 1 and "只能用作县级汇总" in refused["error"]


@pytest.mark.slow
def test_import_moves_a_county_file_and_its_package_chain_continues(pg, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    wuji = make_township(tmp_path, "吴集镇", enterprises=8, months=3, projects=2, seed=61)
    county_file = tmp_path / "county.sqlite3"
    setup.init_database(county_file, setup.COUNTY, None, "汇总员", start_period="2020-01", training=True)
    pin(county_file, wuji)
    enroll(county_file, wuji)
    db, _info = setup.open_initialized(county_file)
    try:
        assert merge.merge_files(db, [export(wuji, tmp_path / "1.hdpkg")])[0].status == merge.MERGED
        review.review_period(db, "吴集镇", "2025-06", accept=False, reason="请补充说明")
        reply.export_reply(db, "吴集镇", tmp_path / "reply.hdpkg")
    finally:
        db.close()
    url = pg.new_name()
    code, result = _cli(capsys, "server", "import", "--db", url, "--from", str(county_file))
    assert code == 0 and result["key_copied"], result
    assert result["tables"]["package_ledger"]["rows"] == 2 and result["tables"]["audit_log"]["rows"] > 0
    source, _ = setup.open_initialized(county_file)
    dest, info = setup.open_initialized(url)
    try:
        assert info.database_id == setup.read_info(source).database_id
        for table in server_import._tables():  # the same digests, read again independently
            only = {"role", "unit_id", "operator", "database_id"} if table.name == "app_meta" else None
            assert server_import.table_digest(source, table, only_keys=only) == server_import.table_digest(
                dest, table, only_keys=only
            ), table.name
        assert keys.own_key(dest).fingerprint == keys.own_key(source).fingerprint
        keys.unlock(dest)  # the county can open 上报包 and sign 下发包 from the server database
    finally:
        source.close()
        dest.close()
    # the township's next package continues the chain on the server; the server numbers new rows after the copied ones
    tdb, tinfo = setup.open_initialized(wuji)
    try:
        with tdb.write(tinfo.actor("form")) as s:
            for ent in s.scalars(select(m.Enterprise)):
                ent.notes = (ent.notes or "") + "（已核实）"
    finally:
        tdb.close()
    db, _info = setup.open_initialized(url)
    try:
        with db.read() as s:
            last_audit = s.scalar(select(func.max(m.AuditEntry.id)))
        (second,) = merge.merge_files(db, [export(wuji, tmp_path / "2.hdpkg")])
        assert second.status == merge.MERGED and not second.warnings, second.describe()
        with db.read() as s:
            assert s.scalar(select(func.min(m.AuditEntry.id)).where(m.AuditEntry.id > last_audit)) == last_audit + 1
        reply.export_reply(db, "吴集镇", tmp_path / "reply-2.hdpkg")
    finally:
        db.close()
    code, again = _cli(capsys, "server", "import", "--db", url, "--from", str(county_file))
    assert code == 1 and "已经有数据" in again["error"]
    code, township = _cli(capsys, "server", "import", "--db", pg.new_name(), "--from", str(wuji))
    assert code == 1 and "乡镇填报数据库" in township["error"]


@pytest.fixture
def office(pg):  # type: ignore[no-untyped-def]
    """A county server database and the URL of an office account on it."""
    with pg.engine.connect() as conn:
        conn.execute(text('DROP ROLE IF EXISTS "office_bk"'))
    url = pg.new_county(training=True)  # demo data goes into training databases only
    db, info = setup.open_initialized(url)
    try:
        server.add_account(db, "office_bk", "office", PASSWORD, display_name="备份员")
    finally:
        db.close()
    yield url, make_url(url).set(username="office_bk", password=PASSWORD).render_as_string(hide_password=False)
    with pg.engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        conn.execute(text('DROP ROLE IF EXISTS "office_bk"'))


def _enterprise_names(db) -> list[str]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return list(s.scalars(select(m.Enterprise.name).order_by(m.Enterprise.name)))


@pytest.mark.slow
def test_an_office_account_backs_up_and_restores_the_server_database(office, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from hengdong_desktop.services import demo

    admin_url, office_url = office
    db, info = setup.open_initialized(office_url)
    try:
        assert info.account_kind == "office"
        demo.generate(db, enterprises=3, months=1, projects=1, seed=4, end_period="2025-06")
        before = _enterprise_names(db)
        made = backups.backup_now(db)
        (listed,) = backups.list_for(db)
        assert (
            listed.path == made
            and listed.reason == "manual"
            and listed.counts
            == {
                "enterprises": len(before),
                "projects": listed.counts["projects"],
                "monthly": len(before),
                "problems": listed.counts["problems"],
            }
        )
        assert json.loads(pg_backup.side_file(made).read_text(encoding="utf-8"))["account"] == "office_bk"
        with db.write(info.actor("form")) as s:
            for ent in s.scalars(select(m.Enterprise)):
                ent.name = ent.name + "（改）"
        assert _enterprise_names(db) != before
        result = backups.restore_server(db, made)
        assert _enterprise_names(db) == before
        assert result.previous is not None and result.previous.exists()
        assert {b.reason for b in backups.list_for(db)} == {"manual", "restore"}
        # the restored database keeps its accounts' rules: the office still cannot rewrite the audit trail
        with db.engine.connect() as conn, pytest.raises(Exception, match="permission denied"):
            conn.execute(text("DELETE FROM audit_log"))
        # a dump of another schema version, or of another database, is refused
        facts = json.loads(pg_backup.side_file(made).read_text(encoding="utf-8"))
        pg_backup.side_file(made).write_text(json.dumps({**facts, "schema": "0003_packages"}), encoding="utf-8")
        with pytest.raises(UserError, match="结构版本"):
            backups.restore_server(db, made)
        pg_backup.side_file(made).write_text(json.dumps({**facts, "database_id": "another"}), encoding="utf-8")
        with pytest.raises(UserError, match="另一个数据库"):
            backups.restore_server(db, made)
    finally:
        db.close()


def test_other_processes_changes_are_heard_not_ones_own(office) -> None:  # type: ignore[no-untyped-def]
    admin_url, _office_url = office
    db, info = setup.open_initialized(admin_url)
    listener = ChangeListener(server_url(admin_url))
    try:
        assert listener.poll() == set()
        with db.write(info.actor("form")) as s:  # this process's own change
            s.add(m.DomainNote(id=m.new_uuid(), domain_id=1, period="2025-06", text="本机", updated_by=""))
        time.sleep(0.2)
        assert listener.poll() == set()
        other = create_engine(server_url(admin_url), connect_args={"application_name": "another officer"})
        with other.begin() as conn:
            conn.execute(text("UPDATE domain_notes SET text = '别人改的'"))
        other.dispose()
        deadline = time.time() + 5
        heard: set[str] = set()
        while not heard and time.time() < deadline:
            heard = listener.poll()
            time.sleep(0.05)
        assert heard == {"domain_notes"}
    finally:
        listener.close()
        db.close()


def test_account_commands(office, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    admin_url, _office_url = office
    monkeypatch.setenv("HENGDONG_ACCOUNT_PASSWORD", "short")
    code, out = _cli(
        capsys,
        "server",
        "account",
        "add",
        "--db",
        admin_url,
        "--account",
        "zj_cli",
        "--kind",
        "department",
        "--department",
        "县住建局",
    )
    assert code == 1 and "至少要8个字符" in out["error"]
    monkeypatch.setenv("HENGDONG_ACCOUNT_PASSWORD", "long-enough-1")
    try:
        code, out = _cli(
            capsys,
            "server",
            "account",
            "add",
            "--db",
            admin_url,
            "--account",
            "zj_cli",
            "--kind",
            "department",
            "--department",
            "县不存在局",
        )
        assert code == 1 and "找不到部门" in out["error"]
        code, out = _cli(
            capsys,
            "server",
            "account",
            "add",
            "--db",
            admin_url,
            "--account",
            "zj_cli",
            "--kind",
            "department",
            "--department",
            "县住建局",
            "--name",
            "王科长",
        )
        assert code == 0 and out["department"] == "县住建局"
        code, listed = _cli(capsys, "server", "account", "list", "--db", admin_url)
        assert {(a["account"], a["kind"], a["can_login"]) for a in listed["accounts"]} == {
            ("office_bk", "office", True),
            ("zj_cli", "department", True),
        }
        db, info = setup.open_initialized(
            make_url(admin_url).set(username="zj_cli", password="long-enough-1").render_as_string(hide_password=False)
        )
        try:
            assert (info.account_kind, info.operator, info.department_ids) == ("department", "王科长", (3,))
        finally:
            db.close()
    finally:
        with create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT").connect() as c:
            c.execute(text('DROP ROLE IF EXISTS "zj_cli"'))


def test_an_office_computer_installs_a_copy_of_the_county_key_file(pg, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The county's key file travels to another office computer as an exported copy; without it
    nothing is opened or signed, with a stale one (after a rotation) neither, and a copy of
    another database's key is refused."""
    url = pg.new_county()
    db, _info = setup.open_initialized(url)
    try:
        own = keys.own_key(db)
        code, exported = _cli(capsys, "server", "key", "export", "--db", url, "--out", str(tmp_path / "copy.pem"))
        assert code == 0 and not exported["passphrase"] and (tmp_path / "copy.pem").stat().st_mode & 0o077 == 0
        own.path.unlink()  # another office computer: no key file yet
        with pytest.raises(UserError, match="本机还没有服务器数据库.*县级私钥文件") as missing:
            keys.unlock(db)
        assert str(own.path) in str(missing.value)
        code, installed = _cli(capsys, "server", "key", "install", "--db", url, str(tmp_path / "copy.pem"))
        assert code == 0 and installed["key_file"] == str(own.path) and installed["fingerprint"] == own.fingerprint
        assert keys.unlock(db).key_id == own.key_id
        other = pg.new_county()  # a copy of another county's key file is not this one's
        other_db, _ = setup.open_initialized(other)
        try:
            keys.export_key_file(other_db, tmp_path / "other.pem")
        finally:
            other_db.close()
        code, refused = _cli(capsys, "server", "key", "install", "--db", url, str(tmp_path / "other.pem"))
        assert code == 1 and "不是本数据库现用的密钥" in refused["error"]
        # another officer replaces the county's key: this computer's copy is stale until the new one comes
        keys.rotate_county_key(db)
        rotated = keys.key_path(db.path).read_bytes()
        keys.key_path(db.path).write_bytes((tmp_path / "copy.pem").read_bytes())
        with pytest.raises(UserError, match="不是服务器数据库现用的县级密钥"):
            keys.unlock(db)
        keys.key_path(db.path).write_bytes(rotated)
        assert keys.unlock(db).key_id == keys.own_key(db).key_id != own.key_id
    finally:
        db.close()
