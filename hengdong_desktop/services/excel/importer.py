"""Importing a workbook: every row matched, coerced and checked by the one rule engine, then
written all or nothing.

Matching: enterprises by 统一社会信用代码; projects by 项目编号 when present, else by 项目名称
within the unit; monthly rows and status rows by their enterprise or project and 填报期; yearly
rows by their enterprise or project and 年度; problems by their enterprise or project, 问题类别,
提出日期 and 问题描述; 一企一策 measures by their enterprise and 措施, their 关联问题 read as
domain/problem_ref.py writes it (a problem of the file's 问题 sheet counts). A project whose
status rows are imported takes the status of its latest row. A column present in the sheet is
authoritative (an empty cell clears the field); a column absent leaves the stored value alone.
A township imports only its own unit's records; a county import names the unit per row.

One 强制性 finding and nothing is written. Warnings import; a row's 说明 column explains every
warning the rule engine finds on the row (as the 月度调度 grid's 说明 column does), else the
finding stays in 审核 until it is explained."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.escape import unescape
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import rows_for_create
from hengdong_desktop.db.audit_rules import audit_value
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import assignment, credit_code, periods, problem_ref, rules
from hengdong_desktop.domain.fields import ENTITIES, ENTITY_LABELS, FieldSpec
from hengdong_desktop.domain.records import EnterpriseLookup, ValueProblem, coerce
from hengdong_desktop.domain.rules import Finding, Severity
from hengdong_desktop.services import backups
from hengdong_desktop.services.entry import follow_latest_stage, store_explanation, sync_stage
from hengdong_desktop.services.excel import layout as lay
from hengdong_desktop.services.excel.reader import RawSheet, WorkbookData, read_workbook
from hengdong_desktop.services.excel.writer import clean_text
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.setup import DatabaseInfo, read_info

HEADER_SEARCH_ROWS = 30
LAST_SERIAL = 73051  # 2100-01-01: a larger number in a date column is not an Excel date serial
SKIPPED_QUIETLY = (lay.INSTRUCTIONS_TITLE, lay.OPTIONS_TITLE)
M, H = Severity.MANDATORY, Severity.HINT
ACTION_LABELS = {"create": "新增", "update": "修改", "unchanged": "无变化"}
_SPECS = {entity: {s.name: s for s in specs} for entity, specs in ENTITIES.items()}


@dataclass(frozen=True)
class Issue:
    """One line of the import report."""

    sheet: str
    row: int | None  # the row number Excel shows
    column: str | None  # the header label
    cell: str | None  # "C12", for highlighting
    value: str | None
    rule: str
    severity: Severity
    message: str
    explanation: str | None = None  # a warning's 说明 (the row's, or one already stored), when enough

    @property
    def text(self) -> str:
        """The message, with the 说明 that answers it."""
        return f"{self.message}（已说明：{self.explanation}）" if self.explanation else self.message

    def line(self) -> str:
        where = self.sheet + (f"!{self.cell}" if self.cell else f" 第{self.row}行" if self.row else "")
        value = f"；值：{self.value}" if self.value not in (None, "") else ""
        explained = f"；已说明：{self.explanation}" if self.explanation else ""
        return f"{where} [{self.severity.value}] {self.message}（规则{self.rule}{value}{explained}）"

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "value": self.value,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class NewExplanation:
    """A 说明 from a row's 说明 column, for one warning on one record."""

    entity: str
    record_id: str
    unit_id: int
    period: str | None
    rule_id: str
    text: str


@dataclass
class Change:
    """A record the import creates or changes (or finds unchanged)."""

    entity: str
    sheet: str
    row: int
    action: str  # create / update / unchanged
    subject: str
    record_id: str
    values: dict[str, Any]  # the whole record as it will be stored
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)  # field → (old, new)
    # How a value reads to the clerk (a unit's name, not its id); made only when shown.
    show: Callable[[FieldSpec, Any], str] = field(default=lambda _spec, value: _shown(value), repr=False)

    def describe(self) -> str:
        specs = _SPECS[self.entity]
        parts = []
        for name, (old, new) in self.changes.items():
            if name not in specs:
                continue
            spec = specs[name]
            if self.action == "create":
                parts.append(f"{spec.label}：{self.show(spec, new)}")
            else:
                parts.append(f"{spec.label}：{self.show(spec, old) or '（空）'} → {self.show(spec, new) or '（空）'}")
        return "；".join(parts)


