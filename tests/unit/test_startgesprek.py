"""Startgesprek services on a real migrated SQLite with the demo school: slots, planning, the talk, the plan,
progress, the gouden mail, invitations (.txt/.eml/.zip), conversation sheets (HTML/PDF) and the calendar.

No mocks of Stip. The demo school has 1A (26, mentor Sanne Verhoef) and 2B (25, mentor Rachida Tahiri);
four 1A students have a brother or sister in 2B (shared guardians), Sem van Dijk (1A) has parents who are
informed apart.
"""

from __future__ import annotations

import email
import email.parser
import io
import re
import zipfile
from datetime import date, datetime, time, timedelta
from email import policy

import pytest
from sqlalchemy import func, select

from stip import agenda, gouden_mail, invitations, klassen, planning, sheets, startgesprek, store, texts
from stip.i18n import t
from stip.startgesprek import StartgesprekError
from stip.store import VersionConflict
from stip.store import tables as T

DAY = date(2031, 9, 9)  # a Tuesday
XSS = "<img src=x onerror=alert(1)>"
NOT_PLANNED, CONTACT = "nog niet gepland", "de mentor"


# -- helpers -------------------------------------------------------------------------------------------


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


_KLAS: dict[str, int] = {}


@pytest.fixture(autouse=True)
def _forget_klassen():
    _KLAS.clear()


def klas_id(name: str) -> int:
    """The id of a class (looked up once per test, so it may be called inside a transaction after that)."""
    if name not in _KLAS:
        with store.write() as conn:
            _KLAS[name] = conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()
    return _KLAS[name]


def mentor_of(name: str) -> int:
    with store.write() as conn:
        return conn.execute(select(T.klas.c.mentor_id).where(T.klas.c.name == name)).scalar_one()


def student(roepnaam: str, achternaam: str) -> int:
    with store.write() as conn:
        return conn.execute(
            select(T.student.c.id).where(
                T.student.c.roepnaam == roepnaam, T.student.c.achternaam == achternaam
            )
        ).scalar_one()


def class_ids(actor, name: str) -> list[int]:
    kid = klas_id(name)
    with store.write() as conn:
        return [s["id"] for s in klassen.class_students(conn, actor, kid)]


def make(actor, name: str, start: time, end: time, minutes: int = 20, mentor=None, **kwargs) -> list[dict]:
    """Slots for class `name` on DAY; returns the class's slots as stored."""
    new = planning.make_slots(DAY, start, end, minutes, mentor=mentor, **kwargs)
    kid = klas_id(name)
    with store.write() as conn:
        startgesprek.add_slots(conn, actor, kid, new)
        return startgesprek.slots(conn, actor, kid)


def as_slot(row) -> planning.Slot:
    return planning.Slot(row["starts_at"], row["ends_at"], row["mentor_id"], row["location"])


def planned(actor) -> dict[int, dict]:
    """student id -> slot row, over the whole school."""
    with store.write() as conn:
        rows = (
            conn.execute(
                select(T.conversation.c.student_id, T.slot).join(
                    T.slot, T.slot.c.id == T.conversation.c.slot_id
                )
            )
            .mappings()
            .all()
        )
    return {r["student_id"]: dict(r) for r in rows}


def count(table) -> int:
    with store.write() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def families(actor, ids: list[int]) -> list[dict]:
    with store.write() as conn:
        return startgesprek.family_data(conn, actor, ids)


# -- slots ---------------------------------------------------------------------------------------------


def test_add_slots_refuses_an_overlap_and_stores_nothing_of_that_batch(demo_school, actor):
    rows = make(actor, "1A", time(17), time(18))
    assert [(r["starts_at"], r["ends_at"]) for r in rows] == [
        (at(17), at(17, 20)),
        (at(17, 20), at(17, 40)),
        (at(17, 40), at(18)),
    ]
    assert all(r["mentor_id"] == mentor_of("1A") and r["student_id"] is None for r in rows)

    overlapping = planning.make_slots(DAY, time(17, 50), time(18, 30), 20)  # 17:50 overlaps 17:40-18:00
    with pytest.raises(StartgesprekError) as caught, store.write() as conn:
        startgesprek.add_slots(conn, actor, klas_id("1A"), overlapping)
    assert caught.value.message_key == "startgesprek.slot_overlap"
    assert t(caught.value.message_key, **caught.value.values).startswith("Om 09-09 17:50 is er al")
    assert count(T.slot) == 3

    # Right after the last one fits; another class may use the same times.
    assert len(make(actor, "1A", time(18), time(18, 40))) == 5
    assert len(make(actor, "2B", time(17), time(18))) == 3


def test_breaks_are_honoured(demo_school, actor):
    rows = make(
        actor, "1A", time(17), time(19), 20, breaks=[(time(18), time(18, 15))], location="lokaal 1.12"
    )
    pause = (at(18), at(18, 15))
    assert rows and all(not (r["starts_at"] < pause[1] and pause[0] < r["ends_at"]) for r in rows)
    assert [r["starts_at"].strftime("%H:%M") for r in rows] == ["17:00", "17:20", "17:40", "18:15", "18:35"]
    assert all(r["location"] == "lokaal 1.12" for r in rows)


def test_make_slots_refuses_a_break_outside_the_evening():
    with pytest.raises(planning.PlanningError) as caught:
        planning.make_slots(DAY, time(17), time(19), breaks=[(time(19), time(19, 30))])
    assert caught.value.message_key == "planning.break_outside_day"


# -- assign_slot -----------------------------------------------------------------------------------------


