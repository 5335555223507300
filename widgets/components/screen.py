"""What every screen does first: the page's query, and a Dutch message when the database is behind."""

from __future__ import annotations

import ipywidgets as w

from stip import store, urls
from stip.i18n import t
from widgets.components.safe import safe_html

__all__ = ["Screen"]


class Screen(w.VBox):
    """Base of a workbook's screen: `self.query` holds the page's query (token dropped).

    `ready` is False when the database has not been migrated for this Stip; the screen then shows only
    the Dutch message and the subclass builds nothing more.
    """

    def __init__(self, query: dict[str, str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-screen")
        self.query = urls.query_params() if query is None else query
        self.ready = store.schema_state() == "current"
        if not self.ready:
            self.children = (
                w.HTML(safe_html('<p class="stip-error">{text}</p>', text=t("error.schema_behind"))),
            )

    def query_int(self, name: str) -> int | None:
        value = self.query.get(name, "")
        return int(value) if value.isdigit() else None
