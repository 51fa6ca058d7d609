"""The dashboard's figures for a period as one JSON-ready dict — what `hengdong report --json`
prints for scripts. Only a rendering of `services.figures`: it computes nothing of its own."""

from __future__ import annotations

from datetime import date
from typing import Any

from hengdong_desktop.db.engine import Database
from hengdong_desktop.domain import periods
from hengdong_desktop.domain import reference as r
from hengdong_desktop.services import figures as fs
from hengdong_desktop.services.reference import load_reference


def _progress(p: fs.Progress) -> dict[str, Any]:
    return {"label": p.label, "achieved": p.achieved, "target": p.target, "percent": p.percent,
            "last_year": p.last_year, "met": p.met}


def figures_data(f: fs.Figures, ref: r.Reference) -> dict[str, Any]:
    """Headline, per domain, per industry and problems, Decimals kept exact (万元)."""
    return {
        "period": f.period,
        "target_year": f.target_year,
        "definitions": {
            "thresholds_wan": f.thresholds,
            "implemented_statuses": list(f.implemented_statuses),
            "problems_as_of": f.problems.as_of,
        },
        "headline": {metric: _progress(p) for metric, p in f.headline.items()},
        "domains": [
            {"id": d.domain_id, "name": d.name, "lead_departments": list(d.lead_departments),
             "progress": {metric: _progress(p) for metric, p in d.progress.items()}}
            for d in f.domains
        ],
        "industries": [
            {"id": i.industry_id, "name": i.name, "domain": ref.domain(i.domain_id).name,
             "enterprises": i.enterprises, "output_to_date": i.output_to_date,
             "output_same_period_last_year": i.output_same_period_last_year,
             "growth_percent": i.growth_percent, "output_last_year": i.output_last_year,
             "target": i.target, "completion_percent": i.completion_percent}
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
        },
    }


def reporting_data(rs: fs.ReportingStatus) -> dict[str, Any]:
    return {
        "periods": rs.periods,
        "due_day": rs.due_day,
        "open_conflicts": rs.open_conflicts,
        "open_duplicates": rs.open_duplicates,
        "counts": {p: rs.counts(p) for p in rs.periods},
        "units": [
            {"id": unit_id, "name": name, "status": {p: rs.of(unit_id, p) for p in rs.periods},
             "overdue": [p for p in rs.periods if (unit_id, p) in rs.overdue]}
            for unit_id, name in rs.units
        ],
    }


def programme_report(db: Database, period: str, *, today: date | None = None) -> dict[str, Any]:
    periods.parse(period)
    ref = load_reference(db)
    return {
        "ok": True,
        "reference_version": ref.version,
        **figures_data(fs.programme_figures(db, period, today=today), ref),
        "reporting": reporting_data(fs.reporting_status(db, period, today=today)),
    }
