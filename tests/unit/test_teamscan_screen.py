"""The Teamscan screen without a browser: start a session, participants answer through `live`, the
poller's tick updates the projector; nothing shown for a group under 3 (also under a role filter); dot
voting; to the ouderplan; close; the number of statements per refresh does not grow with the room."""

from __future__ import annotations

from html import escape

import ipywidgets as w
import pytest
from sqlalchemy import select

from stip import live, store
from stip.i18n import t
from stip.store import tables as T
from tests.unit.widget_tree import button, walk
from widgets.teamscan import TeamscanScreen
from widgets.teamscan_session import PROJECTOR_CLASS, SessionView

XSS = "<img src=x onerror=alert(1)>"


def html_of(root) -> str:
    return "\n".join(x.value for x in walk(root) if isinstance(x, w.HTML))


def start(screen: TeamscanScreen, naam: str = "Studiedag maart") -> SessionView:
    screen.start.naam.value = naam
    button(screen, t("teamscan_ui.start")).click()
    assert screen.session is not None, screen.savebar.text
    return screen.session


def scale_items(session_id: int) -> list[dict]:
    with store.read() as conn:
        return [i for i in live.items(conn, session_id) if i["kind"] == "schaal"]


def answer(session_id: int, token: str, waarde: str = "3", role: str = "", count: int = 3) -> None:
    """One phone: joins, picks a role, answers the first `count` scale items and the open questions."""
    items = scale_items(session_id)
    with store.write() as conn:
        live.participant(conn, session_id, token, create=True)
    with store.write() as conn:
        if role:
            live.set_role(conn, session_id, token, role)
    for item in items[:count]:
        with store.write() as conn:
            live.save_answer(conn, session_id, token, item["id"], waarde)


@pytest.fixture
def screen(actor):
    s = TeamscanScreen(query={})
    assert s.ready
    return s


def test_an_empty_database_shows_the_start_form(screen):
    text = html_of(screen)
    assert escape(t("teamscan_ui.new_heading")) in text and escape(t("teamscan_ui.no_sessions")) in text
    checks = [c for c in walk(screen.start) if isinstance(c, w.Checkbox)]
    assert 25 <= len(checks) <= 40  # the scale statements, each one can be switched off


def test_start_with_an_item_off_and_an_own_item(screen, actor):
    first_item, first_check = screen.start.checks[0]
    first_check.value = False
    screen.start.own_text.value = XSS
    button(screen, t("teamscan_ui.own_add")).click()
    view = start(screen)
    with store.read() as conn:
        session = live.get_session(conn, view.session_id)
        every = {i["key"]: i for i in live.items(conn, view.session_id, enabled_only=False)}
    assert session["naam"] == "Studiedag maart" and session["status"] == "open"
    assert every[first_item["key"]]["enabled"] is False
    own = every["eigen.1"]
    assert own["tekst"] == XSS and own["enabled"]
    text = html_of(screen)
    assert session["code"][:3] in text  # the code, large, on the Meedoen tab
    assert "<img" not in text


def test_join_panel_without_and_with_the_participant_app(screen, monkeypatch):
    monkeypatch.delenv("STIP_DEELNEMERS_URL", raising=False)
    view = start(screen)
    text = view.join.join.value
    assert "python -m stip serve --deelnemers" in text and "make studiedag" in text
    assert view.session["code"][:3] in text and "<svg" not in text
    monkeypatch.setenv("STIP_DEELNEMERS_URL", "http://192.168.1.20:8867")
    other = SessionView(view.actor, view.session_id, screen.savebar)
    text = other.join.join.value
    assert f"http://192.168.1.20:8867/s/{view.session['code']}?k=" in text
    assert '<svg role="img"' in text and "stip-qr" in text


