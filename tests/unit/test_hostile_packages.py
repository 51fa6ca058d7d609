"""A battery of hostile and broken 上报包: each must be refused with a clear Chinese reason that
names the file, and must leave every table of the county database exactly as it was — a file, and
a server database (the battery runs against both, see tests/county_db.py)."""

from __future__ import annotations

import io
import json
import stat
import struct
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from hengdong_desktop.errors import UserError
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import contents, keys, merge, reply
from tests import county_db
from tests.package_parts import Parts
from tests.package_support import beside, copy_db, digest, export, make_county, make_township, pin


def _central_flag(name: str, flag: int) -> Callable[[bytes], bytes]:
    """Sets a general-purpose flag bit of `name` in the zip's central directory."""

    def patch(data: bytes) -> bytes:
        pos = data.find(b"PK\x01\x02" + b"")
        out = bytearray(data)
        while pos != -1:
            name_len = struct.unpack_from("<H", data, pos + 28)[0]
            if data[pos + 46 : pos + 46 + name_len] == name.encode():
                flags = struct.unpack_from("<H", data, pos + 8)[0]
                struct.pack_into("<H", out, pos + 8, flags | flag)
            pos = data.find(b"PK\x01\x02", pos + 4)
        return bytes(out)

    return patch


def _flip_stored_byte(name: str) -> Callable[[bytes], bytes]:
    """Changes one byte inside a stored member without touching its recorded CRC."""

    def patch(data: bytes) -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo(name)
        name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
        at = info.header_offset + 30 + name_len + extra_len + 5
        out = bytearray(data)
        out[at] ^= 0x20
        return bytes(out)

    return patch


@dataclass
class World:
    directory: Path
    county: Any  # a file, or a server database's URL
    wuji: Path
    packages: dict[str, bytes]
    privates: dict[str, Any]
    county_keys: Any


