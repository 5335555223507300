"""After a kenniskring: the report (print view, PDF, CSV in one click each) and the terugkomsessie
(the earlier session's results beside this one's, per activity)."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import kenniskring as K
from stip import store
from stip.i18n import t
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.printing import PrintFrame
from widgets.components.safe import safe_html
from widgets.kenniskring_prepare import session_label


def _filename(session: dict[str, Any], suffix: str) -> str:
    day = session["held_on"].isoformat() if session.get("held_on") else ""
    return f"kenniskring-{session['code'].lower()}{'-' + day if day else ''}.{suffix}"


class ReportPanel(w.VBox):
    """Buttons for print, PDF and CSV, and the report itself on screen (`refresh()` reads it again)."""

    def __init__(self, actor, session_id: int, savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-kk-report")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        self.printer = PrintFrame()
        self.print_button = w.Button(
            description=t("kenniskring_ui.print"), icon="print", layout=w.Layout(width="auto")
        )
        self.print_button.on_click(self._on_print)
        self.refresh_button = w.Button(
            description=t("kenniskring_ui.refresh_report"), icon="refresh", layout=w.Layout(width="auto")
        )
        self.refresh_button.on_click(self._on_refresh)
        self.pdf = DownloadButton(t("kenniskring_ui.pdf"), self._pdf, savebar=savebar, icon="file-pdf-o")
        self.csv = DownloadButton(t("kenniskring_ui.csv"), self._csv, savebar=savebar, icon="file-text-o")
        note = w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.csv_note")))
        self.body = w.HTML()
        self.body.add_class("stip-kk-report-body")
        buttons = w.HBox(
            [self.print_button, self.pdf, self.csv, self.refresh_button, self.printer],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.children = (buttons, note, self.body)
        self.refresh()

    def refresh(self) -> None:
        with store.read() as conn:
            results = K.all_results(conn, self.session_id)
        session = results["session"]
        self.session = session
        head = safe_html(
            "<h3>{naam}</h3><p class='stip-muted'>{people}</p>",
            naam=session["naam"],
            people=t("kenniskring.report_people", count=results["deelnemers"]),
        )
        self.body.value = head + "".join(K.activity_html(r, heading="h4") for r in results["activities"])

    @handled
    def _on_refresh(self, button=None) -> None:
        self.refresh()

    @handled
    def _on_print(self, button=None) -> None:
        with store.read() as conn:
            document = K.report_html(conn, self.session_id)
        self.printer.print(document, t("kenniskring.report_title", naam=self.session["naam"]))

    def _pdf(self) -> DownloadFile:
        with store.read() as conn:
            data = K.report_pdf(conn, self.session_id)
        return DownloadFile(data, _filename(self.session, "pdf"), "application/pdf")

    def _csv(self) -> DownloadFile:
        with store.read() as conn:
            data = K.answers_csv(conn, self.session_id)
        return DownloadFile(data, _filename(self.session, "csv"), "text/csv")


def compare_html(compared: dict[str, Any]) -> str:
    """Per activity the earlier session's results (left) beside this one's (right); escaped."""
    earlier, now = compared["eerder"], compared["nu"]
    parts = []
    for entry in compared["activities"]:
        parts.append(safe_html("<h3>{titel}</h3>", titel=entry["titel"]))
        left = (
            K.activity_html(entry["eerder"], heading=None, details=False)
            if entry["eerder"]
            else safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.not_in_earlier"))
        )
        right = K.activity_html(entry["nu"], heading=None, details=False)
        parts.append(
            safe_html(
                '<div class="stip-kk-compare"><div><p class="stip-kk-round">{a}</p>',
                a=t("kenniskring_ui.round_label", naam=earlier["naam"], count=earlier["deelnemers"]),
            )
            + left
            + safe_html(
                '</div><div><p class="stip-kk-round">{b}</p>',
                b=t("kenniskring_ui.round_label", naam=now["naam"], count=now["deelnemers"]),
            )
            + right
            + "</div></div>"
        )
    return "".join(parts)


class ComparePanel(w.VBox):
    """Choose the earlier kenniskring and see its results beside this one's."""

    def __init__(self, actor, session_id: int, savebar, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-kk-compare-panel")
        self.actor = actor
        self.session_id = session_id
        self.savebar = savebar
        with store.read() as conn:
            earlier = K.earlier_sessions(conn, actor, exclude=session_id)
            compared = K.compare(conn, session_id)
        current = compared["eerder"]["id"] if compared["eerder"] else 0
        options = [(t("kenniskring_ui.no_previous"), 0)] + [(session_label(s), s["id"]) for s in earlier]
        if current not in {value for _, value in options}:
            current = 0
        self.previous = w.Dropdown(
            options=options,
            value=current,
            description=t("kenniskring_ui.previous"),
            style={"description_width": "9em"},
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.previous.observe(self._on_previous, names="value")
        self.body = w.HTML()
        self.children = (
            w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.compare_intro"))),
            self.previous,
            self.body,
        )
        self.show(compared)

    def show(self, compared: dict[str, Any]) -> None:
        if compared["eerder"] is None:
            self.body.value = safe_html(
                '<p class="stip-muted">{text}</p>', text=t("kenniskring_ui.no_compare")
            )
        else:
            self.body.value = compare_html(compared)

    def refresh(self) -> None:
        with store.read() as conn:
            compared = K.compare(conn, self.session_id)
        self.show(compared)

    @handled
    def _on_previous(self, change) -> None:
        with store.write() as conn:
            K.set_previous(conn, self.actor, self.session_id, change["new"] or None)
        self.refresh()
