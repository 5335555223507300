"""Ouderplan (issue 17 §5/§6) as a team leader meets it: the demo team's plan with the figures behind each
priority, an activity added and typed, reload: it is there; the PDF in one click holds the chart and the
activity; the comparison with last year's round."""

from __future__ import annotations

import io
import time

import pytest
from playwright.sync_api import expect

from stip import demo, ouderplan, schools, store

pytestmark = pytest.mark.browser

ACTIVITY = "Ouders krijgen in de eerste schoolweek een kort goednieuwsbericht van de mentor"
SHOTS = "/tmp/op"


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


@pytest.fixture
def demo_team(server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))


def activities_of_first_priority() -> list[str]:
    with store.read() as conn:
        actor = schools.find_actor(conn)
        return [a["wat"] for a in ouderplan.priorities(conn, actor)[0]["activities"]]


def test_plan_activity_reload_pdf_and_rounds(page, stip_server, demo_team):
    from pypdf import PdfReader

    page.goto(f"{stip_server}/voila/render/Ouderplan.ipynb")
    title = page.get_by_label("Prioriteit 1", exact=True)
    expect(title).to_have_value(
        "Wij spreken per gezin af hoe en hoe vaak we contact hebben, in plaats van "
        "voor iedereen dezelfde vaste avonden."
    )
    expect(page.get_by_text("14 deelnemers").first).to_be_visible()
    expect(page.locator("svg.stip-chart").first).to_be_visible()  # the distribution behind the priority
    page.set_viewport_size({"width": 1280, "height": 2400})  # Voilà scrolls inside: a tall window instead
    page.screenshot(path=f"{SHOTS}/plan.png")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("button", name="Activiteit toevoegen").first.click()
    expect(page.get_by_text("Activiteit toegevoegd")).to_be_visible()
    what = page.get_by_label("Wat gaan we doen?").nth(1)  # priority 1 had one activity: this is the second
    what.fill(ACTIVITY)
    page.get_by_label("Wie doet het?").nth(1).fill("mentoren")
    wait_until(lambda: ACTIVITY in activities_of_first_priority())
    expect(page.get_by_text("Opgeslagen om")).to_be_visible()

    page.reload()
    expect(page.get_by_label("Wat gaan we doen?").nth(1)).to_have_value(ACTIVITY)
    expect(page.get_by_label("Wie doet het?").nth(1)).to_have_value("mentoren")

    with page.expect_download() as download:  # one click: the PDF is built and saved
        page.get_by_role("button", name="PDF").click()
    assert download.value.suggested_filename.startswith("ouderplan-")
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    assert ACTIVITY in text
    assert "helemaal mee eens" in text  # the distribution chart's legend, drawn into the PDF
    with open(f"{SHOTS}/plan.pdf", "wb") as handle:
        handle.write(open(download.value.path(), "rb").read())

    # last year's plan, from the first round
    page.get_by_label("Schooljaar", exact=True).select_option(index=1)
    expect(page.get_by_text("Volgende ronde, ").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 1400})
    page.screenshot(path=f"{SHOTS}/last-year.png")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Schooljaar", exact=True).select_option(index=0)
    expect(page.get_by_label("Wat gaan we doen?").nth(1)).to_have_value(ACTIVITY)

    page.get_by_role("tab", name="Rondes vergelijken").click()
    expect(page.get_by_text("Rondes van deze teamscan")).to_be_visible()
    expect(page.get_by_text("In 9 van de 10 klassen", exact=False)).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.screenshot(path=f"{SHOTS}/rounds.png")

    page.set_viewport_size({"width": 390, "height": 2400})
    page.get_by_role("tab", name="Plan").click()
    expect(page.get_by_label("Wat gaan we doen?").nth(1)).to_have_value(ACTIVITY)
    page.screenshot(path=f"{SHOTS}/plan-390.png")
    page.get_by_role("tab", name="Rondes vergelijken").click()
    page.screenshot(path=f"{SHOTS}/rounds-390.png")
