"""The dashboard's figures for a period as one JSON-ready dict — what `hengdong report --json`
prints for scripts. Only a rendering of `services.figures`: it computes nothing of its own.

Every number carries its 口径 ("basis": period, measure, whether data awaiting review is included,
reference-data version); the top-level "basis" says it once in full."""

from __future__ import annotations

from datetime import date
from typing import Any

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.reference import load_reference

PROJECT_MEASURE = "总投资"
PROBLEM_MEASURE = "问题条数"


def _progress(p: fs.Progress, basis: fs.Basis, measure: str) -> dict[str, Any]:
    annual = p.metric != r.HUNDRED_MILLION_PROJECTS
    return {"label": p.label, "achieved": p.achieved, "target": p.target, "target_year": p.target_year,
            "percent": p.percent, "year_to_date": p.year_to_date, "last_year": p.last_year,
            "projected": p.projected, "new_this_period": p.new_this_period, "met": p.met,
            "basis": basis.as_json(measure) | {"counted_on": fs.basis_label(basis.headline, basis.period) if annual
                                               else f"{basis.period}项目状态"}}


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
            {"id": d.domain_id, "name": d.name, "lead_departments": list(d.lead_departments),
             "measure": d.measure_label,
             "progress": {metric: _progress(p, b, count_measure(metric, d)) for metric, p in d.progress.items()}}
            for d in f.domains
        ],
        "industries": [
            {"id": i.industry_id, "name": i.name, "domain": ref.domain(i.domain_id).name, "measure": i.measure_label,
             "enterprises": i.enterprises, "output_to_date": i.output_to_date,
             "official_to_date": i.official_to_date, "coverage_percent": i.coverage_percent,
             "to_date": i.to_date, "output_same_period_last_year": i.output_same_period_last_year,
             "same_period_last_year": i.same_period_last_year, "growth_percent": i.growth_percent,
             "output_last_year": i.output_last_year, "last_year": i.last_year, "projected": i.projected,
             "target": i.target, "target_year": i.target_year, "completion_percent": i.completion_percent,
             "basis": b.as_json(i.measure_label)
             | {"official": i.official_to_date is not None}}
            for i in f.industries
        ],
        "problems": {
            "as_of": f.problems.as_of,
            "open_total": f.problems.open_total,
            "by_category": f.problems.by_category,
            "by_department": f.problems.by_department,
            "oldest": [
                {"id": a.problem_id, "unit": ref.unit(a.unit_id).name, "subject": a.subject, "category": a.category,
                 "department": a.department, "status": a.status, "raised_on": a.raised_on, "days_open": a.days_open}
                for a in f.problems.oldest
            ],
            "basis": b.as_json(PROBLEM_MEASURE) | {"as_of": f.problems.as_of},
        },
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
            {"id": unit_id, "name": name, "status": {p: rs.of(unit_id, p) for p in rs.periods},
             "overdue": [p for p in rs.periods if (unit_id, p) in rs.overdue]}
            for unit_id, name in rs.units
        ],
    }


def programme_report(db: Database, period: str, *, today: date | None = None,
                     include_pending: bool = False) -> dict[str, Any]:
    periods.parse(period)
    ref = load_reference(db)
    return {
        "ok": True,
        "reference_version": ref.version,
        **figures_data(fs.programme_figures(db, period, today=today, include_pending=include_pending), ref),
        "reporting": reporting_data(fs.reporting_status(db, period, today=today)),
    }
