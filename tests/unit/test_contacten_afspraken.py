"""Contacts, agreements and the class agenda (issue 15 §2–4) on a real migrated SQLite with the demo
school: validation at the field, versions, the agenda (due, moved, done), the .ics export parsed back,
and statement counts that do not grow with the class."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, insert, select

from stip import afspraken, agenda, agenda_week, contacten, klassen, startgesprek, store, timefmt
from stip.agenda_week import AgendaError
from stip.store import VersionConflict
from stip.store import tables as T


def class_ids(actor, name: str) -> list[int]:
    with store.read() as conn:
        kid = conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()
        return [s["id"] for s in klassen.class_students(conn, actor, kid)]


def klas_id(name: str) -> int:
    with store.read() as conn:
        return conn.execute(select(T.klas.c.id).where(T.klas.c.name == name)).scalar_one()


def count(table) -> int:
    with store.read() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def fixed_today(monkeypatch, actor) -> date:
    """A Wednesday in November of the actor's school year, as "today" for every service."""
    with store.read() as conn:
        starts_on = conn.execute(
            select(T.school_year.c.starts_on).where(T.school_year.c.id == actor.school_year_id)
        ).scalar_one()
    day = date(starts_on.year, 11, 18)
    day += timedelta(days=(2 - day.weekday()) % 7)
    moment = datetime.combine(day, time(10, 0), tzinfo=timefmt.SCHOOL_TIMEZONE)
    monkeypatch.setattr(timefmt, "now", lambda: moment)
    return day


def make_plan(
    actor, student_id: int, moments: list[tuple[str, str, str]], review_on=None, vormen=None
) -> int:
    with store.write() as conn:
        plan_id = conn.execute(
            insert(T.communicatieplan).values(
                school_id=actor.school_id,
                student_id=student_id,
                school_year_id=actor.school_year_id,
                vormen=vormen or ["telefoon"],
                review_on=review_on,
                created_at=datetime(2000, 1, 1, tzinfo=timefmt.SCHOOL_TIMEZONE),
            )
        ).inserted_primary_key[0]
        for position, (kind, value, vorm) in enumerate(moments):
            conn.execute(
                insert(T.plan_moment).values(
                    school_id=actor.school_id,
                    student_id=student_id,
                    communicatieplan_id=plan_id,
                    kind=kind,
                    value=value,
                    vorm=vorm,
                    position=position,
                )
            )
    return plan_id


# -- contacts ----------------------------------------------------------------------------------------


