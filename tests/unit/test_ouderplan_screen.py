"""The Ouderplan screen and the rounds panel as a team meets them, without a browser."""

from __future__ import annotations

import io

from stip import live, ouderplan, store
from widgets.components.lazy_tabs import FailedPanel
from widgets.ouderplan import OuderplanScreen
from widgets.teamscan_rounds import RoundsPanel, change_text


def sessions(actor) -> list[dict]:
    with store.read() as conn:
        return live.sessions(conn, actor, kind="teamscan")  # newest first


def test_the_demo_plan_shows_its_priorities_with_figures_and_saves_as_typed(demo_school, actor):
    screen = OuderplanScreen(query={})
    assert screen.ready
    assert not isinstance(screen.tabs.panel(0), FailedPanel)
    assert not isinstance(screen.tabs.panel(1), FailedPanel)
    assert len(screen.cards) == 3
    first = screen.cards[0]
    assert "Wij spreken per gezin af" in first.form.fields["titel"].value
    html = " ".join(getattr(child, "value", "") for child in first.children if hasattr(child, "value"))
    assert "<svg" in html and "14 deelnemers" in html  # the distribution chart and the study day
    first.add.click()
    card = screen.cards[0]
    activity = card.activities[-1]
    activity.form.fields["wat"].value = "Een goednieuwsbericht in de eerste week"
    activity.form.fields["wie"].value = "mentoren\nen teamleider"  # one line only: refused at the field
    activity.form.flush()
    assert "één regel" in activity.form.errors["wie"].value
    with store.read() as conn:
        stored = ouderplan.priorities(conn, actor)[0]["activities"][-1]
    assert stored["wat"] == "Een goednieuwsbericht in de eerste week" and stored["wie"] == ""


def test_take_priorities_is_idempotent_and_a_typed_priority_can_be_added_and_removed(demo_school, actor):
    screen = OuderplanScreen(query={})
    screen.tabs.panel(0)
    screen.session.value = sessions(actor)[0]["id"]
    screen.take.click()
    assert len(screen.cards) == 3 and "0 prioriteiten" in screen.savebar.message
    welkom = "Ouders van nieuwe leerlingen welkom heten"
    screen.new_title.value = welkom
    screen.add.click()
    assert [c.form.fields["titel"].value for c in screen.cards][-1] == welkom
    last = screen.cards[-1]
    last.up.click()
    assert screen.cards[-2].form.fields["titel"].value == "Ouders van nieuwe leerlingen welkom heten"
    card = screen.cards[-2]
    card.remove.click()
    card.remove.click()
    assert len(screen.cards) == 3


