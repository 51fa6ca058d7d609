"""Strict JSON for everything read from a package or an enrollment file: UTF-8, no duplicate
keys, no NaN/Infinity, no floats. `PackageProblem` is why a package is refused."""

from __future__ import annotations

import json
from typing import Any

from hengdong_desktop.db.codec import CodecProblem


class PackageProblem(CodecProblem):
    """Why a package is refused; str() completes ““文件名”被拒绝：…”."""


# Strict JSON -----------------------------------------------------------------------------------
def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)  # built in C; only a duplicate makes it shorter than the pairs
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise PackageProblem(f"JSON中有重复的键“{key}”")
            seen.add(key)
    return out


def _no_constant(name: str) -> Any:
    raise PackageProblem(f"JSON中含有非数字值{name}")


def _no_float(text: str) -> Any:
    raise PackageProblem(f"JSON中的数字“{text[:20]}”不是整数（金额须写成字符串）")


def strict_json(data: bytes) -> Any:
    """UTF-8 JSON with no duplicate keys, no NaN/Infinity and no floats. Integers are bounded
    where they are used (the codec, the manifest checks)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackageProblem("文件不是UTF-8编码的JSON") from None
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_float=_no_float,
        )
    except json.JSONDecodeError as exc:
        raise PackageProblem(f"JSON格式错误（第{exc.lineno}行第{exc.colno}列）") from None
    except ValueError:  # an integer longer than Python's digit limit
        raise PackageProblem("JSON中的数字过大") from None
    except RecursionError:
        raise PackageProblem("JSON嵌套过深") from None


def dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
