"""The trust model in the field, one story each: a leaked key revoked, a forged 下发包, a township
that restored a backup, a township's key replaced, the county's key replaced. Everything through
the real services, with real keys, sealing and ledgers."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import credit_code
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import backups, setup
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import contents, keys, merge, reply
from hengdong_desktop.services.packages import export as report_export
from tests.package_parts import Parts
from tests.package_support import (
    END,
    digest,
    enroll,
    export,
    identity_file,
    make_county,
    make_township,
    pin,
)


def _merge(county: Path, *files: Path, dry_run: bool = False) -> list[merge.FileResult]:
    db, _ = setup.open_initialized(county)
    try:
        return merge.merge_files(db, list(files), dry_run=dry_run)
    finally:
        db.close()


def _verify(county: Path, *files: Path) -> list[merge.FileResult]:
    db, _ = setup.open_initialized(county)
    try:
        return merge.verify_files(db, list(files))
    finally:
        db.close()


def _edit(path: Path, fn, source: str = "form") -> None:  # type: ignore[no-untyped-def]
    db, info = setup.open_initialized(path)
    try:
        with db.write(info.actor(source)) as s:
            fn(s)
    finally:
        db.close()


def _reply(county: Path, unit: str, out: Path) -> Path:
    db, _ = setup.open_initialized(county)
    try:
        return reply.export_reply(db, unit, out).path
    finally:
        db.close()


def _apply(township: Path, package: Path) -> reply.ApplyResult:
    db, _ = setup.open_initialized(township)
    try:
        return reply.apply_reply(db, package)
    finally:
        db.close()


def _unlocked(path: Path) -> keys.UnlockedKeys:
    db, _ = setup.open_initialized(path)
    try:
        return keys.unlock(db)
    finally:
        db.close()


def _live_enterprises(county: Path, code: str) -> int:
    db, _ = setup.open_initialized(county)
    try:
        with db.read() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(m.Enterprise)
                    .where(m.Enterprise.credit_code == code, m.Enterprise.deleted_at.is_(None))
                )
                or 0
            )
    finally:
        db.close()


def test_a_leaked_key_once_revoked_signs_nothing_whatever_the_package_claims(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    assert _merge(county, export(township, tmp_path / "1.hdpkg"))[0].status == merge.MERGED
    leaked = export(township, tmp_path / "2.hdpkg")  # what the thief of the key file can make
    db, _ = setup.open_initialized(county)
    try:
        revocation = keys.revoke(db, "吴集镇", reason="电脑被盗")
    finally:
        db.close()
    assert revocation.last_good == 1 and revocation.suspects == []
    # The thief backdates the package before the revocation, numbers it far ahead and makes it
    # tombstone an enterprise.
    parts = Parts.of(leaked.read_bytes(), _unlocked(township).signing, _unlocked(county))

    def tombstone(rs: list[dict[str, object]]) -> None:
        rs[0]["deleted_at"], rs[0]["deleted_reason"] = "2020-01-01T00:00:00.000000Z", "已注销"

    records = json.loads(parts.plain["data/enterprise.json"])
    tombstone(records)
    parts.plain["data/enterprise.json"] = json.dumps(records, ensure_ascii=False).encode()
    parts.resign(lambda mf: mf.update(created_at="2020-01-01T00:00:00.000000Z", sequence=99))
    forged = tmp_path / "backdated.hdpkg"
    forged.write_bytes(parts.payload())
    before = digest(county)
    for result in (*_verify(county, forged), *_merge(county, forged), *_merge(county, leaked)):
        assert result.status == merge.REFUSED and "吊销" in result.reason and "此后收到的" in result.reason
    assert digest(county) == before


def test_revocation_names_the_packages_merged_after_the_last_good_one(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    _merge(county, *(export(township, tmp_path / f"{n}.hdpkg") for n in (1, 2, 3)))
    db, _ = setup.open_initialized(county)
    try:
        with pytest.raises(UserError, match="最后可信的序号9无效"):
            keys.revoke(db, "吴集镇", last_good=9)
        revocation = keys.revoke(db, "吴集镇", last_good=1, reason="第2号起可疑")
        assert [n for n, _f in revocation.suspects] == [2, 3]
        assert "第2号（2.hdpkg）" in revocation.summary() and "请逐一核实" in revocation.summary()
        (row,) = keys.enrolled_keys(db)
        assert row.status == keys.REVOKED and row.last_good_sequence == 1
    finally:
        db.close()


def test_a_forged_reply_is_refused_by_a_fresh_township_and_by_a_pinned_one(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path)  # the genuine county: not yet pinned by the township
    enroll(county, township)
    forger = make_county(tmp_path, name="forger")  # a county database anyone can make
    enroll(forger, township)  # the enrollment file is public: the forger can seal to the township
    _edit(forger, lambda s: s.add(m.Meta(key="dummy", value="x")))
    forged = _reply(forger, "吴集镇", tmp_path / "forged.hdpkg")
    before = digest(township)
    with pytest.raises(UserError, match="尚未导入县级身份文件"):
        _apply(township, forged)
    assert digest(township) == before
    pin(county, township)
    before = digest(township)
    with pytest.raises(UserError, match="不是本机记录的县级密钥"):
        _apply(township, forged)
    assert digest(township) == before
    # The genuine county is not locked out.
    assert _apply(township, _reply(county, "吴集镇", tmp_path / "genuine.hdpkg")).status == "applied"
    # And the forger cannot be pinned instead without the phone check saying so.
    identity = keys.read_identity(identity_file(forger))
    db, _ = setup.open_initialized(township)
    try:
        with pytest.raises(UserError, match="指纹.*不一致"):
            keys.pin_county(db, identity, fingerprint=keys.read_identity(identity_file(county)).fingerprint)
        with pytest.raises(UserError, match="更换县级密钥"):
            keys.pin_county(db, identity, fingerprint=identity.fingerprint)
    finally:
        db.close()


def _new_enterprise(code: str, name: str):  # type: ignore[no-untyped-def]
    def add(s) -> None:  # type: ignore[no-untyped-def]
        first = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).first()
        ent = m.Enterprise(unit_id=first.unit_id, credit_code=code, name=name, domain_id=first.domain_id)
        s.add(ent)
        s.flush()
        s.add(
            m.EnterpriseMonthly(
                unit_id=first.unit_id,
                enterprise_id=ent.id,
                period=END,
                output_month=Decimal(10),
                output_ytd=Decimal(10),
            )
        )

    return add


def test_a_township_that_restored_a_backup_rejoins_and_its_records_match(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    assert _merge(county, export(township, tmp_path / "1.hdpkg"))[0].status == merge.MERGED
    saved = backups.backup_file(township, "manual")
    code = credit_code.complete("91430424MA4LX0001")
    _edit(township, _new_enterprise(code, "衡东县新建材有限公司"))
    assert _merge(county, export(township, tmp_path / "2.hdpkg"))[0].status == merge.MERGED
    assert _live_enterprises(county, code) == 1

    # The township's disk fails; it restores the backup made before package 2 and types the
    # new enterprise in again (a new id, the same credit code, a corrected figure).
    backups.restore(township, saved)
    _edit(township, _new_enterprise(code, "衡东县新建材有限公司（重新录入）"))
    again = export(township, tmp_path / "2-again.hdpkg")
    before = digest(county)
    (verified,) = _verify(county, again)
    (refused,) = _merge(county, again)
    assert verified.status == refused.status == merge.REFUSED and verified.reason == refused.reason
    assert "从备份恢复" in refused.reason and "发送下发包" in refused.reason
    assert digest(county) == before

    # The county sends a 下发包; applied, it tells the township where the county's record is.
    applied = _apply(township, _reply(county, "吴集镇", tmp_path / "r1.hdpkg"))
    assert applied.rejoin and "接续县里的记录" in applied.summary()
    rejoined = export(township, tmp_path / "3.hdpkg")
    (preview,) = _verify(county, rejoined)
    (result,) = _merge(county, rejoined)
    assert result.status == merge.MERGED and preview.status == merge.VERIFIED
    assert result.sequence == preview.sequence == 3
    assert {e: vars(c) for e, c in result.counts.items()} == {e: vars(c) for e, c in preview.counts.items()}
    assert result.counts["enterprise"].matched == 1 and result.counts["enterprise_monthly"].matched == 1
    assert result.counts["enterprise"].new == 0 and _live_enterprises(county, code) == 1
    (onwards,) = _merge(county, export(township, tmp_path / "3b.hdpkg"))  # no 下发包 in between
    assert onwards.status == merge.MERGED and onwards.sequence == 4
    db, _ = setup.open_initialized(county)
    try:
        with db.read() as s:
            ent = s.scalars(select(m.Enterprise).where(m.Enterprise.credit_code == code)).one()
            assert ent.name == "衡东县新建材有限公司（重新录入）"  # the unit's change, merged
            county_id = ent.id
            (alias,) = s.scalars(select(m.RecordAlias).where(m.RecordAlias.entity == "enterprise")).all()
            assert alias.record_id == county_id
        # A county correction of that record reaches the township under the township's own id.
        with db.write(setup.read_info(db).actor("form")) as s:
            s.get(m.Enterprise, county_id).legal_rep = "县里核实的法人"
    finally:
        db.close()
    applied = _apply(township, _reply(county, "吴集镇", tmp_path / "r2.hdpkg"))
    assert len(applied.changes) == 1 and applied.skipped == []
    tdb, _ = setup.open_initialized(township)
    try:
        with tdb.read() as s:
            mine = s.scalars(select(m.Enterprise).where(m.Enterprise.credit_code == code)).one()
            assert mine.id == alias.alias_id and mine.legal_rep == "县里核实的法人"
    finally:
        tdb.close()
    (next_one,) = _merge(county, export(township, tmp_path / "4.hdpkg"))
    assert next_one.status == merge.MERGED and next_one.counts["enterprise"].new == 0
    (after,) = _merge(county, export(township, tmp_path / "5.hdpkg"))
    assert after.status == merge.MERGED and after.sequence == 6


def _add_july(s) -> None:  # type: ignore[no-untyped-def]
    """A figure for the month after END, for the first enterprise, continuing its June."""
    first = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).first()
    june = s.scalars(
        select(m.EnterpriseMonthly).where(
            m.EnterpriseMonthly.enterprise_id == first.id, m.EnterpriseMonthly.period == END
        )
    ).one()
    s.add(
        m.EnterpriseMonthly(
            unit_id=first.unit_id,
            enterprise_id=first.id,
            period="2025-07",
            output_month=june.output_month,
            output_ytd=(june.output_ytd or 0) + (june.output_month or 0),
        )
    )


def test_a_restored_township_with_a_new_key_merges_without_a_constraint_error(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    saved = backups.backup_file(township, "manual")
    _edit(township, _add_july)
    assert _merge(county, export(township, tmp_path / "1.hdpkg", "2025-07"))[0].status == merge.MERGED
    backups.restore(township, saved)  # July's row is gone at the township, not at the county
    _edit(township, _add_july)  # typed in again: a new id for (enterprise, 2025-07)
    db, _ = setup.open_initialized(township)
    try:
        keys.new_key(db)
    finally:
        db.close()
    enrolled = enroll(county, township)
    assert enrolled.replaced is not None
    (result,) = _merge(county, export(township, tmp_path / "new-key.hdpkg", "2025-07"))
    assert result.status == merge.MERGED, result.reason
    assert result.sequence == 1 and result.counts["enterprise_monthly"].matched == 1
    assert result.counts["enterprise_monthly"].new == 0


def test_a_stale_package_of_a_replaced_key_cannot_resurrect_a_removed_enterprise(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    assert _merge(county, export(township, tmp_path / "1.hdpkg"))[0].status == merge.MERGED
    stale = export(township, tmp_path / "2-stale.hdpkg")  # left on a USB stick

    def remove_first(s) -> None:  # type: ignore[no-untyped-def]
        ent = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).first()
        ent.deleted_at, ent.deleted_reason = utcnow(), "已注销"

    _edit(township, remove_first)
    db, _ = setup.open_initialized(township)
    try:
        keys.new_key(db)
    finally:
        db.close()
    enroll(county, township)
    (fresh,) = _merge(county, export(township, tmp_path / "3-new-key.hdpkg"))
    assert fresh.status == merge.MERGED and fresh.counts["enterprise"].changed == 1
    before = digest(county)
    (late,) = _merge(county, stale)
    assert late.status == merge.REFUSED and "被该单位新登记的密钥取代" in late.reason
    assert digest(county) == before
    db, _ = setup.open_initialized(county)
    try:
        statuses = sorted(k.status for k in keys.enrolled_keys(db))
        assert statuses == [keys.ACTIVE, keys.RETIRED]
    finally:
        db.close()


def test_the_countys_new_key_reaches_every_township(tmp_path: Path) -> None:
    wuji = make_township(tmp_path, "吴集镇", seed=1)
    mishui = make_township(tmp_path, "洣水镇", seed=2)
    county = make_county(tmp_path, wuji, mishui)
    _merge(county, export(wuji, tmp_path / "w1.hdpkg"), export(mishui, tmp_path / "m1.hdpkg"))
    old_reply = _reply(county, "吴集镇", tmp_path / "old.hdpkg")  # delivered late
    in_flight = export(mishui, tmp_path / "m2.hdpkg")  # sealed to the county's old key
    db, _ = setup.open_initialized(county)
    try:
        old_fingerprint = keys.own_key(db).fingerprint
        new = keys.rotate_county_key(db)
        assert new.fingerprint != old_fingerprint
        assert [p.name for p in tmp_path.glob("county.key.pem*")] == ["county.key.pem"]
    finally:
        db.close()
    for township in (wuji, mishui):
        applied = _apply(
            township,
            _reply(county, "吴集镇" if township == wuji else "洣水镇", tmp_path / f"{township.stem}-rotated.hdpkg"),
        )
        assert applied.key_changed and applied.county_fingerprint == new.fingerprint
        tdb, _ = setup.open_initialized(township)
        try:
            assert keys.pinned_county_fingerprint(tdb) == new.fingerprint
        finally:
            tdb.close()
    with pytest.raises(UserError, match="不是本机记录的县级密钥"):
        _apply(wuji, old_reply)  # signed by the key the county has replaced
    # A package sealed before the township learnt the new key still opens at the county.
    assert _merge(county, in_flight)[0].status == merge.MERGED
    (after,) = _merge(county, export(mishui, tmp_path / "m3.hdpkg"))
    assert after.status == merge.MERGED
    with zipfile.ZipFile(tmp_path / "m3.hdpkg") as zf:
        recipient = json.loads(zf.read(pf.MANIFEST))["encryption"]["recipient"]
    assert recipient == keys.key_id(_unlocked(county).encryption.public_key())


def test_verify_predicts_exactly_what_merge_does_for_a_batch(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    p1, p2, p3 = (export(township, tmp_path / f"{n}.hdpkg") for n in (1, 2, 3))
    junk = tmp_path / "junk.hdpkg"
    junk.write_bytes(b"junk")
    batch = [p3, junk, p1, p2, p1]
    before = digest(county)
    predicted = _verify(county, *batch)
    assert digest(county) == before
    merged = _merge(county, *batch)
    assert [r.status for r in predicted] == [
        merge.VERIFIED,
        merge.REFUSED,
        merge.VERIFIED,
        merge.VERIFIED,
        merge.DUPLICATE,
    ]
    assert [r.status for r in merged] == [merge.MERGED, merge.REFUSED, merge.MERGED, merge.MERGED, merge.DUPLICATE]
    for p, r in zip(predicted, merged, strict=True):
        assert {e: vars(c) for e, c in p.counts.items()} == {e: vars(c) for e, c in r.counts.items()}
        if r.status == merge.REFUSED:
            assert p.reason == r.reason
    assert merge.batch_exit_code(merged) == merge.EXIT_SOME_REFUSED
    assert merge.batch_exit_code(merged[2:]) == merge.EXIT_ALL_OK
    assert merge.batch_exit_code(merged[1:2]) == merge.EXIT_ALL_REFUSED


def test_a_rezipped_package_is_the_same_package(tmp_path: Path) -> None:
    """Zipped again with identical content (a mail program, an archiver): accepted once, and the
    township's next genuine package still follows it."""
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    first = export(township, tmp_path / "1.hdpkg")
    rezipped = tmp_path / "1-rezipped.hdpkg"
    with zipfile.ZipFile(first) as src, zipfile.ZipFile(rezipped, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert rezipped.read_bytes() != first.read_bytes()
    assert _merge(county, rezipped)[0].status == merge.MERGED
    assert _merge(county, first)[0].status == merge.DUPLICATE
    assert _merge(county, export(township, tmp_path / "2.hdpkg"))[0].status == merge.MERGED


def test_packages_hold_no_plaintext_of_any_enterprise_field(tmp_path: Path) -> None:
    township = make_township(tmp_path, enterprises=8, months=2)
    county = make_county(tmp_path, township)
    db, _ = setup.open_initialized(township)
    try:
        with db.read() as s:
            texts = set()
            for ent in s.scalars(select(m.Enterprise)):
                texts |= {ent.name, ent.credit_code, ent.legal_rep, ent.contact_phone, ent.address}
            for year in s.scalars(select(m.EnterpriseAnnual)):
                texts |= {str(year.output), str(year.tax)}
            for prob in s.scalars(select(m.Problem)):
                texts.add(prob.description)
            texts.add(setup.read_info(db).operator)
    finally:
        db.close()
    texts = {t for t in texts if t and len(t) >= 4}
    assert len(texts) > 20
    package = export(township, tmp_path / "1.hdpkg")
    _merge(county, package)
    answer = _reply(county, "吴集镇", tmp_path / "r.hdpkg")
    for path in (package, answer):
        blobs = [path.read_bytes()]
        with zipfile.ZipFile(path) as zf:
            blobs += [zf.read(info) for info in zf.infolist()]
        for blob in blobs:
            for text in texts:
                for encoding in ("utf-8", "utf-16-le", "gbk"):
                    try:
                        needle = text.encode(encoding)
                    except UnicodeEncodeError:
                        continue
                    assert needle not in blob, f"“{text}” in clear in {path.name}"
                assert json.dumps(text).encode() not in blob
    manifest = json.loads(zipfile.ZipFile(package).read(pf.MANIFEST))
    assert set(manifest) >= {"encryption", "sender_encryption_key"} and "operator" not in manifest
    assert {f["path"] for f in manifest["files"]} == {contents.data_path(e) for e in contents.ENTITY_ORDER} | {
        contents.AUDIT_PATH,
        contents.INFO_PATH,
    }


def test_the_passphrase_policy_travels_and_is_enforced_when_signing(tmp_path: Path) -> None:
    from hengdong_desktop.services.reference_admin import set_passphrase_minimum

    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    db, info = setup.open_initialized(county)
    try:
        set_passphrase_minimum(db, info.actor("reference"), 8)
        with pytest.raises(UserError, match="至少8个字符"):
            reply.export_reply(db, "吴集镇", tmp_path / "r.hdpkg")
        with pytest.raises(UserError, match="至少8个字符"):
            keys.change_passphrase(db, None, "短口令")
        keys.change_passphrase(db, None, "县级口令12345")
        sent = reply.export_reply(db, "吴集镇", tmp_path / "r.hdpkg", passphrase="县级口令12345")
    finally:
        db.close()
    applied = _apply(township, sent.path)
    assert any("至少8个字符" in c for c in applied.reference_changes)
    db, _ = setup.open_initialized(township)
    try:
        assert keys.passphrase_minimum(db) == 8
        with pytest.raises(UserError, match="至少8个字符"):
            report_export.export_report(db, tmp_path / "x.hdpkg", period=END)
        keys.change_passphrase(db, None, "乡镇口令12345")
        assert keys.is_encrypted(db)
        assert (
            report_export.export_report(db, tmp_path / "x.hdpkg", period=END, passphrase="乡镇口令12345").sequence == 1
        )
    finally:
        db.close()


def test_a_package_on_older_reference_data_merges_with_a_warning_naming_both_versions(tmp_path: Path) -> None:
    from hengdong_desktop.services.reference import META_REFERENCE_VERSION

    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    _edit(county, lambda s: s.merge(m.Meta(key=META_REFERENCE_VERSION, value="7")), source="reference")
    (result,) = _merge(county, export(township, tmp_path / "1.hdpkg"))
    assert result.status == merge.MERGED
    assert result.warnings == ["该包基于第1版基础数据，县级现为第7版，请向该单位发送下发包更新基础数据"]
    _apply(township, _reply(county, "吴集镇", tmp_path / "r.hdpkg"))
    (again,) = _merge(county, export(township, tmp_path / "2.hdpkg"))
    assert again.warnings == []


def test_county_corrections_go_through_the_rule_engine_on_both_sides(tmp_path: Path) -> None:
    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    _merge(county, export(township, tmp_path / "1.hdpkg"))
    db, info = setup.open_initialized(county)
    try:
        with db.write(info.actor("form")) as s:  # past the editor: a careless script, say
            ent = s.scalars(select(m.Enterprise).order_by(m.Enterprise.name)).first()
            ent.founded_on, target = date(2099, 1, 1), ent.id
        with pytest.raises(UserError, match="经县级更正后有错误.*晚于今天"):
            reply.export_reply(db, "吴集镇", tmp_path / "bad.hdpkg")
        with db.write(info.actor("form")) as s:
            s.get(m.Enterprise, target).founded_on = date(2001, 5, 1)
        sent = reply.export_reply(db, "吴集镇", tmp_path / "good.hdpkg").path
    finally:
        db.close()
    # Whoever holds the county's key (a buggy county release, a stolen key) still cannot make the
    # township store what its own rules refuse.
    parts = Parts.of(sent.read_bytes(), _unlocked(county).signing, _unlocked(township))
    corrections = json.loads(parts.plain["data/corrections.json"])
    assert [c["field"] for c in corrections] == ["founded_on"]
    corrections[0]["value"] = "2099-12-31"
    parts.plain["data/corrections.json"] = json.dumps(corrections).encode()
    parts.resign(package_id="00000000-0000-4000-8000-0000000000cc")
    forged = tmp_path / "forged-correction.hdpkg"
    forged.write_bytes(parts.payload())
    before = digest(township)
    with pytest.raises(UserError, match="县级更正后记录有错误，未应用.*晚于今天"):
        _apply(township, forged)
    assert digest(township) == before
    applied = _apply(township, sent)
    assert len(applied.changes) == 1


def test_a_failed_checkpoint_after_the_commits_still_reports_the_merge(tmp_path: Path) -> None:
    """The WAL checkpoint at the end of a batch fails (a full disk, say): the packages were
    committed, so they are reported merged, and the next open replays the WAL."""
    import sqlite3

    from sqlalchemy import event

    township = make_township(tmp_path)
    county = make_county(tmp_path, township)
    package = export(township, tmp_path / "1.hdpkg")
    db, _ = setup.open_initialized(county)

    def no_checkpoints(action: int, arg1: str | None, *_rest: object) -> int:
        if action == sqlite3.SQLITE_PRAGMA and arg1 == "wal_checkpoint":
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    @event.listens_for(db.engine, "checkout")
    def _deny(dbapi_conn: sqlite3.Connection, *_a: object) -> None:
        dbapi_conn.set_authorizer(no_checkpoints)

    try:
        (result,) = merge.merge_files(db, [package])
    finally:
        db.close()
    assert result.status == merge.MERGED
    db, _ = setup.open_initialized(county)
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(m.Enterprise)) == 6
    finally:
        db.close()


