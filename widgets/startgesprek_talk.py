"""Hold and record the startgesprek: the printable sheet, who was there, the shared goal, agreements,
the communicatieplan op maat and the family's wishes. Every field saves itself as it is typed."""

from __future__ import annotations

import ipywidgets as w

from stip import startgesprek, store
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.printing import PrintFrame
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar

WIDE = w.Layout(width="560px")
TEXTAREA = w.Layout(width="560px", height="80px")
STYLE = {"description_width": "220px"}
DATE = w.Layout(width="390px")


def choices(field: str) -> list[tuple[str, str]]:
    """Dropdown options for a choice field: "nog niet gekozen" and every value with its Dutch label."""
    keys = startgesprek.CHOICE_KEYS[field]
    return [(t("startgesprek.not_chosen"), ""), *[(t(key), value) for value, key in keys.items()]]


def heading(key: str, hint_key: str | None = None) -> w.HTML:
    hint = safe_html("<p class='stip-muted'>{h}</p>", h=t(hint_key)) if hint_key else ""
    return w.HTML(safe_html("<h4>{t}</h4>", t=t(key)) + hint)


class AfspraakRow(w.HBox):
    """One agreement: what, who, by when; created when "what" is first filled."""

    def __init__(self, panel: TalkPanel, afspraak: dict | None = None):
        super().__init__()
        self.panel = panel
        self.afspraak_id = afspraak["id"] if afspraak else None
        self.version = afspraak["version"] if afspraak else None
        fields = {
            "wat": w.Text(placeholder=t("startgesprek.afspraak_wat"), layout=w.Layout(width="300px")),
            "wie": w.Text(placeholder=t("startgesprek.afspraak_wie"), layout=w.Layout(width="160px")),
            "wanneer": w.DatePicker(layout=w.Layout(width="170px")),
        }
        tips = {
            "wat": "startgesprek.afspraak_wat",
            "wie": "startgesprek.afspraak_wie",
            "wanneer": "startgesprek.afspraak_wanneer",
        }
        for name, widget in fields.items():
            widget.tooltip = t(tips[name])
        self.form = AutoSaveForm(fields, self._save, panel.savebar, layout=w.Layout(flex_flow="row"))
        self.form.layout.flex_flow = "row"
        self.form.children = tuple(self.form.children)
        if afspraak:
            self.form.load({k: afspraak[k] for k in fields})
        remove = w.Button(
            icon="trash", tooltip=t("startgesprek.afspraak_delete"), layout=w.Layout(width="40px")
        )
        remove.on_click(self._on_delete)
        self.children = (self.form, remove)

    def _save(self, changes: dict) -> bool:
        values = self.form.values() if self.afspraak_id is None else changes
        if self.afspraak_id is None and not values["wat"].strip():
            self.panel.savebar.info(t("startgesprek.afspraak_needs_wat"))
            return False
        with store.write() as conn:
            self.afspraak_id, self.version = startgesprek.save_afspraak(
                conn,
                self.panel.actor,
                self.panel.student_id,
                self.afspraak_id,
                {**values, "conversation_id": self.panel.conversation_id},
                self.version,
            )
        return True

    @handled(savebar=lambda row: row.panel.savebar)
    def _on_delete(self, button) -> None:
        if self.afspraak_id is not None:
            with store.write() as conn:
                startgesprek.delete_afspraak(conn, self.panel.actor, self.panel.student_id, self.afspraak_id)
        self.panel.afspraken.children = tuple(c for c in self.panel.afspraken.children if c is not self)
        self.panel.savebar.saved()


