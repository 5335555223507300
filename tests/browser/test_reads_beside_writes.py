"""A mentor opens pages while a colleague's import holds the database's write lock (issue 13 §1).

A second process holds SQLite's write lock for as long as the test needs — far beyond the 5 s busy
timeout — and the pages open, show their data and switch class meanwhile. No duration is asserted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stip import demo, schools, store
from tests.writer import holding_write_lock

pytestmark = pytest.mark.browser


def test_pages_open_and_refresh_while_another_process_writes(page, stip_server, server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
    with holding_write_lock(Path(server_db) / "stip.sqlite") as writer:
        page.goto(f"{stip_server}/voila/render/Klassen.ipynb?klas=1A")
        expect(page.get_by_role("combobox", name="Klas")).to_contain_text("1A")
        expect(page.locator(".stip-table tbody tr").first).to_be_visible()
        page.get_by_role("combobox", name="Klas").select_option(index=1)
        expect(page.get_by_text(re.compile("Klas 2B"))).to_be_visible()
        page.goto(f"{stip_server}/voila/render/Startgesprek.ipynb?klas=1A")
        expect(page.get_by_role("tab", name="Planning")).to_be_visible()
        page.goto(f"{stip_server}/voila/render/Gouden_mail.ipynb?klas=1A")
        expect(page.get_by_role("combobox", name="Leerling")).to_be_visible()
        expect(page.get_by_text("Er ging iets mis")).to_have_count(0)
        expect(page.get_by_text("locked")).to_have_count(0)
        assert writer.poll() is None  # the writer held its lock all along
