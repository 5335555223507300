"""The communicatieplan op maat as data (issue 15 §1): plan fields, moments as rows, the five patterns, the
plan of the startgesprek, and two pages on one plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from stip import communicatieplan as cp
from stip import instellingen, moments, startgesprek, store
from stip.store import VersionConflict
from stip.store import tables as T


@pytest.fixture
def student(demo_school, actor) -> int:
    with store.read() as conn:
        klas = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        return cp.class_students(conn, actor, klas)[0]["id"]


@pytest.fixture
def calendar(actor) -> moments.SchoolCalendar:
    """The demo school's year with its own report days and holidays."""
    with store.read() as conn:
        return moments.school_calendar(conn, actor)


def plan_of(actor, student):
    with store.read() as conn:
        return cp.get_plan(conn, actor, student)


def test_a_plan_is_made_on_the_first_save_and_then_updated_with_its_version(actor, student):
    assert plan_of(actor, student) is None
    with store.write() as conn:
        version = cp.save_plan(
            conn, actor, student, {"behoefte": " Rust en korte lijnen ", "vormen": ["mail"]}, None
        )
        version = cp.save_plan(
            conn, actor, student, {"leerling_erbij": "soms", "initiatief": "leerling"}, version
        )
    plan = plan_of(actor, student)
    assert (plan["behoefte"], plan["vormen"], plan["leerling_erbij"], plan["initiatief"]) == (
        "Rust en korte lijnen",
        ["mail"],
        "soms",
        "leerling",
    )
    assert plan["version"] == version == 2 and plan["moments"] == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"vormen": ["postduif"]}, "vormen"),
        ({"initiatief": "de buurman"}, "initiatief"),
        ({"leerling_erbij": "misschien"}, "leerling_erbij"),
        ({"review_on": "morgen"}, "review_on"),
        ({"behoefte": "x\x00y"}, "behoefte"),
    ],
)
def test_wrong_values_are_refused_at_their_field(actor, student, changes, field):
    with store.write() as conn, pytest.raises(cp.CommunicatieplanError) as caught:
        cp.save_plan(conn, actor, student, changes, None)
    assert caught.value.field == field
    assert plan_of(actor, student) is None


def test_two_pages_never_overwrite_each_other(actor, student):
    with store.write() as conn:
        first = cp.save_plan(conn, actor, student, {"behoefte": "pagina 1"}, None)
    # the second page opened before the plan existed: a conflict, not a second plan
    with store.write() as conn, pytest.raises(VersionConflict):
        cp.save_plan(conn, actor, student, {"behoefte": "pagina 2"}, None)
    with store.write() as conn:
        cp.save_plan(conn, actor, student, {"notes": "nog iets"}, first)
    with store.write() as conn, pytest.raises(VersionConflict):
        cp.save_plan(conn, actor, student, {"behoefte": "oud"}, first)
    # moments from both pages are kept: each is its own row
    with store.write() as conn:
        one, _ = cp.add_moment(conn, actor, student, "na rapport 1", "telefoon", "school")
        two, created = cp.add_moment(conn, actor, student, "november")
    assert not created
    plan = plan_of(actor, student)
    assert plan["behoefte"] == "pagina 1" and plan["notes"] == "nog iets"
    assert [(m["kind"], m["value"], m["vorm"]) for m in plan["moments"]] == [
        ("na_rapport", "1", "telefoon"),
        ("maand", "11", ""),
    ]
    # a moment changed on one page: the other page's stale change or removal conflicts
    with store.write() as conn:
        cp.save_moment(conn, actor, student, one, {"moment": "na rapport 2"}, 1)
    with store.write() as conn, pytest.raises(VersionConflict):
        cp.save_moment(conn, actor, student, one, {"vorm": "mail"}, 1)
    with store.write() as conn, pytest.raises(VersionConflict):
        cp.delete_moment(conn, actor, student, one, 1)
    with store.write() as conn:
        cp.delete_moment(conn, actor, student, two, 1)
    assert [(m["kind"], m["value"]) for m in plan_of(actor, student)["moments"]] == [("na_rapport", "2")]


def test_adding_a_moment_makes_the_plan_and_a_bad_moment_is_refused_at_its_field(actor, student):
    with store.write() as conn, pytest.raises(moments.MomentError) as caught:
        cp.add_moment(conn, actor, student, "ooit eens")
    assert caught.value.field == "moment" and plan_of(actor, student) is None
    with store.write() as conn:
        moment_id, created = cp.add_moment(conn, actor, student, "elke 6 weken", "mail")
    assert created and plan_of(actor, student)["version"] == 1
    with store.write() as conn, pytest.raises(cp.CommunicatieplanError) as caught:
        cp.save_moment(conn, actor, student, moment_id, {"vorm": "rooksignaal"}, 1)
    assert caught.value.field == "vorm"


