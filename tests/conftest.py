"""Shared fixtures: temporary township and county databases, seeded through the real services.

County databases come from the `county_backend` fixture: every test that uses one runs against
a SQLite file and, when PostgreSQL can be started here, against a server database too (see
tests/county_db.py); `@pytest.mark.sqlite_only` keeps a test about files on SQLite."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from hengdong_desktop.db.engine import Database  # noqa: E402
from hengdong_desktop.db.location import DATA_DIR_ENV  # noqa: E402
from hengdong_desktop.services import setup  # noqa: E402
from hengdong_desktop.services.setup import DatabaseInfo  # noqa: E402
from tests import county_db  # noqa: E402

BACKENDS = county_db.backends()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: a county-side test about SQLite files, not run on PostgreSQL")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    keep, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_server = params is not None and params.params.get("county_backend") == county_db.POSTGRESQL
        (dropped if on_server and item.get_closest_marker("sqlite_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def _data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user data directory (server databases' local key files …) inside the test's temp."""
    folder = tmp_path_factory.mktemp("data")
    old = os.environ.get(DATA_DIR_ENV)
    os.environ[DATA_DIR_ENV] = str(folder)
    yield folder
    if old is None:
        os.environ.pop(DATA_DIR_ENV, None)
    else:
        os.environ[DATA_DIR_ENV] = old


@pytest.fixture(scope="session")
def pg_server(_data_dir: Path) -> Iterator[county_db.Server]:
    server = county_db.Server.start()
    county_db.server = server
    yield server
    county_db.server = None
    server.close()


@pytest.fixture
def pg(request: pytest.FixtureRequest) -> Iterator[county_db.Server]:
    """The session's PostgreSQL server, for tests only about server databases (skipped where
    none can be started, unless HENGDONG_TEST_PG=required); databases made are dropped after."""
    if county_db.POSTGRESQL not in BACKENDS:
        pytest.skip("PostgreSQL is not installed here (HENGDONG_TEST_PG)")
    with county_db.using(county_db.POSTGRESQL, request):
        assert county_db.server is not None
        yield county_db.server


@pytest.fixture(params=BACKENDS)
def county_backend(request: pytest.FixtureRequest) -> Iterator[str]:
    """The backend of this test's county databases (tests/county_db.make_county)."""
    with county_db.using(request.param, request) as name:
        yield name


@pytest.fixture
def township_path(tmp_path: Path) -> Path:
    path = tmp_path / "wuji.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, "吴集镇", "张三")
    return path


@pytest.fixture
def township(township_path: Path) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(township_path)
    yield db, info
    db.close()


@pytest.fixture
def county_path(tmp_path: Path, county_backend: str) -> Path | str:
    """A county database: a file, or a server database's URL (`county_backend`)."""
    return county_db.make_county(tmp_path, "county", "李四")


@pytest.fixture
def county(county_path: Path) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(county_path)
    yield db, info
    db.close()
