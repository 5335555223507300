"""Instellingen in a real browser: a new mentor sees on Startgesprek what is still missing, follows the link,
fills in the school, their own name and e-mail, gives the class two mentors, adds a report day and a
holiday, reloads and finds everything, and then sees the letter carry the real names."""

from __future__ import annotations

import re
import time as clock
from datetime import date, time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import imports, instellingen, klassen, planning, schools, startgesprek, store, timefmt
from stip.store import tables as T

pytestmark = pytest.mark.browser
CSV = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;ouder1_naam;ouder1_email\n"
    "1;Noor;;Bos;3C;Els Bos;els@example.org\n"
    "2;Daan;de;Wit;3C;Piet de Wit;piet@example.org\n"
)


@pytest.fixture
def new_mentor(server_db):
    """A new installation: the class list of 3C (no mentor column), Noor planned at a time."""
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        klassen.apply_import(conn, actor, imports.parse(CSV.encode()))
        klas = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "3C")).scalar_one()
        startgesprek.add_slots(conn, actor, klas, planning.make_slots(timefmt.today(), time(16), time(17)))
        noor = conn.execute(select(T.student.c.id).where(T.student.c.roepnaam == "Noor")).scalar_one()
        startgesprek.assign_slot(conn, actor, noor, startgesprek.slots(conn, actor, klas)[0]["id"])
    return actor


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = clock.monotonic() + timeout
    while not condition():
        assert clock.monotonic() < deadline, "not stored within the timeout"
        clock.sleep(0.2)


def stored(actor) -> dict:
    with store.read() as conn:
        return {**instellingen.settings(conn, actor), "dates": instellingen.dates(conn, actor)}


def test_new_mentor_fills_in_settings_and_the_letter_carries_them(page, stip_server, new_mentor):
    actor = new_mentor
    base = f"{stip_server}/voila/render"
    year = schools.school_year_bounds(timefmt.today())[1].year
    report, first, last = date(year, 11, 20), date(year, 12, 19), date(year + 1, 1, 3)

    page.goto(f"{base}/Startgesprek.ipynb?klas=3C")
    notice = page.locator(".stip-settings-notice")
    expect(notice).to_contain_text("Nog niet ingevuld: de naam van de school, je eigen naam en je e-mail")
    page.get_by_role("link", name="Vul het in bij Instellingen").click()
    expect(page).to_have_url(re.compile(r"/voila/render/Instellingen\.ipynb$"))

    # The defaults are not values a parent could see: empty fields with a prompt.
    expect(page.get_by_label("Naam van de school")).to_have_value("")
    expect(page.get_by_label("Naam van de school")).to_have_attribute(
        "placeholder", "Vul de naam van je school in"
    )
    expect(page.get_by_label("Je naam")).to_have_value("")
    page.get_by_label("Naam van de school").fill("Het Baken")
    page.get_by_label("Adres voor gesprekken").fill("Bakenlaan 4, 3511 AB Utrecht")
    page.get_by_label("Je naam").fill("Anne de Vries")
    page.get_by_label("Je e-mailadres").fill("anne@hetbaken")
    expect(page.locator(".widget-label.stip-error", has_text="Dit is geen goed e-mailadres")).to_be_visible()
    page.get_by_label("Je e-mailadres").fill("a.devries@hetbaken.nl")
    wait_until(lambda: stored(actor)["me"]["email"] == "a.devries@hetbaken.nl")
    wait_until(lambda: stored(actor)["school"]["adres"] == "Bakenlaan 4, 3511 AB Utrecht")

    page.get_by_label("Naam collega").fill("Bram Smit")
    page.get_by_label("E-mailadres collega").fill("b.smit@hetbaken.nl")
    page.get_by_role("button", name="Collega toevoegen").click()
    expect(page.get_by_text("Bram Smit is toegevoegd.")).to_be_visible()
    page.get_by_label("Mentor", exact=True).select_option(label="Anne de Vries (testmentor)")
    page.get_by_label("Tweede mentor").select_option(label="Bram Smit (bram.smit)")
    wait_until(lambda: len(stored(actor)["klassen"][0]["mentors"]) == 2)

    page.get_by_label("Naam", exact=True).fill("Rapport 1")
    page.get_by_label("Datum", exact=True).fill(report.isoformat())
    page.get_by_role("button", name="Datum toevoegen").click()
    expect(page.get_by_text("Rapport 1 is toegevoegd.")).to_be_visible()
    page.get_by_role("button", name="Vakantie", exact=True).click()
    page.get_by_label("Naam", exact=True).fill("Kerstvakantie")
    page.get_by_label("Eerste dag").last.fill(first.isoformat())
    page.get_by_label("Laatste dag").last.fill(last.isoformat())
    page.get_by_role("button", name="Datum toevoegen").click()
    expect(page.get_by_text("Kerstvakantie is toegevoegd.")).to_be_visible()
    page.screenshot(path="/tmp/instellingen.png", full_page=True)

    page.reload()
    expect(page.get_by_label("Naam van de school")).to_have_value("Het Baken")
    expect(page.get_by_label("Adres voor gesprekken")).to_have_value("Bakenlaan 4, 3511 AB Utrecht")
    expect(page.get_by_label("Je naam")).to_have_value("Anne de Vries")
    expect(page.get_by_label("Je e-mailadres")).to_have_value("a.devries@hetbaken.nl")
    expect(page.get_by_label("Mentor", exact=True).locator("option:checked")).to_have_text(
        "Anne de Vries (testmentor)"
    )
    expect(page.get_by_label("Tweede mentor").locator("option:checked")).to_have_text("Bram Smit (bram.smit)")
    expect(page.get_by_label("Rapport", exact=True)).to_have_value("Rapport 1")
    expect(page.get_by_label("Vakantie", exact=True)).to_have_value("Kerstvakantie")
    expect(page.get_by_label("Laatste dag").first).to_have_value(last.isoformat())
    rows = stored(actor)["dates"]
    assert [(r["kind"], r["name"], r["starts_on"], r["ends_on"]) for r in rows] == [
        ("rapport", "Rapport 1", report, report),
        ("vakantie", "Kerstvakantie", first, last),
    ]

    page.goto(f"{base}/Startgesprek.ipynb?klas=3C")
    page.get_by_role("tab", name="Uitnodigen").click()
    preview = page.locator("textarea[disabled]")
    expect(preview).to_have_value(re.compile("Het Baken"))
    expect(preview).to_have_value(re.compile("Ik ben Anne de Vries, de mentor van"))
    expect(page.locator(".stip-settings-notice")).to_have_count(0)
