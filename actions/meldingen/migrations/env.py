"""Alembic environment for the meldingen store.

Normally run through :func:`actions.meldingen.db.upgrade_db`, which builds the Alembic ``Config`` in code and passes
an open connection in ``config.attributes["connection"]``; a URL in ``sqlalchemy.url`` works as well. The version
table has its own name so the meldingen migrations can share a database with other components.
"""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from actions.meldingen.models import Base

VERSION_TABLE = "meldingen_alembic_version"


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=context.config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata,
                      version_table=VERSION_TABLE, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
