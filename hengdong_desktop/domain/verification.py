"""The verification code (校验码) printed on a form: a short digest of what the form shows and
the record's revision, so a printed, signed form can be matched to the data it came from.

The code is the first 40 bits of SHA-256 over a canonical JSON serialisation, written as eight
Crockford base-32 characters in two groups (no I, L, O or U to misread): e.g. ``7KQ2-M9XD``."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
PREFIX = b"hengdong-form-v1\n"  # versioned: a future change of the scheme cannot collide


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 1.50 and 1.5 are the same amount
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    raise TypeError(f"cannot serialise {type(value).__name__} for a verification code")


def canonical(payload: Mapping[str, Any]) -> bytes:
    """Sorted keys, no whitespace, UTF-8, NFC-normalised text: equal content, equal bytes."""
    plain = _plain(payload)
    return json.dumps(plain, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def verification_code(payload: Mapping[str, Any]) -> str:
    digest = int.from_bytes(hashlib.sha256(PREFIX + canonical(payload)).digest()[:5], "big")
    chars = "".join(ALPHABET[(digest >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(text: str) -> str:
    """What a person typed back in: case, spaces, dashes and the look-alikes I/L→1, O→0 forgiven."""
    folded = unicodedata.normalize("NFKC", text).upper().translate(str.maketrans("ILO", "110"))
    chars = "".join(ch for ch in folded if ch in ALPHABET)
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars
