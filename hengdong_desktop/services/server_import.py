"""Moving a one-PC county database (a SQLite file) to the server: `hengdong server import
--db URL --from county.sqlite3`.

The file is opened as the app opens it (upgraded to this version's schema, after a backup) and
must be a county database; the server database is made by `server init` without seed data and
must be new. Every table is copied as stored (PostgreSQL's COPY, in the schema's dependency
order), in one transaction — the ledger, the enrolled keys, the audit log, the conflicts and
the issued 下发包 included — and the county's private key file is copied to this computer's
place for the server database. Then both sides are read back through the models and compared
table by table: the row counts and a SHA-256 of every row's values, in key order. Any
difference and the import is refused, the server database left without data."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, select, text

from hengdong_desktop.db import models as m
from hengdong_desktop.db import server_security as sec
from hengdong_desktop.db.engine import Database, open_database
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import server, setup
from hengdong_desktop.services.packages import keys
from hengdong_desktop.services.progress import Progress

# Tables the import does not copy: the schema version (both are at head), and what only a
# server database has (its own accounts, and the accounts of audit rows written on it).
NOT_COPIED = ("alembic_version", "server_accounts", "audit_accounts")


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows: int
    sha256: str


@dataclass
class ImportResult:
    source: Path
    location: str
    tables: list[TableCheck] = field(default_factory=list)
    key_copied: bool = False

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def summary(self) -> str:
        key = "，签名私钥已复制到本机" if self.key_copied else "（源数据库旁没有私钥文件，请另行复制）"
        return (
            f"已把“{self.source.name}”导入服务器数据库“{self.location}”：{len(self.tables)}张表，"
            f"共{self.rows:,}行，行数和SHA-256逐表核对一致{key}。"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": True,
            "source": str(self.source),
            "db": self.location,
            "rows": self.rows,
            "key_copied": self.key_copied,
            "tables": {t.table: {"rows": t.rows, "sha256": t.sha256} for t in self.tables},
        }


def _tables() -> list[Table]:
    return [t for t in m.Base.metadata.sorted_tables if t.name not in NOT_COPIED]


def _copy_table(source: Connection, target: Connection, table: Table) -> None:
    """Copies the stored values as they are (COPY's text form reads SQLite's stored integers,
    texts, times and 0/1 booleans into the server's types)."""
    names = [c.name for c in table.columns]
    columns = ", ".join(f'"{n}"' for n in names)
    rows = source.execute(text(f'SELECT {columns} FROM "{table.name}"'))
    cursor = target.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor.copy(f'COPY "{table.name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(tuple(row))
    finally:
        cursor.close()


def _reset_sequences(target: Connection) -> None:
    """Numbers the server gives next start after the highest copied ones."""
    for table in _tables():
        column = table.autoincrement_column
        if column is None:
            continue
        target.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', '{column.name}'),"
                f' COALESCE((SELECT max("{column.name}") FROM "{table.name}"), 0) + 1, false)'
            )
        )


def table_digest(db: Database, table: Table, *, only_keys: set[str] | None = None) -> TableCheck:
    """The row count and SHA-256 of a table's rows read through the models (typed values, so a
    file and a server database holding the same data give the same digest), in key order."""
    key = [c.name for c in table.primary_key.columns]
    with db.read() as s:
        rows = [
            tuple(r) for r in s.execute(select(table)).mappings().all() if only_keys is None or r[key[0]] in only_keys
        ]
        names = [c.name for c in table.columns]
    at = [names.index(k) for k in key]
    rows.sort(key=lambda r: tuple(str(r[i]) for i in at))
    h = hashlib.sha256()
    for r in rows:
        h.update(repr(r).encode("utf-8"))
        h.update(b"\n")
    return TableCheck(table.name, len(rows), h.hexdigest())


def _digests(db: Database, meta_keys: set[str]) -> list[TableCheck]:
    return [table_digest(db, t, only_keys=meta_keys if t.name == "app_meta" else None) for t in _tables()]


def import_county(
    target: str, source: Path | str, *, operator: str = "", progress: Progress | None = None
) -> ImportResult:
    source = Path(source).expanduser()
    if not source.is_file():
        raise UserError(f"找不到要导入的数据库文件“{source}”。")
    src, info = setup.open_initialized(source)
    try:
        if not info.is_county:
            raise UserError(f"“{source.name}”是{info.unit_name}的乡镇填报数据库，只有县级汇总数据库可以导入服务器。")
        made = server.init_server(target, operator, seed=False)
        if made.info is not None:
            raise UserError(
                f"服务器数据库“{made.location}”已经有数据，只能导入到新建的空数据库"
                "（请换一个数据库名，或由服务器管理员删除后重建）。"
            )
        dest = open_database(target)
        try:
            result = ImportResult(source, dest.location)
            key_file = keys.key_path(dest.path)
            if key_file.exists():
                raise UserError(f"本机已有该服务器数据库的私钥文件“{key_file}”，为免覆盖，请先移走它。")
            tables = _tables()
            with src.engine.connect() as sconn, dest.engine.begin() as tconn:
                sec.become_owner(tconn)  # the copied rows belong to the schema's owner
                tconn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER hd_audit_account")) if _has_trigger(
                    tconn
                ) else None
                for n, table in enumerate(tables):
                    if progress:
                        progress(n, len(tables) + 1, f"正在复制{table.name}")
                    _copy_table(sconn, tconn, table)
                _reset_sequences(tconn)
                if _has_trigger(tconn):
                    tconn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER hd_audit_account"))
            if progress:
                progress(len(tables), len(tables) + 1, "正在核对行数和SHA-256")
            with src.read() as s:
                meta_keys = set(s.scalars(select(m.Meta.key)))
            expected, got = _digests(src, meta_keys), _digests(dest, meta_keys)
            if expected != got:
                bad = next(e for e, g in zip(expected, got, strict=True) if e != g)
                other = next(g for g in got if g.table == bad.table)
                _empty(dest)
                raise UserError(
                    f"导入后核对不一致：表{bad.table}在文件中{bad.rows}行，在服务器上{other.rows}行"
                    f"（或内容不同）。服务器数据库已清空，请联系技术支持。"
                )
            result.tables = expected
            own = keys.key_path(source)
            if own.exists():
                key_file.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(own, key_file)
                result.key_copied = True
            with dest.engine.begin() as tconn:
                tconn.execute(text("ANALYZE"))
            return result
        finally:
            dest.close()
    finally:
        src.close()


def _has_trigger(conn: Connection) -> bool:
    return bool(
        conn.execute(
            text("SELECT 1 FROM pg_trigger WHERE tgname = 'hd_audit_account' AND tgrelid = 'audit_log'::regclass")
        ).first()
    )


def _empty(db: Database) -> None:
    """Takes the copied data out again (the schema, roles and privileges stay)."""
    with db.engine.begin() as conn:
        roles = sec.roles(conn)
        sec.become_owner(conn)
        names = ", ".join(f'"{t.name}"' for t in _tables())
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
        if roles is not None:
            conn.execute(
                text("INSERT INTO app_meta (key, value) VALUES (:k, :v)"), {"k": sec.META_ROLES, "v": roles.prefix}
            )
