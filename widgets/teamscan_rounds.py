"""Next round of the team scan (issue 17 §6): what changed since the earlier rounds, and what came of the
activities the team planned after them.

`RoundsPanel(session_id)` shows for a session and its earlier rounds (the `previous_id` chain of
`stip.live.compare_rounds`, oldest first):
- the rounds (name, date, participants);
- per theme its mean in every round, as one chart over rounds (`stip.charts.rounds_bars`);
- per theme (folded, built when opened) every statement's mean per round and the change against the
  round before (+0,4 / −0,2), as a chart and in words;
- the ouderplan's activities of the earlier rounds with their evaluation (`ouderplan.evaluations`).
A round where fewer than 3 people answered has no means (a dash), as everywhere in the scan.

How to embed it (for the Teamscan facilitator screen, widgets/teamscan.py):

    from widgets.teamscan_rounds import RoundsPanel
    tabs = LazyTabs([..., t("rounds.tab")], [..., lambda: RoundsPanel(session_id, actor=self.actor)])

It reads through `store.read()` only when built and when `refresh()` is called (a fixed number of
statements, whatever the team's size); it needs no save bar of its own (it writes nothing). Give it the
screen's actor; without one it resolves the acting staff member itself.
"""

from __future__ import annotations

import ipywidgets as w

from stip import charts, live, ouderplan, store, timefmt
from stip.i18n import t
from stip.ouderplan_document import change_text
from widgets.components.lazy_tabs import LazyAccordion
from widgets.components.safe import safe_html

CHART_WIDTH, NARROW_WIDTH = 560, 340  # a laptop shows the wide form, a phone the narrow one (stip.css)


def two_forms(title: str, description: str, rows: list, names: list[str]) -> w.HTML:
    """The chart over rounds in a wide and a narrow form (the CSS shows one of them)."""
    forms = [
        charts.rounds_bars(
            title,
            description,
            rows,
            names,
            width=width,
            label_chars=int((width - 16) / 6.7),
            empty_text=t("rounds.no_means"),
        )
        for width in (CHART_WIDTH, NARROW_WIDTH)
    ]
    box = w.HTML(
        f'<div class="stip-chart-wide">{forms[0]}</div><div class="stip-chart-narrow">{forms[1]}</div>'
    )
    return box.add_class("stip-rounds__chart")


__all__ = ["RoundsPanel", "change_text"]


def _decimal(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}".replace(".", ",")


def round_label(index: int, round_: dict) -> str:
    """ "Ronde 1 · Studiedag 2025 (14-11-2025)" (plain text)."""
    held = round_.get("held_on")
    if isinstance(held, str) and held:
        from datetime import date

        held = date.fromisoformat(held)
    day = f" ({timefmt.format_date(held)})" if held else ""
    return t("rounds.round_label", number=index + 1, naam=round_["naam"], datum=day)


