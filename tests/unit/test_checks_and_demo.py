"""审核 over the database and the demo generator."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.services import checks, demo


def test_demo_data_is_plausible(training_township) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    result = demo.generate(db, enterprises=40, months=14, seed=5, end_period="2025-06")
    assert result.enterprises == 40 and result.monthly == 40 * 14
    with db.read() as s:
        names = s.scalars(select(m.Enterprise.name)).all()
        assert len(set(names)) == 40 and all(n.endswith("公司") for n in names)
        units = set(s.scalars(select(m.Enterprise.unit_id)))
        assert units == {info.unit_id}
        audit = s.scalar(select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.source == "demo"))
        assert audit == result.enterprises + result.monthly + result.projects + result.project_monthly + \
            result.problems + result.memberships + result.explanations + result.annual + result.stages + result.plans
        jan = s.scalars(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.period == "2025-01")).all()
        assert all(r.output_ytd == r.output_month for r in jan)
    report = checks.check_database(db)
    assert report.blocking == []
    assert report.findings, "demo data should show a few realistic warnings"
    assert all(f.rule_id in {"YB11", "YB12", "XM01", "XN02", "XY05", "XY07", "XY09", "QY06"} for f in report.findings), \
        {f.rule_id for f in report.findings}


def test_explanations_settle_warnings(training_township) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    demo.generate(db, enterprises=3, months=2, seed=2, end_period="2025-03")
    with db.write(info.actor("form")) as s:
        ent = s.scalars(select(m.Enterprise)).first()
        feb = s.scalar(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.enterprise_id == ent.id,
                                                         m.EnterpriseMonthly.period == "2025-02"))
        mar = s.scalar(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.enterprise_id == ent.id,
                                                         m.EnterpriseMonthly.period == "2025-03"))
        mar.tax_ytd = mar.revenue_ytd + Decimal(1)  # YB10, 核实性
        feb_id, mar_id = feb.id, mar.id
    report = checks.check_database(db, period="2025-03")
    finding = next(f for f in report.findings if f.rule_id == "YB10" and f.record_id == mar_id)
    assert finding in report.unexplained and not report.ready
    assert all(f.period == "2025-03" for f in report.findings)
    with db.write(info.actor("form")) as s:
        s.add(m.Explanation(unit_id=info.unit_id, entity="enterprise_monthly", record_id=mar_id,
                            rule_id="YB10", period="2025-03", text="短"))
    assert finding in checks.check_database(db, period="2025-03").unexplained  # under 6 characters
    with db.write(info.actor("form")) as s:
        ex = s.scalar(select(m.Explanation).where(m.Explanation.record_id == mar_id))
        ex.text = "含以前年度补缴税款"
    report = checks.check_database(db, period="2025-03")
    assert finding not in report.unexplained and report.is_explained(finding)
    assert feb_id != mar_id


def test_tombstoned_records_keep_only_their_errors(training_township) -> None:  # type: ignore[no-untyped-def]
    """A removed record still travels in packages (and can be restored): its errors count, its
    warnings, hints and cross-month checks do not; the finding says it is removed."""
    db, info = training_township
    demo.generate(db, enterprises=2, months=1, seed=2, end_period="2025-03")
    with db.write(info.actor("form")) as s:
        ent = s.scalars(select(m.Enterprise)).first()
        ent.credit_code = "BAD"
        ent.contact_phone = "12"  # QY05, a 提示性 hint
        ent_id = ent.id
    live = [f for f in checks.check_database(db).findings if f.record_id == ent_id]
    assert {f.rule_id for f in live} >= {"QY01", "QY05"}
    with db.write(info.actor("form")) as s:
        ent = s.get(m.Enterprise, ent_id)
        ent.deleted_at, ent.deleted_reason = utcnow(), "录入错误"
    removed = [f for f in checks.check_database(db).findings if f.record_id == ent_id]
    assert [f.rule_id for f in removed] == ["QY01"] and removed[0].subject.endswith("（已删除）")
    assert not any(f.record_id == ent_id for f in checks.check_database(db, period="2025-03").findings)


def test_demo_without_months_still_makes_projects(training_township) -> None:  # type: ignore[no-untyped-def]
    db, _info = training_township
    result = demo.generate(db, enterprises=4, months=0, projects=6, seed=3, end_period="2025-03")
    assert (result.enterprises, result.projects, result.monthly, result.project_monthly) == (4, 6, 0, 0)