def test_one_family_per_slot_and_unplanning(demo_school, actor):
    rows = make(actor, "1A", time(17), time(18))
    first, second = class_ids(actor, "1A")[:2]
    slot_id = rows[0]["id"]
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, first, slot_id)

    with pytest.raises(StartgesprekError) as caught, store.write() as conn:
        startgesprek.assign_slot(conn, actor, second, slot_id)
    assert caught.value.message_key == "startgesprek.slot_taken"
    assert t("startgesprek.slot_taken").startswith("Deze tijd is net")
    assert {s: r["id"] for s, r in planned(actor).items()} == {first: slot_id}  # nothing changed
    with store.write() as conn:
        assert startgesprek.get_conversation(conn, actor, second)["slot_id"] is None

    # The savepoint keeps the transaction usable after the refusal.
    with store.write() as conn:
        with pytest.raises(StartgesprekError):
            startgesprek.assign_slot(conn, actor, second, slot_id)
        startgesprek.assign_slot(conn, actor, second, rows[1]["id"])
    assert {s: r["id"] for s, r in planned(actor).items()} == {first: slot_id, second: rows[1]["id"]}

    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, first, None)  # unplan: the slot is free again
        assert [r["student_id"] for r in startgesprek.slots(conn, actor, klas_id("1A"))] == [
            None,
            second,
            None,
        ]
        startgesprek.assign_slot(conn, actor, second, slot_id)
        version = startgesprek.get_conversation(conn, actor, first)["version"]
    assert planned(actor)[second]["id"] == slot_id and version >= 2

    with pytest.raises(StartgesprekError) as caught, store.write() as conn:
        startgesprek.assign_slot(conn, actor, first, 999_999)
    assert caught.value.message_key == "startgesprek.slot_not_found"


def test_delete_slot_unplans_the_family_but_keeps_its_conversation(demo_school, actor):
    rows = make(actor, "1A", time(17), time(17, 40))
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, sid, rows[0]["id"])
        startgesprek.delete_slot(conn, actor, rows[0]["id"])
        talk = startgesprek.get_conversation(conn, actor, sid)
    assert talk["slot_id"] is None and talk["slot"] is None and count(T.conversation) == 1


# -- auto_assign -----------------------------------------------------------------------------------------


def test_auto_assign_puts_siblings_back_to_back_without_double_booking(demo_school, actor):
    pairs = {  # 1A student -> the brother or sister in 2B
        student("Yassin", "Amrani"): student("Nora", "Amrani"),
        student("Lotte", "Bakker"): student("Thijs", "Bakker"),
        student("Selam", "Ghebremedhin"): student("Robel", "Ghebremedhin"),
        student("Zofia", "Kowalczyk"): student("Igor", "Kowalczyk"),
    }
    with store.write() as conn:
        for a, b in pairs.items():
            assert b in [o["id"] for o in klassen.siblings(conn, actor, a)]

    # 2B: 17:00-18:00 with the mentor of 2B, the four siblings planned by hand.
    rows_2b = make(actor, "2B", time(17), time(18), 15, mentor=mentor_of("2B"))
    assert len(rows_2b) == 4 and all(r["mentor_id"] == mentor_of("2B") for r in rows_2b)
    with store.write() as conn:
        for row, sibling in zip(rows_2b, pairs.values(), strict=True):
            startgesprek.assign_slot(conn, actor, sibling, row["id"])
    # 1A: the same evening, 16:30-19:00.
    rows_1a = make(actor, "1A", time(16, 30), time(19), 15)
    assert len(rows_1a) == 10

    with store.write() as conn:
        result = startgesprek.auto_assign(conn, actor, klas_id("1A"))
    placed = planned(actor)
    for own, sibling in pairs.items():
        assert own in placed, own
        assert placed[own]["klas_id"] == klas_id("1A")
        assert planning.adjacent(as_slot(placed[own]), as_slot(placed[sibling])), (own, sibling)
    assert result.siblings_adjacent == 4 and result.siblings_apart == 0

    # No double booking: every slot holds at most one family, every 1A slot is used once, the 2B plan stands.
    slot_ids = [r["id"] for r in placed.values()]
    assert len(slot_ids) == len(set(slot_ids)) == 14
    in_1a = [s for s, r in placed.items() if r["klas_id"] == klas_id("1A")]
    assert len(in_1a) == 10 and set(in_1a) <= set(class_ids(actor, "1A"))
    assert set(result.placed) == set(in_1a)  # the placed students of this class, not the 2B anchors
    assert {s: placed[s]["id"] for s in pairs.values()} == {
        sibling: row["id"] for row, sibling in zip(rows_2b, pairs.values(), strict=True)
    }
    assert len(result.unplaced) == 26 - 10
    assert planning.check(result, [*map(as_slot, rows_1a), *map(as_slot, rows_2b)]) == []

    # A second run only fills slots that are free (none): nobody moves, nothing doubles.
    with store.write() as conn:
        again = startgesprek.auto_assign(conn, actor, klas_id("1A"))
    assert again.placed == {} and planned(actor) == placed


def test_auto_assign_fills_free_slots_only(demo_school, actor):
    rows = make(actor, "1A", time(17), time(18))
    first = class_ids(actor, "1A")[-1]
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, first, rows[1]["id"])
        result = startgesprek.auto_assign(conn, actor, klas_id("1A"))
    assert len(result.placed) == 2 and first not in result.placed
    placed = planned(actor)
    assert placed[first]["id"] == rows[1]["id"] and len({r["id"] for r in placed.values()}) == 3


# -- the talk ------------------------------------------------------------------------------------------


def test_save_conversation_with_a_version_guard(demo_school, actor):
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        talk = startgesprek.get_conversation(conn, actor, sid)
    assert talk["version"] == 1 and talk["afspraken"] == [] and talk["plan"] is None
    yesterday = date.today() - timedelta(days=1)
    with store.write() as conn:
        version = startgesprek.save_conversation(
            conn,
            actor,
            sid,
            {"shared_goal": "  Op tijd je huiswerk af  ", "held_on": yesterday, "unknown": "x"},
            talk["version"],
        )
    assert version == 2
    with pytest.raises(VersionConflict), store.write() as conn:
        startgesprek.save_conversation(conn, actor, sid, {"shared_goal": "Anders"}, talk["version"])
    with store.write() as conn:
        talk = startgesprek.get_conversation(conn, actor, sid)
    assert (talk["shared_goal"], talk["held_on"], talk["version"]) == ("Op tijd je huiswerk af", yesterday, 2)

    for changes, field in [
        ({"held_on": date.today() + timedelta(days=1)}, "held_on"),
        ({"collective_info": "misschien"}, "collective_info"),
        ({"buddy": "altijd"}, "buddy"),
    ]:
        with pytest.raises(StartgesprekError) as caught, store.write() as conn:
            startgesprek.save_conversation(conn, actor, sid, changes, 2)
        assert caught.value.field == field
    with store.write() as conn:
        assert startgesprek.get_conversation(conn, actor, sid)["version"] == 2


