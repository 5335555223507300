"""Instellingen: the school's name and address for talks, your own name, e-mail and phone, the mentors of
each class (two at most), and the report days and holidays of the school year.

Every field saves itself (`AutoSaveForm`; dropdowns at once); a date row is its own small form. A version
conflict shows "Herladen" in that section's save bar. `missing_notice` is the notice the Startgesprek and
Gouden mail pages show while a parent would still see a placeholder (`stip.instellingen.missing`).
"""

from __future__ import annotations

from functools import partial

import ipywidgets as w

from stip import instellingen, store
from stip.i18n import t
from stip.schools import DEFAULT_SCHOOL_NAME
from widgets.components.autosave import AutoSaveForm
from widgets.components.handled import handled
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen

WIDE = w.Layout(width="480px")
STYLE = {"description_width": "170px"}
KIND_KEYS = {"rapport": "instellingen.kind_rapport", "vakantie": "instellingen.kind_vakantie"}


def missing_notice(found: list[str]) -> str:
    """The notice (trusted markup, values escaped) that says what to fill in, with a relative link to
    Instellingen; "" when nothing is missing."""
    if not found:
        return ""
    return safe_html(
        '<div class="stip-notice stip-settings-notice" role="status"><p>{text} '
        '<a href="Instellingen.ipynb">{link}</a>.</p></div>',
        text=t("instellingen.notice", what=instellingen.missing_text(found)),
        link=t("instellingen.notice_link"),
    )


def refusal(found: list[str]) -> str:
    """What a button that hands parents a text says instead, while something is still missing."""
    return t("instellingen.refused", what=instellingen.missing_text(found))


def heading(title: str, hint: str = "") -> w.HTML:
    markup = safe_html("<h3>{title}</h3>", title=title)
    if hint:
        markup += safe_html("<p class='stip-muted'>{hint}</p>", hint=hint)
    return w.HTML(markup)


def text(label_key: str, **kwargs) -> w.Text:
    return w.Text(description=t(label_key), layout=WIDE, style=STYLE, **kwargs)


class DateRow(w.HBox):
    """One report day or holiday: name and dates save as typed; a button removes it."""

    def __init__(self, screen: InstellingenScreen, row: dict):
        super().__init__()
        self.screen, self.date_id, self.version = screen, row["id"], row["version"]
        self.kind = row["kind"]
        self.savebar = screen.dates_bar
        fields = {
            "name": w.Text(
                description=t(KIND_KEYS[row["kind"]]),
                layout=w.Layout(width="320px"),
                style={"description_width": "80px"},
            ),
            "starts_on": w.DatePicker(
                description=t(
                    "instellingen.field_starts_on"
                    if self.kind == "rapport"
                    else "instellingen.field_first_day"
                ),
                layout=w.Layout(width="260px"),
                style={"description_width": "80px"},
            ),
        }
        if self.kind == "vakantie":
            fields["ends_on"] = w.DatePicker(
                description=t("instellingen.field_last_day"),
                layout=w.Layout(width="260px"),
                style={"description_width": "80px"},
            )
        self.form = AutoSaveForm(fields, self._save, self.savebar)
        self.form.load({name: row[name] for name in fields})
        self.form.layout = w.Layout(flex_flow="row wrap", align_items="flex-start")
        remove = w.Button(description=t("instellingen.date_delete"), icon="trash")
        remove.on_click(self._on_delete)
        self.add_class("stip-date-row")
        # A report day has no last day: keep its delete button in line with the holidays' buttons.
        spacer = [] if self.kind == "vakantie" else [w.Box(layout=w.Layout(width="260px"))]
        self.children = (self.form, *spacer, remove)

    def _save(self, changes: dict) -> bool:
        with store.write() as conn:
            self.version = instellingen.save_date(
                conn, self.screen.actor, self.date_id, changes, self.version
            )
        return True

    @handled(savebar=lambda self: self.savebar)
    def _on_delete(self, button) -> None:
        name = self.form.values()["name"]
        with store.write() as conn:
            instellingen.delete_date(conn, self.screen.actor, self.date_id)
        self.screen.show_dates()
        self.savebar.info(t("instellingen.date_deleted", name=name))


