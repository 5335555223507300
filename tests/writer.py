"""A second process that holds SQLite's write lock for as long as a test or benchmark needs — far longer
than the 5 s busy timeout — as a colleague's 10,000-row import does. Used by the unit and browser tests
of "reads never wait for a writer" and by `bench/screens.py`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE school SET name = name")
print("locked", flush=True)
sys.stdin.read()  # hold the write lock until our stdin is closed
db.execute("ROLLBACK")
"""


@contextmanager
def holding_write_lock(database: Path) -> Iterator[subprocess.Popen]:
    """Yields the writer process once it holds the lock; `process.poll() is None` while it still does."""
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(database)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.stdin.close()
        process.wait(timeout=30)
