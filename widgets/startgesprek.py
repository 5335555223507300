"""Startgesprekken: plan slots, invite families, hold and record the talk, see the progress.

The screen chooses a class (`?klas=1A`, or the first class) and holds four panels in tabs; every panel
works on that class and reads everything from the database when it is shown.
"""

from __future__ import annotations

import re
from datetime import datetime, time

import ipywidgets as w

from stip import klassen, startgesprek, store, timefmt
from stip.i18n import t
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen

TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
STYLE = {"description_width": "190px"}
FREE = 0  # the dropdown value of "no family in this slot"


def parse_time(text: str, field: str) -> time:
    match = TIME.match(text or "")
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise startgesprek.StartgesprekError("startgesprek.time_invalid", field=field, text=text)
    return time(int(match[1]), int(match[2]))


def parse_breaks(text: str) -> list[tuple[time, time]]:
    """ "19:00-19:15, 20:30-20:40" → [(19:00, 19:15), (20:30, 20:40)]."""
    breaks = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", text or ""))):
        if "-" not in part:
            raise startgesprek.StartgesprekError("startgesprek.break_invalid", field="breaks", text=part)
        start, end = part.split("-", 1)
        breaks.append((parse_time(start, "breaks"), parse_time(end, "breaks")))
    return breaks


def slot_label(start: datetime, end: datetime) -> str:
    """ "di 8-9 17:00–17:20" (Dutch weekday, whatever the server's locale)."""
    return f"{timefmt.short_day(start)} {timefmt.format_time(start)}–{timefmt.format_time(end)}"


def student_name(student: dict) -> str:
    return klassen.full_name(student["roepnaam"], student["tussenvoegsel"], student["achternaam"])


