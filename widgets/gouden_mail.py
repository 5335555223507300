"""Gouden mail: per student a message that starts with something that genuinely goes well, plus two or
three preparation questions for parents and student; every student of the class with its state."""

from __future__ import annotations

from contextlib import contextmanager
from functools import partial

import ipywidgets as w

from stip import content, gouden_mail, instellingen, klassen, startgesprek, store, timefmt
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.clipboard import CopyButton
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyAccordion
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen
from widgets.instellingen import missing_notice, refusal

STATE_KEYS = {
    "": "gouden_mail.state_none",
    "concept": "gouden_mail.state_concept",
    "klaar": "gouden_mail.state_klaar",
    "verstuurd": "gouden_mail.state_verstuurd",
}
CATEGORY_KEYS = {
    "welbevinden": "gouden_mail.category_welbevinden",
    "thuis": "gouden_mail.category_thuis",
    "wensen": "gouden_mail.category_wensen",
    "trots": "gouden_mail.category_trots",
}
AUDIENCE_KEYS = {"ouders": "gouden_mail.for_ouders", "leerling": "gouden_mail.for_leerling"}


def class_table(states: list[dict]) -> str:
    rows = "".join(
        safe_html(
            '<tr><td><a href="Gouden_mail.ipynb?student={id}">{naam}</a></td><td>{state}</td></tr>',
            id=s["id"],
            naam=klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"]),
            state=t(STATE_KEYS[s["gouden_mail"]]),
        )
        for s in states
    )
    head = safe_html(
        "<tr><th scope='col'>{a}</th><th scope='col'>{b}</th></tr>",
        a=t("klassen.col_student"),
        b=t("gouden_mail.col_state"),
    )
    return f'<table class="stip-table"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def student_option(state: dict) -> str:
    """ "Yousef Alkhatib — concept" for the student dropdown."""
    name = klassen.full_name(state["roepnaam"], state["tussenvoegsel"], state["achternaam"])
    return f"{name} — {t(STATE_KEYS[state['gouden_mail']])}"


