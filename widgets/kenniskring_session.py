"""One kenniskring on the trainer's laptop and the projector: header, close, and four tabs —
Presenteren (built at once; it polls), Programma, Verslag and Terugkomsessie (built when opened)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import kenniskring as K
from stip import live, store
from stip.i18n import t
from stip.timefmt import format_date
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.safe import safe_html
from widgets.kenniskring_programme import ProgrammePanel
from widgets.kenniskring_report import ComparePanel, ReportPanel
from widgets.kenniskring_run import RunPanel


def header_html(session: dict[str, Any]) -> str:
    settings = session["settings"]
    schools = ", ".join(settings.get("scholen") or [])
    bits = [
        format_date(session["held_on"]) if session["held_on"] else "",
        settings.get("plaats", ""),
        t("kenniskring.schools", scholen=schools) if schools else "",
        t("kenniskring_ui.status_open" if session["status"] == "open" else "kenniskring_ui.status_closed"),
    ]
    return safe_html(
        '<div class="stip-session-head"><h2>{naam}</h2><p class="stip-muted">{meta}</p></div>',
        naam=session["naam"],
        meta=" · ".join(b for b in bits if b),
    )


class SessionView(w.VBox):
    TABS = (
        "kenniskring_ui.tab_run",
        "kenniskring_ui.tab_programme",
        "kenniskring_ui.tab_report",
        "kenniskring_ui.tab_compare",
    )

    def __init__(self, actor, session_id: int, savebar, *, root: w.Widget | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-session")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        with store.read() as conn:
            session = live.get_session(conn, session_id)
        if session is None or session["school_id"] != actor.school_id or session["kind"] != K.KIND:
            raise K.KenniskringError("kenniskring.session_not_found")
        self.session = session
        self.head = w.HTML(header_html(session))
        self.close_button = w.Button(
            description=t("kenniskring_ui.close"), icon="lock", layout=w.Layout(width="auto")
        )
        self.close_button.disabled = session["status"] != "open"
        self.close_button.on_click(self._on_close)
        self.confirm = w.HBox()
        back = w.HTML(
            safe_html(
                '<a href="Kenniskring.ipynb">{back}</a> · '
                '<a href="Kenniskring.ipynb?sessie={id}&amp;groot=1" target="_blank" rel="noopener" '
                'title="{tip}">{window}</a>',
                back=t("kenniskring_ui.back"),
                id=session_id,
                window=t("kenniskring_ui.projector_window"),
                tip=t("kenniskring_ui.projector_window_tip"),
            )
        )
        self.run = RunPanel(actor, session_id, savebar, root=root)
        self.tabs = LazyTabs(
            [t(key) for key in self.TABS],
            [
                lambda: self.run,
                lambda: ProgrammePanel(actor, session_id, savebar),
                lambda: ReportPanel(actor, session_id, savebar),
                lambda: ComparePanel(actor, session_id, savebar),
            ],
            selected=0,
        )
        self.tabs.observe(self._on_tab, names="selected_index")
        self.actions = w.HBox(
            [self.close_button, back], layout=w.Layout(flex_flow="row wrap", align_items="center")
        )
        self.run.projector.observe(self._on_projector, names="value")
        self.children = (self.head, self.actions, self.confirm, self.tabs)

    def window_mode(self) -> None:
        """The projector window (`groot=1`): only the presenting panel's room view — no header, tabs,
        workbook text (hidden by the page's CSS on the window class) or buttons."""
        self.run.window_mode()
        self.children = (self.run,)

    @handled
    def _on_projector(self, change) -> None:
        """On the projector the room sees the activity, not "Kenniskring sluiten" and the links: on a
        1280×720 beamer that row pushed the results below the fold."""
        self.actions.layout.display = "none" if change["new"] else None
        self.confirm.children = ()

    @handled
    def _on_tab(self, change) -> None:
        panel = self.tabs.panel(change["new"]) if change["new"] is not None else None
        if change["new"] in (2, 3) and hasattr(panel, "refresh"):
            panel.refresh()  # the report and the comparison show the answers as they are now

    @handled
    def _on_close(self, button=None) -> None:
        yes = w.Button(description=t("kenniskring_ui.close_yes"), button_style="danger")
        no = w.Button(description=t("kenniskring_ui.close_no"))
        yes.on_click(self._on_close_yes)
        no.on_click(self._on_close_no)
        question = w.HTML(
            safe_html("<p><strong>{text}</strong></p>", text=t("kenniskring_ui.close_question"))
        )
        self.confirm.children = (question, yes, no)

    @handled
    def _on_close_no(self, button=None) -> None:
        self.confirm.children = ()

    @handled
    def _on_close_yes(self, button=None) -> None:
        with store.write() as conn:
            live.close_session(conn, self.session_id)
            self.session = live.get_session(conn, self.session_id)
        self.confirm.children = ()
        self.head.value = header_html(self.session)
        self.close_button.disabled = True
        self.run.refresh()
        self.savebar.info(t("kenniskring_ui.closed_done"))

    def stop(self) -> None:
        self.run.stop()
