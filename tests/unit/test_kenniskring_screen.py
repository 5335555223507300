"""The Kenniskring screen without a browser: prepare and start, step through the activities, answers
from phones (through stip.kenniskring) show after the poller's tick, nothing under 3, escaped; the
programme edited; the report's PDF and CSV; the terugkomsessie; statements per refresh fixed."""

from __future__ import annotations

import csv
import io

import ipywidgets as w
import pytest

from stip import kenniskring as K
from stip import store
from stip.i18n import t
from tests.unit.widget_tree import button, walk
from widgets.kenniskring import KenniskringScreen
from widgets.kenniskring_run import PROJECTOR_CLASS

XSS = "<img src=x onerror=alert(1)>"


def html_of(root) -> str:
    return "\n".join(x.value for x in walk(root) if isinstance(x, w.HTML))


@pytest.fixture
def screen(actor):
    s = KenniskringScreen(query={})
    assert s.ready
    yield s
    if s.session is not None:
        s.session.stop()


def start(screen, naam="Kenniskring Zuid", **fields):
    screen.start.naam.value = naam
    screen.start.plaats.value = fields.get("plaats", "Utrecht")
    screen.start.scholen.value = fields.get("scholen", "Het Lyceum\nCollege Oost")
    if "previous" in fields:
        screen.start.previous.value = fields["previous"]
    button(screen, t("kenniskring_ui.start")).click()
    assert screen.session is not None, screen.savebar.text
    return screen.session


def phones(view, answers):
    """Phones answer the current activity: answers = [(token, index, waarde, tekst)]."""
    items = view.run.state["items"]
    for token, index, waarde, tekst in answers:
        with store.write() as conn:
            K.save_answer(conn, view.session_id, token, items[index]["id"], waarde, tekst)
    assert view.run.poller.tick()


def test_empty_database_shows_the_form_and_standard_programme(screen):
    text = html_of(screen)
    assert t("kenniskring_ui.new_heading") in text
    assert t("kenniskring_ui.no_sessions") in text
    assert "Tips-kaartjes" in text and "(001)" in text


def test_start_step_answer_and_projector(screen):
    view = start(screen, naam=XSS)
    text = html_of(view)
    assert XSS not in text and "&lt;img" in text
    assert "Utrecht" in text and "Het Lyceum, College Oost" in text
    run = view.run
    assert run.previous_button.disabled and not run.next_button.disabled
    assert "Stellingen om mee te beginnen" in run.view.value
    assert t("kenniskring.hidden", minimum=3) in run.view.value
    first_two = [("tel-1-" + "a" * 20, 0, "eens", XSS), ("tel-2-" + "a" * 20, 0, "oneens", "")]
    phones(view, first_two)
    assert "<svg" not in run.view.value  # two answered: no split
    phones(view, [("tel-3-aaaaaaaaaaaaaaaaaaaaa", 0, "eens", "")])
    assert "<svg" in run.view.value and "3 deelnemers" in run.join_line.value
    assert XSS not in run.view.value and "&lt;img src=x" in run.view.value
    run.answering.click()
    assert run.answering.description == t("kenniskring_ui.open_answering")
    with pytest.raises(K.KenniskringError):
        with store.write() as conn:
            K.save_answer(conn, view.session_id, "tel-4-" + "a" * 20, run.state["items"][0]["id"], "eens")
    run.next_button.click()
    assert run.state["position"] == 1 and run.state["answering_open"]
    assert "Tips-kaartjes" in run.view.value
    run.projector.value = True
    assert PROJECTOR_CLASS in screen._dom_classes
    for _ in range(10):
        run.next_button.click()
    assert run.next_button.disabled and run.state["position"] == 5
    run.previous_button.click()
    assert run.state["position"] == 4