def test_save_afspraak_needs_wat(demo_school, actor):
    sid = class_ids(actor, "1A")[0]
    for values in ({"wie": "mentor"}, {"wat": "   ", "wie": "mentor"}):
        with pytest.raises(StartgesprekError) as caught, store.write() as conn:
            startgesprek.save_afspraak(conn, actor, sid, None, values)
        assert (caught.value.message_key, caught.value.field) == ("afspraken.needs_wat", "wat")
    assert count(T.afspraak) == 0

    with store.write() as conn:
        new_id, version = startgesprek.save_afspraak(
            conn, actor, sid, None, {"wat": " Elke vrijdag planner checken ", "wie": "mentor"}
        )
        assert version == 1
        with pytest.raises(StartgesprekError):  # emptying "wat" of an existing one is refused too
            startgesprek.save_afspraak(conn, actor, sid, new_id, {"wat": ""}, version)
        assert startgesprek.save_afspraak(conn, actor, sid, new_id, {"status": "gedaan"}, 1) == (new_id, 2)
        with pytest.raises(VersionConflict):
            startgesprek.save_afspraak(conn, actor, sid, new_id, {"wie": "ouders"}, 1)
        stored = startgesprek.afspraken(conn, actor, sid)
    assert [(a["wat"], a["wie"], a["status"]) for a in stored] == [
        ("Elke vrijdag planner checken", "mentor", "gedaan")
    ]


def test_save_plan_keeps_only_known_vormen_in_a_fixed_order(demo_school, actor):
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        version = startgesprek.save_plan(
            conn,
            actor,
            sid,
            {"vormen": ["app", "telefoon", "app", "gesprek op school"], "initiatief": "samen"},
            None,
        )
        plan = startgesprek.get_plan(conn, actor, sid)
    assert version == 1
    assert plan["vormen"] == ["gesprek op school", "telefoon", "app"]  # the order of VORMEN, once each
    assert plan["initiatief"] == "samen"

    with pytest.raises(StartgesprekError) as caught, store.write() as conn:
        startgesprek.save_plan(conn, actor, sid, {"vormen": ["telefoon", "duifpost"]}, 1)
    assert caught.value.field == "vormen"
    with pytest.raises(StartgesprekError) as caught, store.write() as conn:
        startgesprek.save_plan(conn, actor, sid, {"initiatief": "niemand"}, 1)
    assert caught.value.field == "initiatief"
    with store.write() as conn:
        assert startgesprek.get_plan(conn, actor, sid)["vormen"] == ["gesprek op school", "telefoon", "app"]
        assert startgesprek.save_plan(conn, actor, sid, {"vormen": ["huisbezoek", "mail"]}, 1) == 2
        assert startgesprek.get_plan(conn, actor, sid)["vormen"] == ["mail", "huisbezoek"]
        with pytest.raises(VersionConflict):
            startgesprek.save_plan(conn, actor, sid, {"momenten": "maart"}, 1)


# -- progress ------------------------------------------------------------------------------------------


def test_progress_per_class_and_school_wide(demo_school, actor):
    ids_1a, ids_2b = class_ids(actor, "1A"), class_ids(actor, "2B")
    rows = make(actor, "1A", time(17), time(18))
    yesterday = date.today() - timedelta(days=1)
    with store.write() as conn:
        startgesprek.mark_invited(conn, actor, ids_1a[:5], "email")
        startgesprek.mark_invited(conn, actor, ids_2b[:1], "brief")
        for sid, row in zip(ids_1a[:3], rows, strict=True):
            startgesprek.assign_slot(conn, actor, sid, row["id"])
        for sid, goal, wish in [(ids_1a[0], "Rustig leren plannen", "ja"), (ids_1a[1], "", "ja")]:
            version = startgesprek.get_conversation(conn, actor, sid)["version"]
            startgesprek.save_conversation(
                conn,
                actor,
                sid,
                {"held_on": yesterday, "shared_goal": goal, "collective_info": wish},
                version,
            )
        version = startgesprek.get_conversation(conn, actor, ids_2b[0])["version"]
        startgesprek.save_conversation(conn, actor, ids_2b[0], {"collective_info": "weet nog niet"}, version)
        startgesprek.save_plan(conn, actor, ids_1a[0], {"vormen": ["telefoon"]}, None)
        startgesprek.save_plan(conn, actor, ids_1a[2], {"momenten": "maart"}, None)  # a plan without vormen
        gouden_mail.save(
            conn,
            actor,
            ids_1a[0],
            {"positief": "Hielp een klasgenoot.", "vragen": ["ouders-trots-waarop"], "status": "verstuurd"},
            None,
        )

        klas = startgesprek.progress(conn, actor, klas_id("1A"))
        school = startgesprek.progress(conn, actor)
        other = startgesprek.progress(conn, actor, klas_id("2B"))
        names = {
            s["id"]: klassen.full_name(s["roepnaam"], s["tussenvoegsel"], s["achternaam"])
            for s in klassen.class_students(conn, actor, klas_id("1A"))
        }

    assert (klas.students, klas.invited, klas.planned, klas.held, klas.goal, klas.plan) == (26, 5, 3, 2, 1, 1)
    assert klas.gouden_mail_sent == 1
    assert len(klas.without_talk) == 24
    assert {f["id"] for f in klas.without_talk} == set(ids_1a) - set(ids_1a[:2])
    assert all(f["klas"] == "1A" and f["naam"] == names[f["id"]] for f in klas.without_talk)
    assert klas.collective == {"ja": 2}

    assert (school.students, school.invited, school.planned, school.held) == (51, 6, 3, 2)
    assert len(school.without_talk) == 49 and {f["klas"] for f in school.without_talk} == {"1A", "2B"}
    assert school.collective == {"ja": 2, "weet nog niet": 1}
    assert (other.students, other.invited, other.held, other.collective) == (25, 1, 0, {"weet nog niet": 1})

    assert startgesprek.state_label_key(None) == "startgesprek.state_none"
    assert startgesprek.state_label_key({"slot_id": 1}) == "startgesprek.state_planned"
    assert (
        startgesprek.state_label_key({"invited_at": yesterday, "slot_id": 1}) == "startgesprek.state_invited"
    )
    assert startgesprek.state_label_key({"slot_id": 1, "held_on": yesterday}) == "startgesprek.state_held"


