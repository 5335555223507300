"""Moeilijk gesprek (issue 16) as a mentor meets it: a new preparation, ten steps with realistic text (a
judgement word in the facts is flagged), the sheet as a PDF in one click (one page, the positive opening
and the goal on it), the talk recorded with two agreements and a reflection, reload: the list shows it
as held and the agreements are in the Communicatieplan agenda. And the steps on a phone."""

from __future__ import annotations

import io
import re
import time
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import demo, schools, store, timefmt
from stip import moeilijk_gesprek as mg
from stip.store import tables as T

pytestmark = pytest.mark.browser

SHOTS = "/tmp/mg"
LEERLINGNUMMER = "240120"  # Yousef Alkhatib, 1A

POSITIEF = "Yousef helpt klasgenoten bij wiskunde zonder dat iemand het vraagt."
DOEL = "Samen zorgen dat Yousef op tijd is en het eerste uur weer meedoet."
STEPS: list[dict[str, str | tuple[str, str]]] = [
    {
        "Wie vroeg om dit gesprek?": ("select", "ikzelf (mentor)"),
        "Feiten": "Sinds 3 november zes keer te laat in het eerste uur. Hij is lui in de ochtend.",
        "Wat denk je dat erachter zit?": "Misschien slaapt hij slecht; hij zei iets over laat gamen.",
    },
    {
        "Heb je de leerling al gesproken?": ("select", "ja"),
        "Wat herkent de leerling?": "Hij herkent het te laat komen, niet dat het erg is.",
        "Wat heeft de leerling nodig?": "Een vaste wekker en iemand die 's ochtends vraagt hoe het gaat.",
        "Is de leerling bij het gesprek?": ("select", "ja"),
        "Een docent die de leerling vertrouwt": "mevrouw De Vries (gym)",
    },
    {
        "Hoe ziet de leerling het?": "Het eerste uur is saai; hij mist er weinig, denkt hij.",
        "Hoe zien de ouders het, denk je?": "Ze weten het misschien niet: hij gaat op tijd van huis.",
        "Hoe ziet de school het?": "Hij mist uitleg en raakt achter bij wiskunde.",
        "Waar maken de ouders zich misschien zorgen over?": "Dat hij blijft zitten.",
        "Waar zijn de ouders trots op?": "Zijn voetbal en hoe hij voor zijn zusje zorgt.",
        "Welke emoties verwacht je? (één per regel)": "schrik\nboosheid op Yousef",
        "Een eerste zin van begrip (één per regel)": "Ik zie dat dit u overvalt.\nIk snap dat u boos bent.",
    },
    {
        "Wat gaat goed (1)": POSITIEF,
        "Wat gaat goed (2)": "Zijn spreekbeurt over Syrië was de beste van de klas.",
    },
    {
        "Wat wil je na dit gesprek bereikt hebben?": DOEL,
        "Wat hoeft vandaag niet?": "Geen oordeel over hoe laat hij thuis gaat slapen.",
        "Het gedeelde doel, in woorden van ouders": "Dat Yousef zijn jaar haalt en het fijn heeft op school.",
        "Leren en resultaten": "Wiskunde weer bijhouden.",
        "Welbevinden en omgang met anderen": "Uitgerust en met plezier op school.",
    },
    {
        "Wat school kan bieden": "Elke ochtend om 8.20 even melden bij de mentor, vier weken lang.",
        "Wat school niet kan": "Hem 's ochtends thuis ophalen of bellen.",
        "Wie kan er nog meer bij betrokken zijn?": "De leerplichtambtenaar als het niet verbetert.",
    },
    {
        "Wie zijn erbij?": "Moeder, Yousef, ik",
        "Is er een tolk nodig?": ("select", "nee"),
        "Waar?": "Lokaal 12",
        "Tijd": "15:30",
        "Hoe lang (minuten)": "30",
    },
]


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


@pytest.fixture
def demo_db(server_db):
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        student = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == LEERLINGNUMMER)
        ).scalar_one()
    return student


def stored() -> dict | None:
    with store.read() as conn:
        actor = schools.find_actor(conn)
        items = mg.preparations(conn, actor)
        return mg.get(conn, actor, items[0]["id"]) if items else None


def at_step(page, number: int) -> None:
    expect(page.get_by_text(re.compile(rf"^Stap {number} van 10"))).to_be_visible()


def fill(page, label: str, value) -> None:
    field = page.get_by_label(label, exact=True)
    if isinstance(value, tuple):
        field.select_option(label=value[1])
    else:
        field.fill(value)