@pytest.fixture(scope="module", params=county_db.backends())
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The townships and an enrolled county of each backend; each test works on its own copy."""
    with county_db.using(request.param, request):
        yield _world(tmp_path_factory)


def _world(tmp_path_factory: pytest.TempPathFactory) -> World:
    d = tmp_path_factory.mktemp("hostile")
    wuji = make_township(d, "吴集镇", enterprises=4, months=2, projects=2, seed=3)
    mishui = make_township(d, "洣水镇", enterprises=2, months=1, projects=1, seed=4)
    shitan = make_township(d, "石滩乡", enterprises=1, months=1, projects=1, seed=5)
    county = make_county(d, wuji, mishui)
    pin(county, shitan)  # it knows the county, but the county never enrolled it
    pkgs = {
        "wuji1": export(wuji, d / "wuji1.hdpkg").read_bytes(),
        "wuji2": export(wuji, d / "wuji2.hdpkg").read_bytes(),
        "mishui": export(mishui, d / "mishui.hdpkg").read_bytes(),
        "shitan": export(shitan, d / "shitan.hdpkg").read_bytes(),
    }
    unlocked = {}
    for name, path in (("wuji", wuji), ("mishui", mishui), ("county", county)):
        db, _ = setup.open_initialized(path)
        unlocked[name] = keys.unlock(db)
        db.close()
    cdb, _ = setup.open_initialized(county)
    try:
        pkgs["reply"] = reply.export_reply(cdb, "吴集镇", d / "reply.hdpkg").path.read_bytes()
    finally:
        cdb.close()
    return World(d, county, wuji, pkgs, {k: v.signing for k, v in unlocked.items()}, unlocked["county"])


def _folder(county: Any) -> Path:
    """Where a test writes files for its county: beside the file, or beside a server database's
    key file."""
    if isinstance(county, Path):
        return county.parent
    folder = beside(county, ".files")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _merge(county: Any, *payloads: tuple[str, bytes]) -> list[merge.FileResult]:
    paths = []
    for name, data in payloads:
        path = _folder(county) / name
        path.write_bytes(data)
        paths.append(path)
    db, _ = setup.open_initialized(county)
    try:
        return merge.merge_files(db, paths)
    finally:
        db.close()


def _revoke_wuji(county: Path) -> None:
    db, _ = setup.open_initialized(county)
    try:
        keys.revoke(db, "吴集镇", reason="密钥泄露")
    finally:
        db.close()


def _merge_first(*names: str) -> Callable[[World, Path], None]:
    def prepare(world: World, county: Path) -> None:
        for name in names:
            assert _merge(county, (f"{name}.hdpkg", world.packages[name]))[0].status == merge.MERGED

    return prepare


_OTHER_ID = "00000000-0000-4000-8000-0000000000aa"


# Each case: (id, how to break the valid package, expected words of the reason, preparation).
Mutation = Callable[[Parts, World], Any]
CASES: list[tuple[str, Mutation, str, Callable[[World, Path], None] | None]] = []


def case(
    name: str, expected: str, prepare: Callable[[World, Path], None] | None = None
) -> Callable[[Mutation], Mutation]:
    def register(fn: Mutation) -> Mutation:
        CASES.append((name, fn, expected, prepare))
        return fn

    return register


# The archive -------------------------------------------------------------------------------
@case("not-a-zip", "不是完整的zip文件")
def _(p: Parts, w: World) -> bytes:
    return "这不是数据包".encode() * 100


@case("empty-file", "不是完整的zip文件")
def _(p: Parts, w: World) -> bytes:
    return b""


@case("truncated", "不是完整的zip文件")
def _(p: Parts, w: World) -> bytes:
    data = p.payload()
    return data[: len(data) // 2]


@case("path-traversal", "路径穿越")
def _(p: Parts, w: World) -> None:
    p.add("data/../../evil.json", b"[]")


@case("absolute-path", "绝对路径")
def _(p: Parts, w: World) -> None:
    p.add("/etc/evil.json", b"[]")


@case("drive-path", "绝对路径")
def _(p: Parts, w: World) -> None:
    p.add("C:/evil.json", b"[]")


@case("backslash-path", "反斜杠")
def _(p: Parts, w: World) -> None:
    p.add("data\\evil.json", b"[]")


@case("symlink", "符号链接")
def _(p: Parts, w: World) -> None:
    p.add("data/link.json", b"/etc/passwd", attr=(stat.S_IFLNK | 0o777) << 16)


@case("directory-entry", "文件夹条目")
def _(p: Parts, w: World) -> None:
    p.add("data/extra/", b"")


@case("encrypted-entry", "已加密")
def _(p: Parts, w: World) -> None:
    p.patches.append(_central_flag("data/problem.json", 0x1))


@case("duplicate-name", "重名文件")
def _(p: Parts, w: World) -> None:
    p.add("data/enterprise.json", b"[]")


@case("case-only-names", "仅大小写不同")
def _(p: Parts, w: World) -> None:
    p.add("data/Enterprise.json", b"[]")


@case("too-many-entries", "文件过多")
def _(p: Parts, w: World) -> None:
    for n in range(40):
        p.add(f"data/x{n}.json", b"[]")


@case("zip-bomb-ratio", "压缩比异常")
def _(p: Parts, w: World) -> None:
    p.add("data/filler.json", b"0" * (8 * 1024 * 1024))


@case("unsupported-compression", "不支持的压缩方式")
def _(p: Parts, w: World) -> None:
    p.add("data/bz.json", b"[]", compress=zipfile.ZIP_BZIP2)


@case("corrupted-member", "已损坏")
def _(p: Parts, w: World) -> None:
    info, data = next((i, d) for i, d in p.members if i.filename == "data/problem.json")
    info.compress_type = zipfile.ZIP_STORED
    p.patches.append(_flip_stored_byte("data/problem.json"))


@case("missing-manifest", "缺少manifest.json")
def _(p: Parts, w: World) -> None:
    p.remove(pf.MANIFEST)


@case("missing-signature", "缺少manifest.sig")
def _(p: Parts, w: World) -> None:
    p.remove(pf.SIGNATURE)


@case("short-signature", "不是64字节")
def _(p: Parts, w: World) -> None:
    p.set(pf.SIGNATURE, p.get(pf.SIGNATURE)[:63])


@case("unlisted-member", "清单未列出的文件")
def _(p: Parts, w: World) -> None:
    p.add("data/notes.json", b"[]")


# Signature and keys -------------------------------------------------------------------------
@case("tampered-manifest", "签名验证失败")
def _(p: Parts, w: World) -> None:
    p.set(pf.MANIFEST, p.get(pf.MANIFEST).replace(b'"2025-06"', b'"2025-05"'))


@case("tampered-signature", "签名验证失败")
def _(p: Parts, w: World) -> None:
    sig = bytearray(p.get(pf.SIGNATURE))
    sig[10] ^= 0xFF
    p.set(pf.SIGNATURE, bytes(sig))


@case("no-key-hint-bad-signature", "与任何已登记的密钥都不匹配")
def _(p: Parts, w: World) -> None:
    p.comment = b""
    p.set(pf.MANIFEST, p.get(pf.MANIFEST) + b" ")


@case("key-not-enrolled", "未在县级登记")
def _(p: Parts, w: World) -> bytes:
    return w.packages["shitan"]


@case("other-units-key", "签名密钥登记的单位与清单中的填报单位不符")
def _(p: Parts, w: World) -> None:
    mishui_id = Parts.of(w.packages["mishui"], None).manifest["key_id"]
    p.comment = pf.KEY_HINT + mishui_id.encode()
    p.resign(lambda mf: mf.update(key_id=mishui_id), private=w.privates["mishui"])


@case("revoked-key", "吊销", prepare=lambda w, c: _revoke_wuji(c))
def _(p: Parts, w: World) -> None:
    pass


@case("key-id-mismatch", "密钥编号与签名密钥不符")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(key_id="0123456789abcdef"))


# The manifest and strict JSON ----------------------------------------------------------------
@case("malformed-json", "JSON格式错误")
def _(p: Parts, w: World) -> None:
    p.sign(p.get(pf.MANIFEST)[:-5])


@case("duplicate-json-key", "重复的键")
def _(p: Parts, w: World) -> None:
    p.sign(p.get(pf.MANIFEST).replace(b"{", b'{"sequence": 9, ', 1))


@case("nan-in-json", "非数字值NaN")
def _(p: Parts, w: World) -> None:
    p.sign(p.get(pf.MANIFEST).replace(b"{", b'{"x": NaN, ', 1))


@case("huge-number", "数值过大")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(sequence=10**20))


@case("float-number", "不是整数")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(sequence=1.5))


@case("newer-format", "请升级")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(format_version=pf.FORMAT_VERSION + 1))


@case("newer-schema", "请升级")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(schema_version=pf.SCHEMA_VERSION + 1))


@case("foreign-format", "不是本系统的数据包")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(format="other-system"))


@case("reply-not-report", "县级下发包")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(kind=pf.REPLY))


@case("bad-period", "期别无效")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(period="2025-13"))


# Data files and hashes ------------------------------------------------------------------------
@case("tampered-data-file", "SHA-256与清单不符")
def _(p: Parts, w: World) -> None:
    sealed = bytearray(p.get("data/enterprise.json"))
    sealed[40] ^= 0x01
    p.set("data/enterprise.json", bytes(sealed))


@case("size-mismatch", "大小与清单不符")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf["files"][0].update(size=mf["files"][0]["size"] + 1))


@case("record-count-mismatch", "记录数与清单不符")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf["files"][0].update(records=mf["files"][0]["records"] + 1))


@case("listed-file-missing", "缺少清单列出的")
def _(p: Parts, w: World) -> None:
    p.remove("data/problem.json")


@case("entity-file-missing", "缺少数据文件")
def _(p: Parts, w: World) -> None:
    p.remove("data/problem.json")
    p.resign(lambda mf: mf.update(files=[f for f in mf["files"] if f["path"] != "data/problem.json"]))


# Records ---------------------------------------------------------------------------------------
@case("record-extra-field", "字段不符")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(secret="x"))


@case("record-of-other-unit", "属于其他单位")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(unit_id=3))


@case("bad-credit-code", "统一社会信用代码")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(credit_code="91430424MA4L1234X0"))


@case("non-canonical-money", "四位小数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_annual.json", lambda rs: rs[0].update(output="12.5"))


@case("negative-money", "不能为负数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_annual.json", lambda rs: rs[0].update(tax="-1.0000"))


@case("unknown-choice", "不是可选值")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/project.json", lambda rs: rs[0].update(status="半途而废"))


@case("dangling-reference", "不在本包中")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/enterprise_monthly.json",
        lambda rs: rs[0].update(enterprise_id="00000000-0000-4000-8000-000000000000"),
    )


@case("record-id-with-newline", "编号无效或重复")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(id=rs[0]["id"][:-1] + "\n"))


@case("money-with-newline", "四位小数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_annual.json", lambda rs: rs[0].update(output="12.5000\n"))


@case("non-ascii-digits", "四位小数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_annual.json", lambda rs: rs[0].update(output="１２.5000"))


@case("impossible-date", "应为日期")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(founded_on="2024-02-30"))


@case("bad-monthly-period", "不是年月")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_monthly.json", lambda rs: rs[0].update(period="2025-13"))


@case("second-record-for-same-month", "重复")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/enterprise_monthly.json",
        lambda rs: rs.append(dict(rs[0], id="00000000-0000-4000-8000-000000000001")),
    )


@case("revision-zero", "版本号无效")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/project.json", lambda rs: rs[-1].update(revision=0))


@case("monthly-without-enterprise", "“enterprise_id”不能为空")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise_monthly.json", lambda rs: rs[-1].update(enterprise_id=None))


@case("duplicate-record-id", "编号无效或重复")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs.append(dict(rs[0])))


@case("monthly-rule-broken", "审核未通过")
def _(p: Parts, w: World) -> None:
    def break_ytd(rs: list[dict[str, Any]]) -> None:
        later = max(rs, key=lambda r: r["period"])
        later["output_ytd"] = "0.0000"

    p.edit_records("data/enterprise_monthly.json", break_ytd)


@case("measure-answers-another-enterprises-problem", "关联问题不存在或不是该企业的问题")
def _(p: Parts, w: World) -> None:
    problem = next(x for x in json.loads(p.plain["data/problem.json"]) if x["enterprise_id"])
    other = next(x["id"] for x in json.loads(p.plain["data/enterprise.json"]) if x["id"] != problem["enterprise_id"])
    p.edit_records("data/support_measure.json", lambda rs: rs[0].update(enterprise_id=other, problem_id=problem["id"]))


@case("unexplained-warning", "未附说明")
def _(p: Parts, w: World) -> None:
    def overrun(rs: list[dict[str, Any]]) -> None:  # XY05, 准强制性: 累计 over 总投资 needs an explanation
        latest = max(rs, key=lambda r: r["period"])
        latest["invest_cumulative"] = "99999999.0000"

    p.edit_records("data/project_monthly.json", overrun)


@case("bad-audit-rows", "操作日志第1条")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/audit.json", lambda rs: rs.insert(0, {"oops": 1}))


# The ledger and ownership at the county --------------------------------------------------------
@case("rollback-to-older-sequence", "拒绝回退", prepare=_merge_first("wuji1", "wuji2"))
def _(p: Parts, w: World) -> None:
    p.resign(package_id="00000000-0000-4000-8000-0000000000aa")


@case("same-id-other-content", "相同而内容不同", prepare=_merge_first("wuji1"))
def _(p: Parts, w: World) -> None:
    p.edit_records("data/problem.json", lambda rs: rs[0].update(description="改过的问题描述"))


@case("broken-chain", "不衔接", prepare=_merge_first("wuji1"))
def _(p: Parts, w: World) -> bytes:
    q = Parts.of(w.packages["wuji2"], w.privates["wuji"], w.county_keys)
    q.resign(lambda mf: mf["previous"].update(package_id="00000000-0000-4000-8000-000000000000"))
    return q.payload()


@case("record-owned-by-other-unit", "属于其他单位", prepare=_merge_first("mishui"))
def _(p: Parts, w: World) -> None:
    stolen = json.loads(Parts.of(w.packages["mishui"], None, w.county_keys).plain["data/enterprise.json"])[0]["id"]
    p.edit_records(
        "data/enterprise.json",
        lambda rs: rs.append(dict(rs[0], id=stolen, credit_code=rs[0]["credit_code"])),
    )


# Package format 2: what the county's ledger decides -------------------------------------------
@case("revoked-key-backdated-and-renumbered", "吊销", prepare=lambda w, c: _revoke_wuji(c))
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(created_at="2001-01-01T00:00:00.000000Z", sequence=50), package_id=_OTHER_ID)


def _enroll_new_wuji_key(world: World, county: Path) -> None:
    """吴集镇 replaces its key (on a copy of its database) and the county enrolls the new one."""
    copy = copy_db(world.wuji, _folder(county) / "wuji-new-key.sqlite3")
    db, _ = setup.open_initialized(copy)
    try:
        keys.new_key(db)
        data = keys.export_enrollment(db, _folder(county) / "wuji-new.json")
    finally:
        db.close()
    cdb, _ = setup.open_initialized(county)
    try:
        keys.enroll(cdb, _folder(county) / "wuji-new.json", fingerprint=data["fingerprint"])
    finally:
        cdb.close()


@case("retired-key", "被该单位新登记的密钥取代", prepare=_enroll_new_wuji_key)
def _(p: Parts, w: World) -> None:
    pass


@case("sequence-gap", "缺少第2号上报包", prepare=_merge_first("wuji1"))
def _(p: Parts, w: World) -> None:
    p.resign(
        lambda mf: mf.update(sequence=3, previous={"sequence": 2, "package_id": _OTHER_ID, "manifest_sha256": None}),
        package_id="00000000-0000-4000-8000-0000000000bb",
    )


@case("first-package-claims-a-predecessor", "缺少第1号及以前的上报包")
def _(p: Parts, w: World) -> None:
    p.resign(
        lambda mf: mf.update(sequence=2, previous={"sequence": 1, "package_id": _OTHER_ID, "manifest_sha256": None})
    )


@case("production-package-in-a-training-county", "正式数据库导出的包，培训（演示）数据库不接收")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(training=False))


@case("sealed-to-another-key", "加密发给其他密钥")
def _(p: Parts, w: World) -> None:
    p.county = SimpleNamespace(encryption=X25519PrivateKey.generate())
    p.resign()


def _resign_as_stored(p: Parts) -> None:
    """Signs the members as they are now (no sealing): what someone with the unit's signing key
    but not the county's key can do."""
    p.county, p.plain = None, {}
    p.resign()


