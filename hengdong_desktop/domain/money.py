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


def fmt_distinct(*values: Decimal, places: int = 2) -> list[str]:
    """The values formatted with one number of decimal places: the fewest (at least `places`)
    that keep unequal values unequal and in the same order as the exact values, so rounding never
    makes a comparison in a message look wrong (9,999.9999 is not shown as 10,000.00 beside a
    limit of 10,000)."""
    exact = max((-v.normalize().as_tuple().exponent for v in values if v.is_finite()), default=0)  # type: ignore[operator]
    for p in range(places, max(places, exact) + 1):
        q = Decimal(1).scaleb(-p)
        shown = [v.quantize(q, rounding=ROUND_HALF_UP) for v in values]
        if all(
            (shown[i] < shown[j]) == (values[i] < values[j]) and (shown[i] == shown[j]) == (values[i] == values[j])
            for i in range(len(values))
            for j in range(i + 1, len(values))
        ):
            return [fmt(v, p) for v in values]
    return [fmt(v, max(places, exact)) for v in values]


def fmt_beside(value: Decimal | None, limit: Decimal, places: int = 2) -> str:
    """`value` formatted so that it reads as it compares with `limit` (see `fmt_distinct`)."""
    return "" if value is None else fmt_distinct(value, limit, places=places)[0]