def test_prepare_hold_and_follow_up_a_difficult_conversation(page, stip_server, demo_db):
    student = demo_db
    today = timefmt.today()
    page.goto(f"{stip_server}/voila/render/Moeilijk_gesprek.ipynb")
    expect(page.get_by_text("Je hebt nog geen voorbereidingen.", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/list_empty.png", full_page=True)

    # New preparation: choose the student with the picker and the kind of talk.
    page.get_by_role("button", name="Nieuwe voorbereiding").click()
    page.get_by_label("Leerling", exact=True).fill("Alkhatib")
    page.get_by_role("listbox").select_option(index=0)
    page.get_by_label("Soort gesprek").select_option(label="Verzuim")
    page.screenshot(path=f"{SHOTS}/new.png", full_page=True)
    page.get_by_role("button", name="Begin de voorbereiding").click()
    expect(page.get_by_role("heading", name="Moeilijk gesprek over Yousef Alkhatib (1A)")).to_be_visible()
    at_step(page, 1)

    # Steps 1-7 with realistic text; "Volgende" is never blocked.
    for number, answers in enumerate(STEPS, start=1):
        at_step(page, number)
        for label, value in answers.items():
            fill(page, label, value)
        if number == 1:  # the judgement word "lui" is flagged under the facts, as typed
            flagged = re.compile("In de feiten sta(at|an) (een )?oordeelwoord")
            flag = page.locator(".stip-warning", has_text=flagged)
            expect(flag).to_contain_text("“lui”")
        if number == 7:
            page.get_by_label("Datum", exact=True).fill((today + timedelta(days=1)).isoformat())
            expect(page.get_by_role("link", name=re.compile("gouden mail"))).to_have_attribute(
                "href", f"Gouden_mail.ipynb?student={student}"
            )
        page.screenshot(path=f"{SHOTS}/step{number}.png", full_page=True)
        page.get_by_role("button", name="Volgende").click()

    # Step 8: the flow from the answers, and two open questions from the bank.
    at_step(page, 8)
    expect(page.get_by_role("heading", name="Zo loopt het gesprek")).to_be_visible()
    expect(page.locator(".stip-mg__flow")).to_contain_text(POSITIEF)
    boxes = page.locator(".stip-mg .widget-checkbox input[type=checkbox]")
    # the first checkbox is "Delen met de zorgcoördinator"; the questions follow
    boxes.nth(1).check()
    boxes.nth(2).check()
    page.screenshot(path=f"{SHOTS}/step8.png", full_page=True)
    wait_until(lambda: len(((stored() or {}).get("answers") or {}).get("vragen", "").split()) == 2)
    page.get_by_role("button", name="Volgende").click()

    # Step 9: the sheet as a PDF, one click: one page, the positive opening and the goal on it.
    at_step(page, 9)
    expect(page.locator("iframe.stip-mg__preview")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/step9.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Gespreksblad als PDF").click()
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in pdf.pages)
    assert len(pdf.pages) == 1
    assert "helpt klasgenoten bij wiskunde" in text and "op tijd is en het eerste uur" in text
    page.get_by_role("button", name="Volgende").click()

    # Step 10: the talk was held today, two agreements, the follow-up moment, a reflection.
    at_step(page, 10)
    page.get_by_label("Het gesprek was op").fill(today.isoformat())
    page.get_by_label("Yousef was erbij").check()
    page.get_by_label("Afspraak 1", exact=True).fill("Yousef meldt zich om 8.20 bij de mentor")
    page.get_by_label("Wie draagt het?").first.select_option(label="leerling")
    page.get_by_label("Wanneer?").first.fill((today + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Nog een afspraak").click()
    page.get_by_label("Afspraak 2", exact=True).fill("Moeder belt de mentor na een week")
    page.get_by_label("Wie draagt het?").nth(1).select_option(label="ouders")
    page.get_by_label("Wanneer?").nth(1).fill((today + timedelta(days=3)).isoformat())
    page.get_by_label("Wat gebeurt er hierna?").fill("Over drie weken samen kijken hoe het gaat.")
    page.get_by_label("Vervolgmoment").fill((today + timedelta(days=4)).isoformat())
    page.get_by_label("Handelen: Wat deed je en wat gebeurde er?").fill("Ik begon met zijn spreekbeurt.")
    voornemen_text = "Volgende keer laat ik eerst de leerling vertellen."
    page.get_by_label("Uitproberen: Mijn voornemen").fill(voornemen_text)
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()
    page.screenshot(path=f"{SHOTS}/step10.png", full_page=True)

    def recorded() -> bool:
        prep = stored() or {}
        return (
            prep.get("conversation", {}).get("held_on") == today
            and len(prep.get("afspraken", [])) == 3
            and all(a["wanneer"] for a in prep["afspraken"])
        )

    wait_until(recorded)

    def voornemen() -> str | None:
        with store.read() as conn:
            return conn.execute(select(T.reflection.c.voornemen)).scalar()

    wait_until(lambda: voornemen() == voornemen_text)

    # Reload: the address names the preparation, so it opens again with everything in it.
    expect(page).to_have_url(re.compile(r"Moeilijk_gesprek\.ipynb\?voorbereiding=\d+$"))
    page.reload()
    at_step(page, 1)
    expect(page.get_by_label("Feiten", exact=True)).to_have_value(STEPS[0]["Feiten"])
    expect(page.get_by_text("Verzuim · gehouden")).to_be_visible()

    # The list shows it as held.
    page.get_by_role("link", name="← Alle voorbereidingen").click()
    row = page.get_by_role("row", name=re.compile("Yousef Alkhatib"))
    expect(row).to_contain_text("gehouden")
    expect(row).to_contain_text(timefmt.format_date(today))
    page.screenshot(path=f"{SHOTS}/list_held.png", full_page=True)
    row.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"Moeilijk_gesprek\.ipynb\?voorbereiding=\d+$"))
    expect(page.get_by_label("Feiten", exact=True)).to_have_value(STEPS[0]["Feiten"])
    page.get_by_role("button", name=re.compile(r"^. 10\. ")).click()
    expect(page.get_by_label("Afspraak 2", exact=True)).to_have_value("Moeder belt de mentor na een week")

    # The agreements and the follow-up are in the Communicatieplan agenda.
    page.goto(f"{stip_server}/voila/render/Communicatieplan.ipynb?klas=1A&tab=agenda")
    agenda = page.locator(".stip-agenda-row", has_text="Yousef")
    expect(agenda.filter(has_text="Yousef meldt zich om 8.20 bij de mentor")).to_have_count(1)
    expect(agenda.filter(has_text="Moeder belt de mentor na een week")).to_have_count(1)
    expect(agenda.filter(has_text="Vervolg")).to_have_count(1)
    page.screenshot(path=f"{SHOTS}/agenda.png", full_page=True)


def test_every_step_on_a_phone_with_the_worked_example_under_it(page, stip_server, demo_db):
    student = demo_db
    with store.write() as conn:
        actor = schools.find_actor(conn)
        prep = mg.create(conn, actor, student, "verzuim")
        mg.save_answers(conn, actor, prep["id"], {"feiten": "Zes keer te laat.", "positief_1": POSITIEF}, {})
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Moeilijk_gesprek.ipynb?student={student}")
    at_step(page, 1)
    expect(page.get_by_label("Feiten", exact=True)).to_have_value("Zes keer te laat.")
    example = page.get_by_label("Voorbeeld ernaast")
    options = example.locator("option")
    if options.count() > 1:
        example.select_option(index=1)
        expect(page.locator(".stip-mg__example .stip-card")).to_be_visible()
    for number in range(1, 11):
        at_step(page, number)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"step {number} is {width}px wide on a 390px phone"
        page.get_by_text(re.compile(rf"^Stap {number} van 10")).scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/phone_step{number}.png")
        if number < 10:
            page.get_by_role("button", name="Volgende").click()
    page.goto(f"{stip_server}/voila/render/Moeilijk_gesprek.ipynb")
    expect(page.get_by_role("row", name=re.compile("Yousef Alkhatib"))).to_contain_text("concept")
    page.screenshot(path=f"{SHOTS}/phone_list.png", full_page=True)


def test_two_pages_on_one_preparation_lose_nothing(page, stip_server, demo_db):
    with store.write() as conn:
        prep = mg.create(conn, schools.find_actor(conn), demo_db, "gedrag")
    url = f"{stip_server}/voila/render/Moeilijk_gesprek.ipynb?voorbereiding={prep['id']}"
    other = page.context.new_page()
    for each in (page, other):
        each.set_default_timeout(30_000)
        each.goto(url)
        at_step(each, 1)
    page.get_by_label("Feiten", exact=True).fill("Twee keer een klasgenoot uitgescholden in de pauze.")
    other.get_by_label("Wat denk je dat erachter zit?", exact=True).fill("Misschien ruzie uit de klassenapp.")

    def both() -> bool:
        answers = (stored() or {}).get("answers", {})
        return bool(answers.get("feiten")) and bool(answers.get("interpretaties"))

    wait_until(both)
    page.reload()
    at_step(page, 1)
    expect(page.get_by_label("Feiten", exact=True)).to_have_value(
        "Twee keer een klasgenoot uitgescholden in de pauze."
    )
    expect(page.get_by_label("Wat denk je dat erachter zit?", exact=True)).to_have_value(
        "Misschien ruzie uit de klassenapp."
    )
    other.close()
