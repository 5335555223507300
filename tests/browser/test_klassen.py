"""Klassen en gezinnen in a real browser: import with preview and mapping, XSS, export, edit and reload."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from stip import demo, schools, store
from stip.store import tables as T

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parent.parent / "data"
XSS_NAME = '<img src=x onerror="window.__xss=1">'


def open_klassen(page, base: str, query: str = ""):
    page.goto(f"{base}/voila/render/Klassen.ipynb{query}")
    expect(page.get_by_role("tab", name="Klas", exact=True)).to_be_visible()


def test_import_preview_fix_mapping_import_reload_find_class(page, stip_server, server_db):
    open_klassen(page, stip_server)
    page.get_by_role("tab", name="Klassenlijst inlezen").click()
    expect(page.get_by_text("maximaal 5 MB")).to_be_visible()
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Kies bestand")).click()
    chooser.value.set_files(str(DATA / "browser_verwisselde_kolommen.csv"))

    # The preview names the row and column of each problem; the import button waits.
    expect(page.get_by_text(re.compile(r"Rij 1 .*ouder1_email.*geen goed e-mailadres"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"3 leerlingen, 3 ouders/verzorgers — 3 fouten"))).to_be_visible()
    expect(page.get_by_role("button", name="Importeren")).to_be_disabled()

    # The mentor sees that e-mail and phone are swapped and maps both columns by hand.
    page.get_by_label("ouder1_email", exact=True).select_option(label="telefoon ouder 1")
    page.get_by_label("ouder1_telefoon", exact=True).select_option(label="e-mail ouder 1")
    expect(page.get_by_text(re.compile(r"3 leerlingen, 3 ouders/verzorgers — 0 fouten"))).to_be_visible()
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text(re.compile("Klassenlijst ingelezen: 3 nieuwe"))).to_be_visible()

    page.reload()
    expect(page.get_by_role("combobox", name="Klas")).to_contain_text("4C (3)")
    expect(page.get_by_role("cell", name=re.compile("Daan Visser"))).to_be_visible()
    expect(page.get_by_text("Anke Visser (ouder)")).to_be_visible()
    # Markup in a name shows as text and runs nothing.
    expect(page.get_by_text(XSS_NAME + " Kok")).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator(".stip-table img").count() == 0
    with store.write() as conn:
        row = conn.execute(select(T.guardian).where(T.guardian.c.naam == "Anke Visser")).one()
    assert (row.email, row.telefoon) == ("anke.visser@example.org", "06-0099 1100")


def test_class_export_xlsx_holds_no_formula(page, stip_server, server_db):
    import openpyxl

    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        conn.execute(
            T.student.update()
            .where(T.student.c.leerlingnummer == "240120")
            .values(achternaam='=HYPERLINK("http://x","y")')
        )
    open_klassen(page, stip_server, "?klas=1A")
    with page.expect_download() as download:  # one click: the file is built and saved
        page.get_by_role("button", name="Exporteer Excel").click()
    assert download.value.suggested_filename == "klas-1A.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert '=HYPERLINK("http://x","y")' in {cell.value for cell in cells}
    assert len(list(book.active.iter_rows())) == 27  # header + 26 students of 1A


def test_class_csv_in_one_click_without_a_request_off_the_machine(page, stip_server, server_db, tmp_path):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    with store.write() as conn:
        demo.load_demo(conn, schools.acting_staff_member(conn))
    open_klassen(page, stip_server, "?klas=1A")
    export = page.get_by_role("button", name="Exporteer CSV")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "klas-1A.csv"
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").count("\n") == 27  # header + 26
    expect(export).to_be_enabled()  # busy only while building
    expect(page.get_by_role("link", name=re.compile("downloaden"))).to_have_count(0)  # no second click
    with page.expect_download() as again:  # every click builds afresh
        export.click()
    assert Path(again.value.path()).read_bytes() == data
    page.screenshot(path=str(tmp_path / "klassen-downloads.png"))
    assert requests and all(url.startswith((stip_server, "blob:" + stip_server)) for url in requests), {
        url for url in requests if not url.startswith((stip_server, "blob:" + stip_server))
    }
    assert any("/labextensions/anywidget/" in url for url in requests)  # served by Stip's own server


def test_edit_a_guardian_reload_and_see_it_again(page, stip_server, server_db):
    with store.write() as conn:
        actor = schools.acting_staff_member(conn)
        demo.load_demo(conn, actor)
        student_id = conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == "240111")
        ).scalar()
    open_klassen(page, stip_server, f"?student={student_id}")
    expect(page.get_by_role("heading", name="Imane Bouali")).to_be_visible()
    card = page.locator(".stip-card").filter(has_text="Ouder of verzorger 2")
    card.get_by_label("Telefoon").fill("06-0011 2299")
    card.get_by_label("Liefst contact via").select_option(label="app")
    expect(page.get_by_text(re.compile(r"Opgeslagen om \d\d:\d\d"))).to_be_visible()

    page.reload()
    card = page.locator(".stip-card").filter(has_text="Ouder of verzorger 2")
    expect(card.get_by_label("Telefoon")).to_have_value("06-0011 2299")
    expect(card.get_by_label("Liefst contact via")).to_have_value("app")
    with store.write() as conn:
        phones = {r.telefoon for r in conn.execute(select(T.guardian.c.telefoon))}
    assert "06-0011 2299" in phones
