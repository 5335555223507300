"""Issue 15's journey for one family, in one browser session: a plan from a pattern → the agenda shows
its next moment on the right day → log it as positive → the family leaves "nog geen positief contact" →
an agreement, evaluated → a reflection on the startgesprek → reload → everything is there."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from stip import timefmt
from tests.browser.test_communicatieplan_plan import PATTERN
from tests.browser.test_reflectie import held_talk, stored, wait_until  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def next_school_day():
    day = timefmt.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_one_familys_year_plan_agenda_contact_agreement_reflection(page, stip_server, held_talk):  # noqa: F811
    student, talk = held_talk
    naam = "Yousef Alkhatib"
    day = next_school_day()
    base = f"{stip_server}/voila/render"

    # The plan: from a pattern, plus one moment on a day of the coming week.
    page.goto(f"{base}/Communicatieplan.ipynb?student={student}")
    expect(page.get_by_role("tab", name="Plan per gezin", selected=True)).to_be_visible()
    page.get_by_label("Voorbeeld").select_option(label=PATTERN)
    page.get_by_role("button", name="Vul het plan met dit voorbeeld").click()
    moments = page.get_by_role("combobox", name="Moment", exact=True)
    expect(moments).to_have_count(4)
    page.get_by_label("Nieuw moment").fill(day.strftime("%d-%m-%Y"))
    page.get_by_role("button", name="Toevoegen").click()
    expect(moments).to_have_count(5)

    # Before any contact the family is on "nog geen positief contact".
    page.get_by_role("tab", name="Klas").click()
    no_positive = page.locator(".stip-family-section", has_text="Nog geen positief contact")
    expect(no_positive).to_contain_text(naam)

    # The agenda shows the moment on its day; one click and a line log it as positive.
    page.get_by_role("tab", name="Agenda").click()
    row = page.locator(".stip-agenda-row", has_text=naam)
    expect(row).to_contain_text(timefmt.short_day(day))
    row.get_by_role("button", name="Gebeurd").click()
    row.get_by_label("Eén regel").fill("Yousef hielp een nieuwe klasgenoot")
    row.get_by_role("button", name="positief").click()
    expect(page.get_by_text(f"Contact met {naam} vastgelegd.")).to_be_visible()
    expect(page.locator(".stip-agenda-row", has_text=naam)).to_have_count(0)

    page.get_by_role("tab", name="Klas").click()
    expect(no_positive).not_to_contain_text(naam)

    # An agreement, evaluated at its date.
    page.get_by_role("tab", name="Afspraken").click()
    picker = page.get_by_role("combobox", name="Leerling")
    picker.select_option(label=picker.locator("option", has_text=naam).first.inner_text())
    page.get_by_role("button", name="Afspraak toevoegen").click()
    form = page.locator(".stip-afspraak").first
    form.get_by_label("Wat", exact=True).fill("Elke week zelf de planner invullen")
    form.get_by_label("Wie doet het").select_option(label="leerling")
    expect(form).to_contain_text("Elke week zelf de planner invullen")
    form.get_by_label("Heeft het geholpen").select_option(label="ja")
    expect(form).to_contain_text("geëvalueerd: ja")

    # A reflection on the startgesprek.
    page.goto(f"{base}/Reflectie.ipynb?conversation={talk}")
    page.get_by_label("Wat deed je en wat gebeurde er?", exact=True).fill("Ik begon met wat goed ging.")
    wait_until(lambda: (stored(talk) or {}).get("handelen") == "Ik begon met wat goed ging.")

    # Reload every page: all of it is there.
    page.goto(f"{base}/Communicatieplan.ipynb?student={student}")
    expect(page.get_by_role("combobox", name="Moment", exact=True)).to_have_count(5)
    page.get_by_role("tab", name="Contact vastleggen").click()
    expect(page.get_by_role("cell", name="Yousef hielp een nieuwe klasgenoot")).to_be_visible()
    page.get_by_role("tab", name="Afspraken").click()
    item = page.locator(".stip-afspraak", has_text="Elke week zelf de planner invullen")
    expect(item).to_contain_text("geëvalueerd: ja")
    page.get_by_role("tab", name="Klas").click()
    expect(page.locator(".stip-family-section", has_text="Nog geen positief contact")).not_to_contain_text(
        naam
    )
    page.goto(f"{base}/Reflectie.ipynb?conversation={talk}")
    expect(page.get_by_label("Wat deed je en wat gebeurde er?", exact=True)).to_have_value(
        "Ik begon met wat goed ging."
    )
