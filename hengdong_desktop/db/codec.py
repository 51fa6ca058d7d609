"""Rows as JSON: how each column type travels in a package (canonical text for money and
times), strict decoding of received values, and the driver-level bulk insert that the merge's
hot path and the merge-base snapshots share."""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, String, Table

from hengdong_desktop.db.types import Money, UTCDateTime
from hengdong_desktop.domain import money

MAX_INT = 10**15


class CodecProblem(Exception):
    """A value that does not fit its column; str() says where and why, in Chinese."""


def money_out(v: Decimal) -> str:
    return format(v.quantize(money.QUANTUM), "f")


def datetime_out(v: datetime) -> str:
    return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


_MONEY_TEXT = re.compile(r"^-?\d{1,12}\.\d{4}$")  # canonical: exactly four places
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def _money_in(v: Any) -> Decimal:
    if not isinstance(v, str) or not _MONEY_TEXT.match(v):
        raise ValueError("应为四位小数的金额字符串")
    return Decimal(v).quantize(money.QUANTUM)


def _date_in(v: Any) -> date:
    if not isinstance(v, str) or not _DATE_TEXT.match(v):
        raise ValueError("应为日期YYYY-MM-DD")
    return date.fromisoformat(v)


def datetime_in(v: Any) -> datetime:
    if not isinstance(v, str) or not _DATETIME_TEXT.match(v):
        raise ValueError("应为UTC时间")
    return datetime.fromisoformat(v)


def _int_in(v: Any) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise ValueError("应为整数")
    if abs(v) >= MAX_INT:
        raise ValueError("数值过大")
    return v


def _bool_in(v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueError("应为true或false")
    return v


def _json_in(v: Any) -> Any:
    if not isinstance(v, list | dict):
        raise ValueError("应为列表")
    return v


def _money_db(v: str) -> int:
    return int(v.replace(".", ""))  # canonical text has exactly four places: 1/10000 万元


def _datetime_db(v: str) -> str:
    return f"{v[:10]} {v[11:26]}"  # how SQLAlchemy stores a naive DateTime in SQLite


def _bool_db(v: bool) -> int:
    return int(v)


def _json_db(v: Any) -> str:
    return json.dumps(v)


@dataclass(frozen=True)
class ColumnCodec:
    name: str
    encode: Callable[[Any], Any]  # database (Python) value → JSON value
    decode: Callable[[Any], Any]  # JSON value → database (Python) value, strictly
    nullable: bool
    to_db: Callable[[Any], Any] | None  # canonical JSON value → what SQLite stores (None: as is)


def _identity(v: Any) -> Any:
    return v


def _text_in(length: int | None) -> Callable[[Any], str]:
    def decode(v: Any) -> str:
        if not isinstance(v, str):
            raise ValueError("应为文字")
        if length is not None and len(v) > length:
            raise ValueError(f"不能超过{length}个字")
        return v

    return decode


def _column_codec(col: Any) -> ColumnCodec:
    t = col.type
    enc: Callable[[Any], Any]
    dec: Callable[[Any], Any]
    to_db: Callable[[Any], Any] | None = None
    if isinstance(t, Money):
        enc, dec, to_db = money_out, _money_in, _money_db
    elif isinstance(t, UTCDateTime):
        enc, dec, to_db = datetime_out, datetime_in, _datetime_db
    elif isinstance(t, Date):
        enc, dec = date.isoformat, _date_in
    elif isinstance(t, Boolean):
        enc, dec, to_db = _identity, _bool_in, _bool_db
    elif isinstance(t, Integer):
        enc, dec = _identity, _int_in
    elif isinstance(t, JSON):
        enc, dec, to_db = _identity, _json_in, _json_db
    elif isinstance(t, String):
        enc, dec = _identity, _text_in(t.length)
    else:
        raise AssertionError(f"no package codec for {col}")
    return ColumnCodec(col.name, enc, dec, bool(col.nullable), to_db)


class TableCodec:
    """How the rows of one table travel in a package, and go into SQLite in bulk."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns = tuple(_column_codec(c) for c in table.columns)
        self.names = frozenset(c.name for c in self.columns)
        self._pairs = [(c.name, c.encode) for c in self.columns]
        self._get = operator.itemgetter(*(c.name for c in self.columns))
        self._to_db = [(i, c.to_db) for i, c in enumerate(self.columns) if c.to_db is not None]
        names = ",".join(f'"{c.name}"' for c in self.columns)
        self._insert = f'INTO "{table.name}" ({names}) VALUES ({",".join("?" * len(self.columns))})'

    def encode(self, row: Mapping[Any, Any]) -> dict[str, Any]:
        """One database row (typed values) → its JSON form."""
        return {name: (None if (v := row[name]) is None else enc(v)) for name, enc in self._pairs}

    def decode(self, record: Any, where: str) -> dict[str, Any]:
        """One JSON record → typed values; exactly the table's columns, each well-typed."""
        if not isinstance(record, dict):
            raise CodecProblem(f"{where}不是JSON对象")
        if record.keys() != self.names:
            extra, missing = sorted(record.keys() - self.names), sorted(self.names - record.keys())
            extra_text, missing_text = "、".join(extra) or "无", "、".join(missing) or "无"
            raise CodecProblem(f"{where}的字段不符（多出：{extra_text}；缺少：{missing_text}）")
        out: dict[str, Any] = {}
        for c in self.columns:
            v = record[c.name]
            if v is None:
                if not c.nullable:
                    raise CodecProblem(f"{where}的“{c.name}”不能为空")
                out[c.name] = None
                continue
            try:
                out[c.name] = c.decode(v)
            except ValueError as exc:
                raise CodecProblem(f"{where}的“{c.name}”{exc}") from None
        return out

    def bulk_insert(
        self, conn: Any, encoded_rows: Iterable[Mapping[str, Any]], *, prefix: str = ""
    ) -> None:
        """Inserts canonical JSON-form rows with one driver-level executemany: the merge's hot
        path, skipping per-value type processing (a test checks the round trip through the ORM)."""
        get, conversions = self._get, self._to_db
        rows = []
        for r in encoded_rows:
            values = list(get(r))
            for i, to_db in conversions:
                if values[i] is not None:
                    values[i] = to_db(values[i])
            rows.append(tuple(values))
        if rows:
            conn.exec_driver_sql(f"INSERT {prefix} {self._insert}", rows)


@lru_cache(maxsize=64)
def table_codec(table: Table) -> TableCodec:
    return TableCodec(table)
