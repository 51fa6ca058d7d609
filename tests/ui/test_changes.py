"""What another program's writes to a server database's tables change, as the pages read it
(ui/changes.tables_changed): the kind of record, never whose; reference data, packages, keys and
the database's own facts by their tables; everything after a restore."""

from __future__ import annotations

from hengdong_desktop.db import models as m
from hengdong_desktop.ui.changes import DOMAIN_NOTES, RECORD_KINDS, Changes, tables_changed


def test_each_table_of_records_is_its_kind_of_record_of_any_owner() -> None:
    for entity, model in m.ENTITY_MODELS.items():
        changes = tables_changed({model.__tablename__})  # type: ignore[attr-defined]
        assert changes.entities == {entity} and changes.owners is None and changes.units is None
        assert changes.touches_period("2025-06") and not (changes.reference or changes.packages)


def test_the_other_tables() -> None:
    assert tables_changed({"industries", "industry_totals"}) == Changes(reference=True)
    assert tables_changed({"package_ledger", "conflicts", "reported_months"}) == Changes(packages=True)
    assert tables_changed({"unit_keys", "key_rotations"}) == Changes(keys=True)
    assert tables_changed({"app_meta"}) == Changes(reference=True, keys=True, info=True)
    assert tables_changed({"domain_notes"}).touches(DOMAIN_NOTES)
    assert tables_changed({"audit_log", "audit_accounts", "bulletins"}).empty  # nothing a page shows by itself
    both = tables_changed({"enterprises", "reviews"})
    assert both.touches("enterprise") and both.packages and not both.touches("project")


def test_a_restore_changes_everything() -> None:
    changes = tables_changed({"*"})
    assert changes.entities >= RECORD_KINDS | {DOMAIN_NOTES}
    assert changes.reference and changes.packages and changes.keys and changes.info and changes.backups
    assert changes.owners is None and changes.units is None and changes.periods is None
