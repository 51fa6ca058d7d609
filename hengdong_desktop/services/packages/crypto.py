"""The cryptography of packages, in standard constructions and formats only.

- Signatures: Ed25519 over the exact bytes of `manifest.json` (so `openssl pkeyutl -verify
  -rawin` checks them). Public keys travel as PEM SubjectPublicKeyInfo.
- Encryption (package format 2): each package gets a fresh X25519 key pair; ECDH with the
  recipient's X25519 public key, then HKDF-SHA256 (salt = ephemeral ‖ recipient public key,
  info = `INFO`) gives a 256-bit AES-GCM key. Each data member is zlib-compressed, then sealed
  as nonce(12) ‖ AES-256-GCM ciphertext with the package id and the member path as associated
  data, so a member cannot be moved to another package or another name.
- Key ids: the first 16 hex digits of SHA-256 of the raw public key; fingerprints: the first 20,
  upper case, in groups of four, short enough to read over the phone."""

from __future__ import annotations

import base64
import hashlib
import os
import zlib

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SCHEME = "X25519-HKDF-SHA256-AES-256-GCM"
INFO = b"hengdong-package-2"
NONCE_BYTES = 12
TAG_BYTES = 16

PublicKey = Ed25519PublicKey | X25519PublicKey


class SealProblem(Exception):
    """A sealed member that cannot be opened (wrong key, tampered, or too large)."""


def raw(public: PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(public: PublicKey) -> str:
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode(
        "ascii"
    )


def key_id(public: PublicKey) -> str:
    return hashlib.sha256(raw(public)).hexdigest()[:16]


def fingerprint(public: PublicKey) -> str:
    digest = hashlib.sha256(raw(public)).hexdigest()[:20].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 20, 4))


def show_key_id(kid: str) -> str:
    """How a key id is shown to people everywhere: upper case, in groups of four."""
    text = kid.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def load_signing_public(pem: str | bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 key")
    return key


def load_encryption_public(pem: str | bytes) -> X25519PublicKey:
    """An X25519 public key from PEM; ValueError for anything else."""
    key = serialization.load_pem_public_key(pem.encode("ascii") if isinstance(pem, str) else pem)
    if not isinstance(key, X25519PublicKey):
        raise ValueError("not an X25519 key")
    return key


def verify(public: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public.verify(signature, data)
    except InvalidSignature:
        return False
    return True


# Sealing ---------------------------------------------------------------------------------------
def _content_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=ephemeral + recipient, info=INFO).derive(shared)


def _aad(package_id: str, path: str) -> bytes:
    return f"{package_id}\0{path}".encode()


class Sealer:
    """Seals the members of one package to one recipient."""

    def __init__(self, recipient: X25519PublicKey) -> None:
        ephemeral = X25519PrivateKey.generate()
        self.ephemeral_public = raw(ephemeral.public_key())
        self.recipient_id = key_id(recipient)
        key = _content_key(ephemeral.exchange(recipient), self.ephemeral_public, raw(recipient))
        self._aead = AESGCM(key)

    def header(self) -> dict[str, str]:
        """What the manifest says of the encryption (public values only)."""
        return {
            "scheme": SCHEME,
            "recipient": self.recipient_id,
            "ephemeral": base64.b64encode(self.ephemeral_public).decode("ascii"),
        }

    def seal(self, package_id: str, path: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, zlib.compress(plaintext, 6), _aad(package_id, path))


class Opener:
    """Opens the sealed members of one package with the recipient's private key."""

    def __init__(self, private: X25519PrivateKey, ephemeral_b64: str) -> None:
        try:
            ephemeral = base64.b64decode(ephemeral_b64, validate=True)
            peer = X25519PublicKey.from_public_bytes(ephemeral)
        except ValueError:
            raise SealProblem("清单中的加密公钥无效") from None
        recipient = raw(private.public_key())
        self._aead = AESGCM(_content_key(private.exchange(peer), ephemeral, recipient))

    def compressed(self, package_id: str, path: str, sealed: bytes) -> bytes:
        """The member's zlib stream, authenticated."""
        if len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise SealProblem(f"“{path}”已损坏（密文过短）")
        nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, body, _aad(package_id, path))
        except InvalidTag:
            raise SealProblem(f"“{path}”无法解密（不是发给本单位的，或已被改动）") from None


def inflate(stream: bytes, size: int, path: str) -> bytes:
    """A zlib stream that must inflate to exactly `size` bytes: never more is produced, so a
    stream that claims little and inflates to much costs no more than `size`."""
    inflater = zlib.decompressobj()
    try:
        data = inflater.decompress(stream, size + 1)
    except zlib.error:
        raise SealProblem(f"“{path}”已损坏（无法解压）") from None
    if len(data) != size or not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
        raise SealProblem(f"“{path}”解压后的大小与清单不符")
    return data


def new_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def new_encryption_key() -> X25519PrivateKey:
    return X25519PrivateKey.generate()
