"""The dashboard's figures for a period as one JSON-ready dict — what `hengdong report --json`
prints for scripts. Only a rendering of `services.figures`: it computes nothing of its own.

Every number carries its 口径 ("basis": period, measure, whether data awaiting review is included,
reference-data version); the top-level "basis" says it once in full."""

from __future__ import annotations

from datetime import date
from typing import Any

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import project_warnings as pw
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.reference import load_reference

PROJECT_MEASURE = "总投资"
PROBLEM_MEASURE = "问题条数"
# What each project and 招商 number measures (its 口径 beside the period, pending data, version).
GROUP_MEASURES = {
    "projects": "项目数（截至本期有状态记录的在库项目，按本期状态）",
    "hundred_million": "总投资≥1亿元的项目数",
    "total_investment": "总投资（万元）",
    "year_plan": "本年年度计划投资（万元）",
    "invest_ytd": "本年累计完成投资（万元，本年截至本期最近一次填报）",
    "completion_percent": "本年累计完成投资÷年度计划投资（%）",
}


def _group(g: fs.ProjectGroup, b: fs.Basis) -> dict[str, Any]:
    return {
        "key": g.key,
        "name": g.name,
        "projects": g.projects,
        "hundred_million": g.hundred_million,
        "total_investment": g.total_investment,
        "year_plan": g.year_plan,
        "invest_ytd": g.invest_ytd,
        "completion_percent": g.completion_percent,
        "basis": {name: b.as_json(measure) for name, measure in GROUP_MEASURES.items()},
    }


def _warning(w: pw.ProjectWarning, ref: r.Reference) -> dict[str, Any]:
    return {
        "rule": w.rule,
        "check": w.check,
        "project_id": w.project_id,
        "project": w.name,
        "unit": ref.unit(w.unit_id).name,
        "message": w.message,
        "numbers": w.numbers,
        "since": w.since,
        "months": w.months,
    }


def projects_data(p: fs.ProjectFigures, b: fs.Basis, ref: r.Reference) -> dict[str, Any]:
    """项目推进 as of the period, every number with its 口径."""
    return {
        "total": _group(p.total, b),
        "by_stage": [_group(g, b) for g in p.by_stage],
        "by_domain": [_group(g, b) for g in p.by_domain],
        "by_industry": [_group(g, b) for g in p.by_industry],
        "by_chain": [_group(g, b) for g in p.by_chain],
        "by_unit": [_group(g, b) for g in p.by_unit],
        "started_this_period": p.started_this_period,
        "warning_counts": p.warning_counts(),
        "warnings": [_warning(w, ref) for w in p.warnings],
        "basis": b.as_json("项目数")
        | {
            "status": f"{b.period}项目状态（状态记录中截至本期的最近一条）",
            "started_this_period": "本期首次达到开工或以后阶段的项目数",
            "warning_parameters": {x.key: ref.parameter(x.key) for x in r.PROJECT_PARAMETERS},
            "warning_rules": {
                "包而不推": "开工、在建项目连续stall_months个月无完成投资且无状态变化",
                "推而不快": "本年累计完成投资低于年度计划按月均摊的slow_percent%；或计划开工年月过后"
                "start_grace_months个月仍未开工",
                "快而不优": "投产、达效underperform_months个月以后，本年累计产值或税收低于达产后年预期按投产月数"
                "均摊的underperform_percent%",
            },
        },
    }


def investment_data(i: fs.InvestmentFigures, b: fs.Basis) -> dict[str, Any]:
    """招商引资 as of the period, every number with its 口径."""
    return {
        "signed_this_year": i.signed_this_year,
        "contract_this_year": i.contract_this_year,
        "signed": i.signed,
        "contract": i.contract,
        "started": i.started,
        "due": i.due,
        "kept": i.kept,
        "fulfil_months": i.fulfil_months,
        "fulfil_percent": i.fulfil_percent,
        "funds_this_year": i.funds_this_year,
        "funds": i.funds,
        "funds_percent": i.funds_percent,
        "build_first": i.build_first,
        "by_source": [
            {
                "source": g.source,
                "signed": g.signed,
                "contract": g.contract,
                "started": g.started,
                "funds": g.funds,
                "funds_percent": g.funds_percent,
            }
            for g in i.by_source
        ],
        "basis": {
            "signed_this_year": b.as_json("本年1月1日至本期末签约的项目数"),
            "contract_this_year": b.as_json("本年签约项目合同投资额（万元）"),
            "signed": b.as_json("截至本期末签约的项目数（各年）"),
            "contract": b.as_json("截至本期末签约项目合同投资额（万元）"),
            "started": b.as_json("签约项目中截至本期已开工（开工或以后阶段）的项目数"),
            "fulfil_percent": b.as_json(
                f"履约率：签约后{i.fulfil_months}个月内开工的项目数÷签约满{i.fulfil_months}个月或已开工的项目数（%）"
            ),
            "funds": b.as_json("到位资金：截至本期最近一次填报的累计到位资金（万元）"),
            "funds_this_year": b.as_json("本年到位资金：本年截至本期各月本月到位资金之和（万元）"),
            "funds_percent": b.as_json("资金到位率：到位资金÷合同投资额（%）"),
            "build_first": b.as_json("先建后验项目数"),
        },
    }


