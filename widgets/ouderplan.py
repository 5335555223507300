"""Ouderplan: the team's plan for involving parents, per school year (issue 17 §5).

Priorities (taken from a study day's chosen statements — most dot-votes first — or typed) each with one
or more activities; every field saves as it is typed (`AutoSaveForm`), two pages never overwrite each
other (a version conflict offers "Herladen"). A priority that came from a study day shows the team-scan
figures behind it: the statement, the mean and the distribution chart. Export: print view, PDF and XLSX,
each one click. The second tab compares the plan's study day with its earlier rounds
(`widgets.teamscan_rounds.RoundsPanel`) and shows what came of last round's activities.

`Ouderplan.ipynb?jaar=N` opens the plan of school year N, `?sessie=N` offers that study day first.
"""

from __future__ import annotations

import ipywidgets as w

from stip import ouderplan, store
from stip import ouderplan_document as document
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.printing import PrintFrame
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen

__all__ = ["OuderplanScreen", "show_ouderplan"]

MULTILINE = ("wat", "doel_leerlingen", "doel_ouders", "evaluatie_hoe", "nodig", "evaluatie")
WIDE = w.Layout(width="100%", max_width="760px")


def _field(name: str) -> w.ValueWidget:
    label = t(document.FIELD_KEYS[name])
    widget = (w.Textarea if name in MULTILINE else w.Text)(description=label, layout=WIDE)
    widget.style = {"description_width": "initial"}
    widget.add_class("stip-ouderplan__field")
    return widget


def _confirming(button: w.Button, label_key: str) -> bool:
    """First click asks "Zeker weten?", the second goes ahead (True)."""
    if button.button_style != "danger":
        button.description = t(label_key)
        button.button_style = "danger"
        return False
    return True


class ActivityCard(w.VBox):
    """One activity: its nine fields, saved as typed; remove after a second click."""

    def __init__(self, screen: OuderplanScreen, number: int, activity: dict):
        super().__init__()
        self.screen = screen
        self.activity_id = activity["id"]
        self.version = activity["version"]
        self.heading = w.HTML(
            safe_html('<h4 class="stip-ouderplan__activity-title">{text}</h4>', text=self._title(number))
        )
        fields = {name: _field(name) for name in ouderplan.ACTIVITY_FIELDS}
        self.form = AutoSaveForm(fields, self._save, screen.savebar)
        self.form.load({name: activity[name] for name in fields})
        self.remove = w.Button(description=t("ouderplan.remove_activity"), icon="trash")
        self.remove.layout.width = "auto"
        self.remove.on_click(self._on_remove)
        self.children = (self.heading, self.form, self.remove)
        self.add_class("stip-ouderplan__activity")

    def _title(self, number: int) -> str:
        return t("ouderplan.activity_heading", number=number)

    def _save(self, changes: dict) -> bool:
        with store.write() as conn:
            self.version = ouderplan.save_activity(
                conn, self.screen.actor, self.activity_id, changes, self.version
            )
        return True

    @handled(savebar=lambda card: card.screen.savebar)
    def _on_remove(self, _button) -> None:
        if not _confirming(self.remove, "ouderplan.remove_activity_confirm"):
            return
        self.form._debouncer.cancel()
        self.form._debouncer.pending = False
        with store.write() as conn:
            ouderplan.delete_activity(conn, self.screen.actor, self.activity_id)
        self.screen.refresh(message=t("ouderplan.activity_removed"))