# -- gouden mail ---------------------------------------------------------------------------------------


def test_gouden_mail_save_rules(demo_school, actor):
    sid = class_ids(actor, "1A")[0]
    with pytest.raises(gouden_mail.GoudenMailError) as caught, store.write() as conn:
        gouden_mail.save(conn, actor, sid, {"status": "klaar"}, None)
    assert (caught.value.message_key, caught.value.field) == ("gouden_mail.needs_positief", "positief")
    assert count(T.gouden_mail) == 0

    with store.write() as conn:
        version = gouden_mail.save(
            conn,
            actor,
            sid,
            {
                "positief": "  Hij hielp een nieuwe klasgenoot.  ",
                "vragen": ["ouders-trots-waarop", "bestaat-niet"],
            },
            None,
        )
        record = gouden_mail.get(conn, actor, sid)
    assert version == 1
    assert (record["positief"], record["vragen"], record["status"]) == (
        "Hij hielp een nieuwe klasgenoot.",
        ["ouders-trots-waarop"],
        "concept",
    )
    assert record["sent_at"] is None

    with store.write() as conn:
        assert gouden_mail.save(conn, actor, sid, {"status": "klaar"}, 1) == 2
        with pytest.raises(gouden_mail.GoudenMailError) as caught:
            gouden_mail.save(conn, actor, sid, {"positief": " ", "status": "klaar"}, 2)
        assert caught.value.field == "positief"
        with pytest.raises(gouden_mail.GoudenMailError) as caught:
            gouden_mail.save(conn, actor, sid, {"status": "weg"}, 2)
        assert caught.value.field == "status"
        with pytest.raises(gouden_mail.GoudenMailError) as caught:
            gouden_mail.save(
                conn, actor, sid, {"vragen": [q["id"] for q in gouden_mail.question_bank()][:7]}, 2
            )
        assert caught.value.message_key == "gouden_mail.too_many_questions"
        assert gouden_mail.save(conn, actor, sid, {"status": "verstuurd"}, 2) == 3
        with pytest.raises(VersionConflict):
            gouden_mail.save(conn, actor, sid, {"positief": "Anders"}, 2)
        record = gouden_mail.get(conn, actor, sid)
        states = {s["id"]: s["gouden_mail"] for s in gouden_mail.class_states(conn, actor, klas_id("1A"))}
    assert record["status"] == "verstuurd" and record["sent_at"] is not None
    assert states[sid] == "verstuurd" and sum(v == "" for v in states.values()) == 25


def test_gouden_mail_render_fills_every_placeholder(demo_school, actor):
    sid = student("Yousef", "Alkhatib")
    rows = make(actor, "1A", time(19, 20), time(19, 40))
    family = families(actor, [sid])[0]
    for record in (None, {"positief": "", "vragen": []}):
        [mail] = gouden_mail.render(family, record, NOT_PLANNED)
        assert "{" not in mail["subject"] + mail["body"] and "}" not in mail["body"]
        assert mail["subject"] == "Iets moois over Yousef"
        assert NOT_PLANNED in mail["body"] and "…" in mail["body"]
        assert "Vragen voor" not in mail["body"] and "\n\n\n" not in mail["body"]  # no empty group
        assert mail["to"] == ["h.alkhatib@example.org", "o.alkhatib@example.org"]

    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, sid, rows[0]["id"])
    family = families(actor, [sid])[0]
    record = {
        "positief": "Yousef hielp met opruimen.",
        "vragen": ["ouders-trots-waarop", "leerling-trots-goed"],
    }
    body = gouden_mail.render(family, record, NOT_PLANNED)[0]["body"]
    assert "{" not in body and "Beste Huda Alkhatib en Omar Alkhatib," in body
    assert "Yousef hielp met opruimen." in body
    assert (
        "- Waar bent u trots op bij uw kind?" in body
        and "- Wat kun je goed, op school of daarbuiten?" in body
    )
    assert "op dinsdag 9 september om 19:20" in body and "Sanne Verhoef" in body and NOT_PLANNED not in body


# -- invitations ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", invitations.CHANNELS)
def test_every_default_invitation_is_filled_for_every_family(demo_school, actor, channel):
    rows = make(actor, "1A", time(17), time(18))
    ids = class_ids(actor, "1A")
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, ids[0], rows[0]["id"])
        template = invitations.get_template(conn, actor, channel)
    assert template["custom"] is False and template["version"] is None
    for family in families(actor, ids):
        for invitation in invitations.render(template, family, NOT_PLANNED, CONTACT):
            text = invitation["subject"] + invitation["body"]
            assert "{" not in text and "}" not in text, (channel, family["naam"])
            assert family["roepnaam"] in invitation["body"]
            assert (family["slot"] is None) == (NOT_PLANNED in invitation["body"])
    first = invitations.render(template, families(actor, ids[:1])[0], NOT_PLANNED, CONTACT)[0]
    assert "17:00" in first["body"] and "dinsdag 9 september" in first["body"]


