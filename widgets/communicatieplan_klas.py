"""See every family of a class (issue 15 §6): a panel of the Communicatieplan screen.

Per family the last contact, the contacts of this term by tone, the balance, overdue agreements and the
next planned contact; the lists "nog geen contact dit schooljaar", "nog geen positief contact" and "nog
geen plan"; a chart of contacts per week by tone. One `family_overview` per refresh (a fixed number of
statements whatever the class size). The helpers below also serve the Overzicht of the school.
"""

from __future__ import annotations

from urllib.parse import quote

import ipywidgets as w

from stip import charts, overzicht, store
from stip.i18n import t
from stip.timefmt import format_date
from widgets.components.chart import Chart
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar

TONE_LABEL_KEYS = {
    "positief": "overzicht.tone_positief",
    "neutraal": "overzicht.tone_neutraal",
    "zorg": "overzicht.tone_zorg",
}


def tone_labels() -> dict[str, str]:
    return {tone: t(key) for tone, key in TONE_LABEL_KEYS.items()}


def student_link(family: overzicht.Family) -> str:
    return safe_html(
        '<a href="Communicatieplan.ipynb?student={id}">{name}</a>', id=family.student_id, name=family.name
    )


def klas_href(name: str) -> str:
    """The class's page: the Communicatieplan screen on that class, at its tab "Klas"."""
    return "Communicatieplan.ipynb?klas=" + quote(name, safe="") + "&tab=klas"


def klas_link(name: str) -> str:
    return safe_html('<a href="{href}">{name}</a>', href=klas_href(name), name=name)


def balance_text(value: int) -> str:
    return f"+{value}" if value > 0 else ("0" if value == 0 else f"−{-value}")


def term_line(ov: overzicht.Overview) -> str:
    return t("overzicht.term_line", start=format_date(ov.term_start), end=format_date(ov.term_end))


def week_chart(ov: overzicht.Overview, title: str) -> str:
    """The weekly contacts of an overview as a stacked bar chart (SVG)."""
    labels = tone_labels()
    bars = [(t("overzicht.week_label", week=monday.isocalendar()[1]), values) for monday, values in ov.weeks]
    titles = [t("overzicht.week_title", date=format_date(monday)) for monday, _ in ov.weeks]
    totals = {tone: sum(values[tone] for _, values in ov.weeks) for tone in overzicht.TONES}
    description = t(
        "overzicht.chart_desc",
        weeks=len(ov.weeks),
        positief=totals["positief"],
        neutraal=totals["neutraal"],
        zorg=totals["zorg"],
    )
    return charts.stacked_bars(
        title,
        description,
        bars,
        charts.tone_series(labels),
        bar_titles=titles,
        empty_text=t("overzicht.chart_empty"),
    )


def family_lists(ov: overzicht.Overview, link=student_link) -> str:
    """The three lists as HTML sections; each name escaped and linked."""
    parts = []
    for key, families in (
        ("overzicht.list_no_contact", ov.no_contact),
        ("overzicht.list_no_positive", ov.no_positive),
        ("overzicht.list_no_plan", ov.no_plan),
    ):
        heading = safe_html("<h4>{text}</h4>", text=t(key, count=len(families)))
        if families:
            body = (
                "<ul class='stip-family-list'>" + "".join(f"<li>{link(f)}</li>" for f in families) + "</ul>"
            )
        else:
            body = safe_html('<p class="stip-muted">{text}</p>', text=t("overzicht.list_empty"))
        parts.append(
            safe_html(
                "<section class='stip-family-section' aria-label='{title}'>",
                title=t(key, count=len(families)),
            )
            + f"{heading}{body}</section>"
        )
    return "<div class='stip-family-lists'>" + "".join(parts) + "</div>"


def last_contact_cell(family: overzicht.Family) -> str:
    if family.last_on is None:
        return safe_html('<span class="stip-warning">{text}</span>', text=t("overzicht.no_contact_yet"))
    return safe(f"{format_date(family.last_on)} ({t(family.last_key)})")


