"""Accounts and what each may do on a server database, enforced by PostgreSQL itself (roles,
privileges, row-level security and triggers), so that no client program — ours or raw SQL —
can do more than its account allows.

Four group roles per database, named after the database when `hengdong server init` made it
(`<prefix>_owner` …, the prefix kept in app_meta `server_roles`):

- owner (NOLOGIN): owns the schema. Migrations, restores and `server` administration run as it
  (`SET ROLE`); the office role is a member but does not inherit it, so ordinary work never
  runs with the owner's rights (the audit log stays append-only for everybody).
- office (办公室): reads and writes everything, through the policies below.
- department (牵头部门): reads the whole programme; writes only the reply of a problem assigned
  to one of its departments (status, resolution, date solved: `problems.department` names the
  department), the progress of a 一企一策 measure one of its departments is responsible for
  (status and progress: `support_measures.department`; not the measure, its owner or deadline)
  and the notes of the domains its departments lead (`domain_notes`). Which
  departments an account stands for is `server_accounts.department_id`; the SQL functions
  `hd_account_departments()` / `hd_account_department_names()` / `hd_account_domains()` say
  it for the policies. A later table of assignments (交办) extends the same way: a policy
  `USING (department_id IN (SELECT hd_account_departments()))` and column privileges on its
  reply columns (see `DEPARTMENT_WRITES`).
- readonly (只读): reads everything.

Every audit row names the login account that wrote it: a trigger on audit_log writes
`session_user` into `audit_accounts` (which no account may write), and every committed change
notifies channel
`hengdong_changes` (payload: table and the writer's application_name) so other officers' screens
refresh (`db/changes.py`).

`apply` is idempotent and covers every table of the schema generically; it runs after each
migration, so a table added later gets the default (everyone reads, the office writes)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text

KINDS = ("office", "department", "readonly")
KIND_LABELS = {"office": "办公室", "department": "牵头部门", "readonly": "只读"}
META_ROLES = "server_roles"  # app_meta key: the prefix of this database's group roles
NOTIFY_CHANNEL = "hengdong_changes"
EVERYTHING_CHANGED = "*"  # the table named in a notification when all may have changed (a restore)

# What a department account may change beyond reading: table → the columns it may update
# (None: whole rows it may insert) — each paired with a row-level policy below.
DEPARTMENT_WRITES: dict[str, tuple[str, ...] | None] = {
    "problems": ("status", "resolution", "solved_on", "revision", "updated_at", "updated_by"),
    "support_measures": ("status", "progress", "revision", "updated_at", "updated_by"),
    "domain_notes": None,
    "merge_base": None,  # the county-side base of a problem or measure the department answers
    "audit_log": None,  # its own audit rows, of the records above
}
# Tables with row-level security: these rows are what a department may write.
_MY_PROBLEMS = "(SELECT p.id FROM problems p WHERE p.department IN (SELECT hd_account_department_names()))"
_MY_MEASURES = "(SELECT x.id FROM support_measures x WHERE x.department IN (SELECT hd_account_department_names()))"
_MY_NOTES = "(SELECT n.id FROM domain_notes n WHERE n.domain_id IN (SELECT hd_account_domains()))"
_DEPARTMENT_POLICIES: dict[str, list[tuple[str, str, str]]] = {
    # table: [(policy name, command, condition)]
    "problems": [("department_reply", "UPDATE", "department IN (SELECT hd_account_department_names())")],
    "support_measures": [("department_progress", "UPDATE", "department IN (SELECT hd_account_department_names())")],
    "domain_notes": [
        ("department_notes_insert", "INSERT", "domain_id IN (SELECT hd_account_domains())"),
        ("department_notes_update", "UPDATE", "domain_id IN (SELECT hd_account_domains())"),
    ],
    "merge_base": [
        (
            "department_base",
            "INSERT",
            f"(entity = 'problem' AND record_id IN {_MY_PROBLEMS})"
            f" OR (entity = 'support_measure' AND record_id IN {_MY_MEASURES})",
        )
    ],
    "audit_log": [
        (
            "department_audit",
            "INSERT",
            f"(entity = 'problem' AND entity_id IN {_MY_PROBLEMS})"
            f" OR (entity = 'support_measure' AND entity_id IN {_MY_MEASURES})"
            f" OR (entity = 'domain_note' AND entity_id IN {_MY_NOTES})",
        )
    ],
}
APPEND_ONLY = ("audit_log",)
WRITTEN_BY_TRIGGER = ("audit_accounts",)

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION hd_account_departments() RETURNS SETOF integer
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT department_id FROM server_accounts
  WHERE account = session_user AND disabled_at IS NULL AND department_id IS NOT NULL $$;

CREATE OR REPLACE FUNCTION hd_account_department_names() RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT d.name::text FROM departments d WHERE d.id IN (SELECT hd_account_departments()) $$;

CREATE OR REPLACE FUNCTION hd_account_domains() RETURNS SETOF integer
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT dd.domain_id FROM domain_departments dd WHERE dd.department_id IN (SELECT hd_account_departments()) $$;

CREATE OR REPLACE FUNCTION hd_audit_account() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$ BEGIN
  INSERT INTO audit_accounts (audit_id, account) SELECT id, session_user FROM new_rows;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION hd_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$ BEGIN
  PERFORM pg_notify('{NOTIFY_CHANNEL}', TG_TABLE_NAME || ' ' || current_setting('application_name'));
  RETURN NULL;
END $$;
"""