def _progress(p: fs.Progress, basis: fs.Basis, measure: str) -> dict[str, Any]:
    annual = p.metric != r.HUNDRED_MILLION_PROJECTS
    return {
        "label": p.label,
        "achieved": p.achieved,
        "target": p.target,
        "target_year": p.target_year,
        "percent": p.percent,
        "year_to_date": p.year_to_date,
        "last_year": p.last_year,
        "projected": p.projected,
        "new_this_period": p.new_this_period,
        "met": p.met,
        "basis": basis.as_json(measure)
        | {"counted_on": fs.basis_label(basis.headline, basis.period) if annual else f"{basis.period}项目状态"},
    }


def _measures(basis: fs.Basis) -> str:
    return "、".join(f"{name}按{label}" for _d, name, label in basis.measures)


def basis_data(b: fs.Basis) -> dict[str, Any]:
    return {
        **b.as_json(),
        "headline": b.headline,
        "headline_label": b.headline_label,
        "scope": b.scope,
        "sentence": b.sentence(),
        "measures": {name: label for _d, name, label in b.measures},
        "counted_units": [b.unit_names.get(u, str(u)) for u in b.counted.units],
        "pending_units": [b.unit_names.get(u, str(u)) for u in b.counted.pending],
        "left_out": {b.unit_names.get(u, str(u)): status for u, status in b.counted.left_out.items()},
        "duplicates_pending": b.duplicates_pending,
        "duplicates_merged": b.duplicates_merged,
        "official_industries": list(b.official_industries),
        "problems_as_of": b.problems_as_of,
    }


def figures_data(f: fs.Figures, ref: r.Reference) -> dict[str, Any]:
    """Headline, per domain, per industry and problems, Decimals kept exact (万元)."""
    b = f.basis
    assert b is not None

    def count_measure(metric: str, domain: fs.DomainFigures | None) -> str:
        if metric == r.HUNDRED_MILLION_PROJECTS:
            return PROJECT_MEASURE
        return domain.measure_label if domain is not None else _measures(b)

    return {
        "period": f.period,
        "target_year": f.target_year,
        "basis": basis_data(b),
        "definitions": {
            "thresholds_wan": f.thresholds,
            "implemented_statuses": list(f.implemented_statuses),
            "problems_as_of": f.problems.as_of,
            "headline_basis": fs.basis_label(b.headline, f.period),
        },
        "headline": {metric: _progress(p, b, count_measure(metric, None)) for metric, p in f.headline.items()},
        "domains": [
            {
                "id": d.domain_id,
                "name": d.name,
                "lead_departments": list(d.lead_departments),
                "measure": d.measure_label,
                "progress": {metric: _progress(p, b, count_measure(metric, d)) for metric, p in d.progress.items()},
            }
            for d in f.domains
        ],
        "industries": [
            {
                "id": i.industry_id,
                "name": i.name,
                "domain": ref.domain(i.domain_id).name,
                "measure": i.measure_label,
                "enterprises": i.enterprises,
                "output_to_date": i.output_to_date,
                "official_to_date": i.official_to_date,
                "coverage_percent": i.coverage_percent,
                "to_date": i.to_date,
                "output_same_period_last_year": i.output_same_period_last_year,
                "same_period_last_year": i.same_period_last_year,
                "growth_percent": i.growth_percent,
                "output_last_year": i.output_last_year,
                "last_year": i.last_year,
                "projected": i.projected,
                "target": i.target,
                "target_year": i.target_year,
                "completion_percent": i.completion_percent,
                "basis": b.as_json(i.measure_label) | {"official": i.official_to_date is not None},
            }
            for i in f.industries
        ],
        "problems": {
            "as_of": f.problems.as_of,
            "open_total": f.problems.open_total,
            "by_category": f.problems.by_category,
            "by_department": f.problems.by_department,
            "oldest": [
                {
                    "id": a.problem_id,
                    "unit": ref.unit(a.unit_id).name,
                    "subject": a.subject,
                    "category": a.category,
                    "department": a.department,
                    "status": a.status,
                    "raised_on": a.raised_on,
                    "days_open": a.days_open,
                }
                for a in f.problems.oldest
            ],
            "basis": b.as_json(PROBLEM_MEASURE) | {"as_of": f.problems.as_of},
        },
        **({"projects": projects_data(f.projects, b, ref)} if f.projects is not None else {}),
        **({"investment": investment_data(f.investment, b)} if f.investment is not None else {}),
    }


def reporting_data(rs: fs.ReportingStatus) -> dict[str, Any]:
    return {
        "periods": rs.periods,
        "due_day": rs.due_day,
        "open_conflicts": rs.open_conflicts,
        "open_duplicates": rs.open_duplicates,
        "counts": {p: rs.counts(p) for p in rs.periods},
        "overdue": {p: rs.overdue_count(p) for p in rs.periods},
        "units": [
            {
                "id": unit_id,
                "name": name,
                "status": {p: rs.of(unit_id, p) for p in rs.periods},
                "overdue": [p for p in rs.periods if (unit_id, p) in rs.overdue],
            }
            for unit_id, name in rs.units
        ],
    }


def programme_report(
    db: Database, period: str, *, today: date | None = None, include_pending: bool = False
) -> dict[str, Any]:
    periods.parse(period)
    ref = load_reference(db)
    return {
        "ok": True,
        "reference_version": ref.version,
        **figures_data(fs.programme_figures(db, period, today=today, include_pending=include_pending), ref),
        "reporting": reporting_data(fs.reporting_status(db, period, today=today)),
    }
