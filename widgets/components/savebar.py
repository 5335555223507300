"""The save bar: one line under a form that says what happened to the user's work.

State (`dirty`, `saving`, `status`, `message`) is separate from the view (a message and a
"Herladen" button). The message API follows sepal_ui's `Alert`: a call replaces the message and
shows the bar, `reset()` hides it. `dirty` is cleared only by `saved()`, after the store confirmed;
an error or a version conflict keeps it, so nothing typed is lost silently.
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as w
from traitlets import Bool, Enum, Unicode, observe

from stip import timefmt
from stip.i18n import t
from widgets.components.safe import safe_html

__all__ = ["SaveBar"]

STATUSES = ("", "saved", "error", "conflict", "info")
_MESSAGE = '<span class="stip-savebar__text" role="status" aria-live="polite">{text}</span>'


class SaveBar(w.HBox):
    """Shows "Opgeslagen om 10:42", an error, or a version conflict with a "Herladen" button."""

    dirty = Bool(False, help="There are changes that the store has not confirmed yet.")
    saving = Bool(False, help="A save is running; the bar says so until it ends.")
    status = Enum(STATUSES, default_value="", help="Kind of the message: '' means no message.")
    message = Unicode("", help="Plain text shown to the user (escaped, never markup).")

    def __init__(self, **kwargs):
        self._text = w.HTML(layout=w.Layout(margin="0 8px 0 0"))
        self._text.add_class("stip-savebar__message")
        self._reload = w.Button(description=t("component.savebar.reload"), icon="refresh")
        self._reload.add_class("stip-savebar__reload")
        self._reload_handlers = w.CallbackDispatcher()
        self._wrapped: dict = {}  # callback → its handled wrapper (so `remove=True` finds it)
        self._reload.on_click(self._on_reload_click)
        super().__init__(children=(self._text, self._reload), **kwargs)
        self.add_class("stip-savebar")
        self.layout.align_items = "center"
        self._render()

    # -- message API -------------------------------------------------------------------------------
    def saved(self, at: datetime | None = None) -> None:
        """The store confirmed the save at `at` (an aware datetime; default now): clears `dirty`."""
        at = at or timefmt.now()
        if at.tzinfo is None:
            raise ValueError("SaveBar.saved() needs an aware datetime")
        with self.hold_trait_notifications():
            self.saving = False
            self.dirty = False
            self.status = "saved"
            self.message = t("component.savebar.saved_at", time=timefmt.format_time(at))

    def error(self, text: str) -> None:
        """Show `text` (a catalog text, never `str(exc)`) as an error; `dirty` stays."""
        self._show("error", text)

    def conflict(self, text: str | None = None) -> None:
        """Someone else changed the record: show `text` (or the default) and "Herladen"; `dirty` stays."""
        self._show("conflict", text or t("component.savebar.conflict"))

    def info(self, text: str) -> None:
        """Show a neutral message."""
        self._show("info", text)

    def reset(self) -> None:
        """Hide the message (`dirty` is left as it is)."""
        self._show("", "")

    def on_reload(self, callback, remove: bool = False) -> None:
        """Register `callback(button)`, run when "Herladen" is clicked (after the bar was reset); what
        fails in it shows in this bar (`handled`)."""
        from widgets.components.handled import handled  # handled imports nothing of this module

        if callback not in self._wrapped:
            self._wrapped[callback] = handled(savebar=self)(callback)
        self._reload_handlers.register_callback(self._wrapped[callback], remove=remove)

    # -- internals ---------------------------------------------------------------------------------
    def _show(self, status: str, text: str) -> None:
        with self.hold_trait_notifications():
            self.saving = False
            self.status = status
            self.message = text

    def _on_reload_click(self, button: w.Button) -> None:
        self.reset()
        self._reload_handlers(button)

    @property
    def text(self) -> str:
        """The text the user sees now (plain text), for tests and screens."""
        if self.saving:
            return t("component.savebar.saving")
        return self.message if self.status else ""

    @observe("dirty", "saving", "status", "message")
    def _render(self, change=None) -> None:
        text = self.text
        self._text.value = safe_html(_MESSAGE, text=text)
        self._reload.layout.display = None if self.status == "conflict" and not self.saving else "none"
        self.layout.display = None if text else "none"
        for status in STATUSES[1:]:
            self.remove_class(f"stip-savebar--{status}")
        if self.status:
            self.add_class(f"stip-savebar--{self.status}")
        for flag in ("dirty", "saving"):
            (self.add_class if getattr(self, flag) else self.remove_class)(f"stip-savebar--{flag}")
