"""Screenshot scenarios for the package pages: real packages exported from small township
databases, merged into the county window's database, with a conflict, a duplicate credit code,
a returned period and the 下发包 applied by the township window."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.services import demo, setup
from hengdong_desktop.services.packages import export, keys, merge, reply, review
from hengdong_desktop.ui.changes import Changes

_TMP = Path(tempfile.mkdtemp(prefix="hengdong-shots-"))


def fresh() -> None:
    """A new folder for the next round of shots (each window size makes its databases anew)."""
    global _TMP
    _TMP = Path(tempfile.mkdtemp(prefix="hengdong-shots-"))


PERIOD = "2025-06"


def _township(unit: str, seed: int, identity: keys.CountyIdentity) -> Path:
    path = _TMP / f"{seed}.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, unit, "填报员", county_identity=identity, training=True)
    db, _ = setup.open_initialized(path)
    demo.generate(db, enterprises=8, months=3, projects=3, seed=seed, end_period=PERIOD)
    demo.explain_open_warnings(db)
    keys.export_enrollment(db, path.with_suffix(".json"))
    db.close()
    return path


def _export(path: Path, name: str) -> Path:
    db, _ = setup.open_initialized(path)
    try:
        return export.export_report(db, _TMP / name, period=PERIOD).path
    finally:
        db.close()


def _first_enterprise(s: Any) -> m.Enterprise:
    return s.scalars(select(m.Enterprise).order_by(m.Enterprise.id)).first()


def county_import(window: Any) -> Any:
    """Two townships merged (one refused file beside them), a conflict and a duplicate."""
    db = window.ctx.db
    identity = keys.export_identity(db, _TMP / "县级身份文件.json")
    wuji, mishui = _township("吴集镇", 21, identity), _township("洣水镇", 22, identity)
    for path in (wuji, mishui):
        keys.enroll(
            db, path.with_suffix(".json"), fingerprint=keys.read_enrollment(path.with_suffix(".json")).fingerprint
        )
    tdb, _ = setup.open_initialized(wuji)
    with tdb.read() as s:
        shared = _first_enterprise(s).credit_code
    tdb.close()
    mdb, minfo = setup.open_initialized(mishui)
    with mdb.write(minfo.actor("form")) as s:
        _first_enterprise(s).credit_code = shared
    mdb.close()
    junk = _TMP / "U盘里的旧文件.hdpkg"
    junk.write_bytes(b"PK\x03\x04 broken")
    first = [_export(wuji, "吴集镇-第1号.hdpkg"), _export(mishui, "洣水镇-第1号.hdpkg")]
    first_results = merge.merge_files(db, first)
    info = setup.read_info(db)
    with db.write(info.actor("form")) as s:
        wuji_unit = s.scalar(select(m.Unit.id).where(m.Unit.name == "吴集镇"))
        ent = s.scalars(select(m.Enterprise).where(m.Enterprise.unit_id == wuji_unit).order_by(m.Enterprise.id)).first()
        ent.address, ent.contact_person = "衡东县吴集镇工业园8号（县里核实）", "县里更正的联系人"
    tdb, tinfo = setup.open_initialized(wuji)
    with tdb.write(tinfo.actor("form")) as s:
        _first_enterprise(s).address = "衡东县吴集镇新街12号"
    tdb.close()
    second = _export(wuji, "吴集镇-第2号.hdpkg")
    page = window.show_page("import")
    page.add_paths([*first, junk, second])
    results = merge.merge_files(db, [second, junk])
    for path, result in zip([second, junk], results, strict=True):
        page.results[str(path)] = result
    for path, result in zip(first, first_results, strict=True):
        page.results[str(path)] = result
    window.ctx.set_period(PERIOD)
    review.review_period(db, "洣水镇", PERIOD, accept=True)
    review.review_period(db, "吴集镇", PERIOD, accept=False, reason="企业地址与工商登记不一致，请核实后重新上报")
    # 洣水镇 replaced its key (the old one shows as retired); 石滩乡's key was revoked.
    mdb, _ = setup.open_initialized(mishui)
    keys.new_key(mdb)
    keys.export_enrollment(mdb, _TMP / "洣水镇-新密钥.json")
    mdb.close()
    keys.enroll(
        db, _TMP / "洣水镇-新密钥.json", fingerprint=keys.read_enrollment(_TMP / "洣水镇-新密钥.json").fingerprint
    )
    shitan = _township("石滩乡", 23, identity)
    keys.enroll(
        db, shitan.with_suffix(".json"), fingerprint=keys.read_enrollment(shitan.with_suffix(".json")).fingerprint
    )
    keys.revoke(db, "石滩乡", reason="电脑被盗，密钥泄露")
    window.ctx.announce(Changes.everything() | Changes(keys=True))
    page._show_files()
    return page


def county_tab(index: int) -> Any:
    def pick(window: Any) -> Any:
        page = window.pages["import"]
        page.tabs.setCurrentIndex(index)
        if index == 3:
            page.review_view.selectRow(0)
        if index == 5:
            page.audit_source.setCurrentIndex(2)
        return page

    return pick


def township_report(window: Any) -> Any:
    """The window's township exports twice; a county returns the period and replies."""
    db = window.ctx.db
    demo.explain_open_warnings(db)
    window.ctx.set_period(PERIOD)
    county = _TMP / "county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "县科工信局", training=True)
    cdb, cinfo = setup.open_initialized(county)
    identity = keys.export_identity(cdb, _TMP / "县级身份文件.json")
    keys.pin_county(db, identity, fingerprint=identity.fingerprint)
    first = export.export_report(db, _TMP / "本镇-第1号.hdpkg", period=PERIOD).path
    fingerprint = keys.export_enrollment(db, _TMP / "self.json")["fingerprint"]
    keys.enroll(cdb, _TMP / "self.json", fingerprint=fingerprint)
    merge.merge_files(cdb, [first])
    with cdb.write(cinfo.actor("form")) as s:
        _first_enterprise(s).contact_phone = "0734-5221234"
    targets = review.comment_targets(cdb, setup.read_info(db).unit_id)
    review.review_period(
        cdb,
        setup.read_info(db).unit_name,
        PERIOD,
        accept=False,
        reason="项目进度填写不完整",
        comments=[
            {
                "entity": targets[0][0],
                "record_id": targets[0][1],
                "field": "address",
                "text": "请写明详细门牌号",
                "subject": targets[0][2],
            }
        ],
    )
    reply_path = reply.export_reply(cdb, setup.read_info(db).unit_name, _TMP / "下发包-第1号.hdpkg").path
    cdb.close()
    reply.apply_reply(db, reply_path)
    export.export_report(db, _TMP / "本镇-第2号.hdpkg", period=PERIOD)
    window.ctx.announce(Changes.everything() | Changes(keys=True))
    return window.show_page("report")


def wizard_identity(window: Any) -> Any:
    """The setup wizard's 县级身份 page with an identity file read and not yet confirmed."""
    from hengdong_desktop.domain.reference import default_file, load_file
    from hengdong_desktop.ui.setup_wizard import SetupWizard

    county = _TMP / "wizard-county.sqlite3"
    setup.init_database(county, setup.COUNTY, None, "县科工信局", training=True)
    cdb, _ = setup.open_initialized(county)
    identity = keys.export_identity(cdb, _TMP / "衡东县-县级身份文件.json")
    cdb.close()
    ref, _targets = load_file(default_file())
    wizard = SetupWizard(list(ref.units))
    wizard.show()
    wizard.next()
    wizard.unit_page.units.setCurrentRow(1)
    wizard.next()
    wizard.identity_page._show(identity)
    return wizard