def table_head(before: list[str], after: list[str]) -> str:
    """Two header rows: the columns before and after, and "Deze periode" over its three tones."""
    labels = tone_labels()

    def spanning(text: str) -> str:
        return safe_html("<th scope='col' rowspan='2'>{text}</th>", text=text)

    first = "".join(spanning(h) for h in before)
    first += safe_html("<th scope='colgroup' colspan='3'>{text}</th>", text=t("overzicht.col_term"))
    first += "".join(spanning(h) for h in after)
    second = "".join(safe_html("<th scope='col'>{text}</th>", text=labels[tone]) for tone in overzicht.TONES)
    return f"<tr>{first}</tr><tr>{second}</tr>"


def class_table(ov: overzicht.Overview, show_next: bool = True) -> str:
    """The class as an HTML table, one row per family; every value escaped."""
    after = [t("overzicht.col_balance"), t("overzicht.col_overdue")]
    if show_next:
        after.append(t("overzicht.col_next"))
    head = table_head([t("overzicht.col_family"), t("overzicht.col_last_contact")], after)
    tones = tone_labels()

    def td(label: str) -> str:  # a phone shows each row as a card, every value with its column's name
        return safe_html('<td data-label="{label}">', label=label)

    term = t("overzicht.col_term")
    rows = []
    for f in ov.families:
        guardians = safe(", ".join(f.guardians)) or safe(t("overzicht.no_guardians"))
        overdue = safe_html("<span class='stip-warning'>{n}</span>", n=f.overdue) if f.overdue else "0"
        cells = [
            f"<th scope='row'>{student_link(f)}<br><span class='stip-muted'>{guardians}</span></th>",
            f"{td(t('overzicht.col_last_contact'))}{last_contact_cell(f)}</td>",
            *(f"{td(f'{term}, {tones[tone]}')}{f.term[tone]}</td>" for tone in overzicht.TONES),
            f"{td(t('overzicht.col_balance'))}{balance_text(f.balance)}</td>",
            f"{td(t('overzicht.col_overdue'))}{overdue}</td>",
        ]
        if show_next:
            next_on = safe(format_date(f.next_on)) if f.next_on else "—"
            cells.append(f"{td(t('overzicht.col_next'))}{next_on}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="stip-table stip-table--stack stip-overzicht-table"><thead>{head}</thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


class KlasPanel(w.VBox):
    """Every family of the screen's class at a glance; the screen calls `refresh()` when the tab is shown
    or the class changes (as for every panel of the Communicatieplan screen)."""

    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.add_class("stip-klas-panel")
        shared_bar = getattr(screen, "savebar", None)
        self.savebar = shared_bar or SaveBar()  # what went wrong while reading shows here
        self.explain = w.HTML()
        self.summary = w.HTML()
        self.table = w.HTML()
        self.lists = w.HTML()
        self.chart = Chart()
        self.children = (self.explain, self.summary, self.table, self.chart, self.lists)
        if shared_bar is None:
            self.children = (self.savebar, *self.children)
        self.overview: overzicht.Overview | None = None  # read by `refresh()`, which the screen calls

    @handled
    def refresh(self) -> None:
        klas_id = getattr(self.screen, "klas_id", None)
        actor = getattr(self.screen, "actor", None)
        if klas_id is None or actor is None:
            self.overview = None
            self.explain.value = safe_html(
                '<p class="stip-muted">{text}</p>', text=t("overzicht.choose_class")
            )
            self.summary.value = self.table.value = self.lists.value = ""
            self.chart.clear()
            return
        with store.read() as conn:
            ov = overzicht.family_overview(conn, actor, klas_id)
        self.overview = ov
        klas = ov.families[0].klas if ov.families else ""
        self.explain.value = safe_html(
            '<p class="stip-muted"><small>{term} {balance}</small></p>',
            term=" ".join(filter(None, (term_line(ov), ov.calendar_note))),
            balance=t("overzicht.balance_explain"),
        )
        totals = ov.term_totals()
        self.summary.value = safe_html(
            "<p>{text}</p>",
            text=t(
                "overzicht.class_summary",
                families=t("overzicht.n_families", count=len(ov.families)),
                positief=totals["positief"],
                neutraal=totals["neutraal"],
                zorg=totals["zorg"],
                overdue=ov.overdue,
            ),
        )
        self.table.value = class_table(ov, show_next=True)
        self.lists.value = family_lists(ov)
        self.chart.show(week_chart(ov, t("overzicht.chart_title_class", klas=klas)))
