"""The store: one engine per database URL, one transaction per user action.

Two doors (DESIGN §2): `read()` opens a deferred, read-only transaction — with WAL it sees a
consistent snapshot and never waits for a writer — and `write()` begins `BEGIN IMMEDIATE`, so
read-then-write actions in two kernels never lose an update. A read transaction refuses every write
(SQLite `query_only`, PostgreSQL `READ ONLY`): a write hidden in a read path fails in the tests instead
of taking the write lock in production. Services take the connection their caller opened.
Migrations (Alembic) run only from `python -m stip` and the test harness, never in a kernel:
a kernel compares the database's revision with `HEAD_REVISION` (`schema_state()`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text

from stip import config

HEAD_REVISION = "0006"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class VersionConflict(Exception):
    """Someone else changed the record since it was loaded: reload it."""

    message_key = "error.version_conflict"


class SchemaBehind(Exception):
    """The database has not been migrated to this version of Stip."""

    message_key = "error.schema_behind"


def now() -> datetime:
    return datetime.now(UTC)


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and url != prefix and ":memory:" not in url:
        return Path(url[len(prefix) :])
    return None


@cache
def _engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = _sqlite_file(url)
        if path is not None and not path.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            os.close(fd)
        engine = create_engine(url, connect_args={"timeout": 5})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten with zeros
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            if conn.get_execution_options().get(_MODE) == "read":
                conn.exec_driver_sql("PRAGMA query_only=1")
                conn.exec_driver_sql("BEGIN")
            else:
                conn.exec_driver_sql("PRAGMA query_only=0")
                conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin_server(conn):
        if conn.get_execution_options().get(_MODE) == "read":
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")

    return engine


def engine() -> Engine:
    """The engine of the configured database (`STIP_DATABASE_URL` or the SQLite file in `STIP_DATA`)."""
    return _engine_for(config.database_url())


_MODE = "stip_mode"


@contextmanager
def read() -> Iterator[Connection]:
    """A read transaction: a consistent snapshot that never waits for a writer; writes are refused."""
    with engine().connect() as conn:
        conn.execution_options(**{_MODE: "read"})
        with conn.begin():
            yield conn


@contextmanager
def write() -> Iterator[Connection]:
    """A write transaction (`BEGIN IMMEDIATE`): committed when the block ends, rolled back on any
    exception. Keep it short: validate and match before opening it."""
    with engine().connect() as conn:
        conn.execution_options(**{_MODE: "write"})
        with conn.begin():
            yield conn


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """Collect the SQL statements sent to the database inside the block (an `executemany` counts
    once): for tests and benchmarks that keep the number per screen refresh or bulk write fixed."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine(), "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine(), "before_cursor_execute", count)


def checkpoint() -> bool:
    """Move the write-ahead log into the database file and truncate it (`wal_checkpoint(TRUNCATE)`),
    outside any transaction: after deleting personal data, so the deleted rows are not left in
    `stip.sqlite-wal` (DESIGN §8). True when the log was emptied; False while another connection still
    reads an older snapshot (a later checkpoint then finishes the job). Other databases: nothing to do.
    """
    if not config.database_url().startswith("sqlite"):
        return True
    with engine().connect() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # the raw connection: no BEGIN is emitted
        try:
            busy, _log, _moved = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            cursor.close()
    return busy == 0


def update_versioned(
    conn: Connection, table, version: int | None, values: dict, *where, author_id=None
) -> int:
    """`UPDATE table SET values, version = version + 1 WHERE <where> AND version = :version`.

    The one guard against lost updates (DESIGN §2): returns the new version, or raises
    `VersionConflict` when someone else changed the row since it was read (0 rows matched).
    """
    from sqlalchemy import func, update

    extra = {"author_id": author_id} if author_id is not None else {}
    changed = conn.execute(
        update(table)
        .where(*where, table.c.version == version)
        .values(**values, **extra, version=table.c.version + 1, updated_at=func.now())
    ).rowcount
    if changed == 0:
        raise VersionConflict()
    return version + 1


def current_revision(conn: Connection) -> str | None:
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def schema_state() -> str:
    """'current', 'behind' (migrate first) or 'ahead' (a newer Stip wrote this database)."""
    with read() as conn:
        revision = current_revision(conn)
    if revision == HEAD_REVISION:
        return "current"
    known = sorted(p.stem.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*.py"))
    if revision is None or revision in known:
        return "behind"
    return "ahead"


def require_current_schema() -> None:
    if schema_state() != "current":
        raise SchemaBehind()


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", config.database_url())
    return cfg


def migrate() -> None:
    """Bring the database to the newest revision (serve, CLI and test harness only)."""
    from alembic import command

    cfg = alembic_config()
    with engine().begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
