"""Print an HTML document from the page: it goes into a hidden frame that opens the browser's print
dialog as soon as it has loaded (one click for the teacher; no file to download and open first).

The document is trusted markup built by `stip/` with every value escaped; here it is escaped once
more as the frame's `srcdoc` attribute, so it cannot break out of the frame.
"""

from __future__ import annotations

import ipywidgets as w

from widgets.components.safe import safe_html

__all__ = ["PrintFrame"]

_FRAME = (
    '<iframe class="stip-print-frame" title="{title}" srcdoc="{document}" '
    'style="position:absolute;width:0;height:0;border:0;visibility:hidden" '
    'onload="try{{this.contentWindow.focus();this.contentWindow.print()}}catch(e){{}}"></iframe>'
)


class PrintFrame(w.HTML):
    """`print(document, title)` opens the print dialog for `document` (a complete HTML page)."""

    def print(self, document: str, title: str) -> None:
        self.value = ""  # a new frame each time, so printing the same sheet twice works
        self.value = safe_html(_FRAME, title=title, document=document)
