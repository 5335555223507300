"""The participant app (`stip deelnemen`, issue 17): a real Tornado server on 127.0.0.1 in a thread,
driven by plain HTTP phones (tests/phones.py) on a real SQLite database."""

from __future__ import annotations

import ast
import asyncio
import json
import logging
import re
import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from stip import config, deelnemen, kenniskring, live, store
from stip.store import tables as T
from tests.phones import Phone
from tests.server import free_port

SESSION_TABLES = {"live_session", "session_item", "participant", "answer", "priority_vote"}
PAGE_LIMIT = 50 * 1024
EVIL = "<img src=x onerror=alert(1)>"


@contextmanager
def app_server():
    """`deelnemen.make_server()` on a free 127.0.0.1 port in a thread with its own event loop."""
    port = free_port()
    ready = threading.Event()
    state: dict = {}

    async def main():
        server = deelnemen.make_server()
        server.listen(port, "127.0.0.1")
        state["loop"], state["stop"] = asyncio.get_running_loop(), asyncio.Event()
        ready.set()
        await state["stop"].wait()
        server.stop()

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(10)


@pytest.fixture
def base(stip_data):
    with app_server() as url:
        yield url


@pytest.fixture
def session(actor):
    with store.write() as conn:
        return live.start_session(conn, actor, "teamscan", "Studiedag december")


def scan_items(session) -> list[dict]:
    with store.read() as conn:
        return live.items(conn, session["id"])


def statements(session) -> list[dict]:
    return [item for item in scan_items(session) if item["kind"] == "schaal"]


def count(table) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def joined(base, session) -> Phone:
    phone = Phone(base)
    assert phone.get(f"/s/{session['code']}").status == 200
    return phone


def answer(phone, session, item, waarde="3", page="1", **extra):
    """A tap on an answer button of the page's one form (`antwoord` = "<item>:<option>")."""
    form = {"antwoord": f"{item['id']}:{waarde}", "pagina": page, **extra}
    return phone.post(f"/s/{session['code']}/pagina", form)


def assert_dutch_page(response, status):
    assert response.status == status
    assert response.header("Content-Type").startswith("text/html")
    assert '<html lang="nl">' in response.text
    assert "Traceback" not in response.text


# -- joining ------------------------------------------------------------------------------------------


def test_code_form_and_joining_by_a_typed_code(base, session):
    phone = Phone(base)
    home = phone.get("/")
    assert home.status == 200
    assert '<meta name="viewport"' in home.text and 'name="code"' in home.text
    typed = session["code"][:3].lower() + "-" + session["code"][3:].lower()
    found = phone.get(f"/?code={typed}")
    assert found.status == 303 and found.location == f"/s/{session['code']}"
    start = phone.get(found.location)
    assert start.status == 200
    assert "Welkom bij Studiedag december" in start.text
    cookie = next(c for c in start.set_cookies() if c.startswith(deelnemen.COOKIE + "="))
    assert f"Path=/s/{session['code']}" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert count(T.participant) == 0  # a participant row comes with the first answer, not with a look


def test_join_url_with_the_secret_and_a_wrong_secret(base, session):
    phone = Phone(base)
    right = phone.get(live.join_path(session))
    assert right.status == 303 and right.location == f"/s/{session['code']}"
    wrong = phone.get(f"/s/{session['code']}?k=niet-het-geheim")
    assert_dutch_page(wrong, 404)
    assert "Deze code kennen we niet" in wrong.text


def test_wrong_code_is_a_dutch_404_and_stores_nothing(base, session):
    phone = Phone(base)
    typed = phone.get("/?code=XXXXXX")
    assert_dutch_page(typed, 404)
    assert "Deze code kennen we niet" in typed.text
    assert_dutch_page(phone.get("/s/XXXXXX"), 404)
    phone = joined(base, session)  # a valid form token, the wrong code
    posted = phone.post("/s/XXXXXX/antwoord", {"item": "1", "waarde": "3", "pagina": "1"})
    assert_dutch_page(posted, 404)
    assert_dutch_page(phone.get("/iets/anders"), 404)
    assert count(T.participant) == count(T.answer) == 0


