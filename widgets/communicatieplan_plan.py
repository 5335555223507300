"""Tab "Plan per gezin": the communicatieplan op maat of one family (issue 15 §1).

Choose a student of the class; the plan starts from what the student needs, then the forms of contact,
who takes the initiative, whether the student is there, a review date and the moments as a list of rows
(typed as "na rapport 1" or chosen, each with its next date). Start from one of the five patterns
(content/nl/communicatieplan.yaml, after CPS basisvorm 2) — it asks before replacing what is there — or
from scratch. The plan of the startgesprek is this plan; its free-text moments show as "eerder
genoteerd" and can be turned into rows. Everything saves as it is typed; a stale page gets "Herladen".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from stip import communicatieplan as cp
from stip import content, moments, startgesprek, store, timefmt
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar

__all__ = ["PlanPanel", "MomentRow"]

STYLE = {"description_width": "190px"}
WIDE = w.Layout(width="100%", max_width="620px")
TEXTAREA = w.Layout(width="100%", max_width="620px", height="70px")
SHORT = {"description_width": "initial"}
NONE = 0  # dropdown value of "no student"
ERBIJ_KEYS = {
    "ja": "communicatieplan.erbij_ja",
    "nee": "communicatieplan.erbij_nee",
    "soms": "communicatieplan.erbij_soms",
}


def suggestions() -> list[str]:
    """What the moment field offers to choose (anything else can be typed)."""
    return [
        *(moments.moment_label("na_rapport", str(n)) for n in (1, 2, 3)),
        *(timefmt.MONTHS[n - 1] for n in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6)),
        moments.moment_label("juni_evaluatie", ""),
        *(moments.moment_label("interval_weken", str(n)) for n in (2, 4, 6, 8)),
    ]


def vorm_options() -> list[tuple[str, str]]:
    return [(t("communicatieplan.vorm_any"), ""), *[(v, v) for v in cp.VORMEN]]


def initiatief_options() -> list[tuple[str, str]]:
    keys = startgesprek.CHOICE_KEYS["initiatief"]
    return [(t("communicatieplan.not_chosen"), ""), *[(t(keys[v]), v) for v in cp.INITIATIEF]]


def erbij_options() -> list[tuple[str, str]]:
    return [
        (t("communicatieplan.not_chosen"), ""),
        *[(t(ERBIJ_KEYS[v]), v) for v in cp.LEERLING_ERBIJ],
    ]


class MomentRow(w.HBox):
    """One moment of the plan: typed or chosen moment, form of contact, initiative, next date, remove."""

    def __init__(self, panel: PlanPanel, moment: dict[str, Any]):
        super().__init__(layout=w.Layout(align_items="flex-start", flex_flow="row wrap"))
        self.add_class("stip-moment-row")
        self.panel = panel
        self.moment_id = moment["id"]
        self.version = moment["version"]
        label = moments.moment_label(moment["kind"], moment["value"])
        fields = {
            "moment": w.Combobox(
                value=label,
                options=suggestions(),
                ensure_option=False,
                description=t("communicatieplan.moment"),
                style={"description_width": "70px"},
                layout=w.Layout(width="260px"),
            ),
            "vorm": w.Dropdown(
                options=vorm_options(),
                value=moment["vorm"] or "",
                description=t("communicatieplan.vorm_label"),
                style=SHORT,
                layout=w.Layout(width="230px"),
            ),
            "initiatief": w.Dropdown(
                options=initiatief_options(),
                value=moment["initiatief"] if moment["initiatief"] in cp.INITIATIEF else "",
                description=t("communicatieplan.initiatief_label"),
                style=SHORT,
                layout=w.Layout(width="250px"),
            ),
        }
        fields["vorm"].tooltip = t("communicatieplan.moment_vorm")
        fields["initiatief"].tooltip = t("communicatieplan.moment_initiatief")
        self.form = AutoSaveForm(fields, self._save, panel.savebar)
        self.form.layout.flex_flow = "row wrap"
        self.dates = w.HTML(layout=w.Layout(margin="4px 8px"))
        self.remove = w.Button(
            icon="trash",
            tooltip=t("communicatieplan.moment_remove", moment=label),
            layout=w.Layout(width="40px", min_width="40px"),
        )
        self.remove.on_click(self._on_remove)
        self.children = (self.form, self.remove, self.dates)  # a long date line wraps, not the button
        self.show_dates(moment)

    def show_dates(self, moment: dict[str, Any]) -> None:
        """The next dates of this moment (at most three), or that it has none (left) this year."""
        calendar = self.panel.calendar
        if calendar is None:
            return
        today = timefmt.today()
        if moment["kind"] == "datum":
            try:
                day = date.fromisoformat(moment["value"])
            except ValueError:
                day = None
            if day is not None and day < today:
                self.dates.value = safe_html(
                    "<span class='stip-muted'>{text}</span>",
                    text=t("communicatieplan.moment_past", date=timefmt.long_date(day)),
                )
                return
            days = [day] if day else []
        else:
            anchor = cp.plan_start(self.panel.plan)
            every = moments.occurrences(moment, calendar, calendar.starts_on, calendar.ends_on, anchor=anchor)
            days = [d for d in every if d >= today]
            if every and not days:  # "na rapport 1" once report 1 is behind us
                self.dates.value = safe_html(
                    "<span class='stip-muted'>{text}</span>",
                    text=t("communicatieplan.moment_past", date=timefmt.long_date(every[-1])),
                )
                return
        if days:
            shown = ", ".join(timefmt.long_date(d) for d in days[:3]) + (" …" if len(days) > 3 else "")
            text = t("communicatieplan.moment_next", dates=shown)
        else:
            text = t("communicatieplan.moment_no_date")
        self.dates.value = safe_html("<span class='stip-muted'>{text}</span>", text=text)

    def _save(self, changes: dict[str, Any]) -> bool:
        with store.write() as conn:
            self.version = cp.save_moment(
                conn, self.panel.screen.actor, self.panel.student_id, self.moment_id, changes, self.version
            )
        moment = self.panel.moment_values(self)
        if "moment" in changes:  # show it as Stip reads it ("nov" → "november")
            label = moments.moment_label(moment["kind"], moment["value"])
            if label != self.form.fields["moment"].value:
                self.form.load({"moment": label})
        self.show_dates(moment)
        return True

    @handled(savebar=lambda self: self.panel.savebar)
    def _on_remove(self, button) -> None:
        with store.write() as conn:
            cp.delete_moment(
                conn, self.panel.screen.actor, self.panel.student_id, self.moment_id, self.version
            )
        self.panel.load_plan()
        self.panel.savebar.saved()


class PlanPanel(w.VBox):
    """The communicatieplan op maat of the student in view (`screen.student_id`)."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-communicatieplan")
        self.screen = screen
        self.calendar: moments.SchoolCalendar | None = None
        self.plan: dict[str, Any] | None = None
        self.plan_version: int | None = None
        self._quiet = False
        data = content.load("communicatieplan")
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.load_plan())
        self.student = w.Dropdown(
            description=t("communicatieplan.student"),
            options=[],
            style=STYLE,
            layout=w.Layout(width="100%", max_width="480px"),
        )
        self.student.observe(self._on_student, names="value")
        self.note = w.HTML()  # report days still Stip's defaults
        self.header = w.HTML()
        self.intro = w.HTML(safe_html("<p class='stip-muted'>{text}</p>", text=data["intro"].strip()))

        # -- patterns
        self.patterns = {p.key: p for p in cp.patterns()}
        self.pattern = w.Dropdown(
            description=t("communicatieplan.pattern"),
            options=[
                (t("communicatieplan.pattern_choose"), ""),
                *[(p.title, p.key) for p in self.patterns.values()],
            ],
            style=STYLE,
            layout=WIDE,
        )
        self.pattern.observe(self._on_pattern, names="value")
        self.pattern_info = w.HTML()
        self.fixed_date = w.DatePicker(description="", style=STYLE, layout=w.Layout(width="390px"))
        self.fixed_date.layout.display = "none"
        self.apply = w.Button(
            description=t("communicatieplan.pattern_apply"), icon="magic", button_style="primary"
        )
        self.apply.disabled = True
        self.apply.on_click(self._on_apply)
        self.confirm_text = w.HTML()
        self.confirm_yes = w.Button(description=t("communicatieplan.pattern_replace"), button_style="warning")
        self.confirm_no = w.Button(description=t("communicatieplan.pattern_keep"))
        self.confirm_yes.on_click(self._on_confirm)
        self.confirm_no.on_click(self._on_cancel)
        self.confirm = w.VBox([self.confirm_text, w.HBox([self.confirm_yes, self.confirm_no])])
        self.confirm.add_class("stip-notice")
        self.confirm.layout.display = "none"
        source = w.HTML(
            safe_html("<p class='stip-muted stip-source'>{text}</p>", text=data["source"].strip())
        )
        pattern_box = w.VBox(
            [
                w.HTML(safe_html("<h4>{text}</h4>", text=t("communicatieplan.pattern_title"))),
                self.pattern,
                self.pattern_info,
                self.fixed_date,
                self.apply,
                self.confirm,
                source,
            ]
        )

        # -- the plan's own fields
        fields: dict[str, w.ValueWidget] = {
            "behoefte": w.Textarea(
                description=t("communicatieplan.behoefte"),
                placeholder=t("communicatieplan.behoefte_hint"),
                style=STYLE,
                layout=TEXTAREA,
            )
        }
        for i, vorm in enumerate(cp.VORMEN):
            text = f"{vorm} ({data['huisbezoek_hint']})" if vorm == "huisbezoek" else vorm
            fields[f"vorm_{i}"] = w.Checkbox(
                description=text, indent=False, layout=w.Layout(width="auto", margin="2px 18px 2px 0")
            )
        fields["initiatief"] = w.Dropdown(
            description=t("communicatieplan.initiatief"),
            options=initiatief_options(),
            style=STYLE,
            layout=WIDE,
        )
        fields["leerling_erbij"] = w.Dropdown(
            description=t("communicatieplan.leerling_erbij"),
            options=erbij_options(),
            style=STYLE,
            layout=WIDE,
        )
        fields["review_on"] = w.DatePicker(
            description=t("communicatieplan.review_on"), style=STYLE, layout=w.Layout(width="390px")
        )
        fields["notes"] = w.Textarea(description=t("communicatieplan.notes"), style=STYLE, layout=TEXTAREA)
        self.form = AutoSaveForm(fields, self._save_plan, self.savebar)
        n = len(cp.VORMEN)
        vormen = w.HBox(list(self.form.children[1 : 1 + n]), layout=w.Layout(flex_flow="row wrap"))
        vormen.add_class("stip-vormen")
        self.form.children = (
            self.form.children[0],
            w.HTML(safe_html("<p>{text}</p>", text=t("communicatieplan.vormen"))),
            vormen,
            *self.form.children[1 + n :],
        )

        # -- earlier notes (the startgesprek's free text)
        self.earlier_text = w.HTML()
        self.convert = w.Button(description=t("communicatieplan.convert"), icon="list")
        self.convert.on_click(self._on_convert)
        self.earlier = w.VBox([self.earlier_text, self.convert])
        self.earlier.add_class("stip-notice")

        # -- moments
        self.moment_rows = w.VBox()
        self.new_moment = w.Combobox(
            options=suggestions(),
            ensure_option=False,
            placeholder=t("communicatieplan.moment_placeholder"),
            description=t("communicatieplan.moment_new"),
            style={"description_width": "110px"},
            layout=w.Layout(width="330px"),
        )
        self.new_vorm = w.Dropdown(
            options=vorm_options(),
            description=t("communicatieplan.vorm_label"),
            style=SHORT,
            layout=w.Layout(width="230px"),
        )
        self.new_vorm.tooltip = t("communicatieplan.moment_vorm")
        self.new_initiatief = w.Dropdown(
            options=initiatief_options(),
            description=t("communicatieplan.initiatief_label"),
            style=SHORT,
            layout=w.Layout(width="250px"),
        )
        self.new_initiatief.tooltip = t("communicatieplan.moment_initiatief")
        self.add = w.Button(description=t("communicatieplan.moment_add"), icon="plus")
        self.add.on_click(self._on_add)
        self.new_error = w.Label()
        self.new_error.add_class("stip-error")
        self.new_error.layout.display = "none"
        adder = w.HBox(
            [self.new_moment, self.new_vorm, self.new_initiatief, self.add],
            layout=w.Layout(flex_flow="row wrap"),
        )
        self.next_dates = w.HTML()
        moments_box = w.VBox(
            [
                w.HTML(
                    safe_html(
                        "<h4>{title}</h4><p class='stip-muted'>{hint}</p>",
                        title=t("communicatieplan.moments_title"),
                        hint=t("communicatieplan.moments_hint"),
                    )
                ),
                self.earlier,
                self.moment_rows,
                adder,
                self.new_error,
                self.next_dates,
            ]
        )
        self.body = w.VBox(
            [
                self.header,
                self.intro,
                pattern_box,
                w.HTML(safe_html("<h4>{text}</h4>", text=t("communicatieplan.plan_title"))),
                self.form,
                moments_box,
            ]
        )
        self.empty = w.HTML()
        self.children = (self.student, self.note, self.savebar, self.empty, self.body)

    # -- reading -------------------------------------------------------------------------------------------
    @property
    def student_id(self) -> int | None:
        return self.student.value or None

    def refresh(self) -> None:
        """Read the class's students, the calendar and the plan of the student in view (five statements,
        whatever the class or school size)."""
        actor = self.screen.actor
        with store.read() as conn:
            students = cp.class_students(conn, actor, self.screen.klas_id)
            self.calendar = moments.school_calendar(conn, actor)
        self.note.value = (
            safe_html(
                '<p class="stip-notice" role="status">{text}</p>', text=moments.defaults_note(self.calendar)
            )
            if self.calendar.reports_are_defaults
            else ""
        )
        options = [(s["naam"], s["id"]) for s in students]
        ids = {s["id"] for s in students}
        wanted = (
            self.screen.student_id if self.screen.student_id in ids else (options[0][1] if options else None)
        )
        self._quiet = True
        try:
            self.student.options = [(t("communicatieplan.no_student"), NONE)] if not options else options
            self.student.value = wanted or NONE
        finally:
            self._quiet = False
        self.screen.student_id = wanted
        self.empty.value = (
            ""
            if options
            else safe_html("<p class='stip-muted'>{text}</p>", text=t("communicatieplan.no_students"))
        )
        self.load_plan()

    def load_plan(self) -> None:
        """Show the plan of the chosen student as stored now (also "Herladen" after a conflict)."""
        self.savebar.reset()
        self.confirm.layout.display = "none"
        self.new_error.layout.display = "none"
        student_id = self.student_id
        self.body.layout.display = None if student_id else "none"
        if student_id is None:
            self.plan, self.plan_version = None, None
            return
        with store.read() as conn:
            self.plan = cp.get_plan(conn, self.screen.actor, student_id)
        plan = self.plan or {}
        self.plan_version = plan.get("version")
        values: dict[str, Any] = {
            "behoefte": plan.get("behoefte", ""),
            "initiatief": plan.get("initiatief", "") if plan.get("initiatief", "") in cp.INITIATIEF else "",
            "leerling_erbij": plan.get("leerling_erbij", "")
            if plan.get("leerling_erbij") in cp.LEERLING_ERBIJ
            else "",
            "review_on": plan.get("review_on"),
            "notes": plan.get("notes", ""),
        }
        for i, vorm in enumerate(cp.VORMEN):
            values[f"vorm_{i}"] = vorm in (plan.get("vormen") or [])
        self.form.load(values)
        name = next((label for label, value in self.student.options if value == student_id), "")
        made_from = self.patterns.get(plan.get("patroon", ""))
        self.header.value = safe_html(
            "<h3>{title}</h3><p class='stip-muted'>{state}</p>",
            title=t("communicatieplan.plan_for", naam=name),
            state=(
                t("communicatieplan.state_pattern", pattern=made_from.title)
                if made_from
                else t("communicatieplan.state_plan")
                if self.plan
                else t("communicatieplan.state_none")
            ),
        )
        self._show_earlier()
        self.moment_rows.children = tuple(MomentRow(self, m) for m in plan.get("moments", []))
        self._show_next_dates()

    def _show_earlier(self) -> None:
        plan = self.plan or {}
        momenten, frequentie = plan.get("momenten", "").strip(), plan.get("frequentie", "").strip()
        parts = []
        if momenten:
            parts.append(
                safe_html("<p><b>{label}</b> {text}</p>", label=t("communicatieplan.earlier"), text=momenten)
            )
        if frequentie:
            parts.append(
                safe_html(
                    "<p><b>{label}</b> {text}</p>",
                    label=t("communicatieplan.earlier_frequentie"),
                    text=frequentie,
                )
            )
        self.earlier_text.value = "".join(parts)
        self.earlier.layout.display = None if parts else "none"
        self.convert.layout.display = None if momenten else "none"

    def _show_next_dates(self) -> None:
        if not self.plan or not self.plan["moments"] or self.calendar is None:
            self.next_dates.value = ""
            return
        found = cp.upcoming(self.plan, self.calendar, timefmt.today())
        if not found:
            self.next_dates.value = safe_html(
                "<p class='stip-muted'>{text}</p>", text=t("communicatieplan.no_next")
            )
            return
        items = "".join(
            safe_html(
                "<li>{day} — {what}</li>",
                day=timefmt.long_date(day),
                what=" · ".join(p for p in (moments.moment_label(m["kind"], m["value"]), m["vorm"]) if p),
            )
            for day, m in found
        )
        self.next_dates.value = (
            safe_html("<p><b>{title}</b></p>", title=t("communicatieplan.next_title")) + f"<ul>{items}</ul>"
        )

    def moment_values(self, row: MomentRow) -> dict[str, Any]:
        """The moment of a row as stored now (after its save)."""
        with store.read() as conn:
            self.plan = cp.get_plan(conn, self.screen.actor, self.student_id)
        moment = next((m for m in (self.plan or {}).get("moments", []) if m["id"] == row.moment_id), None)
        self._show_next_dates()
        return moment or {"kind": "", "value": "", "vorm": "", "initiatief": "", "id": row.moment_id}

    def _known_ids(self) -> list[int]:
        return [row.moment_id for row in self.moment_rows.children]

    # -- saving --------------------------------------------------------------------------------------------
    def _save_plan(self, changes: dict[str, Any]) -> bool:
        if self.student_id is None:
            return False
        values = {k: v for k, v in changes.items() if not k.startswith("vorm_")}
        if any(k.startswith("vorm_") for k in changes):
            current = self.form.values()
            values["vormen"] = [v for i, v in enumerate(cp.VORMEN) if current[f"vorm_{i}"]]
        with store.write() as conn:
            self.plan_version = cp.save_plan(
                conn, self.screen.actor, self.student_id, values, self.plan_version
            )
        if self.plan is None:  # made now: read it once, for its start day and its moments
            with store.read() as conn:
                self.plan = cp.get_plan(conn, self.screen.actor, self.student_id)
        return True

    def _has_content(self) -> bool:
        plan = self.plan or {}
        values = self.form.values()
        return bool(
            plan.get("moments")
            or values["behoefte"].strip()
            or values["initiatief"]
            or values["leerling_erbij"]
            or values["review_on"]
            or any(values[f"vorm_{i}"] for i in range(len(cp.VORMEN)))
        )

    @handled
    def _on_student(self, change) -> None:
        if self._quiet:
            return
        self.form.flush()  # what was typed for the previous student is saved first
        self.screen.student_id = self.student_id
        self.load_plan()

    @handled
    def _on_pattern(self, change) -> None:
        chosen = self.patterns.get(change["new"])
        self.apply.disabled = chosen is None
        self.confirm.layout.display = "none"
        if chosen is None:
            self.pattern_info.value = ""
            self.fixed_date.layout.display = "none"
            return
        rows = [moments.moment_label(kind, value) for kind, value, _vorm, _who in chosen.momenten]
        self.pattern_info.value = safe_html(
            "<p class='stip-muted'>{voor}</p><p>{moments}</p>",
            voor=chosen.voor,
            moments=t("communicatieplan.pattern_moments", moments=", ".join(rows)) if rows else "",
        )
        if chosen.vaste_datum:
            self.fixed_date.description = chosen.vaste_datum.get("label", "")
            self.fixed_date.value = cp.suggested_date(chosen, self.calendar) if self.calendar else None
            self.fixed_date.layout.display = None
        else:
            self.fixed_date.layout.display = "none"

    @handled
    def _on_apply(self, button) -> None:
        if not self.pattern.value or self.student_id is None:
            return
        if self._has_content():
            count = len((self.plan or {}).get("moments", []))
            self.confirm_text.value = safe_html(
                "<p>{text}</p>", text=t("communicatieplan.pattern_confirm", count=count)
            )
            self.confirm.layout.display = None
            return
        self._apply()

    @handled
    def _on_confirm(self, button) -> None:
        self.confirm.layout.display = "none"
        self._apply()

    @handled
    def _on_cancel(self, button) -> None:
        self.confirm.layout.display = "none"

    def _apply(self) -> None:
        self.form.flush()
        key = self.pattern.value
        with store.write() as conn:
            cp.apply_pattern(
                conn,
                self.screen.actor,
                self.student_id,
                key,
                self.plan_version,
                self._known_ids(),
                fixed_date=self.fixed_date.value if self.patterns[key].vaste_datum else None,
                calendar=self.calendar,
            )
        self.load_plan()
        self.pattern.value = ""
        self.savebar.info(t("communicatieplan.pattern_applied", pattern=self.patterns[key].title))

    @handled
    def _on_add(self, button) -> None:
        if self.student_id is None:
            return
        self.new_error.layout.display = "none"
        try:
            with store.write() as conn:
                _id, created = cp.add_moment(
                    conn,
                    self.screen.actor,
                    self.student_id,
                    self.new_moment.value,
                    self.new_vorm.value,
                    self.new_initiatief.value,
                )
        except moments.MomentError as exc:
            self.new_error.value = t(exc.message_key, **exc.values)
            self.new_error.layout.display = None
            return
        if created:
            self.plan_version = 1
        pending = self.form.pending
        self.form.flush()
        with store.read() as conn:
            self.plan = cp.get_plan(conn, self.screen.actor, self.student_id)
        self.moment_rows.children = tuple(MomentRow(self, m) for m in self.plan["moments"])
        self._show_next_dates()
        self.new_moment.value = ""
        if not pending:
            self.savebar.saved()

    @handled
    def _on_convert(self, button) -> None:
        if self.student_id is None:
            return
        self.form.flush()
        with store.write() as conn:
            added, _version = cp.convert_momenten(
                conn, self.screen.actor, self.student_id, self.plan_version, self._known_ids()
            )
        self.load_plan()
        rest = (self.plan or {}).get("momenten", "").strip()
        self.savebar.info(
            t("communicatieplan.converted_rest" if rest else "communicatieplan.converted", count=added)
        )
