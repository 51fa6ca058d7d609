"""Keys: who holds which key, and how each side learns the other's, never on first use.

- Every database has its own key pair set: an Ed25519 key that signs its packages and an X25519
  key that packages sent to it are sealed to. Both private keys live in one PEM file beside the
  database (`<db>.key.pem`, PKCS#8, owner-only, under a passphrase when the county's policy asks
  for one); on Windows the file is further sealed with DPAPI to the Windows user. A county
  database on a server has no file to sit beside: each office computer that merges or signs
  keeps its own copy of the county's key file in its data directory, named after the server
  database (`location.server_local_path`), made with `export_key_file` and `install_key_file`.
- A township's keys reach the county in an enrollment file (登记文件), enrolled only after the
  officer confirms the fingerprint by phone. A unit has one active key: enrolling a new one
  retires the old one; revoking stops it. The county's ledger, not a package, decides.
- The county's keys reach a township in the county identity file (县级身份文件, or shipped with
  the installer), pinned only after the clerk confirms its fingerprint by phone. When the
  county replaces its key, the old key signs a statement naming the new one; every 下发包
  carries these statements, so a township follows the county from the key it pinned. A lost
  county key is replaced by importing a new identity file, again confirmed by phone."""

from __future__ import annotations

import base64
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from hengdong_desktop.db import locks
from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import datetime_out
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.errors import UserError
from hengdong_desktop.files import write_atomically
from hengdong_desktop.private_files import make_private
from hengdong_desktop.resources import resource_path
from hengdong_desktop.services.identity import read_info
from hengdong_desktop.services.packages import crypto
from hengdong_desktop.services.packages.strict_json import PackageProblem, strict_json

META_KEY_ID = "key_id"
META_PUBLIC_KEY = "public_key"
META_ENCRYPTION_KEY = "encryption_key"
# Township: the county's keys, pinned from its identity file (source "identity") or, before
# release 0.2, from the first 下发包 (source "first-use": to be confirmed with the identity file).
META_COUNTY_KEY = "county_public_key"
META_COUNTY_ENCRYPTION_KEY = "county_encryption_key"
META_COUNTY_KEY_SOURCE = "county_key_source"
# Reference setting (the county's policy, delivered in every 下发包): minimum passphrase length
# of a signing key; 0 means a passphrase is optional.
META_PASSPHRASE_MIN = "key_passphrase_min_length"
ENROLLMENT_FORMAT = "hengdong-enrollment"
IDENTITY_FORMAT = "hengdong-county-identity"
ROTATION_FORMAT = "hengdong-key-rotation"
PASSPHRASE_ENV = "HENGDONG_KEY_PASSPHRASE"
SHIPPED_IDENTITY = "county_identity.json"  # resources/: the county identity built into an installer
MAX_KEY_FILE_BYTES = 64 * 1024
ACTIVE, RETIRED, REVOKED = "active", "retired", "revoked"
STATUS_LABELS = {ACTIVE: "有效", RETIRED: "已停用（已登记新密钥）", REVOKED: "已吊销"}

# Re-exported for the modules that check signatures.
key_id, fingerprint, public_pem, verify = crypto.key_id, crypto.fingerprint, crypto.public_pem, crypto.verify
load_public = crypto.load_signing_public


def same_fingerprint(a: str, b: str) -> bool:
    """Fingerprints compared as read over the phone: spaces and letter case do not matter."""
    return "".join(a.split()).upper() == "".join(b.split()).upper()


# The key file -------------------------------------------------------------------------------------
def key_path(db_path: Path) -> Path:
    """The private key file of a database: `hengdong.sqlite3` → `hengdong.key.pem`."""
    return db_path.with_name(db_path.stem + ".key.pem")


_DPAPI_HEADER = b"HENGDONG-DPAPI-1\n"


def _dpapi(data: bytes, *, protect: bool) -> bytes:  # pragma: no cover - Windows only
    """CryptProtectData / CryptUnprotectData for the current Windows user, no prompt."""
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    buffer = ctypes.create_string_buffer(data, len(data))
    blob_in = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    blob_out = Blob()
    crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
    call = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    if not call(ctypes.byref(blob_in), None, None, None, None, 0x1, ctypes.byref(blob_out)):
        raise OSError(ctypes.GetLastError(), "DPAPI")  # type: ignore[attr-defined]
    try:
        return ctypes.string_at(blob_out.pbData, blob_out.cbData)
    finally:
        ctypes.windll.kernel32.LocalFree(blob_out.pbData)  # type: ignore[attr-defined]


def _seal_at_rest(pem: bytes) -> bytes:
    if sys.platform != "win32":
        return pem
    return _DPAPI_HEADER + base64.b64encode(_dpapi(pem, protect=True)) + b"\n"


