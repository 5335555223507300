"""Tab "Afspraken" of the Communicatieplan workbook (issue 15 §4): every agreement of the class, overdue
ones first; add one for a student, edit it, evaluate it at its date.

Each agreement is a line (who, what, by when, status; "te laat" when open past its date) with a button
that opens its form: what, who carries it (school, ouders, leerling) and who exactly, by when, status,
the conversation it came from, and the evaluation (did it help, what next, on which day). Fields save
themselves as typed; a refused field shows its message there while the others save; a version conflict
offers "Herladen".
"""

from __future__ import annotations

import ipywidgets as w

from stip import afspraken, klassen, store, timefmt
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar

__all__ = ["AfsprakenPanel", "AfspraakItem"]

STYLE = {"description_width": "160px"}
WIDE = w.Layout(width="min(560px, 100%)")
TEXTAREA = w.Layout(width="min(560px, 100%)", height="70px")
STATUS_KEYS = {
    "open": "afsprakenpanel.status_open",
    "gedaan": "afsprakenpanel.status_gedaan",
    "bijgesteld": "afsprakenpanel.status_bijgesteld",
    "niet gelukt": "afsprakenpanel.status_niet_gelukt",
}
EIGENAAR_KEYS = {
    "school": "afsprakenpanel.eigenaar_school",
    "ouders": "afsprakenpanel.eigenaar_ouders",
    "leerling": "afsprakenpanel.eigenaar_leerling",
}
GEHOLPEN_KEYS = {
    "ja": "afsprakenpanel.geholpen_ja",
    "deels": "afsprakenpanel.geholpen_deels",
    "nee": "afsprakenpanel.geholpen_nee",
}
KIND_KEYS = {
    "startgesprek": "afsprakenpanel.kind_startgesprek",
    "moeilijk": "afsprakenpanel.kind_moeilijk",
}
NO_TALK = 0  # the dropdown's "no conversation" (a Dropdown value None would show as no choice at all)


def _options(keys: dict[str, str], empty: bool = True) -> list[tuple[str, str]]:
    first = [(t("afsprakenpanel.not_chosen"), "")] if empty else []
    return [*first, *[(t(key), value) for value, key in keys.items()]]


