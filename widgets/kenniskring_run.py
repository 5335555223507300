"""Presenting a kenniskring: the join code and QR, the current activity in large type with its live
results, and the trainer's buttons (previous, next, open/close answering, projector mode).

A `LivePoller` (widgets/components/live.py) reads the session's `live_version` — one indexed SELECT —
every 0.7 s; only when it changed does `refresh()` read where the session is and the current activity's
results (a fixed number of statements, however many phones answer) and set the widgets' values.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import kenniskring as K
from stip import live, store
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.live import LivePoller
from widgets.components.safe import safe, safe_html
from widgets.teamscan_join import join_html, join_url, spaced_code

POLL_SECONDS = 0.7
PROJECTOR_CLASS = "stip-projector"
WINDOW_CLASS = "stip-projector-window"  # the projector window (`groot=1`): only what the room needs
PROJECTOR_CHART_WIDTH = 600  # stretched to the page in projector mode: larger text than the report's 760


def _items_list(items: list[dict[str, Any]]) -> str:
    if not items:
        return safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.no_items"))
    return '<ol class="stip-kk-items">' + "".join(f"<li>{safe(i['tekst'])}</li>" for i in items) + "</ol>"


def results_html(state: dict[str, Any], result: dict[str, Any] | None) -> str:
    """The projector's view of the current activity: title, instruction, and its live results (or the
    questions while fewer than 3 answered). Every text escaped."""
    activity = state["activity"]
    if activity is None:
        return safe_html('<p class="stip-notice">{text}</p>', text=t("kenniskring_ui.empty_programme"))
    parts = [
        safe_html(
            '<div class="stip-kk-activity"><p class="stip-kk-step">{step}</p><h2>{titel}</h2>'
            '<p class="stip-kk-instruction">{instruction}</p>',
            step=t(
                "kenniskring_ui.step",
                n=state["position"] + 1,
                count=state["count"],
                kind=K.kind_label(activity["kind"]),
            ),
            titel=activity["titel"],
            instruction=activity.get("instruction", ""),
        )
    ]
    answered = result["deelnemers"] if result else 0
    parts.append(
        safe_html(
            '<p class="stip-live-count" role="status"><span class="stip-live-number">{n}</span> {label}</p>',
            n=answered,
            label=t("kenniskring_ui.answered", count=answered),
        )
    )
    if result is None or result["verborgen"]:
        parts.append(_items_list(state["items"]))
        parts.append(
            safe_html(
                '<p class="stip-muted">{text}</p>', text=t("kenniskring.hidden", minimum=live.MIN_GROUP)
            )
        )
    else:
        kind = result["kind"]
        if kind in ("stelling", "tip"):
            chart = K.results_chart(result, width=PROJECTOR_CHART_WIDTH, label_chars=34)
            parts.append(f'<div class="stip-kk-chart">{chart}</div>')
        if kind == "stelling":
            for item in result["items"]:
                reasons = [(o, x) for o, texts in item["redenen"].items() for x in texts]
                if reasons:
                    parts.append(
                        safe_html("<h3>{h}</h3>", h=t("kenniskring.reasons_for", tekst=item["tekst"]))
                        + '<ul class="stip-kk-texts">'
                        + "".join(
                            safe_html(
                                "<li>{x} <span class='stip-muted'>{o}</span></li>",
                                x=x,
                                o=f"({K.option_label(o)})" if o else "",
                            )
                            for o, x in reasons
                        )
                        + "</ul>"
                    )
        elif kind == "tip":
            names = {item["id"]: item["tekst"] for item in result["items"]}
            columns = []
            for option, ids in result["patroon"].items():
                columns.append(
                    safe_html('<div class="stip-kk-pattern"><h3>{h}</h3>', h=t(K.PATTERN_KEYS[option]))
                    + _items_list([{"tekst": names[i]} for i in ids])
                    + "</div>"
                )
            parts.append('<div class="stip-kk-patterns">' + "".join(columns) + "</div>")
        elif kind == "woordwolk":  # the cloud, and the answers as a list behind one click
            parts.append(K.cloud_html(result["woorden"]))
            texts = [x for item in result["items"] for x in item["teksten"]]
            parts.append(
                safe_html(
                    '<details class="stip-kk-list"><summary>{s}</summary>', s=t("kenniskring_ui.as_list")
                )
                + '<ul class="stip-kk-texts">'
                + "".join(f"<li>{safe(x)}</li>" for x in texts)
                + "</ul></details>"
            )
        else:
            for item in result["items"]:
                parts.append(safe_html("<h3>{h}</h3>", h=item["tekst"]))
                texts = item["teksten"]
                parts.append(
                    '<ul class="stip-kk-texts">' + "".join(f"<li>{safe(x)}</li>" for x in texts) + "</ul>"
                    if texts
                    else safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring.no_texts"))
                )
    parts.append("</div>")
    return "".join(parts)


def join_line_html(session: dict[str, Any], joined: int) -> str:
    """One line for the back of the room all session long: where to go, the code, who joined."""
    url = join_url(session)
    base = url.split("/s/")[0] if url else ""
    parts = []
    if base:
        parts.append(safe_html("{go} <strong>{base}</strong>", go=t("kenniskring_ui.join_go"), base=base))
    parts.append(
        safe_html(
            '{label} <strong class="stip-kk-code">{code}</strong>',
            label=t("kenniskring_ui.code"),
            code=spaced_code(session["code"]),
        )
    )
    parts.append(
        safe_html(
            '<span role="status" style="white-space:nowrap">{joined}</span>',
            joined=t("kenniskring_ui.joined", count=joined),
        )
    )
    return '<p class="stip-kk-joinline">' + " · ".join(parts) + "</p>"


class RunPanel(w.VBox):
    """The trainer's controls and the projector view; `refresh()` reads and shows the current state."""

    def __init__(self, actor, session_id: int, savebar, *, root: w.Widget | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-kk-run")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        self.root = root or self
        self.previous_button = w.Button(description=t("kenniskring_ui.previous_step"), icon="arrow-left")
        self.next_button = w.Button(
            description=t("kenniskring_ui.next_step"), icon="arrow-right", button_style="primary"
        )
        self.answering = w.Button(description=t("kenniskring_ui.close_answering"), icon="lock")
        self.projector = w.ToggleButton(
            value=False,
            description=t("kenniskring_ui.projector"),
            icon="expand",
            tooltip=t("kenniskring_ui.projector_tip"),
        )
        self.show_join = w.ToggleButton(value=True, description=t("kenniskring_ui.show_join"), icon="qrcode")
        for button in (self.previous_button, self.next_button, self.answering):
            button.layout.width = "auto"
        # Not handing the button to `handled`: it would restore its `disabled` after the click, and these
        # buttons are switched off at the ends of the programme by `show()`.
        self.previous_button.on_click(lambda _button: self._on_previous())
        self.next_button.on_click(lambda _button: self._on_next())
        self.answering.on_click(lambda _button: self._on_answering())
        self.projector.observe(self._on_projector, names="value")
        self.show_join.observe(self._on_show_join, names="value")
        self.state_line = w.HTML()
        self.join_line = w.HTML(layout=w.Layout(display="none"))  # shown when the big code block is hidden
        self.join = w.HTML()
        self.view = w.HTML()
        self.view.add_class("stip-kk-view")
        controls = w.HBox(
            [self.previous_button, self.next_button, self.answering, self.projector, self.show_join],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        controls.add_class("stip-kk-controls")
        self.controls = controls
        self.children = (controls, self.state_line, self.join_line, self.join, self.view)
        self.state: dict[str, Any] = {}
        self.refresh()
        self.poller = LivePoller(self._version, self.refresh, interval=POLL_SECONDS, name="kenniskring")
        self.poller.seen = self.state["live_version"]
        self.poller.start()

    def window_mode(self) -> None:
        """The projector window: the code in one small line, then the current activity's title,
        instruction and live results — no trainer buttons, no big code block (they pushed the results
        below the fold of a 1280×720 beamer). The trainer keeps the buttons in the laptop's window."""
        self.projector.value = True
        self.root.add_class(WINDOW_CLASS)
        self.show_join.value = False  # the code line instead of the big block
        self.join_line.layout.display = None
        self.children = (self.join_line, self.view)

    def _version(self, conn) -> int | None:
        return live.live_version(conn, self.session_id)

    def refresh(self) -> None:
        """Where the session is and the current activity's results: a fixed number of statements."""
        with store.read() as conn:
            state = K.current(conn, self.session_id)
            result = (
                K.activity_results(conn, self.session_id, state["position"]) if state["activity"] else None
            )
            joined = K.participants_count(conn, self.session_id)
        self.show(state, result, joined)

    def show(self, state: dict[str, Any], result: dict[str, Any] | None, joined: int) -> None:
        session = state["session"]
        first_time = not self.state
        if first_time or session["status"] != self.state["session"]["status"]:
            self.join.value = join_html(session) if self.show_join.value else ""
        self.state = state
        closed = session["status"] != "open"
        at_start = state["position"] <= 0
        at_end = state["position"] >= state["count"] - 1
        self.previous_button.disabled = closed or at_start
        self.next_button.disabled = closed or at_end
        self.answering.disabled = closed or state["activity"] is None
        if state["answering_open"]:
            self.answering.description, self.answering.icon = t("kenniskring_ui.close_answering"), "lock"
        else:
            self.answering.description, self.answering.icon = t("kenniskring_ui.open_answering"), "unlock"
        if closed:
            status = t("kenniskring_ui.status_closed")
        elif state["answering_open"]:
            status = t("kenniskring_ui.answering_is_open")
        else:
            status = t("kenniskring_ui.answering_is_closed")
        line = safe_html('<p class="stip-kk-state" role="status">{text}</p>', text=status)
        if self.state_line.value != line:
            self.state_line.value = line
        join_line = join_line_html(session, joined)
        if self.join_line.value != join_line:
            self.join_line.value = join_line
        view = results_html(state, result)
        if self.view.value != view:
            self.view.value = view

    def _write(self, fn, *args) -> None:
        with store.write() as conn:
            fn(conn, self.actor, self.session_id, *args)
        self.refresh()

    @handled
    def _on_previous(self, button=None) -> None:
        self._write(K.go_previous)

    @handled
    def _on_next(self, button=None) -> None:
        self._write(K.go_next)

    @handled
    def _on_answering(self, button=None) -> None:
        self._write(K.close_answering if self.state.get("answering_open") else K.open_answering)

    @handled
    def _on_projector(self, change) -> None:
        (self.root.add_class if change["new"] else self.root.remove_class)(PROJECTOR_CLASS)

    @handled
    def _on_show_join(self, change) -> None:
        self.join.value = join_html(self.state["session"]) if change["new"] else ""
        self.join_line.layout.display = "none" if change["new"] else None  # the big block says it all

    def stop(self) -> None:
        self.poller.stop()