class PlanPanel(w.VBox):
    """Make slots for the class, place families by hand or automatically, download the calendar."""

    def __init__(self, screen: StartgesprekScreen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.refresh())
        self.day = w.DatePicker(
            description=t("startgesprek.day"),
            value=timefmt.today(),
            style=STYLE,
            layout=w.Layout(width="360px"),
        )
        self.start = w.Text(description=t("startgesprek.start"), value="17:00", style=STYLE)
        self.end = w.Text(description=t("startgesprek.end"), value="20:00", style=STYLE)
        self.minutes = w.BoundedIntText(
            description=t("startgesprek.minutes"), value=20, min=5, max=120, style=STYLE
        )
        self.gap = w.BoundedIntText(description=t("startgesprek.gap"), value=0, min=0, max=60, style=STYLE)
        self.breaks = w.Text(description=t("startgesprek.breaks"), placeholder="19:00-19:15", style=STYLE)
        self.location = w.Text(
            description=t("startgesprek.location"), placeholder=t("startgesprek.location_hint"), style=STYLE
        )
        add = w.Button(description=t("startgesprek.add_slots"), icon="plus", button_style="primary")
        add.on_click(self._on_add)
        self.auto = w.Button(description=t("startgesprek.auto_assign"), icon="magic")
        self.auto.on_click(self._on_auto)
        self.ics = DownloadButton(t("startgesprek.ics"), self._ics, savebar=self.savebar, icon="calendar")
        self.table = w.VBox()
        self._rows: dict[int, w.HBox] = {}  # slot id → its row, kept between refreshes
        self._quiet = False
        self._shown_klas: int | None = None
        self._names: list[tuple[str, int]] = []
        self.apart: list[str] = []  # after a refresh: families whose children come at separate times
        self.confirm = w.HBox(layout=w.Layout(align_items="center", flex_flow="row wrap"))
        self.summary = w.HTML()
        form = w.VBox(
            [
                w.HTML(
                    safe_html(
                        "<h3>{t}</h3><p class='stip-muted'>{h}</p>",
                        t=t("startgesprek.slots_title"),
                        h=t("startgesprek.slots_hint"),
                    )
                ),
                self.day,
                w.HBox([self.start, self.end]),
                w.HBox([self.minutes, self.gap]),
                self.breaks,
                self.location,
                add,
            ]
        )
        self.children = (
            form,
            self.savebar,
            self.summary,
            w.HBox([self.auto, self.ics]),
            self.confirm,
            self.table,
        )

    def refresh(self) -> None:
        """Read the class's slots and families (a fixed number of queries, whatever the class or school
        size) and update the rows in place: a row's widgets are made once per slot and kept."""
        klas_id = self.screen.klas_id
        if klas_id != self._shown_klas:  # another class: nothing of the previous one stays on screen
            self._shown_klas = klas_id
            self.savebar.reset()
            self.confirm.children = ()
            self.breaks.value = self.location.value = ""
        if klas_id is None:
            self._rows.clear()
            self.table.children = ()
            return
        actor = self.screen.actor
        with store.read() as conn:
            rows = startgesprek.slots(conn, actor, klas_id)
            students = klassen.class_students(conn, actor, klas_id)
            siblings = klassen.siblings_of(conn, actor, [s["id"] for s in students])
            sibling_slots = startgesprek.slot_spans(
                conn, actor, sorted({o["id"] for group in siblings.values() for o in group})
            )
        planned = {r["student_id"] for r in rows if r["student_id"]}
        by_id = {s["id"]: s for s in students}
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "startgesprek.plan_summary",
                slots=t("startgesprek.n_slots", count=len(rows)),
                planned=len(planned),
                families=t("startgesprek.n_families", count=len(students)),
            ),
        )
        names = self._names = [(student_name(s), s["id"]) for s in students]
        free = (t("startgesprek.free"), FREE)
        self._rows = {
            slot_id: row for slot_id, row in self._rows.items() if slot_id in {r["id"] for r in rows}
        }
        self._quiet = True
        apart: list[str] = []  # families whose children now come at two separate times
        try:
            lines = []
            for row in rows:
                line = self._rows.get(row["id"]) or self._make_row(row)
                self._rows[row["id"]] = line
                choice, _remove, notes = line.children
                options = tuple(
                    [free] + [o for o in names if o[1] not in planned or o[1] == row["student_id"]]
                )
                if tuple(choice.options) != options:
                    choice.options = options
                choice.value = row["student_id"] or FREE
                family = by_id.get(row["student_id"])
                line.family_name = student_name(family) if family else None
                notes.value = self._notes(family, siblings, sibling_slots, (row["starts_at"], row["ends_at"]))
                if family and "stip-warning" in notes.value:
                    apart.append(line.family_name)
                lines.append(line)
        finally:
            self._quiet = False
        if tuple(self.table.children) != tuple(lines):
            self.table.children = tuple(lines)
        self.apart = apart

    def _make_row(self, row) -> w.HBox:
        """The widgets of one slot: who is in it, delete, notes (sibling times, interpreter)."""
        choice = w.Dropdown(
            description=slot_label(row["starts_at"], row["ends_at"]),
            options=[],
            style={"description_width": "190px"},
            layout=w.Layout(width="480px"),
        )
        remove = w.Button(
            description="",
            icon="trash",
            tooltip=t("startgesprek.delete_slot"),
            layout=w.Layout(width="40px", min_width="40px"),
        )
        line = w.HBox([choice, remove, w.HTML()], layout=w.Layout(align_items="center"))
        line.family_name = None
        slot_id = row["id"]
        choice.observe(lambda change: self._on_choose(change, slot_id), names="value")
        remove.on_click(lambda b: self._on_delete(b, slot_id, line.family_name))
        return line

    @staticmethod
    def _notes(student, siblings, sibling_slots, own: tuple) -> str:
        """The badges of one planned slot: the interpreter's language, and each brother or sister with
        their day and time — as a warning when that talk is not right before or after this one."""
        from stip import planning

        if student is None:
            return ""
        notes = []
        if any(g["tolk_nodig"] for g in student["guardians"]):
            from stip import invitations

            languages = ", ".join(invitations.interpreter_languages(student["guardians"]))
            notes.append(
                safe_html(
                    '<span class="stip-badge stip-badge--tolk">{text}</span>',
                    text=t("startgesprek.tolk_badge_taal", taal=languages)
                    if languages
                    else t("startgesprek.tolk_badge"),
                )
            )
        for sibling in siblings.get(student["id"], []):
            span = sibling_slots.get(sibling["id"])
            text = t(
                "startgesprek.sibling_note",
                naam=f"{sibling['roepnaam']} ({sibling['klas']})",
                tijd=f"{timefmt.short_day(span[0])} {timefmt.format_time(span[0])}"
                if span
                else t("startgesprek.not_planned"),
            )
            if span and not planning.adjacent(planning.Slot(*own), planning.Slot(*span)):
                text += " — " + t("startgesprek.sibling_apart_note")
                notes.append(safe_html('<span class="stip-warning">{text}</span>', text=text))
            else:
                notes.append(safe_html('<span class="stip-muted">{text}</span>', text=text))
        return " ".join(notes)

    @handled
    def _on_add(self, button) -> None:
        from stip import planning

        if self.screen.klas_id is None:
            raise startgesprek.StartgesprekError("startgesprek.choose_klas")
        if self.day.value is None:
            raise startgesprek.StartgesprekError("startgesprek.day_missing", field="day")
        new = planning.make_slots(
            self.day.value,
            parse_time(self.start.value, "start"),
            parse_time(self.end.value, "end"),
            self.minutes.value,
            parse_breaks(self.breaks.value),
            self.gap.value,
            None,
            self.location.value.strip(),
        )
        with store.write() as conn:
            count = startgesprek.add_slots(conn, self.screen.actor, self.screen.klas_id, new)
        self.refresh()
        self.savebar.info(t("startgesprek.slots_added", count=count))

    @handled
    def _on_choose(self, change, slot_id: int) -> None:
        if self._quiet:  # the table is being updated from the store, not by the user
            return
        with store.write() as conn:
            startgesprek.place_in_slot(
                conn, self.screen.actor, slot_id, change["old"] or None, change["new"] or None
            )
            apart = (
                startgesprek.siblings_apart(conn, self.screen.actor, change["new"]) if change["new"] else []
            )
        self.refresh()
        if apart:
            self.savebar.info(
                t(
                    "startgesprek.siblings_apart",
                    naam=next((n for n, i in self._names if i == change["new"]), ""),
                    broers_zussen=", ".join(
                        f"{s['roepnaam']} ({s['klas']}, {timefmt.short_day(s['starts_at'])} "
                        f"{timefmt.format_time(s['starts_at'])})"
                        for s in apart
                    ),
                )
            )
        else:
            self.savebar.saved()

    @handled
    def _on_delete(self, button, slot_id: int, name: str | None) -> None:
        """A free slot goes at once; for a planned family ask first, and say who is unplanned."""
        if name is None:
            self._delete(slot_id, None)
            return
        yes = w.Button(description=t("startgesprek.delete_slot_yes"), button_style="danger", icon="trash")
        no = w.Button(description=t("klassen.delete_no"))
        yes.on_click(lambda _b: self._delete(slot_id, name))
        no.on_click(lambda _b: setattr(self.confirm, "children", ()))
        question = w.HTML(safe_html("<p>{q}</p>", q=t("startgesprek.delete_slot_question", naam=name)))
        self.confirm.children = (question, yes, no)

    @handled
    def _delete(self, slot_id: int, name: str | None) -> None:
        self.confirm.children = ()
        with store.write() as conn:
            startgesprek.delete_slot(conn, self.screen.actor, slot_id)
        self.refresh()
        if name:
            self.savebar.info(t("startgesprek.slot_deleted_family", naam=name))
        else:
            self.savebar.saved()

    @handled
    def _on_auto(self, button) -> None:
        with store.write() as conn:
            result = startgesprek.auto_assign(conn, self.screen.actor, self.screen.klas_id)
        self.refresh()
        parts = [t("startgesprek.auto_result", placed=t("startgesprek.n_families", count=len(result.placed)))]
        if result.siblings_adjacent:
            parts.append(t("startgesprek.auto_adjacent", count=result.siblings_adjacent))
        names = dict((i, n) for n, i in self._names)
        unplaced = [names[s] for s in result.unplaced if s in names]
        if unplaced:
            parts.append(t("startgesprek.auto_unplaced", names=", ".join(unplaced)))
        if self.apart:
            parts.append(t("startgesprek.auto_apart", names=", ".join(self.apart)))
        self.savebar.info(" ".join(parts))

    def _ics(self) -> DownloadFile:
        from stip import agenda

        with store.read() as conn:
            events = startgesprek.calendar_events(conn, self.screen.actor, self.screen.klas_id)
        return DownloadFile(
            agenda.to_ics(events, t("startgesprek.ics_calendar", klas=self.screen.klas_name)),
            f"startgesprekken-{self.screen.klas_name}.ics",
            "text/calendar",
        )


