"""Class lists into the store, one student and their guardians, siblings: services on a real SQLite."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from stip import imports, klassen, records, store
from stip.store import VersionConflict
from stip.store import tables as T

HEADER = (
    "leerlingnummer;roepnaam;tussenvoegsel;achternaam;klas;"
    "ouder1_naam;ouder1_email;ouder2_naam;ouder2_email\n"
)


def plan_of(text: str):
    return imports.parse(text.encode("utf-8"))


def import_text(actor, text: str, today: date | None = None):
    with store.write() as conn:
        return klassen.apply_import(conn, actor, plan_of(text), today=today)


def test_import_creates_classes_students_and_shared_guardians(actor):
    result = import_text(
        actor,
        HEADER
        + "1;Sara;;Bos;1A;Eva Bos;eva@example.org;;\n"
        + "2;Tim;;Bos;2B;Eva Bos;eva@example.org;Ruud Bos;ruud@example.org\n"
        + "3;Aya;el;Idrissi;1A;;;;\n",
    )
    assert (result.created, result.updated, sorted(result.klassen_created)) == (3, 0, ["1A", "2B"])
    with store.write() as conn:
        counts = records.counts(conn)
        tim = conn.execute(select(T.student.c.id).where(T.student.c.leerlingnummer == "2")).scalar_one()
        sara = conn.execute(select(T.student.c.id).where(T.student.c.leerlingnummer == "1")).scalar_one()
        assert [s["leerlingnummer"] for s in klassen.siblings(conn, actor, tim)] == ["1"]
        assert [s["id"] for s in klassen.siblings(conn, actor, sara)] == [tim]
    assert counts["guardians"] == 2 and counts["student_guardians"] == 3


def test_reimport_updates_by_leerlingnummer_and_flags_missing(actor):
    import_text(actor, HEADER + "1;Sara;;Bos;1A;;;;\n2;Tim;;Bos;1A;;;;\n9;Ali;;Kaya;2B;;;;\n")
    result = import_text(actor, HEADER + "1;Sarah;;Bos;1A;;;;\n3;Noor;;Smit;1A;;;;\n", today=date(2026, 9, 1))
    assert (result.created, result.updated, result.missing) == (1, 1, ["2"])
    with store.write() as conn:
        rows = {r.leerlingnummer: r for r in conn.execute(select(T.student))}
    assert rows["1"].roepnaam == "Sarah" and rows["1"].version == 2
    assert rows["2"].missing_since == date(2026, 9, 1)  # flagged, not deleted
    assert rows["9"].missing_since is None  # another class: not in this list's scope
    assert len(rows) == 4
    import_text(actor, HEADER + "2;Tim;;Bos;1A;;;;\n")
    with store.write() as conn:
        assert (
            conn.execute(select(T.student.c.missing_since).where(T.student.c.leerlingnummer == "2")).scalar()
            is None
        )


def test_import_with_errors_stores_nothing(actor):
    plan = plan_of(HEADER + "1;Sara;;Bos;1A;;;;\n1;Tim;;Bos;1A;;;;\n")
    assert not plan.ok
    with pytest.raises(klassen.ImportRejected), store.write() as conn:
        klassen.apply_import(conn, actor, plan)
    with store.write() as conn:
        assert conn.execute(select(func.count()).select_from(T.student)).scalar_one() == 0


def test_markup_and_formulas_are_stored_exactly(actor):
    import_text(actor, HEADER + '1;<img src=x onerror=alert(1)>;;"=HYPERLINK(""http://x"",""y"")";1A;;;;\n')
    with store.write() as conn:
        row = conn.execute(select(T.student)).one()
    assert row.roepnaam == "<img src=x onerror=alert(1)>"
    assert row.achternaam == '=HYPERLINK("http://x","y")'


def test_save_student_validates_and_guards_versions(actor):
    with store.write() as conn:
        sid, version = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "5", "roepnaam": "Mila", "achternaam": "Jansen"}, klas="3C"
        )
    with pytest.raises(klassen.KlassenError) as error, store.write() as conn:
        klassen.save_student(conn, actor, sid, {"roepnaam": "  "}, version)
    assert error.value.field == "roepnaam" and error.value.message_key == "klassen.field_required"
    with store.write() as conn:
        _, version2 = klassen.save_student(conn, actor, sid, {"roepnaam": "Milou"}, version)
    with pytest.raises(VersionConflict), store.write() as conn:
        klassen.save_student(conn, actor, sid, {"roepnaam": "Oud"}, version)
    with store.write() as conn:
        student = klassen.get_student(conn, actor, sid)
    assert (student["roepnaam"], student["klas"], student["version"]) == ("Milou", "3C", version2)


def test_leerlingnummer_must_stay_unique(actor):
    with store.write() as conn:
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "5", "roepnaam": "A", "achternaam": "B"}, klas="1A"
        )
    with pytest.raises(klassen.KlassenError) as error, store.write() as conn:
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "5", "roepnaam": "C", "achternaam": "D"}, klas="1A"
        )
    assert error.value.message_key == "klassen.leerlingnummer_taken"


def test_guardians_are_added_edited_and_checked(actor):
    with store.write() as conn:
        sid, _ = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "5", "roepnaam": "A", "achternaam": "B"}, klas="1A"
        )
        gid, gv = klassen.save_guardian(
            conn,
            actor,
            sid,
            None,
            {"naam": "Fatima B", "taal": "Arabisch", "tolk_nodig": True, "relatie": "moeder"},
        )
    with pytest.raises(klassen.KlassenError) as error, store.write() as conn:
        klassen.save_guardian(conn, actor, sid, gid, {"email": "geen-adres"}, gv)
    assert error.value.field == "email"
    with store.write() as conn:
        klassen.save_guardian(conn, actor, sid, gid, {"voorkeurskanaal": "app", "apart_informeren": True}, gv)
        guardian = klassen.get_student(conn, actor, sid)["guardians"][0]
    assert (guardian["taal"], guardian["tolk_nodig"], guardian["voorkeurskanaal"]) == (
        "Arabisch",
        True,
        "app",
    )
    assert guardian["apart_informeren"] and guardian["relatie"] == "moeder"


def test_sibling_suggestion_by_shared_phone_then_confirmed(actor):
    with store.write() as conn:
        a, _ = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "1", "roepnaam": "A", "achternaam": "X"}, klas="1A"
        )
        b, _ = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "2", "roepnaam": "B", "achternaam": "X"}, klas="2B"
        )
        klassen.save_guardian(conn, actor, a, None, {"naam": "Moeder X", "telefoon": "06-0011 2233"})
        klassen.save_guardian(conn, actor, b, None, {"naam": "Mama X", "telefoon": "0600112233"})
        assert [s["id"] for s in klassen.sibling_suggestions(conn, actor, a)] == [b]
        klassen.confirm_sibling(conn, actor, a, b)
        assert klassen.sibling_suggestions(conn, actor, a) == []
        assert [s["id"] for s in klassen.siblings(conn, actor, b)] == [a]


def test_demo_school_classes(demo_school, actor):
    with store.write() as conn:
        infos = klassen.klassen(conn, actor)
        students = klassen.class_students(conn, actor, infos[0].id)
    assert [k.name for k in infos] == ["1A", "2B"] and infos[0].students == 26 and infos[0].mentor
    assert len(students) == 26 and all("guardians" in s for s in students)


def test_the_same_guardian_twice_on_one_row_is_linked_once(actor):
    import_text(actor, HEADER + "1;Sara;;Bos;1A;Eva Bos;eva@example.org;Eva Bos;eva@example.org\n")
    import_text(actor, HEADER + "1;Sara;;Bos;1A;Eva Bos;eva@example.org;Eva Bos;eva@example.org\n")
    with store.write() as conn:
        counts = records.counts(conn)
    assert (counts["guardians"], counts["student_guardians"]) == (1, 1)


def test_klas_names_match_whatever_their_case(actor):
    import_text(actor, HEADER + "1;Sara;;Bos;1A;;;;\n")
    with store.write() as conn:
        sid, version = klassen.save_student(
            conn, actor, None, {"leerlingnummer": "2", "roepnaam": "Tim", "achternaam": "Bos"}, klas="1a"
        )
        names = [k.name for k in klassen.klassen(conn, actor)]
    assert names == ["1A"]


def test_reimport_keeps_a_known_language_and_a_new_unknown_one_stays_empty(actor):
    header = "leerlingnummer;roepnaam;achternaam;klas;ouder1_naam;ouder1_taal\n"
    import_text(actor, header + "1;Sara;Bos;1A;Eva Bos;Pools\n2;Tim;Kok;1A;Ali Kok;\n")
    import_text(actor, header + "1;Sara;Bos;1A;Eva Bos;\n")
    with store.write() as conn:
        languages = dict(conn.execute(select(T.guardian.c.naam, T.guardian.c.taal)).all())
    assert languages == {"Eva Bos": "Pools", "Ali Kok": ""}


def test_a_plain_reimport_keeps_apart_informeren_tolk_and_relatie(actor):
    full = (
        "leerlingnummer;roepnaam;achternaam;klas;"
        "ouder1_naam;ouder1_relatie;ouder1_tolk_nodig;apart_informeren\n"
    )
    import_text(actor, full + "1;Sara;Bos;1A;Eva Bos;moeder;ja;ja\n")
    plain = "leerlingnummer;roepnaam;achternaam;klas;ouder1_naam\n"
    import_text(actor, plain + "1;Sara;Bos;1A;Eva Bos\n")
    with store.write() as conn:
        guardian = klassen.get_student(conn, actor, conn.execute(select(T.student.c.id)).scalar_one())[
            "guardians"
        ][0]
    assert (guardian["relatie"], guardian["tolk_nodig"], guardian["apart_informeren"]) == (
        "moeder",
        True,
        True,
    )


def test_a_mentor_whose_name_is_still_the_login_is_shown_as_such(actor):
    """Issue 15 review: the Overzicht showed 'mentor1a' as if it were a name."""
    from sqlalchemy import update

    from stip.i18n import t

    with store.write() as conn:
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "1", "roepnaam": "Sara", "achternaam": "Bos"}, klas="1A"
        )
        conn.execute(update(T.klas).values(mentor_id=actor.id))
        [info] = klassen.klassen(conn, actor)
    assert info.mentor == t("klassen.mentor_without_name", login="testmentor")
    with store.write() as conn:
        conn.execute(
            update(T.staff_member).where(T.staff_member.c.id == actor.id).values(naam="Sanne Verhoef")
        )
        [info] = klassen.klassen(conn, actor)
    assert info.mentor == "Sanne Verhoef"