def test_closed_session_is_410_and_stores_nothing(base, session):
    phone = joined(base, session)
    item = statements(session)[0]
    with store.write() as conn:
        live.close_session(conn, session["id"])
    for path in ("", "/t/1", "/klaar", "/stemmen"):
        page = phone.get(f"/s/{session['code']}{path}")
        assert_dutch_page(page, 410)
        assert "Deze sessie is gesloten" in page.text
    assert_dutch_page(answer(phone, session, item), 410)
    assert phone.get(f"/?code={session['code']}").status == 410
    status = phone.get(f"/s/{session['code']}/status.json")
    assert status.status == 410 and "fout" in json.loads(status.text)
    assert count(T.participant) == count(T.answer) == 0


# -- answering ----------------------------------------------------------------------------------------


def test_an_answer_is_saved_and_the_page_shows_it_anchored_at_the_next(base, session):
    phone = joined(base, session)
    first, second = statements(session)[:2]
    saved = answer(phone, session, first, "4")
    assert saved.status == 303
    assert saved.location == f"/s/{session['code']}/t/1#na-{first['id']}"
    page = phone.get(saved.location.split("#")[0])
    assert page.status == 200
    assert f'id="na-{first["id"]}"' in page.text  # the anchor sits in the next statement's card
    card = page.text.split(f'id="s-{first["id"]}"')[1].split("</section>")[0]
    assert re.search(
        rf'value="{first["id"]}:4" class="sel" aria-pressed="true">.{{0,60}}Helemaal mee eens<', card
    )
    assert "Thema 1 van" in page.text and "1 van " in page.text
    with store.read() as conn:
        assert live.my_answers(conn, session["id"], phone.cookies[deelnemen.COOKIE][0]) == {
            first["id"]: {"waarde": "4", "tekst": ""}
        }
    assert second["id"] != first["id"]


def test_the_same_post_twice_is_one_answer_and_a_change_overwrites(base, session):
    phone = joined(base, session)
    item = statements(session)[0]
    assert answer(phone, session, item, "2").status == 303
    assert answer(phone, session, item, "2").status == 303  # a retry after a screen lock
    assert count(T.answer) == 1 and count(T.participant) == 1
    assert answer(phone, session, item, "weet_niet").status == 303
    with store.read() as conn:
        assert conn.execute(select(T.answer.c.waarde)).scalars().all() == ["weet_niet"]


def test_csrf_token_is_required(base, session):
    phone = joined(base, session)
    item = statements(session)[0]
    form = {"antwoord": f"{item['id']}:3", "pagina": "1"}
    path = f"/s/{session['code']}/pagina"
    refused = phone.post(path, form, xsrf=False)
    assert_dutch_page(refused, 403)
    assert "De pagina was verlopen" in refused.text
    forged = phone.post(path, {**form, "_xsrf": "2|aa|bb|cc"})
    assert forged.status == 403
    stranger = Phone(base)  # another site's form: no cookie of ours, a token of its own
    assert stranger.post(path, {**form, "_xsrf": phone.form_token}).status == 403
    assert count(T.answer) == count(T.participant) == 0


def test_oversized_and_malformed_posts_get_a_dutch_answer_and_store_nothing(base, session):
    phone = joined(base, session)
    item = statements(session)[0]
    path = f"/s/{session['code']}/pagina"
    big = phone.post(path, {"antwoord": f"{item['id']}:3", "tekst-1": "x" * 20_000, "pagina": "1"})
    assert_dutch_page(big, 413)
    assert "te veel tekst" in big.text
    for form in (
        {"antwoord": "abc:3", "pagina": "1"},
        {"antwoord": ":3", "pagina": "1"},
        {"antwoord": f"{item['id']}:7", "pagina": "1"},
        {"antwoord": "999999:3", "pagina": "1"},
        {"antwoord": f"{item['id']}:3", "pagina": "../x"},
        {"antwoord": f"{item['id']}:3", "pagina": "1", "ga": "https://example.org"},
    ):
        assert_dutch_page(phone.post(path, form), 400)
    not_a_form = phone.request(
        "POST",
        path,
        json.dumps({"item": item["id"]}).encode(),
        {"Content-Type": "application/json", "X-XSRFToken": phone.form_token},
    )
    assert_dutch_page(not_a_form, 400)
    assert_dutch_page(phone.post(f"/s/{session['code']}/rol", {"rol": "koning"}), 400)
    assert count(T.answer) == 0


