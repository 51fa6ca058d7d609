"""Ed25519 keys: each database's own key pair (private key beside the database file, readable by
its user only through platform_security, optionally under a passphrase), enrollment files, the
county's registry of unit keys with revocation, and the township's pin of the county key."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from hengdong_desktop import platform_security
from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.errors import UserError

META_KEY_ID = "key_id"
META_PUBLIC_KEY = "public_key"
META_COUNTY_KEY = "county_public_key"  # township: the county key pinned at its first 下发包
ENROLLMENT_FORMAT = "hengdong-enrollment"
PASSPHRASE_ENV = "HENGDONG_KEY_PASSPHRASE"
CHINA_TZ = timezone(timedelta(hours=8))


def key_path(db_path: Path) -> Path:
    """The private key file of a database: `hengdong.sqlite3` → `hengdong.key.pem`."""
    return db_path.with_name(db_path.stem + ".key.pem")


def public_pem(public: Ed25519PublicKey) -> str:
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def fingerprint(public: Ed25519PublicKey) -> str:
    """Twenty hex digits in groups of four, short enough to read over the phone."""
    digest = hashlib.sha256(_raw(public)).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def load_public(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def verify(public: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def refuse_existing_key(db_path: Path) -> None:
    path = key_path(db_path)
    if path.exists():
        raise UserError(
            f"私钥文件“{path}”已存在，为免覆盖其他数据库的密钥，请换一个数据库文件名或先移走该文件。"
        )


def create_key_pair(db_path: Path, passphrase: str | None = None) -> tuple[str, str]:
    """Writes a new private key beside the database (never over an existing one); returns
    (key id, public key PEM)."""
    refuse_existing_key(db_path)
    path = key_path(db_path)
    private = Ed25519PrivateKey.generate()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase.encode("utf-8"))
        if passphrase
        else serialization.NoEncryption()
    )
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    platform_security.write_private_file(path, pem)
    public = private.public_key()
    return key_id(public), public_pem(public)


def passphrase_from_env() -> str | None:
    return os.environ.get(PASSPHRASE_ENV) or None


@dataclass(frozen=True)
class OwnKey:
    key_id: str
    public_pem: str
    fingerprint: str
    path: Path


def own_key(db: Database) -> OwnKey:
    meta = db.meta()
    if META_PUBLIC_KEY not in meta:
        raise UserError(
            f"数据库“{db.path.name}”还没有签名密钥，请先生成（命令：hengdong keys new）。"
        )
    public = load_public(meta[META_PUBLIC_KEY])
    return OwnKey(meta[META_KEY_ID], meta[META_PUBLIC_KEY], fingerprint(public), key_path(db.path))


def new_key(db: Database, passphrase: str | None = None) -> OwnKey:
    """Replaces this database's key pair (after a revocation, a lost passphrase, or for a
    database made before keys existed). The old key file is kept under a dated name; the new
    public key must be enrolled at the county again, and its packages start a new sequence."""
    from hengdong_desktop.services.setup import read_info

    info = read_info(db)
    path = key_path(db.path)
    kept = None
    if path.exists():
        kept = path.with_name(f"{path.name}.replaced-{utcnow():%Y%m%d-%H%M%S}")
        path.replace(kept)
    try:
        kid, pem = create_key_pair(db.path, passphrase)
        with db.write(info.actor("package")) as s:
            s.merge(m.Meta(key=META_KEY_ID, value=kid))
            s.merge(m.Meta(key=META_PUBLIC_KEY, value=pem))
    except Exception:
        path.unlink(missing_ok=True)
        if kept is not None:
            kept.replace(path)
        raise
    return own_key(db)


def pinned_county_fingerprint(db: Database) -> str | None:
    """Township: the fingerprint of the county key pinned at its first 下发包, if any yet."""
    pinned = db.meta().get(META_COUNTY_KEY)
    return fingerprint(load_public(pinned)) if pinned else None


def is_encrypted(db: Database) -> bool:
    path = key_path(db.path)
    return path.exists() and b"ENCRYPTED" in path.read_bytes()[:64]


def load_private_key(db: Database, passphrase: str | None = None) -> Ed25519PrivateKey:
    own = own_key(db)
    if not own.path.exists():
        raise UserError(f"找不到本数据库的私钥文件“{own.path}”，无法签名。")
    try:
        private = serialization.load_pem_private_key(
            own.path.read_bytes(), password=passphrase.encode("utf-8") if passphrase else None
        )
    except TypeError:
        raise UserError("签名密钥设有口令，请输入口令后再签名。") from None
    except ValueError:
        raise UserError(f"密钥口令不正确，或密钥文件“{own.path.name}”已损坏。") from None
    if not isinstance(private, Ed25519PrivateKey) or key_id(private.public_key()) != own.key_id:
        raise UserError(f"私钥文件“{own.path.name}”与本数据库不匹配。")
    return private


# Enrollment ------------------------------------------------------------------------------------
def export_enrollment(db: Database, out: Path) -> dict[str, Any]:
    """Writes the township's enrollment file (unit, operator, public key, fingerprint)."""
    from hengdong_desktop.services.setup import read_info

    info = read_info(db)
    own = own_key(db)
    with db.read() as s:
        unit = s.get(m.Unit, info.unit_id)
        assert unit is not None
        data = {
            "format": ENROLLMENT_FORMAT,
            "format_version": 1,
            "unit": {"id": unit.id, "code": unit.code, "name": unit.name},
            "operator": info.operator,
            "key_id": own.key_id,
            "fingerprint": own.fingerprint,
            "public_key": own.public_pem,
            "created_at": utcnow().isoformat(),
        }
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(out)
    return data


