"""Escape user text before it goes into an `ipywidgets.HTML` widget.

`HTML.value` is run as markup in the browser (`<img src=x onerror=…>` executes, DESIGN §10), so every
value that comes from a user or the database passes through `safe()`; a template is trusted code.
"""

from __future__ import annotations

import html

__all__ = ["safe", "safe_html"]


def safe(text: object) -> str:
    """`text` as inert HTML text: `& < > " '` escaped; None becomes ""."""
    if text is None:
        return ""
    return html.escape(str(text), quote=True)


def safe_html(template: str, /, **values: object) -> str:
    """Fill the trusted `template` (`str.format` placeholders) with every value escaped."""
    return template.format(**{name: safe(value) for name, value in values.items()})