def test_parents_informed_apart_get_one_invitation_each(demo_school, actor):
    sem = student("Sem", "Dijk")
    family = families(actor, [sem])[0]
    assert [g["apart_informeren"] for g in family["guardians"]] == [True, True]
    rendered = invitations.render(invitations.defaults("email"), family, NOT_PLANNED, CONTACT)
    assert [(i["to"], i["names"]) for i in rendered] == [
        (["m.smit@example.org"], "Marloes Smit"),
        (["j.vandijk@example.org"], "Jeroen van Dijk"),
    ]
    assert rendered[0]["body"].startswith("Beste Marloes Smit en Sem,")
    assert "Jeroen" not in rendered[0]["body"] and "Marloes" not in rendered[1]["body"]

    together = invitations.render(
        invitations.defaults("email"),
        families(actor, [student("Yousef", "Alkhatib")])[0],
        NOT_PLANNED,
        CONTACT,
    )
    assert len(together) == 1 and together[0]["to"] == ["h.alkhatib@example.org", "o.alkhatib@example.org"]
    assert invitations.names(["A"]) == "A" and invitations.names(["A", "B", "C"]) == "A, B en C"


def test_as_eml_parses_back_as_an_unsent_utf8_draft(demo_school, actor):
    family = families(actor, [student("Yousef", "Alkhatib")])[0]
    template = {
        "subject": "Uitnodiging café-avond {roepnaam}",
        "body": "Beste {ouders},\nTot ziens in het café.\n{mentor}",
    }
    invitation = invitations.render(template, family, NOT_PLANNED, CONTACT)[0]
    data = invitations.as_eml(invitation, "s.verhoef@voorbeeldschool.example")
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["To"] == "h.alkhatib@example.org, o.alkhatib@example.org"
    assert message["From"] == "s.verhoef@voorbeeldschool.example"
    assert message["Subject"] == "Uitnodiging café-avond Yousef"
    assert message["X-Unsent"] == "1"
    assert message.get_content_charset() == "utf-8"
    body = message.get_content()
    assert "Tot ziens in het café." in body and "Sanne Verhoef" in body and "{" not in body
    assert "From" not in email.message_from_bytes(invitations.as_eml(invitation), policy=policy.default)


def test_class_zip_holds_one_eml_per_invitation(demo_school, actor):
    template = invitations.defaults("email")
    items = [
        (family["naam"], invitation)
        for family in families(actor, class_ids(actor, "1A"))
        for invitation in invitations.render(template, family, NOT_PLANNED, CONTACT)
    ]
    assert len(items) == 27  # 26 families, Sem's parents apart
    archive = zipfile.ZipFile(io.BytesIO(invitations.class_zip(items, "mentor@example.org")))
    names = archive.namelist()
    assert len(names) == len(set(names)) == 27 and all(n.endswith(".eml") for n in names)
    assert "Sem-van-Dijk.eml" in names and "Sem-van-Dijk-2.eml" in names
    subjects = {}
    for name in names:
        message = email.message_from_bytes(archive.read(name), policy=policy.default)
        assert message["X-Unsent"] == "1" and message["From"] == "mentor@example.org"
        # A long subject is folded onto the next line as a whole (RFC 5322 allows it); mail programs drop the
        # leading space that unfolding leaves, so compare without it.
        subjects[name] = message["Subject"].strip()
    assert all(s.startswith("Uitnodiging startgesprek ") and "{" not in s for s in subjects.values())
    assert (
        subjects["Sem-van-Dijk.eml"] == "Uitnodiging startgesprek Sem: nog niet gepland om nog niet gepland"
    )


def test_save_template_refuses_an_unknown_placeholder(demo_school, actor):
    with pytest.raises(texts.TemplateError) as caught, store.write() as conn:
        invitations.save_template(conn, actor, "email", "Hallo {roepnaam}", "Beste {onbekend},", None)
    assert caught.value.message_key == "texts.unknown_placeholder"
    assert str(caught.value).startswith("Dit invulveld kent Stip niet: {onbekend}. Je kunt kiezen uit:")
    assert count(T.text_template) == 0

    with store.write() as conn:
        assert (
            invitations.save_template(conn, actor, "email", "Hallo {roepnaam}", "Beste {ouders},", None) == 1
        )
        mine = invitations.get_template(conn, actor, "email")
        assert mine == {
            "subject": "Hallo {roepnaam}",
            "body": "Beste {ouders},",
            "version": 1,
            "custom": True,
        }
        assert invitations.get_template(conn, actor, "brief")["custom"] is False
        with pytest.raises(texts.TemplateError):
            invitations.save_template(conn, actor, "email", "{ roepnaam }", "x", 1)
        assert invitations.save_template(conn, actor, "email", "Hoi", "Beste {ouders}!", 1) == 2
        with pytest.raises(VersionConflict):
            invitations.save_template(conn, actor, "email", "Hoi", "Oud", 1)
        invitations.reset_template(conn, actor, "email")
        assert invitations.get_template(conn, actor, "email") == {
            **invitations.defaults("email"),
            "version": None,
            "custom": False,
        }


# -- sheets --------------------------------------------------------------------------------------------


def test_sheets_html_escapes_names(demo_school, actor):
    with store.write() as conn:
        sid, _version = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "999", "roepnaam": XSS, "achternaam": "Test"}, klas="1A"
        )
    family = families(actor, [sid])[0]
    html = sheets.sheets_html([family])
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert html.startswith("<!DOCTYPE html>") and html.count('<section class="sheet">') == 1


def test_sheet_pdf_holds_the_students_name(demo_school, actor):
    pypdf = pytest.importorskip("pypdf")
    rows = make(actor, "1A", time(17), time(17, 20), location="lokaal 1.12")
    sid = student("Yousef", "Alkhatib")
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, sid, rows[0]["id"])
    html = sheets.sheets_html(families(actor, [sid, student("Lotte", "Bakker")]))
    pdf = sheets.to_pdf(html)
    assert pdf.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # one page per student
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Startgesprek met Yousef Alkhatib" in first
    assert "dinsdag 9 september om 17:00, lokaal 1.12" in first
    assert "Lotte Bakker" in reader.pages[1].extract_text()


