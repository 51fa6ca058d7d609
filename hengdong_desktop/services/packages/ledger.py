"""The package ledger: every package this database wrote ('out') or took in ('in'), and the
rules it enforces. What the county has received decides, never what a package says of itself:

- a 上报包 is merged only when its key is the unit's active key (not retired, not revoked);
- it must follow exactly the last package merged from that key (format 2: by package id and the
  SHA-256 of its signed manifest; format 1: by the SHA-256 of the file), so a missing package,
  an old one, a replay and a fork (a township that restored a backup) are refused, each with a
  sentence saying what to do;
- the same signed manifest twice is a duplicate (whatever zip it came in); the same package id
  with another manifest is a forgery.

The county's 下发包 tells the township which of its packages the county has merged last
(`county_head`); a township that finds the county ahead of its own ledger (it restored a
backup), or asks to rejoin after a lost package, continues from there."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import Actor
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import CHINA_TZ
from hengdong_desktop.errors import UserError
from hengdong_desktop.services.packages import crypto
from hengdong_desktop.services.packages.container import (
    FORMAT_VERSION,
    REPLY,
    REPORT,
    OpenedPackage,
    PendingFile,
    part_path,
)
from hengdong_desktop.services.packages.keys import ACTIVE, RETIRED
from hengdong_desktop.services.packages.strict_json import PackageProblem

log = logging.getLogger(__name__)
OUT, IN = "out", "in"
DONE, PENDING = "done", "pending"
_AFTER_RESTORE = "请向该单位发送下发包，该单位应用后重新导出上报包即可衔接"


@dataclass(frozen=True)
class ChainLink:
    """A package in a chain: what the next package names as its predecessor."""

    sequence: int
    package_id: str
    manifest_sha256: str | None

    def as_json(self) -> dict[str, Any]:
        return {"sequence": self.sequence, "package_id": self.package_id, "manifest_sha256": self.manifest_sha256}

    @classmethod
    def of(cls, entry: m.PackageEntry) -> ChainLink:
        return cls(entry.sequence, entry.id, entry.manifest_sha256)


def last_entry(session: Session, direction: str, kind: str, unit_id: int, key_id: str) -> m.PackageEntry | None:
    """The highest-numbered package of a chain (one key of one unit, one direction)."""
    return session.scalars(
        select(m.PackageEntry)
        .where(
            m.PackageEntry.direction == direction,
            m.PackageEntry.kind == kind,
            m.PackageEntry.unit_id == unit_id,
            m.PackageEntry.key_id == key_id,
        )
        .order_by(m.PackageEntry.sequence.desc())
        .limit(1)
    ).first()


# County: may this 上报包 be merged? ------------------------------------------------------
def key_problem(row: m.UnitKey | None, key_id: str) -> str | None:
    """Why packages signed with this enrolled key are refused now, or None if it is active."""
    shown = crypto.show_key_id(key_id)
    if row is None:
        return f"签名密钥{shown}未在县级登记"
    if row.status == ACTIVE:
        return None
    if row.status == RETIRED:
        when = _day(row.retired_at)
        return f"签名密钥{shown}已于{when}被该单位新登记的密钥取代，旧密钥签名的包不再接收"
    why = f"（{row.revoked_reason}）" if row.revoked_reason else ""
    return f"签名密钥{shown}已于{_day(row.revoked_at)}吊销{why}，此后收到的该密钥签名的包一律拒绝"


def _day(value: datetime | None) -> str:
    return value.astimezone(CHINA_TZ).strftime("%Y-%m-%d") if value else "此前"


def check_report(session: Session, pkg: OpenedPackage, unit_id: int) -> m.PackageEntry | None:
    """Whether a verified 上报包 may be merged now: returns the ledger entry of the same package
    when it was merged before (a duplicate); raises PackageProblem when it must be refused."""
    problem = key_problem(session.get(m.UnitKey, pkg.key_id), pkg.key_id)
    if problem:
        raise PackageProblem(problem)
    existing = session.get(m.PackageEntry, pkg.package_id)
    if existing is not None:
        same = (
            (existing.manifest_sha256 == pkg.manifest_sha256)
            if existing.manifest_sha256
            else (existing.sha256 == pkg.sha256)
        )
        if same and existing.direction == IN:
            return existing
        raise PackageProblem("包编号与已收到的另一个包相同而内容不同（疑似伪造或重放）")
    head = last_entry(session, IN, REPORT, unit_id, pkg.key_id)
    _check_link(pkg, head)
    return None


def _check_link(pkg: OpenedPackage, head: m.PackageEntry | None) -> None:
    prev = pkg.previous
    if head is None:
        if prev is not None:
            raise PackageProblem(
                f"缺少第{prev['sequence']}号及以前的上报包（本县尚未收到该密钥的任何上报包），"
                f"请先合并缺少的包；如已遗失，{_AFTER_RESTORE}"
            )
        return
    if pkg.sequence <= head.sequence:
        raise PackageProblem(
            f"序号{pkg.sequence}不高于已合并的第{head.sequence}号，是旧包或重放的包（拒绝回退）；"
            f"如该单位从备份恢复了数据库，{_AFTER_RESTORE}"
        )
    if prev is None or prev["sequence"] < head.sequence:
        raise PackageProblem(
            f"与已合并的第{head.sequence}号上报包不衔接（该单位可能从备份恢复了数据库）：{_AFTER_RESTORE}"
        )
    if prev["sequence"] > head.sequence:
        missing = (
            f"第{head.sequence + 1}号"
            if prev["sequence"] == head.sequence + 1
            else (f"第{head.sequence + 1}～{prev['sequence']}号")
        )
        raise PackageProblem(
            f"缺少{missing}上报包（已合并到第{head.sequence}号），请先合并缺少的包；如已遗失，{_AFTER_RESTORE}"
        )
    linked = (
        prev.get("package_id") == head.id
        and (
            prev.get("manifest_sha256") is None
            or head.manifest_sha256 is None
            or prev["manifest_sha256"] == head.manifest_sha256
        )
        if "package_id" in prev
        else prev.get("sha256") == head.sha256  # format 1
    )
    if not linked:
        raise PackageProblem(
            f"与已合并的第{head.sequence}号上报包不衔接（上一包不符，该单位可能从备份恢复了数据库）：{_AFTER_RESTORE}"
        )


def record_in(
    session: Session,
    pkg: OpenedPackage,
    unit_id: int,
    *,
    operator: str,
    period: str | None,
    summary: dict[str, Any],
    unit_audit: bytes | None = None,
    processed_at: datetime,
) -> None:
    session.add(
        m.PackageEntry(
            id=pkg.package_id,
            direction=IN,
            kind=str(pkg.manifest["kind"]),
            unit_id=unit_id,
            key_id=pkg.key_id,
            sequence=pkg.sequence,
            sha256=pkg.sha256,
            previous_sha256=pkg.manifest.get("previous_sha256"),
            previous_package_id=(pkg.previous or {}).get("package_id"),
            manifest_sha256=pkg.manifest_sha256,
            format_version=pkg.format_version,
            period=period,
            created_at=pkg.created_at,
            processed_at=processed_at,
            operator=operator,
            file_name=pkg.file_name,
            summary=summary,
            unit_audit=unit_audit,
        )
    )


def county_head(session: Session, unit_id: int) -> dict[str, Any] | None:
    """County: the last 上报包 merged from the unit's active key, for the 下发包."""
    key = session.scalars(
        select(m.UnitKey.key_id).where(m.UnitKey.unit_id == unit_id, m.UnitKey.status == ACTIVE)
    ).first()
    if key is None:
        return None
    head = last_entry(session, IN, REPORT, unit_id, key)
    return {
        "key_id": key,
        **(ChainLink.of(head).as_json() if head else {"sequence": 0, "package_id": None, "manifest_sha256": None}),
    }


