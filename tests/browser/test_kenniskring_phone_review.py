"""Review of issue 18 on a real phone page (390×844, `python -m stip deelnemen`): a participant types
reasons on two statements and taps one answer button — both reasons are kept, also without JavaScript:
the activity is one form (was: a form per statement, and volg.js had to send the other reasons along)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from stip import kenniskring, live, schools, store
from tests.browser.test_deelnemen_phone import deelnemen_env, deelnemen_server, phone_page  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "zonder-js"])
def test_typed_reasons_on_two_statements_survive_one_tap(
    javascript,
    browser,
    deelnemen_server,  # noqa: F811
    deelnemen_env,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setenv("STIP_DATA", deelnemen_env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", deelnemen_env["STIP_USER"])
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        kring = kenniskring.start(conn, actor, "Kenniskring West")
    context, phone = phone_page(browser, javascript=javascript)
    try:
        phone.goto(f"{deelnemen_server}/")
        phone.get_by_role("textbox", name="Code").fill(kring["code"])
        phone.get_by_role("button", name="Meedoen").click()
        cards = phone.locator("section.card")
        expect(cards).to_have_count(6)
        cards.nth(0).get_by_role("textbox").fill("Dan luisteren ouders beter")
        cards.nth(1).get_by_role("textbox").fill("Ook als het goed gaat wil je ze zien")
        cards.nth(0).get_by_role("button", name="Eens", exact=True).click()
        cards = phone.locator("section.card")
        expect(cards.nth(0).get_by_role("button", name="Eens", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        expect(cards.nth(0).get_by_role("textbox")).to_have_value("Dan luisteren ouders beter")
        expect(cards.nth(1).get_by_role("textbox")).to_have_value("Ook als het goed gaat wil je ze zien")
        cards.nth(1).get_by_role("button", name="Oneens", exact=True).click()
        expect(phone.locator("section.card").nth(1).get_by_role("textbox")).to_have_value(
            "Ook als het goed gaat wil je ze zien"
        )
        phone.screenshot(path="/tmp/stip-kenniskring-review-reasons.png", full_page=True)
        with store.read() as conn:
            texts = sorted(
                a["tekst"]
                for token in [c["value"] for c in context.cookies() if c["name"] == "stip_deelnemer"]
                for a in live.my_answers(conn, kring["id"], token).values()
            )
        assert texts == ["Dan luisteren ouders beter", "Ook als het goed gaat wil je ze zien"]
    finally:
        context.close()
        store.engine().dispose()


def test_closed_answering_keeps_the_chosen_answer_readable(
    browser,
    deelnemen_server,  # noqa: F811
    deelnemen_env,  # noqa: F811
    monkeypatch,
):
    """The chosen button of a closed activity was grey text on dark blue; the step line split
    'Activiteit 1 / van 6' over two lines."""
    monkeypatch.setenv("STIP_DATA", deelnemen_env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", deelnemen_env["STIP_USER"])
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        kring = kenniskring.start(conn, actor, "Kenniskring Ouders als partner in het voortgezet onderwijs")
    context, phone = phone_page(browser)
    try:
        phone.goto(f"{deelnemen_server}/")
        phone.get_by_role("textbox", name="Code").fill(kring["code"])
        phone.get_by_role("button", name="Meedoen").click()
        phone.locator("section.card").first.get_by_role("button", name="Oneens", exact=True).click()
        with store.write() as conn:
            kenniskring.close_answering(conn, actor, kring["id"])
        expect(phone.get_by_text("Antwoorden is nu dicht")).to_be_visible()  # the page follows by itself
        chosen = phone.locator("section.card").first.get_by_role("button", name="Oneens", exact=True)
        expect(chosen).to_be_disabled()
        assert chosen.evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
        step = phone.get_by_text("Activiteit 1 van 6", exact=True)
        assert step.evaluate("s => s.getClientRects().length") == 1
        phone.screenshot(path="/tmp/stip-kenniskring-review-closed.png")
    finally:
        context.close()
        store.engine().dispose()
