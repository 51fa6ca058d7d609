"""Keys, export, verification and merge, end to end through the real services."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import table_codec
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import audit_log, setup
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import contents, keys, ledger, merge
from hengdong_desktop.services.packages import export as report_export
from tests import county_db
from tests.package_support import (
    END,
    copy_db,
    digest,
    enroll,
    export,
    make_county,
    make_township,
    merged_content,
    pin,
)
from tests.platforms import assert_owner_only

pytestmark = pytest.mark.usefixtures("county_backend")  # against SQLite and PostgreSQL


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    township = make_township(tmp_path)
    return township, make_county(tmp_path, township)


def _merge(county: Path, *files: Path, dry_run: bool = False) -> list[merge.FileResult]:
    db, _ = setup.open_initialized(county)
    try:
        return merge.merge_files(db, list(files), dry_run=dry_run)
    finally:
        db.close()


def _edit(path: Path, source: str, fn) -> None:  # type: ignore[no-untyped-def]
    db, info = setup.open_initialized(path)
    try:
        with db.write(info.actor(source)) as s:
            fn(s)
    finally:
        db.close()


# Keys --------------------------------------------------------------------------------------
def test_each_database_has_its_own_private_key(tmp_path: Path) -> None:
    a = make_township(tmp_path, "吴集镇", enterprises=0, months=0, projects=0)
    b = make_township(tmp_path, "洣水镇", enterprises=0, months=0, projects=0)
    ka, kb = keys.key_path(a), keys.key_path(b)
    assert ka.exists() and kb.exists() and ka.read_bytes() != kb.read_bytes()
    assert_owner_only(ka)  # mode 0600, or on Windows an access list naming this user alone
    db, _ = setup.open_initialized(a)
    try:
        own = keys.own_key(db)
        assert len(own.fingerprint.split()) == 5 and own.key_id == keys.key_id(keys.unlock(db).signing.public_key())
    finally:
        db.close()
    with pytest.raises(UserError, match="私钥文件.*已存在"):
        shutil.move(str(a), str(tmp_path / "gone.sqlite3"))
        setup.init_database(a, setup.TOWNSHIP, "吴集镇")
    assert not a.exists()


def test_passphrase_protects_the_private_key(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, "石滩乡", "王五", key_passphrase="口令123")
    raw = keys.key_path(path).read_bytes()
    if sys.platform == "win32":
        assert b"PRIVATE KEY" not in raw  # sealed with DPAPI to the Windows user
    assert keys._open_at_rest(raw, path).count(b"ENCRYPTED PRIVATE KEY-----") == 4  # both keys
    county = make_county(tmp_path)
    pin(county, path)
    enroll(county, path, "口令123")
    db, _ = setup.open_initialized(path)
    try:
        with pytest.raises(UserError, match="请输入口令"):
            keys.unlock(db)
        with pytest.raises(UserError, match="口令不正确"):
            keys.unlock(db, "错的")
        assert keys.unlock(db, "口令123") is not None
        out = report_export.export_report(db, tmp_path / "p.hdpkg", period=END, passphrase="口令123")
        assert out.path.exists()
    finally:
        db.close()


def test_enrollment_binds_and_revocation_dates(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, county = pair
    enroll(county, township)  # twice: idempotent
    db, _ = setup.open_initialized(county)
    try:
        (key,) = keys.enrolled_keys(db)
        assert key.unit_name == "吴集镇" and key.revoked_at is None and key.status == keys.ACTIVE
        revoked = keys.revoke(db, "吴集镇", reason="电脑丢失")
        assert revoked.key.revoked_at is not None and revoked.key.status == keys.REVOKED
        with pytest.raises(UserError, match="没有有效的"):
            keys.revoke(db, "吴集镇")
    finally:
        db.close()
    bad = tmp_path / "bad.json"
    data = json.loads(township.with_suffix(".enroll.json").read_text(encoding="utf-8"))
    data["key_id"] = "0" * 16
    bad.write_text(json.dumps(data), encoding="utf-8")
    db, _ = setup.open_initialized(county)
    try:
        with pytest.raises(UserError, match="密钥编号与公钥不符"):
            keys.enroll(db, bad, fingerprint=data["fingerprint"])
    finally:
        db.close()


# Export -------------------------------------------------------------------------------------
def test_export_is_refused_while_findings_remain(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    make_county(tmp_path, township)
    _edit(
        township,
        "form",
        lambda s: setattr(s.scalars(select(m.Enterprise)).first(), "credit_code", "91430424MA4L1234X0"),
    )
    db, _ = setup.open_initialized(township)
    try:
        with pytest.raises(UserError, match="1条错误") as err:
            report_export.export_report(db, tmp_path / "x.hdpkg", period=END)
        assert any("统一社会信用代码" in d for d in err.value.details)
        assert ledger.count_packages(db, "out", pf.REPORT) == 0
    finally:
        db.close()
    assert not (tmp_path / "x.hdpkg").exists()


def test_export_writes_a_signed_chain(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, _county = pair
    first = export(township, tmp_path / "a1.hdpkg")
    second = export(township, tmp_path / "a2")  # suffix added
    assert second.name == "a2.hdpkg" and not list(tmp_path.glob("*.part"))
    with zipfile.ZipFile(first) as zf:
        manifest_bytes = zf.read(pf.MANIFEST)
        m1 = json.loads(manifest_bytes)
        assert zf.read(pf.SIGNATURE) and len(zf.read(pf.SIGNATURE)) == 64
        for entry in m1["files"]:
            sealed = zf.read(entry["path"])
            assert pf.sha256(sealed) == entry["sha256"]
    assert m1["format"] == pf.FORMAT and m1["format_version"] == pf.FORMAT_VERSION == 2
    assert m1["unit"]["name"] == "吴集镇" and m1["period"] == END and m1["sequence"] == 1
    assert m1["previous"] is None and m1["encryption"]["scheme"] == "X25519-HKDF-SHA256-AES-256-GCM"
    with zipfile.ZipFile(second) as zf:
        m2 = json.loads(zf.read(pf.MANIFEST))
    assert m2["sequence"] == 2
    assert m2["previous"] == {
        "sequence": 1,
        "package_id": m1["package_id"],
        "manifest_sha256": pf.sha256(manifest_bytes),
    }
    audit2 = next(e for e in m2["files"] if e["path"] == contents.AUDIT_PATH)
    assert audit2["records"] == 0  # nothing changed since the first package


def test_openssl_verifies_the_signature(pair: tuple[Path, Path], tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    township, _ = pair
    package = export(township, tmp_path / "o.hdpkg")
    with zipfile.ZipFile(package) as zf:
        (tmp_path / "manifest.json").write_bytes(zf.read(pf.MANIFEST))
        (tmp_path / "manifest.sig").write_bytes(zf.read(pf.SIGNATURE))
    pem = json.loads(township.with_suffix(".enroll.json").read_text(encoding="utf-8"))["public_key"]
    (tmp_path / "unit.pem").write_text(pem, encoding="ascii")
    proc = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "unit.pem",
            "-rawin",
            "-in",
            "manifest.json",
            "-sigfile",
            "manifest.sig",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "Verified Successfully" in proc.stdout


# Merge --------------------------------------------------------------------------------------
def test_merge_copies_every_record_exactly_and_is_idempotent(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, county = pair
    package = export(township, tmp_path / "a.hdpkg")
    (preview,) = _merge(county, package, dry_run=True)
    assert preview.status == merge.PREVIEW and not list((tmp_path / "backups").glob("county-*-merge.sqlite3"))
    (result,) = _merge(county, package)
    assert result.status == merge.MERGED and result.counts["enterprise"].new == 6
    assert preview.counts["enterprise_monthly"].new == result.counts["enterprise_monthly"].new == 18
    # a file is backed up before a merge; a server database is not (one transaction per package)
    assert bool(list((tmp_path / "backups").glob("county-*-merge.sqlite3"))) == (county_db.backend == county_db.SQLITE)
    tdb, _ = setup.open_initialized(township)
    cdb, _ = setup.open_initialized(county)
    try:
        for entity in contents.ENTITY_ORDER:
            tbl = contents.table(entity)
            encode = table_codec(tbl).encode
            with tdb.read() as ts, cdb.read() as cs:
                mine = sorted(map(encode, ts.execute(select(tbl)).mappings()), key=lambda r: r["id"])
                theirs = sorted(map(encode, cs.execute(select(tbl)).mappings()), key=lambda r: r["id"])
            assert mine == theirs, entity
        with cdb.read() as cs:
            ledger = cs.scalars(select(m.PackageEntry)).one()
            assert (ledger.sequence, ledger.unit_id, ledger.direction) == (1, 2, "in")
            assert ledger.sha256 == pf.sha256(package.read_bytes()) and ledger.format_version == 2
            created = cs.scalar(
                select(func.count())
                .select_from(m.AuditEntry)
                .where(m.AuditEntry.source == "merge", m.AuditEntry.action == "create")
            )
            assert created == sum(c.new for c in result.counts.values())
    finally:
        tdb.close()
        cdb.close()
    before = digest(county)
    (again,) = _merge(county, package)
    assert again.status == merge.DUPLICATE and "本次未作改动" in again.reason
    assert digest(county) == before


def test_the_units_audit_log_is_kept_as_sent(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, county = pair
    package = export(township, tmp_path / "a.hdpkg")
    tdb, _ = setup.open_initialized(township)
    try:
        with tdb.read() as s:
            sent = s.scalar(select(func.count()).select_from(m.AuditEntry))
    finally:
        tdb.close()
    (result,) = _merge(county, package)
    db, _ = setup.open_initialized(county)
    try:
        with db.read() as s:
            ledger = s.get(m.PackageEntry, result.package_id)
            assert ledger is not None and ledger.unit_audit is not None
            assert len(json.loads(zlib.decompress(ledger.unit_audit))) == sent
        shown = audit_log.unit_entries(db, str(result.package_id))
        assert len(shown) == sent > 0
    finally:
        db.close()


def test_sequence_gap_is_refused_until_the_missing_package_arrives_and_rollback_refused(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    township, county = pair
    p1, p2, p3 = (export(township, tmp_path / f"s{n}.hdpkg") for n in (1, 2, 3))
    assert _merge(county, p1)[0].status == merge.MERGED
    before = digest(county)
    (gap,) = _merge(county, p3)
    assert gap.status == merge.REFUSED and "缺少第2号上报包（已合并到第1号）" in gap.reason
    assert digest(county) == before
    assert [r.status for r in _merge(county, p2, p3)] == [merge.MERGED, merge.MERGED]
    before = digest(county)
    (old,) = _merge(county, p2)
    assert old.status == merge.DUPLICATE
    (old,) = _merge(county, p1)
    assert old.status == merge.DUPLICATE
    assert digest(county) == before


def _enterprise(s) -> m.Enterprise:  # type: ignore[no-untyped-def]
    return s.scalars(select(m.Enterprise).order_by(m.Enterprise.id)).first()


def test_three_way_merge_keeps_both_sides_and_the_reply_round_trip_clears_it(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    from hengdong_desktop.services.packages import reply, review

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    with setup.open_initialized(county)[0].read() as s:
        ent_id = _enterprise(s).id

    def county_edit(s) -> None:  # type: ignore[no-untyped-def]
        ent = s.get(m.Enterprise, ent_id)
        ent.contact_person, ent.address = "县里更正", "县里的地址"

    def township_edit(s) -> None:  # type: ignore[no-untyped-def]
        ent = s.get(m.Enterprise, ent_id)
        ent.address, ent.main_products = "乡镇的地址", "新产品"

    _edit(county, "form", county_edit)
    _edit(township, "form", township_edit)
    (result,) = _merge(county, export(township, tmp_path / "2.hdpkg"))
    assert result.status == merge.MERGED
    counts = result.counts["enterprise"]
    assert (counts.changed, counts.conflicts) == (1, 1)
    cdb, _ = setup.open_initialized(county)
    try:
        with cdb.read() as s:
            ent = s.get(m.Enterprise, ent_id)
            assert (ent.main_products, ent.contact_person, ent.address) == (
                "新产品",
                "县里更正",
                "县里的地址",
            )
        (conflict,) = review.open_conflicts(cdb)
        assert (conflict.field_label, conflict.local, conflict.incoming) == (
            "详细地址",
            "县里的地址",
            "乡镇的地址",
        )
        sent = reply.export_reply(cdb, "吴集镇", tmp_path / "r1.hdpkg")
        assert sent.corrections == 1  # contact_person; the address waits for the conflict
    finally:
        cdb.close()
    tdb, _ = setup.open_initialized(township)
    try:
        applied = reply.apply_reply(tdb, sent.path)
        assert not applied.key_changed and applied.changes and "联系人" in applied.changes[0]
        with tdb.read() as s:
            assert s.get(m.Enterprise, ent_id).contact_person == "县里更正"
    finally:
        tdb.close()
    (third,) = _merge(county, export(township, tmp_path / "3.hdpkg"))
    assert third.counts["enterprise"].changed == 0 and third.counts["enterprise"].conflicts == 0
    cdb, _ = setup.open_initialized(county)
    try:
        assert [c.id for c in review.open_conflicts(cdb)] == [conflict.id]  # still open
        assert review.queue_counts(cdb) == (1, 0)
        review.resolve_conflict(cdb, conflict.id, keep_incoming=True)
        assert review.open_conflicts(cdb) == []
        with cdb.read() as s:
            assert s.get(m.Enterprise, ent_id).address == "乡镇的地址"
            assert reply.corrections_for(s, 2) == []
    finally:
        cdb.close()
    (fourth,) = _merge(county, export(township, tmp_path / "4.hdpkg"))
    assert fourth.counts["enterprise"].unchanged == 6
    with setup.open_initialized(county)[0].read() as s:
        assert s.get(m.MergeBase, ent_id) is None  # nothing left to remember


def test_tombstones_travel_and_nothing_is_deleted(pair: tuple[Path, Path], tmp_path: Path) -> None:
    from hengdong_desktop.db.types import utcnow

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))

    def tombstone(s) -> None:  # type: ignore[no-untyped-def]
        ent = _enterprise(s)
        ent.deleted_at, ent.deleted_reason = utcnow(), "迁出本镇"

    _edit(township, "form", tombstone)
    (result,) = _merge(county, export(township, tmp_path / "2.hdpkg"))
    assert result.counts["enterprise"].changed == 1
    db, _ = setup.open_initialized(county)
    try:
        with db.read() as s:
            ent = _enterprise(s)
            assert ent.deleted_reason == "迁出本镇" and ent.deleted_at is not None
            assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 6
            action = s.scalar(
                select(m.AuditEntry.action).where(
                    m.AuditEntry.entity_id == ent.id,
                    m.AuditEntry.source == "merge",
                    m.AuditEntry.action == "delete",
                )
            )
            assert action == "delete"
    finally:
        db.close()


def test_duplicates_are_flagged_and_order_does_not_matter(tmp_path: Path) -> None:
    from hengdong_desktop.services.packages import review

    a = make_township(tmp_path, "吴集镇", seed=1)
    b = make_township(tmp_path, "洣水镇", seed=2)
    db, _ = setup.open_initialized(a)
    with db.read() as s:
        shared = _enterprise(s).credit_code
    db.close()
    _edit(b, "form", lambda s: setattr(_enterprise(s), "credit_code", shared))
    c1 = make_county(tmp_path, a, b, name="c1")
    c2 = copy_db(c1, tmp_path / "c2.sqlite3")  # the same county, twice
    pa, pb = export(a, tmp_path / "a.hdpkg"), export(b, tmp_path / "b.hdpkg")
    first = _merge(c1, pa) + _merge(c1, pb)  # A then B
    second = _merge(c2, pb) + _merge(c2, pa)  # B then A
    assert [r.status for r in first + second] == [merge.MERGED] * 4
    assert first[1].counts["enterprise"].duplicates == 1 and second[1].counts["enterprise"].duplicates == 1
    assert merged_content(c1) == merged_content(c2)
    db, _ = setup.open_initialized(c1)
    try:
        (group,) = review.open_duplicates(db)
        assert group.credit_code == shared and len(group.entries) == 2
        assert review.queue_counts(db) == (0, 1)
        assert review.resolve_duplicate(db, shared, "同一企业，由吴集镇填报") == 2
        assert review.open_duplicates(db) == [] and review.queue_counts(db) == (0, 0)
    finally:
        db.close()


def test_review_and_reporting_status_in_both_roles(pair: tuple[Path, Path], tmp_path: Path) -> None:
    from hengdong_desktop.services import reporting
    from hengdong_desktop.services.packages import reply, review

    township, county = pair
    wanted = ["2025-05", END, "2025-07"]

    def status(path: Path) -> dict[tuple[int, str], str]:
        db, _ = setup.open_initialized(path)
        try:
            return reporting.status_matrix(db, wanted)
        finally:
            db.close()

    assert status(township) == {
        (2, "2025-05"): "已填报未上报",
        (2, END): "已填报未上报",
        (2, "2025-07"): "未填报",
    }
    assert set(status(county).values()) == {"未填报"} and len(status(county)) == 18 * 3
    package = export(township, tmp_path / "1.hdpkg")
    # the first package carries every month so far: each is reported, the later one is not
    assert status(township) == {(2, "2025-05"): "已上报", (2, END): "已上报", (2, "2025-07"): "未填报"}
    cdb, _ = setup.open_initialized(county)
    try:
        with pytest.raises(UserError, match="尚未收到吴集镇2025-06的上报包"):
            review.review_period(cdb, "吴集镇", END, accept=True)
    finally:
        cdb.close()
    _merge(county, package)
    assert status(county)[(2, END)] == "已上报" and status(county)[(2, "2025-05")] == "已上报"
    cdb, _ = setup.open_initialized(county)
    try:
        with pytest.raises(UserError, match="退回须填写理由"):
            review.review_period(cdb, "吴集镇", END, accept=False)
        with cdb.read() as s:
            ent = _enterprise(s)
        review.review_period(
            cdb,
            "吴集镇",
            END,
            accept=False,
            reason="产值偏低",
            comments=[
                {
                    "entity": "enterprise",
                    "record_id": ent.id,
                    "field": "address",
                    "text": "地址不详",
                    "subject": ent.name,
                }
            ],
        )
        sent = reply.export_reply(cdb, 2, tmp_path / "r.hdpkg")
    finally:
        cdb.close()
    assert status(county)[(2, END)] == "已退回" and status(county)[(2, "2025-05")] == "已退回"  # the package's
    tdb, _ = setup.open_initialized(township)
    try:
        applied = reply.apply_reply(tdb, sent.path)
        assert applied.decisions[0]["decision"] == "退回" and applied.decisions[0]["comments"][0]["label"] == "详细地址"
        assert reply.apply_reply(tdb, sent.path).status == "duplicate"
    finally:
        tdb.close()
    assert status(township)[(2, END)] == "已退回"
    _merge(county, export(township, tmp_path / "2.hdpkg"))
    assert status(township)[(2, END)] == "已上报" and status(county)[(2, END)] == "已上报"
    # the second package brought nothing new for May, but May was returned with the first: it is resent
    assert status(township)[(2, "2025-05")] == status(county)[(2, "2025-05")] == "已上报"
    cdb, _ = setup.open_initialized(county)
    try:
        review.review_period(cdb, "吴集镇", END, accept=True)
    finally:
        cdb.close()
    assert status(county)[(2, END)] == status(county)[(2, "2025-05")] == "已接收"


def test_reply_is_checked_against_the_pinned_county_key(pair: tuple[Path, Path], tmp_path: Path) -> None:
    from hengdong_desktop.services.packages import reply

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    other_county = make_county(tmp_path, name="impostor")
    enroll(other_county, township)  # it knows the township's keys, but the township pinned `county`
    enroll(county, make_township(tmp_path, "洣水镇", enterprises=0, months=0, projects=0))
    replies = []
    for n, path in enumerate((county, other_county)):
        db, _ = setup.open_initialized(path)
        try:
            replies.append(reply.export_reply(db, "吴集镇", tmp_path / f"{n}-reply.hdpkg").path)
            if path == county:
                replies.append(reply.export_reply(db, "洣水镇", tmp_path / "wrong-unit.hdpkg").path)
        finally:
            db.close()
    tdb, _ = setup.open_initialized(township)
    try:
        assert reply.apply_reply(tdb, replies[0]).status == "applied"
        with pytest.raises(UserError, match="不是本机记录的县级密钥"):
            reply.apply_reply(tdb, replies[2])
        with pytest.raises(UserError, match="不是发给本单位的"):
            reply.apply_reply(tdb, replies[1])
    finally:
        tdb.close()


def test_reply_brings_reference_data_and_reports_conflicts_with_local_edits(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    from hengdong_desktop.services.packages import reply, review
    from hengdong_desktop.services.reference import META_REFERENCE_VERSION

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    with setup.open_initialized(county)[0].read() as s:
        first, second = s.scalars(select(m.Enterprise).order_by(m.Enterprise.id).limit(2)).all()
        ids = (first.id, second.id)

    def county_side(s) -> None:  # type: ignore[no-untyped-def]
        s.get(m.Enterprise, ids[0]).legal_rep = "县里核实的法人"
        s.get(m.Enterprise, ids[1]).legal_rep = "县里更正的法人"
        s.add(m.Option(kind="problem_category", value="环保", sort_order=99, active=True))
        s.merge(m.Meta(key=META_REFERENCE_VERSION, value="99"))

    _edit(county, "reference", county_side)
    _edit(
        township,
        "form",
        lambda s: setattr(s.get(m.Enterprise, ids[1]), "legal_rep", "乡镇自己改的"),
    )
    cdb, _ = setup.open_initialized(county)
    try:
        sent = reply.export_reply(cdb, "吴集镇", tmp_path / "r.hdpkg")
    finally:
        cdb.close()
    assert sent.corrections == 2
    tdb, _ = setup.open_initialized(township)
    try:
        result = reply.apply_reply(tdb, sent.path)
        assert any("环保" in c for c in result.reference_changes)
        assert len(result.changes) == 1 and len(result.conflicts) == 1
        assert "乡镇自己改的" in result.conflicts[0] and "县里更正的法人" in result.conflicts[0]
        with tdb.read() as s:
            assert s.get(m.Enterprise, ids[0]).legal_rep == "县里核实的法人"
            assert s.get(m.Enterprise, ids[1]).legal_rep == "乡镇自己改的"  # the township's edit stays
            assert s.scalar(select(m.Option).where(m.Option.value == "环保")) is not None
        assert setup.read_info(tdb).reference_version == 99
        (conflict,) = review.open_conflicts(tdb)
        review.resolve_conflict(tdb, conflict.id, keep_incoming=True)
        with tdb.read() as s:
            assert s.get(m.Enterprise, ids[1]).legal_rep == "县里更正的法人"
    finally:
        tdb.close()


def test_explain_open_warnings_makes_a_demo_database_ready(tmp_path: Path) -> None:
    from hengdong_desktop.services import checks, demo

    path = tmp_path / "d.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, "霞流镇", training=True)
    db, _ = setup.open_initialized(path)
    try:
        demo.generate(db, enterprises=60, months=12, projects=8, seed=4, end_period=END)
        assert checks.check_database(db).unexplained
        assert demo.explain_open_warnings(db) > 0
        assert checks.check_database(db).ready and demo.explain_open_warnings(db) == 0
    finally:
        db.close()


def test_a_new_key_starts_a_new_chain_after_revocation(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, county = pair
    assert _merge(county, export(township, tmp_path / "1.hdpkg"))[0].status == merge.MERGED
    db, _ = setup.open_initialized(county)
    try:
        keys.revoke(db, "吴集镇")
    finally:
        db.close()
    (refused,) = _merge(county, export(township, tmp_path / "2.hdpkg"))
    assert refused.status == merge.REFUSED and "吊销" in refused.reason
    db, _ = setup.open_initialized(township)
    try:
        old = keys.own_key(db)
        new = keys.new_key(db)
        assert new.key_id != old.key_id
        assert [p.name for p in tmp_path.glob("吴集镇.key.pem*")] == ["吴集镇.key.pem"]  # the old key is gone
    finally:
        db.close()
    enroll(county, township)
    (again,) = _merge(county, export(township, tmp_path / "3.hdpkg"))
    assert again.status == merge.MERGED and again.sequence == 1  # a new key, a new chain
    assert again.counts["enterprise"].unchanged == 6


def test_rows_without_any_figure_do_not_count_as_filled(tmp_path: Path) -> None:
    from hengdong_desktop.services import reporting

    township = make_township(tmp_path)

    def blank_may(s) -> None:  # type: ignore[no-untyped-def]
        for row in s.scalars(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.period == "2025-05")):
            row.output_month = row.output_ytd = row.revenue_month = row.revenue_ytd = None
            row.tax_ytd = row.employees_end = None
        for row in s.scalars(select(m.ProjectMonthly).where(m.ProjectMonthly.period == "2025-05")):
            row.invest_month = row.invest_cumulative = row.invest_ytd = row.progress = None

    _edit(township, "form", blank_may)
    db, _ = setup.open_initialized(township)
    try:
        assert reporting.status_matrix(db, ["2025-04", "2025-05"]) == {
            (2, "2025-04"): "已填报未上报",
            (2, "2025-05"): "未填报",
        }
    finally:
        db.close()


def test_a_batch_is_merged_in_sequence_order_whatever_the_order_given(pair: tuple[Path, Path], tmp_path: Path) -> None:
    township, county = pair
    p1, p2 = export(township, tmp_path / "b1.hdpkg"), export(township, tmp_path / "b2.hdpkg")
    junk = tmp_path / "junk.hdpkg"
    junk.write_bytes(b"junk")
    results = _merge(county, p2, junk, p1)
    assert [r.file for r in results] == ["b2.hdpkg", "junk.hdpkg", "b1.hdpkg"]
    assert [r.status for r in results] == [merge.MERGED, merge.REFUSED, merge.MERGED]
    assert results[0].warnings == [] and results[0].sequence == 2


def test_pinned_county_fingerprint(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    tdb, _ = setup.open_initialized(township)
    try:
        assert keys.pinned_county_fingerprint(tdb) is None
    finally:
        tdb.close()
    county = make_county(tmp_path, township)
    cdb, _ = setup.open_initialized(county)
    try:
        county_fingerprint = keys.own_key(cdb).fingerprint
    finally:
        cdb.close()
    tdb, _ = setup.open_initialized(township)
    try:
        assert keys.pinned_county_fingerprint(tdb) == county_fingerprint
    finally:
        tdb.close()


def test_a_package_given_twice_in_one_batch_is_merged_once(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The next file is verified while the previous one commits; the ledger is still read after
    that commit, so the copy is seen as a duplicate."""
    township, county = pair
    p1 = export(township, tmp_path / "c1.hdpkg")
    copy = tmp_path / "c1-copy.hdpkg"
    copy.write_bytes(p1.read_bytes())
    p2 = export(township, tmp_path / "c2.hdpkg")
    results = _merge(county, p1, copy, p2)
    assert [r.status for r in results] == [merge.MERGED, merge.DUPLICATE, merge.MERGED]