def _open_at_rest(data: bytes, path: Path) -> bytes:
    if not data.startswith(_DPAPI_HEADER):
        return data
    try:
        return _dpapi(base64.b64decode(data[len(_DPAPI_HEADER) :]), protect=False)
    except (OSError, AttributeError, ValueError):
        raise UserError(f"密钥文件“{path.name}”受Windows用户保护，只能由创建它的Windows用户在本机打开。") from None


def _pem_blocks(text: bytes) -> list[bytes]:
    blocks, current = [], b""
    for line in text.splitlines(keepends=True):
        current += line
        if line.startswith(b"-----END "):
            blocks.append(current)
            current = b""
    return blocks


def _write_key_file(
    path: Path,
    signing: Ed25519PrivateKey,
    encryption: X25519PrivateKey,
    passphrase: str | None,
    earlier: tuple[X25519PrivateKey, ...] = (),
) -> None:
    """The private keys, PKCS#8 PEM, into a new file (never over an existing one), synced: the
    signing key, the encryption key, then the county's earlier encryption keys, kept only to
    open packages sealed before a key rotation."""
    protection: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    every: list[Ed25519PrivateKey | X25519PrivateKey] = [signing, encryption, *earlier]
    pem = b"".join(
        k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, protection) for k in every
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_BINARY: os.open writes in text mode on Windows, turning the header's "\n" into "\r\n"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, _seal_at_rest(pem))
        os.fsync(fd)
    finally:
        os.close(fd)
    make_private(path)


def _read_key_file(
    path: Path, passphrase: str | None
) -> tuple[Ed25519PrivateKey, X25519PrivateKey | None, tuple[X25519PrivateKey, ...]]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到本数据库的私钥文件“{path}”，无法签名或解密。") from None
    except OSError as exc:
        raise UserError(f"无法读取私钥文件“{path}”：{exc.strerror or exc}。") from None
    password = passphrase.encode("utf-8") if passphrase else None
    keys: list[Any] = []
    for block in _pem_blocks(_open_at_rest(data[:MAX_KEY_FILE_BYTES], path)):
        try:
            keys.append(serialization.load_pem_private_key(block, password=password))
        except TypeError:
            if password is None:
                raise UserError("签名密钥设有口令，请输入口令。") from None
            raise UserError(f"私钥文件“{path.name}”已损坏。") from None
        except ValueError:
            raise UserError(f"密钥口令不正确，或私钥文件“{path.name}”已损坏。") from None
    signing = next((k for k in keys if isinstance(k, Ed25519PrivateKey)), None)
    encryptions = tuple(k for k in keys if isinstance(k, X25519PrivateKey))
    if signing is None:
        raise UserError(f"私钥文件“{path.name}”中没有签名密钥。")
    return signing, (encryptions[0] if encryptions else None), encryptions[1:]


def refuse_existing_key(db_path: Path) -> None:
    path = key_path(db_path)
    if path.exists():
        raise UserError(f"私钥文件“{path}”已存在，为免覆盖其他数据库的密钥，请换一个数据库文件名或先移走该文件。")


def passphrase_from_env() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


# This database's own keys -------------------------------------------------------------------
@dataclass(frozen=True)
class OwnKey:
    key_id: str
    public_pem: str
    encryption_pem: str | None  # None: made before package format 2, added at the next unlock
    fingerprint: str
    path: Path


@dataclass(frozen=True)
class UnlockedKeys:
    key_id: str
    signing: Ed25519PrivateKey
    encryption: X25519PrivateKey
    earlier: tuple[X25519PrivateKey, ...] = ()  # county: encryption keys before rotations

    @property
    def openers(self) -> tuple[X25519PrivateKey, ...]:
        """Every key a package sealed to this database may be sealed to."""
        return (self.encryption, *self.earlier)


def own_key(db: Database) -> OwnKey:
    meta = db.meta()
    if META_PUBLIC_KEY not in meta:
        raise UserError(f"数据库“{db.name}”还没有签名密钥，请先生成（命令：hengdong keys new）。")
    public = load_public(meta[META_PUBLIC_KEY])
    return OwnKey(
        meta[META_KEY_ID], meta[META_PUBLIC_KEY], meta.get(META_ENCRYPTION_KEY), fingerprint(public), key_path(db.path)
    )


def is_encrypted(db: Database) -> bool:
    """Whether this database's key file is under a passphrase."""
    path = key_path(db.path)
    try:
        data = path.read_bytes()[:MAX_KEY_FILE_BYTES]
    except OSError:
        return False
    try:
        return b"ENCRYPTED" in _open_at_rest(data, path)
    except UserError:
        return False


