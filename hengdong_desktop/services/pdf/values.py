"""Field values as the printed documents show them: names for references, 万元 with thousands
separators, ISO dates, “是/否”. An empty string means “not reported”; zero prints as 0.00."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from hengdong_desktop.domain import money, periods
from hengdong_desktop.domain.fields import FieldSpec
from hengdong_desktop.domain.reference import Reference


def money_text(value: Decimal | None) -> str:
    return money.fmt(value, 2)


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else f"{value}%"


def date_text(value: date | None) -> str:
    return value.isoformat() if value else ""


def period_text(period: str | None) -> str:
    """'2025-03' → '2025年3月'."""
    if not period:
        return ""
    year, month = periods.parse(period)
    return f"{year}年{month}月"


def field_text(spec: FieldSpec, value: Any, ref: Reference, names: Mapping[str, str] | None = None) -> str:
    """One field's printed text. `names` maps record ids to names for enterprise references."""
    if value is None or value == "":
        return ""
    if spec.kind == "ref":
        if spec.ref == "enterprise":
            return (names or {}).get(value, "")
        return ref.name_of(spec.ref or "", value)
    if spec.kind == "money":
        return money_text(value)
    if spec.kind == "date":
        return date_text(value)
    if spec.kind == "month":
        return period_text(value)
    if spec.kind == "bool":
        return "是" if value else "否"
    if spec.kind == "multichoice":
        return "、".join(value)
    return str(value)


def record_texts(
    specs: tuple[FieldSpec, ...], record: object, ref: Reference, names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every field of `specs` on `record`, as printed text."""
    return {s.name: field_text(s, getattr(record, s.name), ref, names) for s in specs}
