"""Engine creation and programmatic Alembic migrations.

SQLite settings and why: ``journal_mode=WAL`` so readers do not block the writer; ``synchronous=FULL`` because
``submit`` promises the melding is durable when it returns (NORMAL could lose the last commits on power loss);
``foreign_keys=ON`` (off by default in SQLite); ``secure_delete=ON`` so purged rows are overwritten rather than left in
free pages; ``busy_timeout`` so concurrent bot workers wait instead of failing.

Alembic is imported lazily: the bot process only needs it when it migrates, and importing it costs about a second.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "meldingen_alembic_version"
HEAD = "0001"


def _sqlite_pragmas(synchronous: str) -> Any:
    def apply(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", f"synchronous={synchronous}", "foreign_keys=ON", "secure_delete=ON",
                       "busy_timeout=15000"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    return apply


def make_engine(url: str, *, synchronous: str = "FULL", **kwargs: Any) -> Engine:
    """An engine with WAL, zeroed freed pages and a busy timeout for SQLite (whose parent
    directory is created); ``synchronous=FULL`` by default because a melding the user was
    told is received must survive a power cut. Also used for conversation state."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas(synchronous))
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def _migrate(url: str | Engine, step: str, revision: str) -> None:
    """Run an Alembic ``upgrade``/``downgrade``. The URL goes through an open connection, not the
    ini-style config (where a ``%`` in a URL, e.g. ``options=-csearch_path%3D...``, would break
    interpolation)."""
    from alembic import command

    engine = make_engine(url) if isinstance(url, str) else url
    try:
        with engine.begin() as conn:
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            getattr(command, step)(cfg, revision)
    finally:
        if isinstance(url, str):
            engine.dispose()


def upgrade_db(url: str | Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``."""
    _migrate(url, "upgrade", revision)
    log.info("meldingen-schema bijgewerkt tot %s", revision)


def downgrade_db(url: str | Engine, revision: str = "base") -> None:
    _migrate(url, "downgrade", revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}).get_current_revision()


__all__ = ["HEAD", "current_revision", "downgrade_db", "make_engine", "upgrade_db"]
