"""Moeilijk gesprek (issue 16): the mentor's list of preparations, and one preparation as a stepper of ten
steps beside an optional worked example.

`Moeilijk_gesprek.ipynb?voorbereiding=N` opens that preparation; `?student=N` the student's newest
preparation, or a new one for that student ready to begin; without a query the list. Every field saves
about a second after typing (AutoSaveForm), one row per field, so two pages on one preparation lose
nothing. The stepper never blocks: each step lists what is still missing as a gentle note.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import ipywidgets as w

from stip import klassen, store, timefmt
from stip import moeilijk_gesprek as mg
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.printing import PrintFrame
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen
from widgets.components.stepper import Step, Stepper
from widgets.components.student_picker import StudentPicker
from widgets.moeilijk_gesprek_fields import (
    AddressBar,
    choice_options,
    field_widget,
    optional,
    short,
    to_answer,
    to_form,
)
from widgets.moeilijk_gesprek_na import NaPanel

__all__ = ["MoeilijkGesprekScreen", "PreparationView", "show_moeilijk_gesprek"]

STYLE = {"description_width": "initial"}
FASE_KEYS = {
    "opening": "moeilijk.fase_opening",
    "ouders": "moeilijk.fase_ouders",
    "leerling": "moeilijk.fase_leerling",
    "reactie": "moeilijk.fase_reactie",
    "doel": "moeilijk.fase_doel",
    "afspraken": "moeilijk.fase_afspraken",
    "afsluiting": "moeilijk.fase_afsluiting",
}
ONLY_WHEN = {
    "soort_anders": ("soort", "anders"),
    "tolk_taal": ("tolk", "ja"),
    "boodschap": ("soort", "slecht_nieuws"),
}


def status_label(status: str) -> str:
    return mg.texts()["status"].get(status, status)


def soort_label(soort: str) -> str:
    return mg.texts()["soorten"].get(soort, "") if soort else t("moeilijk.soort_none")


def _lines(text: str) -> str:
    """Escaped text with its line breaks kept."""
    return "<br>".join(safe(line) for line in str(text or "").splitlines())


# ---------------------------------------------------------------------------------------------- one step


class PrepStep(w.VBox, Step):
    """One step: what it asks, its fields (saved as typed) and, for some steps, more below."""

    def __init__(self, view: PreparationView, step: dict[str, Any]):
        super().__init__()
        self.view = view
        self.key = step["key"]
        self.title = step["title"]
        fields = {
            name: field_widget(name, spec, view.texts) for name, spec in (step.get("fields") or {}).items()
        }
        if self.key == "na":
            fields = {}
        self.form = AutoSaveForm(fields, view.save, view.savebar) if fields else None
        if self.form is not None:
            self.form.load({name: to_form(name, view.answers.get(name, "")) for name in fields})
            for widget in fields.values():
                widget.observe(self._on_value, names="value")
        intro = w.HTML(
            safe_html('<p class="stip-mg__intro">{text}</p>', text=" ".join(step["intro"].split()))
        )
        self.extra = w.VBox()
        self.children = (intro, *([self.form] if self.form else []), self.extra)

    @handled(savebar=lambda step: step.view.savebar)
    def _on_value(self, change) -> None:
        self.view.answers_changed(self)

    def values(self) -> dict[str, str]:
        return {name: to_answer(value) for name, value in self.form.values().items()} if self.form else {}

    def update_state(self) -> None:
        self.missing = self.view.missing_for(self.key)
        super().update_state()

    def loaded(self) -> None:
        self.missing = self.view.missing_for(self.key)
        started = any(self.view.answers.get(name) for name in (self.form.fields if self.form else ()))
        if self.form is None and self.key != "na":  # the sheet: done once it has been looked at,
            # or after a reload once the mentor called the preparation ready or held the talk
            self.state = "todo" if self.view.prep["status"] == "concept" else "done"
        else:
            self.state = "done" if not self.missing else ("warning" if started else "todo")


# ------------------------------------------------------------------------------------- one preparation


class PreparationView(w.VBox):
    """Heading (student, status, sharing), the stepper of ten steps, and the worked example beside it."""

    def __init__(self, screen: MoeilijkGesprekScreen, prep: dict[str, Any]):
        super().__init__()
        self.screen = screen
        self.actor = screen.actor
        self.savebar = screen.savebar
        self.prep = prep
        self.answers: dict[str, str] = dict(prep["answers"])
        self.versions: dict[str, int] = dict(prep["versions"])
        self.list_stale = False
        self.texts = mg.texts()
        self.texts_by_step = {step["key"]: step for step in self.texts["steps"]}
        self.labels = {
            name: spec for step in self.texts["steps"] for name, spec in (step.get("fields") or {}).items()
        }
        self.steps = [PrepStep(self, step) for step in self.texts["steps"]]
        self.by_key = {step.key: step for step in self.steps}
        self.na = NaPanel(self)
        self.by_key["na"].extra.children = (self.na,)
        self._build_extras()
        for step in self.steps:
            step.loaded()
        self.stepper = Stepper(self.steps)
        self.stepper.observe(self._on_index, names="index")
        self.example = ExamplePanel(self)
        self.header = w.HTML()
        record = {
            "status": w.Dropdown(
                description=t("moeilijk.status"),
                options=[(status_label(s), s) for s in ("concept", "klaar")],
                style=STYLE,
                layout=short(),
            ),
            "gedeeld": w.Checkbox(description=t("moeilijk.gedeeld"), indent=False),
        }
        self.record = AutoSaveForm(record, self._save_record, self.savebar)
        self.record.load({"status": prep["stored_status"], "gedeeld": prep["gedeeld"]})
        self.record.layout = w.Layout(flex_flow="row wrap", align_items="center")
        self._render_header()
        self._apply_visibility()
        body = w.HBox(
            [self.stepper, self.example],
            layout=w.Layout(flex_flow="row wrap", align_items="flex-start", width="100%"),
        )
        self.stepper.layout = w.Layout(flex="1 1 520px", min_width="0", max_width="760px")
        self.example.layout = w.Layout(flex="1 1 280px", max_width="420px", margin="0 0 0 12px")
        back = w.HTML(
            safe_html('<p><a href="Moeilijk_gesprek.ipynb">{text}</a></p>', text=t("moeilijk.back"))
        )
        self.remove = w.Button(
            description=t("moeilijk.delete"),
            icon="trash",
            layout=w.Layout(width="auto", margin="24px 0 0 0"),
        )
        self.remove.on_click(self._on_remove)
        self.children = (back, self.header, self.record, body, self.remove)
        self.add_class("stip-mg")
        if not prep["mine"]:
            self._read_only()

    # -- header ------------------------------------------------------------------------------------------
    def _render_header(self) -> None:
        student = self.prep["student"]
        who = f"{student['naam']} ({student['klas']})" if student["klas"] else student["naam"]
        html = safe_html(
            "<h3>{title}</h3>",
            title=t("moeilijk.prep_title", naam=who),
        )
        soort = self.answers.get("soort", "")
        html += safe_html(
            '<p class="stip-muted">{soort} · {status}</p>',
            soort=soort_label(soort),
            status=status_label(self.current_status()),
        )
        if not self.prep["mine"]:
            html += safe_html('<p class="stip-muted">{text}</p>', text=t("moeilijk.read_only"))
        self.header.value = html
        if hasattr(self, "record"):  # once held, concept/klaar no longer applies
            held = self.na.talk.fields["held_on"].value is not None
            self.record.fields["status"].layout.display = "none" if held else None

    def current_status(self) -> str:
        if self.na.talk.fields["held_on"].value is not None:
            return "gehouden" if self.prep["status"] != "opgevolgd" else "opgevolgd"
        return self.record.fields["status"].value if hasattr(self, "record") else self.prep["status"]

    def _read_only(self) -> None:
        for form in [s.form for s in self.steps if s.form] + [self.record] + self.na.forms():
            for widget in form.fields.values():
                widget.disabled = True
        self.na.add.disabled = True
        self.remove.layout.display = "none"
        for row in self.na.agreements.children:
            row.remove.disabled = True
        for checkbox in self.question_boxes:
            checkbox.disabled = True

    # -- saving ------------------------------------------------------------------------------------------
    def save(self, changes: dict) -> bool:
        """Save changed answers of any step (AutoSaveForm's callback)."""
        with store.write() as conn:
            self.versions.update(mg.save_answers(conn, self.actor, self.prep["id"], changes, self.versions))
        for name, value in changes.items():
            self.answers[name] = to_answer(value)
        self.list_stale = True
        if "soort" in changes:
            self._render_header()
            self._fill_questions()
        return True

    def _save_record(self, changes: dict) -> bool:
        with store.write() as conn:
            version = self.versions["soort"]
            if "status" in changes:
                version = mg.set_status(conn, self.actor, self.prep["id"], changes["status"], version)
            if "gedeeld" in changes:
                version = mg.share(conn, self.actor, self.prep["id"], changes["gedeeld"], version)
        self.versions["soort"] = version
        self._render_header()
        return True

    @handled(savebar=lambda view: view.savebar)
    def _on_remove(self, button) -> None:
        """First click asks "Echt verwijderen?", the second removes the preparation (only your own)."""
        if self.remove.button_style != "danger":
            self.remove.description = t("moeilijk.delete_confirm")
            self.remove.button_style = "danger"
            return
        for form in [s.form for s in self.steps if s.form] + [self.record] + self.na.forms():
            form._debouncer.cancel()  # what is still waiting to be saved goes too
            form._debouncer.pending = False
            form.changes.clear()
        with store.write() as conn:
            mg.delete_voorbereiding(conn, self.actor, self.prep["id"])
        self.screen.view = None
        self.screen.show_list()
        self.savebar.info(t("moeilijk.deleted"))

    def flush(self) -> None:
        for step in self.steps:
            if step.form is not None:
                step.form.flush()
        self.record.flush()
        self.na.flush()

    # -- live updates ------------------------------------------------------------------------------------
    def current_answers(self) -> dict[str, str]:
        """The answers as typed (also what is still waiting to be saved)."""
        answers = dict(self.answers)
        for step in self.steps:
            answers.update(step.values())
        return answers

    def missing_for(self, key: str) -> list[str]:
        if key == "na":
            return self.na.missing() if hasattr(self, "na") else []
        return mg.missing(self.current_answers())[key]

    def answers_changed(self, step: PrepStep) -> None:
        step.update_state()
        if step.key == "situatie":
            self._show_flags()
            if self.by_key["gespreksplan"].state != "todo":  # a message is asked only for bad news
                self.by_key["gespreksplan"].update_state()
        if step.key == "gespreksplan":
            self._show_flow()
        self._apply_visibility()

    def na_changed(self) -> None:
        self.by_key["na"].update_state()
        self._render_header()

    def _apply_visibility(self) -> None:
        answers = self.current_answers()
        for field, (other, value) in ONLY_WHEN.items():
            for step in self.steps:
                if step.form is not None and field in step.form.fields:
                    shown = answers.get(other) == value or bool(answers.get(field))
                    step.form.fields[field].layout.display = None if shown else "none"

    @handled(savebar=lambda view: view.savebar)
    def _on_index(self, change) -> None:
        self.flush()
        key = self.steps[change["new"]].key
        if key == "gespreksplan":
            self._show_flow()
        elif key == "gespreksblad":
            self._show_sheet()
        self.example.show(key)

    # -- step extras -------------------------------------------------------------------------------------
    def _build_extras(self) -> None:
        # Step 1: judgement words in the facts, flagged as they are typed.
        self.flags = w.HTML()
        situatie = self.by_key["situatie"]
        rows = list(situatie.form.children)
        position = list(situatie.form.fields).index("feiten") + 1
        situatie.form.children = (*rows[:position], self.flags, *rows[position:])
        self.flags.layout.display = "none"
        self._show_flags()
        # Step 7: the gouden mail beforehand, for this student.
        mail = w.HTML(
            safe_html(
                '<p><a href="Gouden_mail.ipynb?student={sid}" target="_blank">{text}</a></p>'
                '<p class="stip-muted">{hint}</p>',
                sid=self.prep["student_id"],
                text=t("moeilijk.gouden_mail"),
                hint=t("moeilijk.gouden_mail_hint"),
            )
        )
        self.by_key["praktisch"].extra.children = (*self._family_note(), mail)
        # Step 8: the flow of the talk, and open questions to choose.
        self.flow = w.HTML()
        self.questions = w.VBox()
        self.question_boxes: list[w.Checkbox] = []
        plan = self.by_key["gespreksplan"]
        plan.form.fields["vragen"].layout.display = "none"  # the checkboxes write it
        plan.extra.children = (
            w.HTML(safe_html("<h4>{text}</h4>", text=t("moeilijk.flow_heading"))),
            self.flow,
            w.HTML(
                safe_html(
                    '<h4>{text}</h4><p class="stip-muted">{hint}</p>',
                    text=t("moeilijk.questions_heading"),
                    hint=t("moeilijk.questions_hint"),
                )
            ),
            self.questions,
        )
        plan.children = (plan.children[0], plan.form, plan.extra)  # the message (bad news) first
        self._fill_questions()
        # Step 9: the sheet: print view and PDF, one click each, with a preview.
        self.print_frame = PrintFrame()
        self.print_button = w.Button(
            description=t("moeilijk.print"), icon="print", layout=w.Layout(width="auto")
        )
        self.print_button.on_click(self._on_print)
        self.pdf_button = DownloadButton(t("moeilijk.pdf"), self._build_pdf, savebar=lambda: self.savebar)
        self.preview = w.HTML()
        self.sheet_flags = w.HTML()  # judgement words still in the facts, before the sheet is printed
        self.sheet_flags.layout.display = "none"
        self.by_key["gespreksblad"].extra.children = (
            self.sheet_flags,
            w.HBox([self.print_button, self.pdf_button], layout=w.Layout(flex_flow="row wrap")),
            self.print_frame,
            self.preview,
        )

    def _family_note(self) -> tuple[w.HTML, ...]:
        """What Klassen en gezinnen knows for step 7: a parent who needs an interpreter (and the
        language), parents who are informed separately. Nothing when there is nothing to say."""
        lines = [
            t("moeilijk.family_tolk", naam=g["naam"], relatie=g["relatie"], taal=g["taal"])
            for g in self.na.guardians
            if g["tolk_nodig"]
        ]
        if any(g["apart_informeren"] for g in self.na.guardians):
            lines.append(t("moeilijk.family_apart", roepnaam=self.prep["student"]["roepnaam"]))
        if not lines:
            return ()
        items = "".join(safe_html("<li>{line}</li>", line=line) for line in lines)
        return (
            w.HTML(
                safe_html(
                    '<div class="stip-mg__family" role="note"><strong>{title}</strong>',
                    title=t("moeilijk.family_title"),
                )
                + f"<ul>{items}</ul></div>"
            ),
        )

    def _show_flags(self) -> None:
        module = optional("oordeelwoorden")
        text = self.by_key["situatie"].form.fields["feiten"].value or ""
        flags = module.flag(text) if module and text else []
        if flags:
            self.flags.value = safe_html(
                '<div class="stip-warning" role="status">{text}</div>', text=module.message(flags)
            )
            self.flags.layout.display = None
        else:
            self.flags.value = ""
            self.flags.layout.display = "none"

    def _plan_module(self):
        return optional("gespreksplan")

    def _fill_questions(self) -> None:
        module = self._plan_module()
        if module is None:
            self.questions.children = (
                w.HTML(safe_html('<p class="stip-muted">{t}</p>', t=t("moeilijk.not_available"))),
            )
            return
        chosen = set(self.current_answers().get("vragen", "").split())
        bank = module.questions(self.current_answers().get("soort", ""))
        self.question_boxes = []
        children: list[w.Widget] = []
        fase = None
        for question in bank:
            if question.get("fase") != fase:  # the questions come in the order of the talk
                fase = question.get("fase")
                label = t(FASE_KEYS[fase]) if fase in FASE_KEYS else str(fase or "").capitalize()
                children.append(w.HTML(safe_html('<div class="stip-mg__label">{label}</div>', label=label)))
            box = w.Checkbox(
                value=question["id"] in chosen,
                description=question["tekst"],
                indent=False,
                layout=w.Layout(width="100%", max_width="640px"),
            )
            box.question_id = question["id"]
            box.observe(self._on_question, names="value")
            self.question_boxes.append(box)
            children.append(box)
        self.questions.children = tuple(children)

    @handled(savebar=lambda view: view.savebar)
    def _on_question(self, change) -> None:
        ids = [box.question_id for box in self.question_boxes if box.value]
        known = {box.question_id for box in self.question_boxes}
        kept = [q for q in self.current_answers().get("vragen", "").split() if q not in known]
        self.by_key["gespreksplan"].form.fields["vragen"].value = "\n".join(kept + ids)

    def flow_parts(self) -> list[dict[str, Any]]:
        module = self._plan_module()
        if module is None:
            return []
        return module.build_flow(self.current_answers(), self.context())

    def context(self) -> dict[str, Any]:
        answers = self.current_answers()
        return {
            **self.prep["context"],
            "soort": answers.get("soort", ""),
            "tolk_taal": answers.get("tolk_taal", "") if answers.get("tolk") == "ja" else "",
            "datum": answers.get("datum", ""),
            "tijd": answers.get("tijd", ""),
            "plaats": answers.get("plaats", ""),
        }

    def _show_flow(self) -> None:
        if self._plan_module() is None:
            self.flow.value = safe_html('<p class="stip-muted">{t}</p>', t=t("moeilijk.not_available"))
            return
        items = []
        for part in self.flow_parts():
            minutes = (
                safe_html(
                    ' <span class="stip-muted">({m})</span>', m=t("moeilijk.minutes", count=part["minuten"])
                )
                if part.get("minuten")
                else ""
            )
            lines = "".join(f"<li>{safe(line)}</li>" for line in part.get("regels", []))
            items.append(
                safe_html("<li><strong>{titel}</strong>", titel=part["titel"])
                + minutes
                + f"<ul>{lines}</ul></li>"
            )
        self.flow.value = f'<ol class="stip-mg__flow">{"".join(items)}</ol>'

    def sheet_html(self) -> str | None:
        module = optional("gespreksblad")
        if module is None:
            return None
        return module.sheet_html(self.current_answers(), self.context(), self.flow_parts())

    def _show_sheet(self) -> None:
        module = optional("oordeelwoorden")
        text = self.current_answers().get("feiten", "")
        flags = module.flag(text) if module and text else []
        if flags:
            self.sheet_flags.value = safe_html(
                '<div class="stip-warning" role="status">{text}</div>',
                text=t("moeilijk.sheet_flags", message=module.message(flags)),
            )
            self.sheet_flags.layout.display = None
        else:
            self.sheet_flags.value = ""
            self.sheet_flags.layout.display = "none"
        document = self.sheet_html()
        if document is None:
            self.preview.value = safe_html('<p class="stip-muted">{t}</p>', t=t("moeilijk.not_available"))
            return
        self.preview.value = safe_html(
            '<iframe class="stip-mg__preview" title="{title}" srcdoc="{doc}" '
            'style="width:100%;max-width:794px;height:900px;border:1px solid #d0d7de;'
            'background:#fff"></iframe>',
            title=t("moeilijk.preview_title"),
            doc=document,
        )

    @handled(savebar=lambda view: view.savebar)
    def _on_print(self, button) -> None:
        self.flush()
        document = self.sheet_html()
        if document is None:
            self.savebar.info(t("moeilijk.not_available"))
            return
        self.print_frame.print(document, t("moeilijk.preview_title"))

    def _build_pdf(self) -> DownloadFile | None:
        self.flush()
        module = optional("gespreksblad")
        document = self.sheet_html()
        if module is None or document is None:
            self.savebar.info(t("moeilijk.not_available"))
            return None
        name = "".join(c if c.isalnum() else "-" for c in self.prep["student"]["naam"]).strip("-")
        return DownloadFile(module.to_pdf(document), f"gespreksblad-{name}.pdf", "application/pdf")


# -------------------------------------------------------------------------------------- worked example


def _example_date(value: Any) -> str:
    """A worked example's date as the rest of Stip writes it ("08-12-2026", not "2026-12-08")."""
    if isinstance(value, date):
        return timefmt.format_date(value)
    try:
        return timefmt.format_date(date.fromisoformat(str(value).strip()))
    except ValueError:
        return str(value)


class ExamplePanel(w.VBox):
    """A fictional worked example beside the steps: per step its answers, read-only."""

    def __init__(self, view: PreparationView):
        super().__init__()
        self.view = view
        module = optional("gespreksplan")
        examples = module.worked_examples() if module is not None else []
        self.examples = {example["id"]: example for example in examples}
        self.choice = w.Dropdown(
            description=t("moeilijk.example"),
            options=[(t("moeilijk.example_none"), "")] + [(e["titel"], e["id"]) for e in examples],
            style=STYLE,
            layout=w.Layout(width="100%"),
        )
        self.choice.observe(self._on_choice, names="value")
        self.body = w.HTML()
        self.children = (self.choice, self.body)
        self.add_class("stip-mg__example")
        self.key = view.steps[0].key

    @handled(savebar=lambda panel: panel.view.savebar)
    def _on_choice(self, change) -> None:
        self.show(self.key)

    def show(self, key: str) -> None:
        self.key = key
        example = self.examples.get(self.choice.value)
        if example is None:
            self.body.value = ""
            self.body.layout.display = "none"
            return
        self.body.layout.display = None
        step = self.view.texts_by_step[key]
        answers = example.get("answers") or {}
        rows = []
        for field, spec in (step.get("fields") or {}).items():
            value = answers.get(field, "")
            if field == "soort":
                value = soort_label(value) if value else ""
            elif field == "vragen" and value:
                value = self._question_texts(value, answers.get("soort", ""))
            elif field in mg.CHOICES and value:
                labels = {v: label for label, v in choice_options(field, self.view.texts)}
                value = labels.get(value, value)
            elif mg.ANSWER_FIELDS.get(field) == "date" and value:
                value = _example_date(value)
            if str(value).strip():
                rows.append(
                    safe_html('<div class="stip-mg__label">{label}</div>', label=spec.get("label", field))
                    + f'<div class="stip-mg__value">{_lines(value)}</div>'
                )
        content = "".join(rows) or safe_html('<p class="stip-muted">{t}</p>', t=t("moeilijk.example_nothing"))
        self.body.value = (
            safe_html(
                '<div class="stip-card" aria-label="{aria}"><p><strong>{titel}</strong><br>'
                '<span class="stip-muted">{note}</span></p>',
                aria=t("moeilijk.example"),
                titel=example["titel"],
                note=t("moeilijk.example_note"),
            )
            + f"{content}</div>"
        )

    @staticmethod
    def _question_texts(ids: str, soort: str) -> str:
        module = optional("gespreksplan")
        bank = {q["id"]: q["tekst"] for q in module.questions(soort)} if module else {}
        return "\n".join(bank.get(q, q) for q in ids.split())


# ---------------------------------------------------------------------------------------------- the screen


class MoeilijkGesprekScreen(Screen):
    """The list of the mentor's preparations with "Nieuwe voorbereiding", or one preparation."""

    def build(self) -> None:
        texts = mg.texts()
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _b: self.reload())
        self.view: PreparationView | None = None
        intro = w.HTML(
            safe_html(
                '<p>{intro}</p><p class="stip-muted">{privacy}</p>',
                intro=" ".join(texts["intro"].split()),
                privacy=" ".join(texts["privacy"].split()),
            )
        )
        self.body = w.VBox()
        self.address = AddressBar(layout=w.Layout(display="none"))
        self.children = (intro, self.savebar, self.body, self.address)
        wanted = self.query_int("voorbereiding")
        student = self.query_int("student")
        if wanted is not None:
            self.open_preparation(wanted)
        elif student is not None:
            with store.read() as conn:
                mine = [
                    p for p in mg.preparations(conn, self.actor) if p["student_id"] == student and p["mine"]
                ]
            if mine:
                self.open_preparation(mine[0]["id"])
            else:
                self.show_list(new_for=student)
        else:
            self.show_list()

    # -- list --------------------------------------------------------------------------------------------
    def show_list(self, new_for: int | None = None) -> None:
        if self.view is not None:
            self.view.flush()
        self.view = None
        if hasattr(self, "address"):
            self.address.voorbereiding = 0
        with store.read() as conn:
            items = mg.preparations(conn, self.actor)
        self.new_button = w.Button(
            description=t("moeilijk.new"), icon="plus", button_style="primary", layout=w.Layout(width="auto")
        )
        self.new_button.on_click(self._on_new)
        self.new_panel = w.VBox()
        self.list_html = w.HTML(self._list_html(items))
        self.body.children = (
            w.HTML(safe_html("<h3>{t}</h3>", t=t("moeilijk.list_heading"))),
            self.new_button,
            self.new_panel,
            self.list_html,
        )
        if new_for is not None:
            self._open_new_panel(new_for)

    @staticmethod
    def _list_html(items: list[dict[str, Any]]) -> str:
        if not items:
            return safe_html("<p>{t}</p>", t=t("moeilijk.list_empty"))
        rows = []
        for item in items:
            who = f"{item['naam']} ({item['klas']})" if item["klas"] else item["naam"]
            extra = (
                "" if item["mine"] else safe_html(' <span class="stip-muted">· {a}</span>', a=item["author"])
            )
            rows.append(
                safe_html(
                    '<tr><td><a href="Moeilijk_gesprek.ipynb?voorbereiding={id}">{who}</a>',
                    id=item["id"],
                    who=who,
                )
                + extra
                + safe_html(
                    '</td><td data-label="{l_soort}">{soort}</td>'
                    '<td data-label="{l_status}"><span class="stip-badge">{status}</span></td>'
                    '<td data-label="{l_datum}">{datum}</td></tr>',
                    l_soort=t("moeilijk.col_soort"),
                    soort=soort_label(item["soort"]),
                    l_status=t("moeilijk.col_status"),
                    status=status_label(item["status"]),
                    l_datum=t("moeilijk.col_datum"),
                    datum=timefmt.format_date(item["datum"]) if item["datum"] else "—",
                )
            )
        head = safe_html(
            "<thead><tr><th>{a}</th><th>{b}</th><th>{c}</th><th>{d}</th></tr></thead>",
            a=t("moeilijk.col_student"),
            b=t("moeilijk.col_soort"),
            c=t("moeilijk.col_status"),
            d=t("moeilijk.col_datum"),
        )
        return f'<table class="stip-table stip-mg__list">{head}<tbody>{"".join(rows)}</tbody></table>'

    @handled
    def _on_new(self, button) -> None:
        self._open_new_panel(None)

    def _open_new_panel(self, student_id: int | None) -> None:
        with store.read() as conn:
            options = klassen.student_options(conn, self.actor)
        self.picker = StudentPicker()
        self.picker.options = options
        if student_id is not None:
            self.picker.value = student_id
        self.new_soort = w.Dropdown(
            description=t("moeilijk.soort"),
            options=[(t("moeilijk.choose"), "")]
            + [(label, key) for key, label in mg.texts()["soorten"].items()],
            style=STYLE,
            layout=short(),
        )
        self.begin = w.Button(description=t("moeilijk.begin"), icon="arrow-right", button_style="primary")
        self.begin.on_click(self._on_begin)
        hint = w.HTML(safe_html('<p class="stip-muted">{t}</p>', t=t("moeilijk.new_hint")))
        self.new_panel.children = (hint, self.picker, self.new_soort, self.begin)
        self.new_panel.add_class("stip-card")

    @handled
    def _on_begin(self, button) -> None:
        if self.picker.value is None:
            self.savebar.info(t("moeilijk.choose_student"))
            return
        with store.write() as conn:
            prep = mg.create(conn, self.actor, self.picker.value, self.new_soort.value)
        self.savebar.saved()
        self.show(prep)

    # -- one preparation ---------------------------------------------------------------------------------
    def open_preparation(self, voorbereiding_id: int) -> None:
        with store.read() as conn:
            prep = mg.get(conn, self.actor, voorbereiding_id)
        if prep is None:
            self.body.children = (
                w.HTML(safe_html('<p class="stip-error">{t}</p>', t=t("moeilijk.not_found"))),
                w.HTML(safe_html('<p><a href="Moeilijk_gesprek.ipynb">{t}</a></p>', t=t("moeilijk.back"))),
            )
            return
        self.show(prep)

    def show(self, prep: dict[str, Any]) -> None:
        self.view = PreparationView(self, prep)
        self.body.children = (self.view,)
        self.address.voorbereiding = prep["id"]  # a reload opens this preparation again

    def reload(self) -> None:
        """After a version conflict: read the stored preparation again."""
        self.savebar.reset()
        if self.view is not None:
            prep_id = self.view.prep["id"]
            self.view = None
            self.open_preparation(prep_id)
        else:
            self.show_list()


def show_moeilijk_gesprek() -> MoeilijkGesprekScreen:
    return MoeilijkGesprekScreen()
