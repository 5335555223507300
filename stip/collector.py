"""Python's cycle collector paused during bulk work (the class-list import).

Reading, checking, matching and storing a 20,000-row class list makes some 300,000 objects (cells, rows,
guardians, parameters), none of them in a cycle. With the collector on, its passes over them and over the
whole heap of a kernel took a third of the import's time, a good part of it inside the write transaction
(bench/import_rows.py: 0.74 s against 0.57 s; docs/performance.md). `paused` runs a function with the
collector off and turns it on again when the function returns (also after an error); the one collection
it saves up runs later, after the write transaction has ended. Nested calls are fine.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable)


def paused(function: F) -> F:
    """Decorate `function` so it runs with the cycle collector paused."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if not gc.isenabled():
            return function(*args, **kwargs)
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            gc.enable()

    return run  # type: ignore[return-value]
