"""Add and edit one student and their guardians; siblings; inzage, leaving and deleting.

Every field saves itself about a second after typing (`AutoSaveForm`); a version conflict shows
"Herladen" in the save bar. A new student is stored once leerlingnummer, names and klas are filled.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from stip import klassen, schools, store
from stip.i18n import t
from widgets.components.autosave import AutoSaveForm
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.student_picker import StudentPicker, student_label

LANGUAGES = (
    "Nederlands",
    "Arabisch",
    "Berbers (Tamazight)",
    "Engels",
    "Oekraïens",
    "Pools",
    "Somalisch",
    "Tigrinya",
    "Turks",
    "Papiaments",
    "Sranantongo",
    "Dari",
    "Farsi",
)
WIDE = w.Layout(width="420px")
STYLE = {"description_width": "150px"}


def text(label_key: str, **kwargs) -> w.Text:
    return w.Text(description=t(label_key), layout=WIDE, style=STYLE, **kwargs)


class GuardianCard(w.VBox):
    """One guardian of the student: contact details and how to reach them."""

    def __init__(self, actor, student_id: int, savebar: SaveBar, number: int, guardian: dict | None = None):
        super().__init__()
        self.add_class("stip-card")
        self.actor, self.student_id, self.savebar = actor, student_id, savebar
        self.guardian_id = guardian["id"] if guardian else None
        self.version = guardian["version"] if guardian else None
        fields = {
            "naam": text("klassen.field_naam"),
            "relatie": w.Dropdown(
                description=t("klassen.field_relatie"),
                options=klassen.RELATIES,
                value="ouder",
                layout=WIDE,
                style=STYLE,
            ),
            "email": text("klassen.field_email"),
            "telefoon": text("klassen.field_telefoon"),
            "taal": w.Combobox(
                description=t("klassen.field_taal"),
                options=LANGUAGES,
                value="Nederlands",
                layout=WIDE,
                style=STYLE,
            ),
            "tolk_nodig": w.Checkbox(description=t("klassen.field_tolk_nodig"), indent=False),
            "voorkeurskanaal": w.Dropdown(
                description=t("klassen.field_voorkeurskanaal"),
                options=[(t("klassen.no_preference"), ""), *[(k, k) for k in klassen.KANALEN]],
                value="",
                layout=WIDE,
                style=STYLE,
            ),
            "apart_informeren": w.Checkbox(description=t("klassen.field_apart_informeren"), indent=False),
            "contact_afgeschermd": w.Checkbox(
                description=t("klassen.field_contact_afgeschermd"), indent=False
            ),
        }
        self.form = AutoSaveForm(fields, self._save, savebar)
        if guardian:
            self.form.load({k: guardian[k] for k in fields})
        title = w.HTML(safe_html("<h4>{title}</h4>", title=t("klassen.guardian_title", number=number)))
        self.children = (title, self.form)

    def _save(self, changes: dict) -> bool:
        if self.guardian_id is None and not self.form.values()["naam"].strip():
            self.savebar.info(t("klassen.guardian_needs_name"))
            return False
        values = changes if self.guardian_id is not None else self.form.values()
        with store.write() as conn:
            self.guardian_id, self.version = klassen.save_guardian(
                conn, self.actor, self.student_id, self.guardian_id, values, self.version
            )
        return True


class StudentPanel(w.VBox):
    """Pick a student (or start a new one) and edit everything about them."""

    def __init__(
        self,
        actor: schools.Actor,
        student_id: int | None = None,
        on_changed: Callable[[], None] | None = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.actor = actor
        self.on_changed = on_changed or (lambda: None)
        self.savebar = SaveBar()
        self.savebar.on_reload(lambda _button: self.show_student(self.student_id))
        self.picker = StudentPicker()
        self.new_button = w.Button(description=t("klassen.new_student"), icon="user-plus")
        self.new_button.on_click(self._on_new)
        self.body = w.VBox()
        self.student_id: int | None = None
        self.version: int | None = None
        self.children = (w.HBox([self.picker, self.new_button]), self.savebar, self.body)
        self.refresh_options()
        self.picker.observe(self._on_pick, names="value")
        if student_id is not None:
            self.picker.value = student_id
            if self.picker.value is None:
                self.savebar.error(t("klassen.student_not_found"))

    def refresh_options(self) -> None:
        with store.read() as conn:
            self.picker.options = klassen.student_options(conn, self.actor)

    @handled
    def _on_pick(self, change) -> None:
        if change["new"] is not None and change["new"] != self.student_id:
            self.show_student(change["new"])

    @handled
    def _on_new(self, button) -> None:
        self.picker.value = None
        self.show_student(None)

    def show_student(self, student_id: int | None) -> None:
        """Show the form of one student (None: a new, empty one)."""
        if student_id != self.student_id and getattr(self, "form", None) is not None:
            self.form.flush()  # what was typed belongs to the student shown so far, not to the next one
        self.student_id = student_id
        self.savebar.reset()
        fields = {
            "leerlingnummer": text("klassen.field_leerlingnummer"),
            "roepnaam": text("klassen.field_roepnaam"),
            "tussenvoegsel": text("klassen.field_tussenvoegsel"),
            "achternaam": text("klassen.field_achternaam"),
            # Saved when the field is left, not while typing: "1" on the way to "1B" makes no class "1".
            "klas": w.Combobox(
                description=t("klassen.field_klas"),
                layout=WIDE,
                style=STYLE,
                ensure_option=False,
                continuous_update=False,
            ),
        }
        try:
            with store.read() as conn:
                fields["klas"].options = tuple(k.name for k in klassen.klassen(conn, self.actor))
                student = klassen.get_student(conn, self.actor, student_id) if student_id else None
                family = self._family(conn, student_id) if student_id else None
        except Exception:  # e.g. removed in another page: no stale form stays on screen
            self.body.children = ()
            self.student_id = None
            raise
        self.form = AutoSaveForm(fields, self._save, self.savebar)
        heading = (
            t("klassen.new_student_title")
            if student is None
            else t(
                "klassen.student_title",
                name=klassen.full_name(student["roepnaam"], student["tussenvoegsel"], student["achternaam"]),
            )
        )
        parts = [w.HTML(safe_html("<h3>{text}</h3>", text=heading)), self.form]
        if student is None:
            self.version = None
            parts.append(
                w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("klassen.new_student_hint")))
            )
        else:
            self.version = student["version"]
            self.form.load({k: student[k] for k in fields})
            self.guardians = w.VBox(
                [
                    GuardianCard(self.actor, student_id, self.savebar, i + 1, g)
                    for i, g in enumerate(student["guardians"])
                ]
            )
            add = w.Button(description=t("klassen.add_guardian"), icon="plus")
            add.on_click(self._on_add_guardian)
            parts += [self.guardians, add, family, self._privacy_actions(student)]
        self.body.children = tuple(parts)

    def _save(self, changes: dict) -> bool:
        values = dict(changes)
        klas = values.pop("klas", None)
        if self.student_id is None:
            current = self.form.values()
            missing = [
                k for k in ("leerlingnummer", "roepnaam", "achternaam", "klas") if not current[k].strip()
            ]
            if missing:
                self.savebar.info(t("klassen.new_incomplete"))
                return False
            klas = current.pop("klas")
            with store.write() as conn:
                self.student_id, self.version = klassen.save_student(
                    conn, self.actor, None, current, klas=klas
                )
            self.refresh_options()
            self.picker.value = self.student_id
            self.on_changed()
            self.show_student(self.student_id)
            self.savebar.saved()
            return True
        with store.write() as conn:
            _, self.version = klassen.save_student(
                conn, self.actor, self.student_id, values, self.version, klas=klas
            )
        self.refresh_options()
        self.on_changed()
        return True

    @handled
    def _on_add_guardian(self, button) -> None:
        number = len(self.guardians.children) + 1
        self.guardians.children = (
            *self.guardians.children,
            GuardianCard(self.actor, self.student_id, self.savebar, number),
        )

    # -- siblings ----------------------------------------------------------------------------------------
    def _family(self, conn, student_id: int) -> w.VBox:
        known = klassen.siblings(conn, self.actor, student_id)
        suggested = klassen.sibling_suggestions(conn, self.actor, student_id)
        items = [w.HTML(safe_html("<h4>{text}</h4>", text=t("klassen.siblings_title")))]
        if known:
            items.append(
                w.HTML(
                    "<ul>"
                    + "".join(
                        safe_html(
                            '<li><a href="Klassen.ipynb?student={id}">{label}</a></li>',
                            id=s["id"],
                            label=student_label(s),
                        )
                        for s in known
                    )
                    + "</ul>"
                )
            )
        else:
            items.append(w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("klassen.no_siblings"))))
        for other in suggested:
            button = w.Button(description=t("klassen.confirm_sibling"), icon="check")
            button.on_click(lambda b, other=other: self._on_confirm_sibling(b, other["id"]))
            label = w.Label(t("klassen.sibling_suggestion", label=student_label(other)))
            items.append(w.HBox([label, button]))
        return w.VBox(items)

    @handled
    def _on_confirm_sibling(self, button, sibling_id: int) -> None:
        with store.write() as conn:
            klassen.confirm_sibling(conn, self.actor, self.student_id, sibling_id)
        self.show_student(self.student_id)
        self.savebar.saved()

    # -- privacy -----------------------------------------------------------------------------------------
    def _privacy_actions(self, student: dict) -> w.VBox:
        name = klassen.full_name(student["roepnaam"], student["tussenvoegsel"], student["achternaam"])
        html_button = DownloadButton(
            t("klassen.inzage_html"), self._inzage_html, savebar=self.savebar, icon="file"
        )
        json_button = DownloadButton(
            t("klassen.inzage_json"), self._inzage_json, savebar=self.savebar, icon="file"
        )
        left_button = w.Button(description=t("klassen.mark_left"), icon="sign-out")
        delete_button = w.Button(description=t("klassen.delete"), icon="trash", button_style="danger")
        self.confirm = w.HBox()
        # An inzage for one parent leaves out the other parent's protected contact details (AVG, DESIGN §8).
        self.inzage_for = w.Dropdown(
            description=t("klassen.inzage_for"),
            options=[(t("klassen.inzage_for_all"), 0)]
            + [(t("klassen.inzage_for_guardian", naam=g["naam"]), g["id"]) for g in student["guardians"]],
            value=0,
            style={"description_width": "initial"},
            layout=w.Layout(width="460px"),
        )
        left_button.on_click(self._on_mark_left)
        delete_button.on_click(lambda b: self._ask_delete(b, name))
        title = w.HTML(
            safe_html(
                "<h4>{text}</h4><p class='stip-muted'>{hint}</p>",
                text=t("klassen.privacy_title"),
                hint=t("klassen.privacy_hint"),
            )
        )
        return w.VBox(
            [
                title,
                self.inzage_for,
                w.HBox([html_button, json_button]),
                w.HBox([left_button, delete_button]),
                self.confirm,
            ]
        )

    def _inzage(self):
        from stip import privacy

        with store.read() as conn:
            return privacy.inzage(conn, self.actor, self.student_id, self.inzage_for.value or None)

    def _inzage_html(self) -> DownloadFile:
        from stip import privacy

        found = self._inzage()
        data = privacy.inzage_html(found)
        return DownloadFile(data.encode("utf-8"), f"{self._inzage_name(found)}.html", "text/html")

    def _inzage_json(self) -> DownloadFile:
        import json

        found = self._inzage()
        data = json.dumps(found, ensure_ascii=False, indent=1).encode("utf-8")
        return DownloadFile(data, f"{self._inzage_name(found)}.json", "application/json")

    @staticmethod
    def _inzage_name(found: dict) -> str:
        """ "inzage-Daan-de-Vries": the child's name, not an internal number, in letters, digits and '-'."""
        import re

        student = found.get("student") or {}
        naam = " ".join(str(student.get(k) or "") for k in ("roepnaam", "tussenvoegsel", "achternaam"))
        return "-".join(["inzage", *re.findall(r"[^\W_]+", naam)])

    @handled
    def _on_mark_left(self, button) -> None:
        with store.write() as conn:
            klassen.mark_left(conn, self.actor, self.student_id)
        self._closed(t("klassen.marked_left"))

    def _ask_delete(self, button, name: str) -> None:
        yes = w.Button(description=t("klassen.delete_yes"), button_style="danger", icon="trash")
        no = w.Button(description=t("klassen.delete_no"))
        yes.on_click(self._on_delete)
        no.on_click(lambda b: setattr(self.confirm, "children", ()))
        self.confirm.children = (w.Label(t("klassen.delete_question", name=name)), yes, no)

    @handled
    def _on_delete(self, button) -> None:
        from stip import privacy

        with store.write() as conn:
            privacy.delete_student(conn, self.actor, self.student_id)
        store.checkpoint()  # the deleted rows leave the write-ahead log too (DESIGN §8)
        self._closed(t("klassen.deleted"))

    def _closed(self, message: str) -> None:
        self.student_id = None
        self.body.children = ()
        self.refresh_options()
        self.picker.value = None
        self.on_changed()
        self.savebar.info(message)
