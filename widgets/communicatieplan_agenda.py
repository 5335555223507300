"""Tab "Agenda" of the Communicatieplan workbook (issue 15 §2): what is due this week and next week
for the class — planned contacts, agreements reaching their date, plan reviews — and what is overdue.

Each item has two buttons: "Gebeurd" opens a line, the channel and three tone buttons; one click on a
tone logs the contact and the item leaves the agenda. "Verzetten" asks a new day and a reason. A
refused field shows its message at the field. The .ics button downloads the class's planned contacts
and agreement dates. A refresh takes the same number of statements for any class size.
"""

from __future__ import annotations

from datetime import timedelta

import ipywidgets as w

from stip import agenda, agenda_week, contacten, store, timefmt
from stip.i18n import t
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar

__all__ = ["AgendaPanel", "AgendaRow"]

TONE_KEYS = {
    "positief": "contactpanel.toon_positief",
    "neutraal": "contactpanel.toon_neutraal",
    "zorg": "contactpanel.toon_zorg",
}
SOURCE_KEYS = {
    "moment": "agendapanel.source_moment",
    "afspraak": "agendapanel.source_afspraak",
    "review": "agendapanel.source_review",
}

GO_KEYS = {"afspraak": "agendapanel.go_afspraak", "review": "agendapanel.go_review"}


def _error_label() -> w.Label:
    label = w.Label(layout=w.Layout(display="none"))
    label.add_class("stip-error")
    return label


def _show(label: w.Label, text: str) -> None:
    label.value = text
    label.layout.display = None if text else "none"