class PriorityCard(w.VBox):
    """One priority: its title, the team-scan figures behind it, its activities and their buttons."""

    def __init__(self, screen: OuderplanScreen, number: int, priority: dict, figure: dict | None, last: bool):
        super().__init__()
        self.screen = screen
        self.priority_id = priority["id"]
        self.version = priority["version"]
        title = w.Textarea(description=t("ouderplan.priority_label", number=number), rows=2, layout=WIDE)
        title.style = {"description_width": "initial"}
        title.add_class("stip-ouderplan__field")
        self.form = AutoSaveForm({"titel": title}, self._save, screen.savebar)
        self.form.load({"titel": priority["titel"]})
        children: list[w.Widget] = [self.form]
        if figure:
            children.append(
                w.HTML(
                    safe_html(
                        '<p class="stip-muted">{source} · {summary}</p>',
                        source=document.source_line(figure),
                        summary=document.figure_summary(figure),
                    )
                )
            )
            svg = document.item_chart(figure)
            if svg:  # a laptop shows the wide form, a phone the narrow one (stip.css)
                narrow = document.item_chart(figure, narrow=True)
                wide = f'<div class="stip-chart-wide">{svg}</div>'
                children.append(w.HTML(f'{wide}<div class="stip-chart-narrow">{narrow}</div>'))
            later = document.later_line(figure)
            if later:  # the scan was held again: how this statement came out there
                children.append(w.HTML(safe_html('<p class="stip-ouderplan__later">{text}</p>', text=later)))
        self.activities = [
            ActivityCard(screen, index, activity)
            for index, activity in enumerate(priority["activities"], start=1)
        ]
        if not self.activities:
            children.append(
                w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("ouderplan.no_activities")))
            )
        children.extend(self.activities)
        self.add = w.Button(description=t("ouderplan.add_activity"), icon="plus", button_style="primary")
        self.up = w.Button(description=t("ouderplan.move_up"), icon="arrow-up", disabled=number == 1)
        self.down = w.Button(description=t("ouderplan.move_down"), icon="arrow-down", disabled=last)
        self.remove = w.Button(description=t("ouderplan.remove_priority"), icon="trash")
        for button in (self.add, self.up, self.down, self.remove):
            button.layout.width = "auto"
        self.add.on_click(self._on_add)
        self.up.on_click(self._on_up)
        self.down.on_click(self._on_down)
        self.remove.on_click(self._on_remove)
        buttons = w.HBox([self.add, self.up, self.down, self.remove])
        buttons.add_class("stip-ouderplan__buttons")
        children.append(buttons)
        self.children = tuple(children)
        self.add_class("stip-ouderplan__priority")

    def forms(self) -> list[AutoSaveForm]:
        return [self.form, *(card.form for card in self.activities)]

    def _save(self, changes: dict) -> bool:
        with store.write() as conn:
            self.version = ouderplan.save_priority(
                conn, self.screen.actor, self.priority_id, changes, self.version
            )
        return True

    @handled(savebar=lambda card: card.screen.savebar)
    def _on_add(self, _button) -> None:
        self.screen.flush()
        with store.write() as conn:
            ouderplan.add_activity(conn, self.screen.actor, self.priority_id)
        self.screen.refresh(message=t("ouderplan.activity_added"))

    @handled(savebar=lambda card: card.screen.savebar)
    def _on_up(self, _button) -> None:
        self._move(-1)

    @handled(savebar=lambda card: card.screen.savebar)
    def _on_down(self, _button) -> None:
        self._move(1)

    def _move(self, step: int) -> None:
        self.screen.flush()
        with store.write() as conn:
            ouderplan.move_priority(conn, self.screen.actor, self.priority_id, step)
        self.screen.refresh()

    @handled(savebar=lambda card: card.screen.savebar)
    def _on_remove(self, _button) -> None:
        if not _confirming(self.remove, "ouderplan.remove_priority_confirm"):
            return
        for form in self.forms():
            form._debouncer.cancel()
            form._debouncer.pending = False
        with store.write() as conn:
            ouderplan.delete_priority(conn, self.screen.actor, self.priority_id)
        self.screen.refresh(message=t("ouderplan.priority_removed"))


