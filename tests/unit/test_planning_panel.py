"""The planning tab as a mentor meets it (issue 14 §4): interpreter languages, sibling day and time, a
warning when siblings end up apart, a class switch that leaves nothing of the previous class, and
"1 gezin" where there is one."""

from __future__ import annotations

from sqlalchemy import select

from stip import planning, startgesprek, store
from stip.store import tables as T
from tests.unit.test_startgesprek_screen import at, klas_id, plan_slots, slot_rows, student_id
from widgets.startgesprek import StartgesprekScreen


def interpreter_family() -> tuple[int, str]:
    """A student of 1A whose parent needs an interpreter, and that language."""
    with store.read() as conn:
        row = conn.execute(
            select(T.student.c.id, T.guardian.c.taal)
            .join(T.student_guardian, T.student_guardian.c.student_id == T.student.c.id)
            .join(T.guardian, T.guardian.c.id == T.student_guardian.c.guardian_id)
            .join(T.klas, T.klas.c.id == T.student.c.klas_id)
            .where(T.guardian.c.tolk_nodig.is_(True), T.guardian.c.taal != "", T.klas.c.name == "1A")
            .order_by(T.student.c.id)
        ).first()
    return row.id, row.taal


def line_of(panel, student: int):
    return next(line for line in panel.table.children if line.children[0].value == student)


def test_the_slot_names_the_language_of_the_interpreter(demo_school, actor):
    student, taal = interpreter_family()
    panel = StartgesprekScreen(query={"klas": "1A"}).plan
    plan_slots(panel)
    slot_rows(panel)[0].value = student
    assert f"tolk {taal}" in line_of(panel, student).children[2].value


def test_placing_a_child_away_from_a_planned_sibling_warns_and_back_to_back_does_not(demo_school, actor):
    nora, yassin = student_id("Nora", "Amrani"), student_id("Yassin", "Amrani")
    kid_2b = klas_id("2B")
    with store.write() as conn:  # Nora (2B) has her talk at 17:00
        mentor = conn.execute(select(T.klas.c.mentor_id).where(T.klas.c.id == kid_2b)).scalar_one()
        startgesprek.add_slots(conn, actor, kid_2b, [planning.Slot(at(17), at(17, 20), mentor)])
        startgesprek.assign_slot(conn, actor, nora, startgesprek.slots(conn, actor, kid_2b)[0]["id"])
    panel = StartgesprekScreen(query={"klas": "1A"}).plan
    plan_slots(panel, start="17:20", end="18:40", breaks="")  # 17:20, 17:40, 18:00, 18:20
    rows = slot_rows(panel)
    rows[2].value = yassin  # 18:00: the parents would come twice
    assert panel.savebar.status == "info"
    assert "Yassin el Amrani zit nu niet direct voor of na Nora (2B, di 9-9 17:00)" in panel.savebar.text
    notes = line_of(panel, yassin).children[2].value
    assert "broer/zus Nora (2B): di 9-9 17:00 — niet direct na elkaar" in notes  # at the row itself
    assert "stip-warning" in notes and panel.apart == ["Yassin el Amrani"]
    rows = slot_rows(panel)
    rows[2].value = 0  # free it again, then 17:20: right after Nora
    rows[0].value = yassin
    assert panel.savebar.status == "saved" and panel.apart == []
    assert "stip-warning" not in line_of(panel, yassin).children[2].value


def test_switching_class_clears_the_previous_class_and_counts_read_well(demo_school, actor):
    screen = StartgesprekScreen(query={"klas": "1A"})
    panel = screen.plan
    plan_slots(panel, start="17:00", end="17:20", breaks="", location="lokaal 1.12")
    assert panel.savebar.text == "1 gesprekstijd toegevoegd."
    assert "1 gesprekstijd; 0 van 26 gezinnen ingepland." in panel.summary.value
    panel.breaks.value = "19:00-19:15"
    screen.klas.value = klas_id("2B")
    assert panel.savebar.text == "" and panel.breaks.value == "" and panel.location.value == ""
    assert panel.table.children == ()
    assert "0 gesprekstijden; 0 van" in panel.summary.value


def test_a_mentor_double_booked_across_classes_is_told_who_and_where(demo_school, actor):
    import pytest
    from sqlalchemy import update

    from stip import klassen
    from stip.i18n import t

    one_a, two_b = klas_id("1A"), klas_id("2B")
    with store.write() as conn:
        mentor_1a = conn.execute(select(T.klas.c.mentor_id).where(T.klas.c.id == one_a)).scalar_one()
        naam = conn.execute(
            select(T.staff_member.c.naam).where(T.staff_member.c.id == mentor_1a)
        ).scalar_one()
        startgesprek.add_slots(conn, actor, one_a, [planning.Slot(at(17), at(17, 20))])
        conn.execute(update(T.klas).where(T.klas.c.id == two_b).values(mentor_id=mentor_1a))
    with pytest.raises(startgesprek.StartgesprekError) as refused, store.write() as conn:
        startgesprek.add_slots(conn, actor, two_b, [planning.Slot(at(17, 10), at(17, 30))])
    assert t(refused.value.message_key, **refused.value.values).startswith(
        f"Om 09-09 17:10 heeft {naam} al een gesprekstijd bij klas 1A."
    )
    # A class without a mentor plans on the acting staff member: the message says "you".
    with store.write() as conn:
        conn.execute(update(T.klas).where(T.klas.c.id == two_b).values(mentor_id=None))
        startgesprek.add_slots(conn, actor, two_b, [planning.Slot(at(19), at(19, 20))])
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "990002", "roepnaam": "Ida", "achternaam": "Kok"}, klas="3C"
        )
    three_c = klas_id("3C")
    with pytest.raises(startgesprek.StartgesprekError) as refused, store.write() as conn:
        startgesprek.add_slots(conn, actor, three_c, [planning.Slot(at(19, 10), at(19, 30))])
    text = t(refused.value.message_key, **refused.value.values)
    assert (
        text.startswith("Om 09-09 19:10 heb je zelf al een gesprekstijd bij klas 2B.") and "klas 3C" in text
    )