# Township: which package the next one follows ------------------------------------------------
@dataclass(frozen=True)
class NextLink:
    sequence: int
    previous: ChainLink | None
    rejoined: bool  # continues from the county's record, not from this ledger's last package
    audit_upto: int


def next_link(session: Session, unit_id: int, key_id: str, *, rejoin: bool = False) -> NextLink:
    """The sequence and predecessor of the township's next 上报包. Normally the last package
    this database wrote; the county's record of the chain (from the latest 下发包) instead when
    the county has merged a package this ledger does not know (this database was restored from
    a backup), or when the clerk asks to `rejoin` (a package was lost on the way)."""
    last = last_entry(session, OUT, REPORT, unit_id, key_id)
    head = acknowledged_head(session, unit_id, key_id)
    upto = last.audit_upto if last is not None and last.audit_upto is not None else 0
    own = ChainLink.of(last) if last is not None else None
    sequence = (last.sequence if last else 0) + 1
    if head is None:
        return NextLink(sequence, own, False, upto)
    # The county is ahead of this ledger when it holds a later package, or another package under
    # this ledger's last number (this database was restored and exported that number again).
    mine = last.sequence if last else 0
    ahead = head.sequence > mine or (head.sequence == mine and last is not None and head.package_id != last.id)
    if not (ahead or rejoin) or head.package_id is None:
        return NextLink(sequence, own, False, upto)
    return NextLink(max(sequence, head.sequence + 1), head, True, upto)


