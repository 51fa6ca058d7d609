"""Turns what a user typed, pasted or imported into typed field values, field by field.

Forms, Excel import and package import all pass raw values through `coerce`, so "12,345.6",
"２０２４年５月１日" or "是" mean the same wherever they come from. A value that cannot be read
becomes a 强制性 finding naming the field; it never becomes a silent None."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from hengdong_desktop.domain import credit_code, money, periods
from hengdong_desktop.domain.fields import ENTITIES, FieldSpec
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.domain.rules import Finding, Severity

_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_MONTH_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
)
_SPLIT = re.compile(r"[、,，;；/\s]+")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "无"}


class ValueProblem(ValueError):
    """Why one value cannot be read; the message completes “<label>…”."""


def _text(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value)).strip()


def parse_date(value: object) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if text == "":
        return None
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                raise ValueProblem(f"“{text}”不是存在的日期") from None
    raise ValueProblem(f"“{text}”不是日期，应写成2024-05-01")


def parse_month(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return periods.make(value.year, value.month)
    text = _text(value)
    if text == "":
        return None
    for pattern in _MONTH_PATTERNS:
        m = pattern.match(text)
        if m and 1 <= int(m.group(2)) <= 12:
            return periods.make(int(m.group(1)), int(m.group(2)))
    try:
        day = parse_date(text)
    except ValueProblem:
        day = None
    if day:
        return periods.make(day.year, day.month)
    raise ValueProblem(f"“{text}”不是年月，应写成2024-05")


def parse_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueProblem("应为整数")
    if isinstance(value, int):
        return value
    try:
        number = money.parse(value)
    except money.MoneyError:
        raise ValueProblem(f"“{_text(value)}”不是整数") from None
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueProblem(f"“{_text(value)}”应为整数")
    return int(number)


def parse_money(value: object) -> Decimal | None:
    try:
        return money.parse(value)
    except money.MoneyError as exc:
        raise ValueProblem(f"“{_text(value)}”{exc}") from None


def parse_bool(value: object) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = _text(value).lower()
    if text == "":
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueProblem(f"“{text}”应填“是”或“否”")


@dataclass
class Coerced:
    values: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


EnterpriseLookup = Callable[[str], str | None]


def coerce_value(
    spec: FieldSpec,
    value: object,
    ref: Reference,
    *,
    lookup: Mapping[str, EnterpriseLookup] | None = None,
) -> Any:
    """One raw value → its typed form; raises ValueProblem with the reason."""
    if isinstance(value, str) and value.strip() == "":
        value = None
    if spec.kind == "text":
        if value is None:
            return None
        if spec.name == "credit_code":
            return credit_code.normalize(str(value))
        return _text(value) if not isinstance(value, str) else value.strip()
    if spec.kind == "longtext":
        return None if value is None else str(value).strip()
    if spec.kind == "money":
        return parse_money(value)
    if spec.kind == "int":
        return parse_int(value)
    if spec.kind == "date":
        return parse_date(value)
    if spec.kind == "month":
        return parse_month(value)
    if spec.kind == "bool":
        return parse_bool(value)
    if spec.kind == "choice":
        if value is None:
            return None
        canonical = ref.match_option(spec.options or "", _text(value))
        if canonical is None:
            allowed = "、".join(ref.options.get(spec.options or "", ()))
            raise ValueProblem(f"“{_text(value)}”不是可选值（可选：{allowed}）")
        return canonical
    if spec.kind == "multichoice":
        if value is None:
            return []
        items = value if isinstance(value, list | tuple) else _SPLIT.split(_text(value))
        out: list[str] = []
        for item in items:
            if not str(item).strip():
                continue
            canonical = ref.match_option(spec.options or "", _text(item))
            if canonical is None:
                allowed = "、".join(ref.options.get(spec.options or "", ()))
                raise ValueProblem(f"“{_text(item)}”不是可选值（可选：{allowed}）")
            if canonical not in out:
                out.append(canonical)
        return out
    if spec.kind == "ref":
        if value is None:
            return None
        if spec.ref in ("enterprise", "project", "problem"):
            finder = (lookup or {}).get(spec.ref)
            found = finder(_text(value)) if finder else None
            if found is None:
                where = {"enterprise": "本单位企业库", "project": "本单位项目库", "problem": "该企业的问题"}[spec.ref]
                raise ValueProblem(f"“{_text(value)}”在{where}中找不到")
            return found
        resolved = ref.resolve(spec.ref or "", value if isinstance(value, int) else _text(value))
        if resolved is None:
            raise ValueProblem(f"“{_text(value)}”不在基础数据中")
        return resolved
    raise AssertionError(spec.kind)


def coerce(
    entity: str,
    raw: Mapping[str, object],
    ref: Reference,
    *,
    lookup: Mapping[str, EnterpriseLookup] | None = None,
) -> Coerced:
    """Coerces the fields of `entity` present in `raw` (by attribute name)."""
    result = Coerced()
    for spec in ENTITIES[entity]:
        if spec.name not in raw:
            continue
        try:
            result.values[spec.name] = coerce_value(spec, raw[spec.name], ref, lookup=lookup)
        except ValueProblem as exc:
            result.findings.append(
                Finding(
                    rule_id=f"FMT.{spec.name}",
                    severity=Severity.MANDATORY,
                    entity=entity,
                    fields=(spec.name,),
                    message=f"{spec.label}{exc}",
                )
            )
    return result