def test_training_and_production_never_exchange_packages(tmp_path: Path) -> None:
    """A training (演示) township's package is refused by a production county, whose 下发包 a
    training township refuses too."""
    township = make_township(tmp_path)  # a training database, as every test township
    production = tmp_path / "production.sqlite3"
    setup.init_database(production, setup.COUNTY, None, "汇总员")
    pin(production, township)
    enroll(production, township)
    package = export(township, tmp_path / "1.hdpkg")
    before = digest(production)
    (result,) = _merge(production, package)
    assert result.status == merge.REFUSED and "培训（演示）数据库导出的包，正式汇总库不接收" in result.reason
    assert digest(production) == before
    with pytest.raises(UserError, match="正式汇总库发出的下发包，培训（演示）数据库不接收"):
        _apply(township, _reply(production, "吴集镇", tmp_path / "r.hdpkg"))


def test_one_reference_package_reaches_every_unit(tmp_path: Path) -> None:
    """Reference data for all units in one 基础数据下发包: signed by the county, refused by anyone
    else's key, applied by each township once, never rolled back."""
    from hengdong_desktop.services.reference import META_REFERENCE_VERSION

    wuji = make_township(tmp_path, "吴集镇", seed=1)
    mishui = make_township(tmp_path, "洣水镇", seed=2)
    county = make_county(tmp_path, wuji, mishui)

    def newer_reference(s) -> None:  # type: ignore[no-untyped-def]
        s.add(m.Option(kind="problem_category", value="环保", sort_order=99, active=True))
        s.merge(m.Meta(key=META_REFERENCE_VERSION, value="5"))

    _edit(county, newer_reference, source="reference")
    db, _ = setup.open_initialized(county)
    try:
        first = reply.export_reference(db, tmp_path / "基础数据-1.hdpkg").path
    finally:
        db.close()
    with zipfile.ZipFile(first) as zf:
        manifest = json.loads(zf.read(pf.MANIFEST))
    assert manifest["kind"] == pf.REFERENCE and manifest["encryption"] is None
    for township in (wuji, mishui):
        applied = _apply(township, first)
        assert applied.kind == pf.REFERENCE and any("环保" in c for c in applied.reference_changes)
        assert "基础数据下发包" in applied.summary()
        db, _ = setup.open_initialized(township)
        try:
            assert setup.read_info(db).reference_version == 5
        finally:
            db.close()
        assert _apply(township, first).status == "duplicate"
    (refused,) = _merge(county, first)
    assert refused.status == merge.REFUSED and "县级下发包" in refused.reason
    # a forger's reference data, and an older sequence of the county's own, are refused
    forger = make_county(tmp_path, name="forger")
    db, _ = setup.open_initialized(forger)
    try:
        forged = reply.export_reference(db, tmp_path / "forged.hdpkg").path
    finally:
        db.close()
    with pytest.raises(UserError, match="不是本机记录的县级密钥"):
        _apply(wuji, forged)
    db, _ = setup.open_initialized(county)
    try:
        second = reply.export_reference(db, tmp_path / "基础数据-2.hdpkg").path
    finally:
        db.close()
    assert _apply(wuji, second).status == "applied"
    parts = Parts.of(first.read_bytes(), _unlocked(county).signing)
    parts.resign(package_id="00000000-0000-4000-8000-0000000000dd")  # an old one, re-issued
    stale = tmp_path / "stale.hdpkg"
    stale.write_bytes(parts.payload())
    with pytest.raises(UserError, match="拒绝回退"):
        _apply(wuji, stale)