class OuderplanScreen(Screen):
    """The plan of one school year, its exports, and the comparison with earlier rounds."""

    def build(self) -> None:
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.refresh())
        self.cards: list[PriorityCard] = []
        with store.read() as conn:
            years = ouderplan.school_years(conn, self.actor)
            self.sessions = self._sessions(conn)
        wanted = self.query_int("jaar")
        ids = [year["id"] for year in years]
        self.year = w.Dropdown(
            description=t("ouderplan.school_year"),
            options=[(year["name"], year["id"]) for year in years],
            value=wanted if wanted in ids else self.actor.school_year_id,
            style={"description_width": "initial"},
        )
        self.year.observe(self._on_year, names="value")
        self.tabs = LazyTabs(
            [t("ouderplan.tab_plan"), t("rounds.tab")], [self._plan_panel, self._rounds_panel]
        )
        self.children = (self.year, self.savebar, self.tabs)

    def _sessions(self, conn) -> list[dict]:
        from stip import live

        return live.sessions(conn, self.actor, kind="teamscan")

    # -- the plan ----------------------------------------------------------------------------------------
    def _plan_panel(self) -> w.Widget:
        options = [(t("ouderplan.choose_session"), None)] + [
            (self._session_label(s), s["id"]) for s in self.sessions
        ]
        wanted = self.query_int("sessie")
        self.session = w.Dropdown(
            description=t("ouderplan.from_session"),
            options=options,
            # the study day asked for, else the newest (taking its items twice adds nothing)
            value=wanted if wanted in {s["id"] for s in self.sessions} else self._newest_session(),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="520px"),
        )
        self.take = w.Button(description=t("ouderplan.take_priorities"), icon="download")
        self.take.layout.width = "auto"
        self.take.on_click(self._on_take)
        taking = w.HBox([self.session, self.take])
        taking.add_class("stip-ouderplan__buttons")
        if not self.sessions:
            taking = w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("ouderplan.no_sessions")))
        self.new_title = w.Text(
            description=t("ouderplan.new_priority"),
            placeholder=t("ouderplan.new_priority_hint"),
            style={"description_width": "initial"},
            layout=w.Layout(width="100%", max_width="520px"),
        )
        self.new_title.add_class("stip-ouderplan__field")
        self.add = w.Button(description=t("ouderplan.add_priority"), icon="plus")
        self.add.layout.width = "auto"
        self.add.layout.align_self = "flex-end"  # beside the field, not its label above it (review: aligned)
        self.add.on_click(self._on_add)
        adding = w.HBox([self.new_title, self.add])
        adding.add_class("stip-ouderplan__buttons")
        self.list = w.VBox()
        self.printer = PrintFrame()
        self.print_button = w.Button(description=t("ouderplan.print"), icon="print")
        self.print_button.layout.width = "auto"
        self.print_button.on_click(self._on_print)
        self.pdf = DownloadButton(t("ouderplan.pdf"), self._pdf, savebar=self.savebar, icon="file-pdf-o")
        self.xlsx = DownloadButton(t("ouderplan.xlsx"), self._xlsx, savebar=self.savebar, icon="file-excel-o")
        exports = w.HBox([self.print_button, self.pdf, self.xlsx, self.printer])
        exports.add_class("stip-ouderplan__buttons")
        self.refresh()
        return w.VBox([taking, self.list, adding, exports])

    def _newest_session(self) -> int | None:
        return self.sessions[0]["id"] if self.sessions else None

    def _session_label(self, session: dict) -> str:
        from stip import timefmt

        day = timefmt.format_date(session["held_on"]) if session.get("held_on") else ""
        return f"{session['naam']} ({day})" if day else session["naam"]

    def flush(self) -> None:
        """Store what is still being typed (before the list is rebuilt)."""
        for card in self.cards:
            for form in card.forms():
                form.flush()

    def refresh(self, message: str | None = None) -> None:
        with store.read() as conn:
            plan = ouderplan.priorities(conn, self.actor, self.year.value)
            figures = ouderplan.figures(conn, plan)
        self.plan = plan
        self.cards = [
            PriorityCard(self, number, priority, figures.get(priority["id"]), number == len(plan))
            for number, priority in enumerate(plan, start=1)
        ]
        if self.cards:
            self.list.children = tuple(self.cards)
        else:
            self.list.children = (
                w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("ouderplan.empty_plan"))),
            )
        if message:
            self.savebar.info(message)
        else:
            self.savebar.reset()
        tabs = getattr(self, "tabs", None)  # None while the tabs build their first panel
        if tabs is not None and tabs.is_built(1):
            self.rounds_box.children = (self._rounds_content(),)

    @handled
    def _on_year(self, _change) -> None:
        if self.tabs.is_built(0):
            self.flush()
            self.refresh()

    @handled
    def _on_take(self, _button) -> None:
        if self.session.value is None:
            self.savebar.error(t("ouderplan.choose_session_first"))
            return
        self.flush()
        with store.write() as conn:
            before = len(ouderplan.priorities(conn, self.actor, self.year.value))
            taken = ouderplan.priorities_from_session(
                conn, self.actor, self.session.value, school_year_id=self.year.value
            )
            added = len(ouderplan.priorities(conn, self.actor, self.year.value)) - before
        if not taken:  # nothing was marked on that study day
            self.savebar.info(t("ouderplan.nothing_marked"))
            return
        self.refresh(message=t("ouderplan.taken", count=added))

    @handled
    def _on_add(self, _button) -> None:
        self.flush()
        with store.write() as conn:
            ouderplan.add_priority(conn, self.actor, self.new_title.value, school_year_id=self.year.value)
        self.new_title.value = ""
        self.refresh(message=t("ouderplan.priority_added"))

    def _data(self) -> dict:
        self.flush()
        with store.read() as conn:
            return ouderplan.document_data(conn, self.actor, self.year.value)

    @handled
    def _on_print(self, _button) -> None:
        data = self._data()
        self.printer.print(
            document.document_html(data), t("ouderplan.document_title", jaar=data["school_year"])
        )

    def _pdf(self) -> DownloadFile:
        data = self._data()
        return DownloadFile(document.document_pdf(data), document.filename(data, "pdf"), "application/pdf")

    def _xlsx(self) -> DownloadFile:
        data = self._data()
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return DownloadFile(document.document_xlsx(data), document.filename(data, "xlsx"), mime)

    # -- next round ----------------------------------------------------------------------------------------
    def _rounds_panel(self) -> w.Widget:
        self.rounds_box = w.VBox([self._rounds_content()])
        return self.rounds_box

    def _rounds_content(self) -> w.Widget:
        """The comparison for the plan's study day (the newest session its priorities came from; else
        the newest team scan)."""
        from widgets.teamscan_rounds import RoundsPanel

        with store.read() as conn:
            plan = ouderplan.priorities(conn, self.actor, self.year.value)
        linked = {p["session_id"] for p in plan if p["session_id"] is not None}
        chosen = next((s["id"] for s in self.sessions if s["id"] in linked), None)
        if chosen is None and self.sessions:
            chosen = self.sessions[0]["id"]
        later = {s.get("previous_id"): s["id"] for s in reversed(self.sessions)}  # newest wins
        seen = {chosen}
        while later.get(chosen) is not None and later[chosen] not in seen:  # the next rounds of it
            chosen = later[chosen]
            seen.add(chosen)
        if chosen is None:
            return w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("ouderplan.no_sessions")))
        return RoundsPanel(chosen, actor=self.actor)


def show_ouderplan() -> OuderplanScreen:
    return OuderplanScreen()
