"""Step 10 of the Moeilijk gesprek, "Na het gesprek": the day it was held and who was there, the
agreements with owner and date (stored through stip.afspraken, so they are in the Communicatieplan's
agreements and agenda), the follow-up moment (an agreement with a date), and a short ALACT reflection
with the intention for next time (stip.reflectie, on the same conversation).

Every part saves as it is typed (AutoSaveForm); a new agreement is stored once it says what.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from stip import klassen, reflectie, store
from stip import moeilijk_gesprek as mg
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.moeilijk_gesprek_fields import FIELD_CLASS, short, wide

if TYPE_CHECKING:
    from widgets.moeilijk_gesprek import PreparationView

STYLE = {"description_width": "initial"}
EIGENAAR = {
    "school": "moeilijk.eigenaar_school",
    "ouders": "moeilijk.eigenaar_ouders",
    "leerling": "moeilijk.eigenaar_leerling",
}


def _heading(key: str, hint_key: str | None = None) -> w.HTML:
    html = safe_html("<h4>{title}</h4>", title=t(key))
    if hint_key:
        html += safe_html('<p class="stip-muted">{hint}</p>', hint=t(hint_key))
    return w.HTML(html)


class AgreementRow(w.VBox):
    """One agreement made in the talk: what, who carries it, who exactly, by when; and remove."""

    def __init__(self, panel: NaPanel, row: dict[str, Any] | None, number: int):
        super().__init__()
        self.panel = panel
        self.afspraak_id = row["id"] if row else None
        self.version = row["version"] if row else None
        owner_options = [(t("moeilijk.choose"), "")] + [(t(key), e) for e, key in EIGENAAR.items()]
        fields = {
            "wat": w.Text(
                description=t("moeilijk.afspraak_wat", number=number),
                placeholder=t("moeilijk.afspraak_wat_placeholder"),
                style=STYLE,
                layout=wide(),
            ),
            "eigenaar": w.Dropdown(
                description=t("moeilijk.afspraak_eigenaar"),
                options=owner_options,
                style=STYLE,
                layout=short(),
            ),
            "wie": w.Text(description=t("moeilijk.afspraak_wie"), style=STYLE, layout=short()),
            "wanneer": w.DatePicker(description=t("moeilijk.afspraak_wanneer"), style=STYLE),
        }
        fields["wat"].add_class(FIELD_CLASS)
        self.form = AutoSaveForm(fields, self._save, panel.view.savebar)
        if row:
            self.form.load({k: row[k] for k in fields})
        self.remove = w.Button(
            description=t("moeilijk.afspraak_remove"), icon="trash", layout=w.Layout(width="auto")
        )
        self.remove.on_click(self._on_remove)
        self.children = (self.form, self.remove)
        self.add_class("stip-card")

    @property
    def stored(self) -> bool:
        return self.afspraak_id is not None

    def _save(self, changes: dict) -> bool:
        view = self.panel.view
        if self.afspraak_id is None:
            values = {k: v for k, v in self.form.values().items() if v not in (None, "")}
            if not (values.get("wat") or "").strip():
                return False  # nothing to store yet: the changes wait for "wat"
        else:
            values = dict(changes)
        with store.write() as conn:
            self.afspraak_id, self.version = mg.save_agreement(
                conn, view.actor, view.prep["id"], self.afspraak_id, values, self.version
            )
        self.panel.changed()
        return True

    @handled(savebar=lambda row: row.panel.view.savebar)
    def _on_remove(self, button) -> None:
        self.form._debouncer.cancel()
        self.form._debouncer.pending = False
        if self.afspraak_id is not None:
            with store.write() as conn:
                mg.delete_agreement(conn, self.panel.view.actor, self.panel.view.prep["id"], self.afspraak_id)
        self.panel.agreements.children = tuple(r for r in self.panel.agreements.children if r is not self)
        self.panel.view.savebar.saved()
        self.panel.changed()

    def flush(self) -> None:
        self.form.flush()


class NaPanel(w.VBox):
    """Held on, who was there, agreements, the follow-up moment and the reflection."""

    def __init__(self, view: PreparationView):
        super().__init__()
        self.view = view
        prep = view.prep
        self.conversation_version = prep["conversation"]["version"]
        present = prep["conversation"]["present"] or {}
        with store.read() as conn:
            guardians = klassen._guardians_of(conn, [prep["student_id"]])[prep["student_id"]]
            self.reflection = reflectie.for_conversation(conn, view.actor, prep["conversation_id"])
        self.guardians = guardians  # also step 7's note on interpreters and separate parents
        self.guardian_ids = [g["id"] for g in guardians]

        # -- held on, who was there
        talk_fields: dict[str, w.ValueWidget] = {
            "held_on": w.DatePicker(description=t("moeilijk.held_on"), style=STYLE),
            "present_student": w.Checkbox(
                description=t("moeilijk.present_student", naam=prep["student"]["roepnaam"]), indent=False
            ),
        }
        for guardian in guardians:
            talk_fields[f"present_{guardian['id']}"] = w.Checkbox(description=guardian["naam"], indent=False)
        talk_fields["present_tolk"] = w.Checkbox(description=t("moeilijk.present_tolk"), indent=False)
        talk_fields["present_anderen"] = w.Text(
            description=t("moeilijk.present_anderen"),
            placeholder=t("moeilijk.present_anderen_placeholder"),
            style=STYLE,
            layout=wide(),
        )
        talk_fields["present_anderen"].add_class(FIELD_CLASS)
        self.talk = AutoSaveForm(talk_fields, self._save_talk, view.savebar)
        self.talk.load(
            {
                "held_on": prep["conversation"]["held_on"],
                "present_student": bool(present.get("student")),
                "present_tolk": bool(present.get("tolk")),
                "present_anderen": present.get("anderen", ""),
                **{f"present_{g}": g in present.get("guardians", []) for g in self.guardian_ids},
            }
        )

        # -- agreements
        follow_id = view.answers.get("vervolg_afspraak", "")
        rows = [a for a in prep["afspraken"] if str(a["id"]) != follow_id]
        self.follow_up = next((a for a in prep["afspraken"] if str(a["id"]) == follow_id), None)
        self.agreements = w.VBox([AgreementRow(self, row, n + 1) for n, row in enumerate(rows)])
        self.add = w.Button(
            description=t("moeilijk.afspraak_add"), icon="plus", layout=w.Layout(width="auto")
        )
        self.add.on_click(self._on_add)
        if not rows:
            self.agreements.children = (AgreementRow(self, None, 1),)

        # -- follow-up moment
        follow_fields = {
            "vervolg": w.Textarea(
                description=view.labels["vervolg"]["label"],
                placeholder=" ".join(str(view.labels["vervolg"].get("prompt", "")).split()),
                style=STYLE,
                layout=wide(),
            ),
            "vervolg_datum": w.DatePicker(description=t("moeilijk.vervolg_datum"), style=STYLE),
        }
        follow_fields["vervolg"].add_class(FIELD_CLASS)
        self.follow = AutoSaveForm(follow_fields, self._save_follow_up, view.savebar)
        self.follow.load(
            {
                "vervolg": view.answers.get("vervolg", ""),
                "vervolg_datum": self.follow_up["wanneer"] if self.follow_up else None,
            }
        )

        # -- reflection (ALACT, short)
        self.reflection_id = self.reflection["id"] if self.reflection else None
        self.reflection_version = self.reflection["version"] if self.reflection else None
        reflect_fields = {}
        for step in reflectie.steps():
            for name, label in step["fields"].items():
                widget = w.Textarea(description=f"{step['title']}: {label}", style=STYLE, layout=wide())
                widget.add_class(FIELD_CLASS)
                reflect_fields[name] = widget
        self.reflect = AutoSaveForm(reflect_fields, self._save_reflection, view.savebar)
        if self.reflection:
            self.reflect.load({k: self.reflection[k] or "" for k in reflect_fields})
        more = w.HTML(
            safe_html(
                '<p><a href="Reflectie.ipynb?conversation={cid}" target="_blank">{text}</a></p>',
                cid=prep["conversation_id"],
                text=t("moeilijk.reflectie_more"),
            )
        )
        self.children = (
            _heading("moeilijk.talk_heading"),
            self.talk,
            _heading("moeilijk.afspraken_heading", "moeilijk.afspraken_hint"),
            self.agreements,
            self.add,
            _heading("moeilijk.vervolg_heading", "moeilijk.vervolg_hint"),
            self.follow,
            _heading("moeilijk.reflectie_heading", "moeilijk.reflectie_hint"),
            self.reflect,
            more,
        )
        for form in (self.talk, self.follow, self.reflect):
            for widget in form.fields.values():
                widget.observe(self._on_value, names="value")

    # -- state -------------------------------------------------------------------------------------------
    def missing(self) -> list[str]:
        notes = self.view.texts_by_step["na"]["missing"]
        result = []
        if self.talk.fields["held_on"].value is None:
            result.append(notes["held_on"])
        if not any(r.stored for r in self.agreements.children):
            result.append(notes["afspraken"])
        if self.follow.fields["vervolg_datum"].value is None:
            result.append(notes["vervolg_datum"])
        if not (self.reflect.fields["voornemen"].value or "").strip():
            result.append(notes["voornemen"])
        return result

    def changed(self) -> None:
        self.view.na_changed()

    @handled(savebar=lambda panel: panel.view.savebar)
    def _on_value(self, change) -> None:
        self.changed()

    def flush(self) -> None:
        for form in (self.talk, self.follow, self.reflect):
            form.flush()
        for row in self.agreements.children:
            row.flush()

    def forms(self) -> list[AutoSaveForm]:
        return [self.talk, self.follow, self.reflect, *(r.form for r in self.agreements.children)]

    @handled(savebar=lambda panel: panel.view.savebar)
    def _on_add(self, button) -> None:
        number = len(self.agreements.children) + 1
        self.agreements.children = (*self.agreements.children, AgreementRow(self, None, number))

    # -- saving ------------------------------------------------------------------------------------------
    def _save_talk(self, changes: dict) -> bool:
        values = self.talk.values()
        kwargs: dict[str, Any] = {}
        if "held_on" in changes:
            kwargs["held_on"] = changes["held_on"]
        if any(k.startswith("present_") for k in changes):
            kwargs["present"] = {
                "student": values["present_student"],
                "guardians": [g for g in self.guardian_ids if values.get(f"present_{g}")],
                "tolk": values["present_tolk"],
                "anderen": values["present_anderen"],
            }
        with store.write() as conn:
            self.conversation_version = mg.record_talk(
                conn, self.view.actor, self.view.prep["id"], self.conversation_version, **kwargs
            )
        self.view.list_stale = True
        return True

    def _follow_up_wat(self) -> str:
        text = (self.follow.fields["vervolg"].value or "").strip().splitlines()
        first = text[0] if text else ""
        naam = self.view.prep["student"]["naam"]
        wat = (
            t("moeilijk.vervolg_wat", naam=naam, text=first)
            if first
            else t("moeilijk.vervolg_wat_kort", naam=naam)
        )
        return wat[:1000]

    def _save_follow_up(self, changes: dict) -> bool:
        view = self.view
        with store.write() as conn:
            if "vervolg" in changes:
                view.versions.update(
                    mg.save_answers(
                        conn, view.actor, view.prep["id"], {"vervolg": changes["vervolg"]}, view.versions
                    )
                )
                view.answers["vervolg"] = (changes["vervolg"] or "").strip()
            day = self.follow.fields["vervolg_datum"].value
            if "vervolg_datum" in changes or (day is not None and "vervolg" in changes):
                view.versions.update(
                    mg.set_follow_up(
                        conn, view.actor, view.prep["id"], day, self._follow_up_wat(), view.versions
                    )
                )
        return True

    def _save_reflection(self, changes: dict) -> bool:
        with store.write() as conn:
            self.reflection_id, self.reflection_version = reflectie.save(
                conn,
                self.view.actor,
                self.reflection_id,
                self.view.prep["conversation_id"],
                changes,
                self.reflection_version,
            )
        return True
