"""Reporting periods 'YYYY-MM'."""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

_PERIOD = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)  # matched in full


def is_period(text: str) -> bool:
    return bool(_PERIOD.fullmatch(text or ""))


@lru_cache(maxsize=4096)  # the rule engine asks for the same few periods very often
def parse(text: str) -> tuple[int, int]:
    m = _PERIOD.fullmatch((text or "").strip())
    if not m:
        raise ValueError(f"“{text}”不是有效的期别，应为YYYY-MM，如2025-03")
    return int(m.group(1)), int(m.group(2))


def make(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@lru_cache(maxsize=4096)  # asked once per monthly record when the rules run over a package
def previous(period: str) -> str:
    y, m = parse(period)
    return make(y - 1, 12) if m == 1 else make(y, m - 1)


def following(period: str) -> str:
    y, m = parse(period)
    return make(y + 1, 1) if m == 12 else make(y, m + 1)


def year_of(period: str) -> int:
    return parse(period)[0]


def month_of(period: str) -> int:
    return parse(period)[1]


def last_day(period: str) -> date:
    """The period's last day (what “数据截至” a period means)."""
    year, month = parse(period)
    return date(year, month, calendar.monthrange(year, month)[1])


def last_completed(today: date | None = None) -> str:
    """The period clerks report in a given month: the month before."""
    today = today or date.today()
    return previous(make(today.year, today.month))


def span(end: str, months: int) -> list[str]:
    """The `months` periods ending with `end`, oldest first."""
    out = [end]
    while len(out) < months:
        out.append(previous(out[-1]))
    return out[::-1]