# -- calendar ------------------------------------------------------------------------------------------


def test_ics_of_a_planned_class_has_one_event_per_planned_talk(demo_school, actor):
    icalendar = pytest.importorskip("icalendar")
    rows = make(actor, "1A", time(17), time(18, 20), location="lokaal 1.12")
    with store.write() as conn:
        startgesprek.auto_assign(conn, actor, klas_id("1A"))
        startgesprek.assign_slot(
            conn, actor, startgesprek.slots(conn, actor, klas_id("1A"))[1]["student_id"], None
        )
        booked = [r for r in startgesprek.slots(conn, actor, klas_id("1A")) if r["student_id"]]
        by_id = {f["id"]: f for f in startgesprek.family_data(conn, actor, [r["student_id"] for r in booked])}
    assert len(rows) == 4 and len(booked) == 3
    events = [
        agenda.CalendarEvent(
            uid=f"stip-slot-{r['id']}@stip",
            start=r["starts_at"],
            end=r["ends_at"],
            summary=t("startgesprek.ics_summary", naam=by_id[r["student_id"]]["naam"], klas="1A"),
            location=r["location"],
        )
        for r in booked
    ]
    calendar = icalendar.Calendar.from_ical(agenda.to_ics(events, "Startgesprekken 1A"))
    parsed = calendar.walk("VEVENT")
    assert len(parsed) == len(booked)
    assert [str(e["UID"]) for e in parsed] == [f"stip-slot-{r['id']}@stip" for r in booked]
    for event, row in zip(parsed, booked, strict=True):
        start = event.decoded("DTSTART")
        assert start.replace(tzinfo=None) == row["starts_at"] and str(start.tzinfo) == "Europe/Amsterdam"
        assert str(event["LOCATION"]) == "lokaal 1.12"
        assert str(event["SUMMARY"]) == f"Startgesprek {by_id[row['student_id']]['naam']} (1A)"
    assert re.search(rb"TZID:Europe/Amsterdam", agenda.to_ics(events))


def test_gouden_mail_for_parents_informed_apart_is_one_mail_each(demo_school, actor):
    sid = student("Sem", "Dijk")
    [family] = families(actor, [sid])
    mails = gouden_mail.render(family, None, NOT_PLANNED)
    assert len(mails) == 2
    assert [len(m["to"]) for m in mails] == [1, 1]
    assert mails[0]["to"] != mails[1]["to"]
    assert all(m["names"] in m["body"] for m in mails)


def test_a_template_stored_meanwhile_in_another_tab_is_a_conflict_not_a_crash(demo_school, actor):
    from stip.store import VersionConflict

    body = "Beste {ouders},\nTot {datum}.\n{mentor}"
    with store.write() as conn:
        invitations.save_template(conn, actor, "app", "", body, None)
    with pytest.raises(VersionConflict), store.write() as conn:
        invitations.save_template(conn, actor, "app", "", body + "!", None)  # the other tab saw no template


def test_placing_in_a_slot_that_changed_meanwhile_is_a_conflict(demo_school, actor):
    from stip.store import VersionConflict

    rows = make(actor, "1A", time(19, 20), time(19, 40))
    lotte, yousef = student("Lotte", "Bakker"), student("Yousef", "Alkhatib")
    with store.write() as conn:
        startgesprek.place_in_slot(conn, actor, rows[0]["id"], None, lotte)  # tab 1
    with pytest.raises(VersionConflict), store.write() as conn:
        startgesprek.place_in_slot(conn, actor, rows[0]["id"], None, yousef)  # tab 2 still showed it free
    with store.write() as conn:
        assert startgesprek.slots(conn, actor, rows[0]["klas_id"])[0]["student_id"] == lotte


def test_a_mentor_of_two_classes_cannot_hold_two_talks_at_once(demo_school, actor):
    from sqlalchemy import update

    with store.write() as conn:
        one_a, two_b = (
            conn.execute(select(T.klas.c.id).where(T.klas.c.name == n)).scalar_one() for n in ("1A", "2B")
        )
        conn.execute(
            update(T.klas)
            .where(T.klas.c.id == two_b)
            .values(mentor_id=select(T.klas.c.mentor_id).where(T.klas.c.id == one_a).scalar_subquery())
        )
    make(actor, "1A", time(19, 0), time(20, 0))
    with pytest.raises(startgesprek.StartgesprekError) as refused:
        make(actor, "2B", time(19, 40), time(20, 40))
    assert refused.value.message_key == "startgesprek.slot_overlap_mentor"
    make(actor, "2B", time(20, 0), time(21, 0))  # right after: fine


# -- parent texts (issue 14 §3) and protected contact details (§5) ------------------------------------


def invite(actor, sid: int, channel: str = "email") -> list[dict]:
    """The default invitation of one family, with brothers and sisters, as the invite panel makes it."""
    with store.read() as conn:
        [family] = invitations.families(conn, actor, [sid])
    return invitations.render(invitations.defaults(channel), family, NOT_PLANNED, CONTACT)


def add_guardian(sids: list[int], naam: str, email: str, telefoon: str, **values) -> int:
    """A guardian linked to every student in `sids` (siblings sharing this guardian)."""
    with store.write() as conn:
        school = conn.execute(select(T.student.c.school_id).where(T.student.c.id == sids[0])).scalar_one()
        gid = conn.execute(
            T.guardian.insert().values(school_id=school, naam=naam, email=email, telefoon=telefoon, **values)
        ).inserted_primary_key[0]
        for sid in sids:
            conn.execute(
                T.student_guardian.insert().values(student_id=sid, guardian_id=gid, relatie="moeder")
            )
    return gid


