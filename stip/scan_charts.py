"""The team scan's result charts (issue 17): SVG strings from `live.results()`, for the projector, the
print view and the ouderplan's PDF alike (DESIGN §2: one SVG per chart, with a title and a description).

Only counts go in; the caller passes results that `live.results()` already hid for a group under 3.
"""

from __future__ import annotations

from typing import Any

from stip import charts, live
from stip.i18n import t

# The projector variant: drawn narrower with shorter label lines, so that stretched to a 1280 px beamer
# its statement labels come out about twice as large as the print view's (12 px in 760 → ~24 px).
PROJECTOR_WIDTH = 600
PROJECTOR_LABEL_CHARS = 30

__all__ = ["PROJECTOR_WIDTH", "scale_labels", "items_chart", "theme_charts", "spread_chart", "lowest_chart"]


def scale_labels() -> dict[str, str]:
    return {value: live.scale_label(value) for value in live.SCALE}


def items_chart(
    title: str,
    items: list[dict[str, Any]],
    *,
    description: str | None = None,
    narrow: bool = False,
    projector: bool = False,
) -> str:
    """One distribution chart: a bar per scale item (its `antwoorden` over the four points and "weet
    ik niet"); `narrow`: 400 wide with each statement above its bar, for a phone; `projector`: the
    variant for the beamer (`PROJECTOR_WIDTH`, stretched to the screen: larger text)."""
    if narrow:
        size = {"width": 400, "stacked": True}
    elif projector:
        size = {"width": PROJECTOR_WIDTH, "label_chars": PROJECTOR_LABEL_CHARS, "max_label_lines": 4}
    else:
        size = {}
    rows = [(item["tekst"], item["antwoorden"]) for item in items if item["kind"] == "schaal"]
    return charts.distribution(
        title,
        description or t("scan_charts.description", count=len(rows)),
        rows,
        charts.scale_series(scale_labels()),
        empty_text=t("scan_charts.no_answers"),
        **size,
    )


def theme_charts(
    results: dict[str, Any], *, narrow: bool = False, projector: bool = False
) -> list[tuple[dict[str, Any], str]]:
    """Per theme that has scale items: (the theme of `results["themes"]`, its chart)."""
    by_theme: dict[str, list[dict[str, Any]]] = {}
    for item in results["items"]:
        if item["kind"] == "schaal":
            by_theme.setdefault(item["theme"], []).append(item)
    out = []
    for theme in results["themes"]:
        items = by_theme.get(theme["theme"])
        if items:
            title = t("scan_charts.theme_title", theme=theme["theme"] or t("scan_charts.no_theme"))
            out.append((theme, items_chart(title, items, narrow=narrow, projector=projector)))
    return out


def _picked(results: dict[str, Any], ids: list[int]) -> list[dict[str, Any]]:
    by_id = {item["id"]: item for item in results["items"]}
    return [by_id[i] for i in ids if i in by_id]


def spread_chart(results: dict[str, Any], *, narrow: bool = False, projector: bool = False) -> str:
    """The items where the team disagrees most (greatest spread first)."""
    items = _picked(results, results["verdeeld"])
    return items_chart(
        t("scan_charts.spread_title"),
        items,
        description=t("scan_charts.spread_description", count=len(items)),
        narrow=narrow,
        projector=projector,
    )


def lowest_chart(results: dict[str, Any], *, narrow: bool = False, projector: bool = False) -> str:
    """The items with the lowest mean (lowest first)."""
    items = _picked(results, results["laagst"])
    return items_chart(
        t("scan_charts.lowest_title"),
        items,
        description=t("scan_charts.lowest_description", count=len(items)),
        narrow=narrow,
        projector=projector,
    )