class InstellingenScreen(Screen):
    """Four sections, each with its own save bar: school, you, mentors per class, dates of the year."""

    def build(self) -> None:
        self.school_bar, self.me_bar, self.mentors_bar, self.dates_bar = (SaveBar() for _ in range(4))
        for bar in (self.school_bar, self.me_bar, self.mentors_bar, self.dates_bar):
            bar.on_reload(lambda _b: self.refresh())
        self.school_form = AutoSaveForm(
            {
                "name": text(
                    "instellingen.field_school_name", placeholder=t("instellingen.school_name_placeholder")
                ),
                "adres": text("instellingen.field_adres", placeholder=t("instellingen.adres_placeholder")),
            },
            self._save_school,
            self.school_bar,
        )
        self.me_form = AutoSaveForm(
            {
                "naam": text("instellingen.field_naam", placeholder=t("instellingen.naam_placeholder")),
                "email": text("instellingen.field_email", placeholder="naam@school.nl"),
                "telefoon": text("instellingen.field_telefoon"),
            },
            self._save_me,
            self.me_bar,
        )
        self.me_hint = w.HTML()
        self.mentor_rows = w.VBox()
        self.colleague = text("instellingen.field_colleague")
        self.colleague_email = text("instellingen.field_colleague_email", placeholder="naam@school.nl")
        add_colleague = w.Button(description=t("instellingen.colleague_add"), icon="user-plus")
        add_colleague.on_click(self._on_add_colleague)
        self.dates_title = w.HTML()
        self.date_rows = w.VBox()
        self.new_kind = w.ToggleButtons(
            options=[(t(key), kind) for kind, key in KIND_KEYS.items()], value="rapport"
        )
        self.new_kind.observe(lambda _c: self._show_new_kind(), names="value")
        self.new_name = w.Text(
            description=t("instellingen.field_date_name"),
            placeholder=t("instellingen.rapport_placeholder"),
            layout=w.Layout(width="320px"),
            style={"description_width": "80px"},
        )
        self.new_starts = w.DatePicker(
            description=t("instellingen.field_starts_on"),
            layout=w.Layout(width="260px"),
            style={"description_width": "80px"},
        )
        self.new_ends = w.DatePicker(
            description=t("instellingen.field_last_day"),
            layout=w.Layout(width="260px", display="none"),
            style={"description_width": "80px"},
        )
        add_date = w.Button(description=t("instellingen.date_add"), icon="plus", button_style="primary")
        add_date.on_click(self._on_add_date)
        self.date_error = w.HTML()
        new_date = w.VBox(
            [
                w.HTML(safe_html("<h4>{t}</h4>", t=t("instellingen.date_new"))),
                self.new_kind,
                w.HBox(
                    [self.new_name, self.new_starts, self.new_ends, add_date],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
            ]
        )
        new_date.add_class("stip-card")
        self.children = (
            heading(t("instellingen.school_title"), t("instellingen.school_hint")),
            self.school_form,
            self.school_bar,
            heading(t("instellingen.me_title")),
            self.me_hint,
            self.me_form,
            self.me_bar,
            heading(t("instellingen.mentors_title"), t("instellingen.mentors_hint")),
            self.mentor_rows,
            self.mentors_bar,
            w.HTML(
                safe_html(
                    "<h4>{t}</h4><p class='stip-muted'>{h}</p>",
                    t=t("instellingen.colleague_title"),
                    h=t("instellingen.colleague_hint"),
                )
            ),
            w.HBox(
                [self.colleague, self.colleague_email, add_colleague], layout=w.Layout(flex_flow="row wrap")
            ),
            self.dates_title,
            self.date_rows,
            new_date,
            self.date_error,
            self.dates_bar,
        )
        self.add_class("stip-instellingen")
        self.refresh()

    # -- reading ----------------------------------------------------------------------------------------

    def refresh(self) -> None:
        with store.read() as conn:
            data = instellingen.settings(conn, self.actor)
            self.dates = instellingen.dates(conn, self.actor)
        self.data = data
        self.school_version = data["school"]["version"]
        self.me_version = data["me"]["version"]
        # A default that a parent must never see shows as an empty field with a prompt, not as a value.
        name = data["school"]["name"]
        self.school_form.load(
            {"name": "" if name == DEFAULT_SCHOOL_NAME else name, "adres": data["school"]["adres"]}
        )
        me = data["me"]
        naam = "" if me["naam"] == me["login"] else me["naam"]
        self.me_form.load({"naam": naam, "email": me["email"] or "", "telefoon": me["telefoon"]})
        self.me_hint.value = safe_html(
            "<p class='stip-muted'>{h}</p>", h=t("instellingen.me_hint", login=me["login"])
        )
        self.show_mentors()
        self.show_dates(reread=False)
        for bar in (self.school_bar, self.me_bar, self.mentors_bar, self.dates_bar):
            bar.reset()

    def show_mentors(self) -> None:
        data = self.data
        if not data["klassen"]:
            self.mentor_rows.children = (
                w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("instellingen.no_classes"))),
            )
            return
        options = [(t("instellingen.no_mentor"), None)] + [
            (s["naam"] if s["naam"] == s["login"] else f"{s['naam']} ({s['login']})", s["id"])
            for s in data["staff"]
        ]
        self.mentor_dropdowns: dict[int, tuple[w.Dropdown, w.Dropdown]] = {}
        self.klas_versions = {k["id"]: k["version"] for k in data["klassen"]}
        rows = []
        for klas in data["klassen"]:
            chosen = klas["mentors"] + [None, None]
            pair = (
                w.Dropdown(
                    description=t("instellingen.mentor_1"),
                    options=options,
                    value=chosen[0],
                    layout=w.Layout(width="330px"),
                    style={"description_width": "70px"},
                ),
                w.Dropdown(
                    description=t("instellingen.mentor_2"),
                    options=options,
                    value=chosen[1],
                    layout=w.Layout(width="360px"),
                    style={"description_width": "110px"},
                ),
            )
            for dropdown in pair:
                dropdown.observe(partial(self._on_mentor, klas["id"]), names="value")
            self.mentor_dropdowns[klas["id"]] = pair
            label = w.HTML(
                safe_html("<strong>{name}</strong>", name=klas["name"]), layout=w.Layout(width="60px")
            )
            rows.append(w.HBox([label, *pair], layout=w.Layout(align_items="center")))
        self.mentor_rows.children = tuple(rows)

    def show_dates(self, reread: bool = True) -> None:
        if reread:
            with store.read() as conn:
                self.dates = instellingen.dates(conn, self.actor)
        self.dates_title.value = safe_html(
            "<h3>{title}</h3><p class='stip-muted'>{hint}</p>",
            title=t("instellingen.dates_title", year=self.data["year"]),
            hint=t("instellingen.dates_hint"),
        )
        rows = [DateRow(self, row) for row in self.dates]
        self.date_rows.children = tuple(rows) or (
            w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("instellingen.no_dates"))),
        )

    # -- saving -----------------------------------------------------------------------------------------

    def _save_school(self, changes: dict) -> bool:
        with store.write() as conn:
            self.school_version = instellingen.save_school(conn, self.actor, changes, self.school_version)
        return True

    def _save_me(self, changes: dict) -> bool:
        with store.write() as conn:
            self.me_version = instellingen.save_me(conn, self.actor, changes, self.me_version)
        if "naam" in changes:  # the mentor dropdowns show the new name
            with store.read() as conn:
                self.data = instellingen.settings(conn, self.actor)
            self.show_mentors()
        return True

    @handled(savebar="mentors_bar")
    def _on_mentor(self, klas_id: int, change) -> None:
        first, second = self.mentor_dropdowns[klas_id]
        with store.write() as conn:
            self.klas_versions[klas_id] = instellingen.set_mentors(
                conn, self.actor, klas_id, [first.value, second.value], self.klas_versions[klas_id]
            )
        if second.value is not None and second.value == first.value:  # one person is one mentor
            second.value = None
        self.mentors_bar.saved()

    @handled(savebar="mentors_bar")
    def _on_add_colleague(self, button) -> None:
        try:
            with store.write() as conn:
                instellingen.add_colleague(conn, self.actor, self.colleague.value, self.colleague_email.value)
        except instellingen.InstellingenError as refused:
            self.mentors_bar.error(t(refused.message_key, **refused.values))
            return
        name = self.colleague.value.strip()
        self.colleague.value = self.colleague_email.value = ""
        with store.read() as conn:
            self.data = {**self.data, **instellingen.settings(conn, self.actor)}
        self.show_mentors()
        self.mentors_bar.info(t("instellingen.colleague_added", naam=name))

    def _show_new_kind(self) -> None:
        rapport = self.new_kind.value == "rapport"
        self.new_ends.layout.display = "none" if rapport else None
        self.new_starts.description = t(
            "instellingen.field_starts_on" if rapport else "instellingen.field_first_day"
        )
        self.new_name.placeholder = t(
            "instellingen.rapport_placeholder" if rapport else "instellingen.vakantie_placeholder"
        )

    @handled(savebar="dates_bar")
    def _on_add_date(self, button) -> None:
        try:
            with store.write() as conn:
                instellingen.add_date(
                    conn,
                    self.actor,
                    self.new_kind.value,
                    self.new_name.value,
                    self.new_starts.value,
                    self.new_ends.value,
                )
        except instellingen.InstellingenError as refused:  # said right under the add row
            self.date_error.value = safe_html(
                '<p class="stip-error" role="alert">{text}</p>', text=t(refused.message_key, **refused.values)
            )
            return
        name = self.new_name.value.strip()
        self.date_error.value = ""
        self.new_name.value = ""
        self.new_starts.value = self.new_ends.value = None
        self.show_dates()
        self.dates_bar.info(t("instellingen.date_added", name=name))


def show_instellingen() -> InstellingenScreen:
    return InstellingenScreen()
