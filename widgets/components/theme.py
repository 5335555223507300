"""Stip's styling as one `<style>` block in an HTML widget: no CDN, no extra files."""

from __future__ import annotations

import ipywidgets as w

__all__ = ["STIP_CSS", "theme_widget"]

STIP_CSS = """
.stip-title, .stip-card h2, .stip-card h3 { color: #1f4e79; }
.stip-dot { color: #e07a2f; }
.stip-card { border: 1px solid #d6dee8; border-radius: 8px; padding: 12px 16px; margin: 8px 0;
  background: #fff; }
.stip-role { font-weight: 600; color: #1f4e79; }
.stip-muted { color: #5f6b7a; }
.stip-savebar { min-height: 32px; padding: 2px 8px; border-radius: 6px; }
.stip-savebar--saved { color: #1e6b34; }
.stip-savebar--info { color: #1f4e79; }
.stip-savebar--error, .stip-savebar--conflict { color: #a61b1b; background: #fdecea; }
.stip-warning { color: #7a4a00; background: #fff4e5; border-left: 4px solid #e07a2f;
  padding: 4px 12px; }
.stip-stepper__title.mod-primary { background: #1f4e79; }
.stip-stepper__next.mod-disabled { opacity: 0.5; }
""".strip()


def theme_widget() -> w.HTML:
    """An HTML widget that adds `STIP_CSS` to the page; display it once per screen."""
    html = w.HTML(value=f"<style>{STIP_CSS}</style>", layout=w.Layout(display="none"))
    html.add_class("stip-theme")
    return html
