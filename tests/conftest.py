"""Shared fixtures: temporary township and county databases, seeded through the real services.

Tests never write outside a temporary folder: before anything else is imported, the home, data,
config and cache directories (where Qt's standard paths, settings, logs and crash reports go) are
pointed into one folder made for this run and removed at its end."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.name == "nt":  # offscreen Qt on Windows reads fonts from a folder (else a warning fails a test)
    os.environ.setdefault("QT_QPA_FONTDIR", os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "fonts"))
RUN_HOME = tempfile.mkdtemp(prefix="hengdong-tests-home-")
for _name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "APPDATA",
              "LOCALAPPDATA"):
    os.environ[_name] = RUN_HOME if _name == "HOME" else os.path.join(RUN_HOME, _name.lower())
os.environ.pop("HENGDONG_DB", None)
os.environ.pop("HENGDONG_KEY_PASSPHRASE", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from hengdong_desktop.db.engine import Database  # noqa: E402
from hengdong_desktop.services import setup  # noqa: E402
from hengdong_desktop.services.setup import DatabaseInfo  # noqa: E402

# Test databases report from 2020 on (their 启用期), so the fixed periods of the tests are due.
START = "2020-01"


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
def county_path(tmp_path: Path) -> Path:
    path = tmp_path / "county.sqlite3"
    setup.init_database(path, setup.COUNTY, None, "李四", start_period=START)
    return path


@pytest.fixture
def county(county_path: Path) -> Iterator[tuple[Database, DatabaseInfo]]:
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
def training_county_path(tmp_path: Path) -> Path:
    path = tmp_path / "county-training.sqlite3"
    setup.init_database(path, setup.COUNTY, None, "李四", start_period=START, training=True)
    return path


@pytest.fixture
def training_county(training_county_path: Path) -> Iterator[tuple[Database, DatabaseInfo]]:
    db, info = setup.open_initialized(training_county_path)
    yield db, info
    db.close()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(RUN_HOME, ignore_errors=True)
