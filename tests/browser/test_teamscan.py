"""The study day in a real browser: the facilitator starts a session in Voilà, three participants answer,
the projector shows "3" and the charts (waiting generously, never timing), dot voting from two phones
changes the count. Participants answer through `stip.live` in this process on the server's database
(the same writes the participant app makes); screenshots of every screen at desktop, projector and phone
size go to /tmp/stip-teamscan-*.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from stip import live, store
from tests.browser.conftest import phone_page

pytestmark = pytest.mark.browser
XSS = '<img src=x onerror="window.__xss=1">'
SHOTS = "/tmp/stip-teamscan-{}.png"


def only_session() -> dict:
    from sqlalchemy import select

    from stip.store import tables as T

    with store.read() as conn:
        (sid,) = conn.execute(select(T.live_session.c.id)).scalars().all()
        return live.get_session(conn, sid)


def phone_answers(sid: int, token: str, waarde: str, role: str, open_text: str = "") -> None:
    """What one phone does on the participant app: join, choose a role, answer every scale item."""
    with store.write() as conn:
        live.participant(conn, sid, token, create=True)
        live.set_role(conn, sid, token, role)
    with store.read() as conn:
        items = live.items(conn, sid)
    for item in items:
        with store.write() as conn:
            if item["kind"] == "schaal":
                live.save_answer(conn, sid, token, item["id"], waarde)
            elif item["kind"] == "open" and open_text:
                live.save_answer(conn, sid, token, item["id"], "", open_text)


def test_start_answer_live_results_and_dot_voting(page, stip_server, server_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb")
    start = page.get_by_role("button", name="Sessie starten")
    expect(start).to_be_visible()
    expect(page.get_by_text("Nog geen eerdere sessies.")).to_be_visible()
    page.get_by_role("textbox", name="Naam").fill("Studiedag maart")
    page.screenshot(path=SHOTS.format("1-start"), full_page=True)
    # Switch one statement off, add one of the team's own (markup stays text).
    page.get_by_text(re.compile(r"De stellingen van de scan \(\d+\)")).click()
    first = page.locator(".stip-teamscan-start .stip-item-check input[type=checkbox]").first
    first.uncheck()
    first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("1b-start-items"))
    page.get_by_role("textbox", name="Stelling").fill(XSS)
    page.get_by_role("button", name="Stelling toevoegen").click()
    expect(page.get_by_text(re.compile("Toegevoegd"))).to_be_visible()
    start.click()

    # Join: the code large; the participant app is not running in this server, so how to start it.
    expect(page.get_by_role("tab", name="Meedoen")).to_be_visible()
    session = only_session()
    sid = session["id"]
    with store.read() as conn:
        every = live.items(conn, sid, enabled_only=False)
    assert not every[0]["enabled"]
    assert any(i["key"] == "eigen.1" and i["tekst"] == XSS for i in every)
    expect(page.locator(".stip-join-code")).to_have_text(f"{session['code'][:3]} {session['code'][3:]}")
    expect(page.get_by_text("python -m stip serve --deelnemers")).to_be_visible()
    page.screenshot(path=SHOTS.format("2-join"), full_page=True)

    # Results: under three nothing shows; the third phone makes the count and the charts appear.
    page.get_by_role("tab", name="Uitkomsten").click()
    phone_answers(sid, "telefoon-1", "1", "leraar")
    phone_answers(sid, "telefoon-2", "4", "mentor", XSS)
    count = page.locator(".stip-live-results [data-testid=deelnemers]")
    expect(count).to_have_text("2", timeout=30_000)
    expect(page.get_by_text(re.compile("zodra minstens 3 collega"))).to_be_visible()
    assert page.locator(".stip-live-results svg").count() == 0
    phone_answers(sid, "telefoon-3", "weet_niet", "leraar")
    expect(count).to_have_text("3", timeout=30_000)
    charts = page.locator(".stip-live-results svg.stip-chart")
    expect(charts.first).to_be_visible(timeout=30_000)
    assert charts.count() >= 8  # every theme, plus disagreement and lowest
    # An open answer shows as text and runs nothing.
    expect(page.locator(".stip-live-texts li", has_text=XSS).first).to_be_visible()
    assert page.evaluate("window.__xss") is None
    page.screenshot(path=SHOTS.format("3-results"))
    page.locator(".stip-live-theme").last.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("3b-results-open-answers"))

    # small-roles: leraar 2 and mentor 1 are never named nor offered in the filter; together they are 3.
    expect(page.locator(".stip-live-results .stip-live-count")).to_contain_text("andere rollen 3")
    expect(page.locator(".stip-live-results .stip-live-count")).not_to_contain_text("mentor")
    expect(page.get_by_role("combobox", name="Toon").locator("option")).to_have_count(1)  # small-roles
    expect(charts.first).to_be_visible()

    # Projector size, big type.
    page.get_by_role("button", name="Groot (projector)").click()
    page.set_viewport_size({"width": 1280, "height": 720})
    expect(page.locator(".stip-projector")).to_be_visible()
    page.screenshot(path=SHOTS.format("4-results-projector"))
    page.get_by_role("tab", name="Meedoen").click()
    page.screenshot(path=SHOTS.format("5-join-projector"))

    # Choose three statements, open the voting; two phones vote for the same one.
    page.get_by_role("tab", name="Bespreken en kiezen").click()
    boxes = page.locator(".stip-choose input[type=checkbox]")
    for n in range(3):
        boxes.nth(n).check()
    page.get_by_role("button", name="Keuze opslaan").click()
    page.get_by_role("button", name="Stemmen openen").click()
    expect(page.get_by_role("button", name="Stemmen sluiten")).to_be_visible()
    with store.read() as conn:
        marked = [i["id"] for i in live.items(conn, sid) if i["marked"]]
    assert len(marked) == 3
    for token in ("telefoon-1", "telefoon-2"):
        with store.write() as conn:
            live.set_vote(conn, sid, token, marked[0], True)
    expect(page.locator(".stip-votes [data-testid=stemmen]").first).to_have_text("2 stemmen", timeout=30_000)
    page.locator(".stip-votes").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("6-vote-projector"))

    # To the ouderplan: a relative link.
    page.get_by_role("button", name="Gekozen stellingen naar het ouderplan").click()
    expect(page.get_by_role("link", name=re.compile("Open het ouderplan"))).to_have_attribute(
        "href", "Ouderplan.ipynb"
    )

    # Reload with ?sessie=: the session opens again, at phone width too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb?sessie={sid}")
    expect(page.locator(".stip-join-code")).to_be_visible()
    page.screenshot(path=SHOTS.format("7-join-phone"), full_page=True)
    page.get_by_role("tab", name="Uitkomsten").click()
    expect(page.locator(".stip-live-results [data-testid=deelnemers]")).to_have_text("3")
    page.locator(".stip-live-results").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("8-results-phone"))

    # The projector window (a second window on the projector's screen) opens big.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{stip_server}/voila/render/Teamscan.ipynb?sessie={sid}&groot=1")
    # Only what the room needs (review at 1280×720): the code in one line and the results at the top.
    expect(page.locator(".stip-projector-window .stip-window-code")).to_contain_text(session["code"][:3])
    expect(page.get_by_role("heading", name="Teamscan op de studiedag")).to_be_hidden()
    expect(page.get_by_role("tab", name="Meedoen")).to_have_count(0)
    chart = page.locator(".stip-projector-window .stip-live-results svg.stip-chart").first
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 200) <= 720, box
    page.screenshot(path=SHOTS.format("8b-projector-window"))


# -- the real journey: `stip serve --deelnemers` (one command), three phones on the participant app ------


def test_three_phones_on_the_participant_app_and_the_projector(browser, page, deelnemers_server, monkeypatch):
    base, deelnemers, env = deelnemers_server
    monkeypatch.setenv("STIP_DATA", env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", env["STIP_USER"])
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{base}/voila/render/Teamscan.ipynb")
    page.get_by_role("textbox", name="Naam").fill("Studiedag De Linde")
    page.get_by_role("button", name="Sessie starten").click()

    # The projector shows the address, the code and the QR; the link is what the QR holds.
    link = page.locator(".stip-join-link a")
    expect(link).to_have_attribute("href", re.compile(re.escape(deelnemers) + r"/s/[A-Z0-9]{6}\?k="))
    expect(page.locator(".stip-join-url")).to_have_text(deelnemers)
    expect(page.get_by_role("img", name="QR-code om mee te doen")).to_be_visible()
    page.get_by_role("button", name="Groot (projector)").click()
    page.screenshot(path=SHOTS.format("9-join-qr-projector"))
    join = link.get_attribute("href")
    code = page.locator(".stip-join-code").inner_text().replace(" ", "")
    sid = only_session()["id"]
    with store.read() as conn:
        first = next(i for i in live.items(conn, sid) if i["kind"] == "schaal")

    page.get_by_role("tab", name="Uitkomsten").click()
    count = page.locator(".stip-live-results [data-testid=deelnemers]")
    phones = []
    try:
        for n, (role, choice) in enumerate(
            (("Leraar", "Mee eens"), ("Mentor", "Niet mee eens"), ("Leraar", "Helemaal mee eens"))
        ):
            context, p = phone_page(browser)
            phones.append((context, p))
            p.goto(join if n != 1 else f"{deelnemers}/?code={code.lower()}")
            expect(p.get_by_role("heading", name="Welkom bij Studiedag De Linde")).to_be_visible()
            p.get_by_role("button", name=role).click()
            p.get_by_role("link", name="Beginnen").click()
            group = p.get_by_role("group", name=first["tekst"], exact=False)
            group.get_by_role("button", name=choice, exact=True).click()
            expect(group.get_by_role("button", name=choice, exact=True)).to_have_attribute(
                "aria-pressed", "true"
            )
            expect(count).to_have_text(str(n + 1), timeout=30_000)
        expect(page.locator(".stip-live-results svg.stip-chart").first).to_be_visible(timeout=30_000)
        page.screenshot(path=SHOTS.format("10-results-live-projector"))

        # Mark three statements, open voting; two phones set a dot on the first one.
        page.get_by_role("tab", name="Bespreken en kiezen").click()
        page.get_by_text(re.compile(r"Andere stellingen \(\d+\)")).click()  # one answered: one suggested
        boxes = page.locator(".stip-choose input[type=checkbox]:visible")
        for n in range(3):
            boxes.nth(n).check()
        page.get_by_role("button", name="Stemmen openen").click()
        expect(page.get_by_role("button", name="Stemmen sluiten")).to_be_visible()
        votes = page.locator(".stip-votes [data-testid=stemmen]").first
        for n, (_context, p) in enumerate(phones[:2]):
            p.goto(f"{deelnemers}/s/{code}/stemmen")
            p.get_by_role("button", name="Stip zetten").first.click()
            expect(p.get_by_role("button", name=re.compile("Stip gezet")).first).to_be_visible()
            expect(votes).to_have_text(f"{n + 1} stem" + ("" if n == 0 else "men"), timeout=30_000)
        phones[0][1].screenshot(path=SHOTS.format("11-phone-vote"))
        page.locator(".stip-votes").scroll_into_view_if_needed()
        page.screenshot(path=SHOTS.format("12-votes-projector"))
    finally:
        for context, _p in phones:
            context.close()

    # Closing: the code stops working on the phones.
    page.get_by_role("button", name="Sessie sluiten").click()
    page.get_by_role("button", name="Ja, sluiten").click()
    expect(page.get_by_text("gesloten", exact=False).first).to_be_visible()
    with store.read() as conn:
        assert live.get_session(conn, sid)["status"] == "gesloten"
