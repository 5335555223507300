"""Kenniskring: the trainer's and the projector's workbook (issue 18).

Without a query the screen shows the form for a new kenniskring (title, date, place, schools; Stip's
standard programme or an own one; optionally the earlier session a terugkomsessie returns to) and the
earlier sessions. `?sessie=<id>` opens one session with four tabs: Presenteren (join code and QR, the
current activity, next/previous, open/close answering, live results for the projector), Programma (edit
activities and their texts, before or while running), Verslag (print view, PDF, CSV) and
Terugkomsessie (the earlier session's results beside these). Participants never open this workbook:
they answer on the participant app (`python -m stip serve --deelnemers`), without a kernel.
"""

from __future__ import annotations

from stip import kenniskring as K
from stip import live
from widgets.kenniskring_prepare import StartPanel
from widgets.kenniskring_session import SessionView
from widgets.live_session import LiveSessionScreen


class KenniskringScreen(LiveSessionScreen):
    """Start form or one session; `open_session(id)` switches to the session in place."""

    start_panel = StartPanel
    css_class = "stip-kenniskring"
    bad_session_key = "kenniskring_ui.bad_session"
    back_key = "kenniskring_ui.back"
    workbook = "Kenniskring.ipynb"
    errors = (K.KenniskringError, live.LiveError)

    def new_session(self, session_id: int) -> SessionView:
        view = SessionView(self.actor, session_id, self.savebar, root=self)
        if self.big:
            view.window_mode()
        return view


def show_kenniskring() -> KenniskringScreen:
    return KenniskringScreen()