def test_the_five_patterns(actor, student, calendar):
    found = {p.key: p for p in cp.patterns()}
    assert list(found) == [
        "na_elk_rapport",
        "huisbezoek_na_rapport_1",
        "leerling_regelt",
        "zonder_leerling",
        "mbo_twee_belmomenten",
    ]
    start = calendar.starts_on
    expected = {
        "na_elk_rapport": (
            ["gesprek op school", "telefoon"],
            "school",
            "soms",
            [("na_rapport", "1"), ("na_rapport", "2"), ("na_rapport", "3"), ("juni_evaluatie", "")],
        ),
        "huisbezoek_na_rapport_1": (
            ["telefoon", "huisbezoek"],
            "samen",
            "ja",
            [("datum", date(start.year, 11, 30).isoformat())],
        ),
        "leerling_regelt": (["mail"], "leerling", "ja", []),
        "zonder_leerling": (
            ["gesprek op school"],
            "school",
            "nee",
            [("datum", calendar.school_day_from(date(start.year, 9, 21)).isoformat())],
        ),
        "mbo_twee_belmomenten": (["telefoon"], "leerling", "nee", [("maand", "11"), ("maand", "3")]),
    }
    version, ids = None, []
    for key, (vormen, initiatief, erbij, rows) in expected.items():
        with store.write() as conn:
            version = cp.apply_pattern(
                conn,
                actor,
                student,
                key,
                version,
                ids,
                fixed_date=date(start.year, 11, 30) if key.startswith("huisbezoek") else None,
                calendar=calendar,
                today=date(start.year, 9, 7),
            )
        plan = plan_of(actor, student)
        assert (plan["patroon"], plan["vormen"], plan["initiatief"], plan["leerling_erbij"]) == (
            key,
            vormen,
            initiatief,
            erbij,
        )
        assert plan["behoefte"] == found[key].behoefte
        assert [(m["kind"], m["value"]) for m in plan["moments"]] == rows
        assert plan["review_on"] is not None and plan["review_on"] > date(start.year, 9, 7)
        ids = [m["id"] for m in plan["moments"]]
    # the June evaluation is the review of the last pattern
    assert (
        plan["review_on"] == moments.occurrences(("juni_evaluatie", ""), calendar, start, calendar.ends_on)[0]
    )


def test_a_pattern_with_a_date_suggests_the_first_school_day_after_report_1(actor, calendar):
    home_visit = cp.pattern("huisbezoek_na_rapport_1")
    suggested = cp.suggested_date(home_visit, calendar, calendar.starts_on)
    assert suggested == calendar.school_day_from(calendar.reports[0] + timedelta(days=1))
    assert cp.suggested_date(cp.pattern("leerling_regelt"), calendar) is None
    with pytest.raises(cp.CommunicatieplanError):
        cp.pattern("bestaat_niet")


def test_a_pattern_on_a_stale_page_conflicts_and_changes_nothing(actor, student, calendar):
    with store.write() as conn:
        version = cp.save_plan(conn, actor, student, {"behoefte": "eigen tekst"}, None)
        other_page, _ = cp.add_moment(conn, actor, student, "maart")
    with store.write() as conn, pytest.raises(VersionConflict):  # the page did not see the moment
        cp.apply_pattern(conn, actor, student, "leerling_regelt", version, [], calendar=calendar)
    with store.write() as conn, pytest.raises(VersionConflict):  # the page had no plan
        cp.apply_pattern(conn, actor, student, "leerling_regelt", None, [], calendar=calendar)
    plan = plan_of(actor, student)
    assert plan["behoefte"] == "eigen tekst" and [m["id"] for m in plan["moments"]] == [other_page]


