"""审核 over the database and the demo generator."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from hengdong_desktop.db import models as m
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.services import checks, demo, readiness


def test_demo_data_is_plausible(training_township) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    result = demo.generate(db, enterprises=40, months=14, seed=5, end_period="2025-06")
    assert result.enterprises == 40 and result.monthly == 40 * 14
    with db.read() as s:
        names = s.scalars(select(m.Enterprise.name)).all()
        assert len(set(names)) == 40 and all(n.endswith("公司") for n in names)
        units = set(s.scalars(select(m.Enterprise.unit_id)))
        assert units == {info.unit_id}
        demo_audit = select(func.count()).select_from(m.AuditEntry).where(m.AuditEntry.source == "demo")
        audit = s.scalar(demo_audit.where(m.AuditEntry.entity.not_in(("leaders", "chains"))))
        assert (
            audit
            == result.enterprises
            + result.monthly
            + result.projects
            + result.project_monthly
            + result.problems
            + result.memberships
            + result.explanations
            + result.annual
            + result.stages
            + result.plans
            + result.measures
        )
        # 链长制: the demo's county leaders, each chain's 链长 (its 牵头部门 and 专班 with it)
        assert (result.leaders, result.chains) == (8, 6)
        assert s.scalar(demo_audit.where(m.AuditEntry.entity == "leaders", m.AuditEntry.action == "create")) == 8
        assert (
            s.scalar(
                select(func.count(func.distinct(m.AuditEntry.entity_id))).where(
                    m.AuditEntry.source == "demo", m.AuditEntry.entity == "chains"
                )
            )
            == 6
        )
        assert all(c.leader_id and c.department_id and c.task_force for c in s.scalars(select(m.Chain)))
        assert result.measures > 0 and s.scalar(select(func.count()).select_from(m.SupportMeasure)) == result.measures
        jan = s.scalars(select(m.EnterpriseMonthly).where(m.EnterpriseMonthly.period == "2025-01")).all()
        assert all(r.output_ytd == r.output_month for r in jan)
    report = checks.check_database(db)
    assert report.blocking == []
    assert report.findings, "demo data should show a few realistic warnings"
    assert all(
        f.rule_id in {"YB11", "YB12", "XM01", "XN02", "XY05", "XY07", "XY09", "QY06"} for f in report.findings
    ), {f.rule_id for f in report.findings}


def test_explanations_settle_warnings(training_township) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    demo.generate(db, enterprises=3, months=2, seed=2, end_period="2025-03")
    with db.write(info.actor("form")) as s:
        ent = s.scalars(select(m.Enterprise)).first()
        feb = s.scalar(
            select(m.EnterpriseMonthly).where(
                m.EnterpriseMonthly.enterprise_id == ent.id, m.EnterpriseMonthly.period == "2025-02"
            )
        )
        mar = s.scalar(
            select(m.EnterpriseMonthly).where(
                m.EnterpriseMonthly.enterprise_id == ent.id, m.EnterpriseMonthly.period == "2025-03"
            )
        )
        mar.tax_ytd = mar.revenue_ytd + Decimal(1)  # YB10, 核实性
        feb.tax_ytd = feb.revenue_ytd + Decimal(1)  # the same warning a month earlier
        feb_id, mar_id = feb.id, mar.id
    report = checks.check_database(db, period="2025-03")
    finding = next(f for f in report.findings if f.rule_id == "YB10" and f.record_id == mar_id)
    assert finding in report.unexplained and not report.ready
    assert all(f.period == "2025-03" for f in report.findings)
    with db.write(info.actor("form")) as s:
        s.add(
            m.Explanation(
                unit_id=info.unit_id,
                entity="enterprise_monthly",
                record_id=mar_id,
                rule_id="YB10",
                period="2025-03",
                text="短",
            )
        )
    assert finding in checks.check_database(db, period="2025-03").unexplained  # under 6 characters
    with db.write(info.actor("form")) as s:
        ex = s.scalar(select(m.Explanation).where(m.Explanation.record_id == mar_id))
        ex.text = "含以前年度补缴税款"
    report = checks.check_database(db, period="2025-03")
    assert finding not in report.unexplained and report.is_explained(finding)
    every_period = checks.check_database(db)  # March's explanation settles March's record only
    february = next(f for f in every_period.findings if f.rule_id == "YB10" and f.record_id == feb_id)
    assert february in every_period.unexplained and finding not in every_period.unexplained


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


def test_open_findings_per_owner_add_up_and_follow_an_edit(training_township) -> None:  # type: ignore[no-untyped-def]
    db, info = training_township
    demo.generate(db, enterprises=8, months=3, projects=5, seed=5, end_period="2025-03")
    full = checks.open_by_owner(db, unit_id=info.unit_id)
    assert sum(full.values()) == checks.check_database(db, unit_id=info.unit_id).open_count
    with db.read() as s:
        ent = s.scalars(select(m.Enterprise).order_by(m.Enterprise.id)).first()
        row = s.scalars(
            select(m.EnterpriseMonthly)
            .where(m.EnterpriseMonthly.enterprise_id == ent.id)
            .order_by(m.EnterpriseMonthly.period.desc())
        ).first()  # the last month: no later one compares
        problem = s.scalars(select(m.Problem).where(m.Problem.project_id.is_not(None))).first()
    owner = ("enterprise", ent.id)
    assert checks.owners_of(db, [("enterprise_monthly", row.id), ("problem", problem.id)]) == {
        owner,
        ("project", problem.project_id),
    }
    with db.write(info.actor("form")) as s:
        s.get(m.EnterpriseMonthly, row.id).tax_ytd = row.revenue_ytd + Decimal(1)  # YB10, unexplained
        s.add(
            m.Explanation(
                unit_id=info.unit_id,
                entity="enterprise_monthly",
                record_id=row.id,
                rule_id="YB10",
                period=row.period,
                text="短",
            )
        )
    with db.read() as s:
        explanation = s.scalar(select(m.Explanation.id).where(m.Explanation.record_id == row.id))
    assert checks.owners_of(db, [("explanation", explanation)]) == {owner}
    again = checks.open_by_owner(db, unit_id=info.unit_id)
    assert again[owner] == full[owner] + 1  # the short explanation does not settle it
    assert checks.open_by_owner(db, owners=[owner, ("project", "gone")]) == {
        owner: again[owner],
        ("project", "gone"): 0,
    }
    assert sum(again.values()) == checks.check_database(db, unit_id=info.unit_id).open_count
    assert sum(again.values()) == readiness.readiness(db, info.unit_id).open_count  # the status bar = 上报 page
    with db.read() as s:
        year = s.scalars(select(m.EnterpriseAnnual).where(m.EnterpriseAnnual.enterprise_id == ent.id)).first()
        stage = s.scalars(select(m.ProjectStage).where(m.ProjectStage.project_id == problem.project_id)).first()
    assert checks.owners_of(db, [("enterprise_annual", year.id), ("project_stage", stage.id)]) == {
        owner,
        ("project", problem.project_id),
    }
    with db.write(info.actor("form")) as s:  # a deleted year whose tax exceeds its revenue: an error
        removed = s.get(m.EnterpriseAnnual, year.id)
        removed.revenue, removed.tax, removed.deleted_at = Decimal(1), Decimal(-5), removed.updated_at
    deleted = checks.open_by_owner(db, owners=[owner])[owner]
    assert deleted == again[owner] + 1  # its error still counts until it is purged
    assert deleted == checks.open_by_owner(db, unit_id=info.unit_id)[owner]
    assert (
        sum(checks.open_by_owner(db, unit_id=info.unit_id).values()) == readiness.readiness(db, info.unit_id).open_count
    )
