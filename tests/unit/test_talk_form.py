"""The talk form (issue 14 §1): "Gehouden op" comes from the planned time, and nothing typed is lost."""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from stip import planning, startgesprek, store, timefmt
from stip.i18n import t
from stip.store import tables as T
from widgets.startgesprek import StartgesprekScreen


def plan_yousef(actor, day) -> int:
    with store.write() as conn:
        student = conn.execute(select(T.student.c.id).where(T.student.c.roepnaam == "Yousef")).scalar_one()
        klas_id = conn.execute(select(T.student.c.klas_id).where(T.student.c.id == student)).scalar_one()
        startgesprek.add_slots(conn, actor, klas_id, planning.make_slots(day, time(16), time(16, 20), 20))
        slot = startgesprek.slots(conn, actor, klas_id)[0]
        startgesprek.assign_slot(conn, actor, student, slot["id"])
    return student


def stored(actor, student):
    with store.read() as conn:
        return startgesprek.get_conversation(conn, actor, student)


def test_held_on_comes_from_a_planned_time_that_has_passed_and_is_saved_with_the_first_entry(
    demo_school, actor
):
    yesterday = timefmt.today() - timedelta(days=1)
    student = plan_yousef(actor, yesterday)
    talk = StartgesprekScreen(query={"student": str(student)}).talk
    form = talk.talk_form
    assert form.fields["held_on"].value == yesterday
    assert form.errors["held_on"].value == t("startgesprek.held_on_from_slot")
    assert stored(actor, student)["held_on"] is None  # opening stores nothing
    form.fields["present_student"].value = True
    form.flush()
    talk_row = stored(actor, student)
    assert talk_row["held_on"] == yesterday and talk_row["present"]["student"] is True


def test_a_planned_time_still_to_come_is_not_suggested(demo_school, actor):
    student = plan_yousef(actor, timefmt.today() + timedelta(days=3))
    form = StartgesprekScreen(query={"student": str(student)}).talk.talk_form
    assert form.fields["held_on"].value is None
    assert form.errors["held_on"].layout.display == "none"


def test_a_refused_date_keeps_its_message_while_five_other_fields_save(demo_school, actor):
    student = plan_yousef(actor, timefmt.today() + timedelta(days=3))
    talk = StartgesprekScreen(query={"student": str(student)}).talk
    form, plan = talk.talk_form, talk.plan_form
    form.fields["held_on"].value = timefmt.today() + timedelta(days=2)
    form.flush()
    assert form.errors["held_on"].value == t("startgesprek.held_in_future")
    guardian = talk.guardians[0]["id"]
    form.fields["present_student"].value = True
    form.fields[f"present_{guardian}"].value = True
    form.fields["shared_goal"].value = "Zelf mijn huiswerk plannen"
    form.fields["notes"].value = "Yousef vertelde over zijn hobby."
    form.flush()
    plan.fields["momenten"].value = "na rapport 1"
    plan.flush()
    assert form.errors["held_on"].value == t("startgesprek.held_in_future")  # still shown until fixed
    row = stored(actor, student)
    assert row["held_on"] is None
    assert row["present"]["student"] and row["present"]["guardians"] == [guardian]
    assert (row["shared_goal"], row["notes"]) == (
        "Zelf mijn huiswerk plannen",
        "Yousef vertelde over zijn hobby.",
    )
    assert row["plan"]["momenten"] == "na rapport 1"


def test_the_talk_shows_the_moments_already_in_the_communicatieplan(demo_school, actor):
    """Issue 15 review: the talk showed an empty plan while the Communicatieplan held its moments."""
    from stip import communicatieplan

    student = plan_yousef(actor, timefmt.today() + timedelta(days=3))
    with store.write() as conn:
        communicatieplan.add_moment(conn, actor, student, "na rapport 1", vorm="telefoon")
        communicatieplan.add_moment(conn, actor, student, "juni-evaluatie")
    talk = StartgesprekScreen(query={"student": str(student)}).talk
    html = " ".join(
        child.value
        for box in talk.body.children
        for child in box.children
        if isinstance(getattr(child, "value", None), str)
    )
    assert t("startgesprek.plan_moments_intro") in html
    assert "na rapport 1 — telefoon" in html and "juni-evaluatie" in html
