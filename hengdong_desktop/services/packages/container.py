"""The .hdpkg file, shared by the township's 上报包 and the county's 下发包.

A zip holding `manifest.json`, `manifest.sig` (the raw 64-byte Ed25519 signature over the exact
bytes of manifest.json, so `openssl pkeyutl -verify -rawin` checks it), for a 下发包 the
county's `signer.pem`, and the data files the manifest lists.

Format 2 (written now): each data file is zlib-compressed and sealed to the recipient's X25519
key (services/packages/crypto.py); the manifest, in clear, holds only what routing and checking
need (unit, key, sequence, predecessor, periods, the encryption header and, per file, its
plaintext size, record count and the SHA-256 of the sealed member). Format 1 (read only): data
files in clear, deflated by the zip, the manifest holding their SHA-256.

Reading is hostile-input code: only a regular file is opened; the archive directory is checked
before any member is read, the signature before any JSON is parsed, the signer before any data
file is opened, every file's declared size and records against the caller's budget before
anything is decompressed, and decompression never produces more than was declared. Every
refusal is a `PackageProblem` whose text completes ““文件名”被拒绝：…”."""

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
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from hengdong_desktop import __version__
from hengdong_desktop.db.codec import MAX_INT, CodecProblem, datetime_in
from hengdong_desktop.domain.text import forbidden_in
from hengdong_desktop.errors import UserError, os_error_sentence
from hengdong_desktop.services.packages import crypto
from hengdong_desktop.services.packages.strict_json import PackageProblem, strict_json

FORMAT = "hengdong-package"
FORMAT_VERSION = 2  # written; the container: members, manifest, signature, sealing
READABLE_VERSIONS = (1, 2)
SCHEMA_VERSION = 4  # the data files: entities and their fields (1-3: services/record_upgrade.py)
# 上报包 (unit → county), 下发包 (county → one unit), 基础数据下发包 (county → every unit: reference
# data only, signed but not sealed, as it holds nothing private).
REPORT, REPLY, REFERENCE = "report", "reply", "reference"
KIND_LABELS = {REPORT: "上报包", REPLY: "下发包", REFERENCE: "基础数据下发包"}
FROM_COUNTY = (REPLY, REFERENCE)
SUFFIX = ".hdpkg"
MANIFEST, SIGNATURE, SIGNER = "manifest.json", "manifest.sig", "signer.pem"
# The zip comment "hengdong-key:<key id> <sequence>" says which enrolled key to try first and
# lets a batch be merged in sequence order. A hint only: the signed manifest decides.
KEY_HINT = b"hengdong-key:"

MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 32
MAX_RATIO = 100  # format 1: a deflated member may not claim more than 100× its stored size
MAX_MANIFEST_BYTES = 1024 * 1024
# Matched in full (`fullmatch`): a `$` would also let a trailing newline through.
_DATA_PATH = re.compile(r"data/[a-z_]{1,40}\.json")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DRIVE = re.compile(r"^[A-Za-z]:")


def refused(file_name: str, problem: CodecProblem | str) -> UserError:
    return UserError(f"“{file_name}”被拒绝：{problem}。")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.fullmatch(value))


@dataclass(frozen=True)
class Listed:
    """A data file as the manifest lists it: plaintext size and records, SHA-256 as stored."""

    path: str
    size: int
    records: int
    sha256: str


# What the caller allows a package to hold, checked on the declared sizes before reading.
Budget = Callable[[list[Listed]], None]


