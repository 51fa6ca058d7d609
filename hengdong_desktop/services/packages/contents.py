"""What a 上报包 carries: one data file per synced entity (the unit's full current state,
tombstones included) and the unit's audit log since its previous package."""

from __future__ import annotations

from typing import Any

from hengdong_desktop.db import models as m

ENTITY_ORDER = tuple(m.ENTITY_MODELS)  # parents before children: the insert order
AUDIT_PATH = "data/audit.json"


def data_path(entity: str) -> str:
    return f"data/{entity}.json"


def table(entity: str) -> Any:
    return m.ENTITY_MODELS[entity].__table__  # type: ignore[attr-defined]
