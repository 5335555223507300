"""The home page: what Stip is for, the roles with their workbooks, and the demo school offer."""

from __future__ import annotations

import ipywidgets as w

from stip import content, demo, home, store
from stip.i18n import t
from widgets.components.handled import handled
from widgets.components.safe import safe, safe_html
from widgets.components.savebar import SaveBar
from widgets.components.screen import Screen


def roles_html(roles: list[home.Role]) -> str:
    """The role cards; a workbook that exists is a link, one that does not exist yet is plain text."""
    cards = []
    for role in roles:
        items = []
        for book in role.workbooks:
            if book.exists:
                name = safe_html('<a href="{href}">{title}</a>', href=book.href, title=book.title)
            else:
                name = safe_html(
                    '<span class="stip-soon">{title}</span> <span class="stip-badge">{soon}</span>',
                    title=book.title,
                    soon=t("start.soon"),
                )
            items.append(f"<li>{name}<br>{safe(book.line)}</li>")
        cards.append(
            safe_html(
                '<section class="stip-card stip-role" aria-label="{title}"><h3>{title}</h3>'
                '<p class="stip-role-intro">{intro}</p>',
                title=role.title,
                intro=role.intro,
            )
            + f"<ul>{''.join(items)}</ul></section>"
        )
    return f'<div class="stip-roles">{"".join(cards)}</div>'


class StartScreen(Screen):
    """Home page; reads the school's state once per page load (a reload is a new kernel)."""

    def build(self) -> None:
        self.add_class("stip-start")
        self.savebar = SaveBar()
        self.school_line = w.HTML()
        self.demo_offer = w.VBox()
        page = content.load("start")
        intro = w.HTML(safe_html('<p class="stip-intro">{intro}</p>', intro=page["intro"]))
        self.roles = w.HTML(roles_html(home.roles()))
        sources = w.HTML(safe_html('<p class="stip-muted"><small>{text}</small></p>', text=page["sources"]))
        self.children = (intro, self.school_line, self.demo_offer, self.savebar, self.roles, sources)
        self.refresh()

    def refresh(self) -> None:
        with store.read() as conn:
            summary = home.school_summary(conn, self.actor)
        self._show_school(summary)

    def _show_school(self, summary: home.SchoolSummary) -> None:
        if summary.is_demo:
            self.school_line.value = safe_html(
                '<p class="stip-card stip-demo" role="note">{text}</p>',
                text=t(
                    "start.demo_active",
                    school=summary.name,
                    students=t("klassen.n_students", count=summary.students),
                    klassen=t("klassen.n_klassen", count=summary.klassen),
                ),
            )
        elif summary.students:
            self.school_line.value = safe_html(
                '<p class="stip-muted">{text}</p>',
                text=t(
                    "start.school_line",
                    school=summary.name,
                    students=t("klassen.n_students", count=summary.students),
                    klassen=t("klassen.n_klassen", count=summary.klassen),
                ),
            )
        else:
            self.school_line.value = ""
        if summary.students:
            self.demo_offer.children = ()
            return
        button = w.Button(
            description=t("start.demo_button"),
            button_style="primary",
            icon="school",
            layout=w.Layout(width="auto"),
        )
        button.on_click(self._on_load_demo)
        text = w.HTML(
            safe_html(
                '<div class="stip-notice"><strong>{title}</strong><br>{text}</div>',
                title=t("start.empty_title"),
                text=t("start.demo_offer"),
            )
        )
        self.demo_offer.children = (text, button)

    @handled
    def _on_load_demo(self, button: w.Button) -> None:
        with store.write() as conn:
            loaded = demo.load_demo(conn, self.actor)
        self.refresh()
        self.savebar.info(
            t(
                "demo.loaded",
                school=loaded.school,
                students=t("klassen.n_students", count=loaded.students),
                klassen=t("klassen.n_klassen", count=loaded.klassen),
            )
        )


def show_start() -> StartScreen:
    """Build the home page; the workbook's only code cell displays what this returns."""
    return StartScreen()