class AgendaRow(w.VBox):
    """One due item: what, who, when; "Gebeurd" and "Verzetten" open a small form below it."""

    def __init__(self, panel: AgendaPanel, entry: agenda_week.AgendaEntry, overdue: bool = False):
        super().__init__()
        self.panel = panel
        self.entry = entry
        moved = (
            safe_html(
                ' <span class="stip-badge">{text}</span>',
                text=t("agendapanel.moved", day=timefmt.format_date(entry.due_on), reason=entry.reason),
            )
            if entry.moved
            else ""
        )
        late = safe_html(
            ' <span class="stip-badge stip-badge--late">{text}</span>', text=t("agendapanel.late")
        )
        self.label = w.HTML(
            safe_html(
                "<span><b>{day}</b> · {naam} · <span class='stip-muted'>{source}</span> {what}</span>",
                day=timefmt.short_day(entry.day),
                naam=entry.naam,
                # an agreement's line already says "afspraak: …" (as in the .ics): no second "afspraak"
                source="" if entry.source == "afspraak" else t(SOURCE_KEYS[entry.source]),
                what=entry.what,
            )
            + (late if overdue else "")
            + moved
        )
        self.done_button = w.Button(
            description=t("agendapanel.done"),
            icon="check",
            tooltip=t("agendapanel.done_tooltip", naam=entry.naam),
        )
        self.move_button = w.Button(
            description=t("agendapanel.move"),
            icon="calendar",
            tooltip=t("agendapanel.move_tooltip", naam=entry.naam),
        )
        self.done_button.on_click(self._on_open_done)
        self.move_button.on_click(self._on_open_move)
        buttons = [self.done_button, self.move_button]
        if entry.source in GO_KEYS:  # an agreement is evaluated, a plan looked at, on its own tab
            self.go_button = w.Button(description=t(GO_KEYS[entry.source]), icon="arrow-right")
            self.go_button.on_click(self._on_go)
            buttons.append(self.go_button)
        self.detail = w.VBox()
        head = w.HBox(
            [self.label, *buttons],
            layout=w.Layout(flex_flow="row wrap", align_items="center"),
        )
        self.children = (head, self.detail)
        self.add_class("stip-agenda-row")

    # -- log that it happened --------------------------------------------------------------------------
    @handled(savebar=lambda row: row.panel.savebar)
    def _on_open_done(self, button) -> None:
        if self.detail.children and getattr(self, "regel", None) in self._detail_widgets():
            self.detail.children = ()
            return
        self.kanaal = w.Dropdown(
            description=t("contactpanel.kanaal"),
            options=list(contacten.KANALEN),
            value=self.entry.kanaal or "telefoon",
        )
        self.regel = w.Text(
            description=t("contactpanel.regel"),
            placeholder=t("contactpanel.regel_placeholder"),
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.regel_error = _error_label()
        self.tone_buttons = []
        for toon, key in TONE_KEYS.items():
            button = w.Button(description=t(key), tooltip=t("agendapanel.log_as", toon=t(key)))
            button.add_class(f"stip-tone--{toon}")
            button.on_click(lambda b, toon=toon: self._on_log(b, toon))
            self.tone_buttons.append(button)
        hint = w.HTML(safe_html("<span class='stip-muted'>{text}</span>", text=t("agendapanel.done_hint")))
        self.detail.children = (
            self.kanaal,
            self.regel,
            self.regel_error,
            hint,
            w.HBox(self.tone_buttons, layout=w.Layout(flex_flow="row wrap")),
        )

    def _detail_widgets(self):
        return list(self.detail.children)

    @handled(savebar=lambda row: row.panel.savebar)
    def _on_log(self, button, toon: str) -> None:
        _show(self.regel_error, "")
        values = {"toon": toon, "regel": self.regel.value, "kanaal": self.kanaal.value}
        try:
            with store.write() as conn:
                agenda_week.mark_done(conn, self.panel.actor, self.entry, values)
        except contacten.ContactError as exc:
            if exc.field == "regel":
                _show(self.regel_error, t(exc.message_key, **exc.values))
                return
            raise
        self.panel.screen.student_id = self.entry.student_id  # the family in view on the other tabs
        self.panel.refresh()
        self.panel.savebar.info(t("agendapanel.logged", naam=self.entry.naam))

    @handled(savebar=lambda row: row.panel.savebar)
    def _on_go(self, button) -> None:
        screen = self.panel.screen
        if self.entry.source == "afspraak":
            screen.focus_afspraak_id = self.entry.source_id  # the Afspraken tab opens its form
            screen.show_tab("afspraken", self.entry.student_id)
        else:
            screen.show_tab("plan", self.entry.student_id)

    # -- move it -----------------------------------------------------------------------------------------
    @handled(savebar=lambda row: row.panel.savebar)
    def _on_open_move(self, button) -> None:
        if self.detail.children and getattr(self, "moved_to", None) in self._detail_widgets():
            self.detail.children = ()
            return
        self.moved_to = w.DatePicker(
            description=t("agendapanel.moved_to"),
            value=max(self.entry.day, timefmt.today()) + timedelta(days=7),
        )
        self.moved_to_error = _error_label()
        self.reason = w.Text(
            description=t("agendapanel.reason"),
            placeholder=t("agendapanel.reason_placeholder"),
            layout=w.Layout(width="min(560px, 100%)"),
        )
        self.reason_error = _error_label()
        save = w.Button(description=t("agendapanel.move_save"), icon="calendar-check-o")
        save.on_click(self._on_move)
        self.detail.children = (self.moved_to, self.moved_to_error, self.reason, self.reason_error, save)

    @handled(savebar=lambda row: row.panel.savebar)
    def _on_move(self, button) -> None:
        _show(self.moved_to_error, "")
        _show(self.reason_error, "")
        try:
            with store.write() as conn:
                agenda_week.move(conn, self.panel.actor, self.entry, self.moved_to.value, self.reason.value)
        except agenda_week.AgendaError as exc:
            errors = {"moved_to": self.moved_to_error, "reason": self.reason_error}
            if exc.field in errors:
                _show(errors[exc.field], t(exc.message_key, **exc.values))
                return
            raise
        self.panel.refresh()
        self.panel.savebar.info(
            t("agendapanel.moved_saved", naam=self.entry.naam, day=timefmt.format_date(self.moved_to.value))
        )


class AgendaPanel(w.VBox):
    """This week, next week and what is overdue for the screen's class."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.actor = screen.actor
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.refresh())
        self.heading = w.HTML()
        self.note = w.HTML()
        self.ics = DownloadButton(t("agendapanel.ics"), self._ics, savebar=self.savebar, icon="calendar")
        self.ics.tooltip = t("agendapanel.ics_tooltip")
        self.body = w.VBox()
        self.rows: list[AgendaRow] = []
        self.children = (self.heading, self.note, self.ics, self.savebar, self.body)
        self.add_class("stip-agenda")

    def refresh(self) -> None:
        self.rows = []
        if self.screen.klas_id is None:
            self.heading.value = ""
            self.body.children = ()
            return
        with store.read() as conn:
            week = agenda_week.week_agenda(conn, self.actor, self.screen.klas_id)
        sunday = week.first_day + timedelta(days=13)
        self.heading.value = safe_html(
            "<h3>{title}</h3><p class='stip-muted'>{span}</p>",
            title=t("agendapanel.title"),
            span=t(
                "agendapanel.span",
                first=timefmt.format_date(week.first_day),
                last=timefmt.format_date(sunday),
            ),
        )
        self.note.value = safe_html("<p class='stip-notice'>{n}</p>", n=week.note) if week.note else ""
        sections = []
        for key, entries, overdue in (
            ("agendapanel.overdue", week.overdue, True),
            ("agendapanel.this_week", week.this_week, False),
            ("agendapanel.next_week", week.next_week, False),
        ):
            if not entries and overdue:
                continue
            rows = [AgendaRow(self, entry, overdue) for entry in entries]
            self.rows.extend(rows)
            title = w.HTML(safe_html("<h4>{title}</h4>", title=t(key)))
            empty = w.HTML(safe_html("<p class='stip-muted'>{text}</p>", text=t("agendapanel.nothing")))
            sections.append(w.VBox([title, *(rows or [empty])]))
        self.body.children = tuple(sections)

    def _ics(self) -> DownloadFile | None:
        if self.screen.klas_id is None:
            return None
        with store.read() as conn:
            events = agenda_week.calendar_events(conn, self.actor, self.screen.klas_id)
        name = getattr(self.screen, "klas_name", "") or "klas"
        data = agenda.to_ics(events, t("agendapanel.ics_calendar", klas=name))
        return DownloadFile(data, f"agenda-{name}.ics", "text/calendar")
