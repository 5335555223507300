"""The team scan's live results, for the projector: how many joined and their roles, per theme the spread
of the answers (SVG), where the team disagrees, the lowest scores and the open answers.

`results_html(results)` turns `live.results()` into one HTML string (every user text escaped: items
may be the team's own, open answers are typed by anyone); `ResultsPanel.show(results)` sets it. Nothing
of a group under 3 is shown (`live.results()` already returns no counts then; this says why).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from stip import live, scan_charts
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html


def count_html(results: dict[str, Any]) -> str:
    """The big number of participants, who handed in, and the roles."""
    roles = ", ".join(
        f"{safe(live.role_label(role))} {n}"
        for role, n in sorted(
            results["rollen"].items(),
            key=lambda pair: live.ROLES.index(pair[0]) if pair[0] in live.ROLES else 99,
        )
    )
    parts = [
        '<div class="stip-live-count" role="status">',
        safe_html(
            '<span class="stip-live-number" data-testid="deelnemers">{n}</span> '
            '<span class="stip-live-label">{label}</span>',
            n=results["deelnemers"],
            label=t("teamscan_ui.participants", count=results["deelnemers"]),
        ),
        safe_html(
            '<span class="stip-live-sub">{text}</span>',
            text=t("teamscan_ui.handed_in", count=results["ingeleverd"]),
        ),
    ]
    if roles:
        parts.append(f'<span class="stip-live-sub">{safe(t("teamscan_ui.roles"))}: {roles}</span>')
    parts.append("</div>")
    return "".join(parts)


def hidden_html(results: dict[str, Any]) -> str:
    key = "teamscan_ui.hidden_role" if results.get("rol") else "teamscan_ui.hidden"
    return safe_html('<p class="stip-notice stip-live-hidden">{text}</p>', text=t(key, min=live.MIN_GROUP))


def both(wide: str, narrow: str) -> str:
    """The chart twice: labels beside the bars on a wide screen, above them on a phone (CSS shows one)."""
    return f'<div class="stip-chart-wide">{wide}</div><div class="stip-chart-narrow">{narrow}</div>'


def _texts_html(texts: list[str]) -> str:
    return "<ul class='stip-live-texts'>" + "".join(f"<li>{safe(x)}</li>" for x in texts) + "</ul>"


def results_html(results: dict[str, Any]) -> str:
    """Everything below the count: charts per theme, disagreement, lowest, open answers."""
    return "".join(results_sections(results))


def results_sections(results: dict[str, Any], *, projector: bool = False) -> list[str]:
    """The results as sections (one HTML string each): a live view sends only the ones that changed.
    `projector`: the wide charts in their projector variant (larger labels once stretched to the screen)."""
    if results["verborgen"]:
        return [hidden_html(results)]
    parts = []
    spread = ("teamscan_ui.spread_heading", "teamscan_ui.spread_hint", scan_charts.spread_chart)
    lowest = ("teamscan_ui.lowest_heading", "teamscan_ui.lowest_hint", scan_charts.lowest_chart)
    for ids, (heading, hint, chart) in ((results["verdeeld"], spread), (results["laagst"], lowest)):
        if ids:
            parts.append(
                safe_html('<section><h3>{h}</h3><p class="stip-muted">{p}</p>', h=t(heading), p=t(hint))
                + both(chart(results, projector=projector), chart(results, narrow=True))
                + "</section>"
            )
    opens = {}
    for item in results["items"]:
        if item["kind"] == "open":
            opens.setdefault(item["theme"], []).append(item)
    narrow = {theme["theme"]: svg for theme, svg in scan_charts.theme_charts(results, narrow=True)}
    charts_by_theme = {
        theme["theme"]: both(svg, narrow[theme["theme"]])
        for theme, svg in scan_charts.theme_charts(results, projector=projector)
    }
    for theme in results["themes"]:
        name = theme["theme"]
        svg = charts_by_theme.get(name)
        remarks = theme["opmerkingen"]
        open_items = opens.get(name, [])
        if not svg and not remarks and not any(i["open"] for i in open_items):
            continue
        section = ['<section class="stip-live-theme">']
        mean = theme.get("gemiddelde")
        mean_text = "" if mean is None else t("teamscan_ui.theme_mean", mean=f"{mean:.1f}".replace(".", ","))
        section.append(
            safe_html(
                '<h3>{name} <span class="stip-live-mean">{mean}</span></h3>',
                name=name or t("scan_charts.no_theme"),
                mean=mean_text,
            )
        )
        if theme["source"]:
            section.append(
                safe_html(
                    '<p class="stip-muted stip-live-source">{text}</p>',
                    text=t("teamscan_ui.source", source=theme["source"]),
                )
            )
        if svg:
            section.append(svg)
        if remarks:
            section.append(safe_html("<h4>{h}</h4>", h=t("teamscan_ui.remarks")) + _texts_html(remarks))
        for item in open_items:
            if item["open"]:
                section.append(safe_html("<h4>{h}</h4>", h=item["tekst"]) + _texts_html(item["open"]))
        section.append("</section>")
        parts.append("".join(section))
    if not parts:
        parts.append(safe_html('<p class="stip-muted">{text}</p>', text=t("teamscan_ui.no_results_yet")))
    return parts


def role_options(rollen: dict[str, int]) -> list[tuple[str, str]]:  # small-roles
    """The role filter's choices: everyone, and the roles of at least MIN_GROUP people (DESIGN §8), named
    as the phones name them ("Leraar")."""
    options = [(t("teamscan_ui.role_all"), "")]
    for role in live.ROLES:
        if rollen.get(role, 0) >= live.MIN_GROUP:
            label = live.role_label(role)
            options.append((label[:1].upper() + label[1:], role))
    return options


class ResultsPanel(w.VBox):
    """The projector view: a role filter, the count and the results; `show(results)` updates them."""

    def __init__(self, on_role, **kwargs):
        super().__init__(**kwargs)
        self.add_class("stip-live-results")
        self.on_role = on_role
        self.savebar = None
        self.projector = False  # set by the session view in projector mode: the charts' projector variant
        self._quiet = False  # small-roles: the choices change with the room, without a filter event
        self.role = w.Dropdown(
            options=role_options({}),
            value="",
            description=t("teamscan_ui.role_filter"),
            style={"description_width": "initial"},
        )
        self.role.observe(self._on_role, names="value")
        self.count = w.HTML()
        self.body = w.VBox()  # one HTML widget per section; only a changed section is sent again
        self.children = (
            w.HBox(
                [self.count, self.role],
                layout=w.Layout(justify_content="space-between", align_items="center", flex_flow="row wrap"),
            ),
            self.body,
        )

    @handled
    def _on_role(self, change) -> None:
        if not self._quiet:  # small-roles
            self.on_role(change["new"] or None)

    def _offer_roles(self, rollen: dict[str, int]) -> None:  # small-roles
        """Only roles of at least MIN_GROUP people in the filter; the chosen one stays while offered."""
        options = tuple(role_options(rollen))
        if tuple(self.role.options) == options:
            return
        keep = self.role.value
        self._quiet = True
        try:
            self.role.options = options
            if any(value == keep for _label, value in options):
                self.role.value = keep
        finally:
            self._quiet = False
        if self.role.value != keep:
            self.on_role(self.role.value or None)

    @property
    def text(self) -> str:
        """All sections as one HTML string (what the projector shows below the count)."""
        return "".join(section.value for section in self.body.children)

    def show(self, results: dict[str, Any]) -> None:
        self._offer_roles(results.get("rollen", {}))  # small-roles
        count = count_html(results)
        if self.count.value != count:
            self.count.value = count
        sections = results_sections(results, projector=self.projector)
        widgets = list(self.body.children)
        for index, value in enumerate(sections):
            if index < len(widgets):
                if widgets[index].value != value:  # the same text: no message to the browser
                    widgets[index].value = value
            else:
                widgets.append(w.HTML(value))
        if len(widgets) != len(self.body.children) or len(sections) < len(widgets):
            self.body.children = tuple(widgets[: len(sections)])
