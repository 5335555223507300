"""A priority's figures from the study day only when its own statement has at least `live.MIN_GROUP`
answers: one of three who skipped it must not leave a distribution or mean of two (screen, print view,
PDF and XLSX alike)."""

from __future__ import annotations

import io

from stip import live, ouderplan, store
from stip import ouderplan_document as doc
from widgets.ouderplan import OuderplanScreen

NOTE = "minder dan 3 antwoorden op deze stelling"


def study_day(actor) -> tuple[int, list[dict]]:
    """Three participants; the third skips the first statement; the first two statements are marked."""
    with store.write() as conn:
        sid = live.start_session(conn, actor, "teamscan", "Studiedag")["id"]
    with store.read() as conn:
        items = [i for i in live.items(conn, sid) if i["kind"] == "schaal"]
    for n in range(3):
        token = f"min3-{n}-" + "a" * 20
        with store.write() as conn:
            live.participant(conn, sid, token, create=True)
            for index, item in enumerate(items):
                if n == 2 and index == 0:
                    continue  # skipped
                live.save_answer(conn, sid, token, item["id"], str(1 + n))
    with store.write() as conn:
        live.set_marked(conn, actor, sid, [items[0]["id"], items[1]["id"]])
        ouderplan.priorities_from_session(conn, actor, sid)
    return sid, items


def by_key(data: dict, key: str) -> dict:
    (priority,) = [p for p in data["priorities"] if p["item_key"] == key]
    return data["figures"][priority["id"]]


def test_the_rule_on_the_figures(actor):
    _sid, items = study_day(actor)
    with store.read() as conn:
        data = ouderplan.document_data(conn, actor)
    skipped, full = by_key(data, items[0]["key"]), by_key(data, items[1]["key"])
    assert not skipped["verborgen"] and skipped["deelnemers"] == 3  # the session as a whole is shown
    assert doc.too_few_answers(skipped) and not doc.too_few_answers(full)
    assert doc.item_chart(skipped) == "" and doc.item_chart(skipped, narrow=True) == ""
    assert NOTE in doc.figure_summary(skipped) and " op 4" not in doc.figure_summary(skipped)
    assert "<svg" in doc.item_chart(full) and "gemiddeld 2,0 op 4" in doc.figure_summary(full)


def test_document_pdf_and_xlsx_follow_the_rule(actor):
    from openpyxl import load_workbook
    from pypdf import PdfReader

    _sid, items = study_day(actor)
    with store.read() as conn:
        data = ouderplan.document_data(conn, actor)
    html = doc.document_html(data)
    assert html.count("<svg") == 1 and NOTE in html  # the full statement's chart only
    squashed = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(doc.document_pdf(data))).pages).split()
    )
    assert "minder dan 3 antwoorden" in squashed
    rows = list(load_workbook(io.BytesIO(doc.document_xlsx(data))).active.iter_rows(values_only=True))
    means = {row[1]: row[2] for row in rows[1:]}
    assert means[items[0]["tekst"]] in ("", None) and means[items[1]["tekst"]] == "2,0"


def test_the_screen_shows_the_note_instead_of_the_chart(actor):
    _sid, items = study_day(actor)
    screen = OuderplanScreen(query={})
    texts = {}
    for card in screen.cards:
        html = " ".join(
            getattr(c, "value", "") for c in card.children if isinstance(getattr(c, "value", None), str)
        )
        texts[card.form.fields["titel"].value] = html
    assert NOTE in texts[items[0]["tekst"]] and "<svg" not in texts[items[0]["tekst"]]
    assert "<svg" in texts[items[1]["tekst"]] and NOTE not in texts[items[1]["tekst"]]
