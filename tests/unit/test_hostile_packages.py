"""A battery of hostile and broken 上报包: each must be refused with a clear Chinese reason that
names the file, and must leave every table of the county database exactly as it was."""

from __future__ import annotations

import io
import json
import stat
import struct
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hengdong_desktop.services import keys, merge, setup
from hengdong_desktop.services import package_format as pf
from tests.package_support import copy_db, digest, export, make_county, make_township


@dataclass
class Parts:
    """A package taken apart: its members in order (with their zip attributes) and comment."""

    members: list[tuple[zipfile.ZipInfo, bytes]]
    comment: bytes
    private: Any = None
    patches: list[Callable[[bytes], bytes]] = field(default_factory=list)

    @classmethod
    def of(cls, payload: bytes, private: Any) -> Parts:
        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            members = [(info, zf.read(info)) for info in zf.infolist()]
            return cls(members, zf.comment, private)

    def get(self, name: str) -> bytes:
        return next(data for info, data in self.members if info.filename == name)

    def set(self, name: str, data: bytes) -> None:
        self.members = [(i, data if i.filename == name else d) for i, d in self.members]

    def remove(self, name: str) -> None:
        self.members = [(i, d) for i, d in self.members if i.filename != name]

    def add(
        self,
        name: str,
        data: bytes,
        *,
        compress: int = zipfile.ZIP_DEFLATED,
        attr: int = 0o644 << 16,
    ) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.filename = name  # as given: on Windows ZipInfo() has turned "\\" into "/"
        info.compress_type, info.external_attr = compress, attr
        self.members.append((info, data))

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads(self.get(pf.MANIFEST))

    def sign(self, manifest_bytes: bytes, private: Any = None) -> None:
        self.set(pf.MANIFEST, manifest_bytes)
        self.set(pf.SIGNATURE, (private or self.private).sign(manifest_bytes))

    def resign(
        self, change: Callable[[dict[str, Any]], None] | None = None, private: Any = None
    ) -> None:
        """Recomputes the file list from the members, applies `change`, signs again."""
        manifest = self.manifest
        names = {e["path"] for e in manifest["files"]}
        manifest["files"] = [
            {
                "path": i.filename,
                "size": len(d),
                "sha256": pf.sha256(d),
                "records": len(json.loads(d)),
            }
            for i, d in self.members
            if i.filename in names
        ]
        if change:
            change(manifest)
        self.sign(json.dumps(manifest, ensure_ascii=False).encode(), private)

    def edit_records(self, path: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
        records = json.loads(self.get(path))
        change(records)
        self.set(path, json.dumps(records, ensure_ascii=False).encode())
        self.resign()

    def payload(self) -> bytes:
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names on purpose
            with zipfile.ZipFile(buffer, "w") as zf:
                zf.comment = self.comment
                for info, data in self.members:
                    zf.writestr(info, data)
        out = buffer.getvalue()
        for patch in self.patches:
            out = patch(out)
        return out


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
    county: Path
    wuji: Path
    packages: dict[str, bytes]
    privates: dict[str, Any]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    d = tmp_path_factory.mktemp("hostile")
    wuji = make_township(d, "吴集镇", enterprises=4, months=2, projects=2, seed=3)
    mishui = make_township(d, "洣水镇", enterprises=2, months=1, projects=1, seed=4)
    shitan = make_township(d, "石滩乡", enterprises=1, months=1, projects=1, seed=5)
    county = make_county(d, wuji, mishui)
    pkgs = {
        "wuji1": export(wuji, d / "wuji1.hdpkg").read_bytes(),
        "wuji2": export(wuji, d / "wuji2.hdpkg").read_bytes(),
        "mishui": export(mishui, d / "mishui.hdpkg").read_bytes(),
        "shitan": export(shitan, d / "shitan.hdpkg").read_bytes(),
    }
    privates = {}
    for name, path in (("wuji", wuji), ("mishui", mishui)):
        db, _ = setup.open_initialized(path)
        privates[name] = keys.load_private_key(db)
        db.close()
    return World(d, county, wuji, pkgs, privates)


def _merge(county: Path, *payloads: tuple[str, bytes]) -> list[merge.FileResult]:
    paths = []
    for name, data in payloads:
        path = county.parent / name
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
        keys.revoke(db, "吴集镇", date(2001, 1, 1), "密钥泄露")
    finally:
        db.close()


def _merge_first(name: str) -> Callable[[World, Path], None]:
    def prepare(world: World, county: Path) -> None:
        assert _merge(county, (f"{name}.hdpkg", world.packages[name]))[0].status == merge.MERGED

    return prepare


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


@case("reply-not-report", "不是上报包")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(kind=pf.REPLY))


@case("bad-period", "期别无效")
def _(p: Parts, w: World) -> None:
    p.resign(lambda mf: mf.update(period="2025-13"))


# Data files and hashes ------------------------------------------------------------------------
@case("tampered-data-file", "SHA-256与清单不符")
def _(p: Parts, w: World) -> None:
    p.set(
        "data/enterprise.json",
        p.get("data/enterprise.json").replace("有限".encode(), "无限".encode(), 1),
    )


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
    p.resign(
        lambda mf: mf.update(files=[f for f in mf["files"] if f["path"] != "data/problem.json"])
    )


# Records ---------------------------------------------------------------------------------------
@case("record-extra-field", "字段不符")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(secret="x"))


@case("record-of-other-unit", "属于其他单位")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(unit_id=3))


@case("bad-credit-code", "统一社会信用代码")
def _(p: Parts, w: World) -> None:
    p.edit_records(
        "data/enterprise.json", lambda rs: rs[0].update(credit_code="91430424MA4L1234X0")
    )


@case("non-canonical-money", "四位小数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(last_year_output="12.5"))


@case("negative-money", "不能为负数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(last_year_tax="-1.0000"))


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
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(last_year_output="12.5000\n"))


@case("non-ascii-digits", "四位小数")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/enterprise.json", lambda rs: rs[0].update(last_year_output="１２.5000"))


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


@case("unexplained-warning", "未附说明")
def _(p: Parts, w: World) -> None:
    def overrun(rs: list[dict[str, Any]]) -> None:  # XM03, 核实性: needs an explanation
        rs[0]["year_plan_investment"] = f"{Decimal(rs[0]['total_investment']) + 1:.4f}"

    p.edit_records("data/project.json", overrun)


@case("bad-audit-rows", "操作日志第1条格式错误")
def _(p: Parts, w: World) -> None:
    p.edit_records("data/audit.json", lambda rs: rs.insert(0, {"oops": 1}))


# The ledger and ownership at the county --------------------------------------------------------
@case("rollback-to-older-sequence", "拒绝回退", prepare=_merge_first("wuji2"))
def _(p: Parts, w: World) -> None:
    pass


@case("same-id-other-content", "相同而内容不同", prepare=_merge_first("wuji1"))
def _(p: Parts, w: World) -> None:
    p.edit_records("data/problem.json", lambda rs: rs[0].update(description="改过的问题描述"))


@case("broken-chain", "不衔接", prepare=_merge_first("wuji1"))
def _(p: Parts, w: World) -> bytes:
    q = Parts.of(w.packages["wuji2"], w.privates["wuji"])
    q.resign(lambda mf: mf.update(previous_sha256="0" * 64))
    return q.payload()


@case("record-owned-by-other-unit", "属于其他单位", prepare=_merge_first("mishui"))
def _(p: Parts, w: World) -> None:
    stolen = json.loads(Parts.of(w.packages["mishui"], None).get("data/enterprise.json"))[0]["id"]
    p.edit_records(
        "data/enterprise.json",
        lambda rs: rs.append(dict(rs[0], id=stolen, credit_code=rs[0]["credit_code"])),
    )


def test_the_battery_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(
    ("name", "mutate", "expected", "prepare"), CASES, ids=[c[0] for c in CASES]
)
def test_hostile_package_is_refused_and_changes_nothing(
    world: World,
    tmp_path: Path,
    name: str,
    mutate: Mutation,
    expected: str,
    prepare: Callable[[World, Path], None] | None,
) -> None:
    county = copy_db(world.county, tmp_path / "county.sqlite3")
    if prepare is not None:
        prepare(world, county)
    parts = Parts.of(world.packages["wuji1"], world.privates["wuji"])
    replaced = mutate(parts, world)
    payload = replaced if isinstance(replaced, bytes) else parts.payload()
    before = digest(county)
    (result,) = _merge(county, (f"{name}.hdpkg", payload))
    assert result.status == merge.REFUSED, result.describe()
    assert expected in result.reason, result.reason
    assert digest(county) == before


def test_refusal_names_the_file_in_one_sentence(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from hengdong_desktop.cli import main

    county = copy_db(world.county, tmp_path / "county.sqlite3")
    bad = tmp_path / "坏包.hdpkg"
    bad.write_bytes(b"garbage")
    code = main(["verify", "--db", str(county), str(bad)])
    err = capsys.readouterr().err
    assert (
        code == 1 and err.strip() == "“坏包.hdpkg”被拒绝：不是有效的数据包（不是完整的zip文件）。"
    )


def test_size_caps_are_enforced(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    county = copy_db(world.county, tmp_path / "county.sqlite3")
    before = digest(county)
    monkeypatch.setattr(pf, "MAX_PACKAGE_BYTES", 1000)
    (result,) = _merge(county, ("big.hdpkg", world.packages["wuji1"]))
    assert result.status == merge.REFUSED and "文件过大" in result.reason
    monkeypatch.setattr(pf, "MAX_PACKAGE_BYTES", 10**9)
    monkeypatch.setattr(pf, "MAX_TOTAL_BYTES", 2000)
    (result,) = _merge(county, ("wide.hdpkg", world.packages["wuji1"]))
    assert result.status == merge.REFUSED and "总大小超过上限" in result.reason
    assert digest(county) == before
