"""Rows as JSON: how each column type travels in a package (canonical text for money and
times), strict decoding of received values, and the driver-level bulk insert that the merge's
hot path and the merge-base snapshots share (executemany on SQLite, COPY on PostgreSQL)."""

from __future__ import annotations

import base64
import binascii
import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Integer, LargeBinary, String, Table

from hengdong_desktop.db.types import Money, UTCDateTime
from hengdong_desktop.domain import money
from hengdong_desktop.domain import text as text_rules
from hengdong_desktop.domain.images import MAX_PHOTO_BYTES

MAX_INT = 10**15


class CodecProblem(Exception):
    """A value that does not fit its column; str() says where and why, in Chinese."""


def money_out(v: Decimal) -> str:
    return format(v.quantize(money.QUANTUM), "f")


def datetime_out(v: datetime) -> str:
    return v.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class _Form:
    """What a non-null value must look like in a package, and how it becomes the Python value.
    The one declaration serves `decode` (one value, saying what is wrong) and `decode_many` (a
    whole column at once, the same checks made by C-level map/set operations, for speed)."""

    types: tuple[type, ...]  # the JSON types allowed (exactly: bool is not an int here)
    problem: str  # completes “<record>的“<column>”…” when the type or the text is wrong
    pattern: re.Pattern[str] | None = None  # canonical text, matched in full
    max_length: int | None = None
    bound: int | None = None  # integers: |value| < bound
    convert: Callable[[Any], Any] | None = None  # canonical text → Python value (None: as is)
    texts: bool = False  # strings (also inside lists) may hold no forbidden character
    length: Callable[[Any], int] = len  # what max_length measures
    bytes_per_char: int = 6  # the most JSON bytes one character can take (a six-byte escape)

    def decode(self, v: Any) -> Any:
        """One value; ValueError says what is wrong with it."""
        if type(v) not in self.types or (self.pattern and not self.pattern.fullmatch(v)):
            raise ValueError(self.problem)
        if self.max_length is not None and self.length(v) > self.max_length:
            raise ValueError(f"不能超过{self.max_length}个字")
        if self.texts and (bad := _forbidden_within(v)):
            raise ValueError(f"含有不允许的字符{bad}（控制字符、孤立代理项或双向控制符）")
        if self.bound is not None and abs(v) >= self.bound:
            raise ValueError("数值过大")
        if self.convert is None:
            return v
        try:
            return self.convert(v)
        except ValueError:  # a well-formed text that names no date, say
            raise ValueError(self.problem) from None

    def decode_many(self, values: list[Any]) -> list[Any] | None:
        """Many values, or None if any of them would not pass `decode`."""
        if not set(map(type, values)) <= set(self.types):
            return None
        if self.pattern and not all(map(self.pattern.fullmatch, values)):
            return None
        if self.max_length is not None and max(map(self.length, values), default=0) > self.max_length:
            return None
        if self.texts and any(map(_forbidden_within, values)):
            return None
        if self.bound is not None and values and not -self.bound < min(values) <= max(values) < self.bound:
            return None
        if self.convert is None:
            return values
        try:
            return list(map(self.convert, values))
        except ValueError:
            return None


# ASCII digits only: `\d` alone would also accept other scripts' digits.
_MONEY = _Form(
    (str,), "应为四位小数的金额字符串", re.compile(r"-?\d{1,12}\.\d{4}", re.ASCII), convert=Decimal
)  # exactly four places: already on money.QUANTUM
_DATE = _Form((str,), "应为日期YYYY-MM-DD", re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII), convert=date.fromisoformat)
_DATETIME = _Form(
    (str,),
    "应为UTC时间",
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z", re.ASCII),
    convert=datetime.fromisoformat,
)
_INT = _Form((int,), "应为整数", bound=MAX_INT)
_BOOL = _Form((bool,), "应为true或false")
_JSON = _Form(
    (list, dict), "应为列表", max_length=20_000, texts=True, length=lambda v: len(json.dumps(v, ensure_ascii=False))
)


def _from_base64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except binascii.Error:
        raise ValueError("不是Base64编码") from None


