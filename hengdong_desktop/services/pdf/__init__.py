"""Printed documents (PDF, reportlab): the 企业培育表, the 亿元级项目调度表 and the county 通报.

Each `write_*` reads what it needs (a batch in a fixed number of queries), lays the document
out and writes the file atomically (all or nothing); every page of a training database's
documents carries its watermark. Qt-free: the app previews and prints the files these write."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.files import write_atomically
from hengdong_desktop.services import training
from hengdong_desktop.services.pdf import bulletin, document, reading
from hengdong_desktop.services.pdf import enterprise_form as ef
from hengdong_desktop.services.pdf import project_form as pf
from hengdong_desktop.services.pdf.document import Progress
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.setup import read_info


@dataclass(frozen=True)
class PrintedForm:
    """One form in a written PDF: whose it is and the verification code printed on it."""

    record_id: str
    key: str  # 统一社会信用代码 or 项目编号
    name: str
    code: str


@dataclass(frozen=True)
class WrittenPdf:
    path: Path
    pages: int
    period: str
    forms: list[PrintedForm] = field(default_factory=list)


@dataclass(frozen=True)
class _FormKind:
    """What differs between the two kinds of form."""

    module: Any  # enterprise_form or project_form: TITLE, load_forms(), parts()
    monthly: type[m.EnterpriseMonthly] | type[m.ProjectMonthly]
    key_field: str
    noun: str


_ENTERPRISES = _FormKind(ef, m.EnterpriseMonthly, "credit_code", "企业")
_PROJECTS = _FormKind(pf, m.ProjectMonthly, "project_code", "项目")


def _check_period(period: str) -> str:
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    return period


def _pick(rows: Sequence[Any], missing: str, duplicate: str) -> str:
    """The live record among `rows` (id, deleted_at); a removed one when none is live."""
    live = [r.id for r in rows if r.deleted_at is None]
    if len(live) > 1:
        raise UserError(duplicate.format(n=len(live)))
    if not rows:
        raise UserError(missing)
    return live[0] if live else rows[0].id


def find_enterprise(db: Database, credit_code: str) -> str:
    """The id of the enterprise with this 统一社会信用代码."""
    code = credit_code.strip().upper()
    e = m.Enterprise
    with db.read() as s:
        rows = s.execute(select(e.id, e.deleted_at).where(e.credit_code == code)).all()
    return _pick(
        rows,
        f"数据库中没有统一社会信用代码为“{code}”的企业。",
        f"统一社会信用代码“{code}”对应{{n}}户在库企业，请先在系统中处理重复企业。",
    )


def write_enterprise_forms(
    db: Database,
    out: Path | str,
    ids: Sequence[str] | None = None,
    *,
    unit_id: int | None = None,
    period: str | None = None,
    printed_at: datetime | None = None,
    progress: Progress | None = None,
) -> WrittenPdf:
    """企业培育表 of the given enterprises (in that order), else of every live enterprise of
    `unit_id`, else of every live enterprise in the database; one enterprise per page."""
    return _write_forms(_ENTERPRISES, db, out, ids, unit_id, period, printed_at, progress)


def enterprise_form_code(db: Database, enterprise_id: str, period: str) -> str:
    """Recomputes the verification code that a form of this enterprise printed for `period`
    carries when it still matches the data."""
    return _form_code(_ENTERPRISES, db, enterprise_id, period)


def find_project(db: Database, key: str) -> str:
    """The id of the project with this 项目编号 (or this record id)."""
    key = key.strip()
    p = m.Project
    with db.read() as s:
        rows = s.execute(select(p.id, p.deleted_at).where((p.project_code == key) | (p.id == key))).all()
    return _pick(
        rows,
        f"数据库中没有项目编号为“{key}”的项目。",
        f"项目编号“{key}”对应{{n}}个在库项目，请先在系统中为项目设置不同的编号。",
    )


def write_project_forms(
    db: Database,
    out: Path | str,
    ids: Sequence[str] | None = None,
    *,
    unit_id: int | None = None,
    period: str | None = None,
    printed_at: datetime | None = None,
    progress: Progress | None = None,
) -> WrittenPdf:
    """亿元级项目调度表 of the given projects, else of every live project of `unit_id` (or of the
    database); one project per page."""
    return _write_forms(_PROJECTS, db, out, ids, unit_id, period, printed_at, progress)


def project_form_code(db: Database, project_id: str, period: str) -> str:
    """Recomputes the verification code of this project's form printed for `period`."""
    return _form_code(_PROJECTS, db, project_id, period)


