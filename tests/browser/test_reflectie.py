"""Terugblikken (issue 15 §5) as a mentor meets it: from a held startgesprek to a reflection in the five
ALACT steps, reload, the list with the intention, marked as tried."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import demo, reflectie, schools, startgesprek, store, timefmt
from stip.store import tables as T

pytestmark = pytest.mark.browser

ANSWERS = {
    "Wat deed je en wat gebeurde er?": "Ik begon met wat goed ging; Yousef keek vooral naar zijn moeder.",
    "Wat wilde, dacht en voelde je, en hoe was het voor ouders en leerling?": (
        "Ik wilde vertrouwen winnen. Moeder was gespannen, Yousef stil."
    ),
    "Wat is de kern, en wat betekent die?": "Yousef praatte pas toen hij zelf het woord kreeg.",
    "Wat kun je nog meer doen?": "De leerling laten openen; zelf minder vertellen.",
    "Mijn voornemen": "Volgende keer laat ik de leerling het gesprek openen.",
    "Wanneer en hoe probeer je het, en hoe merk je of het werkt?": "Bij de gesprekken na rapport 1.",
}
STEP_OF = [0, 1, 2, 3, 4, 4]  # the step (0-based) holding each answer above


def wait_until(condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


@pytest.fixture
def held_talk(server_db):
    """The demo school with Yousef's startgesprek held today; (student id, conversation id)."""
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        student = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == "240120")
        ).scalar_one()
        startgesprek.save_conversation(conn, actor, student, {"held_on": date.today()}, 1)
        talk = conn.execute(
            select(T.conversation.c.id).where(T.conversation.c.student_id == student)
        ).scalar()
    return student, talk


def stored(conversation_id: int) -> dict | None:
    with store.read() as conn:
        actor = schools.find_actor(conn)
        return reflectie.for_conversation(conn, actor, conversation_id)


def step(page, number: int) -> None:
    """Open step `number` (1-based) from the stepper's header."""
    page.get_by_role("button", name=re.compile(rf"^. {number}\. ")).click()
    expect(page.get_by_text(re.compile(rf"^Stap {number} van 5"))).to_be_visible()


def test_from_a_held_startgesprek_to_a_reflection_and_a_tried_intention(page, stip_server, held_talk):
    student, talk = held_talk
    page.goto(f"{stip_server}/voila/render/Startgesprek.ipynb?student={student}")
    expect(page.get_by_role("tab", name="Gesprek", selected=True)).to_be_visible()
    page.get_by_role("link", name="Terugblikken op dit gesprek").scroll_into_view_if_needed()
    page.screenshot(path="/tmp/refl/talk.png")
    page.get_by_role("link", name="Terugblikken op dit gesprek").click()
    expect(page).to_have_url(re.compile(rf"Reflectie\.ipynb\?conversation={talk}$"))
    expect(page.get_by_text(re.compile("Korthagen")).first).to_be_visible()
    expect(page.get_by_text("Terugblik op: ")).to_contain_text("Startgesprek · Yousef Alkhatib (1A)")
    page.screenshot(path="/tmp/refl/step1.png", full_page=True)

    # Fill the five steps: "Volgende" is never blocked; each text saves itself a second after typing.
    for (label, text), number in zip(ANSWERS.items(), STEP_OF, strict=True):
        if not page.get_by_text(re.compile(rf"^Stap {number + 1} van 5")).is_visible():
            page.get_by_role("button", name="Volgende").click()
            expect(page.get_by_text(re.compile(rf"^Stap {number + 1} van 5"))).to_be_visible()
        page.get_by_label(label, exact=True).fill(text)
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()
    page.screenshot(path="/tmp/refl/step5.png", full_page=True)
    wait_until(lambda: (stored(talk) or {}).get("uitproberen") == ANSWERS[list(ANSWERS)[-1]])

    # Reload: every step is there, and each step shows it is done.
    page.reload()
    expect(page.get_by_role("button", name=re.compile(r"^✓ 5\. Uitproberen"))).to_be_visible()
    for (label, text), number in zip(ANSWERS.items(), STEP_OF, strict=True):
        step(page, number + 1)
        expect(page.get_by_label(label, exact=True)).to_have_value(text)

    # The list shows the intention; mark it as tried.
    page.get_by_role("tab", name="Mijn voornemens").click()
    expect(page.get_by_text(ANSWERS["Mijn voornemen"])).to_be_visible()
    expect(page.get_by_text(re.compile("1 terugblik"))).to_be_visible()
    page.get_by_label("Geprobeerd?").select_option(label="ja, geprobeerd")
    expect(page.get_by_text(re.compile("Voornemens geprobeerd: 1 ja"))).to_be_visible()
    wait_until(lambda: (stored(talk) or {}).get("voornemen_geprobeerd") == "ja")
    page.screenshot(path="/tmp/refl/list.png", full_page=True)

    page.reload()
    page.get_by_role("tab", name="Mijn voornemens").click()
    expect(page.get_by_text(re.compile("Voornemens geprobeerd: 1 ja"))).to_be_visible()


def test_without_a_query_choose_a_conversation_also_on_a_phone(page, stip_server, held_talk):
    _student, talk = held_talk
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Reflectie.ipynb")
    option = f"{timefmt.format_date(date.today())} · Startgesprek · Yousef Alkhatib (1A)"
    page.get_by_label("Gesprek", exact=True).select_option(label=option)
    expect(page.get_by_text(re.compile(r"^Stap 1 van 5"))).to_be_visible()
    page.get_by_label("Wat deed je en wat gebeurde er?").fill("Kort gebeld.")
    wait_until(lambda: (stored(talk) or {}).get("handelen") == "Kort gebeld.")
    page.screenshot(path="/tmp/refl/phone.png", full_page=True)
    page.get_by_role("tab", name="Mijn voornemens").click()
    expect(page.get_by_text("Nog geen voornemen opgeschreven.")).to_be_visible()
    page.screenshot(path="/tmp/refl/phone_list.png", full_page=True)