@case("ciphertext-changed-and-resigned", "无法解密")
def _(p: Parts, w: World) -> None:
    sealed = bytearray(p.get("data/enterprise.json"))
    sealed[-20] ^= 0x01
    p.set("data/enterprise.json", bytes(sealed))
    _resign_as_stored(p)


@case("sealed-member-moved", "无法解密")
def _(p: Parts, w: World) -> None:
    a, b = p.get("data/problem.json"), p.get("data/explanation.json")
    p.set("data/problem.json", b)
    p.set("data/explanation.json", a)
    _resign_as_stored(p)


@case(
    "audit-out-of-proportion",
    "与本包",
)
def _(p: Parts, w: World) -> None:  # the 52 MB package that unpacked to 395 MB of audit log
    def swell(mf: dict[str, Any]) -> None:
        entry = next(e for e in mf["files"] if e["path"] == "data/audit.json")
        entry.update(records=898_695, size=395 * 1024 * 1024)

    p.county, p.plain = None, {}
    p.resign(swell)


@case("records-over-cap", "上限20000条")
def _(p: Parts, w: World) -> None:
    p.county, p.plain = None, {}
    p.resign(lambda mf: next(e for e in mf["files"] if e["path"] == "data/enterprise.json").update(records=20_001))


@case("photos-over-budget", "照片共160MB（上限160MB）")
def _(p: Parts, w: World) -> None:  # a few large photos would fit each record's bound; not the photo budget
    def swell(mf: dict[str, Any]) -> None:
        entry = next(e for e in mf["files"] if e["path"] == "data/project_photo.json")
        entry.update(records=200, size=160 * 1024 * 1024 + 1)

    p.county, p.plain = None, {}
    p.resign(swell)


