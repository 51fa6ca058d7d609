"""Whose a database is: its role (乡镇填报 or 县级汇总), unit, operator and id, and whether it is a
training (培训/演示) database, as every window and command names it. Read through the database
layer by services/identity.py and, before that layer is loaded, by db/first_look.py; nothing here
touches a database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hengdong_desktop.db.audit import Actor

TOWNSHIP = "township"
COUNTY = "county"
ROLE_LABELS = {TOWNSHIP: "乡镇填报", COUNTY: "县级汇总"}
# The `app_meta` facts beside role, unit_id, operator and database_id.
META_TRAINING = "training"
META_REFERENCE_VERSION = "reference_version"


@dataclass(frozen=True)
class DatabaseInfo:
    """Whose database this is."""

    role: str
    unit_id: int
    unit_name: str
    operator: str
    database_id: str
    reference_version: int
    training: bool = False  # a 培训/演示 database (services/training.py)
    # On a server database: the login account and its kind (office / department / readonly;
    # None for the server's administrator), and the departments a department account answers for.
    account: str | None = None
    account_kind: str | None = None
    department_ids: tuple[int, ...] = ()

    @property
    def is_county(self) -> bool:
        return self.role == COUNTY

    @property
    def may_write_all(self) -> bool:
        """Whether this account may change everything (a file's user always may)."""
        return self.account_kind in (None, "office")

    @property
    def account_label(self) -> str:
        """The account as the status bar names it: “zhangsan（牵头部门）”; "" for a file."""
        if self.account is None:
            return ""
        from hengdong_desktop.db.server_security import KIND_LABELS

        return f"{self.account}（{KIND_LABELS.get(self.account_kind or '', '管理员')}）"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    def actor(self, source: str, *, package_id: str | None = None, operator: str | None = None) -> Actor:
        from hengdong_desktop.db.audit import Actor

        return Actor(self.unit_id, operator or self.operator, source, package_id)


def from_facts(
    meta: dict[str, str],
    unit_name: str,
    *,
    operator: str | None = None,
    account: str | None = None,
    account_kind: str | None = None,
    department_ids: tuple[int, ...] = (),
) -> DatabaseInfo:
    """The owner from a database's `app_meta` facts and its unit's name; on a server database
    the login's account, and its user as the operator."""
    return DatabaseInfo(
        role=meta["role"],
        unit_id=int(meta["unit_id"]),
        unit_name=unit_name,
        operator=meta.get("operator", "") if operator is None else operator,
        database_id=meta["database_id"],
        reference_version=int(meta.get(META_REFERENCE_VERSION, "0")),
        training=meta.get(META_TRAINING) == "1",
        account=account,
        account_kind=account_kind,
        department_ids=department_ids,
    )
