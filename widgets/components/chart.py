"""Show a chart from `stip.charts` (an SVG string) in an `HTML` widget (DESIGN §2).

The SVG is built on the domain side with every label escaped; the same string serves the print view
and the PDF. The widget only holds it.
"""

from __future__ import annotations

import ipywidgets as w

__all__ = ["Chart"]


class Chart(w.HTML):
    """An `HTML` widget holding one SVG chart (`show(svg)`); empty until shown."""

    def __init__(self, svg: str = "", **kwargs):
        super().__init__(value=svg, **kwargs)
        self.add_class("stip-chart-box")

    def show(self, svg: str) -> None:
        if not svg.lstrip().startswith("<svg"):
            raise ValueError("Chart.show expects one <svg> element from stip.charts")
        # A wrapper that scrolls on a narrow screen, starting at the right end (the latest data).
        self.value = f'<div class="stip-chart-scroll">{svg}</div>'

    def clear(self) -> None:
        self.value = ""
