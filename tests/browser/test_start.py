"""The home page in a real browser: Dutch, no foreign requests, demo school, workbook links."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from stip import home, records, store

pytestmark = pytest.mark.browser


def open_home(page, base):
    """Open `/`, collect console errors and the hosts of all requests, wait for the first widget."""
    seen = {"errors": [], "hosts": set()}
    page.on("console", lambda msg: msg.type == "error" and seen["errors"].append(msg.text))
    page.on("pageerror", lambda exc: seen["errors"].append(str(exc)))
    page.on("request", lambda req: seen["hosts"].add(urlparse(req.url).netloc))
    page.goto(base + "/")
    expect(page.get_by_role("heading", name=re.compile("Mentor"))).to_be_visible()
    return seen


def test_home_is_dutch_local_and_lists_roles(page, stip_server, server_db):
    seen = open_home(page, stip_server)
    assert page.url.endswith("/voila/render/Start.ipynb")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.title() == "Stip"
    for role in ("Mentor", "Team op studiedag", "Trainer kenniskring", "Zorgcoördinator of teamleider"):
        expect(page.get_by_role("heading", name=role)).to_be_visible()
    expect(page.get_by_text("Startgesprekken").first).to_be_visible()
    expect(page.get_by_role("button", name="Voorbeeldschool laden")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert seen["hosts"] == {urlparse(stip_server).netloc}
    assert seen["errors"] == []


def test_demo_school_loads_and_survives_reload(page, stip_server, server_db):
    open_home(page, stip_server)
    page.get_by_role("button", name="Voorbeeldschool laden").click()
    expect(page.get_by_text("Voorbeeldschool geladen: 51 leerlingen in 2 klassen")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("fictieve school")
    expect(page.get_by_role("button", name="Voorbeeldschool laden")).to_have_count(0)

    page.reload()
    expect(page.get_by_role("note")).to_contain_text("51 leerlingen in 2 klassen")
    expect(page.get_by_role("button", name="Voorbeeldschool laden")).to_have_count(0)
    with store.write() as conn:
        counts = records.counts(conn)
    assert counts["students"] == 51
    assert counts["klassen"] == 2


def test_every_workbook_link_opens(page, stip_server, server_db):
    open_home(page, stip_server)
    links = page.locator(".stip-role a")
    hrefs = sorted({links.nth(i).get_attribute("href") for i in range(links.count())})
    existing = sorted({book.href for role in home.roles() for book in role.workbooks if book.exists})
    assert hrefs == existing
    for href in hrefs:
        response = page.goto(f"{stip_server}/voila/render/{href}")
        assert response.status == 200, href
        expect(page.locator(".jupyter-widgets").first).to_be_visible()
        assert page.title().startswith("Stip")


def test_leaving_a_page_stops_its_kernel(page, stip_server, server_db):
    import json
    import time
    import urllib.error
    import urllib.request

    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    open_home(page, stip_server)
    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    page.goto(f"{stip_server}/voila/render/Klassen.ipynb")  # leaving sends the shutdown beacon
    expect(page.get_by_role("tab", name="Klas", exact=True)).to_be_visible()
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{stip_server}/api/kernels/{kernel}", timeout=5)  # noqa: S310
        except urllib.error.HTTPError as gone:
            assert gone.code == 404
            break
        assert time.monotonic() < deadline, "the kernel of the page we left is still running"
        time.sleep(0.3)
    assert errors == []
