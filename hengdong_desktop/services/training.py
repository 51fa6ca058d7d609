"""Training (培训/演示) databases: a persistent mark, set when the database is created and never
removed, that the title bar, the status bar, every PDF (watermark) and every Excel sheet (note)
show, that `demo` requires before it writes demo data, and that packages carry so a production
county never takes in a training unit's figures (and the other way round)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hengdong_desktop.domain.owner import META_TRAINING
from hengdong_desktop.errors import UserError

if TYPE_CHECKING:  # the labels are shown before the database layer is loaded (ui/main_window.py)
    from sqlalchemy.orm import Session

    from hengdong_desktop.db.engine import Database

LABEL = "培训/演示"
BANNER = "培训/演示数据库——数据不是正式数据，不能上报、不能发布"
WATERMARK = "培训演示 非正式数据"
SHEET_NOTE = "培训/演示数据库导出：本表数据是演示数据，不是正式数据，不得上报或发布。"


def is_training_database(session: Session) -> bool:
    """Whether this database was created as a training database (`init --training`)."""
    from hengdong_desktop.db import models as m

    row = session.get(m.Meta, META_TRAINING)
    return row is not None and row.value == "1"


def is_training(db: Database) -> bool:
    with db.read() as s:
        return is_training_database(s)


def mark_training(session: Session) -> None:
    """Marks a database being created as a training database (there is no way back)."""
    from hengdong_desktop.db import models as m

    session.merge(m.Meta(key=META_TRAINING, value="1"))


def require_training(db: Database, path_name: str) -> None:
    """Refuses to put demo data into a production database."""
    if not is_training(db):
        raise UserError(
            f"“{path_name}”是正式数据库，不能生成演示数据；请另建培训数据库（hengdong init --training，"
            "或在设置向导中选择“先试用（演示数据）”）。"
        )
