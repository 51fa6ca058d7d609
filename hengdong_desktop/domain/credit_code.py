"""统一社会信用代码 (GB 32100-2015): normalisation and the check character."""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# The first character, 登记管理部门代码 (GB 32100-2015 table 1): 1 机构编制, 2 外交, 3 司法行政,
# 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管 (工商), A 中央军委改革和编制办公室, N 农业, Y 其他.
REGISTRARS = "123456789ANY"
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
    if code[0] not in REGISTRARS:
        return f"第1位（登记管理部门代码）“{code[0]}”无效，应为1～9、A、N或Y"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"校验位错误，第18位应为“{expected}”"
    return None


def is_valid(code: str) -> bool:
    return problem(normalize(code)) is None


def complete(first17: str) -> str:
    """Appends the check character to 17 valid characters."""
    return first17 + check_character(first17)
