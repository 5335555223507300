"""Bulk writes send a fixed number of SQL statements, whatever the number of rows (DESIGN §2, issue 13).

Statements are counted with a `before_cursor_execute` listener on the engine (an executemany is one
event); each test compares a small and a larger input and checks what was stored. No timings here:
`bench/import_rows.py` measures those.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time

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


# -- automatic placement and the class calendar --------------------------------------------------------

DAY = date(2031, 9, 9)


def class_with_siblings(actor, size: int) -> tuple[int, dict[int, int]]:
    """Class "P" of `size` students; every fifth has a brother or sister in class "S" (the same parents)
    who is planned already; the first two of P are planned by hand. Slots for P: two more than needed.
    Returns the id of P and the students of P planned by hand (student -> slot)."""
    from stip import planning, startgesprek

    header = "leerlingnummer;roepnaam;achternaam;klas;mentor;ouder1_naam;ouder1_email;ouder1_tolk_nodig\n"
    lines = []
    for i in range(size):
        lines.append(
            f"{1000 + i};Kind{i};Familie{i};P;Mentor P;Ouder {i};ouder{i}@example.org;{'ja' if i % 3 else ''}"
        )
        if i % 5 == 0:
            lines.append(f"{5000 + i};Broer{i};Familie{i};S;Mentor S;Ouder {i};ouder{i}@example.org;")
    import_counted(actor, (header + "\n".join(lines) + "\n").encode())
    with store.write() as conn:
        ids = dict(conn.execute(select(T.klas.c.name, T.klas.c.id)).all())
        start = planning.make_slots(DAY, time(8), time(23), 10)
        startgesprek.add_slots(conn, actor, ids["P"], start[: size + 2])
        startgesprek.add_slots(conn, actor, ids["S"], planning.make_slots(DAY, time(6), time(8), 10))
        s_students = [s["id"] for s in klassen.class_students(conn, actor, ids["S"])]
        for student, slot in zip(s_students, startgesprek.slots(conn, actor, ids["S"]), strict=False):
            startgesprek.assign_slot(conn, actor, student, slot["id"])
        by_hand = [s["id"] for s in klassen.class_students(conn, actor, ids["P"])][:2]
        p_slots = startgesprek.slots(conn, actor, ids["P"])
        by_hand = {student: slot["id"] for student, slot in zip(by_hand, p_slots[-2:], strict=True)}
        for student, slot in by_hand.items():
            startgesprek.assign_slot(conn, actor, student, slot)
    return ids["P"], by_hand


def test_auto_assign_statements_do_not_grow_with_the_class(fresh_school):
    from stip import startgesprek

    found = {}
    for size in (10, 50):
        actor = fresh_school(f"planning{size}")
        klas_id, by_hand = class_with_siblings(actor, size)
        with counted() as statements, store.write() as conn:
            result = startgesprek.auto_assign(conn, actor, klas_id)
        found[size] = len(statements)
        assert len(result.placed) == size - 2 and result.unplaced == []
        assert result.siblings_adjacent + result.siblings_apart == size // 5 - 1  # Kind0 was planned by hand
        with store.read() as conn:
            booked = {r["student_id"]: r for r in startgesprek.slots(conn, actor, klas_id) if r["student_id"]}
            students = [s["id"] for s in klassen.class_students(conn, actor, klas_id)]
        assert sorted(booked) == sorted(students)  # everyone of P has a slot now, one family per slot
        assert all(booked[s]["starts_at"].date() == DAY for s in students)
        assert all(booked[s]["id"] == result_slot for s, result_slot in _slot_ids(result, booked).items())
        assert {s: booked[s]["id"] for s in by_hand} == by_hand  # planned by hand: kept
    assert found[10] == found[50], found


def _slot_ids(result, booked) -> dict[int, int]:
    """The slot id each placed student got, according to what is stored for that time."""
    by_time = {(row["starts_at"], row["ends_at"]): row["id"] for row in booked.values()}
    return {student: by_time[(slot.start, slot.end)] for student, slot in result.placed.items()}


def test_ics_data_of_a_class_takes_the_same_statements_whatever_its_size(fresh_school):
    from stip import startgesprek

    found = {}
    for size in (10, 50):
        actor = fresh_school(f"calendar{size}")
        klas_id, _ = class_with_siblings(actor, size)
        with store.write() as conn:
            startgesprek.auto_assign(conn, actor, klas_id)
        with counted() as statements, store.read() as conn:
            events = startgesprek.calendar_events(conn, actor, klas_id)
        found[size] = len(statements)
        assert len(events) == size and len({e.uid for e in events}) == size
        assert [e.start for e in events] == sorted(e.start for e in events)
        first = next(e for e in events if "Kind1 Familie1" in e.summary)
        assert first.summary == "Startgesprek Kind1 Familie1 (P)"
        assert "Ouder 1" in first.description and "tolk" in first.description
    assert found[10] == found[50], found


# -- the demo school ----------------------------------------------------------------------------------


def demo_folder(tmp_path, rows: int):
    """The Voorbeeldschool's staff and classes with `rows` made-up students (two guardians for most)."""
    import csv
    import shutil

    from stip import demo

    folder = tmp_path / f"voorbeelden{rows}"
    folder.mkdir()
    shutil.copy(demo.VOORBEELDEN / "voorbeeldschool.yaml", folder)
    with (demo.VOORBEELDEN / "leerlingen.csv").open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    with (folder / "leerlingen.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        for i in range(rows):
            family = i - 1 if i % 4 == 3 else i  # every fourth a brother or sister of the one before
            row = dict.fromkeys(header, "")
            row.update(
                leerlingnummer=str(900 + i),
                roepnaam=f"Kind{i}",
                achternaam=f"Familie{family}",
                klas="1A" if i % 2 else "2B",
                ouder1_naam=f"Ouder {family}",
                ouder1_email=f"ouder{family}@example.org",
                ouder1_tolk_nodig="ja" if family % 5 == 0 else "nee",
                apart_informeren="nee",
            )
            if family % 3:
                row.update(ouder2_naam=f"Tweede {family}", ouder2_relatie="vader", ouder2_taal="Pools")
            writer.writerow(row)
    return folder


def test_loading_the_demo_takes_the_same_statements_whatever_its_size(fresh_school, tmp_path):
    from stip import demo

    found = {}
    for rows in (10, 50):
        actor = fresh_school(f"demo{rows}")
        with counted() as statements, store.write() as conn:
            loaded = demo.load_demo(conn, actor, demo_folder(tmp_path, rows))
        found[rows] = len(statements)
        families = [i for i in range(rows) if i % 4 != 3]
        second = [f for f in families if f % 3]
        assert (loaded.students, loaded.klassen, loaded.guardians) == (rows, 2, len(families) + len(second))
        stored = counts()
        assert (stored["students"], stored["guardians"]) == (rows, len(families) + len(second))
        assert stored["student_guardians"] == sum(1 + bool((i - (i % 4 == 3)) % 3) for i in range(rows))
        with store.read() as conn:
            fifth = klassen.get_student(conn, actor, student_id(conn, "904"))
        assert (fifth["roepnaam"], fifth["klas"]) == ("Kind4", "2B")
        assert [(g["naam"], g["taal"], g["relatie"], g["tolk_nodig"]) for g in fifth["guardians"]] == [
            ("Ouder 4", "Nederlands", "ouder", False),
            ("Tweede 4", "Pools", "vader", False),
        ]
    assert found[10] == found[50], found
