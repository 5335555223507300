"""Alembic environment: uses the connection Stip hands over, batch mode for SQLite."""

from alembic import context

from stip.store.tables import metadata

connection = context.config.attributes.get("connection")


def run() -> None:
    if connection is None:
        from stip.store import engine

        with engine().begin() as conn:
            _configure(conn)
    else:
        _configure(connection)


def _configure(conn) -> None:
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()


run()
