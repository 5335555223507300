"""A download link for data built on click (DESIGN §10: no download widget; a data-URI link works)."""

from __future__ import annotations

import base64

import ipywidgets as w

from widgets.components.safe import safe_html

__all__ = ["DownloadLink"]


class DownloadLink(w.HTML):
    """Shows nothing until `offer(data, filename, mime, label)` puts a link to the file on the page."""

    def offer(self, data: bytes, filename: str, mime: str, label: str) -> None:
        encoded = base64.b64encode(data).decode("ascii")
        self.value = safe_html(
            '<a class="stip-download" download="{filename}" href="data:{mime};base64,{data}">{label}</a>',
            filename=filename,
            mime=mime,
            data=encoded,
            label=label,
        )

    def clear(self) -> None:
        self.value = ""
