"""One click, one file: `DownloadButton` builds the file in the kernel and the browser saves it.

A small anywidget component with inline ESM (DESIGN §10; anywidget's labextension ships with the
package, the ESM is imported from a blob: URL — no request leaves the machine). The button is drawn
in the browser; a click sends a message to the kernel, which runs the builder (wrapped in `handled`,
so an error shows a Dutch text in the screen's save bar) and sends the bytes back as a binary buffer
of a custom message; the browser makes a Blob, clicks a hidden `<a download>` and revokes the object
URL afterwards. Nothing of the file stays in the widget's state or on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import anywidget
import traitlets as tl

from widgets.components.handled import handled

__all__ = ["DownloadButton", "DownloadFile"]


class DownloadFile(NamedTuple):
    """What a builder returns: the bytes, the file name the browser saves under, the MIME type."""

    data: bytes
    filename: str
    mime: str


# The button looks like an ipywidgets Button (same classes, Font Awesome icon as `fa fa-<icon>`).
# The file message is handled once per model (in `initialize`), not once per view.
_ESM = """
function initialize({ model }) {
  model.on("msg:custom", (msg, buffers) => {
    if (!msg || msg.kind !== "file") return;
    const blob = new Blob(buffers || [], { type: msg.mime || "application/octet-stream" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = msg.filename;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  });
}

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "jupyter-widgets jupyter-button widget-button stip-download-button";
  const draw = () => {
    button.replaceChildren();
    const icon = model.get("icon");
    if (icon) {
      const i = document.createElement("i");
      i.className = "fa fa-" + icon;
      i.setAttribute("aria-hidden", "true");
      button.appendChild(i);
    }
    const description = model.get("description");
    button.appendChild(document.createTextNode((icon && description ? " " : "") + description));
    button.title = model.get("tooltip") || description;
    button.disabled = model.get("disabled");
    button.setAttribute("aria-busy", model.get("disabled") ? "true" : "false");
  };
  button.addEventListener("click", () => {
    if (!button.disabled) model.send({ kind: "click" });
  });
  model.on("change:description", draw);
  model.on("change:icon", draw);
  model.on("change:tooltip", draw);
  model.on("change:disabled", draw);
  draw();
  el.classList.add("stip-download");
  el.appendChild(button);
  return () => {
    model.off("change:description", draw);
    model.off("change:icon", draw);
    model.off("change:tooltip", draw);
    model.off("change:disabled", draw);
  };
}

export default { initialize, render };
"""


class DownloadButton(anywidget.AnyWidget):
    """`DownloadButton(description, build, savebar=bar)`: one click runs `build()` and saves its file.

    `build` returns a `DownloadFile` (or a `(data, filename, mime)` tuple), or None to save nothing
    (it may have shown a message instead). `savebar` is a `SaveBar` or a function returning it.
    `.click()` does in Python what a click does in the browser and returns the file it sent.
    """

    _esm = _ESM
    description = tl.Unicode("").tag(sync=True)
    icon = tl.Unicode("download").tag(sync=True)
    tooltip = tl.Unicode("").tag(sync=True)
    disabled = tl.Bool(False).tag(sync=True)

    def __init__(
        self,
        description: str,
        build: Callable[[], DownloadFile | tuple[bytes, str, str] | None],
        *,
        savebar=None,
        icon: str = "download",
        **kwargs,
    ):
        super().__init__(description=description, icon=icon, **kwargs)
        self._build = build
        self._savebar = savebar
        self.on_msg(self._on_message)

    @property
    def savebar(self):
        bar = self._savebar
        return bar() if callable(bar) and not hasattr(bar, "error") else bar

    def _on_message(self, _widget, content, _buffers) -> None:
        if isinstance(content, dict) and content.get("kind") == "click":
            self.click()

    def click(self) -> DownloadFile | None:
        """Build the file and send it to the browser; None when the builder saved nothing or failed."""
        was_disabled = self.disabled
        self.disabled = True  # busy: a second click waits until this file is on its way
        try:
            return self._build_and_send()
        finally:
            self.disabled = was_disabled

    @handled
    def _build_and_send(self) -> DownloadFile | None:
        built = self._build()
        if built is None:
            return None
        file = DownloadFile(*built)
        data = bytes(file.data)
        self.send({"kind": "file", "filename": file.filename, "mime": file.mime}, buffers=[data])
        return DownloadFile(data, file.filename, file.mime)