class StartgesprekScreen(Screen):
    """Class chooser above four tabs: Planning, Uitnodigen, Gesprek, Overzicht."""

    TABS = (
        "startgesprek.tab_plan",
        "startgesprek.tab_invite",
        "startgesprek.tab_talk",
        "startgesprek.tab_overview",
    )

    def build(self) -> None:
        query = self.query
        self.student_query = self.query_int("student")
        with store.read() as conn:
            infos = klassen.klassen(conn, self.actor)
            klas_of = {o["id"]: o["klas"] for o in klassen.student_options(conn, self.actor)}
        self.names = {k.id: k.name for k in infos}
        wanted = klas_of.get(self.student_query) or query.get("klas")  # ?student=N opens that student's class
        self.klas = w.Dropdown(
            description=t("klassen.klas_label"),
            options=[(k.name, k.id) for k in infos],
            value=next((k.id for k in infos if k.name == wanted), infos[0].id if infos else None),
        )
        empty = w.HTML(safe_html('<p class="stip-notice">{text}</p>', text=t("startgesprek.no_classes")))
        empty.layout.display = "none" if infos else None
        builders = (self._build_plan, self._build_invite, self._build_talk, self._build_overview)
        selected = 2 if self.student_query is not None else 0
        self.tabs = LazyTabs([t(key) for key in self.TABS], builders, selected=selected)
        self.savebar = SaveBar()  # what went wrong while switching class or tab
        self.notice = w.HTML()  # what to fill in at Instellingen before letters can go out
        self.children = (self.notice, empty, self.klas, self.savebar, self.tabs)
        self.klas.observe(self._on_klas, names="value")
        self.tabs.observe(self._on_tab, names="selected_index")
        self.show_notice()
        self.tabs.panel(selected).refresh()

    def show_notice(self) -> None:
        """The notice of what a parent would still see as a placeholder (`instellingen.missing`)."""
        from stip import instellingen
        from widgets.instellingen import missing_notice

        with store.read() as conn:
            sender = instellingen.sender_of(conn, self.actor, self.klas.value)
        self.notice.value = missing_notice(instellingen.missing(sender, self.actor))

    # Panels are built when their tab is first shown (or first used from code).
    plan = property(lambda self: self.tabs.panel(0))
    invite = property(lambda self: self.tabs.panel(1))
    talk = property(lambda self: self.tabs.panel(2))
    overview = property(lambda self: self.tabs.panel(3))

    def _build_plan(self):
        return PlanPanel(self)

    def _build_invite(self):
        from widgets.startgesprek_invite import InvitePanel

        return InvitePanel(self)

    def _build_talk(self):
        from widgets.startgesprek_talk import TalkPanel

        return TalkPanel(self, self.student_query)

    def _build_overview(self):
        from widgets.startgesprek_overview import OverviewPanel

        return OverviewPanel(self)

    @property
    def klas_id(self) -> int | None:
        return self.klas.value

    @property
    def klas_name(self) -> str:
        return self.names.get(self.klas.value, "")

    @handled
    def _on_klas(self, change) -> None:
        self.show_notice()  # another class may have other mentors
        self.tabs.panel(self.tabs.selected_index).refresh()

    @handled
    def _on_tab(self, change) -> None:
        self.tabs.panel(change["new"]).refresh()


def show_startgesprek() -> StartgesprekScreen:
    return StartgesprekScreen()
