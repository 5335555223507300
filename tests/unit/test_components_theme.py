"""theme_widget(): the project styling as one style block, no CDN."""

import ipywidgets as w

from widgets.components import STIP_CSS, theme_widget


def test_theme_widget_carries_the_css():
    html = theme_widget()
    assert isinstance(html, w.HTML)
    assert html.value == f"<style>{STIP_CSS}</style>"
    for name in (".stip-card", ".stip-role", ".stip-muted", ".stip-savebar--error", ".stip-warning"):
        assert name in STIP_CSS
    assert "#1f4e79" in STIP_CSS and "#e07a2f" in STIP_CSS
    assert "http" not in STIP_CSS and "@import" not in STIP_CSS
