"""Shared fixtures: temporary township and county databases, seeded through the real services.

Tests never write outside a temporary folder: before anything else is imported, the home, data,
config and cache directories (where Qt's standard paths, settings, logs and crash reports go) are
pointed into one folder made for this run and removed at its end.

County databases come from the `county_backend` fixture: every test that uses one runs against
a SQLite file and, when PostgreSQL can be started here, against a server database too (see
tests/county_db.py); `@pytest.mark.sqlite_only` keeps a test about files on SQLite."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.name == "nt":  # offscreen Qt on Windows reads fonts from a folder (else a warning fails a test)
    os.environ.setdefault(
        "QT_QPA_FONTDIR",
        os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "fonts"),
    )
RUN_HOME = tempfile.mkdtemp(prefix="hengdong-tests-home-")
for _name in (
    "HOME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "XDG_CACHE_HOME",
    "XDG_STATE_HOME",
    "APPDATA",
    "LOCALAPPDATA",
):
    os.environ[_name] = RUN_HOME if _name == "HOME" else os.path.join(RUN_HOME, _name.lower())
os.environ.pop("HENGDONG_DB", None)
os.environ.pop("HENGDONG_KEY_PASSPHRASE", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from hengdong_desktop.db.engine import Database  # noqa: E402
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
        on_server = params is not None and county_db.POSTGRESQL in params.params.values()  # any backend fixture
        (dropped if on_server and item.get_closest_marker("sqlite_only") else keep).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(scope="session")
def pg_server() -> Iterator[county_db.Server]:
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


# Test databases report from 2020 on (their 启用期), so the fixed periods of the tests are due.
START = county_db.START


@pytest.fixture
def township_path(tmp_path: Path) -> Path:
    path = tmp_path / "wuji.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, "吴集镇", "张三", start_period=START)
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
def county(county_path: Path | str) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(county_path)
    yield db, info
    db.close()


# Training (培训/演示) databases: the only ones demo data may go into.
@pytest.fixture
def training_township_path(tmp_path: Path) -> Path:
    path = tmp_path / "wuji-training.sqlite3"
    setup.init_database(path, setup.TOWNSHIP, "吴集镇", "张三", start_period=START, training=True)
    return path


@pytest.fixture
def training_township(training_township_path: Path) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(training_township_path)
    yield db, info
    db.close()


@pytest.fixture
def training_county_path(tmp_path: Path, county_backend: str) -> Path | str:
    return county_db.make_county(tmp_path, "county-training", "李四", training=True)


@pytest.fixture
def training_county(training_county_path: Path | str) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(training_county_path)
    yield db, info
    db.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(RUN_HOME, ignore_errors=True)
