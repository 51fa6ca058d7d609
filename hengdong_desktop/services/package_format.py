"""The .hdpkg file format, shared by the township's 上报包 and the county's 下发包.

A zip holding `manifest.json`, `manifest.sig` (the raw 64-byte Ed25519 signature over the exact
bytes of manifest.json, so `openssl pkeyutl -verify -rawin` checks it), for a 下发包 the
county's `signer.pem`, and the data files the manifest lists with size, SHA-256 and record count.

Reading is hostile-input code: the archive directory is checked before any member is read, the
signature before any JSON is parsed, and JSON is parsed strictly. Every refusal is a
`PackageProblem` whose text completes ““文件名”被拒绝：…”."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hengdong_desktop import __version__
from hengdong_desktop.db.codec import MAX_INT, CodecProblem, datetime_in
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import keys

FORMAT = "hengdong-package"
FORMAT_VERSION = 1  # the container: members, manifest, signature
SCHEMA_VERSION = 1  # the data files: entities and their fields
REPORT, REPLY = "report", "reply"
SUFFIX = ".hdpkg"
MANIFEST, SIGNATURE, SIGNER = "manifest.json", "manifest.sig", "signer.pem"
# The zip comment "hengdong-key:<key id> <sequence>" says which enrolled key to try first and
# lets a batch be merged in sequence order. A hint only: the signed manifest decides.
KEY_HINT = b"hengdong-key:"

MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 32
MAX_MEMBER_BYTES = 400 * 1024 * 1024
MAX_TOTAL_BYTES = 800 * 1024 * 1024
MAX_RATIO = 100
MAX_MANIFEST_BYTES = 1024 * 1024
# Matched in full (`fullmatch`): a `$` would also let a trailing newline through.
_DATA_PATH = re.compile(r"data/[a-z_]{1,40}\.json")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DRIVE = re.compile(r"^[A-Za-z]:")


class PackageProblem(CodecProblem):
    """Why a package is refused; str() completes ““文件名”被拒绝：…”."""


def refused(file_name: str, problem: CodecProblem | str) -> UserError:
    return UserError(f"“{file_name}”被拒绝：{problem}。")


# Strict JSON -----------------------------------------------------------------------------------
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # built in C; only a duplicate makes it shorter than the pairs
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise PackageProblem(f"JSON中有重复的键“{key}”")
            seen.add(key)
    return out


def _no_constant(name: str) -> Any:
    raise PackageProblem(f"JSON中含有非数字值{name}")


def _no_float(text: str) -> Any:
    raise PackageProblem(f"JSON中的数字“{text[:20]}”不是整数（金额须写成字符串）")


def strict_json(data: bytes) -> Any:
    """UTF-8 JSON with no duplicate keys, no NaN/Infinity and no floats. Integers are bounded
    where they are used (the codec, the manifest checks)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageProblem("文件不是UTF-8编码的JSON") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_float=_no_float,
        )
    except json.JSONDecodeError as exc:
        raise PackageProblem(f"JSON格式错误（第{exc.lineno}行第{exc.colno}列）") from None
    except ValueError:  # an integer longer than Python's digit limit
        raise PackageProblem("JSON中的数字过大") from None
    except RecursionError:
        raise PackageProblem("JSON嵌套过深") from None


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.fullmatch(value))