def test_a_comment_typed_before_tapping_an_answer_is_saved_with_it(base, session):
    # Was: each statement its own form, so typing the theme's comment and then tapping an answer lost the
    # comment. Now the theme page is ONE form: the tap sends the answer and every typed text together.
    phone = joined(base, session)
    code = session["code"]
    page = phone.get(f"/s/{code}/t/1").text
    assert page.count("<form") == 1 and f'action="/s/{code}/pagina"' in page
    items = scan_items(session)
    first, second = statements(session)[:2]
    comment = next(item for item in items if item["kind"] == "opmerking" and item["theme"] == first["theme"])
    form_html = page.split("<form", 1)[1].split("</form>", 1)[0]
    assert f'name="antwoord" value="{first["id"]}:3"' in form_html
    assert f'name="tekst-{comment["id"]}"' in form_html and 'name="ga"' in form_html
    saved = answer(phone, session, second, "2", **{f"tekst-{comment['id']}": "Lastig bij nieuwkomers"})
    assert saved.status == 303 and saved.location == f"/s/{code}/t/1#na-{second['id']}"
    with store.read() as conn:
        mine = live.my_answers(conn, session["id"], phone.cookies[deelnemen.COOKIE][0])
    assert mine == {
        second["id"]: {"waarde": "2", "tekst": ""},
        comment["id"]: {"waarde": "", "tekst": "Lastig bij nieuwkomers"},
    }
    again = phone.get(f"/s/{code}/t/1").text
    assert "Lastig bij nieuwkomers</textarea>" in again
    # The next tap sends the (unchanged) comment again: one upsert per (participant, item), no copies.
    version = live_version(session)
    assert (
        answer(phone, session, first, "4", **{f"tekst-{comment['id']}": "Lastig bij nieuwkomers"}).status
        == 303
    )
    assert count(T.answer) == 3 and live_version(session) == version + 1  # only the answer was written
    for bad in ("abc", f"{first['id']}", f"{first['id']}:7", "999999:3", f"{first['id']}:3:4"):
        assert_dutch_page(answer(phone, session, first, **{"antwoord": bad}), 400)
    assert count(T.answer) == 3


def live_version(session) -> int:
    with store.read() as conn:
        return live.live_version(conn, session["id"])


def test_comment_and_open_questions_are_text_forms_that_go_along_with_the_buttons(base, session):
    phone = joined(base, session)
    code = session["code"]
    items = scan_items(session)
    comment = next(item for item in items if item["kind"] == "opmerking")
    questions = [item for item in items if item["kind"] == "open"]
    assert len(questions) == 2
    page = phone.get(f"/s/{code}/t/1")
    assert f'<textarea id="t-{comment["id"]}" name="tekst-{comment["id"]}"' in page.text
    # Looking through the pages with empty fields makes no participant.
    browsed = phone.post(f"/s/{code}/tekst", {f"tekst-{comment['id']}": "", "pagina": "1", "ga": "t/2"})
    assert browsed.status == 303 and browsed.location == f"/s/{code}/t/2"
    assert count(T.participant) == 0
    # "Volgende thema" saves the typed comment on the way.
    form = {f"tekst-{comment['id']}": "Goed & <snel>", "pagina": "1", "ga": "t/2"}
    assert phone.post(f"/s/{code}/tekst", form).location == f"/s/{code}/t/2"
    again = phone.get(f"/s/{code}/t/1")
    assert "Goed &amp; &lt;snel&gt;</textarea>" in again.text and "Opgeslagen" in again.text
    saved = phone.post(f"/s/{code}/tekst", {**form, "ga": "opslaan"})
    assert saved.location == f"/s/{code}/t/1#s-{comment['id']}"
    last = phone.get(f"/s/{code}/klaar")
    assert f'id="t-{questions[0]["id"]}"' in last.text and "Inleveren" in last.text
    # "Inleveren" saves the open answers typed on the last page and hands in, in one go.
    final = {f"tekst-{questions[0]['id']}": "De startgesprekken", f"tekst-{questions[1]['id']}": ""}
    done = phone.post(f"/s/{code}/tekst", {**final, "pagina": "klaar", "ga": "inleveren"})
    assert done.location == f"/s/{code}/bedankt"
    with store.read() as conn:
        mine = live.my_answers(conn, session["id"], phone.cookies[deelnemen.COOKIE][0])
        assert conn.execute(select(T.participant.c.submitted)).scalars().all() == [True]
    assert mine == {
        comment["id"]: {"waarde": "", "tekst": "Goed & <snel>"},
        questions[0]["id"]: {"waarde": "", "tekst": "De startgesprekken"},
    }
    assert_dutch_page(phone.post(f"/s/{code}/tekst", {**final, "pagina": "klaar", "ga": "opslaan"}), 409)
    for bad in ({"pagina": "klaar", "ga": "https://example.org"}, {"pagina": "x", "ga": "opslaan"}):
        assert_dutch_page(phone.post(f"/s/{code}/tekst", bad), 400)


