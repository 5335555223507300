"""Klassen en gezinnen: see a class, import a class list, edit a student and their guardians, privacy.

The screen parses the page's query (`?klas=1A` opens that class, `?student=42` that student) and holds
four panels in tabs; each panel has its own save bar, calls services in `stip/` and keeps no state that
the database does not also hold.
"""

from __future__ import annotations

import ipywidgets as w

from stip import klassen, schools, startgesprek, store
from stip.i18n import t
from stip.timefmt import format_date
from widgets.components.download import DownloadButton, DownloadFile
from widgets.components.handled import handled
from widgets.components.lazy_tabs import LazyTabs
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen


def guardian_lines(guardians: list[dict]) -> str:
    lines = []
    for g in guardians:
        extra = f" ({g['relatie']})" if g["relatie"] else ""
        line = safe(g["naam"] + extra)
        if g["apart_informeren"]:
            line += safe_html(' <span class="stip-badge">{text}</span>', text=t("klassen.apart_badge"))
        lines.append(line)
    return "<br>".join(lines) or safe_html(
        '<span class="stip-muted">{text}</span>', text=t("klassen.no_guardians")
    )


def language_cell(guardians: list[dict]) -> str:
    """The family's home languages, once each, and whether an interpreter is needed; "onbekend" when
    nobody filled it in (the mentor is asked to)."""
    languages = list(dict.fromkeys(g["taal"].strip() for g in guardians if g["taal"].strip()))
    if not languages:
        return safe_html('<span class="stip-warning">{text}</span>', text=t("klassen.language_unknown"))
    text = ", ".join(languages)
    if any(g["tolk_nodig"] for g in guardians):
        text += f" — {t('klassen.tolk_nodig')}"
    return safe(text)