@dataclass(frozen=True)
class EnrolledKey:
    key_id: str
    unit_id: int
    unit_name: str
    fingerprint: str
    operator: str
    enrolled_at: datetime
    revoked_at: datetime | None
    already: bool = False


def _read_enrollment(path: Path) -> tuple[dict[str, Any], Ed25519PublicKey]:
    from hengdong_desktop.services.package_format import PackageProblem, strict_json

    name = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"无法读取登记文件“{name}”：{exc.strerror or exc}。") from None
    if len(raw) > 64 * 1024:
        raise UserError(f"“{name}”不是登记文件（文件过大）。")
    try:
        data = strict_json(raw)
    except PackageProblem as exc:
        raise UserError(f"“{name}”不是有效的登记文件：{exc}。") from None
    if not isinstance(data, dict) or data.get("format") != ENROLLMENT_FORMAT:
        raise UserError(f"“{name}”不是本系统的密钥登记文件。")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > 1:
        raise UserError(f"登记文件“{name}”由更新版本的程序生成，请升级本程序。")
    unit = data.get("unit")
    if not isinstance(unit, dict) or not isinstance(unit.get("id"), int):
        raise UserError(f"登记文件“{name}”缺少填报单位。")
    try:
        public = load_public(str(data.get("public_key", "")))
    except (ValueError, TypeError):
        raise UserError(f"登记文件“{name}”中的公钥无效（须为Ed25519公钥）。") from None
    if data.get("key_id") != key_id(public):
        raise UserError(f"登记文件“{name}”中的密钥编号与公钥不符，文件可能被改动。")
    return data, public


def enroll(db: Database, path: Path) -> EnrolledKey:
    """County: binds the key in a township's enrollment file to its unit."""
    from hengdong_desktop.services.setup import read_info

    info = read_info(db)
    if not info.is_county:
        raise UserError("只有县级汇总数据库可以登记单位密钥。")
    data, public = _read_enrollment(Path(path))
    kid = key_id(public)
    with db.write(info.actor("package")) as s:
        unit = s.get(m.Unit, data["unit"]["id"])
        if unit is None or unit.kind == "县":
            raise UserError(
                f"登记文件“{Path(path).name}”中的填报单位（编号{data['unit']['id']}）不在基础数据中。"
            )
        existing = s.get(m.UnitKey, kid)
        if existing is not None:
            if existing.unit_id != unit.id:
                other = s.get(m.Unit, existing.unit_id)
                owner = other.name if other else existing.unit_id
                raise UserError(f"该密钥已登记给{owner}，不能再登记给{unit.name}。")
            return _enrolled(existing, unit.name, already=True)
        row = m.UnitKey(
            key_id=kid,
            unit_id=unit.id,
            public_key=public_pem(public),
            fingerprint=fingerprint(public),
            operator=str(data.get("operator") or "")[:50],
            enrolled_at=utcnow(),
        )
        s.add(row)
        s.flush()
        return _enrolled(row, unit.name)


def _enrolled(row: m.UnitKey, unit_name: str, *, already: bool = False) -> EnrolledKey:
    return EnrolledKey(
        row.key_id,
        row.unit_id,
        unit_name,
        row.fingerprint,
        row.operator,
        row.enrolled_at,
        row.revoked_at,
        already,
    )


def revocation_time(day: date | None) -> datetime:
    """A revocation date means from the start of that day, China time; no date means now."""
    if day is None:
        return utcnow()
    return datetime.combine(day, time(0), CHINA_TZ).astimezone(UTC)


def revoke(db: Database, unit: str, day: date | None = None, reason: str = "") -> list[EnrolledKey]:
    """County: revokes every active key of a unit from `day` on."""
    from hengdong_desktop.services.reference import load
    from hengdong_desktop.services.setup import read_info

    info = read_info(db)
    if not info.is_county:
        raise UserError("只有县级汇总数据库可以吊销单位密钥。")
    with db.write(info.actor("package")) as s:
        found = load(s).find_unit(unit)
        if found is None or found.id == info.unit_id:
            raise UserError(f"找不到填报单位“{unit}”。")
        rows = s.scalars(
            select(m.UnitKey).where(m.UnitKey.unit_id == found.id, m.UnitKey.revoked_at.is_(None))
        ).all()
        if not rows:
            raise UserError(f"{found.name}没有未吊销的已登记密钥。")
        when = revocation_time(day)
        for row in rows:
            row.revoked_at, row.revoked_reason = when, reason or None
        return [_enrolled(r, found.name) for r in rows]


def enrolled_keys(db: Database) -> list[EnrolledKey]:
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        return [
            _enrolled(r, names.get(r.unit_id, str(r.unit_id)))
            for r in s.scalars(select(m.UnitKey).order_by(m.UnitKey.unit_id, m.UnitKey.enrolled_at))
        ]