@pytest.mark.parametrize("channel", invitations.CHANNELS)
def test_an_invitation_invites_everyone_says_what_to_do_and_how_long(demo_school, actor, channel):
    rows = make(actor, "1A", time(19), time(19, 50), minutes=25, location="lokaal 1.12")
    yousef = student("Yousef", "Alkhatib")
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, yousef, rows[0]["id"])
    with store.read() as conn:
        [family] = invitations.families(conn, actor, [yousef])
    template = invitations.defaults(channel)
    unknown = {**family, "school_adres": "", "mentor_telefoon": ""}  # before Instellingen is filled in
    body = invitations.render(template, unknown, NOT_PLANNED, CONTACT)[0]["body"]
    assert "u en Yousef uit" in body and "Komt u? Stuur" in body
    assert "25 minuten" in body and "20 minuten" not in body and "ongeveer" not in body
    assert "niets mis" not in body and "welkom" in body
    assert "Spreekt u liever een andere taal?" in body  # no interpreter asked for: the offer stands
    assert "Adres:" not in body and "andere ouder" not in body and "\n\n\n" not in body
    assert "bericht naar s.verhoef@voorbeeldschool.example.\n" in body  # only the e-mail address
    assert texts.readability(body).level == "B1"

    known = {**family, "school_adres": "Schoolstraat 1, Utrecht", "mentor_telefoon": "06-1111 2222"}
    body = invitations.render(template, known, NOT_PLANNED, CONTACT)[0]["body"]
    assert "s.verhoef@voorbeeldschool.example of 06-1111 2222" in body
    assert ("Adres: Schoolstraat 1, Utrecht" in body) == (channel != "app")


@pytest.mark.parametrize("channel", invitations.CHANNELS)
def test_a_family_that_needs_an_interpreter_reads_that_one_will_be_there_in_their_language(
    demo_school, actor, channel
):
    imane = student("Imane", "Bouali")
    with store.read() as conn:
        [family] = invitations.families(conn, actor, [imane])
    assert invitations.interpreter_languages(family["guardians"]) == ["Berbers (Tamazight)"]
    assert invitations.guardians_line(family["guardians"]) == (
        "Khadija Bouali (tolk Berbers (Tamazight)), Said Bouali"
    )
    [letter] = invite(actor, imane, channel)
    assert "Er is een tolk Berbers (Tamazight) bij het gesprek." in letter["body"]
    assert "Spreekt u liever" not in letter["body"] and "Wilt u een tolk" not in letter["body"]
    # "tolk nodig" without a known language: the interpreter is still promised, nothing is asked
    no_language = [{**g, "taal": ""} for g in family["guardians"]]
    assert invitations.interpreter_languages(no_language) == []
    body = invitations.render(
        invitations.defaults(channel), {**family, "guardians": no_language}, NOT_PLANNED, CONTACT
    )[0]["body"]
    assert "Er is een tolk bij het gesprek." in body and "Spreekt u liever" not in body


def test_the_sheet_shows_the_language_the_compliment_and_every_source(demo_school, actor):
    imane = student("Imane", "Bouali")
    with store.write() as conn:
        gouden_mail.save(
            conn, actor, imane, {"positief": "Imane hielp een nieuwe klasgenoot <op weg>."}, None
        )
    [family] = families(actor, [imane])
    html = sheets.sheets_html([family])
    assert "Khadija Bouali (tolk Berbers (Tamazight))" in html
    assert "Uit de gouden mail: Imane hielp een nieuwe klasgenoot &lt;op weg&gt;." in html
    foot = html.split('<p class="foot">')[1]
    for source in ("CPS", "kenniskring", "Amsterdam-Diemen", "Malmberg"):
        assert source in foot, source
    assert "Wat willen we vandaag uit dit gesprek halen?" in html and "luistert vooral" not in html
    [other] = families(actor, [student("Lotte", "Bakker")])
    assert "Uit de gouden mail" not in sheets.sheets_html([other])


def test_brothers_and_sisters_get_one_letter_naming_every_child_and_both_times(demo_school, actor):
    lotte, thijs = student("Lotte", "Bakker"), student("Thijs", "Bakker")
    one_a = make(actor, "1A", time(17), time(17, 40), location="lokaal 1.12")
    two_b = make(actor, "2B", time(17, 20), time(17, 40), location="lokaal 2.04")
    with store.write() as conn:
        startgesprek.assign_slot(conn, actor, lotte, one_a[0]["id"])
        startgesprek.assign_slot(conn, actor, thijs, two_b[0]["id"])
    [letter] = invite(actor, lotte)  # Thijs is in 2B, with another mentor
    body = letter["body"]
    assert body.startswith("Beste Ruud Bakker, Lotte en Thijs,")
    assert "u, Lotte en Thijs uit" in body and letter["subject"].startswith(
        "Uitnodiging startgesprek Lotte en Thijs:"
    )
    assert "dinsdag 9 september om 17:00" in body
    assert "Het gesprek over Thijs is direct daarna, om 17:20." in body
    assert (
        "Dat gesprek is in lokaal 2.04." in body
        and "Dat gesprek is met Rachida Tahiri, de mentor van Thijs." in body
    )
    assert letter["students"] == [lotte, thijs]
    [back] = invite(actor, thijs)  # the other mentor's letter names Lotte right before
    assert "Het gesprek over Lotte is direct ervoor, om 17:00." in back["body"]

    # a brother in the same class: one letter for the family in the class's downloads
    with store.write() as conn:
        daan, _version = klassen.save_student(
            conn,
            actor,
            None,
            {"leerlingnummer": "990001", "roepnaam": "Daan", "achternaam": "Bakker"},
            klas="1A",
        )
        ruud = conn.execute(select(T.guardian.c.id).where(T.guardian.c.naam == "Ruud Bakker")).scalar_one()
        conn.execute(T.student_guardian.insert().values(student_id=daan, guardian_id=ruud, relatie="vader"))
        startgesprek.assign_slot(conn, actor, daan, one_a[1]["id"])
    planned_ids = [sid for sid in class_ids(actor, "1A") if sid in planned(actor)]  # as the panel does
    with store.read() as conn:
        class_families = invitations.families(conn, actor, planned_ids)
    letters = [
        (f["naam"], i)
        for f in class_families
        for i in invitations.render(invitations.defaults("email"), f, NOT_PLANNED, CONTACT)
    ]
    kept = invitations.unique(letters)
    assert [name for name, _i in letters] == ["Daan Bakker", "Lotte Bakker"]
    [(_name, bakker)] = kept  # one letter for the family: it names all three children with their times
    assert {lotte, daan, thijs} == set(bakker["students"])
    assert "Het gesprek over Lotte is direct daarna, om 17:20." not in bakker["body"]
    assert "Het gesprek over Lotte is direct ervoor, om 17:00." in bakker["body"]
    assert "Het gesprek over Thijs is dezelfde dag, om 17:20." in bakker["body"]