def test_exports_from_the_screen(demo_school, actor):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    screen = OuderplanScreen(query={})
    screen.tabs.panel(0)
    pdf = screen.pdf.click()
    assert pdf.filename.endswith(".pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Ouders kiezen vooraf mee" in " ".join(text.split())
    xlsx = screen.xlsx.click()
    rows = list(load_workbook(io.BytesIO(xlsx.data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # header, two activities, one priority without
    screen.print_button.click()
    assert "stip-print-frame" in screen.printer.value


def test_last_years_plan_and_the_rounds_tab(demo_school, actor):
    with store.read() as conn:
        years = ouderplan.school_years(conn, actor)
    screen = OuderplanScreen(query={"jaar": str(years[1]["id"])})
    screen.tabs.panel(0)
    assert len(screen.cards) == 4
    html = " ".join(getattr(child, "value", "") for child in screen.cards[0].children)
    assert "Volgende ronde, &#x27;Studiedag ouderbetrokkenheid, een jaar later&#x27;" in html
    assert "gemiddeld 2," in html and "(+" in html  # toon.2 improved after it became a priority
    rounds = screen.tabs.panel(1).children[0]
    assert isinstance(rounds, RoundsPanel)
    assert rounds.session_id == sessions(actor)[0]["id"]  # the later round of last year's study day


def test_rounds_panel_shows_change_per_theme_and_item_and_evaluations(demo_school, actor):
    newest, oldest = sessions(actor)
    panel = RoundsPanel(newest["id"], actor=actor)
    assert len(panel.compared["rounds"]) == 2
    html = " ".join(getattr(child, "value", "") for child in panel.children)
    assert html.count("<svg") == 2 and "Ronde 1" in html and "14 deelnemers" in html  # wide and narrow
    assert "In 9 van de 10 klassen" in html  # last round's evaluation
    assert "nog niet geëvalueerd" in html  # the koffieochtend has no evaluation yet
    assert "Ouderplan.ipynb?jaar=" in html  # where to write it
    theme = panel.accordion.panel(0)
    table = theme.children[1].value
    assert "→" in table and "<svg" in theme.children[0].value
    first = RoundsPanel(oldest["id"], actor=actor)
    assert "eerste ronde" in " ".join(getattr(child, "value", "") for child in first.children)


def test_change_text():
    assert (change_text(0.43), change_text(-0.2), change_text(0.01), change_text(None)) == (
        "+0,4",
        "−0,2",
        "0,0",
        "–",
    )


def test_an_empty_database_shows_an_empty_plan(actor):
    screen = OuderplanScreen(query={})
    assert screen.ready
    panel = screen.tabs.panel(0)
    assert screen.cards == [] and panel is not None
    rounds = screen.tabs.panel(1)
    assert "teamscan" in rounds.children[0].value.lower()


def refresh_statements(screen) -> int:
    with store.counting_statements() as statements:
        screen.refresh()
    return len(statements)


def test_refreshing_the_plan_does_not_grow_with_the_team_or_the_plan(demo_school, actor):
    from sqlalchemy import insert, select

    from stip.store import tables as T

    screen = OuderplanScreen(query={})
    screen.tabs.panel(0)
    small = refresh_statements(screen)
    newest = sessions(actor)[0]["id"]
    with store.write() as conn:  # twenty more colleagues answered, and the plan doubled
        item = conn.execute(
            select(T.session_item.c.id).where(
                T.session_item.c.session_id == newest, T.session_item.c.kind == "schaal"
            )
        ).scalar()
        for n in range(20):
            pid = conn.execute(
                insert(T.participant).values(session_id=newest, token=f"extra{n}", role="leraar")
            ).inserted_primary_key[0]
            conn.execute(
                insert(T.answer).values(session_id=newest, participant_id=pid, item_id=item, waarde="3")
            )
        for n in range(3):
            priority = ouderplan.add_priority(conn, actor, f"Extra {n}")
            for _ in range(3):
                ouderplan.add_activity(conn, actor, priority["id"])
    assert refresh_statements(screen) == small
    assert len(screen.cards) == 6


def test_two_pages_never_overwrite_each_other(demo_school, actor):
    first, second = OuderplanScreen(query={}), OuderplanScreen(query={})
    for screen in (first, second):
        screen.tabs.panel(0)
    a = first.cards[0].activities[0].form
    b = second.cards[0].activities[0].form
    a.fields["wanneer"].value = "in september"
    a.flush()
    b.fields["wanneer"].value = "in oktober"
    b.flush()
    assert second.savebar.status == "conflict"  # "Herladen" is offered; nothing was overwritten
    with store.read() as conn:
        assert ouderplan.priorities(conn, actor)[0]["activities"][0]["wanneer"] == "in september"
    second.savebar._reload.click()
    assert second.cards[0].activities[0].form.fields["wanneer"].value == "in september"


def test_a_study_day_without_marked_statements_says_so(actor):
    with store.write() as conn:
        session = live.start_session(conn, actor, "teamscan", "Studiedag")
    screen = OuderplanScreen(query={"sessie": str(session["id"])})
    screen.tabs.panel(0)
    assert screen.session.value == session["id"]
    screen.take.click()
    assert screen.savebar.status == "info" and "geen stellingen gekozen" in screen.savebar.message
    assert screen.cards == []
