"""Charts as SVG strings (DESIGN §2): no widgets, no plotting library.

The same string goes into an `HTML` widget, a print view or a PDF. Every chart is accessible: the
`<svg>` has `role="img"`, a `<title>` and a `<desc>` that says in words what the bars show, and every
bar segment has its own `<title>` (a tooltip with the number). Colours work for colour-blind readers
and in black-and-white print: the series differ in lightness, the "zorg" series is hatched, the legend
names every series in text, and segments tall enough carry their number.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from html import escape

__all__ = ["Series", "stacked_bars", "tone_series"]

_ids = itertools.count(1)


@dataclass(frozen=True)
class Series:
    """One series of a stacked bar chart: its key, its label in the legend, a fill and whether it is
    hatched (so it stays apart from its neighbours in grey print)."""

    key: str
    label: str
    fill: str
    hatched: bool = False
    text_fill: str = "#ffffff"


# Okabe–Ito colours (safe for the common forms of colour blindness); dark blue, light grey and hatched
# vermillion also stay apart in grey print.
TONE_FILLS = {
    "positief": ("#0072B2", False, "#ffffff"),
    "neutraal": ("#d9d9d9", False, "#000000"),
    "zorg": ("#D55E00", True, "#000000"),
}


def tone_series(labels: dict[str, str]) -> list[Series]:
    """The three tones of a contact (positief / neutraal / zorg) as series, with their labels."""
    return [Series(key, labels[key], *TONE_FILLS[key]) for key in ("positief", "neutraal", "zorg")]


def _a(value: object) -> str:
    return escape(str(value), quote=True)


def stacked_bars(
    title: str,
    description: str,
    bars: list[tuple[str, dict[str, int]]],
    series: list[Series],
    *,
    bar_titles: list[str] | None = None,
    width: int = 640,
    height: int = 220,
    empty_text: str = "",
) -> str:
    """A stacked bar chart: one bar per (label, {series key: value}), series stacked bottom-up in the
    order given; `bar_titles` (optional) name each bar in full in its tooltip when the axis label is
    short. Axis labels are thinned out so they never overlap. All text is escaped; one `<svg>` element."""
    uid = f"stip-chart-{next(_ids)}"
    left, right, top, bottom, legend_h = 34, 8, 8, 34, 26
    plot_w = width - left - right
    plot_h = height - top - bottom - legend_h
    peak = max((sum(values.get(s.key, 0) for s in series) for _, values in bars), default=0)
    scale_max = _nice_max(peak)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" class="stip-chart">',
        f'<title id="{uid}-t">{_a(title)}</title>',
        f'<desc id="{uid}-d">{_a(description)}</desc>',
        "<defs>",
    ]
    for s in series:
        if s.hatched:
            parts.append(
                f'<pattern id="{uid}-{_a(s.key)}" width="6" height="6" patternUnits="userSpaceOnUse" '
                f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{_a(s.fill)}"/>'
                '<line x1="0" y1="0" x2="0" y2="6" stroke="#ffffff" stroke-width="2"/></pattern>'
            )
    parts.append("</defs>")

    def halo(s: Series) -> str:
        """Dark numbers get a white outline, so they stay readable on a hatched or mid-tone fill."""
        if s.text_fill.lower() in ("#000000", "#000", "black"):
            return ' stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="600"'
        return ""

    def fill_of(s: Series) -> str:
        return f"url(#{uid}-{_a(s.key)})" if s.hatched else _a(s.fill)

    # Axis with three gridlines and their numbers.
    for step in range(4):
        value = scale_max * step // 3
        y = top + plot_h - plot_h * step / 3
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#bbbbbb" '
            f'stroke-width="{1 if step == 0 else 0.5}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#333333">'
            f"{value}</text>"
        )
    if not bars or peak == 0:
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" font-size="13" '
            f'text-anchor="middle" fill="#333333">{_a(empty_text)}</text>'
        )
    slot = plot_w / max(len(bars), 1)
    bar_w = max(min(slot * 0.7, 48), 2)
    widest = max((len(label) for label, _ in bars), default=0) * 6 + 10  # about 6 px per character
    label_every = max(1, -(-len(bars) * widest // max(plot_w, 1)))
    for index, (label, values) in enumerate(bars):
        x = left + slot * index + (slot - bar_w) / 2
        y = top + plot_h
        total = sum(values.get(s.key, 0) for s in series)
        long_label = bar_titles[index] if bar_titles else label
        parts.append(f"<g><title>{_a(long_label)}: {total}</title>")
        for s in series:
            value = values.get(s.key, 0)
            if value <= 0:
                continue
            h = plot_h * value / scale_max
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{fill_of(s)}" '
                f'stroke="#333333" stroke-width="0.5">'
                f"<title>{_a(long_label)} — {_a(s.label)}: {value}</title></rect>"
            )
            if h >= 14 and bar_w >= 14:
                parts.append(
                    f'<text x="{x + bar_w / 2:.1f}" y="{y + h / 2 + 4:.1f}" font-size="10" '
                    f'text-anchor="middle" fill="{_a(s.text_fill)}"{halo(s)} aria-hidden="true">'
                    f"{value}</text>"
                )
        parts.append("</g>")
        if index % label_every == 0:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 14}" font-size="10" '
                f'text-anchor="middle" fill="#333333">{_a(label)}</text>'
            )
    # Legend: right-aligned under the latest bars (where a phone's scrolled chart starts).
    widths = [24 + 8 * len(s.label) + 16 for s in series]
    lx, ly = max(left, width - right - sum(widths) + 16), height - legend_h + 8
    for s, step in zip(series, widths, strict=True):
        parts.append(
            f'<rect x="{lx}" y="{ly}" width="14" height="14" fill="{fill_of(s)}" stroke="#333333" '
            f'stroke-width="0.5"/><text x="{lx + 19}" y="{ly + 11}" font-size="12" fill="#111111">'
            f"{_a(s.label)}</text>"
        )
        lx += step
    parts.append("</svg>")
    return "".join(parts)


def _nice_max(peak: int) -> int:
    """The top of the axis: at least 3 and a multiple of 3, so the three gridlines fall on whole numbers."""
    return max(3, -(-peak // 3) * 3)