@dataclass
class SheetSummary:
    title: str
    entity: str | None  # None: not imported
    header_row: int | None = None
    rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class ImportPlan:
    file: str
    sheets: list[SheetSummary] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    explanations: list[NewExplanation] = field(default_factory=list)
    written: bool = False

    @property
    def blocking(self) -> list[Issue]:
        return [i for i in self.issues if i.severity.blocks]

    @property
    def warnings(self) -> list[Issue]:
        """Warnings still without their 说明 once the import is done."""
        return [i for i in self.issues if i.severity.needs_explanation and not i.explanation]

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for c in self.changes:
            out[c.entity][c.action] += 1
        return {entity: {a: out[entity][a] for a in ACTION_LABELS} for entity in lay.IMPORT_ORDER if entity in out}

    def summary(self) -> str:
        parts = []
        for entity, n in self.counts().items():
            bits = [f"{ACTION_LABELS[a]}{n[a]}" for a in ("create", "update") if n[a]]
            if bits:
                parts.append(f"{ENTITY_LABELS[entity]}{'、'.join(bits)}")
        what = "，".join(parts) or "没有需要新增或修改的数据"
        if self.blocking:
            return f"发现{len(self.blocking)}条强制性错误，未导入任何数据（若无错误将：{what}）。"
        warn = f"；有{len(self.warnings)}条警告，请在审核中填写说明" if self.warnings else ""
        if self.explanations:
            warn = f"；填写说明{len(self.explanations)}条" + warn
        if not parts:
            return f"检查通过，{what}{warn}。"
        verb = "已导入" if self.written else "检查通过，可以导入"
        return f"{verb}：{what}{warn}。"

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": not self.blocking,
            "written": self.written,
            "file": self.file,
            "summary": self.summary(),
            "counts": self.counts(),
            "blocking": len(self.blocking),
            "unexplained": len(self.warnings),
            "explanations": len(self.explanations),
            "sheets": [
                {
                    "title": s.title,
                    "entity": s.entity,
                    "header_row": s.header_row,
                    "rows": s.rows,
                    "ignored_columns": s.ignored_columns,
                    "note": s.note,
                }
                for s in self.sheets
            ],
            "issues": [i.as_json() for i in self.issues],
            "changes": [
                {
                    "entity": c.entity,
                    "sheet": c.sheet,
                    "row": c.row,
                    "action": c.action,
                    "subject": c.subject,
                    "changes": c.describe(),
                }
                for c in self.changes
                if c.action != "unchanged"
            ],
        }


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal):
        return audit_value(value) or ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


# ---------------------------------------------------------------------------------------------
# From cells to raw field values
# ---------------------------------------------------------------------------------------------
def cell_value(value: Any, spec: FieldSpec, epoch_1904: bool) -> Any:
    """What Excel stored, as the rule engine's `coerce` expects it for this field."""
    if isinstance(value, str):
        if "_x" in value:  # Excel's escapes for control characters: _x000D_ is a CR, _x0000_ a NUL
            value = unescape(value)
        return clean_text(value)  # control characters (a NUL, say) are never data
    if value is None or isinstance(value, bool):
        return value
    kind = spec.kind
    if isinstance(value, int | float):
        if kind in ("date", "month") and 1 <= value < LAST_SERIAL:
            return from_excel(value, CALENDAR_MAC_1904 if epoch_1904 else CALENDAR_WINDOWS_1900)
        if kind == "money" and isinstance(value, float):
            return Decimal(format(value, ".15g"))  # Excel's own precision: 15 significant digits
        if kind in ("money", "int"):
            return value
        return _shown(value)  # a number typed into a text, code or choice column
    if isinstance(value, datetime | date) and kind not in ("date", "month"):
        return _shown(value)
    return value


@dataclass
class _Row:
    sheet: str
    number: int
    cells: dict[int, Any]
    columns: dict[str, int]  # field name or key → column number
    fields: dict[str, Any]
    keys: dict[str, Any]
    labels: dict[int, str]
    blocked: set[str] = field(default_factory=set)  # cells already holding a 强制性 finding


