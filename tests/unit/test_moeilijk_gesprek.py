"""Moeilijk gesprek (issue 16), the service: a preparation private to its author unless shared with the
zorgcoördinator, answers one row per field with their own version (two pages lose nothing), the derived
status, a refused field that leaves the others, the talk recorded with agreements in the agenda, and
the student's inzage and deletion.

Real services on a real migrated SQLite with the demo school; no mocks of Stip.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from stip import afspraken, agenda_week, privacy, reflectie, schools, store, timefmt
from stip import moeilijk_gesprek as mg
from stip.store import VersionConflict
from stip.store import tables as T


def student_id(roepnaam: str, achternaam: str) -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.student.c.id).where(
                T.student.c.roepnaam == roepnaam, T.student.c.achternaam == achternaam
            )
        ).scalar_one()


def other_staff(monkeypatch, login: str, role: str = "mentor"):
    monkeypatch.setenv("STIP_USER", login)
    with store.write() as conn:
        other = schools.acting_staff_member(conn)
        conn.execute(update(T.staff_member).where(T.staff_member.c.id == other.id).values(role=role))
    monkeypatch.setenv("STIP_USER", "testmentor")
    return dataclasses.replace(other, role=role)


@pytest.fixture
def yousef(demo_school):
    return student_id("Yousef", "Alkhatib")


@pytest.fixture
def prep(actor, yousef):
    with store.write() as conn:
        return mg.create(conn, actor, yousef, "verzuim")


def test_create_makes_a_conversation_of_kind_moeilijk_and_a_concept(actor, prep, yousef):
    assert prep["status"] == "concept" and prep["soort"] == "verzuim" and prep["mine"]
    assert prep["student"]["id"] == yousef and prep["context"]["student"] == "Yousef Alkhatib"
    assert prep["context"]["school"]
    with store.read() as conn:
        kind = conn.execute(
            select(T.conversation.c.kind).where(T.conversation.c.id == prep["conversation_id"])
        ).scalar_one()
    assert kind == "moeilijk"


def test_the_sheet_names_the_mentor_only_once_the_name_is_more_than_the_login(actor, prep):
    # A newcomer's name is still their login ("root", "testmentor"): "Mentor: root" on the sheet
    # would be a raw account name in front of parents, so it is left off until the name is set.
    assert actor.naam == actor.login
    with store.read() as conn:
        assert mg.get(conn, actor, prep["id"])["context"]["mentor"] == ""
    with store.write() as conn:
        conn.execute(update(T.staff_member).where(T.staff_member.c.id == actor.id).values(naam="Eva Hofman"))
    with store.read() as conn:
        assert mg.get(conn, actor, prep["id"])["context"]["mentor"] == "Eva Hofman"


def test_create_refuses_a_student_of_another_school_or_a_wrong_soort(actor, yousef):
    with store.write() as conn, pytest.raises(mg.MoeilijkGesprekError) as refused:
        mg.create(conn, actor, 999999)
    assert refused.value.message_key == "moeilijk.student_not_found"
    with store.write() as conn, pytest.raises(mg.MoeilijkGesprekError) as refused:
        mg.create(conn, actor, yousef, "ruzie")
    assert refused.value.field == "soort"


def test_private_to_its_author_unless_shared_with_the_zorgcoordinator(actor, prep, monkeypatch):
    colleague = other_staff(monkeypatch, "collega")
    zorg = other_staff(monkeypatch, "zorg", role="zorgcoördinator")
    with store.read() as conn:
        assert mg.get(conn, colleague, prep["id"]) is None
        assert mg.get(conn, zorg, prep["id"]) is None
        assert mg.preparations(conn, colleague) == [] and mg.preparations(conn, zorg) == []
        assert [p["id"] for p in mg.preparations(conn, actor)] == [prep["id"]]
    with store.write() as conn:
        mg.share(conn, actor, prep["id"], True, prep["version"])
    with store.read() as conn:
        assert mg.get(conn, colleague, prep["id"]) is None  # a mentor colleague still sees nothing
        shared = mg.get(conn, zorg, prep["id"])
        assert shared is not None and not shared["mine"]
        assert [p["id"] for p in mg.preparations(conn, zorg)] == [prep["id"]]
    # Only the author changes it.
    with store.write() as conn, pytest.raises(mg.MoeilijkGesprekError) as refused:
        mg.save_answers(conn, zorg, prep["id"], {"feiten": "iets"}, {})
    assert refused.value.message_key == "moeilijk.not_found"


def test_two_pages_changing_different_fields_lose_nothing(actor, prep):
    with store.read() as conn:
        page1 = mg.get(conn, actor, prep["id"])
        page2 = mg.get(conn, actor, prep["id"])
    with store.write() as conn:
        page1["versions"].update(
            mg.save_answers(conn, actor, prep["id"], {"feiten": "Zes keer te laat."}, page1["versions"])
        )
        page2["versions"].update(
            mg.save_answers(conn, actor, prep["id"], {"positief_1": "Helpt klasgenoten."}, page2["versions"])
        )
        page1["versions"].update(
            mg.save_answers(conn, actor, prep["id"], {"feiten": "Zeven keer te laat."}, page1["versions"])
        )
        page2["versions"].update(
            mg.save_answers(conn, actor, prep["id"], {"soort": "gedrag"}, page2["versions"])
        )
    with store.read() as conn:
        stored = mg.get(conn, actor, prep["id"])
        rows = conn.execute(
            select(func.count()).where(T.voorbereiding_antwoord.c.voorbereiding_id == prep["id"])
        ).scalar_one()
    assert stored["answers"]["feiten"] == "Zeven keer te laat."
    assert stored["answers"]["positief_1"] == "Helpt klasgenoten."
    assert stored["soort"] == "gedrag"
    assert stored["versions"]["feiten"] == 2 and stored["versions"]["positief_1"] == 1
    assert rows == 2  # one row per field


def test_the_same_field_on_two_pages_is_a_version_conflict(actor, prep):
    with store.write() as conn:
        mg.save_answers(conn, actor, prep["id"], {"doel": "eerste"}, {})  # page 1 inserts
    with store.write() as conn, pytest.raises(VersionConflict):
        mg.save_answers(conn, actor, prep["id"], {"doel": "tweede"}, {})  # page 2 had no row yet
    with store.write() as conn:
        mg.save_answers(conn, actor, prep["id"], {"doel": "derde"}, {"doel": 1})
    with store.write() as conn, pytest.raises(VersionConflict):
        mg.save_answers(conn, actor, prep["id"], {"doel": "vierde"}, {"doel": 1})
    with store.read() as conn:
        assert mg.get(conn, actor, prep["id"])["answers"]["doel"] == "derde"


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("feiten", "x" * 5001, "validation.too_long"),
        ("feiten", "a\x00b", "validation.bad_character"),
        ("plaats", "lokaal\n12", "validation.one_line"),
        ("tolk", "misschien", "moeilijk.choice_unknown"),
        ("datum", "31-02-2026", "moeilijk.date_invalid"),
        ("tijd", "25:00", "moeilijk.time_invalid"),
        ("duur", "drie kwartier", "moeilijk.minutes_invalid"),
        ("geheim", "x", "moeilijk.field_unknown"),
    ],
)
def test_a_refused_field_writes_nothing_and_names_its_field(actor, prep, field, value, key):
    with store.write() as conn, pytest.raises(mg.MoeilijkGesprekError) as refused:
        mg.save_answers(conn, actor, prep["id"], {"doel": "Samen een plan.", field: value}, {})
    assert refused.value.field == field and refused.value.message_key == key
    # The form saves the other fields without it:
    with store.write() as conn:
        mg.save_answers(conn, actor, prep["id"], {"doel": "Samen een plan."}, {})
    with store.read() as conn:
        answers = mg.get(conn, actor, prep["id"])["answers"]
    assert answers["doel"] == "Samen een plan." and field not in answers


def test_values_are_normalised(actor, prep):
    day = timefmt.today() + timedelta(days=2)
    with store.write() as conn:
        mg.save_answers(
            conn,
            actor,
            prep["id"],
            {"datum": day, "tijd": "9.05", "duur": " 30 ", "feiten": "regel 1\r\nregel 2", "tolk": "ja"},
            {},
        )
    with store.read() as conn:
        answers = mg.get(conn, actor, prep["id"])["answers"]
    assert answers["datum"] == day.isoformat() and answers["tijd"] == "09:05" and answers["duur"] == "30"
    assert answers["feiten"] == "regel 1\nregel 2"


def test_status_concept_klaar_gehouden_opgevolgd(actor, prep):
    today = timefmt.today()
    with store.write() as conn:
        version = mg.set_status(conn, actor, prep["id"], "klaar", prep["version"])
        with pytest.raises(mg.MoeilijkGesprekError):
            mg.set_status(conn, actor, prep["id"], "gehouden", version)
    with store.read() as conn:
        assert mg.preparations(conn, actor)[0]["status"] == "klaar"
        current = mg.get(conn, actor, prep["id"])
    with store.write() as conn:
        mg.record_talk(conn, actor, prep["id"], current["conversation"]["version"], held_on=today)
        first, v1 = mg.save_agreement(
            conn, actor, prep["id"], None, {"wat": "Dagelijks om 8.20 melden bij de mentor", "wanneer": today}
        )
        mg.save_agreement(conn, actor, prep["id"], None, {"wat": "Ouders bellen na twee weken"})
    with store.read() as conn:
        listed = mg.preparations(conn, actor)[0]
        assert listed["status"] == "gehouden" and listed["datum"] == today
    with store.write() as conn:
        afspraken.save_afspraak(conn, actor, prep["student_id"], first, {"geholpen": "ja"}, v1)
    with store.read() as conn:
        assert mg.get(conn, actor, prep["id"])["status"] == "gehouden"  # one still open
        second = mg.get(conn, actor, prep["id"])["afspraken"][1]
    with store.write() as conn:
        afspraken.save_afspraak(
            conn, actor, prep["student_id"], second["id"], {"status": "gedaan"}, second["version"]
        )
    with store.read() as conn:
        assert mg.preparations(conn, actor)[0]["status"] == "opgevolgd"


def test_derived_status_needs_an_agreement_to_be_followed_up():
    day = date(2026, 12, 1)
    assert mg.derived_status("klaar", None, 0, 0) == "klaar"
    assert mg.derived_status("gehouden", None, 0, 0) == "concept"
    assert mg.derived_status("concept", day, 0, 0) == "gehouden"
    assert mg.derived_status("concept", day, 2, 1) == "gehouden"
    assert mg.derived_status("concept", day, 2, 0) == "opgevolgd"


def test_record_talk_refuses_a_future_day_and_keeps_who_was_there(actor, prep):
    with store.write() as conn, pytest.raises(mg.MoeilijkGesprekError) as refused:
        mg.record_talk(conn, actor, prep["id"], 1, held_on=timefmt.today() + timedelta(days=1))
    assert refused.value.field == "held_on"
    with store.write() as conn:
        version = mg.record_talk(
            conn,
            actor,
            prep["id"],
            1,
            present={"student": True, "guardians": [], "anderen": "zorgcoördinator"},
        )
    with store.read() as conn:
        talk = mg.get(conn, actor, prep["id"])["conversation"]
    assert talk["version"] == version and talk["held_on"] is None
    assert talk["present"] == {"student": True, "guardians": [], "tolk": False, "anderen": "zorgcoördinator"}


def test_agreements_and_the_follow_up_are_in_the_class_agenda(actor, prep):
    today = timefmt.today()
    soon = today + timedelta(days=7)
    with store.write() as conn:
        mg.save_agreement(conn, actor, prep["id"], None, {"wat": "Melden bij de mentor", "wanneer": today})
        versions = mg.set_follow_up(conn, actor, prep["id"], soon, "Vervolggesprek met ouders", {})
    with store.read() as conn:
        stored = mg.get(conn, actor, prep["id"])
        klas_id = conn.execute(
            select(T.student.c.klas_id).where(T.student.c.id == prep["student_id"])
        ).scalar_one()
        week = agenda_week.week_agenda(conn, actor, klas_id, today)
    whats = [e.what for e in (*week.overdue, *week.this_week, *week.next_week)]
    assert any("Melden bij de mentor" in what for what in whats)
    assert any("Vervolggesprek met ouders" in what for what in whats)
    follow = [a for a in stored["afspraken"] if a["wanneer"] == soon]
    assert len(follow) == 1 and follow[0]["eigenaar"] == "school"
    assert stored["answers"]["vervolg_afspraak"] == str(follow[0]["id"])
    # Moving the date moves the same agreement; clearing it removes it.
    later = soon + timedelta(days=7)
    with store.write() as conn:
        mg.set_follow_up(conn, actor, prep["id"], later, "Vervolggesprek met ouders", versions)
    with store.read() as conn:
        dates = [a["wanneer"] for a in mg.get(conn, actor, prep["id"])["afspraken"]]
    assert dates == [today, later]
    with store.write() as conn:
        mg.set_follow_up(conn, actor, prep["id"], None, "", versions)
    with store.read() as conn:
        assert [a["wanneer"] for a in mg.get(conn, actor, prep["id"])["afspraken"]] == [today]


def test_inzage_holds_the_answers_and_deletion_removes_them(actor, prep):
    with store.write() as conn:
        mg.save_answers(conn, actor, prep["id"], {"feiten": "Sinds 3 november zes keer te laat."}, {})
        reflectie.save(
            conn, actor, None, prep["conversation_id"], {"voornemen": "Eerder stilte laten vallen."}
        )
    with store.read() as conn:
        data = json.dumps(privacy.inzage(conn, actor, prep["student_id"]), default=str)
    assert "Sinds 3 november zes keer te laat." in data and "Eerder stilte laten vallen." in data
    page = privacy.inzage_html(json.loads(data))
    assert "Voorbereiding van een moeilijk gesprek" in page and "<td>Feiten</td>" in page.replace(" ", "")
    with store.write() as conn:
        privacy.delete_student(conn, actor, prep["student_id"])
    with store.read() as conn:
        for table in (T.voorbereiding, T.voorbereiding_antwoord):
            assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
        assert mg.preparations(conn, actor) == []


def test_missing_notes_per_step_never_block(prep):
    notes = mg.missing({"soort": "verzuim", "feiten": "Zes keer te laat."})
    assert notes["situatie"] == []
    assert notes["positief"] and notes["gespreksblad"] == [] and notes["na"] == []
    assert not any("boodschap" in n for n in notes["gespreksplan"])
    bad_news = mg.missing({"soort": "slecht_nieuws"})
    assert any("boodschap" in n for n in bad_news["gespreksplan"])


def test_preparations_list_is_one_statement(actor, yousef, demo_school):
    with store.write() as conn:
        for _ in range(3):
            mg.create(conn, actor, yousef, "gedrag")
    with store.read() as conn, store.counting_statements() as statements:
        listed = mg.preparations(conn, actor)
    assert len(listed) == 3 and len(statements) == 1


def test_the_author_deletes_a_preparation_with_its_conversation_agreements_stay(actor, prep, monkeypatch):
    colleague = other_staff(monkeypatch, "collega")
    with store.write() as conn:
        mg.save_agreement(conn, actor, prep["id"], None, {"wat": "Melden bij de mentor"})
        assert not mg.delete_voorbereiding(conn, colleague, prep["id"])
        assert mg.delete_voorbereiding(conn, actor, prep["id"])
    with store.read() as conn:
        assert mg.get(conn, actor, prep["id"]) is None
        assert conn.execute(select(func.count()).select_from(T.voorbereiding_antwoord)).scalar_one() == 0
        left = conn.execute(select(T.afspraak.c.wat, T.afspraak.c.conversation_id)).all()
    assert [(r.wat, r.conversation_id) for r in left] == [("Melden bij de mentor", None)]


def test_inzage_says_where_the_follow_up_is_instead_of_its_number(actor, prep):
    with store.write() as conn:
        mg.set_follow_up(conn, actor, prep["id"], date(2026, 12, 17), "Vervolggesprek", {})
    with store.read() as conn:
        data = json.loads(json.dumps(privacy.inzage(conn, actor, prep["student_id"]), default=str))
    page = privacy.inzage_html(data)
    assert "Vervolggesprek" in page  # the agreement itself, under the agreements
    assert "staat bij de afspraken" in page
    with store.read() as conn:
        number = conn.execute(
            select(T.voorbereiding_antwoord.c.waarde).where(
                T.voorbereiding_antwoord.c.veld == "vervolg_afspraak"
            )
        ).scalar_one()
    assert number and f"<td>{number}</td>" not in page.replace(" ", "")
