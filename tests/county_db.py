"""Where the tests' county databases live: a SQLite file, or a database on a throw-away
PostgreSQL cluster (tools/pg_cluster.py) — the `county_backend` fixture's two parameters, so the
county-side tests run against both.

`HENGDONG_TEST_PG` decides whether the PostgreSQL half runs:
- `auto` (the default): when the PostgreSQL server programs are installed here;
- `off`: never; `required`: always, failing when no cluster can be started (CI);
- a URL of a server administrator (`postgresql://postgres@host:port/postgres`): that server
  instead of a throw-away cluster (each test gets its own database, dropped afterwards).

Each PostgreSQL county database is a copy (CREATE DATABASE … TEMPLATE) of one made once per
session by `hengdong server init` (one production, one training), roles, privileges and policies
included, with its own keys, database id and the test's operator. Like the test files, every
unit reports from `START`."""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hengdong_desktop.db.location import server_local_path, server_url
from hengdong_desktop.services import setup
from hengdong_desktop.services.packages import keys

SQLITE, POSTGRESQL = "sqlite", "postgresql"
ENV = "HENGDONG_TEST_PG"
TEMPLATE = f"hdt_{os.getpid()}_template"  # this session's (its group roles: <TEMPLATE>_office …)
TEMPLATE_OPERATOR = "汇总员"
START = "2020-01"  # the 启用期 of every test database, so the fixed periods of the tests are due

backend = SQLITE  # the backend of the running test (set by the county_backend fixture)


def setting() -> str:
    return os.environ.get(ENV, "auto").strip() or "auto"


def wanted() -> bool:
    """Whether the PostgreSQL half of the county tests is collected."""
    value = setting()
    if value == "off":
        return False
    if value in ("required",) or "://" in value:
        return True
    from tools.pg_cluster import available

    return available()


class Server:
    """The PostgreSQL server of this test session and its county template database."""

    def __init__(self, admin_url: str, cluster: object | None) -> None:
        self.admin_url = admin_url
        self.cluster = cluster
        self._numbers = itertools.count(1)
        self._templates: dict[bool, str] = {}  # training → the template database's name
        self.created: list[str] = []  # the test databases made so far, to drop (see `dropping`)
        self.engine = create_engine(make_url(admin_url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    @classmethod
    def start(cls) -> Server:
        value = setting()
        if "://" in value:
            return cls(str(server_url(value)), None)
        from tools.pg_cluster import Cluster

        cluster = Cluster.start()
        return cls(cluster.url(), cluster)

    def url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def template(self, *, training: bool = False) -> str:
        """The template database, made on first use (its group roles: `<name>_office` …)."""
        if training not in self._templates:
            from hengdong_desktop.services import server

            name = TEMPLATE + ("_training" if training else "")
            with self.engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            url = self.url(name)
            keys.key_path(server_local_path(server_url(url))).unlink(missing_ok=True)
            server.init_server(url, TEMPLATE_OPERATOR, training=training, start_period=START)
            self._templates[training] = name
        return self._templates[training]

    def _copy(self, source: str) -> str:
        """A new database copied from `source` (a database name); its URL."""
        name = f"hdt_{os.getpid()}_{next(self._numbers)}"
        with self.engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY'))
        self.created.append(name)
        return self.url(name)

    def empty_database(self) -> str:
        """A new database with nothing in it (dropped with the others)."""
        name = f"hdt_{os.getpid()}_{next(self._numbers)}"
        with self.engine.connect() as conn:
            conn.execute(
                text(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
            )
        self.created.append(name)
        return self.url(name)

    def new_name(self) -> str:
        """A database name not used yet (for code that creates the database itself)."""
        name = f"hdt_{os.getpid()}_{next(self._numbers)}"
        self.created.append(name)
        return self.url(name)

    def clone(self, url: str) -> str:
        """A copy of a test's database (closed: no connection to it may be open), with its key."""
        copy = self._copy(str(make_url(url).database))
        source, target = (keys.key_path(server_local_path(server_url(u))) for u in (url, copy))
        target.write_bytes(source.read_bytes())
        return copy

    def new_county(
        self, operator: str = TEMPLATE_OPERATOR, *, training: bool = False, start_period: str = START
    ) -> str:
        url = self._copy(self.template(training=training))
        local = server_local_path(server_url(url))
        keys.key_path(local).unlink(missing_ok=True)
        key_id, public, encryption = keys.create_key_pair(local)
        engine = create_engine(server_url(url))
        try:
            with engine.begin() as conn:
                for key, value in {
                    "database_id": str(uuid.uuid4()),
                    "operator": operator,
                    keys.META_KEY_ID: key_id,
                    keys.META_PUBLIC_KEY: public,
                    keys.META_ENCRYPTION_KEY: encryption,
                }.items():
                    conn.execute(text("UPDATE app_meta SET value = :v WHERE key = :k"), {"k": key, "v": value})
                if start_period != START:
                    conn.execute(text("UPDATE units SET start_period = :p WHERE kind != '县'"), {"p": start_period})
        finally:
            engine.dispose()
        return url

    @contextmanager
    def dropping(self) -> Iterator[None]:
        """Drops the databases made inside the block at its end."""
        start = len(self.created)
        try:
            yield
        finally:
            self._drop(start)

    def _drop(self, start: int) -> None:
        names, self.created[start:] = self.created[start:], []
        with self.engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        """Drops this session's databases, its template and the template's group roles."""
        self._drop(0)
        with self.engine.connect() as conn:
            for name in self._templates.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                for kind in ("office", "department", "readonly", "owner"):
                    conn.execute(text(f'DROP ROLE IF EXISTS "{name}_{kind}"'))
        self.engine.dispose()
        if self.cluster is not None:
            self.cluster.stop()  # type: ignore[attr-defined]


server: Server | None = None  # started by the session fixture on first use


def backends() -> list[str]:
    """The parameters of the county_backend fixture."""
    return [SQLITE, *([POSTGRESQL] if wanted() else [])]


@contextmanager
def using(name: str, request: Any) -> Iterator[str]:
    """Makes `name` the backend of `make_county` inside the block (a fixture's `request`
    starts the session's server when needed); databases made in it are dropped at its end."""
    global backend
    if name == POSTGRESQL:
        request.getfixturevalue("pg_server")
    previous, backend = backend, name
    try:
        if name == POSTGRESQL:
            assert server is not None
            with server.dropping():
                yield name
        else:
            yield name
    finally:
        backend = previous


def make_county(
    directory: Path,
    name: str = "county",
    operator: str = TEMPLATE_OPERATOR,
    *,
    training: bool = False,
    start_period: str = START,
) -> Path | str:
    """A new, initialised county database of the running test's backend."""
    if backend == SQLITE:
        path = directory / f"{name}.sqlite3"
        setup.init_database(path, setup.COUNTY, None, operator, training=training, start_period=start_period)
        return path
    assert server is not None, "the county_backend fixture starts the server"
    return server.new_county(operator, training=training, start_period=start_period)
