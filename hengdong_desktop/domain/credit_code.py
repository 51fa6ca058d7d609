"""统一社会信用代码 (GB 32100-2015): normalisation and the check character."""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}


def normalize(text: str | None) -> str:
    """Upper-cases, converts full-width characters and drops spaces, as clerks type and paste."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    return "".join(folded.split()).upper()


def check_character(first17: str) -> str:
    total = sum(_INDEX[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> str | None:
    """Why `code` (already normalised) is not a valid credit code, or None if it is."""
    if len(code) != 18:
        return f"应为18位，实际为{len(code)}位"
    bad = sorted({ch for ch in code if ch not in _INDEX})
    if bad:
        return f"含有不允许的字符“{''.join(bad)}”（不使用I、O、Z、S、V）"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误，第18位应为“{expected}”"
    return None


def is_valid(code: str) -> bool:
    return problem(normalize(code)) is None


def complete(first17: str) -> str:
    """Appends the check character to 17 valid characters."""
    return first17 + check_character(first17)