# Writing -----------------------------------------------------------------------------------------
def write_package(
    out: Path,
    manifest: dict[str, Any],
    files: Mapping[str, tuple[bytes, int]],
    private: Ed25519PrivateKey,
    *,
    signer_pem: str | None = None,
) -> tuple[str, bytes]:
    """Completes the manifest's file list, signs it and writes the zip through a temporary file,
    synced, then renamed. Returns (SHA-256 of the package, the manifest bytes)."""
    manifest = dict(manifest)
    manifest["files"] = [
        {"path": path, "size": len(data), "sha256": sha256(data), "records": count}
        for path, (data, count) in files.items()
    ]
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode(
        "utf-8"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.comment = KEY_HINT + f"{manifest['key_id']} {manifest['sequence']}".encode("ascii")
        members = [(MANIFEST, manifest_bytes), (SIGNATURE, private.sign(manifest_bytes))]
        if signer_pem is not None:
            members.append((SIGNER, signer_pem.encode("ascii")))
        members.extend((path, data) for path, (data, _n) in files.items())
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    payload = buffer.getvalue()
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    try:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"无法写入“{out}”：{exc.strerror or exc}。") from None
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        fd = os.open(out.parent, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    return sha256(payload), manifest_bytes


# Reading ---------------------------------------------------------------------------------------
@dataclass
class OpenedPackage:
    """A package whose archive, signature, manifest and file hashes have all been checked."""

    file_name: str
    sha256: str
    size: int
    manifest: dict[str, Any]
    key_id: str
    data: dict[str, Any] = field(default_factory=dict)  # data path → parsed JSON
    raw: dict[str, bytes] = field(default_factory=dict)  # data path → bytes
    deflated: dict[str, bytes] = field(default_factory=dict)  # data path → as stored, if deflated
    signer_pem: str | None = None

    def zlib_member(self, data_path: str) -> bytes:
        """A data file as a zlib stream (what `zlib.decompress` reads): the archive's own deflate
        stream between a zlib header and the Adler-32 of the data, so a large file is kept
        compressed without compressing it again; compressed anew if it was stored."""
        data, stream = self.raw[data_path], self.deflated.get(data_path)
        if stream is None:
            return zlib.compress(data, 1)
        return _ZLIB_HEADER + stream + zlib.adler32(data).to_bytes(4, "big")

    @property
    def package_id(self) -> str:
        return str(self.manifest["package_id"])

    @property
    def unit_id(self) -> int:
        return int(self.manifest["unit"]["id"])

    @property
    def sequence(self) -> int:
        return int(self.manifest["sequence"])

    @property
    def created_at(self) -> datetime:
        return datetime_in(self.manifest["created_at"])


@dataclass(frozen=True)
class KnownKey:
    key_id: str
    unit_id: int
    public: Ed25519PublicKey
    revoked_at: datetime | None = None


def _check_directory(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageProblem(f"压缩包内文件过多（{len(infos)}个，最多{MAX_ENTRIES}个）")
    by_name: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        stored = info.orig_filename  # on Windows zipfile has turned "\\" into "/" in filename
        if any(ord(ch) < 32 for ch in stored) or name == "":
            raise PackageProblem("压缩包内有名称含控制字符的文件")
        if "\\" in stored:
            raise PackageProblem(f"压缩包内的文件名“{stored}”含反斜杠路径")
        if name.startswith("/") or _DRIVE.match(name):
            raise PackageProblem(f"压缩包内的文件名“{name}”是绝对路径")
        if any(part in ("..", ".", "") for part in name.rstrip("/").split("/")):
            raise PackageProblem(f"压缩包内的文件名“{name}”含路径穿越")
        if info.is_dir():
            raise PackageProblem(f"压缩包内有文件夹条目“{name}”")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageProblem(f"压缩包内的“{name}”是符号链接")
        if info.flag_bits & 0x1:
            raise PackageProblem(f"压缩包内的“{name}”已加密")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageProblem(f"压缩包内的“{name}”使用了不支持的压缩方式")
        if name in by_name:
            raise PackageProblem(f"压缩包内有重名文件“{name}”")
        if name.casefold() in folded:
            raise PackageProblem(f"压缩包内有仅大小写不同的文件名“{name}”")
        if info.file_size > MAX_MEMBER_BYTES:
            raise PackageProblem(f"压缩包内的“{name}”过大")
        if info.file_size > max(info.compress_size, 1) * MAX_RATIO and info.file_size > 1024 * 1024:
            raise PackageProblem(f"压缩包内的“{name}”压缩比异常（疑似压缩炸弹）")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise PackageProblem("压缩包解压后总大小超过上限")
        by_name[name] = info
        folded.add(name.casefold())
    return by_name


# A zlib stream's header: deflate with a 32 KB window (what zip members use), no dictionary.
_ZLIB_HEADER = b"\x78\x01"


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise PackageProblem(f"“{info.filename}”过大")
    try:
        with zf.open(info) as fh:
            data = fh.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError):
        raise PackageProblem(f"压缩包内的“{info.filename}”已损坏") from None
    if len(data) != info.file_size:
        raise PackageProblem(f"压缩包内的“{info.filename}”大小与目录记载不符")
    return data


def _read_data_member(payload: bytes, info: zipfile.ZipInfo) -> tuple[bytes, bytes | None]:
    """A data file's bytes, and its deflate stream as stored when it is deflated. Read from the
    archive directly (to keep that stream), with the checks zipfile makes — local header, size,
    CRC-32 — and the stream must end exactly where the directory says it does."""
    if info.file_size > MAX_MEMBER_BYTES:
        raise PackageProblem(f"“{info.filename}”过大")
    broken = PackageProblem(f"压缩包内的“{info.filename}”已损坏")
    at = info.header_offset
    header = payload[at : at + 30]
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise broken
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    name = payload[at + 30 : at + 30 + name_length]
    if name.decode("utf-8" if info.flag_bits & 0x800 else "cp437") != info.orig_filename:
        raise broken
    start = at + 30 + name_length + extra_length
    stored = payload[start : start + info.compress_size]
    if len(stored) != info.compress_size:
        raise broken
    stream: bytes | None = None
    if info.compress_type == zipfile.ZIP_STORED:
        data = stored
    else:  # ZIP_DEFLATED: the directory check admits no other method
        inflate = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflate.decompress(stored, info.file_size + 1)
        except zlib.error:
            raise broken from None
        if not inflate.eof or inflate.unused_data or inflate.unconsumed_tail:
            raise broken
        stream = stored
    if len(data) != info.file_size:
        raise PackageProblem(f"压缩包内的“{info.filename}”大小与目录记载不符")
    if zlib.crc32(data) != info.CRC:
        raise broken
    return data, stream


def _require(manifest: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = manifest.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PackageProblem(f"清单缺少或写错了{what}（{key}）")
    if isinstance(value, int) and abs(value) >= MAX_INT:
        raise PackageProblem(f"清单中的{what}数值过大")
    return value


def check_manifest(manifest: Any, kind: str) -> None:
    """The manifest's shape and versions (after the signature has been verified)."""
    if not isinstance(manifest, dict):
        raise PackageProblem("清单manifest.json不是JSON对象")
    if manifest.get("format") != FORMAT:
        raise PackageProblem("不是本系统的数据包（格式标识不符）")
    version = _require(manifest, "format_version", int, "格式版本")
    if version > FORMAT_VERSION:
        raise PackageProblem(
            f"数据包格式版本{version}比本程序支持的{FORMAT_VERSION}新，请升级本程序"
        )
    if version < 1:
        raise PackageProblem(f"数据包格式版本{version}无效")
    schema = _require(manifest, "schema_version", int, "数据结构版本")
    if schema > SCHEMA_VERSION:
        raise PackageProblem(f"数据结构版本{schema}比本程序支持的{SCHEMA_VERSION}新，请升级本程序")
    if schema < 1:
        raise PackageProblem(f"数据结构版本{schema}无效")
    if manifest.get("kind") != kind:
        expected = "上报包" if kind == REPORT else "下发包"
        raise PackageProblem(f"不是{expected}")
    if not is_uuid(manifest.get("package_id")):
        raise PackageProblem("清单中的包编号无效")
    unit = manifest.get("unit")
    if (
        not isinstance(unit, dict)
        or not isinstance(unit.get("id"), int)
        or isinstance(unit.get("id"), bool)
        or not 0 < unit["id"] < MAX_INT
    ):
        raise PackageProblem("清单缺少填报单位")
    sequence = _require(manifest, "sequence", int, "序号")
    if sequence < 1:
        raise PackageProblem(f"序号{sequence}无效")
    prev = manifest.get("previous_sha256")
    if prev is not None and not (isinstance(prev, str) and _SHA256.fullmatch(prev)):
        raise PackageProblem("清单中的上一包SHA-256无效")
    period = manifest.get("period")
    if period is not None:
        from hengdong_desktop.domain import periods

        if not isinstance(period, str) or not periods.is_period(period):
            raise PackageProblem("清单中的期别无效")
    try:
        datetime_in(manifest.get("created_at"))
    except ValueError:
        raise PackageProblem("清单中的创建时间无效") from None
    _require(manifest, "key_id", str, "密钥编号")
    files = _require(manifest, "files", list, "文件列表")
    seen: set[str] = set()
    for entry in files:
        if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256", "records"}:
            raise PackageProblem("清单中的文件列表格式错误")
        path = entry["path"]
        if not isinstance(path, str) or not _DATA_PATH.fullmatch(path) or path in seen:
            raise PackageProblem(f"清单中的文件名“{str(path)[:60]}”无效或重复")
        seen.add(path)
        if not all(
            isinstance(entry[k], int) and not isinstance(entry[k], bool) and 0 <= entry[k] < MAX_INT
            for k in ("size", "records")
        ):
            raise PackageProblem(f"清单中“{path}”的大小或记录数无效")
        if not isinstance(entry["sha256"], str) or not _SHA256.fullmatch(entry["sha256"]):
            raise PackageProblem(f"清单中“{path}”的SHA-256无效")


def open_package(
    path: Path,
    kind: str,
    known_keys: Mapping[str, KnownKey] | None = None,
    *,
    pinned_key: str | None = None,
) -> OpenedPackage:
    """Reads and checks a package completely; raises a UserError naming the file and the reason.

    A 上报包 must be signed by one of `known_keys` (the county's enrolled unit keys); a 下发包 by
    the key in its `signer.pem`, which must equal `pinned_key` when the township has pinned one."""
    path = Path(path)
    name = path.name
    try:
        return _open(path, kind, known_keys or {}, pinned_key)
    except PackageProblem as problem:
        raise refused(name, problem) from None


def _open(
    path: Path, kind: str, known_keys: Mapping[str, KnownKey], pinned_key: str | None
) -> OpenedPackage:
    try:
        if not path.is_file():
            raise PackageProblem("文件不存在或不是普通文件")
        size = path.stat().st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageProblem(
                f"文件过大（{size // (1024 * 1024)}MB，上限{MAX_PACKAGE_BYTES // (1024 * 1024)}MB）"
            )
        payload = path.read_bytes()
    except OSError as exc:
        raise PackageProblem(f"无法读取文件（{exc.strerror or exc}）") from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise PackageProblem("不是有效的数据包（不是完整的zip文件）") from None
    with zf:
        members = _check_directory(zf)
        for required in (MANIFEST, SIGNATURE):
            if required not in members:
                raise PackageProblem(f"数据包缺少{required}")
        manifest_bytes = _read_member(zf, members[MANIFEST], MAX_MANIFEST_BYTES)
        signature = _read_member(zf, members[SIGNATURE], 64)
        if len(signature) != 64:
            raise PackageProblem("签名文件manifest.sig长度不是64字节")
        signer_pem: str | None = None
        if kind == REPLY:
            if SIGNER not in members:
                raise PackageProblem("下发包缺少县级公钥signer.pem")
            signer_bytes = _read_member(zf, members[SIGNER], 4096)
            try:
                public = keys.load_public(signer_bytes)
            except (ValueError, TypeError):
                raise PackageProblem("signer.pem不是有效的Ed25519公钥") from None
            signer_pem = keys.public_pem(public)
            if pinned_key is not None and signer_pem != pinned_key:
                raise PackageProblem(
                    "下发包的签名密钥与本机记录的县级密钥不一致，可能不是县里发出的"
                )
            if not keys.verify(public, signature, manifest_bytes):
                raise PackageProblem("签名验证失败，清单manifest.json已被改动或签名错误")
            signer_id = keys.key_id(public)
        else:
            signer = _find_signer(zf.comment, signature, manifest_bytes, known_keys)
            signer_id = signer.key_id
        # Only now, with the signature verified, is any JSON parsed.
        manifest = strict_json(manifest_bytes)
        check_manifest(manifest, kind)
        if manifest["key_id"] != signer_id:
            raise PackageProblem("清单中的密钥编号与签名密钥不符")
        if kind == REPORT:
            signer = known_keys[signer_id]
            if manifest["unit"]["id"] != signer.unit_id:
                raise PackageProblem("签名密钥登记的单位与清单中的填报单位不符")
            created = datetime_in(manifest["created_at"])
            if signer.revoked_at is not None and created >= signer.revoked_at:
                raise PackageProblem(
                    f"签名密钥已于{signer.revoked_at.astimezone(keys.CHINA_TZ):%Y-%m-%d}吊销，该包创建于吊销之后"
                )
        listed = {entry["path"]: entry for entry in manifest["files"]}
        allowed = {MANIFEST, SIGNATURE, *listed} | ({SIGNER} if kind == REPLY else set())
        extra = sorted(set(members) - allowed)
        if extra:
            raise PackageProblem(f"数据包含有清单未列出的文件“{extra[0]}”")
        opened = OpenedPackage(
            path.name, sha256(payload), len(payload), manifest, signer_id, signer_pem=signer_pem
        )
        for data_path, entry in listed.items():
            info = members.get(data_path)
            if info is None:
                raise PackageProblem(f"数据包缺少清单列出的“{data_path}”")
            if info.file_size != entry["size"]:
                raise PackageProblem(f"“{data_path}”的大小与清单不符")
            data, stream = _read_data_member(payload, info)
            if sha256(data) != entry["sha256"]:
                raise PackageProblem(f"“{data_path}”的SHA-256与清单不符，文件已被改动")
            parsed = strict_json(data)
            if not isinstance(parsed, list) or len(parsed) != entry["records"]:
                raise PackageProblem(f"“{data_path}”的记录数与清单不符")
            opened.data[data_path] = parsed
            opened.raw[data_path] = data
            if stream is not None:
                opened.deflated[data_path] = stream
    return opened


def _find_signer(
    comment: bytes, signature: bytes, manifest_bytes: bytes, known: Mapping[str, KnownKey]
) -> KnownKey:
    """The enrolled key whose signature this is: the one the zip comment names, else any."""
    hint = read_hint(comment)[0]
    if hint is not None and hint not in known:
        raise PackageProblem(f"签名密钥{hint[:16]}未在县级登记（请先登记该单位的密钥）")
    candidates: Iterable[KnownKey] = [known[hint]] if hint is not None else known.values()
    for key in candidates:
        if keys.verify(key.public, signature, manifest_bytes):
            return key
    if hint is not None:
        raise PackageProblem("签名验证失败，清单manifest.json已被改动或签名错误")
    raise PackageProblem("签名与任何已登记的密钥都不匹配（文件被改动，或发送单位的密钥未登记）")


def read_hint(comment: bytes) -> tuple[str | None, int | None]:
    """(key id, sequence) from a package's zip comment, when it has the hint."""
    if not comment.startswith(KEY_HINT):
        return None, None
    parts = comment[len(KEY_HINT) :].decode("ascii", "replace").split()
    sequence = parts[1] if len(parts) > 1 else ""
    return (parts[0] if parts else ""), (
        int(sequence) if sequence.isdigit() and len(sequence) < 10 else None
    )


def batch_order(path: Path) -> tuple[str, int]:
    """Where a file goes when a batch is merged: grouped by signing key, in sequence order
    (read from the unsigned hint; files without one keep their place at the front)."""
    try:
        with zipfile.ZipFile(path) as zf:
            key, sequence = read_hint(zf.comment)
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return "", 0
    return key or "", sequence or 0


def app_fields() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
    }
