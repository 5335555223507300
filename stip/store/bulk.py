"""Bulk writes: one `executemany` per table, whatever the number of rows (DESIGN §2).

`executemany(conn, statement, rows)` sends a Core INSERT or UPDATE once for every row, as one
statement for the database. SQLAlchemy builds the parameters of an executemany row by row in Python, and
for a large import that cost more than SQLite's own work (20,000 students with their guardians and links:
0.9 s of 1.5 s in the write transaction). Here the statement is compiled once and the rows go to the
driver as they are, so every value must be one the driver stores as the column type would: text, a whole
number, a bool or None. Dates, times and JSON go through `conn.execute(statement, rows)`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.sql import ClauseElement

PLAIN = (str, int, float, type(None))  # bool is an int


def executemany(
    conn: Connection,
    statement: ClauseElement,
    rows: Sequence[Mapping[str, Any]] | Sequence[tuple],
    columns: Sequence[str] | None = None,
) -> None:
    """Run `statement` once per row, in one executemany. A row is a mapping of parameter names (every
    row with the same names), or a tuple whose values `columns` names."""
    if not rows:
        return
    keys = list(columns) if columns is not None else list(rows[0])
    compiled = statement.compile(dialect=conn.dialect, column_keys=keys)
    fixed = {name: value for name, value in compiled.params.items() if name not in keys}
    first = rows[0] if columns is None else dict(zip(keys, rows[0], strict=True))
    for name, value in [*first.items(), *fixed.items()]:
        if not isinstance(value, PLAIN):
            raise TypeError(f"{name}: {type(value).__name__} is not a plain value; use conn.execute")
    if not compiled.positional:  # a driver with named parameters (psycopg)
        if columns is not None:
            rows = [dict(zip(keys, row, strict=True)) for row in rows]
        parameters: Sequence = [{**fixed, **row} for row in rows] if fixed else rows
    elif columns is None:
        get = _getter(compiled.positiontup)
        parameters = [get({**fixed, **row}) for row in rows] if fixed else [get(row) for row in rows]
    else:
        position = {name: index for index, name in enumerate([*keys, *fixed])}
        order = [position[name] for name in compiled.positiontup]
        tail = tuple(fixed.values())
        if order == list(range(len(keys))):
            parameters = rows
        else:
            get = _getter(order)
            parameters = [get(row + tail) for row in rows] if tail else [get(row) for row in rows]
    conn.exec_driver_sql(str(compiled), parameters)


def new_ids(conn: Connection, table, count: int) -> list[int]:
    """Ids for `count` new rows of `table` in one statement, so the rows go in one executemany and can be
    linked before they exist. SQLite: after the highest id, which is safe because the write transaction
    (`BEGIN IMMEDIATE`) keeps every other writer out until it ends. PostgreSQL: from the id sequence."""
    if count == 0:
        return []
    if conn.dialect.name == "sqlite":
        start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one() + 1
        return list(range(start, start + count))
    sequence = func.pg_get_serial_sequence(table.name, "id")
    series = func.generate_series(1, count).table_valued("n")
    return list(conn.execute(select(func.nextval(sequence)).select_from(series)).scalars())


def _getter(keys: Sequence) -> Any:
    """A function from a row to the tuple of its values at `keys` (also for one key)."""
    if len(keys) == 1:
        key = keys[0]
        return lambda row: (row[key],)
    return itemgetter(*keys)
