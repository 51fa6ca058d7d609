"""User settings, each declared once with its type and default, stored with QSettings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from hengdong_desktop.domain import periods

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    key: str
    default: T
    type: type


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Setting("window/state", QByteArray(), QByteArray)
DATABASE_PATH = Setting("database/path", "", str)
LAST_PAGE = Setting("window/last_page", "", str)
LAST_IMPORT_FOLDER = Setting("files/last_import_folder", "", str)
LAST_EXPORT_FOLDER = Setting("files/last_export_folder", "", str)


def last_period(database_id: str) -> Setting[str]:
    """The period a database was last looked at in: each database keeps its own."""
    return Setting(f"entry/last_period/{database_id}", "", str)


def current_period(settings: Settings, database_id: str) -> str:
    """The period a database opens in: the one it was last looked at in, else the last
    completed month."""
    saved = settings.get(last_period(database_id))
    return saved if periods.is_period(saved) else periods.last_completed()


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        self.store = store or QSettings()

    def get(self, setting: Setting[T]) -> T:
        value: Any = self.store.value(setting.key, setting.default)
        if value is None:
            return setting.default
        if setting.type is bool and isinstance(value, str):
            return value.lower() == "true"  # type: ignore[return-value]
        try:
            return setting.type(value)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            return setting.default

    def set(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.key, value)
