"""Money in 万元 as exact decimals: parsing what clerks type and formatting for display."""

from __future__ import annotations

import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SCALE = 4  # stored to 1/10000 万元 = 1 元
QUANTUM = Decimal(1).scaleb(-SCALE)
MAX_ABS = Decimal("1e12")  # 万元; far above any county figure, below SQLite's integer range
WAN_PER_YI = Decimal(10000)


class MoneyError(ValueError):
    pass


def parse(value: object) -> Decimal | None:
    """Parses a typed or pasted amount; '' and None mean "not reported" and give None.

    Accepts thousands separators, full-width digits and surrounding spaces. Refuses more than
    four decimal places rather than silently rounding what the clerk typed."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise MoneyError("不是数字")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "").replace(" ", "")
        if text == "":
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise MoneyError("不是数字") from None
    if not number.is_finite():
        raise MoneyError("不是有限的数字")
    if abs(number) >= MAX_ABS:
        raise MoneyError("数值过大")
    if number != number.quantize(QUANTUM, rounding=ROUND_HALF_UP):
        raise MoneyError("小数位数不能超过4位")
    return number.quantize(QUANTUM)


def to_units(value: Decimal) -> int:
    """万元 → integer count of 1/10000 万元 (the stored form)."""
    return int(value.quantize(QUANTUM, rounding=ROUND_HALF_UP).scaleb(SCALE))


def from_units(units: int) -> Decimal:
    return Decimal(units).scaleb(-SCALE).quantize(QUANTUM)


def fmt(value: Decimal | None, places: int = 2) -> str:
    """12345.6 → '12,345.60'; None → ''."""
    if value is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, rounding=ROUND_HALF_UP):,.{places}f}"


def wan_to_yi(value: Decimal) -> Decimal:
    return value / WAN_PER_YI
