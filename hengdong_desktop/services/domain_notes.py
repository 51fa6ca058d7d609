"""领域情况说明: a lead department's note on its domain for a period (how the domain stands, what
it is doing), shown beside the domain's figures. On a server database a department account may
write the notes of the domains its departments lead and no others (the server refuses the rest,
see db/server_security.py); the office writes any. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.setup import DatabaseInfo

MAX_LENGTH = 2000


@dataclass(frozen=True)
class Note:
    domain_id: int
    domain: str
    period: str
    text: str
    updated_at: datetime
    updated_by: str


def notes(db: Database, period: str) -> list[Note]:
    """The notes of every domain for a period, in the domains' order."""
    with db.read() as s:
        rows = s.execute(
            select(m.DomainNote, m.Domain.name)
            .join(m.Domain, m.Domain.id == m.DomainNote.domain_id)
            .where(m.DomainNote.period == period)
            .order_by(m.Domain.sort_order)
        ).all()
    return [Note(n.domain_id, name, n.period, n.text, n.updated_at, n.updated_by) for n, name in rows]


def writable_domains(db: Database, info: DatabaseInfo) -> list[int]:
    """The domains this account may write notes for: all for the office (and a file's user),
    those its departments lead for a department account, none when read-only."""
    with db.read() as s:
        if info.may_write_all:
            return list(s.scalars(select(m.Domain.id).order_by(m.Domain.sort_order)))
        if info.account_kind != "department":
            return []
        return sorted(
            set(
                s.scalars(
                    select(m.DomainDepartment.domain_id).where(
                        m.DomainDepartment.department_id.in_(info.department_ids)
                    )
                )
            )
        )


def save_note(db: Database, info: DatabaseInfo, domain_id: int, period: str, text: str) -> Note:
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    text = (text or "").strip()
    if not text:
        raise UserError("请填写领域情况说明。")
    if len(text) > MAX_LENGTH:
        raise UserError(f"领域情况说明不能超过{MAX_LENGTH}个字。")
    with db.write(info.actor("form")) as s:
        domain = s.get(m.Domain, domain_id)
        if domain is None:
            raise UserError("找不到该领域。")
        note = s.scalar(
            select(m.DomainNote)
            .where(m.DomainNote.domain_id == domain_id, m.DomainNote.period == period)
            .with_for_update()
        )
        if note is None:
            note = m.DomainNote(
                id=m.new_uuid(), domain_id=domain_id, period=period, text=text, updated_by=info.operator
            )
            s.add(note)
        elif note.text != text:
            note.text, note.updated_by = text, info.operator
        s.flush()
        return Note(domain_id, domain.name, period, note.text, note.updated_at, note.updated_by)
