"""The school, its current school year and the acting staff member (DESIGN §2 "who is acting")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select

from stip import config
from stip.store import tables as T

DEFAULT_SCHOOL_NAME = "Mijn school"


@dataclass(frozen=True)
class Actor:
    """The staff member on whose behalf a service acts."""

    id: int
    school_id: int
    login: str
    naam: str
    role: str


def school_year_bounds(day: date) -> tuple[str, date, date]:
    """The Dutch school year holding `day`: ('2026-2027', 1 Aug 2026, 31 Jul 2027)."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}", date(first, 8, 1), date(first + 1, 7, 31)


def ensure_school(conn: Connection) -> int:
    """The installation's school (local mode has one), created on first start."""
    school_id = conn.execute(select(T.school.c.id).order_by(T.school.c.id).limit(1)).scalar()
    if school_id is None:
        school_id = conn.execute(insert(T.school).values(name=DEFAULT_SCHOOL_NAME)).inserted_primary_key[0]
    return school_id


def ensure_school_year(conn: Connection, school_id: int, day: date | None = None) -> int:
    name, starts_on, ends_on = school_year_bounds(day or date.today())
    found = conn.execute(
        select(T.school_year.c.id).where(T.school_year.c.school_id == school_id, T.school_year.c.name == name)
    ).scalar()
    if found is not None:
        return found
    values = dict(school_id=school_id, name=name, starts_on=starts_on, ends_on=ends_on)
    return conn.execute(insert(T.school_year).values(**values)).inserted_primary_key[0]


def ensure_staff_member(
    conn: Connection,
    school_id: int,
    login: str,
    naam: str | None = None,
    role: str = "mentor",
    email: str | None = None,
) -> int:
    found = conn.execute(
        select(T.staff_member.c.id).where(
            T.staff_member.c.school_id == school_id, T.staff_member.c.login == login
        )
    ).scalar()
    if found is not None:
        return found
    values = dict(school_id=school_id, login=login, naam=naam or login, role=role, email=email)
    return conn.execute(insert(T.staff_member).values(**values)).inserted_primary_key[0]


def acting_staff_member(conn: Connection) -> Actor:
    """The acting staff member (JUPYTERHUB_USER, STIP_USER or the OS login), created on first use."""
    school_id = ensure_school(conn)
    ensure_school_year(conn, school_id)
    staff_id = ensure_staff_member(conn, school_id, config.acting_login())
    row = conn.execute(select(T.staff_member).where(T.staff_member.c.id == staff_id)).one()
    return Actor(id=row.id, school_id=row.school_id, login=row.login, naam=row.naam, role=row.role)


def find_student(conn: Connection, actor: Actor, student_id: object):
    """The student row with this id in the actor's school, or None (also for a non-integer id)."""
    if isinstance(student_id, bool) or not isinstance(student_id, int):
        return None
    query = select(T.student).where(T.student.c.id == student_id, T.student.c.school_id == actor.school_id)
    return conn.execute(query).mappings().first()
