"""The screen of a live workbook (team scan, issue 17; kenniskring, issue 18): start form or one session.

Without a query the screen shows the start panel; `?sessie=<id>` opens that session. `open_session(id)`
switches to another session in place and stops the old session's poller first. A subclass names its
`StartPanel` class, its CSS class, its catalog keys (a bad `?sessie=`, the way back), its workbook, the
errors that mean "not (or no longer) there, or another school's" and how a session view is made
(`new_session`).
"""

from __future__ import annotations

import ipywidgets as w

from stip import live
from stip.i18n import t
from widgets.components.handled import show_error
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen


class LiveSessionScreen(Screen):
    """Start form or one session; `open_session(id)` switches to the session in place."""

    start_panel: type[w.Widget]
    css_class: str
    bad_session_key: str  # catalog key: `?sessie=` is not a number
    back_key: str  # catalog key: the link back to the workbook's start
    workbook: str
    errors: tuple[type[Exception], ...] = (live.LiveError,)

    def build(self) -> None:
        self.add_class(self.css_class)
        self.savebar = SaveBar()
        self.stage = w.VBox()
        self.start = None
        self.session = None
        self.children = (self.savebar, self.stage)
        session_id = self.query_int("sessie")
        if "sessie" in self.query and session_id is None:
            self.savebar.error(t(self.bad_session_key))
        if session_id is not None:
            self.open_session(session_id)
        else:
            self.show_start()

    @property
    def big(self) -> bool:
        """A second window for the projector (`groot=1`) opens big."""
        return self.query.get("groot") == "1"

    def new_session(self, session_id: int) -> w.Widget:
        """The session's view (it has `stop()`); raises one of `errors` when it cannot be shown."""
        raise NotImplementedError

    def show_start(self) -> None:
        self.start = self.start_panel(self.actor, self.open_session, self.savebar)
        self.stage.children = (self.start,)

    def open_session(self, session_id: int) -> None:
        if self.session is not None:
            self.session.stop()
        try:
            self.session = self.new_session(session_id)
        # not (or no longer) there, or another school's: say so, offer the way back
        except self.errors as exc:
            self.session = None
            show_error(self.savebar, exc, f"{type(self).__name__}.open_session")
            back = safe_html('<p><a href="{href}">{back}</a></p>', href=self.workbook, back=t(self.back_key))
            self.stage.children = (w.HTML(back),)
            return
        self.stage.children = (self.session,)
        self.savebar.reset()
