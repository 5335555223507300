"""Pieces shared by the Moeilijk gesprek screen and its step panels: field widgets built from the content
file, values to and from the form, and B's pure modules (flow, sheet, worked examples) loaded lazily.
"""

from __future__ import annotations

import importlib
from datetime import date
from types import ModuleType
from typing import Any

import anywidget
import ipywidgets as w
import traitlets as tl

from stip import moeilijk_gesprek as mg
from stip.i18n import t


def wide() -> w.Layout:
    """A new layout for a text field (never share one Layout: hiding one field would hide them all)."""
    return w.Layout(width="100%", max_width="640px")


def short() -> w.Layout:
    """A new layout for a dropdown or a short text."""
    return w.Layout(width="100%", max_width="340px")


FIELD_CLASS = "stip-reflectie__field"  # label above the field, full width (stip.css)


def optional(name: str) -> ModuleType | None:
    """`stip.<name>` when it is there (the flow, the sheet and the worked examples are built beside
    this screen), else None: the step then says it is not available yet instead of failing."""
    try:
        return importlib.import_module(f"stip.{name}")
    except ImportError:
        return None


def choice_options(field: str, texts: dict[str, Any]) -> list[tuple[str, str]]:
    """Dropdown options for a choice field: "kies …" first, then the choices in words."""
    if field == "soort":
        labels = texts["soorten"]
        values = mg.SOORTEN
    elif field == "aangevraagd_door":
        labels = texts["aangevraagd_door"]
        values = mg.CHOICES[field]
    else:
        labels = {
            "ja": t("moeilijk.choice_ja"),
            "nee": t("moeilijk.choice_nee"),
            "nog_niet": t("moeilijk.choice_nog_niet"),
            "deels": t("moeilijk.choice_deels"),
        }
        values = mg.CHOICES[field]
    return [(t("moeilijk.choose"), ""), *[(labels[v], v) for v in values]]


def field_widget(field: str, spec: dict[str, Any], texts: dict[str, Any]) -> w.ValueWidget:
    """The input for one answer field, labelled with its content label and prompting with its prompt."""
    label = spec.get("label", field)
    prompt = " ".join(str(spec.get("prompt") or "").split())
    kind = "choice" if field == "soort" else mg.ANSWER_FIELDS.get(field, "text")
    style = {"description_width": "initial"}
    if kind == "choice" or isinstance(kind, tuple):
        widget = w.Dropdown(
            description=label, options=choice_options(field, texts), style=style, layout=short()
        )
    elif kind == "date":
        widget = w.DatePicker(description=label, style=style)
    elif kind in ("time", "minutes"):
        placeholder = t("moeilijk.time_placeholder") if kind == "time" else t("moeilijk.minutes_placeholder")
        widget = w.Text(description=label, placeholder=placeholder, style=style, layout=short())
    elif kind == "line":
        widget = w.Text(description=label, placeholder=prompt, style=style, layout=wide())
        widget.add_class(FIELD_CLASS)
    else:
        widget = w.Textarea(description=label, placeholder=prompt, style=style, layout=wide())
        widget.add_class(FIELD_CLASS)
    return widget


def to_form(field: str, value: str) -> Any:
    """A stored answer as its widget's value (a date for the date field)."""
    if mg.ANSWER_FIELDS.get(field) == "date":
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            return None
    return value or ""


def to_answer(value: Any) -> str:
    """A widget's value as the answers dict holds it (dates as YYYY-MM-DD)."""
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


class AddressBar(anywidget.AnyWidget):
    """Keeps the page's address in step with what is open (`?voorbereiding=N`), so a reload opens the
    same preparation. Only this parameter changes: the others (a token among them) stay as they are."""

    _esm = """
    function render({ model }) {
      const apply = () => {
        const id = model.get("voorbereiding");
        const params = new URLSearchParams(window.location.search);
        params.delete("student");
        if (id) { params.set("voorbereiding", String(id)); } else { params.delete("voorbereiding"); }
        const query = params.toString();
        window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      };
      model.on("change:voorbereiding", apply);
      apply();
      return () => model.off("change:voorbereiding", apply);
    }
    export default { render };
    """
    voorbereiding = tl.Int(0).tag(sync=True)