def test_the_startgesprek_plan_is_this_plan_and_its_free_text_becomes_moments(actor, student):
    with store.write() as conn:
        version = startgesprek.save_plan(
            conn,
            actor,
            student,
            {
                "momenten": "bellen na rapport 1 en 2, huisbezoek in november, als er iets is",
                "vormen": ["telefoon"],
            },
            None,
        )
    plan = plan_of(actor, student)
    assert plan["momenten"].startswith("bellen") and plan["vormen"] == ["telefoon"]
    with store.write() as conn:
        cp.add_moment(conn, actor, student, "november")
    plan = plan_of(actor, student)
    with store.write() as conn:
        added, version = cp.convert_momenten(
            conn, actor, student, plan["version"], [m["id"] for m in plan["moments"]]
        )
    assert added == 2  # november was there already
    plan = plan_of(actor, student)
    assert [(m["kind"], m["value"], m["vorm"]) for m in plan["moments"]] == [
        ("maand", "11", ""),
        ("na_rapport", "1", "telefoon"),
        ("na_rapport", "2", "telefoon"),
    ]
    assert plan["momenten"] == "als er iets is"  # what is no moment stays, word for word
    assert plan["version"] == version
    # the startgesprek's form still saves into the same row
    with store.write() as conn:
        startgesprek.save_plan(conn, actor, student, {"frequentie": "af en toe"}, version)
    assert plan_of(actor, student)["frequentie"] == "af en toe"


def test_split_momenten_keeps_what_is_no_moment_word_for_word():
    found, rest = cp.split_momenten("elke 6 weken mailen; gesprek met ouders en leerling\nin maart")
    assert found == [("interval_weken", "6", "mail"), ("maand", "3", "")]
    assert rest == "gesprek met ouders en leerling"
    assert cp.split_momenten("") == ([], "")


def test_upcoming_dates_and_a_fixed_number_of_statements(actor, student, calendar):
    with store.write() as conn:
        cp.add_moment(conn, actor, student, "juni-evaluatie")
        cp.add_moment(conn, actor, student, "na rapport 1")
    with store.read() as conn, store.counting_statements() as counted:
        plan = cp.get_plan(conn, actor, student)
    assert len(counted) == 2
    today = calendar.starts_on
    dates = cp.upcoming(plan, calendar, today)
    assert [m["kind"] for _, m in dates] == ["na_rapport", "juni_evaluatie"]
    assert dates[0][0] == calendar.school_day_from(calendar.reports[0] + timedelta(days=1))


def test_report_days_from_settings_move_the_moments(actor, student):
    with store.read() as conn:
        year = conn.execute(select(T.school_year).where(T.school_year.c.id == actor.school_year_id)).one()
    with store.write() as conn:
        for row in instellingen.dates(conn, actor):
            instellingen.delete_date(conn, actor, row["id"])
        instellingen.add_date(conn, actor, "rapport", "Rapport 1", date(year.starts_on.year, 11, 20))
        cp.add_moment(conn, actor, student, "na rapport 1")
    with store.read() as conn:
        calendar = moments.school_calendar(conn, actor)
        plan = cp.get_plan(conn, actor, student)
    day = cp.upcoming(plan, calendar, year.starts_on)[0][0]
    assert day > date(year.starts_on.year, 11, 20) and calendar.is_school_day(day)


def test_the_plan_and_its_moments_are_in_the_inzage_and_go_with_the_student(actor, student):
    from stip import privacy

    with store.write() as conn:
        cp.save_plan(conn, actor, student, {"behoefte": "Rust <en> ruimte"}, None)
        cp.add_moment(conn, actor, student, "na rapport 1", "telefoon")
    with store.read() as conn:
        page = privacy.inzage_html(privacy.inzage(conn, actor, student))
    assert "Momenten van het communicatieplan" in page and "na rapport 1" in page
    assert "wat de leerling nodig heeft" in page and "Rust &lt;en&gt; ruimte" in page
    assert "na_rapport" not in page
    with store.write() as conn:
        privacy.delete_student(conn, actor, student)
    with store.read() as conn:
        assert (
            conn.execute(select(T.plan_moment).where(T.plan_moment.c.student_id == student)).first() is None
        )


def test_the_agenda_shows_a_patterns_next_moment_on_the_date_the_plan_shows(actor, student, calendar):
    from stip import agenda_week

    with store.write() as conn:
        cp.apply_pattern(conn, actor, student, "na_elk_rapport", None, [], calendar=calendar)
        klas = conn.execute(select(T.student.c.klas_id).where(T.student.c.id == student)).scalar_one()
    plan = plan_of(actor, student)
    day, moment = cp.upcoming(plan, calendar)[0]
    with store.read() as conn:
        week = agenda_week.week_agenda(conn, actor, klas, today=day)
    mine = [e for e in week.this_week if e.student_id == student and e.source == "moment"]
    assert [(e.day, e.source_id) for e in mine] == [(day, moment["id"])]
    assert moments.moment_label(moment["kind"], moment["value"]) in mine[0].what
