"""Live sessions (stip/live.py): answers as upserts, refusals, voting, codes, aggregation with the minimum
group, rounds, a fixed number of statements for results, and only session tables touched."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from stip import live, store, teamscan
from stip.live import LiveError
from stip.store import tables as T

SESSION_TABLES = {"live_session", "session_item", "participant", "answer", "priority_vote"}

ITEMS = [
    {"key": "a.1", "kind": "schaal", "theme": "Thema A", "tekst": "Wij doen A.", "source": "Bron A"},
    {"key": "a.2", "kind": "schaal", "theme": "Thema A", "tekst": "Wij doen ook A.", "source": "Bron A"},
    {
        "key": "a.opmerking",
        "kind": "opmerking",
        "theme": "Thema A",
        "tekst": "Toelichting?",
        "source": "Bron A",
    },
    {"key": "b.1", "kind": "schaal", "theme": "Thema B", "tekst": "Wij doen B.", "source": "Bron B"},
    {"key": "open.goed", "kind": "open", "theme": "Tot slot", "tekst": "Wat gaat goed?", "source": "Stip"},
]


def queries(statements):
    """The statements that are not transaction bookkeeping (BEGIN, PRAGMA, COMMIT)."""
    skip = ("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")
    return [s for s in statements if not s.lstrip().upper().startswith(skip)]


def start(actor, items=ITEMS, **kwargs):
    with store.write() as conn:
        return live.start_session(
            conn, actor, "teamscan", "Studiedag", date(2026, 12, 3), items=items, **kwargs
        )


def item_ids(session):
    with store.read() as conn:
        return {item["key"]: item["id"] for item in live.items(conn, session["id"])}


def join(session, token, role=""):
    with store.write() as conn:
        live.participant(conn, session["id"], token, create=True)
        if role:
            live.set_role(conn, session["id"], token, role)


def answer(session, token, item_id, waarde, tekst=""):
    with store.write() as conn:
        live.save_answer(conn, session["id"], token, item_id, waarde, tekst)


def results(session, **kwargs):
    with store.read() as conn:
        return live.results(conn, session["id"], **kwargs)


def by_key(result):
    return {item["key"]: item for item in result["items"]}


def fill(session, answers: dict[str, list[str]], roles=None):
    """answers: token → values for a.1, a.2, b.1 in that order."""
    ids = item_ids(session)
    for index, (token, values) in enumerate(answers.items()):
        join(session, token, (roles or {}).get(token, ""))
        for key, value in zip(("a.1", "a.2", "b.1"), values, strict=True):
            answer(session, token, ids[key], value)
        del index


# ------------------------------------------------------------------------------------------ sessions


def test_start_session_copies_the_standard_scan_and_gives_a_code_and_secret(actor):
    with store.write() as conn:
        session = live.start_session(conn, actor, "teamscan", "Studiedag december")
    assert session["status"] == "open" and session["phase"] == "invullen" and session["live_version"] == 0
    assert re.fullmatch(f"[{live.CODE_ALPHABET}]{{6}}", session["code"])
    assert len(session["secret"]) >= 20
    assert live.join_path(session) == f"/s/{session['code']}?k={session['secret']}"
    with store.read() as conn:
        items = live.items(conn, session["id"])
    assert [i["key"] for i in items] == [i["key"] for i in teamscan.standard_items()]


def test_start_session_refusals(actor):
    with store.write() as conn:
        with pytest.raises(LiveError) as refused:
            live.start_session(conn, actor, "quiz", "X")
        assert refused.value.message_key == "live.unknown_kind"
        with pytest.raises(LiveError) as refused:
            live.start_session(conn, actor, "teamscan", "  ")
        assert refused.value.field == "naam"
        with pytest.raises(LiveError):
            live.start_session(conn, actor, "teamscan", "X" * 300)
        with pytest.raises(LiveError):
            live.start_session(conn, actor, "teamscan", "X", previous_id=999)


def test_items_go_in_with_one_executemany(actor):
    standard = teamscan.standard_items()
    with store.counting_statements() as statements:
        with store.write() as conn:
            live.start_session(conn, actor, "teamscan", "Groot", items=standard)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO SESSION_ITEM")]
    assert len(inserts) == 1


def test_codes_are_unique_unambiguous_and_typed_loosely(actor):
    codes = set()
    with store.write() as conn:
        for n in range(40):
            codes.add(live.start_session(conn, actor, "kenniskring", f"Sessie {n}")["code"])
    assert len(codes) == 40
    assert not set("".join(codes)) & set("0O1IL5S2Z8B")
    code = sorted(codes)[0]
    typed = f" {code[:3].lower()}-{code[3:]} "
    with store.read() as conn:
        assert live.session_by_code(conn, typed)["code"] == code
        assert live.session_by_code(conn, "") is None
        assert live.session_by_code(conn, "QQQQQQ") is None


def test_sessions_newest_first_and_of_one_kind(actor):
    with store.write() as conn:
        first = live.start_session(conn, actor, "teamscan", "Ronde 1", items=[])
        live.start_session(conn, actor, "kenniskring", "Kring")
        second = live.start_session(conn, actor, "teamscan", "Ronde 2", items=[], previous_id=first["id"])
        assert [s["id"] for s in live.sessions(conn, actor, "teamscan")] == [second["id"], first["id"]]
        assert len(live.sessions(conn, actor)) == 3
    assert second["previous_id"] == first["id"]


def test_closed_session_refuses_everything_and_its_code_stops_working(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    with store.write() as conn:
        live.close_session(conn, session["id"])
    with store.write() as conn:
        with pytest.raises(LiveError) as refused:
            live.save_answer(conn, session["id"], "t1", ids["a.1"], "3")
        assert refused.value.message_key == "live.closed"
        with pytest.raises(LiveError):
            live.participant(conn, session["id"], "t2", create=True)
        with pytest.raises(LiveError) as refused:
            live.open_session_by_code(conn, session["code"])
        assert refused.value.message_key == "live.unknown_code"
        assert live.session_by_code(conn, session["code"])["status"] == "gesloten"
    with store.read() as conn:
        assert not live.my_answers(conn, session["id"], "t1")


# ------------------------------------------------------------------------------------------ answers


def test_an_answer_is_an_upsert_and_a_retry_is_harmless(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    answer(session, "t1", ids["a.1"], "2")
    answer(session, "t1", ids["a.1"], "2")  # the retry after a screen lock
    answer(session, "t1", ids["a.1"], "4")  # a changed mind
    with store.read() as conn:
        rows = conn.execute(select(T.answer.c.waarde).where(T.answer.c.item_id == ids["a.1"])).all()
        assert live.my_answers(conn, session["id"], "t1") == {ids["a.1"]: {"waarde": "4", "tekst": ""}}
    assert [r.waarde for r in rows] == ["4"]
    answer(session, "t1", ids["a.1"], "")  # cleared
    with store.read() as conn:
        assert live.my_answers(conn, session["id"], "t1") == {}


def test_every_answer_bumps_live_version_in_the_same_transaction(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    with store.read() as conn:
        before = live.live_version(conn, session["id"])
    with pytest.raises(RuntimeError):
        with store.write() as conn:
            live.save_answer(conn, session["id"], "t1", ids["a.1"], "3")
            raise RuntimeError("the connection drops")
    with store.read() as conn:
        assert live.live_version(conn, session["id"]) == before
        assert live.my_answers(conn, session["id"], "t1") == {}
    answer(session, "t1", ids["a.1"], "3")
    with store.counting_statements() as statements:
        with store.read() as conn:
            assert live.live_version(conn, session["id"]) == before + 1
    assert len(queries(statements)) == 1


def test_refused_answers_store_nothing(actor):
    session = start(actor)
    other = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    cases = [
        ("t1", ids["a.1"], "5", "", "live.bad_value"),
        ("t1", ids["a.1"], "weet niet", "", "live.bad_value"),
        ("t1", ids["open.goed"], "3", "", "live.bad_value"),
        ("t1", item_ids(other)["a.1"], "3", "", "live.item_not_found"),
        ("t1", 99999, "3", "", "live.item_not_found"),
        ("onbekend", ids["a.1"], "3", "", "live.unknown_participant"),
        ("t1", ids["open.goed"], "", "x" * 6000, "validation.too_long"),
        ("t1", ids["open.goed"], "", "a\x00b", "validation.bad_character"),
    ]
    for token, item_id, waarde, tekst, key in cases:
        with store.write() as conn:
            with pytest.raises(LiveError) as refused:
                live.save_answer(conn, session["id"], token, item_id, waarde, tekst)
        assert refused.value.message_key == key, (waarde, tekst[:5])
    with store.write() as conn:
        live.set_item_enabled(conn, actor, session["id"], ids["b.1"], False)
        with pytest.raises(LiveError):
            live.save_answer(conn, session["id"], "t1", ids["b.1"], "3")
    with store.read() as conn:
        assert conn.execute(select(T.answer.c.id)).all() == []


def test_submitting_twice_is_impossible_and_after_submit_nothing_changes(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1", "mentor")
    answer(session, "t1", ids["a.1"], "3")
    with store.write() as conn:
        live.submit(conn, session["id"], "t1")
    for action in (
        lambda conn: live.submit(conn, session["id"], "t1"),
        lambda conn: live.save_answer(conn, session["id"], "t1", ids["a.1"], "1"),
        lambda conn: live.set_role(conn, session["id"], "t1", "leraar"),
    ):
        with store.write() as conn:
            with pytest.raises(LiveError) as refused:
                action(conn)
        assert refused.value.message_key == "live.already_submitted"
    with store.read() as conn:
        assert live.participant(conn, session["id"], "t1") == {
            "id": live.participant(conn, session["id"], "t1")["id"],
            "token": "t1",
            "role": "mentor",
            "submitted": True,
        }
        assert live.my_answers(conn, session["id"], "t1")[ids["a.1"]]["waarde"] == "3"


def test_participant_reload_continues_and_tokens_belong_to_one_session(actor):
    session, other = start(actor), start(actor)
    with store.write() as conn:
        first = live.participant(conn, session["id"], "t1", create=True)
        again = live.participant(conn, session["id"], "t1", create=True)
        assert first == again
        assert live.participant(conn, other["id"], "t1") is None
        with pytest.raises(LiveError):
            live.participant(conn, other["id"], "t1", create=True)
        with pytest.raises(LiveError):
            live.set_role(conn, session["id"], "t1", "conciërge")
        with pytest.raises(LiveError):
            live.participant(conn, session["id"], "", create=True)


def test_no_names_or_timestamps_in_participant_answer_and_vote_rows():
    for table in (T.participant, T.answer, T.priority_vote):
        names = set(table.c.keys())
        assert not {n for n in names if n.endswith("_at") or n in ("naam", "name", "ip", "author_id")}
        assert not [c for c in table.c if "date" in type(c.type).__name__.lower()]
        assert not [c for c in table.c if "time" in type(c.type).__name__.lower()]
    assert set(T.participant.c.keys()) == {"id", "session_id", "token", "role", "submitted"}
    assert set(T.answer.c.keys()) == {"id", "session_id", "participant_id", "item_id", "waarde", "tekst"}


# ------------------------------------------------------------------------------------------ voting


def test_votes_only_in_phase_stemmen_on_marked_items_and_at_most_three(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    with store.write() as conn:
        live.set_marked(conn, actor, session["id"], [ids["a.1"], ids["a.2"], ids["b.1"], ids["open.goed"]])
    with store.write() as conn:
        with pytest.raises(LiveError) as refused:
            live.set_vote(conn, session["id"], "t1", ids["a.1"], True)
    assert refused.value.message_key == "live.not_voting"
    with store.write() as conn:
        live.set_phase(conn, actor, session["id"], "stemmen")
        with pytest.raises(LiveError):
            live.set_phase(conn, actor, session["id"], "feest")
    for key in ("a.1", "a.2", "b.1", "a.1"):  # the second a.1 is a retry
        with store.write() as conn:
            live.set_vote(conn, session["id"], "t1", ids[key], True)
    with store.write() as conn:
        with pytest.raises(LiveError) as refused:
            live.set_vote(conn, session["id"], "t1", ids["open.goed"], True)
    assert refused.value.message_key == "live.too_many_votes"
    with store.write() as conn:
        with pytest.raises(LiveError) as refused:
            live.set_vote(conn, session["id"], "t1", ids["a.opmerking"], True)
    assert refused.value.message_key == "live.not_marked"
    with store.write() as conn:
        live.set_vote(conn, session["id"], "t1", ids["b.1"], False)
        live.set_vote(conn, session["id"], "t1", ids["open.goed"], True)
    with store.read() as conn:
        assert live.my_votes(conn, session["id"], "t1") == {ids["a.1"], ids["a.2"], ids["open.goed"]}
        assert live.votes(conn, session["id"]) == {ids["a.1"]: 1, ids["a.2"]: 1, ids["open.goed"]: 1}
        marked = [i["key"] for i in live.items(conn, session["id"]) if i["marked"]]
    assert marked == ["a.1", "a.2", "b.1", "open.goed"]
    with store.write() as conn:
        with pytest.raises(LiveError):
            live.set_marked(conn, actor, session["id"], list(ids.values()) + [999])


def test_submitted_participants_can_still_vote(actor):
    session = start(actor)
    ids = item_ids(session)
    join(session, "t1")
    with store.write() as conn:
        live.submit(conn, session["id"], "t1")
        live.set_marked(conn, actor, session["id"], [ids["a.1"]])
        live.set_phase(conn, actor, session["id"], "stemmen")
        live.set_vote(conn, session["id"], "t1", ids["a.1"], True)
        assert live.votes(conn, session["id"]) == {ids["a.1"]: 1}


def test_own_items_and_switching_items_off(actor):
    session = start(actor)
    with store.write() as conn:
        first = live.add_item(conn, actor, session["id"], "Wij bellen elk gezin in oktober.", "Thema A")
        second = live.add_item(conn, actor, session["id"], "Wij vieren goed nieuws.", "Eigen")
        with pytest.raises(LiveError):
            live.add_item(conn, actor, session["id"], "  ", "Eigen")
        live.set_item_enabled(conn, actor, session["id"], first["id"], False)
        keys = [i["key"] for i in live.items(conn, session["id"])]
        every = [i["key"] for i in live.items(conn, session["id"], enabled_only=False)]
    assert (first["key"], second["key"]) == ("eigen.1", "eigen.2")
    assert first["options"] == list(live.SCALE)
    assert keys[-1] == "eigen.2" and "eigen.1" not in keys and every[-2:] == ["eigen.1", "eigen.2"]


# ------------------------------------------------------------------------------------------ results


def test_distribution_mean_spread_and_weet_niet_apart(actor):
    session = start(actor)
    fill(
        session,
        {
            "t1": ["1", "3", "weet_niet"],
            "t2": ["4", "3", "weet_niet"],
            "t3": ["1", "3", "2"],
            "t4": ["4", "weet_niet", "weet_niet"],
        },
    )
    result = results(session)
    assert result["deelnemers"] == 4 and not result["verborgen"]
    items = by_key(result)
    assert items["a.1"]["antwoorden"] == {"1": 2, "2": 0, "3": 0, "4": 2, "weet_niet": 0}
    assert items["a.1"]["gemiddelde"] == 2.5 and items["a.1"]["spreiding"] == 1.5
    assert items["a.2"]["antwoorden"] == {"1": 0, "2": 0, "3": 3, "4": 0, "weet_niet": 1}
    assert items["a.2"]["n"] == 3 and items["a.2"]["gemiddelde"] == 3.0 and items["a.2"]["spreiding"] == 0.0
    assert items["b.1"]["n"] == 1 and items["b.1"]["gemiddelde"] == 2.0
    assert items["b.1"]["antwoorden"]["weet_niet"] == 3
    theme_a = next(t for t in result["themes"] if t["theme"] == "Thema A")
    assert theme_a["antwoorden"] == {"1": 2, "2": 0, "3": 3, "4": 2, "weet_niet": 1}
    assert theme_a["gemiddelde"] == round((1 * 2 + 3 * 3 + 4 * 2) / 7, 2)
    assert theme_a["source"] == "Bron A"
    assert result["verdeeld"][0] == items["a.1"]["id"]  # greatest spread first; a.2 (0.0) not at all
    assert items["a.2"]["id"] not in result["verdeeld"]
    assert result["laagst"][0] == items["b.1"]["id"]


def test_open_answers_and_comments_per_theme(actor):
    session = start(actor)
    fill(session, {"t1": ["1", "2", "3"], "t2": ["2", "2", "2"], "t3": ["3", "3", "3"]})
    ids = item_ids(session)
    answer(session, "t2", ids["open.goed"], "", "De startgesprekken.")
    answer(session, "t1", ids["open.goed"], "", "Alle gezinnen gesproken.")
    answer(session, "t3", ids["a.opmerking"], "", "We doen dit al jaren.")
    result = results(session)
    items = by_key(result)
    assert items["open.goed"]["open"] == ["Alle gezinnen gesproken.", "De startgesprekken."]  # sorted
    theme_a = next(t for t in result["themes"] if t["theme"] == "Thema A")
    assert theme_a["opmerkingen"] == ["We doen dit al jaren."]


def test_nothing_is_shown_for_fewer_than_three(actor):
    session = start(actor)
    fill(session, {"t1": ["1", "2", "3"], "t2": ["2", "2", "2"]})
    ids = item_ids(session)
    answer(session, "t1", ids["open.goed"], "", "geheim")
    join(session, "t3")  # joined but no answer yet: not part of the group
    result = results(session)
    assert result["deelnemers"] == 2 and result["aangemeld"] == 3 and result["verborgen"]
    for item in result["items"]:
        assert not any(item["antwoorden"].values()) and item["open"] == [] and item["gemiddelde"] is None
    assert all(not any(t["antwoorden"].values()) and not t["opmerkingen"] for t in result["themes"])
    assert result["verdeeld"] == [] and result["laagst"] == []
    answer(session, "t3", ids["a.1"], "4")
    assert not results(session)["verborgen"]


def test_role_filter_with_minimum_group_also_for_the_rest(actor):
    session = start(actor)
    roles = {"t1": "leraar", "t2": "leraar", "t3": "leraar", "t4": "mentor", "t5": "mentor", "t6": "mentor"}
    fill(
        session,
        {
            "t1": ["1", "1", "1"],
            "t2": ["1", "1", "1"],
            "t3": ["2", "1", "1"],
            "t4": ["4", "4", "4"],
            "t5": ["4", "4", "4"],
            "t6": ["3", "4", "4"],
        },
        roles,
    )
    overall = results(session)
    assert overall["rollen"] == {"leraar": 3, "mentor": 3}
    leraren = results(session, role="leraar")
    assert leraren["deelnemers"] == 3 and not leraren["verborgen"]
    assert by_key(leraren)["a.1"]["antwoorden"] == {"1": 2, "2": 1, "3": 0, "4": 0, "weet_niet": 0}
    assert results(session, role="directie")["verborgen"]
    join(session, "t7", "directie")
    answer(session, "t7", item_ids(session)["a.1"], "2")
    assert results(session, role="directie")["verborgen"]  # a group of one
    # leraren (3) is big enough, but the rest (4) too; mentor (3) + rest (4): shown
    assert not results(session, role="mentor")["verborgen"]
    join(session, "t8", "zorg")
    answer(session, "t8", item_ids(session)["a.1"], "1")
    # 3 mentors of 8: the rest is 5, shown; now take away a role whose rest would be 1 or 2:
    session2 = start(actor)
    fill(
        session2,
        {"u1": ["1", "1", "1"], "u2": ["2", "2", "2"], "u3": ["3", "3", "3"], "u4": ["4", "4", "4"]},
        {"u1": "leraar", "u2": "leraar", "u3": "leraar", "u4": "mentor"},
    )
    # the leraren are 3, but "everyone minus leraren" would show the one mentor's answers
    assert results(session2, role="leraar")["verborgen"]
    assert not results(session2)["verborgen"]


def test_roles_of_fewer_than_three_are_never_named_but_counted_together(actor):
    # Was: "rollen": {"leraar": 4, "directie": 1} — the projector told the room the director took part.
    session = start(actor)
    roles = {"t1": "leraar", "t2": "leraar", "t3": "leraar", "t4": "leraar", "t5": "directie", "t6": "zorg"}
    fill(session, {token: ["1", "2", "3"] for token in roles}, roles)
    assert results(session)["rollen"] == {"leraar": 4}  # directie 1 + zorg 1 = 2: left out, as no role
    assert results(session, role="leraar")["rollen"] == {"leraar": 4}
    join(session, "t7", "oop")
    answer(session, "t7", item_ids(session)["a.1"], "2")
    assert results(session)["rollen"] == {"leraar": 4, live.OTHER_ROLES: 3}  # 1 + 1 + 1, together
    assert live.role_label(live.OTHER_ROLES) == "andere rollen"
    assert results(session, role="directie")["verborgen"]
    for token in ("t8", "t9"):
        join(session, token, "zorg")
    assert results(session)["rollen"] == {"leraar": 4, "zorg": 3}  # directie 1 + oop 1 = 2: left out
    assert live.role_counts({"mentor": 2, "oop": 2, "zorg": 3}) == {"zorg": 3, live.OTHER_ROLES: 4}
    assert live.role_counts({}) == {}


def test_the_projector_role_filter_offers_only_groups_of_at_least_three(actor):
    from widgets.teamscan_results import ResultsPanel, count_html

    session = start(actor)
    roles = {"t1": "leraar", "t2": "leraar", "t3": "leraar", "t4": "directie", "t5": "mentor", "t6": "mentor"}
    fill(session, {token: ["1", "2", "3"] for token in roles}, roles)
    chosen = []
    panel = ResultsPanel(on_role=chosen.append)
    panel.show(results(session))
    assert [value for _label, value in panel.role.options] == ["", "leraar"]
    header = count_html(results(session))
    assert "Leraar 3" in header or "leraar 3" in header
    assert "directie" not in header.lower() and "mentor" not in header.lower()
    panel.role.value = "leraar"
    assert chosen == ["leraar"]
    join(session, "t7", "mentor")
    panel.show(results(session, role="leraar"))  # mentor grows to 3: offered; the chosen filter stays
    assert [value for _label, value in panel.role.options] == ["", "leraar", "mentor"]
    assert panel.role.value == "leraar" and chosen == ["leraar"]


def test_results_statements_are_fixed_for_3_and_200_participants(actor):
    counts = []
    for size in (3, 200):
        session = start(actor, items=teamscan.standard_items())
        with store.read() as conn:
            items = live.items(conn, session["id"])
        scale = [i["id"] for i in items if i["kind"] == "schaal"]
        with store.write() as conn:
            pid_start = (
                conn.execute(select(T.participant.c.id).order_by(T.participant.c.id.desc())).scalar() or 0
            )
            conn.execute(
                T.participant.insert(),
                [
                    {"session_id": session["id"], "token": f"{size}-{n}", "role": "leraar"}
                    for n in range(size)
                ],
            )
            conn.execute(
                T.answer.insert(),
                [
                    {
                        "session_id": session["id"],
                        "participant_id": pid_start + 1 + n,
                        "item_id": item_id,
                        "waarde": live.SCALE[(n + item_id) % 5],
                    }
                    for n in range(size)
                    for item_id in scale
                ],
            )
        with store.counting_statements() as statements:
            with store.read() as conn:
                result = live.results(conn, session["id"])
                live.results(conn, session["id"], role="leraar")
        assert result["deelnemers"] == size
        counts.append(len(queries(statements)))
    assert counts[0] == counts[1] == 10  # five per call


def test_compare_rounds_over_three_rounds(actor):
    first = start(actor)
    fill(first, {"t1": ["1", "1", "1"], "t2": ["2", "1", "1"], "t3": ["1", "1", "weet_niet"]})
    second = start(actor, previous_id=first["id"])
    fill(second, {"u1": ["2", "2", "2"], "u2": ["2", "2", "2"]})  # too few: no means
    third_items = [
        *ITEMS,
        {"key": "c.1", "kind": "schaal", "theme": "Thema C", "tekst": "Nieuw.", "source": ""},
    ]
    third = start(actor, items=third_items, previous_id=second["id"])
    fill(third, {"v1": ["4", "3", "3"], "v2": ["4", "3", "weet_niet"], "v3": ["3", "3", "3"]})
    with store.counting_statements() as statements:
        with store.read() as conn:
            compared = live.compare_rounds(conn, third["id"])
    assert len(queries(statements)) == 4
    assert [r["id"] for r in compared["rounds"]] == [first["id"], second["id"], third["id"]]
    assert [r["deelnemers"] for r in compared["rounds"]] == [3, 2, 3]
    assert compared["rounds"][0]["held_on"] == "2026-12-03"
    items = {i["key"]: i for i in compared["items"]}
    assert items["a.1"]["gemiddelden"] == [1.33, None, 3.67]
    assert items["a.1"]["verschil"] is None  # the round before had too few answers
    assert items["b.1"]["gemiddelden"] == [1.0, None, 3.0]
    assert items["c.1"]["gemiddelden"] == [None, None, None]
    assert [i["key"] for i in compared["items"]][:3] == ["a.1", "a.2", "b.1"]
    themes = {t["theme"]: t["gemiddelden"] for t in compared["themes"]}
    assert themes["Thema A"] == [round(7 / 6, 2), None, round(20 / 6, 2)]
    assert all(t["verschil"] is None for t in compared["themes"])
    with store.read() as conn:
        two = live.compare_rounds(conn, second["id"])
    assert [r["id"] for r in two["rounds"]] == [first["id"], second["id"]]


def test_compare_rounds_verschil_between_the_last_two(actor):
    first = start(actor)
    fill(first, {"t1": ["1", "1", "1"], "t2": ["2", "1", "1"], "t3": ["3", "1", "1"]})
    second = start(actor, previous_id=first["id"])
    fill(second, {"u1": ["3", "2", "1"], "u2": ["3", "2", "1"], "u3": ["3", "2", "1"]})
    with store.read() as conn:
        compared = live.compare_rounds(conn, second["id"])
    items = {i["key"]: i for i in compared["items"]}
    themes = {t["theme"]: t["verschil"] for t in compared["themes"]}
    assert themes == {"Thema A": 1.0, "Thema B": 0.0}  # (1+2+3+1+1+1)/6 = 1.5 → (3*3+2*3)/6 = 2.5
    assert (
        items["a.1"]["verschil"] == 1.0
        and items["a.2"]["verschil"] == 1.0
        and items["b.1"]["verschil"] == 0.0
    )


# ------------------------------------------------------------------------------------------ privacy


def test_a_participant_journey_touches_only_session_tables(actor):
    session = start(actor)
    ids = item_ids(session)
    with store.write() as conn:
        live.set_marked(conn, actor, session["id"], [ids["a.1"]])
    with store.counting_statements() as statements:
        with store.read() as conn:
            found = live.open_session_by_code(conn, session["code"].lower())
            live.items(conn, found["id"])
        join(session, "t1", "oop")
        answer(session, "t1", ids["a.1"], "3")
        answer(session, "t1", ids["a.1"], "3")
        answer(session, "t1", ids["open.goed"], "", "Koffie op vrijdag.")
        with store.read() as conn:
            live.my_answers(conn, session["id"], "t1")
            live.participant(conn, session["id"], "t1")
        with store.write() as conn:
            live.submit(conn, session["id"], "t1")
            live.close_session(conn, session["id"])  # (a facilitator's step, to reach the vote refusal)
        with store.write() as conn:
            with pytest.raises(LiveError):
                live.set_vote(conn, session["id"], "t1", ids["a.1"], True)
        with store.read() as conn:
            live.my_votes(conn, session["id"], "t1")
            live.live_version(conn, session["id"])
            live.results(conn, session["id"])
    tables = set()
    for statement in queries(statements):
        tables |= set(re.findall(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(?!SET\b)\"?(\w+)", statement, re.I))
        assert not re.search(r"student|guardian|staff_member|klas", statement, re.I), statement
    tables -= {"anon_1"}
    assert tables == SESSION_TABLES, tables


def test_live_imports_no_records_of_people():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(live.__file__).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    table_imports = {name.rsplit(".", 1)[1] for name in imported if name.startswith("stip.store.tables.")}
    assert table_imports == SESSION_TABLES
    assert not {name for name in imported if re.search(r"student|guardian|staff|klas", name)}
    allowed = (
        "stip.store",
        "stip.i18n",
        "stip.errors",
        "stip.validation",
        "stip.schools.Actor",
        "stip.teamscan",
    )
    stip_imports = {name for name in imported if name.startswith("stip")}
    assert all(name.startswith(allowed) for name in stip_imports), stip_imports


def test_labels_of_scale_and_roles():
    assert live.scale_label("weet_niet") == "weet ik niet"
    assert live.scale_label("4") == "helemaal mee eens"
    assert live.role_label("oop").startswith("onderwijsondersteunend")
    assert live.role_label("") == "geen rol gekozen"
    assert set(live.ROLE_LABELS) == {*live.ROLES, live.OTHER_ROLES, ""}
    assert teamscan.SCALE == live.SCALE


def test_a_participant_write_is_three_statements_however_big_the_session(actor):
    counts = []
    for size in (1, 60):
        session = start(actor)
        ids = item_ids(session)
        for n in range(size):
            join(session, f"{size}-{n}")
            answer(session, f"{size}-{n}", ids["a.1"], "2")
        with store.counting_statements() as statements:
            answer(session, f"{size}-0", ids["a.2"], "3")
        counts.append(len(queries(statements)))
    assert counts == [3, 3]  # check session + participant + item, upsert, live_version + 1


def test_items_with_their_own_options_count_weet_niet_apart(actor):
    stelling = {
        "key": "stelling.1",
        "kind": "stelling",
        "theme": "Stellingen",
        "tekst": "Een huisbezoek is voor elk gezin goed.",
        "options": ["eens", "oneens", "weet_niet"],
        "source": "Kenniskring",
    }
    session = start(actor, items=[stelling])
    item_id = item_ids(session)["stelling.1"]
    for token, value, reason in (
        ("t1", "eens", ""),
        ("t2", "oneens", "Niet iedereen wil dat."),
        ("t3", "weet_niet", ""),
    ):
        join(session, token)
        answer(session, token, item_id, value, reason)
    with store.write() as conn:
        with pytest.raises(LiveError):
            live.save_answer(conn, session["id"], "t1", item_id, "3")
    shown = by_key(results(session))["stelling.1"]
    assert shown["antwoorden"] == {"eens": 1, "oneens": 1, "weet_niet": 1}
    assert shown["n"] == 2 and shown["gemiddelde"] is None and shown["open"] == ["Niet iedereen wil dat."]
