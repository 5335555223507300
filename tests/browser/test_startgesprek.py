"""A mentor's startgesprek season in a real browser: slots, placing, calendar, gouden mail, sheet,
recording the talk, reload, overview."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import demo, schools, store
from stip.store import tables as T

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_school(server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
        return conn.execute(select(T.student.c.id).where(T.student.c.leerlingnummer == "240120")).scalar_one()


def wait_until(condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


def stored_plan(student_id: int) -> str | None:
    with store.write() as conn:
        return conn.execute(
            select(T.communicatieplan.c.momenten).where(T.communicatieplan.c.student_id == student_id)
        ).scalar()


def download(page, button_name: str) -> tuple[str, bytes]:
    """ONE click on a download button gives the file: (the name the browser saves it under, its bytes)."""
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name, exact=True).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_startgesprek_season_from_slots_to_recorded_goal(page, stip_server, demo_school):
    import email
    import email.policy

    import icalendar
    from pypdf import PdfReader

    student_id = demo_school  # Yousef Alkhatib, 1A
    base = f"{stip_server}/voila/render"

    # Plan: slots for class 1A with a break, one family by hand, the rest automatically.
    page.goto(f"{base}/Startgesprek.ipynb?klas=1A")
    page.get_by_label("Van (uu:mm)").fill("16:00")
    page.get_by_label("Tot (uu:mm)").fill("21:00")
    page.get_by_label("Pauzes (van-tot)").fill("18:00-18:20")
    page.get_by_label("Plaats").fill("lokaal 1.12")
    page.get_by_role("button", name="Tijden toevoegen").click()
    expect(page.get_by_text("14 gesprekstijden toegevoegd.")).to_be_visible()
    page.get_by_role("combobox", name=re.compile("16:00–16:20")).select_option(label="Yousef Alkhatib")
    expect(page.get_by_text("14 gesprekstijden; 1 van 26 gezinnen ingepland.")).to_be_visible()
    page.get_by_role("button", name="Automatisch indelen").click()
    expect(page.get_by_text("14 gesprekstijden; 14 van 26 gezinnen ingepland.")).to_be_visible()
    expect(page.get_by_role("combobox", name=re.compile("18:(00|10)–"))).to_have_count(
        0
    )  # the break stays free

    # The calendar file: one event per planned talk, in Amsterdam time.
    name, data = download(page, "Agenda downloaden (.ics)")
    assert name == "startgesprekken-1A.ics"
    calendar = icalendar.Calendar.from_ical(data)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 14
    first = min(events, key=lambda e: e.decoded("DTSTART"))
    assert first.decoded("DTSTART").strftime("%H:%M") == "16:00"
    assert "Yousef Alkhatib" in str(first["SUMMARY"])

    # Gouden mail for Yousef: something that goes well plus a question; marked as sent.
    page.goto(f"{base}/Gouden_mail.ipynb?student={student_id}")
    page.get_by_label("Wat gaat er goed").fill("Yousef hielp een nieuwe klasgenoot de weg te vinden.")
    page.get_by_text("Trots", exact=True).click()  # question groups open one at a time
    page.get_by_label("Waar bent u trots op bij uw kind?", exact=False).first.check()
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()
    name, data = download(page, "Download e-mail (.eml)")  # the draft, in one click
    assert name == "gouden-mail-Yousef.eml"
    draft = email.message_from_bytes(data, policy=email.policy.default)
    assert draft["X-Unsent"] == "1" and "Yousef hielp een nieuwe klasgenoot" in draft.get_body().get_content()
    page.get_by_role("button", name="Markeer als verstuurd").click()
    expect(page.get_by_text(re.compile("1 van de 26 verstuurd"))).to_be_visible()

    # The conversation sheet as PDF, with the student's name on it.
    page.goto(f"{base}/Startgesprek.ipynb?student={student_id}")
    expect(page.get_by_role("tab", name="Gesprek", selected=True)).to_be_visible()
    page.get_by_role("button", name="Gespreksblad printen").click()  # a hidden frame opens the print dialog
    sheet = page.frame_locator("iframe.stip-print-frame")
    expect(sheet.get_by_text("Startgesprek met Yousef Alkhatib")).to_be_attached()
    name, pdf = download(page, "Gespreksblad (PDF)")
    assert name == "gespreksblad-Yousef.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Yousef Alkhatib" in text and "stip op de horizon" in text.lower()

    # Record the talk: date, who was there, the shared goal, an agreement and the plan.
    page.get_by_label("Gehouden op").fill(date.today().isoformat())
    page.get_by_label("Yousef was erbij").check()
    page.get_by_label("Huda Alkhatib was erbij").check()
    page.get_by_label("Stip op de horizon").fill("Ik wil elke week mijn huiswerk zelf plannen.")
    page.get_by_role("button", name="Afspraak toevoegen").click()
    page.get_by_placeholder("Wat", exact=True).fill("Planner samen doorlopen")
    page.get_by_placeholder("Wie", exact=True).fill("mentor en Yousef")
    page.get_by_label("telefoon", exact=True).check()
    page.get_by_label("Momenten").fill("na rapport 1 en in maart")
    page.get_by_label("Gezamenlijk informatiemoment").select_option(label="ja, graag")
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()
    # Text fields save about a second after the last key: wait until the store has them.
    wait_until(lambda: stored_plan(student_id) == "na rapport 1 en in maart")

    page.reload()
    expect(page.get_by_label("Stip op de horizon")).to_have_value(
        "Ik wil elke week mijn huiswerk zelf plannen."
    )
    expect(page.get_by_label("Yousef was erbij")).to_be_checked()
    expect(page.get_by_label("Omar Alkhatib was erbij")).not_to_be_checked()
    expect(page.get_by_placeholder("Wat", exact=True)).to_have_value("Planner samen doorlopen")
    expect(page.get_by_label("telefoon", exact=True)).to_be_checked()
    expect(page.get_by_label("Momenten")).to_have_value("na rapport 1 en in maart")

    # The overview counts the talk as held, with goal and plan.
    page.get_by_role("tab", name="Overzicht").click()
    bars = page.locator(".stip-bar")
    expect(bars.filter(has_text="gesprek gehouden")).to_contain_text("1 van 26")
    expect(bars.filter(has_text="doel vastgelegd")).to_contain_text("1 van 26")
    expect(bars.filter(has_text="communicatieplan vastgelegd")).to_contain_text("1 van 26")
    expect(page.get_by_text("Nog geen startgesprek (25)")).to_be_visible()
    with store.write() as conn:
        talk = conn.execute(select(T.conversation).where(T.conversation.c.student_id == student_id)).one()
        afspraak = conn.execute(select(T.afspraak).where(T.afspraak.c.student_id == student_id)).one()
    assert talk.held_on == date.today() and talk.collective_info == "ja"
    assert talk.present["student"] is True and afspraak.wie == "mentor en Yousef"


def test_invitation_edit_copy_and_download(page, stip_server, demo_school, context):
    import email
    import zipfile
    from datetime import time

    from stip import planning, startgesprek

    with store.write() as conn:  # every family of 1A has a time: only those are invited
        actor = schools.acting_staff_member(conn)
        klas = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        startgesprek.add_slots(conn, actor, klas, planning.make_slots(date.today(), time(9), time(18)))
        startgesprek.auto_assign(conn, actor, klas)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=stip_server)
    page.goto(f"{stip_server}/voila/render/Startgesprek.ipynb?klas=1A")
    page.get_by_role("tab", name="Uitnodigen").click()
    page.get_by_role("button", name="E-mail", exact=True).click()
    body = page.get_by_label("Tekst", exact=True)
    expect(body).to_have_value(re.compile("Beste {ouders}"))
    body.fill("Beste {ouders} en {roepnaam},\n\nWelkom op het startgesprek met het OPP erbij.\n\n{mentor}")
    expect(page.get_by_text(re.compile("Schooltaal die ouders misschien niet kennen: .*OPP"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()

    preview = page.locator("textarea[disabled]")
    expect(preview).to_have_value(re.compile("Beste Huda Alkhatib, Omar Alkhatib en Yousef,"))
    page.get_by_role("button", name="Kopiëren", exact=True).click()
    expect(page.get_by_role("button", name="Gekopieerd")).to_be_visible()
    assert "Beste Huda Alkhatib, Omar Alkhatib en Yousef," in page.evaluate("navigator.clipboard.readText()")

    name, data = download(page, "Download e-mail (.eml)")
    assert name == "uitnodiging-Yousef.eml"
    message = email.message_from_bytes(data)
    assert message["X-Unsent"] == "1" and message["To"].count("@example.org") == 2
    assert "OPP" in message.get_payload(decode=True).decode("utf-8")

    name, data = download(page, "Alle e-mails (.zip)")
    assert name == "uitnodigingen-1A.zip"
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert len(archive.namelist()) == 27  # 26 families; the separated parents of one get one each

    page.reload()
    page.get_by_role("tab", name="Uitnodigen").click()
    page.get_by_role("button", name="E-mail", exact=True).click()
    expect(page.get_by_label("Tekst", exact=True)).to_have_value(re.compile("OPP erbij"))
