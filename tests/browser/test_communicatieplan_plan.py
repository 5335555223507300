"""Issue 15 §1 in the browser: a plan from a pattern survives a reload; two pages on one plan lose nothing
(the second gets "Herladen")."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import communicatieplan as cp
from stip import demo, schools, store
from stip.store import tables as T

pytestmark = pytest.mark.browser

PATTERN = "Bellen na elk rapport, evaluatie in juni"


def demo_student() -> int:
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
        return conn.execute(select(T.student.c.id).where(T.student.c.leerlingnummer == "240120")).scalar_one()


def stored_plan(student_id: int):
    with store.read() as conn:
        actor = schools.resolve_actor()
        return cp.get_plan(conn, actor, student_id)


def wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "not stored within the timeout"
        time.sleep(0.2)


def moment_values(page) -> list[str]:
    fields = page.get_by_role("combobox", name="Moment", exact=True)
    return [fields.nth(i).input_value() for i in range(fields.count())]


def test_a_plan_from_a_pattern_is_all_there_after_a_reload(page, stip_server, server_db):
    student = demo_student()
    page.goto(f"{stip_server}/voila/render/Communicatieplan.ipynb?student={student}")
    expect(page.get_by_role("tab", name="Plan per gezin", selected=True)).to_be_visible()
    expect(page.get_by_text("Plan voor Yousef")).to_be_visible()
    page.get_by_label("Voorbeeld").select_option(label=PATTERN)
    page.get_by_role("button", name="Vul het plan met dit voorbeeld").click()
    expect(page.get_by_text(f"Het plan is ingevuld met '{PATTERN}'")).to_be_visible()
    expect(page.get_by_role("combobox", name="Moment", exact=True)).to_have_count(4)
    page.get_by_label("Wat heeft de leerling nodig?").fill("Rust en korte lijnen met thuis.")
    page.get_by_label("Nieuw moment").fill("elke 6 weken")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("combobox", name="Moment", exact=True)).to_have_count(5)
    wait_until(lambda: (stored_plan(student) or {}).get("behoefte") == "Rust en korte lijnen met thuis.")
    page.screenshot(path="/tmp/communicatieplan_plan.png", full_page=True)

    page.reload()
    expect(page.get_by_text("Plan voor Yousef")).to_be_visible()
    expect(page.get_by_role("combobox", name="Moment", exact=True)).to_have_count(5)
    assert moment_values(page) == [
        "na rapport 1",
        "na rapport 2",
        "na rapport 3",
        "juni-evaluatie",
        "elke 6 weken",
    ]
    expect(page.get_by_label("Wat heeft de leerling nodig?")).to_have_value("Rust en korte lijnen met thuis.")
    expect(page.get_by_label("Wie neemt het initiatief?")).to_have_value("de school (mentor)")
    expect(page.get_by_label("telefoon", exact=True)).to_be_checked()
    expect(page.get_by_text(f"Begonnen met het voorbeeld '{PATTERN}'")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path="/tmp/communicatieplan_plan_phone.png", full_page=True)


def test_two_pages_on_one_plan_lose_nothing(page, stip_server, server_db):
    student = demo_student()
    url = f"{stip_server}/voila/render/Communicatieplan.ipynb?student={student}"
    first = page
    second = page.context.new_page()
    second.set_default_timeout(30_000)
    for each in (first, second):
        each.goto(url)
        expect(each.get_by_text("Plan voor Yousef")).to_be_visible()

    first.get_by_label("Nieuw moment").fill("na rapport 1")
    first.get_by_role("button", name="Toevoegen").click()
    expect(first.get_by_role("combobox", name="Moment", exact=True)).to_have_count(1)
    second.get_by_label("Nieuw moment").fill("maart")
    second.get_by_role("button", name="Toevoegen").click()
    expect(second.get_by_role("combobox", name="Moment", exact=True)).to_have_count(2)  # both are there

    first.get_by_label("Wat heeft de leerling nodig?").fill("Van de eerste pagina.")
    wait_until(lambda: (stored_plan(student) or {}).get("behoefte") == "Van de eerste pagina.")
    second.get_by_label("Wat heeft de leerling nodig?").fill("Van de tweede pagina.")
    reload = second.get_by_role("button", name="Herladen")
    expect(reload).to_be_visible()
    assert stored_plan(student)["behoefte"] == "Van de eerste pagina."
    reload.click()
    expect(second.get_by_label("Wat heeft de leerling nodig?")).to_have_value("Van de eerste pagina.")
    assert [(m["kind"], m["value"]) for m in stored_plan(student)["moments"]] == [
        ("na_rapport", "1"),
        ("maand", "3"),
    ]
    second.close()