@case("photo-records-over-cap", "上限3000条")
def _(p: Parts, w: World) -> None:
    p.county, p.plain = None, {}
    p.resign(lambda mf: next(e for e in mf["files"] if e["path"] == "data/project_photo.json").update(records=3_001))


@case("bytes-per-record-over-bound", "平均每条记录超过")
def _(p: Parts, w: World) -> None:
    def inflate(mf: dict[str, Any]) -> None:
        entry = next(e for e in mf["files"] if e["path"] == "data/problem.json")
        entry["size"] = entry["records"] * 200_000

    p.county, p.plain = None, {}
    p.resign(inflate)


# Strict text: what the county never stores -------------------------------------------------------
@case("lone-surrogate", "“name”含有不允许的字符U+D800")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(name="衡东\ud800公司"))


@case("nul-in-text", "“address”含有不允许的字符U+0000")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(address="衡东\x00路"))


@case("escape-in-text", "“legal_rep”含有不允许的字符U+001B")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(legal_rep="张\x1b[31m三"))


@case("bidi-override", "“description”含有不允许的字符U+202E")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/problem.json", lambda rs: rs[0].update(description="资金\u202e缺口"))


@case("bidi-in-a-list", "“need_categories”含有不允许的字符U+2066")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(need_categories=["融资\u2066"]))


