"""The package codec: decoding a whole entity column by column gives exactly what decoding each
record gives, and any bad value makes it raise exactly what `decode` says about that record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hengdong_desktop.db import models as m
from hengdong_desktop.db.codec import CodecProblem, table_codec

MONTHLY = table_codec(m.EnterpriseMonthly.__table__)  # type: ignore[arg-type]
ENTERPRISE = table_codec(m.Enterprise.__table__)  # type: ignore[arg-type]
NOW = "2025-07-01T08:30:00.123456Z"


def _monthly(n: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "revision": 1,
        "created_at": NOW,
        "updated_at": NOW,
        "updated_by": "填报员",
        "deleted_at": None if n % 3 else NOW,
        "deleted_reason": None if n % 3 else "重复录入",
        "unit_id": 2,
        "enterprise_id": "00000000-0000-4000-8000-000000000999",
        "period": f"2025-{n % 12 + 1:02d}",
        "output_month": f"{n}.5000",
        "output_ytd": None if n % 2 else "-0.0001",
        "revenue_month": "999999999999.9999",
        "revenue_ytd": "0.0000",
        "tax_ytd": None,
        "employees_end": None if n % 4 == 0 else n,
    }


def _enterprise(n: int) -> dict[str, Any]:
    record = {c.name: None for c in ENTERPRISE.columns}
    record.update(
        id=f"00000000-0000-4000-9000-{n:012d}",
        revision=2,
        created_at=NOW,
        updated_at=NOW,
        updated_by="填报员",
        unit_id=2,
        credit_code="91430424MA4L1234X8",
        name=f"企业{n}",
        domain_id=1,
        founded_on="2020-02-29",
        need_categories=["融资"] if n % 2 else [],
        main_products="钢材",
    )
    return record


def _where(n: int) -> str:
    return f"第{n}条"


def test_decoding_all_at_once_equals_decoding_one_by_one() -> None:
    for codec, make in ((MONTHLY, _monthly), (ENTERPRISE, _enterprise)):
        records = [make(n) for n in range(1, 40)]
        assert codec.decode_all(records, _where) == [codec.decode(r, _where(n)) for n, r in enumerate(records, 1)]
    assert MONTHLY.decode_all([], _where) == []


BREAKS: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
    ("not an object", lambda r: r.clear()),
    ("extra field", lambda r: r.update(secret=1)),
    ("missing field", lambda r: r.pop("tax_ytd")),
    ("null where required", lambda r: r.update(period=None)),
    ("number as money", lambda r: r.update(output_month=12)),
    ("three places", lambda r: r.update(output_month="1.500")),
    ("money with newline", lambda r: r.update(output_month="1.5000\n")),
    ("full-width digits", lambda r: r.update(output_month="１.5000")),
    ("bool as integer", lambda r: r.update(employees_end=True)),
    ("huge integer", lambda r: r.update(employees_end=10**15)),
    ("text too long", lambda r: r.update(period="2025-011")),
    ("integer as text", lambda r: r.update(updated_by=7)),
    ("local time", lambda r: r.update(created_at="2025-07-01T08:30:00.123456")),
    ("impossible time", lambda r: r.update(updated_at="2025-02-30T08:30:00.123456Z")),
]


@pytest.mark.parametrize("change", [b[1] for b in BREAKS], ids=[b[0] for b in BREAKS])
def test_a_bad_value_is_reported_as_decode_reports_it(
    change: Callable[[dict[str, Any]], None],
) -> None:
    records = [_monthly(n) for n in range(1, 30)]
    change(records[16])
    bad: Any = [] if records[16] == {} else records[16]
    records[16] = bad
    with pytest.raises(CodecProblem) as one:
        MONTHLY.decode(bad, _where(17))
    with pytest.raises(CodecProblem) as every:
        MONTHLY.decode_all(records, _where)
    assert str(every.value) == str(one.value) and "第17条" in str(one.value)


def test_an_impossible_date_is_refused_in_chinese() -> None:
    record = _enterprise(1) | {"founded_on": "2023-02-29"}
    with pytest.raises(CodecProblem, match="“founded_on”应为日期YYYY-MM-DD"):
        ENTERPRISE.decode_all([record], _where)