def passphrase_minimum(db: Database) -> int:
    """The county's passphrase policy as this database knows it (0: a passphrase is optional)."""
    value = db.meta().get(META_PASSPHRASE_MIN, "0")
    return int(value) if value.isdigit() else 0


def check_passphrase(minimum: int, passphrase: str | None) -> None:
    """Refuses a passphrase the county's policy does not allow."""
    if minimum and len(passphrase or "") < minimum:
        raise UserError(f"按县里的规定，签名密钥必须设置口令，且至少{minimum}个字符。")


def create_key_pair(db_path: Path, passphrase: str | None = None) -> tuple[str, str, str]:
    """Writes a new private key file beside the database (never over an existing one); returns
    (key id, signing public key PEM, encryption public key PEM)."""
    refuse_existing_key(db_path)
    signing, encryption = crypto.new_signing_key(), crypto.new_encryption_key()
    _write_key_file(key_path(db_path), signing, encryption, passphrase)
    public = signing.public_key()
    return key_id(public), public_pem(public), public_pem(encryption.public_key())


def new_key(db: Database, passphrase: str | None = None) -> OwnKey:
    """Replaces this database's keys (after a revocation, a lost passphrase, or for a database
    made before keys existed). The old private key file is deleted once the new key is
    recorded; the new public key must be enrolled at the county, and its packages start a new
    sequence. The county replaces its own key with `rotate_county_key` instead."""
    info = read_info(db)
    check_passphrase(passphrase_minimum(db), passphrase)
    path = key_path(db.path)
    old = path.with_name(path.name + ".old")
    if path.exists():
        old.unlink(missing_ok=True)
        path.replace(old)
    try:
        kid, pem, enc = create_key_pair(db.path, passphrase)
        with db.write(info.actor("package")) as s:
            s.merge(m.Meta(key=META_KEY_ID, value=kid))
            s.merge(m.Meta(key=META_PUBLIC_KEY, value=pem))
            s.merge(m.Meta(key=META_ENCRYPTION_KEY, value=enc))
    except BaseException:
        path.unlink(missing_ok=True)
        if old.exists():
            old.replace(path)
        raise
    old.unlink(missing_ok=True)
    return own_key(db)


def unlock(db: Database, passphrase: str | None = None) -> UnlockedKeys:
    """This database's private keys. A key file made before package format 2 has no X25519 key:
    one is added (under the same passphrase) and its public key recorded."""
    own = own_key(db)
    if db.is_server and not own.path.exists():
        raise UserError(
            f"本机还没有服务器数据库“{db.name}”的县级私钥文件，无法签名或解密上报包。请向办公室取得私钥文件，"
            f"在“设置”页点“导入私钥文件…”（命令：hengdong server key install）；它将保存为“{own.path}”。"
        )
    signing, encryption, earlier = _read_key_file(own.path, passphrase)
    if key_id(signing.public_key()) != own.key_id:
        if db.is_server:
            raise UserError(
                f"本机的私钥文件“{own.path.name}”不是服务器数据库现用的县级密钥（可能已被更换），"
                "请向办公室取得新的私钥文件再导入。"
            )
        raise UserError(f"私钥文件“{own.path.name}”与本数据库不匹配。")
    if encryption is None:
        encryption = crypto.new_encryption_key()
        fresh = own.path.with_name(own.path.name + ".new")
        fresh.unlink(missing_ok=True)
        _write_key_file(fresh, signing, encryption, passphrase)
        with db.write(read_info(db).actor("package")) as s:
            s.merge(m.Meta(key=META_ENCRYPTION_KEY, value=public_pem(encryption.public_key())))
        fresh.replace(own.path)
    elif own.encryption_pem != public_pem(encryption.public_key()):
        with db.write(read_info(db).actor("package")) as s:
            s.merge(m.Meta(key=META_ENCRYPTION_KEY, value=public_pem(encryption.public_key())))
    return UnlockedKeys(own.key_id, signing, encryption, earlier)


def unlock_to_sign(db: Database, passphrase: str | None) -> UnlockedKeys:
    """`unlock`, for signing something that leaves this computer: the key's passphrase must meet
    the county's policy (a policy raised after the key was made is met by changing it)."""
    keys = unlock(db, passphrase)
    minimum = passphrase_minimum(db)
    if minimum and len(passphrase or "") < minimum:
        raise UserError(
            f"按县里的规定，签名密钥的口令至少{minimum}个字符，本机密钥的口令不符合。"
            "请先在“设置”中修改密钥口令（命令：hengdong keys passphrase）。"
        )
    return keys


