"""Overzicht van de school (issue 15 §7), for the zorgcoördinator and the teamleider.

The same counts and lists as a class's panel, across every class of the school year, each class linked
to its page (`Communicatieplan.ipynb?klas=1A`). A family is shown with less detail than its mentor sees
(name, class, counts; no contact lines, no agreement texts) and reflections are never read.
"""

from __future__ import annotations

import ipywidgets as w

from stip import klassen, overzicht, store
from stip.i18n import t
from widgets.communicatieplan_klas import (
    balance_text,
    klas_href,
    klas_link,
    table_head,
    term_line,
    week_chart,
)
from widgets.components.chart import Chart
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen


def school_lists(ov: overzicht.Overview) -> str:
    """The three lists across the school, per class folded in a `<details>` with its count."""
    parts = []
    for key, families in (
        ("overzicht.list_no_contact", ov.no_contact),
        ("overzicht.list_no_positive", ov.no_positive),
        ("overzicht.list_no_plan", ov.no_plan),
    ):
        title = t(key, count=len(families))
        body = []
        groups: dict[str, list[overzicht.Family]] = {}
        for family in families:
            groups.setdefault(family.klas, []).append(family)
        for klas, members in groups.items():
            names = "".join(
                safe_html('<li><a href="{href}">{name}</a></li>', href=klas_href(f.klas), name=f.name)
                for f in members
            )
            body.append(
                safe_html("<details><summary>{klas} ({n})</summary>", klas=klas, n=len(members))
                + f"<ul class='stip-family-list'>{names}</ul></details>"
            )
        if not body:
            body.append(safe_html('<p class="stip-muted">{text}</p>', text=t("overzicht.list_empty")))
        parts.append(
            safe_html(
                "<section class='stip-family-section' aria-label='{title}'><h4>{title}</h4>", title=title
            )
            + "".join(body)
            + "</section>"
        )
    return "<div class='stip-family-lists'>" + "".join(parts) + "</div>"


def school_table(ov: overzicht.Overview, mentors: dict[int, str]) -> str:
    head = table_head(
        [
            t("overzicht.col_klas"),
            t("overzicht.col_mentor"),
            t("overzicht.col_families"),
            t("overzicht.col_no_contact"),
            t("overzicht.col_no_positive"),
            t("overzicht.col_no_plan"),
        ],
        [t("overzicht.col_balance"), t("overzicht.col_overdue")],
    )
    rows = []
    for klas_id, name, families in overzicht.by_class(ov):
        term = {tone: sum(f.term[tone] for f in families) for tone in overzicht.TONES}
        cells = [
            f"<th scope='row'>{klas_link(name)}</th>",
            f"<td>{safe(mentors.get(klas_id) or t('overzicht.no_mentor'))}</td>",
            f"<td>{len(families)}</td>",
            f"<td>{sum(not f.contact_this_year for f in families)}</td>",
            f"<td>{sum(not f.positive_this_year for f in families)}</td>",
            f"<td>{sum(not f.has_plan for f in families)}</td>",
            *(f"<td>{term[tone]}</td>" for tone in overzicht.TONES),
            f"<td>{balance_text(term['positief'] - term['zorg'])}</td>",
            f"<td>{sum(f.overdue for f in families)}</td>",
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="stip-table stip-overzicht-table"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class OverzichtScreen(Screen):
    """Every class of the school: counts per class, the three lists, the weekly chart."""

    def build(self) -> None:
        self.savebar = SaveBar()
        self.explain = w.HTML()
        self.summary = w.HTML()
        self.table = w.HTML()
        self.lists = w.HTML()
        self.chart = Chart()
        self.children = (self.explain, self.summary, self.table, self.chart, self.lists, self.savebar)
        self.overview: overzicht.Overview | None = None
        self.refresh()

    @handled
    def refresh(self) -> None:
        with store.read() as conn:
            ov = overzicht.family_overview(conn, self.actor)
            mentors = {k.id: k.mentor for k in klassen.klassen(conn, self.actor)}
        self.overview = ov
        self.explain.value = safe_html(
            '<p class="stip-muted"><small>{term} {balance} {privacy}</small></p>',
            term=" ".join(filter(None, (term_line(ov), ov.calendar_note))),
            balance=t("overzicht.balance_explain"),
            privacy=t("overzicht.privacy_note"),
        )
        if not ov.families:
            self.summary.value = safe_html("<p>{text}</p>", text=t("overzicht.no_families"))
            self.table.value = self.lists.value = ""
            self.chart.clear()
            return
        totals = ov.term_totals()
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "overzicht.school_summary",
                klassen=t("overzicht.n_klassen", count=len(overzicht.by_class(ov))),
                families=t("overzicht.n_families", count=len(ov.families)),
                positief=totals["positief"],
                neutraal=totals["neutraal"],
                zorg=totals["zorg"],
                overdue=ov.overdue,
            ),
        )
        self.table.value = school_table(ov, mentors)
        self.lists.value = school_lists(ov)
        self.chart.show(week_chart(ov, t("overzicht.chart_title_school")))


def show_overzicht() -> OverzichtScreen:
    return OverzichtScreen()
