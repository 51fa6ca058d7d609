"""The time model of the figures: enterprise figures per year (replacing the yearless 上年 fields,
whose values move to the year before their entry), project status per period with the day each
stage was reached, each unit's 启用期, the measure (口径) of each domain, the county's official
industry totals, the months each unit has reported, and issued bulletins.

Revision ID: 0005_time_model
Revises: 0004_packages2
Create Date: 2026-12-01
"""
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '0005_time_model'
down_revision: str | None = '0004_packages2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same ids as services/record_upgrade.py gives records upgraded from older packages, so a
# township and the county that both migrate make the same record.
NAMESPACE = uuid.UUID("5d0b3e1c-8f0a-4c7e-9a55-2f6c1d1e0d13")
LEGACY_FIELDS = ("last_year_output", "last_year_revenue", "last_year_tax", "employees")
CHINA = timedelta(hours=8)


def _local(text: str | None) -> datetime | None:
    """A stored UTC time ('YYYY-MM-DD HH:MM:SS.ffffff') in China time."""
    return None if text is None else datetime.fromisoformat(str(text)) + CHINA


def upgrade() -> None:
    op.create_table('enterprise_annual',
    sa.Column('enterprise_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('output', sa.BigInteger(), nullable=True),
    sa.Column('revenue', sa.BigInteger(), nullable=True),
    sa.Column('tax', sa.BigInteger(), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_annual_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_enterprise_annual_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprise_annual')),
    sa.UniqueConstraint('enterprise_id', 'year', name=op.f('uq_enterprise_annual_enterprise_id'))
    )
    with op.batch_alter_table('enterprise_annual', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_annual_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprise_annual_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_stages',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reached_on', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_stages_project_id_projects')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_project_stages_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_stages')),
    sa.UniqueConstraint('project_id', 'period', name=op.f('uq_project_stages_project_id'))
    )
    with op.batch_alter_table('project_stages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_stages_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_stages_unit_id'), ['unit_id'], unique=False)

    op.create_table('industry_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('industry_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['industry_id'], ['industries.id'], name=op.f('fk_industry_totals_industry_id_industries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_industry_totals')),
    sa.UniqueConstraint('industry_id', 'period', name=op.f('uq_industry_totals_industry_id'))
    )
    op.create_table('reported_months',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('package_id', sa.String(length=36), nullable=False),
    sa.Column('marked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_reported_months_unit_id_units')),
    sa.PrimaryKeyConstraint('unit_id', 'period', name=op.f('pk_reported_months'))
    )
    with op.batch_alter_table('reported_months', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reported_months_package_id'), ['package_id'], unique=False)

    op.create_table('bulletins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('operator', sa.String(length=50), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['corrects_id'], ['bulletins.id'], name=op.f('fk_bulletins_corrects_id_bulletins')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulletins')),
    sa.UniqueConstraint('year', 'number', name='uq_bulletins_issue')
    )
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulletins_period'), ['period'], unique=False)

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_period', sa.String(length=7), nullable=True))
    with op.batch_alter_table('domains', schema=None) as batch_op:
        batch_op.add_column(sa.Column('measure', sa.String(length=20), server_default='output', nullable=False))
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_since', sa.Date(), nullable=True))

    conn = op.get_bind()
    _move_legacy_figures(conn)
    _first_stages(conn)
    _reported_months(conn)
    _start_periods(conn)
    conn.execute(sa.text("UPDATE domains SET measure = 'revenue' WHERE name = '服务业'"))
    conn.execute(sa.text("UPDATE domains SET measure = 'construction_output' WHERE name = '建筑业'"))

    for name in LEGACY_FIELDS:  # ALTER TABLE … DROP COLUMN: no table copy (the table is referenced)
        op.drop_column('enterprises', name)


def _move_legacy_figures(conn: sa.Connection) -> None:
    """Each enterprise's 上年 figures become its row of the year before they were entered: the
    last time the audit log saw one of them change, else when the enterprise was created."""
    changed: dict[str, str] = dict(conn.execute(sa.text(
        "SELECT entity_id, max(at) FROM audit_log WHERE entity = 'enterprise' AND action = 'update'"
        " AND field IN ('last_year_output', 'last_year_revenue', 'last_year_tax', 'employees')"
        " GROUP BY entity_id")).all())
    rows = conn.execute(sa.text(
        "SELECT id, unit_id, created_at, updated_at, updated_by, last_year_output, last_year_revenue,"
        " last_year_tax, employees FROM enterprises")).all()
    annual = []
    for ent_id, unit_id, created, updated, by, output, revenue, tax, employees in rows:
        if output is None and revenue is None and tax is None and employees is None:
            continue
        entered = _local(changed.get(ent_id) or created)
        assert entered is not None
        year = entered.year - 1
        annual.append({
            "id": str(uuid.uuid5(NAMESPACE, f"{ent_id}:annual:{year}")), "enterprise_id": ent_id, "year": year,
            "output": output, "revenue": revenue, "tax": tax, "employees": employees, "unit_id": unit_id,
            "revision": 1, "created_at": created, "updated_at": updated, "updated_by": by,
        })
    if annual:
        conn.execute(sa.text(
            "INSERT INTO enterprise_annual (id, enterprise_id, year, output, revenue, tax, employees, unit_id,"
            " revision, created_at, updated_at, updated_by) VALUES (:id, :enterprise_id, :year, :output, :revenue,"
            " :tax, :employees, :unit_id, :revision, :created_at, :updated_at, :updated_by)"), annual)


