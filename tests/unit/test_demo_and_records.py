"""The demo school loader, status counts and the full export."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from stip import demo, home, records, store
from stip.store import tables as T


def test_demo_school_has_two_classes_guardians_interpreters_and_siblings(demo_school):
    assert (demo_school.klassen, demo_school.students) == (2, 51)
    with store.write() as conn:
        counts = records.counts(conn)
        per_klas = dict(
            conn.execute(
                select(T.klas.c.name, func.count(T.student.c.id))
                .join(T.student, T.student.c.klas_id == T.klas.c.id)
                .group_by(T.klas.c.name)
            ).all()
        )
        interpreters = conn.execute(
            select(func.count()).where(T.guardian.c.tolk_nodig.is_(True))
        ).scalar_one()
        shared = conn.execute(
            select(T.student_guardian.c.guardian_id)
            .join(T.student, T.student.c.id == T.student_guardian.c.student_id)
            .group_by(T.student_guardian.c.guardian_id)
            .having(func.count(func.distinct(T.student.c.klas_id)) > 1)
        ).all()
        school = conn.execute(select(T.school)).one()
    assert counts["students"] == 51 and counts["guardians"] == demo_school.guardians
    assert all(count >= 20 for count in per_klas.values())
    assert interpreters >= 3
    assert len(shared) >= 2  # siblings across classes share a guardian
    assert school.name == "Voorbeeldschool" and school.is_demo


def test_demo_is_refused_in_a_school_with_students(demo_school, actor):
    with pytest.raises(demo.DemoRefused), store.write() as conn:
        demo.load_demo(conn, actor)
    with store.write() as conn:
        assert records.counts(conn)["students"] == 51


def test_export_holds_every_table_and_student_fields(demo_school):
    with store.write() as conn:
        everything = records.export_all(conn)
        counts = records.counts(conn)
    assert set(everything) == set(counts) == set(T.PLURAL.values())
    assert {name: len(rows) for name, rows in everything.items()} == counts
    first = everything["students"][0]
    assert {"leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas"} <= set(first)
    assert first["klas"] in {"1A", "2B"}


def test_every_table_is_named_in_status_and_export():
    assert {table.name for table in T.metadata.sorted_tables} == set(T.PLURAL)


def test_home_summary_and_roles(demo_school, actor, tmp_path):
    with store.write() as conn:
        summary = home.school_summary(conn, actor)
    assert summary == home.SchoolSummary("Voorbeeldschool", True, 51, 2)
    (tmp_path / "Teamscan.ipynb").write_text("{}")
    roles = {role.key: role for role in home.roles(tmp_path)}
    assert set(roles) == {"mentor", "team", "trainer", "leiding"}
    team = {book.name: book.exists for book in roles["team"].workbooks}
    assert team == {"Teamscan": True, "Ouderplan": False, "Instellingen": False}
    assert all("Instellingen" in [b.name for b in role.workbooks] for role in roles.values())  # issue 14
    assert roles["team"].workbooks[0].href == "Teamscan.ipynb"
