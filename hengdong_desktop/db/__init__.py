"""Persistence: SQLAlchemy models, the SQLite engine and its pragmas, Alembic migrations,
backups and the audit trail. No Qt."""
