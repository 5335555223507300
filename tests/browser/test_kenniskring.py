"""The kenniskring in a real browser: the trainer prepares and starts a session in Voilà, three phones
answer a statement (through stip.kenniskring in this process, on the server's database — the writes the
participant app makes), the projector shows 3 and the split, next/previous and closing answering work,
the programme is edited, and the report PDF holds the split and the intentions. Screenshots at desktop,
projector and phone width go to /tmp/stip-kenniskring-*.png."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import kenniskring as K
from stip import store
from tests.browser.conftest import phone_page

pytestmark = pytest.mark.browser
XSS = '<img src=x onerror="window.__xss=1">'
SHOTS = "/tmp/stip-kenniskring-{}.png"


def only_session() -> dict:
    from stip.store import tables as T

    with store.read() as conn:
        (sid,) = conn.execute(select(T.live_session.c.id)).scalars().all()
        return K.current(conn, sid)["session"]


def phones_answer(sid: int, answers) -> None:
    """answers: [(token, item index, waarde, tekst)] on the activity shown now."""
    with store.read() as conn:
        items = K.current(conn, sid)["items"]
    for token, index, waarde, tekst in answers:
        with store.write() as conn:
            K.save_answer(conn, sid, token, items[index]["id"], waarde, tekst)


def test_prepare_run_and_report(page, stip_server, server_db):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{stip_server}/voila/render/Kenniskring.ipynb")
    start = page.get_by_role("button", name="Kenniskring starten")
    expect(start).to_be_visible()
    page.get_by_role("textbox", name="Titel").fill("Kenniskring Zuid")
    page.get_by_role("textbox", name="Plaats").fill("Utrecht")
    page.get_by_role("textbox", name="Scholen").fill("Het Lyceum\nCollege Oost")
    page.screenshot(path=SHOTS.format("1-prepare"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("button", name="Kenniskring starten").scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("1b-prepare-phone"))
    page.set_viewport_size({"width": 1280, "height": 900})
    start.click()

    expect(page.get_by_role("tab", name="Presenteren")).to_be_visible()
    session = only_session()
    sid = session["id"]
    expect(page.locator(".stip-join-code")).to_have_text(f"{session['code'][:3]} {session['code'][3:]}")
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Stellingen om mee te beginnen")
    expect(page.get_by_role("button", name="Vorige")).to_be_disabled()
    page.screenshot(path=SHOTS.format("2-run"), full_page=True)

    # Three phones answer the first statement; the projector shows 3 and the split.
    phones_answer(
        sid,
        [
            ("browser-tel-1-aaaaaaaaaaaaaaaa", 0, "eens", XSS),
            ("browser-tel-2-aaaaaaaaaaaaaaaa", 0, "oneens", "Niet altijd"),
        ],
    )
    expect(page.locator(".stip-kk-view .stip-live-number")).to_have_text("2")
    expect(page.locator(".stip-kk-view svg")).to_have_count(0)
    phones_answer(sid, [("browser-tel-3-aaaaaaaaaaaaaaaa", 0, "eens", "")])
    expect(page.locator(".stip-kk-view .stip-live-number")).to_have_text("3")
    expect(page.locator(".stip-kk-view svg")).to_have_count(1)
    expect(page.get_by_text("Niet altijd")).to_be_visible()
    expect(page.get_by_text(XSS)).to_be_visible()  # shown as text, never run
    assert page.evaluate("window.__xss") is None
    page.get_by_role("button", name="Code en QR").click()  # the code line stays, the big block goes
    page.get_by_role("button", name="Projector").click()
    expect(page.locator(".stip-projector")).to_be_visible()
    expect(page.locator(".stip-join-code")).to_have_count(0)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.screenshot(path=SHOTS.format("3-projector-stellingen"), full_page=True)

    # Close answering, then on to the tips: the phones follow (live_version and current_position change).
    page.get_by_role("button", name="Antwoorden sluiten").click()
    expect(page.get_by_role("button", name="Antwoorden openen")).to_be_visible()
    with store.read() as conn:
        assert K.current(conn, sid)["answering_open"] is False
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Tips-kaartjes")
    with store.read() as conn:
        view = K.phone_view(conn, sid, "browser-tel-4-laatkomer-aaaaaaa")
    assert view["activity"]["kind"] == "tip" and view["answering_open"]
    phones_answer(
        sid,
        [
            (f"browser-tel-{n}-aaaaaaaaaaaaaaaa", i, K.OPTIONS["tip"][(n + i) % 3], "")
            for n in (1, 2, 3)
            for i in range(12)
        ],
    )
    expect(page.locator(".stip-kk-view .stip-live-number")).to_have_text("3")
    expect(page.get_by_text("Dit willen de meesten proberen")).to_be_visible()
    page.screenshot(path=SHOTS.format("4-projector-tips"), full_page=True)

    # The last activity: intentions.
    for step in range(3, 7):
        page.get_by_role("button", name="Volgende").click()
        expect(page.locator(".stip-kk-step")).to_contain_text(f"Activiteit {step} van 6")
        if step == 5:  # the word cloud
            words = ["Vertrouwen en samen", "vertrouwen", "Samen optrekken, vertrouwen", "luisteren"]
            phones_answer(sid, [(f"browser-tel-{n}-aaaaaaaaaaaaaaaa", 0, "", w) for n, w in enumerate(words)])
            expect(page.locator(".stip-kk-view .cloud span").first).to_be_visible()
            page.screenshot(path=SHOTS.format("4b-woordwolk"))
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Mijn voornemen")
    expect(page.get_by_role("button", name="Volgende")).to_be_disabled()
    phones_answer(
        sid,
        [
            (f"browser-tel-{n}-aaaaaaaaaaaaaaaa", 0, "", f"Elke vrijdag een goed-nieuwsbericht {n}")
            for n in (1, 2, 3)
        ],
    )
    expect(page.get_by_text("Elke vrijdag een goed-nieuwsbericht 2")).to_be_visible()
    page.get_by_role("button", name="Projector").click()
    page.set_viewport_size({"width": 1280, "height": 900})

    # Programme: edit a title while running.
    page.get_by_role("tab", name="Programma").click()
    page.get_by_text("6. Mijn voornemen").click()
    editor = page.locator(".stip-kk-activity-editor")
    title = editor.get_by_role("textbox", name="Titel")
    title.fill("Mijn voornemen voor de komende weken")
    editor.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Opgeslagen.")).to_be_visible()
    page.screenshot(path=SHOTS.format("5-programme"), full_page=True)
    page.get_by_role("tab", name="Presenteren").click()
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Mijn voornemen voor de komende weken")

    # Report: the PDF in one click holds the split and the intentions.
    page.get_by_role("tab", name="Verslag").click()
    expect(page.locator(".stip-kk-report-body")).to_contain_text("Stellingen om mee te beginnen")
    page.screenshot(path=SHOTS.format("6-report"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Verslag als PDF").click()
    from pypdf import PdfReader

    path = download.value.path()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(open(path, "rb").read())).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Kenniskring Zuid" in text and "oneens" in text
    assert "Elke vrijdag een goed-nieuwsbericht 1" in text
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("tab", name="Presenteren").click()
    page.screenshot(path=SHOTS.format("7-phone-width"), full_page=True)


# -- with `stip serve --deelnemers`: the join address and QR, and phones following through status.json ----


def status(deelnemers: str, code: str) -> dict:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{deelnemers}/s/{code}/status.json", timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def test_join_qr_and_phones_follow_the_trainer(browser, page, deelnemers_server, monkeypatch):
    base, deelnemers, env = deelnemers_server
    monkeypatch.setenv("STIP_DATA", env["STIP_DATA"])
    monkeypatch.setenv("STIP_USER", env["STIP_USER"])
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{base}/voila/render/Kenniskring.ipynb")
    page.get_by_role("textbox", name="Titel").fill("Kenniskring Noord")
    page.get_by_role("button", name="Kenniskring starten").click()
    link = page.locator(".stip-join-link a")
    expect(link).to_have_attribute("href", re.compile(re.escape(deelnemers) + r"/s/[A-Z0-9]{6}\?k="))
    expect(page.get_by_role("img", name="QR-code om mee te doen")).to_be_visible()
    page.get_by_role("button", name="Code en QR").click()
    expect(page.locator(".stip-kk-joinline")).to_contain_text(deelnemers)
    page.get_by_role("button", name="Code en QR").click()
    code = page.locator(".stip-join-code").inner_text().replace(" ", "")
    page.get_by_role("button", name="Projector").click()
    expect(page.locator(".stip-projector")).to_be_visible()
    page.screenshot(path=SHOTS.format("8-join-qr-projector"))

    # A phone polls status.json: "Volgende" changes live_version and current_position.
    before = status(deelnemers, code)
    assert before["current_position"] == 0
    page.get_by_role("button", name="Volgende").click()
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Tips-kaartjes")
    after = status(deelnemers, code)
    assert after["current_position"] == 1 and after["live_version"] > before["live_version"]
    sid = only_session()["id"]
    with store.read() as conn:
        view = K.phone_view(conn, sid, "laatkomer-na-een-herlaad-aaaaaaaa")
    assert view["position"] == 1 and view["activity"]["titel"] == "Tips-kaartjes"
    page.get_by_role("button", name="Vorige").click()
    expect(page.locator(".stip-kk-activity h2")).to_have_text("Stellingen om mee te beginnen")

    # Three phones join with the code, answer the first statement; the projector shows 3 and the split.
    phones = []
    try:
        for choice in ("Eens", "Oneens", "Eens"):
            context, phone = phone_page(browser)
            phones.append((context, phone))
            phone.goto(deelnemers + "/")
            phone.get_by_role("textbox", name="Code").fill(code.lower())
            phone.get_by_role("button", name="Meedoen").click()
            expect(phone.get_by_text("Activiteit 1 van")).to_be_visible()
            card = phone.locator("section.card").first
            card.get_by_role("button", name=choice, exact=True).click()
            card = phone.locator("section.card").first
            expect(card.get_by_role("button", name=choice, exact=True)).to_have_attribute(
                "aria-pressed", "true"
            )
        expect(page.locator(".stip-kk-view .stip-live-number")).to_have_text("3")
        expect(page.locator(".stip-kk-view svg")).to_have_count(1)
        phones[0][1].screenshot(path=SHOTS.format("10-phone-stelling"))
        page.screenshot(path=SHOTS.format("10-projector-three-phones"))
        # The projector window at a beamer's 1280×720: only the code line, the activity and its results,
        # the chart within the screen without scrolling (review: the room had to scroll).
        window = page.context.new_page()
        window.set_viewport_size({"width": 1280, "height": 720})
        window.goto(f"{base}/voila/render/Kenniskring.ipynb?sessie={sid}&groot=1")
        expect(window.locator(".stip-projector-window .stip-kk-view .stip-live-number")).to_have_text("3")
        expect(window.locator(".stip-kk-joinline")).to_contain_text(deelnemers)
        expect(window.get_by_role("tab", name="Presenteren")).to_have_count(0)
        expect(window.get_by_role("button", name="Volgende")).to_have_count(0)
        chart = window.locator(".stip-projector-window .stip-kk-chart svg").first
        expect(chart).to_be_visible()
        box = chart.bounding_box()
        assert box is not None and 0 <= box["y"] and box["y"] + min(box["height"], 200) <= 720, box
        window.screenshot(path=SHOTS.format("10b-projector-window"))
        window.close()
        # "Volgende": every phone follows by itself; one that reloads is on the tips as well.
        page.get_by_role("button", name="Volgende").click()
        for _, phone in phones:
            expect(phone.get_by_text("Activiteit 2 van")).to_be_visible()
        phones[1][1].reload()
        expect(phones[1][1].get_by_text("Activiteit 2 van")).to_be_visible()
        expect(phones[1][1].get_by_role("heading", level=1)).to_have_text("Tips-kaartjes")
        phones[1][1].screenshot(path=SHOTS.format("11-phone-tips"), full_page=True)
    finally:
        for context, _ in phones:
            context.close()


def test_terugkomsessie_shows_the_earlier_results_beside(page, stip_server, server_db):
    from stip import schools

    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        first = K.start(conn, actor, "Kenniskring september")
        second = K.start(conn, actor, "Terugkomsessie november", previous_id=first["id"])
    phones_answer(first["id"], [(f"eerst-{n}-aaaaaaaaaaaaaaaaaaa", 0, "oneens", "") for n in range(3)])
    phones_answer(second["id"], [(f"later-{n}-aaaaaaaaaaaaaaaaaaa", 0, "eens", "") for n in range(4)])
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{stip_server}/voila/render/Kenniskring.ipynb?sessie={second['id']}")
    page.get_by_role("tab", name="Terugkomsessie").click()
    expect(page.get_by_text("Kenniskring september · 3 deelnemers").first).to_be_visible()
    expect(page.get_by_text("Terugkomsessie november · 4 deelnemers").first).to_be_visible()
    page.locator(".stip-kk-compare").first.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS.format("9-terugkomsessie"))
