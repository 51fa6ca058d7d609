"""Alembic environment: runs on the connection the app hands over, or on `sqlalchemy.url`
when a developer runs `alembic` by hand (see alembic.ini at the top of the repository)."""

from typing import Any, Literal

from alembic import context
from sqlalchemy import engine_from_config, pool

from hengdong_desktop.db.models import Base
from hengdong_desktop.db.types import Money, UTCDateTime

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | Literal[False]:
    """Writes the app's column types as their plain SQL types so migrations stay frozen."""
    if type_ == "type" and isinstance(obj, Money):
        return "sa.BigInteger()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER by copying tables
        transactional_ddl=True,
        compare_type=True,
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
