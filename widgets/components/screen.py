"""What every screen does first, inside one error boundary (DESIGN §2, "one error boundary").

`Screen.__init__` reads the page's query, checks the database schema, resolves who is acting (reads
only, except one short write on first use) and then calls the subclass's `build()`. Whatever fails on
the way shows a Dutch message where the user looks — never a traceback, never an empty page.
"""

from __future__ import annotations

import ipywidgets as w

from stip import schools, store, urls
from stip.i18n import t
from widgets.components.handled import show_error
from widgets.components.safe import safe_html
from widgets.components.savebar import SaveBar

__all__ = ["Screen"]


class Screen(w.VBox):
    """Base of a workbook's screen: `self.query` (token dropped), `self.actor`, then `build()`.

    `ready` is False when the database has not been migrated for this Stip or building failed; the
    screen then shows only the Dutch message.
    """

    def __init__(self, query: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-screen")
        self.ready = False
        self.query: dict[str, str] = {}
        self.actor: schools.Actor | None = None
        try:
            self.query = urls.query_params() if query is None else query
            if store.schema_state() != "current":
                self.children = (
                    w.HTML(safe_html('<p class="stip-error">{text}</p>', text=t("error.schema_behind"))),
                )
                return
            self.actor = schools.resolve_actor()
            self.build()
            self.ready = True
        except Exception as exc:
            bar = SaveBar()
            show_error(bar, exc, f"{type(self).__name__}.build")
            self.children = (bar,)

    def build(self) -> None:
        """Build the screen's widgets (subclasses); runs inside the error boundary."""

    def query_int(self, name: str) -> int | None:
        """The query parameter `name` as a whole number, or None (also for '²' or '-1')."""
        value = self.query.get(name, "")
        return int(value) if value.isascii() and value.isdigit() else None