def _first_stages(conn: sa.Connection) -> None:
    """A project's status so far is its status from the month it was entered."""
    stages = []
    for proj_id, unit_id, status, created, updated, by in conn.execute(sa.text(
            "SELECT id, unit_id, status, created_at, updated_at, updated_by FROM projects")).all():
        entered = _local(created)
        assert entered is not None
        period = f"{entered.year:04d}-{entered.month:02d}"
        stages.append({
            "id": str(uuid.uuid5(NAMESPACE, f"{proj_id}:stage:{period}")), "project_id": proj_id, "period": period,
            "status": status, "unit_id": unit_id, "revision": 1, "created_at": created, "updated_at": updated,
            "updated_by": by,
        })
    if stages:
        conn.execute(sa.text(
            "INSERT INTO project_stages (id, project_id, period, status, unit_id, revision, created_at, updated_at,"
            " updated_by) VALUES (:id, :project_id, :period, :status, :unit_id, :revision, :created_at, :updated_at,"
            " :updated_by)"), stages)


def _reported_months(conn: sa.Connection) -> None:
    """The months reported so far: the period of each 上报包 in the ledger, its latest package."""
    latest: dict[tuple[int, str], str] = {}
    for unit_id, period, package_id in conn.execute(sa.text(
            "SELECT unit_id, period, id FROM package_ledger WHERE kind = 'report' AND period IS NOT NULL"
            " ORDER BY processed_at, sequence")).all():
        latest[(unit_id, period)] = package_id
    if latest:
        conn.execute(sa.text(
            "INSERT INTO reported_months (unit_id, period, package_id, marked_at)"
            " VALUES (:unit_id, :period, :package_id, CURRENT_TIMESTAMP)"),
            [{"unit_id": u, "period": p, "package_id": pkg} for (u, p), pkg in latest.items()])


def _start_periods(conn: sa.Connection) -> None:
    """A unit's 启用期 is the first month it filled in or reported; units with none have none yet."""
    conn.execute(sa.text(
        "UPDATE units SET start_period = (SELECT min(period) FROM ("
        " SELECT unit_id, period FROM enterprise_monthly WHERE deleted_at IS NULL AND (output_month IS NOT NULL"
        "  OR output_ytd IS NOT NULL OR revenue_month IS NOT NULL OR revenue_ytd IS NOT NULL OR tax_ytd IS NOT NULL"
        "  OR employees_end IS NOT NULL)"
        " UNION ALL SELECT unit_id, period FROM project_monthly WHERE deleted_at IS NULL AND (invest_month IS NOT NULL"
        "  OR invest_cumulative IS NOT NULL OR invest_ytd IS NOT NULL OR progress IS NOT NULL)"
        " UNION ALL SELECT unit_id, period FROM reported_months) AS x WHERE x.unit_id = units.id)"
        " WHERE kind != '县'"))


def downgrade() -> None:
    for name in LEGACY_FIELDS[:3]:
        op.add_column('enterprises', sa.Column(name, sa.BigInteger(), nullable=True))
    op.add_column('enterprises', sa.Column('employees', sa.Integer(), nullable=True))
    # the latest year's figures go back into the yearless fields (earlier years are lost)
    op.execute(
        "UPDATE enterprises SET (last_year_output, last_year_revenue, last_year_tax, employees) ="
        " (SELECT output, revenue, tax, employees FROM enterprise_annual a WHERE a.enterprise_id = enterprises.id"
        "  ORDER BY a.year DESC LIMIT 1)")
    op.drop_column('projects', 'status_since')
    op.drop_column('domains', 'measure')
    op.drop_column('units', 'start_period')
    with op.batch_alter_table('bulletins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulletins_period'))
    op.drop_table('bulletins')
    with op.batch_alter_table('reported_months', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_months_package_id'))
    op.drop_table('reported_months')
    op.drop_table('industry_totals')
    with op.batch_alter_table('project_stages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_stages_unit_id'))
        batch_op.drop_index(batch_op.f('ix_project_stages_project_id'))
    op.drop_table('project_stages')
    with op.batch_alter_table('enterprise_annual', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_annual_unit_id'))
        batch_op.drop_index(batch_op.f('ix_enterprise_annual_enterprise_id'))
    op.drop_table('enterprise_annual')
