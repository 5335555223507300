"""The Klassen screen without a browser: set `.value`, `.click()`, read the widgets and the stored rows.

Real services on a real migrated SQLite (fixtures `stip_data`, `actor`, `demo_school`); no mocks of Stip.
There is no running asyncio loop here, so autosaving forms are saved with `form.flush()`.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import ipywidgets as w
import pytest
from sqlalchemy import select

from stip import imports, klassen, privacy, records, store
from stip.i18n import t
from stip.store import tables as T
from tests.unit.widget_tree import button, walk
from widgets.klassen import ClassPanel, KlassenScreen
from widgets.klassen_import import ImportPanel
from widgets.privacy_panel import PrivacyPanel
from widgets.student_edit import StudentPanel

DATA = Path(__file__).resolve().parents[1] / "data"
XSS = "<img src=x onerror=alert(1)>"
FORMULA = '=HYPERLINK("http://x","y")'


# -- helpers -------------------------------------------------------------------------------------------


def upload(panel: ImportPanel, data: bytes, name: str = "x.csv", mime: str = "text/csv", size=None) -> None:
    """What the browser sends after choosing a file (ipywidgets 8 FileUpload, through its deserializer)."""
    entry = {
        "name": name,
        "type": mime,
        "size": len(data) if size is None else size,
        "content": memoryview(data),
        "last_modified": 0,
    }
    panel.upload.set_state({"value": [entry]})


def has_button(root, description: str) -> bool:
    return any(isinstance(b, w.Button) and b.description == description for b in walk(root))


def downloaded(download_button) -> tuple[str, bytes, str]:
    """(mime, bytes, file name) of what one click on a DownloadButton sends to the browser."""
    sent = []
    download_button.send = lambda content, buffers=None: sent.append((content, buffers))
    download_button.click()
    assert len(sent) == 1, download_button.description
    (content, [data]) = sent[0]
    return content["mime"], bytes(data), content["filename"]


def counts() -> dict:
    with store.write() as conn:
        return records.counts(conn)


def student_row(leerlingnummer: str):
    with store.write() as conn:
        return conn.execute(select(T.student).where(T.student.c.leerlingnummer == leerlingnummer)).one()


def student_id(leerlingnummer: str) -> int:
    return student_row(leerlingnummer).id


def saved_at(savebar) -> bool:
    return savebar.status == "saved" and savebar.text.startswith("Opgeslagen om ")


# -- the screen and its query ---------------------------------------------------------------------------


def test_screen_has_four_tabs_and_opens_the_class_from_the_query(demo_school, monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "klas=2B&token=geheim")
    screen = KlassenScreen()
    assert len(screen.tabs.children) == 4
    assert screen.tabs.titles == tuple(t(key) for key in KlassenScreen.TABS)
    assert screen.tabs.selected_index == 0
    assert screen.class_panel.names[screen.class_panel.klas.value] == "2B"
    assert "Klas 2B: 25 leerlingen" in screen.class_panel.summary.value


def test_screen_opens_the_student_from_the_query(demo_school):
    sid = student_id("240120")
    screen = KlassenScreen(query={"student": str(sid)})
    assert screen.tabs.selected_index == 2
    panel = screen.student_panel
    assert panel.student_id == sid and panel.picker.value == sid
    assert panel.form.values()["roepnaam"] == "Yousef" and panel.form.values()["klas"] == "1A"


def test_screen_says_when_the_student_of_the_query_does_not_exist(demo_school):
    screen = KlassenScreen(query={"student": "999999"})
    assert screen.student_panel.savebar.status == "error"
    assert screen.student_panel.savebar.text == t("klassen.student_not_found")


# -- ImportPanel ----------------------------------------------------------------------------------------


def test_import_shows_errors_fixes_swapped_columns_by_mapping_and_imports(actor):
    screen = KlassenScreen(query={})
    panel = screen.import_panel
    upload(panel, (DATA / "browser_verwisselde_kolommen.csv").read_bytes())

    assert "x.csv: 3 leerlingen, 3 ouders/verzorgers — 3 fouten, 0 meldingen." in panel.summary.value
    assert "Rij 1 (regel 2 van het bestand)" in panel.errors.value
    assert "geen goed e-mailadres" in panel.errors.value and "06-0099 1100" in panel.errors.value
    assert panel.import_button.layout.display is None and panel.import_button.disabled
    assert "<img" not in panel.preview.value and "&lt;img" in panel.preview.value  # the preview is escaped

    # A disabled button's handler still runs on .click() in Python: the panel must refuse by itself.
    panel.import_button.click()
    assert counts()["students"] == 0

    by_header = {d.description: d for d in panel.dropdowns}
    by_header["ouder1_email"].value = "ouder1_telefoon"
    assert "1 fout," in panel.summary.value and "allebei gekoppeld" in panel.errors.value
    assert panel.import_button.disabled
    by_header["ouder1_telefoon"].value = "ouder1_email"
    assert "0 fouten" in panel.summary.value and panel.errors.value == ""
    assert not panel.import_button.disabled

    panel.import_button.click()
    assert panel.savebar.status == "info"
    assert panel.savebar.text == t("klassen.imported", created=3, updated=0, missing=0)
    assert panel.import_button.layout.display == "none" and panel.summary.value == ""
    with store.write() as conn:
        rows = conn.execute(
            select(
                T.student.c.leerlingnummer, T.student.c.roepnaam, T.guardian.c.email, T.guardian.c.telefoon
            )
            .join(T.student_guardian, T.student_guardian.c.student_id == T.student.c.id)
            .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
            .order_by(T.student.c.leerlingnummer)
        ).all()
    assert [r.leerlingnummer for r in rows] == ["410001", "410002", "410003"]
    assert rows[0].email == "anke.visser@example.org" and rows[0].telefoon == "06-0099 1100"
    assert rows[1].roepnaam == '<img src=x onerror="window.__xss=1">'  # stored as typed, escaped on show
    # The other tabs see the new class and students at once.
    assert "4C (3)" in [label for label, _id in screen.class_panel.klas.options]
    assert len(screen.student_panel.picker.options) == 3


def test_import_with_a_duplicate_number_names_both_rows_and_stores_nothing(actor):
    panel = ImportPanel(actor)
    upload(panel, (DATA / "dubbel_leerlingnummer.csv").read_bytes(), name="dubbel.csv")
    assert "dubbel.csv: 3 leerlingen" in panel.summary.value and "1 fout," in panel.summary.value
    assert "Rij 3 (regel 4 van het bestand)" in panel.errors.value and "rij 1 (regel 2)" in panel.errors.value
    assert panel.import_button.disabled
    panel.import_button.click()
    assert counts()["students"] == 0


def test_import_too_large_shows_the_limit_and_stores_nothing(actor):
    panel = ImportPanel(actor)
    data = b"leerlingnummer;roepnaam;achternaam;klas\n1;A;B;1A\n" + b" " * imports.MAX_UPLOAD_BYTES
    upload(panel, data)
    assert panel.savebar.status == "error"
    assert "te groot" in panel.savebar.text and "maximaal 5 MB" in panel.savebar.text
    assert "{" not in panel.savebar.text  # no unfilled placeholders
    assert panel.plan is None and panel.import_button.layout.display == "none"
    assert panel.upload.value == ()  # ready for the next file
    assert counts()["students"] == 0


def test_import_pdf_is_refused_in_dutch(actor):
    panel = ImportPanel(actor)
    upload(panel, (DATA / "geen_tabel.pdf").read_bytes(), name="lijst.pdf", mime="application/pdf")
    assert panel.savebar.status == "error"
    assert panel.savebar.text == t("import.not_a_table")
    assert panel.summary.value == "" and panel.import_button.layout.display == "none"
    assert counts()["students"] == 0

    # The next, good file clears the message and can be imported.
    upload(panel, (DATA / "goed_komma.csv").read_bytes(), name="goed.csv")
    assert panel.savebar.text == "" and "0 fouten" in panel.summary.value
    panel.import_button.click()
    assert counts()["students"] == 3


# -- ClassPanel -----------------------------------------------------------------------------------------


def table_rows(html: str) -> int:
    return html.split("<tbody>", 1)[1].count("<tr>")


def test_class_panel_lists_the_class_and_escapes_names(demo_school, actor):
    panel = ClassPanel(actor, "1A")
    assert table_rows(panel.table.value) == 26
    assert "Klas 1A: 26 leerlingen" in panel.summary.value
    assert "Yousef" in panel.table.value and "Huda Alkhatib (moeder)" in panel.table.value

    with store.write() as conn:
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "999", "roepnaam": XSS, "achternaam": FORMULA}, klas="1A"
        )
    panel.refresh()
    html = panel.table.value
    assert table_rows(html) == 27
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert panel.klas.options[0][0] == "1A (27)"


def test_class_panel_exports_neutralise_formulas(demo_school, actor):
    with store.write() as conn:
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "999", "roepnaam": XSS, "achternaam": FORMULA}, klas="1A"
        )
    panel = ClassPanel(actor, "1A")
    mime, data, filename = downloaded(panel.csv_button)
    assert mime == "text/csv" and filename == "klas-1A.csv"
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 27
    mine = next(r for r in rows if r["leerlingnummer"] == "999")
    assert mine["achternaam"] == "'" + FORMULA and mine["roepnaam"] == XSS
    assert not any(v.startswith(("=", "+", "-", "@")) for r in rows for v in r.values() if v)
    assert panel.csv_button.disabled is False  # `handled` gives the button back

    mime, data, _filename = downloaded(panel.xlsx_button)
    assert mime.endswith("spreadsheetml.sheet")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)  # text, never a formula

    # Choosing another class exports that class (no old link stays behind: a click saves the file).
    panel.klas.value = next(k for k, name in panel.names.items() if name == "2B")
    assert "Klas 2B" in panel.summary.value
    assert downloaded(panel.csv_button)[2] == "klas-2B.csv"


# -- StudentPanel ---------------------------------------------------------------------------------------


def test_new_student_is_stored_only_when_the_required_fields_are_filled(demo_school, actor):
    changed = []
    panel = StudentPanel(actor, on_changed=lambda: changed.append(1))
    before = counts()["students"]
    button(panel, t("klassen.new_student")).click()
    assert panel.student_id is None and panel.picker.value is None
    assert not has_button(panel.body, t("klassen.add_guardian"))

    form = panel.form
    for name, value in [("leerlingnummer", "777"), ("roepnaam", "Mila"), ("achternaam", "Kok")]:
        form.fields[name].value = value
        form.flush()
        assert counts()["students"] == before, name
        assert panel.savebar.text == t("klassen.new_incomplete") and panel.savebar.dirty
    form.fields["tussenvoegsel"].value = "de"
    form.fields["klas"].value = "1A"
    form.flush()

    row = student_row("777")
    assert (row.roepnaam, row.tussenvoegsel, row.achternaam, row.version) == ("Mila", "de", "Kok", 1)
    assert counts()["students"] == before + 1
    assert panel.student_id == row.id and row.id in [o["id"] for o in panel.picker.options]
    assert saved_at(panel.savebar) and not panel.savebar.dirty
    assert has_button(panel.body, t("klassen.add_guardian"))
    assert panel.form.values()["klas"] == "1A" and changed

    # The first guardian: nothing stored without a name, then stored and linked.
    button(panel.body, t("klassen.add_guardian")).click()
    card = panel.guardians.children[-1]
    card.form.fields["email"].value = "mila.ouder@example.org"
    card.form.flush()
    assert panel.savebar.text == t("klassen.guardian_needs_name")
    card.form.fields["naam"].value = "Anna Kok"
    card.form.flush()
    with store.write() as conn:
        guardians = klassen.get_student(conn, actor, row.id)["guardians"]
    assert [(g["naam"], g["email"]) for g in guardians] == [("Anna Kok", "mila.ouder@example.org")]
    assert saved_at(panel.savebar)


def test_edit_roepnaam_saves_and_bumps_the_version(demo_school, actor):
    sid = student_id("240120")
    panel = StudentPanel(actor, sid)
    assert panel.version == 1
    panel.form.fields["roepnaam"].value = "Youssef"
    assert panel.savebar.dirty and panel.form.pending
    panel.form.flush()
    row = student_row("240120")
    assert row.roepnaam == "Youssef" and row.version == 2 and panel.version == 2
    assert saved_at(panel.savebar) and not panel.savebar.dirty

    panel.form.fields["klas"].value = "2B"  # a class change saves too
    panel.form.flush()
    with store.write() as conn:
        assert klassen.get_student(conn, actor, sid)["klas"] == "2B"
    assert student_row("240120").version == 3


def test_invalid_guardian_email_shows_a_dutch_error_under_the_field(demo_school, actor):
    sid = student_id("240120")
    panel = StudentPanel(actor, sid)
    card = panel.guardians.children[0]
    card.form.fields["email"].value = "huda-at-example"
    card.form.flush()
    message = t("klassen.email_invalid", label=t("klassen.label.email"), email="huda-at-example")
    assert card.form.errors["email"].value == message
    assert card.form.errors["email"].layout.display is None
    assert panel.savebar.status == "error" and panel.savebar.dirty
    with store.write() as conn:
        emails = [g["email"] for g in klassen.get_student(conn, actor, sid)["guardians"]]
    assert "huda-at-example" not in emails and "h.alkhatib@example.org" in emails

    card.form.fields["email"].value = "huda@example.org"  # fixed: stored, error gone
    card.form.flush()
    assert card.form.errors["email"].layout.display == "none"
    with store.write() as conn:
        emails = [g["email"] for g in klassen.get_student(conn, actor, sid)["guardians"]]
    assert "huda@example.org" in emails


def test_version_conflict_keeps_the_first_save_and_offers_herladen(demo_school, actor):
    sid = student_id("240120")
    first, second = StudentPanel(actor, sid), StudentPanel(actor, sid)
    first.form.fields["roepnaam"].value = "Eerste"
    first.form.flush()
    assert saved_at(first.savebar)

    second.form.fields["roepnaam"].value = "Tweede"
    second.form.flush()
    assert second.savebar.status == "conflict" and second.savebar.dirty
    assert second.savebar.text == t("error.version_conflict")
    reload = second.savebar._reload
    assert reload.description == "Herladen" and reload.layout.display is None
    assert second.form.fields["roepnaam"].value == "Tweede"  # what was typed stays in the field
    row = student_row("240120")
    assert row.roepnaam == "Eerste" and row.version == 2

    reload.click()
    assert second.form.fields["roepnaam"].value == "Eerste" and second.version == 2
    assert second.savebar.text == ""


def test_confirm_a_sibling_suggestion(demo_school, actor):
    a, b = student_id("240120"), student_id("240102")
    with store.write() as conn:  # a parent of b with the same e-mail as a's mother: a suggestion
        klassen.save_guardian(
            conn, actor, b, None, {"naam": "H. Alkhatib", "email": "h.alkhatib@example.org"}
        )
        assert [s["id"] for s in klassen.sibling_suggestions(conn, actor, a)] == [b]
    panel = StudentPanel(actor, a)
    assert has_button(panel.body, t("klassen.confirm_sibling"))
    with store.write() as conn:
        assert b not in [s["id"] for s in klassen.siblings(conn, actor, a)]
    button(panel.body, t("klassen.confirm_sibling")).click()
    with store.write() as conn:
        assert b in [s["id"] for s in klassen.siblings(conn, actor, a)]
        assert a in [s["id"] for s in klassen.siblings(conn, actor, b)]
        assert klassen.sibling_suggestions(conn, actor, a) == []
    assert not has_button(panel.body, t("klassen.confirm_sibling"))
    assert saved_at(panel.savebar)


def test_delete_asks_for_confirmation_then_removes_the_student(demo_school, actor):
    sid = student_id("240120")
    changed = []
    panel = StudentPanel(actor, sid, on_changed=lambda: changed.append(1))
    before = counts()
    button(panel.body, t("klassen.delete")).click()
    assert counts() == before  # only a question so far
    assert "Yousef Alkhatib" in panel.confirm.children[0].value

    button(panel.confirm, t("klassen.delete_no")).click()
    assert panel.confirm.children == () and counts() == before

    button(panel.body, t("klassen.delete")).click()
    button(panel.confirm, t("klassen.delete_yes")).click()
    after = counts()
    assert after["students"] == before["students"] - 1
    assert after["guardians"] == before["guardians"] - 2  # Yousef's parents had no other child here
    with store.write() as conn:
        assert conn.execute(select(T.student).where(T.student.c.id == sid)).first() is None
    assert panel.student_id is None and panel.body.children == () and panel.picker.value is None
    assert sid not in [o["id"] for o in panel.picker.options]
    assert panel.savebar.text == t("klassen.deleted") and changed


# -- PrivacyPanel ---------------------------------------------------------------------------------------


def test_privacy_panel_retention_candidates_and_pseudonymised_export(demo_school, actor):
    sid = student_id("240120")
    with store.write() as conn:
        klassen.mark_left(conn, actor, sid, privacy.months_before(date.today(), 30))
    panel = PrivacyPanel(actor)
    assert panel.months.value == 24
    assert "Yousef Alkhatib (240120)" in panel.candidates.value
    assert panel.clean_button.layout.display is None

    panel.months.value = 36
    with store.write() as conn:
        assert privacy.retention_months(conn, actor) == 36
    assert saved_at(panel.savebar)
    assert panel.candidates.value.find(t("klassen.retention_none")) >= 0
    assert panel.clean_button.layout.display == "none"

    panel.months.value = 12
    assert "Yousef Alkhatib" in panel.candidates.value

    mime, data, filename = downloaded(panel.pseudo_button)
    assert mime == "text/csv" and filename == "leerlingen-pseudoniem.csv"
    text = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 51 and all(r["pseudonym"].startswith("L-") for r in rows)
    assert "Yousef" not in text and "Alkhatib" not in text and "240120" not in text and "@" not in text

    before = counts()["students"]
    panel.clean_button.click()  # first a question, in sight, with "Nee" and "Ja"
    assert counts()["students"] == before
    assert any(box is panel.confirm for box in walk(panel))
    assert panel.confirm.children[0].value == t("klassen.retention_question")
    button(panel.confirm, t("klassen.delete_no")).click()
    assert panel.confirm.children == () and counts()["students"] == before
    panel.clean_button.click()
    button(panel.confirm, t("klassen.delete_yes")).click()
    assert counts()["students"] == before - 1 and panel.confirm.children == ()
    assert panel.savebar.text == t("klassen.retention_removed", count=1)
    assert t("klassen.retention_none") in panel.candidates.value


@pytest.mark.parametrize("months", [0, 121])
def test_privacy_panel_keeps_the_months_within_bounds(actor, months):
    panel = PrivacyPanel(actor)
    panel.months.value = months  # BoundedIntText clamps to 1..120
    with store.write() as conn:
        assert privacy.retention_months(conn, actor) == panel.months.value == (1 if months == 0 else 120)


def test_switching_student_saves_what_was_typed_on_the_student_it_was_typed_for(demo_school, actor):
    from sqlalchemy import select

    from stip import store
    from stip.store import tables as T
    from widgets.student_edit import StudentPanel

    with store.write() as conn:
        first, second = conn.execute(select(T.student.c.id).order_by(T.student.c.id).limit(2)).scalars().all()
    panel = StudentPanel(actor, first)
    panel.form.fields["roepnaam"].value = "Getypt"
    panel.picker.value = second  # chosen within the second, before the save timer fired
    with store.write() as conn:
        names = dict(
            conn.execute(
                select(T.student.c.id, T.student.c.roepnaam).where(T.student.c.id.in_([first, second]))
            ).all()
        )
    assert names[first] == "Getypt" and names[second] != "Getypt"


def test_inzage_for_one_parent_hides_the_other_parents_protected_contact(demo_school, actor):
    import json

    from sqlalchemy import select, update

    from stip import store
    from stip.store import tables as T
    from widgets.student_edit import StudentPanel

    with store.write() as conn:
        sem = conn.execute(select(T.student.c.id).where(T.student.c.roepnaam == "Sem")).scalar_one()
        guardians = conn.execute(
            select(T.guardian.c.id, T.guardian.c.email)
            .join(T.student_guardian, T.student_guardian.c.guardian_id == T.guardian.c.id)
            .where(T.student_guardian.c.student_id == sem)
            .order_by(T.guardian.c.id)
        ).all()
        conn.execute(
            update(T.guardian).where(T.guardian.c.id == guardians[1].id).values(contact_afgeschermd=True)
        )
    panel = StudentPanel(actor, sem)
    panel.inzage_for.value = guardians[0].id
    _mime, raw, filename = downloaded(button(panel, t("klassen.inzage_json")))
    data = json.loads(raw)
    text = json.dumps(data)
    assert guardians[0].email in text and guardians[1].email not in text
    naam = data["student"]
    assert (
        filename
        == "-".join(["inzage", naam["roepnaam"], *naam["tussenvoegsel"].split(), naam["achternaam"]])
        + ".json"
    )
    assert downloaded(button(panel, t("klassen.inzage_html")))[2] == filename.replace(".json", ".html")