def test_log_contact_defaults_and_refusals_at_the_field(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        contact_id, version = contacten.log_contact(
            conn, actor, sid, {"kanaal": "telefoon", "toon": "positief", "regel": " Goed gesprek "}
        )
    assert version == 1
    refusals = [
        ({"toon": "positief"}, "kanaal", "contacten.kanaal_needed"),
        ({"kanaal": "telefoon"}, "toon", "contacten.toon_needed"),
        ({"kanaal": "fax", "toon": "zorg"}, "kanaal", "contacten.kanaal_needed"),
        ({"kanaal": "mail", "toon": "boos"}, "toon", "contacten.toon_needed"),
        ({"kanaal": "mail", "toon": "zorg", "happened_on": today + timedelta(days=1)}, "happened_on", None),
        ({"kanaal": "mail", "toon": "zorg", "happened_on": "gisteren"}, "happened_on", None),
        ({"kanaal": "mail", "toon": "zorg", "regel": "twee\nregels"}, "regel", "validation.one_line"),
        ({"kanaal": "mail", "toon": "zorg", "regel": "x" * 201}, "regel", "validation.too_long"),
    ]
    for values, field, key in refusals:
        with pytest.raises(contacten.ContactError) as caught, store.write() as conn:
            contacten.log_contact(conn, actor, sid, values)
        assert caught.value.field == field
        if key:
            assert caught.value.message_key == key
    assert count(T.contact_moment) == 1
    with store.write() as conn:
        stored = contacten.contacts(conn, actor, sid)
        assert [(c["happened_on"], c["kanaal"], c["toon"], c["regel"]) for c in stored] == [
            (today, "telefoon", "positief", "Goed gesprek")
        ]
        assert contacten.save_contact(conn, actor, sid, contact_id, {"toon": "neutraal"}, 1) == 2
        with pytest.raises(VersionConflict):
            contacten.save_contact(conn, actor, sid, contact_id, {"regel": "later"}, 1)


def test_last_contact_per_student_in_one_statement(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    ids = class_ids(actor, "1A")
    with store.write() as conn:
        for sid in ids[:5]:
            contacten.log_contact(conn, actor, sid, {"kanaal": "mail", "toon": "zorg", "happened_on": today})
            contacten.log_contact(
                conn,
                actor,
                sid,
                {"kanaal": "app", "toon": "positief", "happened_on": today - timedelta(days=3)},
            )
        contacten.log_contact(conn, actor, ids[0], {"kanaal": "video", "toon": "neutraal", "regel": "Later"})
    counts = []
    for subset in (ids[:2], ids):
        with store.read() as conn, store.counting_statements() as statements:
            last = contacten.last_contacts(conn, actor, subset)
        counts.append(len(statements))
    assert counts[0] == counts[1] == 1
    assert set(last) == set(ids[:5])
    assert (last[ids[0]]["kanaal"], last[ids[0]]["regel"]) == ("video", "Later")  # same day, logged later
    assert last[ids[1]]["toon"] == "zorg"


def test_prompts_name_their_source():
    found = contacten.prompts()
    assert len(found) >= 3
    assert all(p["text"] and "kenniskring" in p["source"].lower() for p in found)


# -- agreements --------------------------------------------------------------------------------------


def test_afspraak_owner_status_evaluation(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    sid, other = class_ids(actor, "1A")[:2]
    with store.write() as conn:
        aid, version = afspraken.save_afspraak(
            conn,
            actor,
            sid,
            None,
            {"wat": "Elke vrijdag de planner samen bekijken", "eigenaar": "ouders", "wie": "moeder"},
        )
        version = afspraken.save_afspraak(conn, actor, sid, aid, {"wanneer": today}, version)[1]
        version = afspraken.save_afspraak(conn, actor, sid, aid, {"geholpen": "deels"}, version)[1]
        version = afspraken.save_afspraak(
            conn, actor, sid, aid, {"status": "bijgesteld", "vervolg": "Nu op maandag"}, version
        )[1]
        stored = afspraken.afspraken(conn, actor, sid)[0]
    assert (stored["eigenaar"], stored["status"], stored["geholpen"], stored["evaluated_on"]) == (
        "ouders",
        "bijgesteld",
        "deels",
        today,
    )
    assert stored["version"] == version == 4
    refusals = [
        ({"eigenaar": "buurman"}, "eigenaar"),
        ({"status": "vervallen"}, "status"),
        ({"geholpen": "misschien"}, "geholpen"),
        ({"wanneer": date(today.year + 30, 1, 1)}, "wanneer"),
        ({"wanneer": "morgen"}, "wanneer"),
        ({"evaluated_on": today + timedelta(days=1)}, "evaluated_on"),
        ({"wat": ""}, "wat"),
        ({"vervolg": "\x00"}, "vervolg"),
    ]
    for values, field in refusals:
        with pytest.raises(afspraken.AfspraakError) as caught, store.write() as conn:
            afspraken.save_afspraak(conn, actor, sid, aid, values, version)
        assert caught.value.field == field
    # an agreement can come from any conversation, but only one of this student
    with store.write() as conn:
        talk = startgesprek._conversation(conn, actor, other, create=True)
        with pytest.raises(afspraken.AfspraakError) as caught:
            afspraken.save_afspraak(conn, actor, sid, None, {"wat": "x", "conversation_id": talk["id"]})
        assert caught.value.field == "conversation_id"
        new_id, _v = afspraken.save_afspraak(
            conn, actor, other, None, {"wat": "x", "conversation_id": talk["id"]}
        )
        assert afspraken.conversations_of(conn, actor, [other])[other][0]["id"] == talk["id"]


def test_startgesprek_agreements_are_the_same_service(demo_school, actor):
    sid = class_ids(actor, "1A")[0]
    with store.write() as conn:
        aid, _v = startgesprek.save_afspraak(
            conn, actor, sid, None, {"wat": "Bellen", "conversation_id": None}
        )
        assert afspraken.afspraken(conn, actor, sid)[0]["id"] == aid
        assert startgesprek.afspraken(conn, actor, sid)[0]["conversation_id"] is not None
        with pytest.raises(startgesprek.StartgesprekError):
            startgesprek.save_afspraak(conn, actor, sid, aid, {"eigenaar": "buurman"}, 1)


def test_class_agreements_overdue_first(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    a, b, c = class_ids(actor, "1A")[:3]
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, a, None, {"wat": "Later", "wanneer": today + timedelta(days=9)})
        afspraken.save_afspraak(conn, actor, b, None, {"wat": "Zonder datum"})
        afspraken.save_afspraak(
            conn, actor, c, None, {"wat": "Te laat", "wanneer": today - timedelta(days=2)}
        )
        afspraken.save_afspraak(
            conn, actor, a, None, {"wat": "Klaar", "wanneer": today - timedelta(days=9), "status": "gedaan"}
        )
        rows = afspraken.class_afspraken(conn, actor, klas_id("1A"))
    assert [(r["wat"], r["overdue"]) for r in rows] == [
        ("Te laat", True),
        ("Later", False),
        ("Zonder datum", False),
        ("Klaar", False),
    ]


# -- the agenda --------------------------------------------------------------------------------------


def test_agenda_due_moved_done_and_ics(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    monday = today - timedelta(days=today.weekday())
    a, b, c = class_ids(actor, "1A")[:3]
    make_plan(
        actor,
        a,
        [
            ("datum", (monday + timedelta(days=1)).isoformat(), "telefoon"),  # this week
            ("datum", (monday + timedelta(days=8)).isoformat(), "huisbezoek"),  # next week
            ("datum", (monday + timedelta(days=20)).isoformat(), ""),  # later: not on the agenda
            ("datum", (monday - timedelta(days=10)).isoformat(), "mail"),  # before: overdue
        ],
        review_on=monday + timedelta(days=10),
    )
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, b, None, {"wat": "Rooster checken", "wanneer": today})
        afspraken.save_afspraak(
            conn, actor, c, None, {"wat": "Al gedaan", "wanneer": today, "status": "gedaan"}
        )
        week = agenda_week.week_agenda(conn, actor, klas_id("1A"))
    assert week.first_day == monday
    assert [(e.source, e.day, e.kanaal) for e in week.overdue] == [
        ("moment", monday - timedelta(days=10), "mail")
    ]
    assert [(e.source, e.day, e.student_id) for e in week.this_week] == [
        ("moment", monday + timedelta(days=1), a),
        ("afspraak", today, b),
    ]
    assert [(e.source, e.day) for e in week.next_week] == [
        ("moment", monday + timedelta(days=8)),
        ("review", monday + timedelta(days=10)),
    ]
    assert "telefoon" in week.this_week[0].what and "Rooster checken" in week.this_week[1].what

    # done: a contact with the item's channel, and the item leaves the agenda
    call = week.this_week[0]
    with store.write() as conn:
        agenda_week.mark_done(conn, actor, call, {"toon": "positief", "regel": "Fijn gesprek"})
        last = contacten.last_contacts(conn, actor, [a])[a]
        assert (last["kanaal"], last["toon"], last["happened_on"]) == ("telefoon", "positief", today)
        with pytest.raises(VersionConflict):  # a second page marking the same item
            agenda_week.mark_done(conn, actor, call, {"toon": "neutraal"})
    # moved: needs a day from today on and a reason; shows on its new day
    late = week.overdue[0]
    for moved_to, reason, field in (
        (None, "ziek", "moved_to"),
        (today - timedelta(days=1), "ziek", "moved_to"),
        (today + timedelta(days=3), "  ", "reason"),
    ):
        with pytest.raises(AgendaError) as caught, store.write() as conn:
            agenda_week.move(conn, actor, late, moved_to, reason)
        assert caught.value.field == field
    with store.write() as conn:
        agenda_week.move(conn, actor, late, monday + timedelta(days=9), "Moeder was ziek")
        week = agenda_week.week_agenda(conn, actor, klas_id("1A"))
    assert week.overdue == [] and [e.source for e in week.this_week] == ["afspraak"]
    moved = [e for e in week.next_week if e.moved]
    assert [(e.due_on, e.day, e.reason) for e in moved] == [
        (monday - timedelta(days=10), monday + timedelta(days=9), "Moeder was ziek")
    ]
    # the row says where it came from, not only the old date (issue 15 review)
    assert moved[0].what.endswith(f"(verzet van {timefmt.format_date(monday - timedelta(days=10))})")
    with store.write() as conn:  # moved once more, then done
        agenda_week.move(conn, actor, moved[0], monday + timedelta(days=11), "Toch later")
        week = agenda_week.week_agenda(conn, actor, klas_id("1A"))
        again = next(e for e in week.next_week if e.moved)
        assert (again.day, again.item_version) == (monday + timedelta(days=11), 2)
        agenda_week.mark_done(conn, actor, again, {"toon": "zorg"})
        week = agenda_week.week_agenda(conn, actor, klas_id("1A"))
    assert not any(e.moved for e in week.next_week)
    assert count(T.agenda_item) == 2 and count(T.contact_moment) == 2

    # .ics: planned contacts and agreement dates from today, parsed back
    import icalendar

    with store.read() as conn:
        events = agenda_week.calendar_events(conn, actor, klas_id("1A"))
    parsed = icalendar.Calendar.from_ical(agenda.to_ics(events))
    found = {
        str(e["uid"]): (e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]))
        for e in parsed.walk("VEVENT")
    }
    assert len(found) == 3  # next week's visit, the later date, the agreement (review and done left out)
    visit = found[f"stip-moment-{_moment_id(a, 'huisbezoek')}-{monday + timedelta(days=8):%Y%m%d}@stip"]
    assert visit[0] == monday + timedelta(days=8) and visit[1] == monday + timedelta(days=9)
    assert "huisbezoek" in visit[2]
    assert any("Rooster checken" in summary for _s, _e, summary in found.values())


def _moment_id(student_id: int, vorm: str) -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.plan_moment.c.id).where(
                T.plan_moment.c.student_id == student_id, T.plan_moment.c.vorm == vorm
            )
        ).scalar_one()


