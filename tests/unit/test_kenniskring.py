"""The kenniskring (stip/kenniskring.py): the programme, the steps of the trainer, the phone view,
each activity's aggregation with the minimum group, the report (HTML and PDF), the CSV and the
terugkomsessie; fixed statement counts; only session tables touched."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from stip import kenniskring as K
from stip import live, store
from stip.kenniskring import KenniskringError

SESSION_TABLES = {"live_session", "session_item", "participant", "answer"}


def start(actor, **kwargs):
    kwargs.setdefault("plaats", "Amsterdam")
    kwargs.setdefault("scholen", ["Het Lyceum", "College Oost"])
    with store.write() as conn:
        return K.start(conn, actor, "Kenniskring oktober", date(2026, 10, 8), **kwargs)


def now(session):
    with store.read() as conn:
        return K.current(conn, session["id"])


def step(fn, actor, session, *args):
    with store.write() as conn:
        return fn(conn, actor, session["id"], *args)


def answer(session, token, item_id, waarde="", tekst=""):
    with store.write() as conn:
        K.save_answer(conn, session["id"], token, item_id, waarde, tekst)


def go_to_kind(actor, session, kind):
    programme = K.activities(session)
    position = next(i for i, a in enumerate(programme) if a["kind"] == kind)
    step(K.go_to, actor, session, position)
    return position, now(session)


def results(session, position):
    with store.read() as conn:
        return K.activity_results(conn, session["id"], position)


def test_standard_programme_names_every_source_and_covers_every_kind():
    programme = K.standard_programme()
    assert [a["kind"] for a in programme] == ["stelling", "tip", "casus", "casus", "woordwolk", "voornemen"]
    assert sum(a["minuten"] for a in programme) == 90
    sources = " ".join(a["source"] for a in programme)
    for code in ("(000)", "(001)", "(003)"):
        assert code in sources
    assert all(a["source"] and a["instruction"] and a["items"] for a in programme)
    tips = " ".join(i["tekst"] for i in programme[1]["items"]).lower()
    for word in ("gouden mail", "positief", "grenzen", "startgesprek", "tolk", "doel", "rol"):
        assert word in tips
    names = " ".join(i["tekst"] for i in programme[2]["items"])
    for name in ("Marinka", "Hamit", "Selma", "Bas Jan", "Kirsten"):
        assert name in names


def test_start_keeps_programme_place_and_schools(actor):
    session = start(actor)
    assert session["kind"] == "kenniskring"
    assert session["settings"]["plaats"] == "Amsterdam"
    assert session["settings"]["scholen"] == ["Het Lyceum", "College Oost"]
    state = now(session)
    assert state["position"] == 0 and state["count"] == 6
    assert state["activity"]["key"] == "stellingen"
    assert all(item["theme"] == "stellingen" and item["kind"] == "stelling" for item in state["items"])
    assert state["items"][0]["options"] == ["eens", "oneens", "weet_niet"]
    assert state["answering_open"] is True


def test_own_programme_and_edits(actor):
    session = start(
        actor,
        activities=[
            {"titel": "Onze stellingen", "kind": "stelling", "items": ["A is goed.", "B is beter."]},
            {"titel": "Wat neem je mee", "kind": "woordwolk", "items": ["Eén woord?"]},
        ],
    )
    keys = [a["key"] for a in K.activities(session)]
    assert keys == ["onze_stellingen", "wat_neem_je_mee"]
    step(
        K.add_activity, actor, session, "voornemen", "Mijn voornemen", "Schrijf het op.", ["Wat ga je doen?"]
    )
    step(K.move_activity, actor, session, "wat_neem_je_mee", 1)
    with store.write() as conn:
        K.edit_activity(
            conn, actor, session["id"], "onze_stellingen", titel="Stellingen <b>", instruction="Kies"
        )
        item = K.add_item(conn, actor, session["id"], "onze_stellingen", "C klopt.")
        K.edit_item(conn, actor, session["id"], item["id"], "C klopt altijd.")
    state = now(session)
    assert [a["titel"] for a in K.activities(state["session"])] == [
        "Stellingen <b>",
        "Mijn voornemen",
        "Wat neem je mee",
    ]
    assert [i["tekst"] for i in state["items"]] == ["A is goed.", "B is beter.", "C klopt altijd."]
    assert state["items"][2]["key"] == "onze_stellingen.eigen1"
    step(K.remove_item, actor, session, state["items"][0]["id"])
    step(K.remove_activity, actor, session, "wat_neem_je_mee")
    state = now(session)
    assert len(state["items"]) == 2 and state["count"] == 2
    with pytest.raises(KenniskringError):
        step(K.add_activity, actor, session, "quiz", "Onbekend")
    with pytest.raises(KenniskringError):
        step(K.add_activity, actor, session, "casus", "   ")


def test_steps_at_the_ends_and_answering(actor):
    session = start(actor)
    version = now(session)["live_version"]
    assert step(K.go_previous, actor, session) == 0
    assert now(session)["live_version"] == version  # nothing changed at the start
    assert step(K.go_next, actor, session) == 1
    assert now(session)["live_version"] > version
    step(K.close_answering, actor, session)
    assert now(session)["answering_open"] is False
    step(K.open_answering, actor, session)
    assert now(session)["answering_open"] is True
    step(K.close_answering, actor, session)
    assert step(K.go_next, actor, session) == 2
    assert now(session)["answering_open"] is True  # a new activity opens for answers
    step(K.go_to, actor, session, 99)
    assert now(session)["position"] == 5
    version = now(session)["live_version"]
    assert step(K.go_next, actor, session) == 5
    assert now(session)["live_version"] == version
    assert step(K.go_previous, actor, session) == 4


def test_late_joiner_and_reload_land_on_the_current_activity(actor):
    session = start(actor)
    step(K.go_next, actor, session)
    with store.read() as conn:
        view = K.phone_view(conn, session["id"], "nieuw-token-zonder-antwoorden-0001")
    assert view["activity"]["kind"] == "tip" and view["position"] == 1 and view["mine"] == {}
    assert view["items"][0]["options"][1] == {"value": "wil_ik_proberen", "label": "wil ik proberen"}
    tip = view["items"][0]["id"]
    answer(session, "nieuw-token-zonder-antwoorden-0001", tip, "doe_ik_al")
    with store.read() as conn:
        again = K.phone_view(conn, session["id"], "nieuw-token-zonder-antwoorden-0001")
    assert again["position"] == 1 and again["mine"][tip]["waarde"] == "doe_ik_al"


def test_answers_refused_when_closed_or_not_current(actor):
    session = start(actor)
    first = now(session)["items"][0]["id"]
    token = "token-voor-de-telefoon-000000001"
    step(K.close_answering, actor, session)
    with pytest.raises(live.LiveError) as refused:
        answer(session, token, first, "eens")
    assert refused.value.message_key == "live.answering_closed"
    step(K.open_answering, actor, session)
    answer(session, token, first, "eens", "omdat het werkt")
    answer(session, token, first, "eens", "omdat het werkt")  # a retry is harmless
    step(K.go_next, actor, session)
    with pytest.raises(KenniskringError) as refused:
        answer(session, token, first, "oneens")
    assert refused.value.message_key == "kenniskring.not_current"
    with pytest.raises(live.LiveError):
        answer(session, token, now(session)["items"][0]["id"], "eens")  # not an option of a tip
    with store.write() as conn:
        live.close_session(conn, session["id"])
    with pytest.raises(live.LiveError) as refused:
        answer(session, token, now(session)["items"][0]["id"], "doe_ik_al")
    assert refused.value.message_key == "live.closed"
    with store.read() as conn:
        assert live.my_answers(conn, session["id"], token)[first] == {
            "waarde": "eens",
            "tekst": "omdat het werkt",
        }


def test_stelling_split_and_reasons_only_from_three(actor):
    session = start(actor)
    items = now(session)["items"]
    answer(session, "p1-aaaaaaaaaaaaaaaaaaaaaaa", items[0]["id"], "eens", "Zo begint het gesprek goed")
    answer(session, "p2-aaaaaaaaaaaaaaaaaaaaaaa", items[0]["id"], "oneens")
    hidden = results(session, 0)
    assert hidden["verborgen"] and hidden["deelnemers"] == 2
    assert hidden["items"][0]["antwoorden"] == {"eens": 0, "oneens": 0, "weet_niet": 0}
    assert hidden["items"][0]["redenen"]["eens"] == []
    answer(session, "p3-aaaaaaaaaaaaaaaaaaaaaaa", items[0]["id"], "weet_niet", "hangt ervan af")
    answer(session, "p3-aaaaaaaaaaaaaaaaaaaaaaa", items[1]["id"], "", "alleen een reden")
    shown = results(session, 0)
    assert not shown["verborgen"] and shown["deelnemers"] == 3
    first = shown["items"][0]
    assert first["antwoorden"] == {"eens": 1, "oneens": 1, "weet_niet": 1} and first["n"] == 3
    assert first["redenen"]["eens"] == ["Zo begint het gesprek goed"]
    assert first["redenen"]["weet_niet"] == ["hangt ervan af"]
    assert shown["items"][1]["redenen"][""] == ["alleen een reden"]
    assert shown["items"][1]["n"] == 0


def test_tips_counts_and_pattern(actor):
    session = start(actor)
    position, state = go_to_kind(actor, session, "tip")
    tips = [i["id"] for i in state["items"]]
    plan = {
        "a": ["doe_ik_al", "wil_ik_proberen", "past_niet"],
        "b": ["doe_ik_al", "wil_ik_proberen", "wil_ik_proberen"],
        "c": ["doe_ik_al", "past_niet", "wil_ik_proberen"],
    }
    for person, values in plan.items():
        for tip, value in zip(tips, values, strict=False):
            answer(session, f"{person}-tips-token-00000000000", tip, value)
    result = results(session, position)
    first, second, third = result["items"][:3]
    assert first["antwoorden"] == {"doe_ik_al": 3, "wil_ik_proberen": 0, "past_niet": 0}
    assert first["meeste"] == "doe_ik_al" and second["meeste"] == "wil_ik_proberen"
    assert third["antwoorden"] == {"doe_ik_al": 0, "wil_ik_proberen": 2, "past_niet": 1}
    assert result["patroon"]["doe_ik_al"][0] == tips[0]
    assert set(result["patroon"]["wil_ik_proberen"][:2]) == {tips[1], tips[2]}
    assert result["patroon"]["past_niet"] == []  # 1 of 3: most want to try those two, not "fits least"
    assert result["items"][5]["n"] == 0 and result["items"][5]["meeste"] is None


def test_casus_woordwolk_voornemen(actor):
    session = start(actor)
    position, state = go_to_kind(actor, session, "casus")
    case = state["items"][0]["id"]
    for n, text in enumerate(["Bellen na elk rapport", "<script>x</script>", "Afspraak in juni"]):
        answer(session, f"casus-{n}-token-000000000000", case, tekst=text)
    result = results(session, position)
    assert result["items"][0]["teksten"] == [
        "<script>x</script>",
        "Afspraak in juni",
        "Bellen na elk rapport",
    ]
    position, state = go_to_kind(actor, session, "woordwolk")
    question = state["items"][0]["id"]
    for n, text in enumerate(
        ["Vertrouwen en de ouders", "vertrouwen", "Samen, vertrouwen!", "het samen doen"]
    ):
        answer(session, f"wolk-{n}-token-0000000000000", question, tekst=text)
    cloud = results(session, position)
    assert cloud["woorden"][:2] == [("vertrouwen", 3), ("samen", 2)]
    assert all(word not in dict(cloud["woorden"]) for word in ("de", "en", "het"))
    assert dict(cloud["woorden"])["ouders"] == 1
    position, state = go_to_kind(actor, session, "voornemen")
    intention = state["items"][0]["id"]
    for n in range(3):
        answer(
            session, f"voor-{n}-token-0000000000000", intention, tekst=f"Elke week één positief bericht {n}"
        )
    result = results(session, position)
    assert len(result["items"][0]["teksten"]) == 3
    with store.read() as conn:
        mine = K.voornemen_text(conn, session["id"], "voor-1-token-0000000000000")
        assert "Elke week één positief bericht 1" in mine and "Kenniskring oktober" in mine
        assert K.voornemen_text(conn, session["id"], "voor-9-token-0000000000000") == ""
        link = K.voornemen_mailto(conn, session["id"], "voor-1-token-0000000000000")
        assert link.startswith("mailto:?subject=") and "positief%20bericht%201" in link
        assert K.voornemen_mailto(conn, session["id"], "voor-9-token-0000000000000") == ""


def test_word_frequencies_drop_stop_words_and_count_once_per_answer():
    words = K.word_frequencies(["de ouders de ouders", "Ouders zijn partners", "a b"])
    assert words == [("ouders", 2), ("partners", 1)]


def fill(actor, session, people=3):
    """Answers to every activity from `people` phones."""
    for position, activity in enumerate(K.activities(session)):
        step(K.go_to, actor, session, position)
        items = now(session)["items"]
        for p in range(people):
            token = f"vul-{session['id']}-{p}-token-000000000"
            for index, item in enumerate(items[:3]):
                if activity["kind"] == "stelling":
                    answer(session, token, item["id"], ("eens", "oneens", "eens")[p % 3], f"reden {p}")
                elif activity["kind"] == "tip":
                    answer(session, token, item["id"], K.OPTIONS["tip"][(p + index) % 3])
                else:
                    answer(session, token, item["id"], tekst=f"=SOM(A1) {activity['kind']} {p} <b>vet</b>")


def test_results_report_and_csv_take_fixed_statements(actor):
    counts = []
    for people in (3, 9):
        session = start(actor)
        fill(actor, session, people)
        with store.read() as conn, store.counting_statements() as statements:
            K.all_results(conn, session["id"])
            K.report_html(conn, session["id"])
            K.answers_csv(conn, session["id"])
            K.activity_results(conn, session["id"], 2)
            K.phone_view(conn, session["id"], "x" * 30)
        counts.append(len([s for s in statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))]))
    assert counts[0] == counts[1]


def test_report_holds_every_activity_escaped_and_the_pdf_the_split_and_intentions(actor):
    pypdf = pytest.importorskip("pypdf")
    session = start(actor, scholen=["<b>School</b>"])
    fill(actor, session)
    with store.read() as conn:
        html = K.report_html(conn, session["id"])
        pdf = K.report_pdf(conn, session["id"])
    for activity in K.activities(session):
        assert activity["titel"].replace('"', "&quot;") in html
    assert "<b>vet</b>" not in html and "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "&lt;b&gt;School&lt;/b&gt;" in html
    assert "<svg" in html and 'class="cloud"' in html
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Kenniskring oktober" in text
    assert "oneens" in text and "doe ik al" in text
    assert "=SOM(A1) voornemen 2" in text


def test_csv_neutralises_formulas_and_numbers_participants(actor):
    session = start(actor)
    with store.read() as conn:
        assert K.answers_csv(conn, session["id"]).decode("utf-8-sig").count("\n") == 1  # header only
    fill(actor, session)
    with store.read() as conn:
        data = K.answers_csv(conn, session["id"]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert rows[0] == ["activiteit", "soort", "vraag", "antwoord", "tekst", "deelnemer"]
    assert {row[5] for row in rows[1:]} == {"1", "2", "3"}
    texts = [row[4] for row in rows[1:] if row[4].startswith("'=")]
    assert texts and not any(row[4].startswith("=") for row in rows[1:])
    assert rows[1][0] == "Stellingen om mee te beginnen"


def test_terugkomsessie_compares_per_activity(actor):
    first = start(actor)
    fill(actor, first)
    with pytest.raises(KenniskringError):
        start(actor, previous_id=first["id"] + 1000)
    second = start(actor, previous_id=first["id"])
    fill(actor, second, people=4)
    with store.read() as conn:
        compared = K.compare(conn, second["id"])
    assert compared["eerder"]["id"] == first["id"] and compared["eerder"]["deelnemers"] == 3
    assert compared["nu"]["deelnemers"] == 4
    statements = compared["activities"][0]
    assert statements["key"] == "stellingen"
    assert statements["eerder"]["items"][0]["antwoorden"] == {"eens": 2, "oneens": 1, "weet_niet": 0}
    assert statements["nu"]["items"][0]["antwoorden"] == {"eens": 3, "oneens": 1, "weet_niet": 0}
    with store.read() as conn:
        alone = K.compare(conn, first["id"])
    assert alone["eerder"] is None and all(a["eerder"] is None for a in alone["activities"])


def test_only_session_tables_are_touched(actor):
    session = start(actor)
    token = "alleen-sessietabellen-token-0001"
    with store.counting_statements() as statements:
        with store.write() as conn:
            K.save_answer(conn, session["id"], token, now(session)["items"][0]["id"], "eens")
        with store.read() as conn:
            K.phone_view(conn, session["id"], token)
            K.voornemen_text(conn, session["id"], token)
    tables = set()
    for sql in statements:
        tables |= set(re.findall(r"(?:FROM|JOIN|INTO|UPDATE)\s+\"?(\w+)", sql, re.IGNORECASE))
    tables -= {"SET"}  # ON CONFLICT … DO UPDATE SET
    assert tables and tables <= SESSION_TABLES


def test_module_imports_no_school_records():
    source = open(K.__file__, encoding="utf-8").read()
    for name in ("student", "guardian", "staff_member", "klas"):
        assert not re.search(rf"tables import {name}\b|T\.{name}\b", source)


def test_cli_starts_a_kenniskring_with_the_standard_programme(capsys, stip_data):
    import json

    from stip import cli

    assert cli.main(["sessie", "start", "kenniskring", "--naam", "Kenniskring CLI", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    with store.read() as conn:
        state = K.current(conn, shown["id"])
    assert shown["kind"] == "kenniskring" and state["count"] == 6 and state["items"]


def test_edits_while_running_keep_the_room_on_its_activity(actor):
    session = start(actor)
    step(K.go_to, actor, session, 2)
    current_key = now(session)["activity"]["key"]
    step(
        K.move_activity, actor, session, "stellingen", 3
    )  # an activity before the current one moves after it
    assert now(session)["activity"]["key"] == current_key and now(session)["position"] == 1
    step(K.remove_activity, actor, session, "tips")  # one before the current one goes
    assert now(session)["activity"]["key"] == current_key and now(session)["position"] == 0
    step(K.remove_activity, actor, session, current_key)  # the current one goes: the next one is shown
    state = now(session)
    assert state["position"] == 0 and state["activity"]["key"] == "casus_gesprek"


def test_an_empty_programme(actor):
    session = start(actor, activities=[])
    state = now(session)
    assert state["activity"] is None and state["count"] == 0 and state["items"] == []
    assert step(K.go_next, actor, session) == 0
    with store.read() as conn:
        assert K.phone_view(conn, session["id"], "leeg-" + "a" * 20)["activity"] is None
        assert "<h1>" in K.report_html(conn, session["id"])
        with pytest.raises(KenniskringError):
            K.activity_results(conn, session["id"], 0)
    entry = step(
        K.add_activity, actor, session, "woordwolk", "Eén woord", "Schrijf één woord.", ["Welk woord?"]
    )
    state = now(session)
    assert state["activity"]["key"] == entry["key"] and state["items"][0]["tekst"] == "Welk woord?"
    answer(session, "leeg-" + "b" * 20, state["items"][0]["id"], tekst="samen")


def test_a_tied_tip_is_in_no_pattern_list(actor):
    """Review: with 1/1/1 a tip stood under 'doen de meesten al', 'willen de meesten proberen' and
    'past het minst' at once."""
    session = start(actor)
    position, state = go_to_kind(actor, session, "tip")
    tip = state["items"][0]["id"]
    for person, value in zip("abc", ("doe_ik_al", "wil_ik_proberen", "past_niet"), strict=True):
        answer(session, f"{person}-tie-token-000000000000000", tip, value)
    result = results(session, position)
    assert result["items"][0]["antwoorden"] == {"doe_ik_al": 1, "wil_ik_proberen": 1, "past_niet": 1}
    assert result["patroon"] == {"doe_ik_al": [], "wil_ik_proberen": [], "past_niet": []}


def test_a_statement_only_one_or_two_answered_shows_no_split(actor):
    session = start(actor)
    items = now(session)["items"]
    for person in ("p1", "p2", "p3"):
        answer(session, f"{person}-few-token-000000000000", items[0]["id"], "eens")
    answer(session, "p1-few-token-000000000000", items[1]["id"], "oneens", "Te druk voor")
    answer(session, "p2-few-token-000000000000", items[1]["id"], "eens")
    result = results(session, 0)
    assert not result["verborgen"] and result["items"][0]["antwoorden"]["eens"] == 3
    few = result["items"][1]
    assert few["verborgen"] and few["n"] == 2
    assert few["antwoorden"] == {"eens": 0, "oneens": 0, "weet_niet": 0}
    assert few["redenen"]["oneens"] == [] and "Te druk voor" not in K.activity_html(result)
    assert "nog geen 3 antwoorden" in K.activity_html(result)
    assert "nog geen 3 antwoorden" in K.results_chart(result)