def test_programme_edit_shows_on_the_projector(screen):
    view = start(screen)
    panel = view.tabs.panel(1)
    panel.sections.selected_index = 0
    editor = panel.editor(0)
    editor.titel.value = "Onze stellingen"
    editor.item_fields[0][1].value = "Een nieuwe eerste stelling."
    button(editor, t("kenniskring_ui.save_activity")).click()
    assert view.run.poller.tick()
    assert "Onze stellingen" in view.run.view.value and "Een nieuwe eerste stelling." in view.run.view.value
    panel.kind.value = "voornemen"
    panel.new_title.value = "Extra voornemen"
    button(panel, t("kenniskring_ui.add_activity")).click()
    assert panel.count == 7 and panel.sections.get_title(6) == "7. Extra voornemen"
    editor = panel.editor(6)
    editor.new_item.value = "Wat doe je morgen?"
    button(editor, t("kenniskring_ui.add_item")).click()
    assert panel.items["eigen_extra_voornemen"][0]["tekst"] == "Wat doe je morgen?"
    editor = panel.editor(6)
    button(editor, t("kenniskring_ui.remove_activity")).click()
    assert panel.count == 6


def test_report_pdf_csv_and_compare(screen, actor):
    earlier = start(screen, naam="Eerste keer")
    phones(earlier, [(f"eerder-{n}-aaaaaaaaaaaaaaaaaaa", 0, "oneens", "") for n in range(3)])
    earlier.stop()
    screen.show_start()
    view = start(screen, naam="Terugkomsessie", previous=earlier.session_id)
    phones(view, [(f"nu-{n}-aaaaaaaaaaaaaaaaaaaaaa", 0, "eens", f"=reden {n}") for n in range(3)])
    view.tabs.selected_index = 2
    report = view.tabs.panel(2)
    assert "Stellingen om mee te beginnen" in report.body.value and "Mijn voornemen" in report.body.value
    pdf = report.pdf.click()
    assert pdf.data.startswith(b"%PDF") and pdf.filename.endswith(".pdf")
    data = report.csv.click().data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert len(rows) == 4 and all(row[4].startswith("'=reden") for row in rows[1:])
    view.tabs.selected_index = 3
    compare = view.tabs.panel(3)
    assert compare.previous.value == earlier.session_id
    assert "Eerste keer · 3 deelnemers" in compare.body.value
    assert "Terugkomsessie · 3 deelnemers" in compare.body.value
    compare.previous.value = 0
    assert t("kenniskring_ui.no_compare") in compare.body.value


def test_refresh_statements_do_not_grow_with_the_room(screen):
    view = start(screen)
    counts = []
    for people in (3, 12):
        phones(view, [(f"p{people}-{n}-aaaaaaaaaaaaaaaaaaaa", n % 6, "eens", "x") for n in range(people)])
        with store.counting_statements() as statements:
            view.run.refresh()
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_bad_or_foreign_session_in_the_query(actor):
    bad = KenniskringScreen(query={"sessie": "abc"})
    assert t("kenniskring_ui.bad_session") in bad.savebar.text
    missing = KenniskringScreen(query={"sessie": "999"})
    assert missing.session is None and t("kenniskring.session_not_found") in missing.savebar.text


def test_projector_window_opens_big(screen, actor):
    view = start(screen)
    assert "groot=1" in html_of(view)
    big = KenniskringScreen(query={"sessie": str(view.session_id), "groot": "1"})
    assert PROJECTOR_CLASS in big._dom_classes and big.session.run.projector.value
    big.session.stop()


def test_word_cloud_and_its_list_on_the_projector(screen):
    view = start(screen)
    for _ in range(4):
        view.run.next_button.click()
    assert view.run.state["activity"]["kind"] == "woordwolk"
    phones(
        view,
        [(f"wolk-{n}-" + "a" * 20, 0, "", text) for n, text in enumerate(["Samen", "samen <b>", "Open"])],
    )
    value = view.run.view.value
    assert 'class="cloud"' in value and "Alle antwoorden als lijst" in value
    assert "samen &lt;b&gt;" in value and "<b>" not in value
