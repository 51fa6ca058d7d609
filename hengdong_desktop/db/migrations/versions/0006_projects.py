"""The project lifecycle and 招商 (issue 15): a project's classification (产业链 and 强链/延链/补链, 五好园区
基础设施, 协同创新), planned 投产 and the output and tax it filed to reach, why it stopped, its 招商 facts
(签约日期, 签约主体, 合同投资额, 引资来源) and 五制一平台 people (专班, 代办员); its investment plan per
year (the yearless 本年计划投资 moves to the year it was entered), funds in place and output per month,
site photos, problems' deadlines, the county leaders' list, the stages 前期 and 终止, the option lists
of the new fields and the numbers the project warnings are judged by.

Revision ID: 0006_projects
Revises: 0005_time_model
Create Date: 2026-12-02
"""
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = '0006_projects'
down_revision: str | None = '0005_time_model'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same ids as services/record_upgrade.py gives the plans of projects in older packages.
NAMESPACE = uuid.UUID("5d0b3e1c-8f0a-4c7e-9a55-2f6c1d1e0d13")
CHINA = timedelta(hours=8)
STATUS_FLOW = ("储备", "前期", "签约", "开工", "在建", "竣工", "投产", "达效", "停缓建", "终止")
NEW_OPTIONS = {
    "chain_role": ("强链", "延链", "补链"),
    "investment_source": ("在外衡商", "“三类500强”", "产业链上下游", "其他"),
    "park_infrastructure": ("水", "电", "路", "气", "讯"),
}
PARAMETERS = {"stall_months": 3, "slow_percent": 60, "start_grace_months": 0, "underperform_months": 6,
              "underperform_percent": 100, "fulfil_months": 6}
PROJECT_COLUMNS = (  # (name, type), all nullable
    ('chain_role', sa.String(length=10)),
    ('park_infrastructure', sa.String(length=10)),
    ('co_innovation', sa.Boolean()),
    ('planned_production', sa.String(length=7)),
    ('expected_output', sa.BigInteger()),
    ('expected_tax', sa.BigInteger()),
    ('status_reason', sa.Text()),
    ('signed_on', sa.Date()),
    ('signing_party', sa.String(length=100)),
    ('contract_investment', sa.BigInteger()),
    ('investment_source', sa.String(length=20)),
    ('task_force', sa.String(length=100)),
    ('agent', sa.String(length=50)),
    ('agent_phone', sa.String(length=40)),
)
MONTHLY_COLUMNS = ('funds_month', 'funds_cumulative', 'output_ytd', 'tax_ytd')


def plan_id(project_id: str, year: int) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{project_id}:plan:{year}"))


def _local(text: str | None) -> datetime | None:
    """A stored UTC time ('YYYY-MM-DD HH:MM:SS.ffffff') in China time."""
    return None if text is None else datetime.fromisoformat(str(text)) + CHINA


def upgrade() -> None:
    op.create_table('leaders',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=50), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaders')),
    sa.UniqueConstraint('name', name=op.f('uq_leaders_name'))
    )
    op.create_table('project_annual',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('plan_investment', sa.BigInteger(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_annual_project_id_projects')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_project_annual_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_annual')),
    sa.UniqueConstraint('project_id', 'year', name=op.f('uq_project_annual_project_id'))
    )
    with op.batch_alter_table('project_annual', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_annual_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_annual_unit_id'), ['unit_id'], unique=False)

    op.create_table('project_photos',
    sa.Column('project_id', sa.String(length=36), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=True),
    sa.Column('taken_on', sa.Date(), nullable=True),
    sa.Column('latitude_e6', sa.Integer(), nullable=True),
    sa.Column('longitude_e6', sa.Integer(), nullable=True),
    sa.Column('image_format', sa.String(length=4), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_reason', sa.Text(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_photos_project_id_projects')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_project_photos_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_project_photos'))
    )
    with op.batch_alter_table('project_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_photos_project_id'), ['project_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_project_photos_unit_id'), ['unit_id'], unique=False)

    op.add_column('problems', sa.Column('deadline', sa.Date(), nullable=True))
    for name in MONTHLY_COLUMNS:
        op.add_column('project_monthly', sa.Column(name, sa.BigInteger(), nullable=True))

    # The projects table is referenced: columns are added in place (SQLite ALTER TABLE), no copy.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE projects ADD COLUMN chain_id INTEGER"
                   " CONSTRAINT fk_projects_chain_id_chains REFERENCES chains (id)")
    else:
        op.add_column('projects', sa.Column('chain_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_projects_chain_id_chains'), 'projects', 'chains', ['chain_id'], ['id'])
    for name, type_ in PROJECT_COLUMNS:
        op.add_column('projects', sa.Column(name, type_, nullable=True))

    conn = op.get_bind()
    _move_year_plans(conn)
    if conn.execute(sa.text("SELECT count(*) FROM units")).scalar():  # reference data present (not a new file)
        _options(conn)
        for key, value in PARAMETERS.items():
            conn.execute(sa.text("INSERT INTO app_meta (key, value) VALUES (:key, :value)"),
                         {"key": f"project_parameter.{key}", "value": str(value)})
    op.drop_column('projects', 'year_plan_investment')


