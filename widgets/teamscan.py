"""Teamscan: the facilitator's and the projector's workbook for a study day (issue 17).

Without a query the screen shows the start form and the earlier sessions; `?sessie=<id>` opens that
session (join code and QR, live results, choosing and dot voting). Participants never open this
workbook: they answer on the participant app (`python -m stip serve --deelnemers`), without a kernel.
"""

from __future__ import annotations

import ipywidgets as w

from stip import live
from stip.i18n import t
from widgets.components.handled import show_error
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen
from widgets.teamscan_session import SessionView
from widgets.teamscan_start import StartPanel


class TeamscanScreen(Screen):
    """Start form or one session; `open_session(id)` switches to the session in place."""

    def build(self) -> None:
        self.add_class("stip-teamscan")
        self.savebar = SaveBar()
        self.stage = w.VBox()
        self.start: StartPanel | None = None
        self.session: SessionView | None = None
        self.children = (self.savebar, self.stage)
        session_id = self.query_int("sessie")
        if "sessie" in self.query and session_id is None:
            self.savebar.error(t("teamscan_ui.bad_session"))
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
            big = self.query.get("groot") == "1"  # a second window for the projector opens big
            self.session = SessionView(self.actor, session_id, self.savebar, root=self, big=big)
        except (
            live.LiveError
        ) as exc:  # not (or no longer) there, or another school's: say so, offer the way back
            self.session = None
            show_error(self.savebar, exc, "TeamscanScreen.open_session")
            self.stage.children = (
                w.HTML(safe_html('<p><a href="Teamscan.ipynb">{back}</a></p>', back=t("teamscan_ui.back"))),
            )
            return
        self.stage.children = (self.session,)
        self.savebar.reset()


def show_teamscan() -> TeamscanScreen:
    return TeamscanScreen()