class TalkPanel(w.VBox):
    """Choose a student of the class; print the sheet; record the talk."""

    def __init__(self, screen, student_id: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.actor = screen.actor
        self.wanted = student_id
        self.student_id: int | None = None
        self.conversation_id: int | None = None
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.show(self.student_id))
        self.student = w.Dropdown(description=t("startgesprek.student"), options=[], style=STYLE, layout=WIDE)
        self.student.observe(self._on_student, names="value")
        self.sheet_html = w.Button(description=t("startgesprek.sheet_html"), icon="print")
        self.sheet_pdf = DownloadButton(
            t("startgesprek.sheet_pdf"), self._sheet_pdf, savebar=self.savebar, icon="file-pdf-o"
        )
        self.class_pdf = DownloadButton(
            t("startgesprek.class_pdf"), self._class_pdf, savebar=self.savebar, icon="files-o"
        )
        self.sheet_html.on_click(self._on_sheet_html)
        self.printer = PrintFrame()
        self.body = w.VBox()
        sheets = w.HBox(
            [self.sheet_html, self.sheet_pdf, self.class_pdf, self.printer],
            layout=w.Layout(align_items="center", flex_flow="row wrap"),
        )
        self.children = (self.student, sheets, self.savebar, self.body)

    def refresh(self) -> None:
        from stip import klassen

        if self.screen.klas_id is None:
            self.student.options = []
            self.body.children = ()
            return
        with store.read() as conn:
            students = klassen.class_students(conn, self.actor, self.screen.klas_id)
        keep = self.wanted or self.student.value
        self.wanted = None
        with self.hold_trait_notifications():
            self.student.options = [
                (klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"]), s["id"])
                for s in students
            ]
            ids = [s["id"] for s in students]
            self.student.value = keep if keep in ids else (ids[0] if ids else None)
        self.show(self.student.value)

    @handled
    def _on_student(self, change) -> None:
        if change["new"] != self.student_id:
            self.show(change["new"])

    def show(self, student_id: int | None) -> None:
        if student_id != self.student_id and self.body.children:
            # Save what was typed for the student shown so far; a pending timer would store it on the next.
            rows = [row.form for row in self.afspraken.children]
            for form in (self.talk_form, self.plan_form, self.wishes_form, *rows):
                form.flush()
        self.student_id = student_id
        self.savebar.reset()
        if student_id is None:
            self.body.children = ()
            return
        try:
            with store.read() as conn:
                talk = startgesprek.get_conversation(conn, self.actor, student_id)
                family = startgesprek.family_data(conn, self.actor, [student_id])[0]
                from stip import communicatieplan

                worked_out = communicatieplan.get_plan(conn, self.actor, student_id)
        except Exception:  # e.g. removed in another page: no stale form stays on screen
            self.body.children = ()
            self.student_id = None
            raise
        self.conversation_id = talk["id"]
        self.version = talk["version"]
        self.plan_version = talk["plan"]["version"] if talk["plan"] else None
        self.guardians = family["guardians"]
        self.body.children = (
            self._talk_form(talk, family),
            self._afspraken(talk),
            self._plan_form(talk["plan"], (worked_out or {}).get("moments", [])),
            self._wishes_form(talk),
        )

    # -- the talk --------------------------------------------------------------------------------------------
    def _talk_form(self, talk: dict, family: dict) -> w.VBox:
        present = talk["present"] or {}
        fields = {
            "held_on": w.DatePicker(description=t("startgesprek.held_on"), style=STYLE, layout=DATE),
            "present_student": w.Checkbox(
                description=t("startgesprek.present_student", naam=family["roepnaam"]), indent=False
            ),
        }
        for guardian in self.guardians:
            fields[f"present_{guardian['id']}"] = w.Checkbox(
                description=t("startgesprek.present_guardian", naam=guardian["naam"]), indent=False
            )
        fields["present_tolk"] = w.Checkbox(description=t("startgesprek.present_tolk"), indent=False)
        fields["shared_goal"] = w.Textarea(
            description=t("startgesprek.shared_goal"),
            style=STYLE,
            placeholder=t("startgesprek.shared_goal_hint"),
            layout=TEXTAREA,
        )
        fields["notes"] = w.Textarea(description=t("startgesprek.notes"), style=STYLE, layout=TEXTAREA)
        self.talk_form = AutoSaveForm(fields, self._save_talk, self.savebar)
        values = {
            "held_on": talk["held_on"],
            "shared_goal": talk["shared_goal"],
            "notes": talk["notes"],
            "present_student": bool(present.get("student")),
            "present_tolk": bool(present.get("tolk")),
        }
        for guardian in self.guardians:
            values[f"present_{guardian['id']}"] = guardian["id"] in present.get("guardians", [])
        self.talk_form.load(values)
        planned = startgesprek.planned_day(talk)
        if planned is not None:  # the day of the planned time, saved with the first thing entered
            with self.talk_form.silence():
                fields["held_on"].value = planned
            self.talk_form.changes["held_on"] = planned
            self.talk_form.hint("held_on", t("startgesprek.held_on_from_slot"))
        from widgets.reflectie import terugblik_link  # "Terugblikken op dit gesprek" (Reflectie.ipynb)

        return w.VBox(
            [
                heading("startgesprek.talk_title", "startgesprek.talk_hint"),
                self.talk_form,
                terugblik_link(talk["id"], self.student_id),
            ]
        )

    def _save_talk(self, changes: dict) -> bool:
        values = {k: v for k, v in changes.items() if not k.startswith("present_")}
        if any(k.startswith("present_") for k in changes):
            current = self.talk_form.values()
            values["present"] = {
                "student": current["present_student"],
                "guardians": [g["id"] for g in self.guardians if current[f"present_{g['id']}"]],
                "tolk": current["present_tolk"],
            }
        with store.write() as conn:
            self.version = startgesprek.save_conversation(
                conn, self.actor, self.student_id, values, self.version
            )
        return True

    # -- agreements ------------------------------------------------------------------------------------------
    def _afspraken(self, talk: dict) -> w.VBox:
        self.afspraken = w.VBox([AfspraakRow(self, a) for a in talk["afspraken"]])
        columns = w.HTML(
            safe_html(
                '<div class="stip-afspraak-head"><span style="width:300px">{a}</span>'
                '<span style="width:160px">{b}</span>'
                "<span>{c}</span></div>",
                a=t("startgesprek.afspraak_wat"),
                b=t("startgesprek.afspraak_wie"),
                c=t("startgesprek.afspraak_wanneer"),
            )
        )
        add = w.Button(description=t("startgesprek.afspraak_add"), icon="plus")
        add.on_click(self._on_add_afspraak)
        return w.VBox(
            [
                heading("startgesprek.afspraken_title", "startgesprek.afspraken_hint"),
                columns,
                self.afspraken,
                add,
            ]
        )

    @handled
    def _on_add_afspraak(self, button) -> None:
        self.afspraken.children = (*self.afspraken.children, AfspraakRow(self))

    # -- communicatieplan op maat ----------------------------------------------------------------------------
    def _plan_form(self, plan: dict | None, moments: list[dict] = ()) -> w.VBox:
        fields = {
            f"vorm_{i}": w.Checkbox(description=vorm, indent=False)
            for i, vorm in enumerate(startgesprek.VORMEN)
        }
        fields["momenten"] = w.Text(
            description=t("startgesprek.momenten"),
            placeholder=t("startgesprek.momenten_hint"),
            style=STYLE,
            layout=WIDE,
        )
        fields["frequentie"] = w.Text(
            description=t("startgesprek.frequentie"),
            style=STYLE,
            layout=WIDE,
            placeholder=t("startgesprek.frequentie_hint"),
        )
        fields["initiatief"] = w.Dropdown(
            description=t("startgesprek.initiatief"),
            style=STYLE,
            layout=WIDE,
            options=choices("initiatief"),
        )
        fields["review_on"] = w.DatePicker(description=t("startgesprek.review_on"), style=STYLE, layout=DATE)
        self.plan_form = AutoSaveForm(fields, self._save_plan, self.savebar)
        if plan:
            values = {f"vorm_{i}": vorm in plan["vormen"] for i, vorm in enumerate(startgesprek.VORMEN)}
            values.update({k: plan[k] for k in ("momenten", "frequentie", "initiatief", "review_on")})
            self.plan_form.load(values)
        vormen = w.HBox(
            [fields[f"vorm_{i}"] for i in range(len(startgesprek.VORMEN))],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.plan_form.children = (
            w.HTML(safe_html("<p>{t}</p>", t=t("startgesprek.vormen"))),
            vormen,
            *self.plan_form.children[len(startgesprek.VORMEN) :],
        )
        from stip.moments import moment_label

        listed = "".join(  # the same plan, worked out with moments as data (Communicatieplan workbook)
            safe_html(
                "<li>{moment}{vorm}</li>",
                moment=moment_label(m["kind"], m["value"]),
                vorm=f" — {m['vorm']}" if m["vorm"] else "",
            )
            for m in moments
        )
        intro = safe_html("<p>{t}</p>", t=t("startgesprek.plan_moments_intro")) if moments else ""
        more = w.HTML(
            intro
            + (f"<ul>{listed}</ul>" if listed else "")
            + safe_html(
                "<p><a href='Communicatieplan.ipynb?student={id}'>{text}</a></p>",
                id=str(self.student_id),
                text=t("communicatieplan.talk_link"),
            )
        )
        return w.VBox([heading("startgesprek.plan_title", "startgesprek.plan_hint"), self.plan_form, more])

    def _save_plan(self, changes: dict) -> bool:
        values = {k: v for k, v in changes.items() if not k.startswith("vorm_")}
        if any(k.startswith("vorm_") for k in changes):
            current = self.plan_form.values()
            values["vormen"] = [v for i, v in enumerate(startgesprek.VORMEN) if current[f"vorm_{i}"]]
        with store.write() as conn:
            self.plan_version = startgesprek.save_plan(
                conn, self.actor, self.student_id, values, self.plan_version
            )
        return True

    # -- the family's wishes ---------------------------------------------------------------------------------
    def _wishes_form(self, talk: dict) -> w.VBox:
        fields = {
            "collective_info": w.Dropdown(
                description=t("startgesprek.collective_info"),
                style=STYLE,
                layout=WIDE,
                options=choices("collective_info"),
            ),
            "collective_info_when": w.Text(
                description=t("startgesprek.collective_info_when"),
                style=STYLE,
                layout=WIDE,
                placeholder=t("startgesprek.collective_info_when_hint"),
            ),
            "buddy": w.Dropdown(
                description=t("startgesprek.buddy"),
                style=STYLE,
                layout=WIDE,
                options=choices("buddy"),
            ),
        }
        self.wishes_form = AutoSaveForm(fields, self._save_wishes, self.savebar)
        self.wishes_form.load({k: talk[k] for k in fields})
        return w.VBox([heading("startgesprek.wishes_title", "startgesprek.wishes_hint"), self.wishes_form])

    def _save_wishes(self, changes: dict) -> bool:
        with store.write() as conn:
            self.version = startgesprek.save_conversation(
                conn, self.actor, self.student_id, changes, self.version
            )
        return True

    # -- sheets ----------------------------------------------------------------------------------------------
    def _families(self, ids):
        with store.read() as conn:
            return startgesprek.family_data(conn, self.actor, ids)

    @handled
    def _on_sheet_html(self, button) -> None:
        from stip import sheets

        family = self._families([self.student_id])[0]
        self.printer.print(
            sheets.sheets_html([family]), t("startgesprek.sheet_print_title", naam=family["naam"])
        )

    def _sheet_pdf(self) -> DownloadFile:
        from stip import sheets

        family = self._families([self.student_id])[0]
        return DownloadFile(
            sheets.to_pdf(sheets.sheets_html([family])),
            f"gespreksblad-{family['roepnaam']}.pdf",
            "application/pdf",
        )

    def _class_pdf(self) -> DownloadFile:
        from stip import sheets

        families = self._families([value for _label, value in self.student.options])
        return DownloadFile(
            sheets.to_pdf(sheets.sheets_html(families)),
            f"gespreksbladen-{self.screen.klas_name}.pdf",
            "application/pdf",
        )
