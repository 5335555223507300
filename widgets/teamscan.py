"""Teamscan: the facilitator's and the projector's workbook for a study day (issue 17).

Without a query the screen shows the start form and the earlier sessions; `?sessie=<id>` opens that
session (join code and QR, live results, choosing and dot voting). Participants never open this
workbook: they answer on the participant app (`python -m stip serve --deelnemers`), without a kernel.
"""

from __future__ import annotations

from widgets.live_session import LiveSessionScreen
from widgets.teamscan_session import SessionView
from widgets.teamscan_start import StartPanel


class TeamscanScreen(LiveSessionScreen):
    """Start form or one session; `open_session(id)` switches to the session in place."""

    start_panel = StartPanel
    css_class = "stip-teamscan"
    bad_session_key = "teamscan_ui.bad_session"
    back_key = "teamscan_ui.back"
    workbook = "Teamscan.ipynb"

    def new_session(self, session_id: int) -> SessionView:
        return SessionView(self.actor, session_id, self.savebar, root=self, big=self.big)


def show_teamscan() -> TeamscanScreen:
    return TeamscanScreen()