def write_bulletin(
    db: Database,
    out: Path | str,
    period: str,
    *,
    today: date | None = None,
    printed_at: datetime | None = None,
    progress: Progress | None = None,
) -> WrittenPdf:
    """A draft of the county 通报 for `period` (no 期号: services/bulletins.py issues them);
    refused on a township database."""
    _check_period(period)
    if not read_info(db).is_county:
        raise UserError("通报汇总全县数据，只能在县级汇总数据库中生成。")
    if progress:
        progress(0, 0, "正在汇总全县数据…")
    content = bulletin.load_bulletin(db, period, today or date.today())
    data, pages = render_bulletin(db, content, printed_at=printed_at, progress=progress)
    if progress:
        progress(1, 1, "正在保存PDF…")
    return WrittenPdf(write_atomically(Path(out), data, what="PDF"), pages, period)


def render_bulletin(
    db: Database, data: bulletin.BulletinData, *, printed_at: datetime | None = None, progress: Progress | None = None
) -> tuple[bytes, int]:
    """The 通报's PDF bytes and page count."""
    part = document.Part(f"{bulletin.TITLE}（{data.period}）")
    return document.render(
        [(part, bulletin.bulletin_flowables(data))],
        title=bulletin.TITLE,
        printed_at=printed_at,
        progress=progress,
        watermark=_watermark(db),
    )


def _watermark(db: Database) -> str | None:
    return training.WATERMARK if training.is_training(db) else None


def _write_forms(
    kind: _FormKind,
    db: Database,
    out: Path | str,
    ids: Sequence[str] | None,
    unit_id: int | None,
    period: str | None,
    printed_at: datetime | None,
    progress: Progress | None,
) -> WrittenPdf:
    if progress:
        progress(0, 0, f"正在读取{kind.noun}数据…")
    with db.read() as s:
        ref = load(s)
        period = _check_period(period) if period else reading.latest_period(s, kind.monthly, unit_id)
        forms = kind.module.load_forms(s, ref, period, ids=ids, unit_id=unit_id)
    if not forms:
        raise UserError(f"没有可打印的{kind.noun}（所选范围内没有在库{kind.noun}）。")
    printed = [PrintedForm(x.id, x.fields[kind.key_field], x.fields["name"], x.code) for x in forms]
    filled_by = read_info(db).operator  # 填表人: who runs the program
    return _write(
        out,
        kind.module.parts(forms, filled_by),
        kind.module.TITLE,
        period,
        printed_at,
        progress,
        printed,
        _watermark(db),
    )


def _form_code(kind: _FormKind, db: Database, record_id: str, period: str) -> str:
    with db.read() as s:
        forms = kind.module.load_forms(s, load(s), _check_period(period), ids=[record_id])
    if not forms:
        raise UserError(f"数据库中没有所指的{kind.noun}。")
    return str(forms[0].code)


def _write(
    out: Path | str,
    parts: list[tuple[document.Part, list[Flowable]]],
    title: str,
    period: str,
    printed_at: datetime | None,
    progress: Progress | None,
    forms: list[PrintedForm],
    watermark: str | None,
) -> WrittenPdf:
    data, pages = document.render(parts, title=title, printed_at=printed_at, progress=progress, watermark=watermark)
    if progress:
        progress(len(parts), len(parts), "正在保存PDF…")
    path = write_atomically(Path(out), data, what="PDF")
    return WrittenPdf(path, pages, period, forms)
