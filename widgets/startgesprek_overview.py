"""Progress of the startgesprek season: per class (invited / planned / held / goal / plan), the families
still without a talk, and for the team leader every class and the wishes for an information moment."""

from __future__ import annotations

import ipywidgets as w

from stip import startgesprek, store
from stip.i18n import t
from widgets.components.safe import safe, safe_html

STEPS = (
    ("planned", "startgesprek.count_planned"),
    ("invited", "startgesprek.count_invited"),
    ("held", "startgesprek.count_held"),
    ("goal", "startgesprek.count_goal"),
    ("plan", "startgesprek.count_plan"),
)


def bars(progress: startgesprek.Progress) -> str:
    """One bar per step, "12 van 26"; plain HTML and CSS, no chart library."""
    total = max(progress.students, 1)
    rows = []
    for attr, key in STEPS:
        count = getattr(progress, attr)
        width = round(100 * count / total)
        rows.append(
            safe_html(
                '<div class="stip-bar" role="listitem"><span class="stip-bar__label">{label}</span>'
                '<span class="stip-bar__track"><span class="stip-bar__fill" style="width: {width}%"></span>'
                "</span>"
                '<span class="stip-bar__count">{count}</span></div>',
                label=t(key),
                width=width,
                count=t("startgesprek.count_of", count=count, total=progress.students),
            )
        )
    return f'<div class="stip-bars" role="list">{"".join(rows)}</div>'


class OverviewPanel(w.VBox):
    def __init__(self, screen, **kwargs):
        super().__init__(**kwargs)
        self.screen = screen
        self.klas_view = w.HTML()
        self.school_view = w.HTML()
        self.children = (self.klas_view, self.school_view)

    def refresh(self) -> None:
        with store.read() as conn:
            school, per_klas = startgesprek.progress_by_klas(conn, self.screen.actor)
        name = self.screen.klas_name
        mine = per_klas.get(name)
        if mine is None:
            self.klas_view.value = ""
        else:
            missing = "".join(
                safe_html(
                    '<li><a href="Startgesprek.ipynb?student={id}">{naam}</a></li>',
                    id=f["id"],
                    naam=f["naam"],
                )
                for f in mine.without_talk
            )
            self.klas_view.value = (
                safe_html("<h3>{t}</h3>", t=t("startgesprek.overview_klas", klas=name))
                + bars(mine)
                + safe_html("<h4>{t}</h4>", t=t("startgesprek.without_talk", count=len(mine.without_talk)))
                + (
                    f"<ul>{missing}</ul>"
                    if missing
                    else safe_html("<p>{t}</p>", t=t("startgesprek.all_held"))
                )
            )
        head = "".join(
            f"<th scope='col'>{safe(t(key))}</th>"
            for key in ("klassen.col_klas", "startgesprek.col_students", *[k for _a, k in STEPS])
        )
        rows = "".join(
            f"<tr><td>{safe(k)}</td><td>{p.students}</td>"
            + "".join(f"<td>{getattr(p, a)}</td>" for a, _k in STEPS)
            + "</tr>"
            for k, p in per_klas.items()
        )
        labels = startgesprek.CHOICE_KEYS["collective_info"]
        tally = sorted(school.collective.items())
        wishes = ", ".join(f"{t(labels[k])}: {v}" for k, v in tally if k in labels)
        wishes = wishes or t("startgesprek.no_wishes")
        self.school_view.value = (
            safe_html("<h3>{t}</h3>", t=t("startgesprek.overview_school"))
            + f'<table class="stip-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'
            + safe_html("<p><strong>{a}</strong> {b}</p>", a=t("startgesprek.collective_tally"), b=wishes)
        )