class RoundsPanel(w.VBox):
    """The comparison of a team-scan session with its earlier rounds (see the module docstring)."""

    def __init__(self, session_id: int, *, actor=None, **kwargs):
        super().__init__(**kwargs)
        self.session_id = session_id
        if actor is None:
            from stip import schools

            actor = schools.resolve_actor()
        self.actor = actor
        self.add_class("stip-rounds")
        self.refresh()

    def refresh(self) -> None:
        with store.read() as conn:
            compared = live.compare_rounds(conn, self.session_id)
            earlier = [r["id"] for r in compared["rounds"][:-1]]
            evaluations = ouderplan.evaluations(conn, self.actor, earlier)
        self.compared = compared
        self.evaluations = evaluations
        rounds = compared["rounds"]
        names = [t("rounds.round_short", number=index + 1) for index in range(len(rounds))]
        lines = "".join(
            safe_html(
                "<li>{label}: {count}</li>",
                label=round_label(index, r),
                count=t("rounds.participants", count=r["deelnemers"]),
            )
            for index, r in enumerate(rounds)
        )
        children: list[w.Widget] = [
            w.HTML(safe_html("<h3>{title}</h3>", title=t("rounds.title")) + f"<ul>{lines}</ul>")
        ]
        if len(rounds) < 2:
            children.append(
                w.HTML(safe_html('<p class="stip-muted">{text}</p>', text=t("rounds.first_round")))
            )
        themes = compared["themes"]
        if themes:
            children.append(
                two_forms(
                    t("rounds.themes_chart"),
                    t("rounds.themes_chart_description", count=len(rounds)),
                    [(theme["theme"], theme["gemiddelden"]) for theme in themes],
                    names,
                )
            )
            titles = [self._theme_title(theme) for theme in themes]
            builders = [lambda theme=theme: self._theme_panel(theme["theme"], names) for theme in themes]
            self.accordion = LazyAccordion(titles, builders)
            children.append(w.HTML(safe_html("<h4>{text}</h4>", text=t("rounds.per_statement"))))
            children.append(self.accordion)
        children.append(self._evaluations_html())
        self.children = tuple(children)

    def _theme_title(self, theme: dict) -> str:
        if theme.get("verschil") is not None:  # the change of the shown means (review: shown-change)
            return t("rounds.theme_title", theme=theme["theme"], change=change_text(theme["verschil"]))
        return theme["theme"]

    def _theme_panel(self, theme: str, names: list[str]) -> w.Widget:
        items = [item for item in self.compared["items"] if item.get("theme") == theme]
        chart = two_forms(
            theme,
            t("rounds.items_chart_description", count=len(items)),
            [(item["tekst"], item["gemiddelden"]) for item in items],
            names,
        )
        rows = "".join(
            safe_html(
                "<tr><td>{tekst}</td><td>{means}</td><td>{change}</td></tr>",
                tekst=item["tekst"],
                means=" → ".join(_decimal(mean) for mean in item["gemiddelden"]),
                change=change_text(item["verschil"]),
            )
            for item in items
        )
        table = safe_html(
            '<table class="stip-rounds__table"><tr><th>{s}</th><th>{m}</th><th>{c}</th></tr>',
            s=t("rounds.col_statement"),
            m=t("rounds.col_means"),
            c=t("rounds.col_change"),
        )
        return w.VBox([chart, w.HTML(table + rows + "</table>")])

    def _evaluations_html(self) -> w.HTML:
        head = safe_html("<h4>{text}</h4>", text=t("rounds.evaluations"))
        if not self.evaluations:
            return w.HTML(
                head + safe_html('<p class="stip-muted">{text}</p>', text=t("rounds.no_evaluations"))
            )
        parts, current = [], None
        for entry in self.evaluations:
            if entry["titel"] != current:
                if current is not None:
                    parts.append("</ul>")
                current = entry["titel"]
                parts.append(safe_html("<p><strong>{titel}</strong></p><ul>", titel=current))
            evaluatie = entry["evaluatie"] or t("rounds.not_evaluated")
            parts.append(
                safe_html(
                    '<li>{wat}{wie}<br><span class="{cls}">{label} {evaluatie}</span></li>',
                    wat=entry["wat"] or t("ouderplan.no_wat"),
                    wie=f" ({entry['wie']})" if entry["wie"] else "",
                    cls="" if entry["evaluatie"] else "stip-muted",
                    label=t("rounds.evaluation_label"),
                    evaluatie=evaluatie,
                )
            )
        parts.append("</ul>")
        years = sorted({entry["school_year_id"] for entry in self.evaluations})
        links = "".join(  # where the team leader writes what came of each activity
            safe_html(
                '<p><a href="Ouderplan.ipynb?jaar={year}" target="_blank">{text}</a></p>',
                year=year,
                text=t("rounds.evaluate_link"),
            )
            for year in years
        )
        return w.HTML(head + "".join(parts) + links)