def to_base64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# Pictures travel as Base64 (never longer than the largest picture a record may hold).
_BINARY = _Form(
    (str,),
    "应为Base64编码的图片",
    re.compile(r"[A-Za-z0-9+/]*={0,2}", re.ASCII),
    max_length=4 * -(-MAX_PHOTO_BYTES // 3),
    convert=_from_base64,
    bytes_per_char=1,
)
# The longest text any field holds (domain/fields.py: 4,000 characters); a Text column without a
# declared length is held to it, so no record can carry more.
TEXT_CAP = 4000


def _text(length: int | None) -> _Form:
    return _Form((str,), "应为文字", max_length=length or TEXT_CAP, texts=True)


def _forbidden_within(value: Any) -> str | None:
    """The first forbidden character (domain/text.py) in a text or in the texts of a JSON list
    or object, named like "U+202E"."""
    if isinstance(value, str):
        return text_rules.forbidden_in(value)
    return text_rules.forbidden_in(json.dumps(value, ensure_ascii=False))


def datetime_in(v: Any) -> datetime:
    return _DATETIME.decode(v)  # type: ignore[no-any-return]


# What SQLite stores for a canonical JSON value, as SQL around its "?": the bulk insert has
# SQLite convert the values as it inserts them rather than calling Python for each one.
MONEY_SQL = "CAST(replace(?, '.', '') AS INTEGER)"  # exactly four places: 1/10000 万元
DATETIME_SQL = "replace(substr(?, 1, 26), 'T', ' ')"  # how SQLAlchemy stores a naive DateTime


def _json_db(v: Any) -> str:
    return json.dumps(v)


def _money_server(v: str) -> str:
    """Canonical money text → the stored integer's text, as PostgreSQL's COPY reads it."""
    return v.replace(".", "")


@dataclass(frozen=True)
class ColumnCodec:
    name: str
    encode: Callable[[Any], Any]  # database (Python) value → JSON value
    form: _Form  # what a JSON value must look like
    nullable: bool
    sql: str  # the canonical JSON value (bound to "?") → what SQLite stores
    to_db: Callable[[Any], Any] | None  # what Python must convert before binding (None: as is)
    to_server: Callable[[Any], Any] | None = None  # the same for PostgreSQL (times go as text)

    def decode(self, v: Any) -> Any:
        """A non-null JSON value → the database (Python) value; ValueError says what is wrong."""
        return self.form.decode(v)

    def decode_column(self, values: Sequence[Any]) -> Sequence[Any] | None:
        """Every value of the column (None included), or None if any may be wrong."""
        present = [v for v in values if v is not None]
        if len(present) == len(values):
            return self.form.decode_many(present)
        if not self.nullable:
            return None
        decoded = self.form.decode_many(present)
        if decoded is None:
            return None
        it = iter(decoded)
        return [None if v is None else next(it) for v in values]


def _identity(v: Any) -> Any:
    return v


def _column_codec(col: Any) -> ColumnCodec:
    t = col.type
    enc: Callable[[Any], Any]
    form: _Form
    to_db: Callable[[Any], Any] | None = None
    to_server: Callable[[Any], Any] | None = None
    sql = "?"  # bound as is: text, integers, booleans (which sqlite3 binds as 0/1)
    if isinstance(t, Money):
        enc, form, sql, to_server = money_out, _MONEY, MONEY_SQL, _money_server
    elif isinstance(t, UTCDateTime):
        enc, form, sql = datetime_out, _DATETIME, DATETIME_SQL
    elif isinstance(t, Date):
        enc, form = date.isoformat, _DATE
    elif isinstance(t, Boolean):
        enc, form = _identity, _BOOL
    elif isinstance(t, Integer):
        enc, form = _identity, _INT
    elif isinstance(t, JSON):
        enc, form, to_db, to_server = _identity, _JSON, _json_db, _json_db
    elif isinstance(t, LargeBinary):
        enc, form, to_db, to_server = to_base64, _BINARY, _from_base64, _from_base64
    elif isinstance(t, String):
        enc, form = _identity, _text(t.length)
    else:
        raise AssertionError(f"no package codec for {col}")
    return ColumnCodec(col.name, enc, form, bool(col.nullable), sql, to_db, to_server)


class TableCodec:
    """How the rows of one table travel in a package, and go into SQLite in bulk."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.columns = tuple(_column_codec(c) for c in table.columns)
        self.names = frozenset(c.name for c in self.columns)
        self._pairs = [(c.name, c.encode) for c in self.columns]
        self._decoders = tuple((c.name, c.decode, c.nullable) for c in self.columns)
        self._get = operator.itemgetter(*(c.name for c in self.columns))  # a row's values, in order
        self._to_db = [(i, c.to_db) for i, c in enumerate(self.columns) if c.to_db is not None]
        self._to_server = [(i, c.to_server) for i, c in enumerate(self.columns) if c.to_server is not None]
        key = [c for c in table.primary_key.columns]
        # an integer key the database numbers (None in the rows: left out of a COPY)
        self._numbered = key[0].name if len(key) == 1 and table.autoincrement_column is not None else None
        self._key = tuple(c.name for c in key)
        names = ",".join(f'"{c.name}"' for c in self.columns)
        values = ",".join(c.sql for c in self.columns)
        self._insert = f'INTO "{table.name}" ({names}) VALUES ({values})'

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
        for name, decode, nullable in self._decoders:
            v = record[name]
            if v is None:
                if not nullable:
                    raise CodecProblem(f"{where}的“{name}”不能为空")
                out[name] = None
                continue
            try:
                out[name] = decode(v)
            except ValueError as exc:
                raise CodecProblem(f"{where}的“{name}”{exc}") from None
        return out

    def decode_all(self, records: Sequence[Any], where: Callable[[int], str]) -> list[dict[str, Any]]:
        """`decode` of each record (`where(n)` names the n-th, from 1). A package holds tens of
        thousands of records, so the usual case — all of them well-formed — is checked and
        converted a column at a time; any doubt, and they are decoded one by one, which finds
        the first bad record and raises exactly what `decode` says about it."""
        if records and all(type(r) is dict and r.keys() == self.names for r in records):
            columns = zip(*map(self._get, records), strict=True)
            decoded = [c.decode_column(v) for c, v in zip(self.columns, columns, strict=True)]
            if all(d is not None for d in decoded):
                # Copies of the records (exactly the table's columns), with the converted columns
                # written in: cheaper than building each dict anew.
                typed = [r.copy() for r in records]
                for c, values in zip(self.columns, decoded, strict=True):
                    if c.form.convert is not None and values is not None:
                        name = c.name
                        for row, value in zip(typed, values, strict=True):
                            row[name] = value
                return typed
        return [self.decode(r, where(n)) for n, r in enumerate(records, 1)]

    def bulk_insert(
        self, conn: Any, encoded_rows: Iterable[Mapping[str, Any]], *, on_conflict: str | None = None
    ) -> None:
        """Inserts canonical JSON-form rows at the driver level: the merge's hot path, skipping
        SQLAlchemy's per-value type processing. SQLite: one executemany, SQLite itself turning
        money and times into their stored form; PostgreSQL: one COPY (a test checks the round
        trip through the ORM on both). `on_conflict` "replace" (the row with the same key is
        replaced) or "ignore" (a row that would break a unique constraint is skipped)."""
        if on_conflict not in (None, "replace", "ignore"):
            raise ValueError(on_conflict)
        server = conn.dialect.name == "postgresql"
        rows = list(map(self._get, encoded_rows))
        if not rows:
            return
        convert = self._to_server if server else self._to_db
        if convert:
            for n, row in enumerate(rows):
                values = list(row)
                for i, to_db in convert:
                    if values[i] is not None:
                        values[i] = to_db(values[i])
                rows[n] = tuple(values)
        if server:
            self._server_insert(conn, rows, on_conflict)
        else:
            prefix = {None: "", "replace": "OR REPLACE", "ignore": "OR IGNORE"}[on_conflict]
            conn.exec_driver_sql(f"INSERT {prefix} {self._insert}", rows)

    def _server_insert(self, conn: Any, rows: list[tuple[Any, ...]], on_conflict: str | None) -> None:
        names = [c.name for c in self.columns]
        if self._numbered is not None:
            at = names.index(self._numbered)
            if all(r[at] is None for r in rows):  # the database numbers them
                names.pop(at)
                rows = [r[:at] + r[at + 1 :] for r in rows]
        columns = ", ".join(f'"{n}"' for n in names)
        cursor = conn.connection.driver_connection.cursor()
        try:
            if on_conflict is None:
                with cursor.copy(f'COPY "{self.table.name}" ({columns}) FROM STDIN') as copy:
                    for row in rows:
                        copy.write_row(row)
                return
            if on_conflict == "replace":
                updates = ", ".join(f'"{n}" = EXCLUDED."{n}"' for n in names if n not in self._key)
                key = ", ".join(f'"{k}"' for k in self._key)
                tail = f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
            else:
                tail = "ON CONFLICT DO NOTHING"
            marks = ", ".join(["%s"] * len(names))
            cursor.executemany(f'INSERT INTO "{self.table.name}" ({columns}) VALUES ({marks}) {tail}', rows)
        finally:
            cursor.close()


@lru_cache(maxsize=64)
def table_codec(table: Table) -> TableCodec:
    return TableCodec(table)
