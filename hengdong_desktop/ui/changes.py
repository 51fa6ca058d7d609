"""What a write changed, so that each page refreshes only for what concerns it (Anki's OpChanges).

Every operation (ui/operations.py) ends with a `Changes`: the kinds of record it changed, whose
records they are (enterprise and project ids, when known), the units and months touched, and
whether reference data, packages, keys, the database's own info or its backups changed. `None`
for owners, units or periods means "any": the pages treat it as a change to everything of that
kind. A replaced database is not a change but an event of its own (`AppContext.database_replaced`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from hengdong_desktop.db import models as m
from hengdong_desktop.db.server_security import EVERYTHING_CHANGED
from hengdong_desktop.services.checks import Owner, owner_key

# The kinds of record (db.models.ENTITY_MODELS) and whose record each is: an enterprise owns its
# memberships, monthly and yearly figures and 一企一策 measures, a project its plans, monthly figures,
# status history and photos, either owns problems raised against it, and explanations belong to the
# record they explain.
ENTERPRISE_KINDS = frozenset({"enterprise", "membership", "enterprise_monthly", "enterprise_annual", "support_measure"})
PROJECT_KINDS = frozenset({"project", "project_annual", "project_monthly", "project_stage", "project_photo"})
MONTHLY_KINDS = frozenset({"enterprise_monthly", "project_monthly"})
RECORD_KINDS = ENTERPRISE_KINDS | PROJECT_KINDS | {"problem", "explanation"}

# What saving a record in its editor may change: the record, its memberships and yearly figures or
# its plans and status history, the explanations.
SAVED_KINDS = {
    "enterprise": ("enterprise", "membership", "enterprise_annual", "support_measure", "explanation"),
    "project": ("project", "project_annual", "project_stage", "explanation"),
    "problem": ("problem", "explanation"),
}


def _union(a: frozenset | None, b: frozenset | None) -> frozenset | None:  # type: ignore[type-arg]
    return None if a is None or b is None else a | b


@dataclass(frozen=True)
class Changes:
    entities: frozenset[str] = frozenset()
    owners: frozenset[Owner] | None = frozenset()
    units: frozenset[int] | None = frozenset()
    periods: frozenset[str] | None = frozenset()
    reference: bool = False
    packages: bool = False  # the ledger, reviews, conflicts and duplicate flags
    keys: bool = False
    info: bool = False  # whose database this is, its operator
    backups: bool = False

    @classmethod
    def records(
        cls,
        entities: Iterable[str],
        owners: Iterable[Owner] | None,
        units: Iterable[int] | None,
        periods: Iterable[str] | None = (),
    ) -> Changes:
        return cls(
            frozenset(entities),
            None if owners is None else frozenset(owners),
            None if units is None else frozenset(units),
            None if periods is None else frozenset(periods),
        )

    @classmethod
    def everything(cls) -> Changes:
        """Any record of any kind, reference data and packages (demo data, an import, a merge)."""
        return cls(RECORD_KINDS, None, None, None, reference=True, packages=True)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.entities | other.entities,
            _union(self.owners, other.owners),
            _union(self.units, other.units),
            _union(self.periods, other.periods),
            self.reference or other.reference,
            self.packages or other.packages,
            self.keys or other.keys,
            self.info or other.info,
            self.backups or other.backups,
        )

    @property
    def empty(self) -> bool:
        return self == Changes()

    def touches(self, *entities: str) -> bool:
        return bool(self.entities.intersection(entities))

    def touches_unit(self, unit_id: int | None) -> bool:
        """Whether records of this unit (None: any unit) may have changed."""
        return self.units is None or unit_id is None or unit_id in self.units

    def touches_period(self, *periods: str) -> bool:
        return self.periods is None or bool(self.periods.intersection(periods))


def saved_record(entity: str, record_id: str, values: Mapping[str, Any], unit_id: int | None) -> Changes:
    """The changes of saving one record through its editor."""
    return Changes.records(
        SAVED_KINDS[entity], [owner_key(entity, {**values, "id": record_id})], None if unit_id is None else [unit_id]
    )


# What another program's change of a table may touch (a server database's notifications, see
# ui/startup.ChangeWatch): which records, never whose, so every page of that kind refreshes.
DOMAIN_NOTES = "domain_note"  # a lead department's 领域情况说明 (services/domain_notes.py)
_TABLE_ENTITIES = {model.__tablename__: entity for entity, model in m.ENTITY_MODELS.items()}  # type: ignore[attr-defined]
_TABLE_CHANGES = {
    **{model.__tablename__: Changes(reference=True) for model in (*m.REFERENCE_MODELS, m.IndustryTotal)},
    **{
        model.__tablename__: Changes(packages=True)
        for model in (
            m.PackageEntry,
            m.Review,
            m.Conflict,
            m.DuplicateFlag,
            m.RecordAlias,
            m.MergeBase,
            m.ReportedMonth,
        )
    },
    **{model.__tablename__: Changes(keys=True) for model in (m.UnitKey, m.KeyRotation)},
    m.Meta.__tablename__: Changes(reference=True, keys=True, info=True),
    m.ServerAccount.__tablename__: Changes(info=True),
    m.DomainNote.__tablename__: Changes(frozenset({DOMAIN_NOTES})),
}


def tables_changed(tables: Iterable[str]) -> Changes:
    """The changes of other programs' writes to `tables` (audit rows and bulletins change
    nothing a page shows by themselves)."""
    out = Changes()
    for table in tables:
        if table == EVERYTHING_CHANGED:  # a restore
            out = out | Changes.everything() | Changes(frozenset({DOMAIN_NOTES}), keys=True, info=True, backups=True)
        elif table in _TABLE_ENTITIES:
            out = out | Changes.records({_TABLE_ENTITIES[table]}, None, None, None)
        else:
            out = out | _TABLE_CHANGES.get(table, Changes())
    return out