@dataclass(frozen=True)
class Roles:
    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    def of(self, kind: str) -> str:
        if kind not in KINDS:
            raise ValueError(kind)
        return f"{self.prefix}_{kind}"

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.of(k) for k in KINDS)


@dataclass(frozen=True)
class Account:
    """Who is connected: the login account and what it may do (kind None: an account outside
    the three groups, e.g. the server's administrator, who may do everything)."""

    name: str
    kind: str | None
    department_ids: tuple[int, ...] = ()

    @property
    def may_write_all(self) -> bool:
        return self.kind in (None, "office")

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind or "", "管理员")


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def role_prefix_for(database: str) -> str:
    prefix = re.sub(r"[^a-z0-9_]", "_", database.lower())
    return prefix[:40]


def roles(conn: Connection) -> Roles | None:
    """This database's group roles, or None when it was not set up by `server init`."""
    has_meta = conn.execute(text("SELECT to_regclass('app_meta') IS NOT NULL")).scalar()
    if not has_meta:
        return None
    prefix = conn.execute(text("SELECT value FROM app_meta WHERE key = :k"), {"k": META_ROLES}).scalar()
    return Roles(prefix) if prefix else None


def _role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first())


def ensure_roles(conn: Connection, prefix: str) -> Roles:
    """Creates the four group roles if missing (needs CREATEROLE) and makes the connected
    administrator a member of the owner role."""
    r = Roles(prefix)
    for name in (r.owner, *r.groups):
        if not _role_exists(conn, name):
            conn.execute(text(f"CREATE ROLE {q(name)} NOLOGIN NOINHERIT"))
    conn.execute(text(f"GRANT {q(r.owner)} TO {q(r.of('office'))}"))
    superuser = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    if not superuser:
        conn.execute(text(f"GRANT {q(r.owner)} TO current_user"))
    return r


def become_owner(conn: Connection) -> None:
    """Runs the rest of this transaction as the schema's owner role, when there is one."""
    r = roles(conn)
    if r is not None and _role_exists(conn, r.owner):
        conn.execute(text(f"SET LOCAL ROLE {q(r.owner)}"))


def can_upgrade(engine: Engine) -> bool:
    """Whether the connected account may migrate the schema: the server's administrator, or a
    member of the owner role (an office account)."""
    with engine.connect() as conn:
        if conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")).scalar():
            return True
        r = roles(conn)
        if r is None:
            owner = conn.execute(text("SELECT tableowner FROM pg_tables WHERE tablename = 'alembic_version'")).scalar()
            return owner in (None, conn.execute(text("SELECT session_user")).scalar())
        return bool(conn.execute(text("SELECT pg_has_role(session_user, :r, 'MEMBER')"), {"r": r.owner}).scalar())


def _tables(conn: Connection) -> list[str]:
    return [
        row[0]
        for row in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
    ]