def change_passphrase(db: Database, old: str | None, new: str | None) -> None:
    """Puts both private keys under a new passphrase (None: none, if the policy allows)."""
    check_passphrase(passphrase_minimum(db), new)
    keys = unlock(db, old)
    path = key_path(db.path)
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    _write_key_file(fresh, keys.signing, keys.encryption, new, keys.earlier)
    fresh.replace(path)


# Copies of the key file (the office computers of a server database) ------------------------
def export_key_file(db: Database, out: Path) -> Path:
    """Writes a copy of this database's key file that another computer can install: the same
    keys under the same passphrase (`is_encrypted` says whether there is one), without this
    computer's Windows sealing; owner-only like the key file itself."""
    path = own_key(db).path
    try:
        data = path.read_bytes()[:MAX_KEY_FILE_BYTES]
    except FileNotFoundError:
        raise UserError(f"本机没有本数据库的私钥文件“{path}”。") from None
    out = Path(out).expanduser()
    if out.is_dir() or not out.parent.is_dir():
        raise UserError(f"无法写出“{out}”：请给出已有文件夹中的文件名。")
    part = out.with_name(out.name + ".part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, _open_at_rest(data, path))
        os.fsync(fd)
    finally:
        os.close(fd)
    make_private(part)
    part.replace(out)
    return out


def install_key_file(db: Database, source: Path, passphrase: str | None = None) -> OwnKey:
    """Installs a copy of the database's key file (from `export_key_file`) as this computer's
    key file, once it is shown to hold the database's current keys (`passphrase`, if it has
    one). A stale copy (from before a key rotation) is replaced."""
    source = Path(source)
    own = own_key(db)
    signing, encryption, earlier = _read_key_file(source, passphrase)
    if key_id(signing.public_key()) != own.key_id:
        raise UserError(f"“{source.name}”中的密钥不是本数据库现用的密钥（{crypto.show_key_id(own.key_id)}），未导入。")
    if encryption is None or public_pem(encryption.public_key()) != own.encryption_pem:
        raise UserError(f"“{source.name}”中的加密密钥与本数据库不符，未导入。")
    fresh = own.path.with_name(own.path.name + ".new")
    fresh.unlink(missing_ok=True)
    _write_key_file(fresh, signing, encryption, passphrase, earlier)
    fresh.replace(own.path)
    return own


# Signed statements about keys ------------------------------------------------------------
def _signed(private: Ed25519PrivateKey, body: dict[str, Any]) -> dict[str, Any]:
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return {"statement": text, "signature": base64.b64encode(private.sign(text.encode("utf-8"))).decode("ascii")}


def _statement(signed: Any, public: Ed25519PublicKey, what: str) -> dict[str, Any]:
    """The body of a statement whose signature `public` made; PackageProblem otherwise."""
    if not isinstance(signed, dict) or set(signed) != {"statement", "signature"}:
        raise PackageProblem(f"{what}格式错误")
    text, signature = signed["statement"], signed["signature"]
    if not isinstance(text, str) or not isinstance(signature, str) or len(text) > 8192:
        raise PackageProblem(f"{what}格式错误")
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except ValueError:
        raise PackageProblem(f"{what}的签名无效") from None
    if not verify(public, raw_signature, text.encode("utf-8")):
        raise PackageProblem(f"{what}的签名验证失败")
    body = strict_json(text.encode("utf-8"))
    if not isinstance(body, dict):
        raise PackageProblem(f"{what}格式错误")
    return body


def _public_keys(body: dict[str, Any], what: str) -> tuple[Ed25519PublicKey, str, str]:
    """(signing key, its PEM, encryption key PEM) named in a statement, checked."""
    try:
        signing = load_public(str(body.get("signing_key", "")))
        encryption = crypto.load_encryption_public(str(body.get("encryption_key", "")))
    except (ValueError, TypeError):
        raise PackageProblem(f"{what}中的公钥无效") from None
    return signing, public_pem(signing), public_pem(encryption)


# Enrollment (township → county) ----------------------------------------------------------
def export_enrollment(db: Database, out: Path, passphrase: str | None = None) -> dict[str, Any]:
    """Writes the unit's enrollment file: its public keys, the encryption key signed by the
    signing key, and the fingerprint the county confirms by phone before enrolling."""
    info = read_info(db)
    keys = unlock_to_sign(db, passphrase)
    with db.read() as s:
        unit = s.get(m.Unit, info.unit_id)
        assert unit is not None
        unit_data = {"id": unit.id, "code": unit.code, "name": unit.name}
    public = keys.signing.public_key()
    data = {
        "format": ENROLLMENT_FORMAT,
        "format_version": 2,
        "unit": unit_data,
        "operator": info.operator,
        "key_id": keys.key_id,
        "fingerprint": fingerprint(public),
        "public_key": public_pem(public),
        "keys": _signed(
            keys.signing,
            {
                "signing_key": public_pem(public),
                "encryption_key": public_pem(keys.encryption.public_key()),
                "unit_id": unit_data["id"],
            },
        ),
        "created_at": datetime_out(utcnow()),
    }
    _write_json(Path(out), data)
    return data


def _write_json(out: Path, data: dict[str, Any]) -> None:
    write_atomically(out, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


@dataclass(frozen=True)
class Enrollment:
    """An enrollment file, read and checked, before the county decides to enroll it."""

    file: str
    unit_id: int
    unit_name: str
    operator: str
    key_id: str
    fingerprint: str
    public_pem: str
    encryption_pem: str | None


def _read_small_json(path: Path, what: str) -> Any:
    name = path.name
    try:
        if not path.is_file():
            raise UserError(f"“{name}”不是{what}（不是普通文件）。")
        with open(path, "rb") as fh:
            raw = fh.read(64 * 1024 + 1)
    except OSError as exc:
        raise UserError(f"无法读取{what}“{name}”：{exc.strerror or exc}。") from None
    if len(raw) > 64 * 1024:
        raise UserError(f"“{name}”不是{what}（文件过大）。")
    try:
        return strict_json(raw)
    except PackageProblem as exc:
        raise UserError(f"“{name}”不是有效的{what}：{exc}。") from None


def read_enrollment(path: Path) -> Enrollment:
    path = Path(path)
    name = path.name
    data = _read_small_json(path, "登记文件")
    if not isinstance(data, dict) or data.get("format") != ENROLLMENT_FORMAT:
        raise UserError(f"“{name}”不是本系统的密钥登记文件。")
    version = data.get("format_version")
    if not isinstance(version, int) or version < 1 or version > 2:
        raise UserError(f"登记文件“{name}”由更新版本的程序生成，请升级本程序。")
    unit = data.get("unit")
    if not isinstance(unit, dict) or not isinstance(unit.get("id"), int) or not isinstance(unit.get("name"), str):
        raise UserError(f"登记文件“{name}”缺少填报单位。")
    try:
        public = load_public(str(data.get("public_key", "")))
    except (ValueError, TypeError):
        raise UserError(f"登记文件“{name}”中的公钥无效（须为Ed25519公钥）。") from None
    if data.get("key_id") != key_id(public):
        raise UserError(f"登记文件“{name}”中的密钥编号与公钥不符，文件可能被改动。")
    encryption = None
    if version >= 2:
        try:
            body = _statement(data.get("keys"), public, "登记文件中的密钥声明")
            _signing, signing_pem, encryption = _public_keys(body, "登记文件")
        except PackageProblem as exc:
            raise UserError(f"登记文件“{name}”无效：{exc}。") from None
        if signing_pem != public_pem(public) or body.get("unit_id") != unit["id"]:
            raise UserError(f"登记文件“{name}”中的密钥声明与文件不符，文件可能被改动。")
    return Enrollment(
        name,
        unit["id"],
        str(unit["name"])[:50],
        str(data.get("operator") or "")[:50],
        key_id(public),
        fingerprint(public),
        public_pem(public),
        encryption,
    )


@dataclass(frozen=True)
class EnrolledKey:
    key_id: str
    unit_id: int
    unit_name: str
    fingerprint: str
    operator: str
    status: str
    enrolled_at: datetime
    retired_at: datetime | None
    revoked_at: datetime | None
    last_good_sequence: int | None = None
    already: bool = False
    replaced: str | None = None  # the key id this enrollment retired

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def shown_id(self) -> str:
        return crypto.show_key_id(self.key_id)


def _require_county(db: Database, what: str) -> Any:
    info = read_info(db)
    if not info.is_county:
        raise UserError(f"只有县级汇总数据库可以{what}。")
    return info


def enroll(db: Database, path: Path, *, fingerprint: str) -> EnrolledKey:
    """County: binds the key in a township's enrollment file to its unit, once the officer has
    confirmed its `fingerprint` with the township by phone. The unit's previous key is retired:
    nothing signed with it is accepted any more."""
    info = _require_county(db, "登记单位密钥")
    found = read_enrollment(Path(path))
    if not same_fingerprint(fingerprint, found.fingerprint):
        raise UserError(
            f"核对的指纹与登记文件“{found.file}”中的指纹（{found.fingerprint}）不一致，未登记。请与乡镇重新电话核对。"
        )
    with db.write(info.actor("package")) as s:
        unit = s.get(m.Unit, found.unit_id)
        if unit is None or unit.kind == "县":
            raise UserError(f"登记文件“{found.file}”中的填报单位（编号{found.unit_id}）不在基础数据中。")
        locks.lock_unit(s, unit.id)  # on a server: not during the unit's merge, nor beside another enrollment
        existing = s.get(m.UnitKey, found.key_id)
        if existing is not None:
            if existing.unit_id != unit.id:
                other = s.get(m.Unit, existing.unit_id)
                raise UserError(f"该密钥已登记给{other.name if other else existing.unit_id}，不能再登记给{unit.name}。")
            if existing.status != ACTIVE:
                raise UserError(
                    f"该密钥（{crypto.show_key_id(existing.key_id)}）{STATUS_LABELS[existing.status]}，"
                    "不能重新登记；请乡镇生成新密钥后再登记。"
                )
            if found.encryption_pem and existing.encryption_key != found.encryption_pem:
                existing.encryption_key = found.encryption_pem
            return _enrolled(existing, unit.name, already=True)
        now = utcnow()
        replaced = None
        for old in s.scalars(select(m.UnitKey).where(m.UnitKey.unit_id == unit.id, m.UnitKey.status == ACTIVE)):
            old.status, old.retired_at, replaced = RETIRED, now, old.key_id
        row = m.UnitKey(
            key_id=found.key_id,
            unit_id=unit.id,
            public_key=found.public_pem,
            encryption_key=found.encryption_pem,
            fingerprint=found.fingerprint,
            operator=found.operator,
            status=ACTIVE,
            enrolled_at=now,
        )
        s.add(row)
        s.flush()
        return _enrolled(row, unit.name, replaced=replaced)


def _enrolled(row: m.UnitKey, unit_name: str, *, already: bool = False, replaced: str | None = None) -> EnrolledKey:
    return EnrolledKey(
        row.key_id,
        row.unit_id,
        unit_name,
        row.fingerprint,
        row.operator,
        row.status,
        row.enrolled_at,
        row.retired_at,
        row.revoked_at,
        row.last_good_sequence,
        already,
        replaced,
    )


@dataclass(frozen=True)
class Revocation:
    key: EnrolledKey
    last_good: int | None
    suspects: list[tuple[int, str]]  # (sequence, file name) merged after the last good package

    def summary(self) -> str:
        text = f"已吊销{self.key.unit_name}的密钥{self.key.shown_id}，此后收到的该密钥签名的包一律拒绝。"
        if self.suspects:
            listed = "、".join(f"第{n}号（{f}）" for n, f in self.suspects[:10])
            text += f"注意：吊销前已合并的{listed}在最后可信的第{self.last_good}号之后，请逐一核实。"
        return text


def revoke(db: Database, unit: str, *, last_good: int | None = None, reason: str = "") -> Revocation:
    """County: revokes the unit's active key now. Whatever a package signed with it says of its
    date or sequence, it is refused from now on. `last_good` names the last package trusted
    (default: the last one merged); packages merged after it are listed for checking."""
    from hengdong_desktop.services.reference import load

    info = _require_county(db, "吊销单位密钥")
    with db.write(info.actor("package")) as s:
        found = load(s).find_unit(unit)
        if found is None or found.id == info.unit_id:
            raise UserError(f"找不到填报单位“{unit}”。")
        locks.lock_unit(s, found.id)  # on a server: after any merge of the unit in progress
        row = s.scalars(select(m.UnitKey).where(m.UnitKey.unit_id == found.id, m.UnitKey.status == ACTIVE)).first()
        if row is None:
            raise UserError(f"{found.name}没有有效的已登记密钥。")
        merged = list(
            s.execute(
                select(m.PackageEntry.sequence, m.PackageEntry.file_name)
                .where(m.PackageEntry.direction == "in", m.PackageEntry.key_id == row.key_id)
                .order_by(m.PackageEntry.sequence)
            ).all()
        )
        last = merged[-1][0] if merged else None
        if last_good is not None and (last_good < 0 or (last is not None and last_good > last)):
            raise UserError(f"最后可信的序号{last_good}无效：该密钥已合并到第{last or 0}号。")
        trusted = last if last_good is None else last_good
        row.status, row.revoked_at, row.revoked_reason, row.last_good_sequence = (
            REVOKED,
            utcnow(),
            reason or None,
            trusted,
        )
        suspects = [(n, f) for n, f in merged if trusted is not None and n > trusted]
        return Revocation(_enrolled(row, found.name), trusted, suspects)


def enrolled_keys(db: Database) -> list[EnrolledKey]:
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        return [
            _enrolled(r, names.get(r.unit_id, str(r.unit_id)))
            for r in s.scalars(select(m.UnitKey).order_by(m.UnitKey.unit_id, m.UnitKey.enrolled_at))
        ]


def unit_encryption_key(session: Session, unit_id: int) -> str | None:
    row = session.scalars(select(m.UnitKey).where(m.UnitKey.unit_id == unit_id, m.UnitKey.status == ACTIVE)).first()
    return row.encryption_key if row is not None else None


# The county's identity (county → township) ---------------------------------------------------
@dataclass(frozen=True)
class CountyIdentity:
    file: str
    unit_name: str
    key_id: str
    fingerprint: str
    signing_pem: str
    encryption_pem: str


def export_identity(db: Database, out: Path, passphrase: str | None = None) -> CountyIdentity:
    """County: writes the identity file townships pin (public keys only, self-signed)."""
    info = _require_county(db, "导出县级身份文件")
    keys = unlock_to_sign(db, passphrase)
    public = keys.signing.public_key()
    data = {
        "format": IDENTITY_FORMAT,
        "format_version": 1,
        "unit": info.unit_name,
        "key_id": keys.key_id,
        "fingerprint": fingerprint(public),
        "public_key": public_pem(public),
        "keys": _signed(
            keys.signing,
            {"signing_key": public_pem(public), "encryption_key": public_pem(keys.encryption.public_key())},
        ),
        "created_at": datetime_out(utcnow()),
    }
    _write_json(Path(out), data)
    return read_identity(Path(out))


def read_identity(path: Path) -> CountyIdentity:
    path = Path(path)
    name = path.name
    data = _read_small_json(path, "县级身份文件")
    if not isinstance(data, dict) or data.get("format") != IDENTITY_FORMAT:
        raise UserError(f"“{name}”不是县级身份文件。")
    if data.get("format_version") != 1:
        raise UserError(f"县级身份文件“{name}”由更新版本的程序生成，请升级本程序。")
    try:
        public = load_public(str(data.get("public_key", "")))
        body = _statement(data.get("keys"), public, "县级身份文件中的密钥声明")
        _signing, signing_pem, encryption = _public_keys(body, "县级身份文件")
    except PackageProblem as exc:
        raise UserError(f"县级身份文件“{name}”无效：{exc}。") from None
    except (ValueError, TypeError):
        raise UserError(f"县级身份文件“{name}”中的公钥无效。") from None
    if signing_pem != public_pem(public) or data.get("key_id") != key_id(public):
        raise UserError(f"县级身份文件“{name}”中的密钥与声明不符，文件可能被改动。")
    return CountyIdentity(
        name, str(data.get("unit") or "")[:50], key_id(public), fingerprint(public), signing_pem, encryption
    )


def shipped_identity() -> CountyIdentity | None:
    """The county identity built into this installation, if the county shipped one."""
    path = resource_path(SHIPPED_IDENTITY)
    return read_identity(path) if path.is_file() else None


@dataclass(frozen=True)
class PinnedCounty:
    signing_pem: str
    encryption_pem: str | None
    fingerprint: str
    confirmed: bool  # pinned from an identity file confirmed by phone (not on first use)


def pinned_county(db: Database) -> PinnedCounty | None:
    """Township: the county key this database trusts, if any yet."""
    meta = db.meta()
    pem = meta.get(META_COUNTY_KEY)
    if not pem:
        return None
    return PinnedCounty(
        pem,
        meta.get(META_COUNTY_ENCRYPTION_KEY),
        fingerprint(load_public(pem)),
        meta.get(META_COUNTY_KEY_SOURCE) == "identity",
    )


def pinned_county_fingerprint(db: Database) -> str | None:
    pinned = pinned_county(db)
    return pinned.fingerprint if pinned else None


def pin_county(db: Database, identity: CountyIdentity, *, fingerprint: str, replace: bool = False) -> PinnedCounty:
    """Township: trusts the county key of `identity` once the clerk has confirmed `fingerprint`
    with the county by phone. A different key than the one already trusted is taken only with
    `replace` (the county lost its key and says so by phone)."""
    info = read_info(db)
    if info.is_county:
        raise UserError("县级身份文件在乡镇导入；县级数据库使用自己的密钥。")
    if not same_fingerprint(fingerprint, identity.fingerprint):
        raise UserError(
            f"核对的指纹与县级身份文件“{identity.file}”中的指纹（{identity.fingerprint}）不一致，未导入。"
            "请与县里重新电话核对。"
        )
    current = pinned_county(db)
    if current is not None and current.signing_pem != identity.signing_pem and not replace:
        raise UserError(
            f"本机已记录的县级密钥（指纹 {current.fingerprint}）与身份文件中的不同。"
            "只有县里确认原密钥已作废时，才能选择“更换县级密钥”。"
        )
    with db.write(info.actor("package")) as s:
        s.merge(m.Meta(key=META_COUNTY_KEY, value=identity.signing_pem))
        s.merge(m.Meta(key=META_COUNTY_ENCRYPTION_KEY, value=identity.encryption_pem))
        s.merge(m.Meta(key=META_COUNTY_KEY_SOURCE, value="identity"))
    pinned = pinned_county(db)
    assert pinned is not None
    return pinned


# County key rotation ---------------------------------------------------------------------------
def rotate_county_key(db: Database, passphrase: str | None = None, new_passphrase: str | None = None) -> OwnKey:
    """County: replaces the county's keys. The old key signs a statement naming the new ones,
    which every later 下发包 carries; the old signing key is then deleted. The old encryption
    key is kept, to open packages townships sealed before they learnt the new one (the data
    they hold is in the county database anyway)."""
    info = _require_county(db, "更换县级密钥")
    check_passphrase(passphrase_minimum(db), new_passphrase)
    old = unlock(db, passphrase)
    path = key_path(db.path)
    fresh = path.with_name(path.name + ".new")
    fresh.unlink(missing_ok=True)
    signing, encryption = crypto.new_signing_key(), crypto.new_encryption_key()
    _write_key_file(fresh, signing, encryption, new_passphrase, old.openers)
    new_public = signing.public_key()
    signed = _signed(
        old.signing,
        {
            "format": ROTATION_FORMAT,
            "old_key_id": old.key_id,
            "signing_key": public_pem(new_public),
            "encryption_key": public_pem(encryption.public_key()),
            "created_at": datetime_out(utcnow()),
        },
    )
    try:
        with db.write(info.actor("package")) as s:
            current = s.get(m.Meta, META_KEY_ID, with_for_update=True)  # two officers: one rotation
            if current is None or current.value != old.key_id:
                raise UserError("县级密钥刚被其他人更换，本次没有更换。请取得新的私钥文件。")
            s.add(
                m.KeyRotation(
                    old_key_id=old.key_id,
                    new_key_id=key_id(new_public),
                    statement=signed["statement"],
                    signature=signed["signature"],
                )
            )
            s.merge(m.Meta(key=META_KEY_ID, value=key_id(new_public)))
            s.merge(m.Meta(key=META_PUBLIC_KEY, value=public_pem(new_public)))
            s.merge(m.Meta(key=META_ENCRYPTION_KEY, value=public_pem(encryption.public_key())))
    except BaseException:
        fresh.unlink(missing_ok=True)
        raise
    fresh.replace(path)  # the old private key is gone with the file it was in
    return own_key(db)


def rotation_statements(session: Session) -> list[dict[str, str]]:
    """County: every key rotation statement, oldest first, for the 下发包 manifest."""
    return [
        {"statement": r.statement, "signature": r.signature}
        for r in session.scalars(select(m.KeyRotation).order_by(m.KeyRotation.id))
    ]


def follow_rotations(pinned_pem: str, statements: Any, signer_pem: str) -> tuple[str, str] | None:
    """Township: from the pinned county key to the key that signed a 下发包, through rotation
    statements each signed by the key before. Returns the (signing, encryption) PEMs to pin, or
    None when the signer is the pinned key; PackageProblem when no chain of statements leads to it."""
    if signer_pem == pinned_pem:
        return None
    if not isinstance(statements, list) or len(statements) > 100:
        raise PackageProblem("清单中的县级密钥更换记录格式错误")
    current = load_public(pinned_pem)
    current_pem, encryption_pem = pinned_pem, ""
    by_old: dict[str, Any] = {}
    for signed in statements:
        if isinstance(signed, dict) and isinstance(signed.get("statement"), str):
            try:
                old_id = json.loads(signed["statement"]).get("old_key_id")
            except (ValueError, AttributeError):
                continue
            if isinstance(old_id, str):
                by_old[old_id] = signed
    for _step in range(len(by_old)):
        signed = by_old.get(key_id(current))
        if signed is None:
            break
        body = _statement(signed, current, "县级密钥更换记录")
        if body.get("format") != ROTATION_FORMAT or body.get("old_key_id") != key_id(current):
            raise PackageProblem("县级密钥更换记录无效")
        current, current_pem, encryption_pem = _public_keys(body, "县级密钥更换记录")
        if current_pem == signer_pem:
            return current_pem, encryption_pem
    raise PackageProblem("下发包的签名密钥不是本机记录的县级密钥，也没有县级密钥更换记录证明它，可能不是县里发出的")
