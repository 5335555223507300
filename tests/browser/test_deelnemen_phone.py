"""Three phones (390×844 Chromium contexts) against a real `python -m stip deelnemen`: join by code or
QR link, answer, reload and continue where they were, hand in. No Voilà here: phones never get a kernel."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from stip import live, schools, store
from stip.store import tables as T
from tests.browser.conftest import phone_page
from tests.server import free_port

PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 30_000
SHOTS = Path(tempfile.gettempdir())


@pytest.fixture(scope="module")
def deelnemen_env():
    data = tempfile.mkdtemp(prefix="stip-deelnemen-")
    env = {**os.environ, "STIP_DATA": data, "STIP_USER": "facilitator"}
    env.pop("STIP_DATABASE_URL", None)
    return env


@pytest.fixture(scope="module")
def deelnemen_server(deelnemen_env):
    """`python -m stip deelnemen --port N` on 127.0.0.1; yields its base URL."""
    port = free_port()
    log = Path(deelnemen_env["STIP_DATA"]) / "deelnemen.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "stip", "deelnemen", "--port", str(port)],
            env=deelnemen_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"stip deelnemen stopped:\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/", timeout=2)  # noqa: S310
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"stip deelnemen did not answer:\n{log.read_text()}")
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def session(deelnemen_server, deelnemen_env, monkeypatch):
    monkeypatch.setenv("STIP_DATA", deelnemen_env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", deelnemen_env["STIP_USER"])
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        started = live.start_session(conn, actor, "teamscan", "Studiedag Het Baken")
    yield started
    store.engine().dispose()


def statement(page, text: str):
    return page.get_by_role("group", name=text, exact=False)


def check_phone_layout(page, name: str) -> None:
    """No sideways scrolling, every button and link at least 44 px high; a screenshot to look at."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    small = page.evaluate(
        """() => [...document.querySelectorAll('button, a.btn, input:not([type=hidden]), textarea')]
             .filter(el => el.getBoundingClientRect().height < 44).map(el => el.outerHTML)"""
    )
    assert not small
    page.screenshot(path=str(SHOTS / f"deelnemen-{name}.png"), full_page=True)


def test_three_phones_join_answer_reload_and_hand_in(browser, deelnemen_server, session):
    base, code = deelnemen_server, session["code"]
    with store.read() as conn:
        every = live.items(conn, session["id"])
    items = [item for item in every if item["kind"] == "schaal"]
    first, second = items[0], items[1]
    comment = next(i for i in every if i["kind"] == "opmerking" and i["theme"] == first["theme"])  # one-form
    contexts = []
    try:
        # Phone A types the code (lower case, as people do), chooses a role and answers two statements.
        context, a = phone_page(browser)
        contexts.append(context)
        a.goto(base + "/")
        check_phone_layout(a, "code")
        a.get_by_label("Code").fill(code.lower())
        a.get_by_role("button", name="Meedoen").click()
        expect(a.get_by_role("heading", name="Welkom bij Studiedag Het Baken")).to_be_visible()
        role_box = a.get_by_role("group", name="Wat is je rol?").bounding_box()  # role-first
        assert role_box["y"] < a.get_by_role("link", name="Beginnen").bounding_box()["y"]
        a.get_by_role("button", name="Mentor").click()
        expect(a.get_by_role("button", name="Mentor")).to_have_attribute("aria-pressed", "true")
        check_phone_layout(a, "start")
        a.get_by_role("link", name="Beginnen").click()
        expect(a.get_by_text("Thema 1 van")).to_be_visible()
        statement(a, first["tekst"]).get_by_role("button", name="Mee eens", exact=True).click()
        chosen = statement(a, first["tekst"]).get_by_role("button", name="Mee eens", exact=True)
        expect(chosen).to_have_attribute("aria-pressed", "true")
        statement(a, second["tekst"]).get_by_role("button", name="Weet ik niet").click()
        expect(statement(a, second["tekst"]).get_by_role("button", name="Weet ik niet")).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(a.get_by_text(f"2 van {len(items)} stellingen beantwoord")).to_be_visible()
        # one-form: a comment typed and then a tap on an answer: both saved (was: the comment was lost)
        a.get_by_label(comment["tekst"]).fill("Lastig bij nieuwkomers")
        statement(a, second["tekst"]).get_by_role("button", name="Helemaal mee eens").click()
        expect(
            statement(a, second["tekst"]).get_by_role("button", name="Helemaal mee eens")
        ).to_have_attribute("aria-pressed", "true")
        expect(a.get_by_label(comment["tekst"])).to_have_value("Lastig bij nieuwkomers")
        expect(a.get_by_text("Opgeslagen")).to_be_visible()
        check_phone_layout(a, "thema")

        # Phone B comes in through the QR link, phone C types the code with a dash.
        for link in (live.join_path(session), f"/?code={code[:3]}-{code[3:]}"):
            context, other = phone_page(browser)
            contexts.append(context)
            other.goto(base + link)
            expect(other.get_by_role("heading", name="Welkom bij Studiedag Het Baken")).to_be_visible()
            other.get_by_role("link", name="Beginnen").click()
            statement(other, first["tekst"]).get_by_role("button", name="Niet mee eens", exact=True).click()
            expect(
                statement(other, first["tekst"]).get_by_role("button", name="Niet mee eens", exact=True)
            ).to_have_attribute("aria-pressed", "true")

        # Phone A reloads (a screen lock, a lost tab): the same answers, and the way back in.
        a.reload()
        expect(
            statement(a, first["tekst"]).get_by_role("button", name="Mee eens", exact=True)
        ).to_have_attribute("aria-pressed", "true")
        a.goto(f"{base}/s/{code}")
        expect(a.get_by_role("button", name="Mentor")).to_have_attribute("aria-pressed", "true")
        expect(a.get_by_role("link", name="Verder bij thema 1")).to_be_visible()

        # The last page: the open questions and "Inleveren"; afterwards only "Bedankt".
        a.goto(f"{base}/s/{code}/klaar")
        check_phone_layout(a, "klaar")
        a.get_by_role("button", name="Inleveren").click()
        expect(a.get_by_role("heading", name="Bedankt!")).to_be_visible()
        check_phone_layout(a, "bedankt")
        a.goto(f"{base}/s/{code}/t/1")
        expect(a.get_by_role("heading", name="Bedankt!")).to_be_visible()

        # The facilitator opens dot voting on three marked statements: the thanks page leads there.
        with store.write() as conn:
            actor = schools.acting_staff_member(conn)
            live.set_marked(conn, actor, session["id"], [item["id"] for item in items[:3]])
            live.set_phase(conn, actor, session["id"], "stemmen")
        a.reload()
        a.get_by_role("link", name="Naar het stemmen").click()
        expect(a.get_by_text("0 van 3 stippen gezet")).to_be_visible()
        a.get_by_role("button", name="Stip zetten").first.click()
        expect(a.get_by_text("1 van 3 stippen gezet")).to_be_visible()
        expect(a.get_by_role("button", name="Stip gezet — tik om weg te halen")).to_have_attribute(
            "aria-pressed", "true"
        )
        check_phone_layout(a, "stemmen")
    finally:
        for context in contexts:
            context.close()

    with store.read() as conn:
        assert conn.execute(select(func.count()).select_from(T.participant)).scalar() == 3
        assert conn.execute(select(func.count()).select_from(T.answer)).scalar() == 5  # with the comment
        assert live.results(conn, session["id"])["ingeleverd"] == 1
        assert live.votes(conn, session["id"]) == {items[0]["id"]: 1}