def test_answers_from_three_phones_show_after_one_tick(screen):
    view = start(screen)
    sid = view.session_id
    answer(sid, "telefoon-a", "1")
    answer(sid, "telefoon-b", "4")
    assert view.poller.tick() is True
    body = view.results.text
    assert escape(t("teamscan_ui.hidden", min=3)) in body and "<svg" not in body  # two: nothing shown
    assert view.results.count.value.count('data-testid="deelnemers">2<') == 1
    answer(sid, "telefoon-c", "weet_niet")
    items = scale_items(sid)
    with store.write() as conn:
        open_item = next(i for i in live.items(conn, sid) if i["kind"] == "open")
        live.save_answer(conn, sid, "telefoon-c", open_item["id"], "", XSS)
    assert view.poller.tick() is True
    assert view.poller.tick() is False  # nothing new: no refresh
    body = view.results.text
    assert 'data-testid="deelnemers">3<' in view.results.count.value
    assert body.count("<svg") >= 3  # per theme, disagreement, lowest
    assert escape(items[0]["theme"]) in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body and XSS not in body
    assert escape(t("teamscan_ui.spread_heading")) in body
    assert "gemiddeld 2,5 van 4" in body  # the first theme: "1", "4" and "weet ik niet" (left out)


def test_a_role_filter_hides_a_group_of_two(screen):
    view = start(screen)
    sid = view.session_id
    for n in range(3):
        answer(sid, f"leraar-{n}", "3", role="leraar")
    for n in range(3):
        answer(sid, f"oop-{n}", "2", role="oop")
    for n in range(2):
        answer(sid, f"mentor-{n}", "1", role="mentor")
    view.poller.tick()
    assert "<svg" in view.results.text
    offered = [value for _label, value in view.results.role.options]
    assert offered == ["", "leraar", "oop"]  # small-roles: mentor (2) is not offered at all
    view._on_role("mentor")  # and a filter on it anyway shows nothing
    body = view.results.text
    assert "<svg" not in body and escape(t("teamscan_ui.hidden_role", min=3)) in body
    view.results.role.value = "leraar"
    assert "<svg" in view.results.text
    view.results.role.value = ""
    assert "<svg" in view.results.text


def test_statements_per_refresh_do_not_grow_with_the_room(screen):
    view = start(screen)
    sid = view.session_id

    def counted() -> int:
        with store.counting_statements() as statements:
            view.refresh()
        return len(statements)

    for n in range(3):
        answer(sid, f"a{n}", str(1 + n % 4), count=30)
    small = counted()
    for n in range(3, 30):
        answer(sid, f"a{n}", str(1 + n % 4), role=live.ROLES[n % 5], count=30)
    assert counted() == small
    with store.counting_statements() as statements:
        view.poller.tick()  # the version changed: one SELECT for it, then the refresh
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= small
    with store.counting_statements() as statements:
        view.poller.tick()  # unchanged: only the version
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


def test_mark_vote_and_send_to_the_ouderplan(screen, actor):
    view = start(screen)
    sid = view.session_id
    for n in range(3):
        answer(sid, f"t{n}", str(1 + n), count=10)
    view.poller.tick()
    view.tabs.selected_index = 2
    choose = view.choose
    vote_button = choose.vote_button
    assert vote_button.description == t("teamscan_ui.start_voting")
    vote_button.click()  # nothing marked yet
    assert screen.savebar.text == t("teamscan_ui.mark_first")
    ids = list(choose.boxes)[:3]
    for item_id in ids:
        choose.boxes[item_id].value = True
    button(choose, t("teamscan_ui.save_marked")).click()
    vote_button.click()
    assert vote_button.description == t("teamscan_ui.stop_voting")
    with store.read() as conn:
        assert live.get_session(conn, sid)["phase"] == "stemmen"
    with store.write() as conn:
        live.set_vote(conn, sid, "t0", ids[1], True)
    with store.write() as conn:
        live.set_vote(conn, sid, "t1", ids[1], True)
    view.poller.tick()
    assert t("teamscan_ui.dots", count=2) in choose.votes.value
    assert all(box.value == (item_id in ids) for item_id, box in choose.boxes.items())
    button(choose, t("teamscan_ui.to_plan")).click()
    assert 'href="Ouderplan.ipynb"' in choose.plan_link.value
    with store.read() as conn:
        titles = (
            conn.execute(select(T.ouderplan_priority.c.titel).order_by(T.ouderplan_priority.c.position))
            .scalars()
            .all()
        )
    assert len(titles) == 3