class GoudenMailScreen(Screen):
    """Class and its states on top; one student's gouden mail below."""

    def build(self) -> None:
        query = self.query
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.show(self.student_id))
        wanted = self.query_int("student")
        with store.read() as conn:
            infos = klassen.klassen(conn, self.actor)
            options = klassen.student_options(conn, self.actor)
        klas_of = {o["id"]: o["klas"] for o in options}
        names = {k.name: k.id for k in infos}
        first = names.get(
            query.get("klas", ""), names.get(klas_of.get(wanted), infos[0].id if infos else None)
        )
        self.klas = w.Dropdown(
            description=t("klassen.klas_label"), options=[(k.name, k.id) for k in infos], value=first
        )
        self.table = w.HTML()
        self.summary = w.HTML()
        self.whole_class = w.Accordion(
            children=(self.table,), titles=(t("gouden_mail.whole_class"),), selected_index=None
        )
        self.student = w.Dropdown(
            description=t("startgesprek.student"), options=[], layout=w.Layout(width="420px")
        )
        self.body = w.VBox()
        self.student_id: int | None = None
        empty = w.HTML(safe_html('<p class="stip-notice">{text}</p>', text=t("startgesprek.no_classes")))
        empty.layout.display = "none" if infos else None
        self.notice = w.HTML()  # what to fill in at Instellingen before a mail can go out
        self.children = (
            self.notice,
            empty,
            self.klas,
            self.summary,
            self.whole_class,
            self.student,
            self.savebar,
            self.body,
        )
        self.klas.observe(self._on_klas, names="value")
        self.student.observe(self._on_student, names="value")
        self.wanted = wanted
        self.refresh()

    def refresh(self) -> None:
        with store.read() as conn:
            sender = instellingen.sender_of(conn, self.actor, self.klas.value)
        self.notice.value = missing_notice(instellingen.missing(sender, self.actor))
        if self.klas.value is None:
            return
        with store.read() as conn:
            states = gouden_mail.class_states(conn, self.actor, self.klas.value)
        self.show_states(states)
        keep = self.wanted or self.student.value
        self.wanted = None
        ids = [s["id"] for s in states]
        with self.hold_trait_notifications(), self._quiet():
            self.student.options = [(student_option(s), s["id"]) for s in states]
            self.student.value = keep if keep in ids else (ids[0] if ids else None)
        if self.student.value != self.student_id:
            self.show(self.student.value)

    def show_states(self, states: list[dict]) -> None:
        self.table.value = class_table(states)
        counts = {key: sum(s["gouden_mail"] == key for s in states) for key in STATE_KEYS}
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "gouden_mail.class_summary",
                sent=counts["verstuurd"],
                ready=counts["klaar"],
                concept=counts["concept"],
                none=counts[""],
                total=len(states),
            ),
        )

    @handled
    def _on_klas(self, change) -> None:
        self.refresh()

    @contextmanager
    def _quiet(self):
        """Replacing the dropdown's options must not switch the student on screen."""
        self._replacing = True
        try:
            yield
        finally:
            self._replacing = False

    @handled
    def _on_student(self, change) -> None:
        if getattr(self, "_replacing", False):
            return
        if change["new"] != self.student_id:
            self.show(change["new"])

    def show(self, student_id: int | None) -> None:
        if student_id != self.student_id and self.body.children:
            self.form.flush()  # what was typed belongs to the student shown so far, not to the next one
        self.student_id = student_id
        self.savebar.reset()
        if student_id is None:
            self.body.children = ()
            return
        try:
            with store.read() as conn:
                self.record = gouden_mail.get(conn, self.actor, student_id)
                self.family = startgesprek.family_data(conn, self.actor, [student_id])[0]
        except Exception:  # e.g. removed in another page: no stale form stays on screen
            self.body.children = ()
            self.student_id = None
            raise
        self.version = self.record["version"] if self.record else None
        section = content.load("startgesprek")["gouden_mail"]
        prompts = "".join(safe_html("<li>{p}</li>", p=p) for p in section["prompts"])
        help_box = w.HTML(
            safe_html('<div class="stip-card"><strong>{title}</strong>', title=t("gouden_mail.prompts"))
            + f"<ul>{prompts}</ul></div>"
        )
        fields = {
            "positief": w.Textarea(
                description=t("gouden_mail.positief"),
                placeholder=t("gouden_mail.positief_hint", roepnaam=self.family["roepnaam"]),
                layout=w.Layout(width="640px", height="110px"),
                style={"description_width": "150px"},
            )
        }
        self.chosen = set(self.record["vragen"]) if self.record else set()
        self.question_boxes: dict[str, w.Checkbox] = {}
        self.questions_message = w.HTML()  # "choose at least one question", under the questions
        # Each question group is built when it is opened: 40 checkboxes at once made the page heavy.
        self.questions = LazyAccordion(
            [t(key) for key in CATEGORY_KEYS.values()],
            [partial(self._question_group, category) for category in CATEGORY_KEYS],
        )
        self.form = AutoSaveForm(fields, self._save, self.savebar)
        self.form.load({"positief": self.record["positief"] if self.record else ""})
        self.form.children = (
            *self.form.children,
            w.HTML(
                safe_html(
                    "<h4>{t}</h4><p class='stip-muted'>{h}</p>",
                    t=t("gouden_mail.questions"),
                    h=t("gouden_mail.questions_hint"),
                )
            ),
            self.questions,
            self.questions_message,
        )
        self.separate = w.HTML()
        self.preview = w.Textarea(disabled=True, layout=w.Layout(width="640px", height="300px"))
        self.copy = CopyButton(t("startgesprek.copy"), t("startgesprek.copied"))
        eml = DownloadButton(t("startgesprek.download_eml"), self._eml, savebar=self.savebar, icon="envelope")
        ready = w.Button(description=t("gouden_mail.mark_klaar"), icon="check")
        sent = w.Button(
            description=t("gouden_mail.mark_verstuurd"), icon="paper-plane", button_style="success"
        )
        self.sent_button = sent
        ready.on_click(lambda b: self._on_status(b, "klaar"))
        sent.on_click(lambda b: self._on_status(b, "verstuurd"))
        undo = w.Button(description=t("gouden_mail.undo_sent"), icon="undo")
        undo.on_click(self._on_undo)
        undo.layout.display = None if self.record and self.record["status"] == "verstuurd" else "none"
        self.undo = undo
        self.state = w.HTML()
        self.body.children = (
            help_box,
            self.form,
            w.HTML(safe_html("<h4>{t}</h4>", t=t("gouden_mail.preview"))),
            self.separate,
            self.preview,
            w.HBox([self.copy, eml], layout=w.Layout(align_items="center")),
            self.state,
            w.HBox([ready, sent, undo]),
        )
        self._show_preview()

    def _question_group(self, category: str) -> w.HBox:
        """The questions of one category, for the parents and for the student, side by side."""
        columns = []
        for audience, audience_key in AUDIENCE_KEYS.items():
            boxes = []
            for q in gouden_mail.question_bank():
                if q["category"] == category and q["audience"] == audience:
                    box = w.Checkbox(
                        description=q["text"],
                        indent=False,
                        value=q["id"] in self.chosen,
                        layout=w.Layout(width="auto"),
                    )
                    box.observe(partial(self._on_question, q["id"]), names="value")
                    self.question_boxes[q["id"]] = box
                    boxes.append(box)
            header = w.HTML(safe_html("<em>{a}</em>", a=t(audience_key)))
            columns.append(w.VBox([header, *boxes], layout=w.Layout(width="50%")))
        return w.HBox(columns)

    def question(self, question_id: str) -> w.Checkbox:
        """The checkbox of one question (its group is opened when needed)."""
        category = next(q["category"] for q in gouden_mail.question_bank() if q["id"] == question_id)
        self.questions.panel(list(CATEGORY_KEYS).index(category))
        return self.question_boxes[question_id]

    @handled
    def _on_question(self, question_id: str, change) -> None:
        (self.chosen.add if change["new"] else self.chosen.discard)(question_id)
        order = [q["id"] for q in gouden_mail.question_bank()]
        self._save({"vragen": sorted(self.chosen, key=order.index)})
        self.savebar.saved()

    def _save(self, changes: dict) -> bool:
        values = {k: v for k, v in changes.items() if k in ("positief", "vragen")}
        with store.write() as conn:
            self.version = gouden_mail.save(conn, self.actor, self.student_id, values, self.version)
            self.record = gouden_mail.get(conn, self.actor, self.student_id)
        self._show_preview()
        return True

    def _mails(self) -> list[dict]:
        return gouden_mail.render(self.family, self.record, t("startgesprek.to_plan"))

    def _show_preview(self) -> None:
        mails = self._mails()
        separate = safe_html(
            '<p class="stip-muted">{text}</p>', text=t("gouden_mail.separate", count=len(mails))
        )
        self.separate.value = separate if len(mails) > 1 else ""
        if not (self.record or {}).get("vragen"):  # said beside the mail, never in it
            self.separate.value += safe_html(
                '<p class="stip-muted">{text}</p>', text=t("gouden_mail.no_questions")
            )
        self.preview.value = "\n\n---\n\n".join(f"{m['subject']}\n\n{m['body']}" for m in mails)
        found = instellingen.missing(self.family, self.actor)  # no placeholder leaves for the parents
        text = "\n\n---\n\n".join(m["body"] for m in mails)
        incomplete = self._incomplete()
        if self.record and self.record.get("vragen"):
            self.questions_message.value = ""
        if found or incomplete:
            self.copy.refuse(refusal(found) if found else t(incomplete.message_key))
        else:
            self.copy.set_text(text)
        status = self.record["status"] if self.record else ""
        state = t(STATE_KEYS[status])
        if status == "verstuurd" and self.record.get("sent_at"):
            state = t("gouden_mail.sent_on", date=timefmt.format_date(self.record["sent_at"]))
        self.state.value = safe_html(
            "<p>{a} <strong>{b}</strong></p>", a=t("gouden_mail.col_state") + ":", b=state
        )

    def _incomplete(self) -> gouden_mail.GoudenMailError | None:
        """Why this mail cannot go out yet (no positive message, no question), or None."""
        try:
            gouden_mail.check_complete(self.record)
        except gouden_mail.GoudenMailError as refused:
            return refused
        return None

    def _refuse(self, refused: gouden_mail.GoudenMailError) -> None:
        """A refusal at its field: the positive message, the questions, or else next to the buttons."""
        text = t(refused.message_key, **refused.values)
        message = safe_html('<p class="stip-error" role="alert">{text}</p>', text=text)
        if refused.field == "positief":
            label = self.form.errors["positief"]
            label.value = text
            label.remove_class("stip-muted")
            label.add_class("stip-error")
            label.layout.display = None
        elif refused.field == "vragen":
            self.questions_message.value = message
        self.state.value = message

    def _eml(self) -> DownloadFile | None:
        from stip import invitations

        self.form.flush()  # the last second of typing belongs in the draft too
        incomplete = self._incomplete()
        if incomplete:  # no draft without a positive message and a question
            self._refuse(incomplete)
            return None
        found = instellingen.missing(self.family, self.actor)
        if found:  # said below the buttons, where the click was
            self.state.value = safe_html('<p class="stip-error" role="alert">{text}</p>', text=refusal(found))
            return None
        mails = self._mails()
        sender = invitations.sender(self.family)
        if len(mails) == 1:
            name = f"gouden-mail-{self.family['roepnaam']}.eml"
            data, mime = invitations.as_eml(mails[0], sender), "message/rfc822"
        else:  # parents informed apart: one draft each
            name = f"gouden-mail-{self.family['roepnaam']}.zip"
            items = [(f"{self.family['roepnaam']}-{m['names']}", m) for m in mails]
            data, mime = invitations.class_zip(items, sender), "application/zip"
        return DownloadFile(data, name, mime)

    @handled
    def _on_status(self, button, status: str) -> None:
        self.form.flush()
        try:
            self._set_status(status)
        except gouden_mail.GoudenMailError as refused:  # at the field, and next to the buttons
            self._refuse(refused)

    @handled
    def _on_undo(self, button) -> None:
        """ "Not sent after all": asked for on purpose, so the mail goes back to "klaar"."""
        with store.write() as conn:
            self.version = gouden_mail.undo_sent(conn, self.actor, self.student_id, self.version)
        self._set_status(None)

    def _set_status(self, status: str | None) -> None:
        """Store `status` (None: already stored) and show the new state everywhere."""
        with store.write() as conn:
            if status is not None:
                self.version = gouden_mail.save(
                    conn, self.actor, self.student_id, {"status": status}, self.version
                )
            self.record = gouden_mail.get(conn, self.actor, self.student_id)
        status = self.record["status"]
        self._show_preview()
        self.undo.layout.display = None if status == "verstuurd" else "none"
        self.sent_button.disabled = status == "verstuurd"
        self.savebar.saved()
        with store.read() as conn:
            states = gouden_mail.class_states(conn, self.actor, self.klas.value)
        self.show_states(states)
        with self.hold_trait_notifications(), self._quiet():
            self.student.options = [(student_option(s), s["id"]) for s in states]
            self.student.value = self.student_id


def show_gouden_mail() -> GoudenMailScreen:
    return GoudenMailScreen()