def test_the_reply_carries_the_townships_standing_to_its_overview(pair: tuple[Path, Path], tmp_path: Path) -> None:
    from hengdong_desktop.services import county_standing, overview, rankings
    from hengdong_desktop.services.packages import reply, review

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    cdb, _ = setup.open_initialized(county)
    try:  # nothing accepted yet: no standing travels (a 下发包 as before it did)
        early = reply.export_reply(cdb, "吴集镇", tmp_path / "r1.hdpkg")
        review.review_period(cdb, "吴集镇", END, accept=True)
        sent = reply.export_reply(cdb, "吴集镇", tmp_path / "r2.hdpkg")
        with cdb.read() as s:
            ranking = rankings.unit_ranking_in(s, END)  # accepted data only
    finally:
        cdb.close()
    own = ranking.of(2)
    assert early.standing is None and own is not None
    expected = f"比学赶超：全县第 {own.rank} 名（共 18 个单位，截至 2025年6月）"
    assert sent.standing == expected and expected in sent.summary()
    assert "吴集镇" not in ranking.left_out  # its data counts now
    tdb, _ = setup.open_initialized(township)
    try:
        first = reply.apply_reply(tdb, early.path)
        assert first.standing is None and overview.overview(tdb, 2).standing is None
        applied = reply.apply_reply(tdb, sent.path)
        assert applied.standing == expected and expected in applied.summary()
        shown = overview.overview(tdb, 2).standing
        assert shown == county_standing.received(tdb)
    finally:
        tdb.close()
    assert shown is not None and shown.sentence() == expected
    assert (shown.period, shown.rank, shown.ranked, shown.score) == (END, own.rank, 18, own.score)
    assert [(p.criterion, p.value, p.weight, p.points) for p in shown.parts] == [
        (p.criterion.key, p.value, p.weight, p.points) for p in own.parts
    ]
    assert "只计县级已审核接收的数据" in shown.basis


