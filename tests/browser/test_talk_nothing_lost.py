"""Issue 14 §1 as the mentor meets it: a refused "Gehouden op" never costs the fields typed after it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import demo, schools, store
from stip.store import tables as T

pytestmark = pytest.mark.browser


def stored(student_id: int):
    with store.read() as conn:
        talk = conn.execute(select(T.conversation).where(T.conversation.c.student_id == student_id)).first()
        plan = conn.execute(
            select(T.communicatieplan.c.momenten).where(T.communicatieplan.c.student_id == student_id)
        ).scalar()
    return talk, plan


def wait_until(condition, timeout: float = 30.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


def test_a_refused_date_then_five_fields_reload_finds_the_five(page, stip_server, server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
        student = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == "240120")
        ).scalar_one()
    page.goto(f"{stip_server}/voila/render/Startgesprek.ipynb?student={student}")
    expect(page.get_by_role("tab", name="Gesprek", selected=True)).to_be_visible()

    page.get_by_label("Gehouden op").fill((date.today() + timedelta(days=7)).isoformat())
    refusal = page.get_by_text("Deze datum ligt in de toekomst")
    expect(refusal.first).to_be_visible()

    page.get_by_label("Yousef was erbij").check()
    page.get_by_label("Huda Alkhatib was erbij").check()
    page.get_by_label("Stip op de horizon").fill("Elke week zelf mijn huiswerk plannen.")
    page.get_by_label("Aantekeningen").fill("Yousef vertelde trots over zijn voetbalteam.")
    page.get_by_label("Momenten").fill("na elk rapport")
    expect(refusal.first).to_be_visible()  # the refusal stays at its field until fixed

    def all_five():
        talk, momenten = stored(student)
        return (
            talk is not None
            and talk.notes == "Yousef vertelde trots over zijn voetbalteam."
            and momenten == "na elk rapport"
        )

    wait_until(all_five)
    page.reload()
    expect(page.get_by_label("Yousef was erbij")).to_be_checked()
    expect(page.get_by_label("Huda Alkhatib was erbij")).to_be_checked()
    expect(page.get_by_label("Stip op de horizon")).to_have_value("Elke week zelf mijn huiswerk plannen.")
    expect(page.get_by_label("Aantekeningen")).to_have_value("Yousef vertelde trots over zijn voetbalteam.")
    expect(page.get_by_label("Momenten")).to_have_value("na elk rapport")
    talk, _ = stored(student)
    assert talk.held_on is None  # the refused date was never stored
