"""The ouderplan service: priorities and activities, versions, text limits, priorities from a study day."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import insert, select

from stip import ouderplan, store
from stip.store import VersionConflict
from stip.store import tables as T


def make_session(conn, actor, marked_votes: dict[str, int], *, extra=("c.3",)) -> int:
    """A study-day session written straight into the tables: items a.1, b.2 … marked with so many
    dot-votes (each vote from its own participant), plus unmarked items."""
    session_id = conn.execute(
        insert(T.live_session).values(
            school_id=actor.school_id, kind="teamscan", naam="Studiedag", code="ABC234", secret="s" * 20
        )
    ).inserted_primary_key[0]
    keys = [*marked_votes, *extra]
    item_ids = {}
    for position, key in enumerate(keys):
        item_ids[key] = conn.execute(
            insert(T.session_item).values(
                session_id=session_id,
                key=key,
                position=position,
                kind="schaal",
                theme="t",
                tekst=f"Stelling {key}",
                marked=key in marked_votes,
            )
        ).inserted_primary_key[0]
    token = 0
    for key, count in marked_votes.items():
        for _ in range(count):
            token += 1
            pid = conn.execute(
                insert(T.participant).values(session_id=session_id, token=f"tok{token}")
            ).inserted_primary_key[0]
            conn.execute(
                insert(T.priority_vote).values(
                    session_id=session_id, participant_id=pid, item_id=item_ids[key]
                )
            )
    return session_id


def test_priorities_from_session_in_vote_order_and_idempotent(actor):
    with store.write() as conn:
        session_id = make_session(conn, actor, {"a.1": 1, "b.2": 4, "c.9": 2}, extra=("d.4",))
        first = ouderplan.priorities_from_session(conn, actor, session_id)
    assert [p["item_key"] for p in first] == ["b.2", "c.9", "a.1"]
    assert [p["titel"] for p in first] == ["Stelling b.2", "Stelling c.9", "Stelling a.1"]
    with store.write() as conn:
        again = ouderplan.priorities_from_session(conn, actor, session_id)
        plan = ouderplan.priorities(conn, actor)
    assert [p["id"] for p in again] == [p["id"] for p in first]
    assert len(plan) == 3


def test_priorities_from_session_after_a_typed_one_and_a_new_mark(actor):
    with store.write() as conn:
        typed = ouderplan.add_priority(conn, actor, "  Meer informele momenten  ")
        session_id = make_session(conn, actor, {"a.1": 2})
        ouderplan.priorities_from_session(conn, actor, session_id)
        item = conn.execute(select(T.session_item.c.id).where(T.session_item.c.key == "c.3")).scalar_one()
        conn.execute(T.session_item.update().where(T.session_item.c.id == item).values(marked=True))
        ouderplan.priorities_from_session(conn, actor, session_id)
        plan = ouderplan.priorities(conn, actor)
    assert typed["titel"] == "Meer informele momenten"
    assert [p["item_key"] for p in plan] == ["", "a.1", "c.3"]
    assert [p["position"] for p in plan] == [0, 1, 2]


def test_a_session_of_another_school_is_refused(actor):
    with store.write() as conn:
        session_id = make_session(conn, actor, {"a.1": 1})
    other = dataclasses.replace(actor, school_id=actor.school_id + 1)
    with store.write() as conn, pytest.raises(ouderplan.OuderplanError) as refused:
        ouderplan.priorities_from_session(conn, other, session_id)
    assert refused.value.message_key == "ouderplan.session_not_found"


def test_activities_save_with_versions_and_two_pages_never_overwrite(actor):
    with store.write() as conn:
        priority = ouderplan.add_priority(conn, actor, "Startgesprek met elk gezin")
        activity = ouderplan.add_activity(conn, actor, priority["id"])
    assert activity["version"] == 1 and activity["wat"] == ""
    with store.write() as conn:
        version = ouderplan.save_activity(
            conn, actor, activity["id"], {"wat": "Startgesprekken in week 3", "wie": "mentoren"}, 1
        )
    assert version == 2
    with store.write() as conn, pytest.raises(VersionConflict):  # the second page still holds version 1
        ouderplan.save_activity(conn, actor, activity["id"], {"wat": "iets anders"}, 1)
    with store.read() as conn:
        stored = ouderplan.priorities(conn, actor)[0]["activities"][0]
    assert stored["wat"] == "Startgesprekken in week 3" and stored["wie"] == "mentoren"
    assert stored["version"] == 2


def test_priority_title_versions_and_required(actor):
    with store.write() as conn:
        priority = ouderplan.add_priority(conn, actor, "Eerst")
        assert ouderplan.save_priority(conn, actor, priority["id"], {"titel": "Daarna"}, 1) == 2
    with store.write() as conn, pytest.raises(VersionConflict):
        ouderplan.save_priority(conn, actor, priority["id"], {"titel": "Weer"}, 1)
    with store.write() as conn, pytest.raises(ouderplan.OuderplanError) as refused:
        ouderplan.save_priority(conn, actor, priority["id"], {"titel": "   "}, 2)
    assert (refused.value.message_key, refused.value.field) == ("ouderplan.titel_required", "titel")


def test_text_limits_and_one_line_fields(actor):
    with store.write() as conn:
        priority = ouderplan.add_priority(conn, actor, "P")
        activity = ouderplan.add_activity(conn, actor, priority["id"])
    for changes, key, field in (
        ({"wie": "x" * 201}, "validation.too_long", "wie"),
        ({"wanneer": "maart\nnee april"}, "validation.one_line", "wanneer"),
        ({"nodig": "geld\x00"}, "validation.bad_character", "nodig"),
        ({"wat": "w" * 5001}, "validation.too_long", "wat"),
    ):
        with store.write() as conn, pytest.raises(ouderplan.OuderplanError) as refused:
            ouderplan.save_activity(conn, actor, activity["id"], changes, 1)
        assert (refused.value.message_key, refused.value.field) == (key, field)
    with store.write() as conn:  # a note keeps its lines; nothing of the refusals was stored
        assert ouderplan.save_activity(conn, actor, activity["id"], {"nodig": "tijd\r\nruimte"}, 1) == 2
    with store.read() as conn:
        stored = ouderplan.priorities(conn, actor)[0]["activities"][0]
    assert stored["nodig"] == "tijd\nruimte" and stored["wie"] == "" and stored["wat"] == ""


def test_order_move_and_delete(actor):
    with store.write() as conn:
        a, b, c = (ouderplan.add_priority(conn, actor, name) for name in "ABC")
        first = ouderplan.add_activity(conn, actor, b["id"], {"wat": "een"})
        ouderplan.add_activity(conn, actor, b["id"], {"wat": "twee"})
        assert ouderplan.move_priority(conn, actor, c["id"], -1)
        assert not ouderplan.move_priority(conn, actor, a["id"], -1)
    with store.read() as conn:
        plan = ouderplan.priorities(conn, actor)
    assert [p["titel"] for p in plan] == ["A", "C", "B"]
    assert [x["wat"] for x in plan[2]["activities"]] == ["een", "twee"]
    with store.write() as conn:
        assert ouderplan.delete_activity(conn, actor, first["id"])
        assert ouderplan.delete_priority(conn, actor, a["id"])
        assert not ouderplan.delete_priority(conn, actor, a["id"])
    with store.read() as conn:
        plan = ouderplan.priorities(conn, actor)
    assert [p["titel"] for p in plan] == ["C", "B"]
    assert [x["wat"] for x in plan[1]["activities"]] == ["twee"]


def test_one_plan_per_school_year(actor):
    with store.write() as conn:
        from stip import timefmt
        from stip.schools import ensure_school_year

        last = ensure_school_year(
            conn, actor.school_id, timefmt.today().replace(year=timefmt.today().year - 1)
        )
        ouderplan.add_priority(conn, actor, "Vorig jaar", school_year_id=last)
        ouderplan.add_priority(conn, actor, "Dit jaar")
    with store.read() as conn:
        assert [p["titel"] for p in ouderplan.priorities(conn, actor)] == ["Dit jaar"]
        assert [p["titel"] for p in ouderplan.priorities(conn, actor, last)] == ["Vorig jaar"]
        years = ouderplan.school_years(conn, actor)
    assert [y["priorities"] for y in years] == [1, 1]


def test_reading_the_plan_is_two_statements_whatever_its_size(actor):
    with store.write() as conn:
        for n in range(6):
            priority = ouderplan.add_priority(conn, actor, f"P{n}")
            for _ in range(3):
                ouderplan.add_activity(conn, actor, priority["id"])
    with store.read() as conn, store.counting_statements() as statements:
        plan = ouderplan.priorities(conn, actor)
    assert len(plan) == 6 and len(statements) == 2


def test_evaluations_of_earlier_rounds(actor):
    with store.write() as conn:
        session_id = make_session(conn, actor, {"a.1": 1})
        (priority,) = ouderplan.priorities_from_session(conn, actor, session_id)
        ouderplan.add_activity(
            conn, actor, priority["id"], {"wat": "Koffieochtend", "evaluatie": "Goed bezocht"}
        )
        ouderplan.add_priority(conn, actor, "Los")
    with store.read() as conn:
        found = ouderplan.evaluations(conn, actor, [session_id])
    assert [(e["titel"], e["wat"], e["evaluatie"]) for e in found] == [
        ("Stelling a.1", "Koffieochtend", "Goed bezocht")
    ]
