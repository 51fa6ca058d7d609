"""Shared fixtures: temporary township and county databases, seeded through the real services."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
