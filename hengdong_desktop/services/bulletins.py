"""Issued 通报 as records: issuing one for a period gives it the next 期号 of the year, stores the
figures it printed (the `report --json` form, services/programme_report.py), the PDF itself and
its SHA-256; a reprint writes exactly those bytes again (checked against the hash first). A later
issue for the same period is a correction: it names the issue it corrects and says what changed.
An issue whose figures equal the last one's for the period is refused (reprint that one)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import periods
from hengdong_desktop.errors import UserError
from hengdong_desktop.files import write_atomically
from hengdong_desktop.services import pdf
from hengdong_desktop.services.pdf import bulletin as layout
from hengdong_desktop.services.programme_report import figures_data
from hengdong_desktop.services.reference import load_reference
from hengdong_desktop.services.setup import read_info


@dataclass(frozen=True)
class Issued:
    """One issued 通报, as the list of issues shows it."""

    id: int
    year: int
    number: int
    period: str
    issued_on: date
    issued_at: datetime
    operator: str
    corrects: str | None
    changes: list[str]
    pdf_sha256: str
    pages: int = 0  # known when just issued or reprinted

    @property
    def label(self) -> str:
        return f"{self.year}年第{self.number}期"


def _plain(value: Any) -> Any:
    """A figures dict as stored: JSON values only (exact decimals as text, dates ISO)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _issued(row: m.Bulletin, labels: dict[int, str]) -> Issued:
    return Issued(
        row.id,
        row.year,
        row.number,
        row.period,
        row.issued_on,
        row.issued_at,
        row.operator,
        labels.get(row.corrects_id) if row.corrects_id else None,
        list(row.changes),
        row.pdf_sha256,
    )


def issued(db: Database) -> list[Issued]:
    """Every issued 通报, newest first."""
    with db.read() as s:
        rows = s.scalars(select(m.Bulletin).order_by(m.Bulletin.issued_at.desc(), m.Bulletin.id.desc())).all()
        labels = {b.id: f"{b.year}年第{b.number}期" for b in rows}
        return [_issued(b, labels) for b in rows]


# What a correction reports, in words: the headline, each domain and each industry, the problems.
_COUNTS = {
    "hundred_billion_industries": ("百亿级产业", "个"),
    "billion_enterprises": ("十亿级企业", "家"),
    "hundred_million_projects": ("亿元级项目", "个"),
}