@case("bidi-in-the-audit-log", "操作日志第1条的“new_value”含有不允许的字符U+202D")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/audit.json", lambda rs: rs[0].update(new_value="\u202d123"))


@case("text-over-its-limit", "“deleted_reason”不能超过4000个字")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/problem.json",
        lambda rs: rs[0].update(deleted_at="2025-01-01T00:00:00.000000Z", deleted_reason="理由" * 2600),
    )


@case("three-million-character-reason", "超出数据包的容量限制")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/problem.json",
        lambda rs: rs[0].update(deleted_at="2025-01-01T00:00:00.000000Z", deleted_reason="x" * 3_000_000),
    )


@case("zip-name-with-bidi", "不允许字符的文件")
def _(p: Parts, w: World) -> None:
    p.add("data/\u202eevil.json", b"[]")


# Tombstones go through the rule engine too --------------------------------------------------------
@case("tombstone-with-bad-credit-code", "（已删除）")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/enterprise.json",
        lambda rs: rs[0].update(
            deleted_at="2025-01-01T00:00:00.000000Z", deleted_reason="注销", credit_code="000000000000000000"
        ),
    )


@case("tombstone-with-negative-revenue", "不能为负数")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/enterprise_annual.json",
        lambda rs: rs[0].update(deleted_at="2025-01-01T00:00:00.000000Z", deleted_reason="注销", revenue="-99999.0000"),
    )


