"""Tab "Contact vastleggen" of the Communicatieplan workbook (issue 15 §3): log a contact in seconds.

Pick any student of the school (the student picker; the screen's student when there is one), choose the
tone and type one line: the contact is stored as soon as its tone is chosen and every later change saves
itself. The day is today unless changed; the channel starts at "telefoon". A positive contact can
start from a prompt ("iets wat goed ging deze week", content `contacten.yaml` with its source). Below,
the student's latest contacts.
"""

from __future__ import annotations

import ipywidgets as w

from stip import contacten, klassen, store, timefmt
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.student_picker import StudentPicker, student_label

__all__ = ["ContactPanel", "contacts_html"]

TONE_KEYS = {
    "positief": "contactpanel.toon_positief",
    "neutraal": "contactpanel.toon_neutraal",
    "zorg": "contactpanel.toon_zorg",
}
STYLE = {"description_width": "120px"}
WIDE = w.Layout(width="min(560px, 100%)")
RECENT = 10


def contacts_html(rows: list[dict]) -> str:
    """The latest contacts as an escaped table (or a line saying there are none)."""
    if not rows:
        return safe_html("<p class='stip-muted'>{text}</p>", text=t("contactpanel.none_yet"))
    head = safe_html(
        "<tr><th scope='col'>{a}</th><th scope='col'>{b}</th>"
        "<th scope='col'>{c}</th><th scope='col'>{d}</th></tr>",
        a=t("contactpanel.happened_on"),
        b=t("contactpanel.kanaal"),
        c=t("contactpanel.toon"),
        d=t("contactpanel.regel"),
    )
    body = "".join(
        safe_html(
            "<tr><td>{a}</td><td>{b}</td><td><span class='stip-tone stip-tone--{cls}'>{c}</span></td>"
            "<td>{d}</td></tr>",
            a=timefmt.format_date(r["happened_on"]),
            b=r["kanaal"],
            cls=r["toon"],
            c=t(TONE_KEYS[r["toon"]]) if r["toon"] in TONE_KEYS else r["toon"],
            d=r["regel"],
        )
        for r in rows
    )
    return f"<table class='stip-table stip-contacts'>{head}{body}</table>"


