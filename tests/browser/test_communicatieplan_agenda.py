"""Agenda, contact and agreement in a real browser (issue 15 §2–4): the agenda shows a planned moment on
its day → log it as positive with one click and a line → it leaves the agenda and is the family's last
contact → add an agreement → evaluate it → reload → all there."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import insert, select

from stip import demo, klassen, schools, store, timefmt
from stip.store import tables as T

pytestmark = pytest.mark.browser


def test_log_a_planned_contact_then_agree_and_evaluate(page, stip_server, server_db):
    today = timefmt.today()
    day = today if today.weekday() < 5 else today + timedelta(days=7 - today.weekday())  # a school day
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        student = conn.execute(
            select(T.student)
            .join(T.klas, T.klas.c.id == T.student.c.klas_id)
            .where(T.klas.c.name == "1A")
            .order_by(T.student.c.achternaam)
        ).first()
        plan_id = conn.execute(
            insert(T.communicatieplan).values(
                school_id=actor.school_id,
                student_id=student.id,
                school_year_id=actor.school_year_id,
                vormen=["telefoon"],
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(T.plan_moment).values(
                school_id=actor.school_id,
                student_id=student.id,
                communicatieplan_id=plan_id,
                kind="datum",
                value=day.isoformat(),
                vorm="telefoon",
            )
        )
        late = conn.execute(
            select(T.student)
            .join(T.klas, T.klas.c.id == T.student.c.klas_id)
            .where(T.klas.c.name == "1A", T.student.c.id != student.id)
            .order_by(T.student.c.achternaam)
        ).first()
        late_plan = conn.execute(
            insert(T.communicatieplan).values(
                school_id=actor.school_id,
                student_id=late.id,
                school_year_id=actor.school_year_id,
                vormen=["mail"],
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(T.plan_moment).values(
                school_id=actor.school_id,
                student_id=late.id,
                communicatieplan_id=late_plan,
                kind="datum",
                value=(day - timedelta(days=10)).isoformat(),
                vorm="mail",
            )
        )
    naam = klassen.full_name(student.roepnaam, student.tussenvoegsel, student.achternaam)
    late_naam = klassen.full_name(late.roepnaam, late.tussenvoegsel, late.achternaam)

    page.goto(f"{stip_server}/voila/render/Communicatieplan.ipynb?klas=1A&tab=agenda")
    row = page.locator(".stip-agenda-row", has_text=naam)
    expect(row).to_contain_text(timefmt.short_day(day))
    expect(row).to_contain_text("telefoon")
    overdue = page.locator(".stip-agenda-row", has_text=late_naam)
    expect(overdue).to_contain_text("te laat")
    expect(overdue).to_contain_text(timefmt.short_day(day - timedelta(days=10)))
    page.screenshot(path="/tmp/cp-agenda.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    row.screenshot(path="/tmp/cp-agenda-row-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("button", name="Gebeurd").click()
    row.get_by_label("Eén regel").fill("Trots op zijn spreekbeurt")
    row.get_by_role("button", name="positief").click()
    expect(page.get_by_text(f"Contact met {naam} vastgelegd.")).to_be_visible()
    expect(page.locator(".stip-agenda-row", has_text=naam)).to_have_count(0)

    page.get_by_role("tab", name="Contact vastleggen").click()
    last = page.get_by_text(re.compile(r"^Laatste contact: .*telefoon, positief\."))
    expect(last).to_contain_text(timefmt.format_date(today))
    expect(page.get_by_role("cell", name="Trots op zijn spreekbeurt")).to_be_visible()
    page.screenshot(path="/tmp/cp-contact.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".stip-contact").screenshot(path="/tmp/cp-contact-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("tab", name="Afspraken").click()
    expect(page.get_by_role("combobox", name="Leerling")).to_have_value(re.compile("."))
    page.get_by_role("button", name="Afspraak toevoegen").click()
    form = page.locator(".stip-afspraak").first
    form.get_by_label("Wat", exact=True).fill("Hij leest elke avond een kwartier")
    form.get_by_label("Wie doet het").select_option(label="leerling")
    form.get_by_label("Vóór wanneer").fill((today + timedelta(days=14)).isoformat())
    expect(form).to_contain_text("Hij leest elke avond een kwartier")  # the summary: it was stored
    form.get_by_label("Heeft het geholpen").select_option(label="deels")
    form.get_by_label("Wat nu").fill("Samen een boek uitkiezen")
    expect(form).to_contain_text("geëvalueerd: deels")
    expect(page.get_by_text("1 afspraak.", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("^Opgeslagen")).first).to_be_visible()
    page.wait_for_timeout(1500)  # the last typed field saves about a second after typing
    expect(page.get_by_text(re.compile("^Opgeslagen")).first).to_be_visible()
    page.screenshot(path="/tmp/cp-afspraken.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".stip-afspraken").screenshot(path="/tmp/cp-afspraken-390.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.reload()
    page.get_by_role("tab", name="Afspraken").click()
    item = page.locator(".stip-afspraak", has_text="Hij leest elke avond een kwartier")
    expect(item).to_contain_text("geëvalueerd: deels")
    expect(item).to_contain_text(naam)
    item.get_by_role("button", name="Bewerken of evalueren").click()
    expect(item.get_by_label("Wat nu")).to_have_value("Samen een boek uitkiezen")
    expect(item.get_by_label("Wie doet het")).to_have_value("leerling")
    page.get_by_role("tab", name="Agenda").click()
    expect(page.get_by_role("heading", name="Deze week", exact=True)).to_be_visible()
    expect(page.locator(".stip-agenda-row", has_text=naam)).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".stip-agenda").screenshot(path="/tmp/cp-agenda-390.png")

    page.goto(f"{stip_server}/voila/render/Communicatieplan.ipynb?student={student.id}&tab=contact")
    expect(page.get_by_role("cell", name="Trots op zijn spreekbeurt")).to_be_visible()
