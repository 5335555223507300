"""A live view's poller (DESIGN §2, "live views"): one asyncio task per view watches a version counter.

`LivePoller(version, on_change)` reads `version(conn)` — ONE indexed SELECT, through the read door
`store.read()` — every `interval` seconds (0.5–1 s) and calls `on_change()` only when the value differs
from the last one seen. `on_change` re-queries and sets widget traits (`HTML.value`, `children`,
`Label.value`); it never prints into an `Output` widget (with ipykernel 7 that output is dropped from a
task).

- `start()` creates the task with `asyncio.ensure_future` on the kernel's running loop; without a running
  loop (unit tests) nothing is scheduled and the test calls `tick()` itself.
- `stop()` ends the task; `start()` again resumes (the next tick compares with the last value seen).
- An error in a tick is logged without personal data (only its type) and never kills the loop: the next
  tick tries again. `errors` counts them, `last_error_key` keeps a typed error's message key.

Used by the team scan's projector (issue 17) and the kenniskring's trainer screen (issue 18).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from stip import store

__all__ = ["LivePoller"]

log = logging.getLogger("stip.widgets")

_UNSEEN = object()


class LivePoller:
    """Poll `version(conn)` every `interval` seconds; call `on_change()` when it changed."""

    def __init__(
        self,
        version: Callable[[object], object],
        on_change: Callable[[], None],
        *,
        interval: float = 0.7,
        name: str = "live",
    ):
        if not 0.1 <= interval <= 5:
            raise ValueError("interval in seconds, 0.1–5")
        self.version = version
        self.on_change = on_change
        self.interval = interval
        self.name = name
        self.seen: object = _UNSEEN
        self.ticks = 0
        self.errors = 0
        self.last_error_key: str | None = None
        self._task: asyncio.Future | None = None
        self._running = False

    @property
    def running(self) -> bool:
        return self._running and self._task is not None and not self._task.done()

    def start(self) -> bool:
        """Start polling on the running loop; False (and nothing scheduled) when there is none."""
        if self.running:
            return True
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return False
        self._running = True
        self._task = asyncio.ensure_future(self._run())
        return True

    def stop(self) -> None:
        self._running = False
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._task = None

    def forget(self) -> None:
        """The next tick calls `on_change` whatever the version (after the view's filter changed)."""
        self.seen = _UNSEEN

    def tick(self) -> bool:
        """One poll: True when the version changed and `on_change` ran. Errors are logged, not raised."""
        self.ticks += 1
        try:
            with store.read() as conn:
                current = self.version(conn)
            if current == self.seen:
                return False
            self.on_change()
            self.seen = current  # only after the view took it: a failed refresh is retried next tick
            return True
        except Exception as exc:  # never kill the loop; no values, no text (may hold personal data)
            self.errors += 1
            key = getattr(exc, "message_key", None)
            self.last_error_key = key if isinstance(key, str) else None
            log.warning("%s poll failed: %s", self.name, type(exc).__name__)
            return False

    async def _run(self) -> None:
        while self._running:
            self.tick()
            await asyncio.sleep(self.interval)