# Reading a file from a USB stick or a mail folder safely ---------------------------------------
def open_regular(path: Path) -> BinaryIO:
    """Opens `path` for reading only if it is a regular file (never blocks on a FIFO or a
    device); PackageProblem otherwise."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    not_a_file = PackageProblem("不是普通文件（是文件夹、设备或管道）")
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise PackageProblem("文件不存在") from None
    except OSError as exc:
        if path.is_dir():  # Windows refuses to open a folder at all (PermissionError)
            raise not_a_file from None
        raise PackageProblem(os_error_sentence(exc, path.name, "读取").removesuffix("。")) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise not_a_file
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_payload(path: Path) -> bytes:
    with open_regular(path) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > MAX_PACKAGE_BYTES:
            raise PackageProblem(f"文件过大（{size // (1024 * 1024)}MB，上限{MAX_PACKAGE_BYTES // (1024 * 1024)}MB）")
        try:
            data = fh.read(MAX_PACKAGE_BYTES + 1)
        except OSError as exc:
            raise PackageProblem(os_error_sentence(exc, path.name, "读取").removesuffix("。")) from None
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageProblem("文件过大")
    return data


# Writing -----------------------------------------------------------------------------------------
@dataclass
class PendingFile:
    """A written, synced package under a temporary name: `publish` gives it its final name once
    the ledger has recorded it, `discard` removes it if that failed."""

    part: Path
    final: Path
    sha256: str
    manifest_sha256: str

    def publish(self) -> None:
        try:
            os.replace(self.part, self.final)
        except OSError as exc:
            raise UserError(os_error_sentence(exc, self.final)) from None
        _sync_folder(self.final.parent)

    def discard(self) -> None:
        with suppress(OSError):
            self.part.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # makes a rename durable (POSIX)
        fd = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def part_path(out: Path) -> Path:
    return out.with_name(out.name + ".part")


def write_package(
    out: Path,
    manifest: dict[str, Any],
    files: Mapping[str, tuple[bytes, int]],
    signing: Ed25519PrivateKey,
    *,
    recipient: X25519PublicKey | None,
    signer_pem: str | None = None,
) -> PendingFile:
    """Seals each data file to `recipient` (a 基础数据下发包, for everyone, has none: its files are
    only compressed), completes and signs the manifest, and writes the zip to `<out>.part`,
    synced. Nothing is at `out` until the caller publishes it."""
    sealer = crypto.Sealer(recipient) if recipient is not None else None
    manifest = dict(manifest) | {
        "format_version": FORMAT_VERSION,
        "encryption": sealer.header() if sealer is not None else None,
    }
    package_id = manifest["package_id"]
    members: list[tuple[str, bytes]] = []
    listed = []
    for path, (data, count) in files.items():
        stored = sealer.seal(package_id, path, data) if sealer is not None else zlib.compress(data, 6)
        members.append((path, stored))
        listed.append({"path": path, "size": len(data), "records": count, "sha256": sha256(stored)})
    manifest["files"] = listed
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    head = [(MANIFEST, manifest_bytes), (SIGNATURE, signing.sign(manifest_bytes))]
    if signer_pem is not None:
        head.append((SIGNER, signer_pem.encode("ascii")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.comment = KEY_HINT + f"{manifest['key_id']} {manifest['sequence']}".encode("ascii")
        for name, data in head + members:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            # The sealed members do not compress; the manifest and key are small.
            info.compress_type = zipfile.ZIP_DEFLATED if name == MANIFEST else zipfile.ZIP_STORED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)
    payload = buffer.getvalue()
    out = Path(out)
    part = part_path(out)
    try:
        with open(part, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        with suppress(OSError):  # on a read-only stick there is nothing to remove either
            part.unlink(missing_ok=True)
        raise UserError(os_error_sentence(exc, out)) from None
    return PendingFile(part, out, sha256(payload), sha256(manifest_bytes))


# Reading ---------------------------------------------------------------------------------------
@dataclass
class OpenedPackage:
    """A package whose archive, signature, signer, manifest, budget and file hashes have all
    been checked, with its data files parsed."""

    file_name: str
    sha256: str
    size: int
    manifest: dict[str, Any]
    manifest_sha256: str
    key_id: str
    data: dict[str, Any] = field(default_factory=dict)  # data path → parsed JSON
    compressed: dict[str, bytes] = field(default_factory=dict)  # data path → zlib stream
    signer_pem: str | None = None

    @property
    def format_version(self) -> int:
        return int(self.manifest["format_version"])

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

    @property
    def previous(self) -> dict[str, Any] | None:
        """The package this one follows: {sequence, package_id, manifest_sha256} (format 2) or
        {sequence, sha256} (format 1, where the file's own SHA-256 links the chain)."""
        if self.format_version >= 2:
            return self.manifest.get("previous")
        prev = self.manifest.get("previous_sha256")
        return None if prev is None else {"sequence": self.sequence - 1, "sha256": prev}

    @property
    def training(self) -> bool:
        return bool(self.manifest.get("training", False))

    def zlib_member(self, data_path: str) -> bytes:
        return self.compressed[data_path]


@dataclass(frozen=True)
class KnownKey:
    """An enrolled key, whatever its status: the signature is checked first, the status after
    (services/packages/ledger.py), so a refusal can say the key was revoked or replaced."""

    key_id: str
    unit_id: int
    public: Ed25519PublicKey


def _check_directory(zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageProblem(f"压缩包内文件过多（{len(infos)}个，最多{MAX_ENTRIES}个）")
    by_name: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    for info in infos:
        name = info.filename
        # zipfile turns "\" into "/" on Windows: look at the name as stored too.
        stored = info.orig_filename
        if any(ord(ch) < 32 for ch in stored) or name == "" or forbidden_in(stored):
            raise PackageProblem("压缩包内有名称含控制字符或不允许字符的文件")
        if "\\" in stored:
            raise PackageProblem(f"压缩包内的文件名“{stored[:60]}”含反斜杠路径")
        if name.startswith("/") or _DRIVE.match(name):
            raise PackageProblem(f"压缩包内的文件名“{name[:60]}”是绝对路径")
        if any(part in ("..", ".", "") for part in name.rstrip("/").split("/")):
            raise PackageProblem(f"压缩包内的文件名“{name[:60]}”含路径穿越")
        if info.is_dir():
            raise PackageProblem(f"压缩包内有文件夹条目“{name[:60]}”")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageProblem(f"压缩包内的“{name[:60]}”是符号链接")
        if info.flag_bits & 0x1:
            raise PackageProblem(f"压缩包内的“{name[:60]}”已加密")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise PackageProblem(f"压缩包内的“{name[:60]}”使用了不支持的压缩方式")
        if name in by_name:
            raise PackageProblem(f"压缩包内有重名文件“{name[:60]}”")
        if name.casefold() in folded:
            raise PackageProblem(f"压缩包内有仅大小写不同的文件名“{name[:60]}”")
        if info.file_size > MAX_PACKAGE_BYTES * MAX_RATIO:
            raise PackageProblem(f"压缩包内的“{name[:60]}”过大")
        if info.file_size > max(info.compress_size, 1) * MAX_RATIO and info.file_size > 1024 * 1024:
            raise PackageProblem(f"压缩包内的“{name[:60]}”压缩比异常（疑似压缩炸弹）")
        by_name[name] = info
        folded.add(name.casefold())
    return by_name


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


def _stored_member(payload: bytes, info: zipfile.ZipInfo) -> tuple[bytes, bytes | None]:
    """A member's bytes as stored in the archive (read directly, so a deflated member's own
    deflate stream is kept), and for a deflated member the inflated bytes. The checks zipfile
    makes — local header, sizes, CRC-32 — are made here; the stream must end where the
    directory says."""
    broken = PackageProblem(f"压缩包内的“{info.filename}”已损坏")
    at = info.header_offset
    header = payload[at : at + 30]
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise broken
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    name = payload[at + 30 : at + 30 + name_length]
    if name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace") != info.orig_filename:
        raise broken
    start = at + 30 + name_length + extra_length
    stored = payload[start : start + info.compress_size]
    if len(stored) != info.compress_size:
        raise broken
    if info.compress_type == zipfile.ZIP_STORED:
        data = stored
        inflated = None
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        try:
            data = inflater.decompress(stored, info.file_size + 1)
        except zlib.error:
            raise broken from None
        if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
            raise broken
        inflated = data
    if len(data) != info.file_size:
        raise PackageProblem(f"压缩包内的“{info.filename}”大小与目录记载不符")
    if zlib.crc32(data) != info.CRC:
        raise broken
    return stored, inflated


def _require(manifest: dict[str, Any], key: str, kind: type | tuple[type, ...], what: str) -> Any:
    value = manifest.get(key)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise PackageProblem(f"清单缺少或写错了{what}（{key}）")
    if isinstance(value, int) and abs(value) >= MAX_INT:
        raise PackageProblem(f"清单中的{what}数值过大")
    return value


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < MAX_INT


def check_manifest(manifest: Any, kind: str) -> None:
    """The manifest's shape and versions (after the signature has been verified)."""
    if not isinstance(manifest, dict):
        raise PackageProblem("清单manifest.json不是JSON对象")
    if manifest.get("format") != FORMAT:
        raise PackageProblem("不是本系统的数据包（格式标识不符）")
    version = _require(manifest, "format_version", int, "格式版本")
    if version > FORMAT_VERSION:
        raise PackageProblem(f"数据包格式版本{version}比本程序支持的{FORMAT_VERSION}新，请升级本程序")
    if version not in READABLE_VERSIONS:
        raise PackageProblem(f"数据包格式版本{version}无效")
    schema = _require(manifest, "schema_version", int, "数据结构版本")
    if schema > SCHEMA_VERSION:
        raise PackageProblem(f"数据结构版本{schema}比本程序支持的{SCHEMA_VERSION}新，请升级本程序")
    if schema < 1:
        raise PackageProblem(f"数据结构版本{schema}无效")
    if manifest.get("kind") != kind and not (kind == REPLY and manifest.get("kind") in FROM_COUNTY):
        raise PackageProblem(_wrong_kind(kind))
    if not is_uuid(manifest.get("package_id")):
        raise PackageProblem("清单中的包编号无效")
    unit = manifest.get("unit")
    if not isinstance(unit, dict) or not _count(unit.get("id")) or not unit["id"]:
        raise PackageProblem("清单缺少填报单位")
    sequence = _require(manifest, "sequence", int, "序号")
    if sequence < 1:
        raise PackageProblem(f"序号{sequence}无效")
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
    if version == 1:
        _check_v1(manifest)
    else:
        _check_v2(manifest, sequence)
    files = _require(manifest, "files", list, "文件列表")
    seen: set[str] = set()
    for entry in files:
        if not isinstance(entry, dict) or set(entry) != {"path", "size", "sha256", "records"}:
            raise PackageProblem("清单中的文件列表格式错误")
        path = entry["path"]
        if not isinstance(path, str) or not _DATA_PATH.fullmatch(path) or path in seen:
            raise PackageProblem(f"清单中的文件名“{str(path)[:60]}”无效或重复")
        seen.add(path)
        if not (_count(entry["size"]) and _count(entry["records"])):
            raise PackageProblem(f"清单中“{path}”的大小或记录数无效")
        if not isinstance(entry["sha256"], str) or not _SHA256.fullmatch(entry["sha256"]):
            raise PackageProblem(f"清单中“{path}”的SHA-256无效")


def _wrong_kind(expected: str) -> str:
    if expected == REPORT:
        return "这是县级下发包，应在乡镇的“上报”页面应用，县级导入只接收乡镇的上报包"
    return "这是乡镇的上报包，应在县级“导入”页面合并，乡镇只应用县级下发包"


def _check_v1(manifest: dict[str, Any]) -> None:
    prev = manifest.get("previous_sha256")
    if prev is not None and not (isinstance(prev, str) and _SHA256.fullmatch(prev)):
        raise PackageProblem("清单中的上一包SHA-256无效")


def _check_v2(manifest: dict[str, Any], sequence: int) -> None:
    prev = manifest.get("previous")
    if prev is not None and (
        not isinstance(prev, dict)
        or set(prev) != {"sequence", "package_id", "manifest_sha256"}
        or not _count(prev["sequence"])
        or not 0 < prev["sequence"] < sequence
        or not is_uuid(prev["package_id"])
        or not (
            prev["manifest_sha256"] is None
            or isinstance(prev["manifest_sha256"], str)
            and _SHA256.fullmatch(prev["manifest_sha256"])
        )
    ):
        raise PackageProblem("清单中的上一包信息无效")
    if not isinstance(manifest.get("training", False), bool):
        raise PackageProblem("清单中的培训标记无效")
    encryption = manifest.get("encryption")
    if encryption is None and manifest["kind"] == REFERENCE:
        pass  # reference data for every unit: signed, not sealed
    elif (
        not isinstance(encryption, dict)
        or set(encryption) != {"scheme", "recipient", "ephemeral"}
        or encryption["scheme"] != crypto.SCHEME
        or not all(isinstance(v, str) and len(v) < 100 for v in encryption.values())
    ):
        raise PackageProblem("清单中的加密信息无效或加密方式不受支持")
    sender = manifest.get("sender_encryption_key")
    if not isinstance(sender, str) or len(sender) > 400:
        raise PackageProblem("清单中的发送方加密公钥无效")
    try:
        crypto.load_encryption_public(sender)
    except (ValueError, TypeError):
        raise PackageProblem("清单中的发送方加密公钥无效") from None
    periods_carried = manifest.get("periods", [])
    from hengdong_desktop.domain import periods

    if (
        not isinstance(periods_carried, list)
        or len(periods_carried) > 600
        or not all(isinstance(p, str) and periods.is_period(p) for p in periods_carried)
    ):
        raise PackageProblem("清单中的期别列表无效")


# The recipient's private keys (the current one first), or how to get them when a package turns
# out to be sealed (asking for a passphrase only then).
Keys = Sequence[X25519PrivateKey]
Decrypt = Keys | Callable[[], Keys] | None

# Who may sign: a 上报包 is signed by an enrolled key; a 下发包 by the key in its signer.pem,
# which the caller then decides to trust or not (it may have changed: see keys.follow_rotations).
TrustSigner = Callable[[dict[str, Any], str], None]


def open_package(
    path: Path,
    kind: str,
    *,
    budget: Budget,
    decrypt: Decrypt,
    known_keys: Mapping[str, KnownKey] | None = None,
    trust_signer: TrustSigner | None = None,
) -> OpenedPackage:
    """Reads and checks a package completely; raises a UserError naming the file and the reason.

    A 上报包 must be signed by one of `known_keys`; a 下发包 by the key in its signer.pem, which
    `trust_signer(manifest, signer_pem)` accepts or refuses before any data file is read. A
    format-2 package must be sealed to `decrypt`'s public key."""
    path = Path(path)
    try:
        return _open(path, kind, budget, decrypt, known_keys or {}, trust_signer)
    except (PackageProblem, crypto.SealProblem) as problem:
        raise refused(path.name, str(problem)) from None


def _open(
    path: Path,
    kind: str,
    budget: Budget,
    decrypt: Decrypt,
    known_keys: Mapping[str, KnownKey],
    trust_signer: TrustSigner | None,
) -> OpenedPackage:
    payload = _read_payload(path)
    try:
        zf = zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise PackageProblem("不是有效的数据包（不是完整的zip文件）") from None
    with zf:
        members = _check_directory(zf)
        for required in (MANIFEST, SIGNATURE):
            if required not in members:
                raise PackageProblem(f"数据包缺少{required}")
        if kind == REPORT and SIGNER in members:
            raise PackageProblem(_wrong_kind(REPORT))
        if kind == REPLY and SIGNER not in members:
            raise PackageProblem(
                _wrong_kind(REPLY) if zf.comment.startswith(KEY_HINT) else "下发包缺少县级公钥signer.pem"
            )
        manifest_bytes = _read_member(zf, members[MANIFEST], MAX_MANIFEST_BYTES)
        signature = _read_member(zf, members[SIGNATURE], 64)
        if len(signature) != 64:
            raise PackageProblem("签名文件manifest.sig长度不是64字节")
        signer_pem: str | None = None
        if kind == REPLY:
            try:
                public = crypto.load_signing_public(_read_member(zf, members[SIGNER], 4096))
            except (ValueError, TypeError):
                raise PackageProblem("signer.pem不是有效的Ed25519公钥") from None
            if not crypto.verify(public, signature, manifest_bytes):
                raise PackageProblem("签名验证失败，清单manifest.json已被改动或签名错误")
            signer_pem, signer_id = crypto.public_pem(public), crypto.key_id(public)
        else:
            signer_id = _find_signer(zf.comment, signature, manifest_bytes, known_keys).key_id
        # Only now, with the signature verified, is any JSON parsed.
        manifest = strict_json(manifest_bytes)
        check_manifest(manifest, kind)
        if manifest["key_id"] != signer_id:
            raise PackageProblem("清单中的密钥编号与签名密钥不符")
        if kind == REPORT and manifest["unit"]["id"] != known_keys[signer_id].unit_id:
            raise PackageProblem("签名密钥登记的单位与清单中的填报单位不符")
        if trust_signer is not None and signer_pem is not None:
            trust_signer(manifest, signer_pem)
        listed = [Listed(e["path"], e["size"], e["records"], e["sha256"]) for e in manifest["files"]]
        allowed = {MANIFEST, SIGNATURE, *(f.path for f in listed)} | ({SIGNER} if kind == REPLY else set())
        extra = sorted(set(members) - allowed)
        if extra:
            raise PackageProblem(f"数据包含有清单未列出的文件“{extra[0][:60]}”")
        for entry in listed:
            info = members.get(entry.path)
            if info is None:
                raise PackageProblem(f"数据包缺少清单列出的“{entry.path}”")
            if manifest["format_version"] == 1 and info.file_size != entry.size:
                raise PackageProblem(f"“{entry.path}”的大小与清单不符")
        budget(listed)  # before anything is decompressed
        opened = OpenedPackage(
            path.name, sha256(payload), len(payload), manifest, sha256(manifest_bytes), signer_id, signer_pem=signer_pem
        )
        opener = _opener(manifest, decrypt)
        for entry in listed:
            stored, inflated = _stored_member(payload, members[entry.path])
            content = stored if inflated is None else inflated  # whatever zip compression carried it
            if sha256(content) != entry.sha256:
                raise PackageProblem(f"“{entry.path}”的SHA-256与清单不符，文件已被改动")
            if manifest["format_version"] == 1:  # the data itself, in clear; kept as the zip's own stream
                data = content
                stream = (
                    zlib.compress(data, 1)
                    if inflated is None
                    else _ZLIB_HEADER + stored + zlib.adler32(data).to_bytes(4, "big")
                )
            else:  # sealed, or (a 基础数据下发包) only compressed
                stream = opener.compressed(opened.package_id, entry.path, content) if opener else content
                data = crypto.inflate(stream, entry.size, entry.path)
            parsed = strict_json(data)
            if not isinstance(parsed, list) or len(parsed) != entry.records:
                raise PackageProblem(f"“{entry.path}”的记录数与清单不符")
            opened.data[entry.path] = parsed
            opened.compressed[entry.path] = stream
    return opened


# A zlib stream's header: deflate with a 32 KB window (what zip members use), no dictionary.
_ZLIB_HEADER = b"\x78\x01"


def _opener(manifest: dict[str, Any], decrypt: Decrypt) -> crypto.Opener | None:
    if manifest["format_version"] == 1 or manifest["encryption"] is None:
        return None
    header = manifest["encryption"]
    candidates = (decrypt() if callable(decrypt) else decrypt) or ()
    key = next((k for k in candidates if crypto.key_id(k.public_key()) == header["recipient"]), None)
    if key is None:
        raise PackageProblem("数据包是加密发给其他密钥的，本机无法解密（可能发错了单位，或密钥已更换）")
    return crypto.Opener(key, header["ephemeral"])


def _find_signer(comment: bytes, signature: bytes, manifest_bytes: bytes, known: Mapping[str, KnownKey]) -> KnownKey:
    """The enrolled key whose signature this is: the one the zip comment names, else any."""
    hint = read_hint(comment)[0]
    if hint is not None and hint not in known:
        raise PackageProblem(f"签名密钥{crypto.show_key_id(hint[:16])}未在县级登记（请先登记该单位的密钥）")
    candidates: Iterable[KnownKey] = [known[hint]] if hint is not None else known.values()
    for key in candidates:
        if crypto.verify(key.public, signature, manifest_bytes):
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
    return (parts[0] if parts else ""), (int(sequence) if sequence.isdigit() and len(sequence) < 10 else None)


def batch_order(path: Path) -> tuple[str, int]:
    """Where a file goes when a batch is merged: grouped by signing key, in sequence order
    (read from the unsigned hint; files without one keep their place at the front)."""
    try:
        with open_regular(Path(path)) as fh, zipfile.ZipFile(fh) as zf:
            key, sequence = read_hint(zf.comment)
    except (OSError, PackageProblem, zipfile.BadZipFile, ValueError, EOFError):
        return "", 0
    return key or "", sequence or 0


def app_fields() -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": SCHEMA_VERSION,
        "app_version": __version__,
    }
