"""A QR code as an inline SVG string (the join address of a live session), made with `segno`.

`segno` is small and pure Python; it is imported only when a code is drawn. The SVG holds only the
modules (no text from the address); the label goes in escaped as its accessible name.
"""

from __future__ import annotations

from html import escape

__all__ = ["qr_svg"]


def qr_svg(data: str, label: str) -> str:
    """One `<svg>` element with the QR code of `data`, scaling to its box (viewBox, no fixed size), on a
    white quiet zone, with `label` as its accessible name."""
    import segno

    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="stip-qr", dark="#000000", light="#ffffff"
    )
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label, quote=True)}" ', 1)