def test_role_is_optional_and_stored(base, session):
    phone = joined(base, session)
    chosen = phone.post(f"/s/{session['code']}/rol", {"rol": "mentor"})
    assert chosen.status == 303
    start = phone.get(f"/s/{session['code']}")
    assert re.search(r'value="mentor" class="sel" aria-pressed="true"', start.text)
    with store.read() as conn:
        assert conn.execute(select(T.participant.c.role)).scalars().all() == ["mentor"]


def test_the_role_comes_before_beginnen_on_the_welcome_page(base, session):
    # Was: "Beginnen" first and the role below it, so most colleagues never saw the role question.
    page = joined(base, session).get(f"/s/{session['code']}").text
    role, begin = page.index('role="group" aria-labelledby="rol"'), page.index(">Beginnen</a>")
    assert page.index(f'action="/s/{session["code"]}/rol"') < role < begin
    assert "mag je overslaan" in page  # still optional: "Beginnen" works without a role


def test_a_reload_continues_where_they_were(base, session):
    phone = joined(base, session)
    items = statements(session)
    first_theme = [item for item in items if item["theme"] == items[0]["theme"]]
    for item in first_theme:
        answer(phone, session, item, "3")
    later = Phone(base)  # the same browser later: the same cookies, a new connection
    later.cookies = dict(phone.cookies)
    start = later.get(f"/s/{session['code']}")
    assert "Verder bij thema 2" in start.text and f'href="/s/{session["code"]}/t/2"' in start.text
    page = later.get(f"/s/{session['code']}/t/1")
    assert page.text.count('class="sel" aria-pressed="true"') == len(first_theme)
    assert f"{len(first_theme)} van {len(items)} stellingen beantwoord" in page.text
    stranger = joined(base, session)  # another phone is another participant
    assert "Beginnen" in stranger.get(f"/s/{session['code']}").text


def test_submitting_twice_is_impossible_and_nothing_changes_afterwards(base, session):
    phone = joined(base, session)
    item = statements(session)[0]
    answer(phone, session, item, "1")
    done = phone.post(f"/s/{session['code']}/inleveren", {})
    assert done.status == 303 and done.location == f"/s/{session['code']}/bedankt"
    thanks = phone.get(done.location)
    assert thanks.status == 200 and "Bedankt!" in thanks.text
    twice = phone.post(f"/s/{session['code']}/inleveren", {})
    assert_dutch_page(twice, 409)
    assert "al ingeleverd" in twice.text
    assert_dutch_page(answer(phone, session, item, "4"), 409)
    assert_dutch_page(phone.post(f"/s/{session['code']}/rol", {"rol": "zorg"}), 409)
    assert phone.get(f"/s/{session['code']}/t/1").location == f"/s/{session['code']}/bedankt"
    assert phone.get(f"/s/{session['code']}").location == f"/s/{session['code']}/bedankt"
    with store.read() as conn:
        assert conn.execute(select(T.answer.c.waarde)).scalars().all() == ["1"]
        assert conn.execute(select(T.participant.c.submitted, T.participant.c.role)).all() == [(True, "")]


