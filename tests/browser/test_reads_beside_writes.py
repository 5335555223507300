"""A mentor opens pages while a colleague's import holds the database's write lock (issue 13 §1).

A second process holds SQLite's write lock for as long as the test needs — far beyond the 5 s busy
timeout — and the pages open, show their data and switch class meanwhile. No duration is asserted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from stip import demo, schools, store

pytestmark = pytest.mark.browser

WRITER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE school SET name = name")
print("locked", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


def test_pages_open_and_refresh_while_another_process_writes(page, stip_server, server_db):
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(Path(server_db) / "stip.sqlite")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
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
    finally:
        writer.stdin.close()
        writer.wait(timeout=30)