def _move_year_plans(conn: sa.Connection) -> None:
    """Each project's 本年计划投资 becomes its plan for the year it was entered in: the last time the
    audit log saw it change, else when the project was created."""
    changed: dict[str, str] = dict(conn.execute(sa.text(
        "SELECT entity_id, max(at) FROM audit_log WHERE entity = 'project' AND action = 'update'"
        " AND field = 'year_plan_investment' GROUP BY entity_id")).all())
    plans = []
    for proj_id, unit_id, created, updated, by, plan in conn.execute(sa.text(
            "SELECT id, unit_id, created_at, updated_at, updated_by, year_plan_investment FROM projects"
            " WHERE year_plan_investment IS NOT NULL")).all():
        entered = _local(changed.get(proj_id) or created)
        assert entered is not None
        plans.append({"id": plan_id(proj_id, entered.year), "project_id": proj_id, "year": entered.year,
                      "plan_investment": plan, "unit_id": unit_id, "revision": 1, "created_at": created,
                      "updated_at": updated, "updated_by": by})
    if plans:
        conn.execute(sa.text(
            "INSERT INTO project_annual (id, project_id, year, plan_investment, unit_id, revision, created_at,"
            " updated_at, updated_by) VALUES (:id, :project_id, :year, :plan_investment, :unit_id, :revision,"
            " :created_at, :updated_at, :updated_by)"), plans)


def _options(conn: sa.Connection) -> None:
    """The stages 前期 and 终止 join the status options in flow order; the new fields' lists."""
    have = {(k, v) for k, v in conn.execute(sa.text("SELECT kind, value FROM options")).all()}
    wanted = {"project_status": STATUS_FLOW, **NEW_OPTIONS}
    for kind, values in wanted.items():
        for order, value in enumerate(values):
            if (kind, value) in have:
                conn.execute(sa.text("UPDATE options SET sort_order = :o WHERE kind = :k AND value = :v"),
                             {"o": order, "k": kind, "v": value})
            else:
                conn.execute(sa.text("INSERT INTO options (kind, value, sort_order, active) VALUES (:k, :v, :o, :a)"),
                             {"o": order, "k": kind, "v": value, "a": True})  # a boolean on PostgreSQL




def downgrade() -> None:
    op.add_column('projects', sa.Column('year_plan_investment', sa.BigInteger(), nullable=True))
    # the latest year's plan goes back into the yearless field (other years are lost)
    op.execute(
        "UPDATE projects SET year_plan_investment = (SELECT plan_investment FROM project_annual a"
        " WHERE a.project_id = projects.id AND a.deleted_at IS NULL ORDER BY a.year DESC LIMIT 1)")
    op.execute("DELETE FROM options WHERE kind IN ('chain_role', 'investment_source', 'park_infrastructure')"
               " OR (kind = 'project_status' AND value IN ('前期', '终止'))")
    op.execute("DELETE FROM app_meta WHERE key LIKE 'project_parameter.%'")
    for name, _type in reversed(PROJECT_COLUMNS):
        op.drop_column('projects', name)
    with op.batch_alter_table('projects', schema=None) as batch_op:  # a column with a foreign key: a copy
        batch_op.drop_column('chain_id')
    for name in reversed(MONTHLY_COLUMNS):
        op.drop_column('project_monthly', name)
    op.drop_column('problems', 'deadline')
    with op.batch_alter_table('project_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_photos_unit_id'))
        batch_op.drop_index(batch_op.f('ix_project_photos_project_id'))
    op.drop_table('project_photos')
    with op.batch_alter_table('project_annual', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_annual_unit_id'))
        batch_op.drop_index(batch_op.f('ix_project_annual_project_id'))
    op.drop_table('project_annual')
    op.drop_table('leaders')