class _Planner:
    def __init__(self, session: Session, info: DatabaseInfo, data: WorkbookData) -> None:
        self.s = session
        self.info = info
        self.data = data
        self.ref = load(session)
        self.county = info.is_county
        self.scope = None if self.county else info.unit_id
        self.industry_domains = {i.id: i.domain_id for i in self.ref.industries}
        self.plan = ImportPlan(data.path.name)
        self.enterprises = self._load(m.Enterprise)
        self.by_code = {e["credit_code"]: e["id"] for e in self.enterprises.values()}
        self.projects = self._load(m.Project)
        self.project_by_code = {
            (p["unit_id"], p["project_code"]): p["id"] for p in self.projects.values() if p["project_code"]
        }
        self.project_by_name: dict[tuple[int, str], str] = {}
        for p in self.projects.values():
            self.project_by_name.setdefault((p["unit_id"], p["name"]), p["id"])
        self.planned_problems: dict[str, dict[str, Any]] = {}  # the 问题 sheet's problems, as they will be
        self.seen: dict[tuple[Any, ...], int] = {}  # match key → first row that carried it
        self.explained: dict[tuple[str, str], str] = {}  # (record id, rule) → its stored 说明
        exported: dict[str, list[str]] = defaultdict(list)  # record id → its 说明 as the export wrote them
        for e in self._load(m.Explanation).values():
            self.explained[(e["record_id"], e["rule_id"])] = e["text"]
            if e["text"] not in exported[e["record_id"]]:
                exported[e["record_id"]].append(e["text"])
        self.exported = {record_id: "；".join(texts) for record_id, texts in exported.items()}

    def _load(self, model: type[m.Synced], *where: Any) -> dict[str, dict[str, Any]]:
        table = model.__table__  # type: ignore[attr-defined]
        stmt = select(table).where(table.c.deleted_at.is_(None), *where)
        if self.scope is not None:
            stmt = stmt.where(table.c.unit_id == self.scope)
        return {r["id"]: dict(r) for r in self.s.execute(stmt).mappings()}

    # report --------------------------------------------------------------------------------
    def issue(
        self,
        row: _Row | None,
        where: str | None,
        rule: str,
        severity: Severity,
        message: str,
        *,
        sheet: str | None = None,
        explanation: str | None = None,
    ) -> None:
        col = row.columns.get(where) if row and where else None
        if row and where and severity.blocks:
            row.blocked.add(where)
        self.plan.issues.append(
            Issue(
                sheet=row.sheet if row else (sheet or ""),
                row=row.number if row else None,
                column=row.labels.get(col) if row and col else None,
                cell=f"{get_column_letter(col)}{row.number}" if row and col else None,
                value=_shown(row.cells.get(col)) if row and col else None,
                rule=rule,
                severity=severity,
                message=message,
                explanation=explanation,
            )
        )

    def findings(self, row: _Row, findings: Iterable[Finding], explained: Mapping[str, str] | None = None) -> None:
        """Reports the rule engine's findings on `row`, each at its cell (a warning with the 说明
        `explained` holds for its rule)."""
        for f in findings:
            where = next((name for name in f.fields if name in row.columns), None)
            if where is None and "enterprise_id" in f.fields:
                where = lay.CREDIT_CODE if lay.CREDIT_CODE in row.columns else lay.PROJECT_NAME
            if f.severity.blocks and (where in row.blocked or where is None and f.fields[0] in row.blocked):
                continue  # one 强制性 finding per cell: “必须填写” adds nothing to “不是日期”
            self.issue(row, where, f.rule_id, f.severity, f.message, explanation=(explained or {}).get(f.rule_id))

    def duplicate(self, row: _Row, key: tuple[Any, ...], where: str, what: str) -> bool:
        first = self.seen.setdefault(key, row.number)
        if first != row.number:
            self.issue(row, where, "XLS.duplicate", M, f"与第{first}行是同一{what}，同一{what}只能出现一次")
            return True
        return False

    # units ---------------------------------------------------------------------------------
    def unit_of(self, row: _Row, raw: Any, existing_unit: int | None) -> int | None:
        """The unit a row belongs to; a township's own unit when the cell is empty."""
        where = lay.UNIT if lay.UNIT in row.columns else "unit_id"
        if raw is None or str(raw).strip() == "":
            if not self.county:
                return self.info.unit_id
            if existing_unit is not None:
                return existing_unit
            self.issue(row, where, "REQ.unit_id", M, "所属单位必须填写（县级导入须逐行写明所属单位）")
            return None
        unit_id = self.ref.resolve("unit", str(raw).strip())
        if unit_id is None or unit_id == self.ref.county.id:
            self.issue(row, where, "XLS.unit", M, f"所属单位“{raw}”不是填报单位")
            return None
        if not self.county and unit_id != self.info.unit_id:
            self.issue(
                row,
                where,
                "XLS.other_unit",
                M,
                f"所属单位“{raw}”不是本单位（{self.info.unit_name}），乡镇只能导入本单位的数据",
            )
            return None
        if existing_unit is not None and unit_id != existing_unit:
            self.issue(
                row,
                where,
                "XLS.unit_change",
                M,
                f"该记录已属于{self.ref.name_of('unit', existing_unit)}，不能通过导入改为{raw}",
            )
            return None
        return unit_id

    # changes -------------------------------------------------------------------------------
    def change(
        self, row: _Row, entity: str, existing: Mapping[str, Any] | None, record: dict[str, Any], subject: str
    ) -> None:
        if existing is None:
            diffs = {k: (None, v) for k, v in record.items() if v not in (None, [], "") and k != "id"}
            action = "create"
        else:
            diffs = {
                k: (existing.get(k), v)
                for k, v in record.items()
                if k in existing and audit_value(existing.get(k)) != audit_value(v)
            }
            action = "update" if diffs else "unchanged"
        self.plan.changes.append(
            Change(entity, row.sheet, row.number, action, subject, record["id"], record, diffs, self.shown)
        )

    def shown(self, spec: FieldSpec, value: Any) -> str:
        if spec.kind == "ref" and value is not None:
            if spec.ref in ("enterprise", "project"):
                owner = (self.enterprises if spec.ref == "enterprise" else self.projects).get(value) or {}
                return str(owner.get("name") or "")
            return self.ref.name_of(spec.ref or "", value)
        return _shown(value)

    # sheets --------------------------------------------------------------------------------
    def rows(self) -> dict[str, list[_Row]]:
        """The data rows of every importable sheet, by entity; notes the sheets left out."""
        out: dict[str, list[_Row]] = defaultdict(list)
        for sheet in self.data.sheets:
            if not sheet.visible:
                if sheet.title not in SKIPPED_QUIETLY:
                    self.plan.sheets.append(SheetSummary(sheet.title, None, note="隐藏的工作表，未导入"))
                    self.issue(
                        None,
                        None,
                        "XLS.hidden_sheet",
                        H,
                        f"工作表“{sheet.title}”是隐藏的，未导入；如需导入请先取消隐藏",
                        sheet=sheet.title,
                    )
                continue
            found = self._header(sheet)
            if found is None:
                if sheet.title not in SKIPPED_QUIETLY:
                    self.plan.sheets.append(SheetSummary(sheet.title, None, note="找不到表头，未导入"))
                    if sheet.rows:
                        self.issue(
                            None,
                            None,
                            "XLS.no_header",
                            H,
                            f"工作表“{sheet.title}”中找不到可识别的表头（如“统一社会信用代码”“企业名称”），未导入",
                            sheet=sheet.title,
                        )
                continue
            layout, header_row, mapping, extra = found
            summary = SheetSummary(
                sheet.title, layout.entity, header_row, ignored_columns=[label for _, label in extra]
            )
            self.plan.sheets.append(summary)
            labels = {col: sheet.rows[header_row][col] for col in mapping}
            labels = {col: str(v).strip() for col, v in labels.items()}
            header = _Row(sheet.title, header_row, sheet.rows[header_row], {}, {}, {}, {})
            for col, label in extra:
                header.columns[label] = col
                header.labels[col] = label
                self.issue(header, label, "XLS.extra_column", H, f"列“{label}”不是“{layout.title}”表的列，已忽略")
            self._sheet_notes(sheet, header_row)
            by_name = {(c.key or c.spec.name): col for col, c in mapping.items()}
            for number in sorted(n for n in sheet.rows if n > header_row):
                cells = sheet.rows[number]
                if not any(col in cells for col in mapping):
                    continue
                row = _Row(sheet.title, number, cells, by_name, {}, {}, labels)
                for col, column in mapping.items():
                    value = self._cell(sheet, row, col, column)
                    if column.key:
                        row.keys[column.key] = value
                    else:
                        row.fields[column.spec.name] = value
                out[layout.entity].append(row)
                summary.rows += 1
        if not any(summary.entity for summary in self.plan.sheets):  # (sheets with headers but no rows are fine)
            self.issue(
                None,
                None,
                "XLS.nothing",
                M,
                "文件中没有可导入的工作表：请使用本系统的Excel模板，或确保表头含有模板中的列名",
                sheet="（文件）",
            )
        return out

    def _header(
        self, sheet: RawSheet
    ) -> tuple[lay.SheetLayout, int, dict[int, lay.Column], list[tuple[int, str]]] | None:
        best: tuple[int, int, lay.SheetLayout] | None = None
        named = lay.layout_by_title(sheet.title)
        for number in sorted(sheet.rows)[:HEADER_SEARCH_ROWS]:
            cells = sheet.rows[number]
            for layout in lay.LAYOUTS:
                score = lay.header_score(layout, cells, named=layout is named)
                if score and layout is named:
                    score += 1  # the sheet's own name settles a tie
                if score > 1 and (best is None or score > best[0]):
                    best = (score, number, layout)
        if best is None:
            return None
        _, number, layout = best
        mapping, extra = lay.match_header(layout, sheet.rows[number])
        return layout, number, mapping, extra

    def _sheet_notes(self, sheet: RawSheet, header_row: int) -> None:
        def note(rule: str, message: str) -> None:
            self.issue(None, None, rule, H, message, sheet=sheet.title)

        hidden = sorted(n for n in sheet.hidden_rows if n > header_row)
        if hidden:
            shown = "、".join(str(n) for n in hidden[:10]) + ("等" if len(hidden) > 10 else "")
            note("XLS.hidden_rows", f"第{shown}行是隐藏行（共{len(hidden)}行），已照常导入")
        if sheet.formulas:
            note("XLS.formula", f"{len(sheet.formulas)}个公式单元格按Excel保存的计算结果导入")
        if sheet.merged:
            note("XLS.merged", "合并单元格的值已填入它覆盖的每一格")

    def _cell(self, sheet: RawSheet, row: _Row, col: int, column: lay.Column) -> Any:
        value = row.cells.get(col)
        where = column.key or column.spec.name
        if (row.number, col) in sheet.uncomputed:
            self.issue(
                row,
                where,
                "XLS.formula",
                M,
                f"{column.label}是公式，但文件中没有保存计算结果：请用Excel打开并保存后再导入，或直接填写数值",
            )
            return None
        if (row.number, col) in sheet.errors:
            self.issue(row, where, "XLS.error", M, f"{column.label}是错误值“{sheet.errors[(row.number, col)]}”")
            return None
        return cell_value(value, column.spec, self.data.epoch_1904)

    # entities --------------------------------------------------------------------------------
    def check(self, row: _Row, entity: str, record: Mapping[str, Any], subject: str | None, **kw: Any) -> None:
        """The rule engine on the record a row makes; the row's 说明 explains each of its warnings."""
        found = [
            rules.in_words(f, record, self.ref)
            for f in rules.check(entity, record, industry_domains=self.industry_domains, subject=subject, **kw)
        ]
        text = str(row.keys.get(lay.EXPLANATION) or "").strip()
        if text and text == self.exported.get(record["id"]):
            text = ""  # the 说明 as exported, unchanged: each warning keeps its own
        explained: dict[str, str] = {}
        for f in found:
            if not f.severity.needs_explanation:
                continue
            stored = self.explained.get((record["id"], f.rule_id))
            if text and text != stored and record.get("unit_id") is not None:
                self.plan.explanations.append(
                    NewExplanation(entity, record["id"], record["unit_id"], record.get("period"), f.rule_id, text)
                )
            shown = text or stored
            if rules.explanation_ok(f.severity, shown):
                explained[f.rule_id] = shown or ""
        if text and not any(f.severity.needs_explanation for f in found):
            self.issue(row, lay.EXPLANATION, "XLS.explanation", H, "本行没有需要说明的警告，说明未导入")
        self.findings(row, found, explained)

    def enterprise(self, row: _Row) -> None:
        code = credit_code.normalize(row.fields.get("credit_code")) or None
        existing = self.enterprises.get(self.by_code.get(code, "")) if code else None
        fields = dict(row.fields)
        unit_raw = fields.pop("unit_id", None)
        unit_id = self.unit_of(row, unit_raw, existing["unit_id"] if existing else None)
        coerced = coerce("enterprise", fields, self.ref)
        self.findings(row, coerced.findings)
        if code and self.duplicate(row, ("enterprise", code), "credit_code", "企业"):
            return
        record = {**(existing or {"id": m.new_uuid()}), **coerced.values}
        if unit_id is not None:
            record["unit_id"] = unit_id
        self.check(row, "enterprise", record, record.get("name"))
        if code:
            if existing is None:
                self.by_code[code] = record["id"]
            self.enterprises[record["id"]] = record
        self.change(row, "enterprise", existing, record, record.get("name") or code or "")

    def _enterprise_finder(self, unit_id: int | None) -> Callable[[str], str | None]:
        def find(text: str) -> str | None:
            by_code = self.by_code.get(credit_code.normalize(text))
            if by_code:
                return by_code
            return next(
                (
                    e["id"]
                    for e in self.enterprises.values()
                    if e.get("name") == text and (unit_id is None or e.get("unit_id") == unit_id)
                ),
                None,
            )

        return find

    def project(self, row: _Row) -> None:
        fields = dict(row.fields)
        unit_raw = fields.pop("unit_id", None)
        code = str(fields.get("project_code") or "").strip() or None
        name = str(fields.get("name") or "").strip() or None
        unit_guess = self.info.unit_id if not self.county else self.ref.resolve("unit", str(unit_raw or ""))
        existing_id = None
        if unit_guess is not None:
            existing_id = (self.project_by_code.get((unit_guess, code)) if code else None) or self.project_by_name.get(
                (unit_guess, name or "")
            )
        existing = self.projects.get(existing_id or "")
        if existing and code and existing["project_code"] and existing["project_code"] != code:
            self.issue(
                row,
                "project_code",
                "XLS.project_code",
                M,
                f"本单位已有同名项目，其项目编号为“{existing['project_code']}”，与本行不同",
            )
            return
        unit_id = self.unit_of(row, unit_raw, existing["unit_id"] if existing else None)
        coerced = coerce("project", fields, self.ref, lookup={"enterprise": self._enterprise_finder(unit_id)})
        self.findings(row, coerced.findings)
        key = ("project", unit_id, code) if code else ("project", unit_id, name)
        if (code or name) and self.duplicate(row, key, "project_code" if code else "name", "项目"):
            return
        record = {**(existing or {"id": m.new_uuid()}), **coerced.values}
        if unit_id is not None:
            record["unit_id"] = unit_id
        self.check(row, "project", record, record.get("name"))
        if unit_id is not None:  # later sheets find it by its new code or name, too
            if code:
                self.project_by_code[(unit_id, code)] = record["id"]
            if name:
                self.project_by_name.setdefault((unit_id, name), record["id"])
        self.projects[record["id"]] = record
        self.change(row, "project", existing, record, record.get("name") or code or "")

    def find_enterprise(self, row: _Row) -> dict[str, Any] | None:
        raw = row.keys.get(lay.CREDIT_CODE)
        code = credit_code.normalize(raw) if raw is not None else ""
        if not code:
            self.issue(row, lay.CREDIT_CODE, "REQ.credit_code", M, "统一社会信用代码必须填写")
            return None
        found = self.enterprises.get(self.by_code.get(code, ""))
        if found is None:
            self.issue(
                row,
                lay.CREDIT_CODE,
                "XLS.no_enterprise",
                M,
                f"统一社会信用代码“{code}”的企业不在本单位企业库中，也不在本文件的“企业”表中",
            )
        return found

    def find_project(self, row: _Row, *, report_missing: bool = True) -> dict[str, Any] | None:
        code = str(row.keys.get(lay.PROJECT_CODE) or "").strip() or None
        name = str(row.keys.get(lay.PROJECT_NAME) or "").strip() or None
        where = lay.PROJECT_CODE if code else lay.PROJECT_NAME
        if not code and not name:
            if report_missing:
                self.issue(row, lay.PROJECT_NAME, "REQ.project", M, "须填写项目编号或项目名称")
            return None
        units = [self.info.unit_id] if not self.county else None
        if self.county and row.keys.get(lay.UNIT):
            unit = self.unit_of(row, row.keys[lay.UNIT], None)
            if unit is None:
                return None
            units = [unit]
        candidates = {
            pid for (u, c), pid in self.project_by_code.items() if code and c == code and (units is None or u in units)
        }
        if not candidates and name:
            candidates = {
                pid for (u, n), pid in self.project_by_name.items() if n == name and (units is None or u in units)
            }
        if len(candidates) > 1:
            self.issue(row, where, "XLS.ambiguous", M, "多个单位有此项目，请在“所属单位”列写明单位")
            return None
        if not candidates:
            self.issue(
                row, where, "XLS.no_project", M, f"项目“{code or name}”不在本单位项目库中，也不在本文件的“项目”表中"
            )
            return None
        return self.projects[candidates.pop()]

    def monthly(self, rows: list[_Row], entity: str) -> None:
        is_enterprise = entity == "enterprise_monthly"
        owner_key = "enterprise_id" if is_enterprise else "project_id"
        model = m.EnterpriseMonthly if is_enterprise else m.ProjectMonthly
        pending: list[tuple[_Row, dict[str, Any], dict[str, Any]]] = []
        for row in rows:
            owner = self.find_enterprise(row) if is_enterprise else self.find_project(row)
            coerced = coerce(entity, row.fields, self.ref)
            self.findings(row, coerced.findings)
            period = coerced.values.get("period")
            if owner is None:
                continue
            if period is None:
                if "FMT.period" not in {f.rule_id for f in coerced.findings}:
                    self.issue(row, "period", "REQ.period", M, "填报期必须填写")
                continue
            what = "企业同一填报期" if is_enterprise else "项目同一填报期"
            if self.duplicate(row, (entity, owner["id"], period), "period", what):
                continue
            pending.append((row, owner, coerced.values))
        wanted = {v["period"] for _, _, v in pending}
        wanted |= {periods.previous(p) for p in wanted}
        table = model.__table__  # type: ignore[attr-defined]
        stored = {(r[owner_key], r["period"]): r for r in self._load(model, table.c.period.in_(wanted)).values()}
        state = dict(stored)
        merged: list[tuple[_Row, dict[str, Any], dict[str, Any]]] = []
        for row, owner, values in pending:
            key = (owner["id"], values["period"])
            existing = stored.get(key)
            record = {
                **(existing or {"id": m.new_uuid()}),
                **values,
                owner_key: owner["id"],
                "unit_id": owner.get("unit_id"),
            }
            state[key] = record
            merged.append((row, owner, record))
        for row, owner, record in merged:
            previous = state.get((owner["id"], periods.previous(record["period"])))
            extra = {} if is_enterprise else {"parent": owner}
            self.check(row, entity, record, owner.get("name"), previous=previous, **extra)
            self.change(
                row,
                entity,
                stored.get((owner["id"], record["period"])),
                record,
                f"{owner.get('name') or ''}（{record['period']}）",
            )

    def yearly(self, rows: list[_Row], entity: str) -> None:
        """企业年度 and 项目年度: one row per enterprise (project) and year, matched by its owner and 年度."""
        owner_field, find, what = {
            "enterprise_annual": ("enterprise_id", self.find_enterprise, "企业同一年度"),
            "project_annual": ("project_id", self.find_project, "项目同一年度"),
        }[entity]
        stored = {(a[owner_field], a["year"]): a for a in self._load(m.ENTITY_MODELS[entity]).values()}
        for row in rows:
            owner = find(row)
            coerced = coerce(entity, row.fields, self.ref)
            self.findings(row, coerced.findings)
            year = coerced.values.get("year")
            if owner is None:
                continue
            if year is None:
                if "FMT.year" not in {f.rule_id for f in coerced.findings}:
                    self.issue(row, "year", "REQ.year", M, "年度必须填写")
                continue
            if self.duplicate(row, (entity, owner["id"], year), "year", what):
                continue
            existing = stored.get((owner["id"], year))
            record = {
                **(existing or {"id": m.new_uuid()}),
                **coerced.values,
                owner_field: owner["id"],
                "unit_id": owner.get("unit_id"),
            }
            self.check(row, entity, record, owner.get("name"), parent=owner)
            self.change(row, entity, existing, record, f"{owner.get('name') or ''}（{year}年）")

    def owned(self, rows: list[_Row], entity: str, key_fields: tuple[str, ...], what: str) -> None:
        """培育名录 and 一企一策: rows of an enterprise, matched by its credit code and `key_fields`;
        a measure's 关联问题 is checked by the rule engine against the problem it names (CS02)."""
        model = m.ENTITY_MODELS[entity]
        stored = {(x["enterprise_id"], *(x[k] for k in key_fields)): x for x in self._load(model).values()}
        measures = entity == "support_measure"
        problems = self._enterprise_problems() if measures else {}
        by_id = {p["id"]: p for rows in problems.values() for p in rows}
        for row in rows:
            owner = self.find_enterprise(row)
            lookup = {"problem": self._problem_finder(problems, owner)} if measures else None
            coerced = coerce(entity, row.fields, self.ref, lookup=lookup)
            self.findings(row, coerced.findings)
            if owner is None:
                continue
            key = (owner["id"], *(coerced.values.get(k) for k in key_fields))
            if all(v is not None for v in key) and self.duplicate(row, (entity, *key), key_fields[0], what):
                continue
            existing = stored.get(key)
            record = {
                **(existing or {"id": m.new_uuid()}),
                **coerced.values,
                "enterprise_id": owner["id"],
                "unit_id": owner.get("unit_id"),
            }
            linked = by_id.get(record.get("problem_id") or "") if measures else None
            self.check(row, entity, record, owner.get("name"), parent=linked)
            self.change(row, entity, existing, record, f"{owner.get('name') or ''}（{key[1] or ''}）")

    def _enterprise_problems(self) -> dict[str | None, list[dict[str, Any]]]:
        """Every enterprise's problems as a measure may name them: stored (removed ones too: a
        measure may still name one) and this file's, by enterprise."""
        table: Any = m.Problem.__table__
        stmt = select(table.c.id, table.c.enterprise_id, table.c.raised_on, table.c.description)
        if self.scope is not None:
            stmt = stmt.where(table.c.unit_id == self.scope)
        rows = {r["id"]: dict(r) for r in self.s.execute(stmt).mappings()}
        rows.update(self.planned_problems)
        out: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        for p in rows.values():
            out[p["enterprise_id"]].append(p)
        return out

    @staticmethod
    def _problem_finder(
        problems: Mapping[str | None, list[dict[str, Any]]], owner: Mapping[str, Any] | None
    ) -> EnterpriseLookup:
        """Finds a typed 关联问题 among the row's enterprise's problems; failing that, among other
        enterprises' (so that the rule engine names what is wrong with it: CS02)."""

        def find(text: str) -> str | None:
            found = problem_ref.find(text, problems.get(owner["id"], ()) if owner else ())
            if len(found) > 1:
                raise ValueProblem(f"“{text}”与该企业的{len(found)}个问题相符，请多写几个字的问题描述以区分")
            if not found:
                found = [
                    pid for enterprise, rows in problems.items() if enterprise for pid in problem_ref.find(text, rows)
                ]
            return found[0] if found else None

        return find

    def stages(self, rows: list[_Row]) -> None:
        """项目状态: one row per project and 填报期 (a row the clerk once removed comes back)."""
        table: Any = m.ProjectStage.__table__
        stmt = select(table)
        if self.scope is not None:
            stmt = stmt.where(table.c.unit_id == self.scope)
        stored = {(r["project_id"], r["period"]): dict(r) for r in self.s.execute(stmt).mappings()}
        for row in rows:
            owner = self.find_project(row)
            coerced = coerce("project_stage", row.fields, self.ref)
            self.findings(row, coerced.findings)
            period = coerced.values.get("period")
            if owner is None:
                continue
            if period is None:
                if "FMT.period" not in {f.rule_id for f in coerced.findings}:
                    self.issue(row, "period", "REQ.period", M, "填报期必须填写")
                continue
            if self.duplicate(row, ("project_stage", owner["id"], period), "period", "项目同一填报期"):
                continue
            existing = stored.get((owner["id"], period))
            record = {
                **(existing or {"id": m.new_uuid()}),
                **coerced.values,
                "project_id": owner["id"],
                "unit_id": owner.get("unit_id"),
                "deleted_at": None,
                "deleted_reason": None,
            }
            self.check(row, "project_stage", record, owner.get("name"))
            self.change(row, "project_stage", existing, record, f"{owner.get('name') or ''}（{period}）")

    def problems(self, rows: list[_Row]) -> None:
        stored = self._load(m.Problem)
        by_key = {
            (p["enterprise_id"] or p["project_id"], p["category"], p["raised_on"], p["description"]): p
            for p in stored.values()
        }
        for row in rows:
            has_enterprise = bool(str(row.keys.get(lay.CREDIT_CODE) or "").strip())
            has_project = bool(str(row.keys.get(lay.PROJECT_CODE) or row.keys.get(lay.PROJECT_NAME) or "").strip())
            if has_enterprise == has_project:
                self.issue(
                    row,
                    lay.CREDIT_CODE,
                    "WT04",
                    M,
                    "问题须对应一个企业或一个项目：统一社会信用代码与项目二者填且只填其一",
                )
                continue
            owner = self.find_enterprise(row) if has_enterprise else self.find_project(row)
            coerced = coerce("problem", row.fields, self.ref)
            self.findings(row, coerced.findings)
            if owner is None:
                continue
            values = coerced.values
            key = (owner["id"], values.get("category"), values.get("raised_on"), values.get("description"))
            if self.duplicate(row, ("problem", *key), "description", "问题"):
                continue
            existing = by_key.get(key)
            target = (
                {"enterprise_id": owner["id"], "project_id": None}
                if has_enterprise
                else {"enterprise_id": None, "project_id": owner["id"]}
            )
            record = {**(existing or {"id": m.new_uuid()}), **values, **target, "unit_id": owner.get("unit_id")}
            record = assignment.with_defaults(record, self.ref, date.today())
            self.planned_problems[record["id"]] = record
            self.check(row, "problem", record, owner.get("name"))
            self.change(row, "problem", existing, record, owner.get("name") or "")

    def run(self) -> ImportPlan:
        rows = self.rows()
        for row in rows.get("enterprise", []):
            self.enterprise(row)
        for row in rows.get("project", []):
            self.project(row)
        for entity in ("enterprise_monthly", "project_monthly"):
            if rows.get(entity):
                self.monthly(rows[entity], entity)
        if rows.get("enterprise_annual"):
            self.yearly(rows["enterprise_annual"], "enterprise_annual")
        if rows.get("membership"):
            self.owned(rows["membership"], "membership", ("list_name", "date_in"), "企业同一名录同一纳入日期")
        if rows.get("project_annual"):
            self.yearly(rows["project_annual"], "project_annual")
        if rows.get("project_stage"):
            self.stages(rows["project_stage"])
        if rows.get("problem"):
            self.problems(rows["problem"])
        if rows.get("support_measure"):  # after the problems: a measure may name a new one
            self.owned(rows["support_measure"], "support_measure", ("content",), "企业同一措施")
        order = {sheet.title: n for n, sheet in enumerate(self.data.sheets)}
        self.plan.issues.sort(key=lambda i: (i.severity.rank, order.get(i.sheet, -1), i.row or 0))
        return self.plan


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def _write(session: Session, info: DatabaseInfo, plan: ImportPlan) -> None:
    """Creates in bulk (Core inserts plus their audit rows), changes through the ORM (whose flush
    hook bumps revisions and writes the audit rows)."""
    actor = info.actor("excel")
    now = utcnow().replace(tzinfo=None)
    for entity in lay.IMPORT_ORDER:
        model = m.ENTITY_MODELS[entity]
        table: Any = model.__table__  # type: ignore[attr-defined]
        columns = [c.key for c in table.columns]
        creates = []
        for c in plan.changes:
            if c.entity != entity or c.action != "create":
                continue
            row = dict.fromkeys(columns)
            row.update({k: v for k, v in c.values.items() if k in row})
            row.update(
                revision=1,
                created_at=now,
                updated_at=now,
                updated_by=actor.operator,
                deleted_at=None,
                deleted_reason=None,
            )
            if "need_categories" in row and row["need_categories"] is None:
                row["need_categories"] = []
            creates.append(row)
        if creates:
            session.execute(insert(table), creates)
            audit: Any = m.AuditEntry.__table__
            session.execute(insert(audit), rows_for_create(actor, entity, creates))
        updates = {c.record_id: c for c in plan.changes if c.entity == entity and c.action == "update"}
        ids = list(updates)
        for start in range(0, len(ids), 500):
            for obj in session.scalars(select(model).where(model.id.in_(ids[start : start + 500]))):
                for name, (_old, new) in updates[obj.id].changes.items():
                    setattr(obj, name, new)
        session.flush()
    for ex in plan.explanations:
        store_explanation(session, ex.unit_id, ex.entity, ex.record_id, ex.period, ex.rule_id, ex.text)
    # A project whose status rows came in follows its latest one; any other changed project's
    # history follows its status.
    staged = sorted(
        {c.values["project_id"] for c in plan.changes if c.entity == "project_stage" and c.action != "unchanged"}
    )
    changed = sorted(
        {c.record_id for c in plan.changes if c.entity == "project" and c.action != "unchanged"} - set(staged)
    )
    today = date.today()
    for ids, follow in (
        (changed, lambda project: sync_stage(session, project, today)),
        (staged, lambda project: follow_latest_stage(session, project)),
    ):
        for start in range(0, len(ids), 500):
            for project in session.scalars(select(m.Project).where(m.Project.id.in_(ids[start : start + 500]))):
                follow(project)
        session.flush()


def import_workbook(db: Database, data: WorkbookData, *, dry_run: bool = False) -> ImportPlan:
    """Plans the import of `data` against the database and, unless `dry_run` or a 强制性
    finding, writes it in one transaction. The plan is made inside that transaction, so what is
    written is exactly what was checked."""
    info = read_info(db)
    if dry_run:
        with db.read() as session:
            return _Planner(session, info, data).run()
    backups.backup_before(db, "import")
    with db.write(info.actor("excel")) as session:
        plan = _Planner(session, info, data).run()
        if not plan.blocking:
            _write(session, info, plan)
            plan.written = True
    return plan


def import_file(db: Database, path: Any, *, dry_run: bool = False) -> tuple[WorkbookData, ImportPlan]:
    data = read_workbook(path)
    return data, import_workbook(db, data, dry_run=dry_run)
