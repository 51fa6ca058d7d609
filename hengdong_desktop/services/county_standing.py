"""比学赶超 at the township: the county's standing of one unit (its rank among the units ranked,
its score and each criterion's part) as of a stated period, on accepted data only
(services/rankings.py). The county writes it into the unit's 下发包 (`standing_record`); the
township checks it field by field (`validated`, a refusal names the field), keeps the latest in
app_meta (`remember`) and shows it on its 概览 (`received`).

Record (JSON, one per 下发包, at most MAX_BYTES): period, as_of (the day it stands on), basis (the
口径 in words), rank, ranked (how many units), score ("76.50"), parts: per criterion its key,
label, unit, raw value, weight, points and what the value was measured against (decimals as
strings, None where the criterion does not apply). The score must be the parts' sum scaled to
100, as domain/ranking.py computes it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import ranking as rk
from hengdong_desktop.domain.text import forbidden_in

META_STANDING = "county_standing"
MAX_BYTES = 8 * 1024  # the record as JSON: seven parts take about 1.5 KB
MAX_PARTS = 12
MAX_RANKED = 500
FIELDS = {"period", "as_of", "basis", "rank", "ranked", "score", "parts"}
PART_FIELDS = {"criterion", "label", "unit", "value", "weight", "points", "against"}
FIELD_LABELS = {
    "period": "期别",
    "as_of": "截至日期",
    "basis": "口径",
    "rank": "名次",
    "ranked": "参加排名的单位数",
    "score": "得分",
    "parts": "得分构成",
    "criterion": "评分项",
    "label": "评分项名称",
    "unit": "计量单位",
    "value": "数值",
    "weight": "权重",
    "points": "得分",
    "against": "比较基准",
}
_KEY = re.compile(r"[a-z_]{1,20}")
_DECIMAL = re.compile(r"-?\d{1,12}(\.\d{1,4})?")
_SCORE = re.compile(r"\d{1,3}\.\d{2}")


class StandingProblem(ValueError):
    """Why a received standing is refused, naming the field."""


@dataclass(frozen=True)
class Part:
    criterion: str
    label: str
    unit: str
    value: Decimal | None  # None: does not apply
    weight: int
    points: Decimal | None
    against: Decimal | None

    def line(self) -> str:
        if self.value is None:
            return f"{self.label}：不适用，不计入（权重{self.weight}分从满分中扣除）"
        against = "" if self.against is None else f"，比较基准{_plain(self.against)}{self.unit}"
        return f"{self.label}：{_plain(self.value)}{self.unit}{against}，权重{self.weight}分，得{self.points}分"


@dataclass(frozen=True)
class CountyStanding:
    """The county's standing of this unit, as received."""

    period: str
    as_of: date
    basis: str
    rank: int
    ranked: int
    score: Decimal
    parts: tuple[Part, ...]

    def sentence(self) -> str:
        year, month = periods.parse(self.period)
        return f"比学赶超：全县第 {self.rank} 名（共 {self.ranked} 个单位，截至 {year}年{month}月）"


def _plain(value: Decimal) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# The county ----------------------------------------------------------------------------------
def ranking_period_in(session: Session) -> str | None:
    """The period the 下发包 ranks on: the latest the county has accepted any unit's data for."""
    return session.scalar(select(func.max(m.Review.period)).where(m.Review.decision == "accepted"))


def standing_record(session: Session, unit_id: int, *, today: date | None = None) -> dict[str, Any] | None:
    """The unit's standing in the county's unit ranking (accepted data only) as of the latest
    accepted period, as the 下发包 carries it; None when nothing is accepted yet or the unit is
    not ranked."""
    from hengdong_desktop.services import rankings  # the figures: not needed to open a 下发包

    period = ranking_period_in(session)
    if period is None:
        return None
    ranking = rankings.unit_ranking_in(session, period, today=today)
    own = ranking.of(unit_id)
    if own is None:
        return None
    return {
        "period": ranking.period,
        "as_of": ranking.as_of.isoformat(),
        "basis": ranking.basis[:200],
        "rank": own.rank,
        "ranked": len(ranking.standings),
        "score": f"{own.score:.2f}",
        "parts": [
            {
                "criterion": p.criterion.key,
                "label": p.criterion.label,
                "unit": p.criterion.unit,
                "value": _text(p.value),
                "weight": p.weight,
                "points": None if p.points is None else f"{p.points:.2f}",
                "against": _text(p.against),
            }
            for p in own.parts
        ],
    }


# The township --------------------------------------------------------------------------------
def _bad(field: str, why: str = "无效") -> StandingProblem:
    return StandingProblem(f"比学赶超排名的“{FIELD_LABELS[field]}”（{field}）{why}")