class AfspraakItem(w.VBox):
    """One agreement: a summary line and, on request, its form (a new one starts open)."""

    def __init__(self, panel: AfsprakenPanel, row: dict | None, student_id: int, naam: str):
        super().__init__()
        self.panel = panel
        self.row = dict(row) if row else None
        self.student_id = student_id
        self.naam = naam
        self.afspraak_id = row["id"] if row else None
        self.version = row["version"] if row else None
        self.summary = w.HTML()
        self.toggle = w.Button(
            description=t("afsprakenpanel.edit"),
            icon="pencil",
            tooltip=t("afsprakenpanel.edit_tooltip", naam=naam),
        )
        self.toggle.on_click(self._on_toggle)
        self.form: AutoSaveForm | None = None
        self.detail = w.VBox()
        head = w.HBox(
            [self.summary, self.toggle], layout=w.Layout(flex_flow="row wrap", align_items="center")
        )
        self.children = (head, self.detail)
        self.add_class("stip-afspraak")
        self._render_summary()
        if row is None:
            self.open_form()

    def _render_summary(self) -> None:
        row = self.row
        if row is None:
            self.summary.value = safe_html(
                "<b>{naam}</b> · {text}", naam=self.naam, text=t("afsprakenpanel.new")
            )
            return
        late = afspraken.is_overdue(row)
        parts = [
            safe_html("<b>{naam}</b> · {wat}", naam=self.naam, wat=row["wat"]),
            safe_html(
                " · <span class='stip-muted'>{who}</span>",
                who=", ".join(
                    p
                    for p in (
                        t(EIGENAAR_KEYS[row["eigenaar"]]) if row["eigenaar"] in EIGENAAR_KEYS else "",
                        row["wie"],
                    )
                    if p
                )
                or t("afsprakenpanel.no_owner"),
            ),
            safe_html(
                " · {when}",
                when=t("afsprakenpanel.by", day=timefmt.format_date(row["wanneer"]))
                if row["wanneer"]
                else t("afsprakenpanel.no_date"),
            ),
            safe_html(
                " <span class='stip-badge'>{status}</span>",
                status=t(STATUS_KEYS.get(row["status"], "afsprakenpanel.status_open")),
            ),
        ]
        if late:
            parts.append(
                safe_html(
                    " <span class='stip-badge stip-badge--late'>{text}</span>", text=t("afsprakenpanel.late")
                )
            )
        if row.get("geholpen") in GEHOLPEN_KEYS:
            parts.append(
                safe_html(
                    " <span class='stip-badge'>{text}</span>",
                    text=t("afsprakenpanel.evaluated", geholpen=t(GEHOLPEN_KEYS[row["geholpen"]])),
                )
            )
        self.summary.value = "<span>" + "".join(parts) + "</span>"

    @handled(savebar=lambda item: item.panel.savebar)
    def _on_toggle(self, button) -> None:
        if self.detail.children:
            if self.form is not None:
                self.form.flush()
            self.detail.children = ()
            return
        self.open_form()

    def open_form(self) -> None:
        with store.read() as conn:
            talks = afspraken.conversations_of(conn, self.panel.actor, [self.student_id])[self.student_id]
        talk_options = [(t("afsprakenpanel.no_conversation"), NO_TALK)] + [
            (
                " ".join(
                    p
                    for p in (
                        t(KIND_KEYS[c["kind"]]) if c["kind"] in KIND_KEYS else c["kind"],
                        timefmt.format_date(c["held_on"]),
                    )
                    if p
                ),
                c["id"],
            )
            for c in talks
        ]
        fields = {
            "wat": w.Text(description=t("afsprakenpanel.wat"), style=STYLE, layout=WIDE),
            "eigenaar": w.Dropdown(
                description=t("afsprakenpanel.eigenaar"), options=_options(EIGENAAR_KEYS), style=STYLE
            ),
            "wie": w.Text(
                description=t("afsprakenpanel.wie"),
                placeholder=t("afsprakenpanel.wie_placeholder"),
                style=STYLE,
                layout=WIDE,
            ),
            "wanneer": w.DatePicker(description=t("afsprakenpanel.wanneer"), style=STYLE),
            "status": w.Dropdown(
                description=t("afsprakenpanel.status"),
                options=_options(STATUS_KEYS, empty=False),
                style=STYLE,
            ),
            "conversation_id": w.Dropdown(
                description=t("afsprakenpanel.conversation"), options=talk_options, style=STYLE
            ),
            "geholpen": w.Dropdown(
                description=t("afsprakenpanel.geholpen"), options=_options(GEHOLPEN_KEYS), style=STYLE
            ),
            "vervolg": w.Textarea(description=t("afsprakenpanel.vervolg"), style=STYLE, layout=TEXTAREA),
            "evaluated_on": w.DatePicker(description=t("afsprakenpanel.evaluated_on"), style=STYLE),
        }
        self.form = AutoSaveForm(fields, self._save, self.panel.savebar)
        if self.row is not None:
            values = {k: self.row[k] for k in fields}
            if values["conversation_id"] not in {c["id"] for c in talks}:
                values["conversation_id"] = NO_TALK
            self.form.load(values)
        else:
            self.form.load({"status": "open", "conversation_id": NO_TALK})
        evaluation = w.HTML(
            safe_html(
                "<h4>{title}</h4><p class='stip-muted'>{hint}</p>",
                title=t("afsprakenpanel.evaluation_title"),
                hint=t("afsprakenpanel.evaluation_hint"),
            )
        )
        rows = list(self.form.children)
        self.form.children = (*rows[:6], evaluation, *rows[6:])
        remove = w.Button(description=t("afsprakenpanel.delete"), icon="trash")
        remove.on_click(self._on_delete)
        self.detail.children = (self.form, remove)
        self.detail.add_class("stip-card")

    def _save(self, changes: dict) -> bool:
        values = self.form.values() if self.afspraak_id is None else dict(changes)
        if values.get("conversation_id") == NO_TALK:
            values["conversation_id"] = None
        if self.afspraak_id is None:
            if not (values.get("wat") or "").strip():
                self.panel.savebar.info(t("afsprakenpanel.needs_wat"))
                return False
            values = {k: v for k, v in values.items() if v not in (None, "") or k == "wat"}
        with store.write() as conn:
            self.afspraak_id, self.version = afspraken.save_afspraak(
                conn, self.panel.actor, self.student_id, self.afspraak_id, values, self.version
            )
            self.row = next(
                r
                for r in afspraken.afspraken(conn, self.panel.actor, self.student_id)
                if r["id"] == self.afspraak_id
            )
        if self.row["evaluated_on"] and not self.form.fields["evaluated_on"].value:
            with self.form.silence():
                self.form.fields["evaluated_on"].value = self.row["evaluated_on"]
        self._render_summary()
        self.panel.update_count()
        return True

    @handled(savebar=lambda item: item.panel.savebar)
    def _on_delete(self, button) -> None:
        if self.afspraak_id is not None:
            with store.write() as conn:
                afspraken.delete_afspraak(conn, self.panel.actor, self.student_id, self.afspraak_id)
        self.panel.items.children = tuple(c for c in self.panel.items.children if c is not self)
        self.panel.savebar.saved()
        self.panel.update_count()


