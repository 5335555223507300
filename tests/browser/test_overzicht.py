"""Overzicht van de school in a real browser (issue 15 §7): the class's counts, a family without positive
contact listed, its link opens the class; no reflection text anywhere on the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert, select

from stip import demo, klassen, schools, store, timefmt
from stip.store import tables as T

pytestmark = pytest.mark.browser


def test_overzicht_counts_lists_and_link_into_the_class(page, stip_server, server_db):
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        klas = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        students = conn.execute(
            select(T.student.c.id, T.student.c.roepnaam, T.student.c.tussenvoegsel, T.student.c.achternaam)
            .where(T.student.c.klas_id == klas)
            .order_by(T.student.c.achternaam)
        ).all()
        yesterday = timefmt.today() - timedelta(days=1)
        common = dict(school_id=actor.school_id, school_year_id=actor.school_year_id, kanaal="telefoon")
        conn.execute(
            insert(T.contact_moment),
            [
                dict(
                    common,
                    student_id=students[0].id,
                    happened_on=yesterday,
                    toon="positief",
                    regel="Goed gedaan",
                ),
                dict(
                    common, student_id=students[1].id, happened_on=yesterday, toon="zorg", regel="Zorg-regel"
                ),
            ],
        )
        conn.execute(
            insert(T.reflection).values(
                school_id=actor.school_id,
                student_id=students[1].id,
                author_id=actor.id,
                handelen="PRIVE-TERUGBLIK",
                shared=True,
            )
        )
    worried = klassen.full_name(students[1].roepnaam, students[1].tussenvoegsel, students[1].achternaam)

    page.goto(f"{stip_server}/voila/render/Overzicht.ipynb")
    row = page.get_by_role("row", name=re.compile(r"^1A\b"))
    expect(row).to_be_visible()
    # 26 families in 1A, 24 without contact, 25 without positive contact, 26 without a plan; 1 + 0 + 1.
    expect(row.get_by_role("cell")).to_have_text(
        [re.compile("."), "26", "24", "25", "26", "1", "0", "1", "0", "0"]
    )
    expect(page.get_by_role("img", name=re.compile("Contacten per week in de school"))).to_be_visible()

    lists = page.get_by_role("region", name=re.compile("Nog geen positief contact"))
    lists.get_by_text(re.compile(r"^1A \(25\)")).click()
    family = lists.get_by_role("link", name=worried)
    expect(family).to_be_visible()
    assert "PRIVE-TERUGBLIK" not in page.content() and "Zorg-regel" not in page.content()
    chart = page.get_by_role("img", name=re.compile("Contacten per week in de school"))
    page.screenshot(path="/tmp/overzicht.png")
    chart.screenshot(path="/tmp/overzicht-chart.png")
    page.set_viewport_size({"width": 390, "height": 844})
    chart.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/overzicht-390.png")

    family.click()
    expect(page).to_have_url(re.compile(r"Communicatieplan\.ipynb\?klas=1A&tab=klas$"))
    # The class opens at its families: the same family, its worry this term, no positive contact yet.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_role("tab", name="Klas", selected=True)).to_be_visible()
    family_row = page.get_by_role("row", name=re.compile(re.escape(worried)))
    expect(family_row).to_be_visible()
    cells = family_row.get_by_role("cell")  # last contact, positief, neutraal, zorg, balance, overdue, next
    expect(cells.nth(3)).to_have_text("1")
    expect(cells.nth(4)).to_have_text("−1")
    expect(page.get_by_role("img", name=re.compile("Contacten per week in klas 1A"))).to_be_visible()
    page.screenshot(path="/tmp/klas.png")
    page.get_by_role("img", name=re.compile("Contacten per week in klas 1A")).screenshot(
        path="/tmp/klas-chart.png"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    family_row.screenshot(path="/tmp/klas-row-390.png")
