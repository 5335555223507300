"""A "copy" button for text built in the kernel, without a widget extension.

The button is trusted markup in an `HTML` widget; the text travels escaped in a `data-` attribute and
the inline handler copies it with `navigator.clipboard` (HTTPS or localhost) or, on a plain-HTTP LAN,
with a hidden textarea and `document.execCommand("copy")` (DESIGN §10).
"""

from __future__ import annotations

import ipywidgets as w

from widgets.components.safe import safe_html

__all__ = ["CopyButton"]

_SCRIPT = (
    "var b=this,x=b.dataset.text,ok=function(){b.textContent=b.dataset.done;"
    "setTimeout(function(){b.textContent=b.dataset.label},2000)};"
    "function old(){var a=document.createElement('textarea');a.value=x;a.setAttribute('readonly','');"
    "a.style.position='fixed';a.style.opacity='0';document.body.appendChild(a);a.select();"
    "try{document.execCommand('copy');ok()}finally{document.body.removeChild(a)}}"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(x).then(ok,old)}else{old()}"
)
_TEMPLATE = (
    '<button type="button" class="stip-copy jupyter-button" data-text="{text}" data-label="{label}" '
    'data-done="{done}" onclick="{script}">{label}</button>'
)

_REFUSED = (
    '<button type="button" class="stip-copy jupyter-button" '
    'onclick="this.nextElementSibling.hidden=false">{label}</button>'
    '<span class="stip-error" role="alert" hidden> {message}</span>'
)


class CopyButton(w.HTML):
    """`CopyButton(label, done)`; `.text = "..."` sets what a click copies."""

    def __init__(self, label: str, done: str, **kwargs):
        self._label, self._done = label, done
        super().__init__(**kwargs)
        self.set_text("")

    def set_text(self, text: str) -> None:
        self.text = text
        self.value = safe_html(_TEMPLATE, text=text, label=self._label, done=self._done, script=_SCRIPT)

    def refuse(self, message: str) -> None:
        """Copy nothing: a click shows `message` beside the button (e.g. what to fill in first)."""
        self.text = ""
        self.value = safe_html(_REFUSED, label=self._label, message=message)
