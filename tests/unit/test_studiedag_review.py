"""Found on a study-day review (a facilitator, a projector, three phones): each test would have caught one
thing a team saw on the screen or in the document."""

from __future__ import annotations

from stip import live, store
from stip.ouderplan_document import change_text
from tests.unit.test_deelnemen import base, session  # noqa: F401 (fixtures of the participant app)
from tests.unit.test_live import ITEMS, fill, start
from widgets.teamscan_rounds import RoundsPanel


def test_the_change_between_rounds_is_the_change_of_the_means_as_shown(actor):
    # Round 1: a.1 = 2,2,3 → 2.33 (shown 2,3); round 2: 2,3,3,3 → 2.75 (shown 2,8). A room that reads
    # "2,3 → 2,8" must read "+0,5" beside it, not "+0,4" (was: the change of the unrounded means).
    first = start(actor)
    fill(first, {"t1": ["2", "2", "2"], "t2": ["2", "2", "2"], "t3": ["3", "2", "2"]})
    second = start(actor, items=ITEMS, previous_id=first["id"])
    fill(
        second,
        {"u1": ["2", "2", "2"], "u2": ["3", "2", "2"], "u3": ["3", "2", "2"], "u4": ["3", "2", "2"]},
    )
    with store.read() as conn:
        compared = live.compare_rounds(conn, second["id"])
    a1 = next(i for i in compared["items"] if i["key"] == "a.1")
    assert a1["gemiddelden"] == [2.33, 2.75]
    assert change_text(a1["verschil"]) == "+0,5"
    theme_a = next(th for th in compared["themes"] if th["theme"] == "Thema A")
    # Thema A: (2+2+3+2+2+2)/6 = 2.17 (2,2) → (2+3+3+3+2+2+2+2)/8 = 2.375 → 2.38 (2,4): "+0,2"
    assert change_text(theme_a["verschil"]) == "+0,2"

    panel = RoundsPanel(second["id"], actor=actor)
    titles = [panel.accordion.get_title(n) for n in range(len(panel.accordion.children))]
    assert any(title.startswith("Thema A") and "+0,2" in title for title in titles), titles


def test_an_activity_in_the_pdf_never_leaves_its_title_alone_at_the_bottom_of_a_page():
    # Was: "Activiteit 1: …" as the last line of a page, its rows on the next (the table avoided a break,
    # its caption did not). Seven priorities with a chart and an activity each: some must cross a page.
    import io

    from pypdf import PdfReader

    from stip import ouderplan_document as doc
    from tests.unit.test_ouderplan_document import activity, data

    plan = data()
    first = plan["priorities"][0]
    plan["priorities"] = []
    for n in range(1, 8):
        plan["priorities"].append(
            {
                **first,
                "id": n,
                "titel": f"Prioriteit nummer {n} met een titel over twee regels: ouders horen ook "
                "van ons als het goed gaat met hun kind",
                "activities": [
                    activity(n, wat=f"Wat-{n} doen we", doel_ouders="Ouders weten het.", nodig=f"Nodig-{n}")
                ],
            }
        )
        plan["figures"][n] = plan["figures"][1]
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(doc.document_pdf(plan))).pages]
    assert len(pages) >= 2
    for n in range(1, 8):
        (title_page,) = [i for i, text in enumerate(pages) if f"Wat-{n} doen we" in text]
        assert f"Nodig-{n}" in pages[title_page], f"activity {n}: title and rows on different pages"


def test_a_closed_session_no_longer_invites_the_room_to_join(actor, monkeypatch):
    # Was: "Deze sessie is gesloten" above "Ga op je telefoon naar … en vul deze code in: MMJ MXP" in
    # projector-size letters; phones that tried got "gesloten".
    from stip import config
    from widgets.teamscan_join import join_html

    monkeypatch.setattr(config, "participant_base_url", lambda: "http://192.0.2.2:8867")
    started = start(actor)
    with store.read() as conn:
        open_html = join_html(live.get_session(conn, started["id"]))
    assert "stip-join-code" in open_html and "192.0.2.2" in open_html and "<svg" in open_html
    with store.write() as conn:
        live.close_session(conn, started["id"])
        closed_html = join_html(live.get_session(conn, started["id"]))
    assert "gesloten" in closed_html
    assert "stip-join-code" not in closed_html and "192.0.2.2" not in closed_html
    assert "<svg" not in closed_html and started["code"] not in closed_html


def test_the_role_filter_names_the_roles_as_the_phones_do():
    # Was: "Iedereen, leraar, mentor, …" on the projector while the phones said "Leraar", "Mentor".
    from widgets.teamscan_results import role_options

    labels = [label for label, _value in role_options({"leraar": 3, "mentor": 4, "zorg": 5})]
    assert labels[:3] == ["Iedereen", "Leraar", "Mentor"]
    assert all(label[:1].isupper() for label in labels)


def test_a_phone_that_opens_a_closed_session_hears_its_answers_are_kept(base, session):  # noqa: F811
    # Was: a colleague who had handed in and opened the page again read "Wat je nu instuurde, is niet
    # opgeslagen" — after sending nothing. Her answers were kept; the page now says so.
    from stip.store import tables as T
    from tests.unit.test_deelnemen import answer, assert_dutch_page, count, joined, statements

    phone = joined(base, session)
    item = statements(session)[0]
    answer(phone, session, item)
    with store.write() as conn:
        live.close_session(conn, session["id"])
    page = phone.get(f"/s/{session['code']}")
    assert_dutch_page(page, 410)
    assert "Wat je nu instuurde" not in page.text
    assert "voordat de sessie sloot, is bewaard" in page.text
    assert count(T.answer) == 1