@case("sender-info-wrong", "info.json格式错误")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/info.json", lambda rs: rs[0].update(operator=123))


@case("a-reply-given-to-the-county", "应在乡镇的“上报”页面应用")
def _(p: Parts, w: World) -> bytes:
    return w.packages["reply"]


def test_the_battery_is_large_enough() -> None:
    assert len(CASES) >= 85


def test_positive_control_the_untouched_package_merges(world: World, tmp_path: Path) -> None:
    """The harness below, with no mutation, yields a package the county merges: each refusal is
    the mutation's doing, not the taking apart, re-zipping and re-signing."""
    county = copy_db(world.county, tmp_path / "county.sqlite3")
    parts = Parts.of(world.packages["wuji1"], world.privates["wuji"])
    parts.resign()
    before = digest(county)
    (result,) = _merge(county, ("control.hdpkg", parts.payload()))
    assert result.status == merge.MERGED, result.describe()
    assert digest(county) != before


@pytest.mark.parametrize(("name", "mutate", "expected", "prepare"), CASES, ids=[c[0] for c in CASES])
def test_hostile_package_is_refused_and_changes_nothing(
    world: World,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    mutate: Mutation,
    expected: str,
    prepare: Callable[[World, Path], None] | None,
) -> None:
    """Through the command line: `verify` and `merge` both refuse the file with exit code 1 and one
    sentence that names it and says why; not one row of the county database changes."""
    from hengdong_desktop.cli import main

    county = copy_db(world.county, tmp_path / "county.sqlite3")
    if prepare is not None:
        prepare(world, county)
    parts = Parts.of(world.packages["wuji1"], world.privates["wuji"], world.county_keys)
    replaced = mutate(parts, world)
    path = tmp_path / f"{name}.hdpkg"
    path.write_bytes(replaced if isinstance(replaced, bytes) else parts.payload())
    before = digest(county)
    capsys.readouterr()
    for command in ("verify", "merge"):
        code = main([command, "--db", str(county), str(path)])
        err = capsys.readouterr().err.strip()
        assert code == 1, (command, err)
        assert err.startswith(f"“{name}.hdpkg”被拒绝：") and err.endswith("。") and "\n" not in err, err
        assert expected in err, err
        assert digest(county) == before


@pytest.mark.parametrize("change", ["nothing", "a-harmless-edit"])
def test_positive_control_the_same_package_put_together_again_is_accepted(
    world: World, tmp_path: Path, change: str
) -> None:
    """The battery's tools change nothing by themselves: re-sealed and re-signed with the unit's
    own key (and, in the second case, a legitimate edit), the package merges."""
    county = copy_db(world.county, tmp_path / "county.sqlite3")
    parts = Parts.of(world.packages["wuji1"], world.privates["wuji"], world.county_keys)
    if change == "nothing":
        parts.resign()
    else:
        parts.edit_records("data/project.json", lambda rs: rs[0].update(notes="县里要求补充的说明"))
    (result,) = _merge(county, (f"{change}.hdpkg", parts.payload()))
    assert result.status == merge.MERGED, result.reason


