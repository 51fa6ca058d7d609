"""比学赶超: the criteria units and lead departments are ranked on, and the scoring, as pure code.

A ranking states its formula. Each criterion measures one raw value per ranked unit or department
(services/rankings.py says how, as of a period) and turns it into points out of its
weight (reference data, `Reference.weights`):
- RATE (a percentage): weight × value ÷ 100, the value held to 0–100;
- MORE (a count or growth, more is better): weight × value ÷ the best value (negative values
  score nothing; nobody above zero: nobody scores);
- FEWER (a count, fewer is better): weight × (1 − value ÷ the worst value); nobody above zero:
  everybody scores the full weight.
A criterion that does not apply to someone (no problem fell due, no plan filed) is left out of
their score, which is then scaled to 100: score = 100 × Σ points ÷ Σ weights that applied. Points
and scores are rounded half up to two decimals; equal scores share a rank (1, 2, 2, 4)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

RATE, MORE, FEWER = "rate", "more", "fewer"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    measures: str  # how the raw value is measured, for the 口径 and the drill-down
    weight: int  # the default weight (reference data may change it)
    scoring: str  # RATE, MORE or FEWER
    unit: str  # of the raw value: % / 个 / 户 / 次 / 条

    @property
    def rule(self) -> str:
        """The scoring rule in words."""
        return {
            RATE: "得分=权重×比例（0～100%）",
            MORE: "得分=权重×本单位数值÷最高数值",
            FEWER: "得分=权重×（1−本单位数值÷最多数值）",
        }[self.scoring]


UNIT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "on_time",
        "按时上报",
        "截至本期末已到截止日的近12个月中，次月截止日前上报（县级收到）的月数占应报月数的比例",
        15,
        RATE,
        "%",
    ),
    Criterion("projects", "亿元级项目实施", "截至本期已开工实施的亿元级项目数", 20, MORE, "个"),
    Criterion(
        "investment",
        "项目投资完成率",
        "本单位项目本年累计完成投资÷本年年度计划投资（封顶100%）；无年度计划的不计此项",
        15,
        RATE,
        "%",
    ),
    Criterion(
        "growth",
        "企业产值增长",
        "本单位企业1-本月累计（按各领域口径）比上年同期增长的百分比；无上年同期数的不计此项",
        15,
        MORE,
        "%",
    ),
    Criterion("scale", "十亿级、亿级企业", "按预计全年，十亿级企业每户计2、亿级企业每户计1", 15, MORE, "户"),
    Criterion(
        "problems",
        "问题按期办结",
        "办理时限在本期末以前的问题中，在时限内办结的比例；没有到期问题的不计此项",
        10,
        RATE,
        "%",
    ),
    Criterion("returns", "数据质量（退回）", "本年截至本期，上报数据被县级退回的次数", 10, FEWER, "次"),
)
DEPARTMENT_CRITERIA: tuple[Criterion, ...] = (
    Criterion(
        "targets",
        "牵头领域目标完成",
        "所牵头领域百亿级产业、十亿级企业、亿元级项目完成率（各封顶100%）的平均；不牵头领域的不计此项",
        50,
        RATE,
        "%",
    ),
    Criterion(
        "closed_on_time",
        "交办问题按期办结",
        "交办本部门、办理时限在本期末以前的问题中，在时限内办结的比例；没有到期问题的不计此项",
        30,
        RATE,
        "%",
    ),
    Criterion("overdue", "逾期未办结问题", "截至本期末超过办理时限仍未办结的交办问题条数", 20, FEWER, "条"),
)
SCOPES = {"unit": UNIT_CRITERIA, "department": DEPARTMENT_CRITERIA}
SCOPE_LABELS = {"unit": "乡镇（县经开区）", "department": "牵头部门"}


def weight_key(scope: str, criterion: str) -> str:
    """The reference-data parameter holding a criterion's weight."""
    return f"weight_{'dept' if scope == 'department' else 'unit'}_{criterion}"


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Part:
    """One criterion of one score: the raw value, the weight, the points and what they were
    measured against (the best or worst value among those ranked; None for RATE)."""

    criterion: Criterion
    value: Decimal | None  # None: does not apply
    weight: int
    points: Decimal | None
    against: Decimal | None = None

    @property
    def applies(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Standing:
    key: object  # unit id / department name
    name: str
    rank: int
    score: Decimal  # out of 100
    parts: tuple[Part, ...]

    @property
    def points(self) -> Decimal:
        return sum((p.points or ZERO for p in self.parts), ZERO)

    @property
    def weight_applied(self) -> int:
        return sum(p.weight for p in self.parts if p.applies)


def _points(c: Criterion, value: Decimal, weight: int, against: Decimal | None) -> Decimal:
    w = Decimal(weight)
    if c.scoring == RATE:
        return _round(w * min(max(value, ZERO), HUNDRED) / HUNDRED)
    if c.scoring == MORE:
        return _round(w * max(value, ZERO) / against) if against and against > 0 else ZERO
    return _round(w * (1 - value / against)) if against and against > 0 else _round(w)


def rank(
    entries: Sequence[tuple[object, str, Mapping[str, Decimal | None]]],
    criteria: Sequence[Criterion],
    weights: Mapping[str, int],
) -> list[Standing]:
    """Scores and ranks `entries` — (key, name, raw value per criterion key) in their display order,
    which also orders equal scores — on `criteria` with `weights` (criterion key → weight)."""
    against: dict[str, Decimal | None] = {}
    for c in criteria:
        measured = [v for _k, _n, raw in entries if (v := raw.get(c.key)) is not None]
        against[c.key] = None if c.scoring == RATE or not measured else max(measured)
    scored: list[tuple[object, str, Decimal, tuple[Part, ...]]] = []
    for key, name, raw in entries:
        parts: list[Part] = []
        for c in criteria:
            value, weight = raw.get(c.key), weights[c.key]
            points = None if value is None else _points(c, value, weight, against[c.key])
            parts.append(Part(c, value, weight, points, against[c.key]))
        applied = sum(p.weight for p in parts if p.applies)
        total = sum((p.points or ZERO for p in parts), ZERO)
        scored.append((key, name, _round(total * HUNDRED / applied) if applied else ZERO, tuple(parts)))
    ordered = sorted(range(len(scored)), key=lambda n: (-scored[n][2], n))
    out: list[Standing] = []
    for position, n in enumerate(ordered):
        key, name, score, scored_parts = scored[n]
        shared = out[-1].rank if out and out[-1].score == score else position + 1
        out.append(Standing(key, name, shared, score, scored_parts))
    return out
