"""Charts as SVG strings (DESIGN §2): no widgets, no plotting library.

The same string goes into an `HTML` widget, a print view or a PDF. Every chart is accessible: the
`<svg>` has `role="img"`, a `<title>` and a `<desc>` that says in words what the bars show, and every
bar segment has its own `<title>` (a tooltip with the number). Colours work for colour-blind readers
and in black-and-white print: the series differ in lightness, the "zorg" series is hatched, the legend
names every series in text, and segments tall enough carry their number.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from html import escape

__all__ = ["Series", "distribution", "rounds_bars", "scale_series", "stacked_bars", "tone_series"]

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


# A four-point scale from "helemaal niet mee eens" to "helemaal mee eens", and "weet ik niet": the two
# disagreeing answers warm (the strongest hatched), the two agreeing ones blue (the strongest darkest),
# "weet ik niet" light grey and last; they stay apart in grey print and for colour-blind readers.
SCALE_FILLS = {
    "1": ("#D55E00", True, "#000000"),
    "2": ("#F4B183", False, "#000000"),
    "3": ("#9DC3E6", False, "#000000"),
    "4": ("#0072B2", False, "#ffffff"),
    "weet_niet": ("#eeeeee", False, "#000000"),
}


def scale_series(labels: dict[str, str]) -> list[Series]:
    """The options of a scale item ("1" … "4", "weet_niet") as series, with their labels."""
    return [Series(key, labels[key], *SCALE_FILLS[key]) for key in SCALE_FILLS if key in labels]


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


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """`text` in lines of at most about `width` characters (words kept whole), at most `max_lines`; a cut
    text ends in "…"."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return [line if len(line) <= width + 8 else line[: width + 7] + "…" for line in lines] or [""]