def test_unsaved_ticks_survive_a_refresh(screen):
    view = start(screen)
    first = next(iter(view.choose.boxes))
    view.choose.boxes[first].value = True
    answer(view.session_id, "x", count=1)
    view.poller.tick()
    assert view.choose.boxes[first].value is True


def test_projector_mode_and_close(screen):
    view = start(screen)
    view.projector.value = True
    assert PROJECTOR_CLASS in screen._dom_classes
    view.projector.value = False
    assert PROJECTOR_CLASS not in screen._dom_classes
    view.close_button.click()
    button(view, t("teamscan_ui.close_yes")).click()
    with store.read() as conn:
        assert live.get_session(conn, view.session_id)["status"] == "gesloten"
    assert view.close_button.disabled
    assert escape(t("teamscan_ui.closed_notice")) in view.join.join.value


def test_the_query_opens_a_session_and_a_wrong_one_says_so(screen, actor):
    view = start(screen)
    again = TeamscanScreen(query={"sessie": str(view.session_id)})
    assert again.ready and again.session is not None and again.session.session_id == view.session_id
    again.session.stop()
    missing = TeamscanScreen(query={"sessie": "99999"})
    assert missing.ready and missing.session is None
    assert missing.savebar.text == t("live.session_not_found")
    strange = TeamscanScreen(query={"sessie": "<b>"})
    assert strange.ready and strange.savebar.text == t("teamscan_ui.bad_session")
    listed = TeamscanScreen(query={})
    assert f'href="Teamscan.ipynb?sessie={view.session_id}"' in html_of(listed)


def test_a_next_round_links_the_earlier_session(screen):
    first = start(screen, "Ronde 1")
    second_screen = TeamscanScreen(query={})
    second_screen.start.previous.value = first.session_id
    second = start(second_screen, "Ronde 2")
    with store.read() as conn:
        assert live.get_session(conn, second.session_id)["previous_id"] == first.session_id


def test_a_next_round_has_the_comparison_tab(screen):
    first = start(screen, "Ronde 1")
    for n in range(3):
        answer(first.session_id, f"r1-{n}", "2", count=36)
    second_screen = TeamscanScreen(query={})
    second_screen.start.previous.value = first.session_id
    second = start(second_screen, "Ronde 2")
    assert len(second.tabs.children) == 4 and len(first.tabs.children) == 3
    second.tabs.selected_index = 3
    for n in range(3):
        answer(second.session_id, f"r2-{n}", "4", count=36)
    assert second.poller.tick() is True
    assert "Ronde 1" in html_of(second.tabs.panel(3))


def test_a_projector_window_opens_big(screen):
    view = start(screen)
    assert f"Teamscan.ipynb?sessie={view.session_id}&amp;groot=1" in view.children[1].children[2].value
    big = TeamscanScreen(query={"sessie": str(view.session_id), "groot": "1"})
    assert PROJECTOR_CLASS in big._dom_classes and big.session.projector.value
    big.session.stop()


def test_a_new_answer_redraws_only_the_sections_it_changes(screen):
    view = start(screen)
    sid = view.session_id
    for n in range(4):
        answer(sid, f"p{n}", str(1 + n % 4), count=36)
    view.poller.tick()
    before = [section.value for section in view.results.body.children]
    view.refresh()  # nothing new: the same strings (the charts' ids follow from their content)
    assert [section.value for section in view.results.body.children] == before
    last_item = scale_items(sid)[-1]
    with store.write() as conn:
        live.save_answer(conn, sid, "p0", last_item["id"], "4")  # the last theme only
    view.poller.tick()
    after = [section.value for section in view.results.body.children]
    changed = [n for n, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed and len(changed) < len(before) - 3  # most themes are not sent again