class AfsprakenPanel(w.VBox):
    """The class's agreements (overdue first) and a way to add one for a student."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.actor = screen.actor
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.refresh())
        self.heading = w.HTML(
            safe_html(
                "<h3>{title}</h3><p class='stip-muted'>{hint}</p>",
                title=t("afsprakenpanel.title"),
                hint=t("afsprakenpanel.hint"),
            )
        )
        self.student = w.Dropdown(description=t("afsprakenpanel.student"), options=[], style=STYLE)
        self.add = w.Button(description=t("afsprakenpanel.add"), icon="plus")
        self.add.on_click(self._on_add)
        self.summary = w.HTML()
        self.items = w.VBox()
        self.names: dict[int, str] = {}
        self.children = (
            self.heading,
            w.HBox([self.student, self.add], layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.savebar,
            self.summary,
            self.items,
        )
        self.add_class("stip-afspraken")

    def refresh(self) -> None:
        for item in self.items.children:
            if item.form is not None:
                item.form.flush()
        self.savebar.reset()
        if self.screen.klas_id is None:
            self.student.options = []
            self.items.children = ()
            self.summary.value = ""
            return
        with store.read() as conn:
            students = klassen.class_students(conn, self.actor, self.screen.klas_id)
            rows = afspraken.class_afspraken(conn, self.actor, self.screen.klas_id)
        self.names = {
            s["id"]: klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"]) for s in students
        }
        self.student.options = [(name, sid) for sid, name in self.names.items()]
        wanted = self.screen.student_id
        self.student.value = wanted if wanted in self.names else next(iter(self.names), None)
        self.items.children = tuple(
            AfspraakItem(
                self,
                r,
                r["student_id"],
                klassen.full_name(r["roepnaam"], r["tussenvoegsel"], r["achternaam"]),
            )
            for r in rows
        )

        self.update_count()
        focus = getattr(self.screen, "focus_afspraak_id", None)  # "Evalueren" from the agenda
        if focus is not None:
            self.screen.focus_afspraak_id = None
            for item in self.items.children:
                if item.afspraak_id == focus:
                    item.open_form()

    def update_count(self) -> None:
        """ "3 afspraken. 1 te laat." over the stored agreements shown."""
        rows = [item.row for item in self.items.children if item.row is not None]
        late = sum(1 for r in rows if afspraken.is_overdue(r))
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t("afsprakenpanel.count", count=len(rows))
            + (" " + t("afsprakenpanel.late_count", count=late) if late else ""),
        )

    @handled
    def _on_add(self, button) -> None:
        sid = self.student.value
        if sid is None:
            return
        self.items.children = (AfspraakItem(self, None, sid, self.names[sid]), *self.items.children)