def distribution(
    title: str,
    description: str,
    rows: list[tuple[str, dict[str, int]]],
    series: list[Series],
    *,
    width: int = 760,
    label_chars: int | None = None,
    max_label_lines: int = 3,
    empty_text: str = "",
    stacked: bool = False,
) -> str:
    """A horizontal 100% stacked bar per row (label, {series key: count}): how the answers to each
    statement are spread over the options, in the order of `series`. The label (wrapped, the full text
    in the bar's tooltip) sits left of its bar — or above it with `stacked` (for a narrow screen, e.g.
    `width=400`); every segment has a tooltip with its count and share, and wide segments show the count.
    A row without answers shows `empty_text`. All text is escaped; one `<svg>` element with role="img",
    a title and a description."""
    # The ids follow from the content: the same chart gives the same string, so a live view that redraws
    # it sends nothing new (its element ids still differ from every other chart's on the page).
    digest = hashlib.sha1(repr((title, description, rows, series, width, stacked)).encode()).hexdigest()[:12]
    uid = f"stip-dist-{digest}"
    left_pad, right_pad, top, legend_h, line_h, gap = 8, 8, 8, 30, 15, 10
    if stacked:  # the label on its own lines, the bar under it across the whole width
        label_chars = label_chars or int((width - left_pad - right_pad) / 6.7)
        bar_x = left_pad
    else:
        label_chars = label_chars or 46
        bar_x = left_pad + int(label_chars * 6.7) + 14  # about 6.5 px per character at 12 px
    bar_w = width - bar_x - right_pad
    wrapped = [_wrap(label, label_chars, max_label_lines) for label, _ in rows]
    if stacked:
        heights = [len(lines) * line_h + 6 + 24 for lines in wrapped]
    else:
        heights = [max(len(lines) * line_h + 6, 26) for lines in wrapped]
    legend, lx, ly = [], float(left_pad), 0  # legend places, wrapping onto more lines on a narrow chart
    for s in series:
        step = 24 + 6.7 * len(s.label) + 12
        if lx + step > width and lx > left_pad:
            lx, ly = float(left_pad), ly + 18
        legend.append((s, lx, ly))
        lx += step
    legend_h += ly
    height = top + sum(heights) + gap * max(len(rows) - 1, 0) + legend_h + 8
    if not rows:
        height = top + 40 + legend_h
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" '
        f'class="stip-chart stip-chart--distribution">',
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

    def fill_of(s: Series) -> str:
        return f"url(#{uid}-{_a(s.key)})" if s.hatched else _a(s.fill)

    def halo(s: Series) -> str:
        if s.text_fill.lower() in ("#000000", "#000", "black"):
            return ' stroke="#ffffff" stroke-width="3" paint-order="stroke" font-weight="600"'
        return ""

    if not rows:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{top + 24}" font-size="13" text-anchor="middle" '
            f'fill="#333333">{_a(empty_text)}</text>'
        )
    y = top
    for (label, values), lines, row_h in zip(rows, wrapped, heights, strict=True):
        total = sum(max(values.get(s.key, 0), 0) for s in series)
        parts.append(f"<g><title>{_a(label)}: {total}</title>")
        text_y = y + 11 if stacked else y + (row_h - len(lines) * line_h) / 2 + 11
        parts.append(f'<text x="{left_pad}" y="{text_y:.1f}" font-size="12" fill="#111111">')
        for index, line in enumerate(lines):
            dy = 0 if index == 0 else line_h
            parts.append(f'<tspan x="{left_pad}" dy="{dy}">{_a(line)}</tspan>')
        parts.append("</text>")
        bar_h = 22 if stacked else min(row_h - 4, 26)
        bar_y = y + row_h - bar_h - 2 if stacked else y + (row_h - bar_h) / 2
        if total == 0:
            parts.append(
                f'<rect x="{bar_x}" y="{bar_y:.1f}" width="{bar_w}" height="{bar_h:.1f}" fill="#ffffff" '
                f'stroke="#bbbbbb" stroke-width="0.5"/><text x="{bar_x + 8}" y="{bar_y + bar_h / 2 + 4:.1f}" '
                f'font-size="11" fill="#333333">{_a(empty_text)}</text>'
            )
        x = float(bar_x)
        for s in series:
            value = max(values.get(s.key, 0), 0)
            if not value or not total:
                continue
            seg = bar_w * value / total
            share = round(100 * value / total)
            parts.append(
                f'<rect x="{x:.1f}" y="{bar_y:.1f}" width="{seg:.1f}" height="{bar_h:.1f}" '
                f'fill="{fill_of(s)}" stroke="#333333" stroke-width="0.5">'
                f"<title>{_a(label)} — {_a(s.label)}: {value} ({share}%)</title></rect>"
            )
            if seg >= 18:
                parts.append(
                    f'<text x="{x + seg / 2:.1f}" y="{bar_y + bar_h / 2 + 4:.1f}" font-size="12" '
                    f'text-anchor="middle" fill="{_a(s.text_fill)}"{halo(s)} aria-hidden="true">'
                    f"{value}</text>"
                )
            x += seg
        parts.append("</g>")
        y += row_h + gap
    # Legend under the bars, in the order of the bars' segments.
    base = height - legend_h + 4
    for s, lx, ly in legend:
        parts.append(
            f'<rect x="{lx:.1f}" y="{base + ly}" width="14" height="14" fill="{fill_of(s)}" '
            f'stroke="#333333" stroke-width="0.5"/><text x="{lx + 19:.1f}" y="{base + ly + 11}" '
            f'font-size="12" fill="#111111">{_a(s.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _nice_max(peak: int) -> int:
    """The top of the axis: at least 3 and a multiple of 3, so the three gridlines fall on whole numbers."""
    return max(3, -(-peak // 3) * 3)


# -- rounds_bars (issue 17, next round; developer G) -----------------------------------------------------
ROUND_FILLS = ("#9ecae1", "#4292c6", "#2171b5", "#08306b")  # older rounds lighter, the latest darkest


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def rounds_bars(
    title: str,
    description: str,
    rows: list[tuple[str, list[float | None]]],
    rounds: list[str],
    *,
    scale_min: float = 1,
    scale_max: float = 4,
    width: int = 640,
    label_chars: int = 70,
    empty_text: str = "",
) -> str:
    """Grouped horizontal bars over rounds (rounds_bars): per row (label, [mean per round, oldest first])
    one bar per round from `scale_min` to its mean, its number after it ("–" for a round without a mean).
    The label (wrapped, at most two lines) sits above its bars, so it stays readable on a phone. Rounds
    differ in lightness (older lighter), named in the legend. All text escaped; one `<svg>` element."""
    uid = f"stip-chart-{next(_ids)}"
    left, right, top, legend_h = 8, 44, 8, 24
    bar_h, bar_gap, row_gap, line_h = 12, 3, 12, 14
    labelled = [(_wrap(label, label_chars, 2), values) for label, values in rows]
    body = sum(len(lines) * line_h + 2 + len(rounds) * (bar_h + bar_gap) + row_gap for lines, _ in labelled)
    height = top + legend_h + max(body, 40) + 22
    plot_x, plot_w = left, width - left - right
    span = max(scale_max - scale_min, 1e-9)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px" class="stip-chart">',
        f'<title id="{uid}-t">{_a(title)}</title>',
        f'<desc id="{uid}-d">{_a(description)}</desc>',
    ]

    def fill(index: int) -> str:  # spread over the shades: two rounds are the lightest and the darkest
        last = len(ROUND_FILLS) - 1
        return ROUND_FILLS[round(index * last / max(len(rounds) - 1, 1)) if len(rounds) > 1 else last]

    # Legend first (top), so a reader knows which shade is which round before the bars.
    lx = left
    for index, name in enumerate(rounds):
        parts.append(
            f'<rect x="{lx}" y="{top}" width="14" height="14" fill="{fill(index)}" stroke="#333333" '
            f'stroke-width="0.5"/><text x="{lx + 19}" y="{top + 11}" font-size="12" fill="#111111">'
            f"{_a(name)}</text>"
        )
        lx += 24 + 7 * len(name) + 16
    y = top + legend_h
    grid_top = y
    if not rows:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{y + 24}" font-size="13" text-anchor="middle" '
            f'fill="#333333">{_a(empty_text)}</text>'
        )
    for (lines, values), (label, _) in zip(labelled, rows, strict=True):
        parts.append(f"<g><title>{_a(label)}</title>")
        for line in lines:
            y += line_h
            parts.append(f'<text x="{left}" y="{y - 3}" font-size="12" fill="#111111">{_a(line)}</text>')
        y += 2  # rounds_bars: a little room between the label's last line and its first bar
        for index, value in enumerate(values):
            name = rounds[index] if index < len(rounds) else ""
            if value is None:
                parts.append(
                    f'<text x="{plot_x + 2}" y="{y + bar_h - 2}" font-size="11" fill="#333333">–'
                    f"<title>{_a(name)}: –</title></text>"
                )
            else:
                length = max(plot_w * (min(max(value, scale_min), scale_max) - scale_min) / span, 1)
                parts.append(
                    f'<rect x="{plot_x}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="{fill(index)}" '
                    f'stroke="#333333" stroke-width="0.5"><title>{_a(label)} — {_a(name)}: '
                    f"{_decimal(value)}</title></rect>"
                    f'<text x="{plot_x + length + 4:.1f}" y="{y + bar_h - 2}" font-size="11" fill="#111111" '
                    f'aria-hidden="true">{_decimal(value)}</text>'
                )
            y += bar_h + bar_gap
        parts.append("</g>")
        y += row_gap
    # The scale under the bars: its whole numbers with light gridlines behind every group.
    steps = int(span)
    for step in range(steps + 1):
        x = plot_x + plot_w * step / max(steps, 1)
        parts.append(
            f'<line x1="{x:.1f}" y1="{grid_top}" x2="{x:.1f}" y2="{y}" stroke="#bbbbbb" stroke-width="0.5"/>'
            f'<text x="{x:.1f}" y="{y + 14}" font-size="11" text-anchor="middle" fill="#333333">'
            f"{_decimal(scale_min + step)[:-2]}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