def describe_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed between two stored figures (services/programme_report.figures_data), in
    sentences for the correction notice."""
    out: list[str] = []

    def count(scope: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        for metric, (label, unit) in _COUNTS.items():
            a, b = old.get(metric, {}).get("achieved"), new.get(metric, {}).get("achieved")
            if a != b:
                out.append(f"{scope}{label}由{a}{unit}更正为{b}{unit}")

    count("全县", before.get("headline", {}), after.get("headline", {}))
    old_domains = {d["name"]: d["progress"] for d in before.get("domains", [])}
    for dom in after.get("domains", []):
        count(dom["name"], old_domains.get(dom["name"], {}), dom["progress"])
    old_industries = {i["name"]: i for i in before.get("industries", [])}
    for ind in after.get("industries", []):
        old = old_industries.get(ind["name"], {})
        for key, label in (("to_date", "1-本月累计"), ("last_year", "上年全年"), ("enterprises", "企业户数")):
            if old.get(key) != ind.get(key):
                shown = [_amount(v) if key != "enterprises" else v for v in (old.get(key), ind.get(key))]
                out.append(f"{ind['name']}{label}由{shown[0]}更正为{shown[1]}")
    old_total, new_total = before.get("projects", {}).get("total", {}), after.get("projects", {}).get("total", {})
    for key, label in (("projects", "在库项目数"), ("invest_ytd", "本年完成投资")):
        if old_total.get(key) != new_total.get(key):
            shown = [_amount(v) if key == "invest_ytd" else f"{v}个" for v in (old_total.get(key), new_total.get(key))]
            out.append(f"{label}由{shown[0]}更正为{shown[1]}")
    old_warned = before.get("projects", {}).get("warning_counts", {})
    for rule, n in after.get("projects", {}).get("warning_counts", {}).items():
        if old_warned.get(rule) != n:
            out.append(f"{rule}预警由{old_warned.get(rule)}个更正为{n}个")
    old_promotion, new_promotion = before.get("investment", {}), after.get("investment", {})
    for key, label in (("signed", "累计签约项目"), ("started", "签约项目已开工")):
        if old_promotion.get(key) != new_promotion.get(key):
            out.append(f"{label}由{old_promotion.get(key)}个更正为{new_promotion.get(key)}个")
    a, b = before.get("problems", {}).get("open_total"), after.get("problems", {}).get("open_total")
    if a != b:
        out.append(f"未解决问题由{a}条更正为{b}条")
    return out


def _amount(value: Any) -> str:
    """万元 text of a stored amount."""
    if value is None:
        return "无"
    return f"{Decimal(str(value)):,.2f}万元"


def draft_narrative(db: Database, period: str, *, today: date | None = None) -> layout.Narrative:
    """The summary the 通报 for `period` would print, written from the figures, to edit before issuing."""
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    return layout.narrative(layout.load_bulletin(db, period, today or date.today()))


def issue(
    db: Database,
    period: str,
    out: Path,
    *,
    today: date | None = None,
    printed_at: datetime | None = None,
    narrative: layout.Narrative | None = None,
    black: bool = False,
) -> Issued:
    """Issues the 通报 for `period`: the next 期号 of the year, figures and PDF stored, the PDF
    written to `out`. A second issue for a period corrects the latest one and says what changed.
    `narrative`: the summary as edited (default: written from the figures), stored with the
    figures; `black`: the red header printed in black."""
    if not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM，如2025-03。")
    info = read_info(db)
    if not info.is_county:
        raise UserError("通报汇总全县数据，只能在县级汇总数据库中发布。")
    today = today or date.today()
    content = layout.load_bulletin(db, period, today)
    stored = _plain(figures_data(content.figures, load_reference(db)))
    with db.read() as s:
        previous = s.scalars(
            select(m.Bulletin)
            .where(m.Bulletin.period == period)
            .order_by(m.Bulletin.issued_at.desc(), m.Bulletin.id.desc())
            .limit(1)
        ).first()
        number = (s.scalar(select(func.max(m.Bulletin.number)).where(m.Bulletin.year == today.year)) or 0) + 1
    changes: list[str] = []
    corrects: str | None = None
    if previous is not None:
        changes = describe_changes(previous.figures, stored)
        corrects = f"{previous.year}年第{previous.number}期"
        if not changes:
            raise UserError(f"{period}的数字与已发布的{corrects}通报相同，无需更正发布；需要纸质件请重印{corrects}。")
    mark = layout.IssueMark(today.year, number, corrects, tuple(changes))
    content = replace(content, issue=mark, black=black)
    content = replace(content, narrative=narrative or layout.narrative(content))
    assert content.narrative is not None
    stored["narrative"] = content.narrative.as_json()
    data, pages = pdf.render_bulletin(db, content, printed_at=printed_at)
    digest = hashlib.sha256(data).hexdigest()
    with db.write(info.actor("figures")) as s:
        if s.scalar(select(m.Bulletin.id).where(m.Bulletin.year == today.year, m.Bulletin.number == number)):
            raise UserError(f"{mark.label}已由他人发布，请重新发布。")
        row = m.Bulletin(
            year=today.year,
            number=number,
            period=period,
            issued_on=today,
            issued_at=utcnow(),
            operator=info.operator,
            corrects_id=previous.id if previous else None,
            changes=changes,
            figures=stored,
            pdf_sha256=digest,
            pdf=data,
        )
        s.add(row)
        s.flush()
        result = _issued(row, {previous.id: corrects} if previous is not None and corrects else {})
    write_atomically(Path(out), data, what="PDF")
    return replace(result, pages=pages)


def find(db: Database, label: str) -> Issued:
    """An issue by its 期号, written "2026-3" or "2026年第3期"."""
    text = label.strip().replace("年第", "-").replace("期", "")
    year, _, number = text.partition("-")
    if not (year.isdigit() and number.isdigit()):
        raise UserError(f"期号“{label}”无效，应写成2026-3或2026年第3期。")
    with db.read() as s:
        row = s.scalars(
            select(m.Bulletin).where(m.Bulletin.year == int(year), m.Bulletin.number == int(number))
        ).first()
        if row is None:
            raise UserError(f"没有{year}年第{number}期通报。")
        labels = {}
        if row.corrects_id:
            corrected = s.get(m.Bulletin, row.corrects_id)
            if corrected is not None:
                labels[corrected.id] = f"{corrected.year}年第{corrected.number}期"
        return _issued(row, labels)


def reprint(db: Database, label: str, out: Path) -> Path:
    """Writes an issued 通报 again, byte for byte as issued."""
    found = find(db, label)
    with db.read() as s:
        row = s.get(m.Bulletin, found.id)
        assert row is not None
        data = row.pdf
    if hashlib.sha256(data).hexdigest() != found.pdf_sha256:
        raise UserError(f"{found.label}通报的存档已损坏（校验值不符），不能重印；请从备份恢复。")
    return write_atomically(Path(out), data, what="PDF")
