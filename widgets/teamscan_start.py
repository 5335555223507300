"""Start a study-day session: name and date, the scan's statements (switch off what does not fit, add the
team's own), optionally the earlier round it follows; and the list of earlier sessions to reopen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from stip import live, store, teamscan
from stip.i18n import t
from stip.store import tables as T
from stip.timefmt import format_date, today
from stip.validation import check_texts
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html


def sessions_html(sessions: list[dict[str, Any]]) -> str:
    """Earlier sessions as a table; each name opens that session (`Teamscan.ipynb?sessie=<id>`)."""
    if not sessions:
        return safe_html('<p class="stip-muted">{text}</p>', text=t("teamscan_ui.no_sessions"))
    names = [
        t(key)
        for key in (
            "teamscan_ui.col_name",
            "teamscan_ui.col_date",
            "teamscan_ui.col_code",
            "teamscan_ui.col_status",
        )
    ]
    head = "".join(f"<th scope='col'>{safe(name)}</th>" for name in names)
    rows = []
    for s in sessions:
        # data-label: on a phone each row is a card, "Status: gesloten" (was cut off at 390 px; review)
        rows.append(
            safe_html(
                '<tr><td data-label="{n0}"><a href="Teamscan.ipynb?sessie={id}">{naam}</a></td>'
                '<td data-label="{n1}">{date}</td><td data-label="{n2}">{code}</td>'
                '<td data-label="{n3}">{status}</td></tr>',
                n0=names[0],
                n1=names[1],
                n2=names[2],
                n3=names[3],
                id=s["id"],
                naam=s["naam"],
                date=format_date(s["held_on"]) if s["held_on"] else "",
                code=s["code"],
                status=t("teamscan_ui.status_open" if s["status"] == "open" else "teamscan_ui.status_closed"),
            )
        )
    return (
        f'<table class="stip-table stip-table--stack"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class StartPanel(w.VBox):
    """The form for a new session and the earlier sessions; `on_open(session_id)` opens one."""

    def __init__(self, actor, on_open: Callable[[int], None], savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-teamscan-start")
        self.actor = actor
        self.on_open = on_open
        self.savebar = savebar
        with store.read() as conn:
            earlier = live.sessions(conn, actor, kind="teamscan")
        self.items = teamscan.standard_items()
        self.naam = w.Text(
            value=t("teamscan_ui.default_name"),
            description=t("teamscan_ui.name"),
            style={"description_width": "8em"},
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.held_on = w.DatePicker(
            value=today(), description=t("teamscan_ui.date"), style={"description_width": "8em"}
        )
        previous = [(t("teamscan_ui.no_previous"), 0)] + [  # 0: a Dropdown shows no label for None
            (f"{s['naam']} ({format_date(s['held_on'])})" if s["held_on"] else s["naam"], s["id"])
            for s in earlier
        ]
        self.previous = w.Dropdown(
            options=previous,
            value=0,
            description=t("teamscan_ui.previous"),
            style={"description_width": "8em"},
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.checks: list[tuple[dict[str, Any], w.Checkbox]] = []
        themes: dict[str, list] = {}
        for item in self.items:
            if item["kind"] != "schaal":  # the comment per theme and the open questions stay in
                continue
            check = w.Checkbox(
                value=True, description=item["tekst"], indent=False, layout=w.Layout(width="auto")
            )
            check.add_class("stip-item-check")
            self.checks.append((item, check))
            themes.setdefault(item["theme"], []).append(check)
        sections = []
        sources = {item["theme"]: item.get("source", "") for item in self.items}
        for theme, checks in themes.items():
            sections.append(
                w.HTML(
                    safe_html(
                        '<h4>{theme}</h4><p class="stip-muted">{source}</p>',
                        theme=theme,
                        source=t("teamscan_ui.source", source=sources[theme]) if sources[theme] else "",
                    )
                )
            )
            sections.extend(checks)
        self.own_text = w.Text(
            description=t("teamscan_ui.own_item"),
            placeholder=t("teamscan_ui.own_placeholder"),
            style={"description_width": "8em"},
            layout=w.Layout(width="min(560px, 100%)"),
        )
        theme_names = [theme for theme in themes if theme] or [""]
        self.own_theme = w.Dropdown(
            options=theme_names,
            value=theme_names[0],
            description=t("teamscan_ui.own_theme"),
            style={"description_width": "8em"},
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.own_add = w.Button(description=t("teamscan_ui.own_add"), icon="plus")
        self.own_add.on_click(self._on_add_own)
        self.own_items: list[tuple[dict[str, str], w.Checkbox]] = []
        self.own_box = w.VBox()
        items_box = w.VBox(sections)
        self.item_list = w.Accordion(children=[items_box], selected_index=None)
        self.item_list.set_title(0, t("teamscan_ui.items_title", count=len(self.checks)))
        self.start_button = w.Button(description=t("teamscan_ui.start"), button_style="primary", icon="play")
        self.start_button.on_click(self._on_start)
        self.children = (
            w.HTML(
                safe_html(
                    "<h3>{h}</h3><p>{p}</p>", h=t("teamscan_ui.new_heading"), p=t("teamscan_ui.new_intro")
                )
            ),
            self.naam,
            self.held_on,
            self.previous,
            self.item_list,
            w.HTML(safe_html("<h4>{h}</h4>", h=t("teamscan_ui.own_heading"))),
            self.own_text,
            self.own_theme,
            self.own_add,
            self.own_box,
            self.start_button,
            w.HTML(safe_html("<h3>{h}</h3>", h=t("teamscan_ui.earlier_heading")) + sessions_html(earlier)),
        )

    @handled
    def _on_add_own(self, button=None) -> None:
        tekst = self.own_text.value.strip()
        if not tekst:
            self.savebar.error(t("teamscan_ui.own_empty"))
            return
        tekst = check_texts(T.session_item, {"tekst": tekst}, error=live.LiveError)["tekst"]
        check = w.Checkbox(
            value=True,
            description=f"{tekst} ({self.own_theme.value})",
            indent=False,
            layout=w.Layout(width="auto"),
        )
        check.add_class("stip-item-check")
        self.own_items.append(({"tekst": tekst, "theme": self.own_theme.value}, check))
        self.own_box.children = tuple(box for _, box in self.own_items)
        self.own_text.value = ""
        self.savebar.info(t("teamscan_ui.own_added"))

    def chosen_items(self) -> list[dict[str, Any]]:
        """The standard items, each with `enabled` as ticked (switched-off ones stay in the session, off)."""
        ticked = {item["key"]: check.value for item, check in self.checks}
        return [{**item, "enabled": ticked.get(item["key"], True)} for item in self.items]

    @handled
    def _on_start(self, button=None) -> None:
        with store.write() as conn:
            session = live.start_session(
                conn,
                self.actor,
                "teamscan",
                self.naam.value,
                self.held_on.value,
                items=self.chosen_items(),
                previous_id=self.previous.value or None,
            )
            for own, check in self.own_items:
                if check.value:
                    live.add_item(conn, self.actor, session["id"], own["tekst"], own["theme"])
        self.on_open(session["id"])
