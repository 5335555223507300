"""Text from screens gets the same limits as the import (DESIGN §8), in the service layer.

For every save service: a value longer than its column, a NUL, and a CR/LF in a one-line field are
refused with the service's typed error naming the field and a catalog key, and nothing is stored.
Multi-line notes keep newlines and tabs. On a screen, a refused field shows its Dutch message at that
field while the other changed fields still save.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from stip import gouden_mail, invitations, klassen, planning, records, startgesprek, store
from stip.i18n import t
from stip.store import tables as T
from stip.validation import TEXT_LIMIT, TextRefused, check_text, check_texts
from widgets.startgesprek import StartgesprekScreen
from widgets.student_edit import StudentPanel

TOO_LONG, ONE_LINE, BAD = "validation.too_long", "validation.one_line", "validation.bad_character"


def student_id(leerlingnummer: str = "240120") -> int:
    with store.read() as conn:
        return conn.execute(
            select(T.student.c.id).where(T.student.c.leerlingnummer == leerlingnummer)
        ).scalar_one()


def everything() -> dict:
    with store.read() as conn:
        return records.export_all(conn)


def first_guardian(actor, sid: int) -> dict:
    with store.read() as conn:
        return klassen.get_student(conn, actor, sid)["guardians"][0]


@pytest.fixture
def school(demo_school, actor):
    """The acting staff member of a fresh Voorbeeldschool."""
    return actor


# -- the rule itself ---------------------------------------------------------------------------------


def test_the_rule_reads_limits_and_kinds_from_the_table_definitions():
    assert check_text("klas", "x" * 40, T.klas.c.name) == "x" * 40
    with pytest.raises(TextRefused) as refused:
        check_text("klas", "x" * 41, T.klas.c.name)
    assert (refused.value.field, refused.value.message_key) == ("klas", TOO_LONG)
    assert refused.value.values == {"limit": 40, "length": 41}
    assert t(TOO_LONG, **refused.value.values).startswith("Maximaal 40 tekens")
    assert check_text("notes", "x" * TEXT_LIMIT, T.conversation.c.notes)
    with pytest.raises(TextRefused):
        check_text("notes", "x" * (TEXT_LIMIT + 1), T.conversation.c.notes)
    # Notes keep newlines and tabs (CR LF becomes LF); one-line fields refuse every line break.
    note = check_text("notes", "Eerste regel\r\n\tTweede\rDerde", T.conversation.c.notes)
    assert note == "Eerste regel\n\tTweede\nDerde"
    for breaker in ("\n", "\r", "\r\n", "\u2028", "\x85", "\v"):
        with pytest.raises(TextRefused) as refused:
            check_text("naam", f"Anna{breaker}Bcc: x@example.org", T.guardian.c.naam)
        assert refused.value.message_key == ONE_LINE
    for bad in ("\x00", "\x07", "\x1b", "\x7f", "\ud800"):
        for column in (T.guardian.c.naam, T.conversation.c.notes):
            with pytest.raises(TextRefused) as refused:
                check_text("x", f"a{bad}b", column)
            assert refused.value.message_key == BAD
    with pytest.raises(TextRefused) as refused:
        check_text("naam", "Anna\tde Vries", T.guardian.c.naam)  # a tab in a name: a control character
    assert refused.value.message_key == BAD
    # Ordinary text passes untouched: accents, emoji, zero-width joiner, right-to-left.
    fine = "Zoë 👩‍👧 O’Brien يوسف"
    assert check_text("naam", fine, T.guardian.c.naam) == fine
    assert check_texts(T.guardian, {"naam": fine, "tolk_nodig": True, "onbekend": "\x00"}) == {
        "naam": fine,
        "tolk_nodig": True,
        "onbekend": "\x00",  # not a column of the table: not this rule's business
    }


def test_the_messages_say_what_to_fix():
    assert t(TOO_LONG, limit=80, length=95).startswith("Maximaal 80 tekens")
    assert "één regel" in t(ONE_LINE)
    assert "teken dat niet kan" in t(BAD)


# -- every save service ------------------------------------------------------------------------------


def _save_student(actor, field, value):
    with store.write() as conn:
        if field == "klas":
            klassen.save_student(conn, actor, student_id(), {}, 1, klas=value)
        else:
            klassen.save_student(conn, actor, student_id(), {field: value}, 1)


def _new_student(actor, field, value):
    values = {"leerlingnummer": "999001", "roepnaam": "Mila", "achternaam": "Kok", field: value}
    with store.write() as conn:
        klassen.save_student(conn, actor, None, values, klas="1A")


def _save_guardian(actor, field, value):
    sid = student_id()
    guardian = first_guardian(actor, sid)
    with store.write() as conn:
        klassen.save_guardian(conn, actor, sid, guardian["id"], {field: value}, guardian["version"])


def _new_guardian(actor, field, value):
    with store.write() as conn:
        klassen.save_guardian(conn, actor, student_id(), None, {"naam": "Anna Kok", field: value})


def _save_conversation(actor, field, value):
    with store.write() as conn:
        startgesprek.save_conversation(conn, actor, student_id(), {field: value}, 1)


def _save_afspraak(actor, field, value):
    with store.write() as conn:
        startgesprek.save_afspraak(conn, actor, student_id(), None, {"wat": "Elke week bellen", field: value})


def _save_plan(actor, field, value):
    with store.write() as conn:
        startgesprek.save_plan(conn, actor, student_id(), {field: value}, None)


def _add_slots(actor, field, value):
    with store.write() as conn:
        klas = conn.execute(select(T.klas.c.id).where(T.klas.c.name == "1A")).scalar_one()
        slot = planning.Slot(datetime(2026, 9, 8, 17, 0), datetime(2026, 9, 8, 17, 20), None, value)
        startgesprek.add_slots(conn, actor, klas, [slot])


def _save_gouden_mail(actor, field, value):
    with store.write() as conn:
        gouden_mail.save(conn, actor, student_id(), {field: value}, None)


def _save_template(actor, field, value):
    values = {"subject": "Uitnodiging", "body": "Beste {ouders},", field: value}
    with store.write() as conn:
        invitations.save_template(conn, actor, "email", values["subject"], values["body"], None)


# (save, field, one-line?, length limit, typed error)
SERVICES = [
    (_save_student, "roepnaam", True, 200, klassen.KlassenError),
    (_save_student, "achternaam", True, 200, klassen.KlassenError),
    (_save_student, "tussenvoegsel", True, 200, klassen.KlassenError),
    (_save_student, "leerlingnummer", True, 40, klassen.KlassenError),
    (_save_student, "klas", True, 40, klassen.KlassenError),
    (_new_student, "roepnaam", True, 200, klassen.KlassenError),
    (_save_guardian, "naam", True, 200, klassen.KlassenError),
    (_save_guardian, "email", True, 200, klassen.KlassenError),
    (_save_guardian, "telefoon", True, 40, klassen.KlassenError),
    (_save_guardian, "taal", True, 60, klassen.KlassenError),
    (_save_guardian, "relatie", True, 60, klassen.KlassenError),
    (_new_guardian, "email", True, 200, klassen.KlassenError),
    (_save_conversation, "shared_goal", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_save_conversation, "notes", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_save_conversation, "collective_info_when", True, 200, startgesprek.StartgesprekError),
    (_save_afspraak, "wat", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_save_afspraak, "wie", True, 200, startgesprek.StartgesprekError),
    (_save_afspraak, "evaluatie", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_save_plan, "momenten", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_save_plan, "frequentie", True, 200, startgesprek.StartgesprekError),
    (_save_plan, "notes", False, TEXT_LIMIT, startgesprek.StartgesprekError),
    (_add_slots, "location", True, 200, startgesprek.StartgesprekError),
    (_save_gouden_mail, "positief", False, TEXT_LIMIT, gouden_mail.GoudenMailError),
    (_save_template, "subject", True, 200, TextRefused),
    (_save_template, "body", False, TEXT_LIMIT, TextRefused),
]
IDS = [f"{save.__name__[1:]}-{field}" for save, field, *_ in SERVICES]


@pytest.mark.parametrize(("save", "field", "one_line", "limit", "error"), SERVICES, ids=IDS)
def test_every_save_service_refuses_bad_text_at_its_field_and_stores_nothing(
    school, save, field, one_line, limit, error
):
    before = everything()
    cases = [("x" * (limit + 1), TOO_LONG), ("Anna\x00Kok", BAD)]
    if one_line:
        cases += [("Anna\r\nBcc: x@example.org", ONE_LINE), ("Anna\nKok", ONE_LINE)]
    for value, key in cases:
        with pytest.raises(error) as refused:
            save(school, field, value)
        assert (refused.value.field, refused.value.message_key) == (field, key), repr(value)
        text = t(refused.value.message_key, **refused.value.values)
        assert text and "{" not in text and not text.startswith("validation.")
        assert everything() == before, f"{field}: something was stored for {value[:20]!r}"


def test_the_reported_10000_character_klas_and_thuistaal_are_refused(school):
    sid = student_id()
    guardian = first_guardian(school, sid)
    before = everything()
    with pytest.raises(klassen.KlassenError) as refused, store.write() as conn:
        klassen.save_student(conn, school, sid, {"roepnaam": "Ilias"}, 1, klas="3" * 10_000)
    assert refused.value.field == "klas" and refused.value.values["limit"] == 40
    with pytest.raises(klassen.KlassenError) as refused, store.write() as conn:
        klassen.save_guardian(conn, school, sid, guardian["id"], {"taal": "a" * 10_000}, guardian["version"])
    assert refused.value.field == "taal" and refused.value.values["limit"] == 60
    assert everything() == before


def test_good_text_is_stored_notes_keep_their_lines(school):
    sid = student_id()
    with store.write() as conn:
        klassen.save_student(conn, school, sid, {"roepnaam": "  Zoë  "}, 1, klas="x" * 40)
        version = startgesprek.save_conversation(
            conn, school, sid, {"notes": "Wensen:\r\n\t- vaker bellen\r\n\t- tolk Arabisch"}, 1
        )
        startgesprek.save_afspraak(conn, school, sid, None, {"wat": "Bellen\nna de vakantie"})
        talk = startgesprek.get_conversation(conn, school, sid)
        student = klassen.get_student(conn, school, sid)
    assert student["roepnaam"] == "Zoë" and student["klas"] == "x" * 40
    assert talk["notes"] == "Wensen:\n\t- vaker bellen\n\t- tolk Arabisch" and version == 2
    assert talk["afspraken"][0]["wat"] == "Bellen\nna de vakantie"


# -- on a screen: the message at the field, the other fields still save ------------------------------


def test_a_refused_field_shows_its_message_and_another_field_still_saves(school):
    sid = student_id()
    panel = StudentPanel(school, sid)
    card = panel.guardians.children[0]
    card.form.fields["taal"].value = "Arabisch" * 2_000  # 16,000 characters
    card.form.fields["telefoon"].value = "06-12345678"
    card.form.flush()

    expected = t(TOO_LONG, limit=60, length=16_000)
    assert card.form.errors["taal"].value == expected and card.form.errors["taal"].layout.display is None
    assert card.form.errors["telefoon"].layout.display == "none"
    assert panel.savebar.status == "error" and panel.savebar.text == expected and panel.savebar.dirty
    guardian = first_guardian(school, sid)
    assert guardian["telefoon"] == "06-12345678" and guardian["taal"] != "Arabisch" * 2_000
    assert card.form.changes == {"taal": "Arabisch" * 2_000}  # kept until it is fixed

    # Another edit saves too, and the refused field still says what is wrong until it is fixed.
    card.form.fields["naam"].value = "Huda Alkhatib-Haddad"
    card.form.flush()
    assert first_guardian(school, sid)["naam"] == "Huda Alkhatib-Haddad"
    assert card.form.errors["taal"].value == expected
    card.form.fields["taal"].value = "Arabisch"
    card.form.flush()
    assert first_guardian(school, sid)["taal"] == "Arabisch"
    assert card.form.errors["taal"].layout.display == "none" and not panel.savebar.dirty
    assert panel.savebar.status == "saved"

    # The student form: a name with a newline is refused at its field, the class change is stored.
    panel.form.fields["roepnaam"].value = "Youssef\nBcc: iedereen@example.org"
    panel.form.fields["klas"].value = "2B"
    panel.form.flush()
    assert panel.form.errors["roepnaam"].value == t(ONE_LINE)
    with store.read() as conn:
        student = klassen.get_student(conn, school, sid)
    assert student["klas"] == "2B" and "\n" not in student["roepnaam"]


def test_talk_notes_with_a_control_character_are_refused_and_the_goal_saves(school):
    screen = StartgesprekScreen(query={"klas": "1A"})
    screen.tabs.selected_index = 2
    talk = screen.talk
    fields = talk.talk_form.fields
    fields["notes"].value = "Gebeld met\x1b[31m vader"
    fields["shared_goal"].value = "Elke dag de planner bijhouden."
    talk.talk_form.flush()
    assert talk.talk_form.errors["notes"].value == t(BAD)
    with store.read() as conn:
        stored = startgesprek.get_conversation(conn, school, talk.student_id)
    assert stored["shared_goal"] == "Elke dag de planner bijhouden." and stored["notes"] == ""