# -- pages --------------------------------------------------------------------------------------------


def test_every_page_of_a_journey_weighs_at_most_50_kb(base, session):
    phone = joined(base, session)
    sizes = {"/": phone.get("/").size, "start": phone.get(f"/s/{session['code']}").size}
    themes = {item["theme"] for item in statements(session)}
    for number in range(1, len(themes) + 1):
        page = phone.get(f"/s/{session['code']}/t/{number}")
        assert page.status == 200
        sizes[f"t/{number}"] = page.size
    sizes["klaar"] = phone.get(f"/s/{session['code']}/klaar").size
    assert phone.get(f"/s/{session['code']}/t/{len(themes) + 1}").status == 404
    assert max(sizes.values()) <= PAGE_LIMIT, sizes


def test_own_item_text_is_escaped(base, session, actor):
    with store.write() as conn:
        own = live.add_item(conn, actor, session["id"], EVIL, "Eigen <b>thema</b>")
    phone = joined(base, session)
    theme_numbers = list(
        dict.fromkeys(item["theme"] for item in scan_items(session) if item["kind"] != "open")
    )
    page = phone.get(f"/s/{session['code']}/t/{theme_numbers.index(own['theme']) + 1}")
    assert page.status == 200
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text and EVIL not in page.text
    assert "Eigen &lt;b&gt;thema&lt;/b&gt;" in page.text and "<b>" not in page.text


def test_security_headers_and_no_external_requests(base, session):
    page = joined(base, session).get(f"/s/{session['code']}/t/1")
    assert "default-src 'none'" in page.header("Content-Security-Policy")
    assert page.header("Referrer-Policy") == "no-referrer"
    assert page.header("Cache-Control") == "no-store"
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text)
    assert "<script" not in page.text


def test_status_json(base, session, actor):
    phone = Phone(base)
    first = json.loads(phone.get(f"/s/{session['code']}/status.json").text)
    assert set(first) == {"live_version", "phase", "current_position", "answering_open"}
    assert first["phase"] == "invullen" and first["answering_open"] is True
    answer(joined(base, session), session, statements(session)[0])
    after = json.loads(phone.get(f"/s/{session['code']}/status.json").text)
    assert after["live_version"] > first["live_version"]
    assert phone.get("/s/XXXXXX/status.json").status == 404


def test_dot_voting(base, session, actor):
    phone = joined(base, session)
    items = statements(session)
    closed = phone.get(f"/s/{session['code']}/stemmen")
    assert closed.status == 200 and "nog niet begonnen" in closed.text
    form = {"item": str(items[0]["id"]), "aan": "1"}
    assert_dutch_page(phone.post(f"/s/{session['code']}/stem", form), 409)
    marked = items[:4]
    with store.write() as conn:
        live.set_marked(conn, actor, session["id"], [item["id"] for item in marked])
        live.set_phase(conn, actor, session["id"], "stemmen")
    page = phone.get(f"/s/{session['code']}/stemmen")
    assert page.text.count("Stip zetten") == 4 and "0 van 3 stippen gezet" in page.text
    for item in marked[:3]:
        voted = phone.post(f"/s/{session['code']}/stem", {"item": str(item["id"]), "aan": "1"})
        assert voted.status == 303 and voted.location.endswith(f"#s-{item['id']}")
    page = phone.get(f"/s/{session['code']}/stemmen")
    assert "3 van 3 stippen gezet" in page.text and "Je stippen zijn op" in page.text
    fourth = phone.post(f"/s/{session['code']}/stem", {"item": str(marked[3]["id"]), "aan": "1"})
    assert_dutch_page(fourth, 400)
    assert phone.post(f"/s/{session['code']}/stem", {"item": str(marked[0]["id"]), "aan": "0"}).status == 303
    with store.read() as conn:
        assert live.votes(conn, session["id"]) == {marked[1]["id"]: 1, marked[2]["id"]: 1}
    assert "Naar het stemmen" in phone.get(f"/s/{session['code']}").text


# -- privacy: session tables only, nothing identifying in the log --------------------------------------