def acknowledged_head(session: Session, unit_id: int, key_id: str) -> ChainLink | None:
    """Township: the county's record of this key's chain, from the newest 下发包 applied."""
    newest = session.scalars(
        select(m.PackageEntry)
        .where(m.PackageEntry.direction == IN, m.PackageEntry.kind == REPLY, m.PackageEntry.unit_id == unit_id)
        .order_by(m.PackageEntry.processed_at.desc())
        .limit(1)
    ).first()
    head = (newest.summary or {}).get("county_head") if newest is not None else None
    if not isinstance(head, dict) or head.get("key_id") != key_id or not head.get("sequence"):
        return None
    return ChainLink(int(head["sequence"]), str(head["package_id"]), head.get("manifest_sha256"))


def reconcile_pending(session: Session) -> list[str]:
    """Township: finishes or forgets exports interrupted between recording a package and giving
    its file the final name (a crash or a full disk): a file still under its temporary name is
    renamed; one already renamed is marked done; one that is nowhere is forgotten, so its
    sequence number is used again. Returns the file names finished."""
    finished = []
    for entry in session.scalars(select(m.PackageEntry).where(m.PackageEntry.state == PENDING)):
        final = Path((entry.summary or {}).get("path") or entry.file_name)
        part = part_path(final)
        if part.exists():
            part.replace(final)
            finished.append(final.name)
        if final.exists():
            entry.state = DONE
        else:
            session.execute(delete(m.PackageEntry).where(m.PackageEntry.id == entry.id))
    return finished


def record_out(
    session: Session,
    pending: PendingFile,
    *,
    package_id: str,
    kind: str,
    unit_id: int,
    key_id: str,
    sequence: int,
    previous_id: str | None,
    period: str | None,
    operator: str,
    created: datetime,
    summary: dict[str, Any],
    audit_upto: int | None = None,
) -> None:
    """Records a package just written under its temporary name, as pending (see `publish_recorded`)."""
    session.add(
        m.PackageEntry(
            id=package_id,
            direction=OUT,
            kind=kind,
            unit_id=unit_id,
            key_id=key_id,
            sequence=sequence,
            sha256=pending.sha256,
            manifest_sha256=pending.manifest_sha256,
            previous_package_id=previous_id,
            format_version=FORMAT_VERSION,
            period=period,
            created_at=created,
            processed_at=created,
            operator=operator,
            file_name=pending.final.name,
            audit_upto=audit_upto,
            summary=summary | {"path": str(pending.final.resolve())},
            state=PENDING,
        )
    )
    session.flush()


def publish_recorded(db: Database, pending: PendingFile, package_id: str, actor: Actor) -> None:
    """Gives a package recorded as pending its final name, then marks it done; if the rename
    fails, the ledger entry goes too (nothing was published)."""
    try:
        pending.publish()
    except UserError:
        pending.discard()
        with db.write(actor) as s:
            s.execute(delete(m.PackageEntry).where(m.PackageEntry.id == package_id))
        raise
    try:
        with db.write(actor) as s:
            entry = s.get(m.PackageEntry, package_id)
            if entry is not None:
                entry.state = DONE
    except Exception:  # the file is out under its name: the next export finishes the entry
        log.warning("could not mark package %s done; reconciled at the next export", package_id, exc_info=True)


# Lists ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackageRecord:
    """A package in the ledger, as the history lists show it, with the county's decision on
    its period where one is known."""

    package_id: str
    direction: str
    kind: str
    unit: str
    unit_id: int
    sequence: int
    period: str | None
    file: str
    created_at: datetime
    processed_at: datetime
    sha256: str
    summary: dict[str, Any]
    decision: str | None
    reason: str | None
    comments: list[dict[str, str]]


def package_history(db: Database) -> list[PackageRecord]:
    """Every package this database wrote or took in, newest first."""
    with db.read() as s:
        names = dict(s.execute(select(m.Unit.id, m.Unit.name)).all())
        decisions: dict[str | None, m.Review] = {}
        for decided in s.scalars(select(m.Review).order_by(m.Review.decided_at)):
            decisions[decided.package_id] = decided
        out = []
        for e in s.scalars(
            select(m.PackageEntry).where(m.PackageEntry.state == DONE).order_by(m.PackageEntry.processed_at.desc())
        ):
            review = decisions.get(e.id)
            out.append(
                PackageRecord(
                    e.id,
                    e.direction,
                    e.kind,
                    names.get(e.unit_id, ""),
                    e.unit_id,
                    e.sequence,
                    e.period,
                    e.file_name,
                    e.created_at,
                    e.processed_at,
                    e.sha256,
                    e.summary,
                    review.decision if review else None,
                    review.reason if review else None,
                    review.comments if review else [],
                )
            )
        return out


def count_packages(db: Database, direction: str, kind: str) -> int:
    with db.read() as s:
        return int(
            s.scalar(
                select(func.count())
                .select_from(m.PackageEntry)
                .where(m.PackageEntry.direction == direction, m.PackageEntry.kind == kind, m.PackageEntry.state == DONE)
            )
            or 0
        )