def test_agenda_resolves_report_moments_and_intervals(demo_school, actor, monkeypatch):
    today = fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "1A")[0]
    make_plan(actor, sid, [("interval_weken", "1", "app")])
    with store.read() as conn:
        week = agenda_week.week_agenda(conn, actor, klas_id("1A"))
    # every week: one this week and one next week (unless a holiday falls there)
    assert all(e.kanaal == "app" for e in week.this_week + week.next_week)
    assert len(week.this_week) <= 1 and len(week.next_week) <= 1
    assert week.overdue and all(e.day < today for e in week.overdue)


def test_contacts_agreements_and_agenda_items_are_in_the_inzage_and_deleted(demo_school, actor, monkeypatch):
    from stip import privacy

    today = fixed_today(monkeypatch, actor)
    sid = class_ids(actor, "1A")[0]
    make_plan(actor, sid, [("datum", today.isoformat(), "app")])
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, sid, None, {"wat": "Huiswerk samen plannen", "geholpen": "ja"})
        entry = agenda_week.week_agenda(conn, actor, klas_id("1A")).this_week[0]
        agenda_week.mark_done(conn, actor, entry, {"toon": "positief", "regel": "Mooi <b>cijfer</b>"})
        data = privacy.inzage(conn, actor, sid)
    records = data["records"]
    assert records["contact_moments"][0]["regel"] == "Mooi <b>cijfer</b>"
    assert records["agenda_items"][0]["status"] == "gedaan"
    page = privacy.inzage_html(data)
    for text in (
        "Contacten met ouders",
        "Agenda: gedaan of verzet",
        "toon (positief, neutraal of zorg)",
        "heeft het geholpen",
        "gepland op",
        "gepland contact",
        "Mooi &lt;b&gt;cijfer&lt;/b&gt;",
    ):
        assert text in page
    assert "<b>cijfer" not in page
    with store.write() as conn:
        privacy.delete_student(conn, actor, sid)
    assert count(T.contact_moment) == count(T.agenda_item) == count(T.afspraak) == 0