def test_parents_informed_apart_each_read_whether_the_other_is_invited(demo_school, actor):
    first, second = invite(actor, student("Sem", "Dijk"), "brief")
    for letter in (first, second):
        assert "Ook de andere ouder is uitgenodigd, op dezelfde tijd." in letter["body"]
        assert "Wilt u liever een eigen gesprek?" in letter["body"]
    assert "Marloes" not in second["body"] and "Jeroen" not in first["body"]


def test_a_protected_guardian_always_gets_a_letter_and_draft_of_their_own(demo_school, actor):
    """§5: with siblings sharing both guardians and no "apart informeren", the guardian with protected
    contact details is never on the other parent's To: line, letter or file, nor the other way round."""
    lotte, thijs = student("Lotte", "Bakker"), student("Thijs", "Bakker")
    add_guardian(
        [lotte, thijs], "Anouk de Wit", "a.dewit@example.org", "06-9999 0000", contact_afgeschermd=True
    )
    parser = email.parser.BytesParser(policy=policy.default)
    for sid in (lotte, thijs):
        with store.read() as conn:
            [family] = invitations.families(conn, actor, [sid])
        assert not any(g["apart_informeren"] for g in family["guardians"])
        mails = [
            *invitations.render(invitations.defaults("email"), family, NOT_PLANNED, CONTACT),
            *gouden_mail.render(family, None, NOT_PLANNED),
        ]
        for mail in mails:
            message = parser.parsebytes(invitations.as_eml(mail, "mentor@example.org"))
            to = [address.addr_spec for address in message["To"].addresses]
            assert len(to) == 1, to
            raw = invitations.as_eml(mail)
            if to == ["r.bakker@example.org"]:
                assert b"a.dewit" not in raw and b"9999" not in raw and "Anouk" not in mail["body"]
                assert "Ook de andere ouder is uitgenodigd" in mail["body"] or "Iets moois" in mail["subject"]
            else:
                assert to == ["a.dewit@example.org"] and b"r.bakker" not in raw and "Ruud" not in mail["body"]
        letters = invitations.render(invitations.defaults("brief"), family, NOT_PLANNED, CONTACT)
        assert [i["names"] for i in letters] == ["Ruud Bakker", "Anouk de Wit"]
        assert all({lotte, thijs} == set(i["students"]) for i in letters)  # each letter names both children
        archive = zipfile.ZipFile(
            io.BytesIO(invitations.class_zip([(family["naam"], i) for i in letters], "m@example.org"))
        )
        ruud_file = [
            archive.read(n) for n in archive.namelist() if b"r.bakker@example.org" in archive.read(n)
        ]
        assert len(ruud_file) == 1 and b"a.dewit" not in ruud_file[0] and b"9999" not in ruud_file[0]


def test_gouden_mail_needs_a_question_names_school_and_contact_and_is_not_quietly_unsent(demo_school, actor):
    sid = student("Yousef", "Alkhatib")
    with store.write() as conn:
        gouden_mail.save(conn, actor, sid, {"positief": "Yousef hielp met opruimen."}, None)
        with pytest.raises(gouden_mail.GoudenMailError) as refused:
            gouden_mail.save(conn, actor, sid, {"status": "klaar"}, 1)
    assert (refused.value.message_key, refused.value.field) == ("gouden_mail.needs_question", "vragen")
    assert t("gouden_mail.needs_question").startswith("Kies minstens één vraag")
    with pytest.raises(gouden_mail.GoudenMailError):
        gouden_mail.check_complete({"positief": "Goed.", "vragen": []})
    with store.write() as conn:
        gouden_mail.save(conn, actor, sid, {"vragen": ["ouders-trots-waarop"], "status": "verstuurd"}, 1)
        with pytest.raises(gouden_mail.GoudenMailError) as refused:
            gouden_mail.save(conn, actor, sid, {"status": "klaar"}, 2)
        assert refused.value.message_key == "gouden_mail.already_sent"
        assert gouden_mail.get(conn, actor, sid)["status"] == "verstuurd"
        assert gouden_mail.undo_sent(conn, actor, sid, 2) == 3
        record = gouden_mail.get(conn, actor, sid)
        assert (record["status"], record["sent_at"]) == ("klaar", None)
        with pytest.raises(gouden_mail.GoudenMailError):
            gouden_mail.undo_sent(conn, actor, sid, 3)
    [family] = families(actor, [sid])
    [mail] = gouden_mail.render(family, record, NOT_PLANNED)
    assert "de mentor van Yousef op Voorbeeldschool" in mail["body"]
    assert "Stuur dan een bericht naar s.verhoef@voorbeeldschool.example" in mail["body"]


def test_the_student_can_take_the_first_step_in_the_plan(demo_school, actor):
    sid = student("Yousef", "Alkhatib")
    with store.write() as conn:
        startgesprek.save_plan(conn, actor, sid, {"initiatief": "leerling"}, None)
        assert startgesprek.get_plan(conn, actor, sid)["initiatief"] == "leerling"
    assert startgesprek.INITIATIEF[0] == "leerling"
    assert t(startgesprek.CHOICE_KEYS["initiatief"]["leerling"]) == "de leerling zelf"
    assert "wat de leerling nodig heeft" in t("startgesprek.plan_hint") and "huisbezoek" in t(
        "startgesprek.plan_hint"
    )
