"""Prepare a kenniskring: title, date, place, schools, the standard programme or an own one, and the
earlier session a terugkomsessie returns to; below, the earlier sessions to reopen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from stip import kenniskring as K
from stip import store
from stip.i18n import t
from stip.timefmt import format_date, today
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html

WIDE = "min(560px, 100%)"
LABEL = {"description_width": "9em"}


def session_label(session: dict[str, Any]) -> str:
    day = format_date(session["held_on"]) if session.get("held_on") else ""
    return f"{session['naam']} ({day})" if day else session["naam"]


def sessions_html(sessions: list[dict[str, Any]]) -> str:
    """Earlier sessions as a table; each name opens that session (`Kenniskring.ipynb?sessie=<id>`)."""
    if not sessions:
        return safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.no_sessions"))
    head = "".join(
        f"<th scope='col'>{safe(t(key))}</th>"
        for key in (
            "kenniskring_ui.col_name",
            "kenniskring_ui.col_date",
            "kenniskring_ui.col_place",
            "kenniskring_ui.col_code",
            "kenniskring_ui.col_status",
        )
    )
    rows = []
    for s in sessions:
        rows.append(
            safe_html(
                '<tr><td><a href="Kenniskring.ipynb?sessie={id}">{naam}</a></td><td>{date}</td>'
                "<td>{place}</td><td>{code}</td><td>{status}</td></tr>",
                id=s["id"],
                naam=s["naam"],
                date=format_date(s["held_on"]) if s["held_on"] else "",
                place=s["settings"].get("plaats", ""),
                code=s["code"],
                status=t(
                    "kenniskring_ui.status_open" if s["status"] == "open" else "kenniskring_ui.status_closed"
                ),
            )
        )
    return f'<table class="stip-table"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def programme_html(programme: list[dict[str, Any]]) -> str:
    """The standard programme as an ordered list: title, kind, minutes, number of items and source."""
    rows = []
    for activity in programme:
        rows.append(
            safe_html(
                "<li><strong>{titel}</strong> · {kind} · {minutes} · {count}"
                '<br><span class="stip-muted">{source}</span></li>',
                titel=activity["titel"],
                kind=K.kind_label(activity["kind"]),
                minutes=t("kenniskring_ui.minutes", count=activity.get("minuten", 0)),
                count=t("kenniskring_ui.item_count", count=len(activity.get("items", []))),
                source=t("kenniskring_ui.source", source=activity["source"]),
            )
        )
    return '<ol class="stip-kk-programme">' + "".join(rows) + "</ol>"


class StartPanel(w.VBox):
    """The form for a new kenniskring and the earlier sessions; `on_open(session_id)` opens one."""

    def __init__(self, actor, on_open: Callable[[int], None], savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-kk-start")
        self.actor = actor
        self.on_open = on_open
        self.savebar = savebar
        with store.read() as conn:
            earlier = K.earlier_sessions(conn, actor)
        self.naam = w.Text(
            value=t("kenniskring_ui.default_name"),
            description=t("kenniskring_ui.name"),
            style=LABEL,
            layout=w.Layout(width=WIDE),
        )
        self.held_on = w.DatePicker(value=today(), description=t("kenniskring_ui.date"), style=LABEL)
        self.plaats = w.Text(description=t("kenniskring_ui.place"), style=LABEL, layout=w.Layout(width=WIDE))
        self.scholen = w.Textarea(
            description=t("kenniskring_ui.schools"),
            placeholder=t("kenniskring_ui.schools_hint"),
            style=LABEL,
            layout=w.Layout(width=WIDE, height="5em"),
        )
        self.programme = w.RadioButtons(
            options=[
                (t("kenniskring_ui.programme_standard"), "standaard"),
                (t("kenniskring_ui.programme_own"), "eigen"),
            ],
            value="standaard",
            description=t("kenniskring_ui.programme"),
            style=LABEL,
            layout=w.Layout(width="auto"),
        )
        previous = [(t("kenniskring_ui.no_previous"), 0)] + [(session_label(s), s["id"]) for s in earlier]
        self.previous = w.Dropdown(
            options=previous,
            value=0,
            description=t("kenniskring_ui.previous"),
            style=LABEL,
            layout=w.Layout(width=WIDE),
        )
        self.start_button = w.Button(
            description=t("kenniskring_ui.start"),
            button_style="primary",
            icon="play",
            layout=w.Layout(width="auto"),
        )
        self.start_button.on_click(self._on_start)
        overview = w.Accordion(children=[w.HTML(programme_html(K.standard_programme()))], selected_index=None)
        overview.set_title(0, t("kenniskring_ui.programme_overview"))
        self.children = (
            w.HTML(
                safe_html(
                    "<h3>{h}</h3><p>{p}</p>",
                    h=t("kenniskring_ui.new_heading"),
                    p=t("kenniskring_ui.new_intro"),
                )
            ),
            self.naam,
            self.held_on,
            self.plaats,
            self.scholen,
            self.programme,
            overview,
            self.previous,
            self.start_button,
            w.HTML(safe_html("<h3>{h}</h3>", h=t("kenniskring_ui.earlier_heading")) + sessions_html(earlier)),
        )

    @handled
    def _on_start(self, button=None) -> None:
        own = self.programme.value == "eigen"
        with store.write() as conn:
            session = K.start(
                conn,
                self.actor,
                self.naam.value,
                self.held_on.value,
                plaats=self.plaats.value,
                scholen=self.scholen.value.splitlines(),
                activities=[] if own else None,
                previous_id=self.previous.value or None,
            )
        self.on_open(session["id"])