class ContactPanel(w.VBox):
    """Student picker, the contact form that saves itself, and the student's latest contacts."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.actor = screen.actor
        self.student_id: int | None = None
        self.contact_id: int | None = None
        self.version: int | None = None
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self._reload())
        self.picker = StudentPicker()
        self.picker.select.layout.min_height = "9em"  # a few names stay visible at phone width
        self.picker.observe(self._on_student, names="value")
        self.title = w.HTML()
        fields = {
            "toon": w.ToggleButtons(
                description=t("contactpanel.toon"),
                options=[(t(key), toon) for toon, key in TONE_KEYS.items()],
                value=None,
                style=STYLE,
            ),
            "regel": w.Text(
                description=t("contactpanel.regel"),
                placeholder=t("contactpanel.regel_placeholder"),
                style=STYLE,
                layout=WIDE,
            ),
            "kanaal": w.Dropdown(
                description=t("contactpanel.kanaal"), options=list(contacten.KANALEN), style=STYLE
            ),
            "happened_on": w.DatePicker(description=t("contactpanel.happened_on"), style=STYLE),
        }
        self.form = AutoSaveForm(fields, self._save, self.savebar)
        prompts = contacten.prompts()
        self.prompt_buttons = []
        for prompt in prompts:
            button = w.Button(description=prompt["text"], tooltip=t("contactpanel.prompt_tooltip"))
            button.add_class("stip-prompt")
            button.on_click(lambda b, text=prompt["text"]: self._on_prompt(b, text))
            self.prompt_buttons.append(button)
        source = prompts[0]["source"] if prompts else ""
        self.prompts = w.VBox(
            [
                w.HTML(safe_html("<b>{text}</b>", text=t("contactpanel.prompts_title"))),
                w.HBox(self.prompt_buttons, layout=w.Layout(flex_flow="row wrap")),
                w.HTML(safe_html("<p class='stip-muted stip-source'>{text}</p>", text=source)),
            ]
        )
        self.another = w.Button(description=t("contactpanel.another"), icon="plus")
        self.another.on_click(self._on_another)
        self.last = w.HTML()
        self.recent = w.HTML()
        self.body = w.VBox()
        self.children = (self.picker, self.savebar, self.body)
        self.add_class("stip-contact")

    def refresh(self) -> None:
        with store.read() as conn:
            options = klassen.student_options(conn, self.actor)
        self.picker.options = options
        wanted = self.screen.student_id
        ids = {o["id"] for o in options}
        if wanted in ids and wanted != self.picker.value:
            self.picker.value = wanted  # `_on_student` shows it
        elif self.picker.value is not None and self.picker.value in ids:
            self.show(self.picker.value)
        else:
            self.show(None)

    @handled
    def _on_student(self, change) -> None:
        if change["new"] != self.student_id:
            self.show(change["new"])

    def _new_contact(self) -> None:
        self.contact_id = None
        self.version = None
        self.form.load({"toon": None, "regel": "", "kanaal": "telefoon", "happened_on": timefmt.today()})

    def show(self, student_id: int | None) -> None:
        if self.student_id is not None and student_id != self.student_id:
            self.form.flush()  # what was typed belongs to the student shown so far
        self.savebar.reset()
        self.student_id = student_id
        if student_id is None:
            self.body.children = (
                w.HTML(safe_html("<p class='stip-muted'>{t}</p>", t=t("contactpanel.pick"))),
            )
            return
        self.screen.student_id = student_id
        student = next((o for o in self.picker.options if o["id"] == student_id), {})
        self.title.value = safe_html(
            "<h3>{text}</h3>", text=t("contactpanel.title", naam=student_label(student) if student else "")
        )
        self._new_contact()
        self._show_contacts()
        self.body.children = (self.title, self.form, self.prompts, self.another, self.last, self.recent)

    def _reload(self) -> None:
        """After a version conflict: the contact being edited as it is stored now (another page changed
        it), or a fresh form when it is gone."""
        if self.contact_id is None or self.student_id is None:
            self.show(self.student_id)
            return
        with store.read() as conn:
            found = contacten.contact(conn, self.actor, self.student_id, self.contact_id)
        if found is None:
            self._new_contact()
        else:
            self.version = found["version"]
            self.form.load({k: found[k] for k in ("toon", "regel", "kanaal", "happened_on")})
        self._show_contacts()

    def _show_contacts(self) -> None:
        with store.read() as conn:
            rows = contacten.contacts(conn, self.actor, self.student_id, limit=RECENT)
        self.recent.value = safe_html("<h4>{t}</h4>", t=t("contactpanel.recent")) + contacts_html(rows)
        last = rows[0] if rows else None
        self.last.value = (
            safe_html(
                "<p>{text}</p>",
                text=t(
                    "contactpanel.last",
                    day=timefmt.format_date(last["happened_on"]),
                    kanaal=last["kanaal"],
                    toon=t(TONE_KEYS[last["toon"]]) if last["toon"] in TONE_KEYS else last["toon"],
                ),
            )
            if last
            else ""
        )

    def _save(self, changes: dict) -> bool:
        if self.student_id is None:
            return False
        if self.contact_id is None:
            values = self.form.values()
            if "regel" not in changes:  # refused at its field (e.g. a prompt's dots): the rest is stored
                values["regel"] = ""
            if not values["toon"]:
                self.savebar.info(t("contactpanel.choose_tone"))
                return False
            if values["happened_on"] is None:
                values.pop("happened_on")  # today
            with store.write() as conn:
                self.contact_id, self.version = contacten.log_contact(
                    conn, self.actor, self.student_id, values
                )
        else:
            with store.write() as conn:
                self.version = contacten.save_contact(
                    conn, self.actor, self.student_id, self.contact_id, changes, self.version
                )
        self._show_contacts()
        return True

    @handled
    def _on_prompt(self, button, text: str) -> None:
        """Start a positive contact from a prompt: the tone is set and the line begins with the prompt."""
        fields = self.form.fields
        fields["regel"].value = text
        if fields["toon"].value != "positief":
            fields["toon"].value = "positief"

    @handled
    def _on_another(self, button) -> None:
        self.form.flush()
        self._new_contact()
        self.savebar.reset()
