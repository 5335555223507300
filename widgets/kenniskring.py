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

import ipywidgets as w

from stip import kenniskring as K
from stip import live
from stip.i18n import t
from widgets.components.handled import show_error
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen
from widgets.kenniskring_prepare import StartPanel
from widgets.kenniskring_session import SessionView


class KenniskringScreen(Screen):
    """Start form or one session; `open_session(id)` switches to the session in place."""

    def build(self) -> None:
        self.add_class("stip-kenniskring")
        self.savebar = SaveBar()
        self.stage = w.VBox()
        self.start: StartPanel | None = None
        self.session: SessionView | None = None
        self.children = (self.savebar, self.stage)
        session_id = self.query_int("sessie")
        if "sessie" in self.query and session_id is None:
            self.savebar.error(t("kenniskring_ui.bad_session"))
        if session_id is not None:
            self.open_session(session_id)
        else:
            self.show_start()

    def show_start(self) -> None:
        self.start = StartPanel(self.actor, self.open_session, self.savebar)
        self.stage.children = (self.start,)

    def open_session(self, session_id: int) -> None:
        if self.session is not None:
            self.session.stop()
        try:
            self.session = SessionView(self.actor, session_id, self.savebar, root=self)
        except (K.KenniskringError, live.LiveError) as exc:
            self.session = None
            show_error(self.savebar, exc, "KenniskringScreen.open_session")
            self.stage.children = (
                w.HTML(
                    safe_html('<p><a href="Kenniskring.ipynb">{back}</a></p>', back=t("kenniskring_ui.back"))
                ),
            )
            return
        self.stage.children = (self.session,)
        self.savebar.reset()
        if self.query.get("groot") == "1":  # a second window for the projector opens big
            self.session.window_mode()


def show_kenniskring() -> KenniskringScreen:
    return KenniskringScreen()
