"""The fictional demo school ("Voorbeeldschool") from `voorbeelden/`: one loader for demo and tests."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, delete, func, insert, select, update

from stip import config, instellingen
from stip.schools import DEFAULT_SCHOOL_NAME, Actor, ensure_school_year, ensure_staff_member
from stip.store import tables as T
from stip.store.bulk import executemany, new_ids

VOORBEELDEN = config.REPO_ROOT / "voorbeelden"
GUARDIAN_SLOTS = ("ouder1", "ouder2")


class DemoRefused(Exception):
    """The demo school is only loaded into a school without students."""

    message_key = "demo.refused_not_empty"


@dataclass(frozen=True)
class DemoLoaded:
    school: str
    klassen: int
    students: int
    guardians: int


def _yes(value: str) -> bool:
    return value.strip().lower() in {"ja", "j", "yes", "1", "true", "x"}


def has_students(conn: Connection, school_id: int) -> bool:
    count = conn.execute(select(func.count()).where(T.student.c.school_id == school_id)).scalar_one()
    return count > 0


def load_demo(conn: Connection, actor: Actor, folder: Path = VOORBEELDEN) -> DemoLoaded:
    """Fill the actor's (empty) school with the Voorbeeldschool; call inside one transaction."""
    import yaml

    if has_students(conn, actor.school_id):
        raise DemoRefused()
    school = yaml.safe_load((folder / "voorbeeldschool.yaml").read_text(encoding="utf-8"))
    school_id = actor.school_id
    conn.execute(
        update(T.school)
        .where(T.school.c.id == school_id)
        .values(name=school["school"], is_demo=True, version=T.school.c.version + 1, updated_at=func.now())
    )
    year_id = ensure_school_year(conn, school_id)
    staff = {
        member["login"]: ensure_staff_member(
            conn,
            school_id,
            member["login"],
            member["naam"],
            member.get("role", "mentor"),
            member.get("email"),
        )
        for member in school.get("staff", [])
    }
    entries = school.get("klassen", [])
    klassen = dict(zip((str(e["name"]) for e in entries), new_ids(conn, T.klas, len(entries)), strict=True))
    executemany(
        conn,
        insert(T.klas).values(school_id=school_id, school_year_id=year_id, author_id=actor.id),
        [(klassen[str(e["name"])], str(e["name"]), staff.get(e.get("mentor"))) for e in entries],
        ("id", "name", "mentor_id"),
    )

    # Everything from the CSV first, then one executemany per table (ids are given before the rows exist).
    with (folder / "leerlingen.csv").open(encoding="utf-8", newline="") as handle:
        rows = [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]
    student_ids = new_ids(conn, T.student, len(rows))
    guardians: dict[tuple[str, str, str], int] = {}  # (naam, email, telefoon) -> its number in `new`
    new: list[tuple] = []  # naam, email, telefoon, taal, tolk_nodig
    links: dict[tuple[int, int], tuple[str, bool]] = {}  # (student id, guardian number) -> link
    for student_id, row in zip(student_ids, rows, strict=True):
        for slot in GUARDIAN_SLOTS:
            naam = row.get(f"{slot}_naam", "")
            if not naam:
                continue
            key = (naam, row.get(f"{slot}_email", ""), row.get(f"{slot}_telefoon", ""))
            if key not in guardians:
                guardians[key] = len(new)
                new.append(
                    (*key, row.get(f"{slot}_taal") or "Nederlands", _yes(row.get(f"{slot}_tolk_nodig", "")))
                )
            links[(student_id, guardians[key])] = (
                row.get(f"{slot}_relatie") or "ouder",
                _yes(row.get("apart_informeren", "")),
            )
    guardian_ids = new_ids(conn, T.guardian, len(new))
    executemany(
        conn,
        insert(T.student).values(school_id=school_id, author_id=actor.id),
        [
            (
                sid,
                row["leerlingnummer"],
                row["roepnaam"],
                row["tussenvoegsel"],
                row["achternaam"],
                klassen[row["klas"]],
            )
            for sid, row in zip(student_ids, rows, strict=True)
        ],
        ("id", "leerlingnummer", "roepnaam", "tussenvoegsel", "achternaam", "klas_id"),
    )
    executemany(
        conn,
        insert(T.guardian).values(school_id=school_id, author_id=actor.id),
        [(gid, *values) for gid, values in zip(guardian_ids, new, strict=True)],
        ("id", "naam", "email", "telefoon", "taal", "tolk_nodig"),
    )
    executemany(
        conn,
        insert(T.student_guardian),
        [(sid, guardian_ids[number], *link) for (sid, number), link in links.items()],
        ("student_id", "guardian_id", "relatie", "apart_informeren"),
    )
    students = len(rows)
    instellingen.load_demo_settings(conn, actor, school)  # address, phone numbers, dates of the year
    from stip import demo_teamscan  # issue 17: two rounds of the team scan and the ouderplan

    demo_teamscan.load(conn, actor, folder)  # issue 17 demo_teamscan
    return DemoLoaded(
        school=school["school"], klassen=len(klassen), students=students, guardians=len(guardians)
    )


@dataclass(frozen=True)
class DemoRemoved:
    students: int
    guardians: int
    klassen: int
    staff: int


def is_demo_school(conn: Connection, school_id: int) -> bool:
    """Whether the school is the fictional Voorbeeldschool (`load_demo` marks it `is_demo`)."""
    query = select(T.school.c.is_demo).where(T.school.c.id == school_id)
    return bool(conn.execute(query).scalar())


def demo_logins(folder: Path = VOORBEELDEN) -> list[str]:
    """The logins of the demo's fictional staff (`voorbeeldschool.yaml`)."""
    import yaml

    school = yaml.safe_load((folder / "voorbeeldschool.yaml").read_text(encoding="utf-8"))
    return [str(member["login"]) for member in school.get("staff", [])]


def remove_demo(conn: Connection, actor: Actor, folder: Path = VOORBEELDEN) -> DemoRemoved | None:
    """Remove the Voorbeeldschool from the actor's school, before real class lists come in: all its
    students (with everything about them, `ON DELETE CASCADE`), guardians and klassen, the demo's staff
    (never the acting staff member), and the school's demo name and mark. One statement per table;
    call inside one write transaction. None, and nothing removed, when the school is not the demo.
    """
    school_id = actor.school_id
    if not is_demo_school(conn, school_id):
        return None
    from stip import demo_teamscan  # issue 17: the demo's study days and the plan that came from them

    demo_teamscan.remove(conn, actor)  # issue 17 demo_teamscan
    students = conn.execute(delete(T.student).where(T.student.c.school_id == school_id)).rowcount
    guardians = conn.execute(delete(T.guardian).where(T.guardian.c.school_id == school_id)).rowcount
    klassen = conn.execute(delete(T.klas).where(T.klas.c.school_id == school_id)).rowcount
    staff = conn.execute(
        delete(T.staff_member).where(
            T.staff_member.c.school_id == school_id,
            T.staff_member.c.login.in_(demo_logins(folder)),
            T.staff_member.c.id != actor.id,
        )
    ).rowcount
    conn.execute(
        update(T.school)
        .where(T.school.c.id == school_id)
        .values(
            name=DEFAULT_SCHOOL_NAME, is_demo=False, version=T.school.c.version + 1, updated_at=func.now()
        )
    )
    import yaml

    instellingen.remove_demo_settings(
        conn, actor, yaml.safe_load((folder / "voorbeeldschool.yaml").read_text(encoding="utf-8"))
    )
    return DemoRemoved(students=students, guardians=guardians, klassen=klassen, staff=staff)
