"""Bulk writes send a fixed number of SQL statements, whatever the number of rows (DESIGN §2, issue 13).

Statements are counted with a `before_cursor_execute` listener on the engine (an executemany is one
event); each test compares a small and a larger input and checks what was stored. No timings here:
`bench/import_rows.py` measures those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import event, select

from stip import imports, klassen, records, schools, store
from stip.store import tables as T

HEADER = [
    "leerlingnummer",
    "roepnaam",
    "tussenvoegsel",
    "achternaam",
    "klas",
    "mentor",
    "ouder1_naam",
    "ouder1_relatie",
    "ouder1_email",
    "ouder1_telefoon",
    "ouder1_taal",
    "ouder1_tolk_nodig",
    "ouder2_naam",
    "ouder2_email",
    "apart_informeren",
]


@contextmanager
def counted() -> Iterator[list[str]]:
    """The SQL statements sent to the database inside the block (an executemany counts once)."""
    statements: list[str] = []

    def count(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(store.engine(), "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(store.engine(), "before_cursor_execute", count)


@pytest.fixture
def fresh_school(tmp_path, monkeypatch, stip_data) -> Callable[[str], schools.Actor]:
    """Switch to a new, migrated, empty database (one per name) and return its acting staff member."""
    engines = []

    def make(name: str) -> schools.Actor:
        monkeypatch.setenv("STIP_DATA", str(tmp_path / name))
        store.migrate()
        engines.append(store.engine())
        with store.write() as conn:
            return schools.acting_staff_member(conn)

    yield make
    for engine in engines:
        engine.dispose()


def class_list(rows: int, start: int = 1000, klassen_count: int = 3, prefix: str = "K") -> bytes:
    """`rows` students in `klassen_count` classes, a mentor per class, two guardians for most students,
    every fifth student a brother or sister of the one before (the same parents)."""
    lines = [";".join(HEADER)]
    for i in range(rows):
        family = i - 1 if i % 5 == 4 else i
        klas = f"{prefix}{i % klassen_count + 1}"
        lines.append(
            ";".join(
                [
                    str(start + i),
                    f"Kind{i}",
                    "van" if i % 7 == 0 else "",
                    f"Familie{family}",
                    klas,
                    f"Mentor {klas}",
                    f"Moeder {family}",
                    "moeder",
                    f"moeder{family}@example.org",
                    f"06-{family:08d}",
                    "Arabisch" if family % 3 == 0 else "Nederlands",
                    "ja" if family % 6 == 0 else "",
                    f"Vader {family}" if family % 4 else "",
                    f"vader{family}@example.org" if family % 4 else "",
                    "ja" if i % 10 == 0 else "",
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def import_counted(actor, data: bytes, today: date | None = None):
    """Validate, match on a read transaction and store on a write transaction, as the screen does."""
    plan = imports.parse(data)
    assert plan.ok, plan.errors[:3]
    with counted() as statements:
        with store.read() as conn:
            prepared = klassen.prepare_import(conn, actor, plan)
        with store.write() as conn:
            result = klassen.apply_import(conn, actor, prepared, today=today)
    return result, len(statements)


def counts() -> dict[str, int]:
    with store.read() as conn:
        return records.counts(conn)


# -- the class-list import ----------------------------------------------------------------------------


def test_import_statements_do_not_grow_with_rows(fresh_school):
    found = {}
    for rows in (30, 300):
        actor = fresh_school(f"school{rows}")
        result, statements = import_counted(actor, class_list(rows))
        families = rows - rows // 5  # every fifth student shares the parents of the one before
        second = sum(1 for i in range(rows) if i % 5 != 4 and i % 4)
        stored = counts()
        assert (result.created, result.updated, result.missing) == (rows, 0, [])
        assert result.guardians_created == families + second
        assert stored["students"] == rows and stored["klassen"] == 3
        assert stored["guardians"] == families + second
        assert stored["student_guardians"] == sum(2 if (i - (i % 5 == 4)) % 4 else 1 for i in range(rows))
        assert stored["staff_members"] == 1 + 3  # the acting member and one mentor per class
        found[rows] = statements
    assert found[30] == found[300], found
    assert found[30] <= 30  # it was 5 statements per row and more (13,071 for 3,000 rows)


def student_id(conn, number: str) -> int:
    return conn.execute(select(T.student.c.id).where(T.student.c.leerlingnummer == number)).scalar_one()


def test_an_import_stores_what_the_list_says(fresh_school):
    actor = fresh_school("values")
    import_counted(actor, class_list(30))
    with store.read() as conn:
        klas_rows = conn.execute(
            select(T.klas.c.name, T.staff_member.c.naam, T.staff_member.c.login)
            .join(T.staff_member, T.staff_member.c.id == T.klas.c.mentor_id)
            .order_by(T.klas.c.name)
        ).all()
        first = klassen.get_student(conn, actor, student_id(conn, "1000"))
        seventh = klassen.get_student(conn, actor, student_id(conn, "1006"))
        shared = [s["id"] for s in klassen.siblings(conn, actor, student_id(conn, "1004"))]
        sister = student_id(conn, "1003")
    assert [tuple(r) for r in klas_rows] == [
        ("K1", "Mentor K1", "mentor.k1"),
        ("K2", "Mentor K2", "mentor.k2"),
        ("K3", "Mentor K3", "mentor.k3"),
    ]
    names = (first["roepnaam"], first["tussenvoegsel"], first["achternaam"], first["klas"])
    assert names == ("Kind0", "van", "Familie0", "K1")
    [mother] = first["guardians"]  # family 0 has no second guardian
    assert (mother["naam"], mother["email"], mother["telefoon"], mother["taal"]) == (
        "Moeder 0",
        "moeder0@example.org",
        "06-00000000",
        "Arabisch",
    )
    assert mother["tolk_nodig"] and mother["relatie"] == "moeder" and mother["apart_informeren"]
    father = seventh["guardians"][1]
    assert (father["naam"], father["relatie"], father["taal"], father["tolk_nodig"]) == (
        "Vader 6",
        "ouder",
        "",
        False,
    )
    assert shared == [sister]  # 1004 is the brother of 1003: the same parents, stored once


def test_a_reimport_updates_flags_and_links_with_the_same_statements(fresh_school):
    found = {}
    for rows in (30, 300):
        actor = fresh_school(f"again{rows}")
        import_counted(actor, class_list(rows))
        changed = class_list(rows + 1)  # one new student ...
        lines = changed.decode().splitlines()
        del lines[2]  # ... and the second student (1001, class K2) left the list
        assert lines[1].endswith(";ja")  # apart informeren
        lines[1] = lines[1].replace("Kind0", "Kindje").replace(";moeder;", ";mama;")[: -len("ja")] + "nee"
        result, statements = import_counted(actor, ("\n".join(lines) + "\n").encode(), date(2031, 9, 1))
        assert (result.created, result.updated, result.missing) == (1, rows - 1, ["1001"])
        with store.read() as conn:
            rows_by_number = {r.leerlingnummer: r for r in conn.execute(select(T.student))}
            first = klassen.get_student(conn, actor, student_id(conn, "1000"))
        assert rows_by_number["1001"].missing_since == date(2031, 9, 1)
        assert rows_by_number["1000"].version == 2 and first["roepnaam"] == "Kindje"
        assert [(g["relatie"], g["apart_informeren"]) for g in first["guardians"]] == [("mama", False)]
        assert counts()["students"] == rows + 1
        found[rows] = statements
    assert found[30] == found[300], found


def test_a_prepared_import_is_matched_again_when_the_store_changed_meanwhile(fresh_school):
    actor = fresh_school("meanwhile")
    plan = imports.parse(class_list(5))
    with store.read() as conn:
        prepared = klassen.prepare_import(conn, actor, plan)
    with store.write() as conn:  # another user adds student 1002 by hand before the import is stored
        klassen.save_student(
            conn, actor, None, {"leerlingnummer": "1002", "roepnaam": "Hand", "achternaam": "Werk"}, klas="K3"
        )
    with store.write() as conn:
        result = klassen.apply_import(conn, actor, prepared)
    assert (result.created, result.updated) == (4, 1)
    with store.read() as conn:
        names = dict(conn.execute(select(T.student.c.leerlingnummer, T.student.c.roepnaam)).all())
    assert names["1002"] == "Kind2" and len(names) == 5


def test_a_new_mentor_whose_login_is_taken_gets_another(fresh_school):
    actor = fresh_school("logins")
    with store.write() as conn:
        schools.ensure_staff_member(conn, actor.school_id, "j.jansen", "Joke Jansen")
    data = "leerlingnummer;roepnaam;achternaam;klas;mentor\n1;A;B;1A;J Jansen\n2;C;D;1B;j.jansen\n"
    import_counted(actor, data.encode())
    with store.read() as conn:
        mentors = conn.execute(
            select(T.klas.c.name, T.staff_member.c.login)
            .join(T.staff_member, T.staff_member.c.id == T.klas.c.mentor_id)
            .order_by(T.klas.c.name)
        ).all()
    assert [tuple(m) for m in mentors] == [("1A", "j.jansen.2"), ("1B", "j.jansen")]


# -- validation: the fast path gives exactly what the full check gives ---------------------------------

CELLS = ["", " ", "1", "2", "Ja", "x", "nee", "misschien", "a@b.nl", "geen-mail", "Eva", "eva", "7" * 45]


@settings(max_examples=150)
@given(st.lists(st.lists(st.sampled_from(CELLS), min_size=15, max_size=15), min_size=1, max_size=8))
def test_the_fast_check_of_a_row_equals_the_full_check(rows):
    parsed = imports.ParsedFile(
        headers=list(HEADER), rows=rows, kind="csv", lines=list(range(2, len(rows) + 2))
    )
    fast = imports.validate(parsed)
    original = imports._FastRows.row
    imports._FastRows.row = lambda self, number, cells, seen: None  # every row through the full check
    try:
        full = imports.validate(parsed)
    finally:
        imports._FastRows.row = original
    assert (fast.students, fast.errors, fast.warnings) == (full.students, full.errors, full.warnings)