def journey(base, session, actor) -> list[str]:
    """A whole participant journey; returns every body the app sent."""
    phone = Phone(base)
    bodies = [phone.get("/").text, phone.get(f"/?code={session['code']}").text]
    bodies.append(phone.get(live.join_path(session)).text)
    bodies.append(phone.get(f"/s/{session['code']}").text)
    bodies.append(phone.post(f"/s/{session['code']}/rol", {"rol": "leraar"}).text)
    items = scan_items(session)
    sections, _final = deelnemen.pages.sections(items)
    for number, section in enumerate(sections, start=1):
        bodies.append(phone.get(f"/s/{session['code']}/t/{number}").text)
        for item in section.items:
            if item["options"]:
                form = {"antwoord": f"{item['id']}:2", "pagina": str(number)}
                bodies.append(phone.post(f"/s/{session['code']}/pagina", form).text)
            else:
                form = {f"tekst-{item['id']}": "prima", "pagina": str(number), "ga": "opslaan"}
                bodies.append(phone.post(f"/s/{session['code']}/pagina", form).text)
    bodies.append(phone.get(f"/s/{session['code']}/klaar").text)
    form = {f"tekst-{item['id']}": "goed" for item in _final} | {"pagina": "klaar", "ga": "inleveren"}
    bodies.append(phone.post(f"/s/{session['code']}/tekst", form).text)
    bodies.append(phone.get(f"/s/{session['code']}/bedankt").text)
    with store.write() as conn:
        live.set_marked(conn, actor, session["id"], [items[0]["id"]])
        live.set_phase(conn, actor, session["id"], "stemmen")
    bodies.append(phone.get(f"/s/{session['code']}/stemmen").text)
    bodies.append(phone.post(f"/s/{session['code']}/stem", {"item": str(items[0]["id"]), "aan": "1"}).text)
    bodies.append(phone.get(f"/s/{session['code']}/status.json").text)
    return bodies


def test_a_whole_journey_touches_only_session_tables(base, session, actor):
    forbidden = {table.name for table in T.metadata.sorted_tables} - SESSION_TABLES
    with store.counting_statements() as sql:
        journey(base, session, actor)
    app_sql = [statement for statement in sql if not statement.lstrip().upper().startswith("PRAGMA")]
    assert len(app_sql) > 20
    for statement in app_sql:
        words = set(re.findall(r'"?([a-z_]+)"?', statement.lower()))
        assert not words & forbidden, statement
    assert count(T.answer) > 20


def test_no_route_returns_student_guardian_or_staff_data(base, session, actor, demo_school):
    with store.read() as conn:
        names = set(conn.execute(select(T.student.c.achternaam)).scalars())
        names |= set(conn.execute(select(T.guardian.c.naam)).scalars())
        names |= set(conn.execute(select(T.staff_member.c.naam)).scalars())
    names = {name for name in names if name and len(name) > 3}
    assert names
    bodies = journey(base, session, actor)
    phone = Phone(base)
    for path in ("/student", "/s/", "/api/students", "/voila/render/Klassen.ipynb", "/s/x/../../etc"):
        bodies.append(phone.get(path).text)
    text = "\n".join(bodies)
    assert not [name for name in names if name in text]


