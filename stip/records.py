"""Counts and a full export of everything the store holds (`status --json`, `export --json`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from stip.store import tables as T


def plain(value: Any) -> Any:
    """A JSON-serialisable value: dates and timestamps as ISO strings."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def counts(conn: Connection) -> dict[str, int]:
    """Rows per table under its plural name, e.g. {"students": 51, "guardians": 88, ...}."""
    return {
        T.PLURAL[table.name]: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for table in T.metadata.sorted_tables
    }


def export_all(conn: Connection) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, keyed by plural table name; students also carry their klas name."""
    klas_names = dict(conn.execute(select(T.klas.c.id, T.klas.c.name)).all())
    result: dict[str, list[dict[str, Any]]] = {}
    for table in T.metadata.sorted_tables:
        order = list(table.primary_key.columns)
        rows = conn.execute(select(table).order_by(*order)).mappings().all()
        result[T.PLURAL[table.name]] = [{k: plain(v) for k, v in row.items()} for row in rows]
    for row in result["students"]:
        row["klas"] = klas_names.get(row["klas_id"])
    return result