def test_a_pipe_or_a_folder_named_like_a_package_is_refused_at_once(world: World, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    county = copy_db(world.county, tmp_path / "county.sqlite3")
    folder = tmp_path / "folder.hdpkg"
    folder.mkdir()
    paths = [folder]
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "pipe.hdpkg")  # reading it would wait for a writer for ever
        paths.append(tmp_path / "pipe.hdpkg")
    proc = subprocess.run(
        [sys.executable, "-m", "hengdong_desktop", "merge", "--db", str(county), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(paths) and all("不是普通文件" in line for line in lines)


def test_refusal_names_the_file_in_one_sentence(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hengdong_desktop.cli import main

    county = copy_db(world.county, tmp_path / "county.sqlite3")
    bad = tmp_path / "坏包.hdpkg"
    bad.write_bytes(b"garbage")
    code = main(["verify", "--db", str(county), str(bad)])
    err = capsys.readouterr().err
    assert code == 1 and err.strip() == "“坏包.hdpkg”被拒绝：不是有效的数据包（不是完整的zip文件）。"


def test_size_caps_are_enforced(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    county = copy_db(world.county, tmp_path / "county.sqlite3")
    before = digest(county)
    monkeypatch.setattr(pf, "MAX_PACKAGE_BYTES", 1000)
    (result,) = _merge(county, ("big.hdpkg", world.packages["wuji1"]))
    assert result.status == merge.REFUSED and "文件过大" in result.reason
    monkeypatch.setattr(pf, "MAX_PACKAGE_BYTES", 10**9)
    monkeypatch.setattr(contents, "TOTAL_BYTES", 2000)
    (result,) = _merge(county, ("wide.hdpkg", world.packages["wuji1"]))
    assert result.status == merge.REFUSED and "解压后超过" in result.reason
    assert digest(county) == before


# The 下发包's 比学赶超 standing (data/ranking.json), at the township --------------------------------
@dataclass
class ReplyWorld:
    township: Path
    reply: bytes
    county_signing: Any
    township_keys: Any


@pytest.fixture(scope="module")
def reply_world(tmp_path_factory: pytest.TempPathFactory) -> ReplyWorld:
    """A township whose 2025-06 the county accepted, and the 下发包 carrying its standing (not applied)."""
    from hengdong_desktop.services.packages import review

    d = tmp_path_factory.mktemp("hostile-reply")
    wuji = make_township(d, "吴集镇", enterprises=3, months=2, projects=1, seed=6)
    county = make_county(d, wuji)
    cdb, _ = setup.open_initialized(county)
    try:
        merge.merge_files(cdb, [export(wuji, d / "wuji.hdpkg")])
        review.review_period(cdb, "吴集镇", "2025-06", accept=True)
        sent = reply.export_reply(cdb, "吴集镇", d / "reply.hdpkg")
        signing = keys.unlock(cdb).signing
    finally:
        cdb.close()
    assert sent.standing is not None
    tdb, _ = setup.open_initialized(wuji)
    try:
        township_keys = keys.unlock(tdb)
    finally:
        tdb.close()
    return ReplyWorld(wuji, sent.path.read_bytes(), signing, township_keys)


def _standing_json(record: Any) -> bytes:
    return json.dumps([record], ensure_ascii=False).encode()


def _swell(p: Parts) -> None:  # well-formed JSON, padded past the budget
    p.plain[contents.RANKING_PATH] += b" " * 9000


def _twice(p: Parts) -> None:
    record = json.loads(p.plain[contents.RANKING_PATH])[0]
    p.plain[contents.RANKING_PATH] = json.dumps([record, record], ensure_ascii=False).encode()


def _edit_standing(change: Callable[[dict[str, Any]], Any]) -> Callable[[Parts], None]:
    def edit(p: Parts) -> None:
        record = json.loads(p.plain[contents.RANKING_PATH])[0]
        replaced = change(record)
        p.plain[contents.RANKING_PATH] = _standing_json(record if replaced is None else replaced)

    return edit


def _part(n: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    return lambda r: r["parts"][n].update(values)


STANDING_CASES: list[tuple[str, Callable[[Parts], None], str]] = [
    ("swollen", _swell, "上限8192字节"),
    ("two-records", _twice, "上限1条"),
    ("not-a-record", _edit_standing(lambda r: "第一名"), "比学赶超排名的字段不符"),
    ("unknown-field", _edit_standing(lambda r: r.update(unit_id=1)), "比学赶超排名的字段不符"),
    ("rank-beyond-ranked", _edit_standing(lambda r: r.update(rank=r["ranked"] + 1)), "“名次”（rank）"),
    ("rank-as-text", _edit_standing(lambda r: r.update(rank="1")), "“名次”（rank）"),
    ("rank-as-bool", _edit_standing(lambda r: r.update(rank=True)), "“名次”（rank）"),
    ("ranked-huge", _edit_standing(lambda r: r.update(ranked=10**6)), "“参加排名的单位数”（ranked）"),
    ("period-invalid", _edit_standing(lambda r: r.update(period="2025-13")), "“期别”（period）"),
    ("as-of-after-period", _edit_standing(lambda r: r.update(as_of="2099-01-01")), "“截至日期”（as_of）"),
    ("as-of-not-a-date", _edit_standing(lambda r: r.update(as_of="昨天")), "“截至日期”（as_of）"),
    ("basis-too-long", _edit_standing(lambda r: r.update(basis="口" * 201)), "“口径”（basis）"),
    ("basis-bidi-override", _edit_standing(lambda r: r.update(basis="只计\u202e已接收")), "U+202E"),
    ("score-not-the-sum", _edit_standing(lambda r: r.update(score="99.99")), "与各项得分不符"),
    ("score-exponent", _edit_standing(lambda r: r.update(score="1E+2")), "“得分”（score）"),
    ("score-over-100", _edit_standing(lambda r: r.update(score="100.01")), "“得分”（score）"),
    ("no-parts", _edit_standing(lambda r: r.update(parts=[])), "“得分构成”（parts）"),
    ("too-many-parts", _edit_standing(lambda r: r.update(parts=r["parts"] * 2)), "“得分构成”（parts）"),
    ("part-unknown-field", _edit_standing(_part(0, note="x")), "得分构成第1项字段不符"),
    ("part-duplicate-criterion", _edit_standing(_part(1, criterion="on_time")), "第2项“评分项”（criterion）"),
    ("part-label-too-long", _edit_standing(_part(0, label="长" * 21)), "第1项“评分项名称”（label）"),
    ("part-value-as-number", _edit_standing(_part(0, value=5)), "第1项“数值”（value）"),
    ("part-points-over-weight", _edit_standing(_part(0, points="99.00", value="1")), "超过该项权重"),
    ("part-points-without-value", _edit_standing(_part(0, value=None)), "第1项“得分”（points）"),
    ("part-weight-negative", _edit_standing(_part(0, weight=-1)), "第1项“权重”（weight）"),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), STANDING_CASES, ids=[c[0] for c in STANDING_CASES])
def test_a_bad_standing_in_a_reply_is_refused_and_nothing_applied(
    reply_world: ReplyWorld, tmp_path: Path, name: str, mutate: Callable[[Parts], None], expected: str
) -> None:
    """Even signed by the county's key (a buggy release, a stolen key), a swollen or malformed
    standing refuses the whole 下发包 with one sentence naming the field; the township is unchanged."""
    township = copy_db(reply_world.township, tmp_path / "wuji.sqlite3")
    parts = Parts.of(reply_world.reply, reply_world.county_signing, reply_world.township_keys)
    mutate(parts)
    parts.resign()
    path = tmp_path / f"{name}.hdpkg"
    path.write_bytes(parts.payload())
    before = digest(township)
    db, _ = setup.open_initialized(township)
    try:
        with pytest.raises(UserError) as refused:
            reply.apply_reply(db, path)
    finally:
        db.close()
    message = str(refused.value)
    assert message.startswith(f"“{name}.hdpkg”被拒绝：") and message.endswith("。"), message
    assert expected in message, message
    assert digest(township) == before


def test_positive_control_the_reply_put_together_again_applies_its_standing(
    reply_world: ReplyWorld, tmp_path: Path
) -> None:
    from hengdong_desktop.services import county_standing

    township = copy_db(reply_world.township, tmp_path / "wuji.sqlite3")
    parts = Parts.of(reply_world.reply, reply_world.county_signing, reply_world.township_keys)
    parts.resign()
    path = tmp_path / "control.hdpkg"
    path.write_bytes(parts.payload())
    db, _ = setup.open_initialized(township)
    try:
        assert reply.apply_reply(db, path).standing is not None
        assert county_standing.received(db) is not None
    finally:
        db.close()
