"""The three-way merge rule of the county merge, for one record, as a pure function.

Each field has three values: `base` (what the unit sent last time), `ours` (the county's) and
`theirs` (what the unit sends now). A field only the unit changed takes the unit's value; one
only the county changed keeps the county's; one both changed to different values is a conflict:
the county's value stays current and both are kept for someone to decide. Nothing is lost (every
changed value is either the result or recorded in a conflict), and swapping the two sides gives
the same merge with the conflicts' sides swapped, so it does not matter which change came first.

Values are compared as given (the merge passes encoded values, so equal means equal text)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldConflict:
    field: str
    base: Any
    ours: Any  # stays current until decided
    theirs: Any


@dataclass(frozen=True)
class RecordMerge:
    result: dict[str, Any]  # every field's value after merging
    taken: tuple[str, ...]  # fields that take their value from `theirs`
    conflicts: tuple[FieldConflict, ...]
    # Some field keeps our value (ours changed it since the base): the next merge must still
    # compare against what they sent this time, so the caller remembers `theirs` as the new base.
    diverged: bool


def merge_record(
    base: Mapping[str, Any], ours: Mapping[str, Any], theirs: Mapping[str, Any], fields: Iterable[str]
) -> RecordMerge:
    """Merges one record field by field; `base` may lack a field (a value never sent)."""
    result: dict[str, Any] = {}
    taken: list[str] = []
    conflicts: list[FieldConflict] = []
    diverged = False
    for name in fields:
        was, mine, sent = base.get(name), ours[name], theirs[name]
        if mine == sent:
            result[name] = mine
        elif mine == was:
            result[name] = sent
            taken.append(name)
        else:
            result[name] = mine
            diverged = True
            if sent != was:
                conflicts.append(FieldConflict(name, was, mine, sent))
    return RecordMerge(result, tuple(taken), tuple(conflicts), diverged)
