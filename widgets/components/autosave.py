"""Fields that save themselves about a second after the last change (DESIGN §2: debounced, not on blur).

`AutoSaveForm` holds named field widgets; a user edit marks the save bar dirty and (re)starts a timer on
the kernel's asyncio loop; when it fires, `save(changes)` runs with only the changed fields (returning
False means "not stored yet", e.g. a new record still missing required fields: the changes stay). An error
with a `field` attribute shows its Dutch text under that field, and the other changed fields are saved
without it (one refused field never stops the rest; the refused value stays in the field and pending until
it is fixed); every other error goes to the save bar (`show_error`). Checkboxes and dropdowns save at
once. `load(values)` fills fields without saving.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

import ipywidgets as w

from stip.i18n import t
from widgets.components.handled import show_error
from widgets.components.savebar import SaveBar

__all__ = ["AutoSaveForm", "Debouncer"]

TEXT_DELAY_SECONDS = 1.0


class Debouncer:
    """Call `callback` once, `delay` seconds after the last `trigger()`; `flush()` calls it now."""

    def __init__(self, delay: float, callback: Callable[[], None]):
        self.delay = delay
        self.callback = callback
        self._handle: asyncio.TimerHandle | None = None
        self.pending = False

    def trigger(self, delay: float | None = None) -> None:
        self.cancel()
        self.pending = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no loop (unit tests): the caller flushes
            return
        self._handle = loop.call_later(self.delay if delay is None else delay, self.flush)

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def flush(self) -> None:
        self.cancel()
        if self.pending:
            self.pending = False
            self.callback()


class AutoSaveForm(w.VBox):
    """Named fields, each with its own error line, saved as the user types."""

    def __init__(
        self,
        fields: dict[str, w.ValueWidget],
        save: Callable[[dict[str, Any]], bool | None],
        savebar: SaveBar,
        delay: float = TEXT_DELAY_SECONDS,
        **kwargs,
    ):
        self.fields = fields
        self.save = save
        self.savebar = savebar
        self.changes: dict[str, Any] = {}
        # A checkbox cannot hold a wrong value: it gets no error line (and no wrapper), which keeps
        # a screen with many checkboxes light. Its rare errors go to the save bar.
        self.errors = {
            name: w.Label(layout=w.Layout(display="none"))
            for name, widget in fields.items()
            if not isinstance(widget, w.Checkbox)
        }
        for label in self.errors.values():
            label.add_class("stip-error")
        self._silent = False
        self._debouncer = Debouncer(delay, self._save)
        rows = [
            w.VBox([widget, self.errors[name]]) if name in self.errors else widget
            for name, widget in fields.items()
        ]
        super().__init__(children=rows, **kwargs)
        self.add_class("stip-form")
        for name, widget in fields.items():
            widget.observe(lambda change, name=name: self._on_change(name, change), names="value")

    @contextmanager
    def silence(self):
        self._silent = True
        try:
            yield
        finally:
            self._silent = False

    def load(self, values: dict[str, Any]) -> None:
        """Show stored values; nothing is marked changed."""
        with self.silence():
            for name, value in values.items():
                if name in self.fields:
                    self.fields[name].value = value
        self.changes.clear()
        for name in self.errors:
            self._set_error(name, "")

    def values(self) -> dict[str, Any]:
        return {name: widget.value for name, widget in self.fields.items()}

    def _on_change(self, name: str, change) -> None:
        if self._silent:
            return
        self.changes[name] = change["new"]
        self.savebar.dirty = True
        immediate = isinstance(self.fields[name], (w.Checkbox, w.Dropdown, w.ToggleButtons, w.DatePicker))
        self._debouncer.trigger(0 if immediate else None)

    def flush(self) -> None:
        """Save pending changes now (tests; before leaving the form)."""
        self._debouncer.flush()

    @property
    def pending(self) -> bool:
        return self._debouncer.pending

    def _set_error(self, name: str, text: str) -> None:
        label = self.errors[name]
        label.value = text
        label.remove_class("stip-muted")
        label.add_class("stip-error")
        label.layout.display = None if text else "none"

    def hint(self, name: str, text: str) -> None:
        """A quiet note under a field (e.g. where a suggested value came from); an error replaces it."""
        label = self.errors[name]
        label.value = text
        label.remove_class("stip-error")
        label.add_class("stip-muted")
        label.layout.display = None if text else "none"

    def _save(self) -> None:
        changes = dict(self.changes)
        refused: dict[str, str] = {}  # field -> its Dutch message
        while changes:
            try:
                stored = self.save(changes)
                break
            except Exception as exc:  # noqa: BLE001 - every failure becomes a Dutch message
                name = getattr(exc, "field", None)
                if name in self.errors and name in changes and getattr(exc, "message_key", None):
                    refused[name] = t(exc.message_key, **getattr(exc, "values", {}))
                    del changes[name]  # save the other fields without it
                    continue
                self._show_refused(refused)
                if name in self.errors and getattr(exc, "message_key", None):
                    text = t(exc.message_key, **getattr(exc, "values", {}))
                    self._set_error(name, text)
                    self.savebar.error(text)
                else:
                    show_error(self.savebar, exc, "AutoSaveForm.save")
                return
        else:  # nothing left to save: every changed field was refused (or there were no changes)
            self._show_refused(refused)
            return
        if stored is False:
            self._show_refused(refused)
            return
        for key in changes:
            if self.changes.get(key) == changes[key]:
                del self.changes[key]
        for name in self.errors:
            self._set_error(name, refused.get(name, ""))
        if refused:
            self.savebar.error(next(iter(refused.values())))
        else:
            self.savebar.saved()

    def _show_refused(self, refused: dict[str, str]) -> None:
        for name, text in refused.items():
            self._set_error(name, text)
        if refused:
            self.savebar.error(next(iter(refused.values())))