def class_table(
    students: list[dict], talks: dict[int, dict] | None = None, contacts: dict[int, tuple] | None = None
) -> str:
    """The class as an HTML table; every value escaped; each name links to that student."""
    columns = [
        t(key)
        for key in (
            "klassen.col_student",
            "klassen.col_guardians",
            "klassen.col_language",
            "klassen.col_startgesprek",
            "klassen.col_last_contact",
        )
    ]
    head = "".join(f"<th scope='col'>{safe(c)}</th>" for c in columns)
    label = [f' data-label="{safe(c)}"' for c in columns]  # a phone shows each row as a card with labels
    talks = talks or {}
    contacts = contacts or {}
    rows = []
    for s in students:
        name = safe_html(
            '<a href="Klassen.ipynb?student={id}">{name}</a> <span class="stip-muted">{nr}</span>',
            id=s["id"],
            name=klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"]),
            nr=s["leerlingnummer"],
        )
        if s["missing_since"]:
            name += safe_html(
                '<br><span class="stip-warning">{text}</span>',
                text=t("klassen.missing_since", date=format_date(s["missing_since"])),
            )
        cells = (
            name,
            guardian_lines(s["guardians"]),
            language_cell(s["guardians"]),
            talk_cell(talks.get(s["id"])),
            contact_cell(contacts.get(s["id"])),
        )
        rows.append("<tr>" + "".join(f"<td{label[i]}>{cell}</td>" for i, cell in enumerate(cells)) + "</tr>")
    return (
        '<table class="stip-table stip-table--stack">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def contact_cell(contact: tuple | None) -> str:
    if contact is None:
        return "—"
    day, key = contact
    return safe(f"{format_date(day)} ({t(key)})")


def talk_cell(talk: dict | None) -> str:
    """The startgesprek state of one student, linked to the talk when there is one."""
    text = t(startgesprek.state_label_key(talk))
    if talk and talk.get("held_on"):
        text += f" ({format_date(talk['held_on'])})"
    return safe(text)


class ClassPanel(w.VBox):
    """Choose a class; see its students with guardians and language; export the list."""

    def __init__(self, actor: schools.Actor, klas_name: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.savebar = SaveBar()
        self.klas = w.Dropdown(
            description=t("klassen.klas_label"), options=[], style={"description_width": "initial"}
        )
        self.summary = w.HTML()
        self.table = w.HTML()
        self.csv_button = DownloadButton(
            t("klassen.export_csv"), lambda: self._export("csv"), savebar=self.savebar
        )
        self.xlsx_button = DownloadButton(
            t("klassen.export_xlsx"), lambda: self._export("xlsx"), savebar=self.savebar
        )
        self.empty = w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("klassen.no_classes")))
        exports = w.HBox([self.csv_button, self.xlsx_button], layout=w.Layout(align_items="center"))
        note = w.HTML(safe_html('<p class="stip-muted"><small>{text}</small></p>', text=t("export.csv_note")))
        self.children = (self.empty, self.klas, self.summary, self.table, exports, note, self.savebar)
        self.names: dict[int, str] = {}
        self.klas.observe(self._on_klas, names="value")
        self.refresh(klas_name)

    def refresh(self, klas_name: str | None = None) -> None:
        """Reload the classes; keep the chosen one (or choose `klas_name`)."""
        with store.read() as conn:
            infos = klassen.klassen(conn, self.actor)
        wanted = klas_name or self.names.get(self.klas.value)
        self.names = {k.id: k.name for k in infos}
        self.empty.layout.display = "none" if infos else None
        with self.hold_trait_notifications():
            self.klas.options = [(f"{k.name} ({k.students})", k.id) for k in infos]
            self.klas.value = next((k.id for k in infos if k.name == wanted), infos[0].id if infos else None)
        self._show()

    @handled
    def _on_klas(self, change) -> None:
        self._show()

    @handled
    def _show(self) -> None:
        if self.klas.value is None:
            self.summary.value = self.table.value = ""
            return
        with store.read() as conn:
            students = klassen.class_students(conn, self.actor, self.klas.value)
            talks = startgesprek.states(conn, self.actor, [s["id"] for s in students])
            contacts = startgesprek.last_contacts(conn, self.actor, [s["id"] for s in students])
            info = next(k for k in klassen.klassen(conn, self.actor) if k.id == self.klas.value)
        tolk = sum(any(g["tolk_nodig"] for g in s["guardians"]) for s in students)
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "klassen.class_summary",
                klas=info.name,
                students=t("klassen.n_students", count=len(students)),
                mentor=info.mentor or t("klassen.no_mentor"),
                tolk=tolk,
            ),
        )
        self.table.value = class_table(students, talks, contacts)

    def _export(self, kind: str) -> DownloadFile:
        from stip import exports

        with store.read() as conn:
            headers, rows = exports.class_list(conn, self.actor, self.klas.value)
        name = self.names.get(self.klas.value, "alle")
        if kind == "csv":
            data, mime = exports.to_csv(headers, rows), "text/csv"
        else:
            data, mime = (
                exports.to_xlsx(headers, rows),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        return DownloadFile(data, f"klas-{name}.{kind}", mime)


class KlassenScreen(Screen):
    """The workbook's screen: tabs for class, import, student and privacy."""

    TABS = ("klassen.tab_class", "klassen.tab_import", "klassen.tab_student", "klassen.tab_privacy")

    def build(self) -> None:
        student_id = self.query_int("student")
        self.student_id = student_id
        builders = (self._build_class, self._build_import, self._build_student, self._build_privacy)
        self.tabs = LazyTabs(
            [t(key) for key in self.TABS], builders, selected=2 if student_id is not None else 0
        )
        self.savebar = SaveBar()  # what went wrong while switching tabs
        self.children = (self.savebar, self.tabs)
        self.tabs.observe(self._on_tab, names="selected_index")

    @handled
    def _on_tab(self, change) -> None:
        if change["new"] == 0 and self.tabs.is_built(0):
            self.class_panel.refresh()  # edits made in the other tabs show at once

    # Panels are built when their tab is first shown (or first used from code).
    @property
    def class_panel(self) -> ClassPanel:
        return self.tabs.panel(0)

    @property
    def import_panel(self):
        return self.tabs.panel(1)

    @property
    def student_panel(self):
        return self.tabs.panel(2)

    @property
    def privacy_panel(self):
        return self.tabs.panel(3)

    def _build_class(self) -> ClassPanel:
        return ClassPanel(self.actor, self.query.get("klas"))

    def _build_import(self):
        from widgets.klassen_import import ImportPanel

        return ImportPanel(self.actor, on_imported=self._on_imported)

    def _build_student(self):
        from widgets.student_edit import StudentPanel

        return StudentPanel(self.actor, self.student_id, on_changed=self._on_student_changed)

    def _build_privacy(self):
        from widgets.privacy_panel import PrivacyPanel

        return PrivacyPanel(self.actor)

    @handled
    def _on_student_changed(self) -> None:
        if self.tabs.is_built(0):
            self.class_panel.refresh()

    @handled
    def _on_imported(self) -> None:
        if self.tabs.is_built(0):
            self.class_panel.refresh()
        if self.tabs.is_built(2):
            self.student_panel.refresh_options()


def show_klassen() -> KlassenScreen:
    return KlassenScreen()
