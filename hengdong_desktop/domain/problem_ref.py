"""How a 一企一策 measure names the enterprise's problem it answers (关联问题), wherever a clerk reads
or types it — the editor's list, the printed form, the history and the Excel sheet 一企一策: the
problem's 提出日期 and the start of its 问题描述, “2025-03-05 用地指标不足，需协调…”.

`references` writes each problem of one enterprise as the shortest such text (at least SHORT
characters of the description) that no other problem of the same day shares; `find` reads a
typed text back: a date (any form the forms accept) then the description's first characters,
or only the first characters. A trailing “…” is ignored."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from hengdong_desktop.domain.records import ValueProblem, parse_date

SHORT = 20
ELLIPSIS = "…"


def label(raised_on: date | None, description: str | None, length: int = SHORT) -> str:
    """A problem as one line: its date and the first `length` characters of its description."""
    text = " ".join((description or "").split())
    short = text if len(text) <= length else text[:length] + ELLIPSIS
    return f"{raised_on.isoformat()} {short}" if raised_on else short


def references(problems: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """id → the text that names each of one enterprise's problems unambiguously (`find` reads
    it back to that problem). Problems carry "id", "raised_on" and "description"."""
    rows = list(problems)
    out: dict[str, str] = {}
    for p in rows:
        text = " ".join((p["description"] or "").split())
        same_day = [
            " ".join((q["description"] or "").split())
            for q in rows
            if q["id"] != p["id"] and q["raised_on"] == p["raised_on"]
        ]
        length = SHORT
        while length < len(text) and any(other.startswith(text[:length]) for other in same_day):
            length += 10
        out[p["id"]] = label(p["raised_on"], p["description"], length)
    return out


def find(typed: str, problems: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ids of the problems a typed 关联问题 names (none, one, or several when it is too short);
    full-width and half-width forms (“，” and “,”) compare equal, as spaces do however many."""
    text = _fold(typed).removesuffix(_fold(ELLIPSIS)).strip()
    day: date | None = None
    first, _, rest = text.partition(" ")
    try:
        day = parse_date(first)
        text = rest.strip()
    except ValueProblem:
        day = None
    return [
        p["id"]
        for p in problems
        if (day is None or p["raised_on"] == day) and _fold(p["description"] or "").startswith(text)
    ]


def _fold(text: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).split())
