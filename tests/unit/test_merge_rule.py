"""The three-way merge rule (services/merge_rule.py) for any base, ours and theirs; and the one
audit rule set (db/audit_rules.py) that the ORM hook and the merge's bulk path both follow."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit_rules import AuditChange, snapshot, update_changes
from hengdong_desktop.services import entry, setup
from hengdong_desktop.services.merge_rule import merge_record
from hengdong_desktop.services.packages import merge
from tests.package_support import export, make_county, make_township

FIELDS = ("name", "output", "status", "notes")
# few values, so that sides often agree by chance as well as differ
values = st.one_of(st.none(), st.integers(0, 2), st.sampled_from(["甲", "乙"]))
records = st.fixed_dictionaries({f: values for f in FIELDS})


@st.composite
def bases(draw: st.DrawFn) -> dict[str, Any]:
    """A base may lack fields: values the unit never sent."""
    full = draw(records)
    return {k: v for k, v in full.items() if draw(st.booleans())}


@given(bases(), records, records)
def test_no_value_is_lost(base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    merged = merge_record(base, ours, theirs, FIELDS)
    conflicts = {c.field: c for c in merged.conflicts}
    for f in FIELDS:
        assert merged.result[f] in (ours[f], theirs[f])
        for side in (ours, theirs):  # a change on either side is the result or waits in a conflict
            if side[f] != base.get(f):
                assert merged.result[f] == side[f] or (
                    f in conflicts and side[f] in (conflicts[f].ours, conflicts[f].theirs)
                )
        if f in conflicts:
            c = conflicts[f]
            assert (c.base, c.ours, c.theirs) == (base.get(f), ours[f], theirs[f])
            assert merged.result[f] == ours[f]  # ours stays current until decided
    assert set(merged.taken) == {f for f in FIELDS if merged.result[f] != ours[f]}


@given(bases(), records, records)
def test_the_order_of_arrival_does_not_matter(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> None:
    one, other = merge_record(base, ours, theirs, FIELDS), merge_record(base, theirs, ours, FIELDS)
    assert [c.field for c in one.conflicts] == [c.field for c in other.conflicts]
    assert [(c.ours, c.theirs) for c in one.conflicts] == [(c.theirs, c.ours) for c in other.conflicts]
    settled = [f for f in FIELDS if f not in {c.field for c in one.conflicts}]
    assert {f: one.result[f] for f in settled} == {f: other.result[f] for f in settled}


@given(bases(), records, records)
def test_merging_the_same_values_again_changes_nothing(
    base: dict[str, Any], ours: dict[str, Any], theirs: dict[str, Any]
) -> None:
    first = merge_record(base, ours, theirs, FIELDS)
    # what the county keeps afterwards: their values as the base while some field diverged
    again = merge_record(theirs if first.diverged else first.result, first.result, theirs, FIELDS)
    assert again.result == first.result and again.taken == () and again.conflicts == ()


def test_the_rule_by_example() -> None:
    base = {"name": "甲", "output": 1, "status": "在建", "notes": None}
    ours = {"name": "甲", "output": 2, "status": "竣工", "notes": None}
    theirs = {"name": "乙", "output": 1, "status": "投产", "notes": None}
    merged = merge_record(base, ours, theirs, FIELDS)
    assert merged.result == {"name": "乙", "output": 2, "status": "竣工", "notes": None}
    assert merged.taken == ("name",) and merged.diverged
    assert [(c.field, c.base, c.ours, c.theirs) for c in merged.conflicts] == [("status", "在建", "竣工", "投产")]


# The audit rules -----------------------------------------------------------------------------
def test_update_rows() -> None:
    now = datetime(2025, 1, 2, tzinfo=UTC)
    before = {"name": "甲", "output": Decimal("1.0"), "revision": 3, "deleted_at": None, "deleted_reason": None}
    assert update_changes(before, {"name": "乙", "output": Decimal("1"), "revision": 4, "updated_by": "x"}) == [
        AuditChange("update", "name", "甲", "乙")
    ]  # 1.0 and 1 read the same; bookkeeping never audited
    removed = update_changes(before, {"deleted_at": now, "deleted_reason": "企业注销", "name": "丙"})
    assert removed == [
        AuditChange("delete", "deleted_reason", None, "企业注销"),
        AuditChange("update", "name", "甲", "丙"),
    ]
    gone = {**before, "deleted_at": now, "deleted_reason": "企业注销"}
    assert update_changes(gone, {"deleted_at": None, "deleted_reason": None}) == [
        AuditChange("restore", "deleted_reason", "企业注销", None)
    ]
    assert (
        snapshot({"id": "x", "name": "甲", "revision": 1, "deleted_at": None, "output": Decimal("2.50")})
        == '{"name": "甲", "output": "2.50"}'
    )


def _audit(path: Path, record_id: str, source: str) -> list[tuple[str, str | None, str | None, str | None]]:
    db, _ = setup.open_initialized(path)
    try:
        with db.read() as s:
            rows = s.scalars(
                select(m.AuditEntry)
                .where(
                    m.AuditEntry.entity_id == record_id, m.AuditEntry.source == source, m.AuditEntry.action != "create"
                )
                .order_by(m.AuditEntry.id)
            ).all()
            return [(r.action, r.field, r.old_value, r.new_value) for r in rows]
    finally:
        db.close()


def test_the_form_and_the_merge_write_the_same_audit_rows(tmp_path: Path) -> None:
    """The same edits, made by a clerk through the ORM in the township and carried into the county
    by a package (the merge's bulk path), leave the same audit rows in both databases."""
    township = make_township(tmp_path, enterprises=2, months=1, projects=1, seed=4)
    county = make_county(tmp_path, township)
    export(township, tmp_path / "1.hdpkg")
    db, _ = setup.open_initialized(county)
    try:
        assert merge.merge_files(db, [tmp_path / "1.hdpkg"])[0].status == merge.MERGED
    finally:
        db.close()
    db, info = setup.open_initialized(township)
    try:
        record = entry.load(db, "enterprise", entry.choices(db, "enterprise", info.unit_id)[0][0])
        entry.save(
            db,
            info,
            "enterprise",
            {**record.values, "name": "衡东县改名机械有限公司", "main_products": "铜板带"},
            record_id=record.id,
            revision=record.revision,
            explanations=record.explanations,
        )
        entry.remove(db, info, "enterprise", record.id, "企业注销")
    finally:
        db.close()
    export(township, tmp_path / "2.hdpkg")
    db, _ = setup.open_initialized(county)
    try:
        assert merge.merge_files(db, [tmp_path / "2.hdpkg"])[0].status == merge.MERGED
    finally:
        db.close()
    clerk = _audit(township, record.id, "form")
    merged = _audit(county, record.id, "merge")
    assert ("delete", "deleted_reason", None, "企业注销") in clerk and len(clerk) == 3
    assert sorted(merged, key=repr) == sorted(clerk, key=repr)
