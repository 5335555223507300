"""Pick one student by typing part of a name, a leerlingnummer or a class.

`match_students()` is the pure search (case- and accent-insensitive: "ozturk" finds "Öztürk");
`StudentPicker` shows at most `LIMIT` matches in a `Select`, as text labels, never HTML.
"""

from __future__ import annotations

import re
import unicodedata

import ipywidgets as w
from traitlets import Dict, Int, List, observe, validate

from stip.i18n import t

__all__ = ["StudentPicker", "match_students", "student_label", "LIMIT"]

LIMIT = 50
_WORD = re.compile(r"[0-9a-z]+")


def _fold(text: object) -> str:
    """Lower case without accents: "Öztürk" -> "ozturk"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def student_label(student: dict) -> str:
    """ "Achternaam, Roepnaam tussenvoegsel — 1A (240101)" (plain text)."""
    first = " ".join(p for p in (student.get("roepnaam"), student.get("tussenvoegsel")) if p)
    name = ", ".join(p for p in (student.get("achternaam"), first) if p)
    return f"{name} — {student.get('klas') or ''} ({student.get('leerlingnummer') or ''})"


def _sort_key(student: dict) -> tuple[str, str, str]:
    return (_fold(student.get("achternaam")), _fold(student.get("roepnaam")), _fold(student.get("klas")))


def match_students(options: list[dict], query: str) -> list[dict]:
    """The students matching every word of `query`, sorted by achternaam and roepnaam.

    A query word matches when it starts any word of the student's name, klas or leerlingnummer,
    or occurs anywhere in the name. An empty query matches everyone.
    """
    words = _WORD.findall(_fold(query))
    found = []
    for student in options:
        name = _fold(" ".join(str(student.get(k) or "") for k in ("roepnaam", "tussenvoegsel", "achternaam")))
        tokens = _WORD.findall(f"{name} {_fold(student.get('klas'))} {_fold(student.get('leerlingnummer'))}")
        compact = "".join(_WORD.findall(name))
        if all(word in compact or any(tok.startswith(word) for tok in tokens) for word in words):
            found.append(student)
    return sorted(found, key=_sort_key)


class StudentPicker(w.VBox):
    """A search box, a list of matching students and the number of matches."""

    options = List(Dict(), help="Students: id, leerlingnummer, roepnaam, tussenvoegsel, achternaam, klas.")
    value = Int(None, allow_none=True, help="The id of the chosen student, or None.")

    def __init__(self, **kwargs):
        self._syncing = False
        self.search = w.Text(
            description=t("component.picker.search_label"),
            placeholder=t("component.picker.search_placeholder"),
            continuous_update=True,
        )
        self.search.add_class("stip-picker__search")
        self.select = w.Select(options=(), rows=8, layout=w.Layout(width="auto"))
        self.select.add_class("stip-picker__list")
        self.count = w.Label()
        self.count.add_class("stip-muted")
        self.search.observe(self._filter, names="value")
        self.select.observe(self._on_select, names="value")
        super().__init__(children=(self.search, self.count, self.select), **kwargs)
        self.add_class("stip-picker")
        self._filter()

    @validate("value")
    def _known_id(self, proposal):
        value = proposal["value"]
        return value if value is None or any(s.get("id") == value for s in self.options) else None

    @observe("options")
    def _on_options(self, change) -> None:
        if self.value is not None and not any(s.get("id") == self.value for s in self.options):
            self.value = None
        self._filter()

    @observe("value")
    def _on_value(self, change) -> None:
        if self._syncing or change["new"] == self.select.value:
            return
        if change["new"] is not None and change["new"] not in [v for _label, v in self.select.options]:
            # Chosen by the screen (e.g. from the URL) but not in the list: show everyone, or that one.
            chosen = next(s for s in self.options if s.get("id") == change["new"])
            everyone = match_students(self.options, "")[:LIMIT]
            in_everyone = any(s.get("id") == change["new"] for s in everyone)
            query = "" if in_everyone else str(chosen.get("leerlingnummer") or "")
            if self.search.value != query:
                self.search.value = query  # filters, and selects `value` when it is shown
            else:
                self._filter()
            return
        self._set_select(change["new"])

    def _filter(self, change=None) -> None:
        found = match_students(self.options, self.search.value)
        shown = found[:LIMIT]
        self._syncing = True
        try:
            self.select.index = None  # keep Select from choosing the first match by itself
            self.select.options = [(student_label(s), s.get("id")) for s in shown]
        finally:
            self._syncing = False
        self._set_select(self.value if any(s.get("id") == self.value for s in shown) else None)
        self.count.value = self._count_text(len(found), len(shown))

    def _set_select(self, value) -> None:
        self._syncing = True
        try:
            self.select.value = value
        finally:
            self._syncing = False
        self.value = value

    def _on_select(self, change) -> None:
        if not self._syncing:
            self.value = change["new"]

    @staticmethod
    def _count_text(found: int, shown: int) -> str:
        if found == 0:
            return t("component.picker.count_none")
        if found == 1:
            return t("component.picker.count_one")
        if shown < found:
            return t("component.picker.count_limited", count=found, shown=shown)
        return t("component.picker.count", count=found)