def _int(raw: dict[str, Any], field: str, low: int, high: int) -> int:
    value = raw[field]
    if type(value) is not int or not low <= value <= high:
        raise _bad(field, f"应为{low}至{high}之间的整数")
    return value


def _string(raw: dict[str, Any], field: str, longest: int, *, empty: bool = False) -> str:
    value = raw[field]
    if not isinstance(value, str) or len(value) > longest or (not value and not empty):
        raise _bad(field, f"应为不超过{longest}个字的文字")
    if forbidden_in(value):
        raise _bad(field, f"含有不允许的字符{forbidden_in(value)}")
    return value


def _decimal(raw: dict[str, Any], field: str, *, nullable: bool = True, pattern: re.Pattern[str] = _DECIMAL) -> Any:
    value = raw[field]
    if value is None and nullable:
        return None
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise _bad(field, "应为写成文字的数值")
    return Decimal(value)


def validated(raw: Any) -> CountyStanding:
    """A received standing checked field by field (StandingProblem names the first bad one)."""
    if not isinstance(raw, dict) or set(raw) != FIELDS:
        raise StandingProblem("比学赶超排名的字段不符（应有期别、截至日期、口径、名次、单位数、得分、得分构成）")
    period = raw["period"]
    if not isinstance(period, str) or not periods.is_period(period):
        raise _bad("period")
    try:
        as_of = date.fromisoformat(raw["as_of"]) if isinstance(raw["as_of"], str) else None
    except ValueError:
        as_of = None
    if as_of is None or not periods.make(as_of.year, as_of.month) <= period:
        raise _bad("as_of", "无效或晚于期别")
    basis = _string(raw, "basis", 200)
    ranked = _int(raw, "ranked", 1, MAX_RANKED)
    rank = _int(raw, "rank", 1, ranked)
    score = _decimal(raw, "score", nullable=False, pattern=_SCORE)
    if score > 100:
        raise _bad("score", "超过100分")
    parts_raw = raw["parts"]
    if not isinstance(parts_raw, list) or not 1 <= len(parts_raw) <= MAX_PARTS:
        raise _bad("parts", f"应有1至{MAX_PARTS}项")
    parts: list[Part] = []
    for n, item in enumerate(parts_raw, 1):
        if not isinstance(item, dict) or set(item) != PART_FIELDS:
            raise StandingProblem(f"比学赶超排名的得分构成第{n}项字段不符")
        try:
            key = item["criterion"]
            if not isinstance(key, str) or not _KEY.fullmatch(key) or any(p.criterion == key for p in parts):
                raise _bad("criterion", "无效或重复")
            value, points = _decimal(item, "value"), _decimal(item, "points", pattern=_SCORE)
            if (value is None) != (points is None):
                raise _bad("points", "与数值不相称（不适用的项没有得分）")
            weight = _int(item, "weight", 0, 100)
            if points is not None and points > weight:
                raise _bad("points", "超过该项权重")
            parts.append(
                Part(
                    key,
                    _string(item, "label", 20),
                    _string(item, "unit", 4, empty=True),
                    value,
                    weight,
                    points,
                    _decimal(item, "against"),
                )
            )
        except StandingProblem as problem:
            raise StandingProblem(
                f"比学赶超排名的得分构成第{n}项{str(problem).removeprefix('比学赶超排名的')}"
            ) from None
    applied = sum(p.weight for p in parts if p.value is not None)
    total = sum((p.points or Decimal(0) for p in parts), Decimal(0))
    expected = (total * rk.HUNDRED / applied).quantize(rk.CENT, ROUND_HALF_UP) if applied else rk.ZERO
    if expected != score:
        raise _bad("score", f"与各项得分不符（各项合计折算为{expected}分）")
    return CountyStanding(period, as_of, basis, rank, ranked, score, tuple(parts))


def remember(session: Session, standing: dict[str, Any]) -> None:
    """Keeps a validated standing as this unit's latest (it replaces the one before)."""
    session.merge(m.Meta(key=META_STANDING, value=json.dumps(standing, ensure_ascii=False)))


def received_in(session: Session) -> CountyStanding | None:
    row = session.get(m.Meta, META_STANDING)
    if row is None:
        return None
    try:
        return validated(json.loads(row.value))
    except (ValueError, TypeError):  # stored by this module after the same check: never expected
        return None


def received(db: Database) -> CountyStanding | None:
    """The latest standing the county sent this unit, or None if none has arrived."""
    with db.read() as s:
        return received_in(s)