def test_the_log_holds_no_code_secret_or_cookie(base, session, actor, caplog):
    caplog.set_level(logging.DEBUG)
    phone = Phone(base)
    journey(base, session, actor)
    phone.get("/s/XXXXXX")
    phone.post(f"/s/{session['code']}/antwoord", {"item": "x"}, xsrf=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (session["code"], session["secret"], "XXXXXX", "127.0.0.1"):
        assert secret not in logged
    info = [r for r in caplog.records if r.name.startswith(("tornado", "stip")) and r.levelno >= logging.INFO]
    assert not info


def test_the_participant_app_imports_no_other_stip_module():
    """Its code can reach only the live-session service, the store, settings and texts (issue 17)."""
    allowed = {
        "stip",
        "stip.live",
        "stip.kenniskring",
        "stip.store",
        "stip.i18n",
        "stip.config",
        "stip.serve",
    }
    allowed.add("stip.deelnemen")
    for path in (config.REPO_ROOT / "stip" / "deelnemen").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("stip"):
                modules = {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
                assert any(name in allowed for name in modules), (path.name, node.module)
                assert not {f"{node.module}.{a.name}" for a in node.names} & {"stip.store.tables"}
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("stip") or alias.name in allowed, alias.name


# -- the command line: deelnemen alone, and beside `stip serve` -----------------------------------------


def test_start_beside_runs_the_app_as_a_child_and_sets_the_address_for_the_kernels(stip_data, monkeypatch):
    # set (empty = not running) rather than deleted, so monkeypatch removes what start_beside sets: a
    # leaked address made every later Voilà server of the test run think the participant app was running
    monkeypatch.setenv("STIP_DEELNEMERS_URL", "")
    port = free_port()
    child = deelnemen.start_beside("127.0.0.1", port)
    try:
        assert child is not None and child.poll() is None
        assert config.participant_base_url() == f"http://127.0.0.1:{port}"
        assert Phone(f"http://127.0.0.1:{port}").get("/").status == 200
        busy = deelnemen.start_beside("127.0.0.1", port)  # the port is taken now: a Dutch message, no child
        assert busy is None
    finally:
        deelnemen._stop(child)
    assert child.poll() is not None


def test_join_address_names_this_computer_on_the_network():
    assert deelnemen.join_address("127.0.0.1", 8867) == "http://127.0.0.1:8867"
    lan = deelnemen.join_address("0.0.0.0", 8867)
    assert lan.startswith("http://") and lan.endswith(":8867") and "0.0.0.0" not in lan


# -- kenniskring (issue 18): one page, the trainer's current activity ----------------------------------


@pytest.fixture
def kring(actor):
    with store.write() as conn:
        return kenniskring.start(conn, actor, "Kenniskring Noord")


def current_items(kring) -> list[dict]:
    with store.read() as conn:
        return kenniskring.current(conn, kring["id"])["items"]


def test_kenniskring_phone_shows_the_current_activity_and_answers_it(base, kring, actor):
    phone = joined(base, kring)
    code = kring["code"]
    page = phone.get(f"/s/{code}")
    assert "Activiteit 1 van" in page.text and 'src="/volg.js"' in page.text
    assert 'data-stand="0|true|invullen"' in page.text
    statement = current_items(kring)[0]
    assert statement["kind"] == "stelling"
    form = {"antwoord": f"{statement['id']}:eens", f"tekst-{statement['id']}": "Het werkt"}
    saved = phone.post(f"/s/{code}/kk", form)
    assert saved.status == 303 and saved.location == f"/s/{code}#s-{statement['id']}"
    again = phone.get(f"/s/{code}")
    card = again.text.split(f'id="s-{statement["id"]}"')[1].split("</section>")[0]
    assert re.search(rf'value="{statement["id"]}:eens" class="sel" aria-pressed="true"', card)
    assert "Het werkt</textarea>" in card
    assert phone.get(f"/s/{code}/t/1").location == f"/s/{code}"  # no theme pages in a kenniskring
    # The trainer moves on: the old activity is refused (409, a way back), the page shows the tips.
    with store.write() as conn:
        kenniskring.go_next(conn, actor, kring["id"])
    late = phone.post(f"/s/{code}/kk", {**form, "antwoord": f"{statement['id']}:oneens"})
    assert_dutch_page(late, 409)
    assert f'href="/s/{code}"' in late.text
    tips = phone.get(f"/s/{code}")
    assert "Activiteit 2 van" in tips.text and 'data-stand="1|true|invullen"' in tips.text
    status = json.loads(phone.get(f"/s/{code}/status.json").text)
    assert status["current_position"] == 1 and status["answering_open"] is True
    with store.write() as conn:
        kenniskring.close_answering(conn, actor, kring["id"])
    closed = phone.get(f"/s/{code}")
    assert "Antwoorden is nu dicht" in closed.text and " disabled" in closed.text
    tip = current_items(kring)[0]
    assert phone.post(f"/s/{code}/kk", {"antwoord": f"{tip['id']}:doe_ik_al"}).status == 409
    with store.read() as conn:
        assert live.my_answers(conn, kring["id"], phone.cookies[deelnemen.COOKIE][0]) == {
            statement["id"]: {"waarde": "eens", "tekst": "Het werkt"}
        }


def test_kenniskring_intention_can_be_kept_from_the_phone(base, kring, actor):
    phone = joined(base, kring)
    code = kring["code"]
    with store.write() as conn:
        session = live.get_session(conn, kring["id"])
        last = len(kenniskring.activities(session)) - 1
        kenniskring.go_to(conn, actor, kring["id"], last)
    item = current_items(kring)[0]
    assert item["kind"] == "voornemen"
    assert phone.get(f"/s/{code}/voornemen.txt").status == 404
    text = "Elke week één ouder bellen met goed nieuws <b>"
    assert phone.post(f"/s/{code}/kk", {f"tekst-{item['id']}": text, "bewaar": str(item["id"])}).status == 303
    page = phone.get(f"/s/{code}")
    assert "Mail het naar jezelf" in page.text and 'href="mailto:?subject=' in page.text
    assert "&lt;b&gt;</textarea>" in page.text
    kept = phone.get(f"/s/{code}/voornemen.txt")
    assert kept.status == 200 and kept.header("Content-Disposition").startswith("attachment")
    assert text in kept.text
    assert Phone(base).get(f"/s/{code}/voornemen.txt").status == 404  # another phone has none


def test_follow_script_is_served_from_the_app_itself(base):
    script = Phone(base).get("/volg.js")
    assert script.status == 200 and script.header("Content-Type").startswith("text/javascript")
    assert "status.json" not in script.text or "dataset.status" in script.text
    assert "http" not in script.text  # no other host


def test_a_kenniskring_journey_touches_only_session_tables(base, kring, actor):
    forbidden = {table.name for table in T.metadata.sorted_tables} - SESSION_TABLES
    phone = Phone(base)
    with store.counting_statements() as sql:
        phone.get(live.join_path(kring))
        phone.get(f"/s/{kring['code']}")
        for item in current_items(kring):
            form = {"antwoord": f"{item['id']}:eens", f"tekst-{item['id']}": "ja"}
            phone.post(f"/s/{kring['code']}/kk", form)
        phone.get(f"/s/{kring['code']}")
        phone.get(f"/s/{kring['code']}/status.json")
        phone.get(f"/s/{kring['code']}/voornemen.txt")
    app_sql = [statement for statement in sql if not statement.lstrip().upper().startswith("PRAGMA")]
    assert len(app_sql) > 10
    for statement in app_sql:
        assert not set(re.findall(r'"?([a-z_]+)"?', statement.lower())) & forbidden, statement
    assert count(T.answer) == len(current_items(kring))


def test_kenniskring_cases_are_one_form_and_every_typed_answer_is_saved(base, kring, actor):
    with store.write() as conn:
        kenniskring.go_to(conn, actor, kring["id"], 2)
    cases = current_items(kring)
    assert len(cases) >= 2 and all(not item["options"] for item in cases)
    phone = joined(base, kring)
    page = phone.get(f"/s/{kring['code']}")
    assert page.text.count(f'action="/s/{kring["code"]}/kk"') == 1
    empty = {f"tekst-{item['id']}": "" for item in cases}
    nothing = phone.post(f"/s/{kring['code']}/kk", {**empty, "bewaar": str(cases[0]["id"])})
    assert nothing.status == 303 and count(T.participant) == 0
    typed = {**empty, f"tekst-{cases[0]['id']}": "Eerst bellen", f"tekst-{cases[1]['id']}": "Samen plannen"}
    saved = phone.post(f"/s/{kring['code']}/kk", {**typed, "bewaar": str(cases[1]["id"])})
    assert saved.location == f"/s/{kring['code']}#s-{cases[1]['id']}"
    with store.read() as conn:
        mine = live.my_answers(conn, kring["id"], phone.cookies[deelnemen.COOKIE][0])
    assert {item_id: answer["tekst"] for item_id, answer in mine.items()} == {
        cases[0]["id"]: "Eerst bellen",
        cases[1]["id"]: "Samen plannen",
    }
