"""SQL functions that SQLite and PostgreSQL spell differently, written once for queries:
joining texts of a group, finding a text inside another, days between two dates."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class group_concat(FunctionElement[str]):  # noqa: N801 - reads as the SQL function it stands for
    """The group's texts joined by a separator (order unspecified)."""

    type = String()
    inherit_cache = True


@compiles(group_concat)
def _group_concat(element: Any, compiler: Any, **kw: Any) -> str:
    return f"group_concat({compiler.process(element.clauses, **kw)})"


@compiles(group_concat, "postgresql")
def _string_agg(element: Any, compiler: Any, **kw: Any) -> str:
    return f"string_agg({compiler.process(element.clauses, **kw)})"


class position_in(FunctionElement[int]):  # noqa: N801
    """position_in(text, part): where `part` starts in `text` (1-based), 0 when absent; exact
    characters, no pattern and no case folding (SQLite's instr, PostgreSQL's strpos)."""

    type = Integer()
    inherit_cache = True


@compiles(position_in)
def _instr(element: Any, compiler: Any, **kw: Any) -> str:
    return f"instr({compiler.process(element.clauses, **kw)})"


@compiles(position_in, "postgresql")
def _strpos(element: Any, compiler: Any, **kw: Any) -> str:
    return f"strpos({compiler.process(element.clauses, **kw)})"


class days_between(FunctionElement[int]):  # noqa: N801
    """days_between(later, earlier): whole days from one date to the other."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _julian(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"


@compiles(days_between, "postgresql")
def _date_minus(element: Any, compiler: Any, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"