def test_kenniskring_phone_follows_the_trainer(browser, deelnemen_server, session):
    """A kenniskring phone shows the current activity, answers it, and follows the trainer's "Volgende"
    by itself (the page's small script polls status.json); a typed text is not thrown away."""
    from stip import kenniskring

    base = deelnemen_server
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        kring = kenniskring.start(conn, actor, "Kenniskring Noord")
    context, phone = phone_page(browser)
    try:
        phone.goto(f"{base}{live.join_path(kring)}")
        expect(phone.get_by_text("Activiteit 1 van")).to_be_visible()
        first = phone.locator("section.card").first
        first.get_by_role("textbox", name="Waarom? (mag leeg blijven)").fill(
            "Ouders kennen hun kind het best"
        )
        first.get_by_role("button", name="Eens", exact=True).click()
        first = phone.locator("section.card").first
        expect(first.get_by_role("button", name="Eens", exact=True)).to_have_attribute("aria-pressed", "true")
        expect(first.get_by_role("textbox")).to_have_value("Ouders kennen hun kind het best")
        check_phone_layout(phone, "kenniskring")
        with store.write() as conn:
            kenniskring.go_next(conn, actor, kring["id"])
        expect(phone.get_by_text("Activiteit 2 van")).to_be_visible(timeout=10_000)  # followed by itself
        heading = phone.get_by_role("heading", level=1)
        expect(heading).not_to_have_text("Stellingen om mee te beginnen")
        check_phone_layout(phone, "kenniskring-tips")
        # Typing when the trainer moves on: the page says so instead of reloading over the text.
        with store.write() as conn:
            kenniskring.go_next(conn, actor, kring["id"])
        expect(phone.get_by_text("Activiteit 3 van")).to_be_visible(timeout=10_000)
        phone.locator("textarea").first.fill("Eerst bellen met de ouders")
        with store.write() as conn:
            kenniskring.go_next(conn, actor, kring["id"])
        expect(phone.get_by_text("De begeleider is verder.")).to_be_visible(timeout=10_000)
        expect(phone.locator("textarea").first).to_have_value("Eerst bellen met de ouders")
        check_phone_layout(phone, "kenniskring-verder")
        phone.screenshot(path=str(SHOTS / "deelnemen-kenniskring-verder-scherm.png"))  # the sticky note
    finally:
        context.close()
