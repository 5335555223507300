"""Finding widgets inside a screen, as a user finds them on the page (for tests without a browser)."""

from __future__ import annotations

import ipywidgets as w

from widgets.components.download import DownloadButton

BUTTONS = (w.Button, DownloadButton)  # both have a description and `.click()`


def walk(widget):
    """The widget and everything inside it, depth first."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def button(root, description: str) -> w.Button | DownloadButton:
    """The first button (or download button) inside `root` with this (Dutch) description."""
    found = [b for b in walk(root) if isinstance(b, BUTTONS) and b.description == description]
    assert found, f"no button {description!r}"
    return found[0]
