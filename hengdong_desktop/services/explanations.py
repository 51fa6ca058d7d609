"""Writing the 说明 of one warning outside the forms (`hengdong explain`): the warning is named by
its rule, its record (the record id `hengdong check --json` prints, or the enterprise's name or
credit code, the project's name or code) and, for a monthly row, its period. It is looked up among
the findings the rule engine reports on the stored records, exactly as 审核 lists them, so only a
warning that exists can be explained, and the text must be as long as its severity asks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import credit_code, periods, rules
from hengdong_desktop.domain.rules import Finding
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import checks
from hengdong_desktop.services.entry import store_explanation
from hengdong_desktop.services.setup import read_info


@dataclass(frozen=True)
class Explained:
    finding: Finding
    text: str
    replaced: str | None  # the explanation written before, if any

    def summary(self) -> str:
        verb = "已更新说明" if self.replaced else "已填写说明"
        return f"{verb}：{self.finding.describe()}（规则{self.finding.rule_id}）——{self.text}"


def _names(f: Finding, by_id: Mapping[str, Mapping[str, Any]]) -> set[str]:
    """What a clerk may call the record of `f`: its id, and its owner's id, name and code."""
    record = by_id.get(f.record_id or "")
    if record is None:
        return set()
    owner = by_id.get(checks.owner_key(f.entity, record)[1]) or record
    names = {str(f.record_id), str(owner["id"]), str(owner.get("name") or "")}
    names |= {str(owner[key]) for key in ("credit_code", "project_code") if owner.get(key)}
    return names - {""}


def _named(record: str, names: set[str]) -> bool:
    return record in names or credit_code.normalize(record) in names


def explain(db: Database, rule_id: str, record: str, text: str, *, period: str | None = None) -> Explained:
    """Stores `text` as the explanation of the one warning of rule `rule_id` on `record`
    (in `period`, for a monthly row)."""
    if period is not None and not periods.is_period(period):
        raise UserError(f"期别“{period}”无效，应为YYYY-MM。")
    rule, record, text = rule_id.strip().upper(), record.strip(), text.strip()
    info = read_info(db)
    with db.read() as s:
        rows = checks.live_rows(s, None if info.is_county else info.unit_id)
        report = checks.check_rows(rows, checks.industry_domains_in(s))
    by_id = {r["id"]: r for entity_rows in rows.values() for r in entity_rows}
    found = [
        f
        for f in report.findings
        if f.severity.needs_explanation
        and f.rule_id.upper() == rule
        and (period is None or f.period == period)
        and _named(record, _names(f, by_id))
    ]
    when = f"{period}期" if period else ""
    if not found:
        raise UserError(
            f"没有找到“{record}”{when}规则{rule}的警告：请用 hengdong check 查看待说明的警告及其规则编号"
            "（--json 给出记录编号 record_id）。"
        )
    if len(found) > 1:
        listed = "；".join(f.describe() for f in found[:5]) + ("等" if len(found) > 5 else "")
        raise UserError(
            f"“{record}”{when}有{len(found)}条规则{rule}的警告（{listed}），请用 --period 或记录编号"
            "（hengdong check --json 的 record_id）指明其中一条。"
        )
    finding = found[0]
    if not rules.explanation_ok(finding.severity, text):
        raise UserError(f"{finding.severity.value}警告的说明至少要{finding.severity.min_explanation}个字，请写明原因。")
    replaced = report.explanation(finding)
    with db.write(info.actor("cli")) as s:
        store_explanation(
            s,
            by_id[finding.record_id or ""]["unit_id"],
            finding.entity,
            finding.record_id or "",
            finding.period,
            finding.rule_id,
            text,
        )
    return Explained(finding, text, replaced)
