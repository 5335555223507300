"""Reusable building blocks for Stip's screens: traits in, traits out, no database access."""

from widgets.components.autosave import AutoSaveForm, Debouncer
from widgets.components.handled import handled, show_error
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.stepper import Step, Stepper
from widgets.components.student_picker import StudentPicker, match_students, student_label
from widgets.components.theme import STIP_CSS, theme_widget


def __getattr__(name: str):
    """`DownloadButton`/`DownloadFile` on first use: anywidget is imported by the screens that offer a
    download, not by every page (the home page imports components too)."""
    if name in ("DownloadButton", "DownloadFile"):
        from widgets.components import download

        return getattr(download, name)
    raise AttributeError(name)


__all__ = [
    "AutoSaveForm",
    "Debouncer",
    "DownloadButton",
    "DownloadFile",
    "STIP_CSS",
    "SaveBar",
    "Step",
    "Stepper",
    "StudentPicker",
    "handled",
    "match_students",
    "safe",
    "safe_html",
    "show_error",
    "student_label",
    "theme_widget",
]