def apply(conn: Connection) -> bool:
    """Grants, row-level policies and triggers on every table (idempotent). Runs as the owner
    role; returns False (and does nothing) on a database without group roles."""
    r = roles(conn)
    if r is None or not _role_exists(conn, r.owner):
        return False
    conn.execute(text(f"SET LOCAL ROLE {q(r.owner)}"))
    conn.execute(text(_FUNCTIONS))
    office, department, readonly = (q(r.of(k)) for k in KINDS)
    everyone = f"{office}, {department}, {readonly}"
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {everyone}"))
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {office}"))
    conn.execute(
        text(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO {department}, {readonly}")
    )  # pg_dump reads them
    tables = _tables(conn)
    for table in tables:
        t = q(table)
        conn.execute(text(f"REVOKE ALL ON {t} FROM {everyone}"))
        conn.execute(text(f"GRANT SELECT ON {t} TO {everyone}"))
        if table == "alembic_version" or table in WRITTEN_BY_TRIGGER:
            continue
        writes = "INSERT" if table in APPEND_ONLY else "INSERT, UPDATE, DELETE"
        conn.execute(text(f"GRANT {writes} ON {t} TO {office}"))
        conn.execute(
            text(
                f"CREATE OR REPLACE TRIGGER hd_notify AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE"
                f" ON {t} FOR EACH STATEMENT EXECUTE FUNCTION hd_notify_change()"
            )
        )
    for table, columns in DEPARTMENT_WRITES.items():
        if table not in tables:
            continue
        if columns is None:
            commands = {cmd for _n, cmd, _c in _DEPARTMENT_POLICIES[table]}
            conn.execute(text(f"GRANT {', '.join(sorted(commands))} ON {q(table)} TO {department}"))
        else:
            conn.execute(text(f"GRANT UPDATE ({', '.join(map(q, columns))}) ON {q(table)} TO {department}"))
        _policies(conn, table, r)
    if "audit_log" in tables:
        conn.execute(text("GRANT USAGE ON SEQUENCE audit_log_id_seq TO " + department))
        conn.execute(
            text(
                "CREATE OR REPLACE TRIGGER hd_audit_account AFTER INSERT ON audit_log"
                " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION hd_audit_account()"
            )
        )
    return True


def _policies(conn: Connection, table: str, r: Roles) -> None:
    t = q(table)
    conn.execute(text(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY"))
    existing = {
        row[0]
        for row in conn.execute(
            text("SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = :t"), {"t": table}
        )
    }
    for name in existing:
        conn.execute(text(f"DROP POLICY {q(name)} ON {t}"))
    office, department, readonly = (q(r.of(k)) for k in KINDS)
    conn.execute(text(f"CREATE POLICY office_all ON {t} FOR ALL TO {office} USING (true) WITH CHECK (true)"))
    conn.execute(text(f"CREATE POLICY everyone_reads ON {t} FOR SELECT TO {department}, {readonly} USING (true)"))
    for name, command, condition in _DEPARTMENT_POLICIES[table]:
        using = "" if command == "INSERT" else f" USING ({condition})"
        conn.execute(
            text(f"CREATE POLICY {q(name)} ON {t} FOR {command} TO {department}{using} WITH CHECK ({condition})")
        )


def grant_connect(conn: Connection, database: str, r: Roles) -> None:
    db = q(database)
    conn.execute(text(f"REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC"))
    conn.execute(text(f"GRANT CONNECT ON DATABASE {db} TO {', '.join(q(g) for g in r.groups)}"))


def account(conn: Connection) -> Account:
    """The connected login account and its kind."""
    name = str(conn.execute(text("SELECT session_user")).scalar())
    r = roles(conn)
    kind = None
    if r is not None:
        for k in KINDS:
            if (
                _role_exists(conn, r.of(k))
                and conn.execute(text("SELECT pg_has_role(session_user, :r, 'MEMBER')"), {"r": r.of(k)}).scalar()
            ):
                kind = k
                break
    departments: Iterable[int] = ()
    if kind == "department":
        departments = [int(row[0]) for row in conn.execute(text("SELECT hd_account_departments()"))]
    return Account(name, kind, tuple(departments))