def test_a_correction_of_a_reference_field_is_told_by_names(pair: tuple[Path, Path], tmp_path: Path) -> None:
    """The township's sentence about a county correction names the 产业, not its stored id."""
    from hengdong_desktop.services.packages import reply
    from hengdong_desktop.services.reference import load

    township, county = pair
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    cdb, _ = setup.open_initialized(county)
    with cdb.read() as s:
        ref = load(s)
        enterprise = s.scalars(select(m.Enterprise).where(m.Enterprise.industry_id.is_not(None))).first()
        eid, before = enterprise.id, enterprise.industry_id
        after = next(i.id for i in ref.industries if i.domain_id == enterprise.domain_id and i.id != before)
        names = {i.id: i.name for i in ref.industries}
    cdb.close()
    _edit(county, "form", lambda s: setattr(s.get(m.Enterprise, eid), "industry_id", after))
    cdb, _ = setup.open_initialized(county)
    try:
        sent = reply.export_reply(cdb, "吴集镇", tmp_path / "r.hdpkg")
    finally:
        cdb.close()
    tdb, _ = setup.open_initialized(township)
    try:
        (change,) = reply.apply_reply(tdb, sent.path).changes
    finally:
        tdb.close()
    assert f"{names[before]} → {names[after]}" in change, change
