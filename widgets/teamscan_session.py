"""One study-day session on the facilitator's laptop and the projector: join, live results, choose.

A `LivePoller` (widgets/components/live.py) reads the session's `live_version` — one indexed SELECT —
every 0.7 s; only when it changed does `refresh()` read the session and `live.results()` (a fixed number
of statements, however many people take part) and set the panels' widget traits.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import live, store
from stip.i18n import t
from stip.timefmt import format_date
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.live import LivePoller
from widgets.components.safe import safe_html
from widgets.teamscan_choose import ChoosePanel
from widgets.teamscan_join import JoinPanel, join_url, spaced_code
from widgets.teamscan_results import ResultsPanel
from widgets.teamscan_rounds import RoundsPanel

POLL_SECONDS = 0.7
PROJECTOR_CLASS = "stip-projector"
WINDOW_CLASS = "stip-projector-window"  # the projector window (`groot=1`): only what the room needs


def code_line_html(session: dict[str, Any]) -> str:
    """One small line for the projector window: where to go and the code (the big block is in Meedoen)."""
    url = join_url(session)
    code = safe_html('<strong class="stip-kk-code">{code}</strong>', code=spaced_code(session["code"]))
    if url:
        where = safe_html(
            "{step} <strong>{base}</strong> {label} ",
            step=t("teamscan_ui.join_step"),
            base=url.split("/s/")[0],
            label=t("teamscan_ui.code_label"),
        )
    else:
        where = safe_html("{label} ", label=t("teamscan_ui.code_label_alone"))
    return f'<p class="stip-kk-joinline stip-window-code">{where}{code}</p>'


def header_html(session: dict[str, Any]) -> str:
    status = t("teamscan_ui.status_open" if session["status"] == "open" else "teamscan_ui.status_closed")
    when = format_date(session["held_on"]) if session["held_on"] else ""
    return safe_html(
        '<div class="stip-session-head"><h2>{naam}</h2><p class="stip-muted">{when} · {code_label} '
        "<strong>{code}</strong> · {status}</p></div>",
        naam=session["naam"],
        when=when,
        code_label=t("teamscan_ui.code_label_short"),
        code=session["code"],
        status=status,
    )


class SessionView(w.VBox):
    """Header with the projector switch and "close", then tabs: Meedoen, Uitkomsten, Kiezen."""

    TABS = ("teamscan_ui.tab_join", "teamscan_ui.tab_results", "teamscan_ui.tab_choose")
    ROUNDS = 3  # the tab "Vergelijking met eerdere rondes", only for a next round
    tabs_ready = False

    def __init__(
        self, actor, session_id: int, savebar, *, root: w.Widget | None = None, big: bool = False, **kwargs
    ):
        super().__init__(**kwargs)
        self.add_class("stip-session")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        self.root = root or self  # the widget that gets the projector class
        self.role: str | None = None
        with store.read() as conn:
            session = live.get_session(conn, session_id)
            if session is None or session["school_id"] != actor.school_id or session["kind"] != "teamscan":
                raise live.LiveError("live.session_not_found")
            results = live.results(conn, session_id)
            self.version = session["live_version"]
        self.session = session
        self.head = w.HTML(header_html(session))
        self.projector = w.ToggleButton(
            value=False,
            description=t("teamscan_ui.projector"),
            icon="expand",
            tooltip=t("teamscan_ui.projector_tip"),
        )
        self.projector.observe(self._on_projector, names="value")
        self.close_button = w.Button(description=t("teamscan_ui.close"), icon="lock")
        self.close_button.on_click(self._on_close)
        self.confirm = w.HBox()
        back = w.HTML(
            safe_html(
                '<a href="Teamscan.ipynb">{back}</a> · <a href="Teamscan.ipynb?sessie={id}&amp;groot=1" '
                'target="_blank" rel="noopener" title="{tip}">{window}</a>',
                back=t("teamscan_ui.back"),
                id=session_id,
                window=t("teamscan_ui.projector_window"),
                tip=t("teamscan_ui.projector_window_tip"),
            )
        )
        self.join = JoinPanel(session)
        self.results = ResultsPanel(self._on_role)
        self.results.savebar = savebar
        self.choose = ChoosePanel(actor, session, results, savebar)
        titles = [t(key) for key in self.TABS]
        builders = [lambda: self.join, lambda: self.results, lambda: self.choose]
        if session["previous_id"]:  # a next round: what changed since the earlier ones (built when opened)
            titles.append(t("rounds.tab"))
            builders.append(lambda: RoundsPanel(session_id, actor=actor))
        self.tabs = LazyTabs(titles, builders, selected=0 if session["status"] == "open" else 1)
        for index in range(3):  # the live panels exist from the start; the poller keeps them current
            self.tabs.panel(index)
        if session["status"] != "open":
            self.close_button.disabled = True
        self.children = (
            w.HBox([self.head], layout=w.Layout(width="100%")),
            w.HBox(
                [self.projector, self.close_button, back],
                layout=w.Layout(flex_flow="row wrap", align_items="center"),
            ),
            self.confirm,
            self.tabs,
        )
        self.tabs_ready = True
        self._show(session, results)
        self.poller = LivePoller(self._version, self.refresh, interval=POLL_SECONDS, name="teamscan")
        self.poller.seen = self.version  # what is shown now
        self.poller.start()
        if big:
            self.projector.value = True
            self.window_mode()

    def window_mode(self) -> None:
        """The projector window: the code in one line and the live results at the top — no header,
        buttons or tabs (on a 1280×720 beamer they pushed the results below the fold). The facilitator
        keeps the buttons in the laptop's own window."""
        self.root.add_class(WINDOW_CLASS)
        self.code_line = w.HTML(code_line_html(self.session))
        self.children = (self.code_line, self.results)

    def _version(self, conn) -> int | None:
        return live.live_version(conn, self.session_id)

    def refresh(self) -> None:
        """Read the session and its results (fixed statements) and update every panel."""
        with store.read() as conn:
            session = live.get_session(conn, self.session_id)
            if session is None:
                return
            results = live.results(conn, self.session_id, role=self.role)
        self._show(session, results)

    def _show(self, session: dict[str, Any], results: dict[str, Any]) -> None:
        if session["status"] != self.session["status"]:
            self.head.value = header_html(session)
            self.close_button.disabled = session["status"] != "open"
        self.session = session
        self.results.projector = self.projector.value  # the projector's charts: larger labels for the room
        self.join.show(session, results)
        self.results.show(results)
        self.choose.show(session, results)
        if self.tabs_ready and self.tabs.is_built(self.ROUNDS):
            self.tabs.panel(self.ROUNDS).refresh()  # this round's means move as answers come in

    @handled
    def _on_role(self, role: str | None) -> None:
        self.role = role
        self.refresh()

    @handled
    def _on_projector(self, change) -> None:
        (self.root.add_class if change["new"] else self.root.remove_class)(PROJECTOR_CLASS)
        self.refresh()  # the charts in their projector variant (or back)

    @handled
    def _on_close(self, button=None) -> None:
        yes = w.Button(description=t("teamscan_ui.close_yes"), button_style="danger")
        no = w.Button(description=t("teamscan_ui.close_no"))
        yes.on_click(self._on_close_yes)
        no.on_click(self._on_close_no)
        question = w.HTML(safe_html("<p><strong>{text}</strong></p>", text=t("teamscan_ui.close_question")))
        self.confirm.children = (question, yes, no)

    @handled
    def _on_close_no(self, button=None) -> None:
        self.confirm.children = ()

    @handled
    def _on_close_yes(self, button=None) -> None:
        with store.write() as conn:
            live.close_session(conn, self.session_id)
        self.confirm.children = ()
        self.refresh()
        self.savebar.info(t("teamscan_ui.closed_done"))

    def stop(self) -> None:
        self.poller.stop()
